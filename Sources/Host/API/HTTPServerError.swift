/// Why the HTTP server could not start: the address and the system's reason.
struct HTTPServerError: Error, CustomStringConvertible, Sendable {
    enum Code: String, Sendable {
        case invalidConfiguration, listenFailed, eventLoopFailed
    }

    let code: Code
    let reason: String

    var description: String { "HTTP server: \(reason)" }
}
