import Glibc
import Synchronization

/// The only user of inotify in the host. One dedicated thread reads events and debounces them.
package final class InotifyWatcher: FileWatcher {
    private let debounce: Debounce
    private let running = Atomic<Bool>(false)
    private let descriptors = Mutex<(inotify: Int32, wake: Int32)>((-1, -1))

    package init(debounce: Debounce) {
        self.debounce = debounce
    }

    static var isAvailable: Bool {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        if fd >= 0 { close(fd) }
        return fd >= 0
    }

    package func start(_ directories: [String], changed: @escaping @Sendable (Set<String>) -> Void) {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        var ends: [Int32] = [-1, -1]
        guard fd >= 0, pipe(&ends) == 0 else {
            Log.error("inotify unavailable (\(Files.errorText())); file changes are not watched")
            if fd >= 0 { close(fd) }
            return
        }
        let mask = UInt32(
            IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB
                | IN_DELETE_SELF | IN_MOVE_SELF)
        var watches: [Int32: String] = [:]
        for directory in Set(directories) {
            let wd = inotify_add_watch(fd, directory, mask)
            if wd < 0 { Log.warn("cannot watch \(directory): \(Files.errorText())") } else { watches[wd] = directory }
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let wake = ends[0]
        descriptors.withLock { $0 = (fd, ends[1]) }
        running.store(true, ordering: .releasing)
        let loop = WatchLoop(fd: fd, wake: wake, watches: watches, debounce: debounce, running: self, changed: changed)
        loop.spawn()
    }

    package func stop() {
        running.store(false, ordering: .releasing)
        // Taken and cleared at once: a second stop must not close a number reused since.
        let wake = descriptors.withLock { descriptors in
            defer { descriptors.wake = -1 }
            return descriptors.wake
        }
        if wake >= 0 {
            var byte: UInt8 = 1
            _ = write(wake, &byte, 1)
            close(wake)
        }
    }

    var isRunning: Bool { running.load(ordering: .acquiring) }
}

/// The watcher thread's state: it owns both descriptors and closes them when it ends.
private final class WatchLoop: @unchecked Sendable {  // used by its one thread only after spawn
    package let fd: Int32
    let wake: Int32
    let watches: [Int32: String]
    let debounce: Debounce
    let owner: InotifyWatcher
    package let changed: @Sendable (Set<String>) -> Void

    package init(
        fd: Int32, wake: Int32, watches: [Int32: String], debounce: Debounce, running owner: InotifyWatcher,
        changed: @escaping @Sendable (Set<String>) -> Void
    ) {
        self.fd = fd
        self.wake = wake
        self.watches = watches
        self.debounce = debounce
        self.owner = owner
        self.changed = changed
    }

    package func spawn() {
        HostThread.start("inotify") { self.run() }
    }

    private func run() {
        defer {
            close(fd)
            close(wake)
        }
        var pending = Set<String>()
        var firstEvent: ContinuousClock.Instant?
        var lastEvent = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while owner.isRunning {
            var timeout: Int32 = -1
            if let first = firstEvent {
                let quietEnd = lastEvent + debounce.quiet, hardEnd = first + debounce.longest
                let due = min(quietEnd, hardEnd) - ContinuousClock.now
                timeout = max(
                    0, Int32(due.components.seconds * 1000 + due.components.attoseconds / 1_000_000_000_000_000))
            }
            var pollers = [
                pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&pollers, 2, timeout)
            if ready > 0, pollers[0].revents != 0 {
                let directories = readEvents(&buffer)
                if !directories.isEmpty {
                    pending.formUnion(directories)
                    lastEvent = ContinuousClock.now
                    if firstEvent == nil { firstEvent = lastEvent }
                }
                continue
            }
            if ready == 0, !pending.isEmpty {
                changed(pending)
                pending = []
                firstEvent = nil
            }
        }
    }

    /// Drains the inotify queue; returns the folders that had events.
    private func readEvents(_ buffer: inout [UInt8]) -> Set<String> {
        var directories = Set<String>()
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (wd, length) = buffer.withUnsafeBytes { raw -> (Int32, UInt32) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.wd, event.len)
                }
                if let directory = watches[wd] { directories.insert(directory) }
                offset += MemoryLayout<inotify_event>.size + Int(length)
            }
        }
        return directories
    }
}
