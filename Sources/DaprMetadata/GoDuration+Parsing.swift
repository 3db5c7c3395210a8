extension GoDuration {
    private static let units: [(String, Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Nanoseconds of `text` in Go's syntax, computed exactly (no floating point), as Go does.
    static func parseGo(_ text: String) throws(ParseError) -> Int64 {
        let invalid = ParseError(description: "time: invalid duration \"\(text)\"")
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest.removeFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { throw invalid }
        var total: Int64 = 0
        while !rest.isEmpty {
            let whole = rest.prefix(while: isDigit)
            rest.removeFirst(whole.count)
            var fraction = Substring("")
            if rest.first == "." {
                rest.removeFirst()
                fraction = rest.prefix(while: isDigit)
                rest.removeFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { throw invalid }
            let unitText = rest.prefix { !isDigit($0) && $0 != "." }
            rest.removeFirst(unitText.count)
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

    private static func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }

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
