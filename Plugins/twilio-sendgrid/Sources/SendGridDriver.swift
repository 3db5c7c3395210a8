import CurlTransport
import DaprMetadata
import DriverKit
import ServiceEndpoint
import Synchronization

/// `bindings.twilio.sendgrid`: sends each `create` as an email through SendGrid's v3
/// `mail/send`, with the JSON Dapr's binding (sendgrid-go) sends and the component's fields
/// overridable per request.
///
/// Requests run on one curl thread per instance (`CurlClient`). The API key goes only into the
/// Authorization header: no log line and no error carries it.
final class SendGridDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.twilio.sendgrid", version: "1.0.0",
        summary: "Sends an HTML email through SendGrid's v3 mail/send API for each create.",
        directions: [.output], operations: ["create"], fields: SendGridDriver.fields)

    /// sendgrid-go sets no timeout; this bounds a request whose caller gave no deadline.
    static let longestRequest = GoDuration(nanoseconds: 300_000_000_000)

    let settings: SendGridSettings
    private let component: String
    private let host: DriverHost?
    private let client = CurlClient()
    private let tls = Mutex(TLSMaterial())

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration, log: host)
    }

    /// Checks the configuration (dynamicTemplateData must be a JSON object); no I/O.
    init(configuration: DriverConfiguration, log host: DriverHost?) throws {
        settings = try SendGridSettings(configuration)
        component = configuration.componentName
        self.host = host
    }

    /// Reads caCert and starts the curl thread; nothing is sent.
    func start() async throws {
        if let caCert = settings.caCert {
            let pem = try ServiceEndpoint.certificates(
                caCert, field: SendGridKey.caCert.rawValue, component: component)
            tls.withLock { $0.rootCA = pem }
        }
        do { try client.start() } catch { throw DriverError(.unavailable, "\(component): \(error.message)") }
        if settings.endpoint.hasPrefix("http://") {
            host?.log(
                .warn,
                "\(component): endpoint \(URLText.redacted(settings.endpoint)) is not https: the API key crosses the network unencrypted"
            )
        }
        host?.log(.debug, "bindings.twilio.sendgrid ready for \(URLText.redacted(settings.endpoint))")
    }

    /// `create`: the data is the HTML body; no response (204), as Dapr.
    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard request.operation == "create" else {
            throw DriverError(
                .unsupported,
                "binding \(component) does not support operation \(request.operation). supported operations:create")
        }
        let mail = try MailRequest(settings.defaults.overridden(by: request.metadata), data: request.data)
        let exchange = CurlRequest(
            method: "POST", url: settings.sendURL,
            headers: [
                ("Authorization", "Bearer " + settings.apiKey), ("Accept", "application/json"),
                ("Content-Type", "application/json"),
            ],
            body: try mail.body(), limit: 1 << 20,
            timeoutMilliseconds: try ServiceEndpoint.timeout(
                limit: SendGridDriver.longestRequest, deadline: request.deadline, component: component),
            tls: tls.withLock { $0 })
        switch await client.perform(exchange) {
        case .failure(let error):
            var failure = ServiceEndpoint.failure(error, component: component)
            failure.message = SendGridFailure.prefix + error.message
            throw failure
        case .success(let response) where (200..<300).contains(response.statusCode):
            host?.log(.info, "sent email with SendGrid")
            return nil
        case .success(let response):
            throw SendGridFailure.error(response)
        }
    }

    /// Cancels requests in flight and ends the curl thread before returning.
    func stop() async {
        await client.stop()
    }
}

/// The driver this library exports (Plugins/twilio-sendgrid/Entry).
public let exportedDriver: any BindingDriver.Type = SendGridDriver.self
