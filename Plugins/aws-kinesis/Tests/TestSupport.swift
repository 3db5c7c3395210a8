import DriverKit
import DriverTesting
import Foundation
import Synchronization

@testable import KinesisDriver

/// Timings short enough for tests: renewals and the shard list every second, a failed record
/// again after 100 ms. Leases keep KCL's 10 s: a busy machine must not let one lapse while its
/// reader runs (a stopped reader releases its leases at once).
let fastTimings = StreamReader.Timings(
    idle: .milliseconds(100), lease: .seconds(10), renew: .seconds(1), sync: .seconds(1), retry: .milliseconds(100))

/// An instance of component `component` for `stream` at `moto`, created as the host would
/// (one direction per instance), not started.
func makeDriver(
    _ moto: ServerProcess, stream: String, _ direction: Directions = .output, component: String = "clicks",
    _ extra: [String: String] = [:], log: @escaping StreamReader.Log = { _, _ in },
    timings: StreamReader.Timings = fastTimings
) throws -> KinesisDriver {
    var metadata = [
        "streamName": stream, "endpoint": "http://\(moto.address)", "region": "us-east-1", "accessKey": "testing",
        "secretKey": "testing",
    ]
    metadata.merge(extra) { $1 }
    return try KinesisDriver(
        configuration: DriverConfiguration(
            componentName: component, type: "bindings.aws.kinesis", directions: direction, metadata: metadata),
        log: log, timings: timings)
}

/// Runs `body` with a started output instance, then stops it whatever `body` did.
func withOutput<T>(
    _ moto: ServerProcess, stream: String, _ extra: [String: String] = [:], _ body: (KinesisDriver) async throws -> T
) async throws -> T {
    let driver = try makeDriver(moto, stream: stream, .output, extra)
    try await driver.start()
    do {
        let result = try await body(driver)
        await driver.stop()
        return result
    } catch {
        await driver.stop()
        throw error
    }
}

extension KinesisDriver {
    /// `create` with `data`, and `partitionKey` in the request metadata when given.
    func put(_ data: String, partitionKey: String? = nil) async throws {
        let metadata = partitionKey.map { ["partitionKey": $0] } ?? [:]
        let response = try await invoke(InvokeRequest(operation: "create", data: Array(data.utf8), metadata: metadata))
        if response != nil { throw TestFailure("create returned a response") }
    }
}

/// A stream or table name no other test uses.
func unique(_ prefix: String) -> String { "\(prefix)-\(UInt32.random(in: 0...UInt32.max))" }

/// An app as the host would drive it: each event the input emits is recorded, then answered
/// (on another task, as the host answers after the app's reply) with success, or with failure
/// for the first delivery of a record `failFirst` selects. After `answerAtMost` successes it
/// answers nothing more (an app that hangs).
final class App: Sendable {
    struct Event: Sendable {
        var data: String
        var metadata: [String: String]
    }

    private struct State {
        var events: [Event] = []
        var succeeded: [String] = []
        var failed = Set<String>()
        var nextID: UInt64 = 1
    }

    private let state = Mutex(State())
    private let failFirst: @Sendable (String) -> Bool
    private let answerAtMost: Int
    private let driver = Mutex<KinesisDriver?>(nil)
    /// How many emits to answer `.busy` (a host whose unacknowledged events are at their limit).
    private let busy: Mutex<Int>

    init(
        failFirst: @escaping @Sendable (String) -> Bool = { _ in false }, answerAtMost: Int = .max, busyFirst: Int = 0
    ) {
        self.failFirst = failFirst
        self.answerAtMost = answerAtMost
        busy = Mutex(busyFirst)
    }

    /// How many `.busy` answers are still to come.
    var busyLeft: Int { busy.withLock { $0 } }

    func bind(_ driver: KinesisDriver) { self.driver.withLock { $0 = driver } }

    var events: [Event] { state.withLock { $0.events } }

    /// The data of every event so far, in delivery order.
    var bodies: [String] { events.map(\.data) }

    /// The data of every event answered with success, in answer order.
    var succeeded: [String] { state.withLock { $0.succeeded } }

    var emit: StreamReader.Emit {
        { [self] data, metadata in
            let refused = busy.withLock { left -> Bool in
                guard left > 0 else { return false }
                left -= 1
                return true
            }
            if refused { return .busy }
            let text = String(decoding: data, as: UTF8.self)
            let (id, answer) = state.withLock { state -> (UInt64, Acknowledgement.Kind?) in
                let id = state.nextID
                state.nextID += 1
                state.events.append(Event(data: text, metadata: metadata))
                if failFirst(text), state.failed.insert(text).inserted { return (id, .retry) }
                guard state.succeeded.count < answerAtMost else { return (id, nil) }
                state.succeeded.append(text)
                return (id, .ack)
            }
            if let answer {
                let driver = self.driver.withLock { $0 }
                Task { driver?.acknowledge(Acknowledgement(deliveryID: id, kind: answer)) }
            }
            return .accepted(deliveryID: id)
        }
    }
}

/// boto3 against a moto server, as an oracle independent of the driver: streams, records, and
/// the lease table's items.
enum Boto {
    private static let script = """
        import base64, json, sys, time, boto3
        endpoint, key, secret, command, *args = sys.argv[1:]
        options = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
                       aws_secret_access_key=secret)
        kinesis = boto3.client("kinesis", **options)
        dynamodb = boto3.client("dynamodb", **options)
        if command == "create-stream":
            kinesis.create_stream(StreamName=args[0], ShardCount=int(args[1]))
            kinesis.get_waiter("stream_exists").wait(StreamName=args[0], WaiterConfig={"Delay": 0.2})
            print("{}")
        elif command == "put":
            for data, partition in json.loads(args[1]):
                kinesis.put_record(StreamName=args[0], Data=data.encode(), PartitionKey=partition)
            print("{}")
        elif command == "read":
            records = []
            for shard in kinesis.list_shards(StreamName=args[0])["Shards"]:
                iterator = kinesis.get_shard_iterator(StreamName=args[0], ShardId=shard["ShardId"],
                                                      ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
                while iterator:
                    reply = kinesis.get_records(ShardIterator=iterator, Limit=1000)
                    for r in reply["Records"]:
                        records.append({"data": r["Data"].decode(errors="replace"), "key": r["PartitionKey"],
                                        "shard": shard["ShardId"], "sequence": r["SequenceNumber"]})
                    iterator = reply.get("NextShardIterator") if reply["Records"] else None
            print(json.dumps(records))
        elif command == "put-lease":
            # A lease item as a KCL worker (Dapr's) writes it; the table is made as KCL makes it.
            table, shard, checkpoint, owner, timeout = args
            if table not in dynamodb.list_tables()["TableNames"]:
                dynamodb.create_table(TableName=table, KeySchema=[{"AttributeName": "ShardID", "KeyType": "HASH"}],
                                      AttributeDefinitions=[{"AttributeName": "ShardID", "AttributeType": "S"}],
                                      ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 10})
            dynamodb.put_item(TableName=table, Item={"ShardID": {"S": shard}, "Checkpoint": {"S": checkpoint},
                                                      "AssignedTo": {"S": owner}, "LeaseTimeout": {"S": timeout}})
            print("{}")
        elif command == "leases":
            items = dynamodb.scan(TableName=args[0], ConsistentRead=True)["Items"]
            print(json.dumps({i["ShardID"]["S"]: {k: v["S"] for k, v in i.items()} for i in items}))
        """

    private static let path: String = {
        let folder = (try? temporaryDirectory("boto-kinesis")) ?? "/tmp"
        let path = folder + "/boto_kinesis.py"
        _ = FileManager.default.createFile(atPath: path, contents: Data(script.utf8))
        return path
    }()

    /// Runs `command` against `moto`; its JSON output.
    @discardableResult
    static func run(
        _ moto: ServerProcess, _ command: String, _ arguments: [String], key: String = "testing",
        secret: String = "testing"
    ) async throws -> Any? {
        let arguments = [Boto.path, "http://\(moto.address)", key, secret, command] + arguments
        let result = try await onDedicatedThread { try DriverTesting.run("/usr/bin/env", ["python3"] + arguments) }
        guard result.status == 0 else { throw TestFailure("boto3 \(command) failed: \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: .fragmentsAllowed)
    }

    static func createStream(_ moto: ServerProcess, _ name: String, shards: Int) async throws {
        try await run(moto, "create-stream", [name, String(shards)])
    }

    /// Puts each (data, partition key) pair, in order.
    static func put(_ moto: ServerProcess, _ stream: String, _ records: [(String, String)]) async throws {
        let json = try JSONSerialization.data(withJSONObject: records.map { [$0.0, $0.1] })
        try await run(moto, "put", [stream, String(decoding: json, as: UTF8.self)])
    }

    /// Every record of every shard: data (as text), partition key, shard, sequence number.
    static func read(_ moto: ServerProcess, _ stream: String) async throws -> [[String: String]] {
        try await run(moto, "read", [stream]) as? [[String: String]] ?? []
    }

    /// The lease table's items by shard id, each attribute's string.
    static func leases(_ moto: ServerProcess, _ table: String) async throws -> [String: [String: String]] {
        try await run(moto, "leases", [table]) as? [String: [String: String]] ?? [:]
    }
}

extension KinesisDriver {
    /// What the host does for an input instance: `start`, then `startInput`.
    func startAsTheHostDoes(emit: @escaping StreamReader.Emit) async throws {
        try await start()
        try await startInput(emit: emit)
    }
}

/// What a driver logged, kept for a test to wait on.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    var log: StreamReader.Log { { [self] _, line in lines.withLock { $0.append(line) } } }

    /// True once a line containing `text` was logged.
    func contains(_ text: String) -> Bool { lines.withLock { $0.contains { $0.contains(text) } } }
}

extension ServerProcess {
    /// A started TCP forwarder from a free loopback port to `target`: pointing a driver at it and
    /// freezing it (`freeze(true)`) makes that driver's calls time out, while boto3 reaches
    /// `target` directly. One process with a thread per direction of each connection, so a
    /// freeze stops every connection at once; it exits with the test process.
    static func proxy(to target: ServerProcess) async throws -> ServerProcess {
        try await started {
            try ServerProcess(name: "proxy", program: "/usr/bin/env") { port, directory in
                try proxyScript.write(toFile: "\(directory)/proxy.py", atomically: true, encoding: .utf8)
                return ["python3", "\(directory)/proxy.py", String(port), String(target.port), String(getpid())]
            }
        }
    }
}

/// Arguments: the port to listen on, the port to forward to, the pid to outlive no longer than.
private let proxyScript = #"""
    import os, socket, sys, threading, time
    port, target, parent = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    def pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    while True:
        client, _ = listener.accept()
        try:
            upstream = socket.create_connection(("127.0.0.1", target))
        except OSError:
            client.close()
            continue
        threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
    """#
