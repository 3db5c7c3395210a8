import BinderyCore
import BinderySystem
import Delivery
import DriverRuntime
import Glibc
import Synchronization

/// `bindery run`: loads drivers and components, serves the Dapr HTTP and gRPC APIs, starts the app if
/// given, delivers input events once the app listens, and shuts down in order on a signal or
/// when the app exits.
final class Sidecar: Sendable {
    let options: RunOptions
    let discovery: InProcessDiscovery
    let registry: Registry
    let state: SidecarState
    let stopping = Atomic<Bool>(false)
    let signalsReceived = Atomic<Int>(0)
    let reloader = Mutex<Reloader?>(nil)

    init(options: RunOptions, catalog: DriverCatalog, discovery: InProcessDiscovery) {
        self.options = options
        self.discovery = discovery
        self.registry = Registry(catalog: catalog)
        self.state = SidecarState(
            appID: options.appID, appPort: options.appPort,
            appChannelAddress: options.appChannelAddress, maxConcurrency: options.appMaxConcurrency,
            appProtocol: options.appProtocol.rawValue)
    }

    /// Runs until a signal or the app's exit; returns the process exit status.
    static func run(_ options: RunOptions) async -> Int32 {
        let started = ContinuousClock.now
        let discovery = InProcessDiscovery(
            loader: Loader(), searchPath: DriverScan.searchPath(flags: options.driversPaths))
        let catalog = discovery.scan()
        let manifest = ComponentLoader.load(
            paths: options.resourcesPaths, appID: options.appID, environment: Environment.all)
        for problem in manifest.problems { Log.write(problem.severity == .error ? .error : .warn, problem.description) }

        let sidecar = Sidecar(options: options, catalog: catalog, discovery: discovery)
        await sidecar.registry.start(manifest.components)
        let servers: APIServers
        do {
            let service = RegistryService(
                registry: sidecar.registry, state: sidecar.state, discovery: discovery,
                runtimeVersion: "bindery-\(CLI.version)")
            servers = try APIServers(options: options, service: service)
        } catch {
            CLI.fail(error.description)
            await sidecar.registry.shutDown()
            return 1
        }
        sidecar.state.outboundReady.store(true, ordering: .releasing)
        if options.watch {
            let reloader = Reloader(
                resourcesPaths: options.resourcesPaths, appID: options.appID, registry: sidecar.registry,
                discovery: discovery, manifest: manifest)
            reloader.start()
            sidecar.reloader.withLock { $0 = reloader }
        }
        Log.info(
            "ready in \(Log.milliseconds(ContinuousClock.now - started)): API on \(servers.httpEndpoint), gRPC API on \(servers.grpcEndpoint), \(manifest.components.count) components, \(catalog.drivers.count) drivers"
        )
        return await sidecar.serve(servers)
    }

    /// Starts the app and input delivery, then waits for the end: the app's exit or a signal.
    /// A signal begins the shutdown (health turns unhealthy, input stops); with an app, passes
    /// the signal on and keeps output serving until the app exits; then drains the components.
    private func serve(_ servers: APIServers) async -> Int32 {
        let (ends, end) = AsyncStream.makeStream(of: Ending.self)
        var child: ChildProcess?
        if !options.command.isEmpty {
            do {
                child = try ChildProcess.spawn(options.command, extraEnvironment: childEnvironment(servers.environment))
            } catch {
                Log.error(error.description)
                end.yield(.appExited(127))
            }
        }
        if let child {
            let waiter = ChildWaiter(child: child, end: end)
            waiter.start()
        }
        Signals.watch { [child] number in self.received(number, app: child, end: end) }
        let inputs = Task { await self.startInputs() }
        var status: Int32 = 0
        for await ending in ends {
            if case .appExited(let code) = ending {
                Log.info("app exited with status \(code)")
                status = code
                break
            }
            guard case .signal(let number) = ending else { continue }
            let bound = options.gracefulShutdown.map { "up to \($0.components.seconds)s" } ?? "no time limit"
            Log.info(
                "received signal \(number), shutting down\(child == nil ? "" : " once the app exits"): draining for \(bound) (send it again to exit at once)"
            )
            guard let child else { break }
            child.signal(Self.forwarded(number))
            await beginShutdown(inputs)  // the app may still use output bindings as it stops
        }
        await beginShutdown(inputs)
        armShutdownTimer()
        await registry.shutDown()
        servers.shutdown()
        return status
    }

    /// On the signals thread: the first signal ends `serve`'s wait; a second one, or any once the
    /// drain has begun, ends the process at once with status 1 as daprd does (dapr/kit `signals`).
    private func received(_ number: Int32, app: ChildProcess?, end: AsyncStream<Ending>.Continuation) {
        guard signalsReceived.add(1, ordering: .relaxed).oldValue > 0 || isStopping else {
            end.yield(.signal(number))
            return
        }
        Log.warn("received signal \(number) during shutdown; exiting at once")
        app?.signal(Self.forwarded(number))
        _exit(1)
    }

    /// The signal the app gets for `number`: SIGHUP is passed on as SIGTERM, since bindery itself
    /// treats it as one (the app may not handle SIGHUP as a shutdown).
    private static func forwarded(_ number: Int32) -> Int32 { number == SIGHUP ? SIGTERM : number }

    /// The first steps of shutdown, once: health reports it, new requests to components already
    /// stopped get 503, reloads end, inputs stop taking events (those with the app finish).
    private func beginShutdown(_ inputs: Task<Void, Never>) async {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        state.shuttingDown.store(true, ordering: .releasing)
        inputs.cancel()
        await reloader.withLock({ $0 })?.stop()
        await registry.stopInputs()
    }

    /// Ends the process with status 1 when the drain outlasts `--dapr-graceful-shutdown-seconds`
    /// (daprd: "Graceful shutdown timeout exceeded, forcing shutdown").
    private func armShutdownTimer() {
        guard let limit = options.gracefulShutdown else { return }
        HostThread.start("shutdown-timer") {
            var pause = timespec(tv_sec: Int(limit.components.seconds), tv_nsec: 0)
            var left = timespec()
            while nanosleep(&pause, &left) != 0, errno == EINTR { pause = left }
            Log.warn(
                "graceful shutdown timeout of \(limit.components.seconds)s exceeded; exiting with requests in flight")
            _exit(1)
        }
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    private func childEnvironment(_ api: [String: String]) -> [String: String] {
        var environment = api
        environment["APP_ID"] = options.appID
        if let appPort = options.appPort { environment["APP_PORT"] = String(appPort) }
        return environment
    }

    /// Waits for the app's port, then probes and starts every input binding independently,
    /// and every input binding that hot reload creates later.
    private func startInputs() async {
        guard let appPort = options.appPort else {
            state.appReady.store(true, ordering: .releasing)
            if !registry.inputs.isEmpty { Log.warn("no --app-port: input bindings will not deliver events") }
            return
        }
        let channel: any AppChannel
        do { channel = try appChannel(port: appPort) } catch {
            Log.error("cannot reach the app over gRPC: \(error); input bindings will not deliver events")
            return
        }
        let delivery = Delivery(channel: channel, maxConcurrency: options.appMaxConcurrency, counters: state.deliveries)
        guard
            await AppPort.waitUntilOpen(
                address: options.appChannelAddress, port: appPort, isCancelled: { self.isStopping })
        else { return }
        state.appReady.store(true, ordering: .releasing)
        Log.info("app is listening on port \(appPort)")
        let maxUnacked = options.appMaxConcurrency > 0 ? options.appMaxConcurrency * 2 : 256
        await registry.startInputs { generation in
            await delivery.startInput(generation, maxUnacked: maxUnacked) { self.isStopping }
        }
    }

    /// The app as `--app-protocol` reaches it: HTTP/1.1 (`OPTIONS` probes, `POST` events) or
    /// gRPC (`AppCallback/ListInputBindings`, `AppCallback/OnBindingEvent`).
    private func appChannel(port: Int) throws(SystemError) -> any AppChannel {
        let token = Environment.value("APP_API_TOKEN")
        switch options.appProtocol {
        case .http:
            return HTTPAppChannel(
                address: options.appChannelAddress, port: port, appToken: token, probeTimeout: options.probeTimeout)
        case .grpc:
            return try GRPCAppChannel(
                target: .tcp(host: options.appChannelAddress, port: port), appToken: token,
                probeTimeout: options.probeTimeout, maxMessageBytes: options.maxBodyBytes)
        }
    }

    enum Ending: Sendable {
        case signal(Int32)
        case appExited(Int32)
    }
}

/// Waits for the app on a dedicated thread (waitpid blocks).
private final class ChildWaiter: Sendable {
    let child: ChildProcess
    let end: AsyncStream<Sidecar.Ending>.Continuation

    init(child: ChildProcess, end: AsyncStream<Sidecar.Ending>.Continuation) {
        self.child = child
        self.end = end
    }

    func start() {
        HostThread.start("app-waiter") { self.end.yield(.appExited(self.child.wait())) }
    }
}
