import DriverKit
import DriverTesting
import GoogleAuth
import Synchronization
import Testing

/// The token exchange, against a local token endpoint that verifies the JWT's signature with
/// the account's public key and its claims.
@Suite struct TokenTests {
    let account = TestAccounts.main

    @Test func aSignedJWTIsExchangedOnceAndTheTokenCached() async throws {
        let endpoint = try await ServerProcess.googleTokenEndpoint(for: account)
        let google = try access(metadata(for: account, tokenURI: endpoint.tokenURI))
        try google.start()
        #expect(try await google.authorization() == "Bearer token-1")
        #expect(try await google.authorization() == "Bearer token-1", "cached")
        await google.stop()
        let exchanges = try endpoint.tokenExchanges()
        #expect(exchanges.count == 1 && exchanges[0].outcome == "ok", "\(exchanges.map(\.outcome))")
        #expect(exchanges[0].iss == account.clientEmail && exchanges[0].kid == account.privateKeyID)
        #expect(exchanges[0].scope == "https://www.googleapis.com/auth/devstorage.full_control")
    }

    @Test func concurrentCallersShareOneExchange() async throws {
        let endpoint = try await ServerProcess.googleTokenEndpoint(for: account)
        let google = try access(metadata(for: account, tokenURI: endpoint.tokenURI))
        try google.start()
        let tokens = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<20 { group.addTask { try await google.authorization() } }
            return try await group.reduce(into: Set<String?>()) { $0.insert($1) }
        }
        await google.stop()
        #expect(tokens == ["Bearer token-1"])
        #expect(try endpoint.tokenExchanges().count == 1)
    }

    @Test func aTokenIsExchangedAgainShortlyBeforeItExpires() async throws {
        let endpoint = try await ServerProcess.googleTokenEndpoint(for: account, expiresIn: 3600)
        let clock = TestClock()
        let google = try access(metadata(for: account, tokenURI: endpoint.tokenURI), clock: clock)
        try google.start()
        #expect(try await google.authorization() == "Bearer token-1")
        // Renewal is due 3¾ minutes before the hour is up.
        clock.advance(.seconds(3600 - 225 - 5))
        #expect(try await google.authorization() == "Bearer token-1")
        #expect(try endpoint.tokenExchanges().count == 1)
        clock.advance(.seconds(10))
        // Still valid: handed out while the new one is exchanged in the background.
        #expect(try await google.authorization() == "Bearer token-1")
        try await eventually("the renewed token", timeout: .seconds(30)) {
            try await google.authorization() == "Bearer token-2"
        }
        #expect(try endpoint.tokenExchanges().count == 2)
        await google.stop()
    }

    @Test func aTokenStillValidIsUsedWhileTheTokenEndpointIsDown() async throws {
        let endpoint = try await ServerProcess.googleTokenEndpoint(for: account, expiresIn: 3600)
        let clock = TestClock()
        let google = try access(metadata(for: account, tokenURI: endpoint.tokenURI), clock: clock)
        try google.start()
        #expect(try await google.authorization() == "Bearer token-1")
        endpoint.stop()
        clock.advance(.seconds(3600 - 60))
        for _ in 0..<3 { #expect(try await google.authorization() == "Bearer token-1") }
        clock.advance(.seconds(120))
        var error: DriverError?
        do { _ = try await google.authorization() } catch let caught { error = caught }
        #expect(error?.code == .unavailable, "expired, and no new one: \(String(describing: error))")
        try await endpoint.start()
        // The restarted endpoint counts from token-1 again; its record shows a second exchange.
        #expect(try await google.authorization() == "Bearer token-1")
        #expect(try endpoint.tokenExchanges().map(\.outcome) == ["ok", "ok"])
        await google.stop()
    }

    @Test func aTokenTheAPIRefusedIsNotUsedAgain() async throws {
        let endpoint = try await ServerProcess.googleTokenEndpoint(for: account)
        let google = try access(metadata(for: account, tokenURI: endpoint.tokenURI))
        try google.start()
        #expect(try await google.authorization() == "Bearer token-1")
        google.tokenRefused("Bearer token-1")
        #expect(try await google.authorization() == "Bearer token-2")
        google.tokenRefused("Bearer token-1")
        #expect(try await google.authorization() == "Bearer token-2", "a newer token is kept")
        #expect(try endpoint.tokenExchanges().count == 2)
        await google.stop()
    }

    @Test func aJWTSignedWithAnotherKeyIsRefusedAndTheErrorSaysSo() async throws {
        let endpoint = try await ServerProcess.googleTokenEndpoint(for: account)
        var fields = metadata(for: account, tokenURI: endpoint.tokenURI)
        fields["privateKey"] = TestAccounts.other.privateKeyPEM
        let google = try access(fields)
        try google.start()
        let refused = await asyncFailure { _ = try await google.authorization() }
        await google.stop()
        #expect(
            refused
                == "images: cannot get an access token for \(account.clientEmail) from \(endpoint.tokenURI): HTTP 400 invalid_grant: Invalid JWT Signature."
        )
        #expect(try endpoint.tokenExchanges().map(\.outcome) == ["bad signature"])
        #expect(!refused.contains("PRIVATE KEY"))
    }

    @Test func anUnreachableTokenEndpointIsUnavailableAndRetryable() async throws {
        let endpoint = try await ServerProcess.googleTokenEndpoint(for: account)
        let google = try access(metadata(for: account, tokenURI: endpoint.tokenURI))
        endpoint.stop()
        try google.start()
        var error: DriverError?
        do { _ = try await google.authorization() } catch let caught { error = caught }
        await google.stop()
        #expect(error?.code == .unavailable && error?.isRetryable == true, "\(String(describing: error))")
        #expect(error?.message.hasPrefix("images: cannot get an access token for \(account.clientEmail)") == true)
    }
}

/// What `make` throws, as text ("no error" when it does not).
func asyncFailure(_ make: () async throws -> Void) async -> String {
    do {
        try await make()
        return "no error"
    } catch {
        return String(describing: error)
    }
}
