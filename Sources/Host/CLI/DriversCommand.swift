import BinderyCore
import DriverRuntime

/// `bindery drivers [--drivers-path DIR]... [--json]`: every driver found, then every refused file.
enum DriversCommand {
    static let usage = "bindery drivers [--drivers-path DIR]... [--json]"

    static func run(_ words: [String]) throws(Arguments.Failure) -> Int32 {
        let args = try Arguments(words, command: "drivers", valued: ["drivers-path"], flags: ["json"])
        guard args.positional.isEmpty else { throw Arguments.Failure(description: "usage: \(usage)") }
        let catalog = DriverScan.scan(DriverScan.searchPath(flags: args.all("drivers-path")), loader: Loader())
        if args.flag("json") {
            print(JSONOutput.render(Listing(catalog)))
        } else {
            print(text(catalog))
        }
        return 0
    }

    struct Listing: Encodable {
        let searchPath: [String]
        let drivers: [DriverReport]
        let rejected: [DriverScan.Rejection]

        init(_ catalog: DriverScan) {
            searchPath = catalog.searchPath
            drivers = catalog.drivers.map(DriverReport.init)
            rejected = catalog.rejected
        }
    }

    static func text(_ catalog: DriverScan) -> String {
        var out = "drivers path: \(catalog.searchPath.joined(separator: ":"))\n"
        if catalog.drivers.isEmpty {
            out += "no drivers found\n"
        } else {
            var table = TextTable(header: [
                "TYPE", "VERSION", "DRIVER", "ABI", "DIRECTIONS", "OPERATIONS", "TOOLCHAIN", "FILE", "SHA256",
            ])
            for driver in catalog.drivers {
                let d = driver.descriptor
                table.rows.append([
                    d.type, d.componentVersion, d.driverVersion, driver.image.abiVersion,
                    d.directions.joined(separator: ","),
                    d.operations.isEmpty ? "-" : d.operations.joined(separator: ","),
                    d.toolchain, driver.file, String(driver.image.sha256.prefix(12)),
                ])
            }
            out += table.render() + "\n"
        }
        if !catalog.rejected.isEmpty {
            out += "\nrejected:\n"
            for rejection in catalog.rejected { out += "  \(rejection.file): \(rejection.reason)\n" }
        }
        return String(out.dropLast())
    }
}
