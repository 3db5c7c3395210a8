import PluginABI

/// The directions a driver serves: input (events to the app), output (calls from the app).
public struct Directions: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let input = Directions(rawValue: BD_DIR_INPUT)
    public static let output = Directions(rawValue: BD_DIR_OUTPUT)
}

/// What a driver is: the `spec.type` it serves, its version, directions, operations and fields.
public struct DriverDescriptor: Sendable {
    public var type: String
    public var componentVersion: String
    public var version: String
    public var summary: String
    public var directions: Directions
    public var operations: [String]
    /// True when two generations may run input at once during a swap (queues with acks).
    /// False for exclusive sources such as cron, which must never deliver a tick twice.
    public var inputMayOverlap: Bool
    public var fields: [MetadataField]

    public init(
        type: String, componentVersion: String = "v1", version: String, summary: String,
        directions: Directions, operations: [String] = [], inputMayOverlap: Bool = false,
        fields: [MetadataField] = []
    ) {
        self.type = type
        self.componentVersion = componentVersion
        self.version = version
        self.summary = summary
        self.directions = directions
        self.operations = operations
        self.inputMayOverlap = inputMayOverlap
        self.fields = fields
    }
}

extension DriverDescriptor {
    /// Builds the C descriptor in memory that is never freed: the host reads it for the life
    /// of the process (drivers are never unloaded).
    func makeCDescriptor() -> UnsafePointer<bd_driver_descriptor> {
        let fieldPointers = UnsafeMutablePointer<UnsafePointer<bd_metadata_field>?>.allocate(
            capacity: max(fields.count, 1))
        for (index, field) in fields.enumerated() {
            var cField = bd_metadata_field()
            cField.struct_size = UInt32(MemoryLayout<bd_metadata_field>.size)
            cField.name = permanentStr(field.name)
            cField.description = permanentStr(field.description)
            cField.default_value = permanentStr(field.defaultValue ?? "")
            cField.flags =
                (field.isRequired ? BD_FIELD_REQUIRED : 0)
                | (field.isSensitive ? BD_FIELD_SENSITIVE : 0)
            cField.type = field.type.code
            let allowed = field.type.allowedValues
            let values = UnsafeMutablePointer<bd_str>.allocate(capacity: max(allowed.count, 1))
            for (index, value) in allowed.enumerated() { values[index] = permanentStr(value) }
            cField.allowed_values = UnsafePointer(values)
            cField.allowed_count = allowed.count
            fieldPointers[index] = UnsafePointer(permanent(cField))
        }
        let ops = UnsafeMutablePointer<bd_str>.allocate(capacity: max(operations.count, 1))
        for (index, op) in operations.enumerated() { ops[index] = permanentStr(op) }

        var d = bd_driver_descriptor()
        d.struct_size = UInt32(MemoryLayout<bd_driver_descriptor>.size)
        d.type_name = permanentStr(type)
        d.component_version = permanentStr(componentVersion)
        d.driver_version = permanentStr(version)
        d.directions = directions.rawValue
        d.operations = UnsafePointer(ops)
        d.operation_count = operations.count
        d.features = inputMayOverlap ? UInt64(BD_FEAT_INPUT_OVERLAP_OK) : 0
        d.toolchain = permanentStr(SwiftToolchain.descriptorName)
        d.fields = UnsafePointer(fieldPointers)
        d.field_count = fields.count
        d.summary = permanentStr(summary)
        return UnsafePointer(permanent(d))
    }
}

private func permanent<T>(_ value: T) -> UnsafeMutablePointer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
    pointer.initialize(to: value)
    return pointer
}

private func permanentStr(_ text: String) -> bd_str {
    let bytes = Array(text.utf8)
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
    for (index, byte) in bytes.enumerated() { buffer[index] = CChar(bitPattern: byte) }
    return bd_str(ptr: UnsafePointer(buffer), len: bytes.count)
}
