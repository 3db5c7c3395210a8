import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import RedisDriver

/// Every operation against a real redis-server, with Dapr's exact responses.
@Suite struct InvokeTests {
    let server: ServerProcess

    init() async throws { server = try await ServerProcess.redis() }

    @Test func createStoresTheBytesAsGivenAndAnswersNothing() async throws {
        try await withDriver(["redisHost": server.address]) { driver async throws in
            // Dapr hands drivers JSON text: a string arrives with its quotes and is stored so.
            #expect(try await driver.call("create", "greeting", data: "\"hello\"") == nil)
            #expect(try server.redisCLI("GET", "greeting") == "\"hello\"")
            let binary: [UInt8] = [0, 255, 13, 10, 36]
            #expect(
                try await driver.invoke(InvokeRequest(operation: "create", data: binary, metadata: ["key": "bin"]))
                    == nil)
            #expect(try await driver.call("get", "bin")?.data == binary)
        }
    }

    @Test func getAnswersTheRawValueAndAMissingKeyWithAnEmptyBody() async throws {
        try await withDriver(["redisHost": server.address]) { driver async throws in
            try server.redisCLI("SET", "order", "{\"id\":1}")
            let found = try #require(try await driver.call("get", "order"))
            #expect(String(decoding: found.data, as: UTF8.self) == "{\"id\":1}")
            // 200 with an empty body, not 204: a response object with no bytes.
            let missing = try #require(try await driver.call("get", "absent"))
            #expect(missing.data.isEmpty)
        }
    }

    @Test func getWithDeleteReturnsTheValueAndRemovesTheKey() async throws {
        try await withDriver(["redisHost": server.address]) { driver async throws in
            try server.redisCLI("SET", "once", "ticket")
            #expect(try await driver.call("get", "once", ["delete": "true"])?.data == Array("ticket".utf8))
            #expect(try server.redisCLI("EXISTS", "once") == "0")
            #expect(try await driver.call("get", "once", ["delete": "true"])?.data == [])
            try server.redisCLI("SET", "kept", "v")
            _ = try await driver.call("get", "kept", ["delete": "false"])
            #expect(try server.redisCLI("EXISTS", "kept") == "1")
        }
    }

    @Test func getWithDeleteFallsBackToATransactionWithoutGETDEL() async throws {
        let old = try await ServerProcess.redis(extra: ["--rename-command", "GETDEL", ""])
        try await withDriver(["redisHost": old.address]) { driver async throws in
            try old.redisCLI("SET", "once", "ticket")
            #expect(try await driver.call("get", "once", ["delete": "true"])?.data == Array("ticket".utf8))
            #expect(try old.redisCLI("EXISTS", "once") == "0")
            try old.redisCLI("SET", "twice", "t2")
            #expect(try await driver.call("get", "twice", ["delete": "1"])?.data == Array("t2".utf8))
            #expect(try old.redisCLI("EXISTS", "twice") == "0")
        }
    }

    @Test func deleteAnswersNothingAlsoForAnAbsentKey() async throws {
        try await withDriver(["redisHost": server.address]) { driver async throws in
            try server.redisCLI("SET", "gone", "v")
            #expect(try await driver.call("delete", "gone") == nil)
            #expect(try server.redisCLI("EXISTS", "gone") == "0")
            #expect(try await driver.call("delete", "gone") == nil)
        }
    }

    @Test func incrementCountsAndFailsOnANonInteger() async throws {
        try await withDriver(["redisHost": server.address]) { driver async throws in
            #expect(try await driver.call("increment", "hits") == nil)
            #expect(try await driver.call("increment", "hits") == nil)
            #expect(try server.redisCLI("GET", "hits") == "2")
            _ = try await driver.call("create", "word", data: "\"seven\"", ["ttlInSeconds": "100"])
            let error = await driverError { _ = try await driver.call("increment", "word", ["ttlInSeconds": "5"]) }
            #expect(error?.code == .invalidArgument)
            #expect(
                error?.message
                    == "redis at \(server.address): INCR \"word\": ERR value is not an integer or out of range")
            // The failed INCR must not shorten the key's TTL.
            #expect(Int(try server.redisCLI("TTL", "word")) ?? 0 > 5)
        }
    }

    @Test func ttlSetsTheExpiryOnCreateAndIncrement() async throws {
        try await withDriver(["redisHost": server.address]) { driver async throws in
            _ = try await driver.call("create", "session", data: "s", ["ttlInSeconds": "60"])
            #expect((1...60).contains(Int(try server.redisCLI("TTL", "session")) ?? -9))
            // Milliseconds, not seconds: a PTTL past 60 s but at most 90.5 s (a loaded run may take
            // seconds between the create and the check).
            _ = try await driver.call("create", "short", data: "s", ["ttl": "90500ms"])
            #expect((60_001...90_500).contains(Int(try server.redisCLI("PTTL", "short")) ?? -9))
            _ = try await driver.call("increment", "counter", ["TTLInSeconds": "2m"])
            #expect((61...120).contains(Int(try server.redisCLI("TTL", "counter")) ?? -9))
            _ = try await driver.call("create", "forever", data: "s")
            #expect(try server.redisCLI("TTL", "forever") == "-1")
            // An expired key reads as missing: 200 with an empty body.
            _ = try await driver.call("create", "blink", data: "s", ["ttl": "50ms"])
            try await eventually("the key to expire") { try await driver.call("get", "blink")?.data == [] }
        }
    }

    @Test func redisDBSelectsTheDatabaseOnEveryConnection() async throws {
        try await withDriver(["redisHost": server.address, "redisDB": "3", "poolSize": "3"]) { driver async throws in
            for index in 0..<6 { _ = try await driver.call("create", "db-key-\(index)", data: "in3") }
            #expect(try server.redisCLI("GET", "db-key-5", database: 3) == "in3")
            #expect(try server.redisCLI("EXISTS", "db-key-5", database: 0) == "0")
            try server.redisCLI("SET", "only3", "x", database: 3)
            #expect(try await driver.call("get", "only3")?.data == Array("x".utf8))
        }
    }

    @Test func aServerErrorNamesAddressCommandAndKey() async throws {
        try await withDriver(["redisHost": server.address]) { driver async throws in
            try server.redisCLI("LPUSH", "list", "a")
            let error = await driverError { _ = try await driver.call("get", "list") }
            #expect(
                error?.message
                    == "redis at \(server.address): GET \"list\": WRONGTYPE Operation against a key holding the wrong kind of value"
            )
        }
    }

    @Test func thousandConcurrentInvokesAllCompleteCorrectly() async throws {
        try await withDriver(["redisHost": server.address]) { driver async throws in
            let count = 1000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        #expect(try await driver.call("create", "c\(index)", data: "v\(index)") == nil)
                        #expect(try await driver.call("increment", "total") == nil)
                        let value = try await driver.call("get", "c\(index)")
                        #expect(value?.data == Array("v\(index)".utf8))
                    }
                }
                try await group.waitForAll()
            }
            #expect(try server.redisCLI("GET", "total") == "\(count)")
        }
    }
}
