import DaprMetadata

/// Parses cron schedules as Dapr's fork of robfig/cron does (seconds optional, descriptors,
/// `CRON_TZ=`/`TZ=` prefix), with error texts close to its own.
enum CronParser {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    private struct Bounds {
        var min: Int
        var max: Int
        /// Upper end of `*` and `a/n`; below `max` only for day-of-week, where 7 is also Sunday.
        var starMax: Int
        var names: [String: Int] = [:]
    }

    private static let second = Bounds(min: 0, max: 59, starMax: 59)
    private static let minute = Bounds(min: 0, max: 59, starMax: 59)
    private static let hour = Bounds(min: 0, max: 23, starMax: 23)
    private static let dayOfMonth = Bounds(min: 1, max: 31, starMax: 31)
    private static let month = Bounds(
        min: 1, max: 12, starMax: 12,
        names: Dictionary(
            uniqueKeysWithValues: [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                "oct", "nov", "dec",
            ].enumerated().map { ($1, $0 + 1) }))
    private static let dayOfWeek = Bounds(
        min: 0, max: 7, starMax: 6,
        names: Dictionary(
            uniqueKeysWithValues: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
                .enumerated().map { ($1, $0) }))

    /// The schedule `text` means; `loadZone` resolves zone names (tests may inject one).
    static func parse(
        _ text: String, loadZone: (String) throws(ZoneLoader.LoadError) -> Zone = ZoneLoader.load
    ) throws(ParseError) -> CronSchedule {
        var spec = Substring(text)
        guard !spec.isEmpty else { throw ParseError(description: "empty spec string") }
        var zone = Zone.utc
        var zoneName = "Local"
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            guard let space = spec.firstIndex(where: { $0 == " " || $0 == "\t" }),
                let equals = spec.firstIndex(of: "=")
            else { throw ParseError(description: "time zone prefix must be followed by a space and a schedule") }
            zoneName = String(spec[spec.index(after: equals)..<space])
            spec = spec[space...].drop { $0 == " " || $0 == "\t" }
        }
        do { zone = try loadZone(zoneName) } catch {
            throw ParseError(description: "provided bad location \(zoneName): \(error)")
        }
        if spec.hasPrefix("@") { return CronSchedule(kind: try descriptor(String(spec)), zone: zone) }
        let fields = spec.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        guard fields.count == 5 || fields.count == 6 else {
            throw ParseError(
                description: "expected 5 to 6 fields, found \(fields.count): [\(fields.joined(separator: " "))]")
        }
        let all = fields.count == 5 ? ["0"] + fields : fields
        let parsed = try CronFields(
            seconds: field(all[0], second).bits, minutes: field(all[1], minute).bits,
            hours: field(all[2], hour).bits, daysOfMonth: field(all[3], dayOfMonth).bits,
            months: field(all[4], month).bits, daysOfWeek: foldSunday(field(all[5], dayOfWeek).bits),
            isDayOfMonthStar: field(all[3], dayOfMonth).isStar, isDayOfWeekStar: field(all[5], dayOfWeek).isStar,
            followsElapsedTime: all[1].hasPrefix("*") || all[2].hasPrefix("*"))
        guard parsed.canFire else {
            throw ParseError(
                description: "day of month \(all[3]) never occurs in month \(all[4]), so it would never fire")
        }
        return CronSchedule(kind: .calendar(parsed), zone: zone)
    }

    private static func foldSunday(_ bits: UInt64) -> UInt64 {
        bits & 1 << 7 != 0 ? (bits & ~(1 << 7)) | 1 : bits
    }

    private static func descriptor(_ text: String) throws(ParseError) -> CronSchedule.Kind {
        let every = "@every "
        if text.hasPrefix(every) {
            let duration = String(text.dropFirst(every.count)).trimmingSpaces
            let nanoseconds: Int64
            do { nanoseconds = try GoDuration(go: duration).nanoseconds } catch {
                throw ParseError(description: "failed to parse duration \(text): \(error)")
            }
            guard nanoseconds > 0 else {
                throw ParseError(description: "@every needs a positive duration, got \(duration)")
            }
            return .every(nanoseconds)
        }
        let allHours = CronFields.bits(0...23)
        let allDays = CronFields.bits(1...31)
        let allMonths = CronFields.bits(1...12)
        let allWeekdays = CronFields.bits(0...6)
        func fields(
            hours: UInt64 = 1, days: UInt64 = 1 << 1, months: UInt64 = 1 << 1, weekdays: UInt64 = allWeekdays,
            dayStar: Bool = false, weekdayStar: Bool = true, elapsed: Bool = false
        ) -> CronSchedule.Kind {
            .calendar(
                CronFields(
                    seconds: 1, minutes: 1, hours: hours, daysOfMonth: days, months: months,
                    daysOfWeek: weekdays, isDayOfMonthStar: dayStar, isDayOfWeekStar: weekdayStar,
                    followsElapsedTime: elapsed))
        }
        switch text.trimmingSpaces {
        case "@yearly", "@annually": return fields()
        case "@monthly": return fields(months: allMonths)
        case "@weekly": return fields(days: allDays, months: allMonths, weekdays: 1, dayStar: true, weekdayStar: false)
        case "@daily", "@midnight": return fields(days: allDays, months: allMonths, dayStar: true)
        case "@hourly": return fields(hours: allHours, days: allDays, months: allMonths, dayStar: true, elapsed: true)
        default: throw ParseError(description: "unrecognized descriptor: \(text)")
        }
    }

    /// A comma-separated list of ranges: the union of their bits; star if any part is a star.
    private static func field(_ text: String, _ bounds: Bounds) throws(ParseError) -> (bits: UInt64, isStar: Bool) {
        var bits: UInt64 = 0
        var isStar = false
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw ParseError(description: "empty item in list: \(text)") }
            let range = try range(String(part), bounds)
            bits |= range.bits
            isStar = isStar || range.isStar
        }
        return (bits, isStar)
    }

    private static func range(_ text: String, _ bounds: Bounds) throws(ParseError) -> (bits: UInt64, isStar: Bool) {
        let rangeAndStep = text.split(separator: "/", omittingEmptySubsequences: false)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false)
        var start: Int
        var end: Int
        var isStar = false
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            guard lowAndHigh.count == 1 else {
                throw ParseError(description: "a range cannot start with \(lowAndHigh[0]): \(text)")
            }
            (start, end, isStar) = (bounds.min, bounds.starMax, true)
        } else {
            start = try number(String(lowAndHigh[0]), bounds.names, in: text)
            switch lowAndHigh.count {
            case 1: end = start
            case 2: end = try number(String(lowAndHigh[1]), bounds.names, in: text)
            default: throw ParseError(description: "too many hyphens: \(text)")
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            step = try number(String(rangeAndStep[1]), [:], in: text)
            if lowAndHigh.count == 1, !isStar { end = bounds.starMax }
            if step > 1 { isStar = false }
        default: throw ParseError(description: "too many slashes: \(text)")
        }
        if start < bounds.min {
            throw ParseError(description: "beginning of range (\(start)) below minimum (\(bounds.min)): \(text)")
        }
        if end > bounds.max {
            throw ParseError(description: "end of range (\(end)) above maximum (\(bounds.max)): \(text)")
        }
        if start > end {
            throw ParseError(description: "beginning of range (\(start)) beyond end of range (\(end)): \(text)")
        }
        if step == 0 { throw ParseError(description: "step of range should be a positive number: \(text)") }
        return (stride(from: start, through: end, by: step).reduce(0) { $0 | 1 << UInt64($1) }, isStar)
    }

    private static func number(_ text: String, _ names: [String: Int], in expression: String) throws(ParseError) -> Int
    {
        if let named = names[text.lowercased()] { return named }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), text.utf8.count <= 9,
            let value = Int(text)
        else {
            if text.hasPrefix("-") {
                throw ParseError(description: "negative number (\(text)) not allowed: \(expression)")
            }
            throw ParseError(description: "failed to parse int from \(text): \(expression)")
        }
        return value
    }
}

extension String {
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
