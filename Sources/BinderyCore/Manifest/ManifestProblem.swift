/// One thing an operator should fix in the component files, as `bindery validate` prints it.
package struct ManifestProblem: Sendable, Equatable, CustomStringConvertible {
    package enum Severity: String, Sendable { case error, warning }

    package var severity: Severity
    package var code: ManifestError.Code
    package var file: String
    package var line: Int
    package var column: Int
    package var message: String

    package init(_ severity: Severity, _ error: ManifestError) {
        self.severity = severity
        code = error.code
        file = error.file
        line = error.line
        column = error.column
        message = error.message
    }

    package static func error(_ error: ManifestError) -> ManifestProblem { ManifestProblem(.error, error) }
    package static func warning(_ error: ManifestError) -> ManifestProblem { ManifestProblem(.warning, error) }

    /// `file:line:column: error: message`, as compilers print diagnostics.
    package var description: String { Self.location(file, line, column) + "\(severity.rawValue): \(message)" }

    /// `file:line:column: `, leaving out what is unknown (empty file, line or column 0).
    static func location(_ file: String, _ line: Int, _ column: Int) -> String {
        var parts: [String] = []
        if !file.isEmpty { parts.append(file) }
        if line > 0 {
            parts.append(String(line))
            if column > 0 { parts.append(String(column)) }
        }
        return parts.isEmpty ? "" : parts.joined(separator: ":") + ": "
    }
}

/// What loading the resources paths produced: the components ready to run, and every problem.
package struct ManifestSet: Sendable {
    /// Resolved, valid binding components in load order (secret stores are not included).
    package var components: [Component]
    /// Errors and warnings in the order they were found.
    package var problems: [ManifestProblem]

    package var errors: [ManifestProblem] { problems.filter { $0.severity == .error } }
    package var warnings: [ManifestProblem] { problems.filter { $0.severity == .warning } }
}
