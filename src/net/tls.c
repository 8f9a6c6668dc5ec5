/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tls.c - the TLS client of `smtpref connect`, with OpenSSL
 *
 * RFC 3207, RFC 8314, RFC 6066 3 (SNI), RFC 6125 (names in
 * certificates).  The socket stays non-blocking: every OpenSSL call that
 * would block is retried after poll(2), within the caller's deadline.
 */
#include <config.h>

#include "net/tls.h"

#include "net/net.h"

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
	int n = 0;

	out[0] = 0;
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0)
		n = BIO_read(b, out, (int)size - 1);
	out[n > 0 ? n : 0] = 0;
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

		if (g->type == GEN_DNS)
			o += (size_t)snprintf(out + o, size - o, "%s%.*s", o ? ", " : "",
			    ASN1_STRING_length(g->d.dNSName) > 60 ? 60 :
			    ASN1_STRING_length(g->d.dNSName),
			    (const char *)ASN1_STRING_get0_data(g->d.dNSName));
		else if (g->type == GEN_IPADD &&
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
