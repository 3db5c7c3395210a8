import AWSSigning
import Foundation
import Testing

/// One of AWS's SigV4 test suite cases in Fixtures/ (copied from botocore: see Fixtures/README.md):
/// the request (.req) and the expected canonical request, string to sign and Authorization header.
struct TestSuiteVector: Sendable, CustomTestStringConvertible {
    let name: String
    let request: SigningRequest
    let canonicalRequest: String
    let stringToSign: String
    let authorization: String

    var testDescription: String { name }

    /// The suite's credentials, region, service and date (its README).
    static let date = AmzDate("20150830T123600Z")!
    static let sessionToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
    static func signer(sessionToken: String? = nil, signsSessionToken: Bool = true) -> SigV4Signer {
        SigV4Signer(
            credentials: Credentials(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                sessionToken: sessionToken),
            region: "us-east-1", service: "service", signsSessionToken: signsSessionToken)
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Reads Fixtures/<name>.{req,creq,sts,authz}.
    init(_ name: String) throws {
        self.name = name
        func read(_ suffix: String) throws -> String {
            try String(contentsOf: Self.fixtures.appendingPathComponent(name + suffix), encoding: .utf8)
        }
        request = try Self.parse(request: try read(".req"))
        canonicalRequest = try read(".creq")
        stringToSign = try read(".sts")
        authorization = try read(".authz")
    }

    /// A .req file: `METHOD target HTTP/1.1`, `Name:value` lines, an empty line, the body.
    static func parse(request text: String) throws -> SigningRequest {
        let (head, body) = splitOnce(text, "\n\n")
        let lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 3, let method = requestLine.first else { throw FixtureError(line: lines[0]) }
        // The target may hold spaces (get-space): it is everything between the method and the version.
        let target = requestLine.dropFirst().dropLast().joined(separator: " ")
        let (path, query) = SigningRequest.split(target: target)
        // get-special-character.req alone ends with a newline: no header line is empty.
        let headers = try lines.dropFirst().filter { !$0.isEmpty }.map { line -> (name: String, value: String) in
            guard let colon = line.firstIndex(of: ":") else { throw FixtureError(line: line) }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]))
        }
        return SigningRequest(
            method: String(method), path: path, query: query, headers: headers, payload: Array((body ?? "").utf8))
    }

    private static func splitOnce(_ text: String, _ separator: String) -> (String, String?) {
        guard let range = text.range(of: separator) else { return (text, nil) }
        return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
    }
}

struct FixtureError: Error { let line: String }
