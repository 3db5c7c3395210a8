import Testing

@testable import BinderyCore
@testable import BinderySystem

@Suite struct ManifestTypeAndMetadataCheckTests {
    @Test func typesMatchWithDaprsCaseRulesAliasesAndVersions() {
        let available = ["bindings.cron", "bindings.postgresql", "bindings.mqtt3", "bindings.kafka/v2"]
        #expect(ComponentType.resolve("bindings.CRON", among: available) == "bindings.cron")
        #expect(ComponentType.resolve("Bindings.cron", among: available) == nil)
        #expect(ComponentType.resolve("bindings.postgres", among: available) == "bindings.postgresql")
        #expect(ComponentType.resolve("bindings.mqtt", among: available) == "bindings.mqtt3")
        #expect(ComponentType.resolve("bindings.cron", version: "v0", among: available) == "bindings.cron")
        #expect(ComponentType.resolve("bindings.cron", version: "V1", among: available) == "bindings.cron")
        #expect(ComponentType.resolve("bindings.cron", version: "v2", among: available) == nil)
        #expect(ComponentType.resolve("bindings.kafka", version: "v2", among: available) == "bindings.kafka/v2")
        #expect(ComponentType.resolve("bindings.kafka", among: available) == nil)
        #expect(ComponentType.resolve("state.redis", among: ["state.redis"]) == nil)
    }

    static let fields = [
        DriverDescriptor.Field(name: "schedule", description: "", defaultValue: nil, required: true, sensitive: false),
        DriverDescriptor.Field(
            name: "timeZone", description: "", defaultValue: "UTC", required: true, sensitive: false),
        DriverDescriptor.Field(
            name: "maxRetries", description: "", defaultValue: nil, required: false, sensitive: false),
    ]

    static func component(_ items: [(String, String)]) -> Component {
        var component = Component(name: "tick", type: "bindings.cron")
        component.file = "c.yaml"
        component.line = 3
        component.metadata = items.enumerated().map { .init(name: $1.0, value: $1.1, line: 10 + $0, column: 5) }
        return component
    }

    /// A required field left out is an error at the component; one set empty, at its line.
    @Test(arguments: [
        (
            "maxRetries", "3",
            "c.yaml:3:1: error: component \"tick\" (bindings.cron): required metadata field \"schedule\" is missing"
        ),
        (
            "schedule", "",
            "c.yaml:10:5: error: component \"tick\" (bindings.cron): required metadata field \"schedule\" is empty"
        ),
    ])
    func requiredFieldMissingOrEmptyIsAnError(name: String, value: String, expected: String) {
        let problems = MetadataCheck.check(Self.component([(name, value)]), against: Self.fields)
        #expect(problems.map(\.description) == [expected])
    }

    @Test func unknownKeysWarnWithTheClosestField() {
        let problems = MetadataCheck.check(
            Self.component([("SCHEDULE", "@daily"), ("maxRetrys", "1"), ("Direction", "input"), ("route", "/x")]),
            against: Self.fields)
        #expect(
            problems.map(\.description) == [
                "c.yaml:11:5: warning: component \"tick\" (bindings.cron): unknown metadata field \"maxRetrys\"; did you mean \"maxRetries\"?"
            ])
    }

    @Test func declaredDefaultsAreAddedForFieldsLeftOutWhateverTheirCase() {
        let metadata = GenerationBuilder.withDefaults(
            Self.component([("Schedule", "@daily"), ("TIMEZONE", "Europe/Paris")]), Self.fields)
        #expect(metadata.map { "\($0.key)=\($0.value)" } == ["Schedule=@daily", "TIMEZONE=Europe/Paris"])
        let defaulted = GenerationBuilder.withDefaults(Self.component([("schedule", "@daily")]), Self.fields)
        #expect(defaulted.map { "\($0.key)=\($0.value)" } == ["schedule=@daily", "timeZone=UTC"])
    }

    @Test func problemsPrintLikeCompilerDiagnostics() {
        let problem = ManifestProblem.warning(ManifestError(.schema, "msg", file: "f.yaml", line: 2, column: 7))
        #expect(problem.description == "f.yaml:2:7: warning: msg")
        #expect(ManifestError(.unreadable, "gone", file: "f.yaml").description == "f.yaml: gone")
    }

    @Test func goFloatFormattingMatchesEncodingJSON() {
        #expect(GoFloat.json(1.5) == "1.5")
        #expect(GoFloat.json(1000) == "1000")
        #expect(GoFloat.json(1e21) == "1e+21")
        #expect(GoFloat.json(1.5e-7) == "1.5e-7")
        #expect(GoFloat.json(0.000001) == "0.000001")
        #expect(GoFloat.json(-0.25) == "-0.25")
        #expect(GoFloat.json(123_456_789_012) == "123456789012")
    }

    @Test func plainScalarsAreTypedByTheCoreSchema() {
        #expect(YAMLScalar.resolve("0x1F") == .int("31"))
        #expect(YAMLScalar.resolve("0o17") == .int("15"))
        #expect(YAMLScalar.resolve("+007") == .int("7"))
        #expect(YAMLScalar.resolve("-3") == .int("-3"))
        #expect(YAMLScalar.resolve(".5") == .float(0.5))
        #expect(YAMLScalar.resolve("yes") == .string("yes"))
        #expect(YAMLScalar.resolve("1.2.3") == .string("1.2.3"))
        #expect(YAMLScalar.resolve("TRUE") == .bool(true))
    }
}
