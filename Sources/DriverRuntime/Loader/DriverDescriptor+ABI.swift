import BinderyCore
import PluginABI

extension DriverDescriptor {
    /// Reads and validates the descriptor a driver returned; the reason names what is wrong.
    package init(reading d: bd_driver_descriptor) throws(DescriptorProblem) {
        let type = String(d.type_name)
        guard !type.isEmpty else { throw DescriptorProblem("type_name is empty") }
        guard !type.contains(where: { $0.isWhitespace }) else { throw DescriptorProblem("type_name \"\(type)\" contains white space") }
        let known = BD_DIR_INPUT | BD_DIR_OUTPUT
        guard d.directions != 0 else { throw DescriptorProblem("directions is 0 (neither input nor output)") }
        guard d.directions & ~known == 0 else {
            throw DescriptorProblem("directions has unknown bits 0x\(String(d.directions & ~known, radix: 16))")
        }
        let directions = (d.directions & BD_DIR_INPUT != 0 ? ["input"] : []) + (d.directions & BD_DIR_OUTPUT != 0 ? ["output"] : [])
        let operations = (0..<d.operation_count).map { String(d.operations[$0]) }
        if let duplicate = Self.firstDuplicate(operations) { throw DescriptorProblem("operation \"\(duplicate)\" is listed twice") }
        if let empty = operations.firstIndex(of: "") { throw DescriptorProblem("operation \(empty) has an empty name") }
        let summary = withUnsafePointer(to: d) { pointer in BD_HAS_summary(pointer) ? String(d.summary) : "" }
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
            let f = pointer.pointee
            let name = String(f.name)
            guard !name.isEmpty else { throw DescriptorProblem("metadata field \(index) has an empty name") }
            let defaultValue = String(f.default_value)
            result.append(Field(
                name: name, description: String(f.description),
                defaultValue: defaultValue.isEmpty ? nil : defaultValue,
                required: f.flags & BD_FIELD_REQUIRED != 0, sensitive: f.flags & BD_FIELD_SENSITIVE != 0))
        }
        if let duplicate = firstDuplicate(result.map(\.name)) { throw DescriptorProblem("metadata field \"\(duplicate)\" is listed twice") }
        return result
    }

    private static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted }
    }
}

/// `BD_HAS(descriptor, bd_driver_descriptor, summary)`, which Swift cannot import as a macro.
private func BD_HAS_summary(_ pointer: UnsafePointer<bd_driver_descriptor>) -> Bool {
    let end = MemoryLayout<bd_driver_descriptor>.offset(of: \.summary)! + MemoryLayout<bd_str>.size
    return Int(pointer.pointee.struct_size) >= end
}

/// Why a descriptor was refused.
package struct DescriptorProblem: Error {
    package let reason: String
    package init(_ reason: String) { self.reason = reason }
}
