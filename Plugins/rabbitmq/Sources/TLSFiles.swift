import DriverKit
import Glibc

/// The PEM texts of caCert, clientCert and clientKey as files, because librabbitmq 0.11 reads
/// certificates and keys from paths (amqp_ssl_socket_set_cacert, amqp_ssl_socket_set_key). They
/// live in a private directory (0700, files 0600) made with mkdtemp and are removed by `remove()`
/// when the connection stops.
struct TLSFiles: Sendable {
    var directory: String
    var caFile: String?
    var certFile: String?
    var keyFile: String?

    /// Writes each PEM text that is set; throws naming the file that could not be written.
    init(caCert: String?, clientCert: String?, clientKey: String?) throws {
        let base = (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/bindery-rabbitmq-XXXXXX"
        var template = Array(base.utf8CString)
        guard
            let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } })
        else {
            throw DriverError(
                .unavailable,
                "bindings.rabbitmq: cannot create a directory for TLS material: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        caFile = try caCert.map { try TLSFiles.write($0, to: directory + "/ca.pem") }
        certFile = try clientCert.map { try TLSFiles.write($0, to: directory + "/cert.pem") }
        keyFile = try clientKey.map { try TLSFiles.write($0, to: directory + "/key.pem") }
    }

    /// Deletes the files and the directory.
    func remove() {
        for file in [caFile, certFile, keyFile].compactMap({ $0 }) { unlink(file) }
        rmdir(directory)
    }

    private static func write(_ text: String, to path: String) throws -> String {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DriverError(
                .unavailable, "bindings.rabbitmq: cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw DriverError(
                    .unavailable, "bindings.rabbitmq: cannot write \(path): \(String(cString: strerror(errno)))")
            }
            bytes = bytes.dropFirst(written)
        }
        return path
    }
}
