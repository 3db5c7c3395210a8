/// Incremental decoder of a chunked body (RFC 9112 7.1). Chunk extensions are skipped and
/// trailer fields are parsed for validity, then dropped.
package struct HTTPChunkedDecoder {
    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers(scanned: Int)
        case done
    }

    private var state = State.size
    /// Longest chunk-size line accepted, extensions included.
    static let maxSizeLine = 4096

    var isDone: Bool { if case .done = state { true } else { false } }

    /// Consumes what it can from `buffer` into `body`; true once the last chunk and trailers are in.
    package mutating func decode(
        _ buffer: inout HTTPByteBuffer, into body: inout [UInt8], maxBody: Int, maxTrailerBytes: Int
    ) throws(HTTPParseError) -> Bool {
        while true {
            switch state {
            case .size:
                guard let lf = buffer.lineFeed(from: 0, limit: Self.maxSizeLine) else {
                    if buffer.count >= Self.maxSizeLine {
                        throw .malformed("chunk size line longer than \(Self.maxSizeLine) bytes")
                    }
                    return false
                }
                let size = try Self.chunkSize(buffer.bytes(0..<lf))
                buffer.consume(lf + 1)
                if size == 0 {
                    state = .trailers(scanned: 0)
                } else {
                    guard size <= maxBody - body.count else {
                        throw HTTPParseError(.bodyTooLarge, "chunked body larger than \(maxBody) bytes")
                    }
                    state = .data(remaining: size)
                }
            case .data(let remaining):
                guard !buffer.isEmpty else { return false }
                let n = min(remaining, buffer.count)
                body.append(contentsOf: buffer.bytes(0..<n))
                buffer.consume(n)
                state = n == remaining ? .dataEnd : .data(remaining: remaining - n)
            case .dataEnd:
                guard buffer.count >= 1 else { return false }
                if buffer[0] == 0x0A {
                    buffer.consume(1)
                    state = .size
                    continue
                }
                guard buffer.count >= 2 else { return false }
                guard buffer[0] == 0x0D, buffer[1] == 0x0A else { throw .malformed("chunk data not followed by CRLF") }
                buffer.consume(2)
                state = .size
            case .trailers(let scanned):
                if buffer.count >= 1, buffer[0] == 0x0A {
                    buffer.consume(1)
                    state = .done
                    return true
                }
                if buffer.count >= 2, buffer[0] == 0x0D, buffer[1] == 0x0A {
                    buffer.consume(2)
                    state = .done
                    return true
                }
                guard let end = buffer.endOfHeaderBlock(from: max(0, scanned - 3), limit: maxTrailerBytes) else {
                    if buffer.count >= maxTrailerBytes {
                        throw HTTPParseError(.headersTooLarge, "trailer section larger than \(maxTrailerBytes) bytes")
                    }
                    state = .trailers(scanned: buffer.count)
                    return false
                }
                _ = try HTTPHeaderBlock.parse(buffer.bytes(0..<end), hasStartLine: false, maxFields: 1000)
                buffer.consume(end)
                state = .done
                return true
            case .done:
                return true
            }
        }
    }

    /// The hexadecimal size before any ";extension" on a chunk-size line.
    static func chunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var end = line.endIndex
        if end > line.startIndex, line[end - 1] == 0x0D { end -= 1 }
        let text = line[line.startIndex..<end]
        try HTTPHeaderBlock.checkText(text, what: "chunk size line")
        var size = 0
        var digits = 0
        var index = text.startIndex
        while index < text.endIndex, let digit = hexValue(text[index]) {
            guard digits < 15 else { throw .malformed("chunk size too large: \(HTTPHeaderBlock.quoted(text))") }
            size = size * 16 + digit
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw .malformed("invalid chunk size \(HTTPHeaderBlock.quoted(text))") }
        while index < text.endIndex, text[index] == 0x20 || text[index] == 0x09 { index += 1 }
        guard index == text.endIndex || text[index] == 0x3B else {
            throw .malformed("invalid chunk size \(HTTPHeaderBlock.quoted(text))")
        }
        return size
    }

    private static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: Int(c - 0x30)
        case 0x41...0x46: Int(c - 0x41 + 10)
        case 0x61...0x66: Int(c - 0x61 + 10)
        default: nil
        }
    }
}
