import CDigest

/// SHA-256 names private copies of driver files by their content. The digest itself is C
/// (Sources/CDigest), optimised even in debug builds: in Swift at -Onone it cost a second per
/// start to hash a few megabytes of drivers.
package enum SHA256 {
    /// The lowercase hex digest of `bytes`.
    package static func hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { cdigest_sha256(input.baseAddress, input.count, $0.baseAddress) }
        }
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0xf)]] }, as: UTF8.self)
    }
}
