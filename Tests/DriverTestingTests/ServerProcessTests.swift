import DriverTesting
import Foundation
import Testing

/// Servers start on free ports, show their log when they fail, and come back on the same port.
@Suite struct ServerProcessTests {
    @Test func aServerThatExitsAtStartFailsWithItsLog() async throws {
        let server = try ServerProcess(name: "quitter", program: "/bin/sh") { port, _ in
            ["-c", "echo cannot listen on \(port) >&2; exit 3"]
        }
        await #expect { try await server.start() } throws: { error in
            "\(error)".contains("quitter on port \(server.port) exited at start")
                && "\(error)".contains("cannot listen on \(server.port)")
        }
    }

    @Test func redisStoppedAndStartedAgainKeepsItsPortAndPassword() async throws {
        let server = try await ServerProcess.redis(password: "pw")
        #expect(try server.redisCLI("PING") == "PONG")
        server.stop(signal: SIGKILL)
        #expect(!isListening(port: server.port))
        try await server.start()
        #expect(try server.redisCLI("PING") == "PONG")
        #expect(server.log.contains("Ready to accept connections"))
    }

    @Test func mosquittoAcceptsAPublish() async throws {
        let broker = try await ServerProcess.mosquitto()
        try await broker.mosquittoPublish(["-t", "t", "-m", "hello"])
        #expect(broker.mqttURL == "tcp://127.0.0.1:\(broker.port)")
    }

    @Test func freePortIsBindable() throws {
        let port = try freePort()
        #expect(withLoopbackSocket(port) { fd, address, length in bind(fd, address, length) == 0 })
    }
}
