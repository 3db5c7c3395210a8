import AWSSigning
import CurlTransport
import DriverKit

#if canImport(Glibc)
    import Glibc
#endif

/// Calls one AWS service for one driver instance: signs each request with SigV4, performs it on
/// the instance's own libcurl thread, retries what AWS's SDKs retry, and turns error answers into
/// `AWSError`s. The wire formats are in the `json`, `query` and `rest` extensions.
public final class AWSClient: Sendable {
    public let configuration: AWSConfiguration
    public let service: AWSService
    /// The component's name, for errors.
    public let component: String
    public let retry: AWSRetryPolicy
    let tls: TLSMaterial
    let base: BaseURL
    let signer: SigV4Signer
    private let curl = CurlClient()

    public init(
        configuration: AWSConfiguration, service: AWSService, component: String, insecureTLS: Bool = false,
        retry: AWSRetryPolicy = .standard
    ) {
        self.configuration = configuration
        self.service = service
        self.component = component
        self.retry = retry
        tls = TLSMaterial(verifiesPeer: !insecureTLS)
        base = BaseURL(configuration.endpoint)
        signer = SigV4Signer(
            credentials: configuration.credentials, region: configuration.region, service: service.signingName)
    }

    /// `scheme://host[:port]` of the endpoint (without its path prefix).
    public var baseURL: String { "\(base.scheme)://\(base.authority)" }

    /// Starts the client's libcurl thread.
    public func start() throws(DriverError) {
        do {
            try curl.start()
        } catch {
            throw DriverError(.internalError, "\(component): cannot start the HTTP client: \(error.message)")
        }
    }

    /// Cancels what is in flight and stops the thread.
    public func stop() async { await curl.stop() }

    /// Sends `request` for `action` (the API's name for it, for errors): signed, retried per
    /// `policy` (the client's `retry` when nil), a 2xx answer returned and any other thrown as
    /// the service's error.
    ///
    /// `idempotent: false` (SQS SendMessage, SNS Publish, Kinesis PutRecord) retries only what
    /// cannot have been applied (a refused connection, a throttling answer), so that a retry never
    /// sends a message twice. The request's `timeoutMilliseconds` bounds all attempts together:
    /// each gets what is left, and no retry starts past it.
    public func send(
        _ request: AWSRequest, action: String, retry policy: AWSRetryPolicy? = nil, idempotent: Bool = true
    ) async throws(AWSError) -> AWSResponse {
        let retry = policy ?? self.retry
        let end = request.timeoutMilliseconds.map { ContinuousClock.now + .milliseconds($0) }
        var attempt = 1
        var current = request
        while true {
            if let end { current.timeoutMilliseconds = max(1, Self.milliseconds(until: end)) }
            var error: AWSError
            switch await perform(current) {
            case .success(let response) where (200..<300).contains(response.statusCode):
                return AWSResponse(
                    statusCode: response.statusCode,
                    headers: response.head.headers.flatMap { header in header.values.map { (header.name, $0) } },
                    body: response.body)
            case .success(let response):
                error = AWSError.parse(response)
            case .failure(let failure):
                error = AWSError(transport: failure)
            }
            error.operation = "operation error \(service.serviceID): \(action)"
            error.attempts = attempt
            let delay = retry.delayMilliseconds(after: attempt)
            guard error.isRetryable, idempotent || error.wasNotApplied, attempt < retry.maxAttempts,
                end.map({ Self.milliseconds(until: $0) > delay + Self.shortestAttemptMilliseconds }) ?? true
            else { throw error }
            attempt += 1
            do {
                try await Task.sleep(for: .milliseconds(delay))
            } catch {
                var cancelled = AWSError(transport: CurlError(.cancelled, "request cancelled"))
                cancelled.operation = "operation error \(service.serviceID): \(action)"
                throw cancelled
            }
        }
    }

    /// Less time than this left after the backoff, and no retry starts: it could only time out,
    /// and the caller would get a timeout instead of the service's answer.
    static let shortestAttemptMilliseconds = 100

    /// Whole milliseconds from now until `end` (negative once past).
    private static func milliseconds(until end: ContinuousClock.Instant) -> Int64 {
        let left = ContinuousClock.now.duration(to: end).components
        return left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000
    }

    /// One signed attempt.
    private func perform(_ request: AWSRequest) async -> Result<CurlResponse, CurlError> {
        let target = request.baseURL.map(BaseURL.init) ?? base
        let path = target.pathPrefix + request.path
        var headers = [(name: "Host", value: target.authority)] + request.headers
        let payloadHash = SigningRequest.hash(request.body)
        if request.sendsContentHash { headers.append((name: "X-Amz-Content-Sha256", value: payloadHash)) }
        let signing = SigningRequest(
            method: request.method, path: path, query: request.query, headers: headers, payloadHash: payloadHash)
        headers += signer.sign(signing, at: AmzDate(secondsSince1970: Int64(time(nil))))
        let curlRequest = CurlRequest(
            method: request.method,
            url: "\(target.scheme)://\(target.authority)\(path)\(Self.queryString(request.query))",
            headers: headers, body: request.method == "GET" || request.method == "HEAD" ? nil : request.body,
            timeoutMilliseconds: request.timeoutMilliseconds, tls: tls)
        return await curl.perform(curlRequest)
    }

    /// `?a=1&b=` with names and values URI-encoded as SigV4 encodes them, or empty.
    static func queryString(_ query: [SigningRequest.QueryItem]) -> String {
        guard !query.isEmpty else { return "" }
        return "?"
            + query.map { "\(URIEncoding.encode($0.name))=\(URIEncoding.encode($0.value ?? ""))" }
            .joined(separator: "&")
    }

    /// A presigned URL for `method` on `path` (URI-encoded) with `query`, valid `expires` seconds
    /// from now: anyone holding it can make that one request, with plain curl.
    public func presignedURL(
        method: String, path: String, query: [SigningRequest.QueryItem] = [], expires: Int, baseURL: String? = nil
    ) -> String {
        let target = baseURL.map(BaseURL.init) ?? base
        let request = SigningRequest(
            method: method, path: target.pathPrefix + path, query: query,
            headers: [(name: "Host", value: target.authority)], payloadHash: SigningRequest.unsignedPayload)
        return signer.presignedURL(
            request, scheme: target.scheme, host: target.authority, at: AmzDate(secondsSince1970: Int64(time(nil))),
            expires: expires)
    }
}
