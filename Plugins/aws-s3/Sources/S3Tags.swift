import DriverKit

/// The `tags` request metadata of create (`project=alpha, team=blue`), as Dapr's `parseS3Tags`
/// turns it into the `x-amz-tagging` header (`project=alpha&team=blue`).
enum S3Tags {
    /// The header's value; nil for no tags; an error for an entry that is not `key=value`.
    static func header(_ raw: String) throws(DriverError) -> String? {
        var pairs: [String] = []
        for entry in raw.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = String(MetadataText.trimmed(entry))
            let parts = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !MetadataText.trimmed(parts[0]).isEmpty, !MetadataText.trimmed(parts[1]).isEmpty
            else {
                throw DriverError(.invalidArgument, "invalid tag format: '\(entry)' (expected key=value)")
            }
            pairs.append("\(MetadataText.trimmed(parts[0]))=\(MetadataText.trimmed(parts[1]))")
        }
        return pairs.isEmpty ? nil : pairs.joined(separator: "&")
    }
}
