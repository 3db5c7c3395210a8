import DriverKit
import DriverTesting
import Testing

@testable import GCPPubSubDriver

/// Input against the emulator: what the app receives, when a message is acknowledged, what a
/// nack does, and that nothing is lost (every test counts).
@Suite struct InputTests {
    @Test func deliversTheDataWithDaprsMetadataAndAcknowledgesAfterTheAppsSuccess() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("in"), uniqueName("in-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription)
        let app = App()
        let driver = try await input(emulator, topic: topic, subscription: subscription, app: app)
        try await withStopping(driver) {
            try await Emulator.publish(emulator, topic, "{\"n\":1}", "plain text")
            try await eventually("both acknowledged", timeout: .seconds(30)) { driver.inputCounts.acknowledged == 2 }
            #expect(app.bodies == ["{\"n\":1}", "plain text"])
            // Dapr's binding sends the message id and the publish time (Go's Time.String()).
            for event in app.events {
                #expect(Set(event.metadata.keys) == ["id", "publishTime"])
                #expect(!(event.metadata["id"] ?? "").isEmpty)
                let time = event.metadata["publishTime"] ?? ""
                #expect(time.hasSuffix(" +0000 UTC") && time.count >= 29, "\(time)")
            }
            #expect(try await Emulator.drain(emulator, subscription).isEmpty)
        }
    }

    @Test func publishTimeIsPrintedAsGoPrintsATime() {
        #expect(PubSubMessage.goTime("2026-12-01T21:28:29.651Z") == "2026-12-01 21:28:29.651 +0000 UTC")
        #expect(PubSubMessage.goTime("2026-12-01T21:28:29.650000Z") == "2026-12-01 21:28:29.65 +0000 UTC")
        #expect(PubSubMessage.goTime("2026-12-01T21:28:29Z") == "2026-12-01 21:28:29 +0000 UTC")
        #expect(PubSubMessage.goTime("2026-12-01T21:28:29.000Z") == "2026-12-01 21:28:29 +0000 UTC")
        #expect(PubSubMessage.goTime("yesterday") == "yesterday")
    }

    @Test func aMessageIsAcknowledgedOnlyAfterTheAppsSuccess() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("held"), uniqueName("held-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription)
        let app = App { _, _ in nil }
        let driver = try await input(emulator, topic: topic, subscription: subscription, app: app)
        try await withStopping(driver) {
            try await Emulator.publish(emulator, topic, "keep me")
            try await eventually("the app to hold the message", timeout: .seconds(30)) { app.heldCount == 1 }
            #expect(driver.inputCounts.acknowledged == 0)
            app.answerHeld(.ack)
            try await eventually("the acknowledge", timeout: .seconds(30)) { driver.inputCounts.acknowledged == 1 }
            #expect(try await Emulator.drain(emulator, subscription).isEmpty)
            #expect(app.events.count == 1)
        }
    }

    @Test func aNackHandsTheMessageBackForRedeliveryAtOnce() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("nack"), uniqueName("nack-sub"))
        // An ack deadline of 10 minutes: a redelivery within the test's wait comes from the nack.
        try await Emulator.create(emulator, topic: topic, subscription: subscription, ackDeadline: 600)
        let app = App { _, attempt in attempt == 1 ? .retry : .ack }
        let driver = try await input(emulator, topic: topic, subscription: subscription, app: app)
        try await withStopping(driver) {
            try await Emulator.publish(emulator, topic, "again")
            try await eventually("the redelivery acknowledged", timeout: .seconds(30)) {
                driver.inputCounts.acknowledged == 1
            }
            #expect(app.bodies == ["again", "again"])
            #expect(driver.inputCounts.released == 1 && driver.inputCounts.settleFailures == 0)
        }
    }

    @Test func everyMessageArrivesAcrossNacksAndEachIsAcknowledgedOnce() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("count"), uniqueName("count-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription, ackDeadline: 600)
        // Every third message fails its first delivery.
        let app = App { body, attempt in (Int(body) ?? 0) % 3 == 0 && attempt == 1 ? .retry : .ack }
        let driver = try await input(emulator, topic: topic, subscription: subscription, app: app)
        try await withStopping(driver) {
            let producer = try await output(emulator, topic: topic)
            try await withStopping(producer) {
                for n in 0..<200 { try await producer.publish(String(n)) }
                try await eventually("200 acknowledges", timeout: .seconds(60)) {
                    driver.inputCounts.acknowledged == 200
                }
                let deliveries = Dictionary(grouping: app.bodies, by: { $0 }).mapValues(\.count)
                #expect(Set(deliveries.keys) == Set((0..<200).map(String.init)), "every message arrived")
                let nacked = (0..<200).filter { $0 % 3 == 0 }.map(String.init)
                #expect(nacked.allSatisfy { deliveries[$0] == 2 }, "each nacked message came exactly once more")
                let duplicates = deliveries.filter { !nacked.contains($0.key) && $0.value > 1 }
                #expect(duplicates.isEmpty, "no other message came twice: \(duplicates)")
                #expect(driver.inputCounts.released == 67 && driver.inputCounts.settleFailures == 0)
                #expect(try await Emulator.drain(emulator, subscription).isEmpty)
            }
        }
    }

    @Test func aMessageTheAppHoldsPastTheAckDeadlineGoesToNoOtherSubscriber() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("lease"), uniqueName("lease-sub"))
        // The shortest ack deadline Pub/Sub allows.
        try await Emulator.create(emulator, topic: topic, subscription: subscription, ackDeadline: 10)
        let app = App { _, _ in nil }
        let driver = try await input(emulator, topic: topic, subscription: subscription, app: app)
        try await withStopping(driver) {
            try await Emulator.publish(emulator, topic, "slow")
            try await eventually("the app to hold the message", timeout: .seconds(30)) { app.heldCount == 1 }
            // Two extensions: the second is sent after the subscription's own 10 s would have ended.
            try await eventually("two ack deadline extensions", timeout: .seconds(60)) {
                driver.inputCounts.extended >= 2
            }
            #expect(try await Emulator.drain(emulator, subscription).isEmpty, "still leased to the app")
            app.answerHeld(.ack)
            try await eventually("the acknowledge", timeout: .seconds(30)) { driver.inputCounts.acknowledged == 1 }
            #expect(app.events.count == 1)
        }
    }

    @Test func stopSettlesTheHeldMessageAndHandsTheRestOfTheBatchBack() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("drain"), uniqueName("drain-sub"))
        // A deadline of 10 minutes: messages handed back are ready again at once, not after it.
        try await Emulator.create(emulator, topic: topic, subscription: subscription, ackDeadline: 600)
        let app = App { _, _ in nil }
        // Published before input starts: its first pull takes all three in one batch.
        try await Emulator.publish(emulator, topic, "a", "b", "c")
        let driver = try await input(emulator, topic: topic, subscription: subscription, app: app)
        try await eventually("the app to hold the first", timeout: .seconds(30)) { app.heldCount == 1 }
        // The host stops input first and passes the app's answer on afterwards.
        async let stopped: Void = driver.stop()
        try await eventually("stop to begin", timeout: .seconds(30)) { driver.inputIsStopping }
        app.answerHeld(.ack)
        await stopped
        #expect(app.events.count == 1, "nothing new reaches the app once stop began")
        #expect(driver.inputCounts.acknowledged == 1)
        let counts = driver.inputCounts
        #expect(counts.returned == 2 && counts.settleFailures == 0, "\(counts)")
        let rest = try await Emulator.drain(emulator, subscription)
        #expect(rest.count == 2 && Set(app.bodies + rest) == ["a", "b", "c"], "\(app.bodies) then \(rest)")
    }

    @Test func anUnansweredMessageComesBackAfterStop() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("unanswered"), uniqueName("unanswered-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription, ackDeadline: 10)
        let app = App { _, _ in nil }
        try await Emulator.publish(emulator, topic, "never answered")
        let driver = try await input(emulator, topic: topic, subscription: subscription, app: app)
        try await eventually("the app to hold it", timeout: .seconds(30)) { app.heldCount == 1 }
        await driver.stop()
        #expect(driver.inputCounts.acknowledged == 0 && driver.inputCounts.released == 0)
        // Left to its ack deadline (at most the 30 s lease), then Pub/Sub hands it out again.
        var rest: [String] = []
        try await eventually("the message back in the subscription", timeout: .seconds(90)) {
            rest += try await Emulator.drain(emulator, subscription)
            return !rest.isEmpty
        }
        #expect(rest == ["never answered"])
    }

    @Test func aMissingSubscriptionIsLoggedAndInputStartsWhenItIsCreated() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("later"), uniqueName("later-sub"))
        let app = App()
        let log = LogLines()
        let driver = try await input(emulator, topic: topic, subscription: subscription, app: app, log: log)
        try await withStopping(driver) {
            try await eventually("the missing subscription in the log", timeout: .seconds(30)) {
                log.contains("cannot pull from subscription \"\(subscription)\"")
            }
            let line = log.all.first { $0.contains(subscription) } ?? ""
            #expect(line.contains("NOT_FOUND: Subscription does not exist (HTTP 404)"), "\(line)")
            try await Emulator.create(emulator, topic: topic, subscription: subscription)
            try await Emulator.publish(emulator, topic, "finally")
            try await eventually("the message", timeout: .seconds(30)) { driver.inputCounts.acknowledged == 1 }
            #expect(app.bodies == ["finally"])
            #expect(log.contains("pulling from subscription \"\(subscription)\" again"))
        }
    }

    @Test func publishAndInputWorkAgainAfterTheEmulatorRestarts() async throws {
        let emulator = try await ServerProcess.pubSubEmulator()
        let (topic, subscription) = (uniqueName("restart"), uniqueName("restart-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription)
        let app = App()
        let log = LogLines()
        let consumer = try await input(emulator, topic: topic, subscription: subscription, app: app, log: log)
        let producer = try await output(emulator, topic: topic)
        try await withStopping(consumer) {
            try await withStopping(producer) {
                for n in 1...5 { try await producer.publish("before \(n)") }
                try await eventually("five acknowledged", timeout: .seconds(30)) {
                    consumer.inputCounts.acknowledged == 5
                }
                emulator.stop()
                // A publish while it is down fails, saying so: the app knows it was not published.
                let error = try await #require(throws: DriverError.self) { try await producer.publish("while down") }
                #expect(error.code == .unavailable, "\(error.message)")
                try await eventually("the failure in the log", timeout: .seconds(30)) {
                    log.contains("cannot pull from subscription")
                }
                try await emulator.start()
                // The emulator starts empty: the test creates topic and subscription again.
                try await Emulator.create(emulator, topic: topic, subscription: subscription)
                for n in 1...5 { try await producer.publish("after \(n)") }
                try await eventually("the five published after the restart", timeout: .seconds(60)) {
                    consumer.inputCounts.acknowledged == 10
                }
                #expect(app.bodies == (1...5).map { "before \($0)" } + (1...5).map { "after \($0)" })
            }
        }
    }
}
