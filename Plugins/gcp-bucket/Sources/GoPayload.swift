import DriverJSON

/// A request body read as Go's `json.Unmarshal` reads it into one of Dapr's payload structs:
/// keys match field names case-insensitively, unknown keys are ignored, `null` leaves a field
/// unset, and a wrong type is an error worded as Go's.
struct GoPayload {
    enum Kind {
        case string, int32
    }

    struct Invalid: Error {
        var message: String
    }

    private(set) var strings: [String: String] = [:]
    private(set) var integers: [String: Int] = [:]

    /// Reads `data` as Go struct `goType` (`listPayload`, `movePayload`, …) with `fields`.
    init(_ data: [UInt8], as goType: String, fields: [(name: String, kind: Kind)]) throws(Invalid) {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes: data) } catch {
            throw Invalid(message: data.isEmpty ? "unexpected end of JSON input" : error.message)
        }
        guard case .object(let members) = value else {
            if case .null = value { return }
            throw Invalid(message: "json: cannot unmarshal \(value.goKind) into Go value of type bucket.\(goType)")
        }
        for member in members {
            guard let field = fields.first(where: { $0.name.lowercased() == member.key.lowercased() }) else { continue }
            let mismatch = { (kind: String) in
                Invalid(
                    message:
                        "json: cannot unmarshal \(kind) into Go struct field \(goType).\(field.name) of type \(field.kind)"
                )
            }
            switch (field.kind, member.value) {
            case (_, .null): continue
            case (.string, .string(let text)): strings[field.name] = text
            case (.int32, .number(let text)):
                guard let number = Int32(text) else { throw mismatch("number \(text)") }
                integers[field.name] = Int(number)
            default: throw mismatch(member.value.goKind)
            }
        }
    }

    func string(_ name: String) -> String { strings[name] ?? "" }
}
