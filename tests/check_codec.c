/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_codec.c - base64, MD5, HMAC-MD5 and hex against the RFC vectors */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "core/codec.h"

/* md5_is - the MD5 of the string s is the hex digest want */
static void md5_is(const char *s, const char *want)
{
	unsigned char d[CODEC_MD5_LEN];
	char hex[2 * CODEC_MD5_LEN + 1];

	codec_md5(s, strlen(s), d);
	codec_hex(d, sizeof d, hex);
	ck_assert_str_eq(hex, want);
}

/* hmac_is - HMAC-MD5 of msg[0..msglen) under key[0..keylen) is want */
static void hmac_is(const void *key, size_t keylen, const void *msg,
    size_t msglen, const char *want)
{
	unsigned char d[CODEC_MD5_LEN];
	char hex[2 * CODEC_MD5_LEN + 1];

	codec_hmac_md5(key, keylen, msg, msglen, d);
	codec_hex(d, sizeof d, hex);
	ck_assert_str_eq(hex, want);
}

/* enc_is - the base64 of the string s is want */
static void enc_is(const char *s, const char *want)
{
	char out[64];

	ck_assert_int_eq(codec_b64_encode(s, strlen(s), out, sizeof out),
	    (long)strlen(want));
	ck_assert_str_eq(out, want);
}

/* dec_is - the base64 text s decodes to the string want */
static void dec_is(const char *s, const char *want)
{
	unsigned char out[64];
	long n = codec_b64_decode(s, strlen(s), out, sizeof out);

	ck_assert_int_eq(n, (long)strlen(want));
	ck_assert(!memcmp(out, want, (size_t)n));
}

/* dec_fails - the base64 text s is refused and the output left alone */
static void dec_fails(const char *s)
{
	unsigned char out[64];
	size_t i;

	memset(out, 0xa5, sizeof out);
	ck_assert_msg(codec_b64_decode(s, strlen(s), out, sizeof out) == -1,
	    "\"%s\" was accepted", s);
	for (i = 0; i < sizeof out; i++)
		ck_assert_int_eq(out[i], 0xa5);
}

/* RFC 1321 A.5, the test suite */
START_TEST(md5_rfc1321)
{
	md5_is("", "d41d8cd98f00b204e9800998ecf8427e");
	md5_is("a", "0cc175b9c0f1b6a831c399e269772661");
	md5_is("abc", "900150983cd24fb0d6963f7d28e17f72");
	md5_is("message digest", "f96b697d7cb7938d525a2f31aaf161d0");
	md5_is("abcdefghijklmnopqrstuvwxyz",
	    "c3fcd3d76192e4007dfb496cca67e13b");
	md5_is("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	    "d174ab98d277d9f5a5611c2c9f419d9f");
	md5_is("1234567890123456789012345678901234567890"
	       "1234567890123456789012345678901234567890",
	    "57edf4a22be3c955ac49da2e2107b67a");
}
END_TEST

/* Lengths around the 56-byte padding limit and the 64-byte block. */
START_TEST(md5_padding_boundaries)
{
	static const struct {
		size_t len;
		const char *md5;
	} v[] = {
		{ 55, "ef1772b6dff9a122358552954ad0df65" },
		{ 56, "3b0c8ac703f828b04c6c197006d17218" },
		{ 57, "652b906d60af96844ebd21b674f35e93" },
		{ 63, "b06521f39153d618550606be297466d5" },
		{ 64, "014842d480b571495a4a0363793f7367" },
		{ 65, "c743a45e0d2e6a95cb859adae0248435" },
		{ 119, "8a7bd0732ed6a28ce75f6dabc90e1613" },
		{ 120, "5f61c0ccad4cac44c75ff505e1f1e537" },
		{ 128, "e510683b3f5ffe4093d021808bc6ff70" },
	};
	char a[129];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		memset(a, 'a', v[i].len);
		a[v[i].len] = '\0';
		md5_is(a, v[i].md5);
	}
}
END_TEST

/* Input at an odd address, and no input at all. */
START_TEST(md5_unaligned_and_empty)
{
	static const char msg[] = "xmessage digest";
	unsigned char buf[sizeof msg + 8], d[CODEC_MD5_LEN];
	char hex[2 * CODEC_MD5_LEN + 1];
	size_t off;

	for (off = 1; off < 8; off++) {
		memcpy(buf + off, msg + 1, sizeof msg - 1);
		codec_md5(buf + off, sizeof msg - 2, d);
		codec_hex(d, sizeof d, hex);
		ck_assert_str_eq(hex, "f96b697d7cb7938d525a2f31aaf161d0");
	}
	codec_md5(NULL, 0, d);
	codec_hex(d, sizeof d, hex);
	ck_assert_str_eq(hex, "d41d8cd98f00b204e9800998ecf8427e");
}
END_TEST

/* RFC 2104, Appendix: the three sample results */
START_TEST(hmac_rfc2104)
{
	unsigned char key[16], data[50];

	memset(key, 0x0b, sizeof key);
	hmac_is(key, 16, "Hi There", 8, "9294727a3638bb1c13f48ef8158bfc9d");
	hmac_is("Jefe", 4, "what do ya want for nothing?", 28,
	    "750c783e6ab0b503eaa86e310a5db738");
	memset(key, 0xaa, sizeof key);
	memset(data, 0xdd, sizeof data);
	hmac_is(key, 16, data, 50, "56be34521d144c88dbb8c733f0e8b3f6");
}
END_TEST

/* RFC 2202 2, test cases 1 to 7 for HMAC-MD5 */
START_TEST(hmac_rfc2202)
{
	static const char big1[] =
	    "Test Using Larger Than Block-Size Key - Hash Key First";
	static const char big2[] = "Test Using Larger Than Block-Size Key "
				   "and Larger Than One Block-Size Data";
	unsigned char key[80], data[50], d[CODEC_MD5_LEN];
	char hex[2 * CODEC_MD5_LEN + 1];
	size_t i;

	memset(key, 0x0b, 16);
	hmac_is(key, 16, "Hi There", 8, "9294727a3638bb1c13f48ef8158bfc9d");
	hmac_is("Jefe", 4, "what do ya want for nothing?", 28,
	    "750c783e6ab0b503eaa86e310a5db738");
	memset(key, 0xaa, 16);
	memset(data, 0xdd, sizeof data);
	hmac_is(key, 16, data, 50, "56be34521d144c88dbb8c733f0e8b3f6");

	for (i = 0; i < 25; i++)
		key[i] = (unsigned char)(i + 1);
	memset(data, 0xcd, sizeof data);
	hmac_is(key, 25, data, 50, "697eaf0aca3a3aea3a75164746ffaa79");

	memset(key, 0x0c, 16);
	codec_hmac_md5(key, 16, "Test With Truncation", 20, d);
	codec_hex(d, sizeof d, hex);
	ck_assert_str_eq(hex, "56461ef2342edc00f9bab995690efd4c");
	ck_assert(!strncmp(hex, "56461ef2342edc00f9bab995", 24)); /* -96 */

	/* keys longer than the 64-byte block are hashed first */
	memset(key, 0xaa, 80);
	hmac_is(key, 80, big1, strlen(big1),
	    "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");
	hmac_is(key, 80, big2, strlen(big2),
	    "6f630fad67cda0ee1fb1f562db3aa53e");
}
END_TEST

/* RFC 2195 2: the CRAM-MD5 exchange, from the challenge to the response */
START_TEST(cram_md5_rfc2195)
{
	static const char challenge[] =
	    "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+";
	static const char ts[] = "<1896.697170952@postoffice.reston.mci.net>";
	unsigned char msg[64], d[CODEC_MD5_LEN];
	char line[64], out[128];
	long n;

	n = codec_b64_decode(challenge, strlen(challenge), msg, sizeof msg);
	ck_assert_int_eq(n, (long)strlen(ts));
	ck_assert(!memcmp(msg, ts, (size_t)n));

	codec_hmac_md5("tanstaaftanstaaf", 16, msg, (size_t)n, d);
	memcpy(line, "tim ", 4);
	codec_hex(d, sizeof d, line + 4);
	ck_assert_str_eq(line, "tim b913a602c7eda7a495b4e6e7334d3890");

	ck_assert_int_eq(codec_b64_encode(line, strlen(line), out, sizeof out),
	    48);
	ck_assert_str_eq(out, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
}
END_TEST

/* RFC 4648 10, the test vectors */
START_TEST(b64_encode_rfc4648)
{
	enc_is("", "");
	enc_is("f", "Zg==");
	enc_is("fo", "Zm8=");
	enc_is("foo", "Zm9v");
	enc_is("foob", "Zm9vYg==");
	enc_is("fooba", "Zm9vYmE=");
	enc_is("foobar", "Zm9vYmFy");
}
END_TEST

START_TEST(b64_decode_rfc4648)
{
	dec_is("", "");
	dec_is("Zg==", "f");
	dec_is("Zm8=", "fo");
	dec_is("Zm9v", "foo");
	dec_is("Zm9vYg==", "foob");
	dec_is("Zm9vYmE=", "fooba");
	dec_is("Zm9vYmFy", "foobar");
	dec_is("+/+/", "\xfb\xff\xbf");
}
END_TEST

/* RFC 4616 2: AUTH PLAIN sends authzid NUL authcid NUL passwd */
START_TEST(b64_auth_plain)
{
	static const char plain[] = "\0alice\0secret";
	unsigned char back[32];
	char out[32];

	ck_assert_int_eq(codec_b64_encode(plain, sizeof plain - 1, out,
	    sizeof out), 20);
	ck_assert_str_eq(out, "AGFsaWNlAHNlY3JldA==");
	ck_assert_int_eq(codec_b64_decode(out, 20, back, sizeof back),
	    (long)sizeof plain - 1);
	ck_assert(!memcmp(back, plain, sizeof plain - 1));
}
END_TEST

START_TEST(b64_decode_rejects)
{
	unsigned char out[8];

	/* characters outside the alphabet, white space included */
	dec_fails("Zm9v!A==");
	dec_fails("Zm9-");		/* base64url, RFC 4648 5 */
	dec_fails("Zm9_");
	dec_fails("Zm9 ");
	dec_fails(" Zm9v");
	dec_fails("Zm9v\r\n");
	dec_fails("Zm9vYmFy\n");
	dec_fails("Zm\xc3\xa9");
	ck_assert_int_eq(codec_b64_decode("Zm\0v", 4, out, sizeof out), -1);
	/* padding in the wrong place or of the wrong length */
	dec_fails("QQ=");
	dec_fails("Q===");
	dec_fails("====");
	dec_fails("=QQQ");
	dec_fails("QQ=Q");
	dec_fails("Q=QQ");
	dec_fails("QQ==QQ==");
	dec_fails("Zm8=Zm9v");
	/* a length that is not a multiple of 4 */
	dec_fails("Q");
	dec_fails("QQ");
	dec_fails("Zm9");
	dec_fails("Zm9vY");
	/* non-zero pad bits (RFC 4648 3.5) */
	dec_fails("QR==");
	dec_fails("QQ9=");
	dec_fails("QUJ=");
	dec_is("QQ==", "A");
	dec_is("QUI=", "AB");
	/* no room */
	ck_assert_int_eq(codec_b64_decode("Zm9vYmFy", 8, out, 5), -1);
	ck_assert_int_eq(codec_b64_decode("Zm9vYmFy", 8, out, 6), 6);
	ck_assert_int_eq(codec_b64_decode("Zm9vYg==", 8, out, 3), -1);
	ck_assert_int_eq(codec_b64_decode("Zm9vYg==", 8, out, 4), 4);
	ck_assert_int_eq(codec_b64_decode("Zg==", 4, NULL, 0), -1);
	ck_assert_int_eq(codec_b64_decode("", 0, NULL, 0), 0);
}
END_TEST

START_TEST(b64_encode_too_small)
{
	char out[16];

	memset(out, '#', sizeof out);
	ck_assert_int_eq(codec_b64_encode("foobar", 6, out, 8), -1);
	ck_assert_int_eq(out[0], '#');
	ck_assert_int_eq(codec_b64_encode("foobar", 6, out, 9), 8);
	ck_assert_str_eq(out, "Zm9vYmFy");
	ck_assert_int_eq(codec_b64_encode("f", 1, out, 4), -1);
	ck_assert_int_eq(codec_b64_encode("f", 1, out, 5), 4);
	ck_assert_int_eq(codec_b64_encode("", 0, out, 0), -1);
	ck_assert_int_eq(codec_b64_encode(NULL, 0, out, 1), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

/* Every byte value, and every length from 0 to 256, survives a round trip. */
START_TEST(b64_round_trip_all_bytes)
{
	unsigned char in[256], back[256];
	char text[4 * 86 + 1];
	size_t len, i;
	long n;

	for (i = 0; i < sizeof in; i++)
		in[i] = (unsigned char)i;
	for (len = 0; len <= sizeof in; len++) {
		n = codec_b64_encode(in, len, text, sizeof text);
		ck_assert_int_eq(n, (long)((len + 2) / 3 * 4));
		ck_assert_uint_eq(strlen(text), (size_t)n);
		memset(back, 0, sizeof back);
		ck_assert_int_eq(codec_b64_decode(text, (size_t)n, back, len),
		    (long)len);
		ck_assert(!memcmp(back, in, len));
	}
}
END_TEST

START_TEST(hex_lower_case)
{
	static const unsigned char in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char out[2 * sizeof in + 1];

	codec_hex(in, sizeof in, out);
	ck_assert_str_eq(out, "00017f80abff");
	codec_hex(in, 0, out);
	ck_assert_str_eq(out, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("codec");
	TCase *t = tcase_create("codec");

	tcase_add_test(t, md5_rfc1321);
	tcase_add_test(t, md5_padding_boundaries);
	tcase_add_test(t, md5_unaligned_and_empty);
	tcase_add_test(t, hmac_rfc2104);
	tcase_add_test(t, hmac_rfc2202);
	tcase_add_test(t, cram_md5_rfc2195);
	tcase_add_test(t, b64_encode_rfc4648);
	tcase_add_test(t, b64_decode_rfc4648);
	tcase_add_test(t, b64_auth_plain);
	tcase_add_test(t, b64_decode_rejects);
	tcase_add_test(t, b64_encode_too_small);
	tcase_add_test(t, b64_round_trip_all_bytes);
	tcase_add_test(t, hex_lower_case);
	suite_add_tcase(s, t);
	return check_run(s);
}
