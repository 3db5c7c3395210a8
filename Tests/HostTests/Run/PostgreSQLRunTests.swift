import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// bindings.postgresql through bindery's HTTP API against a real PostgreSQL 15 (issue 11).
@Suite struct PostgreSQLRunTests {
    private func start(_ metadata: [(String, String)], type: String = "bindings.postgresql") async throws
        -> BinderyProcess
    {
        let components = try temporaryDirectory("postgresql-components")
        try writeComponent(components, name: "db", type: type, metadata: metadata)
        return try await BinderyProcess(["--resources-path", components])
    }

    @Test func execAndQueryAnswerAsDaprDoesWithTimingMetadata() async throws {
        let server = try await ServerProcess.sharedPostgreSQL()
        let database = try server.createDatabase("run")
        let bindery = try await start([("connectionString", server.postgreSQLConnectionString(database: database))])
        defer { bindery.stop() }

        let created = try await bindery.invoke("db", "exec", metadata: ["sql": "CREATE TABLE t (id int, name text)"])
        #expect(created.status == 200, "\(created.text)")
        let inserted = try await bindery.invoke(
            "db", "exec", metadata: ["sql": "INSERT INTO t VALUES ($1, $2), ($3, $4)", "params": #"[1,"<a>",2,null]"#])
        #expect(inserted.status == 200)
        #expect(inserted.body.isEmpty)
        #expect(inserted.header("metadata.rows-affected") == "2")
        #expect(inserted.header("metadata.operation") == "exec")
        #expect(inserted.header("metadata.sql") == "INSERT INTO t VALUES ($1, $2), ($3, $4)")
        let stamp = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$"#
        #expect(inserted.header("metadata.start-time")?.range(of: stamp, options: .regularExpression) != nil)
        #expect(inserted.header("metadata.end-time")?.range(of: stamp, options: .regularExpression) != nil)
        let duration = inserted.header("metadata.duration") ?? ""
        #expect(duration.range(of: #"^[0-9.]+(ns|µs|ms|s)$"#, options: .regularExpression) != nil, "\(duration)")

        let queried = try await bindery.invoke("db", "query", metadata: ["sql": "SELECT id, name\nFROM t ORDER BY id"])
        #expect(queried.status == 200)
        #expect(queried.text == #"[[1,"\u003ca\u003e"],[2,null]]"#)
        #expect(queried.header("Content-Type") == "application/json")
        #expect(queried.header("metadata.operation") == "query")
        #expect(queried.header("metadata.sql") == "SELECT id, name FROM t ORDER BY id", "one line, as Go writes it")

        let failed = try await bindery.invoke("db", "query", metadata: ["sql": "SELECT * FROM missing"])
        #expect(failed.status == 500)
        #expect(failed.json?["errorCode"] as? String == "ERR_INVOKE_OUTPUT_BINDING")
        #expect(
            failed.json?["message"] as? String
                == #"error invoking output binding db: error executing query: ERROR: relation "missing" does not exist (SQLSTATE 42P01)"#
        )

        let badParams = try await bindery.invoke("db", "exec", metadata: ["sql": "SELECT 1", "params": "{}"])
        #expect(badParams.status == 500)
        #expect(
            (badParams.json?["message"] as? String)?.hasPrefix(
                "error invoking output binding db: invalid metadata property params: failed to unserialize into an array"
            ) == true)

        let unknown = try await bindery.invoke("db", "drop", metadata: ["sql": "SELECT 1"])
        #expect(unknown.status == 500)
        #expect(
            unknown.json?["message"] as? String
                == "error invoking output binding db: binding db does not support operation drop. supported operations:exec query close"
        )

        let closed = try await bindery.invoke("db", "close")
        #expect(closed.status == 204)
    }

    @Test func theAliasTypeAndTheOlderUrlWithPgxPoolParametersWork() async throws {
        let server = try await ServerProcess.sharedPostgreSQL()
        let database = try server.createDatabase("alias")
        let url = "postgres://postgres@127.0.0.1:\(server.port)/\(database)?pool_max_conns=2&pool_max_conn_idle_time=1m"
        let bindery = try await start([("url", url)], type: "bindings.postgres")
        defer { bindery.stop() }
        let answer = try await bindery.invoke("db", "query", metadata: ["sql": "SELECT current_database()"])
        #expect(answer.status == 200, "\(answer.text)")
        #expect(answer.text == "[[\"\(database)\"]]")
    }

    @Test func serverDownFailsClearlyAndRecoversWithoutRestart() async throws {
        let server = try await ServerProcess.postgreSQL()
        defer { server.stop(signal: SIGINT) }
        let bindery = try await start([("connectionString", server.postgreSQLConnectionString())])
        defer { bindery.stop() }
        #expect(try await bindery.invoke("db", "query", metadata: ["sql": "SELECT 1"]).status == 200)

        server.stop(signal: SIGINT)
        let down = try await bindery.invoke("db", "query", metadata: ["sql": "SELECT 1"])
        #expect(down.status == 500)
        let message = down.json?["message"] as? String ?? ""
        #expect(message.hasPrefix("error invoking output binding db: error executing query: "), "\(message)")
        #expect(message.contains("127.0.0.1"), "the error names the server: \(message)")

        try await server.start()
        let back = try await bindery.invoke("db", "query", metadata: ["sql": "SELECT 2"])
        #expect(back.status == 200, "\(back.text)")
        #expect(back.text == "[[2]]")
        #expect(bindery.process.isRunning)
    }

    /// A component with no connection at all is caught by the driver's own check at create,
    /// which `bindery validate` runs too (no field alone is required: Dapr takes any of them).
    @Test func validateAcceptsEveryDaprSpellingAndCatchesABadDurationAndNoConnection() async throws {
        let components = try temporaryDirectory("postgresql-validate")
        try writeComponent(components, name: "a", type: "bindings.postgres", metadata: [("url", "postgres://u@h/d")])
        try writeComponent(
            components, name: "b", type: "bindings.postgresql", metadata: [("host", "h"), ("user", "u")])
        try writeComponent(components, name: "c", type: "bindings.postgresql", metadata: [("timeout", "soon")])
        try writeComponent(components, name: "d", type: "bindings.postgresql", metadata: [("timeout", "5s")])
        let result = try run(
            try Paths.bindery, ["validate", "--resources-path", components], environment: ["HOME": NSHomeDirectory()])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("4 components, 2 errors"), "\(result.stdout)")
        #expect(result.stdout.contains("\"timeout\""), "\(result.stdout)")
        #expect(
            result.stdout.contains("d.yaml:1:1: error: component \"d\": bindings.postgresql create failed"),
            "\(result.stdout)")
        #expect(result.stdout.contains("\"connectionString\" is required"), "\(result.stdout)")
        #expect(!result.stdout.contains("unknown metadata field"), "\(result.stdout)")
    }
}
