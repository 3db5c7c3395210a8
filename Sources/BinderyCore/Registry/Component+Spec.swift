extension Component {
    /// Whether `other` asks for the same thing: equal but for where it is written (file, line,
    /// metadata positions). A component that moved to another file is not re-created.
    func sameSpec(as other: Component) -> Bool {
        name == other.name && namespace == other.namespace && type == other.type && version == other.version
            && ignoreErrors == other.ignoreErrors && initTimeout == other.initTimeout && scopes == other.scopes
            && secretStore == other.secretStore
            && metadata.map { [$0.name, $0.value, "\($0.fromSecretStore)"] }
                == other.metadata.map { [$0.name, $0.value, "\($0.fromSecretStore)"] }
    }
}
