import DriverTesting
import Foundation
import Testing

/// bindings.redis through bindery's HTTP API against a real redis-server (issue 5).
@Suite(.serialized) struct RedisRunTests {
    private func redisCLI(_ server: ServerProcess, _ arguments: [String]) throws -> String {
        try run("/usr/bin/redis-cli", ["-p", String(server.port)] + arguments).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    private func start(_ redis: ServerProcess, extra: [(String, String)] = []) async throws -> BinderyProcess {
        let components = try temporaryDirectory("redis-components")
        try writeComponent(
            components, name: "cache", type: "bindings.redis",
            metadata: [("redisHost", "127.0.0.1:\(redis.port)")] + extra)
        return try await BinderyProcess(["--resources-path", components])
    }

    @Test func operationsAnswerAsDaprDoes() async throws {
        let redis = try await ServerProcess.redis()
        defer { redis.stop() }
        let bindery = try await start(redis)
        defer { bindery.stop() }

        let created = try await bindery.invoke(
            "cache", "create", data: "{\"b\":1,\"a\":\"<x>\"}", metadata: ["key": "k1"])
        #expect(created.status == 204)
        #expect(try redisCLI(redis, ["GET", "k1"]) == "{\"a\":\"\\u003cx\\u003e\",\"b\":1}")

        let got = try await bindery.invoke("cache", "get", metadata: ["key": "k1"])
        #expect(got.status == 200)
        #expect(got.text == "{\"a\":\"\\u003cx\\u003e\",\"b\":1}")
        #expect(got.header("Content-Type") == "application/json")

        let missing = try await bindery.invoke("cache", "get", metadata: ["key": "nope"])
        #expect(missing.status == 200, "a missing key is 200 with an empty body in Dapr")
        #expect(missing.body.isEmpty)

        _ = try await bindery.invoke("cache", "create", data: "\"v\"", metadata: ["key": "ttl", "ttlInSeconds": "100"])
        let ttl = Int(try redisCLI(redis, ["TTL", "ttl"])) ?? -1
        #expect(ttl > 90 && ttl <= 100)

        #expect(try await bindery.invoke("cache", "increment", metadata: ["key": "n"]).status == 204)
        #expect(try await bindery.invoke("cache", "increment", metadata: ["key": "n"]).status == 204)
        #expect(try redisCLI(redis, ["GET", "n"]) == "2")

        let getDelete = try await bindery.invoke("cache", "get", metadata: ["key": "k1", "delete": "true"])
        #expect(getDelete.status == 200)
        #expect(try redisCLI(redis, ["EXISTS", "k1"]) == "0")

        #expect(try await bindery.invoke("cache", "delete", metadata: ["key": "n"]).status == 204)
        #expect(try redisCLI(redis, ["EXISTS", "n"]) == "0")

        let noKey = try await bindery.invoke("cache", "get")
        #expect(noKey.status == 500)
        #expect(noKey.json?["errorCode"] as? String == "ERR_INVOKE_OUTPUT_BINDING")
        #expect((noKey.json?["message"] as? String)?.hasPrefix("error invoking output binding cache: ") == true)
        #expect((noKey.json?["message"] as? String)?.contains("key") == true)
    }

    @Test func serverDownFailsFastAndRecoversWithoutRestart() async throws {
        let redis = try await ServerProcess.redis()
        defer { redis.stop() }
        let bindery = try await start(redis)
        defer { bindery.stop() }
        #expect(try await bindery.invoke("cache", "create", data: "1", metadata: ["key": "a"]).status == 204)

        redis.stop()
        var down: BinderyProcess.Answer?
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let answer = try await bindery.invoke("cache", "create", data: "2", metadata: ["key": "a"])
            if answer.status == 500 {
                down = answer
                break
            }
        }
        let message = try #require(down?.json?["message"] as? String)
        #expect(message.hasPrefix("error invoking output binding cache: "))
        #expect(message.contains("127.0.0.1:\(redis.port)"), "the error names the server: \(message)")

        try await redis.start()
        var recovered = false
        let recovery = ContinuousClock.now + .seconds(15)
        while !recovered, ContinuousClock.now < recovery {
            recovered = try await bindery.invoke("cache", "create", data: "3", metadata: ["key": "a"]).status == 204
            if !recovered { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(recovered, "bindings.redis did not recover after the server came back")
        #expect(try redisCLI(redis, ["GET", "a"]) == "3")
        #expect(bindery.process.isRunning)
    }

    @Test func passwordAndDatabaseAreUsed() async throws {
        let redis = try await ServerProcess.redis(extra: ["--requirepass", "pw"])
        defer { redis.stop() }
        let bindery = try await start(redis, extra: [("redisPassword", "pw"), ("redisDB", "3")])
        defer { bindery.stop() }
        #expect(try await bindery.invoke("cache", "create", data: "\"x\"", metadata: ["key": "db3"]).status == 204)
        #expect(try redisCLI(redis, ["-a", "pw", "--no-auth-warning", "-n", "3", "GET", "db3"]) == "\"x\"")
        #expect(try redisCLI(redis, ["-a", "pw", "--no-auth-warning", "-n", "0", "EXISTS", "db3"]) == "0")
    }
}
