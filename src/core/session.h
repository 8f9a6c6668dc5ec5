/* SPDX-License-Identifier: GPL-3.0-or-later */
/* session.h - a simulated SMTP session for a learner, in either role
 *
 * Client role: the learner types commands; the simulated server
 * (core/server.c) answers, and every reply is explained.  Server role: the
 * simulated client (core/client.c) sends its commands; the learner types
 * the replies, which are checked.  Everything to show leaves as tx items
 * (tx.h), so the shell, the TUI, lessons and `smtpref listen` present the
 * same session.  A session is a peer (peer.h): session_peer() gives the
 * interface the console calls through.  No I/O, no terminal.
 */
#ifndef SMTPREF_SESSION_H
#define SMTPREF_SESSION_H

#include <stddef.h>

#include "core/client.h"
#include "core/explain.h"
#include "core/peer.h"
#include "core/ref.h"
#include "core/server.h"
#include "core/tx.h"

enum session_role {
	SESSION_CLIENT,		/* the learner is the client */
	SESSION_SERVER		/* the learner is the server */
};

/* What the learner's next line will be. */
enum session_mode {
	SESSION_COMMAND,	/* a command (client role) */
	SESSION_MESSAGE,	/* a line of the message, after 354 */
	SESSION_AUTH,		/* an answer to a 334 AUTH challenge */
	SESSION_REPLY,		/* the first line of a reply (server role) */
	SESSION_REPLY_MORE,	/* a further line of a multi-line reply */
	SESSION_CLOSED,		/* the connection is closed */
	SESSION_MODE_LAST
};

struct session_opts {
	enum session_role role;
	const struct ref_persona *persona;	/* NULL: modern */
	const struct ref_scenario *scenario;	/* NULL: plain */
	enum explain_level level;
	int hints;		/* show hints after mistakes */
};

/* What the last complete exchange was, for lessons and tests. */
struct session_last {
	int code;		/* the last reply's code, 0 before any */
	char enh[16];		/* its enhanced code, "" when none */
	char verb[16];		/* what it answered ("MAIL", "DATA-END") */
	char rule[48];		/* client role: the server's rule */
	int allowed;		/* server role: the learner's code is one the
				 * RFCs allow for that command */
	int expected;		/* server role: what a conforming server would
				 * have answered, 0 when it agreed */
};

struct session;

/* session_new - a session that shows everything through sink; NULL when
 * out of memory.  Nothing happens until session_start. */
struct session *session_new(const struct session_opts *o,
    const struct tx_sink *sink);
void session_free(struct session *s);

/* session_peer - the session as a peer; peer_free through it frees the
 * session */
struct peer *session_peer(struct session *s);

/* session_of - the session behind a peer, or NULL when the peer is of
 * another kind (tests look into the session with it) */
struct session *session_of(struct peer *p);

/* session_start - connect: the greeting (client role) or the simulated
 * client waiting for the learner's greeting (server role) */
void session_start(struct session *s);

/* session_restart - a new connection with the same options; what
 * outlives a connection (the greylist) is kept */
void session_restart(struct session *s);

/* session_input - one line the learner typed, without its line ending.
 * Returns 1 when the line held a credential (an AUTH answer), which the
 * caller must keep out of its history, else 0. */
int session_input(struct session *s, const char *line, size_t len);

/* session_pipeline - several commands written at once (RFC 2920); the
 * replies are shown matched to the commands they answer.  Returns 1 when
 * a line held a credential. */
int session_pipeline(struct session *s, const char *const *lines,
    const size_t *lens, size_t n);

/* session_feed - client role: bytes of one read from a real client (a
 * socket), fed to the server as they are; what the client sent (its
 * credentials redacted, at most SESSION_MESSAGE_SHOWN lines of each
 * message), the replies and the explanations leave as items, the wire
 * bytes of each reply through wire (session_wire).  Returns 0 while the
 * connection is open, -1 once the server closed it. */
#define SESSION_MESSAGE_SHOWN 24
int session_feed(struct session *s, const char *buf, size_t len);

/* session_wire - where the bytes of each reply go as well (a socket) */
void session_wire(struct session *s,
    void (*wire)(void *ctx, const char *bytes, size_t len), void *ctx);

/* session_timeout - client role: a real client said nothing for too
 * long (RFC 5321 4.5.3.2.7); session_shutdown - the server stops.  Both
 * answer 421 and close the connection. */
void session_timeout(struct session *s);
void session_shutdown(struct session *s);

/* session_serve - client role, before session_start: the session is a
 * real client's (smtpref listen).  mem, when not NULL, is what outlives
 * a connection (the greylist), shared by several sessions; tls says the
 * connection is under TLS from its first octet (RFC 8314 3.3).  0, or
 * -1 when out of memory. */
int session_serve(struct session *s, struct server_memory *mem, int tls);

/* session_track - server role, before session_start: the client is a
 * real one (smtpref shell --listen), whose lines come through
 * session_client_line; the learner's replies leave through session_wire.
 * The client machine tracks what it sends, and a shadow server of persona
 * p (NULL: modern) says what a conforming server would answer.  0, or -1
 * when out of memory. */
int session_track(struct session *s, const struct ref_persona *p);
/* session_client_line - server role, tracking: a line the real client
 * sent, without its line ending; shown (made printable, a credential
 * redacted, the first lines of a message) and tracked */
void session_client_line(struct session *s, const char *line, size_t len);

/* session_tap - client role: everything the server says, as it says it
 * (its replies and events), also goes to tap, and what it reads (the
 * client's lines and chunks) to read, before the session turns them
 * into items: smtpref listen grades the client and keeps its messages */
void session_tap(struct session *s, const struct server_sink *tap,
    const struct server_reader *read);

/* session_end - the learner leaves (Ctrl-D): QUIT is sent first when
 * the session allows it, so the learner sees 221 */
void session_end(struct session *s);

/* session_fault - the nth future verb gets code/enh (client role only);
 * 0, or -1 when the arguments are bad */
int session_fault(struct session *s, const char *verb, int nth, int code,
    const char *enh);

/* session_wait - seconds pass on the simulated server's clock (client
 * role): its greylist counts them, and SERVER_IDLE_TIMEOUT or more on an
 * open connection end it with 421, the server's timeout.  0, or -1 with
 * no simulated server or seconds out of 1..SERVER_WAIT_MAX. */
int session_wait(struct session *s, unsigned long seconds);

void session_set_level(struct session *s, enum explain_level level);
enum explain_level session_level(const struct session *s);

enum session_mode session_mode(const struct session *s);
const char *session_mode_str(enum session_mode m);
enum session_role session_role(const struct session *s);
const struct session_opts *session_opts(const struct session *s);
const struct session_last *session_last(const struct session *s);

/* The machines behind it.  Only one exists: the server in the client
 * role, the client in the server role (the other accessor returns NULL). */
const struct server *session_server(const struct session *s);
const struct client *session_client(const struct session *s);

/* session_tls - the connection is (simulated) under TLS */
int session_tls(const struct session *s);

/* What any peer built on a simulated server or client says about it; the
 * lessons' peer uses them too.
 * session_server_next - the commands the learner may send to srv now;
 * session_client_next - the codes a server may give to what cl awaits;
 * session_server_state, session_client_state - :state's lines. */
size_t session_server_next(const struct server *srv, char *buf, size_t size);
size_t session_client_next(const struct client *cl, char *buf, size_t size);
void session_server_state(const struct server *srv, const struct tx_sink *out,
    const char *you);
void session_client_state(const struct client *cl, int tls,
    const struct tx_sink *out, const char *you);

#endif
