import Foundation
import Synchronization

/// The compiled kafka-mock helpers of this process, by source path.
private let compiledMocks = Mutex<[String: String]>([:])

extension ServerProcess {
    /// A started Kafka mock cluster: librdkafka's own protocol peer (`rdkafka_mock.h`: produce,
    /// fetch, balanced consumer groups, offset commits), run by the C helper at `source`
    /// (Plugins/kafka/mock/kafka-mock.c, compiled with gcc on first use), with `brokers` brokers
    /// on ephemeral loopback ports and each topic of `topics` (name: partitions) created.
    /// `port` is the helper's control port (see `kafkaControl`); it exits with the test process.
    public static func kafkaMock(source: String, brokers: Int = 1, topics: [String: Int]) async throws
        -> ServerProcess
    {
        let program = try compiledKafkaMock(source)
        return try await started {
            try ServerProcess(name: "kafka-mock", program: program) { port, _ in
                [String(port), String(brokers)] + topics.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
            }
        }
    }

    /// The bootstrap list the mock printed (`127.0.0.1:p1,127.0.0.1:p2`): the `brokers` value.
    public var kafkaBrokers: String {
        log.split(separator: "\n").first { $0.hasPrefix("127.0.0.1:") }.map(String.init) ?? ""
    }

    /// Sends one control command: `down` (every broker drops its connections and refuses new
    /// ones), `up` (they accept again, same ports), `topic NAME PARTITIONS`.
    public func kafkaControl(_ command: String) async throws {
        let reply = try await onDedicatedThread { [port] in try Self.exchange(port: port, line: command) }
        guard reply == "ok" else { throw TestFailure("kafka-mock \(command): \(reply)") }
    }

    /// Produces `lines` to `topic` with kcat, one record each; `key:value` lines carry a key when
    /// `keyed`; `headers` go on every record.
    public func kafkaProduce(
        topic: String, _ lines: [String], keyed: Bool = false, headers: [String: String] = [:]
    ) async throws {
        let file = try TemporaryDirectory("kcat")
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        try file.write("records", lines.joined(separator: "\n") + "\n")
        var arguments = ["-P", "-b", kafkaBrokers, "-t", topic, "-l", "\(file.path)/records"]
        if keyed { arguments += ["-K", ":"] }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name)=\(value)"] }
        let command = arguments
        let result = try await onDedicatedThread { try run("/usr/bin/kcat", command) }
        guard result.status == 0 else {
            throw TestFailure("kcat \(arguments) failed (\(result.status)): \(result.stderr)")
        }
    }

    /// Reads every record of `topic` from the beginning with kcat, formatted by `format`
    /// (kcat's -f: `%k` key, `%s` value, `%h` headers, `%p` partition, `%o` offset).
    public func kafkaRecords(topic: String, format: String = "%s\n") async throws -> [String] {
        let arguments = ["-C", "-b", kafkaBrokers, "-t", topic, "-o", "beginning", "-e", "-q", "-f", format]
        let result = try await onDedicatedThread { try run("/usr/bin/kcat", arguments) }
        guard result.status == 0 else {
            throw TestFailure("kcat \(arguments) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// The helper compiled from `source` into a folder keyed by the source's content, built once
    /// per machine (renamed into place, so parallel test processes never see half a binary).
    static func compiledKafkaMock(_ source: String) throws -> String {
        guard let text = FileManager.default.contents(atPath: source) else {
            throw TestFailure("\(source) is missing: the kafka mock helper's source")
        }
        if let path = compiledMocks.withLock({ $0[source] }) { return path }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: a stable name for this source text
        for byte in text { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let folder = "\(base)/bindery-kafka-mock-\(String(hash, radix: 16))"
        let program = "\(folder)/kafka-mock"
        if !FileManager.default.isExecutableFile(atPath: program) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let partial = "\(program).\(getpid())"
            try shell(
                "gcc -O1 -o '\(partial)' '\(source)' $(pkg-config --cflags --libs rdkafka) && mv -f '\(partial)' '\(program)'"
            )
        }
        compiledMocks.withLock { $0[source] = program }
        return program
    }

    /// Writes `line` to 127.0.0.1:`port` and returns the reply line.
    private static func exchange(port: Int, line: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        let connected = withLoopbackSocketAddress(port) { connect(fd, $0, $1) == 0 }
        guard connected else { throw TestFailure("kafka-mock control port \(port) refused the connection") }
        let bytes = Array((line + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw TestFailure("kafka-mock: write failed") }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while !reply.contains(UInt8(ascii: "\n")) {
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { break }
            reply += buffer[0..<count]
        }
        return String(decoding: reply, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Runs `body` with the address 127.0.0.1:`port`.
private func withLoopbackSocketAddress<R>(_ port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}
