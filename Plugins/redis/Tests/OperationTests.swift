import DriverKit
import Testing

@testable import RedisDriver

/// Requests to commands, without a server.
@Suite struct OperationTests {
    private func operation(_ name: String, _ metadata: [String: String], data: String = "v") throws -> RedisOperation {
        try RedisOperation(InvokeRequest(operation: name, data: Array(data.utf8), metadata: metadata))
    }

    @Test func descriptorDeclaresDaprsOperations() {
        #expect(RedisDriver.descriptor.type == "bindings.redis")
        #expect(RedisDriver.descriptor.operations == ["create", "get", "delete", "increment"])
        #expect(RedisDriver.descriptor.directions == [.output])
    }

    @Test(arguments: ["create", "get", "delete", "increment"])
    func everyOperationRequiresKeyWithDaprsMessage(name: String) {
        for metadata in [[:], ["key": ""], ["Key": "k"]] {
            #expect {
                try operation(name, metadata)
            } throws: { error in
                (error as? DriverError)?.message == "redis binding: missing key in request metadata"
                    && (error as? DriverError)?.code == .invalidArgument
            }
        }
    }

    @Test func createIsSETWithExpiryInSecondsOrMilliseconds() throws {
        #expect(
            try operation("create", ["key": "k"]).commands() == [RedisCommand("SET", Array("k".utf8), Array("v".utf8))])
        #expect(
            try operation("create", ["key": "k", "ttlInSeconds": "60"]).commands()
                == [RedisCommand.text("SET", "k", "v", "EX", "60")])
        #expect(
            try operation("create", ["key": "k", "TTL": "1m30s"]).commands()
                == [RedisCommand.text("SET", "k", "v", "EX", "90")])
        #expect(
            try operation("create", ["key": "k", "ttlinseconds": "1500ms"]).commands()
                == [RedisCommand.text("SET", "k", "v", "PX", "1500")])
    }

    @Test(arguments: ["0", "-5", "soon", "1x"])
    func badTTLIsRejectedQuotingIt(text: String) {
        #expect {
            try operation("create", ["key": "k", "ttlInSeconds": text])
        } throws: { error in
            (error as? DriverError)?.message.contains("\"ttlInSeconds\" is \"\(text)\"") == true
        }
    }

    @Test func getWithDeleteIsGETDELOrATransaction() throws {
        #expect(try operation("get", ["key": "k"]).commands() == [RedisCommand.text("GET", "k")])
        #expect(try operation("get", ["key": "k", "delete": "false"]).commands() == [RedisCommand.text("GET", "k")])
        let getDel = try operation("get", ["key": "k", "delete": "true"])
        #expect(getDel.commands() == [RedisCommand.text("GETDEL", "k")])
        #expect(
            getDel.commands(getDelAvailable: false) == [
                RedisCommand("MULTI"), RedisCommand.text("GET", "k"), RedisCommand.text("DEL", "k"),
                RedisCommand("EXEC"),
            ])
        #expect(!getDel.isRetryable)
    }

    @Test func incrementExpiresInASecondStepAndIsNotRetried() throws {
        let plain = try operation("increment", ["key": "n"])
        #expect(plain.commands() == [RedisCommand.text("INCR", "n")])
        #expect(plain.expireCommand == nil)
        #expect(!plain.isRetryable)
        #expect(
            try operation("increment", ["key": "n", "ttlInSeconds": "30"]).expireCommand
                == RedisCommand.text("EXPIRE", "n", "30"))
        #expect(
            try operation("increment", ["key": "n", "ttl": "250ms"]).expireCommand
                == RedisCommand.text("PEXPIRE", "n", "250"))
    }

    @Test func deleteIsDELAndTTLIsIgnoredOutsideCreateAndIncrement() throws {
        let delete = try operation("delete", ["key": "k", "ttlInSeconds": "nonsense"])
        #expect(delete.commands() == [RedisCommand.text("DEL", "k")])
        #expect(delete.isRetryable)
    }

    @Test func commandKeepsBinaryArguments() {
        let command = RedisCommand("SET", [0, 13, 10], [])
        #expect(command.argumentCount == 3)
        #expect(command.name == "SET")
        #expect(command.argument(1) == [0, 13, 10])
        #expect(command.argument(2) == [])
    }
}
