import DriverJSON

extension ValueEncoder {
    /// `date`, `timestamp` and `timestamptz` in the ISO style, as pgx decodes them into a
    /// `time.Time` (UTC for the first two, the local zone for timestamptz) and Go encodes it.
    static func timestamp(_ text: String, oid: UInt32, to out: inout GoJSONWriter) throws(Failure) {
        if text == "infinity" || text == "-infinity" { return out.raw(text == "infinity" ? "1" : "-1") }
        var rest = Substring(text)
        let isBC = rest.hasSuffix(" BC")
        if isBC { rest = rest.dropLast(3) }
        let dateText = rest.prefix { $0 != " " }
        rest = rest.dropFirst(dateText.count).drop { $0 == " " }
        let dateParts = dateText.split(separator: "-")
        guard dateParts.count == 3, var year = Int(dateParts[0]), let month = Int(dateParts[1]),
            let day = Int(dateParts[2])
        else { throw Failure(message: "cannot read the timestamp \(text)") }
        if isBC { year = 1 - year }
        var offset = 0
        if oid == 1184, let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = rest[rest.index(after: sign)...].split(separator: ":").map { Int($0) ?? 0 }
            let seconds =
                (zone.first ?? 0) * 3600 + (zone.count > 1 ? zone[1] * 60 : 0) + (zone.count > 2 ? zone[2] : 0)
            offset = rest[sign] == "-" ? -seconds : seconds
            rest = rest[..<sign]
        }
        let micros = rest.isEmpty ? 0 : microseconds(ofClock: rest)
        let days = GoTime.days(year: year, month: month, day: day)
        let seconds = days * 86_400 - Int64(offset) + micros / 1_000_000
        let local = oid == 1184 ? GoTime.localOffset(seconds) : 0
        let shownYear = GoTime.civil(GoTime.floorDivide(seconds + Int64(local), 86_400).0).0
        guard (0...9999).contains(shownYear) else {
            throw Failure(
                message:
                    "json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]"
            )
        }
        out.string(GoTime.rfc3339Nano(seconds: seconds, fraction: micros % 1_000_000 * 1_000, offset: local))
    }
}
