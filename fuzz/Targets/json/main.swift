// Fuzzes the JSON reader and the Go-style re-encoder that turns a request's `data` into what
// drivers receive. Whatever parses must re-encode (or refuse a number float64 cannot hold); the
// re-encoded text must parse again, to a value that re-encodes to the same bytes (the encoding is
// canonical: sorted keys, last duplicate kept, shortest numbers).
import FuzzSupport

@testable import BinderyCore

func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    _ = try? JSONParser.parseFirst(bytes)
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    guard let encoded = try? GoJSON.marshal(value) else { return 0 }
    let again: JSONValue
    do throws(JSONParser.Failure) {
        again = try JSONParser.parse(encoded)
    } catch {
        fatalError("re-encoded JSON does not parse (\(error)): \(String(decoding: encoded, as: UTF8.self))")
    }
    let twice: [UInt8]
    do throws(GoJSON.Failure) {
        twice = try GoJSON.marshal(again)
    } catch {
        fatalError("re-encoded JSON does not re-encode (\(error)): \(String(decoding: encoded, as: UTF8.self))")
    }
    if twice != encoded {
        fatalError(
            "re-encoding is not stable: \(String(decoding: encoded, as: UTF8.self)) then \(String(decoding: twice, as: UTF8.self))"
        )
    }
    return 0
}

runFuzzer(fuzz)
