import BinderyGRPC
import Testing

@testable import BinderyCore
@testable import DaprGRPCAPI

/// The Dapr messages against the Python SDK's generated ones: what Python writes we read, what we
/// write Python reads, byte for byte where the encoding is deterministic.
@Suite struct MessageEncodingTests {
    @Test func invokeBindingRequestFromPythonDecodes() throws {
        let bytes = try DaprPython.encode(
            "InvokeBindingRequest",
            #"{"name":"store","data":"AP/+","metadata":{"key":"a.txt","ttl":"60","é":"✓"},"operation":"create"}"#)
        let request = try InvokeBindingRequest(decoding: bytes)
        #expect(request.name == "store")
        #expect(request.data == [0x00, 0xff, 0xfe])
        #expect(request.metadata == ["key": "a.txt", "ttl": "60", "é": "✓"])
        #expect(request.operation == "create")
        #expect(request.encoded() == bytes)
    }

    @Test func invokeBindingRequestWeWriteDecodesInPython() throws {
        let request = InvokeBindingRequest(name: "b", data: [1, 2], metadata: ["": "empty key"], operation: "get")
        let decoded = try #require(try DaprPython.decode("InvokeBindingRequest", request.encoded()))
        #expect(decoded["name"] as? String == "b")
        #expect(decoded["data"] as? String == "AQI=")
        #expect(decoded["metadata"] as? [String: String] == ["": "empty key"])
        #expect(decoded["operation"] as? String == "get")
    }

    @Test func invokeBindingResponseMatchesPython() throws {
        let response = InvokeBindingResponse(data: Array("{\"ok\":true}".utf8), metadata: ["b": "2", "a": "1"])
        let python = try DaprPython.encode(
            "InvokeBindingResponse", #"{"data":"eyJvayI6dHJ1ZX0=","metadata":{"a":"1","b":"2"}}"#)
        #expect(response.encoded() == python)
        #expect(try InvokeBindingResponse(decoding: python) == response)
    }

    @Test func emptyResponseIsZeroBytes() {
        #expect(InvokeBindingResponse().encoded() == [])
    }

    @Test func getMetadataResponseDecodesInPython() throws {
        let response = GetMetadataResponse(DaprGRPCServiceTests.sidecar)
        let decoded = try #require(try DaprPython.decode("GetMetadataResponse", response.encoded()))
        #expect(decoded["id"] as? String == "orders")
        #expect(decoded["runtime_version"] as? String == "0.9.0")
        let components = try #require(decoded["registered_components"] as? [[String: Any]])
        #expect(components.count == 2)
        #expect(components[0]["name"] as? String == "store")
        #expect(components[0]["type"] as? String == "bindings.localstorage")
        #expect(components[0]["version"] as? String == "v1")
        #expect(components[0]["capabilities"] as? [String] == ["OUTPUT_BINDING"])
        #expect(components[1]["capabilities"] as? [String] == ["INPUT_BINDING", "OUTPUT_BINDING"])
        let extended = try #require(decoded["extended_metadata"] as? [String: String])
        #expect(extended["daprRuntimeVersion"] == "0.9.0")
        #expect(extended["owner"] == "team-a")
        #expect(extended["bindery.component.store.status"] == "ready")
        #expect(extended["bindery.component.tick.delivered"] == "3")
        #expect(extended["bindery.component.store.delivered"] == nil)
        let connection = try #require(decoded["app_connection_properties"] as? [String: Any])
        #expect(connection["port"] as? Int == 3000)
        #expect(connection["protocol"] as? String == "http")
        #expect(connection["channel_address"] as? String == "127.0.0.1")
        #expect(connection["max_concurrency"] as? Int == 8)
        #expect((decoded["actor_runtime"] as? [String: Any])?["runtime_status"] as? String == "DISABLED")
        #expect(try GetMetadataResponse(decoding: response.encoded()) == response)
    }

    @Test func getMetadataResponseFromPythonDecodes() throws {
        let bytes = try DaprPython.encode(
            "GetMetadataResponse",
            #"{"id":"a","registered_components":[{"name":"n","type":"t","capabilities":["X",""]}],"#
                + #""app_connection_properties":{"port":-1,"health":{"health_threshold":3}},"#
                + #""enabled_features":["f"],"actor_runtime":{"host_ready":true},"subscriptions":[{"topic":"x"}]}"#)
        let response = try GetMetadataResponse(decoding: bytes)
        #expect(response.registeredComponents == [RegisteredComponent(name: "n", type: "t", capabilities: ["X", ""])])
        #expect(response.appConnectionProperties?.port == -1)
        #expect(response.appConnectionProperties?.health?.threshold == 3)
        #expect(response.enabledFeatures == ["f"])
        #expect(response.actorRuntime?.hostReady == true)
    }

    /// What a daprd error carries in grpc-status-details-bin, as the Python SDK unpacks it.
    @Test func errorDetailsAreAStatusWithErrorInfo() throws {
        let status = DaprGRPCError.invokeOutputBinding("store", "couldn't find output binding store")
        let decoded = try #require(try DaprPython.decode("Status", status.details))
        #expect(decoded["code"] as? Int == 13)
        #expect(
            decoded["message"] as? String == "error invoking output binding store: couldn't find output binding store")
        let details = try #require(decoded["details"] as? [[String: Any]])
        #expect(details.count == 1)
        #expect(details[0]["@type"] as? String == "type.googleapis.com/google.rpc.ErrorInfo")
        #expect(details[0]["reason"] as? String == "ERR_INVOKE_OUTPUT_BINDING")
        #expect(details[0]["domain"] as? String == "dapr.io")
    }

    @Test func errorInfoMatchesPython() throws {
        let info = ErrorInfo(reason: "Unauthorized", domain: "dapr.io", metadata: ["http.code": "401"])
        let python = try DaprPython.encode(
            "ErrorInfo", #"{"reason":"Unauthorized","domain":"dapr.io","metadata":{"http.code":"401"}}"#)
        #expect(info.encoded() == python)
        #expect(try ErrorInfo(decoding: python) == info)
        let status = RPCStatus(code: 16, message: "Unauthorized", details: [info.packed])
        #expect(try RPCStatus(decoding: status.encoded()) == status)
    }

    @Test func setMetadataRequestFromPythonDecodes() throws {
        let bytes = try DaprPython.encode("SetMetadataRequest", #"{"key":"owner","value":"team-a"}"#)
        #expect(try SetMetadataRequest(decoding: bytes) == SetMetadataRequest(key: "owner", value: "team-a"))
        #expect(SetMetadataRequest(key: "owner", value: "team-a").encoded() == bytes)
    }

    @Test func everyDaprMethodIsServedOrListedAsUnimplemented() throws {
        let methods = Set(try DaprPython.methods())
        #expect(methods.count > 70)
        #expect(methods.subtracting(DaprMethods.served).subtracting(DaprMethods.unimplemented).isEmpty)
        #expect(DaprMethods.served.isSubset(of: methods))
        #expect(DaprMethods.served.isDisjoint(with: DaprMethods.unimplemented))
    }
}
