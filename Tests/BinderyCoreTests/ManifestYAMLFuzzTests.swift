import Testing

@testable import BinderyCore
@testable import BinderySystem

/// Random and mutated inputs: the reader must return a value or an error, never crash or hang.
@Suite struct ManifestYAMLFuzzTests {
    /// A fixed-seed generator so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seedText = """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: "q\\u00e9ue" # c
        spec:
          type: bindings.kafka
          metadata:
          - name: brokers
            value: [a, 'b', {c: 1}]
          - name: text
            value: |-
              line
                more
          - name: folded
            value: >
              x
              y
        scopes:
        - app1
        ---
        a: 'it''s'
        ...
        """

    static let alphabet: [UInt8] = Array(" \n\t-:?,[]{}#&*!|>'\"%@`\\.~0123456789abcxyz".utf8) + [0xC3, 0xA9, 0xFF]

    @Test func mutatedComponentFilesNeverCrash() {
        var random = SplitMix(state: 0xB1DE)
        let seed = Array(Self.seedText.utf8)
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[at] = Self.alphabet.randomElement(using: &random) ?? 0x20
                case 1: bytes.insert(Self.alphabet.randomElement(using: &random) ?? 0x20, at: at)
                case 2: if bytes.count > 1 { bytes.remove(at: at) }
                default:
                    let end = min(bytes.count, at + Int.random(in: 1...40, using: &random))
                    bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0..<bytes.count, using: &random))
                }
            }
            exercise(bytes)
        }
    }

    @Test func randomBytesNeverCrash() {
        var random = SplitMix(state: 42)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...200, using: &random)
            exercise((0..<count).map { _ in Self.alphabet.randomElement(using: &random) ?? 0x20 })
        }
    }

    @Test func pathologicalInputsFinish() {
        exercise(Array(String(repeating: "- ", count: 50_000).utf8))
        exercise(Array(String(repeating: "{", count: 50_000).utf8))
        exercise(Array(String(repeating: "a: |\n", count: 10_000).utf8))
        exercise(Array((String(repeating: " ", count: 20_000) + "x").utf8))
        exercise(Array(String(repeating: "\"\\\n", count: 20_000).utf8))
    }

    /// Reads `bytes`, and for every document that reads, decodes it as a component too.
    private func exercise(_ bytes: [UInt8]) {
        for document in YAMLReader.documents(in: bytes, file: "fuzz.yaml") {
            if case .success(let root?) = document.result {
                _ = try? ComponentDecoder.decode(root, file: "fuzz.yaml")
                _ = try? YAMLJSON.text(root)
            }
        }
    }
}
