import DriverKit
import Glibc

@testable import LocalStorageDriver

/// A fresh directory under /tmp, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/bindery-localstorage-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FileSystem.Failure(operation: "mkdtemp", path: "/tmp", code: errno) }
        path = try FileSystem.realPath(String(cString: made))
    }

    func remove() {
        _ = try? removeTree(path)
    }

    private func removeTree(_ path: String) throws {
        if try FileSystem.kind(path) == .directory {
            for name in try FileSystem.names(in: path) { try removeTree(path + "/" + name) }
        }
        try FileSystem.remove(path)
    }

    func write(_ relative: String, _ text: String) throws {
        let full = path + "/" + relative
        try FileSystem.makeDirectories(String(full[..<full.lastIndex(of: "/")!]), mode: 0o777)
        try FileSystem.write(Array(text.utf8), to: full)
    }

    func read(_ relative: String) throws -> [UInt8] {
        try FileSystem.read(path + "/" + relative)
    }

    func link(_ relative: String, to target: String) {
        symlink(target, path + "/" + relative)
    }
}

/// A started driver over `root`.
func startedDriver(root: String) async throws -> LocalStorageDriver {
    let driver = try LocalStorageDriver(configuration: DriverConfiguration(
        componentName: "files", type: "bindings.localstorage", directions: [.output], metadata: ["rootPath": root]))
    try await driver.start()
    return driver
}

extension LocalStorageDriver {
    func call(_ operation: String, _ data: String = "null", fileName: String? = nil) async throws -> InvokeResponse? {
        try await invoke(InvokeRequest(
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
