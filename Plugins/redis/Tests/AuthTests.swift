import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import RedisDriver

/// AUTH with a password, with an ACL user, and the errors when it fails.
@Suite struct AuthTests {
    let server: ServerProcess

    init() async throws { server = try await ServerProcess.redis(password: "s3cret") }

    @Test func passwordAuthenticatesEveryConnection() async throws {
        try await withDriver(["redisHost": server.address, "redisPassword": "s3cret", "poolSize": "4"]) {
            driver async throws in
            for index in 0..<8 { _ = try await driver.call("create", "k\(index)", data: "v") }
            #expect(try server.redisCLI("GET", "k7") == "v")
        }
    }

    @Test func wrongPasswordFailsStartNamingAddressAndCause() async throws {
        let driver = try makeDriver(["redisHost": server.address, "redisPassword": "nope"])
        let error = await driverError { try await driver.start() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.hasPrefix("cannot connect to redis at \(server.address): ") == true)
        #expect(error?.message.contains("authentication failed: WRONGPASS") == true)
        await driver.stop()
    }

    @Test func missingPasswordFailsStartWithNOAUTH() async throws {
        let driver = try makeDriver(["redisHost": server.address])
        let error = await driverError { try await driver.start() }
        #expect(error?.message.contains("NOAUTH") == true)
    }

    @Test func aclUserAuthenticatesWithUsernameAndPassword() async throws {
        try server.redisCLI("ACL", "SETUSER", "orders", "on", ">orders-pw", "~orders:*", "+@all")
        try await withDriver(["redisHost": server.address, "redisUsername": "orders", "redisPassword": "orders-pw"]) {
            driver async throws in
            _ = try await driver.call("create", "orders:1", data: "x")
            #expect(try server.redisCLI("GET", "orders:1") == "x")
            let denied = await driverError { _ = try await driver.call("create", "other", data: "x") }
            #expect(denied?.message.contains("NOPERM") == true)
        }
        let wrong = try makeDriver(["redisHost": server.address, "redisUsername": "orders", "redisPassword": "bad"])
        #expect(await driverError { try await wrong.start() }?.message.contains("WRONGPASS") == true)
    }

    @Test func selectingAMissingDatabaseFailsStart() async throws {
        let driver = try makeDriver(["redisHost": server.address, "redisPassword": "s3cret", "redisDB": "99"])
        let error = await driverError { try await driver.start() }
        #expect(error?.message.contains("SELECT failed: ERR DB index is out of range") == true)
    }
}
