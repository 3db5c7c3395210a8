// Fuzzes the delivery client's response parser: the bytes are what an app sends back before
// closing the connection. Checks that all at once and one byte at a time give the same response
// or the same error, for a GET and for a HEAD.
import FuzzSupport

@testable import BinderyHTTP

/// The response read (status, headers, body), or the kind of error that ended the read.
enum Outcome: Equatable {
    case response(String)
    case failed(HTTPParseError.Kind)
}

func parse(_ bytes: [UInt8], method: String, pieceSize: Int) -> Outcome {
    // Small limits, so that the fuzzer reaches every limit check with short inputs.
    var parser = HTTPResponseParser(requestMethod: method, maxHeaderBytes: 512, maxBodyBytes: 1024)
    var offset = 0
    do {
        while offset < bytes.count {
            let end = min(bytes.count, offset + pieceSize)
            bytes[offset..<end].withUnsafeBytes { parser.append($0) }
            offset = end
            if let response = try parser.next() { return .response(summary(response)) }
        }
        return .response(summary(try parser.finishAtEndOfFile()))
    } catch {
        return .failed(error.kind)
    }
}

func summary(_ response: HTTPResponse) -> String {
    let headers = response.headers.map { "\($0.name)=\($0.value)" }.joined(separator: "|")
    return "\(response.status) [\(headers)] \(response.body)"
}

func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    for method in ["GET", "HEAD"] {
        expectSameOutcomeHoweverBytesArrive("\(method), ", count: bytes.count) {
            parse(bytes, method: method, pieceSize: $0)
        }
    }
    return 0
}

runFuzzer(fuzz)
