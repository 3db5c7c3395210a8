/// The Swift toolchain this driver was compiled with, as the descriptor reports it.
///
/// A driver that links the shared Swift runtime binds to the host's `libswiftCore.so`, and Swift
/// promises a stable ABI only on Apple platforms, so the host refuses a `/shared` driver whose
/// version differs from its own (reference: plugin-abi.md B7).
enum SwiftToolchain {
    static let descriptorName = "swift-\(version)/shared"

    static var version: String {
        #if compiler(>=6.5)
            return "6.5+"
        #elseif compiler(>=6.4)
            return "6.4"
        #elseif compiler(>=6.3.3)
            return "6.3.3"
        #elseif compiler(>=6.3.2)
            return "6.3.2"
        #elseif compiler(>=6.3.1)
            return "6.3.1"
        #elseif compiler(>=6.3)
            return "6.3.0"
        #else
            return "6.2-or-older"
        #endif
    }
}
