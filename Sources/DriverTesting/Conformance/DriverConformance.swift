import Foundation
import PluginABI
import Testing

/// The checks every driver passes, run against its built `.so` and its folder
/// (`example.yaml`, `metadata.yaml`, `README.md`), in a driver's own tests:
///
/// ```swift
/// @Test func passesTheConformanceSuite() async throws {
///     let redis = try await ServerProcess.redis()
///     try await DriverConformance(
///         folder: driverFolder(), library: BuildProducts.library("bindery-redis"),
///         overrides: ["redisHost": redis.address]
///     ).run()
/// }
/// ```
///
/// It checks that metadata.yaml and the README agree with the descriptor, that the example
/// component names the driver and only its fields, and then, per declared direction, creates an
/// instance from the example (with `overrides`, and the declared defaults applied as the host
/// does), inits it, calls every declared operation and one undeclared one, starts input (and,
/// given an `inputTrigger`, waits for an event), stops twice and destroys it. Every call must complete within `timeout`. A folder without
/// example.yaml, metadata.yaml or README.md fails.
public struct DriverConformance: Sendable {
    /// What an operation is called with.
    public struct Request: Sendable {
        public var data: [UInt8]
        public var metadata: [String: String]

        public init(data: String = "{\"conformance\":true}", metadata: [String: String] = [:]) {
            self.data = Array(data.utf8)
            self.metadata = metadata
        }
    }

    public var folder: String
    public var library: String
    /// Metadata that replaces or adds to the example's (a launched server's address, a
    /// temporary folder), matched case-insensitively.
    public var overrides: [String: String]
    /// The request per operation; operations not listed get `Request()`.
    public var requests: [String: Request]
    /// Makes the source emit (publishes a message, say); run once input has started. When set,
    /// the input instance must emit an event within `timeout` of it: `{}` for a source that
    /// emits on its own (a short interval in `overrides`). nil: input only starts and stops.
    public var inputTrigger: (@Sendable () async throws -> Void)?
    /// How long each call (and the wait for an input event) may take.
    public var timeout: Duration

    public init(
        folder: String, library: String, overrides: [String: String] = [:], requests: [String: Request] = [:],
        inputTrigger: (@Sendable () async throws -> Void)? = nil, timeout: Duration = .seconds(10)
    ) {
        self.folder = folder
        self.library = library
        self.overrides = overrides
        self.requests = requests
        self.inputTrigger = inputTrigger
        self.timeout = timeout
    }

    /// Runs every check and records each problem as a test issue at `sourceLocation`.
    public func run(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for problem in try await problems() {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }

    /// Every problem found, as sentences naming the driver and the check; empty when it conforms.
    /// Throws when the folder's files are missing or unreadable or the library does not load.
    public func problems() async throws -> [String] {
        let example = try ComponentExample(contentsOf: "\(folder)/example.yaml")
        let metadata = try MetadataFile(contentsOf: "\(folder)/metadata.yaml")
        guard let readme = FileManager.default.contents(atPath: "\(folder)/README.md") else {
            throw TestFailure(
                "\(folder)/README.md is missing: every driver folder needs one (step 4 of bindery's CONTRIBUTING.md says what it holds)"
            )
        }
        let driver = try DriverLibrary(path: library)
        var problems = Self.documentationProblems(
            driver.descriptor, metadata, readme: String(decoding: readme, as: UTF8.self), example: example)
        problems += Self.exampleProblems(driver.descriptor, example)
        for direction in driver.descriptor.directions {
            problems += await lifecycleProblems(driver, example, direction: direction)
        }
        return problems.map { "\(driver.descriptor.type): \($0)" }
    }
}
