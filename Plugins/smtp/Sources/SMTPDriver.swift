import CurlTransport
import DriverKit
import Glibc

/// `bindings.smtp`: sends each `create` request as an email, as Dapr's SMTP binding does.
///
/// Each message is one SMTP session (as gomail's `DialAndSend`), run by libcurl on one curl
/// thread per instance (`CurlClient`); `invoke` only composes the message, queues the transfer
/// and suspends until curl's thread completes it.
final class SMTPDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.smtp", version: "1.0.0",
        summary: "Sends an HTML email through an SMTP server (STARTTLS or implicit TLS, AUTH) for each create.",
        directions: [.output],
        operations: ["create"],
        fields: SMTPDriver.fields)

    let settings: SMTPSettings
    private let host: DriverHost?
    private let client = CurlClient()
    /// The clock of the Date header; tests fix it.
    private let clock: @Sendable () -> MailDate

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration, log: host)
    }

    /// Checks the configuration; no I/O. `log` is nil in tests (DriverHost has no public init),
    /// which may also fix the Date header's clock and the port that means implicit TLS.
    init(
        configuration: DriverConfiguration, log host: DriverHost?,
        clock: @escaping @Sendable () -> MailDate = { MailDate() }, implicitTLSPort: Int = 465
    ) throws {
        settings = try SMTPSettings(configuration, implicitTLSPort: implicitTLSPort)
        self.host = host
        self.clock = clock
    }

    /// Starts the curl thread. No connection is made: as in Dapr, each message dials its own.
    func start() async throws {
        do { try client.start() } catch { throw DriverError(.unavailable, "bindings.smtp: \(error.message)") }
        if settings.user == nil { host?.log(.warn, "smtp binding warn: User and password are empty") }
        if settings.skipTLSVerify {
            host?.log(
                .warn,
                "smtp binding warning: Skip TLS Verification is enabled. This is insecure and is NOT recommended for production scenarios."
            )
        }
        host?.log(.debug, "bindings.smtp ready for \(settings.address) with \(CurlRuntime.version)")
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard request.operation == "create" else {
            throw DriverError(
                .unsupported, "operation \"\(request.operation)\" is not supported by bindings.smtp (only create)")
        }
        let fields = try settings.defaults.overridden(by: request.metadata)
        let mail = try MailMessage(fields: fields, data: request.data, date: clock())
        let timeout = try timeoutMilliseconds(request.deadline)
        let result: Result<Void, SMTPFailure> = await withCheckedContinuation { continuation in
            do throws(SMTPFailure) {
                let transfer = try SMTPTransfer(mail, settings: settings, timeoutMilliseconds: timeout) {
                    continuation.resume(returning: $0)
                }
                client.perform(transfer)
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        if case .failure(let failure) = result { throw failure.driverError }
        host?.log(.debug, "smtp binding: sent email successfully")
        return nil
    }

    /// Cancels sends in flight (`.cancelled`) and ends the curl thread before returning.
    func stop() async {
        await client.stop()
    }

    /// The time left before the host's deadline, in milliseconds; nil for none (Dapr has no
    /// limit past gomail's 10-second dial timeout).
    private func timeoutMilliseconds(_ deadline: UInt64?) throws -> Int? {
        guard let deadline else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        guard deadline > nanoseconds else {
            throw DriverError(.timeout, "bindings.smtp: the request's deadline passed before the email was sent")
        }
        return Int(clamping: (deadline - nanoseconds + 999_999) / 1_000_000)
    }
}

/// The driver this library exports (Plugins/smtp/Entry).
public let exportedDriver: any BindingDriver.Type = SMTPDriver.self
