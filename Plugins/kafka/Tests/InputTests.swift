import DriverKit
import DriverTesting
import Testing

@testable import KafkaDriver

/// Input against a mock cluster: Dapr's metadata, commits only after the app's answer, retries.
@Suite struct InputTests {
    @Test func recordsReachTheAppWithDaprsMetadata() async throws {
        let kafka = try await cluster(["someTopic": 1, "other": 1])
        let app = App()
        let driver = try await input(kafka, topics: "someTopic, other", app: app)
        defer { Task { await driver.stop() } }
        try await kafka.kafkaProduce(topic: "someTopic", ["k1:hello"], keyed: true, headers: ["trace": "a b/c"])
        try await kafka.kafkaProduce(topic: "other", ["plain"])
        try await app.waitFor(2)
        let hello = try #require(app.deliveries.first { $0.payload == "hello" })
        #expect(hello.metadata["__key"] == "k1")
        #expect(hello.metadata["__topic"] == "someTopic")
        #expect(hello.metadata["__partition"] == "0")
        #expect(hello.metadata["__offset"] == "0")
        #expect(Int64(hello.metadata["__timestamp"] ?? "") ?? 0 > 1_600_000_000_000)
        #expect(hello.metadata["trace"] == "a b/c")
        let plain = try #require(app.deliveries.first { $0.payload == "plain" })
        #expect(plain.metadata["__key"] == nil, "a record without a key has no __key")
        #expect(plain.metadata["__topic"] == "other")
    }

    @Test func escapeHeadersQueryEscapesKeyAndHeaders() async throws {
        let kafka = try await cluster(["t": 1])
        let app = App()
        let driver = try await input(kafka, topics: "t", app: app, ["escapeHeaders": "true"])
        defer { Task { await driver.stop() } }
        try await kafka.kafkaProduce(topic: "t", ["a b:v"], keyed: true, headers: ["h": "x=1&y/é"])
        try await app.waitFor(1)
        #expect(app.deliveries.first?.metadata["__key"] == "a+b")
        #expect(app.deliveries.first?.metadata["h"] == "x%3D1%26y%2F%C3%A9")
    }

    @Test func anUnansweredRecordIsNotCommittedAndComesBackToTheNextMember() async throws {
        let kafka = try await cluster(["jobs": 1])
        let holding = App { payload, _ in payload == "job-2" ? nil : .ack }
        let first = try await input(kafka, topics: "jobs", app: holding)
        try await kafka.kafkaProduce(topic: "jobs", ["job-1", "job-2", "job-3"])
        try await holding.waitFor(2)
        #expect(holding.payloads == ["job-1", "job-2"], "one record at a time: job-3 waits for job-2's answer")
        try await eventually("job-1's offset committed") { first.commitCount == 1 }
        await first.stop()

        let second = App()
        let next = try await input(kafka, topics: "jobs", app: second)
        defer { Task { await next.stop() } }
        try await second.waitFor(2)
        #expect(second.payloads == ["job-2", "job-3"], "job-1 was committed; job-2 was not")
    }

    @Test func aFailedRecordIsSkippedWhenRetriesAreOffAsInDapr() async throws {
        let kafka = try await cluster(["t": 1])
        let app = App { payload, _ in payload == "bad" ? .retry : .ack }
        let driver = try await input(kafka, topics: "t", app: app)
        defer { Task { await driver.stop() } }
        try await kafka.kafkaProduce(topic: "t", ["bad", "good"])
        try await app.waitFor(2)
        #expect(app.payloads == ["bad", "good"])
        try await eventually("both offsets committed") { driver.commitCount == 2 }
        #expect(driver.delivery.counts.skipped == 1)
    }

    @Test func consumeRetryEnabledDeliversAFailedRecordAgainUntilTheAppTakesIt() async throws {
        let kafka = try await cluster(["t": 1])
        let app = App { payload, attempt in payload == "flaky" && attempt < 3 ? .retry : .ack }
        let driver = try await input(
            kafka, topics: "t", app: app, ["consumeRetryEnabled": "true", "backOffDuration": "50ms"])
        defer { Task { await driver.stop() } }
        try await kafka.kafkaProduce(topic: "t", ["flaky", "next"])
        try await app.waitFor(4)
        #expect(app.payloads == ["flaky", "flaky", "flaky", "next"], "next waits until flaky is taken")
    }

    @Test func backOffMaxRetriesBoundsTheRetries() async throws {
        let kafka = try await cluster(["t": 1])
        let app = App { payload, _ in payload == "poison" ? .retry : .ack }
        let driver = try await input(
            kafka, topics: "t", app: app,
            ["consumeRetryEnabled": "true", "backOffDuration": "20ms", "backOffMaxRetries": "2"])
        defer { Task { await driver.stop() } }
        try await kafka.kafkaProduce(topic: "t", ["poison", "after"])
        try await app.waitFor(4)
        #expect(app.payloads == ["poison", "poison", "poison", "after"])
    }

    @Test func initialOffsetNewestSkipsOlderRecordsAndOldestReadsThem() async throws {
        let kafka = try await cluster(["history": 1])
        try await kafka.kafkaProduce(topic: "history", ["old"])
        let oldest = App()
        let reader = try await input(kafka, topics: "history", group: "from-oldest", app: oldest)
        try await oldest.waitFor(1)
        await reader.stop()
        #expect(oldest.payloads == ["old"])

        let newest = App()
        let tail = try await input(
            kafka, topics: "history", group: "from-newest", app: newest, ["initialOffset": "newest"])
        defer { Task { await tail.stop() } }
        // Newest applies once the group assigned the partition: produce until something arrives.
        try await eventually("a new record to arrive", timeout: .seconds(30)) {
            try await kafka.kafkaProduce(topic: "history", ["new"])
            return !newest.payloads.isEmpty
        }
        #expect(!newest.payloads.contains("old"))
    }

    @Test func twoMembersOfOneGroupShareThePartitions() async throws {
        let kafka = try await cluster(["shared": 4])
        let (a, b) = (App(), App())
        let first = try await input(kafka, topics: "shared", group: "pair", app: a)
        defer { Task { await first.stop() } }
        let second = try await input(kafka, topics: "shared", group: "pair", app: b)
        defer { Task { await second.stop() } }
        var sent = 0
        try await eventually("both members to receive records", timeout: .seconds(60)) {
            try await kafka.kafkaProduce(topic: "shared", (0..<8).map { "m\(sent + $0)" })
            sent += 8
            return !a.payloads.isEmpty && !b.payloads.isEmpty
        }
        let final = (0..<16).map { "final-\($0)" }
        try await kafka.kafkaProduce(topic: "shared", final)
        try await eventually("every record delivered", timeout: .seconds(30)) {
            Set(a.payloads + b.payloads).isSuperset(of: Set((0..<sent).map { "m\($0)" } + final))
        }
        let partitions = { (app: App) in
            Set(app.deliveries.filter { $0.payload.hasPrefix("final-") }.map { $0.metadata["__partition"] ?? "" })
        }
        #expect(partitions(a).isDisjoint(with: partitions(b)), "after the rebalance no partition has two owners")
    }

    @Test func aBacklogBehindAHeldRecordPausesFetchingAndLosesNothing() async throws {
        let kafka = try await cluster(["t": 1])
        let app = App { payload, _ in payload == "r0" ? nil : .ack }
        let driver = try await input(kafka, topics: "t", app: app)
        defer { Task { await driver.stop() } }
        let count = PartitionLanes.pauseAt + 2_000
        try await kafka.kafkaProduce(topic: "t", (0..<count).map { "r\($0)" })
        try await eventually("the partition to pause for its backlog", timeout: .seconds(30)) { driver.pauseCount == 1 }
        #expect(app.payloads == ["r0"], "nothing passes the held record")
        app.answerHeld(.ack)
        try await app.waitFor(count)
        #expect(app.payloads == (0..<count).map { "r\($0)" }, "every record once, in order, across pause and resume")
    }
}
