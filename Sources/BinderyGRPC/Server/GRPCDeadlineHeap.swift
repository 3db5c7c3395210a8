/// The deadlines of a loop's calls, earliest first: a binary min-heap, so that thousands of
/// calls with `grpc-timeout` cost a logarithmic push each and the loop's wait needs only the
/// top. Entries are not removed when a call ends early; the loop skips those whose stream is
/// gone or already answered when they come due, and `compact` drops them in bulk when they
/// pile up (at 50k calls/s with 30 s timeouts they would otherwise number 1.5 million).
struct GRPCDeadlineHeap {
    struct Entry {
        let deadline: UInt64
        let connection: UInt64
        let stream: Int32
    }

    private var entries: [Entry] = []

    /// The earliest deadline, if any.
    var earliest: UInt64? { entries.first?.deadline }

    var count: Int { entries.count }

    /// The size at which `needsCompaction` says the heap should drop ended calls.
    private var compactAt = 1024

    var needsCompaction: Bool { entries.count >= compactAt }

    /// Keeps the entries `isLive` accepts (O(n), so only every time the heap has doubled).
    mutating func compact(_ isLive: (Entry) -> Bool) {
        entries.removeAll { !isLive($0) }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
        compactAt = max(1024, 2 * entries.count)
    }

    mutating func push(_ deadline: UInt64, connection: UInt64, stream: Int32) {
        entries.append(Entry(deadline: deadline, connection: connection, stream: stream))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popExpired(now: UInt64) -> Entry? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return first }
        entries[0] = last
        siftDown(0)
        return first
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count, entries[right].deadline < entries[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
