/// A time zone: the UTC offset in force at each instant, from a TZif file or fixed.
///
/// `transitions[i]` (Unix seconds, ascending) starts offset `offsets[i]` (seconds east of UTC).
/// Before the first transition `initialOffset` applies; after the last one the POSIX TZ `rule`
/// from the file's footer (when present) describes every later year, as Go's `time` does.
struct Zone: Sendable, CustomStringConvertible {
    /// The name Go would print for this location: the IANA name, `UTC`, or `Local`.
    var name: String
    var transitions: [Int64]
    var offsets: [Int]
    var initialOffset: Int
    var rule: PosixTZRule?

    static let utc = Zone(name: "UTC", transitions: [], offsets: [], initialOffset: 0, rule: nil)

    var description: String { name }

    /// The UTC offset in seconds east of UTC at Unix second `seconds`.
    func offset(at seconds: Int64) -> Int {
        guard let index = lastTableIndex(atOrBefore: seconds) else {
            if transitions.isEmpty, let rule { return rule.offset(at: seconds) }
            return initialOffset
        }
        if index == transitions.count - 1, let rule { return rule.offset(at: seconds) }
        return offsets[index]
    }

    /// The first instant after `seconds` at which the offset may change, if any.
    func nextTransition(after seconds: Int64) -> Int64? {
        let index = lastTableIndex(atOrBefore: seconds).map { $0 + 1 } ?? 0
        if index < transitions.count { return transitions[index] }
        return rule?.nextTransition(after: seconds)
    }

    /// The last instant at or before `seconds` at which the offset may have changed, if any.
    func lastTransition(atOrBefore seconds: Int64) -> Int64? {
        let tableTransition = lastTableIndex(atOrBefore: seconds).map { transitions[$0] }
        let isPastTable = tableTransition == transitions.last
        if isPastTable, let rule, let ruleTransition = rule.lastTransition(atOrBefore: seconds),
            ruleTransition > (tableTransition ?? Int64.min)
        {
            return ruleTransition
        }
        return tableTransition
    }

    /// Index of the last table transition at or before `seconds` (binary search).
    private func lastTableIndex(atOrBefore seconds: Int64) -> Int? {
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : low - 1
    }
}
