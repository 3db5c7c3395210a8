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

    init(name: String, component: String, client: AWSClient) {
        self.name = name
        self.component = component
        self.client = client
    }

    /// SendMessage of `body`; the message id SQS gave it.
    @discardableResult
    func send(_ body: String) async throws(DriverError) -> String {
        let reply = try await call("SendMessage") { url in
            .object([member("QueueUrl", .string(url)), member("MessageBody", .string(body))])
        }
        return reply.field("MessageId")?.stringValue ?? ""
    }

    /// ReceiveMessage: up to `limit` messages, waiting up to `waitSeconds` for the first.
    func receive(limit: Int, waitSeconds: Int) async throws(DriverError) -> [SQSMessage] {
        let reply = try await call("ReceiveMessage") { url in
            .object([
                member("QueueUrl", .string(url)), member("MaxNumberOfMessages", .number(String(limit))),
                member("WaitTimeSeconds", .number(String(waitSeconds))),
                member("MessageSystemAttributeNames", .array([.string("ApproximateReceiveCount")])),
            ])
        }
        guard case .array(let items)? = reply.field("Messages") else { return [] }
        return items.compactMap(SQSMessage.init)
    }

    /// DeleteMessage: the app is done with `message`.
    func delete(_ message: SQSMessage) async throws(DriverError) {
        _ = try await call("DeleteMessage") { url in
            .object([member("QueueUrl", .string(url)), member("ReceiptHandle", .string(message.receiptHandle))])
        }
    }

    /// ChangeMessageVisibility: `message` becomes visible to receivers again after `seconds`
    /// (0: at once).
    func makeVisible(_ message: SQSMessage, afterSeconds seconds: Int = 0) async throws(DriverError) {
        _ = try await call("ChangeMessageVisibility") { url in
            .object([
                member("QueueUrl", .string(url)), member("ReceiptHandle", .string(message.receiptHandle)),
                member("VisibilityTimeout", .number(String(seconds))),
            ])
        }
    }

    /// The queue URL, resolved by GetQueueUrl when not known.
    func url() async throws(DriverError) -> String {
        if let url = resolved.withLock({ $0 }) { return url }
        let reply: JSONValue
        do {
            reply = try await client.json(
                "AmazonSQS.GetQueueUrl", .object([member("QueueName", .string(name))]), version: .v1_0)
        } catch {
            throw failure(error, "GetQueueUrl")
        }
        guard let url = reply.field("QueueUrl")?.stringValue, !url.isEmpty else {
            throw DriverError(
                .internalError, "\(component): GetQueueUrl for queue \"\(name)\" answered without a QueueUrl")
        }
        resolved.withLock { $0 = url }
        return url
    }

    /// Runs `action` on the queue's URL; when the queue is not found, resolves the URL again
    /// and tries once more.
    private func call(_ action: String, _ body: (String) -> JSONValue) async throws(DriverError) -> JSONValue {
        var retried = false
        while true {
            let url = try await url()
            do {
                return try await client.json("AmazonSQS." + action, body(url), version: .v1_0)
            } catch {
                guard SQSQueue.isMissingQueue(error), !retried else { throw failure(error, action) }
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
    private func failure(_ error: AWSError, _ action: String) -> DriverError {
        var driverError = error.driverError(component, action)
        if SQSQueue.isMissingQueue(error) {
            driverError.message += " (queue \"\(name)\")"
            driverError.code = .notFound
        }
        return driverError
    }
}

/// One member of a JSON object.
func member(_ key: String, _ value: JSONValue) -> JSONValue.Member {
    JSONValue.Member(key: key, value: value)
}

extension JSONValue {
    /// The value of member `key` of an object (the last one, as in Go), or nil.
    func field(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// The text of a string value, or nil.
    var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }
}
