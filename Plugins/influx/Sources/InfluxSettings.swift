import DriverKit

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
        var url = try metadata.required(InfluxKey.url)
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), !url.contains("?"), !url.contains("#"),
            !url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        else {
            throw metadata.invalid(InfluxKey.url, url, expected: "an http:// or https:// URL without query")
        }
        while url.hasSuffix("/") { url.removeLast() }
        self.url = url
        token = try metadata.required(InfluxKey.token)
        org = try metadata.required(InfluxKey.org)
        bucket = try metadata.required(InfluxKey.bucket)
        measurement = metadata.string(InfluxKey.measurement)
    }

    /// `POST` line protocol here: the bucket, org and precision as influxdb-client-go sends
    /// them (parameters sorted, QueryEscape'd).
    var writeURL: String {
        url + "/api/v2/write?bucket=\(Escaping.query(bucket))&org=\(Escaping.query(org))&precision=ns"
    }

    /// `POST` a Flux query here.
    var queryURL: String { url + "/api/v2/query?org=\(Escaping.query(org))" }

    /// `Token <token>`, as the Go client's Authorization header.
    var authorization: String { "Token " + token }
}

/// Go's `url.QueryEscape`: letters, digits and `-_.~` kept, space as `+`, the rest `%XX`.
enum Escaping {
    static func query(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                bytes.append(byte)
            case UInt8(ascii: " "): bytes.append(UInt8(ascii: "+"))
            default: bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
