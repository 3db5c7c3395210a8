import DriverKit
import Testing

@testable import CronDriver

/// daprd matches metadata keys case-insensitively; so does the driver.
@Suite struct ScheduleKeyTests {
    @Test func capitalisedScheduleKeyWorks() throws {
        let configuration = DriverConfiguration(
            componentName: "tick", type: "bindings.cron", directions: [.input], metadata: ["Schedule": "@every 1s"])
        let driver = try CronDriver(configuration: configuration, clock: SystemClock()) { _, _ in }
        #expect(driver.schedule.kind == .every(1_000_000_000))
    }
}
