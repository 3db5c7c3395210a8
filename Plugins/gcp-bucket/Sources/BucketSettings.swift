import DaprMetadata
import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); request keys match exactly, as Dapr reads `req.Metadata["key"]`.
enum BucketKey: String, MetadataKey {
    case bucket, decodeBase64, encodeBase64, signTTL, contentType
    /// A bindery extension: the JSON API's base URL (an emulator, a private endpoint).
    case endpoint
    /// Request metadata only: the object's name; `name` is its older spelling (Dapr maps it).
    case key, name
}

/// The component configuration of one `bindings.gcp.bucket` instance, checked at create (no I/O).
/// The Google profile (project, credentials, emulator host) is read by GoogleAuth beside it.
struct BucketSettings: Sendable {
    var bucket: String
    var endpoint: String?
    /// What each request may override (`mergeWithRequestMetadata` in Dapr).
    var defaults: BucketOptions

    init(_ metadata: ComponentMetadata) throws(DriverError) {
        bucket = try metadata.required(BucketKey.bucket)
        endpoint = metadata.string(BucketKey.endpoint)
        defaults = BucketOptions(
            decodeBase64: try metadata.bool(BucketKey.decodeBase64) ?? false,
            encodeBase64: try metadata.bool(BucketKey.encodeBase64) ?? false,
            signTTL: metadata.string(BucketKey.signTTL),
            contentType: metadata.string(BucketKey.contentType))
        // Dapr parses signTTL only when `sign` runs, so a bad one fails every sign; here it
        // fails at start, where the operator sees it.
        if let ttl = defaults.signTTL {
            do throws(DriverError) { _ = try BucketOptions.signSeconds(ttl) } catch {
                throw metadata.invalid(
                    BucketKey.signTTL, ttl, expected: "a Go duration from 1s to 168h (\(error.message))")
            }
        }
        if let endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
            throw metadata.invalid(BucketKey.endpoint, endpoint, expected: "an http:// or https:// URL")
        }
    }
}

/// The settings a request's metadata may override, as Dapr's `mergeWithRequestMetadata`.
struct BucketOptions: Sendable, Equatable {
    var decodeBase64: Bool
    var encodeBase64: Bool
    var signTTL: String?
    var contentType: String?

    /// These options with the request's non-empty values over them; booleans take Dapr's truthy
    /// words (`true`, `1`, `yes`, `on`, …) as true and anything else as false, as `IsTruthy`.
    func overridden(by request: [String: String]) -> BucketOptions {
        var merged = self
        if let value = request[BucketKey.decodeBase64.rawValue], !value.isEmpty {
            merged.decodeBase64 = MetadataText.isTruthy(value)
        }
        if let value = request[BucketKey.encodeBase64.rawValue], !value.isEmpty {
            merged.encodeBase64 = MetadataText.isTruthy(value)
        }
        if let value = request[BucketKey.signTTL.rawValue], !value.isEmpty { merged.signTTL = value }
        if let value = request[BucketKey.contentType.rawValue], !value.isEmpty { merged.contentType = value }
        return merged
    }

    /// V4 signing caps a signed URL's life at 7 days (604800 s).
    static let maximumSignSeconds = 604_800

    /// `ttl` (Go's `time.ParseDuration` syntax) in whole seconds, as the Go client rounds it.
    static func signSeconds(_ ttl: String) throws(DriverError) -> Int {
        let duration: GoDuration
        do { duration = try GoDuration(go: ttl) } catch {
            throw DriverError(
                .invalidArgument,
                "gcp bucket binding error: gcp bucket binding error while parsing signTTL: \(error.description)")
        }
        let seconds = Int(duration.nanoseconds / 1_000_000_000)
        guard seconds >= 1, seconds <= maximumSignSeconds else {
            throw DriverError(
                .invalidArgument,
                "gcp bucket binding error: signTTL \"\(ttl)\" is out of range: a V4 signed URL lives from 1 second to 7 days (168h)"
            )
        }
        return seconds
    }
}
