import PluginABI

#if canImport(Glibc)
    import Glibc
#endif

/// A built driver (`.so`) loaded into the test process the way bindery loads it: `dlopen`
/// (`RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE`, never closed), `bd_driver_entry` looked up and
/// called with `TestHost`'s table, ABI 1.x negotiated.
///
/// Unlike bindery it loads the file in place (no private copy), so do not rebuild the file
/// while a test runs.
public struct DriverLibrary: @unchecked Sendable {
    // @unchecked Sendable: `api` points to the driver's static table, which the header says
    // stays valid and unchanged for the life of the process.
    public let path: String
    public let descriptor: LoadedDescriptor
    /// The minor version both sides agreed on.
    public let agreedMinor: UInt16
    let api: UnsafePointer<bd_driver_api>

    /// Loads `path` and negotiates; the error says which step failed and why.
    public init(path: String) throws {
        guard access(path, R_OK) == 0 else {
            throw TestFailure("\(path) is missing: build the driver first (`swift build` builds every product)")
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            throw TestFailure("cannot load \(path): \(dlerror().map { String(cString: $0) } ?? "dlopen failed")")
        }
        guard let symbol = dlsym(handle, BD_ENTRY_SYMBOL) else {
            throw TestFailure("cannot load \(path): entry symbol \(BD_ENTRY_SYMBOL) missing (not a bindery driver?)")
        }
        let entry = unsafeBitCast(symbol, to: bd_driver_entry_fn.self)
        var io = bd_negotiation()
        io.struct_size = UInt32(MemoryLayout<bd_negotiation>.size)
        io.abi_major = UInt16(BD_ABI_MAJOR)
        io.host_minor_min = 0
        io.host_minor_max = UInt16(BD_ABI_MINOR)
        var table: UnsafePointer<bd_driver_api>?
        var message = [CChar](repeating: 0, count: 512)
        var messageLength = 0
        let status = message.withUnsafeMutableBufferPointer { buffer in
            var error = bd_error_buf(
                struct_size: UInt32(MemoryLayout<bd_error_buf>.size), code: 0, flags: 0,
                message: buffer.baseAddress, message_cap: buffer.count, message_len: 0)
            defer { messageLength = error.message_len }
            return entry(TestHost.table, &io, &table, &error)
        }
        guard status == BD_OK else {
            throw TestFailure(
                "cannot load \(path): bd_driver_entry returned \(ABIStatus.name(status)) (driver ABI \(io.driver_major).\(io.driver_minor), "
                    + "this host speaks \(BD_ABI_MAJOR).0–\(BD_ABI_MAJOR).\(BD_ABI_MINOR)): \(CStrings.text(message, count: messageLength))"
            )
        }
        guard let table, let descriptor = table.pointee.descriptor else {
            throw TestFailure("cannot load \(path): bd_driver_entry returned BD_OK without a table or a descriptor")
        }
        self.path = path
        self.api = table
        self.agreedMinor = io.agreed_minor
        self.descriptor = LoadedDescriptor(descriptor.pointee)
    }
}

/// Status codes by name, for messages.
public enum ABIStatus {
    /// The header's names of BD_OK (0) down to BD_E_INTERNAL (-9), in that order.
    private static let names = [
        "OK", "E_INVALID_ARG", "E_INCOMPATIBLE", "E_UNSUPPORTED", "E_BUSY", "E_UNAVAILABLE", "E_TIMEOUT", "E_CANCELLED",
        "E_NOT_FOUND", "E_INTERNAL",
    ]

    /// "BD_E_NOT_FOUND" for -8; "status 7" for a code the header does not define.
    public static func name(_ status: bd_status) -> String {
        status <= 0 && Int(-status) < names.count ? "BD_" + names[Int(-status)] : "status \(status)"
    }
}
