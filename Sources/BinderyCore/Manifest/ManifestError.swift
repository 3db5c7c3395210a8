/// Why a component file, or one document in it, could not be read or used.
///
/// The description is what an operator sees: `file:line:column: message`. Lines and columns are
/// 1-based; 0 means "the whole file" (for example when the file cannot be read at all).
package struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem this is; cases are only ever added.
    package enum Code: String, Sendable, Codable {
        case unreadable, tooLarge, invalidEncoding, syntax, unsupported, duplicateKey, limit
        case schema, invalidName, duplicateName, secret, environment, template
        case missingField, unknownField, invalidValue, outOfScope
        case controlCharacter
    }

    package var code: Code
    package var file: String
    package var line: Int
    package var column: Int
    package var message: String

    package init(_ code: Code, _ message: String, file: String = "", line: Int = 0, column: Int = 0) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    package var description: String { ManifestProblem.location(file, line, column) + message }

    /// The same error attributed to `file` (the YAML reader does not always know it).
    func located(in file: String) -> ManifestError {
        var copy = self
        copy.file = file
        return copy
    }
}
