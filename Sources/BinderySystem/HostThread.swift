import Glibc

/// A thread of the host's own, for work that blocks (epoll_wait, sigwait, waitpid, a blocking
/// client): never Swift concurrency's or Dispatch's shared pools, which must not block. (Drivers
/// use SystemThreads' `DedicatedThread`, a loop with a work queue and a wake-up pipe.)
package enum HostThread {
    /// Starts `body` on a new thread; `name` says which in errors. `joinable: false` detaches it.
    /// Returns the thread, or why pthread_create failed.
    @discardableResult
    package static func start(
        _ name: String, joinable: Bool = false, _ body: @escaping @Sendable () -> Void
    ) -> Result<pthread_t, SystemError> {
        let box = Unmanaged.passRetained(Body(run: body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                body.run()
                return nil
            }, box)
        guard rc == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            return .failure(SystemError(call: "pthread_create (\(name))", errno: rc))
        }
        if !joinable { pthread_detach(thread) }
        return .success(thread)
    }

    /// Waits for a joinable thread to end.
    package static func join(_ thread: pthread_t) {
        pthread_join(thread, nil)
    }

    private final class Body: Sendable {
        let run: @Sendable () -> Void

        init(run: @escaping @Sendable () -> Void) { self.run = run }
    }
}

/// A system call that failed, with its errno.
package struct SystemError: Error, CustomStringConvertible, Sendable {
    package let call: String
    package let errno: Int32

    package init(call: String, errno: Int32) { (self.call, self.errno) = (call, errno) }

    package var description: String { "\(call): \(String(cString: strerror(errno))) (errno \(errno))" }
}
