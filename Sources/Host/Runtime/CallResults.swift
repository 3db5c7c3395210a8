import PluginABI

/// How an init, start_input or stop call ended.
struct OpResult: Sendable {
    let status: bd_status
    let message: String
}

/// An invoke response, copied out of the driver's borrowed buffers.
struct InvokeResponse: Sendable {
    var data: [UInt8]
    var metadata: Pairs
    var contentType: String
}

/// How an invoke call ended: a response (or none, for HTTP 204) or an error with its text.
struct InvokeOutcome: Sendable {
    var status: bd_status
    var response: InvokeResponse?
    var message: String

    init(status: bd_status, response: InvokeResponse?, message: String) {
        self.status = status
        self.response = response
        self.message = message
    }

    /// Copies what the driver passed to invoke_complete; takes over owned bytes and releases them.
    init(status: bd_status, response: UnsafePointer<bd_invoke_response>?, error: UnsafePointer<bd_error>?) {
        self.status = status
        self.message = error.map { String($0.pointee.message) } ?? ""
        guard let r = response?.pointee else {
            self.response = nil
            return
        }
        var data = [UInt8](r.data)
        if let release = r.owned.release {
            data = [UInt8](bd_bytes(ptr: r.owned.ptr, len: r.owned.len))
            release(r.owned.release_ctx)
        }
        self.response = InvokeResponse(data: data, metadata: pairs(r.metadata), contentType: String(r.content_type))
    }
}

/// An input event, copied out of the driver's borrowed buffers.
struct InputEvent: Sendable {
    let deliveryID: UInt64
    let data: [UInt8]
    let metadata: Pairs
    let contentType: String

    init(copying e: bd_input_event) {
        deliveryID = e.delivery_id
        data = [UInt8](e.data)
        metadata = pairs(e.metadata)
        contentType = String(e.content_type)
    }
}

/// An output request as the runtime passes it to a driver.
struct OutputRequest: Sendable {
    var operation: String
    var data: [UInt8]
    var metadata: Pairs
    /// CLOCK_MONOTONIC nanoseconds; 0 = none.
    var deadline: UInt64 = 0
    var requestID: String = ""
}
