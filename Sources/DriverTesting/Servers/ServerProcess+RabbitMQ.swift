import Foundation

extension ServerProcess {
    /// The RabbitMQ broker this test process shares: started on first use (rabbitmq-server takes
    /// ~11 s to start, so once per process), stopped when the process exits. Tests share it by
    /// each using queue names of their own (`uniqueQueueName`).
    public static func sharedRabbitMQ() async throws -> ServerProcess {
        try await sharedRabbitMQNode.value
    }

    private static let sharedRabbitMQNode = Task { try await rabbitMQ() }

    /// A RabbitMQ node of its own, started: loopback only, guest allowed from 127.0.0.1, its
    /// Erlang distribution port and epmd (on a port of its own, run by the node's wrapper so it
    /// can be stopped by pid) on free ports too, its data in `directory` (so `stop()` and
    /// `start()` keep durable queues and persistent messages).
    ///
    /// The node runs under a small shell wrapper (the ServerProcess's pid) that stops it, and
    /// its epmd, on SIGTERM, and by itself once this test process is gone: nothing survives a
    /// test run, even one that crashes or never drops the node.
    public static func rabbitMQ() async throws -> ServerProcess {
        let server = "/usr/lib/rabbitmq/bin/rabbitmq-server"
        guard FileManager.default.isExecutableFile(atPath: server) else {
            throw TestFailure("\(server) is missing: install rabbitmq-server (scripts/install-deps) to run these tests")
        }
        return try await started {
            try ServerProcess(name: "rabbitmq", program: "/bin/sh", startupTimeout: .seconds(90)) { port, directory in
                let config = "listeners.tcp.default = 127.0.0.1:\(port)\nloopback_users = none\n"
                try config.write(toFile: "\(directory)/rabbitmq.conf", atomically: true, encoding: .utf8)
                try "[].\n".write(toFile: "\(directory)/enabled_plugins", atomically: true, encoding: .utf8)
                let (distribution, epmd) = (try freePort(), try freePort())
                let environment = [
                    "HOME": directory, "RABBITMQ_NODENAME": "bindery\(port)@localhost",
                    "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1", "RABBITMQ_NODE_PORT": "\(port)",
                    "RABBITMQ_DIST_PORT": "\(distribution)", "ERL_EPMD_ADDRESS": "127.0.0.1",
                    "ERL_EPMD_PORT": "\(epmd)", "RABBITMQ_MNESIA_BASE": "\(directory)/mnesia",
                    "RABBITMQ_LOG_BASE": "\(directory)/log", "RABBITMQ_CONFIG_FILE": "\(directory)/rabbitmq",
                    "RABBITMQ_ENABLED_PLUGINS_FILE": "\(directory)/enabled_plugins",
                    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
                ]
                let exports = environment.sorted { $0.key < $1.key }.map { "export \($0.key)='\($0.value)'" }
                let script = exports.joined(separator: "\n") + "\n" + rabbitMQWrapper
                try script.write(toFile: "\(directory)/node.sh", atomically: true, encoding: .utf8)
                return ["\(directory)/node.sh", String(getpid()), server, String(epmd)]
            }
        }
    }

    /// amqp://guest:guest@127.0.0.1:port, as a rabbitmq component's host.
    public var amqpURL: String { "amqp://guest:guest@127.0.0.1:\(port)" }

    /// A queue name no other test uses on a shared broker.
    public static func uniqueQueueName(_ label: String) -> String {
        "\(label)-\(UInt32.random(in: 0...UInt32.max))-\(getpid())"
    }
}

/// The node's wrapper: `$1` the test process's pid, `$2` rabbitmq-server, `$3` the epmd port.
/// It runs epmd in the foreground as its own child (so it is stopped by pid), the node, and a
/// watch on both the node and the test process; SIGTERM or either going away stops the node
/// gracefully (rabbitmq-server turns SIGTERM into a clean shutdown) and then epmd.
private let rabbitMQWrapper = """
    parent=$1
    /usr/bin/epmd -port "$3" -address 127.0.0.1 &
    epmd_pid=$!
    "$2" &
    node_pid=$!
    cleanup() {
        trap '' TERM INT
        kill -TERM "$node_pid" 2>/dev/null
        wait "$node_pid" 2>/dev/null
        kill -TERM "$epmd_pid" 2>/dev/null
        wait "$epmd_pid" 2>/dev/null
        exit 0
    }
    trap cleanup TERM INT
    while kill -0 "$parent" 2>/dev/null && kill -0 "$node_pid" 2>/dev/null; do
        sleep 1 &
        wait $! 2>/dev/null
    done
    cleanup

    """
