import DriverKit

/// How a message the app failed is delivered again when `consumeRetryEnabled` is true: Dapr's
/// `backOff*` metadata (dapr/kit's retry.Config, whose defaults are a constant 5 s, forever).
/// The exponential policy grows by 1.5 per attempt, as dapr/kit's, without its random jitter.
struct RetryPolicy: Sendable, Equatable {
    enum Shape: Sendable, Equatable {
        case constant(milliseconds: Int64)
        case exponential(initial: Int64, maximum: Int64)
    }

    let shape: Shape
    /// -1: for ever.
    let maxRetries: Int

    init(shape: Shape, maxRetries: Int) {
        self.shape = shape
        self.maxRetries = maxRetries
    }

    init(_ metadata: ComponentMetadata) throws {
        maxRetries = try metadata.int(KafkaKey.backOffMaxRetries, range: -1...Int.max) ?? -1
        let duration = { (key: KafkaKey, unset: Int64) throws -> Int64 in
            try KafkaSettings.milliseconds(metadata, key, range: 1...86_400_000, unset: unset)
        }
        if try metadata.enumeration(KafkaKey.backOffPolicy) == "exponential" {
            shape = .exponential(
                initial: try duration(.backOffInitialInterval, 500), maximum: try duration(.backOffMaxInterval, 60_000))
        } else {
            shape = .constant(milliseconds: try duration(.backOffDuration, 5_000))
        }
    }

    /// The wait before retry number `attempt` (1 for the first), or nil when no retry is left.
    func delay(beforeRetry attempt: Int) -> Int64? {
        guard maxRetries < 0 || attempt <= maxRetries else { return nil }
        switch shape {
        case .constant(let milliseconds): return milliseconds
        case .exponential(let initial, let maximum):
            var wait = Double(initial)
            for _ in 1..<max(attempt, 1) where wait < Double(maximum) { wait *= 1.5 }
            return min(Int64(wait), maximum)
        }
    }
}
