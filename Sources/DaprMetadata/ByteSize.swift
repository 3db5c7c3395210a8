/// A size written as a Kubernetes quantity, as Dapr's `metadata.ByteSize` reads it: plain bytes
/// (`1048576`), binary suffixes (`Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`) or decimal ones (`k`, `M`,
/// `G`, `T`, `P`, `E`), with an optional fraction (`1.5Gi`). Fractions of a byte round up.
public struct ByteSize: Hashable, Sendable {
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    /// Parses `text` (surrounding spaces ignored); nil when it is not a quantity or does not fit 63 bits.
    public init?(parsing text: String) {
        let trimmed = MetadataText.trimmed(text)
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
