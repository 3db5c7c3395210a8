import Testing

@testable import BinderyHTTP

/// A head at the size limit is judged the same whether it arrives in one read or byte by byte
/// (fuzz/http-request, http-response and chunked found heads one or two bytes over the limit
/// that passed in one read and got 431 byte by byte).
@Suite struct HTTPHeadLimitTests {
    static let limit = 64

    /// `size` bytes ending in the empty line, then the start of whatever comes next.
    static func block(_ prefix: String, size: Int, lineEnd: String) -> [UInt8] {
        let padding = String(
            repeating: "a", count: size - prefix.utf8.count - "X: ".utf8.count - 2 * lineEnd.utf8.count)
        return Array((prefix + "X: " + padding + lineEnd + lineEnd + "GET").utf8)
    }

    /// The request parser's verdict on `bytes`, fed in pieces of `piece` bytes.
    static func request(_ bytes: [UInt8], piece: Int) -> String {
        var parser = HTTPRequestParser(limits: .init(maxHeaderBytes: limit, maxBodyBytes: 1024, maxHeaderCount: 10))
        for start in stride(from: 0, to: bytes.count, by: piece) {
            parser.append(Array(bytes[start..<min(bytes.count, start + piece)]))
            do {
                if case .request(let request) = try parser.next() {
                    return request.headers["X"].map { _ in "ok" } ?? "?"
                }
            } catch { return "\(error.kind)" }
        }
        return "needMore"
    }

    /// The response parser's verdict on `bytes` followed by the end of the connection.
    static func response(_ bytes: [UInt8], piece: Int) -> String {
        var parser = HTTPResponseParser(requestMethod: "GET", maxHeaderBytes: limit, maxBodyBytes: 1024)
        do {
            for start in stride(from: 0, to: bytes.count, by: piece) {
                Array(bytes[start..<min(bytes.count, start + piece)]).withUnsafeBytes { parser.append($0) }
                if let response = try parser.next() { return "\(response.status)" }
            }
            return "\(try parser.finishAtEndOfFile().status)"
        } catch { return "\(error.kind)" }
    }

    @Test(arguments: [limit - 1, limit, limit + 1, limit + 2, limit + 3], ["\r\n", "\n"])
    func requestHeadAtTheLimit(size: Int, lineEnd: String) {
        let bytes = Self.block("GET / HTTP/1.1" + lineEnd + "Host: h" + lineEnd, size: size, lineEnd: lineEnd)
        let verdict = Self.request(bytes, piece: bytes.count)
        #expect(verdict == (size <= Self.limit ? "ok" : "headersTooLarge"))
        #expect(Self.request(bytes, piece: 1) == verdict)
    }

    @Test(arguments: [limit - 1, limit, limit + 1, limit + 2, limit + 3], ["\r\n", "\n"])
    func responseHeadAtTheLimit(size: Int, lineEnd: String) {
        let bytes = Self.block("HTTP/1.1 200 OK" + lineEnd, size: size, lineEnd: lineEnd)
        let verdict = Self.response(bytes, piece: bytes.count)
        #expect(verdict == (size <= Self.limit ? "200" : "headersTooLarge"))
        #expect(Self.response(bytes, piece: 1) == verdict)
    }

    @Test(arguments: [limit, limit + 1, limit + 2])
    func chunkedTrailersAtTheLimit(size: Int) {
        let all = Array("0\r\n".utf8) + Self.block("", size: size, lineEnd: "\r\n")
        var verdicts: [String] = []
        for piece in [all.count, 1] {
            var decoder = HTTPChunkedDecoder()
            var buffer = HTTPByteBuffer()
            var body: [UInt8] = []
            var verdict = "needMore"
            for start in stride(from: 0, to: all.count, by: piece) {
                buffer.append(Array(all[start..<min(all.count, start + piece)]))
                do {
                    if try decoder.decode(&buffer, into: &body, maxBody: 1024, maxTrailerBytes: Self.limit) {
                        verdict = "done"
                        break
                    }
                } catch {
                    verdict = "\(error.kind)"
                    break
                }
            }
            verdicts.append(verdict)
        }
        #expect(verdicts == Array(repeating: size <= Self.limit ? "done" : "headersTooLarge", count: 2))
    }
}
