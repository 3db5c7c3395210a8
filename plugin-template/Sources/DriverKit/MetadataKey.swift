/// A metadata key: a `String`, or a case of a driver's key enum whose raw values are the keys
/// as spelled in metadata.yaml (`enum Key: String, MetadataKey { case url, topic }`), so each
/// key is written once.
public protocol MetadataKey: Sendable {
    /// The key as spelled in metadata.yaml.
    var metadataKeyName: String { get }
}

extension String: MetadataKey {
    public var metadataKeyName: String { self }
}

extension MetadataKey where Self: RawRepresentable, RawValue == String {
    public var metadataKeyName: String { rawValue }
}
