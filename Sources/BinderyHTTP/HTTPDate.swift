import Glibc

/// The `Date` header value (IMF-fixdate, RFC 9110 5.6.7), formatted at most once a second.
package struct HTTPDate {
    private var second: time_t = -1
    private(set) var text: [UInt8] = []

    /// The value for now, reformatted when the second changed.
    package mutating func current() -> ArraySlice<UInt8> {
        let now = time(nil)
        if now != second {
            second = now
            text = Self.format(now)
        }
        return text[...]
    }

    package static func format(_ time: time_t) -> [UInt8] {
        var t = time
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let text =
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
        return Array(text.utf8)
    }
}
