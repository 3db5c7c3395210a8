import DaprMetadata

/// What a driver declares about itself: the type it serves, versions, directions, operations,
/// and the metadata fields a component may set (checked before any instance is created).
package struct DriverDescriptor: Sendable, Equatable, Codable {
    package struct Field: Sendable, Equatable, Codable {
        package var name: String
        package var description: String
        package var defaultValue: String?
        package var required: Bool
        package var sensitive: Bool
        /// The value's type as `FieldType.name` spells it (`string` for drivers built on ABI 1.0).
        package var type: String
        /// The values an enumeration accepts; empty for other types.
        package var allowedValues: [String]

        package init(
            name: String, description: String, defaultValue: String?, required: Bool, sensitive: Bool,
            type: FieldType = .string
        ) {
            (self.name, self.description, self.defaultValue) = (name, description, defaultValue)
            (self.required, self.sensitive) = (required, sensitive)
            (self.type, self.allowedValues) = (type.name, type.allowedValues)
        }

        /// What `bindery validate` checks the field's value against.
        var valueType: FieldType {
            FieldType(name: type, allowedValues: allowedValues) ?? .string
        }
    }

    package var type: String
    package var componentVersion: String
    package var driverVersion: String
    package var summary: String
    package var directions: [String]
    package var operations: [String]
    package var inputMayOverlap: Bool
    package var supportsCancel: Bool
    package var toolchain: String
    package var fields: [Field]

    var servesInput: Bool { directions.contains("input") }
    var servesOutput: Bool { directions.contains("output") }

    package init(
        type: String, componentVersion: String, driverVersion: String, summary: String, directions: [String],
        operations: [String], inputMayOverlap: Bool, supportsCancel: Bool, toolchain: String, fields: [Field]
    ) {
        self.type = type
        self.componentVersion = componentVersion
        self.driverVersion = driverVersion
        self.summary = summary
        self.directions = directions
        self.operations = operations
        self.inputMayOverlap = inputMayOverlap
        self.supportsCancel = supportsCancel
        self.toolchain = toolchain
        self.fields = fields
    }
}
