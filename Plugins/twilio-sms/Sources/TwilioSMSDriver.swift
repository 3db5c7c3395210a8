import CurlTransport
import DriverKit
import ServiceEndpoint
import Synchronization

/// `bindings.twilio.sms`: sends each `create` as an SMS through Twilio's Messages API, as Dapr's
/// binding does (a form-encoded POST with Basic auth; the data is the text).
///
/// Requests run on one curl thread per instance (`CurlClient`); `invoke` builds the request,
/// queues it and suspends until curl's thread completes it. The auth token goes only into the
/// Authorization header: no log line and no error carries it.
final class TwilioSMSDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.twilio.sms", version: "1.0.0",
        summary: "Sends an SMS through Twilio's Messages API for each create.",
        directions: [.output], operations: ["create"], fields: TwilioSMSDriver.fields)

    /// The request metadata key naming the recipient when the component has none.
    static let toNumberKey = "toNumber"

    let settings: SMSSettings
    private let component: String
    private let host: DriverHost?
    private let client = CurlClient()
    private let tls = Mutex(TLSMaterial())

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration, log: host)
    }

    /// Checks the configuration; no I/O. `log` is nil in tests that need no host.
    init(configuration: DriverConfiguration, log host: DriverHost?) throws {
        settings = try SMSSettings(configuration)
        component = configuration.componentName
        self.host = host
    }

    /// Reads caCert and starts the curl thread. Nothing is sent: as in Dapr, the first message
    /// is the first contact with Twilio.
    func start() async throws {
        if let caCert = settings.caCert {
            let pem = try ServiceEndpoint.certificates(caCert, field: SMSKey.caCert.rawValue, component: component)
            tls.withLock { $0.rootCA = pem }
        }
        do { try client.start() } catch { throw DriverError(.unavailable, "\(component): \(error.message)") }
        if settings.endpoint.hasPrefix("http://") {
            host?.log(
                .warn,
                "\(component): endpoint \(URLText.redacted(settings.endpoint)) is not https: the auth token crosses the network unencrypted"
            )
        }
        host?.log(
            .debug,
            "bindings.twilio.sms ready for account \(settings.accountSid) at \(URLText.redacted(settings.endpoint))")
    }

    /// `create`: the data is the text (a JSON string's text, as Dapr); the recipient is the
    /// component's toNumber, else the request's. No response (204), as Dapr.
    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard request.operation == "create" else {
            throw DriverError(
                .unsupported,
                "binding \(component) does not support operation \(request.operation). supported operations:create")
        }
        let to: String
        if let configured = settings.toNumber {
            to = configured
        } else if let asked = request.metadata[TwilioSMSDriver.toNumberKey], !asked.isEmpty {
            to = asked
        } else {
            throw DriverError(.invalidArgument, "twilio missing \"toNumber\" field")
        }
        let form = GoURLEscaping.form([
            ("To", to), ("From", settings.fromNumber), ("Body", FormText.messageBody(request.data)),
        ])
        let exchange = CurlRequest(
            method: "POST", url: settings.messagesURL,
            headers: [
                ("Authorization", settings.authorization), ("Accept", "application/json"),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            body: Array(form.utf8), limit: 1 << 20,
            timeoutMilliseconds: try ServiceEndpoint.timeout(
                limit: settings.timeout, deadline: request.deadline, component: component),
            tls: tls.withLock { $0 })
        switch await client.perform(exchange) {
        case .failure(let error):
            throw ServiceEndpoint.failure(error, component: component)
        case .success(let response) where (200..<300).contains(response.statusCode):
            host?.log(.debug, "\(component): Twilio accepted a message (\(response.statusCode))")
            return nil
        case .success(let response):
            throw TwilioFailure.error(response)
        }
    }

    /// Cancels requests in flight and ends the curl thread before returning.
    func stop() async {
        await client.stop()
    }
}

/// The driver this library exports (Plugins/twilio-sms/Entry).
public let exportedDriver: any BindingDriver.Type = TwilioSMSDriver.self
