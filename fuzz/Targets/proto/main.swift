// Fuzzes the protobuf reader and the Dapr gRPC API's message decoders (what a gRPC client sends
// bindery, and what the Python SDK's messages look like). Decoding never traps; a message that
// decodes re-encodes to bytes that decode to the same value, and re-encoding that is stable.
// The same bytes also go through DaprGRPCService as an InvokeBinding request.
import BinderyGRPC
import FuzzSupport
import ProtoWire
import Synchronization

@testable import BinderyCore
@testable import DaprGRPCAPI

/// decode → encode → decode gives the same value, and encoding it again the same bytes.
func roundTrip<Message: Equatable>(
    _ bytes: [UInt8], _ decode: ([UInt8]) throws(ProtoError) -> Message, _ encode: (Message) -> [UInt8]
) {
    guard let value = try? decode(bytes) else { return }
    let encoded = encode(value)
    let again: Message
    do throws(ProtoError) {
        again = try decode(encoded)
    } catch {
        fatalError("\(Message.self) re-encoded does not decode (\(error)): \(encoded)")
    }
    if again != value { fatalError("\(Message.self) changed in a round trip: \(value) then \(again)") }
    if encode(again) != encoded { fatalError("\(Message.self) encoding is not stable: \(encoded)") }
}

/// Every field read with every accessor its wire type allows, nested messages walked too.
func walk(_ reader: inout ProtoReader, depth: Int = 0) {
    while let field = try? reader.next() {
        switch field.wireType {
        case .varint:
            _ = (try? field.int32(), try? field.sint64(), try? field.bool())
        case .fixed32: _ = try? field.float()
        case .fixed64: _ = try? field.double()
        case .lengthDelimited:
            _ = (try? field.string(), try? field.stringMapEntry(), try? field.varints())
            if depth < 8, var nested = try? field.message() { walk(&nested, depth: depth + 1) }
        default: fatalError("ProtoReader returned a field of wire type \(field.wireType)")
        }
    }
}

/// Answers every invoke at once with a driver response, so the reply mapping runs too.
struct Immediate: BindingService {
    func invoke(binding name: String, _ request: OutputRequest, done: @escaping @Sendable (BindingResult) -> Void) {
        let metadata = request.metadata.map { (key: $0.key, value: $0.value) }
        let response = InvokeResponse(data: request.data, metadata: metadata, contentType: "")
        done(.completed(InvokeOutcome(status: DriverStatus(code: 0, name: "BD_OK"), response: response, message: "")))
    }
    func metadata() -> SidecarMetadata {
        SidecarMetadata(
            appID: "fuzz", runtimeVersion: "0", components: [], extended: [:], appPort: nil, appChannelAddress: "",
            maxConcurrency: 0, retainedDriverImages: 0)
    }
    func health() -> SidecarHealth { SidecarHealth(appID: "fuzz", outboundReady: true, appReady: true) }
    func setExtendedMetadata(_ key: String, _ value: String, limit: Int) -> Bool { true }
}

let service = DaprGRPCService(service: Immediate(), apiToken: nil)

func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    var reader = ProtoReader(bytes)
    walk(&reader)
    roundTrip(bytes, InvokeBindingRequest.init(decoding:)) { $0.encoded() }
    roundTrip(bytes, InvokeBindingResponse.init(decoding:)) { $0.encoded() }
    roundTrip(bytes, GetMetadataResponse.init(decoding:)) { $0.encoded() }
    roundTrip(bytes, SetMetadataRequest.init(decoding:)) { $0.encoded() }
    roundTrip(bytes, RPCStatus.init(decoding:)) { $0.encoded() }
    roundTrip(bytes, ErrorInfo.init(decoding:)) { $0.encoded() }
    let replied = Mutex(false)
    let call = GRPCRequest(path: "/dapr.proto.runtime.v1.Dapr/InvokeBinding", message: bytes)
    service.handle(call, GRPCResponder { _ in replied.withLock { $0 = true } })
    if !replied.withLock({ $0 }) { fatalError("InvokeBinding sent no reply") }
    return 0
}

runFuzzer(fuzz)
