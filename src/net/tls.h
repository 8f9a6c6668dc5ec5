/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tls.h - the TLS client of `smtpref connect` (OpenSSL)
 *
 * RFC 3207 (STARTTLS), RFC 8314 (implicit TLS on port 465), RFC 6066 3
 * (SNI), RFC 6125 (checking the server's name in its certificate).
 * Built only with OpenSSL (HAVE_OPENSSL); conn.c says so otherwise.
 * Nothing here prints: failures come back as -1 or NULL with a one-line
 * message in the caller's buffer.
 */
#ifndef SMTPREF_TLS_H
#define SMTPREF_TLS_H

#include <stddef.h>
#include <sys/types.h>

struct tls;

/* tls_start - run the handshake on fd (a connected, non-blocking socket)
 * within timeout_ms: SNI with host when it is a name, the certificate
 * checked against the system's trust store (OpenSSL's default paths, so
 * SSL_CERT_FILE and SSL_CERT_DIR apply) and against host.  With
 * insecure, a certificate that fails the checks is accepted, and
 * tls_verified says so.  Returns NULL with err set on failure. */
struct tls *tls_start(int fd, const char *host, int insecure,
    int timeout_ms, char *err, size_t errlen);

/* tls_read - read like read(2): > 0 octets, 0 the peer closed the TLS
 * session (or the connection), -1 with *want set to POLLIN or POLLOUT
 * when nothing can be done now, -1 with *want 0 and err set on error */
ssize_t tls_read(struct tls *t, void *buf, size_t n, int *want, char *err,
    size_t errlen);
/* tls_write - write like write(2), with the same conventions */
ssize_t tls_write(struct tls *t, const void *buf, size_t n, int *want,
    char *err, size_t errlen);

/* tls_verified - 1 when the certificate passed every check */
int tls_verified(const struct tls *t);
/* tls_verify_error - why it did not ("" when it did) */
const char *tls_verify_error(const struct tls *t);

/* tls_describe - the handshake's summary, one line per call of fn:
 * protocol and cipher, the certificate's subject, issuer, names and
 * validity, and that it was verified (a failure is the caller's to say) */
void tls_describe(const struct tls *t,
    void (*fn)(void *ctx, const char *line), void *ctx);

/* tls_free - send close_notify if possible, and release t (not fd) */
void tls_free(struct tls *t);

#endif
