import BinderyGRPC
import Testing

@Suite struct GRPCFramingTests {
    @Test func messagesSplitHoweverTheBytesArrive() {
        let stream = GRPCFraming.frame(Array("hello".utf8)) + GRPCFraming.frame([]) + GRPCFraming.frame([1, 2, 3])
        var whole = GRPCDeframer(limit: 100)
        whole.feed(stream)
        var split = GRPCDeframer(limit: 100)
        for byte in stream { split.feed([byte]) }
        let expected: [[UInt8]] = [Array("hello".utf8), [], [1, 2, 3]]
        #expect(whole.takeMessages() == expected)
        #expect(split.takeMessages() == expected)
        #expect(whole.finish() == nil)
        #expect(split.finish() == nil)
    }

    @Test func aMessagePastTheLimitIsRefusedFromItsPrefix() {
        var deframer = GRPCDeframer(limit: 10)
        deframer.feed([0, 0, 0, 0, 11])
        #expect(deframer.problem == .tooLarge(length: 11, limit: 10))
        #expect(deframer.problem?.status.code == .resourceExhausted)
    }

    @Test func aTruncatedMessageIsReportedAtTheEnd() {
        var deframer = GRPCDeframer(limit: 10)
        deframer.feed([0, 0, 0, 0, 4, 1, 2])
        #expect(deframer.takeMessages().isEmpty)
        #expect(deframer.finish() == .truncated(have: 7, need: 9))
    }

    @Test func compressedAndBadFlagsAreRefused() {
        var compressed = GRPCDeframer(limit: 10)
        compressed.feed([1, 0, 0, 0, 1, 9])
        #expect(compressed.problem == .compressed)
        var bad = GRPCDeframer(limit: 10)
        bad.feed([7, 0, 0, 0, 0])
        #expect(bad.problem == .badFlag(7))
    }

    @Test func timeoutsParseEveryUnitAndRefuseMalformedValues() {
        #expect(GRPCTimeout.parse("1S") == 1_000_000_000)
        #expect(GRPCTimeout.parse("250m") == 250_000_000)
        #expect(GRPCTimeout.parse("3u") == 3_000)
        #expect(GRPCTimeout.parse("7n") == 7)
        #expect(GRPCTimeout.parse("2M") == 120_000_000_000)
        #expect(GRPCTimeout.parse("1H") == 3_600_000_000_000)
        #expect(GRPCTimeout.parse("123456789S") == nil)
        #expect(GRPCTimeout.parse("S") == nil)
        #expect(GRPCTimeout.parse("1x") == nil)
        #expect(GRPCTimeout.parse("-1S") == nil)
        #expect(GRPCTimeout.format(nanoseconds: 1_500_000) == "1500000n")
        #expect(GRPCTimeout.parse(GRPCTimeout.format(nanoseconds: 5_000_000_000_000)) ?? 0 >= 5_000_000_000_000)
    }

    @Test func messageTextIsPercentEncodedBothWays() {
        let text = "bad: 100% \"é\"\n"
        let encoded = GRPCMessageText.encode(text)
        #expect(encoded == "bad: 100%25 \"%C3%A9\"%0A")
        #expect(GRPCMessageText.decode(encoded) == text)
        #expect(GRPCMessageText.decode("50%zz") == "50%zz")
    }
}
