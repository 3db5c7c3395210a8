/// Why the HTTP server could not start: the address and the system's reason.
package struct HTTPServerError: Error, CustomStringConvertible, Sendable {
    package enum Code: String, Sendable {
        case invalidConfiguration, listenFailed, eventLoopFailed
    }

    package let code: Code
    package let reason: String

    package var description: String { "HTTP server: \(reason)" }
}
