import DriverJSON

/// One message ReceiveMessage returned.
struct SQSMessage: Sendable, Equatable {
    var messageID: String
    var receiptHandle: String
    var body: String
    /// How many times SQS has handed the message out, this time included (1 the first time).
    var receiveCount: Int

    init(messageID: String, receiptHandle: String, body: String, receiveCount: Int = 1) {
        self.messageID = messageID
        self.receiptHandle = receiptHandle
        self.body = body
        self.receiveCount = receiveCount
    }

    /// A message of ReceiveMessage's `Messages` array; nil without a receipt handle (it could
    /// never be deleted).
    init?(_ value: JSONValue) {
        guard let handle = value["ReceiptHandle"]?.string, !handle.isEmpty else { return nil }
        receiptHandle = handle
        messageID = value["MessageId"]?.string ?? ""
        body = value["Body"]?.string ?? ""
        receiveCount = value["Attributes"]?["ApproximateReceiveCount"]?.string.flatMap { Int($0) } ?? 1
    }
}
