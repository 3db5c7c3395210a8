extension DriverConformance {
    /// metadata.yaml states what the descriptor says; the README quotes example.yaml verbatim,
    /// has a table row per field and names every operation.
    static func documentationProblems(
        _ descriptor: LoadedDescriptor, _ file: MetadataFile, readme: String, example: ComponentExample
    ) -> [String] {
        var problems: [String] = []
        func compare<T: Equatable>(_ what: String, _ written: T?, _ declared: T) {
            if written != declared {
                problems.append(
                    "metadata.yaml says \(what) is \(written.map { "\($0)" } ?? "nothing"), the driver says \(declared)"
                )
            }
        }
        compare("type", file.type, descriptor.type)
        compare("version", file.version, descriptor.componentVersion)
        compare("directions", file.directions, descriptor.directions)
        compare("operations", file.operations, descriptor.operations)
        compare("the list of fields", file.fields.map(\.name), descriptor.fields.map(\.name))
        for (written, field) in zip(file.fields, descriptor.fields) where written.name == field.name {
            compare("\(field.name).required", written.required, String(field.required))
            compare("\(field.name).sensitive", written.sensitive, String(field.sensitive))
            compare("\(field.name).default", written.defaultValue ?? "", field.defaultValue ?? "")
            compare("\(field.name).description", written.description, field.description)
        }
        if !readme.contains("```yaml\n" + example.text + "```") {
            problems.append("README.md does not quote example.yaml verbatim in a ```yaml block")
        }
        for field in descriptor.fields where !readme.contains("| `\(field.name)` |") {
            problems.append("README.md has no table row for field \(field.name) (a line with | `\(field.name)` |)")
        }
        for operation in descriptor.operations where !readme.contains("`\(operation)`") {
            problems.append("README.md never names operation `\(operation)`")
        }
        return problems
    }

    /// The example names this driver and its version, sets every required field and no unknown
    /// one (names compare case-insensitively, as Dapr decodes metadata).
    static func exampleProblems(_ descriptor: LoadedDescriptor, _ example: ComponentExample) -> [String] {
        var problems: [String] = []
        if example.type != descriptor.type {
            problems.append("example.yaml has spec.type \(example.type), the driver serves \(descriptor.type)")
        }
        if example.version != descriptor.componentVersion {
            problems.append(
                "example.yaml has spec.version \(example.version), the driver serves \(descriptor.componentVersion)")
        }
        let known = Set(descriptor.fields.map { $0.name.lowercased() } + runtimeKeys)
        for entry in example.metadata where !known.contains(entry.name.lowercased()) {
            problems.append("example.yaml sets \(entry.name), which is not one of the driver's fields")
        }
        let set = Set(example.metadata.map { $0.name.lowercased() })
        for field in descriptor.fields
        where field.required && field.defaultValue == nil && !set.contains(field.name.lowercased()) {
            problems.append("example.yaml does not set required field \(field.name)")
        }
        return problems
    }

    /// Keys the runtime reads from any binding component (Dapr's `direction` and `route`), which
    /// a driver need not declare.
    static let runtimeKeys = ["direction", "route"]

    /// The metadata an instance is created with: the example's literal values with `overrides`,
    /// then every declared default for a field still unset (the host applies them before create).
    func creationMetadata(_ descriptor: LoadedDescriptor, _ example: ComponentExample) -> [(String, String)] {
        var values = example.values(overriding: overrides).map { ($0.name, $0.value) }
        for field in descriptor.fields {
            guard let value = field.defaultValue,
                !values.contains(where: { $0.0.lowercased() == field.name.lowercased() })
            else { continue }
            values.append((field.name, value))
        }
        return values
    }
}
