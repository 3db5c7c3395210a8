import Foundation
import Testing

@testable import BinderyCore
@testable import BinderySystem

@Suite struct ManifestSecretsAndTemplatesTests {
    static let envStore = """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: envstore
        spec:
          type: secretstores.local.env
          version: v1
        """

    static func fileStore(_ path: String, separator: String? = nil) -> String {
        """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: filestore
        spec:
          type: secretstores.local.file
          metadata:
          - name: secretsFile
            value: \(path)
          - name: multiValued
            value: "false"
        """ + (separator.map { "\n  - name: nestedSeparator\n    value: \"\($0)\"" } ?? "")
    }

    static func user(store: String, _ entries: String) -> String {
        """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: user
        spec:
          type: bindings.redis
          metadata:
        \(entries)
        auth:
          secretStore: \(store)
        """
    }

    @Test func secretsComeFromTheLocalEnvStore() throws {
        let (set, _) = try loadFolder(
            [
                "s.yaml": Self.envStore,
                "u.yaml": Self.user(
                    store: "envstore", "  - name: redisPassword\n    secretKeyRef:\n      name: REDIS_PASS\n"),
            ], environment: ["REDIS_PASS": "s3cret"])
        #expect(set.problems == [])
        #expect(set.components.map(\.name) == ["user"])
        #expect(set.components[0].value(of: "redisPassword") == "s3cret")
    }

    @Test func secretsComeFromTheLocalFileStoreFlattened() throws {
        let secrets = try resourcesFolder([
            "secrets.json":
                #"{"redis": {"password": "p\u00e9", "port": 6379, "tls": true, "hosts": ["a", "b"]}, "plain": "x"}"#
        ])
        for (separator, key) in [(nil, "redis:password"), (".", "redis.password")] {
            let (set, _) = try loadFolder([
                "s.yaml": Self.fileStore("\(secrets)/secrets.json", separator: separator),
                "u.yaml": Self.user(
                    store: "filestore",
                    """
                      - name: password
                        secretKeyRef: {name: "\(key)", key: "\(key)"}
                      - name: port
                        secretKeyRef: {name: "redis\(separator ?? ":")port"}
                      - name: host
                        secretKeyRef: {name: "redis\(separator ?? ":")hosts\(separator ?? ":")1"}
                      - name: plain
                        secretKeyRef: {name: plain}
                    """),
            ])
            #expect(set.problems == [])
            #expect(set.components.first?.metadata.map(\.value) == ["pé", "6379", "b", "x"])
        }
    }

    @Test func unresolvableSecretsNameFileLineComponentFieldAndSecret() throws {
        let (set, dir) = try loadFolder([
            "s.yaml": Self.envStore,
            "u.yaml": Self.user(store: "envstore", "  - name: redisPassword\n    secretKeyRef:\n      name: MISSING\n"),
            "v.yaml": Self.user(store: "nostore", "  - name: token\n    secretKeyRef: {name: t}\n")
                .replacingOccurrences(of: "name: user", with: "name: user2"),
        ])
        #expect(set.components.isEmpty)
        #expect(
            set.problems.map(\.description) == [
                "\(dir)/u.yaml:8:5: error: component \"user\": metadata \"redisPassword\": secret \"MISSING\" key \"MISSING\" cannot be resolved: environment variable \"MISSING\" is not set (secret store \"envstore\")",
                "\(dir)/v.yaml:8:5: error: component \"user2\": metadata \"token\": secret \"t\" key \"t\" cannot be resolved: secret store \"nostore\" is not defined (or not loaded for this app)",
            ])
    }

    @Test func aMissingSecretsFileIsReportedOnUse() throws {
        let (set, _) = try loadFolder([
            "s.yaml": Self.fileStore("/nonexistent/secrets.json"),
            "u.yaml": Self.user(store: "filestore", "  - name: p\n    secretKeyRef: {name: a}\n"),
        ])
        #expect(set.components.isEmpty)
        #expect(set.problems.first?.message.contains("secretsFile is missing or not a regular file") == true)
    }

    @Test func envRefReadsTheEnvironmentWhenValueIsEmpty() throws {
        let (set, dir) = try loadFolder(
            [
                "u.yaml": Self.user(
                    store: "",
                    """
                      - name: a
                        envRef: HOST_A
                      - name: b
                        value: written
                        envRef: HOST_A
                      - name: c
                        envRef: UNSET_VAR
                    """)
            ], environment: ["HOST_A": "from-env"])
        #expect(set.components.first?.metadata.map(\.value) == ["from-env", "written", ""])
        #expect(
            set.problems.map(\.description) == [
                "\(dir)/u.yaml:13:5: warning: component \"user\": metadata \"c\": environment variable \"UNSET_VAR\" named by envRef is not set; the value is empty"
            ])
    }

    @Test func envRefRefusesReservedNames() throws {
        for name in ["APP_API_TOKEN", "DAPR_API_TOKEN", "\"HAS SPACE\""] {
            let (set, _) = try loadFolder(
                ["u.yaml": Self.user(store: "", "  - name: a\n    envRef: \(name)\n")],
                environment: ["APP_API_TOKEN": "x", "DAPR_API_TOKEN": "y"])
            #expect(set.components.isEmpty)
            #expect(set.problems.first?.code == .environment)
            #expect(set.problems.first?.message.contains("is not allowed") == true)
        }
        #expect(MetadataResolver.isDeniedEnvRef(""))
    }

    @Test func templatesAreReplacedInEveryValue() throws {
        let entries = """
              - {name: id, value: "{uuid}-{uuid}"}
              - {name: app, value: "app={appID}"}
              - {name: ns, value: "{namespace}"}
              - {name: pod, value: "{podName}"}
            """
        let (set, _) = try loadFolder(
            ["u.yaml": Self.user(store: "", entries)], environment: ["NAMESPACE": "prod", "POD_NAME": "pod-1"])
        #expect(set.problems == [])
        let values = try #require(set.components.first).metadata.map(\.value)
        #expect(values[1...] == ["app=myapp", "prod.myapp", "pod-1"])
        let ids = values[0].split(separator: "-", maxSplits: 5)
        #expect(values[0].count == 73)
        #expect(values[0].prefix(36) != values[0].suffix(36))
        #expect(ids[2].first == "4")
        let (defaults, _) = try loadFolder(["u.yaml": Self.user(store: "", "  - {name: ns, value: \"{namespace}\"}")])
        #expect(defaults.components.first?.metadata.first?.value == "default.myapp")
    }

    @Test func podNameTemplateWithoutPodNameIsAnError() throws {
        let (set, dir) = try loadFolder(["u.yaml": Self.user(store: "", "  - {name: consumerID, value: \"{podName}\"}")]
        )
        #expect(set.components.isEmpty)
        #expect(
            set.problems.map(\.description) == [
                "\(dir)/u.yaml:8:5: error: component \"user\": metadata \"consumerID\" refers to {podName} but POD_NAME is not set"
            ])
    }

    @Test func secretStoresAreNotReturnedButTheirNamesCount() throws {
        let (set, _) = try loadFolder(["s.yaml": Self.envStore, "t.yaml": bindingYAML("envstore")])
        #expect(set.components.isEmpty)
        #expect(set.problems.first?.code == .duplicateName)
    }
}
