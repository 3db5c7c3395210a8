import ProtoWire

/// `dapr.proto.runtime.v1.SetMetadataRequest` (dapr/proto/runtime/v1/metadata.proto): one
/// attribute of the sidecar's extended metadata.
package struct SetMetadataRequest: Sendable, Equatable {
    package static let typeName = "dapr.proto.runtime.v1.SetMetadataRequest"

    package var key = ""
    package var value = ""

    package init(key: String = "", value: String = "") { (self.key, self.value) = (key, value) }

    package init(decoding bytes: [UInt8]) throws(ProtoError) {
        var reader = ProtoReader(bytes)
        do throws(ProtoError) {
            while let field = try reader.next() {
                switch field.number {
                case 1: key = try field.string()
                case 2: value = try field.string()
                default: continue
                }
            }
        } catch {
            throw error.inMessage(Self.typeName)
        }
    }

    package func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, key)
        writer.string(2, value)
        return writer.bytes
    }
}

/// A message with no fields we read (`GetMetadataRequest`, `google.protobuf.Empty`): decoding
/// only checks that the bytes are a well-formed message, as protobuf-go's unmarshal does.
package enum EmptyMessage {
    package static func validate(_ bytes: [UInt8], as typeName: String) throws(ProtoError) {
        var reader = ProtoReader(bytes)
        do throws(ProtoError) {
            while try reader.next() != nil {}
        } catch {
            throw error.inMessage(typeName)
        }
    }
}
