import CurlTransport
import DriverKit

/// How a Google Cloud driver reaches its API: where (Google's host, an emulator, or the
/// component's `endpoint`), for which project, and with what authorization.
///
/// As Google's clients do, an emulator named by its environment variable
/// (`STORAGE_EMULATOR_HOST`, `PUBSUB_EMULATOR_HOST`) gets no authorization. An `endpoint`
/// gets the service account's tokens when there are credentials, and none otherwise (an
/// emulator given in the component file). Google's own host needs credentials.
public final class GoogleAccess: Sendable {
    /// The emulator's or endpoint's base URL (`http://127.0.0.1:8085`); nil for Google's host.
    public let baseURL: String?
    public let projectID: String?
    /// True when requests carry no authorization.
    public let usesEmulator: Bool
    public let account: GoogleServiceAccount?
    private let http: CurlClient
    private let tokens: GoogleTokenSource?
    private let component: String
    /// Why the credentials in the environment could not be used (on an emulator only).
    private let unusableCredentials: DriverError?

    public var clientEmail: String? { account?.clientEmail }

    /// `now` is the clock tokens expire by (tests move it).
    public init(
        metadata: ComponentMetadata, scopes: [String], emulatorVariable: String, endpoint: String? = nil,
        environment: [String: String] = ProcessEnvironment.variables(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) throws(DriverError) {
        component = metadata.component
        let emulator = environment[emulatorVariable].flatMap { $0.isEmpty ? nil : $0 }
        if emulator == nil {
            account = try GoogleServiceAccount.find(metadata, environment: environment)
            unusableCredentials = nil
        } else {
            // Google's clients never read credentials for an emulator: a key file bindery
            // cannot use (gcloud's user credentials) must not stop the component. Only signing
            // needs the key then, and says why there is none.
            let found = Result { () throws(DriverError) in
                try GoogleServiceAccount.find(metadata, environment: environment)
            }
            account = try? found.get()
            unusableCredentials = if case .failure(let error) = found { error } else { nil }
        }
        projectID = metadata.lookup(GoogleProfile.projectID.spellings)?.text ?? account?.projectID
        if let emulator {
            baseURL = GoogleAccess.url(emulator)
            usesEmulator = true
        } else if let endpoint, !endpoint.isEmpty {
            baseURL = GoogleAccess.url(endpoint)
            usesEmulator = account == nil
        } else {
            guard account != nil else {
                throw DriverError(
                    .invalidArgument,
                    "\(component): no Google credentials: set privateKeyID, privateKey and clientEmail (a service account key) in the component, or GOOGLE_APPLICATION_CREDENTIALS to a service account key file; or \(emulatorVariable) for an emulator"
                )
            }
            baseURL = nil
            usesEmulator = false
        }
        let http = CurlClient()
        self.http = http
        tokens =
            usesEmulator
            ? nil
            : account.map {
                GoogleTokenSource(account: $0, scopes: scopes, http: http, component: metadata.component, now: now)
            }
    }

    /// Why credentials would cross the network unencrypted, for the driver to log at start;
    /// nil when they do not.
    public var plainHTTPWarning: String? {
        guard !usesEmulator, let account else { return nil }
        let plain = [baseURL, account.tokenURI].compactMap { $0 }.filter { $0.hasPrefix("http://") }
        guard !plain.isEmpty else { return nil }
        return
            "\(component): Google credentials are sent over plain http to \(plain.map(URLText.redacted).joined(separator: " and ")); use https"
    }

    /// Starts the HTTP client tokens are exchanged with (nothing to start on an emulator).
    public func start() throws(DriverError) {
        guard tokens != nil else { return }
        do {
            try http.start()
        } catch {
            throw DriverError(.internalError, "\(component): cannot start the token client: \(error.message)")
        }
    }

    public func stop() async {
        guard tokens != nil else { return }
        await http.stop()
    }

    /// The `Authorization` header's value ("Bearer …"), or nil on an emulator.
    public func authorization() async throws(DriverError) -> String? {
        guard let tokens else { return nil }
        return "Bearer " + (try await tokens.accessToken())
    }

    /// Forgets the access token in `authorization` (what `authorization()` gave) when it is
    /// still the cached one: call it when the API answers 401, then retry once.
    public func tokenRefused(_ authorization: String) {
        guard authorization.hasPrefix("Bearer ") else { return }
        tokens?.invalidate(String(authorization.dropFirst("Bearer ".count)))
    }

    /// The RS256 signature of `bytes` with the service account's key (GCS V4 signed URLs).
    public func sign(_ bytes: [UInt8]) throws(DriverError) -> [UInt8] {
        if account == nil, let unusableCredentials { throw unusableCredentials }
        guard let account else {
            throw DriverError(
                .invalidArgument,
                "\(component): signing needs a service account key (privateKeyID, privateKey, clientEmail, or GOOGLE_APPLICATION_CREDENTIALS)"
            )
        }
        do {
            return try account.key.sign(bytes)
        } catch {
            throw DriverError(.internalError, "\(component): cannot sign: \(error.reason)")
        }
    }

    /// A host given as `host:port`, as Google's clients accept it, becomes `http://host:port`;
    /// a URL stays as written, less a trailing slash.
    static func url(_ text: String) -> String {
        let url = text.contains("://") ? text : "http://" + text
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
