import DriverTesting
import Foundation
import HostTestSupport
import Testing

@testable import BinderyCore
@testable import BinderySystem
@testable import DriverRuntime
@testable import Host

/// plugin-template/ builds on its own, and both of its example drivers load and run.
@Suite(.serialized) struct TemplateTests {
    static let template = "\(Paths.root)/plugin-template"

    /// The Swift example as `swift build -c release` in plugin-template/ makes it (scripts/test
    /// builds it; built here if missing).
    private func swiftExample() throws -> String {
        let library = "\(Self.template)/.build/release/libExampleDriver.so"
        if !FileManager.default.fileExists(atPath: library) {
            try shell("swift build -c release", in: Self.template)
        }
        return library
    }

    /// The C example, built with the one-line command its source documents.
    private func cExample() throws -> String {
        let source = try String(contentsOfFile: "\(Self.template)/c-example/example_driver.c", encoding: .utf8)
        let command = try #require(source.split(separator: "\n").first { $0.contains("cc -std=c11") })
            .trimmingCharacters(in: CharacterSet(charactersIn: " *"))
        let dir = try temporaryDirectory("c-example")
        try shell(
            command.replacingOccurrences(of: "-o libexample_c.so", with: "-o \(dir)/libexample_c.so"), in: Self.template
        )
        return "\(dir)/libexample_c.so"
    }

    @Test func bothExamplesAreListedByBinderyDrivers() throws {
        let dir = try temporaryDirectory("template-drivers")
        try FileManager.default.copyItem(atPath: try swiftExample(), toPath: "\(dir)/libExampleDriver.so")
        try FileManager.default.copyItem(atPath: try cExample(), toPath: "\(dir)/libexample_c.so")
        let result = try run(try Paths.bindery, ["drivers", "--drivers-path", dir])
        #expect(result.status == 0)
        #expect(result.stdout.contains("bindings.example "))
        #expect(result.stdout.contains("bindings.example-c"))
        #expect(!result.stdout.contains("rejected"))
    }

    @Test func inspectShowsTheSwiftExamplesFields() throws {
        let result = try run(try Paths.bindery, ["inspect", try swiftExample()])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("bindings.example 1.0.0\n"))
        #expect(result.stdout.contains("operations:        echo, upper"))
        #expect(
            result.stdout.contains(
                "intervalMs  int     no        1000     no         Milliseconds between input ticks."))
    }

    @Test(arguments: ["swift", "c"])
    func exampleRunsThroughTheABI(language: String) async throws {
        var policy = LoaderPolicy()
        policy.imageDirectory = try temporaryDirectory("template-images")
        let file = language == "swift" ? try swiftExample() : try cExample()
        let image = try Loader(policy: policy).load(file).image
        let instance = try InProcessInstance.create(
            image,
            ComponentSpec(
                name: "example", type: image.descriptor.type, version: "v1", directions: .output,
                metadata: [("prefix", "tpl")], generation: 1))
        try await instance.start(timeout: .seconds(5))
        let echo = await instance.invoke(operation: "echo", data: Array("hello".utf8), metadata: [])
        #expect(echo.status.isOK)
        #expect(echo.response?.data == Array("hello".utf8))
        let second = language == "swift" ? "upper" : "reverse"
        let other = await instance.invoke(operation: second, data: Array("hello".utf8), metadata: [])
        #expect(
            other.response.map { String(decoding: $0.data, as: UTF8.self) } == (language == "swift" ? "HELLO" : "olleh")
        )
        #expect(await instance.stop(timeout: .seconds(5)))
        instance.destroy()
    }

    @Test func swiftExampleEmitsTicks() async throws {
        var policy = LoaderPolicy()
        policy.imageDirectory = try temporaryDirectory("template-images")
        let image = try Loader(policy: policy).load(try swiftExample()).image
        let instance = try InProcessInstance.create(
            image,
            ComponentSpec(
                name: "ticks", type: "bindings.example", version: "v1", directions: .input,
                metadata: [("intervalMs", "10")], generation: 1))
        try await instance.start(timeout: .seconds(5))
        let (stream, continuation) = AsyncStream.makeStream(of: InputEvent.self)
        try await instance.startInput(maxUnacked: 8) { continuation.yield($0) }
        var ticks: [String] = []
        for await event in stream {
            ticks.append(String(decoding: event.data, as: UTF8.self))
            instance.acknowledge(event.deliveryID, Acknowledgement(.ack))
            if ticks.count == 3 { break }
        }
        #expect(ticks == ["{\"tick\":0}", "{\"tick\":1}", "{\"tick\":2}"])
        #expect(await instance.stop(timeout: .seconds(5)))
        instance.destroy()
    }
}
