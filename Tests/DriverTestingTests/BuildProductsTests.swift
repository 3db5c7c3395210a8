import DriverTesting
import Foundation
import Testing

/// Products are found next to the running test binary, wherever SwiftPM put it.
@Suite struct BuildProductsTests {
    @Test func theBinderyExecutableAndEachDriverLibraryAreFound() throws {
        #expect(try BuildProducts.executable("bindery") == BuildProducts.directory + "/bindery")
        #expect(FileManager.default.fileExists(atPath: BuildProducts.library("bindery-cron")))
    }

    @Test func aMissingExecutableIsAnErrorNamingTheBuildStep() {
        #expect { try BuildProducts.executable("no-such-product") } throws: { error in
            "\(error)".contains("no-such-product is missing: run `swift build` first")
        }
    }

    @Test func theDriverFolderOfATestFileIsTwoLevelsUp() {
        #expect(driverFolder("/src/Plugins/redis/Tests/X.swift") == "/src/Plugins/redis")
        #expect(driverFolder("/src/Tests/ExampleDriverTests/X.swift", up: 3) == "/src")
    }
}
