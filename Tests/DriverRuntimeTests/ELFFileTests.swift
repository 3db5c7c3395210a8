import Foundation
import HostTestSupport
import Testing

@testable import BinderyCore
@testable import DriverRuntime

@Suite struct ELFFileTests {
    @Test func workingDriverExportsTheEntrySymbol() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try FixtureDrivers.path("NONE"))))
        let elf = try ELFFile(bytes: bytes)
        #expect(elf.exports("bd_driver_entry"))
        #expect(!elf.exports("bd_driver"))
        #expect(elf.neededLibraries.contains { $0.hasPrefix("libc.so") })
    }

    @Test func everyTruncationIsRefusedBeforeLoading() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try FixtureDrivers.path("NONE"))))
        // Every cut point up to the end: no prefix of a driver passes verification.
        for length in stride(from: 0, to: bytes.count, by: 97) {
            #expect(throws: ELFFile.Failure.self, "a \(length)-byte prefix was accepted") {
                try ELFFile(bytes: Array(bytes[0..<length]))
            }
        }
    }

    @Test func textAndExecutablesAreNotLibraries() throws {
        #expect(throws: ELFFile.Failure(reason: "not an ELF file (no \\x7fELF magic)")) {
            try ELFFile(bytes: Array("hello\n".utf8))
        }
        let ls = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "/bin/ls")))
        #expect(throws: ELFFile.Failure(reason: "a position-independent executable, not a shared library")) {
            try ELFFile(bytes: ls)
        }
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// Lengths around the padding boundaries (55, 56, 63, 64 bytes...); digests from Python's hashlib.
    @Test(arguments: [
        (55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
        (56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
        (63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
        (64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
        (65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
        (119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"),
        (120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"),
        (1000, "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d"),
    ])
    func sha256HandlesPaddingBoundaries(length: Int, digest: String) {
        #expect(SHA256.hex((0..<length).map { UInt8($0 % 251) }) == digest)
    }
}
