/// PEM bytes for one exchange: a root CA to trust instead of the system store, and a client
/// certificate and key for mutual TLS (used only when both are present), and whether the
/// server's certificate is checked at all.
public struct TLSMaterial: Sendable {
    public var rootCA: [UInt8]?
    public var clientCert: [UInt8]?
    public var clientKey: [UInt8]?
    /// false accepts any certificate and host name (Go's InsecureSkipVerify), for components
    /// that ask for it (aws.s3's insecureSSL).
    public var verifiesPeer: Bool

    public init(
        rootCA: [UInt8]? = nil, clientCert: [UInt8]? = nil, clientKey: [UInt8]? = nil, verifiesPeer: Bool = true
    ) {
        self.rootCA = rootCA
        self.clientCert = clientCert
        self.clientKey = clientKey
        self.verifiesPeer = verifiesPeer
    }
}
