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
        .target(name: module, dependencies: ["DriverKit", "DaprMetadata", "PluginABI"] + extra, path: "Plugins/\(folder)/Sources"),
        .target(name: "\(module)Entry", dependencies: [.target(name: module), "DriverKit"], path: "Plugins/\(folder)/Entry"),
        .testTarget(name: "\(module)Tests", dependencies: [.target(name: module)], path: "Plugins/\(folder)/Tests"),
    ]
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
    ],
    targets: [
        // The C header that is the whole host <-> driver contract.
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        // Dapr's metadata value semantics (durations, sizes, booleans, field types): pure Swift,
        // shared by the host's validation and DriverKit's decoder.
        .target(name: "DaprMetadata", path: "Sources/DaprMetadata"),
        .testTarget(name: "DaprMetadataTests", dependencies: ["DaprMetadata"], path: "Tests/DaprMetadataTests"),
        // A dedicated thread with a wake-up pipe and stop-and-join, for loops around blocking C clients.
        .target(name: "SystemThreads", path: "Sources/SystemThreads"),
        .testTarget(name: "SystemThreadsTests", dependencies: ["SystemThreads"], path: "Tests/SystemThreadsTests"),
        // The Swift layer compiled into each Swift driver; it depends on the header, DaprMetadata and SystemThreads.
        .target(name: "DriverKit", dependencies: ["PluginABI", "DaprMetadata", "SystemThreads"], path: "Sources/DriverKit"),
        // SHA-256 in C, optimised even in debug builds (see Sources/CDigest/include/cdigest.h).
        .target(name: "CDigest", path: "Sources/CDigest", cSettings: [.unsafeFlags(["-O2"])]),
        .executableTarget(name: "Host", dependencies: ["PluginABI", "CDigest"], path: "Sources/Host"),
        .testTarget(name: "DriverKitTests", dependencies: ["DriverKit", "PluginABI"], path: "Tests/DriverKitTests"),
        .testTarget(
            name: "HostTests",
            dependencies: ["Host", "PluginABI"],
            path: "Tests/HostTests",
            exclude: ["Fixtures"]
        ),
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        // HTTP(S) over libcurl on a dedicated thread, for drivers that call web APIs (knows nothing of Dapr).
        .target(name: "CurlTransport", dependencies: ["CCurl", "SystemThreads"], path: "Sources/CurlTransport"),
        .testTarget(name: "CurlTransportTests", dependencies: ["CurlTransport"], path: "Tests/CurlTransportTests"),
        .systemLibrary(
            name: "CHiredis", path: "Plugins/redis/CHiredis", pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(
            name: "CMosquitto", path: "Plugins/mqtt3/CMosquitto", pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]),
    ]
        + driver("cron", module: "CronDriver")
        + driver("http", module: "HTTPDriver", extra: ["CurlTransport"])
        + driver("localstorage", module: "LocalStorageDriver")
        + driver("redis", module: "RedisDriver", extra: ["CHiredis"])
        + driver("mqtt3", module: "MQTTDriver", extra: ["CMosquitto"])
)
