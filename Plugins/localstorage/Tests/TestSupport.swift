import DriverKit
import DriverTesting

@testable import LocalStorageDriver

/// A started driver over `root`, resolving paths the way `resolution` says.
func startedDriver(root: String, resolution: StorageRoot.Resolution = .openat2) async throws -> LocalStorageDriver {
    let driver = try LocalStorageDriver(
        configuration: DriverConfiguration(
            componentName: "files", type: "bindings.localstorage", directions: [.output], metadata: ["rootPath": root]),
        resolution: resolution)
    try await driver.start()
    return driver
}

extension LocalStorageDriver {
    func call(_ operation: String, _ data: String = "null", fileName: String? = nil) async throws -> InvokeResponse? {
        try await invoke(
            InvokeRequest(
                operation: operation, data: Array(data.utf8), metadata: fileName.map { ["fileName": $0] } ?? [:]))
    }

    /// The error message of a call that must fail.
    func failure(_ operation: String, _ data: String = "null", fileName: String? = nil) async -> String {
        do {
            _ = try await call(operation, data, fileName: fileName)
            return "no error"
        } catch {
            return (error as? DriverError)?.message ?? "not a DriverError: \(error)"
        }
    }
}

extension Optional where Wrapped == InvokeResponse {
    var text: String { self.map { String(decoding: $0.data, as: UTF8.self) } ?? "<no response>" }
}
