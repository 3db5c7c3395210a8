import DriverTesting
import Foundation
import HostTestSupport
import PluginABI
import Synchronization
import Testing

@testable import BinderyCore
@testable import DriverRuntime

/// Full lifecycles through the C ABI, against the C fixture and the Swift fixture.
@Suite struct LifecycleTests {
    private func load(_ file: String) throws -> DriverImage {
        var policy = LoaderPolicy()
        policy.imageDirectory = try temporaryDirectory("images")
        return try Loader(policy: policy).load(file).image
    }

    private func spec(_ metadata: Pairs = [], generation: UInt64 = 1) -> ComponentSpec {
        ComponentSpec(
            name: "fx", type: "bindings.fixture", version: "v1", directions: [.input, .output],
            metadata: metadata, generation: generation)
    }

    static let drivers = ["C", "Swift"]

    private func image(_ language: String) throws -> DriverImage {
        try load(language == "C" ? try FixtureDrivers.path("NONE") : try FixtureDrivers.swift)
    }

    @Test(arguments: drivers)
    func outputLifecycle(language: String) async throws {
        let instance = try InProcessInstance.create(try image(language), spec())
        try await instance.start(timeout: .seconds(5))

        let echo = await instance.invoke(operation: "echo", data: Array("{\"a\":1}".utf8), metadata: [("k", "v")])
        #expect(echo.status.isOK)
        #expect(echo.response?.data == Array("{\"a\":1}".utf8))
        #expect(echo.response?.metadata.first { $0.key == "op" }?.value == "echo")

        let none = await instance.invoke(operation: "none", data: [], metadata: [])
        #expect(none.status.isOK)
        #expect(none.response == nil, "no response must stay distinct from an empty one")

        let fail = await instance.invoke(operation: "fail", data: [], metadata: [])
        #expect(fail.status == DriverStatus(BD_E_INVALID_ARG))
        #expect(fail.message.hasSuffix("fixture failure as requested"))
        #expect(fail.response?.metadata.first { $0.key == "reason" }?.value == "asked")

        let unknown = await instance.invoke(operation: "nope", data: [], metadata: [])
        #expect(unknown.status == DriverStatus(BD_E_UNSUPPORTED))

        // An error returned directly from invoke keeps the text the driver wrote (ABI 1.1).
        if language == "C" {
            let direct = await instance.invoke(operation: "fail", data: [], metadata: [("direct", "true")])
            #expect(direct.status == DriverStatus(BD_E_INVALID_ARG))
            #expect(direct.message == "fixture rejected the request directly")
        } else {
            #expect(unknown.message.hasPrefix("operation \"nope\" is not supported"))
        }

        #expect(await instance.stop(timeout: .seconds(5)))
        instance.destroy()
        instance.destroy()  // a second destroy is ignored
    }

    @Test func completionFromAnotherThreadArrives() async throws {
        let instance = try InProcessInstance.create(try image("C"), spec())
        try await instance.start(timeout: .seconds(5))
        let results = await withTaskGroup(of: InvokeOutcome.self) { group in
            for index in 0..<64 {
                group.addTask { await instance.invoke(operation: "async", data: Array("\(index)".utf8), metadata: []) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0.status.isOK && $0.response?.metadata.first?.value == "other" })
        #expect(
            Set(results.compactMap { $0.response.map { String(decoding: $0.data, as: UTF8.self) } })
                == Set((0..<64).map(String.init)))
        await instance.stop(timeout: .seconds(5))
        instance.destroy()
    }

    @Test(arguments: drivers)
    func inputEventsAreDeliveredAndAcknowledged(language: String) async throws {
        let instance = try InProcessInstance.create(try image(language), spec([("events", "5")]))
        try await instance.start(timeout: .seconds(5))
        let (stream, continuation) = AsyncStream.makeStream(of: InputEvent.self)
        // At most two events wait for an ack: the driver sees BD_E_BUSY and retries.
        try await instance.startInput(maxUnacked: 2) { continuation.yield($0) }
        var received: [InputEvent] = []
        for await event in stream {
            received.append(event)
            #expect(instance.unacknowledged <= 2)
            let last = received.count == 5
            instance.acknowledge(
                event.deliveryID, last ? Acknowledgement(.retry, error: "app said 500") : Acknowledgement(.ack))
            if last { break }
        }
        #expect(received.map { String(decoding: $0.data, as: UTF8.self) } == (0..<5).map { "{\"n\":\($0)}" })
        #expect(received.map { $0.metadata.first { $0.key == "seq" }?.value } == (0..<5).map { "\($0)" })
        #expect(Set(received.map(\.deliveryID)).count == 5)
        let acks = await instance.invoke(operation: "acks", data: [], metadata: [])
        #expect(acks.response.map { String(decoding: $0.data, as: UTF8.self) } == "acked=4 nacked=1")
        if language == "Swift" {
            let credit = await instance.invoke(operation: "credit", data: [], metadata: [])
            #expect(
                credit.response.map { String(decoding: $0.data, as: UTF8.self) } == "2",
                "max_unacked reaches EventSink.maxUnacked")
        }
        #expect(acks.response?.contentType == "text/plain")
        #expect(await instance.stop(timeout: .seconds(5)))
        instance.destroy()
    }

    @Test func createErrorCarriesTheDriversMessage() throws {
        #expect {
            _ = try InProcessInstance.create(try image("C"), spec([("createFail", "true")]))
        } throws: { error in
            (error as? RuntimeError)?.description == "fx: bindings.fixture create failed: metadata createFail is set"
        }
        #expect {
            _ = try InProcessInstance.create(try image("Swift"), spec([("events", "many")]))
        } throws: { error in
            (error as? RuntimeError)?.description
                == "fx: bindings.swiftfixture create failed: events must be a whole number, got \"many\""
        }
    }

    @Test func initErrorCompletedFromAnotherThreadIsReported() async throws {
        let instance = try InProcessInstance.create(try image("C"), spec([("initFail", "true")]))
        await #expect {
            try await instance.start(timeout: .seconds(5))
        } throws: { error in
            (error as? RuntimeError)?.description == "fx: init failed: BD_E_UNAVAILABLE: cannot reach fixture server"
        }
        await instance.stop(timeout: .seconds(5))
        instance.destroy()
    }

    @Test func initThatNeverCompletesTimesOutAndStopStillWorks() async throws {
        let instance = try InProcessInstance.create(try image("C"), spec([("initHang", "true")]))
        await #expect {
            try await instance.start(timeout: .milliseconds(200))
        } throws: { error in
            (error as? RuntimeError)?.code == .initTimedOut
        }
        #expect(await instance.stop(timeout: .seconds(5)))
        instance.destroy()
    }
}

@Suite struct GenerationTests {
    @Test func shutdownDoesNotWaitForeverOnARequestThatNeverCompletes() async throws {
        var policy = LoaderPolicy()
        policy.imageDirectory = try temporaryDirectory("images")
        let driver = try Loader(policy: policy).load(try FixtureDrivers.path("NONE"))
        let spec = ComponentSpec(
            name: "stuck", type: "bindings.fixture", version: "v1", directions: .output, metadata: [], generation: 1)
        let output = try InProcessInstance.create(driver.image, spec)
        try await output.start(timeout: .seconds(5))
        let generation = Generation(
            number: 1, component: Component(name: "stuck", type: "bindings.fixture"),
            driver: driver.available, output: output, input: nil)
        #expect(generation.admit())  // a request admitted and never released
        await generation.shutDown(drainLimit: .milliseconds(200))
        #expect(generation.inFlight == 1)
        #expect(!generation.admit(), "a shut-down generation admits nothing")
    }
}
