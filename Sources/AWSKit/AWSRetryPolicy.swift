/// How often and how long apart a failed call is tried again: the AWS SDKs' "standard" mode,
/// 3 attempts with full-jitter exponential backoff capped at 20 s.
public struct AWSRetryPolicy: Sendable {
    public var maxAttempts: Int
    /// The cap of the first retry's delay, doubled for each later one.
    public var baseDelayMilliseconds: Int
    public var maxDelayMilliseconds: Int

    public init(maxAttempts: Int = 3, baseDelayMilliseconds: Int = 1000, maxDelayMilliseconds: Int = 20_000) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelayMilliseconds = baseDelayMilliseconds
        self.maxDelayMilliseconds = maxDelayMilliseconds
    }

    public static let standard = AWSRetryPolicy()
    /// One attempt only (long polls, whose caller loops anyway).
    public static let none = AWSRetryPolicy(maxAttempts: 1)

    /// The delay before attempt `attempt + 1` (attempt counts from 1): uniformly random up to
    /// base × 2^(attempt − 1), at most the cap.
    func delayMilliseconds(after attempt: Int) -> Int {
        let ceiling = min(maxDelayMilliseconds, baseDelayMilliseconds << min(attempt - 1, 16))
        return ceiling > 0 ? Int.random(in: 0...ceiling) : 0
    }
}
