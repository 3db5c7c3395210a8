import BinderySystem

/// Masks a component's secrets in text that comes from its driver: the values of the fields its
/// driver declares sensitive and every value resolved through `secretKeyRef`. The host builds
/// one per generation (`GenerationBuilder`), passes it in the `ComponentSpec`, and the driver
/// runtime applies it to every text it copies out of the driver (create, init, start_input and
/// stop errors, invoke errors, log lines), so no log line, `lastError` or error answer holds one.
///
/// What is masked, each time with `***`:
/// - a whole value of 4 bytes or more. Shorter values are left alone: masking `a` or `no`
///   everywhere would garble every message, and a secret that short is guessed, not leaked;
/// - each line of 8 bytes or more of a multi-line value (a PEM key quoted line by line);
/// - any 16 bytes of a value, wherever they appear: a driver that quotes a prefix, a value
///   truncated to fit an error buffer, a value split or re-wrapped;
/// - each of these in the value's JSON-escaped form (`"`, `\`, control characters escaped), as a
///   driver that quotes with JSON or Go's `%q` writes it.
///
/// A driver that transforms a secret before showing it (hex, base64, escapes every few bytes,
/// case change) defeats this; it matches bytes, not meaning.
package struct Redactor: Sendable {
    package static let mask = "***"
    static let shortestValue = 4
    static let shortestLine = 8

    /// Values and lines shorter than a fragment, searched for whole.
    private let pieces: [[UInt8]]
    /// Every 16-byte run of every value at least that long.
    private let fragments: Set<Fragment>
    /// One bit per `Fragment.bucket` of `fragments`: most windows of a text are refused
    /// without hashing them.
    private let buckets: [UInt64]

    /// Redacts nothing.
    package static let none = Redactor(secrets: [])

    package init(secrets: [String]) {
        var pieces: Set<[UInt8]> = []
        var fragments: Set<Fragment> = []
        let escaped = secrets.map { String(JSONText.quoted($0).dropFirst().dropLast()) }
        for secret in Set(secrets + escaped) {
            let bytes = Array(secret.utf8)
            guard bytes.count >= Self.shortestValue else { continue }
            if bytes.count < Fragment.size { pieces.insert(bytes) }
            for i in stride(from: 0, through: bytes.count - Fragment.size, by: 1) {
                fragments.insert(Fragment(bytes, at: i))
            }
            for line in secret.split(whereSeparator: \.isNewline) {
                let trimmed = Array(line.trimmingBlanks().utf8)
                if trimmed.count >= Self.shortestLine, trimmed.count < Fragment.size { pieces.insert(trimmed) }
            }
        }
        self.pieces = pieces.sorted { $0.count > $1.count }
        self.fragments = fragments
        var buckets = [UInt64](repeating: 0, count: fragments.isEmpty ? 0 : Fragment.buckets / 64)
        for fragment in fragments { buckets[fragment.bucket / 64] |= 1 << UInt64(fragment.bucket % 64) }
        self.buckets = buckets
    }

    /// The secrets of `component`: values of the fields `fields` declares sensitive (names
    /// compare case-insensitively, as Dapr decodes metadata) and values from a secret store.
    package init(_ component: Component, fields: [DriverDescriptor.Field]) {
        let sensitive = Set(fields.filter(\.sensitive).map { $0.name.lowercased() })
        let secrets = component.metadata.filter { $0.fromSecretStore || sensitive.contains($0.name.lowercased()) }
        self.init(secrets: secrets.map(\.value))
    }

    package var isEmpty: Bool { pieces.isEmpty && fragments.isEmpty }

    /// `text` with every secret masked.
    package func redacted(_ text: String) -> String {
        guard !isEmpty, text.utf8.count >= Self.shortestValue else { return text }
        let bytes = Array(text.utf8)
        var covered = [Bool](repeating: false, count: bytes.count)
        var found = false
        for piece in pieces {
            var start = 0
            while let match = Self.firstIndex(of: piece, in: bytes, from: start) {
                for i in match..<match + piece.count { covered[i] = true }
                found = true
                start = match + 1
            }
        }
        if !fragments.isEmpty, bytes.count >= Fragment.size {
            for i in 0...(bytes.count - Fragment.size) {
                let fragment = Fragment(bytes, at: i)
                let bucket = fragment.bucket
                guard buckets[bucket / 64] & (1 << UInt64(bucket % 64)) != 0, fragments.contains(fragment) else {
                    continue
                }
                for j in i..<i + Fragment.size { covered[j] = true }
                found = true
            }
        }
        return found ? Self.masking(bytes, covered) : text
    }

    /// Error outcomes with their message and metadata masked; a success is the app's data and
    /// passes as it is.
    package func redacted(_ outcome: InvokeOutcome) -> InvokeOutcome {
        guard !isEmpty, !outcome.status.isOK else { return outcome }
        var outcome = outcome
        outcome.message = redacted(outcome.message)
        if var response = outcome.response {
            response.metadata = response.metadata.map { ($0.key, redacted($0.value)) }
            outcome.response = response
        }
        return outcome
    }

    /// `bytes` with each run of covered bytes, widened to whole UTF-8 characters, replaced by
    /// one mask.
    private static func masking(_ bytes: [UInt8], _ covered: [Bool]) -> String {
        let isContinuation = { (byte: UInt8) in byte & 0xC0 == 0x80 }
        var covered = covered
        for i in bytes.indices.dropFirst() where covered[i] != covered[i - 1] {
            if covered[i] {
                var j = i
                while j > 0, isContinuation(bytes[j]) {
                    j -= 1
                    covered[j] = true
                }
            } else if isContinuation(bytes[i]) {
                covered[i] = true
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for i in bytes.indices {
            if !covered[i] {
                out.append(bytes[i])
            } else if i == 0 || !covered[i - 1] {
                out.append(contentsOf: mask.utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func firstIndex(of piece: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = piece.first, bytes.count - start >= piece.count else { return nil }
        var i = start
        while i <= bytes.count - piece.count {
            if bytes[i] == first, bytes[i..<i + piece.count].elementsEqual(piece) { return i }
            i += 1
        }
        return nil
    }
}

/// 16 bytes of text, compared exactly.
private struct Fragment: Hashable {
    static let size = 16
    static let buckets = 1 << 16
    let low: UInt64
    let high: UInt64

    init(_ bytes: [UInt8], at start: Int) {
        (low, high) = bytes.withUnsafeBytes {
            (
                $0.loadUnaligned(fromByteOffset: start, as: UInt64.self),
                $0.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self)
            )
        }
    }

    /// A cheap 16-bit mix of both halves.
    var bucket: Int {
        Int(truncatingIfNeeded: ((low ^ (high &* 0x9E37_79B9_7F4A_7C15)) &* 0xFF51_AFD7_ED55_8CCD) >> 48)
    }
}
