import AWSKit
import AWSSigning
import DriverJSON
import DriverKit

/// bulkGet, bulkCreate and bulkDelete, as Dapr's s3.go: each item succeeds or fails on its own
/// and the answer lists them in request order (`[{"key", "data"|"location"|"error"}]`).
extension S3Driver {
    /// Dapr's default number of objects in flight at once; a payload's `concurrency` overrides it.
    static let defaultBulkConcurrency = 10
    /// S3's DeleteObjects takes at most 1000 keys per call.
    static let deleteBatchSize = 1000

    func bulkGet(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let options = settings.defaults.overridden(by: request.metadata)
        let payload = try bulkPayload(request, as: "bulkGetPayload", operation: "bulkGet")
        let results = try await perform(payload) { item throws(DriverError) -> BulkResult in
            let bytes: [UInt8]
            do throws(DriverError) { bytes = try await self.fetch(item.key, timeout: timeout) } catch {
                return BulkResult(key: item.key, error: Self.itemError(error))
            }
            let data = options.encodeBase64 ? Base64.encode(bytes) : bytes
            if let path = item.filePath {
                do throws(DriverError) { try FileAccess.write(data, to: path) } catch {
                    return BulkResult(key: item.key, error: error.message)
                }
                return BulkResult(key: item.key)
            }
            return BulkResult(key: item.key, data: String(decoding: data, as: UTF8.self))
        }
        return InvokeResponse(data: BulkResult.json(results))
    }

    func bulkCreate(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let options = settings.defaults.overridden(by: request.metadata)
        let payload = try bulkPayload(request, as: "bulkCreatePayload", operation: "bulkCreate")
        let results = try await perform(payload) { item throws(DriverError) -> BulkResult in
            var body: [UInt8]
            if let path = item.filePath {
                do throws(DriverError) { body = try FileAccess.read(path, failure: "") } catch {
                    return BulkResult(key: item.key, error: error.message)
                }
            } else if let data = item.data {
                body = Array(data.utf8)
            } else {
                return BulkResult(key: item.key, error: "either data or filePath is required")
            }
            if options.decodeBase64 {
                do throws(Base64.CorruptInput) { body = try Base64.decode(body) } catch {
                    return BulkResult(key: item.key, error: error.message)
                }
            }
            let type = item.contentType ?? "binary/octet-stream"
            do throws(DriverError) {
                _ = try await self.put(
                    item.key, body, headers: [(name: "Content-Type", value: type)], storageClass: nil, timeout: timeout,
                    step: "uploading failed")
            } catch {
                return BulkResult(key: item.key, error: Self.itemError(error))
            }
            return BulkResult(key: item.key, location: self.addressing.location(item.key))
        }
        return InvokeResponse(data: BulkResult.json(results))
    }

    func bulkDelete(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let payload = try bulkPayload(request, as: "bulkDeletePayload", operation: "bulkDelete")
        guard !payload.keys.isEmpty else {
            throw DriverError(.invalidArgument, "s3 binding error: bulkDelete requires at least one key")
        }
        var results = payload.keys.map { BulkResult(key: $0) }
        var positions: [String: [Int]] = [:]
        var unique: [String] = []
        for (index, key) in payload.keys.enumerated() {
            if MetadataText.trimmed(key).isEmpty {
                results[index].error = "key is required"
                continue
            }
            if positions[key] == nil { unique.append(key) }
            positions[key, default: []].append(index)
        }
        var start = 0
        while start < unique.count {
            let batch = Array(unique[start..<min(start + Self.deleteBatchSize, unique.count)])
            start += batch.count
            let errors: [String: String]
            do { errors = try await deleteObjects(batch, timeout: timeout) } catch {
                for key in batch { for index in positions[key] ?? [] { results[index].error = error.description } }
                continue
            }
            for (key, message) in errors { for index in positions[key] ?? [] { results[index].error = message } }
        }
        return InvokeResponse(data: BulkResult.json(results))
    }

    /// One DeleteObjects call (not quiet); returns the message of each key S3 could not delete.
    private func deleteObjects(_ keys: [String], timeout: Int64?) async throws(AWSError) -> [String: String] {
        var xml = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for key in keys { xml += "<Object><Key>\(Self.xmlEscaped(key))</Key></Object>" }
        xml += "<Quiet>false</Quiet></Delete>"
        let body = Array(xml.utf8)
        let request = AWSRequest(
            method: "POST", path: addressing.bucketPath, query: [SigningRequest.QueryItem("delete", "")],
            headers: [
                (name: "Content-Type", value: "application/xml"),
                (name: "X-Amz-Checksum-Crc32", value: CRC32.header(body)),
                (name: "X-Amz-Sdk-Checksum-Algorithm", value: "CRC32"),
            ],
            body: body, sendsContentHash: true, baseURL: addressing.baseURL, timeoutMilliseconds: timeout)
        let response = try await client.rest(request, action: "DeleteObjects")
        // An answer that cannot be read says nothing of what was deleted: every key is reported
        // failed rather than assumed gone.
        guard let result = try? XMLElement.parse(response.body) else {
            let reason = "the DeleteObjects answer is not XML, so whether the key was deleted is unknown"
            return Dictionary(uniqueKeysWithValues: Set(keys).map { ($0, reason) })
        }
        var errors: [String: String] = [:]
        for error in result.all("Error") {
            guard let key = error.text(at: "Key") else { continue }
            errors[key] = error.text(at: "Message") ?? "unknown error"
        }
        return errors
    }

    /// The payload of `operation`, or Dapr's error for a body that does not parse.
    private func bulkPayload(_ request: InvokeRequest, as goType: String, operation: String) throws(DriverError)
        -> BulkPayload
    {
        let payload: BulkPayload
        do { payload = try BulkPayload.parse(request.data, as: goType) } catch {
            throw DriverError(.invalidArgument, "s3 binding error: invalid \(operation) payload: \(error.message)")
        }
        if goType != "bulkDeletePayload" {
            guard !payload.items.isEmpty else {
                throw DriverError(.invalidArgument, "s3 binding error: \(operation) requires at least one item")
            }
            if let concurrency = payload.concurrency, concurrency <= 0 {
                throw DriverError(
                    .invalidArgument, "s3 binding error: concurrency must be greater than 0, got \(concurrency)")
            }
        }
        return payload
    }

    /// Runs `work` for each item with a key, at most `concurrency` at once; results in item order.
    private func perform(
        _ payload: BulkPayload, _ work: @escaping @Sendable (BulkPayload.Item) async throws(DriverError) -> BulkResult
    ) async throws -> [BulkResult] {
        let limit = payload.concurrency ?? Self.defaultBulkConcurrency
        var results = payload.items.map { BulkResult(key: $0.key, error: $0.key.isEmpty ? "key is required" : nil) }
        let pending = payload.items.enumerated().filter { !$0.element.key.isEmpty }
        try await withThrowingTaskGroup(of: (Int, BulkResult).self) { group in
            var next = 0
            var running = 0
            while next < pending.count || running > 0 {
                while running < limit, next < pending.count {
                    let (index, item) = pending[next]
                    next += 1
                    running += 1
                    group.addTask { (index, try await work(item)) }
                }
                if let (index, result) = try await group.next() {
                    results[index] = result
                    running -= 1
                }
            }
        }
        return results
    }

    /// An item's error as Dapr words it: `object not found` for a missing key, else the SDK's error.
    private static func itemError(_ error: DriverError) -> String {
        let prefix = "s3 binding error: "
        guard error.message.hasPrefix(prefix) else { return error.message }
        let parts = error.message.dropFirst(prefix.count).split(separator: ": ", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : error.message
    }

    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// One item of a bulk answer, as Dapr's `bulkItemResult` marshals (empty fields left out but `key`).
struct BulkResult: Sendable, Equatable {
    var key: String
    var data: String?
    var location: String?
    var error: String?

    init(key: String, data: String? = nil, location: String? = nil, error: String? = nil) {
        self.key = key
        self.data = data
        self.location = location
        self.error = error
    }

    static func json(_ results: [BulkResult]) -> [UInt8] {
        var writer = GoJSONWriter()
        writer.byte("[")
        for (index, result) in results.enumerated() {
            if index > 0 { writer.byte(",") }
            writer.raw("{\"key\":")
            writer.string(result.key)
            for (name, value) in [("data", result.data), ("location", result.location), ("error", result.error)] {
                guard let value, !value.isEmpty else { continue }
                writer.raw(",\"\(name)\":")
                writer.string(value)
            }
            writer.byte("}")
        }
        writer.byte("]")
        return writer.bytes
    }
}
