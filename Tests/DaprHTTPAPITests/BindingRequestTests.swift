import Testing

@testable import DaprHTTPAPI

/// The body of `POST /v1.0/bindings/{name}`, decoded as daprd decodes it.
@Suite struct BindingRequestTests {
    private func decode(_ body: String) throws -> BindingRequest { try BindingRequest.decode(Array(body.utf8)) }

    @Test func fieldsAreMatchedCaseInsensitivelyAndUnknownKeysIgnored() throws {
        let request = try decode(
            "{\"Operation\":\"create\",\"DATA\":{\"b\":1,\"a\":\"x\"},\"metadata\":{\"key\":\"k1\"},\"extra\":[1]}")
        #expect(request.operation == "create")
        #expect(String(decoding: request.data, as: UTF8.self) == "{\"a\":\"x\",\"b\":1}")
        #expect(request.metadata.map(\.key) == ["key"])
        #expect(request.metadata.map(\.value) == ["k1"])
    }

    @Test func absentDataIsNull() throws {
        #expect(try decode("{\"operation\":\"get\"}").data == Array("null".utf8))
    }

    @Test func bytesAfterTheFirstValueAreIgnoredAsGoDecoderDoes() throws {
        #expect(try decode("{\"operation\":\"get\"} trailing garbage").operation == "get")
    }

    @Test func nonStringMetadataValuesAreRefused() {
        #expect(throws: BindingRequest.Failure.self) { try decode("{\"operation\":\"get\",\"metadata\":{\"ttl\":60}}") }
    }

    @Test func emptyBodyIsEOF() {
        #expect(throws: BindingRequest.Failure.self) { try decode("") }
        #expect((try? decode("")) == nil)
    }

    @Test func topLevelArrayIsRefusedWithGoMessage() {
        do {
            _ = try BindingRequest.decode(Array("[1]".utf8))
            Issue.record("accepted an array")
        } catch {
            #expect(error.description == "json: cannot unmarshal array into Go value of type http.OutputBindingRequest")
        }
    }
}
