import AWSKit
import AWSSigning
import DriverKit

extension S3Driver {
    /// ListObjects (version 1, as Dapr calls it) with the body's maxResults (default 1000),
    /// prefix, marker and delimiter, answered as Dapr marshals the SDK's output.
    func list(_ request: InvokeRequest, timeout: Int64?) async throws -> InvokeResponse {
        let payload: ListPayload
        do { payload = try ListPayload.parse(request.data) } catch {
            throw DriverError(
                .invalidArgument, "s3 binding (List Operation) - unable to parse Data property - \(error.message)")
        }
        let maxKeys = payload.maxResults < 1 ? 1000 : payload.maxResults
        // Sent as the SDK sends them: every member, empty ones as `name=`.
        let query = [
            SigningRequest.QueryItem("delimiter", payload.delimiter),
            SigningRequest.QueryItem("marker", payload.marker),
            SigningRequest.QueryItem("max-keys", String(maxKeys)),
            SigningRequest.QueryItem("prefix", payload.prefix),
        ]
        let list = AWSRequest(
            method: "GET", path: addressing.bucketPath, query: query, sendsContentHash: true,
            baseURL: addressing.baseURL, timeoutMilliseconds: timeout)
        let response: AWSResponse
        do { response = try await client.rest(list, action: "ListObjects") } catch {
            throw failure(error, "list operation failed")
        }
        let result: XMLElement
        do { result = try XMLElement.parse(response.body) } catch {
            throw DriverError(
                .unavailable,
                "s3 binding error: list operation failed: operation error S3: ListObjects, the answer is not XML (\(error.description))"
            )
        }
        return InvokeResponse(
            data: ListResponse.json(result, requestCharged: response.header("X-Amz-Request-Charged")))
    }
}
