import DriverKit

/// The four operations with Dapr's semantics (components-contrib bindings/localstorage).
/// Blocking: runs on the driver's I/O thread.
struct Operations {
    let root: StorageRoot

    func perform(_ operation: String, fileName: String, data: [UInt8]) throws -> InvokeResponse? {
        switch operation {
        case "create": return try create(fileName.isEmpty ? RandomName.uuid() : fileName, data: data)
        case "get": return try get(fileName)
        case "list": return try list(fileName)
        case "delete":
            try delete(fileName)
            return nil
        default: throw DriverError(.unsupported, "operation \"\(operation)\" is not supported")
        }
    }

    /// Writes the file (parents created) and answers `{"fileName":"<relative path>"}`.
    ///
    /// Dapr quirk kept: a JSON string is unquoted, then base64-decoded when it is valid base64
    /// (so the text "test" is stored as 3 binary bytes; `null` data stores its decoding too).
    func create(_ fileName: String, data: [UInt8]) throws -> InvokeResponse {
        let target = try root.resolve(fileName)
        guard !target.relative.isEmpty else {
            throw DriverError(.invalidArgument, "fileName '\(fileName)' names rootPath itself")
        }
        var content = GoUnquote.bytes(data) ?? data
        if let decoded = GoBase64.decode(content) { content = decoded }
        try io {
            let parent = String(target.real[..<(target.real.lastIndex(of: "/") ?? target.real.startIndex)])
            try FileSystem.makeDirectories(parent.isEmpty ? "/" : parent, mode: 0o777)
            try FileSystem.write(content, to: target.real)
        }
        return InvokeResponse(data: Array("{\"fileName\":\(GoJSON.string(target.relative))}".utf8))
    }

    /// The file's bytes; a missing file is `file not found: <absolute path>`.
    func get(_ fileName: String) throws -> InvokeResponse {
        let target = try named(fileName, for: "get")
        do {
            return InvokeResponse(data: try FileSystem.read(target.real))
        } catch  where error.isMissing {
            throw DriverError(.notFound, "file not found: \(target.absolute)")
        } catch {
            throw DriverError(.internalError, "cannot read \(target.absolute): \(error)")
        }
    }

    /// A JSON array of the absolute paths of every file under the root (or the `fileName`
    /// sub-directory), recursively.
    func list(_ fileName: String) throws -> InvokeResponse {
        let target = try root.resolve(fileName)
        let kind = try io { try FileSystem.kind(target.real) }
        guard let kind else { throw DriverError(.notFound, "stat \(target.absolute): no such file or directory") }
        guard kind == .directory else {
            throw DriverError(
                .invalidArgument,
                "unable to list files as the file specified is not a directory [\(target.absolute)]")
        }
        let real = try io { try FileSystem.walk(target.real) }
        // Report paths under the root as configured-and-resolved, not through inner symlinks.
        let files = real.map { target.absolute + $0.dropFirst(target.real.count) }
        return InvokeResponse(data: Array(GoJSON.array(files).utf8))
    }

    /// Removes the file; missing is an error, as in Dapr.
    func delete(_ fileName: String) throws {
        let target = try named(fileName, for: "delete")
        do {
            try FileSystem.remove(target.real)
        } catch  where error.isMissing {
            throw DriverError(.notFound, "remove \(target.absolute): no such file or directory")
        } catch {
            throw DriverError(.internalError, "cannot delete \(target.absolute): \(error)")
        }
    }

    private func named(_ fileName: String, for operation: String) throws -> StorageRoot.Target {
        let target = try root.resolve(fileName)
        guard !target.relative.isEmpty else {
            throw DriverError(
                .invalidArgument, "\(operation) needs the fileName metadata (a path relative to rootPath)")
        }
        return target
    }

    /// Runs `body`, turning file-system failures into driver errors.
    private func io<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let failure as FileSystem.Failure {
            throw DriverError(.internalError, failure.description)
        }
    }
}
