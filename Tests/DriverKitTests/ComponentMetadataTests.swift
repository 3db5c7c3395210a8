import DriverKit
import Testing

@Suite struct ComponentMetadataTests {
    static let fields = [
        MetadataField("schedule", required: true, description: "When."),
        MetadataField("poolSize", .int, default: "2", description: "Connections."),
        MetadataField("maxRetries", .int, description: "Older name of redisMaxRetries."),
        MetadataField("redisMaxRetries", .int, default: "3", description: "Retries."),
        MetadataField("timeout", .duration, default: "5s", description: "How long."),
        MetadataField("limit", .byteSize, description: "How much."),
        MetadataField("retain", .bool, default: "false", description: "Keep."),
        MetadataField("redisType", .enumeration(["node", "cluster"]), default: "node", description: "Kind."),
        MetadataField("pin", .int, sensitive: true, description: "A secret number."),
    ]

    func metadata(_ values: [String: String]) -> ComponentMetadata {
        ComponentMetadata(
            DriverConfiguration(componentName: "orders", type: "bindings.test", directions: .output, metadata: values),
            fields: Self.fields)
    }

    @Test func keysMatchCaseInsensitively() throws {
        let m = metadata(["Schedule": "@every 1s", "POOLSIZE": "4"])
        #expect(try m.required("schedule") == "@every 1s")
        #expect(try m.int("poolSize") == 4)
        #expect(m.isSet("SCHEDULE"))
    }

    @Test func aSensitiveValueIsNotRepeatedInTheError() {
        let error = #expect(throws: DriverError.self) { try metadata(["pin": "hunter2"]).int("pin") }
        #expect(error?.message == "orders: metadata \"pin\" (sensitive, not shown) is not a whole number")
    }

    @Test func configurationValueIsCaseInsensitiveToo() {
        let configuration = DriverConfiguration(
            componentName: "c", type: "t", directions: .input, metadata: ["Schedule": "x", "empty": ""])
        #expect(configuration.value("schedule") == "x")
        #expect(configuration.value("Empty") == nil)
    }

    @Test func declaredDefaultsFillTheGaps() throws {
        let m = metadata(["schedule": "x", "limit": ""])
        #expect(try m.int("poolSize") == 2)
        #expect(try m.duration("timeout") == GoDuration(nanoseconds: 5_000_000_000))
        #expect(try m.bool("retain") == false)
        #expect(try m.byteSize("limit") == nil)
        #expect(try m.enumeration("redisType") == "node")
        #expect(!m.isSet("poolSize"))
    }

    @Test func anOlderSpellingSetByTheComponentBeatsTheNewOnesDefault() throws {
        #expect(try metadata(["maxRetries": "7"]).int("redisMaxRetries", "maxRetries") == 7)
        #expect(try metadata([:]).int("redisMaxRetries", "maxRetries") == 3)
        #expect(try metadata(["maxRetries": "7", "redisMaxRetries": "1"]).int("redisMaxRetries", "maxRetries") == 1)
    }

    @Test func typedReadsAcceptDaprSpellings() throws {
        let m = metadata(["timeout": "30", "limit": "4Mi", "retain": "Yes", "redisType": "Cluster"])
        #expect(try m.duration("timeout")?.nanoseconds == 30_000_000_000)
        #expect(try m.byteSize("limit")?.bytes == 4 << 20)
        #expect(try m.bool("retain") == true)
        #expect(try m.enumeration("redisType") == "cluster")
    }

    @Test func errorsNameComponentFieldAndValue() {
        func message(_ read: (ComponentMetadata) throws -> Void, _ values: [String: String]) -> String? {
            do { try read(metadata(values)) } catch { return (error as? DriverError)?.message }
            return nil
        }
        #expect(message({ _ = try $0.required("schedule") }, [:]) == "orders: metadata \"schedule\" is required")
        #expect(
            message({ _ = try $0.duration("timeout") }, ["timeout": "banana"])?
                .hasPrefix("orders: metadata \"timeout\" is \"banana\", expected a Go duration") == true)
        #expect(
            message({ _ = try $0.int("poolSize", range: 1...64) }, ["PoolSize": "0"])
                == "orders: metadata \"poolSize\" is \"0\", expected a whole number from 1 to 64")
        #expect(
            message({ _ = try $0.bool("retain") }, ["retain": "ture"])?.contains("\"ture\", expected a boolean") == true
        )
        #expect(
            message({ _ = try $0.enumeration("redisType") }, ["redisType": "ring"])
                == "orders: metadata \"redisType\" is \"ring\", expected one of \"node\", \"cluster\"")
        #expect(message({ _ = try $0.byteSize("limit") }, ["limit": "lots"])?.contains("expected a size") == true)
    }
}
