import BinderyCore
import BinderySystem

/// Every driver found in the drivers path: the one chosen per type, and every refused file.
package struct DriverScan: Sendable {
    package struct Rejection: Sendable, Codable {
        package let file: String
        package let code: LoaderError.Code
        package let reason: String
    }

    package var drivers: [LoadedDriver] = []
    package var rejected: [Rejection] = []
    package var searchPath: [String] = []

    package func driver(for type: String) -> LoadedDriver? { drivers.first { $0.descriptor.type == type } }

    /// The chosen drivers as the core sees them.
    package var catalog: DriverCatalog { DriverCatalog(drivers: drivers.map(\.available), searchPath: searchPath) }

    /// The drivers path: `--drivers-path` flags, else `BINDERY_DRIVERS_PATH`, else the folder of
    /// the `bindery` executable (where `swift build` puts the in-tree drivers).
    package static func searchPath(flags: [String]) -> [String] {
        if !flags.isEmpty { return flags }
        if let env = Environment.value("BINDERY_DRIVERS_PATH") {
            return env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        return [Environment.executableDirectory]
    }

    /// Scans `paths` in order. A `.so` that is not a bindery driver (no entry symbol) is skipped
    /// quietly; a broken file or a refused driver is listed with its reason.
    package static func scan(_ paths: [String], loader: Loader) -> DriverScan {
        var catalog = DriverScan(searchPath: paths)
        var candidates: [LoadedDriver] = []
        for directory in paths {
            let names: [String]
            do { names = try Files.list(directory) } catch {
                catalog.rejected.append(Rejection(file: directory, code: .unreadable, reason: error.description))
                continue
            }
            for name in names where isLibraryName(name) {
                let file = FilePath.join(directory, name)
                do { candidates.append(try loader.load(file)) } catch  where error.code == .notADriver {
                    continue
                } catch {
                    catalog.rejected.append(Rejection(file: file, code: error.code, reason: error.reason))
                }
            }
        }
        catalog.choose(among: candidates)
        return catalog
    }

    static func isLibraryName(_ name: String) -> Bool {
        name.hasSuffix(".so") || name.contains(".so.")
    }

    /// One driver per type: the highest driver version; on a tie, the first in the path.
    private mutating func choose(among candidates: [LoadedDriver]) {
        var byType: [String: [LoadedDriver]] = [:]
        var order: [String] = []
        for candidate in candidates {
            if byType[candidate.descriptor.type] == nil { order.append(candidate.descriptor.type) }
            byType[candidate.descriptor.type, default: []].append(candidate)
        }
        for type in order {
            let group = byType[type]!
            var chosen = group[0]
            for other in group.dropFirst()
            where Version(other.descriptor.driverVersion) > Version(chosen.descriptor.driverVersion) {
                chosen = other
            }
            drivers.append(chosen)
            for other in group where other.file != chosen.file {
                let why =
                    Version(chosen.descriptor.driverVersion) > Version(other.descriptor.driverVersion)
                    ? "its version \(chosen.descriptor.driverVersion) is higher than \(other.descriptor.driverVersion)"
                    : "both are version \(other.descriptor.driverVersion) and it comes first in the drivers path"
                rejected.append(
                    Rejection(
                        file: other.file, code: .duplicateType,
                        reason: "\(type) is also served by \(chosen.file), which is used because \(why)"))
            }
        }
    }
}

/// A dotted version compared number by number ("1.10.0" > "1.9.2"); text parts compare as text.
package struct Version: Comparable {
    package let parts: [String]

    package init(_ text: String) {
        parts = text.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "+" }).map(String.init)
    }

    package static func < (a: Version, b: Version) -> Bool {
        for (x, y) in zip(a.parts, b.parts) where x != y {
            if let i = Int(x), let j = Int(y) { return i < j }
            return x < y
        }
        return a.parts.count < b.parts.count
    }

    package static func == (a: Version, b: Version) -> Bool { !(a < b) && !(b < a) }
}
