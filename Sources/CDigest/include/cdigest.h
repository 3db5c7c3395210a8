/* SHA-256 for the host's content-addressed driver copies. In C, compiled with -O2 even in debug
 * builds: the Swift version took a second per start of a debug bindery to hash its drivers. */
#ifndef CDIGEST_H
#define CDIGEST_H

#include <stddef.h>
#include <stdint.h>

/* Writes the SHA-256 (FIPS 180-4) of data[0..<length] into digest. */
void cdigest_sha256(const uint8_t *data, size_t length, uint8_t digest[32]);

#endif
