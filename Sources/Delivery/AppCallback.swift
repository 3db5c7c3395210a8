import BinderyCore
import ProtoWire

/// The app's side of Dapr's gRPC protocol that bindings use: `dapr.proto.runtime.v1.AppCallback`
/// methods and messages (dapr/proto/runtime/v1/appcallback.proto), written by hand on
/// ProtoWire.
enum AppCallback {
    static let listInputBindings = "/dapr.proto.runtime.v1.AppCallback/ListInputBindings"
    static let onBindingEvent = "/dapr.proto.runtime.v1.AppCallback/OnBindingEvent"

    /// `BindingEventRequest`: name = 1, data = 2, metadata = 3 (`map<string, string>`).
    struct BindingEventRequest {
        var name: String
        var data: [UInt8]
        var metadata: Pairs

        func encoded() -> [UInt8] {
            var writer = ProtoWriter()
            writer.string(1, name)
            writer.bytes(2, data)
            // A Go map holds one value per key (the last); keep the last of duplicates too.
            writer.stringMap(3, ProtoStringMap(metadata).pairs)
            return writer.bytes
        }
    }

    /// `BindingEventResponse`: only `data` (= 4) is used; store_name = 1, states = 2, to = 3
    /// and concurrency = 5 (daprd's output-binding and state shortcuts) are skipped.
    struct BindingEventResponse {
        var data: [UInt8] = []

        init(decoding bytes: [UInt8]) throws(ProtoError) {
            var reader = ProtoReader(bytes)
            do {
                while let field = try reader.next() {
                    if field.number == 4 { data = try field.bytes() }
                }
            } catch {
                throw error.inMessage("dapr.proto.runtime.v1.BindingEventResponse")
            }
        }
    }

    /// `ListInputBindingsResponse`: bindings = 1 (repeated string).
    struct ListInputBindingsResponse {
        var bindings: [String] = []

        init(decoding bytes: [UInt8]) throws(ProtoError) {
            var reader = ProtoReader(bytes)
            do {
                while let field = try reader.next() {
                    if field.number == 1 { bindings.append(try field.string()) }
                }
            } catch {
                throw error.inMessage("dapr.proto.runtime.v1.ListInputBindingsResponse")
            }
        }
    }
}
