/// Command-line words split into options (`--name value`, `--name=value`, `--flag`) and
/// positional arguments. Unknown options are errors naming the option and the command.
struct Arguments {
    private(set) var values: [String: [String]] = [:]
    private(set) var positional: [String] = []
    /// Words after `--` (the app command of `bindery run`).
    private(set) var trailing: [String] = []

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `valued` options take a value; `flags` take none (or `=true`/`=false`).
    init(_ words: [String], command: String, valued: Set<String>, flags: Set<String>) throws(Failure) {
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if word == "--" {
                trailing = Array(words[index...])
                break
            }
            guard word.hasPrefix("-"), word != "-" else {
                positional.append(word)
                continue
            }
            let body = word.drop(while: { $0 == "-" })
            let name = String(body.prefix(while: { $0 != "=" }))
            let inline = body.contains("=") ? String(body.drop(while: { $0 != "=" }).dropFirst()) : nil
            if flags.contains(name) {
                values[name, default: []].append(inline ?? "true")
            } else if valued.contains(name) {
                if let inline {
                    values[name, default: []].append(inline)
                } else {
                    guard index < words.count else { throw Failure(description: "option --\(name) needs a value") }
                    values[name, default: []].append(words[index])
                    index += 1
                }
            } else {
                throw Failure(description: "unknown option '\(word)' for '\(command)' (see 'bindery help')")
            }
        }
    }

    func all(_ name: String) -> [String] { values[name] ?? [] }
    func last(_ name: String) -> String? { values[name]?.last }
    func flag(_ name: String) -> Bool { last(name).map { $0 != "false" } ?? false }
}
