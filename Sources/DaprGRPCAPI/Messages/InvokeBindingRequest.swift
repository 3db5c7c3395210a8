import ProtoWire

/// `dapr.proto.runtime.v1.InvokeBindingRequest` (dapr/proto/runtime/v1/binding.proto).
package struct InvokeBindingRequest: Sendable, Equatable {
    package static let typeName = "dapr.proto.runtime.v1.InvokeBindingRequest"

    /// The output binding (component) to invoke.
    package var name = ""
    /// Passed to the driver byte for byte.
    package var data: [UInt8] = []
    /// `map<string, string>`: a later entry with the same key wins, as in every protobuf decoder.
    package var metadata: [String: String] = [:]
    package var operation = ""

    package init(name: String = "", data: [UInt8] = [], metadata: [String: String] = [:], operation: String = "") {
        (self.name, self.data, self.metadata, self.operation) = (name, data, metadata, operation)
    }

    package init(decoding bytes: [UInt8]) throws(ProtoError) {
        var reader = ProtoReader(bytes)
        do throws(ProtoError) {
            while let field = try reader.next() {
                switch field.number {
                case 1: name = try field.string()
                case 2: data = try field.bytes()
                case 3:
                    let entry = try field.stringMapEntry()
                    metadata[entry.key] = entry.value
                case 4: operation = try field.string()
                default: continue
                }
            }
        } catch {
            throw error.inMessage(Self.typeName)
        }
    }

    /// Map entries sorted by key, as deterministic encoders write them.
    package func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, name)
        writer.bytes(2, data)
        writer.stringMap(3, metadata.sorted { $0.key < $1.key })
        writer.string(4, operation)
        return writer.bytes
    }
}
