/// The body encoding gomail uses by default: Go's `mime/quotedprintable.Writer` (text mode),
/// byte for byte, so a message reads at the server as Dapr's would.
///
/// Printable ASCII other than `=` passes; other bytes become `=HH`; CR, LF and CRLF become CRLF;
/// a space or tab before a line break (or at the end) is encoded; lines are cut with a soft
/// break (`=` CRLF) so none is longer than 76 characters.
struct QuotedPrintable {
    private static let lineLimit = 76
    private static let hex = Array("0123456789ABCDEF".utf8)

    private(set) var output: [UInt8] = []
    private var line: [UInt8] = []
    private var afterCR = false

    /// `bytes` encoded as one `Write` and `Close` of Go's writer.
    static func encoded(_ bytes: [UInt8]) -> [UInt8] {
        var writer = QuotedPrintable()
        writer.output.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes { writer.add(byte) }
        writer.encodeTrailingWhitespace()
        writer.flush()
        return writer.output
    }

    /// `=HH` for `byte`.
    static func escaped(_ byte: UInt8) -> [UInt8] {
        [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
    }

    private mutating func add(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            // A CRLF pair makes one break: the LF after a CR was already written.
            if afterCR, byte == UInt8(ascii: "\n") {
                afterCR = false
                return
            }
            afterCR = byte == UInt8(ascii: "\r")
            encodeTrailingWhitespace()
            breakLine()
        case 0x21...0x7E where byte != UInt8(ascii: "="), UInt8(ascii: " "), UInt8(ascii: "\t"):
            if line.count == QuotedPrintable.lineLimit - 1 { softBreak() }
            line.append(byte)
            afterCR = false
        default:
            encode(byte)
        }
    }

    private mutating func encode(_ byte: UInt8) {
        if QuotedPrintable.lineLimit - 1 - line.count < 3 { softBreak() }
        line += QuotedPrintable.escaped(byte)
    }

    /// Go's `checkLastByte`: a space or tab that ends a line is encoded, or a reader would drop it.
    private mutating func encodeTrailingWhitespace() {
        guard let last = line.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") else { return }
        line.removeLast()
        encode(last)
    }

    private mutating func softBreak() {
        line.append(UInt8(ascii: "="))
        breakLine()
    }

    private mutating func breakLine() {
        line += [0x0D, 0x0A]
        flush()
    }

    private mutating func flush() {
        output += line
        line.removeAll(keepingCapacity: true)
    }
}
