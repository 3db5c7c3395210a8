import BinderyCore
import BinderyHTTP

/// Routes the Dapr HTTP API: output bindings, metadata and health.
package final class APIRouter: Sendable {
    package let service: any BindingService
    /// `DAPR_API_TOKEN`: when set, every route but the health checks needs `dapr-api-token`.
    package let apiToken: String?
    /// What `PUT /v1.0/metadata/{key}` may store in all (keys and values): the body limit, so
    /// that an app cannot grow the sidecar without bound one key at a time.
    package let maxExtendedMetadataBytes: Int

    package init(service: any BindingService, apiToken: String?, maxExtendedMetadataBytes: Int = 4 << 20) {
        self.service = service
        self.apiToken = apiToken
        self.maxExtendedMetadataBytes = maxExtendedMetadataBytes
    }

    package func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let path =
            request.path.count > 1 && request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        if path == "/v1.0/healthz" || path == "/v1.0/healthz/outbound" {
            guard request.method == "GET" || request.method == "HEAD" else {
                return responder.send(Self.plain(405, "method not allowed"))
            }
            return responder.send(health(outboundOnly: path.hasSuffix("outbound"), query: request.query))
        }
        if let apiToken, request.headers["dapr-api-token"] != apiToken {
            return responder.send(Self.plain(401, "invalid api token"))
        }
        if path.hasPrefix("/v1.0/bindings/") {
            guard request.method == "POST" || request.method == "PUT" else {
                return responder.send(Self.plain(405, "method not allowed"))
            }
            guard let name = HTTPPath.percentDecoded(path.dropFirst("/v1.0/bindings/".count)) else {
                return responder.send(Self.plain(400, "bad percent-encoding in path"))
            }
            return invokeBinding(name, request.body, responder)
        }
        if path == "/v1.0/metadata", request.method == "GET" {
            let body = MetadataResponse(service.metadata()).json
            return responder.send(Self.json(200, body))
        }
        if path.hasPrefix("/v1.0/metadata/"), request.method == "PUT" {
            let key = HTTPPath.percentDecoded(path.dropFirst("/v1.0/metadata/".count)) ?? ""
            let limit = maxExtendedMetadataBytes
            guard service.setExtendedMetadata(key, String(decoding: request.body, as: UTF8.self), limit: limit) else {
                return responder.send(
                    APIError(
                        status: 413, code: "ERR_METADATA_TOO_LARGE",
                        message: "extended metadata would exceed \(limit) bytes (keys and values; --max-body-size)"
                    ).response())
            }
            return responder.send(HTTPResponse(status: 204, headers: HTTPHeaders(), body: []))
        }
        responder.send(Self.plain(404, "404 page not found"))
    }

    /// `POST /v1.0/bindings/{name}`: decode, dispatch to the generation serving `name`, answer
    /// as daprd does (dapr-bindings-spec.md 1.4–1.6).
    private func invokeBinding(_ name: String, _ body: [UInt8], _ responder: HTTPResponder) {
        let request: BindingRequest
        do { request = try BindingRequest.decode(body) } catch {
            return responder.send(APIError.malformedRequest(error.description).response())
        }
        guard !request.operation.isEmpty else {
            return responder.send(
                APIError.invokeOutputBinding(name, "operation field is missing from request").response())
        }
        let output = OutputRequest(operation: request.operation, data: request.data, metadata: request.metadata)
        service.invoke(binding: name, output) { result in
            switch result {
            case .notFound:
                responder.send(APIError.invokeOutputBinding(name, "couldn't find output binding \(name)").response())
            case .shuttingDown:
                responder.send(APIError.shuttingDown(name).response())
            case .unsupportedOperation(let operations):
                let list = operations.joined(separator: " ")
                responder.send(
                    APIError.invokeOutputBinding(
                        name,
                        "binding \(name) does not support operation \(request.operation). supported operations:\(list)"
                    ).response())
            case .completed(let outcome):
                responder.send(Self.response(for: outcome, binding: name))
            }
        }
    }

    package static func response(for outcome: InvokeOutcome, binding: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        for (key, value) in outcome.response?.metadata ?? [] { headers.add("metadata.\(key)", value) }
        guard outcome.status.isOK else {
            let detail = outcome.message.isEmpty ? outcome.status.name : outcome.message
            return APIError.invokeOutputBinding(binding, detail).response(extraHeaders: headers)
        }
        guard let response = outcome.response else { return HTTPResponse(status: 204, headers: headers, body: []) }
        headers.add("Content-Type", "application/json")
        return HTTPResponse(status: 200, headers: headers, body: response.data)
    }

    private func health(outboundOnly: Bool, query: String) -> HTTPResponse {
        let health = service.health()
        let outbound = health.outboundReady
        // daprd's health turns unhealthy once shutdown begins; its message names what is not
        // ready, bindery's says why.
        if health.shuttingDown {
            return outboundOnly
                ? APIError(
                    status: 500, code: "ERR_OUTBOUND_HEALTH_NOT_READY",
                    message: "dapr outbound is not ready: the sidecar is shutting down"
                ).response()
                : APIError(
                    status: 500, code: "ERR_HEALTH_NOT_READY",
                    message: "dapr is not ready: the sidecar is shutting down"
                ).response()
        }
        if outboundOnly {
            return outbound
                ? HTTPResponse(status: 204, headers: HTTPHeaders(), body: [])
                : APIError(status: 500, code: "ERR_OUTBOUND_HEALTH_NOT_READY", message: "dapr outbound is not ready")
                    .response()
        }
        if let appID = query.split(separator: "&").first(where: { $0.hasPrefix("appid=") })?.dropFirst(6),
            appID != health.appID
        {
            return APIError(status: 500, code: "ERR_HEALTH_APPID_NOT_MATCH", message: "dapr app-id does not match")
                .response()
        }
        var waiting: [String] = []
        if !outbound { waiting.append("outbound") }
        if !health.appReady { waiting.append("app") }
        guard waiting.isEmpty else {
            return APIError(
                status: 500, code: "ERR_HEALTH_NOT_READY",
                message: "dapr is not ready: [\(waiting.joined(separator: " "))]"
            ).response()
        }
        return HTTPResponse(status: 204, headers: HTTPHeaders(), body: [])
    }

    package static func plain(_ status: Int, _ text: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/plain; charset=utf-8")
        return HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }

    package static func json(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: body)
    }
}
