import DriverKit
import DriverTesting
import Testing

@testable import PostgreSQLDriver

/// Column values come back as Dapr's driver returns them: pgx's Go values through json.Marshal.
@Suite struct TypeTests {
    let server: ServerProcess
    let database: String
    var metadata: [String: String] { ["connectionString": server.postgreSQLConnectionString(database: database)] }

    init() async throws { (server, database) = try await sharedDatabase("types") }

    /// `sql` must select one value; returns it as JSON text.
    private func value(_ driver: PostgreSQLDriver, _ sql: String) async throws -> String {
        let rows = try await driver.rows("SELECT " + sql)
        #expect(rows.hasPrefix("[[") && rows.hasSuffix("]]"), "\(rows)")
        return String(rows.dropFirst(2).dropLast(2))
    }

    @Test(arguments: [
        ("1::int2", "1"), ("(-2147483648)::int4", "-2147483648"), ("9223372036854775807::int8", "9223372036854775807"),
        ("1.5::float4", "1.5"), ("0.1::float4", "0.1"), ("1e21::float8", "1e+21"), ("1e-7::float8", "1e-7"),
        ("123456789.125::float8", "123456789.125"), ("12.50::numeric(10,2)", "12.50"), ("'NaN'::numeric", #""NaN""#),
        ("true", "true"), ("'f'::bool", "false"), ("NULL", "null"),
        ("'a<b>&\"c\"'::text", #""a\u003cb\u003e\u0026\"c\"""#),
        ("'x'::varchar(3)", #""x""#), ("'ab'::char(3)", #""ab ""#), ("'é'::name", #""é""#),
        (#"'{"b":1,"a":[1.0,2e3,"<"]}'::jsonb"#, #"{"a":[1,2000,"\u003c"],"b":1}"#),
        (#"'{"z":1, "z":2}'::json"#, #"{"z":2}"#), ("'\\x48656c6c6f'::bytea", #""SGVsbG8=""#),
        (
            "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
            "[160,238,188,153,156,11,78,248,187,109,107,185,189,56,10,17]"
        ),
        ("'2024-02-29'::date", #""2024-02-29T00:00:00Z""#),
        ("'2024-02-29 13:14:15.123456'::timestamp", #""2024-02-29T13:14:15.123456Z""#),
        ("'2024-02-29 13:14:15.5+02'::timestamptz", #""2024-02-29T11:14:15.5Z""#),
        ("'infinity'::timestamp", "1"), ("'-infinity'::date", "-1"),
        ("'13:14:15.25'::time", #"{"Microseconds":47655250000,"Valid":true}"#),
        (
            "'1 year 2 mons 3 days 04:05:06.5'::interval",
            #"{"Microseconds":14706500000,"Days":3,"Months":14,"Valid":true}"#
        ),
        ("'-1 days -00:00:01'::interval", #"{"Microseconds":-1000000,"Days":-1,"Months":0,"Valid":true}"#),
        ("'10.1.2.3'::inet", #""10.1.2.3/32""#), ("'10.1.0.0/16'::cidr", #""10.1.0.0/16""#),
        ("'::1'::inet", #""::1/128""#),
        ("ARRAY[1,2,NULL]::int[]", "[1,2,null]"), (#"ARRAY['a b','c,"d',NULL]::text[]"#, #"["a b","c,\"d",null]"#),
        ("ARRAY[[1,2],[3,4]]::int[]", "[1,2,3,4]"), ("'{}'::int[]", "null"),
        ("ARRAY['2024-01-01'::date]", #"["2024-01-01T00:00:00Z"]"#),
        ("'x'::\"char\"", "120"), ("42::oid", "42"),
    ])
    func valuesAreConvertedAsDaprsDriverConvertsThem(_ sql: String, _ expected: String) async throws {
        try await withDriver(metadata) { driver async throws in
            #expect(try await value(driver, sql) == expected, "SELECT \(sql)")
        }
    }

    @Test func typesPgxDoesNotDecodeAreTheirText() async throws {
        try await withDriver(metadata) { driver async throws in
            _ = try await driver.call(
                "exec",
                "DO $$ BEGIN CREATE TYPE mood AS ENUM ('ok', 'sad'); EXCEPTION WHEN duplicate_object THEN NULL; END $$")
            #expect(try await value(driver, "'sad'::mood") == #""sad""#)
        }
    }

    @Test func notANumberCannotBeSerialisedAsInDapr() async throws {
        try await withDriver(metadata) { driver async throws in
            let error = await driverError { _ = try await driver.rows("SELECT 'NaN'::float8") }
            #expect(error?.message == "error serializing results: json: unsupported value: NaN")
        }
    }
}
