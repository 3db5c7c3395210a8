import DriverTesting
import Foundation
import HostTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Hot reload as a user does it: files rewritten, renamed and copied under a running bindery
/// that is serving requests all along.
@Suite(.serialized) struct HotReloadTests {
    /// A drivers folder with its own copies (files get replaced under bindery).
    private func driversFolder(_ files: [String: String]) throws -> String {
        let dir = try temporaryDirectory("drivers")
        for (name, source) in files {
            try FileManager.default.copyItem(
                atPath: "\(try FixtureDrivers.directory())/\(source)", toPath: "\(dir)/\(name)")
        }
        return dir
    }

    private func writeOutput(_ dir: String, type: String, extra: String = "") throws {
        let text =
            "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: out\nspec:\n  type: \(type)\n  metadata:\n"
            + "    - name: token\n      value: t\n    - name: direction\n      value: output\n\(extra)"
        // Written to a temporary name and renamed, as editors and deploy tools do.
        try text.write(toFile: "\(dir)/.out.yaml.tmp", atomically: false, encoding: .utf8)
        guard rename("\(dir)/.out.yaml.tmp", "\(dir)/out.yaml") == 0 else { throw TestFailure("rename failed") }
    }

    /// Sends requests in a loop from `workers` tasks until `stop`; counts failures.
    final class Load: @unchecked Sendable {  // fields guarded by `state`
        let state = Mutex((ok: 0, failed: 0, lastFailure: ""))
        let running = Atomic<Bool>(true)
        var tasks: [Task<Void, Never>] = []

        init(_ bindery: BinderyProcess, workers: Int) {
            for _ in 0..<workers {
                tasks.append(
                    Task {
                        while self.running.load(ordering: .relaxed) {
                            do {
                                let answer = try await bindery.invoke("out", "echo", data: "{\"a\":1}")
                                self.state.withLock {
                                    if answer.status == 200 {
                                        $0.ok += 1
                                    } else {
                                        $0.failed += 1
                                        $0.lastFailure = "\(answer.status) \(answer.text)"
                                    }
                                }
                            } catch {
                                self.state.withLock {
                                    $0.failed += 1
                                    $0.lastFailure = "\(error)"
                                }
                            }
                        }
                    })
            }
        }

        func finish() async -> (ok: Int, failed: Int, lastFailure: String) {
            running.store(false, ordering: .relaxed)
            for task in tasks { await task.value }
            return state.withLock { $0 }
        }
    }

    /// Polls until the echo's `metadata.<key>` header says `value`.
    private func waitForHeader(_ bindery: BinderyProcess, _ key: String, _ value: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let answer = try? await bindery.invoke("out", "echo"), answer.header("metadata.\(key)") == value {
                return true
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    private func waitForLog(_ bindery: BinderyProcess, _ text: String) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !bindery.log.contains(text), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(bindery.log.contains(text))
    }

    /// bindery over a drivers folder of `files` (providers a and b by default), serving `out`
    /// with provider a from `components`.
    private func providers(
        _ components: String, files: [String: String] = ["a.so": "libprovider_a.so", "b.so": "libprovider_b.so"]
    ) async throws -> (BinderyProcess, drivers: String) {
        let drivers = try driversFolder(files)
        try writeOutput(components, type: "bindings.provider-a")
        return (try await BinderyProcess(["--resources-path", components, "--drivers-path", drivers]), drivers)
    }

    @Test func switchingProvidersUnderLoadFailsNoRequest() async throws {
        let components = try temporaryDirectory("switch")
        let (bindery, _) = try await providers(components)
        defer { bindery.stop() }
        let load = Load(bindery, workers: 8)
        for round in 0..<10 {
            let type = round % 2 == 0 ? "bindings.provider-b" : "bindings.provider-a"
            try writeOutput(components, type: type)
            #expect(try await waitForHeader(bindery, "provider", type), "round \(round): \(type) never answered")
        }
        let result = await load.finish()
        #expect(result.failed == 0, "last failure: \(result.lastFailure)")
        // The load ran through the swaps (no failure out of nothing proves nothing). How many it
        // served depends on the machine: 80 under CI's load once, hundreds when quiet.
        #expect(result.ok > 20)
        let metadata = try await bindery.request("GET", "/v1.0/metadata")
        let component = try #require((metadata.json?["components"] as? [[String: Any]])?.first)
        #expect(component["generation"] as? Int == 11)
    }

    @Test func invalidFileKeepsTheOldGenerationAndAFixRecovers() async throws {
        let components = try temporaryDirectory("invalid")
        let (bindery, _) = try await providers(components)
        defer { bindery.stop() }
        try "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: [oops\n".write(
            toFile: "\(components)/out.yaml", atomically: true, encoding: .utf8)
        try await waitForLog(bindery, "keeps serving its previous configuration: its file is invalid")
        try writeOutput(components, type: "bindings.provider-nonesuch")  // an unknown type, too
        try await waitForLog(bindery, "(generation 1 keeps serving)")
        let still = try await bindery.invoke("out", "echo")
        #expect(still.status == 200)
        #expect(still.header("metadata.provider") == "bindings.provider-a")
        let metadata = try await bindery.request("GET", "/v1.0/metadata")
        let component = try #require((metadata.json?["components"] as? [[String: Any]])?.first)
        #expect((component["lastError"] as? String)?.contains("bindings.provider-nonesuch") == true)
        #expect(component["generation"] as? Int == 1)
        try writeOutput(components, type: "bindings.provider-b")
        #expect(try await waitForHeader(bindery, "provider", "bindings.provider-b"))
        let fixed = try await bindery.request("GET", "/v1.0/metadata")
        #expect(((fixed.json?["components"] as? [[String: Any]])?.first?["lastError"]) == nil)
        try FileManager.default.removeItem(atPath: "\(components)/out.yaml")
        let deadline = ContinuousClock.now + .seconds(10)
        var gone = false
        while !gone, ContinuousClock.now < deadline {
            let answer = try await bindery.invoke("out", "echo")
            gone =
                answer.status == 500
                && answer.json?["message"] as? String
                    == "error invoking output binding out: couldn't find output binding out"
            if !gone { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(gone, "a removed component answers as Dapr answers an unknown binding")
    }

    @Test func replacedDriverFilesAreLoadedByRenameAndByCopy() async throws {
        let components = try temporaryDirectory("replace")
        let (bindery, drivers) = try await providers(components, files: ["a.so": "libprovider_a.so"])
        defer { bindery.stop() }
        let load = Load(bindery, workers: 4)
        let fixtures = try FixtureDrivers.directory()
        // By rename (a deployer's atomic publish)...
        try FileManager.default.copyItem(atPath: "\(fixtures)/libprovider_a_v2.so", toPath: "\(drivers)/.a.so.tmp")
        _ = rename("\(drivers)/.a.so.tmp", "\(drivers)/a.so")
        #expect(try await waitForHeader(bindery, "version", "2.0.0"))
        // ...and by copying over the file in place (cp), which would crash a host that mapped it.
        try shell("cp \(fixtures)/libprovider_a_v3.so \(drivers)/a.so")
        #expect(try await waitForHeader(bindery, "version", "3.0.0"))
        let result = await load.finish()
        #expect(result.failed == 0, "last failure: \(result.lastFailure)")
        let metadata = try await bindery.request("GET", "/v1.0/metadata")
        #expect(((metadata.json?["components"] as? [[String: Any]])?.first?["driverVersion"]) as? String == "3.0.0")
        #expect(metadata.json?["retainedDriverImages"] as? Int == 3)
    }

    @Test func halfWrittenDriverIsLoadedOnlyOnceComplete() async throws {
        let components = try temporaryDirectory("half")
        let (bindery, drivers) = try await providers(components, files: ["a.so": "libprovider_a.so"])
        defer { bindery.stop() }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(try FixtureDrivers.directory())/libprovider_a_v2.so"))
        let handle = try #require(FileHandle(forWritingAtPath: "\(drivers)/a.so"))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: bytes.prefix(bytes.count / 2))
        try handle.synchronize()
        try await waitForLog(bindery, "keeps serving until the file is complete")
        let during = try await bindery.invoke("out", "echo")
        #expect(during.status == 200)
        #expect(during.header("metadata.version") == "1.0.0")
        try handle.write(contentsOf: bytes.suffix(from: bytes.count / 2))
        try handle.close()
        #expect(try await waitForHeader(bindery, "version", "2.0.0"))
        #expect(bindery.process.isRunning)
    }

    @Test func cronSwappedRepeatedlyNeverDeliversATickTwice() async throws {
        let components = try temporaryDirectory("cron-swap")
        let appPort = try freePort()
        func writeCron(_ schedule: String) throws {
            try writeComponent(
                components, name: "ticker", type: "bindings.cron",
                metadata: [("schedule", schedule), ("direction", "input")])
        }
        try writeCron("@every 100ms")
        let bindery = try await BinderyProcess([
            "--app-port", String(appPort), "--resources-path", components,
            "--", "python3", "\(Paths.fixtures)/apps/flask_app.py",
        ])
        defer { bindery.stop() }
        #expect(try await bindery.waitFor(status: 204, path: "/v1.0/healthz"))
        for round in 0..<6 {
            try writeCron(round % 2 == 0 ? "@every 0.1s" : "@every 100ms")
            try await Task.sleep(for: .milliseconds(250))  // let ticks flow between swaps
        }
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(appPort)/seen")!)
        let seen = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        let times = seen.filter { $0["method"] as? String == "POST" }.compactMap { event -> String? in
            let headers = event["headers"] as? [String: String] ?? [:]
            return headers.first { $0.key.lowercased() == "readtimeutc" }?.value
        }
        #expect(times.count >= 6)
        #expect(Set(times).count == times.count, "a tick was delivered twice")
        #expect(bindery.log.components(separatedBy: "component ticker swapped").count - 1 == 6)
    }

    @Test func watchFalseIgnoresChanges() async throws {
        let components = try temporaryDirectory("nowatch")
        let drivers = try driversFolder(["a.so": "libprovider_a.so", "b.so": "libprovider_b.so"])
        try writeOutput(components, type: "bindings.provider-a")
        let bindery = try await BinderyProcess([
            "--resources-path", components, "--drivers-path", drivers, "--watch=false",
        ])
        defer { bindery.stop() }
        try writeOutput(components, type: "bindings.provider-b")
        try await Task.sleep(for: .milliseconds(300))  // nothing observable changes: that is the point
        #expect(try await bindery.invoke("out", "echo").header("metadata.provider") == "bindings.provider-a")
    }
}
