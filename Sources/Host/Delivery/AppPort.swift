import Glibc

/// Whether the app's port accepts TCP connections (daprd dials every 100 ms with a 500 ms
/// timeout before it starts input bindings).
enum AppPort {
    /// One connection attempt; true when it was accepted.
    static func isOpen(address: String, port: Int, timeoutMilliseconds: Int32 = 500) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address, String(port), &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }

    /// Waits until the port is open, logging every ~10 s as daprd does, or until `isCancelled`.
    static func waitUntilOpen(address: String, port: Int, isCancelled: @Sendable () -> Bool) async -> Bool {
        var attempts = 0
        while !isCancelled() {
            if isOpen(address: address, port: port) { return true }
            attempts += 1
            if attempts % 100 == 0 { Log.info("waiting for application to listen on port \(port)") }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
