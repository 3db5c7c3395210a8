import DriverJSON
import DriverKit

/// One message a pull returned: what the app gets, and the ack id that settles it.
struct PubSubMessage: Sendable, Equatable {
    var ackID: String
    var messageID: String
    var data: [UInt8]
    /// RFC 3339, as the REST API spells it (`2026-12-01T21:28:29.651Z`).
    var publishTime: String

    init(ackID: String, messageID: String, data: [UInt8], publishTime: String) {
        self.ackID = ackID
        self.messageID = messageID
        self.data = data
        self.publishTime = publishTime
    }

    /// An element of the pull answer's `receivedMessages`; nil without an ack id (it could never
    /// be settled) or with data that is not base64 (the API never sends such).
    init?(_ value: JSONValue) {
        guard let ackID = value["ackId"]?.string, !ackID.isEmpty else { return nil }
        let message = value["message"]
        guard let data = try? Base64.decode(Array((message?["data"]?.string ?? "").utf8)) else { return nil }
        self.init(
            ackID: ackID, messageID: message?["messageId"]?.string ?? "", data: data,
            publishTime: message?["publishTime"]?.string ?? "")
    }

    /// What the app receives with the data: Dapr's binding sends the message id and the publish
    /// time, the latter as Go's `time.Time.String()` prints it.
    var eventMetadata: [String: String] {
        ["id": messageID, "publishTime": PubSubMessage.goTime(publishTime)]
    }

    /// `2026-12-01T21:28:29.651Z` as Go's `Time.String()` prints the UTC time the Go client
    /// makes of it: `2026-12-01 21:28:29.651 +0000 UTC` (fraction without trailing zeros, none
    /// when whole). Text of another shape passes through unchanged.
    static func goTime(_ rfc3339: String) -> String {
        let characters = Array(rfc3339)
        guard characters.count >= 20, characters[10] == "T", characters.last == "Z" else { return rfc3339 }
        let date = String(characters[0..<10])
        let clock = String(characters[11..<19])
        var fraction = String(characters[19..<(characters.count - 1)])
        guard fraction.isEmpty || fraction.first == "." else { return rfc3339 }
        while fraction.last == "0" { fraction.removeLast() }
        if fraction == "." { fraction = "" }
        return "\(date) \(clock)\(fraction) +0000 UTC"
    }
}
