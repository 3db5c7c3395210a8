/// Received bytes not parsed yet: appended at the end, consumed from the front.
package struct HTTPByteBuffer {
    private(set) var storage: [UInt8] = []
    private(set) var start = 0

    package var count: Int { storage.count - start }
    package var isEmpty: Bool { start == storage.count }

    package mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthIt()
        storage.append(contentsOf: bytes)
    }

    package mutating func append(_ bytes: [UInt8]) {
        compactIfWorthIt()
        storage.append(contentsOf: bytes)
    }

    mutating func consume(_ n: Int) {
        precondition(n <= count)
        start += n
        if start == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 65_536)
            start = 0
        }
    }

    package mutating func removeAll() {
        storage = []
        start = 0
    }

    package subscript(offset: Int) -> UInt8 { storage[start + offset] }

    /// Bytes `range` (offsets from the front) copied out.
    package func bytes(_ range: Range<Int>) -> ArraySlice<UInt8> {
        storage[(start + range.lowerBound)..<(start + range.upperBound)]
    }

    /// The offset just past the first empty line ("\r\n\r\n" or "\n\n"), searching from `from`;
    /// nil unless that offset is at most `limit`. The block must lie inside the limit, whatever
    /// arrived after it: else a head a byte or two over the limit passed when it came in one read
    /// and was refused when it came byte by byte (found by fuzz/http-request).
    func endOfHeaderBlock(from: Int, limit: Int) -> Int? {
        let end = min(count, limit)
        var i = max(from, 0)
        while i < end {
            if storage[start + i] == 0x0A {
                if i + 1 < end, storage[start + i + 1] == 0x0A { return i + 2 }
                if i + 2 < end, storage[start + i + 1] == 0x0D, storage[start + i + 2] == 0x0A { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    /// The offset of the first "\n" at or after `from`, or nil.
    func lineFeed(from: Int, limit: Int) -> Int? {
        var i = from
        let end = min(count, limit)
        while i < end {
            if storage[start + i] == 0x0A { return i }
            i += 1
        }
        return nil
    }

    fileprivate mutating func compactIfWorthIt() {
        if start > 0, start >= storage.count / 2 {
            storage.removeSubrange(0..<start)
            start = 0
        }
    }
}

extension HTTPByteBuffer {
    /// Lets `body` append to the end directly (serialising a response without a copy).
    mutating func withAppending(_ body: (inout [UInt8]) -> Void) {
        compactIfWorthIt()
        body(&storage)
    }

    /// The unconsumed bytes, for a write.
    func withUnsafeReadableBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start...])) }
    }
}
