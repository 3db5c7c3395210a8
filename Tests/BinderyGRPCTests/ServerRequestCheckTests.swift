import DriverTesting
import Foundation
import Testing

@testable import BinderyGRPC

/// Requests grpcio would never send, sent with nghttp (nghttp2's client): each gets gRPC's
/// answer, and the server goes on serving.
@Suite struct ServerRequestCheckTests {
    static let grpc = ["content-type: application/grpc", "te: trailers"]

    @Test func aNonGRPCContentTypeIsAnswered415() throws {
        try withGRPCServer { server, _ in
            let output = try nghttpRequest(
                port: server.port, path: "/test.Echo/Echo", body: GRPCFraming.frame([1]),
                headers: ["content-type: text/plain"])
            #expect(receivedField(":status", in: output) == "415")
            #expect(receivedField("grpc-status", in: output) == "3")
        }
    }

    @Test func aMalformedTimeoutIsInternal() throws {
        try withGRPCServer { server, _ in
            let output = try nghttpRequest(
                port: server.port, path: "/test.Echo/Echo", body: GRPCFraming.frame([1]),
                headers: Self.grpc + ["grpc-timeout: 12x"])
            #expect(receivedField(":status", in: output) == "200")
            #expect(receivedField("grpc-status", in: output) == "13")
            #expect(receivedField("grpc-message", in: output) == "malformed grpc-timeout: 12x")
        }
    }

    @Test func aCompressedMessageInAnUnsupportedEncodingIsUnimplementedNamingIt() throws {
        try withGRPCServer { server, _ in
            let compressed: [UInt8] = [1, 0, 0, 0, 2, 0x1F, 0x8B]
            let output = try nghttpRequest(
                port: server.port, path: "/test.Echo/Echo", body: compressed,
                headers: Self.grpc + ["grpc-encoding: gzip"])
            #expect(receivedField("grpc-status", in: output) == "12")
            #expect(receivedField("grpc-message", in: output)?.contains("\"gzip\"") == true)
            let plain = try nghttpRequest(
                port: server.port, path: "/test.Echo/Echo", body: compressed, headers: Self.grpc)
            #expect(receivedField("grpc-status", in: plain) == "13")
        }
    }

    @Test func zeroOrSeveralMessagesEndTheCallCleanly() throws {
        try withGRPCServer { server, _ in
            let none = try nghttpRequest(port: server.port, path: "/test.Echo/Echo", body: [], headers: Self.grpc)
            #expect(receivedField("grpc-status", in: none) == "13")
            let two = GRPCFraming.frame([1]) + GRPCFraming.frame([2])
            let several = try nghttpRequest(port: server.port, path: "/test.Echo/Echo", body: two, headers: Self.grpc)
            #expect(receivedField("grpc-status", in: several) == "12")
            let truncated = Array(GRPCFraming.frame([1, 2, 3]).dropLast())
            let cut = try nghttpRequest(port: server.port, path: "/test.Echo/Echo", body: truncated, headers: Self.grpc)
            #expect(receivedField("grpc-status", in: cut) == "13")
            let fine = try nghttpRequest(
                port: server.port, path: "/test.Echo/Echo", body: GRPCFraming.frame([7]), headers: Self.grpc)
            #expect(receivedField("grpc-status", in: fine) == "0")
            #expect(receivedField("x-trailer", in: fine) == "done")
        }
    }

    @Test func theDeadlineAnswersDeadlineExceededAtItsTimeAndTheLateReplyIsDropped() throws {
        try withGRPCServer { server, target in
            let started = Date()
            let output = try nghttpRequest(
                port: server.port, path: "/test.Echo/Slow", body: GRPCFraming.frame([1]),
                headers: Self.grpc + ["grpc-timeout: 200m"])
            let elapsed = Date().timeIntervalSince(started)
            #expect(receivedField("grpc-status", in: output) == "4")
            #expect(receivedField("grpc-message", in: output) == "context deadline exceeded")
            #expect(elapsed >= 0.2 && elapsed < 0.55, "answered after \(elapsed) s")
            usleep(600_000)  // the handler's late reply arrives meanwhile: dropped
            #expect(try grpcCall(target, "/test.Echo/Echo").code == "OK")
        }
    }

    @Test func grpcioSeesTheServersDeadlineExceeded() throws {
        try withGRPCServer { _, target in
            let result = try grpcCall(target, "/test.Echo/Slow", timeout: 0.3)
            #expect(result.code == "DEADLINE_EXCEEDED")
            #expect(result.seconds >= 0.25 && result.seconds < 0.55, "answered after \(result.seconds) s")
        }
    }
}
