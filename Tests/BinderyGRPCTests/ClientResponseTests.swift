import Testing

@testable import BinderyGRPC

/// How GRPCClient judges a response's headers, messages and trailers (grpc-go's rules).
@Suite struct ClientResponseTests {
    /// `trailers` nil: the header block ends the stream (Trailers-Only).
    private func response(
        _ headers: [(String, String)], data: [UInt8] = [], trailers: [(String, String)]? = nil, limit: Int = 100
    ) -> GRPCClientResponse {
        var response = GRPCClientResponse(limit: limit)
        for (name, value) in headers { response.add(name: name, value: value, trailing: trailers == nil) }
        _ = data.withUnsafeBytes { response.add(data: $0) }
        for (name, value) in trailers ?? [] { response.add(name: name, value: value, trailing: true) }
        return response
    }

    private let grpcHeaders = [(":status", "200"), ("content-type", "application/grpc")]

    @Test func aTrailersOnlyResponseCarriesStatusAndMetadata() {
        var only = response(
            grpcHeaders + [
                ("grpc-status", "5"), ("grpc-message", "no%20such%20thing"), ("x-why", "gone"),
                ("grpc-status-details-bin", "aGk"),
            ])
        let result = only.result(resetCode: 0)
        #expect(result.status == GRPCStatus(.notFound, "no such thing", details: Array("hi".utf8)))
        #expect(result.trailers["x-why"] == "gone")
        #expect(result.headers.isEmpty)
    }

    @Test func theMessageAndMetadataOfAnOKCallArrive() {
        var ok = response(
            grpcHeaders + [("x-head", "h"), ("x-raw-bin", "aGk")], data: GRPCFraming.frame([7, 8]),
            trailers: [("grpc-status", "0"), ("x-tail", "t")])
        let result = ok.result(resetCode: 0)
        #expect(result.status == .ok)
        #expect(result.message == [7, 8])
        #expect(result.headers["x-head"] == "h")
        #expect(result.headers["x-raw-bin"] == "hi")
        #expect(result.trailers["x-tail"] == "t")
    }

    @Test func missingStatusesFollowGrpcGo() {
        var noTrailers = response(grpcHeaders, data: GRPCFraming.frame([1]), trailers: [])
        #expect(
            noTrailers.result(resetCode: 0).status
                == GRPCStatus(.internal, "server closed the stream without sending trailers"))
        var noStatus = response(grpcHeaders, data: GRPCFraming.frame([1]), trailers: [("grpc-message", "hm")])
        #expect(noStatus.result(resetCode: 0).status == GRPCStatus(.unknown, "hm"))
        var malformed = response(grpcHeaders, trailers: [("grpc-status", "x")])
        #expect(malformed.result(resetCode: 0).status.code == .internal)
        var noMessage = response(grpcHeaders, trailers: [("grpc-status", "0")])
        #expect(noMessage.result(resetCode: 0).status.code == .internal)
        var twoMessages = response(
            grpcHeaders, data: GRPCFraming.frame([1]) + GRPCFraming.frame([2]), trailers: [("grpc-status", "0")])
        #expect(twoMessages.result(resetCode: 0).status.code == .internal)
    }

    @Test func nonGRPCResponsesMapThroughTheHTTPTable() {
        var notFound = response([(":status", "404"), ("content-type", "text/html")])
        #expect(
            notFound.result(resetCode: 0).status
                == GRPCStatus(
                    .unimplemented,
                    "unexpected HTTP status code received from server: 404 (Not Found); transport: received unexpected content-type \"text/html\""
                ))
        for (http, code) in [
            (400, GRPCStatus.Code.internal), (401, .unauthenticated), (403, .permissionDenied),
            (429, .unavailable), (502, .unavailable), (503, .unavailable), (504, .unavailable), (500, .unknown),
        ] {
            var mapped = response([(":status", String(http)), ("content-type", "application/grpc")])
            #expect(mapped.result(resetCode: 0).status.code == code)
        }
        var wrongType = response(
            [(":status", "200"), ("content-type", "application/json")], trailers: [("grpc-status", "0")])
        #expect(wrongType.result(resetCode: 0).status.code == .unknown)
    }

    @Test func aResetBeforeAnyStatusMapsItsErrorCode() {
        var cancelled = response(grpcHeaders)
        #expect(
            cancelled.result(resetCode: 8).status
                == GRPCStatus(.cancelled, "stream terminated by RST_STREAM with error code: CANCEL"))
        #expect(GRPCClientResponse.resetStatus(7).code == .unavailable)
        #expect(GRPCClientResponse.resetStatus(11).code == .resourceExhausted)
        #expect(GRPCClientResponse.resetStatus(2).code == .internal)
    }
}
