import Glibc

/// Unix-domain stream sockets (AF_UNIX), the transport daprd's `--unix-domain-socket` serves
/// its APIs on and Dapr's pluggable components speak gRPC over. Descriptors are non-blocking and
/// close-on-exec, like `Socket.listen` and `Socket.connect`; reads, writes, `Socket.accept` and
/// closing go through `Socket` as for TCP.
package enum UnixSocket {
    /// The longest path sockaddr_un holds (108 bytes with its terminating NUL).
    package static let maxPathBytes = 107

    /// Listens on `path`, first removing a stale socket file left there by an earlier process
    /// (a path that is something other than a socket is refused, never removed).
    package static func listen(path: String, backlog: Int32) throws(SocketError) -> Int32 {
        var address = try socketAddress(path)
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFSOCK else { throw SocketError(call: "listen \(path)", errno: EEXIST) }
            unlink(path)
        }
        let fd = try openSocket()
        try Socket.bindAndListen(
            fd, to: &address, length: socklen_t(MemoryLayout<sockaddr_un>.size), backlog: backlog, name: path)
        return fd
    }

    /// Connects to the socket at `path`. A Unix-domain connect completes at once or fails
    /// (EAGAIN when the listener's queue is full, ECONNREFUSED when nothing listens, ENOENT).
    package static func connect(path: String) throws(SocketError) -> Int32 {
        var address = try socketAddress(path)
        let fd = try openSocket()
        while true {
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if result == 0 { return fd }
            let e = Glibc.errno
            if e == EINTR { continue }
            Glibc.close(fd)
            throw SocketError(call: "connect \(path)", errno: e)
        }
    }

    private static func openSocket() throws(SocketError) -> Int32 {
        let fd = socket(
            AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket", errno: Glibc.errno) }
        return fd
    }

    /// `path` as a sockaddr_un; ENAMETOOLONG past `maxPathBytes`, EINVAL when empty or with a NUL.
    private static func socketAddress(_ path: String) throws(SocketError) -> sockaddr_un {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, !bytes.contains(0) else {
            throw SocketError(call: "socket path \"\(path)\"", errno: EINVAL)
        }
        guard bytes.count <= maxPathBytes else {
            throw SocketError(
                call: "socket path \(path) (\(bytes.count) bytes, at most \(maxPathBytes))", errno: ENAMETOOLONG)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }
}
