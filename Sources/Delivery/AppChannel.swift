import BinderyCore

/// How bindery reaches the app: asks whether it serves a binding, and sends it events. Over
/// HTTP (`HTTPAppChannel`: OPTIONS probes, POSTs) or gRPC (`GRPCAppChannel`: AppCallback's
/// ListInputBindings and OnBindingEvent). The policy is not the channel's: `Delivery` retries
/// probes, turns answers into acks and logs failures once, for every channel; a channel only
/// says what the app answered, in daprd's words.
package protocol AppChannel: Sendable {
    /// Names the delivery of `binding`'s events in log lines: `POST /route`,
    /// `OnBindingEvent name`.
    func describe(binding: String, route: String) -> String

    /// Asks the app whether it serves `binding` (whose HTTP route is `route`). Blocks.
    func probe(binding: String, route: String) -> ProbeAnswer

    /// Sends one event of `binding`. Blocks until the app answered or the send failed; `warn`
    /// takes problems with single metadata entries (skipped, not fatal).
    func deliver(_ event: InputEvent, binding: String, route: String, warn: (String) -> Void) -> AppAnswer
}

/// What the app made of an event.
package enum AppAnswer: Sendable {
    /// Taken: the app's response (an HTTP body; gRPC's BindingEventResponse.data).
    case accepted(response: [UInt8])
    /// The app answered that it failed; `error` is daprd's text for it.
    case refused(response: [UInt8], error: String)
    /// No answer: the connection failed, or (gRPC) the call ended with an error status.
    case failed(String)
}

/// Whether the app serves a binding.
package enum ProbeAnswer: Sendable, Equatable {
    case subscribed
    /// The app answered that it does not; `reason` says how, for the log.
    case notSubscribed(reason: String)
    /// No usable answer yet (not listening, starting, failing): asked again later.
    case unavailable(reason: String)
}
