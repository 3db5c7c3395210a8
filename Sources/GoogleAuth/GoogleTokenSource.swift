import CurlTransport
import DriverJSON
import DriverKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Access tokens for one service account: a signed JWT exchanged at the account's token URI,
/// cached, and exchanged again before it expires. Concurrent callers share one exchange.
final class GoogleTokenSource: Sendable {
    struct Token {
        var value: String
        var expires: ContinuousClock.Instant
    }

    typealias Waiter = CheckedContinuation<Result<String, DriverError>, Never>

    struct State {
        var token: Token?
        /// Callers waiting for the exchange in flight; nil when none is.
        var waiters: [Waiter]?
    }

    /// A token is exchanged again once it has less than this left, or half its lifetime when
    /// that is shorter (Google's own clients refresh 3¾ minutes early).
    static let refreshMargin: Duration = .seconds(225)
    static let exchangeTimeoutMilliseconds: Int64 = 30_000

    let account: GoogleServiceAccount
    let scopes: [String]
    let http: CurlClient
    let component: String
    let state = Mutex(State())

    init(account: GoogleServiceAccount, scopes: [String], http: CurlClient, component: String) {
        self.account = account
        self.scopes = scopes
        self.http = http
        self.component = component
    }

    /// A valid access token: the cached one, or a new one from the token endpoint.
    func accessToken() async throws(DriverError) -> String {
        let result = await withCheckedContinuation { (continuation: Waiter) in
            enum Next {
                case done(String)
                case wait, exchange
            }
            let next = state.withLock { state -> Next in
                if let token = state.token, ContinuousClock.now < token.expires { return .done(token.value) }
                if state.waiters != nil {
                    state.waiters?.append(continuation)
                    return .wait
                }
                state.waiters = [continuation]
                return .exchange
            }
            switch next {
            case .done(let token): continuation.resume(returning: .success(token))
            case .wait: break
            case .exchange: Task { await self.exchangeAndResume() }
            }
        }
        return try result.get()
    }

    /// Forgets the cached token (the API refused it), so the next call exchanges again.
    func invalidate() {
        state.withLock { $0.token = nil }
    }

    private func exchangeAndResume() async {
        let result: Result<Token, DriverError>
        do {
            result = .success(try await exchange())
        } catch {
            result = .failure(error)
        }
        let waiters = state.withLock { state -> [Waiter] in
            if case .success(let token) = result { state.token = token }
            defer { state.waiters = nil }
            return state.waiters ?? []
        }
        for waiter in waiters { waiter.resume(returning: result.map(\.value)) }
    }

    /// One JWT-bearer exchange (RFC 7523) at the token URI.
    private func exchange() async throws(DriverError) -> Token {
        let assertion: String
        do {
            assertion = try JWTAssertion.make(account, scopes: scopes, now: Int(time(nil)))
        } catch {
            throw DriverError(.internalError, "\(component): cannot sign the token request: \(error.reason)")
        }
        let body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion
        let request = CurlRequest(
            method: "POST", url: account.tokenURI,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Array(body.utf8), limit: 1 << 20, timeoutMilliseconds: Self.exchangeTimeoutMilliseconds)
        let asked = ContinuousClock.now
        let what = "cannot get an access token for \(account.clientEmail) from \(URLText.redacted(account.tokenURI))"
        let response: CurlResponse
        switch await http.perform(request) {
        case .success(let answer): response = answer
        case .failure(let error):
            throw DriverError(
                error.kind == .timeout ? .timeout : .unavailable, "\(component): \(what): \(error.message)",
                retryable: true)
        }
        let json = try? JSONValue.parse(bytes: response.body)
        guard (200..<300).contains(response.statusCode) else {
            // Google's answer: {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
            let reason = [json?["error"]?.string, json?["error_description"]?.string].compactMap { $0 }
                .joined(separator: ": ")
            let code: DriverError.Code = response.statusCode >= 500 ? .unavailable : .invalidArgument
            throw DriverError(
                code, "\(component): \(what): HTTP \(response.statusCode)\(reason.isEmpty ? "" : " \(reason)")",
                retryable: response.statusCode >= 500)
        }
        guard let token = json?["access_token"]?.string, !token.isEmpty else {
            throw DriverError(.internalError, "\(component): \(what): the answer has no access_token")
        }
        let lifetime =
            json?["expires_in"].flatMap { value -> Int? in
                if case .number(let text) = value { return Int(text) }
                return value.string.flatMap { Int($0) }
            } ?? 3600
        let seconds = Duration.seconds(max(lifetime, 1))
        return Token(value: token, expires: asked + seconds - min(Self.refreshMargin, seconds / 2))
    }
}
