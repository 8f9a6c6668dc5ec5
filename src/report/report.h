/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.h - read what mail systems hand a user and say, per recipient,
 * what happened
 *
 * The reader takes bytes (report_feed) and recognises by itself what
 * they are:
 *   - a bounce: an RFC 3464 delivery status notification (multipart/
 *     report, RFC 6522) or the plain-text bounce of any common mail
 *     system, MIME-encoded or not (RFC 2045-2047: quoted-printable,
 *     base64), with LF, CRLF or CR line ends, one message or an mbox;
 *   - log lines of Postfix, Exim or Sendmail, grouped by queue id;
 *   - a session transcript: swaks, curl -v, openssl s_client, smtpref's
 *     own saved transcripts;
 *   - a reply or a multi-line reply block, or DSN fields such as a
 *     Diagnostic-Code: line.
 * For each recipient it finds it hands a record to the caller's sink:
 * the address, the codes, who refused it at which command, the server's
 * text, and a reason from data/reasons.rec with what to do.
 *
 * Pure: no I/O, no printing.  Streaming and bounded: a struct report is
 * one allocation of fixed size (REPORT_MEMORY_BOUND octets at most) made
 * by report_new, and nothing grows with the input, whatever its size or
 * shape; what does not fit (a line over REPORT_LINE_MAX, MIME nested
 * deeper than REPORT_MIME_DEPTH, more than REPORT_PENDING_MAX recipients
 * found in a bounce's prose) is cut, counted and said in the summary.
 */
#ifndef SMTPREF_REPORT_H
#define SMTPREF_REPORT_H

#include <stddef.h>

#include "core/ref.h"

#define REPORT_LINE_MAX 8192		/* longer lines are read in pieces */
#define REPORT_MIME_DEPTH 12		/* nested multiparts followed */
#define REPORT_PENDING_MAX 64		/* recipients kept from a bounce's text */
#define REPORT_ADDR_MAX 256
#define REPORT_DIAG_MAX 1024		/* the server's text kept per recipient */
#define REPORT_LOG_GROUPS 64		/* queue ids of a log kept open at once */
#define REPORT_MEMORY_BOUND (1024u * 1024u)	/* sizeof (struct report) */

enum report_kind {
	REPORT_DSN,		/* RFC 3464 delivery status notification */
	REPORT_BOUNCE,		/* a bounce in any other form */
	REPORT_LOG,		/* Postfix, Exim or Sendmail log lines */
	REPORT_TRANSCRIPT,	/* swaks, curl -v, s_client, smtpref */
	REPORT_REPLY,		/* a reply (block) on its own */
	REPORT_KIND_LAST
};
const char *report_kind_str(enum report_kind k);	/* "dsn", "bounce" ... */

/* What the sender should do (data/reasons.rec, Retry; "automatic" for a
 * temporary failure the sending server is still retrying). */
enum report_retry {
	REPORT_RETRY_NEVER,
	REPORT_RETRY_FIX_FIRST,
	REPORT_RETRY_LATER,
	REPORT_RETRY_AUTOMATIC,
	REPORT_RETRY_NONE,
	REPORT_RETRY_LAST
};
const char *report_retry_str(enum report_retry r);	/* "never" ... */

/* Which rule gave the reason (each is explained by report_rule_str). */
enum report_rule {
	REPORT_RULE_TEXT,	/* the server's text matched bounce-texts.rec */
	REPORT_RULE_STATUS,	/* the enhanced status code (reasons.rec Codes) */
	REPORT_RULE_REPLY,	/* the basic reply code alone */
	REPORT_RULE_AT_DATA,	/* "unknown user" refused at DATA: a filter */
	REPORT_RULE_POLICY,	/* "unknown user" with an X.7.X code: a filter */
	REPORT_RULE_COMMAND,	/* refused at MAIL (the sender) or on connect */
	REPORT_RULE_EXPIRED,	/* a final report of a temporary failure */
	REPORT_RULE_MAILER,	/* a local program failed (X-Unix, a pipe) */
	REPORT_RULE_DELIVERED,	/* a success */
	REPORT_RULE_AUTOREPLY,	/* an automatic reply (RFC 3834) */
	REPORT_RULE_NOTHING,	/* nothing said why */
	REPORT_RULE_LAST
};
const char *report_rule_str(enum report_rule r);	/* a sentence */
const char *report_rule_name(enum report_rule r);	/* "text", "status" ... */

/* The message (or log group, or session) a recipient belongs to.  The
 * strings are never NULL ("" when unknown) and live until the callback
 * returns. */
struct report_msg {
	enum report_kind kind;
	unsigned index;			/* 1, 2 ... in the input */
	unsigned long line;		/* where it starts in the input */
	const char *software;		/* "Postfix", "Exim", "swaks" ... */
	const char *reporter;		/* the host that wrote the report */
	const char *subject;
	const char *sender;		/* the envelope sender, when known */
	const char *id;			/* a log's queue id */
	const char *peer;		/* a transcript's server */
};

/* One recipient.  Strings are never NULL ("" when absent) and live until
 * the callback returns. */
struct report_rcpt {
	const char *address;
	const char *action;		/* RFC 3464 2.3.3 (failed, delayed ...) */
	char status[16];		/* "5.1.1", or "" (an auto-reply) */
	int status_derived;		/* not in the input: from the reason */
	int reply_code;			/* 0 when none */
	const char *command;		/* RCPT, MAIL, DATA, CONNECT ... or "" */
	const char *remote_mta;		/* who refused it */
	const char *diagnostic;		/* the server's text */
	const struct ref_reason *reason;
	const struct ref_btext *text;	/* the text that decided, or NULL */
	const struct ref_reason *by_code;	/* what the codes alone say, when
					 * the text or a rule says otherwise */
	enum report_rule rule;
	int permanent;			/* a 5xx failure: resending fails too */
	enum report_retry retry;
	unsigned long line;		/* where it was found in the input */
};

typedef void report_fn(void *ctx, const struct report_msg *m,
    const struct report_rcpt *r);

/* What was read, once report_end has been called. */
struct report_summary {
	unsigned long lines;		/* lines read */
	unsigned messages;		/* messages, log groups or sessions */
	unsigned long recipients;	/* records handed to the sink */
	int kind;			/* of the first message, -1 when none */
	const char *looks_like;		/* when nothing was found: what it is */
	unsigned long long_lines;	/* lines cut into pieces */
	unsigned long dropped;		/* recipients beyond a bound, not read */
	int too_deep;			/* MIME nested beyond REPORT_MIME_DEPTH */
};

struct report;

/* report_new - a reader that hands each recipient to fn; NULL when out
 * of memory.  One reader serves any number of inputs in turn. */
struct report *report_new(report_fn *fn, void *ctx);
void report_free(struct report *r);

/* report_begin - start an input; report_feed - give it bytes, in pieces
 * of any size; report_end - the input is over: what is still held is
 * handed on, and the summary is ready. */
void report_begin(struct report *r);
void report_feed(struct report *r, const char *buf, size_t len);
void report_end(struct report *r);
/* report_done - whether the input can hold nothing more to read: it was
 * found to be binary, so the caller may stop feeding it (/dev/zero) */
int report_done(const struct report *r);
const struct report_summary *report_summary(const struct report *r);

/* report_recognises - whether s looks like something the reader reads
 * beyond a single reply line: a log line, a DSN field (Diagnostic-Code:
 * ...), a transcript line, several lines; what `smtpref TERM` hands to
 * explain. */
int report_recognises(const char *s, size_t len);

#endif
