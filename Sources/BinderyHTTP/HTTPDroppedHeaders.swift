import BinderySystem
import Synchronization

/// Header fields the serializers refused to write, each reported once per name.
///
/// A field that is not valid HTTP (a name that is not a token, a value with CR, LF, NUL or
/// another control character) would let whoever chose it, such as the target of a driver whose
/// response metadata become headers, end the line early and add headers of its own (issue 9:
/// `X-A: a\rInjected: 1`). Go's server drops fields with invalid names and never ends a line
/// inside a value; bindery drops both, in responses and in requests to the app, and warns. Once
/// per name, because a target may send the same field every time; names are remembered up to
/// `capacity`, then no more warnings.
package final class HTTPDroppedHeaders: Sendable {
    package static let shared = HTTPDroppedHeaders()
    static let capacity = 256
    private let reported = Mutex<Set<String>>([])

    init() {}

    /// Logs a WARN for `field` of a `message` ("response", "request") unless its name was
    /// reported before (or `capacity` names were).
    func report(_ field: HTTPHeaders.Field, in message: String, problem: String) {
        guard isFirst(field.name) else { return }
        let name = JSONText.quoted(String(field.name.prefix(100)))
        Log.warn("\(message) header \(name) dropped: \(problem), so it is not valid HTTP", scope: "http")
    }

    /// True the first time `name` is seen, while fewer than `capacity` names have been.
    func isFirst(_ name: String) -> Bool {
        reported.withLock { names in
            guard names.count < HTTPDroppedHeaders.capacity else { return false }
            return names.insert(name).inserted
        }
    }
}
