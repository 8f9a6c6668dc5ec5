/* SPDX-License-Identifier: GPL-3.0-or-later */
/* conn.h - a connection to a real SMTP server: the socket, TLS and the
 * bounded reply reader
 *
 * It makes no protocol decisions: the real-server peer (realpeer.h) and
 * the core client decide what is sent and what a reply means.  A conn
 * connects (each address of the name in turn), writes within a timeout
 * (a server that stops reading cannot hold smtpref), reads what is there
 * without blocking and hands back each complete reply, starts TLS on an
 * open connection, and says what it does (connecting, the certificate)
 * as TX_NOTE items, and what failed as its error.  The caller must
 * ignore SIGPIPE.
 */
#ifndef SMTPREF_CONN_H
#define SMTPREF_CONN_H

#include <stddef.h>

#include "core/outcome.h"
#include "core/tx.h"

enum conn_tls_mode {
	CONN_TLS_NONE,		/* plain; the user may type STARTTLS */
	CONN_TLS_STARTTLS,	/* STARTTLS after EHLO, required: the session
				 * ends if the server does not offer it */
	CONN_TLS_IMPLICIT,	/* TLS from the first byte (RFC 8314, port 465) */
	CONN_TLS_OPTIONAL	/* STARTTLS when the server offers it, else
				 * on in clear */
};

struct conn_opts {
	const char *host;	/* name or address literal: where to connect,
				 * the SNI name, the certificate's name */
	unsigned port;
	int family;		/* AF_UNSPEC, AF_INET (-4) or AF_INET6 (-6) */
	int timeout_ms;		/* connect, TLS handshake, each reply, each write */
	const char *helo;	/* the EHLO/HELO argument; NULL: this machine's */
	int no_ehlo;		/* 1: smtpref does not greet; the user does */
	enum conn_tls_mode tls;
	int insecure;		/* accept a certificate that fails verification */
	int plaintext_auth;	/* let :auth send credentials without TLS */
};

/* What conn_read found. */
enum conn_event {
	CONN_REPLY,		/* a complete reply */
	CONN_TOO_LONG,		/* a line longer than NET_LINE_MAX */
	CONN_TOO_MANY,		/* a reply of more than REPLY_LINES_MAX lines */
	CONN_BAD_LINE,		/* a line that is not a reply line */
	CONN_MIXED,		/* the lines of one reply carry other codes */
	CONN_EOF,		/* the server closed the connection */
	CONN_FAILED		/* reading failed: conn_error() says why */
};

struct conn;

/* conn_new - a connection with the options (copied, strings included);
 * notes go to sink.  NULL when out of memory. */
struct conn *conn_new(const struct conn_opts *o, const struct tx_sink *sink);
void conn_free(struct conn *c);
const struct conn_opts *conn_opts(const struct conn *c);

/* conn_connect - blocking: resolve, connect to each address in turn, and
 * with implicit TLS, the handshake.  0, or -1 with conn_error() and
 * conn_tls_failed() saying what failed. */
int conn_connect(struct conn *c);
/* conn_reconnect - a new connection to the address of the last one */
int conn_reconnect(struct conn *c);
/* conn_starttls - after 220 to STARTTLS: throw away what the server sent
 * before TLS (*injected octets, the first of them made printable in
 * preview), then the handshake.  0, or -1. */
int conn_starttls(struct conn *c, size_t *injected, char *preview,
    size_t size);
/* conn_write - everything, within the timeout; 0 or -1 */
int conn_write(struct conn *c, const char *p, size_t len);
/* conn_read - read what is there, without blocking, and call fn for
 * each thing found; the reply's wire text is valid during the call.
 * Stops after an event other than CONN_REPLY, or when fn returns
 * nonzero.  0, or -1 when nothing more can be read. */
int conn_read(struct conn *c, int (*fn)(void *ctx, enum conn_event ev,
    const char *wire, size_t len, int code), void *ctx);
/* conn_partial - octets of a reply read without their end */
size_t conn_partial(const struct conn *c);
/* conn_held - the start of what the reader holds (a cut reply) */
const char *conn_held(const struct conn *c, size_t *len);
/* conn_bad - after CONN_BAD_LINE: the line's start, printable */
const char *conn_bad(const struct conn *c);
/* conn_close - close the socket (and TLS) */
void conn_close(struct conn *c);

int conn_fd(const struct conn *c);
int conn_tls_on(const struct conn *c);
/* conn_error - what the last failure was */
const char *conn_error(const struct conn *c);
/* conn_tls_failed - the last failure was TLS's */
int conn_tls_failed(const struct conn *c);
/* conn_address - where it is connected ("192.0.2.1"), or "" */
const char *conn_address(const struct conn *c);
/* conn_tls_info - the TLS session's summary into out (out->on 0 when
 * TLS is not on) */
void conn_tls_info(const struct conn *c, struct outcome_tls *out);

#endif
