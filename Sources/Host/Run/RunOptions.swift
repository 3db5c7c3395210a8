import BinderySystem
import DaprMetadata

/// `bindery run` flags, named as daprd names them where daprd has them.
struct RunOptions: Sendable {
    var appID = ""
    var appPort: Int?
    var appChannelAddress = "127.0.0.1"
    var httpPort = 3500
    /// `--dapr-grpc-port`: the gRPC API's port (0: any free port).
    var grpcPort = 50001
    /// `--unix-domain-socket DIR`: both APIs on Unix sockets in DIR instead of TCP ports.
    var unixSocketDirectory: String?
    /// `--app-protocol`: how bindery reaches the app.
    var appProtocol = AppProtocol.http
    var listenAddress = "127.0.0.1"
    var resourcesPaths: [String] = []
    var driversPaths: [String] = []
    var logLevel = Log.Level.info
    var logAsJSON = false
    var appMaxConcurrency = -1
    var maxBodyBytes = 4 << 20
    /// `--max-connections`: API connections open at once; nil leaves the server's default.
    var maxConnections: Int?
    var probeTimeout = Duration.seconds(3)
    /// Watch resources and drivers paths and apply changes while serving (`--watch=false`: off).
    var watch = true
    /// `--dapr-graceful-shutdown-seconds`: how long the drain may last; nil (`0`) waits for ever,
    /// and a negative value means the default, as in daprd.
    var gracefulShutdown: Duration? = .seconds(5)
    var command: [String] = []

    /// Each concurrent delivery may hold a thread; past this, a typo rather than a plan.
    static let maxConcurrencyLimit = 100_000
    /// The largest request body `--max-body-size` may allow (the parser counts in Int).
    static let maxBodyLimit = 1 << 40
    /// More connections than this would need more descriptors than Linux allows a process.
    static let maxConnectionsLimit = 1 << 20

    static let usage =
        "bindery run [--app-id ID] [--app-port PORT] [--resources-path DIR]... [flags] [-- COMMAND ARGS...]"

    static let valued: Set<String> = [
        "app-id", "app-port", "app-channel-address", "dapr-http-port", "dapr-listen-addresses", "resources-path",
        "components-path", "drivers-path", "log-level", "app-max-concurrency", "max-body-size",
        "app-binding-options-timeout", "max-connections", "dapr-graceful-shutdown-seconds", "dapr-grpc-port",
        "unix-domain-socket", "app-protocol",
    ]

    /// The app protocols daprd knows; bindery speaks `http` and `grpc` (plain text, as on loopback).
    enum AppProtocol: String, Sendable {
        case http, grpc
    }

    init() {}

    init(_ words: [String]) throws(Arguments.Failure) {
        let args = try Arguments(words, command: "run", valued: Self.valued, flags: ["log-as-json", "watch"])
        guard args.positional.isEmpty else {
            throw Arguments.Failure(
                description:
                    "unexpected argument '\(args.positional[0])'; put the app command after '--' (usage: \(Self.usage))"
            )
        }
        appID = args.last("app-id") ?? ""
        if let text = args.last("app-port") { appPort = try Self.port(text, flag: "app-port") }
        appChannelAddress = args.last("app-channel-address") ?? appChannelAddress
        if let text = args.last("dapr-http-port") {
            httpPort = try Self.port(text, flag: "dapr-http-port", allowZero: true)
        }
        if let text = args.last("dapr-grpc-port") {
            grpcPort = try Self.port(text, flag: "dapr-grpc-port", allowZero: true)
        }
        if let directory = args.last("unix-domain-socket") {
            guard !directory.isEmpty else {
                throw Arguments.Failure(description: "--unix-domain-socket needs a directory")
            }
            unixSocketDirectory = directory
        }
        if let text = args.last("app-protocol") { appProtocol = try Self.appProtocol(text) }
        listenAddress = args.last("dapr-listen-addresses") ?? listenAddress
        resourcesPaths = args.all("resources-path") + args.all("components-path")
        driversPaths = args.all("drivers-path")
        if let level = args.last("log-level") {
            guard let parsed = Log.Level(name: level) else {
                throw Arguments.Failure(description: "--log-level \"\(level)\" is not one of debug, info, warn, error")
            }
            logLevel = parsed
        }
        logAsJSON = args.flag("log-as-json")
        if args.last("watch") != nil { watch = args.flag("watch") }
        if let text = args.last("app-max-concurrency") {
            guard let value = Int(text), value <= Self.maxConcurrencyLimit else {
                throw Arguments.Failure(
                    description:
                        "--app-max-concurrency \"\(text)\" is not a whole number up to \(Self.maxConcurrencyLimit) (-1: unlimited)"
                )
            }
            appMaxConcurrency = value
        }
        if let text = args.last("max-body-size") { maxBodyBytes = try Self.size(text, flag: "max-body-size") }
        if let text = args.last("max-connections") {
            guard let value = Int(text), (1...Self.maxConnectionsLimit).contains(value) else {
                throw Arguments.Failure(
                    description:
                        "--max-connections \"\(text)\" is not a whole number from 1 to \(Self.maxConnectionsLimit)")
            }
            maxConnections = value
        }
        if let text = args.last("app-binding-options-timeout") {
            guard let duration = GoDuration.parse(text), duration > .zero else {
                throw Arguments.Failure(
                    description: "--app-binding-options-timeout \"\(text)\" is not a duration such as 3s or 500ms")
            }
            probeTimeout = duration
        }
        if let text = args.last("dapr-graceful-shutdown-seconds") {
            guard let seconds = Int(text) else {
                throw Arguments.Failure(
                    description: "--dapr-graceful-shutdown-seconds \"\(text)\" is not a whole number of seconds")
            }
            gracefulShutdown = seconds == 0 ? nil : .seconds(seconds < 0 ? 5 : seconds)
        }
        command = args.trailing
    }

    private static func appProtocol(_ text: String) throws(Arguments.Failure) -> AppProtocol {
        if let known = AppProtocol(rawValue: text.lowercased()) { return known }
        if ["https", "grpcs", "h2c"].contains(text.lowercased()) {
            throw Arguments.Failure(
                description: "--app-protocol \"\(text)\" is not supported by bindery yet; use http or grpc")
        }
        throw Arguments.Failure(description: "--app-protocol \"\(text)\" is not one of http, grpc")
    }

    private static func port(_ text: String, flag: String, allowZero: Bool = false) throws(Arguments.Failure) -> Int {
        guard let value = Int(text), value >= (allowZero ? 0 : 1), value <= 65535 else {
            throw Arguments.Failure(description: "--\(flag) \"\(text)\" is not a port number (1–65535)")
        }
        return value
    }

    /// Sizes as daprd writes them: `4Mi`, `512Ki`, `1Gi`, `4M`, or plain bytes.
    static func size(_ text: String, flag: String) throws(Arguments.Failure) -> Int {
        let units: [(String, Int)] = [
            ("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30), ("K", 1000), ("M", 1_000_000), ("G", 1_000_000_000),
        ]
        var bytes: Int?
        for (suffix, factor) in units where bytes == nil && text.hasSuffix(suffix) {
            guard let number = Int(text.dropLast(suffix.count)), number > 0 else { break }
            let (product, overflow) = number.multipliedReportingOverflow(by: factor)
            bytes = overflow ? Int.max : product
        }
        if bytes == nil, let number = Int(text), number > 0 { bytes = number }
        guard let bytes else {
            throw Arguments.Failure(description: "--\(flag) \"\(text)\" is not a size such as 4Mi, 512Ki or 1048576")
        }
        guard bytes <= maxBodyLimit else {
            throw Arguments.Failure(description: "--\(flag) \"\(text)\" is larger than 1Ti")
        }
        return bytes
    }
}
