import Testing

@testable import RedisDriver

@Test func descriptorNamesTheType() {
    #expect(RedisDriver.descriptor.type == "bindings.redis")
}
