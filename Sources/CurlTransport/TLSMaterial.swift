/// PEM bytes for one exchange: a root CA to trust instead of the system store, and a client
/// certificate and key for mutual TLS (used only when both are present).
public struct TLSMaterial: Sendable {
    public var rootCA: [UInt8]?
    public var clientCert: [UInt8]?
    public var clientKey: [UInt8]?

    public init(rootCA: [UInt8]? = nil, clientCert: [UInt8]? = nil, clientKey: [UInt8]? = nil) {
        self.rootCA = rootCA
        self.clientCert = clientCert
        self.clientKey = clientKey
    }
}
