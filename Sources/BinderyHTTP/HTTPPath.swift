/// Helpers for request paths, which arrive percent-encoded.
package enum HTTPPath {
    /// Percent-decodes one path segment (`%2F` → `/`, `+` stays `+`); nil when a `%` is not
    /// followed by two hex digits or the result is not UTF-8.
    package static func percentDecoded<S: StringProtocol>(_ segment: S) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(segment.utf8.count)
        var iterator = segment.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == 0x25 else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hex), let low = iterator.next().flatMap(hex) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The path's segments, split on `/` before decoding (so `%2F` stays inside a segment).
    package static func segments<S: StringProtocol>(_ path: S) -> [String]? {
        var result: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = percentDecoded(part) else { return nil }
            result.append(decoded)
        }
        return result
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
