import AWSSigning
import DriverJSON

/// The AWS JSON protocol's two versions (1.0 and 1.1), which differ in the content type only.
public enum AWSJSONVersion: String, Sendable {
    case v10 = "application/x-amz-json-1.0"
    case v11 = "application/x-amz-json-1.1"
}

extension AWSClient {
    /// Calls `target` (`AmazonSQS.SendMessage`, `DynamoDB_20120810.PutItem`) with `body` in the
    /// AWS JSON protocol: POST / with X-Amz-Target; returns the answer's JSON (`{}` when empty).
    public func json(
        _ target: String, _ body: JSONValue, version: AWSJSONVersion, timeoutMilliseconds: Int64? = nil,
        retry: Bool = true, idempotent: Bool = true
    ) async throws(AWSError) -> JSONValue {
        let request = AWSRequest(
            method: "POST",
            headers: [(name: "Content-Type", value: version.rawValue), (name: "X-Amz-Target", value: target)],
            body: body.compactBytes, timeoutMilliseconds: timeoutMilliseconds)
        let action = target.split(separator: ".").last.map(String.init) ?? target
        let response = try await send(
            request, action: action, retry: retry ? nil : AWSRetryPolicy.none, idempotent: idempotent)
        guard !response.body.isEmpty else { return .object([]) }
        do {
            return try JSONValue.parse(bytes: response.body)
        } catch {
            throw malformed(action, "the answer is not JSON (\(error.message))", response)
        }
    }

    /// Calls `action` in the AWS Query protocol (form-encoded POST, `Action` and `Version` first)
    /// and returns the XML answer's root element.
    public func query(
        _ action: String, version: String, _ parameters: [(String, String)], timeoutMilliseconds: Int64? = nil,
        idempotent: Bool = true
    ) async throws(AWSError) -> XMLElement {
        let form = ([("Action", action), ("Version", version)] + parameters)
            .map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }
            .joined(separator: "&")
        let request = AWSRequest(
            method: "POST",
            headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(form.utf8), timeoutMilliseconds: timeoutMilliseconds)
        let response = try await send(request, action: action, idempotent: idempotent)
        do {
            return try XMLElement.parse(response.body)
        } catch {
            throw malformed(action, "the answer is not XML (\(error.description))", response)
        }
    }

    /// Sends a REST request (S3's REST-XML): signed, retried, the 2xx answer returned as is.
    public func rest(_ request: AWSRequest, action: String) async throws(AWSError) -> AWSResponse {
        try await send(request, action: action)
    }

    private func malformed(_ action: String, _ reason: String, _ response: AWSResponse) -> AWSError {
        var error = AWSError(
            code: "SerializationError", message: reason, statusCode: response.statusCode,
            requestID: response.header("X-Amzn-Requestid") ?? response.header("X-Amz-Request-Id"))
        error.operation = "operation error \(service.serviceID): \(action)"
        return error
    }
}
