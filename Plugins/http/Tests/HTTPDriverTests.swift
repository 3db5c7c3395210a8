import Testing

@testable import HTTPDriver

@Test func descriptorNamesTheType() {
    #expect(HTTPDriver.descriptor.type == "bindings.http")
}
