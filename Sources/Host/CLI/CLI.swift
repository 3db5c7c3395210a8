import DriverRuntime
import Glibc

/// Dispatches `bindery <command> ...` and turns failures into one line on stderr.
enum CLI {
    static let help = """
        bindery: a host for Dapr bindings whose drivers are shared libraries.

        usage:
          \(DriversCommand.usage)
              list every driver in the drivers path, then every refused file
          \(InspectCommand.usage)
              print one driver's descriptor and metadata fields
          \(RunOptions.usage)
              run the sidecar: serve the Dapr bindings API, deliver input events to the app
          \(ValidateCommand.usage)
              check component files against the drivers found; exit 1 on any error
          bindery version
              print bindery's version and the driver ABI it speaks

        The drivers path is --drivers-path (repeatable), else BINDERY_DRIVERS_PATH
        (colon-separated), else the folder of the bindery executable.
        """

    static let version = "0.1.0"

    static func run(_ words: [String]) -> Int32 {
        guard let command = words.first else {
            print(help)
            return 2
        }
        let rest = Array(words.dropFirst())
        do {
            switch command {
            case "drivers": return try DriversCommand.run(rest)
            case "inspect": return try InspectCommand.run(rest)
            case "run": return try RunCommand.run(rest)
            case "validate": return try ValidateCommand.run(rest)
            case "version", "--version":
                print("bindery \(version) (driver ABI \(LoaderPolicy().hostRange), Swift \(LoaderPolicy.hostSwift))")
                return 0
            case "help", "--help", "-h":
                print(help)
                return 0
            default:
                fail("unknown command '\(command)' (see 'bindery help')")
                return 2
            }
        } catch {
            fail(error.description)
            return 2
        }
    }

    /// One line on stderr, prefixed with the program name.
    static func fail(_ message: String) {
        var line = Array("bindery: \(message)\n".utf8)
        _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
