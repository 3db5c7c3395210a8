import Glibc

// Listening sockets: TCP here, Unix-domain in UnixSockets.swift; both bind and listen through
// `bindAndListen`.
extension Socket {
    /// Opens a non-blocking TCP listener on `host:port` (an IPv4 or IPv6 literal; port 0 picks one).
    package static func listen(host: String, port: Int, backlog: Int32) throws(SocketError) -> (fd: Int32, port: Int) {
        var address = try socketAddress(host: host, port: port)
        let fd = socket(
            Int32(address.ss_family),
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket", errno: Glibc.errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let length = socklen_t(
            address.ss_family == sa_family_t(AF_INET6)
                ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        try bindAndListen(fd, to: &address, length: length, backlog: backlog, name: "\(host):\(port)")
        return (fd, boundPort(fd))
    }

    /// Binds `fd` to `address` (a sockaddr of `length` bytes) and listens; on failure closes
    /// `fd` and throws, naming the call and `name` (the address or socket path).
    static func bindAndListen<Address>(
        _ fd: Int32, to address: inout Address, length: socklen_t, backlog: Int32, name: String
    ) throws(SocketError) {
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound != 0 || Glibc.listen(fd, backlog) != 0 else { return }
        let e = Glibc.errno
        Glibc.close(fd)
        throw SocketError(call: "\(bound != 0 ? "bind" : "listen") \(name)", errno: e)
    }

    private static func boundPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) }
        }
        return withUnsafeBytes(of: &storage) { raw in
            // sin_port and sin6_port sit at the same offset, in network byte order.
            Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self)))
        }
    }
}
