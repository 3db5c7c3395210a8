import CurlTransport
import DaprMetadata
import DriverKit
import Glibc

/// The bindery extensions that point a driver of a web API at another host than the service's
/// own (a base URL and a CA to trust), the time a request may take, and transport failures as
/// DriverErrors: shared by the drivers whose service cannot run here (twilio.sms, sendgrid).
public enum ServiceEndpoint {
    /// The base URL of `key` (or `defaultURL`), http:// or https://, without trailing slashes.
    public static func baseURL(_ metadata: ComponentMetadata, _ key: some MetadataKey, default defaultURL: String)
        throws(DriverError) -> String
    {
        var url = metadata.string(key) ?? defaultURL
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), !URLText.hasControlCharacter(url),
            !url.contains("?"), !url.contains("#")
        else {
            throw metadata.invalid(key, url, expected: "an http:// or https:// base URL without query")
        }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// The PEM bytes of a CA field: PEM text as is, anything else read as a file path.
    public static func certificates(_ value: String, field: String, component: String) throws(DriverError) -> [UInt8] {
        let bytes: [UInt8]
        if value.contains("-----BEGIN") {
            bytes = Array(value.utf8)
        } else {
            bytes = try readFile(value, field: field, component: component)
        }
        guard String(decoding: bytes, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw DriverError(.invalidArgument, "\(component): metadata \"\(field)\" holds no PEM CERTIFICATE block")
        }
        return bytes
    }

    /// The whole (small) file at `path`; 1 MiB at most.
    private static func readFile(_ path: String, field: String, component: String) throws(DriverError) -> [UInt8] {
        func failure(_ reason: String) -> DriverError {
            DriverError(
                .invalidArgument,
                "\(component): metadata \"\(field)\" is neither PEM text nor a readable file: open \(path): \(reason)")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(String(cString: strerror(errno))) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw failure(String(cString: strerror(errno))) }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
            guard result.count <= 1 << 20 else { throw failure("larger than 1 MiB, not a PEM file") }
        }
    }

    /// The sooner of `limit` and the host's `deadline` (CLOCK_MONOTONIC nanoseconds), in
    /// milliseconds; an error when the deadline has passed.
    public static func timeout(limit: GoDuration?, deadline: UInt64?, component: String) throws(DriverError) -> Int64? {
        let limit = limit?.milliseconds
        guard let left = try RequestDeadline.milliseconds(left: deadline, prefix: component) else { return limit }
        return min(limit ?? left, left)
    }

    /// A transport failure as a DriverError naming the component.
    public static func failure(_ error: CurlError, component: String) -> DriverError {
        failure(error, prefix: "\(component): ")
    }

    /// A transport failure after `prefix`: retryable when the server could not be reached or
    /// did not answer in time (a write that timed out may have been applied: the caller decides
    /// whether to repeat it).
    public static func failure(_ error: CurlError, prefix: String) -> DriverError {
        switch error.kind {
        case .timeout: DriverError(.timeout, prefix + error.message, retryable: true)
        case .unreachable: DriverError(.unavailable, prefix + error.message, retryable: true)
        case .cancelled: DriverError(.cancelled, prefix + error.message)
        case .failed, .notStarted, .internalError: DriverError(.unavailable, prefix + error.message)
        }
    }
}
