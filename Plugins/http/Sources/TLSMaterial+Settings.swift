import CurlTransport
import DriverKit
import Glibc

/// The PEM bytes of MTLSRootCA, MTLSClientCert and MTLSClientKey, resolved once in `start`.
extension TLSMaterial {
    /// Reads each configured value: PEM text as is, anything else as a file path (Dapr's rule).
    init(_ settings: HTTPSettings) throws {
        self.init()
        rootCA = try settings.rootCA.map {
            try TLSMaterial.pem(HTTPKey.mtlsRootCA.rawValue, $0, expecting: "CERTIFICATE")
        }
        clientCert = try settings.clientCert.map {
            try TLSMaterial.pem(HTTPKey.mtlsClientCert.rawValue, $0, expecting: "CERTIFICATE")
        }
        clientKey = try settings.clientKey.map {
            try TLSMaterial.pem(HTTPKey.mtlsClientKey.rawValue, $0, expecting: "PRIVATE KEY")
        }
    }

    /// PEM text, or the contents of the file it names; `label` must appear in a BEGIN line.
    static func pem(_ key: String, _ value: String, expecting label: String) throws -> [UInt8] {
        let bytes: [UInt8]
        if value.contains("-----BEGIN") {
            bytes = Array(value.utf8)
        } else {
            do {
                bytes = try readFile(value)
            } catch let reason {
                throw DriverError(
                    .invalidArgument,
                    "provided \"\(key)\" value is neither a valid file path nor a valid PEM encoded string: open \(value): \(reason)"
                )
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("-----BEGIN"), text.contains("\(label)-----") else {
            throw DriverError(.invalidArgument, "\"\(key)\" holds no PEM \(label) block")
        }
        return bytes
    }

    /// A reason a file could not be read (strerror text).
    struct ReadError: Error, CustomStringConvertible { var description: String }

    /// The whole file at `path`; PEM files are a few KB, so this is a short local read.
    private static func readFile(_ path: String) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw ReadError(description: String(cString: strerror(errno))) }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
            guard result.count <= 1 << 20 else { throw ReadError(description: "larger than 1 MiB, not a PEM file") }
        }
    }
}
