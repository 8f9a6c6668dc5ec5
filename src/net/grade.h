/* SPDX-License-Identifier: GPL-3.0-or-later */
/* grade.h - what a real client did wrong, for smtpref listen's verdict
 *
 * Fed with what the simulated server said of a session (its replies and
 * events, each naming its rule) and with the client's command lines, it
 * counts the client's mistakes, each with the RFC section it breaks: bare
 * CR or LF, lines too long, pipelining where RFC 2920 forbids it, not
 * waiting for 354, parameters the server did not announce, 8-bit data
 * without BODY=8BITMIME, non-ASCII addresses without SMTPUTF8, AUTH in
 * clear, no QUIT, the EHLO name, silence.  Pure: no I/O.
 */
#ifndef SMTPREF_GRADE_H
#define SMTPREF_GRADE_H

#include <stddef.h>

#include "core/server.h"

enum grade_kind {
	GRADE_BARE_LF,		/* a line ended in LF without CR */
	GRADE_BARE_CR,		/* a CR not followed by LF */
	GRADE_LONG_LINE,	/* over 512 (command) or 1000 (text) octets */
	GRADE_PIPELINING,	/* more sent before a reply RFC 2920 awaits */
	GRADE_NO_354,		/* the message sent before DATA's 354 */
	GRADE_PARAM,		/* a MAIL/RCPT parameter not announced */
	GRADE_8BIT,		/* 8-bit octets without BODY=8BITMIME */
	GRADE_UTF8,		/* a non-ASCII address without SMTPUTF8 */
	GRADE_AUTH_CLEAR,	/* PLAIN or LOGIN without TLS */
	GRADE_NO_QUIT,		/* the connection closed without QUIT */
	GRADE_HELO,		/* the EHLO/HELO name is no FQDN or literal */
	GRADE_SILENT,		/* said nothing until the server gave up */
	GRADE_LAST
};

struct grade {
	unsigned long count[GRADE_LAST];
	char last_verb[16];	/* the command being answered */
	char helo[80];		/* the EHLO/HELO name that was wrong */
};

/* One finding of a verdict. */
struct grade_finding {
	enum grade_kind kind;
	const char *key;	/* "bare-lf", "no-quit": stable, for tools */
	const char *section;	/* "RFC 5321 2.3.8" */
	const char *text;	/* what the client did, and what it should do */
	unsigned long count;	/* how many times */
	const char *detail;	/* "" or more: the EHLO name at fault */
};

void grade_init(struct grade *g);

/* grade_line - a line the client sent, as the server reads it: phase is
 * where the server stood (server_phase()), tls whether TLS was on */
void grade_line(struct grade *g, enum server_phase phase, int tls,
    const char *line, size_t len);
/* grade_reply, grade_event - what the server said of it */
void grade_reply(struct grade *g, const struct server_reply *r);
void grade_event(struct grade *g, const struct server_event *e);
/* grade_silent - the server gave up waiting (RFC 5321 4.5.3.2.7) */
void grade_silent(struct grade *g);

/* grade_total - the findings, counting each kind once */
size_t grade_total(const struct grade *g);
/* grade_each - fn for every kind found, in the order of the enum */
void grade_each(const struct grade *g,
    void (*fn)(void *ctx, const struct grade_finding *f), void *ctx);
/* grade_key - "bare-lf", ... ; grade_section - its RFC section */
const char *grade_key(enum grade_kind k);
const char *grade_section(enum grade_kind k);

/* grade_helo_name - why name (an EHLO/HELO argument) is not what RFC
 * 5321 4.1.1.1 asks for, or NULL when it is a domain with a dot or an
 * address literal */
const char *grade_helo_name(const char *name, size_t len);

#endif
