/// One configuration key the driver reads from a component's `spec.metadata`.
public struct MetadataField: Sendable {
    public var name: String
    public var description: String
    public var defaultValue: String?
    public var isRequired: Bool
    public var isSensitive: Bool
    /// What the host checks a value against before create, and what `ComponentMetadata` reads it as.
    public var type: FieldType

    public init(
        _ name: some MetadataKey, _ type: FieldType = .string, required: Bool = false,
        default defaultValue: String? = nil,
        sensitive: Bool = false, description: String
    ) {
        self.name = name.metadataKeyName
        self.type = type
        self.description = description
        self.defaultValue = defaultValue
        self.isRequired = required
        self.isSensitive = sensitive
    }
}
