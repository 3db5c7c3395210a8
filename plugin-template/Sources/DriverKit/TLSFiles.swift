import Glibc

/// The PEM texts of a component's caCert, clientCert and clientKey as files, for C clients that
/// read certificates and keys only from paths (libmosquitto's `mosquitto_tls_set`, librabbitmq's
/// `amqp_ssl_socket_set_cacert`/`_key`). They live in a private directory (0700, files 0600)
/// made with mkdtemp, and `remove()` deletes them when the connection stops.
public struct TLSFiles: Sendable {
    public var directory: String
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?

    /// Writes each PEM text that is set, for the driver of type `driver` (named in errors and in
    /// the directory's name); throws naming the file that could not be written.
    public init(driver: String, caCert: String?, clientCert: String?, clientKey: String?) throws {
        let prefix = driver.hasPrefix("bindings.") ? String(driver.dropFirst("bindings.".count)) : driver
        let base = (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/bindery-\(prefix)-XXXXXX"
        var template = Array(base.utf8CString)
        guard
            let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } })
        else {
            throw DriverError(
                .unavailable,
                "\(driver): cannot create a directory for TLS material: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        caFile = try caCert.map { try TLSFiles.write($0, to: directory + "/ca.pem", driver: driver) }
        certFile = try clientCert.map { try TLSFiles.write($0, to: directory + "/cert.pem", driver: driver) }
        keyFile = try clientKey.map { try TLSFiles.write($0, to: directory + "/key.pem", driver: driver) }
    }

    /// Deletes the files and the directory.
    public func remove() {
        for file in [caFile, certFile, keyFile].compactMap({ $0 }) { unlink(file) }
        rmdir(directory)
    }

    private static func write(_ text: String, to path: String, driver: String) throws -> String {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DriverError(.unavailable, "\(driver): cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw DriverError(.unavailable, "\(driver): cannot write \(path): \(String(cString: strerror(errno)))")
            }
            bytes = bytes.dropFirst(written)
        }
        return path
    }
}
