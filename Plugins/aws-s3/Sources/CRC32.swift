import DriverKit

/// CRC-32 (IEEE 802.3, as zlib), sent as `x-amz-checksum-crc32` on uploads: the AWS SDK for Go
/// that Dapr uses computes it for every PutObject since 2025, so S3 checks the bytes it stores
/// and lists the object with `ChecksumAlgorithm: ["CRC32"]` either way (moto records neither).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The header's value: the checksum's four big-endian bytes in base64.
    static func header(_ bytes: [UInt8]) -> String {
        let crc = checksum(bytes)
        let big = [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        return String(decoding: Base64.encode(big), as: UTF8.self)
    }
}
