/// Reading into a parsed value and writing one back, for drivers that speak JSON APIs.
extension JSONValue {
    /// The value of member `key` of an object (the last one when repeated, as Go decodes it);
    /// nil for a missing member or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// The text of a string value; nil for any other kind.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The items of an array; nil for any other kind.
    public var array: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The value as compact JSON: members in order, numbers exactly as parsed, strings escaped as
    /// Go escapes them. For request bodies, where nothing is reordered or rounded.
    public var compactBytes: [UInt8] {
        var writer = GoJSONWriter()
        writer.compact(self)
        return writer.bytes
    }

    /// An object from `pairs`, in order.
    public static func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { Member(key: $0.key, value: $0.value) })
    }
}

extension GoJSONWriter {
    /// Writes `value` as `JSONValue.compactBytes` describes.
    public mutating func compact(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): raw(flag ? "true" : "false")
        case .number(let text): raw(text)
        case .string(let text): string(text)
        case .array(let items):
            byte("[")
            for (position, item) in items.enumerated() {
                if position > 0 { byte(",") }
                compact(item)
            }
            byte("]")
        case .object(let members):
            byte("{")
            for (position, member) in members.enumerated() {
                if position > 0 { byte(",") }
                string(member.key)
                byte(":")
                compact(member.value)
            }
            byte("}")
        }
    }
}
