import CurlTransport
import DriverJSON
import DriverKit
import GoogleAuth

/// Pub/Sub's REST v1 API for one driver instance: publish, pull, acknowledge and
/// modifyAckDeadline, JSON over HTTP(S) on the instance's own libcurl thread, with the bearer
/// token `access` gives (none on an emulator; a 401 drops the cached token and tries once more).
///
/// Retries: acknowledge and modifyAckDeadline (idempotent) are tried up to three times on a
/// refused connection, 429 or 5xx; publish only when the request cannot have reached the server
/// (a refused connection), because a publish retried after a lost answer publishes the message
/// twice (Google's clients retry it anyway); pull not at all (the input loop pulls again).
final class PubSubClient: Sendable {
    let component: String
    let projectID: String
    /// `scheme://host[:port]`, no trailing slash.
    let baseURL: String
    private let access: GoogleAccess
    private let curl = CurlClient()

    /// Google's own host, when neither PUBSUB_EMULATOR_HOST nor `endpoint` names another.
    static let googleURL = "https://pubsub.googleapis.com"

    init(component: String, projectID: String, access: GoogleAccess) {
        self.component = component
        self.projectID = projectID
        var base = access.baseURL ?? PubSubClient.googleURL
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
        self.access = access
    }

    func start() throws(DriverError) {
        do {
            try curl.start()
        } catch {
            throw DriverError(.internalError, "\(component): cannot start the HTTP client: \(error.message)")
        }
    }

    /// Cancels what is in flight (a pull waiting for messages) and stops the thread.
    func stop() async { await curl.stop() }

    /// `projects/P/topics/NAME`; a name that is already a full path is kept (Google's clients
    /// take a short id; the full path is a bindery extension for another project's topic).
    func topicPath(_ name: String) -> String { path(name, kind: "topics") }

    func subscriptionPath(_ name: String) -> String { path(name, kind: "subscriptions") }

    private func path(_ name: String, kind: String) -> String {
        name.hasPrefix("projects/") ? name : "projects/\(projectID)/\(kind)/\(name)"
    }

    /// Publishes `data` (no attributes, as Dapr) to `topic`; the message id Pub/Sub gave it.
    @discardableResult
    func publish(_ data: [UInt8], topic: String, timeoutMilliseconds: Int64? = nil) async throws(DriverError)
        -> String
    {
        let body = JSONValue.object(["messages": .array([.object(["data": .string(Base64.encodedString(data))])])])
        let topicPath = topicPath(topic)
        let reply = try await call(
            "\(topicPath):publish", body, what: "publish to topic \"\(topicPath)\"",
            timeoutMilliseconds: timeoutMilliseconds ?? 60_000, retry: .unreachableOnly)
        return reply["messageIds"]?.array?.first?.string ?? ""
    }

    /// Up to `limit` messages of `subscription`. The emulator and the service hold the request
    /// open until messages come; after `waitMilliseconds` without any the request is cut and
    /// nothing returned (a message the server had sent by then comes again after its ack
    /// deadline: late, never lost).
    func pull(_ subscription: String, limit: Int, waitMilliseconds: Int64) async throws(DriverError)
        -> [PubSubMessage]
    {
        let path = subscriptionPath(subscription)
        let body = JSONValue.object(["maxMessages": .number(String(limit))])
        do throws(DriverError) {
            let reply = try await call(
                "\(path):pull", body, what: "pull from subscription \"\(path)\"",
                timeoutMilliseconds: waitMilliseconds, retry: .never)
            return (reply["receivedMessages"]?.array ?? []).compactMap(PubSubMessage.init)
        } catch  where error.code == .timeout {
            return []
        }
    }

    /// Acknowledges `ackIDs`: Pub/Sub will not deliver those messages again.
    func acknowledge(_ ackIDs: [String], subscription: String) async throws(DriverError) {
        guard !ackIDs.isEmpty else { return }
        let path = subscriptionPath(subscription)
        _ = try await call(
            "\(path):acknowledge", .object(["ackIds": .array(ackIDs.map { .string($0) })]),
            what: "acknowledge on subscription \"\(path)\"", timeoutMilliseconds: 30_000, retry: .transient)
    }

    /// Sets the ack deadline of `ackIDs` to `seconds` from now; 0 hands them back for
    /// redelivery at once (what Google's clients do for a nack).
    func modifyAckDeadline(_ ackIDs: [String], seconds: Int, subscription: String) async throws(DriverError) {
        guard !ackIDs.isEmpty else { return }
        let path = subscriptionPath(subscription)
        _ = try await call(
            "\(path):modifyAckDeadline",
            .object(["ackIds": .array(ackIDs.map { .string($0) }), "ackDeadlineSeconds": .number(String(seconds))]),
            what: "modifyAckDeadline on subscription \"\(path)\"", timeoutMilliseconds: 30_000, retry: .transient)
    }

    enum Retry { case never, unreachableOnly, transient }

    /// POSTs `body` to `/v1/<path>` and returns the parsed answer of a 2xx; anything else throws
    /// an error naming the component, `what` was asked, and Google's status and message.
    private func call(
        _ path: String, _ body: JSONValue, what: String, timeoutMilliseconds: Int64, retry: Retry
    ) async throws(DriverError) -> JSONValue {
        let end = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        var attempt = 1
        var tokenRefused = false
        while true {
            var headers = [(name: "Content-Type", value: "application/json")]
            let authorization = try await access.authorization()
            if let authorization { headers.append((name: "Authorization", value: authorization)) }
            let left = ContinuousClock.now.duration(to: end).components
            let request = CurlRequest(
                method: "POST", url: "\(baseURL)/v1/\(path)", headers: headers, body: body.compactBytes,
                timeoutMilliseconds: max(1, left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000))
            let failure: DriverError
            let again: Bool
            switch await curl.perform(request) {
            case .success(let response) where (200..<300).contains(response.statusCode):
                guard !response.body.isEmpty else { return .object([]) }
                do {
                    return try JSONValue.parse(bytes: response.body)
                } catch {
                    throw DriverError(
                        .internalError, "\(component): \(what): the answer is not JSON: \(error.message)")
                }
            case .success(let response) where response.statusCode == 401 && !tokenRefused && authorization != nil:
                // The token expired early or was revoked: a fresh one, once.
                if let authorization { access.tokenRefused(authorization) }
                tokenRefused = true
                continue
            case .success(let response):
                failure = PubSubClient.apiError(response, component: component, what: what)
                again = retry == .transient && (response.statusCode == 429 || response.statusCode >= 500)
            case .failure(let error):
                failure = transportError(error, what: what)
                again = retry != .never && error.kind == .unreachable
            }
            guard again, attempt < 3, ContinuousClock.now + .milliseconds(100 << attempt) < end else { throw failure }
            try? await Task.sleep(for: .milliseconds(100 << attempt))
            attempt += 1
        }
    }

    private func transportError(_ error: CurlError, what: String) -> DriverError {
        let code: DriverError.Code =
            switch error.kind {
            case .timeout: .timeout
            case .cancelled: .cancelled
            case .unreachable: .unavailable
            default: .internalError
            }
        return DriverError(code, "\(component): \(what): \(error.message)", retryable: error.kind == .unreachable)
    }

    /// Google's error answer `{"error":{"code":404,"message":"Topic not found","status":"NOT_FOUND"}}`
    /// as `orders: publish to topic "projects/p/topics/t": NOT_FOUND: Topic not found (HTTP 404)`.
    static func apiError(_ response: CurlResponse, component: String, what: String) -> DriverError {
        let parsed = try? JSONValue.parse(bytes: response.body)
        let status = parsed?["error"]?["status"]?.string
        let message =
            parsed?["error"]?["message"]?.string
            ?? String(decoding: response.body.prefix(300), as: UTF8.self).trimmingSpaces
        let reason = [status, message.isEmpty ? nil : message].compactMap { $0 }.joined(separator: ": ")
        let code: DriverError.Code =
            switch response.statusCode {
            case 400: .invalidArgument
            case 404: .notFound
            // 408 and 504 too: `pull` takes only curl's own timeout for "no messages yet", so
            // a proxy answering them is logged and backed off from, not pulled from again at once.
            case 401, 403, 408, 429, 500...: .unavailable
            default: .internalError
            }
        return DriverError(
            code, "\(component): \(what): \(reason.isEmpty ? "no reason given" : reason) (HTTP \(response.statusCode))",
            retryable: response.statusCode == 429 || response.statusCode >= 500)
    }
}

extension String {
    /// Without leading and trailing spaces and newlines.
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
