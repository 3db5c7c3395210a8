/// Why a driver file could not be loaded. The message names the file and says what to do.
struct LoaderError: Error, CustomStringConvertible, Sendable {
    enum Code: String, Sendable, Codable {
        case unreadable, invalidFile, notADriver, loadFailed, incompatibleABI, entryFailed
        case invalidDescriptor, toolchainMismatch, duplicateType
    }

    let code: Code
    let file: String
    let reason: String

    var description: String { "cannot load \(file): \(reason)" }
}
