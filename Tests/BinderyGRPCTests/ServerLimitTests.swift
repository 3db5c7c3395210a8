import DriverTesting
import Foundation
import Testing

@testable import BinderyGRPC

@Suite struct ServerLimitTests {
    static let limit = 1 << 20

    @Test func aMessageAtTheLimitPassesAndOnePastItIsResourceExhausted() throws {
        try withGRPCServer({ $0.maxMessageBytes = Self.limit }) { _, target in
            let atLimit = try grpcCall(target, "/test.Echo/Echo", size: Self.limit)
            #expect(atLimit.code == "OK")
            #expect(atLimit.echoed)
            let past = try grpcCall(target, "/test.Echo/Echo", size: Self.limit + 1)
            #expect(past.code == "RESOURCE_EXHAUSTED")
            #expect(past.details == "grpc: received message larger than max (\(Self.limit + 1) vs. \(Self.limit))")
        }
    }

    @Test func aLargeMessageIsRefusedFromItsPrefixWithoutWaitingForItsBytes() throws {
        try withGRPCServer({ $0.maxMessageBytes = Self.limit }) { _, target in
            let results = try grpcCalls(target, "/test.Echo/Echo", size: 8 * Self.limit, count: 4)
            #expect(results.allSatisfy { $0.code == "RESOURCE_EXHAUSTED" })
            #expect(try grpcCall(target, "/test.Echo/Echo", size: Self.limit / 2).echoed)
        }
    }

    @Test func aReplyPastTheLimitIsResourceExhausted() throws {
        try withGRPCServer({ $0.maxMessageBytes = Self.limit }) { _, target in
            let result = try grpcCall(target, "/test.Echo/Double", size: Self.limit / 2 + 1)
            #expect(result.code == "RESOURCE_EXHAUSTED")
            #expect(
                result.details == "grpc: trying to send message larger than max (\(Self.limit + 2) vs. \(Self.limit))")
        }
    }

    @Test func callsPastMaxConcurrentStreamsWaitTheirTurn() throws {
        try withGRPCServer({ $0.maxConcurrentStreams = 4 }) { _, target in
            let results = try grpcCalls(target, "/test.Echo/Slow", count: 12)
            #expect(results.allSatisfy { $0.code == "OK" && $0.echoed })
            #expect(results.map(\.seconds).max() ?? 0 >= 1.7)  // three rounds of 4 calls of 600 ms
        }
    }

    @Test func manyLargeCallsAtOnceGoThroughFlowControl() throws {
        try withGRPCServer { _, target in
            let results = try grpcCalls(target, "/test.Echo/Echo", size: 3 << 20, count: 12)
            #expect(results.count == 12)
            #expect(results.allSatisfy { $0.code == "OK" && $0.echoed })
        }
    }
}
