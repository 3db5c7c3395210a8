import DriverKit
import DriverTesting
import Testing

@testable import KafkaDriver

/// `create` against a mock cluster: records land with Dapr's key, partition and headers.
@Suite struct OutputTests {
    @Test func createPublishesTheDataWithKeyAndHeaders() async throws {
        let kafka = try await cluster(["orders": 3])
        let driver = try await output(kafka, topic: "orders")
        defer { Task { await driver.stop() } }
        try await publish(driver, "{\"id\":1}", ["partitionKey": "customer-7", "traceid": "abc"])
        try await publish(driver, "second", ["__key": "k2"])
        let records = try await kafka.kafkaRecords(topic: "orders", format: "%k|%s|%h\n")
        #expect(records.count == 2)
        #expect(records.contains("customer-7|{\"id\":1}|partitionKey=customer-7,traceid=abc"), "\(records)")
        #expect(records.contains("k2|second|__key=k2"), "\(records)")
    }

    @Test func partitionNumberPicksThePartitionAndSameKeysShareOne() async throws {
        let kafka = try await cluster(["parts": 4])
        let driver = try await output(kafka, topic: "parts")
        defer { Task { await driver.stop() } }
        for index in 0..<3 { try await publish(driver, "pinned-\(index)", ["partitionNumber": "2"]) }
        for index in 0..<5 { try await publish(driver, "keyed-\(index)", ["partitionKey": "same"]) }
        let records = try await kafka.kafkaRecords(topic: "parts", format: "%p %s\n")
        #expect(records.filter { $0.hasSuffix("pinned-0") || $0.contains("pinned-") }.allSatisfy { $0.hasPrefix("2 ") })
        let keyed = Set(records.filter { $0.contains("keyed-") }.map { $0.prefix(1) })
        #expect(keyed.count == 1, "records with one key went to partitions \(keyed)")
        let bad = await driverError { try await publish(driver, "x", ["partitionNumber": "-1"]) }
        #expect(bad?.message == "partitionNumber must be non-negative, got -1")
        let outOfRange = await driverError { try await publish(driver, "x", ["partitionNumber": "9"]) }
        #expect(
            outOfRange?.message.hasPrefix("kafka: cannot publish to topic \"parts\": ") == true,
            "\(String(describing: outOfRange))")
    }

    @Test func nullDataIsATombstoneAndExcludedMetadataIsNoHeader() async throws {
        let kafka = try await cluster(["compacted": 1])
        let driver = try await output(kafka, topic: "compacted", ["excludeHeaderMetaRegex": "^secret"])
        defer { Task { await driver.stop() } }
        try await publish(driver, "null", ["partitionKey": "gone", "secretToken": "t", "kept": "1"])
        let records = try await kafka.kafkaRecords(topic: "compacted", format: "%k|%S|%h\n")
        #expect(records == ["gone|-1|kept=1,partitionKey=gone"], "a null value has size -1 in kcat: \(records)")
    }

    @Test func aMessagePastMaxMessageBytesFailsNamingTheComponent() async throws {
        let kafka = try await cluster(["big": 1])
        let driver = try await output(kafka, topic: "big", ["maxMessageBytes": "2048"])
        defer { Task { await driver.stop() } }
        try await publish(driver, String(repeating: "a", count: 2000))
        let error = await driverError { try await publish(driver, String(repeating: "b", count: 2049)) }
        #expect(error?.code == .invalidArgument)
        #expect(
            error?.message
                == "kafka: message of 2049 bytes (value, key and headers) exceeds maxMessageBytes (2048); not sent to topic \"big\""
        )
        #expect(try await kafka.kafkaRecords(topic: "big").count == 1)
    }

    @Test func badRequestsFailWithClearErrors() async throws {
        let kafka = try await cluster(["t": 1])
        let driver = try await output(kafka, topic: "t")
        defer { Task { await driver.stop() } }
        let unknown = await driverError { _ = try await driver.invoke(InvokeRequest(operation: "get")) }
        #expect(unknown?.code == .unsupported)
        #expect(unknown?.message == "binding kafka does not support operation get. supported operations:create")
        let avro = await driverError { try await publish(driver, "{}", ["valueSchemaType": "Avro"]) }
        #expect(avro?.message.contains("schema registry") == true)
        let noTopic = try makeDriver(metadata(kafka), .output)
        try await noTopic.start()
        defer { Task { await noTopic.stop() } }
        let missing = await driverError { try await publish(noTopic, "x") }
        #expect(
            missing?.message
                == "kafka: metadata \"publishTopic\" (or request metadata \"topic\") is required to publish (operation create)"
        )
    }

    @Test func requestTopicAndKeyOverridePublishTopicForThatRequest() async throws {
        let kafka = try await cluster(["orders": 1, "audit": 1])
        let driver = try await output(kafka, topic: "orders")
        defer { Task { await driver.stop() } }
        try await publish(driver, "redirected", ["topic": "audit", "key": "k-1"])
        try await publish(driver, "default")
        try await publish(driver, "empty topic", ["topic": ""])
        try await publish(driver, "key loses", ["key": "plain", "__key": "dunder"])
        try await publish(driver, "key loses twice", ["key": "plain", "__key": "dunder", "partitionKey": "pk"])
        let audit = try await kafka.kafkaRecords(topic: "audit", format: "%k|%s|%h\n")
        #expect(audit == ["k-1|redirected|key=k-1,topic=audit"], "both still go out as headers: \(audit)")
        let orders = try await kafka.kafkaRecords(topic: "orders", format: "%k|%s\n")
        #expect(orders == ["|default", "|empty topic", "dunder|key loses", "pk|key loses twice"], "\(orders)")
        // Without publishTopic, a request naming its topic is published; one without fails.
        let bare = try makeDriver(metadata(kafka), .output)
        try await bare.start()
        defer { Task { await bare.stop() } }
        try await publish(bare, "routed", ["topic": "audit", "key": "k-2"])
        #expect(try await kafka.kafkaRecords(topic: "audit", format: "%k|%s\n") == ["k-1|redirected", "k-2|routed"])
    }

    @Test func outputFailsFastWhileTheClusterIsDownAndRecovers() async throws {
        let kafka = try await cluster(["orders": 1])
        let driver = try await output(kafka, topic: "orders", ["writeTimeout": "3s", "readTimeout": "3s"])
        defer { Task { await driver.stop() } }
        try await publish(driver, "before")
        try await kafka.kafkaControl("down")
        // librdkafka notices the outage on its own; until then a publish waits for its timeout.
        try await eventually("a publish to fail while the cluster is down", timeout: .seconds(30)) {
            await driverError { try await publish(driver, "during") } != nil
        }
        let error = await driverError { try await publish(driver, "during") }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("kafka: ") == true, "\(String(describing: error))")
        try await kafka.kafkaControl("up")
        try await eventually("a publish to succeed after the cluster is back", timeout: .seconds(30)) {
            await driverError { try await publish(driver, "after") } == nil
        }
        let records = try await kafka.kafkaRecords(topic: "orders")
        #expect(records.first == "before")
        #expect(records.contains("after"))
    }

    @Test func startFailsNamingTheBrokersWhenNoneAnswers() async throws {
        let port = try freePort()
        let driver = try makeDriver(["brokers": "127.0.0.1:\(port)", "authType": "none", "publishTopic": "t"], .output)
        let error = await driverError { try await driver.start() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.hasPrefix("kafka: cannot reach the Kafka brokers 127.0.0.1:\(port): ") == true)
        await driver.stop()
    }
}
