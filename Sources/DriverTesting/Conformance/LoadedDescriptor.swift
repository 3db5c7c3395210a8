import PluginABI

/// A Swift copy of the descriptor a built driver reports through the ABI (the v1.0 fields; fields
/// appended by later minor versions are not read).
public struct LoadedDescriptor: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var description: String
        /// nil when the driver declares no default (an empty `default_value`).
        public var defaultValue: String?
        public var required: Bool
        public var sensitive: Bool
    }

    public var type: String
    public var componentVersion: String
    public var driverVersion: String
    /// "input", "output" or both, in that order.
    public var directions: [String]
    public var operations: [String]
    public var fields: [Field]
    public var toolchain: String
    public var summary: String

    init(_ c: bd_driver_descriptor) {
        type = CStrings.text(c.type_name)
        componentVersion = CStrings.text(c.component_version)
        driverVersion = CStrings.text(c.driver_version)
        directions = [(BD_DIR_INPUT, "input"), (BD_DIR_OUTPUT, "output")].filter { c.directions & $0.0 != 0 }.map(\.1)
        let operationList: UnsafePointer<bd_str>? = c.operations
        operations = operationList.map { list in (0..<c.operation_count).map { CStrings.text(list[$0]) } } ?? []
        let fieldList: UnsafePointer<UnsafePointer<bd_metadata_field>?>? = c.fields
        fields = (0..<(fieldList == nil ? 0 : c.field_count)).compactMap { index in
            guard let field = fieldList?[index]?.pointee else { return nil }
            let defaultValue = CStrings.text(field.default_value)
            return Field(
                name: CStrings.text(field.name), description: CStrings.text(field.description),
                defaultValue: defaultValue.isEmpty ? nil : defaultValue,
                required: field.flags & BD_FIELD_REQUIRED != 0, sensitive: field.flags & BD_FIELD_SENSITIVE != 0)
        }
        toolchain = CStrings.text(c.toolchain)
        summary = CStrings.text(c.summary)
    }
}
