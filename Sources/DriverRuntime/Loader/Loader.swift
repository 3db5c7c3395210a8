import BinderyCore
import BinderySystem
import Glibc
import PluginABI
import Synchronization

/// Verifies driver files and loads them: checks the ELF file without running it, loads a
/// private content-addressed copy, negotiates the ABI and validates the descriptor.
/// The only part of the host that calls `dlopen`.
package final class Loader: Sendable {
    let policy: LoaderPolicy
    /// Outcomes by content hash: an image is loaded once and reused; a refused content is not
    /// loaded again (its mapping, if any, stays: images are never unloaded).
    private let outcomes = Mutex<[String: Result<DriverImage, LoaderError>]>([:])

    package init(policy: LoaderPolicy = .fromEnvironment()) {
        self.policy = policy
    }

    /// The number of driver images mapped into this process.
    package var retainedImages: Int {
        outcomes.withLock { $0.values.count { if case .success = $0 { true } else { false } } }
    }

    /// Loads the driver in `file`. Errors name the file and say why.
    package func load(_ file: String) throws(LoaderError) -> LoadedDriver {
        let bytes: [UInt8]
        do { bytes = try Files.read(file) } catch {
            throw LoaderError(code: .unreadable, file: file, reason: error.description)
        }
        try Self.verify(bytes, file: file)
        let sha = SHA256.hex(bytes)
        if let known = outcomes.withLock({ $0[sha] }) {
            switch known {
            case .success(let image): return LoadedDriver(file: file, image: image)
            case .failure(let error): throw LoaderError(code: error.code, file: file, reason: error.reason)
            }
        }
        let result = Result { () throws(LoaderError) in try loadImage(bytes, sha: sha, file: file) }
        outcomes.withLock { $0[sha] = result }
        return LoadedDriver(file: file, image: try result.get())
    }

    /// Checks that `bytes` is a complete ELF shared library exporting the entry symbol.
    static func verify(_ bytes: [UInt8], file: String) throws(LoaderError) {
        let elf: ELFFile
        do { elf = try ELFFile(bytes: bytes) } catch {
            throw LoaderError(code: .invalidFile, file: file, reason: error.reason)
        }
        guard elf.exports(BD_ENTRY_SYMBOL) else {
            throw LoaderError(
                code: .notADriver, file: file,
                reason: "entry symbol \(BD_ENTRY_SYMBOL) missing (not a bindery driver?)")
        }
    }

    private func loadImage(_ bytes: [UInt8], sha: String, file: String) throws(LoaderError) -> DriverImage {
        let copy = try privateCopy(bytes, sha: sha, file: file)
        defer { unlink(copy) }  // the mapping stays; the name is not needed after dlopen
        let handle: UnsafeMutableRawPointer
        switch DynamicLibrary.open(copy) {
        case .success(let opened): handle = opened
        case .failure(let failure):
            throw LoaderError(code: .loadFailed, file: file, reason: "dlopen: \(failure.reason)")
        }
        guard let entry = DynamicLibrary.entry(handle) else {
            throw LoaderError(code: .notADriver, file: file, reason: "dlsym found no \(BD_ENTRY_SYMBOL)")
        }
        let (api, minor) = try negotiate(entry, file: file)
        let descriptor: DriverDescriptor
        do { descriptor = try DriverDescriptor(reading: api.pointee.descriptor.pointee) } catch {
            throw LoaderError(code: .invalidDescriptor, file: file, reason: "invalid descriptor: \(error.reason)")
        }
        try checkToolchain(descriptor, file: file)
        return DriverImage(api: api, descriptor: descriptor, sha256: sha, abiMinor: minor)
    }

    /// Writes the verified bytes (not the watched file, which may change) to a private name.
    private func privateCopy(_ bytes: [UInt8], sha: String, file: String) throws(LoaderError) -> String {
        let path = FilePath.join(policy.imageDirectory, "\(sha)-\(getpid()).so")
        do {
            try Files.makeDirectory(policy.imageDirectory)
            try Files.writeAtomically(bytes, to: path, mode: 0o500)
        } catch {
            throw LoaderError(code: .unreadable, file: file, reason: "cannot write private copy: \(error.description)")
        }
        return path
    }
}
