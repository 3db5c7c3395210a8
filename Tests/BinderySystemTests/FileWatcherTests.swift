import DriverTesting
import Foundation
import Synchronization
import Testing

@testable import BinderySystem

/// Both watchers report a settled burst of changes, naming only the folder that changed.
@Suite struct FileWatcherTests {
    /// Collects reported folder sets; `next()` waits for the next one (bounded).
    final class Reports: Sendable {
        let stream: AsyncStream<Set<String>>
        let continuation: AsyncStream<Set<String>>.Continuation

        init() { (stream, continuation) = AsyncStream.makeStream() }

        func next() async -> Set<String>? {
            await withTaskGroup(of: Set<String>?.self) { group in
                group.addTask {
                    for await report in self.stream { return report }
                    return nil
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(10))
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
    }

    static let watchers: [String] = ["inotify", "polling"]

    private func make(_ kind: String) -> any FileWatcher {
        kind == "inotify" ? InotifyWatcher(debounce: Debounce()) : PollingWatcher(interval: .milliseconds(50))
    }

    @Test(arguments: watchers)
    func aBurstOfWritesIsReportedForItsFolderOnly(kind: String) async throws {
        let dir = try temporaryDirectory("watch-\(kind)")
        let other = try temporaryDirectory("watch-other-\(kind)")
        let reports = Reports()
        let watcher = make(kind)
        watcher.start([dir, other]) { reports.continuation.yield($0) }
        defer { watcher.stop() }
        try await Task.sleep(for: .milliseconds(60))  // let the polling watcher take its first fingerprint
        for index in 0..<5 { try "v\(index)".write(toFile: "\(dir)/c.yaml", atomically: true, encoding: .utf8) }
        #expect(await reports.next() == [dir])
    }

    @Test func kubernetesConfigMapSymlinkSwapIsAChange() async throws {
        // A ConfigMap volume: c.yaml -> ..data/c.yaml, ..data -> ..2024_1 (a timestamped folder).
        let dir = try temporaryDirectory("configmap")
        let manager = FileManager.default
        try manager.createDirectory(atPath: "\(dir)/..2024_1", withIntermediateDirectories: true)
        try "one".write(toFile: "\(dir)/..2024_1/c.yaml", atomically: true, encoding: .utf8)
        try manager.createSymbolicLink(atPath: "\(dir)/..data", withDestinationPath: "..2024_1")
        try manager.createSymbolicLink(atPath: "\(dir)/c.yaml", withDestinationPath: "..data/c.yaml")
        let reports = Reports()
        let watcher = InotifyWatcher(debounce: Debounce())
        watcher.start([dir]) { reports.continuation.yield($0) }
        defer { watcher.stop() }
        // The kubelet's update: write a new folder, point a temporary link at it, rename it over ..data.
        try manager.createDirectory(atPath: "\(dir)/..2024_2", withIntermediateDirectories: true)
        try "two".write(toFile: "\(dir)/..2024_2/c.yaml", atomically: true, encoding: .utf8)
        try manager.createSymbolicLink(atPath: "\(dir)/..data_tmp", withDestinationPath: "..2024_2")
        #expect(rename("\(dir)/..data_tmp", "\(dir)/..data") == 0)
        #expect(await reports.next() == [dir])
        #expect(try String(contentsOfFile: "\(dir)/c.yaml", encoding: .utf8) == "two")
    }
}
