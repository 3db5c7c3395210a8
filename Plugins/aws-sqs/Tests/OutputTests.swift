import DriverKit
import DriverTesting
import Testing

@testable import SQSDriver

/// `create` against moto: what lands in the queue, and the errors an operator sees.
@Suite struct OutputTests {
    @Test func createSendsTheDataVerbatimAsTheMessageBody() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("out")
        try await MotoTool.createQueue(moto, queue)
        let driver = try await output(moto, queue: queue)
        try await withStopping(driver) {
            // The HTTP API hands a JSON string over with its quotes: Dapr sends them as they are.
            let bodies = ["\"hello\"", "{\"id\":1,\"note\":\"ünïcode ✓\"}", "42", "<xml a=\"1\"/>"]
            for body in bodies { try await driver.send(body) }
            #expect(try await MotoTool.drain(moto, queue) == bodies)
        }
    }

    @Test func concurrentCreatesAllLand() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("many")
        try await MotoTool.createQueue(moto, queue)
        let driver = try await output(moto, queue: queue)
        try await withStopping(driver) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<50 { group.addTask { try await driver.send("{\"n\":\(n)}") } }
                try await group.waitForAll()
            }
            let bodies = try await MotoTool.drain(moto, queue)
            #expect(Set(bodies) == Set((0..<50).map { "{\"n\":\($0)}" }) && bodies.count == 50)
        }
    }

    @Test func aQueueThatDoesNotExistIsNamedInTheError() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("missing")
        let driver = try await output(moto, queue: queue)
        try await withStopping(driver) {
            let error = try await #require(throws: DriverError.self) { try await driver.send("\"x\"") }
            #expect(error.code == .notFound)
            #expect(error.message.hasPrefix("orders: "), "\(error.message)")
            #expect(error.message.contains("GetQueueUrl"), "\(error.message)")
            #expect(error.message.contains("queue \"\(queue)\""), "\(error.message)")
            // The code the AWS SDKs report (from X-Amzn-Query-Error), not the JSON `__type`.
            #expect(error.message.contains("AWS.SimpleQueueService.NonExistentQueue"), "\(error.message)")
            // Created afterwards, the same instance finds it.
            try await MotoTool.createQueue(moto, queue)
            try await driver.send("\"late\"")
            #expect(try await MotoTool.drain(moto, queue) == ["\"late\""])
        }
    }

    @Test func aQueueDeletedAndCreatedAgainIsResolvedAgain() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("again")
        try await MotoTool.createQueue(moto, queue)
        let driver = try await output(moto, queue: queue)
        try await withStopping(driver) {
            try await driver.send("\"one\"")
            try await MotoTool.deleteQueue(moto, queue)
            try await MotoTool.createQueue(moto, queue)
            try await driver.send("\"two\"")
            #expect(try await MotoTool.drain(moto, queue) == ["\"two\""])
        }
    }

    @Test func aWrongSecretIsRefusedWithSignatureDoesNotMatch() async throws {
        let moto = try await ServerProcess.moto(checkingSignatures: true)
        let (accessKey, secretKey) = try moto.motoCredentials()
        let queue = uniqueQueue("signed")
        let good = try makeDriver(
            metadata(moto, queue: queue, ["accessKey": accessKey, "secretKey": secretKey]))
        try await good.start()
        try await withStopping(good) {
            let bad = try makeDriver(metadata(moto, queue: queue, ["accessKey": accessKey, "secretKey": "wrong"]))
            try await bad.start()
            try await withStopping(bad) {
                let error = try await #require(throws: DriverError.self) { try await bad.send("\"x\"") }
                #expect(error.message.contains("SignatureDoesNotMatch"), "\(error.message)")
                #expect(error.message.hasPrefix("orders: "), "\(error.message)")
                // The right key: the queue is missing, which needs a valid signature to be told.
                let missing = try await #require(throws: DriverError.self) { try await good.send("\"x\"") }
                #expect(!missing.message.contains("SignatureDoesNotMatch"), "\(missing.message)")
                #expect(missing.code == .notFound, "\(missing.message)")
            }
        }
    }

    @Test func createFailsWhileTheServerIsDownAndWorksOnceItIsBack() async throws {
        let moto = try await ServerProcess.moto()
        let queue = uniqueQueue("restart")
        try await MotoTool.createQueue(moto, queue)
        let driver = try await output(moto, queue: queue)
        try await withStopping(driver) {
            try await driver.send("\"before\"")
            moto.stop()
            let error = try await #require(throws: DriverError.self) { try await driver.send("\"down\"") }
            #expect(error.message.hasPrefix("orders: "), "\(error.message)")
            try await moto.start()
            // moto keeps nothing across a restart: the queue is created again, at the same URL.
            try await MotoTool.createQueue(moto, queue)
            try await driver.send("\"after\"")
            #expect(try await MotoTool.drain(moto, queue) == ["\"after\""])
        }
    }

    @Test func aBodyThatIsNotUTF8IsRefused() async throws {
        let moto = try await sharedMoto()
        let driver = try await output(moto, queue: uniqueQueue("bytes"))
        try await withStopping(driver) {
            let error = try await #require(throws: DriverError.self) {
                _ = try await driver.invoke(InvokeRequest(operation: "create", data: [0xFF, 0xFE]))
            }
            #expect(error.message == "orders: an SQS message body must be UTF-8 text")
        }
    }
}
