import Foundation

extension ServerProcess {
    /// A started mosquitto on a free port: anonymous, persistent (in `directory`, so a SIGTERM
    /// `stop()` and a `start()` keep sessions), with an unlimited queue per client.
    public static func mosquitto() async throws -> ServerProcess {
        try await started {
            try ServerProcess(name: "mosquitto", program: "/usr/sbin/mosquitto") { port, directory in
                let config = """
                    listener \(port) 127.0.0.1
                    allow_anonymous true
                    persistence true
                    persistence_location \(directory)/
                    max_queued_messages 0
                    user root
                    log_dest stderr
                    log_type all

                    """
                try config.write(toFile: "\(directory)/mosquitto.conf", atomically: true, encoding: .utf8)
                return ["-c", "\(directory)/mosquitto.conf"]
            }
        }
    }

    /// tcp://127.0.0.1:port, as an MQTT driver's url.
    public var mqttURL: String { "tcp://\(address)" }

    /// Runs `mosquitto_pub -q 1` with `arguments` against this broker, on a thread of its own.
    public func mosquittoPublish(_ arguments: [String]) async throws {
        let command = ["-h", "127.0.0.1", "-p", String(port), "-q", "1"] + arguments
        let result = try await onDedicatedThread { try run("/usr/bin/mosquitto_pub", command) }
        guard result.status == 0 else {
            throw TestFailure("mosquitto_pub \(arguments) exited with \(result.status): \(result.stderr)")
        }
    }
}
