/// A size written as a Kubernetes quantity, as Dapr's `metadata.ByteSize` reads it: plain bytes
/// (`1048576`), binary suffixes (`Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`) or decimal ones (`k`, `M`,
/// `G`, `T`, `P`, `E`), with an optional fraction (`1.5Gi`). Fractions of a byte round up.
struct ByteSize: Equatable, Sendable {
    var bytes: Int64

    init(bytes: Int64) { self.bytes = bytes }

    /// Parses `text`; nil when it is not a quantity.
    init?(parsing text: String) {
        let trimmed = text.trimmingASCIISpaces()
        let numberEnd = trimmed.firstIndex { !($0.isASCII && ($0.isNumber || "+-.".contains($0))) } ?? trimmed.endIndex
        let number = trimmed[..<numberEnd]
        let suffix = String(trimmed[numberEnd...])
        guard !number.isEmpty, let value = Double(number), let scale = ByteSize.scales[suffix] else { return nil }
        let result = (value * scale).rounded(.up)
        guard result.magnitude < 9.2e18 else { return nil }
        bytes = Int64(result)
    }

    private static let scales: [String: Double] = [
        "": 1,
        "Ki": 0x1p10, "Mi": 0x1p20, "Gi": 0x1p30, "Ti": 0x1p40, "Pi": 0x1p50, "Ei": 0x1p60,
        "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
    ]
}

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces and tabs.
    func trimmingASCIISpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return Substring() }
        let end = lastIndex(where: { !isSpace($0) }) ?? start
        return Substring(self[start...end])
    }
}
