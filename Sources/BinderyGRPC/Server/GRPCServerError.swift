/// Why the gRPC server could not start: the address and the system's reason.
package struct GRPCServerError: Error, CustomStringConvertible, Sendable {
    package enum Code: String, Sendable {
        case invalidConfiguration, listenFailed, eventLoopFailed
    }

    package let code: Code
    package let reason: String

    package init(code: Code, reason: String) { (self.code, self.reason) = (code, reason) }

    package var description: String { "gRPC server: \(reason)" }
}
