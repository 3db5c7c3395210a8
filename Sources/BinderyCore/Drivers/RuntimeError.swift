/// Why a driver instance could not be created, started or run; the message names the component.
package struct RuntimeError: Error, CustomStringConvertible, Sendable {
    package enum Code: String, Sendable {
        case createFailed, initFailed, initTimedOut, inputFailed, unsupported
    }

    package let code: Code
    package let component: String
    package let reason: String

    package init(code: Code, component: String, reason: String) {
        self.code = code
        self.component = component
        self.reason = reason
    }

    package var description: String { "\(component): \(reason)" }
}
