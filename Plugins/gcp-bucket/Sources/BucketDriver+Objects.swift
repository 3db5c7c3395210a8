import DriverJSON
import DriverKit

/// create, get and delete: one object each, as Dapr's bucket.go.
extension BucketDriver {
    func create(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let options = settings.defaults.overridden(by: request.metadata)
        var name = request.metadata[BucketKey.key.rawValue] ?? ""
        if name.isEmpty {
            name = RandomUUID.v4()
            host?.log(.debug, "key not found. generating name \(name)")
        }
        var body = GoValues.unquote(request.data)
        if options.decodeBase64 {
            // Go's base64 decoder (a stream over StdEncoding) skips line breaks. Unlike Dapr,
            // which has by then uploaded what it decoded, bad base64 uploads nothing.
            do { body = try Base64.decode(body.filter { $0 != 0x0A && $0 != 0x0D }) } catch {
                throw DriverError(.invalidArgument, "gcp bucket binding error while uploading: \(error.message)")
            }
        }
        let contentType = options.contentType ?? ContentSniffer.contentType(body)
        // It becomes a header line of the multipart upload: a line break would forge others.
        guard !contentType.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw DriverError(.invalidArgument, "gcp bucket binding error: contentType must be one line")
        }
        // Checked before the upload, so that a name Go cannot make a URL of is not stored first.
        let objectURL: String
        do { objectURL = try ObjectURL.string(bucket: settings.bucket, name: name) } catch {
            throw DriverError(
                .invalidArgument, "gcp bucket binding error while building url response: \(error.message)")
        }
        do {
            _ = try await upload(name, body, contentType: contentType, timeout: timeout)
        } catch {
            throw error.driverError("gcp bucket binding error while flushing")
        }
        var writer = GoJSONWriter()
        writer.raw("{\"objectURL\":")
        writer.string(objectURL)
        writer.byte("}")
        return InvokeResponse(data: writer.bytes)
    }

    /// A multipart upload (JSON metadata, then the content), as Go's client sends objects that fit
    /// one request; returns the object resource GCS answers with.
    func upload(_ name: String, _ content: [UInt8], contentType: String, timeout: Int64?) async throws(StorageFailure)
        -> [UInt8]
    {
        let boundary = RandomUUID.v4().replacingOccurrences("-", "")
        var resource = GoJSONWriter()
        resource.raw("{\"bucket\":")
        resource.string(settings.bucket)
        resource.raw(",\"contentType\":")
        resource.string(contentType)
        resource.raw(",\"name\":")
        resource.string(name)
        resource.byte("}")
        var body: [UInt8] = []
        body.reserveCapacity(content.count + resource.bytes.count + 200)
        body += "--\(boundary)\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".utf8
        body += resource.bytes
        body += "\r\n--\(boundary)\r\nContent-Type: \(contentType)\r\n\r\n".utf8
        body += content
        body += "\r\n--\(boundary)--\r\n".utf8
        let response = try await client.send(
            "POST", "/upload/storage/v1/b/\(URLEscaping.segment(settings.bucket))/o",
            query: [("alt", "json"), ("prettyPrint", "false"), ("projection", "full"), ("uploadType", "multipart")],
            headers: [(name: "Content-Type", value: "multipart/related; boundary=\(boundary)")], body: body,
            timeout: timeout)
        return response.body
    }

    func get(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let options = settings.defaults.overridden(by: request.metadata)
        let key = try requiredKey(request)
        let bytes = try await download(key, timeout: timeout)
        return InvokeResponse(data: options.encodeBase64 ? Base64.encode(bytes) : bytes)
    }

    /// The object's content. Go's reader turns a 404 into `storage: object doesn't exist`, which
    /// is what Dapr answers (its own `object not found` branch never matches that error).
    func download(_ key: String, timeout: Int64?) async throws(DriverError) -> [UInt8] {
        do {
            return try await client.send(
                "GET", StorageClient.objectPath(settings.bucket, key), query: [("alt", "media")], timeout: timeout
            ).body
        } catch  where error.isNotFound {
            throw DriverError(
                .notFound, "gcp bucketgcp bucket binding error while downloading object: storage: object doesn't exist")
        } catch {
            throw error.driverError("gcp bucketgcp bucket binding error while downloading object")
        }
    }

    /// Deletes the object; a missing one is Go's `storage: object doesn't exist`, as in Dapr.
    func delete(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse? {
        let key = try requiredKey(request, prefix: "gcp bucketgcp bucket binding error")
        try await deleteObject(key, timeout: timeout)
        return nil
    }

    func deleteObject(_ key: String, timeout: Int64?, prefix: String? = nil) async throws(DriverError) {
        do {
            _ = try await client.send("DELETE", StorageClient.objectPath(settings.bucket, key), timeout: timeout)
        } catch  where error.isNotFound {
            let text = "storage: object doesn't exist"
            throw DriverError(.notFound, prefix.map { "\($0): \(text)" } ?? text)
        } catch {
            var failure = error.driverError(prefix ?? "")
            if prefix == nil { failure.message = error.goText }
            throw failure
        }
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
