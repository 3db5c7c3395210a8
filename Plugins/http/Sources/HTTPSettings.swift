import CurlTransport
import DaprMetadata
import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); request keys match exactly.
enum HTTPKey: String, MetadataKey {
    case url, responseTimeout, maxResponseBodySize, securityToken, securityTokenHeader, errorIfNot2XX
    case mtlsRootCA = "MTLSRootCA"
    case mtlsClientCert = "MTLSClientCert"
    case mtlsClientKey = "MTLSClientKey"
    case mtlsRenegotiation = "MTLSRenegotiation"
    /// Request metadata: appended to `url`.
    case path
}

/// The component configuration of one `bindings.http` instance, checked at create (no I/O).
struct HTTPSettings: Sendable {
    var url: String
    /// nil: no timeout (Dapr's default).
    var responseTimeout: GoDuration?
    /// nil: unlimited (a configured value ≤ 0).
    var maxResponseBodySize: Int64?
    /// Set only when both securityToken and securityTokenHeader are present.
    var securityToken: (header: String, value: String)?
    var errorIfNot2XX: Bool
    /// PEM text or a file path each; read in `start`.
    var rootCA: String?
    var clientCert: String?
    var clientKey: String?
    /// True when only one of MTLSClientCert and MTLSClientKey is set (Dapr then ignores both).
    var hasHalfClientPair = false

    init(_ configuration: DriverConfiguration) throws {
        let metadata = ComponentMetadata(configuration, fields: HTTPDriver.fields)
        url = try metadata.required(HTTPKey.url)
        // Messages quote the URL with its password hidden and control characters escaped.
        let shown = GoText.escaped(URLText.redacted(url))
        guard !URLText.hasControlCharacter(url) else {
            throw metadata.invalid(
                HTTPKey.url, shown,
                expected: "a URL without control characters (net/url: invalid control character in URL)")
        }
        guard HTTPSettings.isHTTPURL(url) else {
            throw metadata.invalid(HTTPKey.url, shown, expected: "an absolute http:// or https:// URL with a host")
        }
        responseTimeout = try metadata.duration(HTTPKey.responseTimeout, minimum: GoDuration(nanoseconds: 1))
        // The declared default (100Mi) applies when the component leaves it out.
        let size = try metadata.byteSize(HTTPKey.maxResponseBodySize)?.bytes ?? 0
        maxResponseBodySize = size > 0 ? size : nil
        if let token = metadata.string(HTTPKey.securityToken), let header = metadata.string(HTTPKey.securityTokenHeader)
        {
            guard OutgoingRequest.isToken(header) else {
                throw metadata.invalid(HTTPKey.securityTokenHeader, header, expected: "an HTTP header name")
            }
            securityToken = (header, token)
        }
        errorIfNot2XX = try metadata.bool(HTTPKey.errorIfNot2XX) ?? true
        _ = try metadata.enumeration(HTTPKey.mtlsRenegotiation)
        rootCA = metadata.string(HTTPKey.mtlsRootCA)
        // Dapr loads a client certificate only when both halves are present.
        if let cert = metadata.string(HTTPKey.mtlsClientCert), let key = metadata.string(HTTPKey.mtlsClientKey) {
            clientCert = cert
            clientKey = key
        } else {
            hasHalfClientPair = metadata.isSet(HTTPKey.mtlsClientCert) || metadata.isSet(HTTPKey.mtlsClientKey)
        }
    }

    /// True for `http://host…` and `https://host…` (scheme in any case).
    static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lower.hasPrefix($0) }) else { return false }
        let rest = text.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map { $0.split(separator: ":").first ?? "" } ?? ""
        return !host.isEmpty && !text.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" })
    }
}
