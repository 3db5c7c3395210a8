import Glibc

// With Socket+Listen.swift and UnixSockets.swift, the only files in the host that call socket,
// epoll and eventfd syscalls (STYLE.md: small files of wrappers, as swift-system's
// Internals/Syscalls.swift). The servers and clients all go through them. Every wrapper retries
// EINTR and reports errno as a value.

/// A failed socket call: which call, and errno.
package typealias SocketError = SystemError

/// The outcome of a non-blocking read or write.
package enum SocketIO: Equatable {
    case bytes(Int)
    case wouldBlock
    case endOfFile
    case failed(Int32)
}

package enum Socket {
    /// Accepts one connection as a non-blocking socket with TCP_NODELAY; nil when none is queued.
    package static func accept(_ listener: Int32) -> Result<Int32, SocketError>? {
        while true {
            let fd = LinuxCalls.accept4(
                listener, nil, nil, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            if fd >= 0 {
                setNoDelay(fd)
                return .success(fd)
            }
            switch Glibc.errno {
            case EINTR, ECONNABORTED: continue
            case EAGAIN, EWOULDBLOCK: return nil
            case let e: return .failure(SocketError(call: "accept4", errno: e))
            }
        }
    }

    package static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> SocketIO {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
            if n > 0 { return .bytes(n) }
            if n == 0 { return .endOfFile }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case let e: return .failed(e)
            }
        }
    }

    /// Writes without raising SIGPIPE on a connection the peer closed.
    package static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> SocketIO {
        while true {
            let n = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            if n >= 0 { return .bytes(n) }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case let e: return .failed(e)
            }
        }
    }

    package static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Closes with a reset (SO_LINGER 0), dropping unsent data: for a peer that stopped reading,
    /// whose FIN would otherwise wait behind the unsent bytes in the kernel.
    package static func abort(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        _ = Glibc.close(fd)
    }

    /// Half-closes the write side (the peer reads EOF) while reads stay possible.
    package static func shutdownWrite(_ fd: Int32) { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Stops a listener: later connects are refused and accept fails.
    package static func shutdownListener(_ fd: Int32) { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Connects a non-blocking TCP socket, waiting at most `timeoutMilliseconds` (-1 = no limit).
    package static func connect(host: String, port: Int, timeoutMilliseconds: Int32) throws(SocketError) -> Int32 {
        var address = try socketAddress(host: host, port: port)
        let fd = socket(
            Int32(address.ss_family),
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket", errno: Glibc.errno) }
        let length = socklen_t(
            address.ss_family == sa_family_t(AF_INET6)
                ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        if result != 0 {
            let e = Glibc.errno
            guard e == EINPROGRESS else {
                Glibc.close(fd)
                throw SocketError(call: "connect", errno: e)
            }
            guard wait(fd, forWriting: true, timeoutMilliseconds: timeoutMilliseconds) else {
                Glibc.close(fd)
                throw SocketError(call: "connect", errno: ETIMEDOUT)
            }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            guard error == 0 else {
                Glibc.close(fd)
                throw SocketError(call: "connect", errno: error)
            }
        }
        setNoDelay(fd)
        return fd
    }

    /// Waits until `fd` is readable (or writable); false on timeout.
    package static func wait(_ fd: Int32, forWriting: Bool, timeoutMilliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(forWriting ? POLLOUT : POLLIN), revents: 0)
        while true {
            let n = poll(&entry, 1, timeoutMilliseconds)
            if n >= 0 { return n > 0 }
            if Glibc.errno != EINTR { return true }  // let the following call report the error
        }
    }

    /// True when a pooled idle connection cannot be reused: the peer closed it (EOF), an error is
    /// pending, or it sent bytes nobody asked for.
    package static func peerClosed(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        return n == 0 || (n < 0 && Glibc.errno != EAGAIN && Glibc.errno != EWOULDBLOCK) || n > 0
    }

    /// Resolves `host` (a literal, or a name through getaddrinfo) to a socket address with `port`.
    static func socketAddress(host: String, port: Int) throws(SocketError) -> sockaddr_storage {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host == "localhost" ? "127.0.0.1" : host, String(port), &hints, &list)
        guard status == 0, let first = list else { throw SocketError(call: "getaddrinfo \(host)", errno: EHOSTUNREACH) }
        defer { freeaddrinfo(list) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(
                from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        return storage
    }
}

/// Linux calls Glibc's Swift module map leaves out (<sys/epoll.h>, <sys/eventfd.h>, and accept4,
/// which needs _GNU_SOURCE). The package may not add a C target for them, so they are looked up
/// once with dlsym(RTLD_DEFAULT) and called through @convention(c) pointers: the C calling
/// convention, unlike @_silgen_name.
private enum LinuxCalls {
    static let epollCreate = function("epoll_create1", as: (@convention(c) (Int32) -> Int32).self)
    static let epollControl = function(
        "epoll_ctl", as: (@convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32).self)
    static let epollWait = function(
        "epoll_wait", as: (@convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32).self)
    static let eventfd = function("eventfd", as: (@convention(c) (UInt32, Int32) -> Int32).self)
    static let accept4 = function(
        "accept4",
        as: (@convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32)
            .self)

    private static func function<F>(_ name: String, as type: F.Type) -> F {
        guard let symbol = dlsym(nil, name) else { fatalError("libc has no \(name): not Linux?") }
        return unsafeBitCast(symbol, to: type)
    }
}

/// An epoll instance; the constants are the kernel's (uapi/linux/eventpoll.h).
package enum Epoll {
    package static let input: UInt32 = 0x001
    package static let output: UInt32 = 0x004
    package static let error: UInt32 = 0x008
    package static let hangUp: UInt32 = 0x010
    package static let readHangUp: UInt32 = 0x2000
    package static let exclusive: UInt32 = 1 << 28
    package static let edgeTriggered: UInt32 = 1 << 31

    /// struct epoll_event is packed on x86-64 (12 bytes), naturally aligned elsewhere (16).
    #if arch(x86_64)
        static let eventStride = 12
        static let dataOffset = 4
    #else
        static let eventStride = 16
        static let dataOffset = 8
    #endif

    package static func create() throws(SocketError) -> Int32 {
        let fd = LinuxCalls.epollCreate(Int32(O_CLOEXEC))
        guard fd >= 0 else { throw SocketError(call: "epoll_create1", errno: errno) }
        return fd
    }

    @discardableResult
    package static func add(_ epoll: Int32, _ fd: Int32, events: UInt32, token: UInt64) -> Int32 {
        withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { raw in
            raw.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: token, toByteOffset: dataOffset, as: UInt64.self)
            return LinuxCalls.epollControl(epoll, 1, fd, raw.baseAddress)  // 1: EPOLL_CTL_ADD == 0 ? 0 : errno
        }
    }

    package static func remove(_ epoll: Int32, _ fd: Int32) {
        withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { raw in
            _ = LinuxCalls.epollControl(epoll, 2, fd, raw.baseAddress)  // 2: EPOLL_CTL_DEL
        }
    }

    /// Room for the events one `wait` returns.
    package struct Events {
        package let capacity: Int
        package let raw: UnsafeMutableRawBufferPointer

        package init(capacity: Int) {
            self.capacity = capacity
            raw = .allocate(byteCount: capacity * Epoll.eventStride, alignment: 8)
        }

        package func deallocate() { raw.deallocate() }

        package subscript(index: Int) -> (events: UInt32, token: UInt64) {
            let base = index * Epoll.eventStride
            return (
                raw.loadUnaligned(fromByteOffset: base, as: UInt32.self),
                raw.loadUnaligned(fromByteOffset: base + Epoll.dataOffset, as: UInt64.self)
            )
        }
    }

    /// Waits for events; returns how many were stored (0 on timeout or EINTR).
    package static func wait(_ epoll: Int32, into events: Events, timeoutMilliseconds: Int32) -> Int {
        let n = LinuxCalls.epollWait(epoll, events.raw.baseAddress, Int32(events.capacity), timeoutMilliseconds)
        return n < 0 ? 0 : Int(n)
    }
}

/// An eventfd used to wake an epoll loop from other threads.
package enum EventFD {
    package static func create() throws(SocketError) -> Int32 {
        let fd = LinuxCalls.eventfd(0, Int32(O_NONBLOCK) | Int32(O_CLOEXEC))
        guard fd >= 0 else { throw SocketError(call: "eventfd", errno: errno) }
        return fd
    }

    package static func signal(_ fd: Int32) {
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, 8)
    }

    package static func drain(_ fd: Int32) {
        var value: UInt64 = 0
        _ = Glibc.read(fd, &value, 8)
    }
}
