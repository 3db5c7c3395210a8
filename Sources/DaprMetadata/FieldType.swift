/// The type of one metadata field, as a driver declares it: what the host checks a component's
/// value against before creating an instance, and how the driver then reads it.
public enum FieldType: Hashable, Sendable {
    /// Any text (the default).
    case string
    /// Dapr's truthy words or their false counterparts (see `MetadataText.boolean`).
    case bool
    /// A decimal integer.
    case int
    /// A Go duration (`1m30s`) or a whole number of seconds (see `GoDuration.init?(parsing:)`).
    case duration
    /// A Kubernetes quantity such as `4Mi` (see `ByteSize`).
    case byteSize
    /// One of these values, matched case-insensitively.
    case enumeration([String])

    /// What is wrong with `value` for this type, as the end of "…, expected <problem>"; nil when
    /// it is valid. An empty value is valid for every type: it means "not set".
    public func problem(with value: String) -> String? {
        guard !value.isEmpty else { return nil }
        switch self {
        case .string:
            return nil
        case .bool:
            return MetadataText.boolean(value) == nil ? "a boolean: true, false, yes, no, on, off, 1 or 0" : nil
        case .int:
            return MetadataText.integer(value) == nil ? "a whole number" : nil
        case .duration:
            return GoDuration(parsing: value) == nil
                ? "a Go duration such as \"500ms\" or \"5s\", or a number of seconds" : nil
        case .byteSize:
            return ByteSize(parsing: value) == nil ? "a size such as \"4Mi\", \"512Ki\" or a number of bytes" : nil
        case .enumeration(let allowed):
            return match(value) == nil ? "one of " + allowed.map { "\"\($0)\"" }.joined(separator: ", ") : nil
        }
    }

    /// Checks `value` of `field` in `component`; the problem names all three.
    public func validate(_ value: String, field: String, component: String) -> MetadataProblem? {
        problem(with: value).map { MetadataProblem(component: component, field: field, value: value, expected: $0) }
    }

    /// For an enumeration: the allowed value `value` matches, spelled as declared.
    public func match(_ value: String) -> String? {
        guard case .enumeration(let allowed) = self else { return value }
        let word = MetadataText.trimmed(value).lowercased()
        return allowed.first { $0.lowercased() == word }
    }
}
