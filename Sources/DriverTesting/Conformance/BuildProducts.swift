import Foundation

/// Where SwiftPM put what it built: the folder of the running test binary (`.build/<triple>/
/// <configuration>/`), which also holds every product, such as a driver's `lib<name>.so`.
public enum BuildProducts {
    public static let directory: String = {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent().path
    }()

    /// The path of the dynamic library product `product` (`lib<product>.so`).
    public static func library(_ product: String) -> String {
        "\(directory)/lib\(product).so"
    }

    /// The path of the executable product `product` (such as `bindery`); throws naming the build
    /// step when it has not been built.
    public static func executable(_ product: String) throws -> String {
        let path = "\(directory)/\(product)"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestFailure("\(path) is missing: run `swift build` first (it builds every product)")
        }
        return path
    }
}

/// The driver folder of a test file: `up` levels above it (2 for `Plugins/<name>/Tests/X.swift`).
public func driverFolder(_ testFile: String = #filePath, up levels: Int = 2) -> String {
    var url = URL(fileURLWithPath: testFile).deletingLastPathComponent()
    for _ in 1..<max(levels, 1) { url.deleteLastPathComponent() }
    return url.path
}
