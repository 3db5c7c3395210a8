import BinderyCore
import BinderyGRPC
import BinderyHTTP
import BinderySystem
import DaprGRPCAPI
import DaprHTTPAPI

/// The Dapr API, served twice over one `BindingService`: HTTP/1.1 on `--dapr-http-port` and gRPC
/// on `--dapr-grpc-port`, both on `--dapr-listen-addresses`, or both on Unix sockets in
/// `--unix-domain-socket DIR`, named as daprd names them (`dapr-<app-id>-http.socket`,
/// `dapr-<app-id>-grpc.socket`).
final class APIServers: Sendable {
    let http: HTTPServer
    let grpc: GRPCServer
    /// Where each API listens, for the log and the app's environment.
    let httpEndpoint: String
    let grpcEndpoint: String

    /// Binds and starts both servers; throws a line naming the API and the address that failed.
    init(options: RunOptions, service: any BindingService) throws(APIServersError) {
        let apiToken = Environment.value("DAPR_API_TOKEN")
        let router = APIRouter(service: service, apiToken: apiToken, maxExtendedMetadataBytes: options.maxBodyBytes)
        let sockets = options.unixSocketDirectory.map { directory in
            (
                http: "\(directory)/dapr-\(options.appID)-http.socket",
                grpc: "\(directory)/dapr-\(options.appID)-grpc.socket"
            )
        }
        var httpConfiguration = HTTPServerConfiguration()
        httpConfiguration.host = options.listenAddress
        httpConfiguration.port = options.httpPort
        httpConfiguration.unixSocketPath = sockets?.http
        httpConfiguration.maxBodyBytes = options.maxBodyBytes
        if let maxConnections = options.maxConnections { httpConfiguration.maxConnections = maxConnections }
        do {
            http = try HTTPServer(httpConfiguration) { request, responder in router.handle(request, responder) }
        } catch {
            let place = sockets?.http ?? "\(options.listenAddress):\(options.httpPort) (--dapr-http-port)"
            throw APIServersError(description: "cannot serve the HTTP API on \(place): \(error)")
        }
        let api = DaprGRPCService(
            service: service, apiToken: apiToken, maxExtendedMetadataBytes: options.maxBodyBytes)
        var grpcConfiguration = GRPCServerConfiguration()
        grpcConfiguration.host = options.listenAddress
        grpcConfiguration.port = options.grpcPort
        grpcConfiguration.unixSocketPath = sockets?.grpc
        grpcConfiguration.maxMessageBytes = options.maxBodyBytes
        grpcConfiguration.threads = httpConfiguration.threads
        grpcConfiguration.maxConnections = httpConfiguration.maxConnections
        do {
            grpc = try GRPCServer(grpcConfiguration) { request, responder in api.handle(request, responder) }
        } catch {
            let place = sockets?.grpc ?? "\(options.listenAddress):\(options.grpcPort) (--dapr-grpc-port)"
            throw APIServersError(description: "cannot serve the gRPC API on \(place): \(error)")
        }
        httpEndpoint = sockets.map { "unix://\($0.http)" } ?? "http://\(options.listenAddress):\(http.port)"
        grpcEndpoint = sockets.map { "unix://\($0.grpc)" } ?? "\(options.listenAddress):\(grpc.port)"
        http.start()
        grpc.start()
    }

    /// What the app started by `bindery run -- CMD` is told: the ports, as daprd's injector and
    /// the dapr CLI export them, or with Unix sockets the gRPC endpoint the SDKs read.
    var environment: [String: String] {
        guard grpcEndpoint.hasPrefix("unix://") else {
            return ["DAPR_HTTP_PORT": String(http.port), "DAPR_GRPC_PORT": String(grpc.port)]
        }
        return ["DAPR_GRPC_ENDPOINT": grpcEndpoint]
    }

    /// Stops both: new connections refused, calls in flight answered (gRPC clients get GOAWAY).
    func shutdown() {
        grpc.shutdown()
        http.shutdown()
    }
}

/// Why an API server could not start.
struct APIServersError: Error, CustomStringConvertible {
    let description: String
}
