import DriverTesting
import Foundation
import HostTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `bindery run` end to end: a real bindery process, a real Flask app, real drivers.
@Suite(.serialized) struct RunTests {
    static let flaskApp = "\(Paths.fixtures)/apps/flask_app.py"

    private var builtDrivers: String {
        get throws { URL(fileURLWithPath: try Paths.bindery).deletingLastPathComponent().path }
    }

    /// The app's record of what it received.
    private func seen(appPort: Int) async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(appPort)/seen")!)
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    private func waitForSeen(appPort: Int, count: Int, path: String) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let requests = (try? await seen(appPort: appPort)) ?? []
            let matching = requests.filter { $0["path"] as? String == path && $0["method"] as? String == "POST" }
            if matching.count >= count { return matching }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("the app did not receive \(count) POST \(path)")
    }

    /// bindery with one cron component `name` firing on `schedule`, delivering to the Flask app
    /// it starts; `extra` metadata (e.g. an explicit direction), flags and environment added.
    private func cronToFlask(
        _ name: String, schedule: String, extra: [(String, String)] = [], flags: [String] = [],
        environment: [String: String] = [:]
    ) async throws -> (BinderyProcess, appPort: Int) {
        let components = try temporaryDirectory(name)
        try writeComponent(components, name: name, type: "bindings.cron", metadata: [("schedule", schedule)] + extra)
        let appPort = try freePort()
        let arguments = ["--app-port", String(appPort), "--resources-path", components] + flags
        let bindery = try await BinderyProcess(arguments + ["--", "python3", Self.flaskApp], environment: environment)
        return (bindery, appPort)
    }

    @Test func cronEventsReachAFlaskAppUnchanged() async throws {
        let (bindery, appPort) = try await cronToFlask(
            "ticker", schedule: "@every 100ms", flags: ["--app-id", "flask"])
        defer { bindery.stop() }
        let events = try await waitForSeen(appPort: appPort, count: 3, path: "/ticker")
        let headers = try #require(events.first?["headers"] as? [String: String])
        let lowered = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) })
        #expect(lowered["content-type"] == "application/json")
        #expect(lowered["timezone"] != nil)
        #expect(lowered["readtimeutc"]?.hasSuffix("+0000 UTC") == true)
        #expect(events.first?["body"] as? String == "")
        // The OPTIONS probe came first, as daprd sends it.
        let all = try await seen(appPort: appPort)
        #expect(all.first?["method"] as? String == "OPTIONS")
        let metadata = try await bindery.request("GET", "/v1.0/metadata")
        let component = try #require((metadata.json?["components"] as? [[String: Any]])?.first)
        #expect(component["name"] as? String == "ticker")
        #expect(component["capabilities"] as? [String] == ["INPUT_BINDING"])
        #expect(try await bindery.waitFor(status: 204, path: "/v1.0/healthz"))
    }

    /// daprd sends the probe and the events through one client; so must bindery, or an app that
    /// serves one connection at a time holds the probe's idle connection and never reads a POST.
    /// The component spells its key `Schedule`: daprd matches metadata keys in any case.
    @Test func cronEventsReachASingleThreadedHTTPServerApp() async throws {
        let components = try temporaryDirectory("single")
        try writeComponent(components, name: "ticker", type: "bindings.cron", metadata: [("Schedule", "@every 100ms")])
        let record = "\(try temporaryDirectory("single-record"))/requests"
        let appPort = try freePort()
        let bindery = try await BinderyProcess(
            [
                "--app-port", String(appPort), "--resources-path", components, "--",
                "python3", "\(Paths.fixtures)/apps/single_thread_app.py", String(appPort), record,
            ])
        defer { bindery.stop() }
        let deadline = ContinuousClock.now + .seconds(15)
        var lines: [String] = []
        while ContinuousClock.now < deadline, lines.filter({ $0 == "POST /ticker" }).count < 3 {
            try await Task.sleep(for: .milliseconds(50))
            lines = ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n").map(
                String.init)
        }
        #expect(lines.first == "OPTIONS /ticker")
        #expect(lines.filter { $0 == "POST /ticker" }.count >= 3, "the app received \(lines)")
    }

    @Test func httpBindingAnswersAsDaprDoes() async throws {
        let components = try temporaryDirectory("http")
        let appPort = try freePort()
        try writeComponent(
            components, name: "target", type: "bindings.http", metadata: [("url", "http://127.0.0.1:\(appPort)")])
        let bindery = try await BinderyProcess([
            "--app-port", String(appPort), "--resources-path", components,
            "--", "python3", Self.flaskApp,
        ])
        defer { bindery.stop() }
        #expect(try await bindery.waitFor(status: 204, path: "/v1.0/healthz"))
        let posted = try await bindery.invoke(
            "target", "post", data: "\"hello\"", metadata: ["path": "/hook", "X-Trace": "t1"])
        #expect(posted.status == 200)
        #expect(posted.header("metadata.statusCode") == "200")
        #expect(posted.header("Content-Type") == "application/json")
        let received = try await waitForSeen(appPort: appPort, count: 1, path: "/hook")
        #expect(
            received.first?["body"] as? String == "\"hello\"", "data reaches the target JSON-encoded, quotes included")
        let headers = received.first?["headers"] as? [String: String] ?? [:]
        #expect(headers.first { $0.key.lowercased() == "x-trace" }?.value == "t1")
        // The Flask app answers GET on a POST-only route with 405: errorIfNot2XX makes it a 500.
        let failed = try await bindery.invoke("target", "get", metadata: ["path": "/hook"])
        #expect(failed.status == 500)
        #expect(failed.json?["message"] as? String == "error invoking output binding target: received status code 405")
        #expect(failed.header("metadata.statusCode") == "405")
    }

    @Test func appAPITokenReachesTheApp() async throws {
        let (bindery, appPort) = try await cronToFlask(
            "ticker", schedule: "@every 100ms", extra: [("direction", "input")],
            environment: ["APP_API_TOKEN": "app-secret"])
        defer { bindery.stop() }
        let events = try await waitForSeen(appPort: appPort, count: 1, path: "/ticker")
        let headers = events.first?["headers"] as? [String: String] ?? [:]
        #expect(headers.first { $0.key.lowercased() == "dapr-api-token" }?.value == "app-secret")
    }

    @Test func appMaxConcurrencyBoundsDeliveries() async throws {
        // Ticks every 10 ms, each taking the app 50 ms: unbounded, several would overlap.
        let (bindery, appPort) = try await cronToFlask(
            "slow", schedule: "@every 10ms", extra: [("direction", "input")], flags: ["--app-max-concurrency", "2"])
        defer { bindery.stop() }
        _ = try await waitForSeen(appPort: appPort, count: 10, path: "/slow")
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(appPort)/concurrency")!)
        let most = (try JSONSerialization.jsonObject(with: data) as? [String: Int])?["most"]
        #expect(most == 2)
    }

    @Test func appExitStatusBecomesBinderysStatus() async throws {
        let appPort = try freePort()
        let bindery = try await BinderyProcess([
            "--app-id", "x", "--app-port", String(appPort), "--", "python3", Self.flaskApp,
        ])
        #expect(try await bindery.waitFor(status: 204, path: "/v1.0/healthz"))
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(appPort)/exit")!)
        request.httpMethod = "POST"
        _ = try await URLSession.shared.data(for: request)
        bindery.process.waitUntilExit()
        #expect(bindery.process.terminationStatus == 3)
    }

    /// bindery serving one localstorage component, "files", over a fresh root folder.
    private func filesBindery(_ label: String) async throws -> (BinderyProcess, root: String) {
        let components = try temporaryDirectory(label)
        let root = try temporaryDirectory("\(label)-root")
        try writeComponent(components, name: "files", type: "bindings.localstorage", metadata: [("rootPath", root)])
        return (try await BinderyProcess(["--resources-path", components]), root)
    }

    @Test func localstorageAnswersAsDaprDoes() async throws {
        let (bindery, root) = try await filesBindery("ls")
        defer { bindery.stop() }

        let created = try await bindery.invoke(
            "files", "create", data: "{\"b\":1,\"a\":\"<x>\"}", metadata: ["fileName": "dir/one.json"])
        #expect(created.status == 200)
        #expect(created.header("Content-Type") == "application/json")
        #expect(created.json?["fileName"] as? String == "dir/one.json")
        #expect(
            try String(contentsOfFile: "\(root)/dir/one.json", encoding: .utf8) == "{\"a\":\"\\u003cx\\u003e\",\"b\":1}"
        )

        let got = try await bindery.invoke("files", "get", metadata: ["fileName": "dir/one.json"])
        #expect(got.status == 200)
        #expect(got.text == "{\"a\":\"\\u003cx\\u003e\",\"b\":1}")

        let listed = try await bindery.invoke("files", "list")
        #expect(listed.status == 200)
        #expect(listed.text.contains("\(root)/dir/one.json"))

        let deleted = try await bindery.invoke("files", "delete", metadata: ["fileName": "dir/one.json"])
        #expect(deleted.status == 204)
        #expect(deleted.body.isEmpty)

        let missing = try await bindery.invoke("files", "get", metadata: ["fileName": "dir/one.json"])
        #expect(missing.status == 500)
        #expect(missing.json?["errorCode"] as? String == "ERR_INVOKE_OUTPUT_BINDING")
        #expect(
            (missing.json?["message"] as? String)?.hasPrefix("error invoking output binding files: file not found: ")
                == true)

        let escape = try await bindery.invoke("files", "create", data: "\"x\"", metadata: ["fileName": "../outside"])
        #expect(escape.status == 500)
        #expect(!FileManager.default.fileExists(atPath: "\(root)/../outside"))
    }

    @Test func requestErrorsUseDaprsCodesAndTexts() async throws {
        let (bindery, _) = try await filesBindery("errors")
        defer { bindery.stop() }
        let cases: [(String, Int, String, String)] = [
            (
                "{\"operation\":\"get\"}", 500, "ERR_INVOKE_OUTPUT_BINDING",
                "error invoking output binding nope: couldn't find output binding nope"
            ),
            (
                "{\"data\":1}", 500, "ERR_INVOKE_OUTPUT_BINDING",
                "error invoking output binding files: operation field is missing from request"
            ),
            (
                "{\"operation\":\"frob\"}", 500, "ERR_INVOKE_OUTPUT_BINDING",
                "error invoking output binding files: binding files does not support operation frob. supported operations:create get list delete"
            ),
            ("{\"operation\":", 400, "ERR_MALFORMED_REQUEST", "failed deserializing HTTP body: unexpected EOF"),
            ("", 400, "ERR_MALFORMED_REQUEST", "failed deserializing HTTP body: EOF"),
            (
                "{\"operation\":\"get\",\"metadata\":{\"a\":1}}", 400, "ERR_MALFORMED_REQUEST",
                "failed deserializing HTTP body: json: cannot unmarshal number into Go struct field OutputBindingRequest.metadata of type string"
            ),
        ]
        for (body, status, code, message) in cases {
            let binding = message.contains("nope") ? "nope" : "files"
            let answer = try await bindery.request("POST", "/v1.0/bindings/\(binding)", body: body)
            #expect(answer.status == status, "\(body)")
            #expect(answer.json?["errorCode"] as? String == code, "\(body)")
            #expect(answer.json?["message"] as? String == message, "\(body)")
        }
        let put = try await bindery.request("PUT", "/v1.0/bindings/files", body: "{\"operation\":\"list\"}")
        #expect(put.status == 200)
    }

    @Test func brokenComponentsAreReportedAndOthersKeepServing() async throws {
        let components = try temporaryDirectory("broken")
        let root = try temporaryDirectory("broken-root")
        try writeComponent(components, name: "files", type: "bindings.localstorage", metadata: [("rootPath", root)])
        try writeComponent(components, name: "ghost", type: "bindings.nonesuch", metadata: [])
        try writeComponent(
            components, name: "flaky", type: "bindings.fixture", metadata: [("token", "t"), ("initFail", "true")])
        try "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: bad\nspec:\n  type: [unclosed\n"
            .write(toFile: "\(components)/zz-bad.yaml", atomically: true, encoding: .utf8)
        let bindery = try await BinderyProcess([
            "--resources-path", components, "--drivers-path", try builtDrivers,
            "--drivers-path", try FixtureDrivers.directory(),
        ])
        defer { bindery.stop() }
        #expect(try await bindery.invoke("files", "list").status == 200)
        let metadata = try await bindery.request("GET", "/v1.0/metadata")
        let list = try #require(metadata.json?["components"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0) })
        #expect(byName["files"]?["status"] as? String == "ready")
        #expect(byName["ghost"]?["status"] as? String == "failed")
        #expect(
            (byName["ghost"]?["lastError"] as? String)?.contains("spec.type \"bindings.nonesuch\" has no driver")
                == true)
        #expect((byName["flaky"]?["lastError"] as? String)?.contains("cannot reach fixture server") == true)
        #expect(bindery.log.contains("zz-bad.yaml:6:"))
        let flaky = try await bindery.invoke("flaky", "echo")
        #expect(flaky.status == 500)
    }

    @Test func apiTokenIsRequiredExceptForHealth() async throws {
        let bindery = try await BinderyProcess([], environment: ["DAPR_API_TOKEN": "s3cret"])
        defer { bindery.stop() }
        let denied = try await bindery.request("GET", "/v1.0/metadata")
        #expect(denied.status == 401)
        #expect(denied.text == "invalid api token")
        #expect(try await bindery.request("GET", "/v1.0/metadata", headers: ["dapr-api-token": "s3cret"]).status == 200)
        #expect(try await bindery.request("GET", "/v1.0/healthz/outbound").status == 204)
    }

    @Test func validateReportsFileAndLine() throws {
        let components = try temporaryDirectory("validate")
        try writeComponent(components, name: "ticker", type: "bindings.cron", metadata: [("schedul", "@every 1s")])
        try writeComponent(components, name: "ghost", type: "bindings.nonesuch", metadata: [])
        let result = try run(try Paths.bindery, ["validate", "--resources-path", components])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(components)/ghost.yaml:"))
        #expect(result.stdout.contains("did you mean \"schedule\""))
        #expect(result.stdout.contains("\"schedule\""))
    }

    /// ABI 1.1 field types: a value that is not of its field's type fails validation before
    /// anything starts, at the value's line, naming the field and quoting the value.
    @Test func validateRejectsAValueOfTheWrongType() throws {
        let components = try temporaryDirectory("validate-types")
        try writeComponent(
            components, name: "cache", type: "bindings.redis",
            metadata: [("redisHost", "localhost:6379"), ("DialTimeout", "banana"), ("enableTLS", "maybe")])
        let result = try run(try Paths.bindery, ["validate", "--resources-path", components])
        #expect(result.status == 1)
        // writeComponent puts the first metadata name on line 9, each item taking two lines.
        #expect(
            result.stdout.contains(
                "\(components)/cache.yaml:11:7: error: component \"cache\" (bindings.redis): metadata field \"DialTimeout\" is \"banana\", expected"
            ),
            "\(result.stdout)")
        #expect(result.stdout.contains("metadata field \"enableTLS\" is \"maybe\", expected"), "\(result.stdout)")
        #expect(result.stdout.hasSuffix("1 components, 2 errors, 0 warnings\n"))
    }
}
