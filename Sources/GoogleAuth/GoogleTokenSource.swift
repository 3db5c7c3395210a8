import CurlTransport
import DriverJSON
import DriverKit
import ServiceEndpoint
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Access tokens for one service account: a signed JWT exchanged at the account's token URI,
/// cached, and exchanged again before it expires. Concurrent callers share one exchange.
///
/// A token due for renewal but not yet expired is still handed out while the new one is being
/// exchanged, and kept when that exchange fails: a token endpoint that is briefly down costs
/// no request, as with Google's own clients.
final class GoogleTokenSource: Sendable {
    struct Token {
        var value: String
        /// When a new one is asked for.
        var renewal: ContinuousClock.Instant
        /// When Google stops taking it.
        var expiry: ContinuousClock.Instant
    }

    typealias Waiter = CheckedContinuation<Result<String, DriverError>, Never>

    struct State {
        var token: Token?
        var exchanging = false
        /// Callers without a usable token, waiting for the exchange in flight.
        var waiters: [Waiter] = []
    }

    /// A token is exchanged again once it has less than this left, or half its lifetime when
    /// that is shorter (Google's own clients refresh 3¾ minutes early).
    static let refreshMargin: Duration = .seconds(225)
    static let exchangeTimeoutMilliseconds: Int64 = 30_000

    let account: GoogleServiceAccount
    let scopes: [String]
    let http: CurlClient
    let component: String
    let now: @Sendable () -> ContinuousClock.Instant
    let state = Mutex(State())

    init(
        account: GoogleServiceAccount, scopes: [String], http: CurlClient, component: String,
        now: @escaping @Sendable () -> ContinuousClock.Instant
    ) {
        self.account = account
        self.scopes = scopes
        self.http = http
        self.component = component
        self.now = now
    }

    /// A valid access token: the cached one, or a new one from the token endpoint.
    func accessToken() async throws(DriverError) -> String {
        let result = await withCheckedContinuation { (continuation: Waiter) in
            let (usable, startsExchange) = state.withLock { state -> (String?, Bool) in
                let now = self.now()
                if let token = state.token, now < token.renewal { return (token.value, false) }
                let usable = state.token.flatMap { now < $0.expiry ? $0.value : nil }
                if usable == nil { state.waiters.append(continuation) }
                defer { state.exchanging = true }
                return (usable, !state.exchanging)
            }
            if startsExchange { Task { await self.exchangeAndResume() } }
            if let usable { continuation.resume(returning: .success(usable)) }
        }
        return try result.get()
    }

    /// Forgets the cached token when it is `value` (the API refused it), so the next call
    /// exchanges again; a newer token another request already got is kept.
    func invalidate(_ value: String) {
        state.withLock { state in
            if state.token?.value == value { state.token = nil }
        }
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
            state.exchanging = false
            defer { state.waiters = [] }
            return state.waiters
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
        let asked = now()
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
        let expiry = asked + .seconds(max(lifetime, 1))
        return Token(
            value: token, renewal: expiry - min(Self.refreshMargin, .seconds(max(lifetime, 1)) / 2), expiry: expiry)
    }
}
