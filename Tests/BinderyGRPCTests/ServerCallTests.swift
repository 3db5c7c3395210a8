import DriverTesting
import Foundation
import Synchronization
import Testing

@testable import BinderyGRPC

@Suite struct ServerCallTests {
    @Test func aUnaryCallIsEchoedWithItsMetadataAndTrailers() throws {
        try withGRPCServer { _, target in
            let result = try grpcCall(
                target, "/test.Echo/Echo", metadata: [("x-user", "ada"), ("x-blob-bin", "0001c3a97f")])
            #expect(result.code == "OK")
            #expect(result.echoed)
            #expect(result.initial["x-user"] == "ada")
            #expect(result.initial["x-blob-bin"] == "0001c3a97f")  // base64 both ways on the wire
            #expect(result.trailing["x-trailer"] == "done")
        }
    }

    /// grpc-go hands `:authority` and `user-agent` to the handler with the custom metadata, and
    /// daprd passes them on to bindings; the fields the transport consumes stay out.
    @Test func authorityAndUserAgentReachTheHandler() throws {
        let seen = Mutex<GRPCMetadata?>(nil)
        let handler: @Sendable (GRPCRequest, GRPCResponder) -> Void = { request, responder in
            seen.withLock { $0 = request.metadata }
            responder.send(GRPCReply(message: request.message))
        }
        try withGRPCServer(handler: handler) { _, target in
            #expect(try grpcCall(target, "/test.Echo/Echo").code == "OK")
            let metadata = try #require(seen.withLock { $0 })
            #expect(metadata[":authority"] == target, "\(metadata.entries)")
            #expect(metadata["user-agent"]?.contains("grpc-python") == true, "\(metadata.entries)")
            for consumed in ["te", "content-type", ":path", ":method", "grpc-timeout"] {
                #expect(metadata[consumed] == nil, "\(consumed) in \(metadata.entries)")
            }
        }
    }

    @Test func manyConcurrentCallsOnOneChannelAllSucceed() throws {
        try withGRPCServer { _, target in
            let results = try grpcCalls(target, "/test.Echo/Echo", size: 1000, count: 500)
            #expect(results.count == 500)
            #expect(results.allSatisfy { $0.code == "OK" && $0.echoed })
        }
    }

    @Test func aFailureCarriesItsCodeAndPercentEncodedMessage() throws {
        try withGRPCServer { _, target in
            let result = try grpcCall(target, "/test.Echo/Fail")
            #expect(result.code == "NOT_FOUND")
            #expect(result.details == "no such thing: 100% sûr\nline two")
        }
    }

    @Test func anEmptyReplyMessageIsStillAMessage() throws {
        try withGRPCServer { _, target in
            let result = try grpcCall(target, "/test.Echo/Empty")
            #expect(result.code == "OK")
            #expect(result.size == 0)
        }
    }

    @Test func h2loadsConcurrentStreamsAllSucceed() throws {
        try withGRPCServer { server, _ in
            let folder = try temporaryDirectory("h2load")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            FileManager.default.createFile(
                atPath: "\(folder)/body", contents: Data(GRPCFraming.frame(Array(repeating: 7, count: 64))))
            let result = try run(
                "h2load",
                [
                    "-n", "4000", "-c", "8", "-m", "64", "-d", "\(folder)/body", "-H", "content-type: application/grpc",
                    "-H", "te: trailers", "http://127.0.0.1:\(server.port)/test.Echo/Echo",
                ])
            #expect(result.stdout.contains("4000 succeeded, 0 failed, 0 errored"), "\(result.stdout)")
        }
    }

    @Test func aServerOnAUnixSocketServesCalls() throws {
        let folder = try temporaryDirectory("grpc-unix")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/dapr-grpc.socket"
        try withGRPCServer({ $0.unixSocketPath = path }) { server, target in
            #expect(server.port == 0)
            let results = try grpcCalls(target, "/test.Echo/Echo", count: 20)
            #expect(results.allSatisfy { $0.code == "OK" && $0.echoed })
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
