/// Reads TZif files (RFC 8536), versions 2 and later: the 64-bit data block and the POSIX TZ
/// footer. Every count is checked against the file size first, so a damaged file is an error,
/// never a trap.
enum TZif {
    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    /// The zone described by `bytes`, named `name`.
    static func zone(named name: String, from bytes: [UInt8]) throws(FormatError) -> Zone {
        var reader = Reader(bytes: bytes)
        let first = try reader.header()
        guard first.version >= 2 else { throw FormatError(description: "TZif version 1 is not supported") }
        try reader.skip(first.dataSize(timeSize: 4))
        let header = try reader.header()
        var transitions: [Int64] = []
        for _ in 0..<header.timeCount { transitions.append(try reader.int64()) }
        var typeIndices: [Int] = []
        for _ in 0..<header.timeCount { typeIndices.append(Int(try reader.byte())) }
        var types: [(offset: Int, isDaylight: Bool)] = []
        for _ in 0..<header.typeCount {
            let offset = Int(try reader.int32())
            let isDaylight = try reader.byte() != 0
            _ = try reader.byte()
            types.append((offset, isDaylight))
        }
        guard !types.isEmpty, typeIndices.allSatisfy({ $0 < types.count }) else {
            throw FormatError(description: "local time type index out of range")
        }
        try reader.skip(header.charCount + header.leapCount * 12 + header.standardCount + header.utCount)
        let footer = reader.footer()
        let rule = footer.isEmpty ? nil : PosixTZRule(footer)
        return Zone(
            name: name, transitions: transitions, offsets: typeIndices.map { types[$0].offset },
            initialOffset: types[firstTypeIndex(types.map(\.isDaylight), typeIndices)].offset, rule: rule)
    }

    /// The type in force before the first transition, chosen as Go's `lookupFirstZone` does.
    private static func firstTypeIndex(_ isDaylight: [Bool], _ typeIndices: [Int]) -> Int {
        if !typeIndices.contains(0) { return 0 }
        if let first = typeIndices.first, isDaylight[first] {
            for index in stride(from: first - 1, through: 0, by: -1) where !isDaylight[index] { return index }
        }
        return isDaylight.firstIndex(of: false) ?? 0
    }

    private struct Header {
        var version: Int
        var utCount, standardCount, leapCount, timeCount, typeCount, charCount: Int

        func dataSize(timeSize: Int) -> Int {
            timeCount * timeSize + timeCount + typeCount * 6 + charCount + leapCount * (timeSize + 4)
                + standardCount + utCount
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func byte() throws(FormatError) -> UInt8 {
            guard index < bytes.count else { throw FormatError(description: "file is truncated") }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func int32() throws(FormatError) -> Int32 {
            var value: UInt32 = 0
            for _ in 0..<4 { value = value << 8 | UInt32(try byte()) }
            return Int32(bitPattern: value)
        }

        mutating func int64() throws(FormatError) -> Int64 {
            var value: UInt64 = 0
            for _ in 0..<8 { value = value << 8 | UInt64(try byte()) }
            return Int64(bitPattern: value)
        }

        mutating func skip(_ count: Int) throws(FormatError) {
            guard count >= 0, count <= bytes.count - index else { throw FormatError(description: "file is truncated") }
            index += count
        }

        mutating func header() throws(FormatError) -> Header {
            guard try int32() == 0x545A_6966 else { throw FormatError(description: "not a TZif file") }
            let versionByte = try byte()
            try skip(15)
            var counts: [Int] = []
            for _ in 0..<6 {
                let count = try int32()
                guard count >= 0, count < 1 << 20 else { throw FormatError(description: "implausible count \(count)") }
                counts.append(Int(count))
            }
            let version = versionByte == 0 ? 1 : Int(versionByte) - 0x30
            return Header(
                version: version, utCount: counts[0], standardCount: counts[1], leapCount: counts[2],
                timeCount: counts[3], typeCount: counts[4], charCount: counts[5])
        }

        /// The text between the newlines that follow the v2 data, or "" when absent.
        func footer() -> String {
            guard index < bytes.count, bytes[index] == 0x0A else { return "" }
            let rest = bytes[(index + 1)...]
            guard let end = rest.firstIndex(of: 0x0A) else { return "" }
            return String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
        }
    }
}
