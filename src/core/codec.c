/* SPDX-License-Identifier: GPL-3.0-or-later */
/* codec.c - base64, MD5, HMAC-MD5 and hex for SMTP AUTH
 *
 * Implements base64 as RFC 4648 4 defines it (with padding, strict on
 * decode), the MD5 message digest of RFC 1321 3 and HMAC of RFC 2104 2
 * with MD5 as the hash (B = 64, L = 16).  Words are assembled from bytes
 * explicitly, so the result does not depend on the host's byte order or
 * on the alignment of the caller's buffers.
 */
#include <config.h>

#include "core/codec.h"

#include <limits.h>
#include <string.h>

/* ---- base64 (RFC 4648 4) ------------------------------------------------- */

/* b64_put - the quantum v (24 bits) as n characters (2 to 4) and '=' pads */
static void b64_put(char *out, uint32_t v, int n)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int k;

	for (k = 0; k < 4; k++)
		out[k] = k < n ? alphabet[(v >> (18 - 6 * k)) & 0x3f] : '=';
}

int codec_b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* codec_b64_encode - base64 of in[0..len) into out, NUL-terminated */
long codec_b64_encode(const void *in, size_t len, char *out, size_t size)
{
	const unsigned char *p = in;
	size_t quanta = len / 3 + (len % 3 != 0), i, o = 0;

	if (size == 0 || quanta > (size - 1) / 4 || quanta > LONG_MAX / 4)
		return -1;
	for (i = 0; len - i >= 3; i += 3, o += 4)
		b64_put(out + o, (uint32_t)p[i] << 16 |
		    (uint32_t)p[i + 1] << 8 | p[i + 2], 4);
	if (len - i == 1) {
		b64_put(out + o, (uint32_t)p[i] << 16, 2);
		o += 4;
	} else if (len - i == 2) {
		b64_put(out + o, (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8,
		    3);
		o += 4;
	}
	out[o] = '\0';
	return (long)o;
}

/* codec_b64_decode - strict base64 decode; nothing is written on error */
long codec_b64_decode(const char *s, size_t len, unsigned char *out,
    size_t size)
{
	size_t pad = 0, n, i, o = 0;
	uint32_t acc = 0;
	int bits = 0;

	if (len % 4 != 0)
		return -1;
	if (len == 0)
		return 0;
	/* '=' only as the last one or two characters (RFC 4648 3.2, 4) */
	if (s[len - 1] == '=')
		pad = s[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len - pad; i++)
		if (codec_b64_value((unsigned char)s[i]) < 0)
			return -1;
	/* the bits below the last whole octet must be zero (RFC 4648 3.5) */
	if (pad > 0 && (codec_b64_value((unsigned char)s[len - pad - 1]) &
	    (pad == 1 ? 0x03 : 0x0f)) != 0)
		return -1;
	n = len / 4 * 3 - pad;
	if (n > size || n > LONG_MAX)
		return -1;
	for (i = 0; i < len - pad; i++) {
		acc = (acc << 6 | (uint32_t)codec_b64_value((unsigned char)s[i])) &
		    0xfff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	return (long)o;
}

/* ---- MD5 (RFC 1321 3) ---------------------------------------------------- */

struct md5 {
	uint32_t state[4];	/* A, B, C, D */
	uint64_t count;		/* the message length so far, in bytes */
	unsigned char buf[64];	/* the partial block, count % 64 bytes */
};

/* load32 - the little-endian word at p (RFC 1321 2: low-order byte first) */
static uint32_t load32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* store32 - the word v at p, low-order byte first */
static void store32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* rotl - v rotated left by s bits, 0 < s < 32 */
static uint32_t rotl(uint32_t v, unsigned s)
{
	return v << s | v >> (32 - s);
}

/* md5_block - process one 64-byte block (RFC 1321 3.4) */
static void md5_block(uint32_t state[4], const unsigned char *p)
{
	/* T[i] = floor(4294967296 * abs(sin(i + 1))) */
	static const uint32_t T[64] = {
		0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
		0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
		0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
		0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
		0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
		0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
		0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
		0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
		0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
		0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
		0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
		0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
		0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
		0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
		0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
		0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
	};
	/* the shift amounts of rounds 1 to 4 */
	static const unsigned char S[4][4] = {
		{ 7, 12, 17, 22 },
		{ 5, 9, 14, 20 },
		{ 4, 11, 16, 23 },
		{ 6, 10, 15, 21 },
	};
	uint32_t X[16], a = state[0], b = state[1], c = state[2], d = state[3];
	uint32_t f, t;
	unsigned i, k;

	for (i = 0; i < 16; i++)
		X[i] = load32(p + 4 * i);
	for (i = 0; i < 64; i++) {
		switch (i / 16) {
		case 0:		/* F(X,Y,Z) = XY v not(X) Z */
			f = (b & c) | (~b & d);
			k = i;
			break;
		case 1:		/* G(X,Y,Z) = XZ v Y not(Z) */
			f = (b & d) | (c & ~d);
			k = (5 * i + 1) % 16;
			break;
		case 2:		/* H(X,Y,Z) = X xor Y xor Z */
			f = b ^ c ^ d;
			k = (3 * i + 5) % 16;
			break;
		default:	/* I(X,Y,Z) = Y xor (X v not(Z)) */
			f = c ^ (b | ~d);
			k = (7 * i) % 16;
			break;
		}
		/* a = b + ((a + f(b,c,d) + X[k] + T[i]) <<< s), then the
		 * registers turn: the next step works on (d, a, b, c) */
		t = d;
		d = c;
		c = b;
		b = b + rotl(a + f + X[k] + T[i], S[i / 16][i % 4]);
		a = t;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
}

/* md5_init - the initial state of RFC 1321 3.3 */
static void md5_init(struct md5 *m)
{
	m->state[0] = 0x67452301;
	m->state[1] = 0xefcdab89;
	m->state[2] = 0x98badcfe;
	m->state[3] = 0x10325476;
	m->count = 0;
}

/* md5_update - add data[0..len) to the message */
static void md5_update(struct md5 *m, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t used = (size_t)(m->count % 64), take;

	if (len == 0)
		return;
	m->count += len;
	if (used > 0) {
		take = 64 - used < len ? 64 - used : len;
		memcpy(m->buf + used, p, take);
		p += take;
		len -= take;
		if (used + take < 64)
			return;
		md5_block(m->state, m->buf);
	}
	for (; len >= 64; p += 64, len -= 64)
		md5_block(m->state, p);
	if (len > 0)
		memcpy(m->buf, p, len);
}

/* md5_final - pad (RFC 1321 3.1, 3.2) and write the digest (3.5) */
static void md5_final(struct md5 *m, unsigned char out[CODEC_MD5_LEN])
{
	size_t used = (size_t)(m->count % 64);
	uint64_t bits = m->count << 3;
	int i;

	m->buf[used++] = 0x80;
	if (used > 56) {
		memset(m->buf + used, 0, 64 - used);
		md5_block(m->state, m->buf);
		used = 0;
	}
	memset(m->buf + used, 0, 56 - used);
	store32(m->buf + 56, (uint32_t)(bits & 0xffffffff));
	store32(m->buf + 60, (uint32_t)(bits >> 32));
	md5_block(m->state, m->buf);
	for (i = 0; i < 4; i++)
		store32(out + 4 * i, m->state[i]);
}

/* wipe - clear n bytes at p in a way the compiler does not drop */
static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

/* codec_md5 - the MD5 digest of data[0..len) */
void codec_md5(const void *data, size_t len, unsigned char out[CODEC_MD5_LEN])
{
	struct md5 m;

	md5_init(&m);
	md5_update(&m, data, len);
	md5_final(&m, out);
	wipe(&m, sizeof m);
}

/* ---- HMAC-MD5 (RFC 2104 2) ----------------------------------------------- */

#define HMAC_B 64	/* the byte length of an MD5 block */

/* codec_hmac_md5 - H(K XOR opad, H(K XOR ipad, text)) with H = MD5 */
void codec_hmac_md5(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[CODEC_MD5_LEN])
{
	unsigned char k[HMAC_B], pad[HMAC_B], inner[CODEC_MD5_LEN];
	struct md5 m;
	size_t i;

	/* a key longer than B is hashed first; K is padded with zeros to B */
	memset(k, 0, sizeof k);
	if (keylen > HMAC_B)
		codec_md5(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);

	for (i = 0; i < HMAC_B; i++)
		pad[i] = k[i] ^ 0x36;
	md5_init(&m);
	md5_update(&m, pad, sizeof pad);
	md5_update(&m, msg, msglen);
	md5_final(&m, inner);

	for (i = 0; i < HMAC_B; i++)
		pad[i] = k[i] ^ 0x5c;
	md5_init(&m);
	md5_update(&m, pad, sizeof pad);
	md5_update(&m, inner, sizeof inner);
	md5_final(&m, out);

	wipe(k, sizeof k);
	wipe(pad, sizeof pad);
	wipe(inner, sizeof inner);
	wipe(&m, sizeof m);
}

/* ---- hex ----------------------------------------------------------------- */

/* codec_hex - lower-case hex of in[0..len) into out, NUL-terminated */
void codec_hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}
