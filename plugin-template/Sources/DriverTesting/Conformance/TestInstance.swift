import PluginABI

/// One driver instance created through the ABI of a `DriverLibrary`, driven the way bindery
/// drives it: create, init, invoke / start input, ack, stop, destroy. Each asynchronous call
/// waits for the driver's completion at most `timeout` and says how it ended.
public final class TestInstance: @unchecked Sendable {
    // @unchecked Sendable: `instance` is the driver's handle, which the ABI lets any thread pass
    // back; the lifecycle calls are made one after another by the one test that owns this.
    public let library: DriverLibrary
    /// What the host saw: logs, events, ABI violations.
    public let record: InstanceRecord
    private let instance: OpaquePointer?
    private var api: bd_driver_api { library.api.pointee }

    /// Creates an instance serving `directions` (BD_DIR_INPUT and/or BD_DIR_OUTPUT) for the
    /// component `name` with `metadata`; throws with the driver's message if create fails.
    public init(
        _ library: DriverLibrary, component name: String, directions: UInt32, metadata: [(String, String)],
        generation: UInt64 = 1
    ) throws {
        self.library = library
        let record = InstanceRecord(component: name)
        self.record = record
        TestHost.register(record)
        guard let create = library.api.pointee.create else { throw TestFailure("\(library.path): create is NULL") }
        var created: OpaquePointer?
        var message = [CChar](repeating: 0, count: 1024)
        var messageLength = 0
        let status = CStrings.withViews([name, library.descriptor.type, library.descriptor.componentVersion]) { views in
            CStrings.withList(metadata) { list in
                message.withUnsafeMutableBufferPointer { buffer in
                    var params = bd_create_params(
                        struct_size: UInt32(MemoryLayout<bd_create_params>.size),
                        component_name: views[0], type_name: views[1], component_version: views[2],
                        directions: directions, metadata: list, generation: generation)
                    var error = bd_error_buf(
                        struct_size: UInt32(MemoryLayout<bd_error_buf>.size), code: 0, flags: 0,
                        message: buffer.baseAddress, message_cap: buffer.count, message_len: 0)
                    defer { messageLength = error.message_len }
                    return create(&params, TestHost.handle(record.id), &created, &error)
                }
            }
        }
        guard status == BD_OK, let created else {
            let reason = CStrings.text(message, count: messageLength)
            let type = library.descriptor.type
            throw TestFailure("create of \(name) (\(type)) failed with \(ABIStatus.name(status)): \(reason)")
        }
        instance = created
    }

    /// init: connect, authenticate, ping.
    public func start(timeout: Duration = .seconds(10)) async -> CallResult {
        guard let initialise = api.`init` else { return CallResult(ending: .refused, status: BD_E_UNSUPPORTED) }
        let instance = self.instance
        return await TestHost.calls.run(for: record, timeout: timeout) { initialise(instance, $0) }
    }

    /// One output operation; the request's deadline is `timeout` from now.
    public func invoke(
        _ operation: String, data: [UInt8] = [], metadata: [(String, String)] = [], timeout: Duration = .seconds(10)
    ) async -> CallResult {
        guard let invoke = api.invoke else { return CallResult(ending: .refused, status: BD_E_UNSUPPORTED) }
        let instance = self.instance
        let deadline = TestHost.now() + UInt64(timeout.components.seconds) * 1_000_000_000
        // ABI 1.1: where an invoke that returns an error directly says why.
        var message = [CChar](repeating: 0, count: 1024)
        var messageLength = 0
        var result = await TestHost.calls.run(for: record, timeout: timeout) { call in
            CStrings.withViews([operation, "conformance"]) { views in
                CStrings.withList(metadata) { list in
                    data.withUnsafeBufferPointer { bytes in
                        message.withUnsafeMutableBufferPointer { buffer in
                            var error = bd_error_buf(
                                struct_size: UInt32(MemoryLayout<bd_error_buf>.size), code: 0, flags: 0,
                                message: buffer.baseAddress, message_cap: buffer.count, message_len: 0)
                            defer { messageLength = error.message_len }
                            return withUnsafeMutablePointer(to: &error) { error in
                                var request = bd_invoke_request(
                                    struct_size: UInt32(MemoryLayout<bd_invoke_request>.size), operation: views[0],
                                    data: bd_bytes(ptr: bytes.baseAddress, len: bytes.count), metadata: list,
                                    deadline_mono_ns: deadline, request_id: views[1], error: error)
                                return invoke(instance, &request, call)
                            }
                        }
                    }
                }
            }
        }
        if result.ending == .refused { result.message = CStrings.text(message, count: messageLength) }
        return result
    }

    /// start_input; events are accepted from now until `stop`, at most `maxUnacked` unanswered.
    public func startInput(maxUnacked: Int = 16, timeout: Duration = .seconds(10)) async -> CallResult {
        guard let startInput = api.start_input else { return CallResult(ending: .refused, status: BD_E_UNSUPPORTED) }
        record.acceptEvents(true, maxUnacked: maxUnacked)
        let instance = self.instance
        return await TestHost.calls.run(for: record, timeout: timeout) { call in
            var params = bd_input_params(
                struct_size: UInt32(MemoryLayout<bd_input_params>.size), max_unacked: UInt32(maxUnacked))
            return startInput(instance, &params, call)
        }
    }

    /// Answers every accepted, unanswered event with `kind` (BD_ACK: the app took it).
    public func acknowledgeEvents(_ kind: bd_ack_kind = BD_ACK) {
        guard let ack = api.ack else { return }
        for id in record.takeUnacked() { ack(instance, id, kind, bd_bytes(ptr: nil, len: 0), nil) }
    }

    /// stop: the driver ends its work and completes every outstanding call.
    public func stop(timeout: Duration = .seconds(10)) async -> CallResult {
        guard let stop = api.stop else { return CallResult(ending: .refused, status: BD_E_UNSUPPORTED) }
        record.acceptEvents(false)
        let instance = self.instance
        let deadline = TestHost.now() + UInt64(timeout.components.seconds) * 1_000_000_000
        return await TestHost.calls.run(for: record, timeout: timeout) { stop(instance, deadline, $0) }
    }

    /// destroy, after answering the events still waiting for their ack (the ABI requires every
    /// accepted event to be answered before destroy). Call once, last.
    public func destroy() {
        acknowledgeEvents()
        record.markDestroyed()
        api.destroy?(instance)
    }
}
