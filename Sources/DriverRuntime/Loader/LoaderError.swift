/// Why a driver file could not be loaded. The message names the file and says what to do.
package struct LoaderError: Error, CustomStringConvertible, Sendable {
    package enum Code: String, Sendable, Codable {
        case unreadable, invalidFile, notADriver, loadFailed, incompatibleABI, entryFailed
        case invalidDescriptor, toolchainMismatch, duplicateType
    }

    package let code: Code
    package let file: String
    package let reason: String

    package var description: String { "cannot load \(file): \(reason)" }
}
