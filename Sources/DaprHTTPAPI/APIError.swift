import BinderyCore
import BinderyHTTP

/// Dapr's error responses: `{"errorCode":…,"message":…}` with the status Dapr uses.
package struct APIError: Sendable {
    package let status: Int
    package let code: String
    package let message: String

    static func malformedRequest(_ detail: String) -> APIError {
        APIError(status: 400, code: "ERR_MALFORMED_REQUEST", message: "failed deserializing HTTP body: \(detail)")
    }

    static func invokeOutputBinding(_ name: String, _ detail: String) -> APIError {
        APIError(
            status: 500, code: "ERR_INVOKE_OUTPUT_BINDING", message: "error invoking output binding \(name): \(detail)")
    }

    /// A binding request that arrives after its component stopped during shutdown: 503, so a
    /// client retries elsewhere or later (daprd refuses the connection instead).
    static func shuttingDown(_ name: String) -> APIError {
        APIError(
            status: 503, code: "ERR_INVOKE_OUTPUT_BINDING",
            message: "error invoking output binding \(name): the sidecar is shutting down")
    }

    /// The body as Go's `json.Marshal` writes it (so `<`, `>`, `&` are escaped as Dapr does).
    package var body: [UInt8] {
        var out = Array("{\"errorCode\":".utf8)
        GoJSON.appendString(code, to: &out)
        out += Array(",\"message\":".utf8)
        GoJSON.appendString(message, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    package func response(extraHeaders: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = extraHeaders
        headers.add("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: body)
    }
}
