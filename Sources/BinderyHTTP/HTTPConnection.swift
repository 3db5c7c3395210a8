/// One accepted connection's state. Owned by one `HTTPEventLoop` and touched only on its thread.
package final class HTTPConnection {
    /// A request that was handed to the handler and is owed a response, in arrival order.
    package struct Slot {
        package let sequence: UInt64
        let headOnly: Bool
        package let close: Bool
        let keepAlive10: Bool
        package var response: HTTPResponse?
    }

    package enum Phase {
        case open
        /// Our side is shut down after a closing response; reading and discarding until the peer
        /// closes or the deadline, so unread request bytes do not turn our FIN into a RST.
        case lingering(until: UInt64)
    }

    package let fd: Int32
    package let id: UInt64
    package var parser: HTTPRequestParser
    var slots: [Slot] = []
    var nextSequence: UInt64 = 0
    package var output = HTTPByteBuffer()
    var phase = Phase.open

    /// Edge-triggered readiness not yet consumed (EPOLLET: read/write until EAGAIN).
    var readable = false
    var writable = true
    /// The peer shut down its side (EPOLLRDHUP): reads go on until EOF, not only until a short read.
    var hangUpSignalled = false
    /// No further requests are parsed: a closing request was seen, a parse error, shutdown.
    var stopParsing = false
    /// Close once the output is written.
    var closeAfterWrite = false
    package var peerClosed = false
    /// Counted against `maxConnections` (false: being refused with 503).
    var admitted = false
    /// A request with `Expect: 100-continue` waits for earlier responses before 100 is sent.
    var continueOwed = false

    /// Monotonic times (ns) for the timeouts.
    var idleSince: UInt64
    var requestStarted: UInt64?
    var lastWriteProgress: UInt64

    package init(fd: Int32, id: UInt64, limits: HTTPRequestParser.Limits, now: UInt64) {
        self.fd = fd
        self.id = id
        self.parser = HTTPRequestParser(limits: limits)
        self.idleSince = now
        self.lastWriteProgress = now
    }

    var isLingering: Bool { if case .lingering = phase { true } else { false } }

    /// Nothing owed, nothing buffered, nothing half-received.
    var isIdle: Bool { slots.isEmpty && output.isEmpty && !parser.hasPartialRequest && !isLingering }

    /// Reading stops while too many responses are owed or too much output is buffered, so a
    /// client that pipelines without reading is held back by TCP flow control, not our memory.
    func readPaused(maxPipelined: Int, highWater: Int) -> Bool {
        stopParsing || slots.count >= maxPipelined || output.count >= highWater
    }

    /// Stores a response for `sequence`; false when it is unknown or already answered.
    func fill(_ sequence: UInt64, with response: HTTPResponse) -> Bool {
        guard let first = slots.first, sequence >= first.sequence else { return false }
        let index = Int(sequence - first.sequence)
        guard index < slots.count, slots[index].response == nil else { return false }
        slots[index].response = response
        return true
    }

    /// Serialises the responses that are next in order into the output buffer.
    func serializeReady(closingAll: Bool, date: ArraySlice<UInt8>) {
        var written = 0
        while written < slots.count, let response = slots[written].response {
            let slot = slots[written]
            let close = slot.close || (closingAll && written == slots.count - 1 && stopParsing)
            output.withAppending {
                response.write(
                    into: &$0, headOnly: slot.headOnly, close: close, keepAlive10: slot.keepAlive10, date: date)
            }
            written += 1
            if close {
                closeAfterWrite = true
                break
            }
        }
        if written > 0 { slots.removeFirst(closeAfterWrite ? slots.count : written) }
        if continueOwed, slots.isEmpty, !closeAfterWrite {
            continueOwed = false
            output.append(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
    }
}
