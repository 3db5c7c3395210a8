import DriverKit

/// Dapr's `excludeHeaderMetaRegex`: request metadata whose name matches is not sent as a Kafka
/// header, and a header whose name matches is not passed to the app.
///
/// Go's RE2 and Swift's Regex agree on the syntax such patterns use (classes, anchors,
/// alternation, repetition); a pattern Swift refuses is an error at create.
/// `@unchecked Sendable`: the compiled regex is only read, never mutated, after init.
struct HeaderFilter: @unchecked Sendable {
    let pattern: String
    private let regex: Regex<AnyRegexOutput>

    init(pattern: String, component: String) throws {
        do {
            regex = try Regex(pattern)
        } catch {
            throw DriverError(
                .invalidArgument,
                "\(component): metadata \"excludeHeaderMetaRegex\" is \"\(pattern)\", not a valid regular expression: \(error)"
            )
        }
        self.pattern = pattern
    }

    /// True when `name` contains a match (Go's MatchString).
    func excludes(_ name: String) -> Bool {
        (try? regex.firstMatch(in: name)) != nil
    }
}
