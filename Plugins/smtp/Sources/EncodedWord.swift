import DriverKit
/// RFC 2047 encoded-words for header text, exactly as Go's `mime.QEncoding` and `mime.BEncoding`
/// write them with charset UTF-8 (gomail encodes every header value with the Q form, and a
/// display name holding specials with the B form).
enum EncodedWord {
    /// RFC 2047: an encoded-word is at most 75 characters, so `=?UTF-8?q?` + 63 + `?=`.
    private static let maxContentLength = 75 - "=?UTF-8?q?".count - "?=".count
    /// How many bytes base64 turns into at most `maxContentLength` characters.
    private static let maxBase64Length = maxContentLength / 4 * 3

    /// Go's `needsEncoding`: a control character other than tab, or anything past `~`.
    static func needsEncoding(_ text: [UInt8]) -> Bool {
        text.contains { ($0 < 0x20 && $0 != 0x09) || $0 > 0x7E }
    }

    /// `text` unchanged when it needs no encoding, else Q-encoded words separated by spaces,
    /// never splitting a UTF-8 sequence across two words.
    static func q(_ text: [UInt8]) -> [UInt8] {
        guard needsEncoding(text) else { return text }
        var output = Array("=?UTF-8?q?".utf8)
        var currentLength = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            let plain = byte >= 0x20 && byte <= 0x7E && !"=?_".utf8.contains(byte)
            let length = plain ? 1 : max(GoUnquote.scalarLength(text[index...]), 1)
            let encodedLength = plain ? 1 : 3 * length
            if currentLength + encodedLength > maxContentLength {
                output += Array("?= =?UTF-8?q?".utf8)
                currentLength = 0
            }
            for byte in text[index..<(index + length)] { appendQ(byte, to: &output) }
            currentLength += encodedLength
            index += length
        }
        return output + Array("?=".utf8)
    }

    /// Go's `writeQString` for one byte: space as `_`, the safe printable bytes as they are,
    /// the rest as `=HH`.
    private static func appendQ(_ byte: UInt8, to output: inout [UInt8]) {
        if byte == UInt8(ascii: " ") {
            output.append(UInt8(ascii: "_"))
        } else if byte >= 0x21, byte <= 0x7E, !"=?_".utf8.contains(byte) {
            output.append(byte)
        } else {
            output += QuotedPrintable.escaped(byte)
        }
    }

    /// `text` as B-encoded words (base64), split at 45 bytes without splitting a UTF-8 sequence.
    static func b(_ text: [UInt8]) -> [UInt8] {
        guard needsEncoding(text) else { return text }
        var chunks: [ArraySlice<UInt8>] = []
        if (text.count + 2) / 3 * 4 <= maxContentLength {
            chunks = [text[...]]
        } else {
            var start = 0
            var index = 0
            while index < text.count {
                let length = max(GoUnquote.scalarLength(text[index...]), 1)
                if index - start + length > maxBase64Length {
                    chunks.append(text[start..<index])
                    start = index
                }
                index += length
            }
            chunks.append(text[start...])
        }
        let words = chunks.map { Array("=?UTF-8?b?".utf8) + Base64.encoded($0) + Array("?=".utf8) }
        return Array(words.joined(separator: [UInt8(ascii: " ")]))
    }
}

/// Standard base64 with padding (RFC 4648), for B-encoded words.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encoded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let count = min(3, bytes.endIndex - index)
            var group: UInt32 = 0
            for offset in 0..<3 {
                group <<= 8
                if offset < count { group |= UInt32(bytes[index + offset]) }
            }
            for offset in 0..<4 {
                let sextet = Int((group >> UInt32(18 - 6 * offset)) & 0x3F)
                output.append(offset <= count ? alphabet[sextet] : UInt8(ascii: "="))
            }
            index += count
        }
        return output
    }
}
