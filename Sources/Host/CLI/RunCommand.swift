import BinderySystem
import Dispatch
import Synchronization

/// `bindery run`: the sidecar. Blocks the calling (main) thread until it ends.
enum RunCommand {
    static func run(_ words: [String]) throws(Arguments.Failure) -> Int32 {
        let options = try RunOptions(words)
        Log.settings.withLock {
            $0.threshold = options.logLevel
            $0.json = options.logAsJSON
        }
        Signals.block()  // before any other thread exists, so all inherit the mask
        let status = Mutex<Int32>(0)
        let done = DispatchSemaphore(value: 0)
        Task {
            let result = await Sidecar.run(options)
            status.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return status.withLock { $0 }
    }
}
