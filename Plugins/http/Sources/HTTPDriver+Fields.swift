import DriverKit

extension HTTPDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal).
    static let fields: [MetadataField] = [
        MetadataField(
            HTTPKey.url, required: true,
            description:
                "Base URL of the endpoint, http:// or https://; the request metadata key path is appended to it."),
        MetadataField(
            HTTPKey.responseTimeout, .duration,
            description:
                "Longest time a request may take: a Go duration such as 30s or 1m30s, or whole seconds. Default: no limit."
        ),
        MetadataField(
            HTTPKey.maxResponseBodySize, .byteSize, default: "100Mi",
            description:
                "Most bytes of a response body kept (Ki, Mi, Gi or bytes); longer bodies are truncated; 0 or less: unlimited."
        ),
        MetadataField(
            HTTPKey.securityToken, sensitive: true,
            description: "Value sent in the securityTokenHeader header on every request; needs securityTokenHeader."),
        MetadataField(
            HTTPKey.securityTokenHeader,
            description: "Name of the header that carries securityToken; needs securityToken."),
        MetadataField(
            HTTPKey.errorIfNot2XX, .bool, default: "true",
            description:
                "Whether a non-2xx response is an error (y, yes, true, t, on, 1 are true); requests may override it."),
        MetadataField(
            HTTPKey.mtlsRootCA,
            description: "CA certificate(s) to trust instead of the system store: PEM text or a file path."),
        MetadataField(
            HTTPKey.mtlsClientCert,
            description: "Client certificate for mutual TLS: PEM text or a file path; used only with MTLSClientKey."),
        MetadataField(
            HTTPKey.mtlsClientKey, sensitive: true,
            description: "Private key of MTLSClientCert: PEM text or a file path."),
        MetadataField(
            HTTPKey.mtlsRenegotiation,
            .enumeration(["RenegotiateNever", "RenegotiateOnceAsClient", "RenegotiateFreelyAsClient"]),
            description:
                "Accepted for Dapr compatibility (RenegotiateNever, RenegotiateOnceAsClient, RenegotiateFreelyAsClient); libcurl decides renegotiation."
        ),
    ]
}
