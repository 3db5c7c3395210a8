import DriverJSON
import DriverKit

/// copy, rename and move: a server-side rewrite, then (rename, move) a delete of the source, as
/// Dapr's bucket.go does through Go's Copier.
extension BucketDriver {
    func copy(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let key = try requiredKey(request)
        let (bucket, destination) = try destination(request, key: key, payload: "copy")
        // Copying an object onto itself is valid in GCS (a new generation); Dapr allows it.
        try await rewrite(key, toBucket: bucket, name: destination, timeout: timeout)
        return InvokeResponse(data: Array("object \(key) copied to \(bucket)/\(destination)".utf8))
    }

    func move(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let key = try requiredKey(request)
        let (bucket, destination) = try destination(request, key: key, payload: "move")
        if bucket == settings.bucket, destination == key {
            throw DriverError(
                .invalidArgument,
                "gcp bucket binding error: move destination \(bucket)/\(destination) is the same as the source — move would delete the source object"
            )
        }
        try await rewrite(key, toBucket: bucket, name: destination, timeout: timeout)
        try await deleteObject(key, timeout: timeout, prefix: "gcp bucket binding error while deleting object")
        return InvokeResponse(data: Array("object \(key) moved to \(bucket)/\(destination)".utf8))
    }

    func rename(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let key = try requiredKey(request)
        let payload: GoPayload
        do { payload = try GoPayload(request.data, as: "renamePayload", fields: [("newName", .string)]) } catch {
            throw DriverError(.invalidArgument, "gcp bucket binding error: invalid rename payload")
        }
        let newName = payload.string("newName")
        guard !newName.isEmpty else {
            throw DriverError(.invalidArgument, "gcp bucket binding error: required 'newName' missing")
        }
        try await rewrite(key, toBucket: settings.bucket, name: newName, timeout: timeout)
        try await deleteObject(key, timeout: timeout, prefix: "gcp bucket binding error while deleting object")
        return InvokeResponse(data: Array("object \(key) renamed to \(newName)".utf8))
    }

    /// The destination bucket and name of copy or move (`resolveCopyDestination` in Dapr): each
    /// defaults to the source's, but at least one must be given.
    private func destination(_ request: InvokeRequest, key: String, payload name: String) throws(DriverError) -> (
        String, String
    ) {
        let payload: GoPayload
        do {
            payload = try GoPayload(
                request.data, as: "\(name)Payload",
                fields: [("destinationBucket", .string), ("destinationKey", .string)])
        } catch {
            throw DriverError(.invalidArgument, "gcp bucket binding error: invalid \(name) payload: \(error.message)")
        }
        let bucket = payload.string("destinationBucket")
        let destination = payload.string("destinationKey")
        guard !bucket.isEmpty || !destination.isEmpty else {
            throw DriverError(
                .invalidArgument,
                "gcp bucket binding error: copy/move requires at least one of destinationBucket or destinationKey (omitting both resolves the destination to the source object, which rewrites it for copy and deletes it for move)"
            )
        }
        return (bucket.isEmpty ? settings.bucket : bucket, destination.isEmpty ? key : destination)
    }

    /// Objects: rewrite, repeated with the rewrite token until GCS says done (large objects
    /// across locations or storage classes take several calls, as in Go's Copier).
    func rewrite(_ key: String, toBucket bucket: String, name: String, timeout: Int64?) async throws(DriverError) {
        let path =
            StorageClient.objectPath(settings.bucket, key)
            + "/rewriteTo/b/\(URLEscaping.segment(bucket))/o/\(URLEscaping.segment(name))"
        var token: String?
        let prefix = "gcp bucket binding error while copying object"
        repeat {
            var query = [("alt", "json"), ("prettyPrint", "false"), ("projection", "full")]
            if let token { query.append(("rewriteToken", token)) }
            let answer: JSONValue?
            do {
                let response = try await client.send(
                    "POST", path, query: query, headers: [(name: "Content-Type", value: "application/json")],
                    body: Array("{}".utf8), timeout: timeout)
                answer = try? JSONValue.parse(bytes: response.body)
            } catch  where error.isNotFound {
                throw DriverError(.notFound, "\(prefix): storage: object doesn't exist")
            } catch {
                throw error.driverError(prefix)
            }
            if case .bool(true)? = answer?["done"] { return }
            token = answer?["rewriteToken"]?.string
        } while token.map { !$0.isEmpty } ?? false
        throw DriverError(.unavailable, "\(prefix): the rewrite answer says neither done nor how to go on")
    }
}
