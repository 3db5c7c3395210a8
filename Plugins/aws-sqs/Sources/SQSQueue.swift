import AWSKit
import DriverJSON
import DriverKit
import Synchronization

/// One SQS queue spoken to over SQS's JSON 1.0 protocol (`AmazonSQS.*` targets, as current AWS
/// SDKs send them). The queue URL is resolved by GetQueueUrl on first use and kept; a call that
/// fails because the queue does not exist forgets it and resolves it once more before it gives
/// up (a queue deleted and created again, or a server that lost its state and got the queue
/// back, keeps working). Dapr resolves the URL before every send and every receive.
final class SQSQueue: Sendable {
    let name: String
    let component: String
    private let client: AWSClient
    private let resolved = Mutex<String?>(nil)
    /// The queue's VisibilityTimeout in seconds, per queue URL it was read for.
    private let visibility = Mutex<(url: String, seconds: Int)?>(nil)

    init(name: String, component: String, client: AWSClient) {
        self.name = name
        self.component = component
        self.client = client
    }

    /// SendMessage of `body`; the message id SQS gave it. Retried only when the request cannot
    /// have been applied (a refused connection, throttling): a retry after a lost answer would
    /// put the message in the queue twice.
    @discardableResult
    func send(_ body: String, timeoutMilliseconds: Int64? = nil) async throws(DriverError) -> String {
        let reply = try await call("SendMessage", timeoutMilliseconds: timeoutMilliseconds, idempotent: false) { url in
            .object(["QueueUrl": .string(url), "MessageBody": .string(body)])
        }
        return reply["MessageId"]?.string ?? ""
    }

    /// ReceiveMessage: up to `limit` messages, waiting up to `waitSeconds` for the first. Not
    /// retried inside the client: the input loop receives again anyway (after its own pause),
    /// a retried receive whose first reply was lost leaves that reply's messages invisible for
    /// their visibility timeout, and stop should not wait out a retry's backoff.
    func receive(limit: Int, waitSeconds: Int) async throws(DriverError) -> [SQSMessage] {
        // The transfer may take the whole wait and then some: 10 s beyond it.
        let timeout = Int64(waitSeconds + 10) * 1000
        let reply = try await call("ReceiveMessage", timeoutMilliseconds: timeout, retry: false) { url in
            .object([
                "QueueUrl": .string(url), "MaxNumberOfMessages": .number(String(limit)),
                "WaitTimeSeconds": .number(String(waitSeconds)),
                "MessageSystemAttributeNames": .array([.string("ApproximateReceiveCount")]),
            ])
        }
        return (reply["Messages"]?.array ?? []).compactMap(SQSMessage.init)
    }

    /// DeleteMessage: the app is done with `message`.
    func delete(_ message: SQSMessage) async throws(DriverError) {
        _ = try await call("DeleteMessage") { url in
            .object(["QueueUrl": .string(url), "ReceiptHandle": .string(message.receiptHandle)])
        }
    }

    /// ChangeMessageVisibility: `message` becomes visible to receivers again after `seconds`
    /// (0: at once).
    func makeVisible(_ message: SQSMessage, afterSeconds seconds: Int = 0) async throws(DriverError) {
        _ = try await call("ChangeMessageVisibility") { url in
            .object([
                "QueueUrl": .string(url), "ReceiptHandle": .string(message.receiptHandle),
                "VisibilityTimeout": .number(String(seconds)),
            ])
        }
    }

    /// ChangeMessageVisibilityBatch: `messages` (at most 10) become visible again at once, in one
    /// request. Returns the ids of those SQS refused, with its reason.
    func makeVisible(_ messages: ArraySlice<SQSMessage>) async throws(DriverError) -> [String: String] {
        let entries = messages.enumerated().map { index, message in
            JSONValue.object([
                "Id": .string(String(index)), "ReceiptHandle": .string(message.receiptHandle),
                "VisibilityTimeout": .number("0"),
            ])
        }
        let reply = try await call("ChangeMessageVisibilityBatch") { url in
            .object(["QueueUrl": .string(url), "Entries": .array(entries)])
        }
        var refused: [String: String] = [:]
        for entry in reply["Failed"]?.array ?? [] {
            guard let id = entry["Id"]?.string, let index = Int(id), index < messages.count else { continue }
            let message = messages[messages.startIndex + index]
            refused[message.messageID] = [entry["Code"]?.string, entry["Message"]?.string].compactMap { $0 }
                .joined(separator: ": ")
        }
        return refused
    }

    /// The queue's VisibilityTimeout in seconds (GetQueueAttributes), read once per queue URL.
    func visibilityTimeout() async throws(DriverError) -> Int {
        let url = try await url()
        if let known = visibility.withLock({ $0 }), known.url == url { return known.seconds }
        let reply = try await call("GetQueueAttributes") { url in
            .object(["QueueUrl": .string(url), "AttributeNames": .array([.string("VisibilityTimeout")])])
        }
        guard let text = reply["Attributes"]?["VisibilityTimeout"]?.string, let seconds = Int(text) else {
            throw DriverError(
                .internalError,
                "\(component): GetQueueAttributes for queue \"\(name)\" answered without a VisibilityTimeout")
        }
        visibility.withLock { $0 = (url, seconds) }
        return seconds
    }

    /// The queue URL, resolved by GetQueueUrl when not known.
    func url() async throws(DriverError) -> String {
        if let url = resolved.withLock({ $0 }) { return url }
        let reply: JSONValue
        do {
            reply = try await client.json("AmazonSQS.GetQueueUrl", .object(["QueueName": .string(name)]), version: .v10)
        } catch {
            throw failure(error)
        }
        guard let url = reply["QueueUrl"]?.string, !url.isEmpty else {
            throw DriverError(
                .internalError, "\(component): GetQueueUrl for queue \"\(name)\" answered without a QueueUrl")
        }
        resolved.withLock { $0 = url }
        return url
    }

    /// Runs `action` on the queue's URL; when the queue is not found, resolves the URL again
    /// and tries once more. `retry: false` leaves throttling, 5xx and failed connections to the
    /// caller; `idempotent: false` retries only what cannot have been applied.
    private func call(
        _ action: String, timeoutMilliseconds: Int64? = nil, retry: Bool = true, idempotent: Bool = true,
        _ body: (String) -> JSONValue
    ) async throws(DriverError) -> JSONValue {
        var retried = false
        while true {
            let url = try await url()
            do {
                return try await client.json(
                    "AmazonSQS." + action, body(url), version: .v10, timeoutMilliseconds: timeoutMilliseconds,
                    retry: retry, idempotent: idempotent)
            } catch {
                guard SQSQueue.isMissingQueue(error), !retried else { throw failure(error) }
                resolved.withLock { if $0 == url { $0 = nil } }
                retried = true
            }
        }
    }

    /// True for SQS's "the queue does not exist", in its JSON and Query spellings.
    static func isMissingQueue(_ error: AWSError) -> Bool {
        ["AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"].contains(error.code)
    }

    /// bindery's error for a failed call, naming the queue when it does not exist.
    private func failure(_ error: AWSError) -> DriverError {
        var driverError = error.driverError(component)
        if SQSQueue.isMissingQueue(error) { driverError.message += " (queue \"\(name)\")" }
        return driverError
    }
}
