/// When a cron binding fires: a parsed schedule and its zone. Pure: no clock, no I/O.
///
/// Daylight-saving changes (Vixie cron's rule, documented in the README):
/// - a fixed-time schedule (no `*` in hour or minute, e.g. `30 2 * * *`, `@daily`) whose time
///   falls in a skipped hour fires once, at the instant the clock jumps; in a repeated hour it
///   fires only the first time that wall-clock time occurs;
/// - a schedule with `*` in hour or minute (e.g. `*/15 * * * *`, `@hourly`) follows elapsed
///   time: skipped wall-clock times do not exist, repeated ones fire again.
/// So no schedule fires twice for one wall-clock time, and none is skipped for good.
struct CronSchedule: Sendable {
    enum Kind: Sendable, Equatable {
        case calendar(CronFields)
        /// `@every`: a fixed interval in nanoseconds, measured from the start.
        case every(Int64)
    }

    var kind: Kind
    var zone: Zone

    /// The first firing strictly after `now` (Unix nanoseconds); `anchor` is when an `@every`
    /// schedule started. nil when the schedule never fires again.
    func next(after now: Int64, anchor: Int64) -> Int64? {
        switch kind {
        case .every(let interval):
            guard now >= anchor else { return anchor + interval }
            let elapsed = (now - anchor) / interval + 1
            let (offset, overflow) = elapsed.multipliedReportingOverflow(by: interval)
            return overflow ? nil : anchor.addingReportingOverflow(offset).partialValue
        case .calendar(let fields):
            return next(after: now, fields).map { $0 * 1_000_000_000 }
        }
    }

    /// The first matching Unix second after `now`, walking the zone's constant-offset spans.
    private func next(after now: Int64, _ fields: CronFields) -> Int64? {
        var second = now.floorDivided(by: 1_000_000_000) + 1
        let horizon = second + 9 * 366 * 86_400  // Feb 29 recurs within 8 years.
        while second < horizon {
            let offset = Int64(zone.offset(at: second))
            let spanEnd = zone.nextTransition(after: second)
            var civilStart = second + offset
            if !fields.followsElapsedTime, let spanStart = zone.lastTransition(atOrBefore: second) {
                // Wall-clock times before spanStart + previous offset already happened once.
                let previous = Int64(zone.offset(at: spanStart - 1))
                if previous > offset { civilStart = max(civilStart, spanStart + previous) }
            }
            let civilEnd = min(spanEnd.map { $0 + offset } ?? Int64.max, horizon + offset)
            if let match = fields.firstMatch(atOrAfter: civilStart, before: civilEnd) {
                return match - offset
            }
            guard let spanEnd else { return nil }
            let nextOffset = Int64(zone.offset(at: spanEnd))
            if !fields.followsElapsedTime, nextOffset > offset,
                fields.firstMatch(atOrAfter: spanEnd + offset, before: spanEnd + nextOffset) != nil
            {
                return spanEnd  // Its wall-clock time was skipped: fire as the clock jumps.
            }
            second = spanEnd
        }
        return nil
    }
}
