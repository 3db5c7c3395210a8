import COpenSSL

/// A service account's RSA private key, read once from PEM; signs with RS256 (RSASSA-PKCS1-v1_5
/// over SHA-256), as Google's token endpoint and GCS V4 signed URLs ask. OpenSSL does the RSA.
///
/// `@unchecked Sendable`: the key is never changed after loading, and OpenSSL 3 allows one key
/// to sign on several threads at once, each call with its own digest context.
public final class RSASigningKey: @unchecked Sendable {
    /// Why a key could not be read or used, in OpenSSL's words; never the key itself.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    private let key: OpaquePointer

    /// Reads a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM key. An
    /// encrypted key is refused (no passphrase is ever asked for on a terminal).
    public init(pem: String) throws(Failure) {
        var text = Array(pem.utf8)
        guard !text.isEmpty else { throw Failure(reason: "it is empty") }
        guard text.count < 1 << 20 else { throw Failure(reason: "it is larger than 1 MiB, not a PEM key") }
        ERR_clear_error()
        let loaded: OpaquePointer? = text.withUnsafeMutableBytes { bytes in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            // An empty passphrase instead of OpenSSL's default callback, which would prompt.
            return "".withCString { empty in
                PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: empty))
            }
        }
        guard let loaded else {
            throw Failure(reason: "it is not a PEM private key (\(RSASigningKey.openSSLError()))")
        }
        guard EVP_PKEY_get_base_id(loaded) == EVP_PKEY_RSA else {
            EVP_PKEY_free(loaded)
            throw Failure(reason: "it is not an RSA key (Google service accounts use RSA)")
        }
        // OpenSSL 3's decoders may queue errors from the formats they tried first; this thread's
        // next OpenSSL caller (libcurl's TLS) must not find them.
        ERR_clear_error()
        key = loaded
    }

    deinit { EVP_PKEY_free(key) }

    /// The RS256 signature of `data`.
    public func sign(_ data: [UInt8]) throws(Failure) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw Failure(reason: "out of memory") }
        defer { EVP_MD_CTX_free(context) }
        ERR_clear_error()
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            throw Failure(reason: "cannot start signing: \(RSASigningKey.openSSLError())")
        }
        var length = 0
        let signed: [UInt8]? = data.withUnsafeBufferPointer { input in
            guard EVP_DigestSign(context, nil, &length, input.baseAddress, input.count) == 1 else { return nil }
            var signature = [UInt8](repeating: 0, count: length)
            let done = signature.withUnsafeMutableBufferPointer { output in
                EVP_DigestSign(context, output.baseAddress, &length, input.baseAddress, input.count)
            }
            return done == 1 ? Array(signature.prefix(length)) : nil
        }
        guard let signed else { throw Failure(reason: "cannot sign: \(RSASigningKey.openSSLError())") }
        return signed
    }

    /// The reason of OpenSSL's oldest queued error, then clears the queue.
    private static func openSSLError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0, let reason = ERR_reason_error_string(code) else { return "no reason given" }
        return String(cString: reason)
    }
}
