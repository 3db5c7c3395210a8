/// How a driver call ended, as the driver said it: `BD_OK` or one of the ABI's error codes.
package struct DriverStatus: Sendable, Equatable, CustomStringConvertible {
    /// The ABI's numeric code (0 is success).
    package let code: Int32
    /// The ABI's name for it, e.g. `BD_E_TIMEOUT`: what operators see in errors.
    package let name: String

    package init(code: Int32, name: String) {
        (self.code, self.name) = (code, name)
    }

    package var isOK: Bool { code == 0 }
    /// `BD_E_TIMEOUT` (-6 in bindery_driver.h): a deadline passed.
    package var isTimeout: Bool { code == -6 }
    package var description: String { name }
}

/// An invoke response, copied out of the driver's buffers.
package struct InvokeResponse: Sendable {
    package var data: [UInt8]
    package var metadata: Pairs
    package var contentType: String

    package init(data: [UInt8], metadata: Pairs, contentType: String) {
        (self.data, self.metadata, self.contentType) = (data, metadata, contentType)
    }
}

/// How an invoke ended: a response (none means HTTP 204) or an error status with its text.
package struct InvokeOutcome: Sendable {
    package var status: DriverStatus
    package var response: InvokeResponse?
    package var message: String

    package init(status: DriverStatus, response: InvokeResponse?, message: String) {
        (self.status, self.response, self.message) = (status, response, message)
    }
}

/// An input event, copied out of the driver's buffers.
package struct InputEvent: Sendable {
    package let deliveryID: UInt64
    package let data: [UInt8]
    package let metadata: Pairs
    package let contentType: String

    package init(deliveryID: UInt64, data: [UInt8], metadata: Pairs, contentType: String) {
        (self.deliveryID, self.data, self.metadata, self.contentType) = (deliveryID, data, metadata, contentType)
    }
}

/// An output request as a frontend passes it to a driver.
package struct OutputRequest: Sendable {
    package var operation: String
    package var data: [UInt8]
    package var metadata: Pairs
    /// CLOCK_MONOTONIC nanoseconds; 0 = none.
    package var deadline: UInt64
    package var requestID: String

    package init(operation: String, data: [UInt8], metadata: Pairs, deadline: UInt64 = 0, requestID: String = "") {
        (self.operation, self.data, self.metadata) = (operation, data, metadata)
        (self.deadline, self.requestID) = (deadline, requestID)
    }
}

/// The app's answer to one event, as the driver that emitted it receives it.
package struct Acknowledgement: Sendable {
    package enum Kind: Sendable {
        /// The app answered 2xx: the event is done.
        case ack
        /// The app failed: redeliver if the source can.
        case retry
        /// The event cannot be delivered and must not be retried.
        case drop
    }

    package var kind: Kind
    /// The app's response body.
    package var response: [UInt8]
    /// Why the app failed, for nacks.
    package var error: String?

    package init(_ kind: Kind, response: [UInt8] = [], error: String? = nil) {
        (self.kind, self.response, self.error) = (kind, response, error)
    }
}
