import CurlTransport
import DaprMetadata
import DriverJSON
import DriverKit
import ServiceEndpoint

/// `bindings.influx`: writes points (`create`) and runs Flux queries (`query`) over InfluxDB 2's
/// HTTP API, as Dapr's binding does through influxdb-client-go.
///
/// Requests run on one curl thread per instance (`CurlClient`). The token goes only into the
/// Authorization header: no log line and no error carries it.
final class InfluxDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.influx", version: "1.0.0",
        summary: "Writes line protocol (create) and runs Flux queries (query) on InfluxDB 2's v2 HTTP API.",
        directions: [.output], operations: ["create", "query"], fields: InfluxDriver.fields)

    /// influxdb-client-go's default HTTP request timeout (20 s), for requests without a deadline.
    static let requestTimeout = GoDuration(nanoseconds: 20_000_000_000)
    /// Most bytes of a query result kept; a larger result is an error, not a cut CSV.
    static let largestResult: Int64 = 64 << 20
    /// Dapr's words.
    static let cannotWrite = "influx error: Cannot write point"
    static let rawKey = "raw"

    let settings: InfluxSettings
    private let component: String
    private let host: DriverHost?
    private let client = CurlClient()

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration, log: host)
    }

    /// Checks the configuration; no I/O.
    init(configuration: DriverConfiguration, log host: DriverHost?) throws {
        settings = try InfluxSettings(configuration)
        component = configuration.componentName
        self.host = host
    }

    /// Starts the curl thread. Nothing is sent: as in Dapr, the first request is the first contact.
    func start() async throws {
        do { try client.start() } catch { throw DriverError(.unavailable, "\(component): \(error.message)") }
        host?.log(.debug, "bindings.influx ready for org \(settings.org), bucket \(settings.bucket) at \(settings.url)")
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        switch request.operation {
        case "create": try await write(request)
        case "query": try await query(request)
        default:
            throw DriverError(.unsupported, "invalid operation type. Expected query or create")
        }
    }

    /// `create`: one point, written to the bucket with nanosecond precision; no response (204).
    private func write(_ request: InvokeRequest) async throws -> InvokeResponse? {
        let line = try LinePoint.line(request.data, defaultMeasurement: settings.measurement)
        let exchange = CurlRequest(
            method: "POST", url: settings.writeURL,
            headers: [
                ("Authorization", settings.authorization), ("Content-Type", "text/plain; charset=utf-8"),
                ("Accept", "application/json"),
            ],
            body: Array((line + "\n").utf8), limit: 1 << 20,
            timeoutMilliseconds: try timeout(request.deadline), tls: TLSMaterial())
        switch await client.perform(exchange) {
        case .failure(let error):
            throw ServiceEndpoint.failure(error, prefix: InfluxDriver.cannotWrite + ": ")
        case .success(let response) where (200..<300).contains(response.statusCode):
            return nil
        case .success(let response):
            throw InfluxFailure.error(response, prefix: InfluxDriver.cannotWrite + ": ")
        }
    }

    /// `query`: request metadata `raw` is Flux; the answer is InfluxDB's annotated CSV as it
    /// came (gzip undone), with metadata `operation` and `raw`, as Dapr answers.
    private func query(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard let flux = request.metadata[InfluxDriver.rawKey], !flux.isEmpty else {
            throw DriverError(.invalidArgument, "required metadata not set: \(InfluxDriver.rawKey)")
        }
        var body = GoJSONWriter()
        body.raw(
            "{\"dialect\":{\"annotations\":[\"datatype\",\"group\",\"default\"],\"delimiter\":\",\",\"header\":true},")
        body.raw("\"query\":")
        body.string(flux)
        body.raw(",\"type\":\"flux\"}")
        let exchange = CurlRequest(
            method: "POST", url: settings.queryURL,
            headers: [
                ("Authorization", settings.authorization), ("Content-Type", "application/json"),
                ("Accept", "application/csv"),
            ],
            body: body.bytes, decodesGzip: true, limit: InfluxDriver.largestResult + 1,
            timeoutMilliseconds: try timeout(request.deadline), tls: TLSMaterial())
        let prefix = "do query influx err: "
        switch await client.perform(exchange) {
        case .failure(let error):
            throw ServiceEndpoint.failure(error, prefix: prefix)
        case .success(let response) where (200..<300).contains(response.statusCode):
            guard !response.truncated, response.body.count <= InfluxDriver.largestResult else {
                throw DriverError(
                    .invalidArgument,
                    "\(prefix)the result is larger than \(InfluxDriver.largestResult >> 20) MiB: narrow the query")
            }
            return InvokeResponse(data: response.body, metadata: ["operation": "query", InfluxDriver.rawKey: flux])
        case .success(let response):
            throw InfluxFailure.error(response, prefix: prefix)
        }
    }

    /// Cancels requests in flight and ends the curl thread before returning.
    func stop() async {
        await client.stop()
    }

    /// The sooner of the client's 20 s and the host's deadline, in milliseconds.
    private func timeout(_ deadline: UInt64?) throws(DriverError) -> Int64? {
        try ServiceEndpoint.timeout(limit: InfluxDriver.requestTimeout, deadline: deadline, component: component)
    }
}

/// The driver this library exports (Plugins/influx/Entry).
public let exportedDriver: any BindingDriver.Type = InfluxDriver.self
