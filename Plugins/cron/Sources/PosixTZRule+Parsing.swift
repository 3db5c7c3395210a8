extension PosixTZRule {
    /// Parses a POSIX TZ string as found in TZif footers; nil when it is not one.
    init?(_ text: String) {
        var scanner = Scanner(Array(text.utf8))
        guard scanner.skipName(), let standardWest = scanner.time(maxHours: 24) else { return nil }
        standardOffset = -standardWest
        if scanner.isAtEnd {
            daylight = nil
            return
        }
        guard scanner.skipName() else { return nil }
        var daylightOffset = standardOffset + 3600
        if let peek = scanner.peek, peek != UInt8(ascii: ",") {
            guard let west = scanner.time(maxHours: 24) else { return nil }
            daylightOffset = -west
        }
        // Go's default when a daylight name has no rule: the US rule since 2007.
        var start = DateRule.monthWeekDay(month: 3, week: 2, weekday: 0)
        var end = DateRule.monthWeekDay(month: 11, week: 1, weekday: 0)
        var startTime = 7200
        var endTime = 7200
        if scanner.skip(","), let parsed = scanner.dateRule() {
            start = parsed
            if scanner.skip("/") {
                guard let t = scanner.time(maxHours: 167) else { return nil }
                startTime = t
            }
            guard scanner.skip(","), let parsedEnd = scanner.dateRule() else { return nil }
            end = parsedEnd
            if scanner.skip("/") {
                guard let t = scanner.time(maxHours: 167) else { return nil }
                endTime = t
            }
        }
        guard scanner.isAtEnd else { return nil }
        daylight = Daylight(offset: daylightOffset, start: start, startTime: startTime, end: end, endTime: endTime)
    }
}

/// A cursor over the bytes of a POSIX TZ string.
private struct Scanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index >= bytes.count }
    var peek: UInt8? { isAtEnd ? nil : bytes[index] }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard peek == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// `<...>` or three or more letters.
    mutating func skipName() -> Bool {
        if skip("<") {
            while let byte = peek, byte != UInt8(ascii: ">") { index += 1 }
            return skip(">")
        }
        let start = index
        while let byte = peek, (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "z") { index += 1 }
        return index - start >= 3
    }

    mutating func number(maxDigits: Int = 3) -> Int? {
        var value = 0
        var digits = 0
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < maxDigits {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits == 0 ? nil : value
    }

    /// `[+-]hh[:mm[:ss]]` in seconds.
    mutating func time(maxHours: Int) -> Int? {
        let sign = skip("-") ? -1 : (skip("+") ? 1 : 1)
        guard let hours = number(), hours <= maxHours else { return nil }
        var total = hours * 3600
        if skip(":") {
            guard let minutes = number(maxDigits: 2), minutes < 60 else { return nil }
            total += minutes * 60
            if skip(":") {
                guard let seconds = number(maxDigits: 2), seconds < 60 else { return nil }
                total += seconds
            }
        }
        return sign * total
    }

    mutating func dateRule() -> PosixTZRule.DateRule? {
        if skip("J") {
            guard let n = number(), (1...365).contains(n) else { return nil }
            return .julianNoLeap(n)
        }
        if skip("M") {
            guard let month = number(maxDigits: 2), (1...12).contains(month), skip("."),
                let week = number(maxDigits: 1), (1...5).contains(week), skip("."),
                let weekday = number(maxDigits: 1), (0...6).contains(weekday)
            else { return nil }
            return .monthWeekDay(month: month, week: week, weekday: weekday)
        }
        guard let n = number(), (0...365).contains(n) else { return nil }
        return .julian(n)
    }
}
