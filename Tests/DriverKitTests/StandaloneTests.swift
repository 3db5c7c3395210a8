import DriverKit
import Synchronization
import Testing

/// A driver can be run without bindery: a standalone host and a sink that hands events to a
/// closure, as a driver's own unit tests use them.
final class Counter: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.counter", version: "1.0.0", summary: "Counts.", directions: [.input, .output],
        operations: ["next"])

    private let host: DriverHost
    private let count = Mutex(0)
    private let acked = Mutex<[UInt64]>([])

    init(configuration: DriverConfiguration, host: DriverHost) throws {
        self.host = host
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        let value = count.withLock {
            $0 += 1
            return $0
        }
        host.log(.info, "next is \(value)")
        return InvokeResponse(data: Array("\(value)".utf8))
    }

    func startInput(_ events: EventSink) async throws {
        for n in 0..<3 { events.emit(Array("\(n)".utf8), metadata: ["n": "\(n)"]) }
    }

    func acknowledge(_ acknowledgement: Acknowledgement) { acked.withLock { $0.append(acknowledgement.deliveryID) } }
    var acknowledged: [UInt64] { acked.withLock { $0 } }
}

@Suite struct StandaloneTests {
    @Test func standaloneHostReceivesLogLines() async throws {
        let lines = Mutex<[String]>([])
        let host = DriverHost.standalone { level, text in lines.withLock { $0.append("\(level) \(text)") } }
        let driver = try Counter(
            configuration: DriverConfiguration(
                componentName: "c", type: "bindings.counter", directions: .output, metadata: [:]), host: host)
        let first = try await driver.invoke(InvokeRequest(operation: "next"))
        #expect(first?.data == Array("1".utf8))
        #expect(lines.withLock { $0 } == ["info next is 1"])
        #expect(host.now() > 0)
    }

    @Test func localSinkGetsEventsWithDistinctDeliveryIDs() async throws {
        let received = Mutex<[EventSink.Event]>([])
        let sink = EventSink { event in
            received.withLock { $0.append(event) }
            return .accepted(deliveryID: event.deliveryID)
        }
        let driver = try Counter(
            configuration: DriverConfiguration(
                componentName: "c", type: "bindings.counter", directions: .input, metadata: [:]), host: .standalone())
        try await driver.startInput(sink)
        let events = received.withLock { $0 }
        #expect(events.map { String(decoding: $0.data, as: UTF8.self) } == ["0", "1", "2"])
        #expect(events.map { $0.metadata["n"] } == ["0", "1", "2"])
        #expect(Set(events.map(\.deliveryID)).count == 3)
        for event in events {
            driver.acknowledge(Acknowledgement(deliveryID: event.deliveryID, kind: .ack, response: [], error: nil))
        }
        #expect(driver.acknowledged == events.map(\.deliveryID))
    }
}
