import Glibc
import Synchronization
import SystemThreads
import Testing

@Suite struct DedicatedThreadTests {
    /// A loop that adds up what it is sent, as a driver's I/O loop would handle requests.
    final class Summer: Sendable {
        let thread = DedicatedThread<Int>(name: "test thread")
        let total = Mutex(0)
        let onThread = Mutex<pthread_t?>(nil)

        func start() throws {
            try thread.start { [self] in
                onThread.withLock { $0 = pthread_self() }
                while true {
                    let (numbers, stopping) = thread.waitForWork()
                    total.withLock { $0 += numbers.reduce(0, +) }
                    if stopping { return }
                }
            }
        }
    }

    @Test func workSubmittedBeforeStopIsDoneAndStopJoins() async throws {
        let summer = Summer()
        try summer.start()
        for n in 1...100 { #expect(summer.thread.submit(n) == nil) }
        await summer.thread.stop()
        #expect(summer.total.withLock { $0 } == 5050)
        #expect(summer.thread.phase == .stopped)
        #expect(summer.thread.submit(1) == .stopped)
        await summer.thread.stop()
    }

    @Test func submitBeforeStartIsRefusedAndStopBeforeStartReturns() async {
        let thread = DedicatedThread<Int>(name: "idle")
        #expect(thread.submit(1) == .idle)
        await thread.stop()
        #expect(thread.phase == .stopped)
    }

    @Test func wakeDescriptorBecomesReadableOnSubmit() throws {
        let thread = DedicatedThread<Int>(name: "poller")
        let seen = Mutex<[Int]>([])
        let done = Mutex(false)
        try thread.start {
            while true {
                var fd = pollfd(fd: thread.wakeDescriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&fd, 1, 5_000)
                let (work, stopping) = thread.takeWork()
                seen.withLock { $0 += work }
                if stopping { break }
            }
            done.withLock { $0 = true }
        }
        _ = thread.submit(7)
        thread.requestStop()
        while !done.withLock({ $0 }) { usleep(1_000) }
        #expect(seen.withLock { $0 } == [7])
    }

    @Test func theLoopMayStopItself() async throws {
        let thread = DedicatedThread<Int>(name: "self-stopping")
        let finished = Mutex(false)
        try thread.start {
            thread.requestStop()
            _ = thread.waitForWork()
            finished.withLock { $0 = true }
        }
        await thread.stop()
        #expect(finished.withLock { $0 })
    }

    @Test func customWakeIsCalledOnSubmitAndStop() async throws {
        let wakes = Mutex(0)
        let thread = DedicatedThread<Int>(name: "custom") { wakes.withLock { $0 += 1 } }
        try thread.start {
            while !thread.waitForWork().stopping {}
        }
        _ = thread.submit(1)
        await thread.stop()
        #expect(wakes.withLock { $0 } >= 2)
    }
}
