import AWSKit
import DriverJSON

/// The `list` response: S3's ListObjects (version 1) XML as Dapr returns it, which is
/// `json.Marshal` of aws-sdk-go-v2's `s3.ListObjectsOutput` (service/s3 v1.99): exported fields
/// in struct order, Go names as keys, absent pointers as `null`, absent enums as `""`, and the
/// `ResultMetadata` (unexported map) as `{}`.
enum ListResponse {
    static func json(_ result: XMLElement, requestCharged: String?) -> [UInt8] {
        var writer = GoJSONWriter()
        writer.byte("{")
        writer.raw("\"CommonPrefixes\":")
        list(result.all("CommonPrefixes"), into: &writer) { prefix, writer in
            writer.raw("{\"Prefix\":")
            optionalString(prefix.child("Prefix"), into: &writer)
            writer.byte("}")
        }
        writer.raw(",\"Contents\":")
        list(result.all("Contents"), into: &writer) { element, writer in object(element, into: &writer) }
        writer.raw(",\"Delimiter\":")
        optionalString(result.child("Delimiter"), into: &writer)
        writer.raw(",\"EncodingType\":")
        writer.string(result.child("EncodingType")?.text ?? "")
        writer.raw(",\"IsTruncated\":")
        optionalBool(result.child("IsTruncated"), into: &writer)
        writer.raw(",\"Marker\":")
        optionalString(result.child("Marker"), into: &writer)
        writer.raw(",\"MaxKeys\":")
        optionalInteger(result.child("MaxKeys"), into: &writer)
        writer.raw(",\"Name\":")
        optionalString(result.child("Name"), into: &writer)
        writer.raw(",\"NextMarker\":")
        optionalString(result.child("NextMarker"), into: &writer)
        writer.raw(",\"Prefix\":")
        optionalString(result.child("Prefix"), into: &writer)
        writer.raw(",\"RequestCharged\":")
        writer.string(requestCharged ?? "")
        writer.raw(",\"ResultMetadata\":{}}")
        return writer.bytes
    }

    /// One `types.Object`.
    private static func object(_ element: XMLElement, into writer: inout GoJSONWriter) {
        writer.raw("{\"ChecksumAlgorithm\":")
        list(element.all("ChecksumAlgorithm"), into: &writer) { algorithm, writer in writer.string(algorithm.text) }
        writer.raw(",\"ChecksumType\":")
        writer.string(element.child("ChecksumType")?.text ?? "")
        writer.raw(",\"ETag\":")
        optionalString(element.child("ETag"), into: &writer)
        writer.raw(",\"Key\":")
        optionalString(element.child("Key"), into: &writer)
        writer.raw(",\"LastModified\":")
        optionalTime(element.child("LastModified"), into: &writer)
        writer.raw(",\"Owner\":")
        if let owner = element.child("Owner") {
            writer.raw("{\"DisplayName\":")
            optionalString(owner.child("DisplayName"), into: &writer)
            writer.raw(",\"ID\":")
            optionalString(owner.child("ID"), into: &writer)
            writer.byte("}")
        } else {
            writer.raw("null")
        }
        writer.raw(",\"RestoreStatus\":")
        if let status = element.child("RestoreStatus") {
            writer.raw("{\"IsRestoreInProgress\":")
            optionalBool(status.child("IsRestoreInProgress"), into: &writer)
            writer.raw(",\"RestoreExpiryDate\":")
            optionalTime(status.child("RestoreExpiryDate"), into: &writer)
            writer.byte("}")
        } else {
            writer.raw("null")
        }
        writer.raw(",\"Size\":")
        optionalInteger(element.child("Size"), into: &writer)
        writer.raw(",\"StorageClass\":")
        writer.string(element.child("StorageClass")?.text ?? "")
        writer.byte("}")
    }

    /// A Go slice: `null` when S3 sent no element (the SDK leaves it nil), else an array.
    private static func list(
        _ elements: [XMLElement], into writer: inout GoJSONWriter,
        _ item: (XMLElement, inout GoJSONWriter) -> Void
    ) {
        guard !elements.isEmpty else { return writer.raw("null") }
        writer.byte("[")
        for (index, element) in elements.enumerated() {
            if index > 0 { writer.byte(",") }
            item(element, &writer)
        }
        writer.byte("]")
    }

    private static func optionalString(_ element: XMLElement?, into writer: inout GoJSONWriter) {
        guard let element else { return writer.raw("null") }
        writer.string(element.text)
    }

    private static func optionalBool(_ element: XMLElement?, into writer: inout GoJSONWriter) {
        switch element?.text {
        case "true", "1", "t", "T", "TRUE", "True": writer.raw("true")
        case nil: writer.raw("null")
        default: writer.raw("false")
        }
    }

    private static func optionalInteger(_ element: XMLElement?, into writer: inout GoJSONWriter) {
        guard let text = element?.text, let number = Int64(text) else { return writer.raw("null") }
        writer.raw(String(number))
    }

    private static func optionalTime(_ element: XMLElement?, into writer: inout GoJSONWriter) {
        guard let element else { return writer.raw("null") }
        writer.string(GoValues.time(element.text))
    }
}
