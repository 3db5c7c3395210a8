// swift-tools-version: 6.0
// bindery: a host for Dapr-style bindings whose drivers are shared libraries loaded at runtime.
// The package declares no package dependencies: the toolchain's modules, plus Debian's C client
// libraries for drivers that talk to real systems (through system-library targets).
import PackageDescription

/// One in-tree driver: Plugins/<folder>/Sources is the driver, Plugins/<folder>/Entry exports its
/// `bd_driver_entry` (only the .dynamic product links it, so the test binary, which links every
/// driver module, has no duplicate symbol), Plugins/<folder>/Tests tests it.
func driver(_ folder: String, module: String, extra: [Target.Dependency] = []) -> [Target] {
    [
        .target(
            name: module, dependencies: ["DriverKit", "DaprMetadata", "PluginABI"] + extra,
            path: "Plugins/\(folder)/Sources",
            swiftSettings: strict),
        .target(
            name: "\(module)Entry", dependencies: [.target(name: module), "DriverKit"],
            path: "Plugins/\(folder)/Entry", swiftSettings: strict),
        .testTarget(
            name: "\(module)Tests", dependencies: [.target(name: module), "DriverKit", "DriverTesting"],
            path: "Plugins/\(folder)/Tests", swiftSettings: strict),
    ]
}

/// Settings every Swift target of ours compiles with: existential types spelled `any`, so the cost
/// of a protocol-typed value is visible where it is paid.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// The host's request path crosses BinderyHTTP, DaprHTTPAPI, BinderyCore and DriverRuntime: in
/// release builds the optimiser may inline and specialise across them, as it did when they were
/// one module (measured: docs/BENCHMARKS.md).
let host: [SwiftSetting] = strict + [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

/// The tests of target `name`, in Tests/<name>Tests.
func tests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: "\(name)Tests", dependencies: dependencies, path: "Tests/\(name)Tests", swiftSettings: strict)
}

/// A Debian C client library, found with pkg-config; `package` is the -dev package providing it.
func debianLibrary(_ name: String, path: String, pkgConfig: String, package: String) -> Target {
    .systemLibrary(name: name, path: path, pkgConfig: pkgConfig, providers: [.apt([package])])
}

let package = Package(
    name: "bindery",
    products: [
        .executable(name: "bindery", targets: ["Host"]),
        .library(name: "bindery-cron", type: .dynamic, targets: ["CronDriverEntry"]),
        .library(name: "bindery-http", type: .dynamic, targets: ["HTTPDriverEntry"]),
        .library(name: "bindery-localstorage", type: .dynamic, targets: ["LocalStorageDriverEntry"]),
        .library(name: "bindery-redis", type: .dynamic, targets: ["RedisDriverEntry"]),
        .library(name: "bindery-mqtt3", type: .dynamic, targets: ["MQTTDriverEntry"]),
        .library(name: "bindery-smtp", type: .dynamic, targets: ["SMTPDriverEntry"]),
        .library(name: "bindery-postgresql", type: .dynamic, targets: ["PostgreSQLDriverEntry"]),
        .library(name: "bindery-kafka", type: .dynamic, targets: ["KafkaDriverEntry"]),
        .library(name: "bindery-rabbitmq", type: .dynamic, targets: ["RabbitMQDriverEntry"]),
        .library(name: "bindery-aws-dynamodb", type: .dynamic, targets: ["DynamoDBDriverEntry"]),
        .library(name: "bindery-aws-kinesis", type: .dynamic, targets: ["KinesisDriverEntry"]),
        .library(name: "bindery-aws-s3", type: .dynamic, targets: ["S3DriverEntry"]),
        .library(name: "bindery-gcp-bucket", type: .dynamic, targets: ["GCPBucketDriverEntry"]),
        .library(name: "bindery-aws-sqs", type: .dynamic, targets: ["SQSDriverEntry"]),
        .library(name: "bindery-aws-sns", type: .dynamic, targets: ["SNSDriverEntry"]),
        .library(name: "bindery-twilio-sms", type: .dynamic, targets: ["TwilioSMSDriverEntry"]),
        .library(name: "bindery-twilio-sendgrid", type: .dynamic, targets: ["SendGridDriverEntry"]),
        .library(name: "bindery-influx", type: .dynamic, targets: ["InfluxDriverEntry"]),
        .library(name: "bindery-gcp-pubsub", type: .dynamic, targets: ["GCPPubSubDriverEntry"]),
    ],
    targets: [
        // The C header that is the whole host <-> driver contract.
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        // Dapr's metadata value semantics (durations, sizes, booleans, field types): pure Swift,
        // shared by the host's validation and DriverKit's decoder.
        .target(name: "DaprMetadata", path: "Sources/DaprMetadata", swiftSettings: strict),
        tests("DaprMetadata", ["DaprMetadata"]),
        // A dedicated thread with a wake-up pipe and stop-and-join, for loops around blocking C clients.
        .target(name: "SystemThreads", path: "Sources/SystemThreads", swiftSettings: strict),
        tests("SystemThreads", ["SystemThreads"]),
        // The Swift layer compiled into each Swift driver; it depends on the header, DaprMetadata and SystemThreads.
        .target(
            name: "DriverKit", dependencies: ["PluginABI", "DaprMetadata", "SystemThreads"], path: "Sources/DriverKit",
            swiftSettings: strict),
        // SHA-256 in C, optimised even in debug builds (see Sources/CDigest/include/cdigest.h).
        // JSON values that keep numbers exact, written back as Go's encoding/json writes them: for
        // drivers, which cannot import the host's modules.
        .target(name: "DriverJSON", path: "Sources/DriverJSON", swiftSettings: strict),
        .target(name: "CDigest", path: "Sources/CDigest", cSettings: [.unsafeFlags(["-O2"])]),
        // AWS Signature Version 4 (HMAC-SHA256 over CDigest's SHA-256): headers, query strings, presigned URLs.
        .target(name: "AWSSigning", dependencies: ["CDigest"], path: "Sources/AWSSigning", swiftSettings: strict),
        // Fixtures: AWS's SigV4 test suite vectors, copied from botocore (see Fixtures/README.md).
        .testTarget(
            name: "AWSSigningTests", dependencies: ["AWSSigning"], path: "Tests/AWSSigningTests",
            exclude: ["Fixtures"], swiftSettings: strict),
        // Syscall wrappers (sockets, epoll, inotify, signals, processes), threads, clock, log, files.
        .target(name: "BinderySystem", path: "Sources/BinderySystem", swiftSettings: host),
        // HTTP/1.1 server, parser and client over BinderySystem: knows nothing of Dapr.
        .target(name: "BinderyHTTP", dependencies: ["BinderySystem"], path: "Sources/BinderyHTTP", swiftSettings: host),
        // Manifest, Registry (generations, swaps), Reloader, and the seams: DriverEndpoint,
        // BindingService. Talks to drivers only through DriverEndpoint; never imports PluginABI.
        .target(
            name: "BinderyCore", dependencies: ["BinderySystem", "DaprMetadata"], path: "Sources/BinderyCore",
            swiftSettings: host),
        // The in-process DriverEndpoint: Loader (ELF checks, private copies, dlopen) and the C ABI.
        // The only host target that imports PluginABI.
        .target(
            name: "DriverRuntime", dependencies: ["BinderyCore", "BinderySystem", "PluginABI", "CDigest"],
            path: "Sources/DriverRuntime", swiftSettings: host),
        // Dapr's /v1.0 HTTP routes over BindingService.
        .target(
            name: "DaprHTTPAPI", dependencies: ["BinderyCore", "BinderyHTTP", "BinderySystem"],
            path: "Sources/DaprHTTPAPI", swiftSettings: host),
        // HTTP/2 and HPACK from Debian's libnghttp2: it does no I/O, so BinderyGRPC's own epoll
        // loops drive it (gRPC C core would bring its own threads and ~25 abseil libraries).
        debianLibrary("CNghttp2", path: "Sources/CNghttp2", pkgConfig: "libnghttp2", package: "libnghttp2-dev"),
        // gRPC over HTTP/2: server and client, TCP and Unix sockets, on BinderySystem's epoll
        // loops; knows nothing of Dapr.
        .target(
            name: "BinderyGRPC", dependencies: ["BinderySystem", "CNghttp2"], path: "Sources/BinderyGRPC",
            swiftSettings: host),
        // Fixtures: the Python gRPC client (grpcio) the server tests call it with.
        .testTarget(
            name: "BinderyGRPCTests", dependencies: ["BinderyGRPC", "BinderySystem", "DriverTesting"],
            path: "Tests/BinderyGRPCTests", exclude: ["Fixtures"], swiftSettings: strict),
        // Protocol Buffers wire format: ProtoWriter, ProtoReader (no generated code, no dependencies).
        .target(name: "ProtoWire", path: "Sources/ProtoWire", swiftSettings: host),
        .testTarget(
            name: "ProtoWireTests", dependencies: ["ProtoWire", "DriverTesting"], path: "Tests/ProtoWireTests",
            exclude: ["Fixtures"], swiftSettings: strict),
        // Dapr's gRPC API (dapr.proto.runtime.v1.Dapr) over BindingService: bindings and metadata.
        .target(
            name: "DaprGRPCAPI", dependencies: ["BinderyCore", "BinderyGRPC", "ProtoWire", "BinderySystem", "DaprMetadata"],
            path: "Sources/DaprGRPCAPI", swiftSettings: host),
        .testTarget(
            name: "DaprGRPCAPITests",
            dependencies: ["DaprGRPCAPI", "BinderyCore", "BinderyGRPC", "ProtoWire", "DriverTesting"],
            path: "Tests/DaprGRPCAPITests", exclude: ["Fixtures"], swiftSettings: strict),
        // Input events to the app: probe, ack policy, behind AppChannel (HTTP POST or gRPC
        // AppCallback/OnBindingEvent).
        .target(
            name: "Delivery",
            dependencies: ["BinderyCore", "BinderyHTTP", "BinderyGRPC", "ProtoWire", "BinderySystem"],
            path: "Sources/Delivery", swiftSettings: host),
        // Fixtures: a Python app on the Dapr SDK's dapr.ext.grpc.App.
        .testTarget(
            name: "DeliveryTests",
            dependencies: ["Delivery", "BinderyCore", "BinderyGRPC", "BinderySystem", "DriverTesting"],
            path: "Tests/DeliveryTests", exclude: ["Fixtures"], swiftSettings: strict),
        // The `bindery` executable: main, CLI and wiring only.
        .executableTarget(
            name: "Host",
            dependencies: [
                "BinderySystem", "BinderyHTTP", "BinderyCore", "DriverRuntime", "DaprHTTPAPI", "Delivery",
                "DaprMetadata", "BinderyGRPC", "DaprGRPCAPI",
            ],
            path: "Sources/Host", swiftSettings: host),
        tests("DriverKit", ["DriverKit", "PluginABI"]),
        // Each host target's tests beside it; HostTests runs the bindery executable end to end.
        tests("BinderySystem", ["BinderySystem", "DriverTesting"]),
        tests("BinderyHTTP", ["BinderyHTTP", "BinderySystem", "DriverTesting"]),
        tests("BinderyCore", ["BinderyCore", "BinderySystem", "DaprMetadata", "DriverTesting"]),
        tests("DaprHTTPAPI", ["DaprHTTPAPI"]),
        tests("DriverRuntime", ["DriverRuntime", "BinderyCore", "PluginABI", "DriverTesting", "HostTestSupport"]),
        // What the driver-runtime and end-to-end tests share: where things are, the fixture drivers.
        .target(
            name: "HostTestSupport", dependencies: ["DriverTesting"], path: "Tests/HostTestSupport",
            swiftSettings: strict),
        .testTarget(
            name: "HostTests",
            dependencies: [
                "Host", "BinderySystem", "BinderyCore", "DriverRuntime", "DriverTesting", "HostTestSupport",
            ],
            path: "Tests/HostTests",
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        debianLibrary("CCurl", path: "Sources/CCurl", pkgConfig: "libcurl", package: "libcurl4-openssl-dev"),
        // HTTP(S) over libcurl on a dedicated thread, for drivers that call web APIs (knows nothing of Dapr).
        .target(
            name: "CurlTransport", dependencies: ["CCurl", "DaprMetadata", "SystemThreads"], path: "Sources/CurlTransport",
            swiftSettings: strict),
        tests("CurlTransport", ["CurlTransport"]),
        // What the AWS drivers share: credentials as Dapr's AWS profile reads them, the JSON,
        // Query and REST-XML protocols over CurlTransport, SigV4, AWS's errors and retries.
        .target(
            name: "AWSKit", dependencies: ["AWSSigning", "CurlTransport", "DriverKit", "DriverJSON"],
            path: "Sources/AWSKit", swiftSettings: strict),
        tests("AWSKit", ["AWSKit", "AWSSigning", "CurlTransport", "DriverKit", "DriverJSON", "DriverTesting"]),
        // RSA from Debian's libcrypto (OpenSSL 3), for Google service-account JWTs and signed URLs.
        debianLibrary("COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto", package: "libssl-dev"),
        // What the Google Cloud drivers share: service-account credentials as Dapr's GCP profile
        // reads them, RS256 JWTs exchanged for access tokens (cached), emulator hosts.
        .target(
            name: "GoogleAuth", dependencies: ["COpenSSL", "CurlTransport", "DriverKit", "DriverJSON", "ServiceEndpoint"],
            path: "Sources/GoogleAuth", swiftSettings: strict),
        tests("GoogleAuth", ["GoogleAuth", "CurlTransport", "DriverKit", "DriverJSON", "DriverTesting"]),
        // Base URL and CA overrides, request deadlines and transport errors for web-API drivers.
        .target(
            name: "ServiceEndpoint", dependencies: ["CurlTransport", "DriverKit", "DaprMetadata"],
            path: "Sources/ServiceEndpoint", swiftSettings: strict),
        debianLibrary("CHiredis", path: "Plugins/redis/CHiredis", pkgConfig: "hiredis", package: "libhiredis-dev"),
        debianLibrary("CMosquitto", path: "Plugins/mqtt3/CMosquitto", pkgConfig: "libmosquitto", package: "libmosquitto-dev"),
        debianLibrary("CLibpq", path: "Plugins/postgresql/CLibpq", pkgConfig: "libpq", package: "libpq-dev"),
        debianLibrary("CRdKafka", path: "Plugins/kafka/CRdKafka", pkgConfig: "rdkafka", package: "librdkafka-dev"),
        debianLibrary("CRabbitMQ", path: "Plugins/rabbitmq/CRabbitMQ", pkgConfig: "librabbitmq", package: "librabbitmq-dev"),
        // openat2(2), which glibc does not wrap, for bindings.localstorage's confinement to its root.
        .systemLibrary(name: "COpenat2", path: "Plugins/localstorage/COpenat2"),
        // What drivers' tests share: real servers on free ports, temporary folders, and the
        // conformance suite that loads a built driver. Vendored into plugin-template, so it depends
        // on the header and DriverKit only.
        .target(
            name: "DriverTesting", dependencies: ["DriverKit", "PluginABI"], path: "Sources/DriverTesting",
            swiftSettings: strict),
        tests("DriverTesting", ["DriverTesting"]),
    ]
        + driver("cron", module: "CronDriver")
        + driver("http", module: "HTTPDriver", extra: ["CurlTransport"])
        + driver("localstorage", module: "LocalStorageDriver", extra: ["COpenat2"])
        + driver("redis", module: "RedisDriver", extra: ["CHiredis"])
        + driver("mqtt3", module: "MQTTDriver", extra: ["CMosquitto"])
        + driver("smtp", module: "SMTPDriver", extra: ["CurlTransport", "CCurl"])
        + driver("postgresql", module: "PostgreSQLDriver", extra: ["CLibpq", "DriverJSON"])
        + driver("kafka", module: "KafkaDriver", extra: ["CRdKafka"])
        + driver("rabbitmq", module: "RabbitMQDriver", extra: ["CRabbitMQ", "SystemThreads"])
        + driver("aws-dynamodb", module: "DynamoDBDriver", extra: ["AWSKit", "AWSSigning", "CurlTransport", "DriverJSON"])
        + driver("aws-kinesis", module: "KinesisDriver", extra: ["AWSKit", "AWSSigning", "CurlTransport", "DriverJSON"])
        + driver("aws-s3", module: "S3Driver", extra: ["AWSKit", "AWSSigning", "CurlTransport", "DriverJSON"])
        + driver("aws-sqs", module: "SQSDriver", extra: ["AWSKit", "AWSSigning", "CurlTransport", "DriverJSON"])
        + driver("aws-sns", module: "SNSDriver", extra: ["AWSKit", "AWSSigning", "CurlTransport", "DriverJSON"])
        + driver("gcp-bucket", module: "GCPBucketDriver", extra: ["GoogleAuth", "CurlTransport", "DriverJSON", "CDigest"])
        + driver("twilio-sms", module: "TwilioSMSDriver", extra: ["CurlTransport", "DriverJSON", "ServiceEndpoint"])
        + driver("twilio-sendgrid", module: "SendGridDriver", extra: ["CurlTransport", "DriverJSON", "ServiceEndpoint"])
        + driver("influx", module: "InfluxDriver", extra: ["CurlTransport", "DaprMetadata", "DriverJSON", "ServiceEndpoint"])
        + driver("gcp-pubsub", module: "GCPPubSubDriver", extra: ["GoogleAuth", "CurlTransport", "DriverJSON"])
)
