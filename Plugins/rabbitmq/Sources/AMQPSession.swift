import CRabbitMQ
import DriverKit
import Glibc

/// One open AMQP connection with channel 1 ready: logged in, the queue declared as Dapr declares
/// it, and then either in confirm mode (publisher) or consuming with manual acks (consumer).
///
/// Used only on its connection's thread: librabbitmq is not thread-safe per connection. Every
/// call here may block that thread (bounded by the connect, handshake and RPC timeouts).
final class AMQPSession {
    enum Role: Sendable {
        case publisher
        case consumer(prefetch: UInt16)
    }

    /// What the connection needs to open a session (from the settings, plus TLS files).
    struct Target: Sendable {
        var settings: RabbitMQSettings
        var tls: TLSFiles?
    }

    static let connectTimeoutSeconds = 5
    static let rpcTimeoutSeconds = 10
    static let heartbeatSeconds: Int32 = 10

    let state: amqp_connection_state_t
    /// Which connection of its AMQPConnection this is (1, 2, … after each reconnect): delivery
    /// tags are only valid on the session that received them.
    let epoch: UInt64
    /// The next publish sequence number (confirm mode numbers publishes from 1 on each channel).
    private(set) var nextSequence: UInt64 = 1

    private init(_ state: amqp_connection_state_t, epoch: UInt64) {
        self.state = state
        self.epoch = epoch
    }

    deinit { amqp_destroy_connection(state) }

    /// Connects and sets channel 1 up; the failure says which step failed and why.
    static func open(_ target: Target, role: Role, epoch: UInt64) -> Result<AMQPSession, SessionFailure> {
        guard let state = amqp_new_connection() else { return .failure(SessionFailure("amqp_new_connection failed")) }
        let session = AMQPSession(state, epoch: epoch)
        let settings = target.settings
        let address = settings.address
        guard let socket = address.usesTLS ? amqp_ssl_socket_new(state) : amqp_tcp_socket_new(state) else {
            return .failure(SessionFailure("cannot create a socket"))
        }
        if address.usesTLS, let failure = configureTLS(socket, target.tls) { return .failure(failure) }
        var connectTimeout = timeval(tv_sec: connectTimeoutSeconds, tv_usec: 0)
        let opened = amqp_socket_open_noblock(socket, address.host, address.port, &connectTimeout)
        guard opened == 0 else { return .failure(SessionFailure(describe(opened))) }
        var rpcTimeout = timeval(tv_sec: rpcTimeoutSeconds, tv_usec: 0)
        amqp_set_handshake_timeout(state, &rpcTimeout)
        amqp_set_rpc_timeout(state, &rpcTimeout)
        let login = bd_amqp_login(
            state, address.vhost, heartbeatSeconds, settings.externalSasl ? 1 : 0,
            address.user, address.password)
        if let failure = check(login, "login as \"\(address.user)\" to vhost \"\(address.vhost)\"") {
            return .failure(failure)
        }
        amqp_channel_open(state, 1)
        if let failure = check(amqp_get_rpc_reply(state), "open a channel") { return .failure(failure) }
        let declared = bd_amqp_declare(
            state, 1, settings.queueName, settings.durable ? 1 : 0, settings.exclusive ? 1 : 0,
            settings.deleteWhenUnused ? 1 : 0, settings.queueTTLMilliseconds ?? -1,
            settings.maxPriority.map(Int32.init) ?? -1)
        if let failure = check(declared, "declare queue \"\(settings.queueName)\"") { return .failure(failure) }
        switch role {
        case .publisher:
            amqp_confirm_select(state, 1)
            if let failure = check(amqp_get_rpc_reply(state), "enable publisher confirms") { return .failure(failure) }
        case .consumer(let prefetch):
            amqp_basic_qos(state, 1, 0, prefetch, 1)
            if let failure = check(amqp_get_rpc_reply(state), "set prefetchCount \(prefetch)") {
                return .failure(failure)
            }
            let consumed = bd_amqp_consume(state, 1, settings.queueName)
            if let failure = check(consumed, "consume from queue \"\(settings.queueName)\"") {
                return .failure(failure)
            }
        }
        return .success(session)
    }

    /// The socket's descriptor, for poll(2).
    var descriptor: Int32 { amqp_get_sockfd(state) }

    /// True when librabbitmq holds input already read from the socket (poll would not see it).
    var hasBufferedInput: Bool { amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0 }

    /// Publishes `publication` on channel 1 and returns its sequence number, or the failure
    /// (the connection is then unusable).
    func publish(_ publication: Publication, queue: String) -> Result<UInt64, SessionFailure> {
        let status = publication.withCValues { values in
            publication.body.withUnsafeBytes { body in
                bd_amqp_publish(state, 1, queue, body.baseAddress, body.count, values)
            }
        }
        guard status == 0 else { return .failure(SessionFailure(AMQPSession.describe(status))) }
        defer { nextSequence += 1 }
        return .success(nextSequence)
    }

    func ack(_ tag: UInt64) -> Int32 { amqp_basic_ack(state, 1, tag, 0) }

    func nack(_ tag: UInt64, requeue: Bool) -> Int32 { amqp_basic_nack(state, 1, tag, 0, requeue ? 1 : 0) }

    /// The next frame if one is complete, nil when none is (no waiting), or the failure.
    func nextFrame() -> Result<amqp_frame_t?, SessionFailure> {
        var frame = amqp_frame_t()
        var now = timeval(tv_sec: 0, tv_usec: 0)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &now)
        if status == 0 { return .success(frame) }
        if status == AMQPSession.statusTimeout { return .success(nil) }
        return .failure(SessionFailure(AMQPSession.describe(status)))
    }

    /// Frees what librabbitmq decoded for frames of channel 1 (their contents were copied).
    func releaseBuffers() { amqp_maybe_release_buffers_on_channel(state, 1) }

    /// Closes channel and connection politely (the broker requeues unacknowledged deliveries).
    func close() {
        amqp_channel_close(state, 1, AMQPSession.replySuccess)
        amqp_connection_close(state, AMQPSession.replySuccess)
    }

    static let statusTimeout: Int32 = -0x000D
    static let replySuccess: Int32 = 200

    static func describe(_ status: Int32) -> String { String(cString: amqp_error_string2(status)) }

    private static func check(_ reply: amqp_rpc_reply_t, _ step: String) -> SessionFailure? {
        guard reply.reply_type != AMQP_RESPONSE_NORMAL else { return nil }
        var buffer = [CChar](repeating: 0, count: 512)
        bd_amqp_describe(reply, &buffer, buffer.count)
        return SessionFailure("cannot \(step): \(String(cString: buffer))")
    }

    private static func configureTLS(_ socket: OpaquePointer, _ files: TLSFiles?) -> SessionFailure? {
        let caFile = files?.caFile ?? "/etc/ssl/certs/ca-certificates.crt"
        let status = amqp_ssl_socket_set_cacert(socket, caFile)
        guard status == 0 else { return SessionFailure("cannot load the CA certificate: \(describe(status))") }
        if let cert = files?.certFile, let key = files?.keyFile {
            let status = amqp_ssl_socket_set_key(socket, cert, key)
            guard status == 0 else {
                return SessionFailure("cannot load clientCert and clientKey: \(describe(status))")
            }
        }
        amqp_ssl_socket_set_verify_peer(socket, 1)
        amqp_ssl_socket_set_verify_hostname(socket, 1)
        return nil
    }
}

/// Why a session could not open or broke, in words for operators.
struct SessionFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Publication {
    /// Runs `body` with the properties as librabbitmq's C strings (valid only during `body`).
    func withCValues<R>(_ body: (UnsafePointer<bd_amqp_publication>) -> R) -> R {
        let strings: [UnsafeMutablePointer<CChar>?] = [contentType, expiration, messageID, correlationID, type].map {
            text in text.flatMap { strdup($0) }
        }
        let keys: [UnsafeMutablePointer<CChar>?] = headers.map { strdup($0.key) }
        let values: [UnsafeMutablePointer<CChar>?] = headers.map { strdup($0.value) }
        defer { for pointer in strings + keys + values { free(pointer) } }
        return keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { keyList in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valueList in
                var values = bd_amqp_publication(
                    content_type: strings[0].map { UnsafePointer($0) },
                    expiration: strings[1].map { UnsafePointer($0) },
                    message_id: strings[2].map { UnsafePointer($0) },
                    correlation_id: strings[3].map { UnsafePointer($0) }, type: strings[4].map { UnsafePointer($0) },
                    priority: priority, persistent: 1, header_count: Int32(headers.count),
                    header_keys: keyList.baseAddress, header_values: valueList.baseAddress)
                return body(&values)
            }
        }
    }
}
