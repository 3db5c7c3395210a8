import Foundation

/// A driver folder's `example.yaml`: one Dapr Component, read with `YAMLSubset`.
///
/// Only what the conformance suite needs is kept: `metadata.name`, `spec.type`, `spec.version`
/// and the `spec.metadata` list. An entry with `value:` is a literal; an entry whose value comes
/// from elsewhere (`secretKeyRef`, `envRef`) has `value == nil`, and the suite leaves it out
/// unless the test passes an override for it.
public struct ComponentExample: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var value: String?

        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }
    }

    public var name: String
    public var type: String
    public var version: String
    public var metadata: [Entry]
    /// The file's text, byte for byte (a README must quote it verbatim).
    public var text: String

    /// Reads and checks `path`; the errors say which line and which key.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TestFailure(
                "\(path) is missing: every driver folder needs an example.yaml (a Dapr Component that uses the driver)")
        }
        try self.init(String(decoding: data, as: UTF8.self), file: path)
    }

    public init(_ text: String, file: String = "example.yaml") throws {
        let root = try YAMLSubset.parse(text, file: file)
        func required(_ node: YAMLSubset.Node?, _ key: String) throws -> String {
            guard let value = node?.text, !value.isEmpty else { throw TestFailure("\(file): \(key) is required") }
            return value
        }
        guard root["kind"]?.text == "Component" else {
            throw TestFailure("\(file): kind must be Component, found \(root["kind"]?.text ?? "nothing")")
        }
        name = try required(root["metadata"]?["name"], "metadata.name")
        type = try required(root["spec"]?["type"], "spec.type")
        version = try required(root["spec"]?["version"], "spec.version")
        metadata = try (root["spec"]?["metadata"]?.items ?? []).enumerated().map { index, item in
            let name = try required(item["name"], "spec.metadata[\(index)].name")
            return Entry(name: name, value: item["value"]?.text)
        }
        self.text = text
    }

    /// The literal values, with `overrides` replacing (case-insensitively, as Dapr matches keys)
    /// or adding entries.
    public func values(overriding overrides: [String: String] = [:]) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = metadata.compactMap { entry in
            let override = overrides.first { $0.key.lowercased() == entry.name.lowercased() }?.value
            return (override ?? entry.value).map { (entry.name, $0) }
        }
        for (key, value) in overrides.sorted(by: { $0.key < $1.key })
        where !metadata.contains(where: { $0.name.lowercased() == key.lowercased() }) {
            result.append((key, value))
        }
        return result
    }
}
