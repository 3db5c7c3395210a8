import BinderyGRPC

/// The statuses the Dapr gRPC API ends calls with, worded as daprd words them. daprd's errors
/// (dapr/kit's errors builder) carry a `google.rpc.ErrorInfo` in `grpc-status-details-bin`:
/// reason = the error code, domain = `dapr.io`; the Python SDK's `DaprGrpcError` reads it.
package enum DaprGRPCError {
    /// dapr/kit's `errors.Domain`.
    package static let domain = "dapr.io"

    /// A status with `ErrorInfo{reason, domain: dapr.io, metadata}` as its one detail.
    package static func status(
        _ code: GRPCStatus.Code, _ message: String, reason: String, metadata: [String: String] = [:]
    ) -> GRPCStatus {
        let info = ErrorInfo(reason: reason, domain: domain, metadata: metadata)
        let details = RPCStatus(code: Int32(code.rawValue), message: message, details: [info.packed])
        return GRPCStatus(code, message, details: details.encoded())
    }

    /// `ERR_INVOKE_OUTPUT_BINDING`: codes.Internal, "error invoking output binding NAME: DETAIL"
    /// (pkg/api/grpc/grpc.go InvokeBinding, messages.ErrInvokeOutputBinding).
    package static func invokeOutputBinding(_ name: String, _ detail: String) -> GRPCStatus {
        status(.internal, "error invoking output binding \(name): \(detail)", reason: "ERR_INVOKE_OUTPUT_BINDING")
    }

    /// A request for a component already stopped during shutdown. bindery's own choice:
    /// UNAVAILABLE, which gRPC clients treat as retryable (daprd refuses the connection instead),
    /// matching the HTTP API's 503.
    package static func shuttingDown(_ name: String) -> GRPCStatus {
        status(
            .unavailable, "error invoking output binding \(name): the sidecar is shutting down",
            reason: "ERR_INVOKE_OUTPUT_BINDING")
    }

    /// A missing or wrong `dapr-api-token`, as daprd's auth interceptor answers
    /// (pkg/api/grpc/auth.go through invokev1.ErrorFromHTTPResponseCode): code Unauthenticated,
    /// message "Unauthorized", the reason in ErrorInfo's `http.error_message` (cut to 63 bytes).
    package static func unauthenticated(_ detail: String) -> GRPCStatus {
        status(
            .unauthenticated, "Unauthorized", reason: "Unauthorized",
            metadata: [
                "http.code": "401", "http.error_message": String(decoding: detail.utf8.prefix(63), as: UTF8.self),
            ])
    }

    /// A request message that does not decode: grpc-go's codec error (codes.Internal, no details).
    package static func unmarshalling(_ error: some Error) -> GRPCStatus {
        GRPCStatus(.internal, "grpc: error unmarshalling request: \(error)")
    }

    /// `SetMetadata` past the extended-metadata limit: bindery's own (daprd has no limit), as the
    /// HTTP API's 413 ERR_METADATA_TOO_LARGE.
    package static func metadataTooLarge(limit: Int) -> GRPCStatus {
        status(
            .resourceExhausted, "extended metadata would exceed \(limit) bytes (keys and values; --max-body-size)",
            reason: "ERR_METADATA_TOO_LARGE")
    }
}
