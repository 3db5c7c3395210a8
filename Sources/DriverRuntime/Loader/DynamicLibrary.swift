import Glibc
import PluginABI

/// The only caller of `dlopen`/`dlsym` in the host.
package enum DynamicLibrary {
    /// Opens a private copy for good: `RTLD_NODELETE` because unloading a Swift library crashes
    /// the host later (plugin-abi.md B3), and nothing ever calls `dlclose`.
    package static func open(_ path: String) -> Result<UnsafeMutableRawPointer, OpenFailure> {
        _ = dlerror()
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            return .failure(OpenFailure(reason: dlerror().map { String(cString: $0) } ?? "dlopen failed"))
        }
        return .success(handle)
    }

    package static func entry(_ handle: UnsafeMutableRawPointer) -> bd_driver_entry_fn? {
        guard let symbol = dlsym(handle, BD_ENTRY_SYMBOL) else { return nil }
        return unsafeBitCast(symbol, to: bd_driver_entry_fn.self)
    }
}

package struct OpenFailure: Error {
    package let reason: String
}
