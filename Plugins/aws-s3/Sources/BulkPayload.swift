import DriverJSON

/// The JSON bodies of `list`, `bulkGet`, `bulkCreate` and `bulkDelete`, read as Go's
/// `json.Unmarshal` reads them into Dapr's structs: keys match field names case-insensitively,
/// unknown keys are ignored, `null` leaves a field unset, a wrong type is an error worded as Go's.
struct BulkPayload {
    /// One item of `bulkGet` (`key`, `filePath`) or `bulkCreate` (also `data`, `contentType`).
    struct Item: Equatable {
        var key = ""
        var data: String?
        var contentType: String?
        var filePath: String?
    }

    var items: [Item] = []
    var keys: [String] = []
    var concurrency: Int?

    /// Why a body does not fit: Go's message for it.
    struct Invalid: Error {
        var message: String
    }

    /// Reads `text` as Dapr's `goType` struct (bulkGetPayload, bulkCreatePayload, bulkDeletePayload).
    static func parse(_ text: [UInt8], as goType: String) throws(Invalid) -> BulkPayload {
        let value: JSONValue
        do { value = try JSONValue.parse(String(decoding: text, as: UTF8.self)) } catch {
            throw Invalid(message: text.isEmpty ? "unexpected end of JSON input" : error.message)
        }
        var payload = BulkPayload()
        guard case .object(let members) = value else {
            if case .null = value { return payload }
            throw Invalid(message: "json: cannot unmarshal \(value.goKind) into Go value of type s3.\(goType)")
        }
        let itemType = goType == "bulkCreatePayload" ? "bulkCreateItem" : "bulkGetItem"
        for member in members {
            switch member.key.lowercased() {
            case "items" where goType != "bulkDeletePayload":
                payload.items = try array(member.value, struct: goType, field: "items") { value throws(Invalid) in
                    try item(value, struct: itemType, creating: goType == "bulkCreatePayload")
                }
            case "keys" where goType == "bulkDeletePayload":
                payload.keys = try array(member.value, struct: goType, field: "keys") { value throws(Invalid) in
                    try string(value, struct: goType, field: "keys") ?? ""
                }
            case "concurrency" where goType != "bulkDeletePayload":
                payload.concurrency = try integer(member.value, struct: goType, field: "concurrency", type: "int")
            default: continue
            }
        }
        return payload
    }

    private static func item(_ value: JSONValue, struct goStruct: String, creating: Bool) throws(Invalid) -> Item {
        var item = Item()
        guard case .object(let members) = value else {
            if case .null = value { return item }
            throw mismatch(value, struct: "bulkGetPayload", field: "items", type: "s3.\(goStruct)")
        }
        for member in members {
            let field = "items.\(member.key)"
            switch member.key.lowercased() {
            case "key": item.key = try string(member.value, struct: goStruct, field: field) ?? item.key
            case "filepath": item.filePath = try string(member.value, struct: goStruct, field: field)
            case "data" where creating: item.data = try string(member.value, struct: goStruct, field: field)
            case "contenttype" where creating:
                item.contentType = try string(member.value, struct: goStruct, field: field)
            default: continue
            }
        }
        return item
    }

    static func array<Element>(
        _ value: JSONValue, struct goStruct: String, field: String, _ element: (JSONValue) throws(Invalid) -> Element
    ) throws(Invalid) -> [Element] {
        switch value {
        case .null: return []
        case .array(let values):
            var out: [Element] = []
            for value in values { out.append(try element(value)) }
            return out
        default: throw mismatch(value, struct: goStruct, field: field, type: "[]")
        }
    }

    static func string(_ value: JSONValue, struct goStruct: String, field: String) throws(Invalid) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        default: throw mismatch(value, struct: goStruct, field: field, type: "string")
        }
    }

    static func integer(_ value: JSONValue, struct goStruct: String, field: String, type: String) throws(Invalid)
        -> Int?
    {
        switch value {
        case .null: return nil
        case .number(let text):
            let limit = type == "int32" ? Int(Int32.max) : Int.max
            guard let number = Int(text), abs(number) <= limit else {
                throw Invalid(
                    message:
                        "json: cannot unmarshal number \(text) into Go struct field \(goStruct).\(field) of type \(type)"
                )
            }
            return number
        default: throw mismatch(value, struct: goStruct, field: field, type: type)
        }
    }

    static func mismatch(_ value: JSONValue, struct goStruct: String, field: String, type: String) -> Invalid {
        Invalid(
            message: "json: cannot unmarshal \(value.goKind) into Go struct field \(goStruct).\(field) of type \(type)")
    }
}

/// `list`'s body: `{"maxResults": 10, "prefix": "…", "marker": "…", "delimiter": "/"}`.
struct ListPayload: Equatable {
    var marker = ""
    var prefix = ""
    /// Below 1 (or absent): Dapr's default, 1000.
    var maxResults = 0
    var delimiter = ""

    static func parse(_ text: [UInt8]) throws(BulkPayload.Invalid) -> ListPayload {
        var payload = ListPayload()
        guard !text.isEmpty else { return payload }
        let value: JSONValue
        do { value = try JSONValue.parse(String(decoding: text, as: UTF8.self)) } catch {
            throw BulkPayload.Invalid(message: error.message)
        }
        guard case .object(let members) = value else {
            if case .null = value { return payload }
            throw BulkPayload.Invalid(
                message: "json: cannot unmarshal \(value.goKind) into Go value of type s3.listPayload")
        }
        for member in members {
            let name = member.key
            switch name.lowercased() {
            case "marker":
                payload.marker =
                    try BulkPayload.string(member.value, struct: "listPayload", field: name) ?? payload.marker
            case "prefix":
                payload.prefix =
                    try BulkPayload.string(member.value, struct: "listPayload", field: name) ?? payload.prefix
            case "delimiter":
                payload.delimiter =
                    try BulkPayload.string(member.value, struct: "listPayload", field: name) ?? payload.delimiter
            case "maxresults":
                payload.maxResults =
                    try BulkPayload.integer(member.value, struct: "listPayload", field: name, type: "int32")
                    ?? payload.maxResults
            default: continue
            }
        }
        return payload
    }
}
