import CurlTransport
import DriverKit

extension HTTPDriver {
    /// Dapr's answer for one exchange: the body with statusCode, status and every header as
    /// metadata, or an error (a non-2xx status is one when `errorIfNot2XX`).
    static func response(_ result: Result<CurlResponse, CurlError>, errorIfNot2XX: Bool) throws(DriverError)
        -> InvokeResponse
    {
        let response: CurlResponse
        switch result {
        case .success(let value): response = value
        case .failure(let error): throw driverError(error)
        }
        var metadata = response.head.metadata(decodedGzip: response.decodedGzip)
        metadata["statusCode"] = String(response.statusCode)
        if errorIfNot2XX, response.statusCode / 100 != 2 {
            throw DriverError(.unavailable, "received status code \(response.statusCode)", metadata: metadata)
        }
        return InvokeResponse(data: response.body, metadata: metadata)
    }

    /// A transport failure as Dapr reports it: timeouts and unreachable servers may be retried.
    private static func driverError(_ error: CurlError) -> DriverError {
        switch error.kind {
        case .timeout: DriverError(.timeout, error.message, retryable: true)
        case .unreachable: DriverError(.unavailable, error.message, retryable: true)
        case .failed: DriverError(.unavailable, error.message)
        case .cancelled: DriverError(.cancelled, "bindings.http: request cancelled: the component is stopping")
        case .notStarted: DriverError(.unavailable, "bindings.http: invoke before start")
        case .internalError: DriverError(.internalError, error.message)
        }
    }
}
