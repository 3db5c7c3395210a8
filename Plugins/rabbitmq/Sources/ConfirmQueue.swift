import DriverKit

/// Publishes waiting for the broker's confirm (basic.ack/basic.nack on a channel in confirm
/// mode), by publish sequence number. Used only on the connection's thread, so it needs no lock.
///
/// Sequence numbers start at 1 on each new channel and grow by one per publish, so the entries
/// are in order: a "multiple" ack completes a prefix, and an entry is found by binary search.
struct ConfirmQueue {
    typealias Completion = @Sendable (Result<InvokeResponse?, DriverError>) -> Void

    private struct Entry {
        var sequence: UInt64
        var deadline: UInt64
        var completion: Completion?
    }

    private var entries: [Entry] = []
    private var head = 0

    var count: Int { entries.count - head }

    mutating func append(_ sequence: UInt64, deadline: UInt64, _ completion: @escaping Completion) {
        entries.append(Entry(sequence: sequence, deadline: deadline, completion: completion))
    }

    /// The completions settled by a confirm for `tag` (all up to it when `multiple`).
    mutating func take(upTo tag: UInt64, multiple: Bool) -> [Completion] {
        var taken: [Completion] = []
        if multiple {
            while head < entries.count, entries[head].sequence <= tag {
                if let completion = entries[head].completion { taken.append(completion) }
                head += 1
            }
        } else if let index = find(tag), let completion = entries[index].completion {
            entries[index].completion = nil
            taken.append(completion)
        }
        compact()
        return taken
    }

    /// The completions whose deadline is at or before `now` (they stay as placeholders, so a
    /// late confirm for them completes nothing).
    mutating func expire(now: UInt64) -> [Completion] {
        var taken: [Completion] = []
        for index in head..<entries.count where entries[index].deadline <= now {
            if let completion = entries[index].completion { taken.append(completion) }
            entries[index].completion = nil
        }
        compact()
        return taken
    }

    /// Every completion still waiting (the connection is gone); the queue is empty after.
    mutating func removeAll() -> [Completion] {
        defer {
            entries = []
            head = 0
        }
        return entries[head...].compactMap(\.completion)
    }

    private func find(_ tag: UInt64) -> Int? {
        var (low, high) = (head, entries.count)
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].sequence < tag { low = middle + 1 } else { high = middle }
        }
        return low < entries.count && entries[low].sequence == tag ? low : nil
    }

    /// Drops settled entries at the front, and reclaims the array's prefix now and then.
    private mutating func compact() {
        while head < entries.count, entries[head].completion == nil { head += 1 }
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
