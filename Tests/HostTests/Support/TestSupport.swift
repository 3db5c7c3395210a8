import DriverTesting
import Foundation

/// Where things are: the package root (from this file's path) and its build products.
enum Paths {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Support, HostTests, Tests, file
        return url.path
    }()

    static var header: String { "\(root)/Sources/PluginABI/include" }
    static var fixtures: String { "\(root)/Tests/HostTests/Fixtures" }

    /// The bindery executable `swift build` produced (scripts/test builds before testing).
    static var bindery: String { get throws { try BuildProducts.executable("bindery") } }
}
