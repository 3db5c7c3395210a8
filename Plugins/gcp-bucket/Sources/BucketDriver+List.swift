import DriverJSON
import DriverKit

extension BucketDriver {
    /// Lists objects (and, with a delimiter, common prefixes) page by page up to maxResults
    /// (default 1000; a negative one lists everything, as in Dapr), answered as Dapr marshals
    /// Go's `[]storage.ObjectAttrs`: `null` when nothing matches.
    func list(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let payload: GoPayload
        do {
            payload = try GoPayload(
                request.data, as: "listPayload",
                fields: [("prefix", .string), ("maxResults", .int32), ("delimiter", .string)])
        } catch {
            throw DriverError(.invalidArgument, error.message)
        }
        var limit = payload.integers["maxResults"] ?? 0
        if limit == 0 { limit = 1000 }
        var writer = GoJSONWriter()
        let count = try await listObjects(
            prefix: payload.string("prefix"), delimiter: payload.string("delimiter"), limit: limit < 0 ? nil : limit,
            timeout: timeout
        ) { entry in
            writer.byte(writer.bytes.isEmpty ? "[" : ",")
            switch entry {
            case .object(let resource): ObjectAttributes.write(resource, into: &writer)
            case .prefix(let prefix): ObjectAttributes.writePrefix(prefix, into: &writer)
            }
        }
        if count == 0 { writer.raw("null") } else { writer.byte("]") }
        return InvokeResponse(data: writer.bytes)
    }

    enum ListEntry {
        case object(JSONValue)
        case prefix(String)
    }

    /// Calls `visit` for each object, then each common prefix, of each page (the order of Go's
    /// iterator) until `limit` entries; returns how many. Unlike Dapr, which dereferences a nil
    /// result and crashes when listing fails, a failed page is an error.
    func listObjects(
        prefix: String, delimiter: String, limit: Int?, timeout: Int64?, visit: (ListEntry) -> Void
    ) async throws(DriverError) -> Int {
        var count = 0
        var pageToken: String?
        repeat {
            var query = [("alt", "json"), ("prettyPrint", "false")]
            if !delimiter.isEmpty { query.append(("delimiter", delimiter)) }
            if let limit { query.append(("maxResults", String(min(limit - count, 1000)))) }
            if let pageToken { query.append(("pageToken", pageToken)) }
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            query.append(("projection", "full"))
            let page: JSONValue
            do {
                let response = try await client.send(
                    "GET", "/storage/v1/b/\(URLEscaping.segment(settings.bucket))/o", query: query, timeout: timeout)
                page = try JSONValue.parse(bytes: response.body)
            } catch let error as StorageFailure {
                throw error.driverError("gcp bucket binding error while listing")
            } catch {
                throw DriverError(
                    .unavailable, "gcp bucket binding error while listing: the answer is not JSON (\(error))")
            }
            let entries =
                (page["items"]?.array ?? []).map(ListEntry.object)
                + (page["prefixes"]?.array ?? []).compactMap(\.string).map(ListEntry.prefix)
            for entry in entries {
                if let limit, count == limit { return count }
                visit(entry)
                count += 1
            }
            pageToken = page["nextPageToken"]?.string
        } while pageToken.map { !$0.isEmpty } ?? false && (limit.map { count < $0 } ?? true)
        return count
    }

    /// Every object of the bucket with its content, as Dapr's bulkGet: `[{"name", "data" (base64,
    /// as Go marshals []byte; with encodeBase64 the base64 of the base64), "attrs"}]`. Reads run
    /// eight at a time; unlike Dapr (which reports a failed read as "no more items in iterator"),
    /// the error names the object and why.
    func bulkGet(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let options = settings.defaults.overridden(by: request.metadata)
        var objects: [(name: String, resource: JSONValue)] = []
        _ = try await listObjects(prefix: "", delimiter: "", limit: nil, timeout: timeout) { entry in
            if case .object(let resource) = entry { objects.append((resource["name"]?.string ?? "", resource)) }
        }
        let contents = try await downloadAll(objects.map(\.name), timeout: timeout)
        var writer = GoJSONWriter()
        for (index, object) in objects.enumerated() {
            writer.byte(index == 0 ? "[" : ",")
            writer.raw("{\"name\":")
            writer.string(object.name)
            writer.raw(",\"data\":")
            var data = contents[index]
            if options.encodeBase64 { data = Base64.encode(data) }
            writer.string(Base64.encodedString(data))
            writer.raw(",\"attrs\":")
            ObjectAttributes.write(object.resource, into: &writer)
            writer.byte("}")
        }
        // Go marshals an empty (non-nil) slice as [].
        if objects.isEmpty { writer.raw("[]") } else { writer.byte("]") }
        return InvokeResponse(data: writer.bytes)
    }

    /// The content of each of `names`, at most eight downloads at once.
    private func downloadAll(_ names: [String], timeout: Int64?) async throws -> [[UInt8]] {
        try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            var contents = [[UInt8]](repeating: [], count: names.count)
            var next = 0
            func add() {
                guard next < names.count else { return }
                let index = next
                next += 1
                group.addTask {
                    do throws(DriverError) {
                        return (index, try await self.download(names[index], timeout: timeout))
                    } catch {
                        throw DriverError(
                            error.code,
                            "gcp bucket binding error while reading objects: \(names[index]): \(error.message)")
                    }
                }
            }
            for _ in 0..<8 { add() }
            while let (index, bytes) = try await group.next() {
                contents[index] = bytes
                add()
            }
            return contents
        }
    }
}
