import DriverTesting
import Foundation

/// Where things are: the package root (from this file's path) and its build products.
package enum Paths {
    package static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // file, HostTestSupport, Tests
        return url.path
    }()

    package static var header: String { "\(root)/Sources/PluginABI/include" }
    /// The C and Swift test drivers' sources, and the test apps.
    package static var fixtures: String { "\(root)/Tests/HostTests/Fixtures" }

    /// The bindery executable `swift build` produced (scripts/test builds before testing).
    package static var bindery: String { get throws { try BuildProducts.executable("bindery") } }
}
