// libcurl for CurlTransport (HTTPS for bindings.http and the drivers after it). Swift cannot call C variadic functions, so every
// curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt form the driver uses has a typed
// wrapper here, one per argument type (curl reads the argument as that type: see
// curl_easy_setopt(3), "The argument ... is a long / a char * / a curl_off_t ...").
#include <curl/curl.h>

static inline CURLcode bd_curl_setopt_long(CURL *easy, CURLoption option, long value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode bd_curl_setopt_string(CURL *easy, CURLoption option, const char *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode bd_curl_setopt_pointer(CURL *easy, CURLoption option, void *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode bd_curl_setopt_offset(CURL *easy, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode bd_curl_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode bd_curl_setopt_blob(CURL *easy, CURLoption option, struct curl_blob *value) {
    return curl_easy_setopt(easy, option, value);
}

/** The signature of CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION. */
typedef size_t (*bd_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode bd_curl_setopt_callback(CURL *easy, CURLoption option, bd_curl_data_callback value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode bd_curl_getinfo_long(CURL *easy, CURLINFO info, long *value) {
    return curl_easy_getinfo(easy, info, value);
}

/** The easy handle and result of a CURLMSG_DONE message (the result sits in a union). */
static inline CURLcode bd_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}
