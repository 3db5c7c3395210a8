import CurlTransport
import DriverKit
import Glibc
import PluginABI
import Synchronization

/// `bindings.http`: calls an HTTP(S) endpoint for each output request, as Dapr's HTTP binding.
///
/// Requests run on one curl thread per instance (`CurlClient`); `invoke` only builds the
/// request, queues it and suspends until curl's thread completes it.
final class HTTPDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.http", version: "1.0.0",
        summary: "Calls an HTTP(S) endpoint: each operation is an HTTP method on url + path.",
        directions: [.output],
        operations: ["create", "get", "head", "post", "put", "patch", "delete", "options", "trace"],
        fields: HTTPDriver.fields)

    private let settings: HTTPSettings
    private let host: DriverHost?
    private let client = CurlClient()
    private let tls = Mutex(TLSMaterial())

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration, log: host)
    }

    /// Checks the configuration; no I/O. `log` is nil in tests (DriverHost has no public init).
    init(configuration: DriverConfiguration, log host: DriverHost?) throws {
        settings = try HTTPSettings(configuration)
        self.host = host
    }

    /// Reads the TLS files and starts the curl thread.
    func start() async throws {
        let material = try TLSMaterial(settings)
        tls.withLock { $0 = material }
        do { try client.start() } catch { throw DriverError(.unavailable, "bindings.http: \(error.message)") }
        if settings.hasHalfClientPair {
            host?.log(.warn, "MTLSClientCert and MTLSClientKey must both be set: no client certificate is sent")
        }
        host?.log(.debug, "bindings.http ready for \(URLText.redacted(settings.url)) with \(CurlRuntime.version)")
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        let outgoing = try OutgoingRequest(request, settings: settings)
        let exchange = CurlRequest(
            method: outgoing.method, url: outgoing.url, headers: outgoing.headers, body: outgoing.body,
            decodesGzip: outgoing.decodesGzip, limit: settings.maxResponseBodySize,
            timeoutMilliseconds: try timeoutMilliseconds(request.deadline), tls: tls.withLock { $0 })
        return try HTTPDriver.response(await client.perform(exchange), errorIfNot2XX: outgoing.errorIfNot2XX)
    }

    /// Cancels requests in flight (`.cancelled`) and ends the curl thread before returning.
    func stop() async {
        await client.stop()
    }

    /// The sooner of responseTimeout and the host's deadline, in milliseconds; nil for none.
    private func timeoutMilliseconds(_ deadline: UInt64?) throws -> Int64? {
        var timeout = settings.responseTimeout?.milliseconds
        if let deadline {
            let now = HTTPDriver.monotonicNanoseconds()
            guard deadline > now else {
                throw DriverError(.timeout, "the request's deadline passed before it was sent")
            }
            let left = Int64(clamping: (deadline - now + 999_999) / 1_000_000)
            timeout = min(timeout ?? left, left)
        }
        return timeout
    }

    /// CLOCK_MONOTONIC in nanoseconds: the clock of `InvokeRequest.deadline`.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// The driver this library exports (Plugins/http/Entry).
public let exportedDriver: any BindingDriver.Type = HTTPDriver.self
