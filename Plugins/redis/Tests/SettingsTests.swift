import DriverKit
import Testing

@testable import RedisDriver

@Suite struct SettingsTests {
    private func settings(_ metadata: [String: String]) throws -> RedisSettings {
        try RedisSettings(
            DriverConfiguration(
                componentName: "cache", type: "bindings.redis", directions: [.output], metadata: metadata))
    }

    /// The message of the DriverError creating a driver for `metadata` throws.
    private func rejection(_ metadata: [String: String]) -> String? {
        do {
            _ = try makeDriver(metadata)
            return nil
        } catch let error as DriverError {
            #expect(error.code == .invalidArgument)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func missingRedisHostIsRejected() {
        #expect(rejection([:]) == "cache: metadata \"redisHost\" is required")
        #expect(rejection(["redisHost": ""]) == "cache: metadata \"redisHost\" is required")
    }

    @Test func defaultsFollowDapr() throws {
        let s = try settings(["redisHost": "localhost:6380"])
        #expect(s.host == "localhost" && s.port == 6380)
        #expect(s.database == 0 && s.username == nil && s.password == nil)
        #expect(s.dialTimeout == GoDuration(nanoseconds: 5_000_000_000))
        #expect(s.readTimeout == GoDuration(nanoseconds: 3_000_000_000))
        #expect(s.writeTimeout == s.readTimeout)
        #expect(s.poolSize == 2 && s.maxRetries == 3)
        #expect(s.minRetryInterval == GoDuration(nanoseconds: 8_000_000))
        #expect(s.maxRetryInterval == GoDuration(nanoseconds: 512_000_000))
    }

    @Test func keysMatchCaseInsensitivelyAndDurationsTakeSeconds() throws {
        let s = try settings([
            "REDISHOST": "10.0.0.1:7000", "redispassword": "pw", "RedisUsername": "app", "REDISDB": "4",
            "dialtimeout": "2", "READTIMEOUT": "250ms", "writeTimeout": "1m", "POOLSIZE": "8",
            "maxRetries": "-1", "maxRetryBackoff": "2s", "redisMinRetryInterval": "1ms",
        ])
        #expect(s.address == "10.0.0.1:7000")
        #expect(s.password == "pw" && s.username == "app" && s.database == 4)
        #expect(s.dialTimeout == GoDuration(nanoseconds: 2_000_000_000))
        #expect(s.readTimeout == GoDuration(nanoseconds: 250_000_000))
        #expect(s.writeTimeout == GoDuration(nanoseconds: 60_000_000_000))
        #expect(s.poolSize == 8 && s.maxRetries == 0)
        #expect(s.maxRetryInterval == GoDuration(nanoseconds: 2_000_000_000))
        #expect(s.minRetryInterval == GoDuration(nanoseconds: 1_000_000))
    }

    @Test func newRetryNamesWinOverOldOnes() throws {
        let s = try settings([
            "redisHost": "h", "redisMaxRetries": "5", "maxRetries": "1",
            "redisMaxRetryInterval": "1s", "maxRetryBackoff": "9s",
        ])
        #expect(s.maxRetries == 5)
        #expect(s.maxRetryInterval == GoDuration(nanoseconds: 1_000_000_000))
    }

    @Test func negativeReadTimeoutMeansNoLimitAndWriteFollowsIt() throws {
        let s = try settings(["redisHost": "h:1", "readTimeout": "-1"])
        #expect(s.readTimeout == nil && s.writeTimeout == nil)
    }

    @Test(arguments: [
        ("localhost", "localhost", 6379), ("[::1]:7001", "::1", 7001), ("[::1]", "::1", 6379),
        ("redis.svc.cluster.local:6379", "redis.svc.cluster.local", 6379),
    ])
    func hostAndPortAreSplit(text: String, host: String, port: Int) throws {
        let s = try settings(["redisHost": text])
        #expect(s.host == host && s.port == Int32(port))
    }

    @Test(arguments: ["localhost:", "localhost:0", "localhost:70000", "::1:6379", "a b:1", "[::1"])
    func badRedisHostIsRejectedQuotingIt(text: String) {
        #expect(rejection(["redisHost": text])?.contains("\"redisHost\" is \"\(text)\", expected host:port") == true)
    }

    @Test func clusterFailoverAndTLSAreRefusedWithTheReason() {
        #expect(rejection(["redisHost": "a:1,b:2"])?.contains("Redis Cluster is not supported") == true)
        #expect(
            rejection(["redisHost": "a:1", "redisType": "cluster"])?.contains("Redis Cluster is not supported") == true)
        #expect(
            rejection(["redisHost": "a:1", "failover": "true"])?.contains("Sentinel failover is not supported") == true)
        #expect(rejection(["redisHost": "a:1", "enableTLS": "true"])?.contains("no TLS support") == true)
        #expect(rejection(["redisHost": "a:1", "enableTLS": "false", "redisType": "node", "failover": "no"]) == nil)
    }

    @Test func badNumbersAndDurationsAreRejectedQuotingThem() {
        #expect(
            rejection(["redisHost": "h", "poolSize": "0"])
                == "cache: metadata \"poolSize\" is \"0\", expected a whole number from 1 to 64")
        #expect(rejection(["redisHost": "h", "redisDB": "-1"])?.contains("\"redisDB\" is \"-1\"") == true)
        #expect(
            rejection(["redisHost": "h", "dialTimeout": "soon"])
                == "cache: metadata \"dialTimeout\" is \"soon\", expected a Go duration such as \"500ms\" or \"5s\", or a number of seconds"
        )
        #expect(
            rejection(["redisHost": "h", "redisMaxRetryInterval": "-1s"])?.contains(
                "\"redisMaxRetryInterval\" is \"-1s\"") == true)
    }
}
