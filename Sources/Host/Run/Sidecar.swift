import BinderyCore
import BinderyHTTP
import BinderySystem
import DaprHTTPAPI
import Delivery
import DriverRuntime
import Glibc
import Synchronization

/// `bindery run`: loads drivers and components, serves the Dapr HTTP API, starts the app if
/// given, delivers input events once the app listens, and shuts down in order on a signal or
/// when the app exits.
final class Sidecar: Sendable {
    let options: RunOptions
    let discovery: InProcessDiscovery
    let registry: Registry
    let state: SidecarState
    let stopping = Atomic<Bool>(false)
    let reloader = Mutex<Reloader?>(nil)

    init(options: RunOptions, catalog: DriverCatalog, discovery: InProcessDiscovery) {
        self.options = options
        self.discovery = discovery
        self.registry = Registry(catalog: catalog)
        self.state = SidecarState(
            appID: options.appID, appPort: options.appPort,
            appChannelAddress: options.appChannelAddress, maxConcurrency: options.appMaxConcurrency)
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
        let server: HTTPServer
        do {
            server = try sidecar.startServer()
        } catch {
            CLI.fail("cannot serve the API on \(options.listenAddress):\(options.httpPort): \(error)")
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
            "ready in \(Log.milliseconds(ContinuousClock.now - started)): API on http://\(options.listenAddress):\(server.port), \(manifest.components.count) components, \(catalog.drivers.count) drivers"
        )
        return await sidecar.serve(server)
    }

    private func startServer() throws(HTTPServerError) -> HTTPServer {
        let service = RegistryService(
            registry: registry, state: state, discovery: discovery, runtimeVersion: "bindery-\(CLI.version)")
        let router = APIRouter(
            service: service, apiToken: Environment.value("DAPR_API_TOKEN"),
            maxExtendedMetadataBytes: options.maxBodyBytes)
        var configuration = HTTPServerConfiguration()
        configuration.host = options.listenAddress
        configuration.port = options.httpPort
        configuration.maxBodyBytes = options.maxBodyBytes
        if let maxConnections = options.maxConnections { configuration.maxConnections = maxConnections }
        let server = try HTTPServer(configuration) { request, responder in router.handle(request, responder) }
        server.start()
        return server
    }

    /// Starts the app and input delivery, then waits for the end.
    private func serve(_ server: HTTPServer) async -> Int32 {
        let (ends, end) = AsyncStream.makeStream(of: Ending.self)
        Signals.watch { end.yield(.signal($0)) }
        var child: ChildProcess?
        if !options.command.isEmpty {
            do {
                child = try ChildProcess.spawn(options.command, extraEnvironment: childEnvironment(server.port))
            } catch {
                Log.error(error.description)
                end.yield(.appExited(127))
            }
        }
        if let child {
            let waiter = ChildWaiter(child: child, end: end)
            waiter.start()
        }
        let inputs = Task { await self.startInputs() }
        var status: Int32 = 0
        for await ending in ends {
            switch ending {
            case .signal(let number):
                Log.info("received signal \(number), shutting down")
                if let child {
                    child.signal(number)
                    continue
                }  // wait for the app to exit
                status = 0
            case .appExited(let code):
                Log.info("app exited with status \(code)")
                status = code
            }
            break
        }
        stopping.store(true, ordering: .releasing)
        inputs.cancel()
        await reloader.withLock({ $0 })?.stop()
        await registry.shutDown()
        server.shutdown()
        return status
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    private func childEnvironment(_ apiPort: Int) -> [String: String] {
        var environment = ["DAPR_HTTP_PORT": String(apiPort), "APP_ID": options.appID]
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
        let delivery = Delivery(
            channel: HTTPAppChannel(
                address: options.appChannelAddress, port: appPort, appToken: Environment.value("APP_API_TOKEN"),
                probeTimeout: options.probeTimeout),
            maxConcurrency: options.appMaxConcurrency, counters: state.deliveries)
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
