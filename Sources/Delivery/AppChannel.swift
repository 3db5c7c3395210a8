import BinderyCore

/// How bindery reaches the app: asks whether it serves a binding's route, and sends it events.
/// HTTP today (`HTTPAppChannel`); a gRPC app channel is a second implementation. The ack policy
/// is not the channel's: `Delivery` turns answers into acks once, for every channel.
package protocol AppChannel: Sendable {
    /// Asks the app whether it serves `route` (for HTTP, an `OPTIONS` request). Blocks.
    func probe(_ route: String) -> AppAnswer

    /// Sends one event to `route`. Blocks until the app answered or the send failed.
    func deliver(_ event: InputEvent, route: String, warn: (String) -> Void) -> AppAnswer
}

/// What the app made of a request: a status (HTTP's; other channels map to it) and a body, or
/// no answer at all.
package enum AppAnswer: Sendable {
    case answered(status: Int, body: [UInt8])
    case failed(String)
}
