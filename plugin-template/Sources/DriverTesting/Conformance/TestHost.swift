import PluginABI
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The host table `DriverLibrary` hands to drivers: just enough of bindery's host to run a
/// driver in a test. Log lines and events go to the instance's `InstanceRecord`; completions to
/// `CallRegistry`. Handles (`bd_host_ctx*`, `bd_call*`) are ids, never addresses, so a stale or
/// repeated completion finds nothing instead of touching freed memory, and is recorded.
enum TestHost {
    nonisolated(unsafe) static let table: UnsafePointer<bd_host_api> = makeTable()
    // nonisolated(unsafe): written once by the lazy initialiser, then only read.

    static let calls = CallRegistry()
    static let instances = Mutex<[UInt64: InstanceRecord]>([:])
    private static let nextInstance = Atomic<UInt64>(1)

    static func register(_ record: InstanceRecord) {
        instances.withLock { $0[record.id] = record }
    }

    static func newInstanceID() -> UInt64 { nextInstance.wrappingAdd(1, ordering: .relaxed).oldValue }

    static func record(_ context: OpaquePointer?) -> InstanceRecord? {
        let id = UInt64(UInt(bitPattern: context))
        return instances.withLock { $0[id] }
    }

    /// CLOCK_MONOTONIC in nanoseconds, the clock of the ABI's deadlines.
    static func now() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    static func handle(_ id: UInt64) -> OpaquePointer? { OpaquePointer(bitPattern: UInt(id)) }

    private static func makeTable() -> UnsafePointer<bd_host_api> {
        var api = bd_host_api()
        api.struct_size = UInt32(MemoryLayout<bd_host_api>.size)
        api.abi_major = UInt16(BD_ABI_MAJOR)
        api.abi_minor = UInt16(BD_ABI_MINOR)
        api.log = { context, level, message in
            TestHost.record(context)?.log(level, CStrings.text(message))
        }
        api.log_enabled = { _, _ in true }
        api.op_complete = { call, status, error in
            TestHost.calls.complete(
                call, CallResult(status: status, message: error.map { CStrings.text($0.pointee.message) } ?? ""))
        }
        api.invoke_complete = { call, status, response, error in
            let body = response.map { response -> [UInt8] in
                let owned = response.pointee.owned
                guard let release = owned.release else { return CStrings.bytes(response.pointee.data) }
                defer { release(owned.release_ctx) }
                return CStrings.bytes(bd_bytes(ptr: owned.ptr, len: owned.len))
            }
            let message = error.map { CStrings.text($0.pointee.message) } ?? ""
            TestHost.calls.complete(call, CallResult(status: status, message: message, response: body))
        }
        api.emit_event = { context, event in
            guard let event, let record = TestHost.record(context) else { return BD_E_UNAVAILABLE }
            return record.accept(
                deliveryID: event.pointee.delivery_id, data: CStrings.bytes(event.pointee.data))
        }
        api.now_mono_ns = { TestHost.now() }
        let table = UnsafeMutablePointer<bd_host_api>.allocate(capacity: 1)
        table.initialize(to: api)
        return UnsafePointer(table)
    }
}

/// How an asynchronous call ended.
public struct CallResult: Sendable, Equatable {
    public enum Ending: Sendable, Equatable {
        /// The driver completed the call (`op_complete` or `invoke_complete`).
        case completed
        /// The function returned this error itself; the call was never completed.
        case refused
        /// Neither happened within the timeout.
        case timedOut
    }

    public var ending: Ending = .completed
    public var status: bd_status
    /// The `bd_error` message that came with an error, "" otherwise.
    public var message: String = ""
    /// An invoke's response body; nil for no response (and for other calls).
    public var response: [UInt8]?

    /// "BD_OK", "BD_E_NOT_FOUND: key missing", "returned BD_E_UNSUPPORTED", "no completion".
    public var summary: String {
        switch ending {
        case .timedOut: "no completion within the timeout"
        case .refused: "returned \(ABIStatus.name(status)) without completing"
        case .completed: message.isEmpty ? ABIStatus.name(status) : "\(ABIStatus.name(status)): \(message)"
        }
    }
}

/// Every asynchronous call in flight, by id. Completion, refusal and timeout race to take the
/// entry; whichever wins resumes the caller, exactly once.
final class CallRegistry: Sendable {
    private struct State {
        var next: UInt64 = 1
        var waiting: [UInt64: (record: InstanceRecord, resume: @Sendable (CallResult) -> Void)] = [:]
        var finished: [UInt64: InstanceRecord] = [:]
    }

    private let state = Mutex(State())

    /// Calls `start` with a new call handle and waits for the call's end, at most `timeout`.
    func run(
        for record: InstanceRecord, timeout: Duration, _ start: (OpaquePointer?) -> bd_status
    ) async -> CallResult {
        await withCheckedContinuation { continuation in
            let id = state.withLock { state in
                defer { state.next += 1 }
                state.waiting[state.next] = (record, { @Sendable result in continuation.resume(returning: result) })
                return state.next
            }
            let status = start(TestHost.handle(id))
            if status != BD_OK {
                take(id)?(CallResult(ending: .refused, status: status))
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                self.take(id)?(CallResult(ending: .timedOut, status: BD_E_TIMEOUT))
            }
        }
    }

    /// A driver completed `call`. A completion of a call that already ended is an ABI violation,
    /// recorded on the instance (after a timeout it is merely late).
    func complete(_ call: OpaquePointer?, _ result: CallResult) {
        let id = UInt64(UInt(bitPattern: call))
        if let resume = take(id) { return resume(result) }
        let record = state.withLock { $0.finished[id] }
        record?.violate(
            "a call was completed after it had ended (completed twice, or after its timeout): \(result.summary)")
    }

    private func take(_ id: UInt64) -> (@Sendable (CallResult) -> Void)? {
        state.withLock { state in
            guard let entry = state.waiting.removeValue(forKey: id) else { return nil }
            state.finished[id] = entry.record
            return entry.resume
        }
    }
}
