import DaprMetadata
import DriverJSON
import DriverKit

/// The line of line protocol one `create` writes, from data shaped as Dapr's binding takes it:
/// `{"measurement": "cpu", "tags": "host=a", "values": "usage=0.64"}`.
///
/// Dapr prints the three with `%s,%s %s`, so strings are raw line-protocol pieces, written as
/// sent. Beyond Dapr (which prints junk such as `map[host:a]` for them): `tags` and `values` may
/// be JSON objects, escaped here as line protocol requires (tags sorted; numbers are floats,
/// true/false booleans, strings quoted); empty or missing `tags` writes no tag set (Dapr writes
/// `cpu, usage=…`, which InfluxDB refuses); a missing `measurement` takes the component's.
enum LinePoint {
    /// Dapr's words for data it cannot read.
    static let invalidData = "influx error: Cannot convert request data"

    static func line(_ data: [UInt8], defaultMeasurement: String?) throws(DriverError) -> String {
        guard let value = try? JSONValue.parse(bytes: data), case .object = value else {
            throw DriverError(.invalidArgument, invalidData)
        }
        let tags = value["tags"] ?? .null
        let values = value["values"] ?? .null
        let structured = tags.isObject || values.isObject
        let measurement: String
        switch value["measurement"] {
        case .string(let text) where !text.isEmpty: measurement = structured ? try escaped(text, ", ") : text
        case nil, .null?:
            guard let defaultMeasurement else { throw invalid("it has no \"measurement\"") }
            measurement = structured ? try escaped(defaultMeasurement, ", ") : defaultMeasurement
        default: throw invalid("\"measurement\" is not a non-empty string")
        }
        let tagSet = try tagText(tags)
        let fieldSet = try fieldText(values)
        return measurement + (tagSet.isEmpty ? "" : "," + tagSet) + " " + fieldSet
    }

    private static func tagText(_ tags: JSONValue) throws(DriverError) -> String {
        switch tags {
        case .null: return ""
        case .string(let text): return text
        case .object(let members):
            var latest: [String: String] = [:]
            for member in members {
                guard let text = scalarText(member.value), !text.isEmpty, !member.key.isEmpty else {
                    throw invalid("tag \(GoText.quoted(member.key)) needs a non-empty string, number or boolean value")
                }
                latest[member.key] = text
            }
            return try latest.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                .map { key throws(DriverError) in try escaped(key, ",= ") + "=" + escaped(latest[key] ?? "", ",= ") }
                .joined(separator: ",")
        default: throw invalid("\"tags\" is not a string or an object")
        }
    }

    private static func fieldText(_ values: JSONValue) throws(DriverError) -> String {
        switch values {
        case .string(let text) where !text.isEmpty: return text
        case .object(let members) where !members.isEmpty:
            var order: [String] = []
            var latest: [String: String] = [:]
            for member in members {
                guard !member.key.isEmpty else { throw invalid("a field has an empty name") }
                let text: String
                switch member.value {
                case .number(let literal): text = literal
                case .bool(let flag): text = flag ? "true" : "false"
                case .string(let string): text = "\"" + (try escaped(string, "\"\\")) + "\""
                default:
                    throw invalid("field \(GoText.quoted(member.key)) needs a number, boolean or string value")
                }
                if latest[member.key] == nil { order.append(member.key) }
                latest[member.key] = text
            }
            return try order.map { key throws(DriverError) in try escaped(key, ",= ") + "=" + (latest[key] ?? "") }
                .joined(separator: ",")
        case .null: throw invalid("it has no \"values\"")
        default: throw invalid("\"values\" is not a non-empty string or object")
        }
    }

    /// A tag value as text: strings as they are, numbers as written, booleans as words.
    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let literal): literal
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// `text` with a backslash before each of `characters` (line protocol's escaping: `, ` in a
    /// measurement, `,= ` in keys and tag values, `"\` in string fields). Line protocol has no
    /// escape for a line break, so one is refused.
    static func escaped(_ text: String, _ characters: String) throws(DriverError) -> String {
        let special = Set(characters.unicodeScalars)
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" { throw invalid("\(GoText.quoted(text)) holds a line break") }
            if special.contains(scalar) { result.unicodeScalars.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    private static func invalid(_ problem: String) -> DriverError {
        DriverError(.invalidArgument, invalidData + ": " + problem)
    }
}

extension JSONValue {
    fileprivate var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
