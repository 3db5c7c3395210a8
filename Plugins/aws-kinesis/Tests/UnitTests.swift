import AWSKit
import DriverJSON
import DriverKit
import Testing

@testable import KinesisDriver

/// The pure parts: a batch's acknowledgements and checkpoint, where a shard is read again after
/// a failed read, the lease table's times, the generated partition keys.
@Suite struct UnitTests {
    private func batch(_ count: Int) -> ShardBatch {
        ShardBatch((1...count).map { ShardBatch.Record(sequenceNumber: String($0), partitionKey: "k", data: []) })
    }

    @Test func recordsGoOutOneAtATimeAndAFailedOneComesAgainBeforeTheNext() {
        var batch = batch(3)
        #expect(batch.next(at: 0) == 0)
        batch.handedOut(0, as: 10)
        #expect(batch.next(at: 0) == nil, "one record of a shard with the app at a time")
        batch.answer(10, succeeded: false, retryAt: 500)
        #expect(batch.checkpoint == nil, "a failed record is not done")
        #expect(batch.next(at: 499) == nil && batch.next(at: 500) == 0, "it comes again at its retry time")
        #expect(batch.nextRetry == 500)
        batch.handedOut(0, as: 11)
        batch.answer(11, succeeded: true, retryAt: 0)
        #expect(batch.checkpoint == "1" && batch.next(at: 0) == 1)
        batch.handedOut(1, as: 12)
        batch.answer(12, succeeded: true, retryAt: 0)
        batch.handedOut(2, as: 13)
        #expect(!batch.isSettled)
        batch.answer(13, succeeded: true, retryAt: 0)
        #expect(batch.checkpoint == "3" && batch.isSettled && batch.next(at: 0) == nil)
        let unknown = batch.answer(99, succeeded: true, retryAt: 0)
        #expect(!unknown, "an unknown delivery changes nothing")
    }

    @Test func anEmptyBatchIsSettledWithNoCheckpoint() {
        let empty = ShardBatch([])
        #expect(empty.isSettled && empty.checkpoint == nil && empty.next(at: 0) == nil)
    }

    @Test func aReadThatTimedOutOrWasThrottledKeepsItsIteratorAndAnExpiredOneDoesNot() {
        func error(_ code: String, _ status: Int) -> AWSError { AWSError(code: code, message: "", statusCode: status) }
        #expect(StreamReader.keepsIterator(after: error("ProvisionedThroughputExceededException", 400)))
        #expect(StreamReader.keepsIterator(after: error("InternalFailure", 500)))
        #expect(!StreamReader.keepsIterator(after: error("ExpiredIteratorException", 400)))
        #expect(!StreamReader.keepsIterator(after: error("InvalidArgumentException", 400)))
    }

    @Test func aShardWithoutACheckpointIsReadAgainFromWhenReadingBeganNotFromANewLatest() {
        func point(_ checkpoint: String?, _ since: Int64?, _ initial: KinesisSettings.InitialPosition)
            -> [String: String]
        {
            let pairs = StreamReader.startingPoint(after: checkpoint, latestSince: since, initial: initial)
            return Dictionary(
                uniqueKeysWithValues: pairs.map { name, value in
                    if case .number(let text) = value { (name, text) } else { (name, value.string ?? "?") }
                })
        }
        let since: Int64 = 1_796_150_405_012_345_678
        #expect(point(nil, nil, .latest) == ["ShardIteratorType": "LATEST"], "reading begins at LATEST")
        #expect(
            point(nil, since, .latest) == ["ShardIteratorType": "AT_TIMESTAMP", "Timestamp": "1796150405.012"],
            "and resumes where it began, not at a new LATEST")
        #expect(
            point("42", since, .latest) == [
                "ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": "42",
            ])
        #expect(point(nil, since, .trimHorizon) == ["ShardIteratorType": "TRIM_HORIZON"])
    }

    @Test func leaseTimesAreGosRFC3339NanoInUTC() {
        let time: Int64 = 1_796_150_405_123_400_000
        #expect(LeaseTime.format(time) == "2026-12-01T18:40:05.1234Z")
        #expect(LeaseTime.format(1_796_150_405_000_000_000) == "2026-12-01T18:40:05Z")
        #expect(LeaseTime.parse("2026-12-01T18:40:05.1234Z") == time)
        #expect(LeaseTime.parse("2026-12-01T19:40:05.1234+01:00") == time)
        #expect(LeaseTime.parse("2026-12-01T18:40:05.123456789123Z") == 1_796_150_405_123_456_789)
        #expect(LeaseTime.parse("yesterday") == nil)
        let now = LeaseTime.now()
        #expect(LeaseTime.parse(LeaseTime.format(now)) == now)
    }

    @Test func generatedPartitionKeysAreLowerCaseVersion4UUIDs() {
        let keys = (0..<50).map { _ in RandomUUID.v4() }
        #expect(Set(keys).count == 50)
        for key in keys {
            let parts = key.split(separator: "-")
            #expect(parts.map(\.count) == [8, 4, 4, 4, 12], "\(key)")
            #expect(key.allSatisfy { "0123456789abcdef-".contains($0) }, "\(key)")
            #expect(parts[2].first == "4" && "89ab".contains(parts[3].first!), "\(key)")
        }
    }
}
