/* SPDX-License-Identifier: GPL-3.0-or-later */
/* server.h - the simulated SMTP server: one session's state machine
 *
 * RFC 5321 with the extensions of RFC 1870 (SIZE), 1985 (ETRN), 2034
 * (ENHANCEDSTATUSCODES), 2852 (DELIVERBY), 2920 (PIPELINING), 3030
 * (CHUNKING, BINARYMIME), 3207 (STARTTLS, simulated), 3461 (DSN), 4954
 * (AUTH PLAIN, LOGIN, CRAM-MD5), 6152 (8BITMIME), 6531 (SMTPUTF8), 6710
 * (MT-PRIORITY), 7504 (521, 556) and 8689 (REQUIRETLS).
 *
 * A push parser with no I/O: the caller hands in the bytes of each read
 * (server_feed) and receives replies and events through callbacks.  Every
 * reply says which rule chose it and the RFC section of that rule; every
 * change of phase is one event {from, to, rule, section}.  A persona
 * (data/personas.rec) and the simulated world (data/world.rec) decide the
 * policies.  No globals: state that outlives one connection (greylisting)
 * lives in a struct server_memory owned by the caller.
 */
#ifndef SMTPREF_SERVER_H
#define SMTPREF_SERVER_H

#include <stddef.h>

#include "core/ref.h"

/* Where the session stands (shared/reference/state-machine.md 1). */
enum server_phase {
	SERVER_CONNECTED,	/* before the greeting */
	SERVER_GREETED,		/* 220 sent; EHLO/HELO expected */
	SERVER_REFUSED,		/* 554 or 521 greeting: only QUIT is useful */
	SERVER_READY,		/* identified, no transaction */
	SERVER_MAIL,		/* MAIL accepted, no recipient yet */
	SERVER_RCPT,		/* at least one recipient accepted */
	SERVER_DATA,		/* 354 sent, reading the message */
	SERVER_BDAT,		/* chunks received, BDAT LAST not yet */
	SERVER_AUTH,		/* 334 sent, reading the client's answer */
	SERVER_TLS,		/* 220 to STARTTLS: handshake under way */
	SERVER_CLOSED,		/* 221 or 421 sent, or the connection dropped */
	SERVER_PHASE_LAST
};

/* The one table of the phases' names (server.c):
 * server_phase_str - a name for the learner ("greeted", "in transaction
 * (sender given)");
 * server_phase_key - the token data/commands.rec's Phases, lessons and the
 * diagram use ("greeted", "ready", "mail", "rcpt", "bdat", "data", ...);
 * server_phase_words - what the phase means ("before EHLO/HELO");
 * server_phase_from_key - the phase of a key, or -1. */
const char *server_phase_str(enum server_phase p);
const char *server_phase_key(enum server_phase p);
const char *server_phase_words(enum server_phase p);
int server_phase_from_key(const char *key, size_t len);

/* server_diagram_phase - the phase's box in the state diagram
 * (explain_diagram): chunks are the message's box, AUTH and TLS happen
 * in ready, a refused session is still greeted */
int server_diagram_phase(enum server_phase p);

/* One reply, as sent.  Pointers are valid during the callback only. */
struct server_reply {
	int code;
	const char *enh;	/* "5.1.1", or "" when not shown */
	const char *verb;	/* what it answers: "MAIL", "CONNECT" (greeting),
				 * "DATA-END", "BDAT", "AUTH" (also its 334
				 * exchange), or "" for an unknown verb */
	const char *rule;	/* a short stable name: "rcpt-unknown-user" */
	const char *reason;	/* why, in one sentence, for this session */
	const char *section;	/* "RFC 5321 3.3" */
	const char *wire;	/* the whole reply with its CRLFs */
	size_t wire_len;
	int closes;		/* the server closes the connection after it */
};

enum server_event_kind {
	SERVER_EV_PHASE,	/* from -> to */
	SERVER_EV_NOTE,		/* something worth explaining, no reply */
	SERVER_EV_WARNING,	/* the client broke a rule the server tolerated */
	SERVER_EV_DISCARD,	/* input thrown away (after STARTTLS) */
	SERVER_EV_CLOSE,	/* the connection is closed */
	SERVER_EV_LAST
};

struct server_event {
	enum server_event_kind kind;
	enum server_phase from, to;
	const char *rule;
	const char *section;
	const char *text;
	size_t bytes;		/* SERVER_EV_DISCARD: how many */
};

struct server_sink {
	void *ctx;
	void (*reply)(void *ctx, const struct server_reply *r);
	void (*event)(void *ctx, const struct server_event *e);	/* may be NULL */
	/* line_done - a line was read and dealt with, the events about it
	 * (a pipelining warning comes after the reply) sent; may be NULL */
	void (*line_done)(void *ctx);
};

/* What the server reads, as it reads it (server_watch): what a real
 * client sent, for a display or a mailbox. */
struct server_reader {
	void *ctx;
	/* line - a line, before the server deals with it; server_phase()
	 * says what it is: in SERVER_DATA a line of the message, still
	 * dot-stuffed; in SERVER_AUTH an answer to 334; else a command.
	 * line[0..len) lacks its CRLF (or bare LF: crlf 0); a line longer
	 * than the server keeps is its beginning, total its whole length.
	 * May be NULL. */
	void (*line)(void *ctx, const char *line, size_t len, size_t total,
	    int crlf);
	/* chunk - octets of a BDAT chunk as they are read; may be NULL */
	void (*chunk)(void *ctx, const char *p, size_t len);
};

/* What outlives a connection: the greylist, and the simulated clock it
 * is measured with.  Zero it before first use.  Nothing in the core reads
 * a real clock: time passes only when the caller says so (server_wait,
 * server_memory_wait), so a session is the same every time it is run. */
#define SERVER_GREYLIST_MAX 64
struct server_memory {
	unsigned long pairs[SERVER_GREYLIST_MAX];	/* hashes of sender+recipient */
	unsigned long first[SERVER_GREYLIST_MAX];	/* when each was first seen */
	size_t npairs, next;
	unsigned long now;	/* the simulated clock, in seconds */
};

/* How long the simulated server waits for a silent client before it gives
 * up with 421 (RFC 5321 4.5.3.2.7: at least 5 minutes). */
#define SERVER_IDLE_TIMEOUT 300
/* The longest wait server_parse_duration accepts: 30 days. */
#define SERVER_WAIT_MAX (30UL * 24 * 3600)

/* server_memory_wait - seconds pass on the simulated clock, with no
 * connection open */
void server_memory_wait(struct server_memory *m, unsigned long seconds);

/* server_parse_duration - "90", "90s", "5m", "2h" or "1d" (at most
 * SERVER_WAIT_MAX) into seconds; 0, or -1 when it is not one */
int server_parse_duration(const char *s, size_t n, unsigned long *seconds);

struct server;

/* server_new - a session with persona p (NULL: "modern").  mem may be
 * NULL (the session then keeps its own greylist).  Returns NULL when out
 * of memory.  Nothing is sent until server_start. */
struct server *server_new(const struct ref_persona *p,
    struct server_memory *mem, const struct server_sink *sink);
void server_free(struct server *s);

/* server_start - send the greeting */
void server_start(struct server *s);

/* server_watch - what the server reads goes to r as well (NULL: no
 * longer) */
void server_watch(struct server *s, const struct server_reader *r);

/* server_tls_from_start - the connection is under TLS from its first
 * octet (implicit TLS, RFC 8314 3.3): call before server_start */
void server_tls_from_start(struct server *s);

/* server_feed - the bytes of one read from the client.  Replies go to the
 * sink as soon as each command is complete.  Input received in the same
 * read as STARTTLS, after it, is discarded once the 220 is sent
 * (CVE-2011-0411; see server_discarding for input already waiting).
 * Returns 0 while the connection is open, -1 once it is closed (the rest
 * of buf is then ignored). */
int server_feed(struct server *s, const char *buf, size_t len);

/* server_discarding - 1 after a read in which STARTTLS was accepted,
 * until the next server_feed: input that was already waiting then (the
 * rest of the caller's buffer, or what a non-blocking read or poll
 * finds at once) arrived with STARTTLS, whatever the read sizes, and
 * goes to server_discard, never to server_feed.  Without this, the
 * commands after a STARTTLS that ends exactly at a read's end would run
 * inside the TLS session.  A caller that feeds one typed line at a
 * time has nothing waiting and need not ask. */
int server_discarding(const struct server *s);

/* server_discard - len octets that were waiting with STARTTLS are thrown
 * away (an event says how many); nothing when not server_discarding */
void server_discard(struct server *s, size_t len);

/* server_eof - the client closed the connection (or input ended) */
void server_eof(struct server *s);
/* server_timeout - the client said nothing for too long: 421, close */
void server_timeout(struct server *s);
/* server_wait - seconds pass while the client says nothing: the clock of
 * the server's memory moves on, and a wait of SERVER_IDLE_TIMEOUT or more
 * on an open connection ends it with server_timeout's 421 */
void server_wait(struct server *s, unsigned long seconds);
/* server_shutdown - the server must stop: 421, close */
void server_shutdown(struct server *s);

/* server_fault - answer the nth (1 = next) future occurrence of verb
 * ("RCPT", "MAIL", "DATA-END", ...) with code and enhanced code enh (may be
 * "" or NULL), instead of what the rules would say.  Code SERVER_FAULT_DROP
 * is the network failing instead: the server acts on the command as the
 * rules say (after the final dot, it accepts the message), but the
 * connection breaks before its reply leaves.  Returns 0, or -1 when the
 * arguments are bad or too many faults are pending. */
#define SERVER_FAULT_DROP 0
int server_fault(struct server *s, const char *verb, int nth, int code,
    const char *enh);

enum server_phase server_phase(const struct server *s);
const struct ref_persona *server_persona(const struct server *s);
int server_tls_active(const struct server *s);
int server_authenticated(const struct server *s);
/* server_ehlo_used - 1 after EHLO, 2 after HELO, 0 before either */
int server_ehlo_used(const struct server *s);
/* server_offers - whether the EHLO reply in effect announced keyword
 * (whole token, any case) */
int server_offers(const struct server *s, const char *keyword);
/* server_keywords - the keywords this persona announces now (before or
 * after TLS), space separated */
const char *server_keywords(const struct server *s);
/* server_verb_allowed - whether verb may be sent now and be taken: its
 * row's phases, implemented and negotiated (used for :state and
 * completion, and held to the server by tests/check_views.c) */
int server_verb_allowed(const struct server *s, const char *verb);
/* server_rcpt_count - recipients accepted in the open transaction */
size_t server_rcpt_count(const struct server *s);
/* server_last_sender - the reverse-path of the last MAIL command this
 * connection accepted ("" for the null path <>), or NULL before any */
const char *server_last_sender(const struct server *s);

/* server_reply_allowed - whether code is one RFC 5321 4.3.2 and the
 * extensions' tables allow as an answer to verb (the verb's Success,
 * Intermediate and Errors lists, and 421/500/501 for any command).
 * verb "CONNECT" and "DATA-END" follow reply-codes.rec. */
int server_reply_allowed(const char *verb, int code);

#endif
