/// The POSIX TZ string at the end of a TZif v2+ file (e.g. `CET-1CEST,M3.5.0,M10.5.0/3`), which
/// describes every year after the file's last transition. Offsets are stored east of UTC.
struct PosixTZRule: Sendable, Equatable {
    /// A day of the year in a POSIX rule.
    enum DateRule: Sendable, Equatable {
        /// `Jn`: day 1...365, February 29 never counted.
        case julianNoLeap(Int)
        /// `n`: day 0...365, February 29 counted.
        case julian(Int)
        /// `Mm.w.d`: weekday d (0 = Sunday) of week w (5 = last) of month m.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// Daylight time: its offset, and when it starts and ends (a date rule and seconds after
    /// local midnight each).
    struct Daylight: Sendable, Equatable {
        var offset: Int
        var start: DateRule, startTime: Int
        var end: DateRule, endTime: Int
    }

    var standardOffset: Int
    var daylight: Daylight?

    func offset(at seconds: Int64) -> Int {
        guard let daylight else { return standardOffset }
        let year = CivilTime(localSeconds: seconds + Int64(standardOffset)).year
        let (start, end) = transitions(in: year, daylight)
        let isDaylight = start < end ? (start <= seconds && seconds < end) : !(end <= seconds && seconds < start)
        return isDaylight ? daylight.offset : standardOffset
    }

    func nextTransition(after seconds: Int64) -> Int64? {
        candidates(near: seconds).first { $0 > seconds }
    }

    func lastTransition(atOrBefore seconds: Int64) -> Int64? {
        candidates(near: seconds).last { $0 <= seconds }
    }

    private func candidates(near seconds: Int64) -> [Int64] {
        guard let daylight else { return [] }
        let year = CivilTime(localSeconds: seconds).year
        return (year - 1...year + 1).flatMap { y -> [Int64] in
            let pair = transitions(in: y, daylight)
            return [pair.start, pair.end]
        }.sorted()
    }

    /// The instants daylight time starts and ends in `year`.
    private func transitions(in year: Int, _ daylight: Daylight) -> (start: Int64, end: Int64) {
        let start = Int64(day(daylight.start, in: year)) * 86_400 + Int64(daylight.startTime - standardOffset)
        let end = Int64(day(daylight.end, in: year)) * 86_400 + Int64(daylight.endTime - daylight.offset)
        return (start, end)
    }

    /// Days since 1970-01-01 of `rule` in `year`.
    private func day(_ rule: DateRule, in year: Int) -> Int {
        let january1 = CivilTime.days(year: year, month: 1, day: 1)
        switch rule {
        case .julianNoLeap(let n):
            return january1 + n - 1 + (CivilTime.isLeap(year) && n >= 60 ? 1 : 0)
        case .julian(let n):
            return january1 + n
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilTime(year: year, month: month, day: 1).weekday
            var day = 1 + (weekday - first + 7) % 7 + (week - 1) * 7
            while day > CivilTime.daysIn(month: month, year: year) { day -= 7 }
            return CivilTime.days(year: year, month: month, day: day)
        }
    }
}
