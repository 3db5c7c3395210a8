import DriverRuntime

/// `bindery inspect FILE [--json]`: one driver's full descriptor, metadata fields as a table.
enum InspectCommand {
    static let usage = "bindery inspect FILE [--json]"

    static func run(_ words: [String]) throws(Arguments.Failure) -> Int32 {
        let args = try Arguments(words, command: "inspect", valued: [], flags: ["json"])
        guard args.positional.count == 1 else { throw Arguments.Failure(description: "usage: \(usage)") }
        let driver: LoadedDriver
        do { driver = try Loader().load(args.positional[0]) } catch {
            CLI.fail(error.description)
            return 1
        }
        print(args.flag("json") ? JSONOutput.render(DriverReport(driver)) : text(driver))
        return 0
    }

    static func text(_ driver: LoadedDriver) -> String {
        let d = driver.descriptor
        var out = """
            \(d.type) \(d.driverVersion)
              summary:           \(d.summary.isEmpty ? "-" : d.summary)
              component version: \(d.componentVersion)
              directions:        \(d.directions.joined(separator: ", "))
              operations:        \(d.operations.isEmpty ? "-" : d.operations.joined(separator: ", "))
              input overlap:     \(d.inputMayOverlap ? "yes (input may run in two generations during a swap)" : "no (input stops before a new generation starts)")
              abi:               \(driver.image.abiVersion)
              toolchain:         \(d.toolchain)
              file:              \(driver.file)
              sha256:            \(driver.image.sha256)

            """
        guard !d.fields.isEmpty else { return out + "metadata fields: none" }
        var table = TextTable(header: ["FIELD", "TYPE", "REQUIRED", "DEFAULT", "SENSITIVE", "DESCRIPTION"])
        for field in d.fields {
            let type = field.allowedValues.isEmpty ? field.type : field.allowedValues.joined(separator: "|")
            table.rows.append([
                field.name, type, field.required ? "yes" : "no", field.defaultValue ?? "-",
                field.sensitive ? "yes" : "no",
                field.description,
            ])
        }
        out += "\nmetadata fields:\n" + table.render()
        return out
    }
}
