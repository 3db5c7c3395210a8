import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import PostgreSQLDriver

/// exec, query and close against a real PostgreSQL 15, answered as Dapr answers them.
@Suite struct OperationTests {
    let server: ServerProcess
    let database: String
    var metadata: [String: String] { ["connectionString": server.postgreSQLConnectionString(database: database)] }

    init() async throws { (server, database) = try await sharedDatabase("operations") }

    @Test func execReportsRowsAffectedAndDaprTimingMetadata() async throws {
        try await withDriver(metadata) { driver async throws in
            let created = try #require(
                try await driver.call("exec", "CREATE TABLE items (id int PRIMARY KEY, name text)"))
            #expect(created.metadata["rows-affected"] == "0")
            #expect(created.data.isEmpty)
            let inserted = try #require(
                try await driver.call("exec", "INSERT INTO items VALUES ($1, $2), ($3, $4)", params: #"[1,"a",2,"b"]"#))
            #expect(inserted.metadata["rows-affected"] == "2")
            #expect(inserted.metadata["operation"] == "exec")
            #expect(inserted.metadata["sql"] == "INSERT INTO items VALUES ($1, $2), ($3, $4)")
            let pattern = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$"#
            for key in ["start-time", "end-time"] {
                let text = try #require(inserted.metadata[key])
                #expect(text.range(of: pattern, options: .regularExpression) != nil, "\(key): \(text)")
            }
            let duration = try #require(inserted.metadata["duration"])
            #expect(duration.range(of: #"^[0-9.]+(ns|µs|ms|s)$"#, options: .regularExpression) != nil, "\(duration)")
            let updated = try await driver.call("exec", "UPDATE items SET name = 'z'")
            #expect(updated?.metadata["rows-affected"] == "2")
            #expect(try server.psql("SELECT string_agg(name, ',' ORDER BY id) FROM items", database: database) == "z,z")
        }
    }

    @Test func queryReturnsAnArrayOfRowArrays() async throws {
        try await withDriver(metadata) { driver async throws in
            _ = try await driver.call("exec", "CREATE TABLE q (id int, name text, ok bool)")
            _ = try await driver.call("exec", "INSERT INTO q VALUES (1, 'one', true), (2, NULL, false)")
            let response = try #require(
                try await driver.call("query", "SELECT * FROM q WHERE id >= $1 ORDER BY id", params: "[1]"))
            #expect(String(decoding: response.data, as: UTF8.self) == #"[[1,"one",true],[2,null,false]]"#)
            #expect(response.metadata["operation"] == "query")
            #expect(response.metadata["rows-affected"] == nil)
            #expect(response.metadata["start-time"] != nil && response.metadata["duration"] != nil)
            #expect(try await driver.rows("SELECT * FROM q WHERE id > 5") == "[]")
        }
    }

    @Test func paramsAreBoundNeverSplicedIntoTheSQL() async throws {
        try await withDriver(metadata) { driver async throws in
            _ = try await driver.call("exec", "CREATE TABLE safe (v text)")
            let hostile = "x'); DROP TABLE safe; --"
            _ = try await driver.call("exec", "INSERT INTO safe VALUES ($1)", params: "[\"x'); DROP TABLE safe; --\"]")
            #expect(try await driver.rows("SELECT v FROM safe") == "[[\"x'); DROP TABLE safe; --\"]]")
            #expect(try server.psql("SELECT v FROM safe", database: database) == hostile)
            // Numbers keep every digit, null is NULL, objects go to jsonb as JSON.
            _ = try await driver.call("exec", "CREATE TABLE kinds (n numeric, b bool, j jsonb, z text)")
            _ = try await driver.call(
                "exec", "INSERT INTO kinds VALUES ($1, $2, $3, $4)",
                params: #"[12345678901234567890, true, {"b":[1,2],"a":"<x>"}, null]"#)
            #expect(
                try server.psql("SELECT n, b, j, z IS NULL FROM kinds", database: database)
                    == #"12345678901234567890|t|{"a": "<x>", "b": [1, 2]}|t"#)
        }
    }

    @Test func arrayParamsTakeTheFormTheirParameterTypeNeeds() async throws {
        try await withDriver(metadata) { driver async throws in
            _ = try await driver.call("exec", "CREATE TABLE arrays (id int, tags text[], doc jsonb, grid int[])")
            _ = try await driver.call(
                "exec", "INSERT INTO arrays VALUES ($1, $2, $3, $4)",
                params: #"[1, ["a b", "c\"d", null], [1, {"k": "v"}], [[1, 2], [3, 4]]]"#)
            #expect(
                try server.psql("SELECT tags, doc, grid FROM arrays", database: database)
                    == #"{"a b","c\"d",NULL}|[1, {"k": "v"}]|{{1,2},{3,4}}"#)
            #expect(try await driver.rows("SELECT id FROM arrays WHERE id = ANY($1)", params: "[[1, 2]]") == "[[1]]")
            let missing = await driverError {
                _ = try await driver.call("query", "SELECT * FROM nope WHERE id = ANY($1)", params: "[[1]]")
            }
            #expect(
                missing?.message == #"error executing query: ERROR: relation "nope" does not exist (SQLSTATE 42P01)"#)
        }
    }

    @Test func sqlErrorsCarryPostgreSQLsMessageAndSQLSTATE() async throws {
        try await withDriver(metadata) { driver async throws in
            let missing = await driverError { _ = try await driver.call("query", "SELECT * FROM nowhere") }
            #expect(
                missing?.message == #"error executing query: ERROR: relation "nowhere" does not exist (SQLSTATE 42P01)"#
            )
            #expect(missing?.metadata["sqlstate"] == "42P01")
            let syntax = await driverError { _ = try await driver.call("exec", "SELEC 1") }
            #expect(
                syntax?.message == #"error executing query: ERROR: syntax error at or near "SELEC" (SQLSTATE 42601)"#)
            let type = await driverError { _ = try await driver.call("query", "SELECT $1::int", params: #"["x"]"#) }
            #expect(type?.message.contains("(SQLSTATE 22P02)") == true)
            // An error while rows are produced is an error (Dapr's driver never reads rows.Err()
            // and answers 200 with the rows before it).
            let midway = await driverError {
                _ = try await driver.rows("SELECT 1 / (v - 2) FROM generate_series(1, 3) v")
            }
            #expect(midway?.message == "error executing query: ERROR: division by zero (SQLSTATE 22012)")
            // Several statements need queryExecMode simple_protocol, as with pgx's extended protocol.
            let several = await driverError { _ = try await driver.call("exec", "SELECT 1; SELECT 2") }
            #expect(several?.message.contains("cannot insert multiple commands into a prepared statement") == true)
        }
    }

    @Test func simpleProtocolRunsSeveralStatementsWithoutParams() async throws {
        var simple = metadata
        simple["queryExecMode"] = "simple_protocol"
        try await withDriver(simple) { driver async throws in
            let response = try await driver.call("exec", "CREATE TABLE s (v int); INSERT INTO s VALUES (1), (2)")
            #expect(response?.metadata["rows-affected"] == "2")
            #expect(try await driver.rows("SELECT v FROM s WHERE v > $1", params: "[1]") == "[[2]]")
        }
    }

    @Test func badRequestsAreRefusedWithDaprsWords() async throws {
        try await withDriver(metadata) { driver async throws in
            let object = await driverError { _ = try await driver.call("query", "SELECT 1", params: #"{"a":1}"#) }
            #expect(
                object?.message
                    == "invalid metadata property params: failed to unserialize into an array: json: cannot unmarshal object into Go value of type []interface {}"
            )
            let broken = await driverError { _ = try await driver.call("query", "SELECT 1", params: "[1,") }
            #expect(
                broken?.message
                    == "invalid metadata property params: failed to unserialize into an array: unexpected end of JSON input"
            )
            let noSQL = await driverError { _ = try await driver.invoke(InvokeRequest(operation: "exec")) }
            #expect(noSQL?.message == "required metadata not set: sql")
            let unknown = await driverError { _ = try await driver.call("drop", "SELECT 1") }
            #expect(unknown?.message == "invalid operation type: drop. Expected exec, query, or close")
        }
    }

    @Test func manyConcurrentCallsAreEachAnsweredOnceAndNoneIsLost() async throws {
        var small = metadata
        small["maxConns"] = "3"
        try await withDriver(small) { driver async throws in
            _ = try await driver.call("exec", "CREATE TABLE many (v int PRIMARY KEY)")
            let count = 400
            let answers = try await withThrowingTaskGroup(of: String?.self) { group in
                for value in 0..<count {
                    group.addTask {
                        try await driver.call("exec", "INSERT INTO many VALUES ($1)", params: "[\(value)]")?
                            .metadata["rows-affected"]
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(answers.count == count)
            #expect(answers.allSatisfy { $0 == "1" })
            #expect(try server.psql("SELECT count(*), sum(v) FROM many", database: database) == "\(count)|79800")
        }
    }

    @Test func closeEndsThePoolAndLaterCallsSayTheComponentIsClosed() async throws {
        try await withDriver(metadata) { driver async throws in
            _ = try await driver.call("query", "SELECT 1")
            #expect(try await driver.invoke(InvokeRequest(operation: "close")) == nil)
            #expect(try await driver.invoke(InvokeRequest(operation: "close")) == nil)
            let after = await driverError { _ = try await driver.call("query", "SELECT 1") }
            #expect(after?.message == "component is closed")
            try await eventually("the pool's connections to close") {
                try server.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)'") == "0"
            }
        }
    }
}
