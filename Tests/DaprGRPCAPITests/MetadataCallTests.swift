import BinderyGRPC
import Testing

@testable import BinderyCore
@testable import DaprGRPCAPI

/// GetMetadata and SetMetadata through DaprGRPCService.
@Suite struct MetadataCallTests {
    @Test func getMetadataEncodesTheSidecar() throws {
        let service = DaprGRPCService(service: ScriptedBindings(), apiToken: nil)
        let reply = try call(service, "/dapr.proto.runtime.v1.Dapr/GetMetadata")
        #expect(reply.status.isOK)
        let response = try GetMetadataResponse(decoding: reply.message)
        #expect(response.id == "orders")
        #expect(response.registeredComponents.map(\.name) == ["store", "tick"])
        #expect(response.extendedMetadata["bindery.component.tick.lastError"] == "bad schedule")
        #expect(
            response.extendedMetadata["bindery.component.store.driverFile"] == "/drivers/libbindery-localstorage.so")
        #expect(response.extendedMetadata["bindery.component.tick.generation"] == nil)
    }

    @Test func malformedGetMetadataRequestIsInternal() throws {
        let service = DaprGRPCService(service: ScriptedBindings(), apiToken: nil)
        let reply = try call(service, "/dapr.proto.runtime.v1.Dapr/GetMetadata", [0x0b])
        #expect(reply.status.code == .internal)
        #expect(
            reply.status.message.hasPrefix(
                "grpc: error unmarshalling request: proto: dapr.proto.runtime.v1.GetMetadataRequest"))
    }

    @Test func setMetadataStoresAndAnEmptyKeyIsIgnored() throws {
        let bindings = ScriptedBindings()
        let service = DaprGRPCService(service: bindings, apiToken: nil)
        let path = "/dapr.proto.runtime.v1.Dapr/SetMetadata"
        #expect(try call(service, path, SetMetadataRequest(key: "owner", value: "b").encoded()).status.isOK)
        #expect(try call(service, path, SetMetadataRequest(key: "", value: "x").encoded()).status.isOK)
        #expect(bindings.extended == ["owner": "b"])
    }

    @Test func setMetadataPastTheLimitIsResourceExhausted() throws {
        let service = DaprGRPCService(service: ScriptedBindings(), apiToken: nil, maxExtendedMetadataBytes: 4)
        let reply = try call(
            service, "/dapr.proto.runtime.v1.Dapr/SetMetadata", SetMetadataRequest(key: "owner", value: "b").encoded())
        #expect(reply.status.code == .resourceExhausted)
        #expect(reply.status.message == "extended metadata would exceed 4 bytes (keys and values; --max-body-size)")
    }
}
