import BinderySystem

/// Whether the app's port accepts TCP connections (daprd dials every 100 ms with a 500 ms
/// timeout before it starts input bindings).
package enum AppPort {
    /// One connection attempt; true when it was accepted.
    static func isOpen(address: String, port: Int, timeoutMilliseconds: Int32 = 500) -> Bool {
        guard let fd = try? Socket.connect(host: address, port: port, timeoutMilliseconds: timeoutMilliseconds) else {
            return false
        }
        Socket.close(fd)
        return true
    }

    /// Waits until the port is open, logging every ~10 s as daprd does, or until `isCancelled`.
    package static func waitUntilOpen(address: String, port: Int, isCancelled: @Sendable () -> Bool) async -> Bool {
        var attempts = 0
        while !isCancelled() {
            if isOpen(address: address, port: port) { return true }
            attempts += 1
            if attempts % 100 == 0 { Log.info("waiting for application to listen on port \(port)") }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
