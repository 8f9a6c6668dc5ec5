/* SPDX-License-Identifier: GPL-3.0-or-later */
/* codec.h - base64, MD5, HMAC-MD5 and hex for SMTP AUTH
 *
 * RFC 4648 4 (base64), RFC 1321 (MD5), RFC 2104 (HMAC), as AUTH PLAIN
 * (RFC 4616) and AUTH CRAM-MD5 (RFC 2195) use them.  Pure functions: no
 * I/O, no globals, no allocation; byte order independent of the host.
 * MD5 is kept for CRAM-MD5 only and is not a secure hash.
 */
#ifndef SMTPREF_CODEC_H
#define SMTPREF_CODEC_H

#include <stddef.h>
#include <stdint.h>

/* codec_b64_encode - base64 (RFC 4648 4, with padding) of in[0..len) into out
 * (size bytes, NUL-terminated); returns the encoded length, or -1 when it does
 * not fit.  On -1 nothing is written. */
long codec_b64_encode(const void *in, size_t len, char *out, size_t size);

/* codec_b64_decode - strict decode of base64 text s[0..len) into out (size
 * bytes); returns the decoded length, or -1 on any character outside the
 * alphabet, bad padding, a length that is not a multiple of 4, non-zero pad
 * bits, or no room.  An empty input decodes to length 0.  White space is not
 * allowed.  The output is not NUL-terminated; on -1 nothing is written. */
long codec_b64_decode(const char *s, size_t len, unsigned char *out,
    size_t size);

/* codec_b64_value - the value (0 to 63) of a base64 alphabet character
 * (RFC 4648 4), or -1 for any other (padding, white space) */
int codec_b64_value(int c);

#define CODEC_MD5_LEN 16

/* codec_md5 - the MD5 digest (RFC 1321) of data[0..len) */
void codec_md5(const void *data, size_t len, unsigned char out[CODEC_MD5_LEN]);

/* codec_hmac_md5 - HMAC-MD5 (RFC 2104) of msg[0..msglen), key[0..keylen) */
void codec_hmac_md5(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[CODEC_MD5_LEN]);

/* codec_hex - lower-case hex of in[0..len) into out (2*len+1 bytes) */
void codec_hex(const unsigned char *in, size_t len, char *out);

#endif
