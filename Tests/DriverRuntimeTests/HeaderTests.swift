import DriverTesting
import Foundation
import HostTestSupport
import PluginABI
import Testing

@testable import BinderyCore
@testable import DriverRuntime

@Suite struct HeaderTests {
    /// The header compiles without a warning as strict C11 and as C++17.
    @Test(arguments: [
        ("gcc", "c", "-std=c11 -Wpedantic", "int main(void) { return BD_OK; }"),
        ("g++", "cpp", "-std=c++17", "int main() { bd_str s = BD_STR(\"x\"); return (int)s.len - 1; }"),
    ])
    func headerCompilesClean(compiler: String, suffix: String, flags: String, program: String) throws {
        let dir = try temporaryDirectory("header-\(suffix)")
        try "#include <bindery_driver.h>\n\(program)\n".write(
            toFile: "\(dir)/t.\(suffix)", atomically: true, encoding: .utf8)
        let arguments =
            flags.split(separator: " ").map(String.init) + ["-Wall", "-Wextra", "-Werror", "-I", Paths.header]
        let result = try run("/usr/bin/\(compiler)", arguments + ["-c", "\(dir)/t.\(suffix)", "-o", "\(dir)/t.o"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
    }

    @Test func headerIncludesOnlyStandardFreestandingHeaders() throws {
        let text = try String(contentsOfFile: "\(Paths.header)/bindery_driver.h", encoding: .utf8)
        let includes = text.split(separator: "\n").filter { $0.hasPrefix("#include") }.map { String($0) }
        #expect(includes.sorted() == ["#include <stdbool.h>", "#include <stddef.h>", "#include <stdint.h>"])
    }

    /// plugin-template builds on its own with vendored copies; scripts/sync-template refreshes them.
    @Test(arguments: ["PluginABI", "DaprMetadata", "SystemThreads", "DriverKit", "DriverTesting"])
    func templateVendorsIdenticalCopies(folder: String) throws {
        let original = "\(Paths.root)/Sources/\(folder)", copy = "\(Paths.root)/plugin-template/Sources/\(folder)"
        let files = try FileManager.default.subpathsOfDirectory(atPath: original).filter { !$0.hasSuffix("/") }.sorted()
        let vendored = try FileManager.default.subpathsOfDirectory(atPath: copy).sorted()
        #expect(
            files == vendored, "plugin-template/Sources/\(folder) must hold the same files: run scripts/sync-template")
        for file in files
        where
            !(try FileManager.default.attributesOfItem(atPath: "\(original)/\(file)")[.type] as? FileAttributeType
            == .typeDirectory)
        {
            let a = try Data(contentsOf: URL(fileURLWithPath: "\(original)/\(file)"))
            let b = try Data(contentsOf: URL(fileURLWithPath: "\(copy)/\(file)"))
            #expect(a == b, "plugin-template/Sources/\(folder)/\(file) differs: run scripts/sync-template")
        }
    }

    /// ABI 1.1: an invoke that returns an error directly describes it in `bd_invoke_request.error`
    /// (the C fixture by hand, DriverKit for an operation it does not serve); with a 1.0-sized
    /// request (no such field) the driver writes nothing.
    @Test(arguments: ["C", "Swift"])
    func invokeDescribesADirectErrorInTheRequest(language: String) throws {
        var policy = LoaderPolicy()
        policy.imageDirectory = try temporaryDirectory("images")
        let file = language == "C" ? try FixtureDrivers.path("NONE") : try FixtureDrivers.swift
        let api = try Loader(policy: policy).load(file).image.api
        let (operation, metadata) = language == "C" ? ("fail", [("direct", "true")]) : ("nope", [])
        let expected =
            language == "C"
            ? (BD_E_INVALID_ARG, "fixture rejected the request directly")
            : (
                BD_E_UNSUPPORTED,
                "operation \"nope\" is not supported; supported operations: echo, none, fail, acks, credit"
            )

        var instance: OpaquePointer?
        let (created, createError) = withStr("fx") { name in
            withStr("bindings.fixture") { type in
                withStr("v1") { version in
                    var params = bd_create_params(
                        struct_size: UInt32(MemoryLayout<bd_create_params>.size), component_name: name,
                        type_name: type, component_version: version, directions: BD_DIR_OUTPUT,
                        metadata: bd_kv_list(items: nil, count: 0), generation: 1)
                    return ErrorBuffer.with { api.pointee.create(&params, Handle.pointer(1 << 40), &instance, $0) }
                }
            }
        }
        try #require(created == BD_OK, "create failed: \(createError)")
        defer { api.pointee.destroy(instance) }

        for size in [MemoryLayout<bd_invoke_request>.size, MemoryLayout<bd_invoke_request>.offset(of: \.error)!] {
            let (status, message) = withStr(operation) { op in
                withKVList(metadata) { list in
                    ErrorBuffer.with { buffer in
                        var request = bd_invoke_request(
                            struct_size: UInt32(size), operation: op, data: bd_bytes(ptr: nil, len: 0), metadata: list,
                            deadline_mono_ns: 0, request_id: bd_str(ptr: nil, len: 0), error: buffer)
                        return api.pointee.invoke(instance, &request, nil)
                    }
                }
            }
            #expect(status == expected.0)
            #expect(message == (size == MemoryLayout<bd_invoke_request>.size ? expected.1 : ""), "struct_size \(size)")
        }
    }
}
