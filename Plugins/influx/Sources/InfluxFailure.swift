import CurlTransport
import DriverJSON
import DriverKit

/// An InfluxDB answer other than 2xx, as influxdb-client-go's `Error` reads it: the JSON body's
/// `code: message` (`unauthorized: unauthorized access`), else the status line and the body
/// text, else `Unexpected status code N`.
enum InfluxFailure {
    static func reason(_ response: CurlResponse) -> String {
        let mediaType = response.head.value("Content-Type")?.split(separator: ";").first
            .map { $0.filter { $0 != " " }.lowercased() }
        var code = ""
        var message = ""
        if mediaType == "application/json", let body = try? JSONValue.parse(bytes: response.body) {
            code = body["code"]?.string ?? ""
            message = body["message"]?.string ?? ""
        } else if !response.body.isEmpty {
            code = response.head.status
            message = String(decoding: response.body.prefix(1024), as: UTF8.self)
        }
        if code.isEmpty, message.isEmpty {
            switch response.statusCode {
            case 429: (code, message) = ("too many requests", "exceeded rate limit")
            case 503: (code, message) = ("unavailable", "service temporarily unavailable")
            default: (code, message) = (response.head.status, response.head.value("X-Influxdb-Error") ?? "")
            }
        }
        if !code.isEmpty, !message.isEmpty { return "\(code): \(message)" }
        return "Unexpected status code \(response.statusCode)"
    }

    /// The DriverError for `response`, its text after `prefix`.
    static func error(_ response: CurlResponse, prefix: String) -> DriverError {
        let retryable = response.statusCode == 429 || response.statusCode >= 500
        let kind: DriverError.Code =
            response.statusCode == 404 ? .notFound : retryable ? .unavailable : .invalidArgument
        return DriverError(kind, prefix + reason(response), retryable: retryable)
    }
}
