/// A gRPC status: the code and message a call ends with (`grpc-status`, `grpc-message`).
package struct GRPCStatus: Sendable, Equatable, Error, CustomStringConvertible {
    /// gRPC's status codes (grpc/doc/statuscodes.md).
    package enum Code: Int, Sendable {
        case ok = 0
        case cancelled, unknown, invalidArgument, deadlineExceeded, notFound, alreadyExists
        case permissionDenied, resourceExhausted, failedPrecondition, aborted, outOfRange, unimplemented
        case `internal`, unavailable, dataLoss, unauthenticated

        /// The name grpc-go prints (`codes.Code.String()`), as in "rpc error: code = Unknown desc = …".
        package var name: String {
            switch self {
            case .ok: "OK"
            case .cancelled: "Canceled"
            case .unknown: "Unknown"
            case .invalidArgument: "InvalidArgument"
            case .deadlineExceeded: "DeadlineExceeded"
            case .notFound: "NotFound"
            case .alreadyExists: "AlreadyExists"
            case .permissionDenied: "PermissionDenied"
            case .resourceExhausted: "ResourceExhausted"
            case .failedPrecondition: "FailedPrecondition"
            case .aborted: "Aborted"
            case .outOfRange: "OutOfRange"
            case .unimplemented: "Unimplemented"
            case .internal: "Internal"
            case .unavailable: "Unavailable"
            case .dataLoss: "DataLoss"
            case .unauthenticated: "Unauthenticated"
            }
        }
    }

    package var code: Code
    package var message: String
    /// `grpc-status-details-bin`: a serialized `google.rpc.Status` (the same code and message,
    /// plus details such as daprd's `ErrorInfo`); empty for none. Bytes, not a metadata string,
    /// because it is binary and a String would not carry it intact. The server sends it
    /// base64-encoded beside `grpc-status`; a client fills it from the trailers.
    package var details: [UInt8]

    package init(_ code: Code, _ message: String = "", details: [UInt8] = []) {
        (self.code, self.message, self.details) = (code, message, details)
    }

    package static let ok = GRPCStatus(.ok)

    package var isOK: Bool { code == .ok }

    /// As grpc-go's `status.Error(...).Error()` prints it, which is what daprd puts in its errors.
    package var description: String { "rpc error: code = \(code.name) desc = \(message)" }

    /// A `grpc-status` value: a known code, or `unknown` for any other number (gRPC's rule).
    package static func code(fromHeader value: Substring) -> Code {
        guard let number = Int(value), let code = Code(rawValue: number) else { return .unknown }
        return code
    }
}
