import Foundation
import Testing

@testable import Host

@Suite struct ELFFileTests {
    @Test func workingDriverExportsTheEntrySymbol() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try FixtureDrivers.path("NONE"))))
        let elf = try ELFFile(bytes: bytes)
        #expect(elf.exportedSymbols.contains("bd_driver_entry"))
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
}
