import BinderyCore
import BinderyHTTP

/// The app over HTTP/1.1: `OPTIONS` probes and event `POST`s, with `Content-Type:
/// application/json` and `dapr-api-token` (from `APP_API_TOKEN`) as daprd sends them.
///
/// Probes and events share one keep-alive pool, as daprd's one HTTP client does: an app that
/// serves one connection at a time (Python's `http.server.HTTPServer`) keeps the probe's
/// connection open and reads the next request only from it. Deliveries have no timeout (as in
/// daprd); probes have `--app-binding-options-timeout`.
package struct HTTPAppChannel: AppChannel {
    package let address: String
    package let port: Int
    package let appToken: String?
    package let probeTimeout: Duration
    let client: HTTPClient

    package init(address: String, port: Int, appToken: String?, probeTimeout: Duration) {
        self.address = address
        self.port = port
        self.appToken = appToken
        self.probeTimeout = probeTimeout
        client = HTTPClient()
    }

    package func describe(binding: String, route: String) -> String { "POST \(route)" }

    /// 2xx or 405 means subscribed (Dapr's rule); 404 and other 4xx mean not subscribed; a
    /// 5xx or no answer (an app still starting) is asked again.
    package func probe(binding: String, route: String) -> ProbeAnswer {
        switch send("OPTIONS", route, timeout: probeTimeout) {
        case .answered(let status, _) where (200..<300).contains(status) || status == 405:
            return .subscribed
        case .answered(let status, _) where status < 500:
            return .notSubscribed(reason: "OPTIONS \(route) answered \(status)")
        case .answered(let status, _):
            return .unavailable(reason: "OPTIONS \(route) answered \(status)")
        case .failed(let reason):
            return .unavailable(reason: "could not invoke OPTIONS \(route): \(reason)")
        }
    }

    /// A 2xx takes the event; any other status refuses it with daprd's text.
    package func deliver(_ event: InputEvent, binding: String, route: String, warn: (String) -> Void) -> AppAnswer {
        let headers = EventHeaders.headers(for: event.metadata, warn: warn)
        switch send("POST", route, headers: headers, body: event.data) {
        case .answered(let status, let body) where (200..<300).contains(status):
            return .accepted(response: body)
        case .answered(let status, let body):
            let text = String(decoding: body, as: UTF8.self)
            return .refused(
                response: body,
                error: "fails to send binding event to http app channel, status code: \(status) body: \(text)")
        case .failed(let reason):
            return .failed(reason)
        }
    }

    private enum Outcome {
        case answered(status: Int, body: [UInt8])
        case failed(String)
    }

    private func send(
        _ method: String, _ path: String, headers extra: [(String, String)] = [], body: [UInt8] = [],
        timeout: Duration? = nil
    ) -> Outcome {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        if let appToken { headers.add("dapr-api-token", appToken) }
        for (name, value) in extra { headers.add(name, value) }
        do {
            let response = try client.send(
                method, host: address, port: port, path: path, headers: headers, body: body, timeout: timeout)
            return .answered(status: response.status, body: response.body)
        } catch {
            return .failed(error.description)
        }
    }
}
