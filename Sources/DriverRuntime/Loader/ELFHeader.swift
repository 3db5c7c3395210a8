/// The ELF file header fields the loader checks (ELF-64, little-endian).
package struct ELFHeader {
    package let type: UInt16
    let machine: UInt16
    let phoff: UInt64
    let shoff: UInt64
    let phentsize: UInt16
    let phnum: UInt16
    let shentsize: UInt16
    let shnum: UInt16

    package init(reading reader: inout ByteReader) throws(ELFFile.Failure) {
        guard reader.count >= 4, try reader.u8(at: 0) == 0x7f, try reader.u8(at: 1) == 0x45,
            try reader.u8(at: 2) == 0x4c, try reader.u8(at: 3) == 0x46
        else { throw ELFFile.Failure(reason: "not an ELF file (no \\x7fELF magic)") }
        guard reader.count >= 64 else {
            throw ELFFile.Failure(reason: "truncated ELF file: \(reader.count) bytes, header needs 64")
        }
        guard try reader.u8(at: 4) == 2 else { throw ELFFile.Failure(reason: "not a 64-bit ELF file") }
        guard try reader.u8(at: 5) == 1 else { throw ELFFile.Failure(reason: "not a little-endian ELF file") }
        type = try reader.u16(at: 16)
        machine = try reader.u16(at: 18)
        phoff = try reader.u64(at: 32)
        shoff = try reader.u64(at: 40)
        phentsize = try reader.u16(at: 54)
        phnum = try reader.u16(at: 56)
        shentsize = try reader.u16(at: 58)
        shnum = try reader.u16(at: 60)
    }

    /// Refuses executables, relocatable objects and libraries for another processor.
    func checkPlatform() throws(ELFFile.Failure) {
        guard type == 3 else {  // ET_DYN
            let kinds: [UInt16: String] = [1: "a relocatable object (.o)", 2: "an executable", 4: "a core dump"]
            throw ELFFile.Failure(reason: "\(kinds[type] ?? "ELF type \(type)") is not a shared library")
        }
        guard machine == Self.hostMachine else {
            throw ELFFile.Failure(reason: "built for ELF machine \(machine), this host is \(Self.hostMachine)")
        }
    }

    static var hostMachine: UInt16 {
        #if arch(x86_64)
            return 62
        #elseif arch(arm64)
            return 183
        #else
            return 0
        #endif
    }
}

/// Bounds-checked little-endian reads over a file's bytes.
package struct ByteReader {
    package let bytes: [UInt8]
    package var count: Int { bytes.count }

    /// Throws unless `count` bytes at `offset` lie inside the file.
    func require(_ offset: UInt64, count length: UInt64, what: String) throws(ELFFile.Failure) {
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= UInt64(bytes.count) else {
            throw ELFFile.Failure(
                reason:
                    "truncated: \(what) ends at byte \(overflow ? UInt64.max : end), file has \(bytes.count)")
        }
    }

    func u8(at offset: UInt64) throws(ELFFile.Failure) -> UInt8 {
        try require(offset, count: 1, what: "field")
        return bytes[Int(offset)]
    }

    func u16(at offset: UInt64) throws(ELFFile.Failure) -> UInt16 { UInt16(try little(offset, 2)) }
    func u32(at offset: UInt64) throws(ELFFile.Failure) -> UInt32 { UInt32(try little(offset, 4)) }
    func u64(at offset: UInt64) throws(ELFFile.Failure) -> UInt64 { try little(offset, 8) }

    /// Where the last NUL byte of the `size` bytes at `offset` (inside the file) is, counted from
    /// `offset`: one backward pass per string table, however many names point into it.
    func lastNUL(offset: UInt64, size: UInt64) -> UInt64? {
        guard let index = bytes[Int(offset)..<Int(offset + size)].lastIndex(of: 0) else { return nil }
        return UInt64(index) - offset
    }

    /// Whether the NUL-terminated string at file offset `start` (known to end inside the file)
    /// is `name`.
    func isString(_ name: [UInt8], at start: Int) -> Bool {
        guard start + name.count < bytes.count else { return false }
        return bytes[start..<start + name.count].elementsEqual(name) && bytes[start + name.count] == 0
    }

    /// The NUL-terminated string at file offset `start`, known to end inside the file.
    func string(at start: Int) -> String {
        let end = bytes[start...].firstIndex(of: 0) ?? bytes.count
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private func little(_ offset: UInt64, _ width: UInt64) throws(ELFFile.Failure) -> UInt64 {
        try require(offset, count: width, what: "field")
        var value: UInt64 = 0
        for index in (0..<Int(width)).reversed() { value = value << 8 | UInt64(bytes[Int(offset) + index]) }
        return value
    }
}
