import PluginABI
import Synchronization

/// Turns a `BindingDriver` type into the C ABI. A driver module exports its entry point with:
///
/// ```swift
/// @_cdecl("bd_driver_entry")
/// public func bd_driver_entry(
///     _ host: UnsafePointer<bd_host_api>?, _ io: UnsafeMutablePointer<bd_negotiation>?,
///     _ api: UnsafeMutablePointer<UnsafePointer<bd_driver_api>?>?,
///     _ error: UnsafeMutablePointer<bd_error_buf>?
/// ) -> bd_status {
///     DriverExport.entry(MyDriver.self, host: host, negotiation: io, api: api, error: error)
/// }
/// ```
public enum DriverExport {
    /// Negotiates the ABI version and returns the driver table. Idempotent and free of side
    /// effects other than building the (permanent) tables once.
    public static func entry(
        _ driverType: any BindingDriver.Type,
        host: UnsafePointer<bd_host_api>?,
        negotiation io: UnsafeMutablePointer<bd_negotiation>?,
        api out: UnsafeMutablePointer<UnsafePointer<bd_driver_api>?>?,
        error: UnsafeMutablePointer<bd_error_buf>?
    ) -> bd_status {
        guard let host, let io, let out else {
            write(DriverError(.invalidArgument, "entry called with a NULL argument"), to: error)
            return BD_E_INVALID_ARG
        }
        io.pointee.driver_major = UInt16(BD_ABI_MAJOR)
        io.pointee.driver_minor = UInt16(BD_ABI_MINOR)
        guard io.pointee.abi_major == UInt16(BD_ABI_MAJOR) else { return BD_E_INCOMPATIBLE }
        io.pointee.agreed_minor = min(UInt16(BD_ABI_MINOR), io.pointee.host_minor_max)
        out.pointee = exported.withLock { state in
            if let table = state.table { return table }
            state.driverType = driverType
            state.host = HostTable(api: host)
            let table = makeTable(descriptor: driverType.descriptor.makeCDescriptor())
            state.table = table
            return table
        }
        return BD_OK
    }
}

/// What `entry` set up; one per driver image.
private struct ExportState {
    var driverType: (any BindingDriver.Type)?
    var host: HostTable?
    var table: UnsafePointer<bd_driver_api>?
}

private let exported = Mutex(ExportState())

/// One driver instance as the host sees it (`bd_instance*`).
private final class InstanceBox: Sendable {
    let driver: any BindingDriver
    let table: HostTable
    let events: EventSink
    let operations: Set<String>

    init(driver: any BindingDriver, table: HostTable, context: HostHandle) {
        self.driver = driver
        self.table = table
        self.events = EventSink(table: table, context: context)
        self.operations = Set(type(of: driver).descriptor.operations)
    }

    static func from(_ pointer: OpaquePointer?) -> InstanceBox? {
        guard let pointer else { return nil }
        return Unmanaged<InstanceBox>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    func completeOp(_ call: HostHandle, _ error: DriverError?) {
        guard let complete = table.api.pointee.op_complete else { return }
        guard let error else { return complete(call.raw, BD_OK, nil) }
        withCError(error) { complete(call.raw, error.code.status, $0) }
    }

    func completeInvoke(_ call: HostHandle, _ result: Result<InvokeResponse?, DriverError>) {
        guard let complete = table.api.pointee.invoke_complete else { return }
        switch result {
        case .success(nil):
            complete(call.raw, BD_OK, nil, nil)
        case .success(let response?):
            withResponse(response) { complete(call.raw, BD_OK, $0, nil) }
        case .failure(let error):
            withResponse(InvokeResponse(metadata: error.metadata)) { response in
                withCError(error) { complete(call.raw, error.code.status, response, $0) }
            }
        }
    }

    private func withResponse(_ response: InvokeResponse, _ body: (UnsafePointer<bd_invoke_response>) -> Void) {
        withBytes(response.data) { data in
            withKVList(response.metadata) { metadata in
                withStr(response.contentType) { contentType in
                    var cResponse = bd_invoke_response()
                    cResponse.struct_size = UInt32(MemoryLayout<bd_invoke_response>.size)
                    cResponse.data = data
                    cResponse.metadata = metadata
                    cResponse.content_type = contentType
                    withUnsafePointer(to: &cResponse) { body($0) }
                }
            }
        }
    }
}

private func makeTable(descriptor: UnsafePointer<bd_driver_descriptor>) -> UnsafePointer<bd_driver_api> {
    var api = bd_driver_api()
    api.struct_size = UInt32(MemoryLayout<bd_driver_api>.size)
    api.abi_major = UInt16(BD_ABI_MAJOR)
    api.abi_minor = UInt16(BD_ABI_MINOR)
    api.descriptor = descriptor
    api.create = { params, context, out, error in create(params, context, out, error) }
    api.`init` = { instance, call in
        guard let box = InstanceBox.from(instance) else { return BD_E_INVALID_ARG }
        let call = HostHandle(raw: call)
        Task {
            do {
                try await box.driver.start()
                box.completeOp(call, nil)
            } catch { box.completeOp(call, DriverError.from(error)) }
        }
        return BD_OK
    }
    api.invoke = { instance, request, call in invoke(instance, request, call) }
    api.start_input = { instance, params, call in
        guard let box = InstanceBox.from(instance) else { return BD_E_INVALID_ARG }
        if let params, params.pointee.max_unacked > 0 { box.events.setMaxUnacked(Int(params.pointee.max_unacked)) }
        let call = HostHandle(raw: call)
        Task {
            do {
                try await box.driver.startInput(box.events)
                box.completeOp(call, nil)
            } catch { box.completeOp(call, DriverError.from(error)) }
        }
        return BD_OK
    }
    api.ack = { instance, deliveryID, kind, response, error in
        guard let box = InstanceBox.from(instance) else { return }
        let kinds: [bd_ack_kind: Acknowledgement.Kind] = [BD_ACK: .ack, BD_NACK_DROP: .drop]
        box.driver.acknowledge(
            Acknowledgement(
                deliveryID: deliveryID, kind: kinds[kind] ?? .retry, response: [UInt8](response),
                error: error.map { String($0.pointee.message) }))
    }
    api.stop = { instance, _, call in
        guard let box = InstanceBox.from(instance) else { return BD_E_INVALID_ARG }
        let call = HostHandle(raw: call)
        Task {
            await box.driver.stop()
            box.completeOp(call, nil)
        }
        return BD_OK
    }
    api.destroy = { instance in
        guard let instance else { return }
        Unmanaged<InstanceBox>.fromOpaque(UnsafeRawPointer(instance)).release()
    }
    let pointer = UnsafeMutablePointer<bd_driver_api>.allocate(capacity: 1)
    pointer.initialize(to: api)
    return UnsafePointer(pointer)
}

private func create(
    _ params: UnsafePointer<bd_create_params>?, _ context: OpaquePointer?,
    _ out: UnsafeMutablePointer<OpaquePointer?>?, _ errorBuffer: UnsafeMutablePointer<bd_error_buf>?
) -> bd_status {
    let (driverType, host) = exported.withLock { ($0.driverType, $0.host) }
    guard let driverType, let host, let params, let out else {
        write(DriverError(.invalidArgument, "create called before entry or with NULL"), to: errorBuffer)
        return BD_E_INVALID_ARG
    }
    let p = params.pointee
    let configuration = DriverConfiguration(
        componentName: String(p.component_name), type: String(p.type_name),
        componentVersion: String(p.component_version), directions: Directions(rawValue: p.directions),
        metadata: [String: String](p.metadata), generation: p.generation)
    do {
        let contextHandle = HostHandle(raw: context)
        let driver = try driverType.init(
            configuration: configuration, host: DriverHost(table: host, context: contextHandle))
        let box = InstanceBox(driver: driver, table: host, context: contextHandle)
        out.pointee = OpaquePointer(Unmanaged.passRetained(box).toOpaque())
        return BD_OK
    } catch {
        let driverError = DriverError.from(error)
        write(driverError, to: errorBuffer)
        return driverError.code.status
    }
}

private func invoke(
    _ instance: OpaquePointer?, _ request: UnsafePointer<bd_invoke_request>?, _ call: OpaquePointer?
) -> bd_status {
    guard let box = InstanceBox.from(instance), let request else {
        return fail(request, DriverError(.invalidArgument, "invoke called with a NULL instance or request"))
    }
    // Field by field, not `request.pointee` as a whole: a host built against an older header
    // passes a shorter struct (struct_size says how long).
    let operation = String(request.pointee.operation)
    guard box.operations.contains(operation) else {
        let supported = type(of: box.driver).descriptor.operations.joined(separator: ", ")
        return fail(
            request,
            DriverError(
                .unsupported, "operation \"\(operation)\" is not supported; supported operations: \(supported)"))
    }
    let deadline = request.pointee.deadline_mono_ns
    let swiftRequest = InvokeRequest(
        operation: operation, data: [UInt8](request.pointee.data),
        metadata: [String: String](request.pointee.metadata),
        deadline: deadline == 0 ? nil : deadline, requestID: String(request.pointee.request_id))
    let call = HostHandle(raw: call)
    box.driver.invoke(swiftRequest) { box.completeInvoke(call, $0) }
    return BD_OK
}

/// Returns `error`'s status from invoke directly (no completion follows), first describing it
/// in the request's error buffer when the host passed one (ABI 1.1, `bd_invoke_request.error`),
/// so the caller reads the message instead of only the status name.
private func fail(_ request: UnsafePointer<bd_invoke_request>?, _ error: DriverError) -> bd_status {
    if let request, let buffer = errorBuffer(of: request) { write(error, to: buffer) }
    return error.code.status
}

/// `BD_HAS(request, bd_invoke_request, error) ? request->error : NULL`, which Swift cannot import
/// as a macro. Reads through raw memory so a shorter (ABI 1.0) struct is never read past its end.
private func errorBuffer(of request: UnsafePointer<bd_invoke_request>) -> UnsafeMutablePointer<bd_error_buf>? {
    let raw = UnsafeRawPointer(request)
    let offset = MemoryLayout<bd_invoke_request>.offset(of: \.error)!
    let size = raw.load(as: UInt32.self)  // struct_size, the first field
    guard Int(size) >= offset + MemoryLayout<UnsafeMutablePointer<bd_error_buf>?>.size else { return nil }
    return raw.load(fromByteOffset: offset, as: UnsafeMutablePointer<bd_error_buf>?.self)
}
