import Foundation

extension ServerProcess {
    /// Where Debian installs PostgreSQL 15's server programs.
    static let postgreSQLBin = "/usr/lib/postgresql/15/bin"

    /// A started PostgreSQL 15 on a free loopback port: `initdb` into a fresh folder, run as the
    /// `postgres` user (the server refuses root), trust authentication, or `scram-sha-256` with
    /// user `postgres` and `password` when given. A watchdog stops it (`pg_ctl -m immediate`) once
    /// this test process is gone, so a crashed or killed test run leaves no server behind.
    ///
    /// `settings` are extra `-c name=value` server settings (`ssl=on`, …).
    ///
    /// Stop it with `stop(signal: SIGINT)` (a fast shutdown): SIGTERM waits for every client to
    /// disconnect, and a driver's pool never does.
    public static func postgreSQL(password: String? = nil, settings: [String] = []) async throws -> ServerProcess {
        try await started {
            try ServerProcess(
                name: "postgresql", program: "/usr/bin/setpriv", password: password,
                arguments: { port, directory in
                    try initializePostgreSQL(in: directory, password: password)
                    return [
                        "--reuid=postgres", "--regid=postgres", "--init-groups", "--", "\(postgreSQLBin)/postgres",
                        "-D", "\(directory)/data", "-p", String(port), "-k", directory,
                        "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200",
                    ] + settings.flatMap { ["-c", $0] }
                },
                isReady: { server in
                    (try? run("/usr/bin/pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(server.port)]))?.status == 0
                })
        }
    }

    /// One server for the whole test process, started on first use (tests that stop their
    /// server start their own). Each test should work in its own database (`createDatabase`).
    public static func sharedPostgreSQL() async throws -> ServerProcess {
        try await sharedPostgreSQLServer.value
    }

    private static let sharedPostgreSQLServer = Task { try await postgreSQL() }

    /// Runs `initdb` as postgres in `directory`/data and starts the watchdog.
    private static func initializePostgreSQL(in directory: String, password: String?) throws {
        var auth = ["-A", "trust"]
        if let password {
            try password.write(toFile: "\(directory)/pwfile", atomically: true, encoding: .utf8)
            auth = ["-A", "scram-sha-256", "--pwfile=\(directory)/pwfile"]
        }
        try shell("chown -R postgres:postgres '\(directory)'")
        let initdb = try run(
            "/usr/bin/setpriv",
            [
                "--reuid=postgres", "--regid=postgres", "--init-groups", "--", "\(postgreSQLBin)/initdb", "-D",
                "\(directory)/data", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C",
            ] + auth)
        guard initdb.status == 0 else { throw TestFailure("initdb failed: \(initdb.stdout)\(initdb.stderr)") }
        // The watchdog: a shell that outlives nothing but this process. It watches its own parent
        // (`kill -0` also succeeds for a parent that exited and was not yet reaped).
        let watchdog = """
            while [ "$(cut -d ' ' -f 4 /proc/$$/stat)" = \(getpid()) ]; do sleep 1; done
            setpriv --reuid=postgres --regid=postgres --init-groups -- \(postgreSQLBin)/pg_ctl stop -m immediate -D '\(directory)/data'
            """
        _ = try spawn(["/bin/sh", "-c", watchdog], stdout: "/dev/null", stderr: nil)
    }

    /// A new database on this server, named `name` plus a unique suffix; returns its name.
    public func createDatabase(_ name: String) throws -> String {
        let database = "\(name)_\(UInt32.random(in: 0...UInt32.max))".lowercased()
        try psql("CREATE DATABASE \(database)")
        return database
    }

    /// Runs `sql` with psql (as postgres, in `database`) and returns its unaligned output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let result = try run(
            "/usr/bin/psql",
            [
                "-X", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",
                "-Atc", sql,
            ],
            environment: password.map { ["PGPASSWORD": $0] } ?? [:])
        guard result.status == 0 else { throw TestFailure("psql \(sql) failed: \(result.stderr)") }
        var text = result.stdout
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// A key/value connection string for `database` as user postgres (with the password if any).
    public func postgreSQLConnectionString(database: String = "postgres") -> String {
        "host=127.0.0.1 port=\(port) user=postgres dbname=\(database)" + (password.map { " password=\($0)" } ?? "")
    }
}
