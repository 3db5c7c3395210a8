import DaprMetadata
import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); request keys match exactly, as Dapr reads `req.Metadata["key"]`.
enum S3Key: String, MetadataKey {
    case bucket, forcePathStyle, decodeBase64, encodeBase64, disableSSL, insecureSSL
    case filePath, presignTTL, storageClass
    /// Request metadata only.
    case key, tags
    /// Request metadata only, spelled as Dapr reads it (`metatadataContentType`).
    case contentType = "Content-Type"
}

/// The component configuration of one `bindings.aws.s3` instance, checked at create (no I/O).
/// The AWS profile (region, credentials, endpoint) is read by AWSKit beside it.
struct S3Settings: Sendable {
    var bucket: String
    var forcePathStyle: Bool
    var disableSSL: Bool
    var insecureSSL: Bool
    /// What each request may override (`mergeWithRequestMetadata` in Dapr).
    var defaults: S3Options

    init(_ metadata: ComponentMetadata) throws(DriverError) {
        bucket = try metadata.required(S3Key.bucket)
        forcePathStyle = try metadata.bool(S3Key.forcePathStyle) ?? false
        disableSSL = try metadata.bool(S3Key.disableSSL) ?? false
        insecureSSL = try metadata.bool(S3Key.insecureSSL) ?? false
        defaults = S3Options(
            decodeBase64: try metadata.bool(S3Key.decodeBase64) ?? false,
            encodeBase64: try metadata.bool(S3Key.encodeBase64) ?? false,
            filePath: metadata.string(S3Key.filePath),
            presignTTL: metadata.string(S3Key.presignTTL),
            storageClass: metadata.string(S3Key.storageClass))
        // Dapr parses presignTTL only when a request uses it, so a bad one fails every create;
        // here it fails at start, where the operator sees it.
        if let ttl = defaults.presignTTL {
            do throws(DriverError) { _ = try S3Options.presignSeconds(ttl) } catch {
                throw metadata.invalid(
                    S3Key.presignTTL, ttl, expected: "a Go duration from 1s to 168h (\(error.message))")
            }
        }
    }

    /// The endpoint as Dapr hands it to the SDK: with `disableSSL`, a value without a scheme
    /// gets `http://`. Without either, bindery assumes `https://` (the SDK would refuse the URL).
    static func endpoint(_ value: String?, disableSSL: Bool) -> String? {
        guard let value, !value.isEmpty else { return nil }
        if value.hasPrefix("http://") || value.hasPrefix("https://") { return value }
        return (disableSSL ? "http://" : "https://") + value
    }
}

/// The settings a request's metadata may override, as Dapr's `mergeWithRequestMetadata`.
struct S3Options: Sendable, Equatable {
    var decodeBase64: Bool
    var encodeBase64: Bool
    /// A file on the host to upload (create) instead of the request's data.
    var filePath: String?
    var presignTTL: String?
    var storageClass: String?

    /// These options with the request's non-empty values over them; booleans take Dapr's truthy
    /// words (`true`, `1`, `yes`, `on`, …) as true and anything else as false, as `IsTruthy`.
    func overridden(by request: [String: String]) -> S3Options {
        var merged = self
        if let value = request[S3Key.decodeBase64.rawValue], !value.isEmpty {
            merged.decodeBase64 = MetadataText.isTruthy(value)
        }
        if let value = request[S3Key.encodeBase64.rawValue], !value.isEmpty {
            merged.encodeBase64 = MetadataText.isTruthy(value)
        }
        if let value = request[S3Key.filePath.rawValue], !value.isEmpty { merged.filePath = value }
        if let value = request[S3Key.presignTTL.rawValue], !value.isEmpty { merged.presignTTL = value }
        if let value = request[S3Key.storageClass.rawValue], !value.isEmpty { merged.storageClass = value }
        return merged
    }

    /// SigV4 caps a presigned URL's life at 7 days (604800 s).
    static let maximumPresignSeconds = 604_800

    /// `ttl` (Go's `time.ParseDuration` syntax) in whole seconds, as the SDK's presigner rounds it.
    static func presignSeconds(_ ttl: String) throws(DriverError) -> Int {
        let duration: GoDuration
        do { duration = try GoDuration(go: ttl) } catch {
            throw DriverError(.invalidArgument, "s3 binding error: cannot parse duration \(ttl): \(error.description)")
        }
        let seconds = Int(duration.nanoseconds / 1_000_000_000)
        guard seconds >= 1, seconds <= maximumPresignSeconds else {
            throw DriverError(
                .invalidArgument,
                "s3 binding error: presignTTL \"\(ttl)\" is out of range: a presigned URL lives from 1 second to 7 days (168h)"
            )
        }
        return seconds
    }
}
