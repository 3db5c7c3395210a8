// What GoogleAuth uses of Debian's libcrypto (OpenSSL 3): reading a PEM private key and signing
// with it (RSASSA-PKCS1-v1_5 over SHA-256, the RS256 of JWTs and GCS V4 signed URLs).
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
