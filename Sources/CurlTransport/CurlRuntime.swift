import CCurl

/// libcurl's process-wide state.
public enum CurlRuntime {
    /// `curl_global_init` is not thread-safe in general (curl_global_init(3)), so it runs
    /// exactly once per loaded image, inside Swift's thread-safe lazy initialisation of a global.
    /// Hot swaps load private copies of this library, each with its own copy of this value;
    /// libcurl counts init calls and, when built "threadsafe" (7.84+, Debian's is), serialises
    /// them, so a second image's call is safe. We never call curl_global_cleanup: images are
    /// never unloaded and other copies may still use curl.
    private static let initResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Initialises libcurl once; throws when it could not.
    public static func initialize() throws(CurlError) {
        let result = initResult
        guard result == CURLE_OK else {
            throw CurlError(.internalError, "curl_global_init failed: \(String(cString: curl_easy_strerror(result)))")
        }
    }

    /// The libcurl version string, e.g. "libcurl/7.88.1 OpenSSL/3.0.15 …".
    public static var version: String { String(cString: curl_version()) }
}
