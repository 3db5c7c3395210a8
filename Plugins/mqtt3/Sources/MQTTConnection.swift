import CMosquitto
import DriverKit
import Glibc

/// One MQTT client connection (one `struct mosquitto`) driven by its own thread.
///
/// The thread connects, runs `mosquitto_loop`, and on any loss reconnects with exponential
/// backoff (0.5 s doubling to 30 s) until `stop`. Every libmosquitto callback, and so every
/// `Events` closure, runs on that thread; the consumer's message callback may block it (it is
/// ours, never the host's) until the app has answered. Other threads only call
/// `mosquitto_publish` and `mosquitto_disconnect`, which libmosquitto allows from any thread in
/// threaded mode (`mosquitto_threaded_set`), and read the phase.
final class MQTTConnection: Sendable {
    struct Options: Sendable {
        var url: BrokerURL
        var clientID: String
        var cleanSession: Bool
        /// Seconds. Also bounds how long the consumer may hold one message: the broker drops a
        /// client it has not heard from for 1.5 × keepalive (MQTT 3.1.1, 3.1.2.10).
        var keepAlive: Int32 = 60
        var tls: TLSFiles?
        /// Subscribed at QoS 1 after every CONNACK (so also after a reconnect).
        var subscription: String?
    }

    /// What the connection reports; every closure runs on the connection's thread.
    struct Events: Sendable {
        var published: @Sendable (Int32) -> Void = { _ in }
        /// The broker accepted a connection; the argument is CONNACK's "session present" flag.
        var opened: @Sendable (Bool) -> Void = { _ in }
        /// Returns true when the message may be acknowledged to the broker.
        var received: @Sendable (ReceivedMessage) -> Bool = { _ in true }
        /// Called about every 200 ms while the thread runs.
        var tick: @Sendable () -> Void = {}
        /// Called once, after the thread stopped using the connection.
        var stopped: @Sendable () -> Void = {}
        var log: @Sendable (LogLevel, String) -> Void = { _, _ in }
    }

    enum Phase: Equatable { case idle, connecting, connected, down, stopping, stopped }

    private struct State {
        var phase = Phase.idle
        var lastError: String?
        /// The reason a CONNACK or SUBACK refused us, preferred over the loop's generic error.
        var refusal: String?
        var startWaiter: CheckedContinuation<Void, any Error>?
        var startDeadline: UInt64 = 0
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
        var backoffMilliseconds: UInt64 = MQTTConnection.initialBackoff
    }

    static let initialBackoff: UInt64 = 500
    static let maximumBackoff: UInt64 = 30_000

    let options: Options
    private let events: Events
    private let handle: Handle
    private let gate = Gate(State())
    /// Runs `run()`; its own stop only reaps the thread once `finish()` resumed the stoppers.
    private let thread = DedicatedThread<Never>(name: "bindings.mqtt3 MQTT thread")

    /// Creates the client (no I/O). Throws when libmosquitto cannot allocate it.
    init(_ options: Options, events: Events) throws {
        try Mosquitto.initialize()
        self.options = options
        self.events = events
        guard let raw = mosquitto_new(options.clientID, options.cleanSession, nil) else {
            throw DriverError(
                .internalError,
                "bindings.mqtt3: mosquitto_new failed for client \"\(options.clientID)\": \(String(cString: strerror(errno)))"
            )
        }
        handle = Handle(raw: raw)
        try configure()
    }

    deinit {
        mosquitto_destroy(handle.raw)
    }

    var phase: Phase { gate.read { $0.phase } }

    /// Starts the thread and waits until the broker accepted the connection (and, for a
    /// consumer, the subscription), the first attempt failed, or `timeout` passed.
    func start(timeoutMilliseconds: UInt64) async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            let failure: DriverError? = gate.update { state in
                guard state.phase == .idle else {
                    return DriverError(.invalidArgument, "bindings.mqtt3: connection already started")
                }
                do { try thread.start { [self] in run() } } catch {
                    return DriverError(.unavailable, "bindings.mqtt3: \(error)")
                }
                state.phase = .connecting
                state.startWaiter = waiter
                state.startDeadline = MonotonicClock.after(milliseconds: timeoutMilliseconds)
                return nil
            }
            if let failure { waiter.resume(throwing: failure) }
        }
    }

    /// Why a publish failed, and the message id libmosquitto kept the message under, if it did.
    struct PublishFailure: Error {
        var error: DriverError
        /// Set when libmosquitto queued the message before it found the connection gone: it
        /// sends it again after the reconnect (MQTT 3.1.1, 4.4), so the broker may still get it.
        var queuedMid: Int32?
    }

    /// Publishes at QoS 1 and returns the message id whose PUBACK `Events.published` reports.
    /// Fails at once when the connection is not up (output fails fast while the broker is away).
    func publish(topic: String, payload: [UInt8], retain: Bool) -> Result<Int32, PublishFailure> {
        let (phase, lastError) = gate.read { ($0.phase, $0.lastError) }
        switch phase {
        case .connected: break
        case .stopping, .stopped:
            return .failure(PublishFailure(error: DriverError(.cancelled, "bindings.mqtt3: the component is stopping")))
        case .idle:
            return .failure(PublishFailure(error: DriverError(.unavailable, "bindings.mqtt3: invoke before start")))
        case .connecting, .down: return .failure(PublishFailure(error: notConnected(lastError)))
        }
        guard payload.count <= 268_435_455 - 2 - topic.utf8.count - 2 else {
            return .failure(
                PublishFailure(
                    error: DriverError(
                        .invalidArgument,
                        "bindings.mqtt3: payload of \(payload.count) bytes exceeds MQTT's 256 MiB packet limit")))
        }
        var mid: Int32 = 0
        let code = payload.withUnsafeBytes { bytes in
            mosquitto_publish(handle.raw, &mid, topic, Int32(bytes.count), bytes.baseAddress, 1, retain)
        }
        guard code == bd_mosq_success() else {
            let reason = Mosquitto.describe(code)
            if code == bd_mosq_err_no_conn() {
                // The connection died between our phase check and the call (the loop thread closed
                // the socket). libmosquitto 2.0 queues a QoS 1 message before it tries to send it
                // and keeps it: it goes out with DUP after the reconnect. Say so, and hand back
                // its id so its late PUBACK is not taken for another publish's.
                let queued = mid != 0
                let note =
                    queued ? "; the message was queued and may still be delivered once the connection is back" : ""
                return .failure(PublishFailure(error: notConnected(reason + note), queuedMid: queued ? mid : nil))
            }
            return .failure(
                PublishFailure(
                    error: DriverError(
                        .invalidArgument, "bindings.mqtt3: cannot publish to topic \"\(topic)\": \(reason)")))
        }
        return .success(mid)
    }

    /// Stops the thread (disconnecting cleanly when connected) and returns once it has exited.
    /// Safe to call more than once and before `start`.
    func stop() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let resumeNow = gate.update { state in
                switch state.phase {
                case .idle, .stopped:
                    state.phase = .stopped
                    return true
                default:
                    state.phase = .stopping
                    state.stopWaiters.append(waiter)
                    return false
                }
            }
            if resumeNow {
                waiter.resume()
            } else {
                // Wakes the thread out of select(2) at once (libmosquitto writes to its socketpair).
                mosquitto_disconnect(handle.raw)
            }
        }
        // The loop resumed us as its last action; this only reaps the thread.
        await thread.stop()
    }

    private func notConnected(_ reason: String?) -> DriverError {
        DriverError(
            .unavailable,
            "bindings.mqtt3: not connected to the MQTT broker at \(options.url.redacted)"
                + (reason.map { " (\($0))" } ?? "") + "; reconnecting in the background",
            retryable: true)
    }

    // MARK: - The thread

    private func run() {
        let raw = handle.raw
        var live = begin(mosquitto_connect_async(raw, options.url.host, options.url.port, options.keepAlive))
        while gate.read({ $0.phase != .stopping }) {
            if live {
                let code = bd_mosq_loop(raw, 200)
                if code != bd_mosq_success() {
                    live = false
                    failed(Mosquitto.describe(code))
                }
            } else {
                let delay = gate.read { $0.backoffMilliseconds }
                let stopping = gate.wait(
                    until: MonotonicClock.after(milliseconds: delay), for: { $0.phase == .stopping }
                ) {
                    $0.phase == .stopping
                }
                if stopping { break }
                gate.update { $0.backoffMilliseconds = min($0.backoffMilliseconds * 2, MQTTConnection.maximumBackoff) }
                live = begin(mosquitto_reconnect_async(raw))
            }
            expireStart()
            events.tick()
        }
        if live {
            // Sends DISCONNECT (queued by stop) so the broker keeps the session cleanly.
            mosquitto_disconnect(raw)
            for _ in 0..<5 where bd_mosq_loop(raw, 20) == bd_mosq_success() {}
        }
        finish()
    }

    /// The result of a (re)connect call: true when the socket is open and the CONNECT queued.
    private func begin(_ code: Int32) -> Bool {
        if code == bd_mosq_success() || code == bd_mosq_err_conn_pending() {
            gate.update { if $0.phase != .stopping { $0.phase = .connecting } }
            return true
        }
        failed(Mosquitto.describe(code))
        return false
    }

    private func failed(_ reason: String) {
        let (waiter, wasConnected, text) = gate.update {
            state -> (CheckedContinuation<Void, any Error>?, Bool, String) in
            let text = state.refusal ?? reason
            state.refusal = nil
            state.lastError = text
            let wasConnected = state.phase == .connected
            if state.phase != .stopping { state.phase = .down }
            defer { state.startWaiter = nil }
            return (state.startWaiter, wasConnected, text)
        }
        if let waiter {
            waiter.resume(
                throwing: DriverError(
                    .unavailable,
                    "bindings.mqtt3: cannot connect to the MQTT broker at \(options.url.redacted) as client \"\(options.clientID)\": \(text)",
                    retryable: true))
        }
        if wasConnected { events.log(.warn, "connection to \(options.url.redacted) lost (\(text)); reconnecting") }
    }

    private func expireStart() {
        let waiter = gate.update { state -> CheckedContinuation<Void, any Error>? in
            guard state.startWaiter != nil, MonotonicClock.now() >= state.startDeadline else { return nil }
            defer { state.startWaiter = nil }
            return state.startWaiter
        }
        waiter?.resume(
            throwing: DriverError(
                .timeout,
                "bindings.mqtt3: timed out connecting to the MQTT broker at \(options.url.redacted) as client \"\(options.clientID)\""
            ))
    }

    private func finish() {
        events.stopped()
        options.tls?.remove()
        let (startWaiter, stopWaiters) = gate.update { state in
            state.phase = .stopped
            defer {
                state.startWaiter = nil
                state.stopWaiters = []
            }
            return (state.startWaiter, state.stopWaiters)
        }
        startWaiter?.resume(throwing: DriverError(.cancelled, "bindings.mqtt3: stopped while connecting"))
        for waiter in stopWaiters { waiter.resume() }
    }

    // MARK: - libmosquitto callbacks (all on the thread, inside mosquitto_loop)

    fileprivate func connected(_ code: Int32, flags: Int32) {
        guard code == 0 else {
            gate.update {
                $0.refusal = "the broker refused the connection: \(String(cString: mosquitto_connack_string(code)))"
            }
            return
        }
        events.opened(flags & 1 != 0)
        if let topic = options.subscription {
            let result = mosquitto_subscribe(handle.raw, nil, topic, 1)
            if result != bd_mosq_success() {
                gate.update { $0.refusal = "cannot subscribe to \"\(topic)\": \(Mosquitto.describe(result))" }
                bd_mosq_abort_connection(handle.raw)
            }
            return  // ready once the SUBACK arrives
        }
        ready()
    }

    fileprivate func subscribed(_ grantedQoS: [Int32]) {
        guard grantedQoS.allSatisfy({ $0 >= 0 && $0 <= 2 }) else {
            gate.update {
                $0.refusal =
                    "the broker refused the subscription to \"\(options.subscription ?? "")\" (not authorised?)"
            }
            bd_mosq_abort_connection(handle.raw)
            return
        }
        ready()
    }

    private func ready() {
        let (waiter, recovered) = gate.update { state -> (CheckedContinuation<Void, any Error>?, Bool) in
            let recovered = state.lastError != nil
            if state.phase != .stopping { state.phase = .connected }
            state.lastError = nil
            state.backoffMilliseconds = MQTTConnection.initialBackoff
            defer { state.startWaiter = nil }
            return (state.startWaiter, recovered)
        }
        waiter?.resume()
        if recovered { events.log(.info, "connected to \(options.url.redacted) again as \"\(options.clientID)\"") }
    }

    fileprivate func received(_ message: ReceivedMessage) {
        if !events.received(message) {
            // Not answered by the app: keep the queued PUBACK off the wire (see shim.h).
            bd_mosq_abort_connection(handle.raw)
        }
    }

    fileprivate func published(_ mid: Int32) { events.published(mid) }

    private func configure() throws {
        let raw = handle.raw
        mosquitto_user_data_set(raw, Unmanaged.passUnretained(self).toOpaque())
        // Threaded mode: libmosquitto only queues packets from any thread; our thread writes them.
        mosquitto_threaded_set(raw, true)
        mosquitto_connect_with_flags_callback_set(raw) { _, context, code, flags in
            guard let context else { return }
            Unmanaged<MQTTConnection>.fromOpaque(context).takeUnretainedValue().connected(code, flags: flags)
        }
        mosquitto_subscribe_callback_set(raw) { _, context, _, count, granted in
            guard let context else { return }
            let values = (0..<Int(count)).map { granted?[$0] ?? 128 }
            Unmanaged<MQTTConnection>.fromOpaque(context).takeUnretainedValue().subscribed(values)
        }
        mosquitto_publish_callback_set(raw) { _, context, mid in
            guard let context else { return }
            Unmanaged<MQTTConnection>.fromOpaque(context).takeUnretainedValue().published(mid)
        }
        mosquitto_message_callback_set(raw) { _, context, message in
            guard let context, let message else { return }
            let m = message.pointee
            let payload =
                m.payload.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: Int(max(m.payloadlen, 0)))) } ?? []
            let received = ReceivedMessage(
                mid: m.mid, topic: m.topic.map { String(cString: $0) } ?? "", payload: payload, retain: m.retain)
            Unmanaged<MQTTConnection>.fromOpaque(context).takeUnretainedValue().received(received)
        }
        if let username = options.url.username {
            let code = mosquitto_username_pw_set(raw, username, options.url.password)
            guard code == bd_mosq_success() else {
                throw DriverError(
                    .invalidArgument, "bindings.mqtt3: invalid user name in url: \(Mosquitto.describe(code))")
            }
        }
        if options.url.usesTLS { try configureTLS() }
    }

    private func configureTLS() throws {
        let raw = handle.raw
        if options.tls?.caFile == nil {
            mosquitto_int_option(raw, MOSQ_OPT_TLS_USE_OS_CERTS, 1)
        }
        let code = mosquitto_tls_set(
            raw, options.tls?.caFile ?? nil, options.tls?.caFile == nil ? "/etc/ssl/certs" : nil,
            options.tls?.certFile, options.tls?.keyFile, nil)
        guard code == bd_mosq_success() else {
            throw DriverError(.invalidArgument, "bindings.mqtt3: TLS settings rejected: \(Mosquitto.describe(code))")
        }
    }
}

/// A `struct mosquitto *`. `@unchecked Sendable`: created and destroyed with its connection;
/// in between only the connection's thread drives it, and other threads call only
/// `mosquitto_publish` and `mosquitto_disconnect`, which threaded mode makes safe.
private struct Handle: @unchecked Sendable {
    let raw: OpaquePointer
}
