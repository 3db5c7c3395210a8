import COpenat2
import DriverKit
import Glibc

/// The four operations with Dapr's semantics (components-contrib bindings/localstorage), on
/// regular files only: a FIFO, socket or device under the root is refused, never opened in a
/// way that could wait (issue 9, item 7). Blocking: runs on the driver's I/O thread.
struct Operations {
    let root: StorageRoot

    func perform(_ operation: String, fileName: String, data: [UInt8]) throws -> InvokeResponse? {
        switch operation {
        case "create": return try create(fileName.isEmpty ? RandomUUID.v4() : fileName, data: data)
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
        do {
            // O_NONBLOCK: opening a FIFO for writing would wait for a reader.
            let file = try root.open(
                target.components, flags: O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK, mode: 0o666, makingParents: true)
            try requireRegularFile(file)
            try file.writeAll(content)
        } catch {
            throw failure(error, on: target, "write")
        }
        return InvokeResponse(data: Array("{\"fileName\":\(GoJSON.string(target.relative))}".utf8))
    }

    /// The file's bytes; a missing file is `file not found: <absolute path>`.
    func get(_ fileName: String) throws -> InvokeResponse {
        let target = try named(fileName, for: "get")
        do {
            // O_NONBLOCK: opening a FIFO for reading would wait for a writer.
            let file = try root.open(target.components, flags: O_RDONLY | O_NONBLOCK)
            try requireRegularFile(file)
            return InvokeResponse(data: try file.readAll())
        } catch PathError.failed(let failure) where failure.isMissing {
            throw DriverError(.notFound, "file not found: \(target.absolute)")
        } catch {
            throw failure(error, on: target, "read")
        }
    }

    /// A JSON array of the absolute paths of every entry that is not a directory under the root
    /// (or the `fileName` sub-directory), recursively; symlinks are listed, not followed.
    func list(_ fileName: String) throws -> InvokeResponse {
        let target = try root.resolve(fileName)
        let files: [String]
        do {
            let directory = try root.open(target.components, flags: O_RDONLY | O_DIRECTORY | O_NONBLOCK)
            files = try DirectoryListing.files(in: directory, shownAs: target.absolute)
        } catch PathError.failed(let failure) where failure.code == ENOENT {
            throw DriverError(.notFound, "stat \(target.absolute): no such file or directory")
        } catch PathError.failed(let failure) where failure.code == ENOTDIR {
            throw DriverError(
                .invalidArgument,
                "unable to list files as the file specified is not a directory [\(target.absolute)]")
        } catch {
            throw failure(error, on: target, "list")
        }
        return InvokeResponse(data: Array(GoJSON.array(files).utf8))
    }

    /// Removes the entry the name ends in (a file, a symlink itself and not its target, or an
    /// empty directory); missing is an error, as in Dapr.
    func delete(_ fileName: String) throws {
        let target = try named(fileName, for: "delete")
        do {
            let (directory, name) = try root.openParent(target.components)
            try directory.removeEntry(name)
        } catch PathError.failed(let failure) where failure.isMissing {
            throw DriverError(.notFound, "remove \(target.absolute): no such file or directory")
        } catch let failure as FileSystem.Failure where failure.isMissing {
            throw DriverError(.notFound, "remove \(target.absolute): no such file or directory")
        } catch {
            throw failure(error, on: target, "delete")
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

    /// A file that is not a regular file, named by its kind.
    private struct NotRegular: Error { var kind: FileSystem.Kind }

    private func requireRegularFile(_ file: Descriptor) throws {
        let kind = try file.kind()
        guard kind == .file else { throw NotRegular(kind: kind) }
    }

    /// The driver error for `error` while working on `target` (`verb`: read, write, …).
    private func failure(_ error: any Error, on target: StorageRoot.Target, _ verb: String) -> DriverError {
        // open(2) with O_NONBLOCK answers ENXIO for a FIFO without a reader and for a socket.
        if case PathError.failed(let failure) = error, failure.code == ENXIO,
            let kind = try? root.open(target.components, flags: BD_O_PATH).kind(), kind != .file
        {
            return notRegular(kind, target, verb)
        }
        switch error {
        case let error as DriverError: return error
        case let error as NotRegular: return notRegular(error.kind, target, verb)
        case PathError.outside(let resolved):
            return DriverError(
                .invalidArgument,
                "fileName '\(target.fileName)' resolves to '\(resolved)' through a symlink, outside rootPath '\(root.path)'"
            )
        case PathError.failed(let failure):
            return DriverError(.internalError, "cannot \(verb) \(target.absolute): \(failure)")
        default: return DriverError(.internalError, "cannot \(verb) \(target.absolute): \(error)")
        }
    }

    private func notRegular(_ kind: FileSystem.Kind, _ target: StorageRoot.Target, _ verb: String) -> DriverError {
        DriverError(.invalidArgument, "cannot \(verb) \(target.absolute): it is \(kind), not a regular file")
    }
}
