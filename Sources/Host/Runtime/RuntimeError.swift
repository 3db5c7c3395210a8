/// Why a driver instance could not be created, started or run; the message names the component.
struct RuntimeError: Error, CustomStringConvertible, Sendable {
    enum Code: String, Sendable {
        case createFailed, initFailed, initTimedOut, inputFailed, unsupported
    }

    let code: Code
    let component: String
    let reason: String

    var description: String { "\(component): \(reason)" }
}
