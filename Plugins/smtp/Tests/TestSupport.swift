import DriverKit
import DriverTesting
import Glibc

@testable import SMTPDriver

/// An output instance of component `component` for `metadata`, not started; `implicitTLSPort`
/// lets a test server on a free port stand for port 465.
func makeDriver(
    _ metadata: [String: String], component: String = "mail", implicitTLSPort: Int = 465
) throws -> SMTPDriver {
    let configuration = DriverConfiguration(
        componentName: component, type: "bindings.smtp", directions: .output, metadata: metadata)
    return try SMTPDriver(configuration: configuration, log: nil, implicitTLSPort: implicitTLSPort)
}

/// Metadata that reaches `server` with a sender, one recipient and a subject; `extra` is added
/// over it.
func metadata(for server: ServerProcess, _ extra: [String: String] = [:]) -> [String: String] {
    [
        "host": "127.0.0.1", "port": String(server.port), "emailFrom": "sender@example.com",
        "emailTo": "to@example.com", "subject": "Hello",
    ].merging(extra) { $1 }
}

extension SMTPDriver {
    /// Sends `create` with `data` (a JSON string with its quotes, as the HTTP API hands it over).
    func send(_ data: String = "\"<p>Hi</p>\"", _ metadata: [String: String] = [:]) async throws {
        _ = try await invoke(InvokeRequest(operation: "create", data: Array(data.utf8), metadata: metadata))
    }
}

/// Quoted-printable decoded (soft breaks removed, `=HH` turned into bytes), to read a body back.
func decodedQuotedPrintable(_ text: String) -> [UInt8] {
    let bytes = Array(text.utf8)
    var output: [UInt8] = []
    var index = 0
    while index < bytes.count {
        if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count {
            if bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                index += 3
                continue
            }
            if let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                output.append(value)
                index += 3
                continue
            }
        }
        output.append(bytes[index])
        index += 1
    }
    return output
}

/// A request deadline `milliseconds` from now, on `InvokeRequest.deadline`'s clock (CLOCK_MONOTONIC).
func deadline(afterMilliseconds milliseconds: UInt64) -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec) + milliseconds * 1_000_000
}
