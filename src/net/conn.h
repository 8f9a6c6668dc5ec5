/* conn.h - one SMTP session with a real server
 *
 * A conn owns the socket, the TLS session and a tracking client
 * (client.c in tracking mode): every line the user sends goes to the
 * server with CRLF and to the tracker; every reply is read with the
 * bounded reader (net.h), checked by the tracker against the command it
 * answers, and explained with the reference tables.  It never prints:
 * everything it has to show is a struct tx_item handed to the caller's
 * sink, in order:
 *
 *   TX_SENT      each line sent, as sent (dot-stuffed); tls set under
 *                TLS; a credential is replaced by "****" (secret set)
 *   TX_RECEIVED  each line of a reply, code set, tls set under TLS;
 *                control characters and bytes that are not UTF-8 are
 *                shown as \xHH, so no server can drive the terminal
 *   TX_FINDING   a rule the server broke (label "bad", "code",
 *                "enhanced", "tls", "injection", ...)
 *   TX_EXPLAIN   what a reply means (label explain_kind_str(): "code",
 *                "enhanced", "keyword", "state", "note", "warning"),
 *                and what the tracking client concludes (label "client")
 *   TX_NOTE      smtpref's own remarks: connecting, dot-stuffing, the
 *                TLS summary, reconnecting, "send EHLO again"
 *   TX_ERROR     something failed; when it ends the session,
 *                conn_state() says how
 *
 * Two kinds of driver use it.  A blocking, scripted one (connect.c):
 * conn_open, then for each input line conn_send (or conn_send_group)
 * and conn_wait.  An event loop (readline's callback interface, the
 * TUI): conn_open, then poll(2) on conn_fd() for POLLIN with the
 * timeout conn_timeout() gives, call conn_process when it is readable or
 * the timeout passed, and conn_send when the user enters a line.
 * conn_process reads everything that is available (TLS included), so no
 * byte waits inside OpenSSL's buffers while poll sleeps.
 *
 * What blocks, and for how long at most (the timeout is per step):
 * conn_open (resolve, connect, TLS, the greeting, EHLO); writing a line
 * when the server does not read (the timeout); STARTTLS's handshake and
 * the reconnection after a hang-up on EHLO, both of which may run inside
 * conn_process; conn_auth and conn_starttls, which wait for their
 * replies.  The caller must ignore SIGPIPE (connect_main does).
 */
#ifndef SMTPREF_CONN_H
#define SMTPREF_CONN_H

#include <stddef.h>

#include "core/client.h"
#include "core/tx.h"

enum conn_tls_mode {
	CONN_TLS_NONE,		/* plain; the user may type STARTTLS */
	CONN_TLS_STARTTLS,	/* STARTTLS after EHLO, required: the session
				 * ends if the server does not offer it */
	CONN_TLS_IMPLICIT	/* TLS from the first byte (RFC 8314, port 465) */
};

struct conn_opts {
	const char *host;	/* name or address literal: where to connect,
				 * the SNI name, the certificate's name */
	unsigned port;
	int family;		/* AF_UNSPEC, AF_INET (-4) or AF_INET6 (-6) */
	int timeout_ms;		/* connect, TLS handshake, each reply, each write */
	const char *helo;	/* the EHLO/HELO argument */
	int no_ehlo;		/* 1: smtpref does not greet; the user does */
	enum conn_tls_mode tls;
	int insecure;		/* accept a certificate that fails verification */
	int plaintext_auth;	/* let conn_auth send credentials without TLS */
};

enum conn_state {
	CONN_NEW,		/* conn_open not called yet */
	CONN_OPEN,		/* the session is going on */
	CONN_ENDED,		/* the server said 221 and the connection is closed */
	CONN_DROPPED,		/* the server ended the session otherwise (421,
				 * or closed the connection) */
	CONN_PROTOCOL,		/* the server broke the protocol so badly that
				 * smtpref stopped (a line too long, too many
				 * lines, not a reply, mixed codes) */
	CONN_NETWORK,		/* resolving, connecting, a timeout, a reset */
	CONN_TLS_FAILED,	/* the handshake or the certificate failed, or
				 * STARTTLS was required and not possible */
	CONN_CLOSED,		/* conn_close closed it */
	CONN_STATE_LAST
};
const char *conn_state_str(enum conn_state s);

/* What the next line the user sends is. */
enum conn_input {
	CONN_IN_COMMAND,	/* a command */
	CONN_IN_MESSAGE,	/* after 354: a line of the message; "." ends it */
	CONN_IN_CHUNK,		/* after BDAT n: octets of the chunk (line + CRLF) */
	CONN_IN_AUTH,		/* after 334: the answer to an AUTH challenge */
	CONN_IN_LAST
};

struct conn;

/* conn_new - a session with the options (copied, strings included) */
struct conn *conn_new(const struct conn_opts *o, const struct tx_sink *sink);
void conn_free(struct conn *c);

/* conn_open - blocking: resolve, connect (each address in turn), TLS
 * when implicit, the greeting, then EHLO (HELO after a 5xx, a new
 * connection and HELO after a hang-up) unless no_ehlo, then STARTTLS
 * and EHLO again when asked.  Returns 0 when the session is open (even
 * if the server refused it with 554: its replies are part of the
 * lesson), -1 when it is not (conn_state says why). */
int conn_open(struct conn *c);

/* conn_fd - the socket, for poll(2); -1 when closed */
int conn_fd(const struct conn *c);

/* conn_send - send one line the user typed (without line ending): CRLF
 * is added, always.  A command line holding CR or NUL is refused; a
 * message line is dot-stuffed (and the user told), a lone CR in it ends
 * a line; "." alone ends the message.  STARTTLS's 220 starts the
 * handshake by itself.  Returns 0 when sent, -1 when not (an item says
 * why). */
int conn_send(struct conn *c, const char *line, size_t len);

/* conn_send_group - RFC 2920: n command lines in one write, when the
 * server announced PIPELINING; every line but the last must be one RFC
 * 2920 3.1 allows anywhere in a group (RSET, MAIL, RCPT, ...).  The
 * replies are matched to the commands in order. */
int conn_send_group(struct conn *c, const char *const *lines,
    const size_t *lens, size_t n);

/* conn_process - non-blocking: read what is readable, handle every
 * complete reply; also ends the session when the reply deadline passed.
 * Returns 0, or -1 when the session is over. */
int conn_process(struct conn *c);

/* conn_timeout - milliseconds until the pending reply's deadline (for
 * poll), -1 when no reply is awaited */
int conn_timeout(const struct conn *c);

/* conn_wait - blocking: until every pending reply has arrived, each
 * within the timeout.  Returns at once when none is pending or the user
 * must go on (a message, a BDAT chunk).  0, or -1 when the session is
 * over. */
int conn_wait(struct conn *c);

/* conn_auth - RFC 4954 with mech "plain" (RFC 4616) or "login": the
 * base64 is made here, the exchange shown with the secret redacted, and
 * password's copies wiped.  Refused without TLS unless
 * opts.plaintext_auth or insist.  Blocking: waits for each reply.
 * Returns 0 when the server said 235, -1 otherwise. */
int conn_auth(struct conn *c, const char *mech, const char *user,
    const char *password, int insist);

/* conn_starttls - send STARTTLS and, after 220, run the handshake
 * (blocking).  0 when TLS is on. */
int conn_starttls(struct conn *c);

/* conn_close - close the connection without QUIT (the state becomes
 * CONN_CLOSED if the session was still open) */
void conn_close(struct conn *c);

/* queries */
enum conn_state conn_state(const struct conn *c);
int conn_closed(const struct conn *c);
enum conn_input conn_input(const struct conn *c);
/* the tracking client's phase (client.h) */
enum client_phase conn_phase(const struct conn *c);
int conn_tls_on(const struct conn *c);
/* replies awaited */
size_t conn_pending(const struct conn *c);
/* the last EHLO reply listed keyword (whole token, any case) */
int conn_offers(const struct conn *c, const char *keyword);
/* the code of the last complete reply, 0 before one */
int conn_last_code(const struct conn *c);

#endif
