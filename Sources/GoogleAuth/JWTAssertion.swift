import DriverJSON
import DriverKit

/// The JWT a service account signs to ask for an access token (Google's "JWT bearer" grant,
/// RFC 7523): RS256, the key's ID as `kid`, the account as issuer, the token endpoint as
/// audience, valid for an hour.
enum JWTAssertion {
    /// Google's clients date the token 10 s back, so a clock slightly ahead of Google's is not
    /// refused as "issued in the future".
    static let clockSkew = 10
    static let lifetime = 3600

    static func make(
        _ account: GoogleServiceAccount, scopes: [String], now: Int
    ) throws(RSASigningKey.Failure) -> String {
        var header = GoJSONWriter()
        header.raw("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":")
        header.string(account.privateKeyID)
        header.raw("}")
        var claims = GoJSONWriter()
        claims.raw("{\"iss\":")
        claims.string(account.clientEmail)
        claims.raw(",\"scope\":")
        claims.string(scopes.joined(separator: " "))
        claims.raw(",\"aud\":")
        claims.string(account.tokenURI)
        let issued = now - clockSkew
        claims.raw(",\"iat\":\(issued),\"exp\":\(issued + lifetime)}")
        let signingInput = base64URL(header.bytes) + "." + base64URL(claims.bytes)
        let signature = try account.key.sign(Array(signingInput.utf8))
        return signingInput + "." + base64URL(signature)
    }

    /// Base64 with the URL alphabet and no padding (RFC 7515).
    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = ""
        text.reserveCapacity(bytes.count * 4 / 3 + 4)
        for byte in Base64.encode(bytes) {
            switch byte {
            case UInt8(ascii: "+"): text.append("-")
            case UInt8(ascii: "/"): text.append("_")
            case UInt8(ascii: "="): continue
            default: text.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return text
    }
}
