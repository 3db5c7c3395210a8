import DriverJSON

/// The DynamoDB item Dapr's binding writes for a request's data: Go's `json.Unmarshal` into an
/// `interface{}`, then the AWS SDK's `attributevalue.MarshalMap` on the result.
///
/// That pair decides every attribute's type, and this type reproduces it:
/// - a JSON object becomes `M` (keys as written; of a repeated key the last wins, as in a Go map;
///   an empty key fails with the SDK's "map key cannot be empty", at any depth);
/// - a string becomes `S`, the empty string included (the v2 SDK no longer turns it into NULL);
/// - a number becomes `N`: Go decodes it to a float64 and the SDK prints it with
///   `strconv.FormatFloat(f, 'f', -1, 64)`, so `1.50` is stored as `1.5`, `1e3` as `1000`,
///   `12345678901234567890` as `12345678901234567000`; a number beyond float64 fails as in Go;
/// - `true`/`false` become `BOOL`, `null` becomes `NULL: true`;
/// - an array becomes `L` (an empty one stays an empty `L`: `json.Unmarshal` makes a non-nil slice).
///
/// Data that is not an object gives the SDK's empty map (no error): PutItem then fails at
/// DynamoDB because the item lacks its key, which is what a Dapr user sees too.
enum AttributeValue {
    /// Why the data cannot become an item, worded as Go words it.
    struct Problem: Error, Equatable {
        var message: String
    }

    /// The item for `data`, as DynamoDB's JSON wire shape (`{"name": {"S": "x"}, …}`).
    static func item(fromJSON data: [UInt8]) throws(Problem) -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONValue.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw Problem(message: error.message)
        }
        // json.Unmarshal fails on a number beyond float64 before MarshalMap runs at all.
        try checkNumbers(value)
        guard case .object(let members) = value else { return .object([]) }
        return try map(members)
    }

    /// Throws for the first number (in document order) that does not fit a float64, as
    /// `json.Unmarshal` reports it.
    private static func checkNumbers(_ value: JSONValue) throws(Problem) {
        switch value {
        case .number(let text): _ = try number(text)
        case .array(let items): for item in items { try checkNumbers(item) }
        case .object(let members): for member in members { try checkNumbers(member.value) }
        case .null, .bool, .string: break
        }
    }

    /// One value as an AttributeValue (`{"S": …}`, `{"N": …}`, …).
    static func attribute(_ value: JSONValue) throws(Problem) -> JSONValue {
        switch value {
        case .null: return typed("NULL", .bool(true))
        case .bool(let flag): return typed("BOOL", .bool(flag))
        case .string(let text): return typed("S", .string(text))
        case .number(let text): return typed("N", .string(try number(text)))
        case .array(let items):
            var list: [JSONValue] = []
            list.reserveCapacity(items.count)
            for item in items { list.append(try attribute(item)) }
            return typed("L", .array(list))
        case .object(let members): return typed("M", try map(members))
        }
    }

    /// An object's members as an attribute map: of a repeated key the last value wins.
    private static func map(_ members: [JSONValue.Member]) throws(Problem) -> JSONValue {
        var map: [JSONValue.Member] = []
        var positions: [String: Int] = [:]
        for member in members {
            guard !member.key.isEmpty else { throw Problem(message: "marshal failed, map key cannot be empty") }
            let converted = try attribute(member.value)
            if let position = positions[member.key] {
                map[position].value = converted
            } else {
                positions[member.key] = map.count
                map.append(JSONValue.Member(key: member.key, value: converted))
            }
        }
        return .object(map)
    }

    private static func typed(_ type: String, _ value: JSONValue) -> JSONValue {
        .object([JSONValue.Member(key: type, value: value)])
    }

    /// A JSON number as Go decodes it into a float64 and the SDK prints it: shortest digits that
    /// read back as the same float64, never with an exponent.
    static func number(_ text: String) throws(Problem) -> String {
        guard let value = Double(text), value.isFinite else {
            throw Problem(message: "json: cannot unmarshal number \(text) into Go value of type float64")
        }
        return GoJSONWriter.fixed(value)
    }
}
