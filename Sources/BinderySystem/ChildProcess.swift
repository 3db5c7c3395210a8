import Glibc

/// The app started by `bindery run -- CMD ARGS`, as `dapr run` starts it: with `APP_ID`,
/// `APP_PORT` and `DAPR_HTTP_PORT` added to its environment and the signal mask cleared.
package struct ChildProcess: Sendable {
    let pid: pid_t

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    package static func spawn(_ command: [String], extraEnvironment: [String: String]) throws(Failure) -> ChildProcess {
        guard let program = command.first else { throw Failure(description: "no command to run") }
        var environment: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            let key = String(text.prefix { $0 != "=" })
            if extraEnvironment[key] == nil { environment.append(text) }
            index += 1
        }
        environment += extraEnvironment.map { "\($0.key)=\($0.value)" }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        let result = posix_spawnp(&pid, program, nil, &attributes, argv, envp)
        guard result == 0 else {
            throw Failure(description: "cannot start app \"\(program)\": \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid)
    }

    package func signal(_ number: Int32) { kill(pid, number) }

    /// Blocks until the child exits; returns its exit status (128 + signal if it was killed).
    package func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 1 }
        }
        let termination = status & 0x7f
        return termination == 0 ? (status >> 8) & 0xff : 128 + termination
    }
}
