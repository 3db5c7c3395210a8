import Foundation
import Testing

@Suite struct HeaderTests {
    @Test func headerCompilesCleanAsC11() throws {
        let dir = try temporaryDirectory("header-c")
        try "#include <bindery_driver.h>\nint main(void) { return BD_OK; }\n".write(toFile: "\(dir)/t.c", atomically: true, encoding: .utf8)
        let result = try run("/usr/bin/gcc", ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-I", Paths.header, "-c", "\(dir)/t.c", "-o", "\(dir)/t.o"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
    }

    @Test func headerCompilesCleanAsCxx17() throws {
        let dir = try temporaryDirectory("header-cxx")
        try "#include <bindery_driver.h>\nint main() { bd_str s = BD_STR(\"x\"); return (int)s.len - 1; }\n".write(toFile: "\(dir)/t.cpp", atomically: true, encoding: .utf8)
        let result = try run("/usr/bin/g++", ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-I", Paths.header, "-c", "\(dir)/t.cpp", "-o", "\(dir)/t.o"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
    }

    @Test func headerIncludesOnlyStandardFreestandingHeaders() throws {
        let text = try String(contentsOfFile: "\(Paths.header)/bindery_driver.h", encoding: .utf8)
        let includes = text.split(separator: "\n").filter { $0.hasPrefix("#include") }.map { String($0) }
        #expect(includes.sorted() == ["#include <stdbool.h>", "#include <stddef.h>", "#include <stdint.h>"])
    }

    @Test func templateVendorsIdenticalCopies() throws {
        let pairs = [
            ("Sources/PluginABI/include/bindery_driver.h", "plugin-template/Sources/PluginABI/include/bindery_driver.h"),
            ("Sources/PluginABI/include/module.modulemap", "plugin-template/Sources/PluginABI/include/module.modulemap"),
        ]
        let kit = try FileManager.default.contentsOfDirectory(atPath: "\(Paths.root)/Sources/DriverKit").sorted()
        let vendoredKit = try FileManager.default.contentsOfDirectory(atPath: "\(Paths.root)/plugin-template/Sources/DriverKit").sorted()
        #expect(kit == vendoredKit, "plugin-template/Sources/DriverKit must hold the same files as Sources/DriverKit")
        for (original, copy) in pairs + kit.map({ ("Sources/DriverKit/\($0)", "plugin-template/Sources/DriverKit/\($0)") }) {
            let a = try Data(contentsOf: URL(fileURLWithPath: "\(Paths.root)/\(original)"))
            let b = try Data(contentsOf: URL(fileURLWithPath: "\(Paths.root)/\(copy)"))
            #expect(a == b, "\(copy) differs from \(original): copy it again")
        }
    }
}
