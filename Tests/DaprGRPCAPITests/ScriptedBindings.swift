import BinderyGRPC
import DaprGRPCAPI
import Synchronization

@testable import BinderyCore

/// A BindingService that answers every invoke with `result` and records what it was asked: the
/// routing and result mapping of DaprGRPCService are pure, so this is all they need (the real
/// Registry path is covered by the host's end-to-end tests).
final class ScriptedBindings: BindingService {
    let result: BindingResult
    let sidecar: SidecarMetadata
    private let log = Mutex<(invocations: [(name: String, request: OutputRequest)], extended: [String: String])>(
        ([], [:]))

    init(_ result: BindingResult = .notFound, sidecar: SidecarMetadata = DaprGRPCServiceTests.sidecar) {
        (self.result, self.sidecar) = (result, sidecar)
    }

    var invocations: [(name: String, request: OutputRequest)] { log.withLock { $0.invocations } }
    var extended: [String: String] { log.withLock { $0.extended } }

    func invoke(binding name: String, _ request: OutputRequest, done: @escaping @Sendable (BindingResult) -> Void) {
        log.withLock { $0.invocations.append((name, request)) }
        done(result)
    }

    func metadata() -> SidecarMetadata { sidecar }

    func health() -> SidecarHealth { SidecarHealth(appID: sidecar.appID, outboundReady: true, appReady: true) }

    func setExtendedMetadata(_ key: String, _ value: String, limit: Int) -> Bool {
        guard key.utf8.count + value.utf8.count <= limit else { return false }
        log.withLock { $0.extended[key] = value }
        return true
    }
}

/// Calls `service.handle` and returns the reply it sends (the scripted service answers at once).
func call(
    _ service: DaprGRPCService, _ method: String, _ message: [UInt8] = [], metadata: [(String, String)] = [],
    deadline: UInt64 = 0
) throws -> GRPCReply {
    let reply = Mutex<GRPCReply?>(nil)
    let request = GRPCRequest(path: method, metadata: GRPCMetadata(metadata), message: message, deadline: deadline)
    service.handle(request, GRPCResponder { sent in reply.withLock { $0 = sent } })
    guard let sent = reply.withLock({ $0 }) else { throw CallFailure(method: method) }
    return sent
}

struct CallFailure: Error, CustomStringConvertible {
    let method: String
    var description: String { "\(method) sent no reply" }
}
