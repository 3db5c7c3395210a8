/// Requests to the app: `OPTIONS` probes and event `POST`s, over keep-alive connections, with
/// `Content-Type: application/json` and `dapr-api-token` (from `APP_API_TOKEN`) as daprd sends
/// them. Deliveries have no timeout (as in daprd); probes have `--app-binding-options-timeout`.
struct AppChannel: Sendable {
    let address: String
    let port: Int
    let appToken: String?
    let deliveries: HTTPClient
    let probes: HTTPClient

    init(address: String, port: Int, appToken: String?, probeTimeout: Duration) {
        self.address = address
        self.port = port
        self.appToken = appToken
        deliveries = HTTPClient()
        var probing = HTTPClientConfiguration()
        probing.requestTimeout = probeTimeout
        probing.connectTimeout = probeTimeout
        probes = HTTPClient(probing)
    }

    enum Outcome: Sendable {
        case answered(status: Int, body: [UInt8])
        case failed(String)
    }

    func send(_ method: String, _ path: String, headers extra: [(String, String)] = [], body: [UInt8] = []) -> Outcome {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        if let appToken { headers.add("dapr-api-token", appToken) }
        for (name, value) in extra { headers.add(name, value) }
        let client = method == "OPTIONS" ? probes : deliveries
        do {
            let response = try client.send(method, host: address, port: port, path: path, headers: headers, body: body)
            return .answered(status: response.status, body: response.body)
        } catch {
            return .failed(error.description)
        }
    }
}
