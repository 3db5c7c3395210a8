import DriverJSON
import DriverKit

/// One object of a listing as Go's `storage.ObjectAttrs` (cloud.google.com/go/storage v1.50,
/// the version Dapr builds with), marshalled by `encoding/json` with its Go field names, from
/// the JSON API's object resource: what `list` and `bulkGet` answer with in Dapr.
enum ObjectAttributes {
    /// `resource` (an object resource) as ObjectAttrs JSON.
    static func write(_ resource: JSONValue, into writer: inout GoJSONWriter) {
        let text = { (key: String) in resource[key]?.string ?? "" }
        writer.raw("{\"Bucket\":")
        writer.string(text("bucket"))
        writer.raw(",\"Name\":")
        writer.string(text("name"))
        for (field, key) in [
            ("ContentType", "contentType"), ("ContentLanguage", "contentLanguage"), ("CacheControl", "cacheControl"),
        ] {
            writer.raw(",\"\(field)\":")
            writer.string(text(key))
        }
        writer.raw(",\"EventBasedHold\":\(flag(resource["eventBasedHold"]))")
        writer.raw(",\"TemporaryHold\":\(flag(resource["temporaryHold"]))")
        writer.raw(",\"RetentionExpirationTime\":")
        writer.string(GoValues.time(resource["retentionExpirationTime"]?.string))
        writer.raw(",\"ACL\":")
        writeACL(resource["acl"]?.array ?? [], into: &writer)
        writer.raw(",\"PredefinedACL\":\"\",\"Owner\":")
        writer.string(resource["owner"]?["entity"]?.string ?? "")
        writer.raw(",\"Size\":\(integer(resource["size"]))")
        writer.raw(",\"ContentEncoding\":")
        writer.string(text("contentEncoding"))
        writer.raw(",\"ContentDisposition\":")
        writer.string(text("contentDisposition"))
        // Go decodes md5Hash from base64 into []byte and marshals it back as base64 (an
        // undecodable one as ""); crc32c becomes the uint32 its base64 encodes.
        writer.raw(",\"MD5\":")
        writer.string(Base64.decodedOrEmpty(text("md5Hash")))
        writer.raw(",\"CRC32C\":\(crc32c(text("crc32c")))")
        writer.raw(",\"MediaLink\":")
        writer.string(text("mediaLink"))
        writer.raw(",\"Metadata\":")
        writeMetadata(resource["metadata"], into: &writer)
        writer.raw(",\"Generation\":\(integer(resource["generation"]))")
        writer.raw(",\"Metageneration\":\(integer(resource["metageneration"]))")
        writer.raw(",\"StorageClass\":")
        writer.string(text("storageClass"))
        for (field, key) in [("Created", "timeCreated"), ("Deleted", "timeDeleted"), ("Updated", "updated")] {
            writer.raw(",\"\(field)\":")
            writer.string(GoValues.time(resource[key]?.string))
        }
        writer.raw(",\"CustomerKeySHA256\":")
        writer.string(resource["customerEncryption"]?["keySha256"]?.string ?? "")
        writer.raw(",\"KMSKeyName\":")
        writer.string(text("kmsKeyName"))
        writer.raw(",\"Prefix\":\"\",\"Etag\":")
        writer.string(text("etag"))
        writer.raw(",\"CustomTime\":")
        writer.string(GoValues.time(resource["customTime"]?.string))
        writer.raw(",\"ComponentCount\":\(integer(resource["componentCount"]))")
        writer.raw(",\"Retention\":")
        if let retention = resource["retention"], case .object = retention {
            writer.raw("{\"Mode\":")
            writer.string(retention["mode"]?.string ?? "")
            writer.raw(",\"RetainUntil\":")
            writer.string(GoValues.time(retention["retainUntilTime"]?.string))
            writer.byte("}")
        } else {
            writer.raw("null")
        }
        for (field, key) in [("SoftDeleteTime", "softDeleteTime"), ("HardDeleteTime", "hardDeleteTime")] {
            writer.raw(",\"\(field)\":")
            writer.string(GoValues.time(resource[key]?.string))
        }
        writer.byte("}")
    }

    /// The synthetic entry Go's iterator adds for each common prefix of a delimited listing.
    static func writePrefix(_ prefix: String, into writer: inout GoJSONWriter) {
        let zero = "\"0001-01-01T00:00:00Z\""
        writer.raw(
            "{\"Bucket\":\"\",\"Name\":\"\",\"ContentType\":\"\",\"ContentLanguage\":\"\",\"CacheControl\":\"\",\"EventBasedHold\":false,\"TemporaryHold\":false,\"RetentionExpirationTime\":\(zero),\"ACL\":null,\"PredefinedACL\":\"\",\"Owner\":\"\",\"Size\":0,\"ContentEncoding\":\"\",\"ContentDisposition\":\"\",\"MD5\":null,\"CRC32C\":0,\"MediaLink\":\"\",\"Metadata\":null,\"Generation\":0,\"Metageneration\":0,\"StorageClass\":\"\",\"Created\":\(zero),\"Deleted\":\(zero),\"Updated\":\(zero),\"CustomerKeySHA256\":\"\",\"KMSKeyName\":\"\",\"Prefix\":"
        )
        writer.string(prefix)
        writer.raw(
            ",\"Etag\":\"\",\"CustomTime\":\(zero),\"ComponentCount\":0,\"Retention\":null,\"SoftDeleteTime\":\(zero),\"HardDeleteTime\":\(zero)}"
        )
    }

    private static func flag(_ value: JSONValue?) -> String {
        if case .bool(true)? = value { return "true" }
        return "false"
    }

    /// An int64 the JSON API sends as a string ("5") or a number.
    private static func integer(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: Int64(text).map(String.init) ?? "0"
        case .number(let text)?: Int64(text).map(String.init) ?? "0"
        default: "0"
        }
    }

    private static func crc32c(_ text: String) -> String {
        guard let bytes = try? Base64.decode(Array(text.utf8)), bytes.count == 4 else { return "0" }
        return String(bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    private static func writeACL(_ rules: [JSONValue], into writer: inout GoJSONWriter) {
        guard !rules.isEmpty else { return writer.raw("null") }
        writer.byte("[")
        for (index, rule) in rules.enumerated() {
            if index > 0 { writer.byte(",") }
            writer.raw("{\"Entity\":")
            writer.string(rule["entity"]?.string ?? "")
            for (field, key) in [("EntityID", "entityId"), ("Role", "role"), ("Domain", "domain"), ("Email", "email")] {
                writer.raw(",\"\(field)\":")
                writer.string(rule[key]?.string ?? "")
            }
            writer.raw(",\"ProjectTeam\":")
            if let team = rule["projectTeam"], case .object = team {
                writer.raw("{\"ProjectNumber\":")
                writer.string(team["projectNumber"]?.string ?? "")
                writer.raw(",\"Team\":")
                writer.string(team["team"]?.string ?? "")
                writer.byte("}")
            } else {
                writer.raw("null")
            }
            writer.byte("}")
        }
        writer.byte("]")
    }

    /// User metadata as Go marshals a `map[string]string`: keys sorted, or null when absent.
    private static func writeMetadata(_ value: JSONValue?, into writer: inout GoJSONWriter) {
        guard case .object(let members)? = value else { return writer.raw("null") }
        writer.byte("{")
        for (index, member) in members.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
            .enumerated()
        {
            if index > 0 { writer.byte(",") }
            writer.string(member.key)
            writer.byte(":")
            writer.string(member.value.string ?? "")
        }
        writer.byte("}")
    }
}

extension Base64 {
    /// `text` decoded and encoded again (Go's `[]byte` round trip); "" when it is not base64.
    static func decodedOrEmpty(_ text: String) -> String {
        guard let bytes = try? Base64.decode(Array(text.utf8)) else { return "" }
        return Base64.encodedString(bytes)
    }
}
