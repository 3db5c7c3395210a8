import DriverKit
import DriverTesting
import Testing

@testable import SQSDriver

/// Input against moto: what the app receives, when a message is deleted, what a nack does, and
/// that nothing is lost (every test counts).
@Suite struct InputTests {
    @Test func deliversTheBodyAloneAndDeletesAfterTheAppsSuccess() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("in")
        try await MotoTool.createQueue(moto, queue)
        let app = App()
        let driver = try await input(moto, queue: queue, app: app)
        try await withStopping(driver) {
            try await MotoTool.send(moto, queue, "{\"n\":1}", "plain text")
            try await eventually("both messages deleted", timeout: .seconds(30)) { driver.inputCounts.deleted == 2 }
            #expect(app.bodies == ["{\"n\":1}", "plain text"])
            // Dapr hands the app the body and no metadata.
            #expect(app.events.allSatisfy { $0.metadata.isEmpty })
            #expect(try await MotoTool.count(moto, queue) == 0)
        }
    }

    @Test func outputToInputRoundTrip() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("roundtrip")
        try await MotoTool.createQueue(moto, queue)
        let app = App()
        let consumer = try await input(moto, queue: queue, app: app)
        try await withStopping(consumer) {
            let producer = try await output(moto, queue: queue)
            try await withStopping(producer) {
                for n in 1...20 { try await producer.send("\"m\(n)\"") }
                try await eventually("every message deleted", timeout: .seconds(30)) {
                    consumer.inputCounts.deleted == 20
                }
                #expect(app.bodies.sorted() == (1...20).map { "\"m\($0)\"" }.sorted())
            }
        }
    }

    @Test func aMessageIsDeletedOnlyAfterTheAppsSuccess() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("held")
        try await MotoTool.createQueue(moto, queue)
        let app = App { _, _ in nil }
        let driver = try await input(moto, queue: queue, app: app)
        try await withStopping(driver) {
            try await MotoTool.send(moto, queue, "keep me")
            try await eventually("the app to hold the message", timeout: .seconds(30)) { app.heldCount == 1 }
            #expect(try await MotoTool.count(moto, queue) == 1, "held by the app: still in the queue")
            #expect(driver.inputCounts.deleted == 0)
            app.answerHeld(.ack)
            try await eventually("the delete", timeout: .seconds(30)) { driver.inputCounts.deleted == 1 }
            #expect(try await MotoTool.count(moto, queue) == 0)
        }
    }

    @Test func aNackMakesTheMessageVisibleAgainLongBeforeTheVisibilityTimeout() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("nack")
        // A visibility timeout of an hour: only ChangeMessageVisibility can bring it back in time
        // (at once after the first receive, 1 s after the second).
        try await MotoTool.createQueue(moto, queue, visibilityTimeout: 3600)
        let app = App { _, attempt in attempt < 3 ? .retry : .ack }
        let driver = try await input(moto, queue: queue, app: app)
        try await withStopping(driver) {
            try await MotoTool.send(moto, queue, "flaky")
            try await eventually("the third attempt deleted", timeout: .seconds(30)) { driver.inputCounts.deleted == 1 }
            #expect(app.bodies == ["flaky", "flaky", "flaky"])
            #expect(driver.inputCounts.released == 2)
            #expect(try await MotoTool.count(moto, queue) == 0)
        }
    }

    @Test func aNackedMessageBacksOffWithEachReceiveUpToTheVisibilityTimeout() {
        let delays = (1...8).map { SQSInput.nackDelay(receiveCount: $0, visibilitySeconds: 30) }
        #expect(delays == [0, 1, 2, 4, 8, 16, 30, 30])
        #expect(SQSInput.nackDelay(receiveCount: 1000, visibilitySeconds: 43200) == 43200)
        #expect(SQSInput.nackDelay(receiveCount: 3, visibilitySeconds: 0) == 0)
    }

    @Test func aMessageTheAppHoldsPastTheVisibilityTimeoutGoesToNoOtherConsumer() async throws {
        // A moto of its own, and a 20 s timeout (extensions every 10 s, 10 s of slack): with the
        // shared moto and 6 s or 10 s, an extension came too late while the whole AWS part of
        // the suite ran, most likely because the tests' blocking helpers (boto3 scripts, process
        // waits) hold the test process's concurrency threads, on which the heartbeat runs too.
        let moto = try await ServerProcess.moto()
        let queue = uniqueQueue("slow")
        try await MotoTool.createQueue(moto, queue, visibilityTimeout: 20)
        let holding = App { _, _ in nil }
        let first = try await input(moto, queue: queue, app: holding)
        try await withStopping(first) {
            try await MotoTool.send(moto, queue, "slow work")
            try await eventually("the app to hold it", timeout: .seconds(30)) { holding.heldCount == 1 }
            // A second consumer of the same queue (a replica) long-polls beside it.
            let other = App()
            let second = try await input(moto, queue: queue, app: other)
            try await withStopping(second) {
                // Three extensions take 30 s, beyond the 20 s visibility timeout: without them the
                // message would be visible again, and the other consumer would get it.
                try await eventually("three extensions, or the message at the other consumer", timeout: .seconds(120)) {
                    first.inputCounts.extended >= 3 || !other.events.isEmpty
                }
                #expect(other.events.isEmpty, "the message stayed invisible to the other consumer")
                holding.answerHeld(.ack)
                try await eventually("the delete", timeout: .seconds(30)) { first.inputCounts.deleted == 1 }
                #expect(try await MotoTool.count(moto, queue) == 0)
                #expect(other.events.isEmpty)
            }
        }
    }

    @Test func everyMessageArrivesAcrossNacksAndEachIsDeletedOnce() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("count")
        try await MotoTool.createQueue(moto, queue)
        // Every third message fails its first delivery.
        let app = App { body, attempt in (Int(body) ?? 0) % 3 == 0 && attempt == 1 ? .retry : .ack }
        let driver = try await input(moto, queue: queue, app: app)
        try await withStopping(driver) {
            let producer = try await output(moto, queue: queue)
            try await withStopping(producer) {
                for n in 0..<200 { try await producer.send(String(n)) }
                try await eventually("200 deletes", timeout: .seconds(60)) { driver.inputCounts.deleted == 200 }
                let deliveries = Dictionary(grouping: app.bodies, by: { $0 }).mapValues(\.count)
                #expect(Set(deliveries.keys) == Set((0..<200).map(String.init)), "every message arrived")
                let nacked = (0..<200).filter { $0 % 3 == 0 }.map(String.init)
                #expect(nacked.allSatisfy { deliveries[$0] == 2 }, "each nacked message came exactly once more")
                let duplicates = deliveries.filter { !nacked.contains($0.key) && $0.value > 1 }
                #expect(duplicates.isEmpty, "no other message came twice: \(duplicates)")
                #expect(driver.inputCounts.released == 67 && driver.inputCounts.settleFailures == 0)
                #expect(try await MotoTool.count(moto, queue) == 0)
            }
        }
    }

    @Test func anAnswerThatComesWhileInputStopsStillDeletes() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("drain")
        try await MotoTool.createQueue(moto, queue, visibilityTimeout: 3600)
        let app = App { _, _ in nil }
        // Sent before input starts: its first receive takes all three in one batch.
        try await MotoTool.send(moto, queue, "a", "b", "c")
        let driver = try await input(moto, queue: queue, app: app)
        try await eventually("the app to hold the first", timeout: .seconds(30)) { app.heldCount == 1 }
        // The host stops input first and passes the app's answer on afterwards.
        async let stopped: Void = driver.stop()
        try await eventually("stop to begin", timeout: .seconds(30)) { driver.inputIsStopping }
        app.answerHeld(.ack)
        await stopped
        #expect(app.events.count == 1, "nothing new reaches the app once stop began")
        #expect(driver.inputCounts.deleted == 1)
        // The two received with it but never handed over are visible again at once (the queue's
        // visibility timeout is an hour).
        #expect(driver.inputCounts.returned == 2 && driver.inputCounts.settleFailures == 0, "\(driver.inputCounts)")
        let rest = try await MotoTool.drain(moto, queue)
        #expect(rest.count == 2 && Set(app.bodies + rest) == ["a", "b", "c"], "\(app.bodies) then \(rest)")
    }

    @Test func aMissingQueueIsLoggedAndInputStartsWhenItIsCreated() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("later")
        let app = App()
        let log = LogLines()
        let driver = try await input(moto, queue: queue, app: app, log: log)
        try await withStopping(driver) {
            try await eventually("the missing queue in the log", timeout: .seconds(30)) {
                log.contains("cannot receive from queue \"\(queue)\"")
            }
            let line = log.all.first { $0.contains(queue) } ?? ""
            #expect(line.contains("AWS.SimpleQueueService.NonExistentQueue"), "\(line)")
            try await MotoTool.createQueue(moto, queue)
            try await MotoTool.send(moto, queue, "finally")
            try await eventually("the message", timeout: .seconds(30)) { driver.inputCounts.deleted == 1 }
            #expect(app.bodies == ["finally"])
            #expect(log.contains("receiving from queue \"\(queue)\" again"))
        }
    }

    @Test func inputResumesAfterTheServerRestarts() async throws {
        let moto = try await ServerProcess.moto()
        let queue = uniqueQueue("restart")
        try await MotoTool.createQueue(moto, queue)
        let app = App()
        let log = LogLines()
        let driver = try await input(moto, queue: queue, app: app, log: log)
        try await withStopping(driver) {
            try await MotoTool.send(moto, queue, "before")
            try await eventually("the first message", timeout: .seconds(30)) { driver.inputCounts.deleted == 1 }
            moto.stop()
            try await eventually("the failure in the log", timeout: .seconds(30)) {
                log.contains("cannot receive from queue")
            }
            try await moto.start()
            // moto starts empty: the test creates the queue again (the same URL).
            try await MotoTool.createQueue(moto, queue)
            try await MotoTool.send(moto, queue, "after")
            try await eventually("the message sent after the restart", timeout: .seconds(30)) {
                driver.inputCounts.deleted == 2
            }
            #expect(app.bodies == ["before", "after"])
        }
    }

    @Test func aWrongSecretIsLoggedWithSignatureDoesNotMatch() async throws {
        let moto = try await ServerProcess.moto(checkingSignatures: true)
        let (accessKey, _) = try moto.motoCredentials()
        let log = LogLines()
        let driver = try await input(
            moto, queue: uniqueQueue("signed"), app: App(), ["accessKey": accessKey, "secretKey": "wrong"], log: log)
        try await withStopping(driver) {
            // 90 s: a signature-checking moto evaluates IAM policy on every call, and under the
            // AWS part's load the first refusal once took longer than 30 s to reach the log.
            try await eventually("the refusal in the log", timeout: .seconds(90)) {
                log.contains("SignatureDoesNotMatch")
            }
        }
    }
}
