import Glibc
import LibFuzzer

/// What a fuzz target tests: one input, as libFuzzer's `LLVMFuzzerTestOneInput` receives it.
package typealias FuzzTest = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Runs libFuzzer over `test` with this program's command line (libFuzzer's options and corpus
/// folders) and exits with its status: non-zero after a crash, a leak or a timeout.
package func runFuzzer(_ test: FuzzTest) -> Never {
    exit(bindery_fuzz_run(CommandLine.argc, CommandLine.unsafeArgv, test))
}

/// The input as an array (the parsers take arrays or copy into one anyway).
package func input(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}
