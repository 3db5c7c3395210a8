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

    package func probe(_ route: String) -> AppAnswer {
        send("OPTIONS", route, timeout: probeTimeout)
    }

    package func deliver(_ event: InputEvent, route: String, warn: (String) -> Void) -> AppAnswer {
        send("POST", route, headers: EventHeaders.headers(for: event.metadata, warn: warn), body: event.data)
    }

    func send(
        _ method: String, _ path: String, headers extra: [(String, String)] = [], body: [UInt8] = [],
        timeout: Duration? = nil
    ) -> AppAnswer {
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
