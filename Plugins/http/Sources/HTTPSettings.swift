import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); request keys match exactly.
enum HTTPKey {
    static let url = "url"
    static let responseTimeout = "responseTimeout"
    static let maxResponseBodySize = "maxResponseBodySize"
    static let securityToken = "securityToken"
    static let securityTokenHeader = "securityTokenHeader"
    static let errorIfNot2XX = "errorIfNot2XX"
    static let mtlsRootCA = "MTLSRootCA"
    static let mtlsClientCert = "MTLSClientCert"
    static let mtlsClientKey = "MTLSClientKey"
    static let mtlsRenegotiation = "MTLSRenegotiation"
    /// Request metadata: appended to `url`.
    static let path = "path"
}

/// The component configuration of one `bindings.http` instance, checked at create (no I/O).
struct HTTPSettings: Sendable {
    static let defaultMaxResponseBodySize: Int64 = 100 << 20

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
        var values: [String: String] = [:]
        for (key, value) in configuration.metadata where !value.isEmpty { values[key.lowercased()] = value }
        func value(_ key: String) -> String? { values[key.lowercased()] }
        func invalid(_ key: String, _ text: String, _ expected: String) -> DriverError {
            DriverError(.invalidArgument,
                "\(configuration.componentName): metadata \"\(key)\" is \"\(text)\", expected \(expected)")
        }

        guard let url = value(HTTPKey.url) else {
            throw DriverError(.invalidArgument, "\(configuration.componentName): metadata \"url\" is required")
        }
        guard HTTPSettings.isHTTPURL(url) else {
            throw invalid(HTTPKey.url, url, "an absolute http:// or https:// URL with a host")
        }
        self.url = url

        if let text = value(HTTPKey.responseTimeout) {
            guard let duration = GoDuration(parsing: text), duration.nanoseconds > 0 else {
                throw invalid(HTTPKey.responseTimeout, text, "a positive Go duration such as \"30s\" or a number of seconds")
            }
            responseTimeout = duration
        }

        maxResponseBodySize = HTTPSettings.defaultMaxResponseBodySize
        if let text = value(HTTPKey.maxResponseBodySize) {
            guard let size = ByteSize(parsing: text) else {
                throw invalid(HTTPKey.maxResponseBodySize, text, "a size such as \"100Mi\", \"512Ki\" or a number of bytes")
            }
            maxResponseBodySize = size.bytes > 0 ? size.bytes : nil
        }

        if let token = value(HTTPKey.securityToken), let header = value(HTTPKey.securityTokenHeader) {
            guard OutgoingRequest.isToken(header) else {
                throw invalid(HTTPKey.securityTokenHeader, header, "an HTTP header name")
            }
            securityToken = (header, token)
        }

        errorIfNot2XX = value(HTTPKey.errorIfNot2XX).map(HTTPSettings.isTruthy) ?? true

        if let text = value(HTTPKey.mtlsRenegotiation),
            !["RenegotiateNever", "RenegotiateOnceAsClient", "RenegotiateFreelyAsClient"].contains(text)
        {
            throw invalid(HTTPKey.mtlsRenegotiation, text,
                "RenegotiateNever, RenegotiateOnceAsClient or RenegotiateFreelyAsClient")
        }
        rootCA = value(HTTPKey.mtlsRootCA)
        // Dapr loads a client certificate only when both halves are present.
        if let cert = value(HTTPKey.mtlsClientCert), let key = value(HTTPKey.mtlsClientKey) {
            clientCert = cert
            clientKey = key
        } else {
            hasHalfClientPair = value(HTTPKey.mtlsClientCert) != nil || value(HTTPKey.mtlsClientKey) != nil
        }
    }

    /// Dapr's `IsTruthy`: y, yes, true, t, on, 1 (any case, surrounding spaces ignored).
    static func isTruthy(_ text: String) -> Bool {
        ["y", "yes", "true", "t", "on", "1"].contains(text.trimmingASCIISpaces().lowercased())
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
