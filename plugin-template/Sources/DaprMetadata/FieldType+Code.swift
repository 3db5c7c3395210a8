extension FieldType {
    /// The number that stands for this type in `bd_metadata_field.type` (ABI 1.1): the
    /// `BD_FIELD_*` type constants of bindery_driver.h, which a DriverKit test pins equal.
    public var code: UInt32 {
        switch self {
        case .string: 0
        case .bool: 1
        case .int: 2
        case .duration: 3
        case .byteSize: 4
        case .enumeration: 5
        }
    }

    /// The allowed values of an enumeration; empty for every other type.
    public var allowedValues: [String] {
        if case .enumeration(let allowed) = self { return allowed }
        return []
    }

    /// The type a driver declared as `code` (and, for an enumeration, its allowed values); nil
    /// for a code this build does not know (a newer driver), which the host treats as a string.
    public init?(code: UInt32, allowedValues: [String] = []) {
        switch code {
        case 0: self = .string
        case 1: self = .bool
        case 2: self = .int
        case 3: self = .duration
        case 4: self = .byteSize
        case 5: self = .enumeration(allowedValues)
        default: return nil
        }
    }

    /// A word for documentation (`bindery inspect`, READMEs): string, bool, int, duration, byte size, enum.
    public var name: String {
        switch self {
        case .string: "string"
        case .bool: "bool"
        case .int: "int"
        case .duration: "duration"
        case .byteSize: "byte size"
        case .enumeration: "enum"
        }
    }

    /// The type `name` names (as `name` spells it); nil for a word this build does not know.
    public init?(name: String, allowedValues: [String] = []) {
        guard let code = (0...5).first(where: { FieldType(code: UInt32($0))?.name == name }) else { return nil }
        self.init(code: UInt32(code), allowedValues: allowedValues)
    }
}
