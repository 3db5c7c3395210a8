/// A component's `spec.metadata` read as daprd reads it: keys match case-insensitively, empty
/// values count as unset, the declared defaults fill what the component leaves out, and typed
/// reads check the value.
///
/// Every error is an `invalidArgument` `DriverError` naming the component and the field and
/// quoting the value: `orders: metadata "poolSize" is "many", expected a whole number`.
/// A read that names several keys (a field and its older spellings) takes the first one the
/// component sets, else the first one with a default.
public struct ComponentMetadata: Sendable {
    /// The component's name, for messages.
    public let component: String
    private let values: [String: String]
    private let fields: [String: MetadataField]

    /// Reads `configuration`'s metadata against the driver's declared `fields`.
    public init(_ configuration: DriverConfiguration, fields: [MetadataField]) {
        component = configuration.componentName
        var values: [String: String] = [:]
        // Sorted, so that of two spellings of one key (`redisHost` and `REDISHOST`) the same one
        // wins every time: the one that sorts first.
        for (key, value) in configuration.metadata.sorted(by: { $0.key > $1.key }) where !value.isEmpty {
            values[key.lowercased()] = value
        }
        self.values = values
        var declared: [String: MetadataField] = [:]
        for field in fields { declared[field.name.lowercased()] = field }
        self.fields = declared
    }

    /// The first of `keys` that is set or has a default, with its text.
    public func lookup(_ keys: [any MetadataKey]) -> (key: String, text: String)? {
        let names = keys.map(\.metadataKeyName)
        for name in names { if let text = values[name.lowercased()] { return (name, text) } }
        for name in names {
            if let text = fields[name.lowercased()]?.defaultValue, !text.isEmpty { return (name, text) }
        }
        return nil
    }

    /// True when the component itself sets `key` (not only its default).
    public func isSet(_ key: any MetadataKey) -> Bool { values[key.metadataKeyName.lowercased()] != nil }

    /// The text of the first of `keys` that is set or has a default.
    public func string(_ keys: any MetadataKey...) -> String? { lookup(keys)?.text }

    /// The text of `key`, or an error saying that it is required.
    public func required(_ key: any MetadataKey) throws(DriverError) -> String {
        guard let text = lookup([key])?.text else {
            throw DriverError(.invalidArgument, "\(component): metadata \"\(key.metadataKeyName)\" is required")
        }
        return text
    }

    /// A boolean: Dapr's truthy words are true, their counterparts false, anything else an error.
    public func bool(_ keys: any MetadataKey...) throws(DriverError) -> Bool? {
        try read(keys, as: .bool) { MetadataText.boolean($0) }
    }

    /// A decimal integer, within `range` when given.
    public func int(_ keys: any MetadataKey..., range: ClosedRange<Int>? = nil) throws(DriverError) -> Int? {
        guard let (key, text) = lookup(keys) else { return nil }
        guard let number = MetadataText.integer(text), range?.contains(number) ?? true else {
            let expected = range.map { "a whole number from \($0.lowerBound) to \($0.upperBound)" } ?? "a whole number"
            throw invalid(key, text, expected: expected)
        }
        return number
    }

    /// A Go duration or a whole number of seconds, not below `minimum` when given.
    public func duration(_ keys: any MetadataKey..., minimum: GoDuration? = nil) throws(DriverError) -> GoDuration? {
        guard let value = try read(keys, as: .duration, { GoDuration(parsing: String(MetadataText.trimmed($0))) })
        else { return nil }
        if let minimum, value < minimum, let (key, text) = lookup(keys) {
            throw invalid(key, text, expected: "a duration of \(minimum) or more")
        }
        return value
    }

    /// A byte size such as `4Mi`.
    public func byteSize(_ keys: any MetadataKey...) throws(DriverError) -> ByteSize? {
        try read(keys, as: .byteSize) { ByteSize(parsing: $0) }
    }

    /// One of the values the field declares (`FieldType.enumeration`), spelled as declared.
    public func enumeration(_ key: any MetadataKey) throws(DriverError) -> String? {
        let type = fields[key.metadataKeyName.lowercased()]?.type ?? .string
        return try read([key], as: type) { type.match($0) }
    }

    /// The error for `text` of `key` not being `expected`.
    /// A sensitive field's value (a password, a key) is never repeated in the message.
    public func invalid(_ key: any MetadataKey, _ text: String, expected: String) -> DriverError {
        let name = key.metadataKeyName
        guard fields[name.lowercased()]?.isSensitive != true else {
            let message = "\(component): metadata \"\(name)\" (sensitive, not shown) is not \(expected)"
            return DriverError(.invalidArgument, message)
        }
        let problem = MetadataProblem(component: component, field: name, value: text, expected: expected)
        return DriverError(.invalidArgument, problem.description)
    }

    private func read<Value>(_ keys: [any MetadataKey], as type: FieldType, _ parse: (String) -> Value?)
        throws(DriverError) -> Value?
    {
        guard let (key, text) = lookup(keys) else { return nil }
        guard let value = parse(text) else {
            throw invalid(key, text, expected: type.problem(with: text) ?? type.name)
        }
        return value
    }
}
