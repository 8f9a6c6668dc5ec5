/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tls.c - the TLS client of `smtpref connect`, with OpenSSL
 *
 * RFC 3207, RFC 8314, RFC 6066 3 (SNI), RFC 6125 (names in
 * certificates).  The socket stays non-blocking: every OpenSSL call that
 * would block is retried after poll(2), within the caller's deadline.
 */
#include <config.h>

#include "net/tls.h"

#include "core/tx.h"
#include "net/net.h"

#include "core/printable.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/* peer_cert - the server's certificate, still owned by the session */
static X509 *peer_cert(const SSL *s)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	return SSL_get0_peer_certificate(s);
#else
	X509 *c = SSL_get_peer_certificate(s);

	X509_free(c);	/* the session keeps its own reference */
	return c;
#endif
}

struct tls {
	SSL_CTX *ctx;
	SSL *ssl;
	int fd;
	int insecure;
	long verify;		/* SSL_get_verify_result */
	char host[NET_HOST_MAX];
};

static void say(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ssl_error - OpenSSL's reason for the last failure, or errno's */
static const char *ssl_error(char *buf, size_t size)
{
	unsigned long e = ERR_peek_last_error();

	if (e == 0)
		return errno ? strerror(errno) : "the connection was closed";
	ERR_error_string_n(e, buf, size);
	ERR_clear_error();
	return buf;
}

/* wait_for - poll fd for ev until the deadline; 0 ready, -1 timeout */
static int wait_for(int fd, short ev, long long deadline)
{
	struct pollfd p = { fd, ev, 0 };

	for (;;) {
		long long left = deadline - net_now_ms();
		int rc;

		if (left <= 0)
			return -1;
		rc = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

/* check_names - what the certificate must be issued for: the name, or
 * the address for a literal (RFC 6125 6) */
static int check_names(struct tls *t, const char *host)
{
	X509_VERIFY_PARAM *p = SSL_get0_param(t->ssl);
	char buf[NET_HOST_MAX];
	size_t n = strlen(host);

	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof buf) {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = 0;
		host = buf;
	}
	if (net_is_literal(host))
		return X509_VERIFY_PARAM_set1_ip_asc(p, host) == 1 ? 0 : -1;
	/* RFC 6066 3: SNI carries names only, never address literals */
	if (SSL_set_tlsext_host_name(t->ssl, host) != 1)
		return -1;
	X509_VERIFY_PARAM_set_hostflags(p, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	return SSL_set1_host(t->ssl, host) == 1 ? 0 : -1;
}

struct tls *tls_start(int fd, const char *host, int insecure,
    int timeout_ms, char *err, size_t errlen)
{
	long long deadline = net_now_ms() + timeout_ms;
	struct tls *t = calloc(1, sizeof *t);
	char buf[256];

	if (t == NULL) {
		say(err, errlen, "out of memory");
		return NULL;
	}
	t->fd = fd;
	t->insecure = insecure;
	snprintf(t->host, sizeof t->host, "%s", host);
	ERR_clear_error();
	t->ctx = SSL_CTX_new(TLS_client_method());
	if (t->ctx == NULL || (t->ssl = SSL_new(t->ctx)) == NULL) {
		say(err, errlen, "cannot set up TLS: %s", ssl_error(buf, sizeof buf));
		tls_free(t);
		return NULL;
	}
	if (SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
		say(err, errlen, "cannot load the system's trusted certificates: %s",
		    ssl_error(buf, sizeof buf));
		tls_free(t);
		return NULL;
	}
	/* verification always runs; insecure only keeps a failure from
	 * ending the handshake, and tls_verified reports it */
	SSL_set_verify(t->ssl, insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, NULL);
	if (check_names(t, host) != 0 || SSL_set_fd(t->ssl, fd) != 1) {
		say(err, errlen, "cannot set up TLS for %s: %s", host,
		    ssl_error(buf, sizeof buf));
		tls_free(t);
		return NULL;
	}
	for (;;) {
		int rc = SSL_connect(t->ssl), e;

		if (rc == 1)
			break;
		e = SSL_get_error(t->ssl, rc);
		if ((e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) &&
		    wait_for(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
		    deadline) == 0)
			continue;
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
			say(err, errlen, "the TLS handshake did not finish within %d s",
			    (timeout_ms + 999) / 1000);
		else if (SSL_get_verify_result(t->ssl) != X509_V_OK)
			say(err, errlen, "the server's certificate did not verify: %s (--insecure continues anyway)",
			    X509_verify_cert_error_string(SSL_get_verify_result(t->ssl)));
		else
			say(err, errlen, "the TLS handshake failed: %s",
			    ssl_error(buf, sizeof buf));
		tls_free(t);
		return NULL;
	}
	t->verify = SSL_get_verify_result(t->ssl);
	if (peer_cert(t->ssl) == NULL && t->verify == X509_V_OK)
		t->verify = X509_V_ERR_UNSPECIFIED;	/* anonymous: nothing verified */
	return t;
}

/* io_result - turn an SSL_read/SSL_write result into read(2)'s */
static ssize_t io_result(struct tls *t, int rc, int *want, char *err,
    size_t errlen)
{
	char buf[256];
	int e = SSL_get_error(t->ssl, rc);

	*want = 0;
	switch (e) {
	case SSL_ERROR_WANT_READ:
		*want = POLLIN;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		*want = POLLOUT;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		if (ERR_peek_last_error() == 0 && errno == 0)
			return 0;	/* closed without close_notify */
		/* fall through */
	default:
		say(err, errlen, "TLS error: %s", ssl_error(buf, sizeof buf));
		return -1;
	}
}

ssize_t tls_read(struct tls *t, void *buf, size_t n, int *want, char *err,
    size_t errlen)
{
	int rc;

	ERR_clear_error();
	errno = 0;
	rc = SSL_read(t->ssl, buf, n > 65536 ? 65536 : (int)n);
	if (rc > 0)
		return rc;
	return io_result(t, rc, want, err, errlen);
}

ssize_t tls_write(struct tls *t, const void *buf, size_t n, int *want,
    char *err, size_t errlen)
{
	int rc;

	ERR_clear_error();
	errno = 0;
	rc = SSL_write(t->ssl, buf, n > 65536 ? 65536 : (int)n);
	if (rc > 0)
		return rc;
	return io_result(t, rc, want, err, errlen);
}

int tls_verified(const struct tls *t)
{
	return t->verify == X509_V_OK;
}

const char *tls_verify_error(const struct tls *t)
{
	return t->verify == X509_V_OK ? "" :
	    X509_verify_cert_error_string(t->verify);
}

/* line - format one line of the summary and hand it over */
static void line(void (*fn)(void *, const char *), void *ctx,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void line(void (*fn)(void *, const char *), void *ctx,
    const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fn(ctx, buf);
}

/* name_text - an X509 name as one line, "CN=mx.example.org, O=..." */
static void name_text(const X509_NAME *name, char *out, size_t size)
{
	BIO *b = BIO_new(BIO_s_mem());
	char raw[256];
	int n = 0;

	out[0] = 0;
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0)
		n = BIO_read(b, raw, (int)sizeof raw - 1);
	/* octets over 0x7f are passed through as UTF-8: escape what is not */
	printable_text(raw, n > 0 ? (size_t)n : 0, out, size, 0);
	BIO_free(b);
}

/* alt_names - the certificate's DNS names and addresses, "a, b, ..." */
static void alt_names(X509 *cert, char *out, size_t size)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name,
	    NULL, NULL);
	size_t o = 0;
	int i;

	out[0] = 0;
	if (gens == NULL)
		return;
	for (i = 0; i < sk_GENERAL_NAME_num(gens) && o + 64 < size; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		char ip[64];

		if (g->type == GEN_DNS) {
			/* the name's octets, escaped: a NUL or an escape
			 * sequence in a certificate must not reach the
			 * terminal (nor cut the name short) */
			int len = ASN1_STRING_length(g->d.dNSName);
			char name[4 * 60 + 1];

			printable_text((const char *)ASN1_STRING_get0_data(g->d.dNSName),
			    (size_t)(len > 60 ? 60 : len < 0 ? 0 : len), name,
			    sizeof name, 0);
			o += (size_t)snprintf(out + o, size - o, "%s%s", o ? ", " : "",
			    name);
		} else if (g->type == GEN_IPADD &&
		    (ASN1_STRING_length(g->d.iPAddress) == 4 ||
		    ASN1_STRING_length(g->d.iPAddress) == 16)) {
			const unsigned char *a = ASN1_STRING_get0_data(g->d.iPAddress);

			if (ASN1_STRING_length(g->d.iPAddress) == 4)
				snprintf(ip, sizeof ip, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
			else
				snprintf(ip, sizeof ip, "an IPv6 address");
			o += (size_t)snprintf(out + o, size - o, "%s%s", o ? ", " : "", ip);
		}
	}
	GENERAL_NAMES_free(gens);
}

/* not_after - the end of the certificate's validity, as text */
static void not_after(X509 *cert, char *out, size_t size)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n = 0;

	out[0] = 0;
	if (b == NULL)
		return;
	if (ASN1_TIME_print(b, X509_get0_notAfter(cert)) == 1)
		n = BIO_read(b, out, (int)size - 1);
	out[n > 0 ? n : 0] = 0;
	BIO_free(b);
}

void tls_describe(const struct tls *t,
    void (*fn)(void *ctx, const char *line), void *ctx)
{
	X509 *cert = peer_cert(t->ssl);
	char a[256], b[256];

	line(fn, ctx, "TLS is on: %s, cipher %s", SSL_get_version(t->ssl),
	    SSL_get_cipher_name(t->ssl));
	if (cert == NULL) {
		line(fn, ctx, "the server sent no certificate");
		return;
	}
	name_text(X509_get_subject_name(cert), a, sizeof a);
	name_text(X509_get_issuer_name(cert), b, sizeof b);
	line(fn, ctx, "certificate: %s, issued by %s%s", a, b,
	    X509_check_issued(cert, cert) == X509_V_OK ? " (self-signed)" : "");
	alt_names(cert, a, sizeof a);
	not_after(cert, b, sizeof b);
	line(fn, ctx, "valid for: %s; until %s", a[0] ? a : "(no subjectAltName)",
	    b[0] ? b : "?");
	/* a failure is for the caller to flag: it knows what to say */
	if (t->verify == X509_V_OK)
		line(fn, ctx, "certificate verified for %s against the system's trusted CAs",
		    t->host);
}

void tls_info(const struct tls *t, struct outcome_tls *out)
{
	X509 *cert = peer_cert(t->ssl);

	memset(out, 0, sizeof *out);
	out->on = 1;
	snprintf(out->protocol, sizeof out->protocol, "%s", SSL_get_version(t->ssl));
	snprintf(out->cipher, sizeof out->cipher, "%s", SSL_get_cipher_name(t->ssl));
	out->verified = t->verify == X509_V_OK;
	if (!out->verified)
		snprintf(out->verify_error, sizeof out->verify_error, "%s",
		    tls_verify_error(t));
	if (cert) {
		char raw[256];

		name_text(X509_get_subject_name(cert), raw, sizeof raw);
		tx_printable(raw, strlen(raw), out->subject, sizeof out->subject);
		name_text(X509_get_issuer_name(cert), raw, sizeof raw);
		tx_printable(raw, strlen(raw), out->issuer, sizeof out->issuer);
	}
}

void tls_free(struct tls *t)
{
	if (t == NULL)
		return;
	if (t->ssl) {
		ERR_clear_error();
		SSL_shutdown(t->ssl);	/* one try: the socket is non-blocking */
		SSL_free(t->ssl);
	}
	SSL_CTX_free(t->ctx);
	ERR_clear_error();
	free(t);
}

/* ---- the server side: smtpref listen and shell --listen ---------------- */

struct tls_server {
	SSL_CTX *ctx;
	int made;		/* a throwaway certificate made here */
	char subject[256];
	char fingerprint[3 * 32 + 1];	/* SHA-256, "AB:CD:..." */
	char until[64];
};

/* throwaway - a self-signed certificate for name, the loopback
 * addresses and localhost, with a new P-256 key, valid for 30 days */
static int throwaway(SSL_CTX *ctx, const char *name, char *err, size_t errlen)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
	EVP_PKEY *key = NULL;
	X509 *x = X509_new();
	X509V3_CTX v3;
	X509_EXTENSION *ext = NULL;
	char san[NET_HOST_MAX + 64], buf[256];
	int ok = 0;

	snprintf(san, sizeof san, "DNS:%s,DNS:localhost,IP:127.0.0.1,IP:::1",
	    name);
	if (pc && x && EVP_PKEY_keygen_init(pc) == 1 &&
	    EVP_PKEY_CTX_set_ec_paramgen_curve_nid(pc, NID_X9_62_prime256v1) == 1 &&
	    EVP_PKEY_keygen(pc, &key) == 1 &&
	    X509_set_version(x, 2) == 1 &&
	    ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(net_now_ms() & 0x7fffffff)) == 1 &&
	    X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
	    X509_gmtime_adj(X509_getm_notAfter(x), 30L * 86400) &&
	    X509_set_pubkey(x, key) == 1 &&
	    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
	    (const unsigned char *)name, -1, -1, 0) == 1 &&
	    X509_set_issuer_name(x, X509_get_subject_name(x)) == 1) {
		X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
		ok = ext && X509_add_ext(x, ext, -1) == 1 &&
		    X509_sign(x, key, EVP_sha256()) > 0 &&
		    SSL_CTX_use_certificate(ctx, x) == 1 &&
		    SSL_CTX_use_PrivateKey(ctx, key) == 1;
	}
	if (!ok)
		say(err, errlen, "cannot make a throwaway certificate: %s",
		    ssl_error(buf, sizeof buf));
	X509_EXTENSION_free(ext);
	X509_free(x);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(pc);
	return ok ? 0 : -1;
}

/* load - the certificate chain and its key from PEM files */
static int load(SSL_CTX *ctx, const char *cert, const char *key, char *err,
    size_t errlen)
{
	char buf[256];

	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		say(err, errlen, "cannot read the certificate %s: %s", cert,
		    ssl_error(buf, sizeof buf));
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		say(err, errlen, "cannot read the private key %s: %s", key,
		    ssl_error(buf, sizeof buf));
		return -1;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		say(err, errlen, "the key %s does not belong to the certificate %s",
		    key, cert);
		return -1;
	}
	return 0;
}

struct tls_server *tls_server_new(const char *cert, const char *key,
    const char *name, char *err, size_t errlen)
{
	struct tls_server *ts = calloc(1, sizeof *ts);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0, i;
	X509 *x;
	char buf[256];

	if (ts == NULL) {
		say(err, errlen, "out of memory");
		return NULL;
	}
	ERR_clear_error();
	ts->ctx = SSL_CTX_new(TLS_server_method());
	if (ts->ctx == NULL) {
		say(err, errlen, "cannot set up TLS: %s", ssl_error(buf, sizeof buf));
		tls_server_free(ts);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ts->ctx, TLS1_2_VERSION);
	/* partial writes from a moving buffer, as a non-blocking server
	 * needs; no buffers kept while a connection is idle */
	SSL_CTX_set_mode(ts->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
	/* a client that closes without close_notify has just closed: SMTP
	 * says itself where a session ends (QUIT) */
	SSL_CTX_set_options(ts->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
	ts->made = cert == NULL;
	if ((cert ? load(ts->ctx, cert, key ? key : cert, err, errlen) :
	    throwaway(ts->ctx, name ? name : "localhost", err, errlen)) != 0) {
		tls_server_free(ts);
		return NULL;
	}
	x = SSL_CTX_get0_certificate(ts->ctx);
	if (x) {
		name_text(X509_get_subject_name(x), ts->subject, sizeof ts->subject);
		not_after(x, ts->until, sizeof ts->until);
		if (X509_digest(x, EVP_sha256(), md, &n) == 1)
			for (i = 0; i < n && i < 32; i++)
				snprintf(ts->fingerprint + (i ? 3 * i - 1 : 0),
				    sizeof ts->fingerprint - (i ? 3 * i - 1 : 0),
				    "%s%02X", i ? ":" : "", md[i]);
	}
	ERR_clear_error();
	return ts;
}

void tls_server_describe(const struct tls_server *ts,
    void (*fn)(void *ctx, const char *line), void *ctx)
{
	if (ts->made)
		line(fn, ctx, "TLS: a throwaway self-signed certificate (%s, until %s), made at start: clients must not verify it (swaks and curl: their --insecure options)",
		    ts->subject, ts->until);
	else
		line(fn, ctx, "TLS: the certificate %s, until %s", ts->subject,
		    ts->until);
	line(fn, ctx, "TLS: its SHA-256 fingerprint is %s", ts->fingerprint);
}

void tls_server_free(struct tls_server *ts)
{
	if (ts == NULL)
		return;
	SSL_CTX_free(ts->ctx);
	ERR_clear_error();
	free(ts);
}

struct tls *tls_accept_new(struct tls_server *ts, int fd, char *err,
    size_t errlen)
{
	struct tls *t = calloc(1, sizeof *t);
	char buf[256];

	if (t == NULL) {
		say(err, errlen, "out of memory");
		return NULL;
	}
	t->fd = fd;
	t->verify = X509_V_ERR_UNSPECIFIED;	/* a client sends none */
	ERR_clear_error();
	if ((t->ssl = SSL_new(ts->ctx)) == NULL || SSL_set_fd(t->ssl, fd) != 1) {
		say(err, errlen, "cannot set up TLS: %s", ssl_error(buf, sizeof buf));
		tls_free(t);
		return NULL;
	}
	SSL_set_accept_state(t->ssl);
	return t;
}

int tls_handshake(struct tls *t, int *want, char *err, size_t errlen)
{
	char buf[256];
	int rc, e;

	*want = 0;
	ERR_clear_error();
	errno = 0;
	rc = SSL_do_handshake(t->ssl);
	if (rc == 1)
		return 1;
	e = SSL_get_error(t->ssl, rc);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		*want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return 0;
	}
	if (e == SSL_ERROR_SYSCALL && ERR_peek_last_error() == 0)
		say(err, errlen, "the TLS handshake failed: %s",
		    errno ? strerror(errno) : "the client closed the connection");
	else
		say(err, errlen, "the TLS handshake failed: %s",
		    ssl_error(buf, sizeof buf));
	return -1;
}

void tls_summary(const struct tls *t, char *out, size_t size)
{
	snprintf(out, size, "%s, cipher %s", SSL_get_version(t->ssl),
	    SSL_get_cipher_name(t->ssl));
}

size_t tls_pending(const struct tls *t)
{
	int n = SSL_pending(t->ssl);

	return n > 0 ? (size_t)n : 0;
}
