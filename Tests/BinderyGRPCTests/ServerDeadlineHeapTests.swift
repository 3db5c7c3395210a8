import Testing

@testable import BinderyGRPC

@Suite struct ServerDeadlineHeapTests {
    @Test func entriesComeOutEarliestFirstOnlyWhenDue() {
        var heap = GRPCDeadlineHeap()
        var generator = SystemRandomNumberGenerator()
        let deadlines = (0..<500).map { _ in UInt64.random(in: 1...10_000, using: &generator) }
        for (index, deadline) in deadlines.enumerated() { heap.push(deadline, connection: 1, stream: Int32(index)) }
        #expect(heap.earliest == deadlines.min())
        #expect(heap.popExpired(now: 0) == nil)
        var popped: [UInt64] = []
        while let entry = heap.popExpired(now: 5_000) { popped.append(entry.deadline) }
        #expect(popped == deadlines.filter { $0 <= 5_000 }.sorted())
        #expect(heap.count == deadlines.count { $0 > 5_000 })
    }

    @Test func compactionDropsEndedCallsAndKeepsTheOrder() {
        var heap = GRPCDeadlineHeap()
        for stream in 0..<2000 { heap.push(UInt64(2000 - stream), connection: 1, stream: Int32(stream)) }
        #expect(heap.needsCompaction)
        heap.compact { $0.stream % 10 == 0 }  // the others ended early
        #expect(heap.count == 200)
        #expect(!heap.needsCompaction)
        var popped: [UInt64] = []
        while let entry = heap.popExpired(now: .max) { popped.append(entry.deadline) }
        #expect(popped == popped.sorted())
        #expect(popped.count == 200)
    }
}
