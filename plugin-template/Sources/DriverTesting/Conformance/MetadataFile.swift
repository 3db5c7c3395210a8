import Foundation

/// A driver folder's `metadata.yaml`: what the driver declares, written for people and tools,
/// which the conformance suite compares with the descriptor the built driver reports.
public struct MetadataFile: Sendable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var required: String?
        public var sensitive: String?
        public var defaultValue: String?
        public var description: String?
    }

    public var type: String?
    public var version: String?
    public var directions: [String]?
    public var operations: [String]?
    public var fields: [Field]

    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TestFailure("\(path) is missing: every driver folder needs a metadata.yaml that lists its fields")
        }
        let root = try YAMLSubset.parse(String(decoding: data, as: UTF8.self), file: path)
        type = root["type"]?.text
        version = root["version"]?.text
        directions = root["directions"]?.items?.compactMap(\.text)
        operations = root["operations"]?.items?.compactMap(\.text)
        fields = (root["metadata"]?.items ?? []).map { item in
            Field(
                name: item["name"]?.text ?? "", required: item["required"]?.text, sensitive: item["sensitive"]?.text,
                defaultValue: item["default"]?.text, description: item["description"]?.text)
        }
    }
}
