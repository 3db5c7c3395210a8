/// A Go `time.Duration`: whole nanoseconds in 64 bits, read from Go's duration syntax.
///
/// Two readings exist, and Dapr uses both:
/// - `init(go:)` is Go's `time.ParseDuration`: a sequence of decimal numbers with units, such as
///   `300ms`, `1m30s`, `1.5h` or `-2h45m`; units ns, us (µs, μs), ms, s, m, h; a lone `0`.
/// - `init?(parsing:)` is how Dapr's metadata decoder reads a duration field: Go's syntax, or,
///   when that fails, a whole number of seconds (`30`).
public struct GoDuration: Hashable, Comparable, Sendable {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Go's `time.ParseDuration`; the error reads like Go's (`time: invalid duration "x"`).
    public init(go text: String) throws(GoDuration.ParseError) {
        nanoseconds = try GoDuration.parseGo(text)
    }

    /// A Dapr metadata duration: Go's syntax or a whole number of seconds; nil when neither.
    public init?(parsing text: String) {
        if let value = try? GoDuration.parseGo(text) {
            nanoseconds = value
        } else if let seconds = Int64(text),
            case (let value, false) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        {
            nanoseconds = value
        } else {
            return nil
        }
    }

    /// The same span as a Swift `Duration`.
    public var duration: Duration { .nanoseconds(nanoseconds) }

    /// Whole milliseconds, rounded up (so that a positive timeout never becomes 0).
    public var milliseconds: Int64 { nanoseconds / 1_000_000 + (nanoseconds % 1_000_000 > 0 ? 1 : 0) }

    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Why a text is not a Go duration, worded as Go's `time.ParseDuration` words it.
    public struct ParseError: Error, Hashable, CustomStringConvertible, Sendable {
        public var description: String
        public init(description: String) { self.description = description }
    }
}

extension GoDuration {
    /// Go's `time.ParseDuration` as a Swift `Duration`; nil when `text` is not a Go duration.
    public static func parse(_ text: String) -> Duration? {
        (try? GoDuration(go: text))?.duration
    }

    /// Dapr's rule for a component's `spec.initTimeout`: missing, invalid or not positive means 5 seconds.
    public static func initTimeout(_ text: String) -> Duration {
        guard let duration = parse(text), duration > .zero else { return .seconds(5) }
        return duration
    }
}

extension GoDuration: CustomStringConvertible {
    /// Go's short form for round values (`200ms`, `5s`, `1h`, `0s`), else nanoseconds (`1500ns`).
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        let units: [(String, Int64)] = [
            ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000), ("µs", 1_000),
        ]
        for (suffix, unit) in units where nanoseconds != 0 && nanoseconds % unit == 0 {
            return "\(nanoseconds / unit)\(suffix)"
        }
        return "\(nanoseconds)ns"
    }
}
