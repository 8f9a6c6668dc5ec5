/* SPDX-License-Identifier: GPL-3.0-or-later */
/* peer.h - what the learner talks to: one interface, one implementation
 * per kind
 *
 * The console (src/console/) holds one peer and calls through its table,
 * as curl's transfer engine calls through a protocol handler: it never
 * asks which kind of peer it has.  The kinds:
 *
 *   the simulated server   the learner is the client   core/session.c
 *   the simulated client   the learner is the server   core/session.c
 *   a real server          over a socket               net/realpeer.c
 *   a real client          the learner is its server   net/clientpeer.c
 *   a replayed transcript  Enter shows the next reply  console/replay.c
 *   a lesson               a layer over the lesson's   console/lessonpeer.c
 *                          own simulated peer
 *
 * Each takes the learner's line, or a pipelined group, and the end of
 * input; says what the next line is (peer_input), whether it waits for a
 * reply, where the session stands (the phase of the state diagram) and
 * what may come next; and shows everything as tx items (core/tx.h)
 * through the sink it was made with.  What a kind cannot do is a slot
 * left NULL and a capability flag it does not report, so the console
 * refuses the meta-command with the reason the command table gives.
 */
#ifndef SMTPREF_PEER_H
#define SMTPREF_PEER_H

#include <stddef.h>

#include "core/explain.h"
#include "core/tx.h"

/* What the learner's next line is. */
enum peer_input {
	PEER_IN_COMMAND,	/* an SMTP command (the learner is the client) */
	PEER_IN_MESSAGE,	/* a line of the message, after 354 */
	PEER_IN_CHUNK,		/* a line of a BDAT chunk */
	PEER_IN_AUTH,		/* the answer to a 334 AUTH challenge */
	PEER_IN_REPLY,		/* the first line of a reply (the learner is
				 * the server) */
	PEER_IN_REPLY_MORE,	/* a further line of a multi-line reply */
	PEER_IN_GROUP,		/* a line of a pipelined group, which an
				 * empty line sends (a lesson's step) */
	PEER_IN_ANSWER,		/* the answer to a lesson's question */
	PEER_IN_STEP,		/* Enter goes on (a replayed transcript) */
	PEER_IN_CLOSED,		/* nothing: the connection is closed */
	PEER_IN_LAST
};

/* peer_input_str - "command", "message", ... */
const char *peer_input_str(enum peer_input in);

/* What it waits for before the learner's next line can go out. */
enum peer_wait {
	PEER_WAIT_NONE,		/* nothing: the learner's turn */
	PEER_WAIT_REPLY,	/* a reply (a real server is slow) */
	PEER_WAIT_354		/* the reply to DATA: only 354 lets the
				 * message follow */
};

/* Capabilities: what the meta-commands may ask of this peer. */
enum {
	PEER_CAN_SETUP = 1 << 0,	/* a simulation the learner sets up:
					 * :role, :persona, :scenario */
	PEER_CAN_RESTART = 1 << 1,	/* :restart */
	PEER_CAN_FAULT = 1 << 2,	/* :fault (a simulated server) */
	PEER_CAN_PIPE = 1 << 3,		/* :pipe, a pasted group */
	PEER_CAN_LOGIN = 1 << 4,	/* :auth, :auth! (a real server) */
	PEER_CAN_STARTTLS = 1 << 5,	/* :starttls (a real server) */
	PEER_GUIDED = 1 << 6,		/* a lesson: :hint, :skip; it sets up
					 * the session itself */
	PEER_CAN_WAIT = 1 << 7,		/* :wait (a simulated clock) */
	PEER_LIVE = 1 << 8		/* its items may arrive at any time
					 * (a socket): draw them as they come */
};

/* Who is who, for a status line and :state. */
struct peer_info {
	int learner_server;	/* the learner plays the server */
	const char *other;	/* what the learner talks to: "server", "real
				 * server", "client", "transcript" */
	const char *name;	/* its name: a persona, a host, a scenario */
	const char *detail;	/* more about it (the persona's host name),
				 * or NULL */
	const char *lesson;	/* a lesson's name, or NULL */
	const char *title;	/* the lesson's title */
	size_t step, nsteps;	/* the step waiting (0-based), and how many */
};

struct peer;

struct peer_ops {
	/* start - connect: the greeting, or a client waiting for one */
	void (*start)(struct peer *p);
	/* line - one line the learner typed, without its line ending;
	 * returns 1 when it held a credential, which must not be kept in a
	 * history */
	int (*line)(struct peer *p, const char *line, size_t len);
	/* group - several commands written at once (RFC 2920); the peer
	 * sends them as one group where that makes sense, else one by one */
	int (*group)(struct peer *p, const char *const *lines,
	    const size_t *lens, size_t n);
	/* leave - the learner leaves (Ctrl-D): QUIT first where it may */
	void (*leave)(struct peer *p);
	/* close - leave at once, without QUIT */
	void (*close)(struct peer *p);
	/* cancel - Ctrl-C: drop what is collected; 1 when there was some */
	int (*cancel)(struct peer *p);
	void (*free)(struct peer *p);

	enum peer_input (*input)(const struct peer *p);
	/* waiting - what it waits for; what says it in a few words ("354",
	 * "the greeting", "a reply to RCPT") */
	enum peer_wait (*waiting)(const struct peer *p, char *what,
	    size_t size);
	/* phase - where the session stands, as an enum server_phase of the
	 * state diagram (core/explain.h) */
	int (*phase)(const struct peer *p);
	/* next - what may come next, space separated: the commands the
	 * learner may send, or the codes a server may give */
	size_t (*next)(const struct peer *p, char *buf, size_t size);
	/* state - the lines :state shows */
	void (*state)(const struct peer *p, const struct tx_sink *out);
	void (*info)(const struct peer *p, struct peer_info *out);
	/* offers - the server announced keyword in its EHLO reply */
	int (*offers)(const struct peer *p, const char *keyword);
	/* mechs - the AUTH mechanisms to complete, space separated */
	const char *(*mechs)(const struct peer *p);
	/* reply_to - the command the learner's reply answers ("MAIL",
	 * "CONNECT" for the greeting), or NULL when the learner is not the
	 * server */
	const char *(*reply_to)(const struct peer *p);
	unsigned (*caps)(const struct peer *p);
	int (*tls)(const struct peer *p);
	void (*set_level)(struct peer *p, enum explain_level level);
	/* done - the peer has nothing more to do here (a lesson is over, a
	 * replay ended): the console goes back to what was before it */
	int (*done)(const struct peer *p);

	/* A socket (NULL for the others): poll fd() for input at most
	 * timeout() ms (-1: no deadline), then process(); wait() blocks
	 * until no reply is awaited. */
	int (*fd)(const struct peer *p);
	int (*timeout)(const struct peer *p);
	void (*process)(struct peer *p);
	void (*wait)(struct peer *p);
	/* exit_status - 0 the session ended well, 1 otherwise, 3 the
	 * network or TLS failed (smtpref connect's) */
	int (*exit_status)(const struct peer *p);

	/* What some kinds can do (see the capability flags). */
	void (*restart)(struct peer *p);
	int (*fault)(struct peer *p, const char *verb, int nth, int code,
	    const char *enh);
	int (*login)(struct peer *p, const char *mech, const char *user,
	    const char *password, int insist);
	int (*starttls)(struct peer *p);
	void (*hint)(struct peer *p);
	int (*skip)(struct peer *p);
	/* wait_clock - let seconds pass on the simulated clock */
	int (*wait_clock)(struct peer *p, long seconds);
};

/* Every implementation starts with this. */
struct peer {
	const struct peer_ops *ops;
};

/* The calls the console makes: a slot left NULL gives the answer of a
 * peer that cannot (no socket, nothing collected, not done). */
int peer_fd(const struct peer *p);
int peer_timeout(const struct peer *p);
void peer_process(struct peer *p);
void peer_wait(struct peer *p);
int peer_cancel(struct peer *p);
int peer_done(const struct peer *p);
unsigned peer_caps(const struct peer *p);
enum peer_wait peer_waiting(const struct peer *p, char *what, size_t size);
int peer_exit_status(const struct peer *p);
void peer_free(struct peer *p);

#endif
