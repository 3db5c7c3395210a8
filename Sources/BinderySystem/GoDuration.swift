/// Go duration strings (`time.ParseDuration`): `5s`, `1m30s`, `500ms`, `1.5h`, `-2us`, `0`.
package enum GoDuration {
    private static let units: [String: Double] = [
        "ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9,
    ]

    /// The duration, or nil when `text` is not a Go duration (or does not fit 64-bit nanoseconds).
    package static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .zero }
        guard !rest.isEmpty else { return nil }
        var nanoseconds = 0.0
        while !rest.isEmpty {
            let whole = rest.prefix(while: \.isASCIIDigit)
            rest = rest.dropFirst(whole.count)
            var fraction = Substring("")
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix(while: \.isASCIIDigit)
                rest = rest.dropFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { return nil }
            let unitText = rest.prefix { !$0.isASCIIDigit && $0 != "." }
            rest = rest.dropFirst(unitText.count)
            guard let unit = units[String(unitText)], let number = Double("\(whole.isEmpty ? "0" : whole).\(fraction)0") else {
                return nil
            }
            nanoseconds += number * unit
        }
        guard nanoseconds < 9.223372036854775e18 else { return nil }
        let value = Int64(nanoseconds.rounded(.towardZero))
        return .nanoseconds(negative ? -value : value)
    }

    /// Dapr's rule for `spec.initTimeout`: missing, invalid or not positive means 5 seconds.
    package static func initTimeout(_ text: String) -> Duration {
        guard let duration = parse(text), duration > .zero else { return .seconds(5) }
        return duration
    }
}

private extension Character {
    package var isASCIIDigit: Bool { isASCII && isNumber }
}
