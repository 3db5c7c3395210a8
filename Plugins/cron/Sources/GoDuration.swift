/// Go's `time.ParseDuration`: a sequence of decimal numbers with units, such as `300ms`,
/// `1m30s`, `1.5h` or `-2h45m`. Units: ns, us (µs, μs), ms, s, m, h. A lone `0` is valid.
enum GoDuration {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    private static let units: [(String, Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// The duration in nanoseconds; errors read like Go's (`time: invalid duration "x"`).
    static func nanoseconds(_ text: String) throws(ParseError) -> Int64 {
        let invalid = ParseError(description: "time: invalid duration \"\(text)\"")
        var scalars = Substring(text)
        var negative = false
        if let sign = scalars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            scalars.removeFirst()
        }
        if scalars == "0" { return 0 }
        guard !scalars.isEmpty else { throw invalid }
        var total: Int64 = 0
        while !scalars.isEmpty {
            let whole = scalars.prefix { $0.isASCII && $0.isNumber }
            scalars.removeFirst(whole.count)
            var fraction = Substring("")
            if scalars.first == "." {
                scalars.removeFirst()
                fraction = scalars.prefix { $0.isASCII && $0.isNumber }
                scalars.removeFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { throw invalid }
            let unitText = scalars.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            scalars.removeFirst(unitText.count)
            guard let unit = units.first(where: { $0.0 == unitText })?.1 else {
                if unitText.isEmpty { throw ParseError(description: "time: missing unit in duration \"\(text)\"") }
                throw ParseError(description: "time: unknown unit \"\(unitText)\" in duration \"\(text)\"")
            }
            guard let part = nanoseconds(whole: whole, fraction: fraction, unit: unit),
                case (let sum, false) = total.addingReportingOverflow(part)
            else { throw invalid }
            total = sum
        }
        return negative ? -total : total
    }

    /// `whole.fraction` × `unit`, the fraction truncated to nanoseconds; nil on overflow.
    private static func nanoseconds(whole: Substring, fraction: Substring, unit: Int64) -> Int64? {
        guard let value = whole.isEmpty ? 0 : Int64(whole),
            case (let product, false) = value.multipliedReportingOverflow(by: unit)
        else { return nil }
        var scale: Int64 = 1
        var digits: Int64 = 0
        for digit in fraction.prefix(18) {
            digits = digits * 10 + Int64(digit.wholeNumberValue ?? 0)
            scale *= 10
        }
        // digits < scale, so digits × unit / scale < unit: the 128-bit division cannot overflow.
        let fractionPart = scale.dividingFullWidth(digits.multipliedFullWidth(by: unit)).quotient
        return product.addingReportingOverflow(fractionPart).overflow ? nil : product + fractionPart
    }
}
