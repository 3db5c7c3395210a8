import DaprMetadata
import Foundation
import Testing

@testable import BinderyCore
@testable import BinderySystem

@Suite struct ManifestComponentLoaderTests {
    @Test func daprDocsExamplesLoadAsWritten() throws {
        let (set, dir) = try loadFolder([
            "cron.yaml": """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: scheduled
            spec:
              type: bindings.cron
              version: v1
              metadata:
              - name: schedule
                value: "@every 15m" # valid cron schedule
              - name: direction
                value: "input"
            """,
            "http.yaml": """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: myhttp
            spec:
              type: bindings.http
              version: v1
              metadata:
                - name: url
                  value: "http://something.com"
                - name: maxResponseBodySize
                  value: 100Mi
                - name: direction
                  value: "output"
            """,
            "redis.yml": """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: redis-out
            spec:
              type: bindings.redis
              version: v1
              metadata:
              - name: redisHost
                value: localhost:6379
              - name: enableTLS
                value: false
              - name: maxRetries
                value: 3
            """,
            "kafka.YAML": """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: kafka-binding
              namespace: default
            spec:
              type: bindings.kafka
              version: v1
              ignoreErrors: true
              initTimeout: 1m30s
              metadata:
              - name: topics # Optional. Used for input bindings.
                value: "topic1,topic2"
              - name: brokers
                value: "localhost:9092,localhost:9093"
              - name: consumerGroup
                value: "group1"
              - name: authType
                value: "none"
              - name: route
                value: kafka//events/./in/
            """,
            "notes.txt": "not yaml",
        ])
        #expect(set.problems == [])
        #expect(set.components.map(\.name) == ["scheduled", "myhttp", "kafka-binding", "redis-out"])
        let cron = set.components[0]
        #expect(
            cron.type == "bindings.cron" && cron.version == "v1" && cron.file == "\(dir)/cron.yaml" && cron.line == 1)
        #expect(
            cron.metadata == [
                .init(name: "schedule", value: "@every 15m", line: 9, column: 5),
                .init(name: "direction", value: "input", line: 11, column: 5),
            ])
        #expect(cron.directions == ["input"])
        #expect(cron.route == nil)
        #expect(cron.initTimeout == .seconds(5))
        let redis = set.components[3]
        #expect(redis.metadata.map(\.value) == ["localhost:6379", "false", "3"])
        #expect(redis.directions == nil)
        let kafka = set.components[2]
        #expect(kafka.ignoreErrors && kafka.initTimeout == .seconds(90) && kafka.namespace == "default")
        #expect(kafka.route == "/kafka/events/in")
    }

    @Test func kubernetesStyleFileSkipsOtherKindsAndVersions() throws {
        let (set, _) = try loadFolder([
            "all.yaml": """
            apiVersion: dapr.io/v1alpha1
            kind: Subscription
            metadata:
              name: sub
            spec: {topic: orders}
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: first
            spec:
              type: bindings.cron
              metadata:
              - name: schedule
                value: "@every 1s"
            ---
            # a comment-only document
            ---
            apiVersion: dapr.io/v2
            kind: Component
            metadata: {name: wrongversion}
            spec: {type: bindings.cron}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: cm
            data:
              key: value
            ---
            apiVersion: dapr.io/v1alpha1
            kind: component
            metadata: {name: lowercasekind}
            spec: {type: bindings.cron}
            ---
            APIVERSION: dapr.io/v1alpha1
            Kind: Component
            Metadata:
              Name: second
            Spec:
              Type: bindings.http
            """
        ])
        #expect(set.problems == [])
        #expect(set.components.map(\.name) == ["first", "second"])
        #expect(set.components.map(\.line) == [7, 36])
        #expect(set.components[1].type == "bindings.http")
    }

    @Test func nonStringValuesBecomeTheirJSONText() throws {
        let (set, _) = try loadFolder([
            "v.yaml": bindingYAML(
                "values",
                extra: """
                      - {name: int, value: 5}
                      - {name: bool, value: true}
                      - {name: float, value: 1.50}
                      - {name: big, value: 1e21}
                      - {name: nothing, value: null}
                      - {name: empty, value: }
                      - {name: quoted, value: "5"}
                      - name: list
                        value: [a, "b", 3]
                      - name: map
                        value: {z: 1, a: "<x>", m: [true]}
                    """)
        ])
        #expect(set.problems == [])
        let values = try #require(set.components.first).metadata.dropFirst().map { "\($0.name)=\($0.value)" }
        #expect(
            values == [
                "int=5", "bool=true", "float=1.5", "big=1e+21", "nothing=", "empty=", "quoted=5",
                #"list=["a","b",3]"#, #"map={"a":"\u003cx\u003e","m":[true],"z":1}"#,
            ])
    }

    @Test func aNullMetadataNameIsMissing() throws {
        let (set, dir) = try loadFolder(["v.yaml": bindingYAML("n", extra: "  - {name: null, value: 1}")])
        #expect(set.problems.map(\.description) == ["\(dir)/v.yaml:11:5: error: spec.metadata[1].name is required"])
    }

    @Test func aBadDocumentIsReportedAndTheOthersStillLoad() throws {
        let (set, dir) = try loadFolder([
            "a.yaml": bindingYAML("good1") + "\n---\n" + bindingYAML("bad", extra: "  - name: x\n    value: &anchor 1")
                + "\n---\n" + bindingYAML("good2")
        ])
        #expect(set.components.map(\.name) == ["good1", "good2"])
        #expect(
            set.problems.map(\.description) == [
                "\(dir)/a.yaml:24:12: error: anchors (&) are not supported; write the value out"
            ])
    }

    @Test func missingFieldsAndBadShapesAreErrorsWithPositions() throws {
        let (set, dir) = try loadFolder([
            "a.yaml": "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec:\n  version: v1\n",
            "b.yaml": "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {}\nspec: {type: bindings.cron}\n",
            "c.yaml":
                "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: c}\nspec:\n  type: bindings.cron\n  ignoreErrors: yes\n",
            "d.yaml":
                "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: d}\nspec:\n  type: bindings.cron\n  metadata: {schedule: x}\n",
        ])
        #expect(set.components.isEmpty)
        #expect(
            set.problems.map(\.description) == [
                "\(dir)/a.yaml:6:3: error: spec.type is required",
                "\(dir)/b.yaml:3:11: error: metadata.name is required",
                "\(dir)/c.yaml:6:17: error: spec.ignoreErrors must be true or false, found a string \"yes\"",
                "\(dir)/d.yaml:6:13: error: spec.metadata must be a sequence of {name, value} entries, found a mapping",
            ])
    }

    @Test func invalidNamesAreErrors() throws {
        for name in ["\".\"", "\"..\"", "a/b", "a%20b"] {
            let (set, _) = try loadFolder(["n.yaml": bindingYAML(name)])
            #expect(set.components.isEmpty)
            #expect(set.problems.first?.code == .invalidName)
            #expect(set.problems.first?.message.contains("is not a valid component name") == true)
        }
    }

    @Test func duplicateNamesAcrossFilesNameBothPlaces() throws {
        let (set, dir) = try loadFolder([
            "a.yaml": bindingYAML("same"),
            "b.yaml": "# first line\n" + bindingYAML("same", type: "bindings.http"),
        ])
        #expect(set.components.map(\.type) == ["bindings.cron"])
        #expect(
            set.problems.map(\.description) == [
                "\(dir)/b.yaml:2:1: error: duplicate definition of component \"same\": first defined at \(dir)/a.yaml:1, again at \(dir)/b.yaml:2"
            ])
    }

    @Test func componentsScopedToOtherAppsAreSkippedWithAWarning() throws {
        let (set, dir) = try loadFolder([
            "a.yaml": bindingYAML("mine", extra: "scopes:\n- myapp\n- other"),
            "b.yaml": bindingYAML("theirs", extra: "scopes: [other]"),
        ])
        #expect(set.components.map(\.name) == ["mine"])
        #expect(
            set.problems.map(\.description) == [
                "\(dir)/b.yaml:1:1: warning: component \"theirs\" is scoped to [\"other\"], not to app \"myapp\": skipped"
            ])
    }

    @Test func namespaceIsHonouredOnlyWhenNamespaceIsSet() throws {
        let files = [
            "a.yaml": bindingYAML("prod").replacingOccurrences(
                of: "  name: prod", with: "  name: prod\n  namespace: production"),
            "b.yaml": bindingYAML("plain"),
        ]
        let (unset, _) = try loadFolder(files)
        #expect(unset.components.map(\.name) == ["prod", "plain"])
        let (staging, _) = try loadFolder(files, environment: ["NAMESPACE": "staging"])
        #expect(staging.components.map(\.name) == ["plain"])
        let (production, _) = try loadFolder(files, environment: ["NAMESPACE": "production"])
        #expect(production.components.map(\.name) == ["prod", "plain"])
    }

    @Test func directoriesAreReadInOrderWithoutRecursion() throws {
        let first = try resourcesFolder(["z.yaml": bindingYAML("z"), "a.yml": bindingYAML("a")])
        let second = try resourcesFolder(["m.yaml": bindingYAML("m")])
        try FileManager.default.createDirectory(atPath: "\(first)/sub.yaml", withIntermediateDirectories: true)
        try bindingYAML("nested").write(toFile: "\(first)/sub.yaml/n.yaml", atomically: true, encoding: .utf8)
        let set = ComponentLoader.load(
            paths: [second, first, "/nonexistent-bindery"], appID: "myapp", environment: [:])
        #expect(set.components.map(\.name) == ["m", "a", "z"])
        #expect(set.problems.map(\.description) == ["/nonexistent-bindery: error: resources path is not a directory"])
    }

    @Test func directionAndRouteAreDerived() {
        var component = Component(name: "c", type: "bindings.kafka")
        component.metadata = [.init(name: "Direction", value: " Input , OUTPUT,", line: 1)]
        #expect(component.directions == ["input", "output"])
        component.metadata = [
            .init(name: "direction", value: "", line: 1), .init(name: "ROUTE", value: "a/../b//c/", line: 2),
        ]
        #expect(component.directions == [])
        #expect(component.route == "/b/c")
    }

    @Test func initTimeoutFollowsGoDurations() {
        #expect(GoDuration.initTimeout("500ms") == .milliseconds(500))
        #expect(GoDuration.initTimeout("1m30s") == .seconds(90))
        #expect(GoDuration.initTimeout("1.5h") == .seconds(5400))
        #expect(GoDuration.initTimeout("0") == .seconds(5))
        #expect(GoDuration.initTimeout("-1s") == .seconds(5))
        #expect(GoDuration.initTimeout("5") == .seconds(5))
        #expect(GoDuration.initTimeout("10x") == .seconds(5))
        #expect(GoDuration.parse("2us") == .microseconds(2))
    }
}
