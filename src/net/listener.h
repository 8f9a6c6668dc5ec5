/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listener.h - smtpref listen: the simulated server on real sockets
 *
 * RFC 5321 (SMTP) through the core's simulated server, one session
 * (core/session.c) for each client; RFC 3207 (STARTTLS) and RFC 8314
 * (implicit TLS) with OpenSSL; RFC 5321 4.5.3.2.7 (the server's
 * timeout); RFC 5321 4.4 (the Received: and Return-Path: lines of a
 * message kept in a Maildir).
 *
 * One thread and one event loop (Linux's epoll) serve every client;
 * nothing blocks.  Each client gets a bounded share of each turn of the
 * loop (at most LISTENER_READS reads of LISTENER_READ octets), so a fast
 * or hostile one cannot starve the others.  A session holds its fixed
 * state (the core's machines) and, only while its client does not read
 * its replies, up to LISTENER_OUT_MAX octets of them: no more is read
 * from it until they are written, and past that it is disconnected.
 * What each session shows (the client's lines, the replies, the
 * explanations) goes to the sink as items, with the session's number,
 * and at its end a verdict on the client (net/grade.h).  Nothing prints.
 * The caller must ignore SIGPIPE.
 */
#ifndef SMTPREF_LISTENER_H
#define SMTPREF_LISTENER_H

#include <stddef.h>

#include "core/explain.h"
#include "core/ref.h"
#include "core/tx.h"
#include "net/grade.h"

#define LISTENER_ADDRS_MAX 8
#define LISTENER_FAULTS_MAX 8
#define LISTENER_READ 4096		/* octets read at once */
#define LISTENER_READS 16		/* reads for one client in a turn */
#define LISTENER_OUT_MAX (128 * 1024)	/* replies its client did not read */
#define LISTENER_SPIN_US 50		/* looks again before sleeping */

/* --fault VERB[:N]:CODE[:ENH]: each session answers the Nth VERB so */
struct listener_fault {
	char verb[16];
	int nth;
	int code;
	char enh[16];
};

struct listener_opts {
	/* where to listen: addresses ("127.0.0.1", "::1"); none: 127.0.0.1
	 * and ::1 (the latter skipped with a note where IPv6 is off) */
	const char *addrs[LISTENER_ADDRS_MAX];
	size_t naddrs;
	unsigned port;		/* 0: one the system chooses (the notes say) */
	unsigned tls_port;	/* also implicit TLS there (RFC 8314); 0: not */
	const struct ref_persona *persona;	/* NULL: modern */
	struct listener_fault faults[LISTENER_FAULTS_MAX];
	size_t nfaults;
	enum explain_level level;
	int hints;
	int show;		/* the sessions' items go to the sink */
	int timeout_s;		/* the client's silence before 421; 0:
				 * SERVER_IDLE_TIMEOUT (RFC 5321 4.5.3.2.7) */
	const char *maildir;	/* keep messages there; NULL: count, drop */
	const char *cert, *key;	/* PEM; NULL: a throwaway certificate */
	size_t max_sessions;	/* more clients get 421 at once; 0: 2000 */
};

/* A session, as the sink sees it when it opens and when it closes. */
struct listener_session {
	unsigned long id;	/* 1, 2, ... in the order of arrival */
	const char *peer;	/* "127.0.0.1:40312", "[::1]:40312" */
	const char *local;	/* where it came in */
	int implicit_tls;
	/* when it closes: */
	const char *end;	/* how it ended, in a few words */
	unsigned long commands, messages, kept;
	int tls, authenticated;
	const struct grade *grade;
};

struct listener_sink {
	void *ctx;
	/* item - something session id shows */
	void (*item)(void *ctx, unsigned long id, const struct tx_item *it);
	void (*opened)(void *ctx, const struct listener_session *s);
	void (*closed)(void *ctx, const struct listener_session *s);
	/* note - the listener's own: where it listens, the certificate,
	 * clients turned away */
	void (*note)(void *ctx, const char *text);
	/* idle - the loop is about to wait for the network: the time to
	 * flush what was written; may be NULL */
	void (*idle)(void *ctx);
};

struct listener_stats {
	unsigned long sessions;		/* served */
	unsigned long turned_away;	/* over max_sessions */
	unsigned long peak;		/* open at once */
	unsigned long messages;		/* accepted (250 to the end of data) */
	unsigned long kept;		/* written into the Maildir */
	unsigned long lost;		/* accepted but not written */
	unsigned long graded;		/* sessions with a finding */
	unsigned long findings[GRADE_LAST];	/* sessions with each */
};

struct listener;

/* listener_new - listen on every address of o (copied; the strings must
 * outlive the listener), make the certificate, prepare the Maildir.
 * NULL with err set on failure, *status the exit status it calls for:
 * 3 the network or TLS, 1 anything else. */
struct listener *listener_new(const struct listener_opts *o,
    const struct listener_sink *sink, char *err, size_t errlen, int *status);
/* listener_run - serve until listener_stop; then every open session is
 * told 421 and closed, and its verdict given.  0, or -1 with err set
 * when the event loop itself failed. */
int listener_run(struct listener *l, char *err, size_t errlen);
/* listener_stop - async-signal-safe: listener_run returns soon */
void listener_stop(struct listener *l);
void listener_stats(const struct listener *l, struct listener_stats *st);
void listener_free(struct listener *l);

/* listener_is_loopback - addr is 127.0.0.0/8, ::1, or
 * ::ffff:127.0.0.0/104: only this machine can connect to it */
int listener_is_loopback(const char *addr);

#endif
