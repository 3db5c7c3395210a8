/// Why a component could not be made to serve. The message names the component and its file.
struct RegistryError: Error, CustomStringConvertible, Sendable {
    enum Code: String, Sendable {
        case unknownType, unsupportedDirection, invalidMetadata, createFailed, initFailed
    }

    let code: Code
    let message: String

    var description: String { message }
}
