import BinderyCore
import DaprMetadata
import PluginABI

extension DriverDescriptor {
    /// Reads and validates the descriptor a driver returned; the reason names what is wrong.
    package init(reading d: bd_driver_descriptor) throws(DescriptorProblem) {
        let type = String(d.type_name)
        guard !type.isEmpty else { throw DescriptorProblem("type_name is empty") }
        guard !type.contains(where: { $0.isWhitespace }) else {
            throw DescriptorProblem("type_name \"\(type)\" contains white space")
        }
        let known = BD_DIR_INPUT | BD_DIR_OUTPUT
        guard d.directions != 0 else { throw DescriptorProblem("directions is 0 (neither input nor output)") }
        guard d.directions & ~known == 0 else {
            throw DescriptorProblem("directions has unknown bits 0x\(String(d.directions & ~known, radix: 16))")
        }
        let directions =
            (d.directions & BD_DIR_INPUT != 0 ? ["input"] : []) + (d.directions & BD_DIR_OUTPUT != 0 ? ["output"] : [])
        let operations = (0..<d.operation_count).map { String(d.operations[$0]) }
        if let duplicate = Self.firstDuplicate(operations) {
            throw DescriptorProblem("operation \"\(duplicate)\" is listed twice")
        }
        if let empty = operations.firstIndex(of: "") { throw DescriptorProblem("operation \(empty) has an empty name") }
        let summary = withUnsafePointer(to: d) { pointer in hasSummary(pointer) ? String(d.summary) : "" }
        self.init(
            type: type, componentVersion: String(d.component_version), driverVersion: String(d.driver_version),
            summary: summary, directions: directions, operations: operations,
            inputMayOverlap: d.features & UInt64(BD_FEAT_INPUT_OVERLAP_OK) != 0,
            supportsCancel: d.features & UInt64(BD_FEAT_CANCEL) != 0,
            toolchain: String(d.toolchain), fields: try Self.fields(d))
    }

    private static func fields(_ d: bd_driver_descriptor) throws(DescriptorProblem) -> [Field] {
        var result: [Field] = []
        for index in 0..<d.field_count {
            guard let pointer = d.fields?[index] else { throw DescriptorProblem("metadata field \(index) is NULL") }
            let f = Self.copy(pointer)
            let name = String(f.name)
            guard !name.isEmpty else { throw DescriptorProblem("metadata field \(index) has an empty name") }
            let defaultValue = String(f.default_value)
            result.append(
                Field(
                    name: name, description: String(f.description),
                    defaultValue: defaultValue.isEmpty ? nil : defaultValue,
                    required: f.flags & BD_FIELD_REQUIRED != 0, sensitive: f.flags & BD_FIELD_SENSITIVE != 0,
                    type: try fieldType(f, name: name)))
        }
        if let duplicate = firstDuplicate(result.map(\.name)) {
            throw DescriptorProblem("metadata field \"\(duplicate)\" is listed twice")
        }
        return result
    }

    /// The field's type (ABI 1.1). A 1.0 driver's struct ends before `allowed_count`; `type`
    /// alone is no test, as it lies in the 1.0 struct's tail padding. Unknown types read as strings.
    private static func fieldType(_ f: bd_metadata_field, name: String) throws(DescriptorProblem) -> FieldType {
        let end = MemoryLayout<bd_metadata_field>.offset(of: \.allowed_count)! + MemoryLayout<Int>.size
        guard Int(f.struct_size) >= end else { return .string }
        guard f.allowed_count == 0 || f.allowed_values != nil else {
            throw DescriptorProblem("metadata field \"\(name)\" lists \(f.allowed_count) allowed values but no array")
        }
        let allowed = (0..<f.allowed_count).map { String(f.allowed_values[$0]) }
        if f.type == BD_FIELD_TYPE_ENUM, allowed.isEmpty {
            throw DescriptorProblem("metadata field \"\(name)\" is an enumeration with no allowed values")
        }
        return FieldType(code: f.type, allowedValues: allowed) ?? .string
    }

    /// The driver's field copied over a zeroed one, `struct_size` bytes at most: a 1.0 driver's
    /// struct is shorter than this header's, and reading past its end could leave its mapping.
    private static func copy(_ pointer: UnsafePointer<bd_metadata_field>) -> bd_metadata_field {
        var field = bd_metadata_field()
        let size = UnsafeRawPointer(pointer).load(as: UInt32.self)
        withUnsafeMutableBytes(of: &field) { destination in
            destination.copyMemory(
                from: UnsafeRawBufferPointer(start: pointer, count: min(Int(size), destination.count)))
        }
        field.struct_size = size
        return field
    }

    private static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted }
    }
}

/// `BD_HAS(descriptor, bd_driver_descriptor, summary)`, which Swift cannot import as a macro.
private func hasSummary(_ pointer: UnsafePointer<bd_driver_descriptor>) -> Bool {
    let end = MemoryLayout<bd_driver_descriptor>.offset(of: \.summary)! + MemoryLayout<bd_str>.size
    return Int(pointer.pointee.struct_size) >= end
}

/// Why a descriptor was refused.
package struct DescriptorProblem: Error {
    package let reason: String
    package init(_ reason: String) { self.reason = reason }
}
