import Testing

@testable import LocalStorageDriver

@Test func descriptorNamesTheType() {
    #expect(LocalStorageDriver.descriptor.type == "bindings.localstorage")
}
