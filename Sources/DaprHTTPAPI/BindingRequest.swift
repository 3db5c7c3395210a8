import BinderyCore

/// The body of `POST /v1.0/bindings/{name}`, decoded as daprd decodes it: Go's `json.Decoder`
/// into `{data any; metadata map[string]string; operation string}`, keys matched
/// case-insensitively, unknown keys ignored, bytes after the first value not read.
package struct BindingRequest: Sendable {
    /// `data` re-encoded as Go's `json.Marshal` would (`null` when absent).
    package var data: [UInt8]
    package var metadata: Pairs
    package var operation: String

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    package static func decode(_ body: [UInt8]) throws(Failure) -> BindingRequest {
        let value: JSONValue
        do { value = try JSONParser.parseFirst(body) } catch { throw Failure(description: error.description) }
        guard case .object(let members) = value else {
            throw Failure(
                description: "json: cannot unmarshal \(value.goKind) into Go value of type http.OutputBindingRequest")
        }
        var data = JSONValue.null
        var metadata: Pairs = []
        var operation = ""
        for (key, member) in members {
            switch key.lowercased() {
            case "data": data = member
            case "operation":
                switch member {
                case .string(let text): operation = text
                case .null: break
                default: throw fieldType(member, field: "operation", type: "string")
                }
            case "metadata": metadata = try decodeMetadata(member)
            default: continue
            }
        }
        let encoded: [UInt8]
        do { encoded = try GoJSON.marshal(data) } catch { throw Failure(description: error.description) }
        return BindingRequest(data: encoded, metadata: metadata, operation: operation)
    }

    private static func decodeMetadata(_ value: JSONValue) throws(Failure) -> Pairs {
        switch value {
        case .null: return []
        case .object(let members):
            var result: Pairs = []
            var positions: [String: Int] = [:]
            for (key, member) in members {
                guard case .string(let text) = member else {
                    throw fieldType(member, field: "metadata", type: "string")
                }
                if let position = positions[key] {
                    result[position].value = text
                } else {
                    positions[key] = result.count
                    result.append((key, text))
                }
            }
            return result
        default:
            throw fieldType(value, field: "metadata", type: "map[string]string")
        }
    }

    private static func fieldType(_ value: JSONValue, field: String, type: String) -> Failure {
        Failure(
            description:
                "json: cannot unmarshal \(value.goKind) into Go struct field OutputBindingRequest.\(field) of type \(type)"
        )
    }
}
