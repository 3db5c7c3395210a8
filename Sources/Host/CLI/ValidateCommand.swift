import BinderyCore
import BinderySystem
import Dispatch
import DriverRuntime
import Synchronization

/// `bindery validate`: every problem in the component files, checked against the drivers found,
/// as `file:line:column: error|warning: message`. Exit 1 if any is an error.
enum ValidateCommand {
    static let usage = "bindery validate [--resources-path DIR]... [--drivers-path DIR]... [--app-id ID]"

    static func run(_ words: [String]) throws(Arguments.Failure) -> Int32 {
        let args = try Arguments(
            words, command: "validate", valued: ["resources-path", "components-path", "drivers-path", "app-id"],
            flags: [])
        guard args.positional.isEmpty else { throw Arguments.Failure(description: "usage: \(usage)") }
        let paths = args.all("resources-path") + args.all("components-path")
        guard !paths.isEmpty else {
            throw Arguments.Failure(description: "no --resources-path given (usage: \(usage))")
        }
        let catalog = DriverScan.scan(DriverScan.searchPath(flags: args.all("drivers-path")), loader: Loader())
        let manifest = ComponentLoader.load(
            paths: paths, appID: args.last("app-id") ?? "", environment: Environment.all)
        var problems = manifest.problems
        let available = catalog.drivers.map(\.descriptor.type)
        let builder = GenerationBuilder(catalog: catalog.catalog)
        for component in manifest.components {
            guard let type = ComponentType.resolve(component.type, version: component.version, among: available),
                let driver = catalog.driver(for: type)
            else {
                problems.append(
                    .error(
                        ManifestError(
                            .schema,
                            "component \"\(component.name)\": spec.type \"\(component.type)\" has no driver (known: \(available.sorted().joined(separator: ", ")))",
                            file: component.file, line: component.line, column: 1)))
                continue
            }
            let found = MetadataCheck.check(component, against: driver.descriptor.fields)
            problems += found
            guard !found.contains(where: { $0.severity == .error }) else { continue }
            // What the driver itself refuses when the instance is created (no I/O), such as a
            // combination of fields no single field's schema can express.
            if let refused = Self.created(component, by: builder) {
                problems.append(
                    .error(ManifestError(.invalidValue, refused, file: component.file, line: component.line, column: 1))
                )
            }
        }
        for problem in problems { print(problem.description) }
        let errors = problems.filter { $0.severity == .error }.count
        print("\(manifest.components.count) components, \(errors) errors, \(problems.count - errors) warnings")
        return errors > 0 ? 1 : 0
    }

    /// Why the driver refused to create the component's instances, or nil. The CLI's main
    /// thread waits here for the async check (instances are stopped and destroyed again).
    private static func created(_ component: Component, by builder: GenerationBuilder) -> String? {
        let outcome = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do throws(RegistryError) { try await builder.check(component) } catch {
                let prefix = "\(component.file):\(component.line): "
                let message =
                    error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                outcome.withLock { $0 = message }
            }
            done.signal()
        }
        done.wait()
        return outcome.withLock { $0 }
    }
}
