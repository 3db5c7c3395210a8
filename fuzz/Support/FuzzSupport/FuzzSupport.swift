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

/// The incremental parsers' invariant: `parse` given the `count` input bytes in one piece and
/// given them one byte at a time reaches the same outcome; traps with both when it does not.
package func expectSameOutcomeHoweverBytesArrive<Outcome: Equatable>(
    _ label: String = "", count: Int, _ parse: (_ pieceSize: Int) -> Outcome
) {
    let whole = parse(max(1, count))
    let trickled = parse(1)
    if whole != trickled {
        fatalError("\(label)all at once: \(whole); one byte at a time: \(trickled)")
    }
}
