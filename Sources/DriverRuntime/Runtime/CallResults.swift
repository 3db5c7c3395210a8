import BinderyCore
import PluginABI

/// How an init, start_input or stop call ended.
package struct OpResult: Sendable {
    package let status: bd_status
    package let message: String
}

extension DriverStatus {
    /// The status a driver returned, with the ABI's name for it.
    package init(_ status: bd_status) {
        self.init(code: status, name: statusName(status))
    }
}

extension InvokeOutcome {
    package init(status: bd_status, message: String) {
        self.init(status: DriverStatus(status), response: nil, message: message)
    }

    /// Copies what the driver passed to invoke_complete; takes over owned bytes and releases them.
    package init(status: bd_status, response: UnsafePointer<bd_invoke_response>?, error: UnsafePointer<bd_error>?) {
        let message = error.map { String($0.pointee.message) } ?? ""
        guard let r = response?.pointee else {
            self.init(status: DriverStatus(status), response: nil, message: message)
            return
        }
        var data = [UInt8](r.data)
        if let release = r.owned.release {
            data = [UInt8](bd_bytes(ptr: r.owned.ptr, len: r.owned.len))
            release(r.owned.release_ctx)
        }
        let copied = InvokeResponse(data: data, metadata: pairs(r.metadata), contentType: String(r.content_type))
        self.init(status: DriverStatus(status), response: copied, message: message)
    }
}

extension InputEvent {
    /// Copies an event out of the driver's borrowed buffers.
    package init(copying e: bd_input_event) {
        self.init(
            deliveryID: e.delivery_id, data: [UInt8](e.data), metadata: pairs(e.metadata),
            contentType: String(e.content_type))
    }
}
