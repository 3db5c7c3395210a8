/// One message the broker delivered to the consumer: basic.deliver, its content header, and
/// its body frames, put together by `Delivery.Assembly` on the connection's thread.
struct Delivery: Sendable {
    /// Identifies a message's content (body and headers) to recognise its redelivery.
    struct Fingerprint: Hashable, Sendable {
        var hash: UInt64
        var length: Int
    }

    var tag: UInt64
    var redelivered: Bool
    var body: [UInt8]
    /// The string-valued headers, keys escaped as Go's url.QueryEscape escapes them: what Dapr
    /// hands the app as metadata (other header types are left out, as Dapr does).
    var metadata: [String: String]

    var fingerprint: Fingerprint {
        // FNV-1a over the body, then each header sorted by key: stable, no allocation per byte.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xff) &* 0x100_0000_01b3
        }
        mix(body)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            mix(key.utf8)
            mix(value.utf8)
        }
        return Fingerprint(hash: hash, length: body.count)
    }

    /// Go's url.QueryEscape: letters, digits and `-_.~` stay, a space becomes `+`, every other
    /// byte `%XX` (upper-case hex).
    static func queryEscape(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: " "): out.append(UInt8(ascii: "+"))
            default: out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A delivery being received: basic.deliver seen, waiting for its header and body frames.
    struct Assembly {
        var tag: UInt64
        var redelivered: Bool
        var expected = -1
        var body: [UInt8] = []
        var metadata: [String: String] = [:]

        /// The content header arrived: the body size and the headers.
        mutating func header(bodySize: Int, metadata: [String: String]) {
            expected = bodySize
            body.reserveCapacity(min(bodySize, 1 << 20))
            self.metadata = metadata
        }

        /// True once the header and the whole body have arrived.
        var isComplete: Bool { expected >= 0 && body.count >= expected }

        var delivery: Delivery { Delivery(tag: tag, redelivered: redelivered, body: body, metadata: metadata) }
    }
}
