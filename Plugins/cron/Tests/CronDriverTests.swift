import Testing

@testable import CronDriver

@Test func descriptorNamesTheType() {
    #expect(CronDriver.descriptor.type == "bindings.cron")
}
