import Testing

@testable import DriverRuntime

/// Crafted shared objects, built byte by byte: what fuzz/elf found and what the checker refuses.
@Suite struct ELFCraftedFileTests {
    /// A minimal x86-64 / arm64 shared object: one loadable segment, a `.dynsym` whose every entry
    /// is a defined global function named at offset 1 of `.dynstr`, and that `.dynstr`.
    static func sharedObject(symbols: Int, entrySize: Int = 24, strings: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        let dataStart = 64 + 56 + 3 * 64
        let symbolBytes = symbols * entrySize
        out += [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1] + [UInt8](repeating: 0, count: 9)
        put(UInt16(3))  // ET_DYN
        put(ELFHeader.hostMachine)
        put(UInt32(1))
        put(UInt64(0))  // entry
        put(UInt64(64))  // program headers
        put(UInt64(64 + 56))  // section headers
        put(UInt32(0))
        for field: UInt16 in [64, 56, 1, 64, 3, 0] { put(field) }
        put(UInt32(1))  // PT_LOAD, empty
        put(UInt32(5))
        for field: UInt64 in [0, 0, 0, 0, 0, 0x1000] { put(field) }
        func section(type: UInt32, offset: Int, size: Int, link: UInt32, entrySize: Int) {
            put(UInt32(0))
            put(type)
            for field: UInt64 in [0, 0, UInt64(offset), UInt64(size)] { put(field) }
            put(link)
            put(UInt32(0))
            put(UInt64(0))
            put(UInt64(entrySize))
        }
        section(type: 0, offset: 0, size: 0, link: 0, entrySize: 0)
        section(type: 11, offset: dataStart, size: symbolBytes, link: 2, entrySize: entrySize)
        section(type: 3, offset: dataStart + symbolBytes, size: strings.count, link: 0, entrySize: 0)
        for _ in 0..<symbols {
            put(UInt32(1))  // name at offset 1
            out += [0x12, 0]  // GLOBAL FUNC
            put(UInt16(1))  // defined in section 1
            out += [UInt8](repeating: 0, count: entrySize - 8)
        }
        return out + strings
    }

    /// 20,000 symbols all named by the same 512 KB text: reading each name took the square of the
    /// file's size (a 131 KB file: 4 minutes under the fuzzer); checked in place now.
    @Test func overlappingNamesAreCheckedWithoutReadingEachOne() throws {
        let strings = [0] + [UInt8](repeating: 0x41, count: 512 * 1024) + [0]
        let bytes = Self.sharedObject(symbols: 20_000, strings: strings)
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: LoaderError.self) { try Loader.verify(bytes, file: "overlap.so") }
        #expect(error?.code == .notADriver)
        // A hang guard, not a benchmark: linear work takes milliseconds, the quadratic one hours.
        #expect(clock.now - start < .seconds(20))
    }

    @Test func theEntrySymbolIsFoundByItsExactName() throws {
        let exact = try ELFFile(bytes: Self.sharedObject(symbols: 1, strings: Array("\0bd_driver_entry\0".utf8)))
        #expect(exact.exports("bd_driver_entry"))
        let longer = try ELFFile(bytes: Self.sharedObject(symbols: 1, strings: Array("\0bd_driver_entry2\0".utf8)))
        #expect(!longer.exports("bd_driver_entry"))
    }

    @Test func aNameRunningPastItsTableIsRefused() {
        #expect(throws: ELFFile.Failure(reason: "symbol name runs past the end of its string table")) {
            try ELFFile(bytes: Self.sharedObject(symbols: 1, strings: Array("\0bd_driver_entry".utf8)))
        }
    }

    @Test func symbolEntriesShorterThanTheStandardAreRefused() {
        #expect(throws: ELFFile.Failure(reason: "symbol table entries are 8 bytes, expected 24")) {
            try ELFFile(bytes: Self.sharedObject(symbols: 4, entrySize: 8, strings: [0, 0x41, 0]))
        }
    }
}
