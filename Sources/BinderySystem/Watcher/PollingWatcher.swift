import Glibc
import Synchronization

/// A fallback for file systems without inotify: compares each folder's entries (name, size,
/// modification time, inode) every `interval`.
package final class PollingWatcher: FileWatcher {
    private let interval: Duration
    private let running = Atomic<Bool>(false)

    package init(interval: Duration) {
        self.interval = interval
    }

    package func start(_ directories: [String], changed: @escaping @Sendable (Set<String>) -> Void) {
        running.store(true, ordering: .releasing)
        let interval = self.interval
        let watcher = self
        Task.detached {
            var last = Dictionary(uniqueKeysWithValues: directories.map { ($0, Self.fingerprint($0)) })
            while watcher.running.load(ordering: .acquiring) {
                try? await Task.sleep(for: interval)
                var changes = Set<String>()
                for directory in directories {
                    let now = Self.fingerprint(directory)
                    if now != last[directory] { changes.insert(directory) }
                    last[directory] = now
                }
                if !changes.isEmpty { changed(changes) }
            }
        }
    }

    package func stop() { running.store(false, ordering: .releasing) }

    static func fingerprint(_ directory: String) -> [String] {
        ((try? Files.list(directory)) ?? []).map { name in
            var info = stat()
            guard stat(FilePath.join(directory, name), &info) == 0 else { return name }
            return "\(name) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
        }
    }
}
