/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outcome.h - what happened in a session with a real server, step by
 * step, and what it comes to
 *
 * The real-server peer (net/realpeer.c) records each command it sends
 * that awaits a reply (the greeting counts as one: CONNECT), and each
 * reply with how long it took, from the write of the command to the
 * reply's last line (RFC 2920: in a pipelined group, from the group's
 * write).  It also records how the session ended, its TLS and the
 * findings.  smtpref connect reads the record for the one-line test
 * client's verdict, its exit status (swaks' scheme, see below), the
 * per-recipient report and the --json summary.
 *
 * Pure: no I/O, no clock; the caller passes the times (milliseconds of
 * a monotonic clock).  Credentials are never recorded: AUTH keeps its
 * mechanism only.
 */
#ifndef SMTPREF_OUTCOME_H
#define SMTPREF_OUTCOME_H

#include <stddef.h>

/* What a recorded command is. */
enum outcome_step {
	OUTCOME_CONNECT,	/* the greeting, awaited on connecting */
	OUTCOME_EHLO,
	OUTCOME_HELO,
	OUTCOME_STARTTLS,
	OUTCOME_AUTH,		/* AUTH, and each answer to its 334s */
	OUTCOME_MAIL,
	OUTCOME_RCPT,
	OUTCOME_DATA,
	OUTCOME_DOT,		/* the message's final dot (DATA-END) */
	OUTCOME_QUIT,
	OUTCOME_OTHER,		/* NOOP, RSET, BDAT, VRFY... */
	OUTCOME_STEP_LAST
};

/* outcome_step_str - "CONNECT", "EHLO", ..., "DATA-END", "OTHER" (the
 * verbs of the reference's tables) */
const char *outcome_step_str(enum outcome_step s);
/* outcome_step_of - the step of a client verb ("CONNECT", "DATA-END",
 * "RCPT"...; any case) */
enum outcome_step outcome_step_of(const char *verb);

/* The exit statuses of smtpref connect, swaks' numbers where swaks has
 * one (its 21 to 29).  One table: --help, the verdict and the man page's
 * test read it. */
enum {
	OUTCOME_OK = 0,		/* delivered (or: reached --quit-after) */
	OUTCOME_FAILED = 1,	/* ended otherwise */
	OUTCOME_USAGE = 2,
	OUTCOME_NO_CONNECTION = 3,
	OUTCOME_TIMEOUT = 4,
	OUTCOME_UNSENDABLE = 5,	/* needs 8BITMIME or SMTPUTF8, not offered */
	OUTCOME_GREETING = 21,
	OUTCOME_HELLO = 22,
	OUTCOME_SENDER = 23,
	OUTCOME_RECIPIENTS = 24,
	OUTCOME_DATA_REFUSED = 25,
	OUTCOME_MESSAGE_REFUSED = 26,
	OUTCOME_AUTH_FAILED = 28,
	OUTCOME_TLS_FAILED = 29
};

struct outcome_status {
	int status;
	const char *name;	/* "sender refused" */
	const char *help;	/* one line for --help */
};

/* outcome_statuses - the table, in order of status; *n rows */
const struct outcome_status *outcome_statuses(size_t *n);
/* outcome_status_name - "delivered", "sender refused"...; "?" */
const char *outcome_status_name(int status);

/* How the session ended. */
enum outcome_end {
	OUTCOME_OPEN,		/* not yet */
	OUTCOME_ENDED,		/* with 221 */
	OUTCOME_DROPPED,	/* by the server otherwise (421, a close) */
	OUTCOME_PROTOCOL,	/* smtpref stopped: the server broke the protocol */
	OUTCOME_NETWORK,	/* resolving, connecting, a reset, a close */
	OUTCOME_TIMED_OUT,	/* a reply did not come within the timeout */
	OUTCOME_TLS,		/* the handshake, the certificate, or TLS
				 * required and not possible */
	OUTCOME_CLOSED,		/* smtpref closed it (the input ended) */
	OUTCOME_END_LAST
};

const char *outcome_end_str(enum outcome_end e);

#define OUTCOME_ARG_MAX 256
#define OUTCOME_TEXT_MAX 512

struct outcome_entry {
	enum outcome_step step;
	char arg[OUTCOME_ARG_MAX];	/* MAIL, RCPT: the address; EHLO,
					 * HELO: the name; AUTH: the
					 * mechanism; else "" */
	int answered;
	int code;		/* the reply's code */
	char enh[16];		/* its enhanced code, or "" */
	char text[OUTCOME_TEXT_MAX];	/* its lines' text after the codes,
					 * joined by spaces, printable */
	long long sent_ms;	/* when the command's write was done */
	long ms;		/* how long the reply took */
	int tls;		/* the reply came under TLS */
	int slow;		/* a step where servers tarpit, and slow */
};

struct outcome_tls {
	int on;
	char protocol[32];	/* "TLSv1.3" */
	char cipher[96];
	int verified;		/* the certificate passed every check */
	char verify_error[160];	/* why not, or "" */
	char subject[256];
	char issuer[256];
};

#define OUTCOME_FINDINGS_MAX 64

struct outcome_finding {
	long step;		/* the entry answered last when it came, or -1 */
	char label[16];
	char text[512];
};

struct outcome {
	struct outcome_entry *e;
	size_t n, cap;
	size_t next;		/* the oldest entry awaiting its reply */
	enum outcome_end end;
	char why[256];		/* what ended it, when that was an error */
	long long start_ms, connected_ms, end_ms;	/* 0: not yet */
	char host[256];		/* the server, as named */
	char address[64];	/* its address, as connected */
	unsigned port;
	struct outcome_tls tls;
	struct outcome_finding findings[OUTCOME_FINDINGS_MAX];
	size_t nfindings;
	size_t lost_findings;	/* findings past the bound */
};

/* The record.  outcome_init zeroes it; outcome_free releases it. */
void outcome_init(struct outcome *o);
void outcome_free(struct outcome *o);

/* outcome_sent - a command that awaits a reply was written at now_ms;
 * line is the command (AUTH's credentials are not kept) or NULL for the
 * greeting and AUTH's answers.  0, or -1 when out of memory. */
int outcome_sent(struct outcome *o, enum outcome_step step, const char *line,
    size_t len, long long now_ms);
/* outcome_reply - the reply to the oldest command awaiting one: wire
 * holds its lines (CRLF included); fills and returns that entry, or
 * NULL when none was awaited */
struct outcome_entry *outcome_reply(struct outcome *o, const char *wire,
    size_t len, int code, int tls, long long now_ms);
/* outcome_awaited - the entry whose reply comes next, or NULL */
const struct outcome_entry *outcome_awaited(const struct outcome *o);
/* outcome_unanswered - the connection is gone: what was awaited gets no
 * reply */
void outcome_unanswered(struct outcome *o);
/* outcome_finding - something the server got wrong (bounded) */
void outcome_finding(struct outcome *o, const char *label, const char *text);
/* outcome_last_answered - the index of the entry answered last, or -1 */
long outcome_last_answered(const struct outcome *o);

/* Tarpitting: servers often slow down on purpose at the greeting, at RCPT
 * and after the final dot.  A reply there that takes OUTCOME_SLOW_MS or
 * more is slow, and outcome_tarpit_note says what that may mean (NULL
 * for the other steps). */
#define OUTCOME_SLOW_MS 2000
const char *outcome_tarpit_note(enum outcome_step s);

/* What the one-liner wanted: every step up to last (OUTCOME_DOT: the
 * message delivered; else --quit-after's step), with STARTTLS and AUTH
 * when asked for. */
struct outcome_goal {
	enum outcome_step last;
	int starttls;		/* STARTTLS required (--tls) */
	int implicit_tls;	/* TLS from the start (--tls-on-connect) */
	int auth;		/* --auth */
};

struct outcome_verdict {
	int status;		/* the exit status */
	long decided;		/* the entry whose reply decided it, or -1 */
	enum outcome_step step;	/* the step that failed (or the last one) */
	size_t rcpts, rcpts_ok;	/* recipients tried, accepted */
};

/* outcome_verdict - the one-liner's verdict on the record: the first
 * step that was refused, else the first step of the goal not reached
 * (its status, or the network's when the session broke), else 0 */
void outcome_verdict(const struct outcome *o, const struct outcome_goal *g,
    struct outcome_verdict *v);

/* outcome_session_ms - from connecting to the end (or to now_ms) */
long outcome_session_ms(const struct outcome *o, long long now_ms);

#endif
