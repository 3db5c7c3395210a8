import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import InfluxDriver

/// `query` against the local target speaking InfluxDB 2's v2 query API: the Flux request as the
/// Go client sends it, the annotated CSV returned as Dapr returns it, and the errors.
@Suite struct QueryTests {
    @Test func queryPostsFluxAndReturnsTheAnnotatedCSVWithDaprsMetadata() async throws {
        let target = try await ServerProcess.saasTarget(tls: false)
        let driver = try makeDriver(metadata(for: target))
        let flux = #"from(bucket: "metrics") |> range(start: -1h) |> filter(fn: (r) => r._measurement == "cpu")"#
        let (text, meta) = try await driver.whileStarted { driver in
            try await driver.write(#"{"measurement":"cpu","tags":{"host":"a b"},"values":{"usage":0.5}}"#)
            return try await driver.query(flux)
        }
        #expect(meta == ["operation": "query", "raw": flux])
        let lines = text.components(separatedBy: "\r\n")
        #expect(
            lines.first
                == "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string"
        )
        #expect(lines.contains(",result,table,_start,_stop,_time,_value,_field,_measurement,host"))
        #expect(lines.contains { $0.hasSuffix(",0.5,usage,cpu,a b") }, "\(text)")
        let request = try #require(try target.targetRequests().last)
        #expect(request.path == "/api/v2/query" && request.rawQuery == "org=bindery" && request.status == 200)
        #expect(request.header("Authorization") == ["Token \(ServerProcess.influxToken)"])
        #expect(request.header("Content-Type") == ["application/json"])
        #expect(request.header("Accept") == ["application/csv"])
        #expect(
            request.header("Accept-Encoding").first?.contains("gzip") == true, "the CSV came gzipped and was decoded")
        // domain.Query marshalled by encoding/json: fields in order, the default dialect.
        let escaped = flux.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: ">", with: "\\u003e")
        #expect(
            request.body
                == #"{"dialect":{"annotations":["datatype","group","default"],"delimiter":",","header":true},"query":""#
                + escaped + #"","type":"flux"}"#)
    }

    @Test func anEmptyResultIsInfluxDBsLoneLineBreak() async throws {
        let target = try await ServerProcess.saasTarget(tls: false)
        let driver = try makeDriver(metadata(for: target))
        let (text, _) = try await driver.whileStarted {
            try await $0.query(#"from(bucket:"events") |> range(start: 0)"#)
        }
        #expect(text == "\r\n")
    }

    @Test func queryErrorsReachTheAppBehindDaprsWords() async throws {
        let target = try await ServerProcess.saasTarget(tls: false)
        let driver = try makeDriver(metadata(for: target))
        try await driver.whileStarted { driver in
            let noRaw = await driverError { _ = try await driver.invoke(InvokeRequest(operation: "query")) }
            #expect(noRaw?.message == "required metadata not set: raw")
            let compile = await driverError { _ = try await driver.query("bad |> range(start: 0)") }
            #expect(
                compile?.message
                    == "do query influx err: invalid: compilation failed: error @1:1-1:4: undefined identifier bad")
            let bucket = await driverError { _ = try await driver.query(#"from(bucket: "nowhere")"#) }
            #expect(
                bucket?.message
                    == "do query influx err: not found: failed to initialize execute state: could not find bucket \"nowhere\""
            )
            let operation = await driverError { _ = try await driver.invoke(InvokeRequest(operation: "delete")) }
            #expect(operation?.message == "invalid operation type. Expected query or create")
            #expect(operation?.code == .unsupported)
        }
        let wrong = try makeDriver(metadata(for: target, ["token": "nope-4e2"]))
        let refused = try await wrong.whileStarted { driver in
            await driverError { _ = try await driver.query(#"from(bucket: "metrics")"#) }
        }
        #expect(refused?.message == "do query influx err: unauthorized: unauthorized access")
    }
}
