/// The `grpc-timeout` header: at most 8 ASCII digits and a unit (`H` hours, `M` minutes, `S`
/// seconds, `m` milliseconds, `u` microseconds, `n` nanoseconds), per gRPC over HTTP/2.
package enum GRPCTimeout {
    /// Nanoseconds, or nil when the value is malformed (the call then fails with INTERNAL, as
    /// grpc-go answers "malformed grpc-timeout").
    package static func parse(_ value: some StringProtocol) -> UInt64? { parse(utf8: value.utf8) }

    /// `parse` of the header's bytes as they arrive.
    package static func parse(utf8 bytes: some Collection<UInt8>) -> UInt64? {
        guard bytes.count >= 2, bytes.count <= 9 else { return nil }
        var number: UInt64 = 0
        for byte in bytes.dropLast() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            number = number * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        let unit: UInt64
        switch bytes[bytes.index(bytes.startIndex, offsetBy: bytes.count - 1)] {
        case UInt8(ascii: "H"): unit = 3_600_000_000_000
        case UInt8(ascii: "M"): unit = 60_000_000_000
        case UInt8(ascii: "S"): unit = 1_000_000_000
        case UInt8(ascii: "m"): unit = 1_000_000
        case UInt8(ascii: "u"): unit = 1_000
        case UInt8(ascii: "n"): unit = 1
        default: return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: unit)
        return overflow ? .max : product
    }

    /// The shortest exact-or-rounded-up encoding of `nanoseconds` that fits 8 digits.
    package static func format(nanoseconds: UInt64) -> String {
        let units: [(UInt64, Character)] = [
            (1, "n"), (1_000, "u"), (1_000_000, "m"), (1_000_000_000, "S"), (60_000_000_000, "M"),
            (3_600_000_000_000, "H"),
        ]
        for (size, unit) in units {
            let count = (nanoseconds + size - 1) / size
            if count <= 99_999_999 { return "\(count)\(unit)" }
        }
        return "99999999H"
    }
}
