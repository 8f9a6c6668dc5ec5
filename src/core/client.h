/* SPDX-License-Identifier: GPL-3.0-or-later */
/* client.h - a conforming SMTP client's state machine
 *
 * Two uses, one machine:
 *  - driving: given a scenario (data/scenarios.rec), the client decides
 *    what a conforming client sends next, from the replies it gets (the
 *    learner plays the server, or `smtpref simulate --role server`);
 *  - tracking: the user decides what to send (a real server, issue 5) and
 *    the client only records each command, so that every reply can be
 *    validated against the command it answers and the session's phase is
 *    known; or a real client sends, and the user answers it (with a
 *    shadow server, client_new_tracker).
 * In both, every reply is validated (RFC 5321 4.2 syntax and multi-line
 * form, whether the code is one RFC 5321 4.3.2 and the extensions allow
 * for that command, the enhanced code's class) and, when driving, a shadow
 * simulated server fed with the same commands says what a conforming
 * server would have answered, with its rule.
 *
 * Pure: no I/O, no globals.  Findings go to a callback.
 */
#ifndef SMTPREF_CLIENT_H
#define SMTPREF_CLIENT_H

#include <stddef.h>

#include "core/ref.h"
#include "core/server.h"

/* Scenarios (struct ref_scenario, data/scenarios.rec) are in ref.h. */

/* What the client waits for, or did last. */
enum client_phase {
	CLIENT_GREETING,	/* connected, waiting for 220 */
	CLIENT_EHLO,		/* EHLO sent */
	CLIENT_HELO,		/* HELO sent */
	CLIENT_STARTTLS,	/* STARTTLS sent */
	CLIENT_AUTH,		/* AUTH sent or in its 334 exchange */
	CLIENT_MAIL,		/* MAIL sent */
	CLIENT_RCPT,		/* RCPT sent */
	CLIENT_DATA,		/* DATA sent, waiting for 354 */
	CLIENT_MESSAGE,		/* message and final dot sent */
	CLIENT_BDAT,		/* a BDAT chunk sent */
	CLIENT_RSET,		/* RSET sent */
	CLIENT_QUIT,		/* QUIT sent */
	CLIENT_OTHER,		/* tracking: a command with no phase of its own */
	CLIENT_DONE,		/* the session is over */
	CLIENT_PHASE_LAST
};
/* The one table of the phases' names (client.c):
 * client_phase_str - a name for the learner ("MAIL sent");
 * client_phase_key - the token lessons use ("mail");
 * client_phase_verb - the command whose reply the client waits for in the
 * phase ("MAIL", "CONNECT" for the greeting, "DATA-END" for the final
 * dot; "" for none). */
const char *client_phase_str(enum client_phase p);
const char *client_phase_key(enum client_phase p);
const char *client_phase_verb(enum client_phase p);
/* client_phase_from_key - the phase of a key, or -1 */
int client_phase_from_key(const char *key, size_t len);

enum client_finding_kind {
	CLIENT_BAD_REPLY,	/* not a valid reply (syntax, multi-line form) */
	CLIENT_BAD_CODE,	/* a code RFC 5321 4.3.2 does not allow here */
	CLIENT_BAD_ENHANCED,	/* enhanced code malformed or of the wrong class */
	CLIENT_DIFFERS,		/* a conforming server would have answered otherwise */
	CLIENT_DECISION,	/* what the client does next, and why */
	CLIENT_FINDING_LAST
};

/* client_finding_label - a short label: "bad", "code", "enhanced",
 * "expected", "client" */
const char *client_finding_label(enum client_finding_kind k);

struct client_finding {
	enum client_finding_kind kind;
	const char *text;	/* one or two sentences for the learner */
	const char *section;	/* "RFC 5321 4.3.2" */
	int expected;		/* CLIENT_DIFFERS: the conforming code, else 0 */
	const char *expected_enh;	/* "" when none */
	const char *rule;	/* CLIENT_DIFFERS: the shadow server's rule */
};

struct client_sink {
	void *ctx;
	void (*finding)(void *ctx, const struct client_finding *f);
};

enum client_action {
	CLIENT_SEND,		/* out holds bytes to send */
	CLIENT_WAIT,		/* waiting for a reply */
	CLIENT_RECONNECT,	/* the client connects again (then greeting):
				 * after a hang-up on EHLO (it then uses
				 * HELO), and once after a session whose
				 * recipients got only temporary (4xx)
				 * failures, to retry them (greylisting),
				 * client_retry_wait() seconds later */
	CLIENT_CLOSE		/* the client is finished with the connection */
};

struct client;

/* client_new - a client driving scenario sc (NULL: tracking mode) */
struct client *client_new(const struct ref_scenario *sc,
    const struct client_sink *sink);
void client_free(struct client *c);

/* client_new_tracker - tracking, with a shadow simulated server of
 * persona p (NULL: modern) fed with every line the user sends: each reply
 * is also compared with what a conforming server of that kind would
 * have answered, as when driving (the learner answers a real client:
 * smtpref shell --listen).  NULL when out of memory. */
struct client *client_new_tracker(const struct ref_persona *p,
    const struct client_sink *sink);

/* What the opener does about STARTTLS. */
enum client_starttls {
	CLIENT_STARTTLS_NO,		/* nothing */
	CLIENT_STARTTLS_REQUIRED,	/* STARTTLS, or QUIT when it cannot */
	CLIENT_STARTTLS_IF_OFFERED	/* STARTTLS when offered; when it is
					 * not, or refused, on in clear */
};

/* client_new_opener - a client that opens a session with a real server
 * as a conforming client does, then hands over to the user: EHLO helo
 * after the greeting (HELO when EHLO is refused, and a new connection and
 * HELO when the server hangs up on it: client_next says
 * CLIENT_RECONNECT), and with starttls, STARTTLS and EHLO again (when
 * required, QUIT when the server cannot; client_tls() says whether it
 * came).  hello 0: nothing after the greeting.  From the moment
 * client_handed() says so, it tracks what the user sends (client_sent),
 * as a tracking client does.  The caller runs the TLS handshake when
 * client_tls() turns 1, before sending what client_next gives. */
struct client *client_new_opener(const char *helo, int hello,
    enum client_starttls starttls, const struct client_sink *sink);
int client_handed(const struct client *c);

/* client_login - the opener, handed over and with no command pending,
 * logs in with mech "PLAIN" (RFC 4616) or "LOGIN": client_next gives the
 * exchange, and when it ends (235 or not) the client hands over again and
 * wipes its copy of the password.  0, or -1 when it cannot now. */
int client_login(struct client *c, const char *mech, const char *user,
    const char *password);

/* client_secret - the bytes client_next gave last hold a credential */
int client_secret(const struct client *c);

/* client_retry_wait - the simulated seconds the client let pass before
 * its last CLIENT_RECONNECT (0: it connected again at once).  A driver
 * that pairs the client with a simulated server moves that server's
 * clock on by as much (server_memory_wait), as a real queue's retry would
 * arrive later. */
unsigned long client_retry_wait(const struct client *c);

/* client_next - what to do now.  CLIENT_SEND: out[0..*len) holds the
 * bytes (a command with CRLF, a pipelined group, or the dot-stuffed
 * message ending in CRLF.CRLF, or a BDAT command and its chunk).  Call it
 * again after each reply until it says CLIENT_WAIT or CLIENT_CLOSE.
 * size should be at least 64 KiB. */
enum client_action client_next(struct client *c, char *out, size_t size,
    size_t *len);

/* client_reply - one complete reply as received, CRLFs included (one or
 * more lines).  Validates it, reports findings, updates the state. */
void client_reply(struct client *c, const char *wire, size_t len);

/* client_dropped - the server closed the connection */
void client_dropped(struct client *c);

/* client_sent - tracking mode: the user sent this command line (without
 * CRLF); the next reply answers it.  A pipelined group is several calls.
 * After a 354 the lines are the message, up to the line "."; after a
 * 334 to AUTH a line is the answer; after "BDAT n" the next lines
 * (counted with their CRLF) are the chunk's n octets. */
void client_sent(struct client *c, const char *line, size_t len);

enum client_phase client_phase(const struct client *c);
/* client_offers - the last EHLO reply listed keyword (whole token) */
int client_offers(const struct client *c, const char *keyword);
/* client_tls - the client believes TLS is active (after 220 to STARTTLS) */
int client_tls(const struct client *c);

/* client_server_phase - where the server stands as far as the client can
 * tell, as an enum server_phase of the state diagram: while a reply is
 * awaited, still where the last reply left it */
int client_server_phase(const struct client *c);
/* client_awaits - the command whose reply comes next ("CONNECT" for the
 * greeting, "DATA-END" for the final dot), or NULL when none is awaited */
const char *client_awaits(const struct client *c);
size_t client_pending(const struct client *c);
/* client_last_code - the code of the last reply, 0 before one */
int client_last_code(const struct client *c);
/* client_mechs - the AUTH mechanisms of the last EHLO reply */
const char *client_mechs(const struct client *c);
/* client_done - the session is over */
int client_done(const struct client *c);
/* client_tls_failed - TLS was required and cannot start: the server does
 * not offer it, or refused it (the client says QUIT) */
int client_tls_failed(const struct client *c);

#endif
