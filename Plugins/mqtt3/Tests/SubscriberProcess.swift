import DriverTesting
import Foundation

/// A mosquitto_sub printing `retain|topic|payload` per message.
final class SubscriberProcess: @unchecked Sendable {
    // @unchecked Sendable: `buffer` is read and written only by `readLine`, which the one test
    // that owns the subscriber calls one at a time.
    private let process = Process()
    private let output = Pipe()
    private var buffer = Data()

    /// Subscribes to `topic` and returns once the broker acknowledged the subscription.
    static func start(broker: ServerProcess, topic: String, count: Int) async throws -> SubscriberProcess {
        try await onDedicatedThread { try SubscriberProcess(broker: broker, topic: topic, count: count) }
    }

    private init(broker: ServerProcess, topic: String, count: Int) throws {
        // stdbuf: mosquitto_sub's stdout is a pipe, fully buffered by stdio otherwise.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
        process.arguments = [
            "-oL", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", "\(broker.port)", "-q", "1", "-t", topic, "-C",
            "\(count)",
            "-W", "20", "-d", "-F", "MSG %r|%t|%p",
        ]
        process.standardOutput = output
        try process.run()
        _ = try readLine { $0.contains("SUBACK") }
    }

    /// The next received message as `retain|topic|payload`.
    func next() async throws -> String {
        try await onDedicatedThread { try String(self.readLine { $0.hasPrefix("MSG ") }.dropFirst(4)) }
    }

    private func readLine(_ matches: (String) -> Bool) throws -> String {
        while true {
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[buffer.index(after: newline)...])
                if matches(line) { return line }
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw TestFailure("mosquitto_sub ended before the expected line") }
            buffer.append(chunk)
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
