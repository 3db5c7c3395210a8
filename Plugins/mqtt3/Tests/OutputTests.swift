import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import MQTTDriver

/// Output: `create` publishes at QoS 1 and completes on the PUBACK.
@Suite struct OutputTests {
    @Test func publishReachesASubscriberWithTheExactPayloadAndRetainFlag() async throws {
        let broker = try await ServerProcess.mosquitto()
        let driver = try await output(broker, topic: "orders", ["retain": "true"])
        try await publish(driver, #"{"id":1,"text":"héllo"}"#)
        // Subscribed after the publish: only a retained message can arrive, flagged retained.
        let late = try await SubscriberProcess.start(broker: broker, topic: "orders", count: 1)
        #expect(try await late.next() == #"1|orders|{"id":1,"text":"héllo"}"#)
        await driver.stop()
    }

    @Test func requestMetadataOverridesTopicAndRetain() async throws {
        let broker = try await ServerProcess.mosquitto()
        let driver = try await output(broker, topic: "default", ["retain": "true"])
        let subscriber = try await SubscriberProcess.start(broker: broker, topic: "#", count: 1)
        try await publish(driver, "override", ["topic": "other/topic", "retain": "false"])
        #expect(try await subscriber.next() == "0|other/topic|override")
        await driver.stop()
    }

    @Test func startFailsNamingTheURLWhenTheBrokerIsDown() async throws {
        let port = try freePort()
        let driver = try makeDriver("tcp://127.0.0.1:\(port)", .output, topic: "t")
        let error = await driverError { try await driver.start() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("tcp://127.0.0.1:\(port)") == true)
        #expect(error?.message.contains("refused") == true)
        await driver.stop()
        await driver.stop()
    }

    @Test func unsupportedOperationAndInvokeBeforeStartFail() async throws {
        let driver = try makeDriver("tcp://127.0.0.1:1", .output, topic: "t")
        #expect(
            await driverError { _ = try await driver.invoke(InvokeRequest(operation: "get")) }?.code == .unsupported)
        #expect(await driverError { try await publish(driver, "x") }?.code == .unavailable)
        await driver.stop()
    }

    @Test func concurrentPublishesAllComplete() async throws {
        let broker = try await ServerProcess.mosquitto()
        let driver = try await output(broker, topic: "bulk")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<300 { group.addTask { try await publish(driver, "\(index)") } }
            try await group.waitForAll()
        }
        await driver.stop()
        #expect(await driverError { try await publish(driver, "after stop") }?.code == .cancelled)
    }
}

/// A publish reported failed although libmosquitto kept it (the connection died under it) may be
/// acknowledged by the broker after the reconnect: that PUBACK must complete nothing else.
@Suite struct PublishTrackerTests {
    @Test func aLatePubackOfAPublishReportedFailedCompletesNoLaterPublish() async throws {
        let tracker = PublishTracker(url: "tcp://127.0.0.1:1")
        tracker.abandon(7)
        tracker.published(7)  // the queued message went out after the reconnect
        // A later publish under the same id (16-bit ids wrap) waits for its own PUBACK.
        let deadline = MonotonicClock.after(milliseconds: 100)
        let error = await driverError {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                tracker.track(7, topic: "t", deadline: deadline, continuation)
                tracker.expire(now: deadline)
            }
        }
        #expect(error?.code == .timeout, "completed by the PUBACK of the message reported failed")
    }

    @Test func aPubackBeforeTheAbandonIsForgotten() async throws {
        let tracker = PublishTracker(url: "tcp://127.0.0.1:1")
        tracker.published(9)
        tracker.abandon(9)
        let deadline = MonotonicClock.after(milliseconds: 100)
        let error = await driverError {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                tracker.track(9, topic: "t", deadline: deadline, continuation)
                tracker.expire(now: deadline)
            }
        }
        #expect(error?.code == .timeout)
        #expect(tracker.waitingCount == 0)
    }
}
