/// The last messages the app answered, to recognise the broker delivering one of them again.
///
/// Why: the app answers, then the PUBACK is written on the connection's next loop turn. If the
/// connection drops in between (broker restart, keepalive expiry while the app was slow), the
/// broker keeps the message and resends it on the next session with its original packet id
/// (MQTT 3.1.1, 4.4). A new message never reuses a packet id that recently (the broker allocates
/// them in sequence and keeps the sequence in its persisted session), so while a session the
/// broker reported as present resends (its first messages, before any new one), an equal id,
/// topic and payload among the last 256 answered messages is that resend. After the first
/// message that is not one, nothing is suppressed until the next reconnect.
struct RecentMessages {
    struct Fingerprint: Equatable {
        var mid: Int32
        var hash: UInt64
        var length: Int

        init(_ message: ReceivedMessage) {
            mid = message.mid
            length = message.payload.count
            // FNV-1a over topic, a separator and the payload: stable, no allocation.
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in message.topic.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xff) &* 0x100_0000_01b3
            for byte in message.payload { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            self.hash = hash
        }
    }

    static let capacity = 256
    private var ring: [Fingerprint] = []
    private var next = 0
    /// True from a CONNACK with "session present" until the first message that is not a resend.
    private var resending = false

    /// A new connection: resends are possible only when the broker kept the session.
    mutating func connectionOpened(sessionPresent: Bool) { resending = sessionPresent }

    /// True when `fingerprint` is the broker resending a message the app already answered.
    mutating func isResend(_ fingerprint: Fingerprint) -> Bool {
        guard resending, ring.contains(fingerprint) else {
            resending = false
            return false
        }
        return true
    }

    mutating func insert(_ fingerprint: Fingerprint) {
        if ring.count < RecentMessages.capacity {
            ring.append(fingerprint)
        } else {
            ring[next] = fingerprint
            next = (next + 1) % RecentMessages.capacity
        }
    }
}
