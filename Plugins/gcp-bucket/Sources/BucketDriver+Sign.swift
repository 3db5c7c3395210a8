import DriverJSON
import DriverKit
import Glibc

extension BucketDriver {
    /// A V4 signed GET URL for the object, valid for signTTL, signed with the service account's
    /// key (the object need not exist, as in Go's client: signing is local).
    func sign(_ request: InvokeRequest) throws -> InvokeResponse {
        let options = settings.defaults.overridden(by: request.metadata)
        let key = try requiredKey(request)
        guard let ttl = options.signTTL else {
            throw DriverError(
                .invalidArgument, "gcp bucket binding error: required metadata '\(BucketKey.signTTL.rawValue)' missing")
        }
        let seconds = try BucketOptions.signSeconds(ttl)
        let failure = "gcp bucket binding error: Bucket(\"\(settings.bucket)\").SignedURL"
        guard let email = client.access.clientEmail else {
            throw DriverError(
                .invalidArgument,
                "\(failure): \(client.component): signing needs a service account key (privateKeyID, privateKey, clientEmail, or GOOGLE_APPLICATION_CREDENTIALS)"
            )
        }
        var url = SignedURL(bucket: settings.bucket, object: key, clientEmail: email, seconds: seconds, now: time(nil))
        // On an emulator the URL points at it, as Go's client uses its host for signed URLs.
        if client.access.usesEmulator, let schemeEnd = client.baseURL.firstRange(of: "://") {
            url.scheme = String(client.baseURL[..<schemeEnd.lowerBound])
            url.host = String(client.baseURL[schemeEnd.upperBound...].prefix { $0 != "/" })
        }
        let signature: [UInt8]
        do { signature = try client.access.sign(Array(url.stringToSign().text.utf8)) } catch {
            throw DriverError(error.code, "\(failure): \(error.message)")
        }
        var writer = GoJSONWriter()
        writer.raw("{\"signURL\":")
        writer.string(url.url(signature: signature))
        writer.byte("}")
        return InvokeResponse(data: writer.bytes)
    }
}
