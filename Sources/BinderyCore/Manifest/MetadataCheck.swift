import BinderySystem
import DaprMetadata

/// Checks a component's metadata against the fields its driver declares, before anything runs:
/// a missing required field or a value that is not of its field's type (ABI 1.1: `interval:
/// banana` for a duration) is an error, an unknown key a warning with the closest known field.
/// Names compare case-insensitively, as Dapr decodes metadata.
package enum MetadataCheck {
    package static func check(_ component: Component, against fields: [DriverDescriptor.Field]) -> [ManifestProblem] {
        var problems: [ManifestProblem] = []
        let label = "component \(JSONText.quoted(component.name)) (\(component.type))"
        for field in fields where field.required && field.defaultValue == nil {
            guard let value = component.value(of: field.name) else {
                problems.append(
                    .error(
                        ManifestError(
                            .missingField,
                            "\(label): required metadata field \(JSONText.quoted(field.name)) is missing",
                            file: component.file, line: component.line, column: 1)))
                continue
            }
            if value.isEmpty,
                let item = component.metadata.first(where: { $0.name.lowercased() == field.name.lowercased() })
            {
                problems.append(
                    .error(
                        ManifestError(
                            .missingField, "\(label): required metadata field \(JSONText.quoted(field.name)) is empty",
                            file: component.file, line: item.line, column: item.column)))
            }
        }
        problems += typeProblems(component, fields, label: label)
        let known = Set(fields.map { $0.name.lowercased() } + Component.Keys.runtime)
        let names = fields.map(\.name) + Component.Keys.runtime
        for item in component.metadata where !known.contains(item.name.lowercased()) {
            var message = "\(label): unknown metadata field \(JSONText.quoted(item.name))"
            if let closest = closest(to: item.name, among: names) {
                message += "; did you mean \(JSONText.quoted(closest))?"
            }
            problems.append(
                .warning(
                    ManifestError(.unknownField, message, file: component.file, line: item.line, column: item.column)))
        }
        return problems
    }

    /// Values that are not of their declared field's type; a sensitive or secret value is not
    /// repeated.
    private static func typeProblems(_ component: Component, _ fields: [DriverDescriptor.Field], label: String)
        -> [ManifestProblem]
    {
        let byName = Dictionary(fields.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        return component.metadata.compactMap { item in
            guard let field = byName[item.name.lowercased()], let expected = field.valueType.problem(with: item.value)
            else { return nil }
            let shown =
                field.sensitive
                ? "a value (hidden: the field is sensitive)"
                : item.fromSecretStore ? "a value (hidden: it comes from a secret store)" : JSONText.quoted(item.value)
            let message = "\(label): metadata field \(JSONText.quoted(item.name)) is \(shown), expected \(expected)"
            return .error(
                ManifestError(.invalidValue, message, file: component.file, line: item.line, column: item.column))
        }
    }

    /// The name with the smallest case-insensitive edit distance (the first one on ties).
    static func closest(to name: String, among names: [String]) -> String? {
        let target = Array(name.lowercased())
        return names.min { distance(target, Array($0.lowercased())) < distance(target, Array($1.lowercased())) }
    }

    /// Levenshtein distance.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
