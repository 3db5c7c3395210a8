import CurlTransport
import DriverJSON
import DriverKit

/// Why an AWS call failed: the service's error (code, message, status, request ID) or the
/// transport's. `description` reads as the AWS SDK for Go words it, which is what Dapr users see.
public struct AWSError: Error, Sendable, CustomStringConvertible {
    /// The service's error code (`NoSuchBucket`, `SignatureDoesNotMatch`, `QueueDoesNotExist`);
    /// empty for a transport failure.
    public var code: String
    public var message: String
    /// The HTTP status; 0 when no answer came.
    public var statusCode: Int
    public var requestID: String?
    /// The transport failure, when no answer came.
    public var transport: CurlError?
    /// `operation error SQS: SendMessage`, set by the client.
    public var operation: String = ""
    /// How many attempts were made (more than one when retried).
    public var attempts = 1

    public init(code: String, message: String, statusCode: Int, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.statusCode = statusCode
        self.requestID = requestID
    }

    init(transport: CurlError) {
        self.init(code: "", message: transport.message, statusCode: 0)
        self.transport = transport
    }

    public var description: String {
        var parts: [String] = []
        if !operation.isEmpty { parts.append(operation) }
        if attempts > 1 { parts.append("exceeded maximum number of attempts, \(attempts)") }
        if let transport {
            parts.append("request send failed, \(transport.message)")
        } else {
            parts.append("https response error StatusCode: \(statusCode), RequestID: \(requestID ?? "")")
            parts.append("api error \(code.isEmpty ? "UnknownError" : code): \(message)")
        }
        return parts.joined(separator: ", ")
    }

    /// True for what AWS's SDKs retry: throttling, 5xx, transient codes and failed connections
    /// (not certificate failures, which the next attempt would meet again).
    public var isRetryable: Bool {
        if let transport {
            return transport.kind == .unreachable || (transport.kind == .failed && !transport.isTLSFailure)
        }
        return statusCode >= 500 || statusCode == 429 || Self.retryableCodes.contains(code)
    }

    /// True when the request cannot have been applied: the connection was refused, or the
    /// service answered that it throttled it. Only these are retried for writes that must not
    /// happen twice.
    public var wasNotApplied: Bool {
        if let transport { return transport.kind == .unreachable }
        return statusCode == 429 || Self.throttlingCodes.contains(code)
    }

    /// True when the resource (bucket, key, queue, table, stream) does not exist.
    public var isNotFound: Bool {
        statusCode == 404 || code.hasPrefix("NoSuch") || code.hasSuffix("NotFoundException")
            || code == "ResourceNotFoundException" || code == "QueueDoesNotExist" || code == "NotFound"
            || code == "AWS.SimpleQueueService.NonExistentQueue"
    }

    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException",
    ]

    static let retryableCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException",
        "InternalError", "ServiceUnavailable",
    ]

    /// The error as the driver reports it, `component: ` before the SDK's wording and what it was
    /// about (`table "orders"`) after it, in parentheses; not found, unavailable, timeout or
    /// invalid argument as the failure is, retryable as `isRetryable` says.
    public func driverError(_ component: String, about subject: String? = nil) -> DriverError {
        let code: DriverError.Code =
            if let transport {
                transport.kind == .timeout ? .timeout : transport.kind == .cancelled ? .cancelled : .unavailable
            } else if isNotFound {
                .notFound
            } else if statusCode >= 500 || statusCode == 429 || Self.retryableCodes.contains(self.code) {
                .unavailable
            } else {
                .invalidArgument
            }
        let about = subject.map { " (\($0))" } ?? ""
        return DriverError(code, "\(component): \(description)\(about)", retryable: isRetryable)
    }

    /// The error an answer with a non-2xx status carries: JSON protocols' `__type` and
    /// `message`, Query's and REST-XML's `<Error><Code>`; else the status alone.
    static func parse(_ response: CurlResponse) -> AWSError {
        let requestID = response.head.value("X-Amzn-Requestid") ?? response.head.value("X-Amz-Request-Id")
        var error = AWSError(
            code: Self.statusCode(response.statusCode), message: response.head.status, statusCode: response.statusCode,
            requestID: requestID)
        if let json = try? JSONValue.parse(bytes: response.body), case .object = json {
            let type = json["__type"]?.string ?? json["code"]?.string ?? response.head.value("X-Amzn-Errortype") ?? ""
            let code = Self.shortCode(type)
            if !code.isEmpty { error.code = code }
            if let message = json["message"]?.string ?? json["Message"]?.string { error.message = message }
            // A service that moved from Query to JSON (SQS) also sends its Query-era code, which
            // the AWS SDKs report (`AWS.SimpleQueueService.NonExistentQueue`, not `QueueDoesNotExist`).
            if let query = response.head.value("X-Amzn-Query-Error")?.split(separator: ";").first, !query.isEmpty {
                error.code = String(query)
            }
        } else if let xml = try? XMLElement.parse(response.body) {
            let element = xml.name == "Error" ? xml : xml.first(named: "Error")
            if let code = element?.text(at: "Code"), !code.isEmpty { error.code = code }
            if let message = element?.text(at: "Message") { error.message = message }
            error.requestID =
                error.requestID ?? xml.text(at: "RequestId") ?? xml.text(at: "RequestID")
                ?? element?.text(at: "RequestId")
        } else if let type = response.head.value("X-Amzn-Errortype") {
            error.code = Self.shortCode(type)
        }
        return error
    }

    /// `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException` → the part after `#`;
    /// `ResourceNotFoundException:http://…` → the part before `:`.
    static func shortCode(_ type: String) -> String {
        var code = Substring(type)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return String(code)
    }

    /// A code for an answer without a body (HEAD): S3 names them so.
    static func statusCode(_ status: Int) -> String {
        switch status {
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        default: "UnknownError"
        }
    }
}
