/// Why a component could not be made to serve. The message names the component and its file.
package struct RegistryError: Error, CustomStringConvertible, Sendable {
    package enum Code: String, Sendable {
        case unknownType, unsupportedDirection, invalidMetadata, createFailed, initFailed
    }

    package let code: Code
    package let message: String

    package var description: String { message }
}
