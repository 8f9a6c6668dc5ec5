/* SPDX-License-Identifier: GPL-3.0-or-later */
/* receipt.c - completion receipts, signed with HMAC-SHA-256 (receipt.h)
 *
 * The HMAC covers the canonical text of every field before it: the
 * fields are parsed and written again in their fixed order, so a receipt
 * that travelled through a mailer (CRLF line ends, blank lines around it)
 * still verifies, while any change to a value does not.
 */
#include <config.h>

#include "lesson/receipt.h"

#include "core/printable.h"
#include "lesson/safefile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef HAVE_OPENSSL
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif

#define HEADER "smtpref lesson receipt"

static void hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = 0;
}

int receipt_digest(const void *buf, size_t len, char out[65])
{
#ifdef HAVE_OPENSSL
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32) {
		out[0] = 0;
		return -1;
	}
	hex(md, 32, out);
	return 0;
#else
	(void)buf;
	(void)len;
	out[0] = 0;
	return -1;
#endif
}

/* hmac - HMAC-SHA-256 of data with k, in hex */
static int hmac(const struct receipt_key *k, const char *data, size_t len,
    char out[65])
{
#ifdef HAVE_OPENSSL
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (HMAC(EVP_sha256(), k->key, (int)k->len,
	    (const unsigned char *)data, len, md, &n) == NULL || n != 32) {
		out[0] = 0;
		return -1;
	}
	hex(md, 32, out);
	return 0;
#else
	(void)k;
	(void)data;
	(void)len;
	out[0] = 0;
	return -1;
#endif
}

/* same - compare two hex strings of equal length without leaking where
 * they differ */
static int same(const char *a, const char *b, size_t n)
{
#ifdef HAVE_OPENSSL
	return CRYPTO_memcmp(a, b, n) == 0;
#else
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
#endif
}

/* ---- the key ------------------------------------------------------------ */

int receipt_key_set(struct receipt_key *k, const void *key, size_t len)
{
	char d[65];

	memset(k, 0, sizeof *k);
	if (len == 0 || len > sizeof k->key)
		return -1;
	memcpy(k->key, key, len);
	k->len = len;
	k->is_default = len == sizeof RECEIPT_DEFAULT_KEY - 1 &&
	    memcmp(key, RECEIPT_DEFAULT_KEY, len) == 0;
	if (k->is_default) {
		snprintf(k->id, sizeof k->id, "default");
		snprintf(k->source, sizeof k->source, "the built-in key");
		return 0;
	}
	/* a name for the key that does not give it away: the start of a
	 * hash of it, under a label of its own */
	{
		char buf[sizeof k->key + 32];
		int n = snprintf(buf, sizeof buf, "smtpref class key id\n");

		memcpy(buf + n, key, len);
		if (receipt_digest(buf, (size_t)n + len, d) != 0)
			return -1;
	}
	memcpy(k->id, d, 16);
	k->id[16] = 0;
	return 0;
}

static int key_file(struct receipt_key *k, const char *file, char *err,
    size_t errsize)
{
	char why[512];
	size_t n;
	/* a key and its line ends: more is not a key file */
	unsigned char *buf = (unsigned char *)safefile_read(file,
	    RECEIPT_KEY_MAX + 2, &n, NULL, why, sizeof why);

	if (buf == NULL) {
		snprintf(err, errsize, "cannot read the key file: %s", why);
		return -1;
	}
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (n == 0) {
		snprintf(err, errsize, "the key file %s is empty", file);
		free(buf);
		return -1;
	}
	if (n > RECEIPT_KEY_MAX) {
		snprintf(err, errsize, "the key in %s is longer than %d octets", file,
		    RECEIPT_KEY_MAX);
		free(buf);
		return -1;
	}
	if (receipt_key_set(k, buf, n) != 0) {
		snprintf(err, errsize, "cannot use the key (built without OpenSSL?)");
		free(buf);
		return -1;
	}
	free(buf);
	snprintf(k->source, sizeof k->source, "the key file %.60s", file);
	return 0;
}

int receipt_key_load(struct receipt_key *k, const char *file, char *err,
    size_t errsize)
{
	const char *env;

	if (file)
		return key_file(k, file, err, errsize);
	env = getenv("SMTPREF_CLASS_KEY");
	if (env && *env) {
		if (strlen(env) > RECEIPT_KEY_MAX) {
			snprintf(err, errsize, "SMTPREF_CLASS_KEY is longer than %d octets",
			    RECEIPT_KEY_MAX);
			return -1;
		}
		if (receipt_key_set(k, env, strlen(env)) != 0) {
			snprintf(err, errsize, "cannot use the key (built without OpenSSL?)");
			return -1;
		}
		snprintf(k->source, sizeof k->source, "SMTPREF_CLASS_KEY");
		return 0;
	}
	env = getenv("SMTPREF_CLASS_KEY_FILE");
	if (env && *env)
		return key_file(k, env, err, errsize);
	receipt_key_set(k, RECEIPT_DEFAULT_KEY, sizeof RECEIPT_DEFAULT_KEY - 1);
	return 0;
}

void receipt_date(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "1970-01-01T00:00:00Z");
}

/* ---- the text ----------------------------------------------------------- */

/* canonical - the signed part of a receipt, into buf; its length or 0 */
static size_t canonical(const struct receipt *r, char *buf, size_t size)
{
	int n = snprintf(buf, size,
	    HEADER "\n"
	    "lesson: %s\n"
	    "title: %s\n"
	    "%s%s%s"
	    "finished: %s\n"
	    "steps: %lu\n"
	    "skipped: %s\n"
	    "transcript-sha256: %s\n"
	    "key: %s\n",
	    r->lesson, r->title, r->learner[0] ? "name: " : "", r->learner,
	    r->learner[0] ? "\n" : "", r->finished, r->steps,
	    r->skipped ? "yes" : "no", r->transcript, r->key);

	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

/* trim - s without blanks at its ends */
static void trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	memmove(s, s + i, n - i);
	s[n - i] = 0;
}

/* one_line - a value that can be written on one line and shown as it
 * is */
static int one_line(const char *s)
{
	size_t w, n = strlen(s);

	return printable_bad(s, n, 0, &w) == n;
}

size_t receipt_make(struct receipt *r, const struct receipt_key *k,
    char *buf, size_t size, char *err, size_t errsize)
{
	size_t n;
	int m;

	/* a receipt's reader drops blanks at a value's ends: so does its
	 * maker, or the HMAC would not match what is read back */
	trim(r->lesson);
	trim(r->title);
	trim(r->learner);
	if (!one_line(r->lesson) || !one_line(r->title) || !one_line(r->finished) ||
	    !one_line(r->learner) || strlen(r->transcript) != 64) {
		snprintf(err, errsize, "a field of the receipt cannot be written");
		return 0;
	}
	snprintf(r->key, sizeof r->key, "%s", k->id);
	n = canonical(r, buf, size);
	if (n == 0) {
		snprintf(err, errsize, "the receipt is too long");
		return 0;
	}
	if (hmac(k, buf, n, r->hmac) != 0) {
		snprintf(err, errsize, "cannot sign the receipt (built without OpenSSL?)");
		return 0;
	}
	m = snprintf(buf + n, size - n, "hmac-sha256: %s\n", r->hmac);
	if (m < 0 || (size_t)m >= size - n) {
		snprintf(err, errsize, "the receipt is too long");
		return 0;
	}
	return n + (size_t)m;
}

enum field {
	F_LESSON, F_TITLE, F_FINISHED, F_STEPS, F_SKIPPED, F_TRANSCRIPT,
	F_KEY, F_HMAC, F_NAME, F_LAST
};

static const char *const names[] = {
	"lesson", "title", "finished", "steps", "skipped", "transcript-sha256",
	"key", "hmac-sha256", "name",
};
_Static_assert(sizeof names / sizeof names[0] == F_LAST, "one name per field");

/* shown_as_is - text a terminal shows as it is (core/printable.h) */
static int shown_as_is(const char *s, size_t n)
{
	size_t w;

	return printable_bad(s, n, 0, &w) == n;
}

static int is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int date_ok(const char *s, size_t n)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i;

	if (n != sizeof form - 1)
		return 0;
	for (i = 0; i < n; i++)
		if (form[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != form[i])
			return 0;
	return 1;
}

/* set_field - a field's value v[0..vn) into r; -1 when it is bad */
static int set_field(struct receipt *r, enum field f, const char *v,
    size_t vn)
{
	unsigned i;

	switch (f) {
	case F_LESSON:
		if (vn == 0 || vn >= sizeof r->lesson || !shown_as_is(v, vn))
			return -1;
		memcpy(r->lesson, v, vn);
		break;
	case F_TITLE:
		/* a CR or an escape in a title could overwrite what
		 * verify prints with a fake result */
		if (vn >= sizeof r->title || !shown_as_is(v, vn))
			return -1;
		memcpy(r->title, v, vn);
		break;
	case F_NAME:
		if (vn == 0 || vn >= sizeof r->learner || !shown_as_is(v, vn))
			return -1;
		memcpy(r->learner, v, vn);
		break;
	case F_FINISHED:
		if (!date_ok(v, vn))
			return -1;
		memcpy(r->finished, v, vn);
		break;
	case F_STEPS: {
		unsigned long x = 0;

		if (vn == 0 || vn > 9)
			return -1;
		for (i = 0; i < vn; i++) {
			if (v[i] < '0' || v[i] > '9')
				return -1;
			x = x * 10 + (unsigned long)(v[i] - '0');
		}
		r->steps = x;
		break;
	}
	case F_SKIPPED:
		if (vn == 3 && memcmp(v, "yes", 3) == 0)
			r->skipped = 1;
		else if (!(vn == 2 && memcmp(v, "no", 2) == 0))
			return -1;
		break;
	case F_TRANSCRIPT:
		if (vn != 64 || !is_hex(v, vn))
			return -1;
		memcpy(r->transcript, v, 64);
		break;
	case F_KEY:
		if (!((vn == 7 && memcmp(v, "default", 7) == 0) ||
		    (vn == 16 && is_hex(v, 16))))
			return -1;
		memcpy(r->key, v, vn);
		break;
	case F_HMAC:
		if (vn != 64 || !is_hex(v, vn))
			return -1;
		memcpy(r->hmac, v, 64);
		break;
	case F_LAST:
		break;
	}
	return 0;
}

int receipt_verify(const char *file, const char *text, size_t len,
    const struct receipt_key *k, struct receipt *r, char *err,
    size_t errsize)
{
	size_t pos = 0, cn;
	unsigned line = 0, seen = 0, i;
	int started = 0, ended = 0;
	char canon[RECEIPT_MAX], mac[65];

	memset(r, 0, sizeof *r);
	if (len > RECEIPT_MAX) {
		snprintf(err, errsize, "%s: too long to be a receipt", file);
		return -1;
	}
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos), *v;
		size_t n = nl ? (size_t)(nl - s) : len - pos, kl, vn, f;

		pos += n + (nl ? 1 : 0);
		line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0)
			continue;
		if (ended) {
			snprintf(err, errsize, "%s:%u: text after the hmac-sha256: line", file, line);
			return -1;
		}
		if (!started) {
			if (n != sizeof HEADER - 1 || memcmp(s, HEADER, n) != 0) {
				snprintf(err, errsize, "%s:%u: a receipt starts with the line '%s'",
				    file, line, HEADER);
				return -1;
			}
			started = 1;
			continue;
		}
		if (memchr(s, 0, n)) {
			snprintf(err, errsize, "%s:%u: a NUL byte", file, line);
			return -1;
		}
		for (kl = 0; kl < n && s[kl] != ':'; kl++)
			;
		for (f = 0; f < F_LAST; f++)
			if (strlen(names[f]) == kl && memcmp(s, names[f], kl) == 0)
				break;
		if (kl == n || f == F_LAST) {
			snprintf(err, errsize, "%s:%u: not a field of a receipt", file, line);
			return -1;
		}
		if (seen & 1u << f) {
			snprintf(err, errsize, "%s:%u: %s is given twice", file, line, names[f]);
			return -1;
		}
		if (f != F_HMAC && (seen & 1u << F_HMAC)) {
			snprintf(err, errsize, "%s:%u: a field after hmac-sha256:", file, line);
			return -1;
		}
		seen |= 1u << f;
		v = s + kl + 1;
		vn = n - kl - 1;
		while (vn > 0 && *v == ' ') {
			v++;
			vn--;
		}
		if (set_field(r, (enum field)f, v, vn) == 0) {
			ended = f == F_HMAC;
			continue;
		}
		snprintf(err, errsize, "%s:%u: a bad value for %s", file, line, names[f]);
		return -1;
	}
	if (!started) {
		snprintf(err, errsize, "%s: not a receipt (it is empty)", file);
		return -1;
	}
	for (i = 0; i < F_LAST; i++)
		if (!(seen & 1u << i) && i != F_NAME) {	/* name: optional */
			snprintf(err, errsize, "%s: the receipt lacks %s:", file, names[i]);
			return -1;
		}
	if (strcmp(r->key, k->id) != 0) {
		snprintf(err, errsize, "%s: made with %s, not with %s: rejected",
		    file, strcmp(r->key, "default") == 0 ? "the built-in key" :
		    "another class key", k->source[0] ? k->source : "this key");
		return -1;
	}
	cn = canonical(r, canon, sizeof canon);
	if (cn == 0 || hmac(k, canon, cn, mac) != 0) {
		snprintf(err, errsize, "%s: cannot check the receipt (built without OpenSSL?)", file);
		return -1;
	}
	if (!same(mac, r->hmac, 64)) {
		snprintf(err, errsize, "%s: the HMAC does not match: the receipt was changed after it was made, or made with another key; rejected",
		    file);
		return -1;
	}
	return 0;
}
