/// The six fields of a cron expression as bit sets, matched against wall-clock times.
///
/// Day matching follows robfig/cron: when day-of-month or day-of-week is `*` (or `?`) a day
/// must match both, otherwise either.
struct CronFields: Sendable, Equatable {
    var seconds, minutes, hours, daysOfMonth, months, daysOfWeek: UInt64
    var isDayOfMonthStar, isDayOfWeekStar: Bool
    /// True when the hour or minute field starts with `*`: such schedules follow elapsed time
    /// across DST changes, fixed-time ones fire once per wall-clock time (see CronSchedule).
    var followsElapsedTime: Bool

    static func bits(_ values: ClosedRange<Int>) -> UInt64 {
        values.reduce(0) { $0 | 1 << UInt64($1) }
    }

    func matchesDay(_ time: CivilTime) -> Bool {
        let dayOfMonth = daysOfMonth & 1 << UInt64(time.day) != 0
        let dayOfWeek = daysOfWeek & 1 << UInt64(time.weekday) != 0
        if isDayOfMonthStar || isDayOfWeekStar { return dayOfMonth && dayOfWeek }
        return dayOfMonth || dayOfWeek
    }

    /// True when some selected day of the month exists in some selected month, so the
    /// schedule fires at all (`0 0 30 2 *` never does).
    var canFire: Bool {
        guard !isDayOfMonthStar, isDayOfWeekStar else { return true }
        return (1...12).contains { month in
            months & 1 << UInt64(month) != 0
                && daysOfMonth & CronFields.bits(1...CivilTime.daysIn(month: month, year: 2000)) != 0
        }
    }

    /// The first wall-clock second at or after `start` (local seconds) that matches, if one
    /// comes before `limit` (exclusive).
    func firstMatch(atOrAfter start: Int64, before limit: Int64) -> Int64? {
        var t = start
        while t < limit {
            let c = CivilTime(localSeconds: t)
            if months & 1 << UInt64(c.month) == 0 {
                let nextMonth = c.month == 12 ? (c.year + 1, 1) : (c.year, c.month + 1)
                t = CivilTime(year: nextMonth.0, month: nextMonth.1, day: 1).localSeconds
            } else if !matchesDay(c) {
                t = CivilTime(year: c.year, month: c.month, day: c.day).localSeconds + 86_400
            } else if hours & 1 << UInt64(c.hour) == 0 {
                t = t - Int64(c.minute * 60 + c.second) + 3600
            } else if minutes & 1 << UInt64(c.minute) == 0 {
                t = t - Int64(c.second) + 60
            } else if seconds & 1 << UInt64(c.second) == 0 {
                t += 1
            } else {
                return t
            }
        }
        return nil
    }
}
