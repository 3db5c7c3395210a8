import DriverKit
import ServiceEndpoint

/// An influx component's metadata, checked; no I/O.
struct InfluxSettings: Sendable {
    /// The server URL without trailing slashes.
    var url: String
    var token: String
    var org: String
    var bucket: String
    var measurement: String?

    init(_ configuration: DriverConfiguration) throws(DriverError) {
        let metadata = ComponentMetadata(configuration, fields: InfluxDriver.fields)
        url = try ServiceEndpoint.baseURL(metadata, InfluxKey.url, default: try metadata.required(InfluxKey.url))
        token = try metadata.required(InfluxKey.token)
        org = try metadata.required(InfluxKey.org)
        bucket = try metadata.required(InfluxKey.bucket)
        measurement = metadata.string(InfluxKey.measurement)
    }

    /// `POST` line protocol here: the bucket, org and precision as influxdb-client-go sends
    /// them (parameters sorted, QueryEscape'd).
    var writeURL: String {
        url + "/api/v2/write?bucket=\(GoURLEscaping.query(bucket))&org=\(GoURLEscaping.query(org))&precision=ns"
    }

    /// `POST` a Flux query here.
    var queryURL: String { url + "/api/v2/query?org=\(GoURLEscaping.query(org))" }

    /// `Token <token>`, as the Go client's Authorization header.
    var authorization: String { "Token " + token }
}
