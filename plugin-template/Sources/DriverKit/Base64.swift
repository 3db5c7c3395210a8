/// Standard base64 (RFC 4648, padded), as Go's `base64.StdEncoding` reads and writes it: for
/// drivers' `decodeBase64`/`encodeBase64` options and for APIs that carry bytes as base64 text.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// `bytes` encoded, with `=` padding.
    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            let b0 = bytes[index]
            let b1 = count > 1 ? bytes[index + 1] : 0
            let b2 = count > 2 ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(count > 1 ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(count > 2 ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return out
    }

    /// Why a text is not base64, worded as Go's `base64.CorruptInputError`.
    public struct CorruptInput: Error, Equatable, Sendable {
        /// The offset of the first bad byte, counted as Go counts it (line breaks included).
        public var offset: Int
        public init(offset: Int) { self.offset = offset }

        /// Go's `base64.CorruptInputError` text.
        public var message: String { "illegal base64 data at input byte \(offset)" }
    }

    /// `bytes` encoded, as text.
    public static func encodedString(_ bytes: [UInt8]) -> String { String(decoding: encode(bytes), as: UTF8.self) }

    /// `text` decoded. As Go's decoder: `\r` and `\n` are skipped, padding is required and must
    /// end the input, and unused bits after the last byte must be zero.
    public static func decode(_ text: [UInt8]) throws(CorruptInput) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var quantum: [(UInt8, Int)] = []
        var padding = 0
        var offset = 0
        for byte in text {
            defer { offset += 1 }
            if byte == 0x0A || byte == 0x0D { continue }
            if byte == UInt8(ascii: "=") {
                guard quantum.count >= 2, quantum.count + padding < 4 else { throw CorruptInput(offset: offset) }
                padding += 1
                continue
            }
            let value = values[Int(byte)]
            guard value != 0xFF, padding == 0 else { throw CorruptInput(offset: offset) }
            quantum.append((value, offset))
            if quantum.count == 4 {
                let v = quantum.map { UInt32($0.0) }
                let word = v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]
                out += [UInt8(word >> 16), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)]
                quantum.removeAll(keepingCapacity: true)
            }
        }
        return try finish(quantum, padding: padding, offset: offset, into: out)
    }

    /// The last, padded quantum: 2 symbols and `==`, or 3 and `=`.
    private static func finish(_ quantum: [(UInt8, Int)], padding: Int, offset: Int, into out: [UInt8])
        throws(CorruptInput) -> [UInt8]
    {
        var out = out
        switch (quantum.count, padding) {
        case (0, 0): return out
        case (2, 2):
            guard quantum[1].0 & 0x0F == 0 else { throw CorruptInput(offset: quantum[1].1) }
            out.append(quantum[0].0 << 2 | quantum[1].0 >> 4)
        case (3, 1):
            guard quantum[2].0 & 0x03 == 0 else { throw CorruptInput(offset: quantum[2].1) }
            out.append(quantum[0].0 << 2 | quantum[1].0 >> 4)
            out.append((quantum[1].0 & 0x0F) << 4 | quantum[2].0 >> 2)
        default:
            throw CorruptInput(offset: quantum.count == 1 ? quantum[0].1 : offset)
        }
        return out
    }
}
