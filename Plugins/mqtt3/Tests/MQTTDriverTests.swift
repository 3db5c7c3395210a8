import Testing

@testable import MQTTDriver

@Test func descriptorNamesTheType() {
    #expect(MQTTDriver.descriptor.type == "bindings.mqtt3")
}
