extension ServerProcess {
    /// A started redis-server on a free port: no persistence, bound to 127.0.0.1, requiring
    /// `password` if given; `extra` arguments are appended (e.g. `--rename-command GETDEL ""`).
    public static func redis(password: String? = nil, extra: [String] = []) async throws -> ServerProcess {
        try await started {
            try ServerProcess(name: "redis", program: "/usr/bin/redis-server", password: password) { port, directory in
                var arguments = [
                    "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
                    directory,
                ]
                if let password { arguments += ["--requirepass", password] }
                return arguments + extra
            }
        }
    }

    /// Runs `redis-cli` with `arguments` against this server (with its password, in `database`)
    /// and returns its output without the final newline.
    @discardableResult
    public func redisCLI(_ arguments: String..., database: Int = 0) throws -> String {
        var prefix = ["-h", "127.0.0.1", "-p", String(port), "-n", String(database)]
        if let password { prefix += ["--no-auth-warning", "-a", password] }
        var text = try run("/usr/bin/redis-cli", prefix + arguments).stdout
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
