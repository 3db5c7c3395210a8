import BinderyCore
import BinderyGRPC
import BinderySystem
import Synchronization

/// The app over gRPC (`--app-protocol grpc`): Dapr's `AppCallback` service, as daprd calls it.
///
/// The probe asks `ListInputBindings` once and keeps the list (daprd caches it too, so a
/// binding added by hot reload is judged against the first list); unlike daprd, a failed call
/// is asked again later instead of being taken as an empty list. Events go to
/// `OnBindingEvent` with the component's name, bytes and metadata; status OK takes the event,
/// any other status refuses it as daprd words it ("rpc error: code = Unknown desc = …").
/// `APP_API_TOKEN` travels as `dapr-api-token` metadata. Deliveries have no timeout (as in
/// daprd); `ListInputBindings` has `--app-binding-options-timeout`.
package final class GRPCAppChannel: AppChannel {
    package let target: GRPCTarget
    package let appToken: String?
    package let probeTimeout: Duration
    private let client: GRPCClient
    private let subscribed = Mutex<[String]?>(nil)

    /// `maxMessageBytes` bounds the app's answers (daprd: `--max-body-size`).
    package init(target: GRPCTarget, appToken: String?, probeTimeout: Duration, maxMessageBytes: Int = 4 << 20)
        throws(SystemError)
    {
        self.target = target
        self.appToken = appToken
        self.probeTimeout = probeTimeout
        client = try GRPCClient(
            target: target, configuration: GRPCClientConfiguration(maxMessageBytes: maxMessageBytes))
    }

    deinit { client.close() }

    package func describe(binding: String, route: String) -> String { "OnBindingEvent \(binding)" }

    package func probe(binding: String, route: String) -> ProbeAnswer {
        let listed: [String]
        if let cached = subscribed.withLock({ $0 }) {
            listed = cached
        } else {
            let result = client.call(
                AppCallback.listInputBindings, metadata: metadata, message: [], timeout: probeTimeout)
            guard result.status.isOK else {
                if result.status.code == .unimplemented {
                    return .notSubscribed(reason: "the app does not implement ListInputBindings")
                }
                return .unavailable(reason: "could not invoke ListInputBindings: \(result.status)")
            }
            do {
                listed = try AppCallback.ListInputBindingsResponse(decoding: result.message ?? []).bindings
            } catch {
                return .unavailable(reason: "ListInputBindings answered an undecodable message: \(error)")
            }
            subscribed.withLock { $0 = listed }
        }
        guard listed.contains(binding) else {
            let names = listed.isEmpty ? "none" : listed.joined(separator: ", ")
            return .notSubscribed(reason: "ListInputBindings lists \(names)")
        }
        return .subscribed
    }

    package func deliver(_ event: InputEvent, binding: String, route: String, warn: (String) -> Void) -> AppAnswer {
        let request = AppCallback.BindingEventRequest(name: binding, data: event.data, metadata: event.metadata)
        let result = client.call(AppCallback.onBindingEvent, metadata: metadata, message: request.encoded())
        guard result.status.isOK else { return .failed(result.status.description) }
        do {
            return .accepted(response: try AppCallback.BindingEventResponse(decoding: result.message ?? []).data)
        } catch {
            // grpc-go's codec fails the call this way, and daprd reports that error.
            let status = GRPCStatus(.internal, "grpc: failed to unmarshal the received message: \(error)")
            return .failed(status.description)
        }
    }

    private var metadata: GRPCMetadata {
        var metadata = GRPCMetadata()
        if let appToken { metadata.add("dapr-api-token", appToken) }
        return metadata
    }
}
