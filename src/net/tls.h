/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tls.h - TLS with OpenSSL: the client of `smtpref connect`, and the
 * server of `smtpref listen` and `smtpref shell --listen`
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

#include "core/outcome.h"

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

/* tls_info - protocol, cipher, the certificate's subject and issuer,
 * and whether it verified, into out */
void tls_info(const struct tls *t, struct outcome_tls *out);

/* tls_free - send close_notify if possible, and release t (not fd) */
void tls_free(struct tls *t);

/* ---- the server side ------------------------------------------------------ */

struct tls_server;

/* tls_server_new - what a server's connections share: the certificate
 * chain in the PEM file cert and its key in key (NULL: in cert), or
 * with cert NULL a throwaway self-signed one made now for name (NULL:
 * localhost), the loopback addresses and localhost.  TLS 1.2 at least.
 * NULL with err set on failure. */
struct tls_server *tls_server_new(const char *cert, const char *key,
    const char *name, char *err, size_t errlen);
/* tls_server_describe - the certificate in a line or two (made here or
 * read, its subject, its end, its SHA-256 fingerprint) */
void tls_server_describe(const struct tls_server *ts,
    void (*fn)(void *ctx, const char *line), void *ctx);
void tls_server_free(struct tls_server *ts);

/* tls_accept_new - TLS on fd (an accepted, non-blocking socket), as the
 * server; tls_handshake then runs the handshake without blocking: 1
 * done, 0 call again when fd is ready for *want (POLLIN or POLLOUT), -1
 * failed with err set.  Then tls_read and tls_write. */
struct tls *tls_accept_new(struct tls_server *ts, int fd, char *err,
    size_t errlen);
int tls_handshake(struct tls *t, int *want, char *err, size_t errlen);
/* tls_pending - octets already decrypted, which tls_read gives without
 * the socket being readable */
size_t tls_pending(const struct tls *t);
/* tls_summary - "TLSv1.3, cipher TLS_AES_256_GCM_SHA384" */
void tls_summary(const struct tls *t, char *out, size_t size);

#endif
