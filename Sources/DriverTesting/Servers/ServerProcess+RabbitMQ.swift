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
            // Ready once both listeners are up (the TLS one opens after the plain one).
            try ServerProcess(
                name: "rabbitmq", program: "/bin/sh", startupTimeout: .seconds(90),
                arguments: { port, directory in
                    let (distribution, epmd, tls) = (try freePort(), try freePort(), try freePort())
                    try makeRabbitMQCertificates(in: directory)
                    let config = """
                        listeners.tcp.default = 127.0.0.1:\(port)
                        listeners.ssl.default = 127.0.0.1:\(tls)
                        loopback_users = none
                        ssl_options.cacertfile = \(directory)/ca.pem
                        ssl_options.certfile = \(directory)/server.pem
                        ssl_options.keyfile = \(directory)/server.key
                        ssl_options.verify = verify_peer
                        ssl_options.fail_if_no_peer_cert = false
                        auth_mechanisms.1 = PLAIN
                        auth_mechanisms.2 = AMQPLAIN
                        auth_mechanisms.3 = EXTERNAL
                        ssl_cert_login_from = common_name

                        """
                    try config.write(toFile: "\(directory)/rabbitmq.conf", atomically: true, encoding: .utf8)
                    try String(tls).write(toFile: "\(directory)/tls_port", atomically: true, encoding: .utf8)
                    try "[rabbitmq_auth_mechanism_ssl].\n".write(
                        toFile: "\(directory)/enabled_plugins", atomically: true, encoding: .utf8)
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
                }, isReady: { isListening(port: $0.port) && isListening(port: $0.amqpsPort) })
        }
    }

    /// amqp://guest:guest@127.0.0.1:port, as a rabbitmq component's host.
    public var amqpURL: String { "amqp://guest:guest@127.0.0.1:\(port)" }

    /// The node's TLS listener (amqps): its certificate, for `localhost`, is signed by the CA
    /// in `directory`/ca.pem; `directory`/client.pem and client.key are a client certificate
    /// for the user `guest` (CN=guest, for SASL EXTERNAL) signed by the same CA.
    public var amqpsPort: Int {
        Int((try? String(contentsOfFile: "\(directory)/tls_port", encoding: .utf8)) ?? "") ?? 0
    }

    /// The PEM text of `file` in the node's directory (ca.pem, client.pem, client.key).
    public func rabbitMQCertificate(_ file: String) throws -> String {
        try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)
    }

    /// A queue name no other test uses on a shared broker.
    public static func uniqueQueueName(_ label: String) -> String {
        "\(label)-\(UInt32.random(in: 0...UInt32.max))-\(getpid())"
    }
}

/// A CA, a server certificate for localhost and a client certificate for CN=guest, with openssl.
private func makeRabbitMQCertificates(in directory: String) throws {
    try shell(
        """
        set -e
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bindery-test-ca -keyout ca.key -out ca.pem
        for who in server client; do
          cn=localhost; [ $who = client ] && cn=guest
          openssl req -newkey rsa:2048 -nodes -subj /CN=$cn -keyout $who.key -out $who.csr
          printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > $who.ext
          openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile $who.ext -out $who.pem
        done
        chmod 644 *.key
        """, in: directory)
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
    # Our own parent, not `kill -0 "$parent"`: that also succeeds for a parent that exited and
    # was not yet reaped.
    while [ "$(cut -d ' ' -f 4 /proc/$$/stat)" = "$parent" ] && kill -0 "$node_pid" 2>/dev/null; do
        sleep 1 &
        wait $! 2>/dev/null
    done
    cleanup

    """
