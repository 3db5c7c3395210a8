import Glibc

/// A non-blocking pipe that wakes a dedicated thread out of poll(2) from other threads: one
/// byte makes the read end readable. (Swift's Glibc module has no eventfd; a pipe does the
/// same job.) `DedicatedThread` owns one; a loop polls `readEnd` beside its own descriptors.
public struct WakePipe: Sendable {
    public let readEnd: Int32
    let writeEnd: Int32

    /// Opens the pipe; throws, naming `owner`, when the process is out of descriptors.
    init(owner: String) throws(ThreadError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw ThreadError(
                description: "\(owner): cannot create a wake-up pipe: \(String(cString: strerror(errno)))")
        }
        // pipe2(2) is not in Swift's Glibc module; nothing forks between the two calls here.
        for fd in ends {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    /// Makes the read end readable. A full pipe already is, so EAGAIN is fine.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the pipe (on the dedicated thread).
    func drain() {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            while read(readEnd, buffer.baseAddress, buffer.count) > 0 {}
        }
    }

    /// Waits up to `milliseconds` (-1: no limit) for the pipe to become readable.
    func wait(milliseconds: Int32) {
        var fd = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, milliseconds)
    }

    func close() {
        _ = Glibc.close(readEnd)
        _ = Glibc.close(writeEnd)
    }
}
