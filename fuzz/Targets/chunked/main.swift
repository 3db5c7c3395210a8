// Fuzzes the chunked-body decoder shared by the request and response parsers: the bytes are a
// body after a `Transfer-Encoding: chunked` head. Checks that all at once and one byte at a time
// decode the same body, finish at the same byte, or fail with the same error, and that the body
// never exceeds its limit.
import FuzzSupport

@testable import BinderyHTTP

struct Outcome: Equatable {
    var body: [UInt8] = []
    var done = false
    /// Bytes left after the last chunk and trailers (the next message on the connection).
    var rest = 0
    var error: HTTPParseError.Kind?
}

func decode(_ bytes: [UInt8], pieceSize: Int) -> Outcome {
    let maxBody = 1024
    var decoder = HTTPChunkedDecoder()
    var buffer = HTTPByteBuffer()
    var outcome = Outcome()
    var offset = 0
    repeat {
        let end = min(bytes.count, offset + pieceSize)
        buffer.append(Array(bytes[offset..<end]))
        offset = end
        do {
            outcome.done = try decoder.decode(&buffer, into: &outcome.body, maxBody: maxBody, maxTrailerBytes: 512)
        } catch {
            outcome.error = error.kind
            return outcome
        }
        precondition(outcome.body.count <= maxBody, "body of \(outcome.body.count) bytes past the limit")
        if outcome.done {
            outcome.rest = buffer.count + bytes.count - offset
            return outcome
        }
    } while offset < bytes.count
    return outcome
}

func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    expectSameOutcomeHoweverBytesArrive(count: bytes.count) { decode(bytes, pieceSize: $0) }
    return 0
}

runFuzzer(fuzz)
