import BinderyGRPC
import ProtoWire
import Testing

@testable import BinderyCore
@testable import DaprGRPCAPI

/// InvokeBinding's request to the driver and its mapping of every BindingResult, as daprd's.
@Suite struct InvokeBindingTests {
    private let invoke = DaprGRPCServiceTests.invoke
    private let request = InvokeBindingRequest(name: "store", operation: "create")

    private func outcome(_ code: Int32, _ name: String, message: String = "", response: InvokeResponse? = nil)
        -> BindingResult
    {
        .completed(InvokeOutcome(status: DriverStatus(code: code, name: name), response: response, message: message))
    }

    private func reason(_ status: GRPCStatus) throws -> String {
        let rpc = try RPCStatus(decoding: status.details)
        return try ErrorInfo(decoding: try #require(rpc.details.first).value).reason
    }

    @Test func dataMetadataOperationAndDeadlineReachTheDriver() throws {
        let bindings = ScriptedBindings(outcome(0, "BD_OK"))
        let service = DaprGRPCService(service: bindings, apiToken: nil)
        let data: [UInt8] = [0, 0xff, 0x80, 0x0a]
        let sent = InvokeBindingRequest(name: "store", data: data, metadata: ["key": "a.txt"], operation: "create")
        _ = try call(service, invoke, sent.encoded(), deadline: 123_456_789)
        let (name, output) = try #require(bindings.invocations.first)
        #expect(name == "store")
        #expect(output.operation == "create")
        #expect(output.data == data)
        #expect(output.deadline == 123_456_789)
        #expect(output.metadata.map(\.key) == ["key"])
    }

    @Test func callMetadataJoinsWithoutOverwritingReservedNamesPrefixed() {
        var call = GRPCMetadata()
        call.add(":authority", "localhost:50001")
        call.add("user-agent", "grpc-python/1.70")
        call.add("grpc-accept-encoding", "identity")
        call.add("key", "from-call")
        call.add("x-id", "1")
        call.add("x-id", "2")
        call.add("traceparent", "00-call")
        call.add("baggage", "a=1")
        call.add("baggage", "b=2")
        let merged = DaprGRPCService.bindingMetadata(
            ["key": "from-request", "traceparent": "00-request", "baggage": "c=3"], call, tokenConsumed: false)
        #expect(
            merged == [
                "dapr-authority": "localhost:50001", "user-agent": "grpc-python/1.70",
                "dapr-grpc-accept-encoding": "identity", "key": "from-request", "x-id": "1",
                "traceparent": "00-call", "baggage": "a=1,b=2",
            ])
    }

    @Test func emptyOperationIsRefusedBeforeLookup() throws {
        let bindings = ScriptedBindings(outcome(0, "BD_OK"))
        let service = DaprGRPCService(service: bindings, apiToken: nil)
        let reply = try call(service, invoke, InvokeBindingRequest(name: "store").encoded())
        #expect(
            reply.status.message == "error invoking output binding store: operation field is missing from request")
        #expect(reply.status.code == .internal)
        #expect(bindings.invocations.isEmpty)
    }

    @Test func unknownBindingIsInternalWithErrorInfo() throws {
        let service = DaprGRPCService(service: ScriptedBindings(.notFound), apiToken: nil)
        let reply = try call(service, invoke, InvokeBindingRequest(name: "nope", operation: "get").encoded())
        #expect(reply.status.code == .internal)
        #expect(reply.status.message == "error invoking output binding nope: couldn't find output binding nope")
        #expect(try reason(reply.status) == "ERR_INVOKE_OUTPUT_BINDING")
    }

    @Test func unsupportedOperationListsTheSupportedOnes() throws {
        let service = DaprGRPCService(
            service: ScriptedBindings(.unsupportedOperation(supported: ["create", "get"])), apiToken: nil)
        let reply = try call(service, invoke, InvokeBindingRequest(name: "store", operation: "drop").encoded())
        #expect(
            reply.status.message
                == "error invoking output binding store: binding store does not support operation drop. supported operations:create get"
        )
    }

    @Test func shuttingDownIsUnavailable() throws {
        let service = DaprGRPCService(service: ScriptedBindings(.shuttingDown), apiToken: nil)
        let reply = try call(service, invoke, request.encoded())
        #expect(reply.status.code == .unavailable)
        #expect(reply.status.message == "error invoking output binding store: the sidecar is shutting down")
    }

    @Test func driverFailureCarriesItsMessageAndResponseMetadataHeaders() throws {
        let response = InvokeResponse(data: [], metadata: [("Status", "409"), ("bad key", "x")], contentType: "")
        let service = DaprGRPCService(
            service: ScriptedBindings(outcome(3, "BD_E_CONFLICT", message: "file exists", response: response)),
            apiToken: nil)
        let reply = try call(service, invoke, request.encoded())
        #expect(reply.status.code == .internal)
        #expect(reply.status.message == "error invoking output binding store: file exists")
        #expect(reply.headers.entries.map(\.name) == ["metadata.status"])
        #expect(reply.headers["metadata.status"] == "409")
        let silent = DaprGRPCService(service: ScriptedBindings(outcome(5, "BD_E_TIMEOUT")), apiToken: nil)
        #expect(try call(silent, invoke, request.encoded()).status.message.hasSuffix(": BD_E_TIMEOUT"))
    }

    @Test func successReturnsDataAndMetadataInMessageAndHeaders() throws {
        let data: [UInt8] = [0xde, 0xad, 0xbe, 0xef]
        let response = InvokeResponse(data: data, metadata: [("size", "4"), ("é", "x")], contentType: "")
        let service = DaprGRPCService(service: ScriptedBindings(outcome(0, "BD_OK", response: response)), apiToken: nil)
        let reply = try call(service, invoke, request.encoded())
        #expect(reply.status.isOK)
        #expect(
            try InvokeBindingResponse(decoding: reply.message) == .init(data: data, metadata: ["size": "4", "é": "x"]))
        #expect(reply.headers.entries.map(\.name) == ["metadata.size"])
    }

    @Test func noResponseIsAnEmptyMessage() throws {
        let service = DaprGRPCService(service: ScriptedBindings(outcome(0, "BD_OK")), apiToken: nil)
        let reply = try call(service, invoke, request.encoded())
        #expect(reply.status.isOK)
        #expect(reply.message == [])
    }

    @Test func undecodableRequestIsInternalAsGrpcGoSaysIt() throws {
        let bindings = ScriptedBindings()
        let service = DaprGRPCService(service: bindings, apiToken: nil)
        let reply = try call(service, invoke, [0x0a, 0x02, 0xc3, 0x28])
        #expect(reply.status.code == .internal)
        #expect(
            reply.status.message
                == "grpc: error unmarshalling request: proto: dapr.proto.runtime.v1.InvokeBindingRequest field 1 (wire type 2 (LEN)) at offset 0: string field is not valid UTF-8"
        )
        #expect(bindings.invocations.isEmpty)
    }
}
