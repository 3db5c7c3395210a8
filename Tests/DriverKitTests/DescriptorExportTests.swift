import PluginABI
import Testing

@testable import DriverKit

@Suite struct DescriptorExportTests {
    @Test func fieldTypeCodesAreTheHeaders() {
        #expect(FieldType.string.code == BD_FIELD_TYPE_STRING)
        #expect(FieldType.bool.code == BD_FIELD_TYPE_BOOL)
        #expect(FieldType.int.code == BD_FIELD_TYPE_INT)
        #expect(FieldType.duration.code == BD_FIELD_TYPE_DURATION)
        #expect(FieldType.byteSize.code == BD_FIELD_TYPE_BYTE_SIZE)
        #expect(FieldType.enumeration([]).code == BD_FIELD_TYPE_ENUM)
    }

    @Test func exportedFieldsCarryTypeAndAllowedValues() throws {
        let descriptor = DriverDescriptor(
            type: "bindings.test", version: "1.0.0", summary: "Test.", directions: .output,
            fields: [
                MetadataField("interval", .duration, default: "1s", description: "Tick."),
                MetadataField("mode", .enumeration(["fast", "slow"]), description: "Mode."),
            ])
        let c = descriptor.makeCDescriptor().pointee
        #expect(c.field_count == 2)
        let interval = try #require(c.fields[0]).pointee
        #expect(Int(interval.struct_size) == MemoryLayout<bd_metadata_field>.size)
        #expect(interval.type == BD_FIELD_TYPE_DURATION)
        #expect(interval.allowed_count == 0)
        let mode = try #require(c.fields[1]).pointee
        #expect(mode.type == BD_FIELD_TYPE_ENUM)
        #expect(mode.allowed_count == 2)
        let second = mode.allowed_values[1]
        #expect(String(decoding: UnsafeRawBufferPointer(start: second.ptr, count: second.len), as: UTF8.self) == "slow")
    }
}
