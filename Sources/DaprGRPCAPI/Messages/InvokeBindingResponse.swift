import ProtoWire

/// `dapr.proto.runtime.v1.InvokeBindingResponse` (dapr/proto/runtime/v1/binding.proto).
package struct InvokeBindingResponse: Sendable, Equatable {
    package static let typeName = "dapr.proto.runtime.v1.InvokeBindingResponse"

    /// The driver's response body, byte for byte.
    package var data: [UInt8] = []
    /// What the driver returned beside the data (also sent as `metadata.KEY` response headers).
    package var metadata: [String: String] = [:]

    package init(data: [UInt8] = [], metadata: [String: String] = [:]) {
        (self.data, self.metadata) = (data, metadata)
    }

    package init(decoding bytes: [UInt8]) throws(ProtoError) {
        var reader = ProtoReader(bytes)
        do throws(ProtoError) {
            while let field = try reader.next() {
                switch field.number {
                case 1: data = try field.bytes()
                case 2:
                    let entry = try field.stringMapEntry()
                    metadata[entry.key] = entry.value
                default: continue
                }
            }
        } catch {
            throw error.inMessage(Self.typeName)
        }
    }

    package func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.bytes(1, data)
        writer.stringMap(2, metadata.sorted { $0.key < $1.key })
        return writer.bytes
    }

    /// `InvokeBindingResponse(data:metadata:).encoded()` with the metadata as a driver returns
    /// it, pairs in which a later key wins: when the keys are already in order (as drivers
    /// usually return them) the pairs are written as they are, with no dictionary to build and sort.
    package static func encoded(data: [UInt8], metadata: [(key: String, value: String)]) -> [UInt8] {
        let ordered = zip(metadata, metadata.dropFirst()).allSatisfy { $0.key < $1.key }
        guard ordered else {
            return InvokeBindingResponse(data: data, metadata: Dictionary(metadata.map { ($0.key, $0.value) }) { $1 })
                .encoded()
        }
        var size = 5 + data.count
        for (key, value) in metadata { size += 8 + key.utf8.count + value.utf8.count }
        var writer = ProtoWriter(capacity: size)
        writer.bytes(1, data)
        writer.stringMap(2, metadata)
        return writer.bytes
    }
}
