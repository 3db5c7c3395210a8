import DriverTesting
import Foundation

/// The Dapr Python SDK's generated messages (real protobuf, upb) run as a process over
/// Fixtures/dapr_messages.py: the other side of the encoding cross-checks.
enum DaprPython {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/dapr_messages.py").path

    /// `type` parsed from proto3 JSON and serialized deterministically.
    static func encode(_ type: String, _ json: String) throws -> [UInt8] {
        let result = try run("python3", [script, "encode", type, json])
        let hex = Array(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard result.status == 0, hex.count % 2 == 0 else {
            throw TestFailure(
                "dapr_messages.py encode \(type) failed (\(result.status)): \(result.stdout)\(result.stderr)")
        }
        return try stride(from: 0, to: hex.count, by: 2).map { index in
            guard let byte = UInt8(String(decoding: hex[index...index + 1], as: UTF8.self), radix: 16) else {
                throw TestFailure("dapr_messages.py printed \(result.stdout)")
            }
            return byte
        }
    }

    /// `bytes` decoded as `type`, as proto3 JSON (field names as in the .proto), or nil when
    /// Python refuses them.
    static func decode(_ type: String, _ bytes: [UInt8]) throws -> [String: Any]? {
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let result = try run("python3", [script, "decode", type, hex])
        if result.status == 1, result.stdout.hasPrefix("error:") { return nil }
        guard result.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else {
            throw TestFailure(
                "dapr_messages.py decode \(type) failed (\(result.status)): \(result.stdout)\(result.stderr)")
        }
        return object
    }

    /// The methods of `dapr.proto.runtime.v1.Dapr` in the SDK's descriptor.
    static func methods() throws -> [String] {
        let result = try run("python3", [script, "methods"])
        guard result.status == 0,
            let list = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String]
        else {
            throw TestFailure("dapr_messages.py methods failed (\(result.status)): \(result.stdout)\(result.stderr)")
        }
        return list
    }
}
