import BinderyCore
import PluginABI

extension Loader {
    /// Calls the driver's entry function and checks the versions it agreed to.
    func negotiate(
        _ entry: bd_driver_entry_fn, file: String
    ) throws(LoaderError) -> (UnsafePointer<bd_driver_api>, UInt16) {
        var io = bd_negotiation()
        io.struct_size = UInt32(MemoryLayout<bd_negotiation>.size)
        io.abi_major = UInt16(BD_ABI_MAJOR)
        io.host_minor_min = policy.minimumMinor
        io.host_minor_max = policy.maximumMinor
        var api: UnsafePointer<bd_driver_api>?
        let (status, message) = ErrorBuffer.with { entry(HostTable.pointer, &io, &api, $0) }
        let speaks = "driver speaks ABI \(io.driver_major).\(io.driver_minor), this host speaks \(policy.hostRange)"
        if status == BD_E_INCOMPATIBLE || (status == BD_OK && io.driver_major != UInt16(BD_ABI_MAJOR)) {
            throw LoaderError(
                code: .incompatibleABI, file: file,
                reason: "\(speaks): rebuild it against PluginABI \(BD_ABI_MAJOR).x")
        }
        guard status == BD_OK else {
            let detail = message.isEmpty ? "" : ": \(message)"
            throw LoaderError(
                code: .entryFailed, file: file, reason: "\(BD_ENTRY_SYMBOL) returned \(statusName(status))\(detail)")
        }
        guard io.agreed_minor >= policy.minimumMinor, io.agreed_minor <= policy.maximumMinor else {
            throw LoaderError(
                code: .incompatibleABI, file: file,
                reason:
                    "\(speaks), agreed on 1.\(io.agreed_minor): rebuild it against PluginABI \(BD_ABI_MAJOR).\(policy.minimumMinor) or newer"
            )
        }
        guard let api else {
            throw LoaderError(
                code: .entryFailed, file: file, reason: "\(BD_ENTRY_SYMBOL) returned BD_OK but no driver table")
        }
        try checkTable(api, file: file)
        return (api, io.agreed_minor)
    }

    private func checkTable(_ api: UnsafePointer<bd_driver_api>, file: String) throws(LoaderError) {
        let t = api.pointee
        let minimumSize = MemoryLayout<bd_driver_api>.offset(of: \.destroy)! + MemoryLayout<Int>.size
        var missing: [String] = []
        if Int(t.struct_size) < minimumSize { missing.append("struct_size \(t.struct_size) < \(minimumSize)") }
        if t.abi_major != UInt16(BD_ABI_MAJOR) { missing.append("table abi_major \(t.abi_major)") }
        if t.descriptor == nil { missing.append("descriptor") }
        if t.create == nil { missing.append("create") }
        if t.`init` == nil { missing.append("init") }
        if t.stop == nil { missing.append("stop") }
        if t.destroy == nil { missing.append("destroy") }
        guard missing.isEmpty else {
            throw LoaderError(
                code: .invalidDescriptor, file: file,
                reason: "invalid driver table: missing or wrong \(missing.joined(separator: ", "))")
        }
    }

    /// Refuses a driver that shares the host's Swift runtime but was built by another toolchain.
    func checkToolchain(_ descriptor: DriverDescriptor, file: String) throws(LoaderError) {
        let toolchain = descriptor.toolchain
        guard toolchain.hasPrefix("swift-"), toolchain.hasSuffix("/shared"), !policy.allowToolchainMismatch else {
            return
        }
        let version = toolchain.dropFirst("swift-".count).dropLast("/shared".count)
        guard version == LoaderPolicy.hostSwift else {
            throw LoaderError(
                code: .toolchainMismatch, file: file,
                reason:
                    "driver \(descriptor.type) was built with Swift \(version) against the shared Swift runtime, this host runs Swift \(LoaderPolicy.hostSwift): rebuild it with Swift \(LoaderPolicy.hostSwift), or build it with -static-stdlib"
            )
        }
    }
}
