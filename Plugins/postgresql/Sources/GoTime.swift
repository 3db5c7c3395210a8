import Glibc

/// Go's time texts that Dapr's driver writes: `time.RFC3339Nano` (the `start-time` and
/// `end-time` metadata, and timestamps in `query` rows) and `time.Duration.String` (`duration`).
enum GoTime {
    /// Wall-clock now, in nanoseconds since the Unix epoch.
    static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// `2006-01-02T15:04:05.999999999Z07:00` for `nanoseconds` since the epoch, in UTC ("Z")
    /// or at `offset` seconds east of UTC: trailing zeros of the fraction dropped, as Go does.
    static func rfc3339Nano(_ nanoseconds: Int64, offset: Int = 0) -> String {
        let (seconds, fraction) = floorDivide(nanoseconds, 1_000_000_000)
        return rfc3339Nano(seconds: seconds, fraction: fraction, offset: offset)
    }

    /// The same for `seconds` since the epoch plus `fraction` nanoseconds (0 to 999,999,999).
    static func rfc3339Nano(seconds: Int64, fraction: Int64, offset: Int = 0) -> String {
        let (days, secondOfDay) = floorDivide(seconds + Int64(offset), 86_400)
        let (year, month, day) = civil(days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(Int(secondOfDay / 3600), 2) + ":" + pad(Int(secondOfDay / 60 % 60), 2) + ":"
        text += pad(Int(secondOfDay % 60), 2)
        if fraction > 0 {
            var digits = pad(Int(fraction), 9)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        guard offset != 0 else { return text + "Z" }
        let minutes = abs(offset) / 60
        return text + (offset < 0 ? "-" : "+") + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2)
    }

    /// The local zone's offset from UTC at `seconds` since the epoch (Go's `time.Local`).
    static func localOffset(_ seconds: Int64) -> Int {
        var time = time_t(seconds)
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (civil_from_days).
    static func civil(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }

    /// Go's `time.Duration.String`: `1h2m3.5s`, `12.345ms`, `1.5µs`, `0s`.
    static func duration(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let value = nanoseconds.magnitude
        if value < 1_000 { return sign + "\(value)ns" }
        if value < 1_000_000 { return sign + decimal(value, 3) + "µs" }
        if value < 1_000_000_000 { return sign + decimal(value, 6) + "ms" }
        let hours = value / 3_600_000_000_000
        let minutes = value / 60_000_000_000 % 60
        var text = sign
        if hours > 0 { text += "\(hours)h" }
        if hours > 0 || minutes > 0 { text += "\(minutes)m" }
        return text + decimal(value % 60_000_000_000, 9) + "s"
    }

    /// `value` / 10^places with the fraction's trailing zeros (and a bare point) dropped.
    private static func decimal(_ value: UInt64, _ places: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<places { scale *= 10 }
        var fraction = pad(Int(value % scale), places)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(value / scale)" + (fraction.isEmpty ? "" : "." + fraction)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor - (value % divisor < 0 ? 1 : 0)
        return (quotient, value - quotient * divisor)
    }
}
