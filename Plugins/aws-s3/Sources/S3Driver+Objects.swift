import AWSKit
import AWSSigning
import DriverJSON
import DriverKit

/// create, get, delete and presign: one object each, as Dapr's s3.go.
extension S3Driver {
    func create(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let options = settings.defaults.overridden(by: request.metadata)
        var key = request.metadata[S3Key.key.rawValue] ?? ""
        if key.isEmpty { key = RandomUUID.v4() }
        var headers: [(name: String, value: String)] = []
        // Dapr trims it and sends none when empty; S3 then stores binary/octet-stream.
        let contentType = String(MetadataText.trimmed(request.metadata[S3Key.contentType.rawValue] ?? ""))
        headers.append((name: "Content-Type", value: contentType.isEmpty ? "binary/octet-stream" : contentType))
        if let tags = request.metadata[S3Key.tags.rawValue] {
            do throws(DriverError) {
                if let tagging = try S3Tags.header(tags) { headers.append((name: "X-Amz-Tagging", value: tagging)) }
            } catch {
                // Dapr's error text, misspelling included: callers match on it.
                throw DriverError(.invalidArgument, "s3 binding error: parsing tags falied error: \(error.message)")
            }
        }
        var body: [UInt8]
        if let path = options.filePath {
            body = try FileAccess.read(path, failure: "s3 binding error: file read error")
        } else {
            body = GoValues.unquote(request.data)
        }
        if options.decodeBase64 {
            do { body = try Base64.decode(body) } catch {
                throw DriverError(.invalidArgument, "s3 binding error: uploading failed: \(error.message)")
            }
        }
        // A bad presignTTL fails before the upload (Dapr uploads, then fails, leaving the object).
        let presignSeconds = try options.presignTTL.map { ttl throws(DriverError) in try S3Options.presignSeconds(ttl) }
        let versionID = try await put(
            key, body, headers: headers, storageClass: options.storageClass, timeout: timeout, step: "uploading failed")
        let presignURL = presignSeconds.map { presignedURL(key, seconds: $0) }
        var writer = GoJSONWriter()
        writer.raw("{\"location\":")
        writer.string(addressing.location(key))
        writer.raw(",\"versionID\":")
        if let versionID { writer.string(versionID) } else { writer.raw("null") }
        if let presignURL {
            writer.raw(",\"presignURL\":")
            writer.string(presignURL)
        }
        writer.byte("}")
        return InvokeResponse(data: writer.bytes, metadata: [S3Key.key.rawValue: key])
    }

    /// PutObject; returns the version ID S3 gave the object, if the bucket is versioned.
    func put(
        _ key: String, _ body: [UInt8], headers: [(name: String, value: String)], storageClass: String?,
        timeout: Int64?, step: String
    ) async throws(DriverError) -> String? {
        var headers = headers
        headers.append((name: "X-Amz-Checksum-Crc32", value: CRC32.header(body)))
        if let storageClass { headers.append((name: "X-Amz-Storage-Class", value: storageClass)) }
        let put = AWSRequest(
            method: "PUT", path: addressing.path(key), headers: headers, body: body, sendsContentHash: true,
            baseURL: addressing.baseURL, timeoutMilliseconds: timeout)
        do {
            return try await client.rest(put, action: "PutObject").header("X-Amz-Version-Id")
        } catch {
            throw failure(error, step)
        }
    }

    func get(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let options = settings.defaults.overridden(by: request.metadata)
        let key = try requiredKey(request)
        let bytes = try await fetch(key, timeout: timeout)
        return InvokeResponse(data: options.encodeBase64 ? Base64.encode(bytes) : bytes)
    }

    /// GetObject's body; a missing key is Dapr's `object not found`.
    func fetch(_ key: String, timeout: Int64?) async throws(DriverError) -> [UInt8] {
        let get = AWSRequest(
            method: "GET", path: addressing.path(key), sendsContentHash: true, baseURL: addressing.baseURL,
            timeoutMilliseconds: timeout)
        do {
            return try await client.rest(get, action: "GetObject").body
        } catch  where error.code == "NoSuchKey" {
            throw DriverError(.notFound, "object not found")
        } catch {
            throw failure(error, "error downloading S3 object")
        }
    }

    /// DeleteObject. S3 answers 204 for a key that is not there, and so does Dapr (no error).
    func delete(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse? {
        let key = try requiredKey(request)
        let delete = AWSRequest(
            method: "DELETE", path: addressing.path(key), sendsContentHash: true, baseURL: addressing.baseURL,
            timeoutMilliseconds: timeout)
        do {
            _ = try await client.rest(delete, action: "DeleteObject")
        } catch  where error.code == "NoSuchKey" {
            throw DriverError(.notFound, "object not found")
        } catch {
            throw failure(error, "delete operation failed")
        }
        return nil
    }

    func presign(_ request: InvokeRequest) throws -> InvokeResponse {
        let options = settings.defaults.overridden(by: request.metadata)
        let key = try requiredKey(request)
        guard let ttl = options.presignTTL else {
            throw DriverError(
                .invalidArgument, "s3 binding error: required metadata '\(S3Key.presignTTL.rawValue)' missing")
        }
        var writer = GoJSONWriter()
        writer.raw("{\"presignURL\":")
        writer.string(presignedURL(key, seconds: try S3Options.presignSeconds(ttl)))
        writer.byte("}")
        return InvokeResponse(data: writer.bytes)
    }

    /// A GET URL for `key` signed in its query, valid for `seconds`.
    func presignedURL(_ key: String, seconds: Int) -> String {
        client.presignedURL(method: "GET", path: addressing.path(key), expires: seconds, baseURL: addressing.baseURL)
    }

    func requiredKey(_ request: InvokeRequest) throws(DriverError) -> String {
        guard let key = request.metadata[S3Key.key.rawValue], !key.isEmpty else {
            throw DriverError(.invalidArgument, "s3 binding error: required metadata '\(S3Key.key.rawValue)' missing")
        }
        return key
    }
}
