import Glibc
import Synchronization

/// The host's log: one line per event on stderr, plain text or JSON (`--log-as-json`).
package enum Log {
    package enum Level: Int, Comparable, Sendable {
        case trace = 0
        case debug
        case info
        case warn
        case error

        package static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        package init?(name: String) {
            switch name.lowercased() {
            case "trace": self = .trace
            case "debug": self = .debug
            case "info": self = .info
            case "warn", "warning": self = .warn
            case "error", "fatal": self = .error
            default: return nil
            }
        }

        package var name: String { ["trace", "debug", "info", "warn", "error"][rawValue] }
    }

    package struct Settings {
        package var threshold = Level.info
        package var json = false
    }

    package static let settings = Mutex(Settings())

    package static func isEnabled(_ level: Level) -> Bool { settings.withLock { level >= $0.threshold } }

    /// Writes `message` at `level`; `scope` names what it is about (a component, a driver file).
    package static func write(_ level: Level, _ message: String, scope: String = "") {
        let (threshold, json) = settings.withLock { ($0.threshold, $0.json) }
        guard level >= threshold else { return }
        let line: String
        if json {
            line =
                "{\"level\":\"\(level.name)\",\"msg\":\(JSONText.quoted(message))"
                + (scope.isEmpty ? "" : ",\"scope\":\(JSONText.quoted(scope))") + "}\n"
        } else {
            line = "\(level.name.uppercased()) " + (scope.isEmpty ? "" : "[\(scope)] ") + message + "\n"
        }
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { writeBytes($0) }
    }

    private static func writeBytes(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        var written = 0
        while written < buffer.count {
            let n = Glibc.write(2, buffer.baseAddress! + written, buffer.count - written)
            if n <= 0 { break }
            written += n
        }
        return written
    }

    package static func info(_ message: String, scope: String = "") { write(.info, message, scope: scope) }
    package static func warn(_ message: String, scope: String = "") { write(.warn, message, scope: scope) }
    /// A duration as log lines show it: `0.42 ms` under 10 ms, `17 ms` above.
    package static func milliseconds(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return ms < 10 ? "\((ms * 100).rounded() / 100) ms" : "\(Int(ms.rounded())) ms"
    }

    package static func error(_ message: String, scope: String = "") { write(.error, message, scope: scope) }
}

/// JSON string quoting for hand-built lines.
package enum JSONText {
    /// Characters JSON writes with a two-character escape.
    private static let shortEscapes: [Unicode.Scalar: String] = [
        "\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
    ]

    package static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if let escape = shortEscapes[scalar] {
                out += escape
            } else if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
