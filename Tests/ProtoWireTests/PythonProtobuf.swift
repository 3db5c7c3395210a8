import DriverTesting
import Foundation

/// Python's protobuf (upb, the reference implementation's C core) run as a process over
/// Fixtures/wire.py: the other side of every cross-check in this suite.
enum PythonProtobuf {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/wire.py").path

    /// The message Python builds from proto3 JSON, serialized deterministically.
    static func encode(_ json: String) throws -> [UInt8] {
        let result = try run("python3", [script, "encode", json])
        guard result.status == 0, let bytes = hexBytes(result.stdout) else {
            throw TestFailure("wire.py encode \(json) failed (\(result.status)): \(result.stdout)\(result.stderr)")
        }
        return bytes
    }

    /// What Python decodes `bytes` to: proto3 JSON as a dictionary, or nil when it refuses them.
    static func decode(_ bytes: [UInt8]) throws -> [String: Any]? {
        let result = try run("python3", [script, "decode", hex(bytes)])
        if result.status == 1, result.stdout.hasPrefix("error:") { return nil }
        guard result.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else {
            throw TestFailure("wire.py decode failed (\(result.status)): \(result.stdout)\(result.stderr)")
        }
        return object
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }
}
