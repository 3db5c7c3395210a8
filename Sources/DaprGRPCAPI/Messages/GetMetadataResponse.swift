import ProtoWire

/// `dapr.proto.runtime.v1.GetMetadataResponse` (dapr/proto/runtime/v1/metadata.proto), the
/// fields bindery fills: actors, subscriptions, HTTP endpoints, scheduler, workflows, MCP
/// servers and resiliencies (2, 5, 6, 11–15) are never set and are skipped when decoding.
package struct GetMetadataResponse: Sendable, Equatable {
    package static let typeName = "dapr.proto.runtime.v1.GetMetadataResponse"

    package var id = ""
    package var registeredComponents: [RegisteredComponent] = []
    package var extendedMetadata: [String: String] = [:]
    package var appConnectionProperties: AppConnectionProperties?
    package var runtimeVersion = ""
    package var enabledFeatures: [String] = []
    package var actorRuntime: ActorRuntime?

    package init() {}

    package init(decoding bytes: [UInt8]) throws(ProtoError) {
        var reader = ProtoReader(bytes)
        do throws(ProtoError) {
            while let field = try reader.next() {
                switch field.number {
                case 1: id = try field.string()
                case 3:
                    var component = RegisteredComponent()
                    try component.merge(field)
                    registeredComponents.append(component)
                case 4:
                    let entry = try field.stringMapEntry()
                    extendedMetadata[entry.key] = entry.value
                case 7:
                    // A message field seen twice is merged, as protobuf decoders do.
                    var properties = appConnectionProperties ?? AppConnectionProperties()
                    try properties.merge(field)
                    appConnectionProperties = properties
                case 8: runtimeVersion = try field.string()
                case 9: enabledFeatures.append(try field.string())
                case 10:
                    var runtime = actorRuntime ?? ActorRuntime()
                    try runtime.merge(field)
                    actorRuntime = runtime
                default: continue
                }
            }
        } catch {
            throw error.inMessage(Self.typeName)
        }
    }

    package func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, id)
        for component in registeredComponents { writer.message(3, component.write) }
        writer.stringMap(4, extendedMetadata.sorted { $0.key < $1.key })
        if let appConnectionProperties { writer.message(7, appConnectionProperties.write) }
        writer.string(8, runtimeVersion)
        writer.repeatedString(9, enabledFeatures)
        if let actorRuntime { writer.message(10, actorRuntime.write) }
        return writer.bytes
    }
}
