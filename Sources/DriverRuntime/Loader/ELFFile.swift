/// What the loader needs to know about an ELF shared object, read from its bytes alone.
///
/// Parsing checks that every structure the dynamic loader would touch lies inside the file: a
/// truncated `.so` can kill a process with SIGBUS inside `dlopen` (plugin-abi.md B6), so the
/// loader refuses such a file before `dlopen` ever sees it. No code of the file runs.
///
/// Names are checked (each ends with a NUL inside its string table) but not read: a crafted file
/// whose thousands of symbols all name the same long, overlapping text made reading every name
/// cost the square of the file's size (a 131 KB file took 4 minutes; found by fuzz/elf).
package struct ELFFile {
    private let reader: ByteReader
    /// File offsets of the names of the defined, exported function and object symbols in `.dynsym`.
    private let exportedNames: [Int]
    /// File offsets of the DT_NEEDED names (e.g. `libswiftCore.so`).
    private let neededNames: [Int]

    /// A reason the bytes are not a loadable shared object for this machine.
    package struct Failure: Error, Equatable {
        package let reason: String
    }

    package init(bytes: [UInt8]) throws(Failure) {
        var reader = ByteReader(bytes: bytes)
        let header = try ELFHeader(reading: &reader)
        try header.checkPlatform()
        try Self.checkSegments(header, &reader)
        let sections = try Self.sections(header, &reader)
        var exported: [Int] = []
        var needed: [Int] = []
        for section in sections where section.type == SectionType.dynsym {
            exported += try Self.symbols(in: section, sections, &reader)
        }
        for section in sections where section.type == SectionType.dynamic {
            needed += try Self.needed(in: section, sections, &reader)
        }
        self.reader = reader
        exportedNames = exported
        neededNames = needed
    }

    /// Whether `.dynsym` defines and exports a function or object named `symbol`; compares in
    /// place, `symbol`'s length at most per symbol.
    func exports(_ symbol: String) -> Bool {
        let wanted = Array(symbol.utf8)
        return exportedNames.contains { reader.isString(wanted, at: $0) }
    }

    /// The DT_NEEDED entries (e.g. `libswiftCore.so`), read on demand.
    var neededLibraries: [String] { neededNames.map { reader.string(at: $0) } }

    private static func checkSegments(_ header: ELFHeader, _ reader: inout ByteReader) throws(Failure) {
        guard header.phentsize >= 56 || header.phnum == 0 else {
            throw Failure(reason: "program header entries are \(header.phentsize) bytes, expected 56")
        }
        try reader.require(
            header.phoff, count: UInt64(header.phnum) * UInt64(header.phentsize),
            what: "program header table")
        var loadable = 0
        for index in 0..<UInt64(header.phnum) {
            let base = header.phoff + index * UInt64(header.phentsize)
            let type = try reader.u32(at: base)
            if type == 3 {  // PT_INTERP: a program, not a library
                throw Failure(reason: "a position-independent executable, not a shared library")
            }
            guard type == 1 else { continue }  // PT_LOAD
            loadable += 1
            let offset = try reader.u64(at: base + 8)
            let fileSize = try reader.u64(at: base + 32)
            try reader.require(offset, count: fileSize, what: "loadable segment \(index)")
        }
        guard loadable > 0 else { throw Failure(reason: "no loadable segment") }
    }

    private static func sections(_ header: ELFHeader, _ reader: inout ByteReader) throws(Failure) -> [Section] {
        guard header.shnum > 0 else { throw Failure(reason: "no section table (stripped of sections?)") }
        guard header.shentsize >= 64 else {
            throw Failure(reason: "section header entries are \(header.shentsize) bytes, expected 64")
        }
        try reader.require(
            header.shoff, count: UInt64(header.shnum) * UInt64(header.shentsize),
            what: "section header table")
        var result: [Section] = []
        for index in 0..<UInt64(header.shnum) {
            let base = header.shoff + index * UInt64(header.shentsize)
            let section = Section(
                type: try reader.u32(at: base + 4), offset: try reader.u64(at: base + 24),
                size: try reader.u64(at: base + 32), link: try reader.u32(at: base + 40),
                entrySize: try reader.u64(at: base + 56))
            if section.type != SectionType.nobits {
                try reader.require(section.offset, count: section.size, what: "section \(index)")
            }
            result.append(section)
        }
        return result
    }

    private static func symbols(
        in table: Section, _ sections: [Section], _ reader: inout ByteReader
    ) throws(Failure) -> [Int] {
        let strings = try linkedStrings(of: table, sections, reader)
        let entrySize = table.entrySize == 0 ? 24 : table.entrySize
        guard entrySize >= 24 else {
            throw Failure(reason: "symbol table entries are \(entrySize) bytes, expected 24")
        }
        var names: [Int] = []
        for index in 0..<(table.size / entrySize) {
            let base = table.offset + index * entrySize
            let info = try reader.u8(at: base + 4)
            let sectionIndex = try reader.u16(at: base + 6)
            let binding = info >> 4, kind = info & 0xf
            // Defined (not SHN_UNDEF), GLOBAL or WEAK, FUNC or OBJECT.
            guard sectionIndex != 0, binding == 1 || binding == 2, kind == 1 || kind == 2 else { continue }
            names.append(try strings.name(at: UInt64(try reader.u32(at: base))))
        }
        return names
    }

    private static func needed(
        in dynamic: Section, _ sections: [Section], _ reader: inout ByteReader
    ) throws(Failure) -> [Int] {
        let strings = try linkedStrings(of: dynamic, sections, reader)
        var result: [Int] = []
        for index in 0..<(dynamic.size / 16) {
            let base = dynamic.offset + index * 16
            let tag = try reader.u64(at: base)
            if tag == 0 { break }  // DT_NULL
            if tag == 1 { result.append(try strings.name(at: try reader.u64(at: base + 8))) }
        }
        return result
    }

    private static func linkedStrings(
        of section: Section, _ sections: [Section], _ reader: ByteReader
    ) throws(Failure) -> StringTable {
        guard Int(section.link) < sections.count, sections[Int(section.link)].type == SectionType.strtab else {
            throw Failure(reason: "symbol table links to a missing string table")
        }
        let table = sections[Int(section.link)]
        return StringTable(
            offset: table.offset, size: table.size, lastNUL: reader.lastNUL(offset: table.offset, size: table.size))
    }
}

private enum SectionType {
    static let strtab: UInt32 = 3
    static let dynamic: UInt32 = 6
    static let nobits: UInt32 = 8
    static let dynsym: UInt32 = 11
}

private struct Section {
    let type: UInt32
    let offset: UInt64
    let size: UInt64
    let link: UInt32
    let entrySize: UInt64
}

/// A section of NUL-terminated names, and where its last NUL is: a name starting at or before
/// that byte ends inside the section.
private struct StringTable {
    let offset: UInt64
    let size: UInt64
    let lastNUL: UInt64?

    /// The file offset of the name at `offset` in the table, once it is known to end inside it.
    func name(at offset: UInt64) throws(ELFFile.Failure) -> Int {
        guard offset < size else { throw ELFFile.Failure(reason: "symbol name outside its string table") }
        guard let lastNUL, offset <= lastNUL else {
            throw ELFFile.Failure(reason: "symbol name runs past the end of its string table")
        }
        return Int(self.offset + offset)
    }
}
