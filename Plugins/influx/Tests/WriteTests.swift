import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import InfluxDriver

/// `create` against the local target speaking InfluxDB 2's v2 write API: the request shape,
/// Dapr's string form and the escaped object form of the data, InfluxDB's errors, the target
/// going away.
@Suite struct WriteTests {
    @Test func createPostsLineProtocolToTheV2WriteAPI() async throws {
        let target = try await ServerProcess.saasTarget(tls: false)
        let driver = try makeDriver(metadata(for: target))
        try await driver.whileStarted {
            try await $0.write(#"{"measurement":"cpu","tags":"host=a,region=eu","values":"usage=0.64,count=3i"}"#)
        }
        let request = try #require(try target.targetRequests().first)
        #expect(request.status == 204 && request.method == "POST" && request.path == "/api/v2/write")
        // influxdb-client-go's URL: parameters sorted, precision ns.
        #expect(request.rawQuery == "bucket=metrics&org=bindery&precision=ns")
        #expect(request.header("Authorization") == ["Token \(ServerProcess.influxToken)"])
        #expect(request.header("Content-Type") == ["text/plain; charset=utf-8"])
        #expect(request.body == "cpu,host=a,region=eu usage=0.64,count=3i\n")
    }

    @Test func concurrentWritesAllLandOnceAndReadBack() async throws {
        let target = try await ServerProcess.saasTarget(tls: false)
        let driver = try makeDriver(metadata(for: target))
        let text = try await driver.whileStarted { driver in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<40 {
                    group.addTask { try await driver.write(#"{"measurement":"load","values":{"n":\#(n)}}"#) }
                }
                try await group.waitForAll()
            }
            return try await driver.query(#"from(bucket: "metrics")"#).text
        }
        #expect(Set(try target.targetRequests().map(\.body)).count == 41)
        let values = text.components(separatedBy: "\r\n").filter { $0.hasSuffix(",n,load") }
            .compactMap { Int($0.split(separator: ",", omittingEmptySubsequences: false)[6]) }
        #expect(values.sorted() == Array(0..<40))
    }

    @Test func objectTagsAndValuesAreEscapedAsLineProtocolRequires() throws {
        func line(_ data: String, measurement: String? = nil) throws -> String {
            try LinePoint.line(Array(data.utf8), defaultMeasurement: measurement)
        }
        #expect(
            try line(
                #"{"measurement":"cpu load","tags":{"zone":"eu west","host":"a,b=c"},"values":{"usage":0.64,"ok":true,"note":"say \"hi\" \\o/","n":3}}"#
            ) == #"cpu\ load,host=a\,b\=c,zone=eu\ west usage=0.64,ok=true,note="say \"hi\" \\o/",n=3"#)
        // Dapr's string form is written as sent; no tags writes no tag set (Dapr writes "m, v").
        #expect(try line(#"{"measurement":"a","tags":"a","values":"a"}"#) == "a,a a")
        #expect(try line(#"{"measurement":"m","values":"v=1"}"#) == "m v=1")
        #expect(try line(#"{"measurement":"m","tags":"","values":"v=1"}"#) == "m v=1")
        #expect(try line(#"{"values":{"v":1}}"#, measurement: "fallback m") == #"fallback\ m v=1"#)
    }

    @Test func dataThatCannotBeAPointIsRefusedInDaprsWordsAndSaysWhy() throws {
        let cases: [(String, String)] = [
            ("not json", "influx error: Cannot convert request data"),
            ("[1]", "influx error: Cannot convert request data"),
            (#"{"tags":"a","values":"v=1"}"#, "influx error: Cannot convert request data: it has no \"measurement\""),
            (#"{"measurement":"m"}"#, "influx error: Cannot convert request data: it has no \"values\""),
            (
                #"{"measurement":"m","values":{"v":null}}"#,
                "influx error: Cannot convert request data: field \"v\" needs a number, boolean or string value"
            ),
            (
                #"{"measurement":"m","tags":{"t":""},"values":{"v":1}}"#,
                "influx error: Cannot convert request data: tag \"t\" needs a non-empty string, number or boolean value"
            ),
            (
                #"{"measurement":"m","tags":{"t":"a\nb"},"values":{"v":1}}"#,
                "influx error: Cannot convert request data: \"a\\nb\" holds a line break"
            ),
            (
                #"{"measurement":7,"values":"v=1"}"#,
                "influx error: Cannot convert request data: \"measurement\" is not a non-empty string"
            ),
        ]
        for (data, message) in cases {
            let error = try #require(throws: DriverError.self) {
                try LinePoint.line(Array(data.utf8), defaultMeasurement: nil)
            }
            #expect(error.message == message, "data \(data)")
            #expect(error.code == .invalidArgument)
        }
    }

    @Test func influxErrorsReachTheAppBehindDaprsWords() async throws {
        let target = try await ServerProcess.saasTarget(tls: false)
        let log = LogLines()
        let wrong = try makeDriver(metadata(for: target, ["token": "wrong-token-31c"]), log: log)
        let refused = try await wrong.whileStarted { driver in
            await driverError { try await driver.write(#"{"measurement":"m","values":"v=1"}"#) }
        }
        #expect(refused?.message == "influx error: Cannot write point: unauthorized: unauthorized access")
        #expect(!log.all.isEmpty && log.all.allSatisfy { !$0.contains("wrong-token-31c") })
        let noBucket = try makeDriver(metadata(for: target, ["bucket": "nowhere"]))
        let missing = try await noBucket.whileStarted { driver in
            await driverError { try await driver.write(#"{"measurement":"m","values":"v=1"}"#) }
        }
        #expect(missing?.message == "influx error: Cannot write point: not found: bucket \"nowhere\" not found")
        #expect(missing?.code == .notFound)
        let driver = try makeDriver(metadata(for: target))
        let unparsable = try await driver.whileStarted { driver in
            await driverError { try await driver.write(#"{"measurement":"m","tags":"x","values":"v=1"}"#) }
        }
        #expect(
            unparsable?.message
                == "influx error: Cannot write point: invalid: unable to parse 'm,x v=1': missing tag key")
    }

    @Test func theTargetStoppedFailsRetryablyAndStartedAgainWorks() async throws {
        let target = try await ServerProcess.saasTarget(tls: false)
        let driver = try makeDriver(metadata(for: target))
        try await driver.whileStarted { driver in
            try await driver.write(#"{"measurement":"m","values":{"n":1}}"#)
            target.stop()
            let down = await driverError { try await driver.write(#"{"measurement":"m","values":{"n":2}}"#) }
            #expect(down?.code == .unavailable && down?.isRetryable == true, "\(String(describing: down))")
            #expect(
                down?.message.hasPrefix("influx error: Cannot write point: Post \"\(target.targetURL)/api/v2/write?")
                    == true)
            try await target.start()
            try await driver.write(#"{"measurement":"m","values":{"n":3}}"#)
        }
        #expect(try target.targetRequests().map(\.body) == ["m n=1\n", "m n=3\n"])
    }
}
