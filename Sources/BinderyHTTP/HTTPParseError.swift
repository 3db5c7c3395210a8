/// Why bytes on the wire are not a valid HTTP/1.1 message. Shared by the server (which answers
/// with `status`) and the delivery client (which reports a malformed response).
package struct HTTPParseError: Error, CustomStringConvertible, Sendable, Equatable {
    package enum Kind: String, Sendable {
        case malformed, headersTooLarge, tooManyHeaders, bodyTooLarge, unsupportedVersion, unsupportedTransferCoding
    }

    package let kind: Kind
    package let reason: String

    package init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    static func malformed(_ reason: String) -> HTTPParseError { HTTPParseError(.malformed, reason) }

    /// The status a server answers with (RFC 9110 15.5, RFC 6585 5).
    package var status: Int {
        switch kind {
        case .malformed: 400
        case .headersTooLarge, .tooManyHeaders: 431
        case .bodyTooLarge: 413
        case .unsupportedVersion: 505
        case .unsupportedTransferCoding: 501
        }
    }

    package var description: String { reason }
}
