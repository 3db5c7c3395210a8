import DriverKit
import DriverTesting
import Testing

@testable import PostgreSQLDriver

/// Reading the component: both connection-string forms, the separate fields, pgx's pool
/// parameters, and refusals that name the component and the field (never a password).
@Suite struct SettingsTests {
    private func settings(_ metadata: [String: String]) throws -> PostgreSQLSettings {
        try makeDriver(metadata).settings
    }

    private func keyword(_ settings: PostgreSQLSettings, _ key: String) -> String? {
        settings.keywords.last { $0.key == key }?.value
    }

    private func refusal(_ metadata: [String: String]) -> String? {
        do {
            _ = try makeDriver(metadata)
            return nil
        } catch {
            return (error as? DriverError)?.message ?? "\(error)"
        }
    }

    @Test func keyValueFormWithQuotesAndEscapesIsRead() throws {
        let read = try settings([
            "connectionString": #"host=db.example port = 6432 user=app password='it\'s a secret' dbname=orders"#
        ])
        #expect(keyword(read, "host") == "db.example")
        #expect(keyword(read, "port") == "6432")
        #expect(keyword(read, "password") == "it's a secret")
        #expect(keyword(read, "dbname") == "orders")
        #expect(keyword(read, "client_encoding") == "UTF8")
        #expect(read.target == "user=app host=db.example port=6432 database=orders")
    }

    @Test func urlFormIsReadByLibpqWithPercentDecodingAndSeveralHosts() throws {
        let read = try settings(["connectionString": "postgresql://app:p%40ss@h1:5433,h2:5434/orders?sslmode=disable"])
        #expect(keyword(read, "user") == "app")
        #expect(keyword(read, "password") == "p@ss")
        #expect(keyword(read, "host") == "h1,h2")
        #expect(keyword(read, "port") == "5433,5434")
        #expect(keyword(read, "dbname") == "orders")
        #expect(keyword(read, "sslmode") == "disable")
    }

    @Test func theOlderNameUrlIsAccepted() throws {
        let read = try settings(["url": "postgres://app@localhost/orders"])
        #expect(keyword(read, "dbname") == "orders")
    }

    @Test func separateFieldsOverrideTheConnectionStringAsInDapr() throws {
        let read = try settings([
            "connectionString": "host=a port=1 user=u dbname=d", "host": "b", "port": "5432", "database": "other",
            "user": "v", "password": "pw", "sslRootCert": "/ca.pem", "hostaddr": "127.0.0.1",
        ])
        #expect(keyword(read, "host") == "b")
        #expect(keyword(read, "port") == "5432")
        #expect(keyword(read, "dbname") == "other")
        #expect(keyword(read, "user") == "v")
        #expect(keyword(read, "password") == "pw")
        #expect(keyword(read, "sslrootcert") == "/ca.pem")
        #expect(keyword(read, "hostaddr") == "127.0.0.1")
        // The fields alone are enough, as in Dapr.
        #expect(keyword(try settings(["host": "h", "user": "u", "database": "x"]), "dbname") == "x")
        // pgx's `database` key (libpq calls it dbname) is accepted in the string too.
        #expect(keyword(try settings(["connectionString": "host=h database=y"]), "dbname") == "y")
    }

    @Test func pgxPoolParametersAreTakenOutAndHonoured() throws {
        let read = try settings([
            "connectionString":
                "host=h pool_max_conns=7 pool_min_conns=2 pool_max_conn_lifetime=10m pool_max_conn_idle_time=90s pool_health_check_period=5s pool_max_conn_lifetime_jitter=1s statement_cache_capacity=10"
        ])
        #expect(read.pool.maxConns == 7)
        #expect(read.pool.minConns == 2)
        #expect(read.pool.maxConnLifetime == GoDuration(nanoseconds: 600_000_000_000))
        #expect(read.pool.maxConnIdleTime == GoDuration(nanoseconds: 90_000_000_000))
        #expect(read.pool.healthCheckPeriod == GoDuration(nanoseconds: 5_000_000_000))
        #expect(read.pool.maxConnLifetimeJitter == GoDuration(nanoseconds: 1_000_000_000))
        #expect(!read.keywords.contains { $0.key.hasPrefix("pool_") || $0.key == "statement_cache_capacity" })
        // In the URL form too.
        let url = try settings(["connectionString": "postgres://u@h/d?pool_max_conns=3&sslmode=disable"])
        #expect(url.pool.maxConns == 3)
        #expect(keyword(url, "sslmode") == "disable")
    }

    @Test func componentFieldsWinOverPoolParameters() throws {
        let read = try settings([
            "connectionString": "host=h pool_max_conns=7 pool_max_conn_idle_time=90s", "maxConns": "2",
            "connectionMaxIdleTime": "5s",
        ])
        #expect(read.pool.maxConns == 2)
        #expect(read.pool.maxConnIdleTime == GoDuration(nanoseconds: 5_000_000_000))
        #expect(try settings(["connectionString": "host=h"]).pool.maxConns >= 4)
    }

    @Test func unknownKeysAreServerSettingsSentInOptions() throws {
        let read = try settings([
            "connectionString": "host=h search_path=app options='-c work_mem=8MB' application_name=svc"
        ])
        let options = try #require(keyword(read, "options"))
        #expect(options.hasPrefix("-c search_path=app -c work_mem=8MB -c DateStyle=ISO"))
        #expect(keyword(read, "application_name") == "svc")
    }

    @Test func timeoutDefaultsTo20sAndMustBeAtLeastOneSecond() throws {
        #expect(try settings(["connectionString": "host=h"]).timeout == GoDuration(nanoseconds: 20_000_000_000))
        #expect(try settings(["connectionString": "host=h", "timeout": "3"]).timeout.nanoseconds == 3_000_000_000)
        #expect(
            try settings(["connectionString": "host=h", "timeoutInSeconds": "5s"]).timeout.nanoseconds == 5_000_000_000)
        #expect(
            refusal(["connectionString": "host=h", "timeout": "500ms"])?.hasPrefix(
                "db: metadata \"timeout\" is \"500ms\"") == true)
    }

    @Test func malformedConnectionStringsAreRefusedWithoutShowingThem() throws {
        let missing = try #require(refusal(["connectionString": "host=h password=hunter2 port"]))
        #expect(
            missing.hasPrefix(
                "db: metadata \"connectionString\" (sensitive, not shown) is not a PostgreSQL connection string: missing \"=\" after \"port\""
            ))
        #expect(!missing.contains("hunter2"))
        let quote = try #require(refusal(["url": "host=h password='hunter2"]))
        #expect(quote.contains("metadata \"url\""))
        #expect(quote.contains("unterminated quoted string"))
        #expect(!quote.contains("hunter2"))
        let url = try #require(refusal(["connectionString": "postgres://u:hunter2@[::1/db"]))
        #expect(url.contains("is not a PostgreSQL connection string: "), "\(url)")
        #expect(!url.contains("hunter2"))
        let query = try #require(refusal(["connectionString": "postgres://h/d?sslmode"]))
        #expect(query.contains("malformed URL query parameter \"sslmode\""))
        let pool = try #require(refusal(["connectionString": "host=h pool_max_conns=0"]))
        #expect(pool == "db: connectionString: pool_max_conns too small: 0")
        let lifetime = try #require(refusal(["connectionString": "host=h pool_max_conn_lifetime=soon"]))
        #expect(lifetime.hasPrefix("db: connectionString: invalid pool_max_conn_lifetime: time: invalid duration"))
        let key = try #require(refusal(["connectionString": "host=h bad-key=1"]))
        #expect(key == "db: connectionString: invalid connection option \"bad-key\"")
    }

    @Test func aComponentWithoutConnectionInformationIsRefused() {
        #expect(
            refusal([:])
                == "db: metadata \"connectionString\" is required (or the fields host, user, password, database)")
    }

    @Test func cloudIdentitiesAreRefusedClearly() {
        #expect(
            refusal(["connectionString": "host=h", "useAzureAD": "true"])?.contains(
                "Azure AD authentication is not supported") == true)
        #expect(
            refusal(["connectionString": "host=h", "useAWSIAM": "true"])?.hasPrefix(
                "db: metadata \"useAWSIAM\" is true") == true)
        #expect(refusal(["connectionString": "host=h", "useAzureAD": "false"]) == nil)
    }

    @Test func queryExecModeIsCheckedAndSimpleProtocolNoted() throws {
        let mode = refusal(["connectionString": "host=h", "queryExecMode": "fast"])
        #expect(mode == "db: invalid queryExecMode metadata value: fast")
        #expect(try settings(["connectionString": "host=h", "queryExecMode": "simple_protocol"]).simpleProtocol)
        #expect(try settings(["connectionString": "host=h default_query_exec_mode=simple_protocol"]).simpleProtocol)
        #expect(try !settings(["connectionString": "host=h", "queryExecMode": "exec"]).simpleProtocol)
    }
}
