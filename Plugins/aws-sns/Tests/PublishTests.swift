import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import SNSDriver

/// `create` against moto: a topic with an SQS queue subscribed shows what SNS published.
@Suite struct PublishTests {
    @Test func createPublishesTheMessageToEverySubscriber() async throws {
        let moto = try await sharedMoto()
        let (topicArn, queue) = try await MotoTool.topicWithQueue(moto, raw: true)
        let driver = try await publisher(moto, topicArn: topicArn)
        try await withStopping(driver) {
            try await driver.publish("{\"message\":\"Disk full on db-1\",\"subject\":\"Alert\"}")
            try await driver.publish("{\"message\":{\"level\":3}}")
            #expect(try await MotoTool.drain(moto, queue) == ["Disk full on db-1", "map[level:3]"])
        }
    }

    @Test func theSubjectReachesSubscribersInSNSsEnvelope() async throws {
        let moto = try await sharedMoto()
        let (topicArn, queue) = try await MotoTool.topicWithQueue(moto, raw: false)
        let driver = try await publisher(moto, topicArn: topicArn)
        try await withStopping(driver) {
            try await driver.publish("{\"message\":\"ünïcode ✓ & <xml>\",\"subject\":\"Order 17\"}")
            try await driver.publish("{\"message\":\"no subject\"}")
            let envelopes = try await MotoTool.drain(moto, queue).map { body in
                try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            }
            #expect(envelopes.count == 2)
            #expect(envelopes.first?["Message"] as? String == "ünïcode ✓ & <xml>")
            #expect(envelopes.first?["Subject"] as? String == "Order 17")
            #expect(envelopes.first?["TopicArn"] as? String == topicArn)
            #expect(envelopes.last?["Message"] as? String == "no subject")
            #expect(envelopes.last?["Subject"] == nil, "no subject, not \"<nil>\" as Dapr sends")
        }
    }

    @Test func aTopicThatDoesNotExistIsNamedInTheError() async throws {
        let moto = try await sharedMoto()
        let topicArn = "arn:aws:sns:us-east-1:123456789012:\(uniqueName("missing"))"
        let driver = try await publisher(moto, topicArn: topicArn)
        try await withStopping(driver) {
            let error = try await #require(throws: DriverError.self) { try await driver.publish("{\"message\":\"x\"}") }
            #expect(error.message.hasPrefix("alerts: "), "\(error.message)")
            #expect(error.message.contains("Publish"), "\(error.message)")
            #expect(error.message.contains("NotFound"), "\(error.message)")
            #expect(error.message.hasSuffix(" (topic \"\(topicArn)\")"), "\(error.message)")
        }
    }

    @Test func badDataFailsBeforeAnythingIsSent() async throws {
        let moto = try await sharedMoto()
        let (topicArn, queue) = try await MotoTool.topicWithQueue(moto, raw: true)
        let driver = try await publisher(moto, topicArn: topicArn)
        try await withStopping(driver) {
            let error = try await #require(throws: DriverError.self) { try await driver.publish("\"only text\"") }
            #expect(error.code == .invalidArgument)
            #expect(try await MotoTool.drain(moto, queue).isEmpty)
        }
    }

    @Test func aWrongSecretIsRefusedWithSignatureDoesNotMatch() async throws {
        let moto = try await ServerProcess.moto(checkingSignatures: true)
        let (accessKey, secretKey) = try moto.motoCredentials()
        let topicArn = "arn:aws:sns:us-east-1:123456789012:\(uniqueName("signed"))"
        let bad = try await publisher(moto, topicArn: topicArn, ["accessKey": accessKey, "secretKey": "wrong"])
        try await withStopping(bad) {
            let error = try await #require(throws: DriverError.self) { try await bad.publish("{\"message\":\"x\"}") }
            #expect(error.message.contains("SignatureDoesNotMatch"), "\(error.message)")
            let good = try await publisher(moto, topicArn: topicArn, ["accessKey": accessKey, "secretKey": secretKey])
            try await withStopping(good) {
                let missing = try await #require(throws: DriverError.self) {
                    try await good.publish("{\"message\":\"x\"}")
                }
                #expect(missing.message.contains("NotFound"), "signed right, the topic is missing: \(missing.message)")
            }
        }
    }

    @Test func publishFailsWhileTheServerIsDownAndWorksOnceItIsBack() async throws {
        let moto = try await ServerProcess.moto()
        let (topicArn, _) = try await MotoTool.topicWithQueue(moto, raw: true)
        let driver = try await publisher(moto, topicArn: topicArn)
        try await withStopping(driver) {
            try await driver.publish("{\"message\":\"before\"}")
            moto.stop()
            let error = try await #require(throws: DriverError.self) {
                try await driver.publish("{\"message\":\"down\"}")
            }
            #expect(error.message.hasPrefix("alerts: "), "\(error.message)")
            try await moto.start()
            // moto starts empty: topic, queue and subscription are made again (the same ARN).
            let topicName = String(topicArn.split(separator: ":").last ?? "")
            #expect(try await MotoTool.createTopic(moto, topicName) == topicArn)
            let queue = uniqueName("after")
            try await MotoTool.subscribeQueue(moto, queue, to: topicArn, raw: true)
            try await driver.publish("{\"message\":\"after\"}")
            #expect(try await MotoTool.drain(moto, queue) == ["after"])
        }
    }
}
