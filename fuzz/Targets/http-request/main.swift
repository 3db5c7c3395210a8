// Fuzzes the server's request parser: the bytes are one connection's input. Checks that feeding
// them all at once and one byte at a time (as a slow client would) gives the same requests and the
// same error, and that a parsed request's target splits into path segments without trapping.
import FuzzSupport

@testable import BinderyHTTP

/// What one connection's bytes parse into: the requests, then the error that ended it, if any.
struct Outcome: Equatable {
    var requests: [String] = []
    var error: HTTPParseError.Kind?
}

func parse(_ bytes: [UInt8], pieceSize: Int) -> Outcome {
    // Small limits, so that the fuzzer reaches every limit check with short inputs.
    var parser = HTTPRequestParser(limits: .init(maxHeaderBytes: 512, maxBodyBytes: 1024, maxHeaderCount: 16))
    var outcome = Outcome()
    var offset = 0
    repeat {
        let end = min(bytes.count, offset + pieceSize)
        parser.append(Array(bytes[offset..<end]))
        offset = end
        do {
            loop: while true {
                switch try parser.next() {
                case .request(let request): outcome.requests.append(summary(request))
                case .continueExpected: continue
                case .needMore: break loop
                }
            }
        } catch {
            outcome.error = error.kind
            return outcome
        }
    } while offset < bytes.count
    return outcome
}

func summary(_ request: HTTPRequest) -> String {
    _ = HTTPPath.segments(request.path)?.map { HTTPPath.percentDecoded($0) }
    _ = request.keepAlive
    let headers = request.headers.map { "\($0.name)=\($0.value)" }.joined(separator: "|")
    return "\(request.method) \(request.target) \(request.version) [\(headers)] \(request.body)"
}

func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    expectSameOutcomeHoweverBytesArrive(count: bytes.count) { parse(bytes, pieceSize: $0) }
    return 0
}

runFuzzer(fuzz)
