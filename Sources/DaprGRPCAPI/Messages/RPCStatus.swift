import ProtoWire

/// `google.rpc.Status` (google/rpc/status.proto): what `grpc-status-details-bin` carries. Its
/// code and message must equal the call's `grpc-status` and `grpc-message` (Python's
/// `grpc_status.rpc_status.from_call` refuses the details otherwise).
package struct RPCStatus: Sendable, Equatable {
    package static let typeName = "google.rpc.Status"

    package var code: Int32 = 0
    package var message = ""
    /// `repeated google.protobuf.Any`.
    package var details: [AnyMessage] = []

    package init(code: Int32 = 0, message: String = "", details: [AnyMessage] = []) {
        (self.code, self.message, self.details) = (code, message, details)
    }

    package init(decoding bytes: [UInt8]) throws(ProtoError) {
        var reader = ProtoReader(bytes)
        do throws(ProtoError) {
            while let field = try reader.next() {
                switch field.number {
                case 1: code = try field.int32()
                case 2: message = try field.string()
                case 3: details.append(try AnyMessage(field))
                default: continue
                }
            }
        } catch {
            throw error.inMessage(Self.typeName)
        }
    }

    package func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.int32(1, code)
        writer.string(2, message)
        for detail in details {
            writer.message(3) { any in
                any.string(1, detail.typeURL)
                any.bytes(2, detail.value)
            }
        }
        return writer.bytes
    }
}

/// `google.protobuf.Any`: a message and the URL naming its type.
package struct AnyMessage: Sendable, Equatable {
    package var typeURL: String
    package var value: [UInt8]

    package init(typeURL: String, value: [UInt8]) { (self.typeURL, self.value) = (typeURL, value) }

    init(_ field: ProtoField) throws(ProtoError) {
        (typeURL, value) = ("", [])
        var reader = try field.message()
        while let field = try reader.next() {
            switch field.number {
            case 1: typeURL = try field.string()
            case 2: value = try field.bytes()
            default: continue
            }
        }
    }
}

/// `google.rpc.ErrorInfo` (google/rpc/error_details.proto): the reason (daprd's error code, e.g.
/// `ERR_INVOKE_OUTPUT_BINDING`), the domain (`dapr.io`) and metadata.
package struct ErrorInfo: Sendable, Equatable {
    package static let typeURL = "type.googleapis.com/google.rpc.ErrorInfo"

    package var reason = ""
    package var domain = ""
    package var metadata: [String: String] = [:]

    package init(reason: String = "", domain: String = "", metadata: [String: String] = [:]) {
        (self.reason, self.domain, self.metadata) = (reason, domain, metadata)
    }

    package init(decoding bytes: [UInt8]) throws(ProtoError) {
        var reader = ProtoReader(bytes)
        do throws(ProtoError) {
            while let field = try reader.next() {
                switch field.number {
                case 1: reason = try field.string()
                case 2: domain = try field.string()
                case 3:
                    let entry = try field.stringMapEntry()
                    metadata[entry.key] = entry.value
                default: continue
                }
            }
        } catch {
            throw error.inMessage("google.rpc.ErrorInfo")
        }
    }

    package func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, reason)
        writer.string(2, domain)
        writer.stringMap(3, metadata.sorted { $0.key < $1.key })
        return writer.bytes
    }

    /// As a `google.protobuf.Any`, for `RPCStatus.details`.
    package var packed: AnyMessage { AnyMessage(typeURL: Self.typeURL, value: encoded()) }
}
