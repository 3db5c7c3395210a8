import CurlTransport
import DriverJSON
import DriverKit
import GoogleAuth

/// The GCS JSON API over one CurlClient: builds URLs under the base URL, adds the bearer token,
/// and turns non-2xx answers into `StorageFailure`s worded as Google's Go client words them.
final class StorageClient: Sendable {
    /// Google's own host, used when neither an emulator nor `endpoint` is configured.
    static let googleBaseURL = "https://storage.googleapis.com"

    let baseURL: String
    let component: String
    let access: GoogleAccess
    private let curl = CurlClient()

    init(access: GoogleAccess, component: String) {
        self.access = access
        self.component = component
        var base = access.baseURL ?? StorageClient.googleBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
    }

    func start() throws(DriverError) {
        do { try curl.start() } catch {
            throw DriverError(.internalError, "\(component): cannot start the HTTP client: \(error.message)")
        }
        try access.start()
    }

    func stop() async {
        await curl.stop()
        await access.stop()
    }

    /// Performs one JSON API call; the answer for a 2xx status, else a `StorageFailure`. A 401
    /// (a token revoked or expired early) drops the cached token and tries once more, as Go's
    /// oauth2 transport does.
    func send(
        _ method: String, _ path: String, query: [(String, String)] = [], headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil, timeout: Int64?
    ) async throws(StorageFailure) -> CurlResponse {
        let authorization = try await self.authorization()
        do {
            return try await attempt(
                method, path, query: query, headers: headers, body: body, timeout: timeout, authorization: authorization
            )
        } catch let failure where failure.status == 401 && authorization != nil {
            access.tokenRefused(authorization ?? "")
            return try await attempt(
                method, path, query: query, headers: headers, body: body, timeout: timeout,
                authorization: try await self.authorization())
        }
    }

    /// The Authorization header's value: a cached or new token, nil on an emulator.
    private func authorization() async throws(StorageFailure) -> String? {
        do { return try await access.authorization() } catch { throw .auth(error) }
    }

    private func attempt(
        _ method: String, _ path: String, query: [(String, String)], headers: [(name: String, value: String)],
        body: [UInt8]?, timeout: Int64?, authorization: String?
    ) async throws(StorageFailure) -> CurlResponse {
        var headers = headers
        if let authorization { headers.append((name: "Authorization", value: authorization)) }
        headers.append((name: "User-Agent", value: "bindery-gcp-bucket/1.0"))
        var url = baseURL + path
        if !query.isEmpty {
            url += "?" + query.map { "\(URLEscaping.query($0.0))=\(URLEscaping.query($0.1))" }.joined(separator: "&")
        }
        let request = CurlRequest(
            method: method, url: url, headers: headers, body: body, decodesGzip: true, timeoutMilliseconds: timeout)
        switch await curl.perform(request) {
        case .failure(let error):
            throw .transport(method: method, url: url, error)
        case .success(let response) where (200..<300).contains(response.statusCode):
            return response
        case .success(let response):
            throw .status(GoogleAPIError(response))
        }
    }

    /// `/storage/v1/b/BUCKET/o/OBJECT` with both names escaped as one path segment each.
    static func objectPath(_ bucket: String, _ object: String) -> String {
        "/storage/v1/b/\(URLEscaping.segment(bucket))/o/\(URLEscaping.segment(object))"
    }
}

/// Why a JSON API call failed.
enum StorageFailure: Error {
    /// The token could not be had (GoogleAuth's error, which names the component).
    case auth(DriverError)
    /// No HTTP answer: connection refused, timeout, TLS.
    case transport(method: String, url: String, CurlError)
    /// A non-2xx answer.
    case status(GoogleAPIError)

    var isNotFound: Bool { status == 404 }

    /// The HTTP status of a non-2xx answer; nil when there was none.
    var status: Int? {
        if case .status(let error) = self { return error.code }
        return nil
    }

    /// The text Go's client gives for this failure (`googleapi: Error 404: …`, or
    /// `Post "URL": …` for a transport error).
    var goText: String {
        switch self {
        case .auth(let error): error.message
        case .transport(let method, let url, let error):
            "\(method.prefix(1))\(method.dropFirst().lowercased()) \"\(URLText.redacted(url))\": \(error.message)"
        case .status(let error): error.description
        }
    }

    /// This failure as the request's error, `prefix` (Dapr's words for the step) before Go's text.
    func driverError(_ prefix: String) -> DriverError {
        switch self {
        case .auth(let error): DriverError(error.code, "\(prefix): \(error.message)", retryable: error.isRetryable)
        case .transport(_, _, let error):
            DriverError(
                error.kind == .timeout ? .timeout : .unavailable, "\(prefix): \(goText)",
                retryable: error.kind != .cancelled)
        case .status(let error):
            DriverError(error.driverCode, "\(prefix): \(goText)", retryable: error.code == 429 || error.code >= 500)
        }
    }
}

/// A JSON API error answer, read as google-api-go-client's `googleapi.Error`.
struct GoogleAPIError: Error, CustomStringConvertible {
    var code: Int
    var message = ""
    var reasons: [(reason: String, message: String)] = []
    var body: String

    init(_ response: CurlResponse) { self.init(status: response.statusCode, body: response.body) }

    init(status: Int, body bytes: [UInt8]) {
        code = status
        body = String(decoding: bytes, as: UTF8.self)
        guard let error = (try? JSONValue.parse(bytes: bytes))?["error"] else { return }
        message = error["message"]?.string ?? ""
        for item in error["errors"]?.array ?? [] {
            reasons.append((item["reason"]?.string ?? "", item["message"]?.string ?? ""))
        }
    }

    /// `googleapi.Error.Error()`: the message and its one reason, or every reason, or the body
    /// when the answer had no JSON error.
    var description: String {
        if reasons.isEmpty && message.isEmpty {
            return "googleapi: got HTTP response code \(code) with body: \(body)"
        }
        var text = "googleapi: Error \(code): \(message)"
        if reasons.isEmpty { return text.trimmingSpaces() }
        if reasons.count == 1, reasons[0].message == message { return text + ", \(reasons[0].reason)" }
        text += "\nMore details:\n"
        for item in reasons { text += "Reason: \(item.reason), Message: \(item.message)\n" }
        return text
    }

    var driverCode: DriverError.Code {
        switch code {
        case 400, 409, 411, 412, 413, 416: .invalidArgument
        case 401, 403: .invalidArgument
        case 404: .notFound
        case 408: .timeout
        default: .unavailable
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " || text.last == "\n" { text.removeLast() }
        return String(text)
    }
}
