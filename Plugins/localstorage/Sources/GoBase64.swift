/// Go's `base64.StdEncoding.DecodeString`: standard alphabet, `=` padding required, `\r` and
/// `\n` ignored, non-zero trailing bits accepted. nil when `text` is not valid.
enum GoBase64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    static func decode(_ text: [UInt8]) -> [UInt8]? {
        let input = text.filter { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let quad = input[index..<(index + 4)]
            let isLast = index + 4 == input.count
            let padding = quad.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding <= 2, padding == 0 || isLast else { return nil }
            var bits: UInt32 = 0
            for character in quad.prefix(4 - padding) {
                let value = values[Int(character)]
                guard value != 0xFF else { return nil }
                bits = bits << 6 | UInt32(value)
            }
            bits <<= UInt32(6 * padding)
            let decoded = [
                UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8),
                UInt8(truncatingIfNeeded: bits),
            ]
            output += decoded.prefix(3 - padding)
            index += 4
        }
        return output
    }
}
