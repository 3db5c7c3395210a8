import DriverKit
import DriverTesting
import Testing

@testable import KafkaDriver

/// Nothing the app answered is lost when the cluster goes away or a member of the group leaves.
@Suite struct DeliveryGuaranteeTests {
    @Test func inputResumesAfterTheClusterComesBack() async throws {
        let kafka = try await cluster(["t": 2])
        let app = App()
        let driver = try await input(kafka, topics: "t", app: app)
        defer { Task { await driver.stop() } }
        try await kafka.kafkaProduce(topic: "t", (0..<10).map { "before-\($0)" })
        try await app.waitFor(10)
        try await kafka.kafkaControl("down")
        try await Task.sleep(for: .seconds(1))  // long enough for librdkafka to see the connections drop
        try await kafka.kafkaControl("up")
        try await kafka.kafkaProduce(topic: "t", (0..<10).map { "after-\($0)" })
        try await app.waitFor(20, timeout: .seconds(60))
        let expected = Set((0..<10).map { "before-\($0)" } + (0..<10).map { "after-\($0)" })
        #expect(Set(app.payloads) == expected)
    }

    @Test func whenOneOfTwoMembersStopsTheOtherTakesOverWithoutLoss() async throws {
        let kafka = try await cluster(["work": 4])
        let (a, b) = (App(), App())
        let first = try await input(kafka, topics: "work", group: "crew", app: a, component: "first")
        let second = try await input(kafka, topics: "work", group: "crew", app: b, component: "second")
        defer { Task { await second.stop() } }
        var sent = 0
        try await eventually("both members to work", timeout: .seconds(60)) {
            try await kafka.kafkaProduce(topic: "work", (sent..<sent + 20).map { "r\($0)" })
            sent += 20
            return !a.payloads.isEmpty && !b.payloads.isEmpty
        }
        await first.stop()
        let total = sent + 200
        try await kafka.kafkaProduce(topic: "work", (sent..<total).map { "r\($0)" })
        let expected = Set((0..<total).map { "r\($0)" })
        try await eventually("every record delivered", timeout: .seconds(60)) {
            Set(a.payloads + b.payloads).isSuperset(of: expected)
        }
        let deliveries = a.payloads.count + b.payloads.count
        // At least once: a record first delivered to the member that left, and not yet committed
        // when it left, comes again to the other (at most one per partition it held).
        #expect(deliveries - total <= 4, "\(deliveries - total) duplicates")
    }

    /// Partitions go to the app side by side, each in order: a record the app holds stops only
    /// its own partition, a record it keeps failing (retries on) only its own, and neither
    /// partition's committed offset passes that record.
    @Test func aHeldOrFailingRecordStopsOnlyItsPartitionAndIsNeverCommittedPast() async throws {
        let kafka = try await cluster(["lanes": 3])
        let producer = try await output(kafka, topic: "lanes")
        defer { Task { await producer.stop() } }
        func send(_ partition: Int, _ payloads: [String]) async throws {
            for payload in payloads { try await publish(producer, payload, ["partitionNumber": "\(partition)"]) }
        }
        for partition in 0..<3 { try await send(partition, (0..<5).map { "p\(partition)-\($0)" }) }
        let app = App { payload, _ in payload == "p0-1" ? nil : payload == "p1-1" ? .retry : .ack }
        let driver = try await input(
            kafka, topics: "lanes", group: "lanes", app: app,
            ["consumeRetryEnabled": "true", "backOffDuration": "50ms"])
        try await eventually("partition 2 delivered in full while 0 and 1 are stuck") {
            app.payloads.filter { $0.hasPrefix("p2-") }.count == 5 && app.payloads.filter { $0 == "p1-1" }.count >= 3
        }
        let delivered = app.payloads
        #expect(delivered.filter { $0.hasPrefix("p0-") } == ["p0-0", "p0-1"], "nothing after the held record")
        #expect(Set(delivered.filter { $0.hasPrefix("p1-") }) == ["p1-0", "p1-1"], "nothing after the failing one")
        #expect(delivered.filter { $0.hasPrefix("p2-") } == (0..<5).map { "p2-\($0)" }, "in offset order")
        #expect(app.heldCount == 1)
        await driver.stop()

        // The next member starts at each partition's committed offset: at the held record, at
        // the failing one, and after the last record of partition 2 (then its new record).
        try await send(2, ["p2-new"])
        let next = App()
        let successor = try await input(kafka, topics: "lanes", group: "lanes", app: next)
        defer { Task { await successor.stop() } }
        try await next.waitFor(9)
        #expect(next.payloads.filter { $0.hasPrefix("p0-") } == (1..<5).map { "p0-\($0)" })
        #expect(next.payloads.filter { $0.hasPrefix("p1-") } == (1..<5).map { "p1-\($0)" })
        #expect(next.payloads.filter { $0.hasPrefix("p2-") } == ["p2-new"], "partition 2 was committed in full")
    }
}
