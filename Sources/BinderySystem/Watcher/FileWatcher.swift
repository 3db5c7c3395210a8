/// Watches folders and reports, after a burst of changes has settled, which folders changed.
/// Kubernetes-style updates (a ConfigMap swapping its `..data` symlink) count: any entry added,
/// removed, renamed, written or re-linked in a watched folder is a change of that folder.
package protocol FileWatcher: Sendable {
    /// Starts watching `directories`; `changed` gets the set of changed folders, on the
    /// watcher's own thread, once per settled burst.
    func start(_ directories: [String], changed: @escaping @Sendable (Set<String>) -> Void)
    func stop()
}

/// How long a burst of events must stay quiet before it is reported, and the longest a
/// continuous stream of events can delay a report.
package struct Debounce: Sendable {
    var quiet: Duration = .milliseconds(15)
    var longest: Duration = .milliseconds(250)
}

/// inotify where the kernel has it, polling otherwise.
package enum FileWatchers {
    package static func make(debounce: Debounce = Debounce()) -> any FileWatcher {
        InotifyWatcher.isAvailable ? InotifyWatcher(debounce: debounce) : PollingWatcher(interval: .milliseconds(250))
    }
}
