import BinderyCore
import BinderyGRPC
import DaprMetadata

/// The Dapr gRPC API (`dapr.proto.runtime.v1.Dapr`) over BindingService: InvokeBinding,
/// GetMetadata and SetMetadata served as daprd serves them; every other Dapr method answers
/// UNIMPLEMENTED naming itself; other services and methods answer as grpc-go does.
package final class DaprGRPCService: Sendable {
    package let service: any BindingService
    /// `DAPR_API_TOKEN`: when set, every call must carry it as `dapr-api-token` metadata.
    package let apiToken: String?
    /// What SetMetadata may store in all (keys and values), as the HTTP API's limit.
    package let maxExtendedMetadataBytes: Int

    package init(service: any BindingService, apiToken: String?, maxExtendedMetadataBytes: Int = 4 << 20) {
        self.service = service
        self.apiToken = apiToken
        self.maxExtendedMetadataBytes = maxExtendedMetadataBytes
    }

    /// Serves one unary call; returns at once, the reply may follow from a driver's thread.
    package func handle(_ request: GRPCRequest, _ responder: GRPCResponder) {
        if let apiToken {
            // daprd's interceptor reads the first value (pkg/api/grpc/auth.go).
            guard let token = request.metadata["dapr-api-token"] else {
                return responder.send(
                    GRPCReply(status: DaprGRPCError.unauthenticated("missing api token in request metadata")))
            }
            guard token == apiToken else {
                return responder.send(
                    GRPCReply(status: DaprGRPCError.unauthenticated("authentication error: api token mismatch")))
            }
        }
        // The hot path, matched whole: no split into service and method Strings.
        if request.path == DaprMethods.invokeBindingPath { return invokeBinding(request, responder) }
        guard let (serviceName, method) = Self.split(request.path) else {
            return responder.send(.failure(.unimplemented, "malformed method name: \(GoText.quoted(request.path))"))
        }
        guard serviceName == DaprMethods.service else {
            return responder.send(.failure(.unimplemented, "unknown service \(serviceName)"))
        }
        switch method {
        case "InvokeBinding": invokeBinding(request, responder)
        case "GetMetadata": getMetadata(request, responder)
        case "SetMetadata": setMetadata(request, responder)
        default:
            guard DaprMethods.unimplemented.contains(method) else {
                return responder.send(.failure(.unimplemented, "unknown method \(method) for service \(serviceName)"))
            }
            responder.send(
                .failure(
                    .unimplemented,
                    "bindery serves bindings only: \(DaprMethods.service)/\(method) is not implemented"))
        }
    }

    /// `/package.Service/Method` split as grpc-go splits it: at the last `/` after the leading one.
    static func split(_ path: String) -> (service: String, method: String)? {
        let trimmed = path.hasPrefix("/") ? path.dropFirst() : path[...]
        guard let slash = trimmed.lastIndex(of: "/") else { return nil }
        return (String(trimmed[..<slash]), String(trimmed[trimmed.index(after: slash)...]))
    }

    private func getMetadata(_ request: GRPCRequest, _ responder: GRPCResponder) {
        do { try EmptyMessage.validate(request.message, as: "dapr.proto.runtime.v1.GetMetadataRequest") } catch {
            return responder.send(GRPCReply(status: DaprGRPCError.unmarshalling(error)))
        }
        responder.send(GRPCReply(message: GetMetadataResponse(service.metadata()).encoded()))
    }

    /// As daprd's: an empty key stores nothing and succeeds; bindery adds the HTTP API's limit.
    private func setMetadata(_ request: GRPCRequest, _ responder: GRPCResponder) {
        let set: SetMetadataRequest
        do { set = try SetMetadataRequest(decoding: request.message) } catch {
            return responder.send(GRPCReply(status: DaprGRPCError.unmarshalling(error)))
        }
        if !set.key.isEmpty, !service.setExtendedMetadata(set.key, set.value, limit: maxExtendedMetadataBytes) {
            return responder.send(GRPCReply(status: DaprGRPCError.metadataTooLarge(limit: maxExtendedMetadataBytes)))
        }
        responder.send(GRPCReply())
    }
}
