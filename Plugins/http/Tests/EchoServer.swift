import DriverTesting
import Foundation

/// A running echo server (see `echoServerScript`), started once per test process per kind.
final class EchoServer: Sendable {
    let port: Int
    let scheme: String
    private let process: Process
    /// Keeps the child's stdin open: the server exits when this process exits.
    private let lifeline: Pipe

    var base: String { "\(scheme)://127.0.0.1:\(port)" }

    static let plain = Result { try EchoServer(arguments: []) }
    static let tls = Result {
        try EchoServer(arguments: [Certificates.shared.get().serverCert, Certificates.shared.get().serverKey])
    }
    static let mutualTLS = Result {
        let certificates = try Certificates.shared.get()
        return try EchoServer(arguments: [certificates.serverCert, certificates.serverKey, certificates.clientCert])
    }

    private init(arguments: [String]) throws {
        let directory = try temporaryDirectory("http-echo")
        let script = directory + "/echo_server.py"
        try echoServerScript.write(toFile: script, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let output = Pipe()
        lifeline = Pipe()
        process.standardOutput = output
        process.standardInput = lifeline
        try process.run()
        port = try announcedPort(on: output, by: "the echo server")
        scheme = arguments.isEmpty ? "http" : "https"
    }
}

/// What the echo server saw.
struct Echo: Decodable {
    var method: String
    var path: String
    var headers: [[String]]
    var body: String
    var hasBody: Bool
    var clientCert: Bool

    init(_ bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(Echo.self, from: Data(bytes))
    }

    /// Every value of header `name`, matched case-insensitively.
    func header(_ name: String) -> [String] {
        headers.filter { $0.first?.lowercased() == name.lowercased() }.map { $0.count > 1 ? $0[1] : "" }
    }
}
