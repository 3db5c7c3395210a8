import BinderyCore
import BinderyGRPC
import BinderySystem

extension DaprGRPCService {
    /// `InvokeBinding`, as daprd's (pkg/api/grpc/grpc.go and the binding processor's
    /// SendToOutputBinding): the request's metadata plus the call's metadata, the data byte for
    /// byte, the call's deadline; every failure is codes.Internal "error invoking output binding
    /// NAME: DETAIL" with ErrorInfo ERR_INVOKE_OUTPUT_BINDING, and the driver's response metadata
    /// is also sent as `metadata.KEY` response headers, even on failure.
    func invokeBinding(_ call: GRPCRequest, _ responder: GRPCResponder) {
        let request: InvokeBindingRequest
        do { request = try InvokeBindingRequest(decoding: call.message) } catch {
            return responder.send(GRPCReply(status: DaprGRPCError.unmarshalling(error)))
        }
        let name = request.name
        guard !request.operation.isEmpty else {
            return responder.send(
                GRPCReply(status: DaprGRPCError.invokeOutputBinding(name, "operation field is missing from request")))
        }
        let metadata = Self.bindingMetadata(request.metadata, call.metadata, tokenConsumed: apiToken != nil)
        let (operation, deadline) = (request.operation, call.deadline)
        let output = OutputRequest(
            operation: operation, data: request.data,
            metadata: metadata.isEmpty ? [] : metadata.sorted { $0.key < $1.key }, deadline: deadline)
        service.invoke(binding: name, output) { result in
            if Self.endedByDeadline(result, deadline: deadline) {
                return responder.send(.failure(.deadlineExceeded, "context deadline exceeded"))
            }
            responder.send(Self.reply(for: result, binding: name, operation: operation))
        }
    }

    /// The request's metadata, then each call metadata name not already there (its first value),
    /// reserved gRPC names prefixed with `dapr-` (invokev1.ReservedGRPCMetadataToDaprPrefixHeader);
    /// `traceparent` and `tracestate` from the call replace the request's; all `baggage` values
    /// joined with "," replace the request's. `dapr-api-token` is left out when the token was
    /// checked (daprd's interceptor deletes it).
    static func bindingMetadata(_ fields: [String: String], _ call: GRPCMetadata, tokenConsumed: Bool) -> [String:
        String]
    {
        guard !call.isEmpty else { return fields }
        var merged = fields
        merged.reserveCapacity(fields.count + call.entries.count)
        var baggage: [String] = []
        let entries = call.entries
        // A Set only for long lists: a call carries a handful of fields.
        var seen: Set<String>? = entries.count > 16 ? [] : nil
        for index in entries.indices {
            let (name, value) = entries[index]
            if name == "baggage" { baggage.append(value) }
            // The first value of each name (grpc-go's md[key][0]).
            if seen != nil {
                guard seen!.insert(name).inserted else { continue }
            } else if entries[..<index].contains(where: { $0.name == name }) {
                continue
            }
            if tokenConsumed && name == "dapr-api-token" { continue }
            let key = daprPrefixed(name)
            if merged[key] == nil || name == "traceparent" || name == "tracestate" { merged[key] = value }
        }
        if !baggage.isEmpty { merged["baggage"] = baggage.joined(separator: ",") }
        return merged
    }

    /// Whether the driver gave up because the call's own deadline passed: its timeout answer
    /// then races the server's DEADLINE_EXCEEDED (a driver such as the http binding sets its
    /// timer to the same instant), and the client must see the status its deadline means
    /// whichever comes first. A driver's own timeout before the deadline stays an error.
    static func endedByDeadline(_ result: BindingResult, deadline: UInt64) -> Bool {
        guard deadline != 0, case .completed(let outcome) = result, outcome.status.isTimeout else { return false }
        return MonotonicClock.nanoseconds() >= deadline
    }

    /// `:method`, `:scheme`, `:path`, `:authority` → `dapr-method`…; `grpc-*` → `dapr-grpc-*`.
    static func daprPrefixed(_ name: String) -> String {
        switch name {
        case ":method", ":scheme", ":path", ":authority": return "dapr-" + name.dropFirst()
        default: return name.hasPrefix("grpc-") ? "dapr-" + name : name
        }
    }

    static func reply(for result: BindingResult, binding name: String, operation: String) -> GRPCReply {
        switch result {
        case .notFound:
            return GRPCReply(status: DaprGRPCError.invokeOutputBinding(name, "couldn't find output binding \(name)"))
        case .shuttingDown:
            return GRPCReply(status: DaprGRPCError.shuttingDown(name))
        case .unsupportedOperation(let supported):
            let list = supported.joined(separator: " ")
            let detail = "binding \(name) does not support operation \(operation). supported operations:\(list)"
            return GRPCReply(status: DaprGRPCError.invokeOutputBinding(name, detail))
        case .completed(let outcome):
            let metadata = outcome.response?.metadata ?? []
            var headers = GRPCMetadata()
            headers.reserveCapacity(metadata.count)
            for (key, value) in metadata {
                let header = "metadata." + key
                if ResponseHeader.isSendable(key: header, value: value) { headers.add(header, value) }
            }
            guard outcome.status.isOK else {
                let detail = outcome.message.isEmpty ? outcome.status.name : outcome.message
                return GRPCReply(status: DaprGRPCError.invokeOutputBinding(name, detail), headers: headers)
            }
            let message = InvokeBindingResponse.encoded(data: outcome.response?.data ?? [], metadata: metadata)
            return GRPCReply(message: message, headers: headers)
        }
    }
}

/// Which response metadata can go out as a header. gRPC allows names of `0-9 a-z _ - .` (sent
/// lower-cased) and, except for `-bin` names, values of printable ASCII; bindery leaves other
/// entries out of the headers (they stay in the response message) rather than send a header
/// block the client refuses.
enum ResponseHeader {
    static func isSendable(key: String, value: String) -> Bool {
        // A name already of gRPC's characters is its own lower case: no lowercased() copy.
        let plain = all(key, isNameByte)
        let name = plain ? key : key.lowercased()
        guard !GRPCMetadata.isReserved(name), !name.hasPrefix("grpc-") else { return false }
        let nameOK = plain || all(name, isNameByte)
        return nameOK && (name.hasSuffix("-bin") || all(value) { $0 >= 0x20 && $0 <= 0x7e })
    }

    /// Whether every UTF-8 byte of `text` passes, scanned as a buffer where the String is
    /// contiguous (iterating the UTF8View costs several times more per byte).
    private static func all(_ text: String, _ test: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(test) } ?? text.utf8.allSatisfy(test)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
