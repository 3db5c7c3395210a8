import BinderyGRPC
import Testing

@testable import BinderyCore
@testable import DaprGRPCAPI

/// DaprGRPCService's routing, authentication and result mapping, worded as daprd and grpc-go
/// word them.
@Suite struct DaprGRPCServiceTests {
    static let invoke = "/dapr.proto.runtime.v1.Dapr/InvokeBinding"

    static let sidecar = SidecarMetadata(
        appID: "orders", runtimeVersion: "0.9.0",
        components: [
            .init(
                name: "store", type: "bindings.localstorage", version: "v1", capabilities: ["OUTPUT_BINDING"],
                driverVersion: "1.0.0", driverOrigin: "/drivers/libbindery-localstorage.so", generation: 1,
                status: "ready", lastError: nil),
            .init(
                name: "tick", type: "bindings.cron", version: "v1", capabilities: ["INPUT_BINDING", "OUTPUT_BINDING"],
                driverVersion: nil, driverOrigin: nil, generation: nil, status: "failed", lastError: "bad schedule",
                deliveries: .init(delivered: 3, failed: 1, inFlight: 0)),
        ],
        extended: ["owner": "team-a"], appPort: 3000, appChannelAddress: "127.0.0.1", maxConcurrency: 8,
        retainedDriverImages: 0)

    private func outcome(_ code: Int32, _ name: String, message: String = "", response: InvokeResponse? = nil)
        -> BindingResult
    {
        .completed(InvokeOutcome(status: DriverStatus(code: code, name: name), response: response, message: message))
    }

    private func errorInfo(_ status: GRPCStatus) throws -> ErrorInfo {
        let rpc = try RPCStatus(decoding: status.details)
        #expect(rpc.code == Int32(status.code.rawValue))
        #expect(rpc.message == status.message)
        let detail = try #require(rpc.details.first)
        #expect(detail.typeURL == ErrorInfo.typeURL)
        return try ErrorInfo(decoding: detail.value)
    }

    // MARK: authentication

    @Test func missingTokenIsUnauthenticatedAsDaprdSaysIt() throws {
        let service = DaprGRPCService(service: ScriptedBindings(), apiToken: "s3cret")
        let reply = try call(service, Self.invoke, InvokeBindingRequest(name: "store", operation: "create").encoded())
        #expect(reply.status.code == .unauthenticated)
        #expect(reply.status.message == "Unauthorized")
        let info = try errorInfo(reply.status)
        #expect(info.reason == "Unauthorized")
        #expect(info.domain == "dapr.io")
        #expect(info.metadata == ["http.code": "401", "http.error_message": "missing api token in request metadata"])
    }

    @Test func wrongTokenIsAMismatch() throws {
        let bindings = ScriptedBindings()
        let service = DaprGRPCService(service: bindings, apiToken: "s3cret")
        let reply = try call(service, "/dapr.proto.runtime.v1.Dapr/GetState", metadata: [("dapr-api-token", "nope")])
        #expect(reply.status.code == .unauthenticated)
        #expect(
            try errorInfo(reply.status).metadata["http.error_message"] == "authentication error: api token mismatch")
        #expect(bindings.invocations.isEmpty)
    }

    @Test func rightTokenPassesAndIsNotForwardedToTheBinding() throws {
        let bindings = ScriptedBindings(outcome(0, "BD_OK"))
        let service = DaprGRPCService(service: bindings, apiToken: "s3cret")
        let request = InvokeBindingRequest(name: "store", operation: "create")
        let reply = try call(service, Self.invoke, request.encoded(), metadata: [("dapr-api-token", "s3cret")])
        #expect(reply.status.isOK)
        #expect(bindings.invocations.first?.request.metadata.contains { $0.key == "dapr-api-token" } == false)
    }

    @Test func withoutATokenConfiguredAClientTokenIsForwardedAsAnyMetadata() throws {
        let bindings = ScriptedBindings(outcome(0, "BD_OK"))
        let service = DaprGRPCService(service: bindings, apiToken: nil)
        let request = InvokeBindingRequest(name: "store", operation: "create")
        _ = try call(service, Self.invoke, request.encoded(), metadata: [("dapr-api-token", "x")])
        #expect(bindings.invocations.first?.request.metadata.first { $0.key == "dapr-api-token" }?.value == "x")
    }

    // MARK: routing

    @Test func otherDaprMethodsAreUnimplementedByName() throws {
        let service = DaprGRPCService(service: ScriptedBindings(), apiToken: nil)
        for method in ["GetState", "SubscribeTopicEventsAlpha1", "Shutdown", "ConverseAlpha2"] {
            let reply = try call(service, "/dapr.proto.runtime.v1.Dapr/\(method)")
            #expect(reply.status.code == .unimplemented)
            #expect(
                reply.status.message
                    == "bindery serves bindings only: dapr.proto.runtime.v1.Dapr/\(method) is not implemented")
        }
    }

    @Test func unknownServiceAndMethodAreWordedAsGrpcGo() throws {
        let service = DaprGRPCService(service: ScriptedBindings(), apiToken: nil)
        let unknownService = try call(service, "/grpc.health.v1.Health/Check")
        #expect(unknownService.status == GRPCStatus(.unimplemented, "unknown service grpc.health.v1.Health"))
        let unknownMethod = try call(service, "/dapr.proto.runtime.v1.Dapr/Frobnicate")
        #expect(
            unknownMethod.status
                == GRPCStatus(.unimplemented, "unknown method Frobnicate for service dapr.proto.runtime.v1.Dapr"))
        let malformed = try call(service, "nonsense")
        #expect(malformed.status == GRPCStatus(.unimplemented, "malformed method name: \"nonsense\""))
    }
}
