/// For drivers reading Dapr metadata: a duration written as Go's `time.ParseDuration` accepts it (`1h30m`, `500ms`, `2.5s`) or, as
/// Dapr's metadata decoder also accepts, a whole number of seconds (`30`).
public struct GoDuration: Equatable, Sendable {
    public var nanoseconds: Int64

    /// Parses `text`; nil when it is neither a Go duration nor a whole number of seconds.
    public init?(parsing text: String) {
        if let value = GoDuration.parseGo(Substring(text)) {
            nanoseconds = value
        } else if let seconds = Int64(text), let value = GoDuration.multiply(seconds, 1_000_000_000) {
            nanoseconds = value
        } else {
            return nil
        }
    }

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public var milliseconds: Int64 { (nanoseconds + 999_999) / 1_000_000 }

    private static let units: [(suffix: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// time.ParseDuration: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or "0".
    private static func parseGo(_ text: Substring) -> Int64? {
        var rest = text
        var sign = 1.0
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.suffix == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.nanoseconds
        }
        let result = sign * total
        guard result.magnitude < 9.2e18 else { return nil }
        return Int64(result.rounded())
    }

    private static func multiply(_ a: Int64, _ b: Int64) -> Int64? {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : value
    }
}

extension GoDuration: CustomStringConvertible {
    /// Go's short form for round values (`200ms`, `5s`), else nanoseconds.
    public var description: String {
        for (suffix, unit) in [("h", Int64(3_600_000_000_000)), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000), ("µs", 1_000)]
        where nanoseconds != 0 && nanoseconds % unit == 0 {
            return "\(nanoseconds / unit)\(suffix)"
        }
        return "\(nanoseconds)ns"
    }
}
