/// Go's `time.Time.String()` for a UTC time: `2024-05-01 10:00:00.123456789 +0000 UTC`, the
/// fraction with trailing zeros trimmed and left out when zero (layout `.999999999`).
enum GoTime {
    static func utcString(unixNanoseconds: Int64) -> String {
        let seconds = unixNanoseconds.floorDivided(by: 1_000_000_000)
        let nanoseconds = Int(unixNanoseconds - seconds * 1_000_000_000)
        var text = CivilTime(localSeconds: seconds).description
        if nanoseconds != 0 {
            var fraction = nanoseconds.padded(9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + " +0000 UTC"
    }
}
