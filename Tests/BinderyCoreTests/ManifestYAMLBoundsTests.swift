import Testing

@testable import BinderyCore
@testable import BinderySystem

/// Issue 9, item 6: every part of reading component files is linear, and a folder has bounds
/// (4 MiB a file, 1 MiB a scalar) whose breach is reported with its place while the other
/// files still load. The time bounds are hang guards, wide for a debug build on two shared
/// cores: these inputs take about 4 s there now, and ran past 300 s before.
@Suite struct ManifestYAMLBoundsTests {
    /// Limits with room for values larger than a scalar may be, to measure the parser alone.
    static var roomy: YAMLReader.Limits {
        var limits = YAMLReader.Limits()
        limits.maxScalarBytes = 8 << 20
        return limits
    }

    static func seconds(_ work: () throws -> Void) rethrows -> Double {
        let elapsed = try ContinuousClock().measure(work)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// The unfixed reader copied the value at each character: 6 s for 400 KB, minutes for 3 MB.
    @Test(arguments: ["\"", "'"]) func threeMegabyteQuotedValueParsesInBoundedTime(quote: String) throws {
        let text = "value: \(quote)" + String(repeating: "a", count: 3_000_000) + "\(quote)\n"
        var documents: [YAMLReader.Document] = []
        let seconds = Self.seconds {
            documents = YAMLReader.documents(in: Array(text.utf8), file: "t.yaml", limits: Self.roomy)
        }
        #expect(seconds < 60, "took \(seconds) s")
        let root = try #require(try documents.first?.result.get())
        #expect(scalar(root, "value")?.utf8.count == 3_000_000)
    }

    /// 3.6 MB of `\u0041`: 28 s before, for 600,000 characters of text.
    @Test func escapesOfThreeAndAHalfMegabytesParseInBoundedTime() throws {
        let text = "value: \"" + String(repeating: "\\u0041", count: 600_000) + "\\u20AC\"\n"
        var documents: [YAMLReader.Document] = []
        let seconds = Self.seconds { documents = YAMLReader.documents(in: Array(text.utf8), file: "t.yaml") }
        #expect(seconds < 60, "took \(seconds) s")
        let root = try #require(try documents.first?.result.get())
        #expect(scalar(root, "value") == String(repeating: "A", count: 600_000) + "€")
    }

    /// Each way of writing a scalar stops at the limit and says where the value starts.
    @Test(arguments: [
        ("\"", "\"", 8), ("'", "'", 8), ("", "", 8), ("|\n  ", "\n", 8), ("[", "]", 9), ("\"a\\\n  ", "\"", 8),
    ])
    func valueLongerThanTheScalarLimitIsRejectedWithItsPlace(open: String, close: String, column: Int) {
        let text = "a: 1\nvalue: \(open)" + String(repeating: "b", count: (1 << 20) + 1) + close
        let error = yamlError(text)
        #expect(
            error?.hasPrefix(
                "t.yaml:2:\(column): this value is longer than 1048576 bytes, the limit for one scalar") == true,
            "\(error ?? "no error")")
    }

    @Test func valueAtTheScalarLimitIsRead() throws {
        let text = "value: \"" + String(repeating: "é", count: 1 << 19) + "\"\n"
        #expect(scalar(try yamlRoot(text), "value")?.utf8.count == 1 << 20)
    }

    /// A 2 MiB quoted value held back every later reload of a running sidecar for 322 s.
    @Test func oversizedValueIsReportedAndTheOtherFilesLoad() throws {
        let big = bindingYAML("big").replacing(
            "\"@every 1s\"", with: "\"" + String(repeating: "x", count: 2 << 20) + "\"")
        var result: (ManifestSet, String)?
        let seconds = try Self.seconds {
            result = try loadFolder(["a.yaml": bindingYAML("first"), "big.yaml": big, "c.yaml": bindingYAML("last")])
        }
        let (set, dir) = try #require(result)
        #expect(seconds < 60, "took \(seconds) s")
        #expect(set.components.map(\.name) == ["first", "last"])
        #expect(set.errors.map(\.code) == [.limit])
        #expect(set.errors.first?.description.hasPrefix("\(dir)/big.yaml:10:12: error: this value is longer") == true)
    }

    @Test func fileLargerThanTheLimitIsReportedAndTheOtherFilesLoad() throws {
        let big = bindingYAML("big") + "#" + String(repeating: "x", count: 4 << 20) + "\n"
        let (set, dir) = try loadFolder(["a.yaml": bindingYAML("first"), "big.yaml": big])
        #expect(set.components.map(\.name) == ["first"])
        #expect(
            set.errors.map(\.description) == [
                "\(dir)/big.yaml: error: file is \(big.utf8.count) bytes, more than the limit of 4194304 bytes (4 MiB) for a component file: skipped (the other files still load)"
            ])
    }
}

/// Template expansion is linear and cheap: 100,000 `{uuid}` in one value took 15 s (a String
/// per byte of each UUID). 300,000 take about 4 s in a debug build on two shared cores, 29 s before.
@Suite struct ManifestTemplateBoundsTests {
    static func resolve(_ value: String, environment: [String: String] = [:]) throws -> String {
        let draft = ComponentDraft(
            component: Component(name: "c", type: "bindings.cron", file: "t.yaml", line: 1),
            items: [ComponentDraft.Item(name: "v", value: value, line: 1, column: 1)])
        var warnings: [ManifestProblem] = []
        let resolver = MetadataResolver(appID: "myapp", environment: environment)
        return try resolver.resolve(draft, secrets: nil, warnings: &warnings).metadata[0].value
    }

    @Test func threeHundredThousandUUIDTemplatesResolveInBoundedTime() throws {
        var value = ""
        let elapsed = try ContinuousClock().measure {
            value = try Self.resolve(String(repeating: "{uuid},", count: 300_000) + "{appID}")
        }
        #expect(elapsed < .seconds(15), "took \(elapsed)")
        let ids = value.split(separator: ",")
        #expect(ids.count == 300_001)
        #expect(ids.last == "myapp")
        #expect(Set(ids.prefix(1000)).count == 1000)
        #expect(
            ids.prefix(1000).allSatisfy {
                $0.utf8.count == 36 && $0.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12]
            })
    }

    /// Dapr replaces `{uuid}`, `{podName}`, `{namespace}`, then `{appID}` (pkg/runtime/meta).
    @Test func templatesAreReplacedInDaprsOrder() throws {
        let environment = ["POD_NAME": "{appID}-0", "NAMESPACE": "prod"]
        #expect(try Self.resolve("{podName}/{namespace}/{uuid", environment: environment) == "myapp-0/prod.myapp/{uuid")
        #expect(try Self.resolve("{{appID}}") == "{myapp}")
    }
}
