/* SPDX-License-Identifier: GPL-3.0-or-later */
/* verdict.c - what explain prints: the verdict first, then the details
 *
 * For each recipient the first lines answer what a user asks: which
 * address, why (the reason in a few words), who refused it at which
 * command, whether it is final and who retries, and what to do.  Then
 * the details: the server's words, each code with its RFC section, and
 * which rule gave the reason (the server's text wins over a generic
 * code, and the verdict says so).  The JSON carries the same facts; its
 * shape is documented in man/smtpref.1 (EXPLAIN) and kept stable.
 */
#include <config.h>

#include "term/verdict.h"

#include <stdio.h>
#include <string.h>

#include "core/ref.h"
#include "core/reply.h"
#include "core/tx.h"

/* Text from outside (a server's words, addresses, host names) is kept
 * this long at most once made printable. */
#define CLEAN_MAX (4 * REPORT_DIAG_MAX + 64)

/* printable - text from outside made safe to print (core/tx.c) */
static void printable(const char *s, char *out, size_t size)
{
	tx_printable(s, strlen(s), out, size);
}

void verdict_init(struct verdict *v, FILE *out, int json, int quiet,
    enum render_color_mode color)
{
	memset(v, 0, sizeof *v);
	v->out = out;
	v->json = json;
	v->quiet = quiet;
	v->headings = 1;
	v->codes = 1;
	v->j = &v->own;
	if (json)
		json_init(v->j, out);
	else
		render_init(&v->r, out, color);
}

void verdict_embed(struct verdict *v, struct json *j)
{
	v->json = 1;
	v->j = j;
}

void verdict_begin(struct verdict *v, const char *file)
{
	if (v->json && v->j == &v->own)
		json_init(v->j, v->out);	/* one object a line */
	v->file = file;
	v->open = 0;
	v->msg = 0;
	v->count = 0;
}

/* ---------------------------------------------------------------- */
/* Pairs of codes (RFC 3463 2; RFC 5248 and the IANA registry)       */

int verdict_pair(int code, int cls, int subject, int detail, char *buf,
    size_t size)
{
	const struct ref_enhanced *d = ref_enh_detail(subject, detail);

	switch (ref_pair_check(code, cls, subject, detail)) {
	case REF_PAIR_CLASS:
		snprintf(buf, size, "Error: the codes disagree: the enhanced code's class %d does not match the reply's first digit %d; they must agree (RFC 3463 2, RFC 2034 4). Clients act on the reply code.",
		    cls, code / 100);
		return 1;
	case REF_PAIR_REGISTERED:
		snprintf(buf, size, "%d with X.%d.%d: a registered pair (RFC 5248, the IANA registry).",
		    code, subject, detail);
		break;
	case REF_PAIR_SEEN:
		snprintf(buf, size, "%d with X.%d.%d: not a registered pair%s%s%s, but one seen in practice: real servers send it, and the classes agree.",
		    code, subject, detail, d && *d->basic ? " (the registry gives " : "",
		    d && *d->basic ? d->basic : "", d && *d->basic ? ")" : "");
		break;
	case REF_PAIR_UNUSUAL:
		snprintf(buf, size, "%d with X.%d.%d: not a registered pair (the registry gives %s), and not one smtpref has seen; the classes agree, so it is allowed.",
		    code, subject, detail, d ? d->basic : "none");
		break;
	case REF_PAIR_UNKNOWN:
	case REF_PAIR_LAST:
		snprintf(buf, size, "X.%d.%d is not in the IANA registry: read it by its class and subject (RFC 3463 2).",
		    subject, detail);
		break;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Words                                                             */

static const char *kind_words(enum report_kind k)
{
	switch (k) {
	case REPORT_DSN: return "a delivery status notification (RFC 3464)";
	case REPORT_BOUNCE: return "a bounce";
	case REPORT_LOG: return "mail log lines";
	case REPORT_TRANSCRIPT: return "an SMTP session transcript";
	case REPORT_REPLY: return "a reply (RFC 5321 4.2)";
	case REPORT_KIND_LAST: break;
	}
	return "a report";
}

static const char *command_words(const char *c)
{
	static const struct { const char *cmd, *words; } w[] = {
		{ "RCPT", "RCPT TO (the recipient's address)" },
		{ "MAIL", "MAIL FROM (the sender's address)" },
		{ "DATA", "DATA (the message itself)" },
		{ "CONNECT", "the greeting (the connection itself)" },
		{ "EHLO", "EHLO (the sending server's name)" },
		{ "HELO", "HELO (the sending server's name)" },
		{ "AUTH", "AUTH (the login)" },
		{ "STARTTLS", "STARTTLS" },
		{ "BDAT", "BDAT (the message itself)" },
	};
	size_t i;

	for (i = 0; i < sizeof w / sizeof w[0]; i++)
		if (!strcmp(c, w[i].cmd))
			return w[i].words;
	return c;
}

/* codes_words - "550, 5.1.1" as the reply gave them */
static void codes_words(const struct report_rcpt *r, char *buf, size_t size)
{
	if (r->reply_code && r->status[0] && !r->status_derived)
		snprintf(buf, size, "%d %s", r->reply_code, r->status);
	else if (r->reply_code)
		snprintf(buf, size, "%d", r->reply_code);
	else if (r->status[0] && !r->status_derived)
		snprintf(buf, size, "%s", r->status);
	else
		snprintf(buf, size, "no code given");
}

static void final_words(const struct report_rcpt *r, char *buf, size_t size)
{
	char codes[48];

	codes_words(r, codes, sizeof codes);
	switch (r->retry) {
	case REPORT_RETRY_NONE:
		snprintf(buf, size, "no failure (%s): nothing to retry.", codes);
		return;
	case REPORT_RETRY_AUTOMATIC:
		snprintf(buf, size, "no (%s): a temporary refusal; the sending server keeps the message and retries by itself (RFC 5321 4.5.4.1).",
		    codes);
		return;
	case REPORT_RETRY_LATER:
		if (!r->permanent) {
			snprintf(buf, size, "no (%s), but the sending server gave up retrying: the message was not delivered. Send it again later.",
			    codes);
			return;
		}
		snprintf(buf, size, "yes (%s): it will not be retried; send again later, once the cause is gone.",
		    codes);
		return;
	case REPORT_RETRY_NEVER:
		snprintf(buf, size, "yes (%s): no server retries it, and sending to this address again will fail the same way.",
		    codes);
		return;
	case REPORT_RETRY_FIX_FIRST:
	case REPORT_RETRY_LAST:
		break;
	}
	snprintf(buf, size, "yes (%s): resending unchanged will fail the same way; fix the cause first.",
	    codes);
}

/* why_words - which rule gave the reason, in a sentence */
static void why_words(const struct report_rcpt *r, char *buf, size_t size)
{
	char text[256];
	size_t n = 0;

	if (r->rule == REPORT_RULE_TEXT && r->text) {
		printable(r->text->text, text, sizeof text);
		n = (size_t)snprintf(buf, size, "The server's text holds \"%s\" (%s; source: %s).",
		    text, r->text->who, r->text->source);
	} else if (r->rule == REPORT_RULE_STATUS) {
		n = (size_t)snprintf(buf, size, "The enhanced code %s stands for it (%s).",
		    r->status, r->reason->section);
	} else {
		n = (size_t)snprintf(buf, size, "%c%s.",
		    report_rule_str(r->rule)[0] - 'a' + 'A', report_rule_str(r->rule) + 1);
	}
	if (n >= size || !r->by_code)
		return;
	if (r->rule == REPORT_RULE_TEXT)
		snprintf(buf + n, size - n, " The codes alone would say %s (%s); the server's text is more precise, so it wins.",
		    r->by_code->reason, r->by_code->summary);
	else if (r->rule == REPORT_RULE_EXPIRED)
		snprintf(buf + n, size - n, " The last attempt failed because: %s (%s).",
		    r->by_code->summary, r->by_code->reason);
	else
		snprintf(buf + n, size - n, " Read alone, the reply says %s (%s).",
		    r->by_code->reason, r->by_code->summary);
}

/* ---------------------------------------------------------------- */
/* JSON                                                              */

static void json_str(struct json *j, const char *key, const char *v)
{
	json_string(j, key, v && *v ? v : NULL);
}

static void json_open(struct verdict *v, const struct report_msg *m)
{
	if (v->open)
		return;
	v->open = 1;
	json_object_begin(v->j, NULL);
	json_int(v->j, "smtpref_json", 1);
	json_string(v->j, "file", v->file);
	json_str(v->j, "kind", m ? report_kind_str(m->kind) : NULL);
	json_array_begin(v->j, "recipients");
}

void verdict_json_rcpt(struct json *j, const char *key,
    const struct report_msg *m, const struct report_rcpt *r)
{
	json_object_begin(j, key);
	json_str(j, "address", r->address);
	json_str(j, "action", r->action);
	json_str(j, "status", r->status);
	json_bool(j, "status_derived", r->status_derived);
	if (r->reply_code)
		json_int(j, "reply_code", r->reply_code);
	else
		json_null(j, "reply_code");
	json_str(j, "command", r->command);
	json_str(j, "remote_mta", r->remote_mta);
	json_str(j, "diagnostic", r->diagnostic);
	json_string(j, "reason", r->reason->reason);
	json_bool(j, "permanent", r->permanent);
	json_string(j, "retry", report_retry_str(r->retry));
	json_string(j, "summary", r->reason->summary);
	json_string(j, "advice", r->text && r->text->advice ? r->text->advice
	    : r->reason->action);
	json_string(j, "rule", report_rule_name(r->rule));
	if (r->text) {
		json_object_begin(j, "text");
		json_string(j, "match", r->text->text);
		json_string(j, "who", r->text->who);
		json_string(j, "source", r->text->source);
		json_object_end(j);
	} else {
		json_null(j, "text");
	}
	json_string(j, "codes_say", r->by_code ? r->by_code->reason : NULL);
	json_int(j, "message", (long)m->index);
	json_int(j, "line", (long)r->line);
	json_object_end(j);
}

/* ---------------------------------------------------------------- */
/* Text                                                              */

static void field(struct verdict *v, const char *label, const char *text)
{
	render_field(&v->r, label, text);
}

static void msg_heading(struct verdict *v, const struct report_msg *m)
{
	char buf[768], who[400];
	size_t n = 0;

	who[0] = 0;
	if (m->kind == REPORT_LOG)
		snprintf(who, sizeof who, "%s%s, queue id %s%s%s", m->software[0]
		    ? " of " : "", m->software, m->id[0] ? m->id : "-",
		    m->sender[0] ? ", from " : "", m->sender);
	else if (m->kind == REPORT_TRANSCRIPT || m->kind == REPORT_REPLY)
		snprintf(who, sizeof who, "%s%s%s%s", m->software[0] ? " (" : "",
		    m->software, m->software[0] ? ")" : "",
		    m->peer[0] ? " with " : "");
	else
		snprintf(who, sizeof who, "%s%s%s%s%s", m->reporter[0] ? " from " : "",
		    m->reporter, m->software[0] ? (m->reporter[0] ? " (" : " written by ") : "",
		    m->software, m->software[0] && m->reporter[0] ? ")" : "");
	if (m->index > 1 || (m->kind != REPORT_LOG && v->msg > 0))
		n = (size_t)snprintf(buf, sizeof buf, "message %u, ", m->index);
	snprintf(buf + n, sizeof buf - n, "%s%s%s", kind_words(m->kind), who,
	    m->kind == REPORT_TRANSCRIPT || m->kind == REPORT_REPLY ? m->peer : "");
	printable(buf, who, sizeof who);
	if (v->any)
		render_newline(&v->r);
	/* a label first, so the wrapped words line up under it */
	printable(!v->file ? "Read as" : strcmp(v->file, "-") ? v->file
	    : "standard input", buf, sizeof buf);
	render_text(&v->r, RENDER_BOLD, buf);
	render_text(&v->r, RENDER_BOLD, v->file ? ": " : " ");
	render_wrap(&v->r, RENDER_BOLD, who, 4);
	render_newline(&v->r);
	if (m->subject[0]) {
		printable(m->subject, buf, sizeof buf);
		field(v, "Subject", buf);
	}
}

static void details(struct verdict *v, const struct report_rcpt *r)
{
	char buf[CLEAN_MAX + 128], clean[CLEAN_MAX];
	const struct ref_code *c = r->reply_code ? ref_code_find(r->reply_code) : NULL;
	struct reply_enh e;
	size_t sl = strlen(r->status);

	if (r->diagnostic[0]) {
		printable(r->diagnostic, clean, sizeof clean);
		field(v, "Server said", clean);
	}
	why_words(r, buf, sizeof buf);
	field(v, "Why", buf);
	snprintf(buf, sizeof buf, "%s (%s: %s)", r->reason->explanation,
	    r->reason->reason, r->reason->section);
	field(v, "Meaning", buf);
	if (!v->codes)
		return;
	if (c) {
		snprintf(buf, sizeof buf, "%d: %s (%s; smtpref %d says more)", c->code,
		    c->summary, c->origin, c->code);
		field(v, "Reply code", buf);
	}
	if (sl >= 5 && reply_parse_enh(r->status, sl, &e) == sl) {
		const struct ref_enhanced *d = ref_enh_detail(e.subject, e.detail);
		const struct ref_enhanced *s = ref_enh_subject(e.subject);

		if (d)
			snprintf(buf, sizeof buf, "%s%s: %s. %s (%s)", r->status,
			    r->status_derived ? " (not in the report: the code for this reason)" : "",
			    d->title, d->summary, d->section);
		else
			snprintf(buf, sizeof buf, "%s%s: not in the IANA registry; by its subject, %s (RFC 3463 2)",
			    r->status, r->status_derived ? " (not in the report)" : "",
			    s ? s->title : "an unknown subject");
		field(v, "Enhanced", buf);
		if (r->reply_code && !r->status_derived) {
			verdict_pair(r->reply_code, e.cls, e.subject, e.detail, buf, sizeof buf);
			field(v, "Codes", buf);
		}
	}
}

static void text_rcpt(struct verdict *v, const struct report_msg *m,
    const struct report_rcpt *r)
{
	char buf[CLEAN_MAX + 128], clean[CLEAN_MAX];
	int cls = r->status[0] ? r->status[0] - '0' : r->reply_code / 100;

	if (r->address[0])
		printable(r->address, clean, sizeof clean);
	else if (m->kind == REPORT_REPLY)
		snprintf(clean, sizeof clean, "This reply");
	else if (!strcmp(r->command, "MAIL")) {
		snprintf(buf, sizeof buf, "The sender%s%.300s%s", m->sender[0]
		    ? " <" : "", m->sender, m->sender[0] ? ">" : "");
		printable(buf, clean, sizeof clean);
	} else
		snprintf(clean, sizeof clean, "(no address given)");
	if (v->quiet) {
		snprintf(buf, sizeof buf, "%s  %s %s %s  %s", clean,
		    r->status[0] ? r->status : "-", r->reason->reason,
		    r->retry == REPORT_RETRY_NONE ? "ok" : r->permanent
		    ? "permanent" : "temporary", report_retry_str(r->retry));
		render_text(&v->r, RENDER_PLAIN, buf);
		render_newline(&v->r);
		return;
	}
	render_text(&v->r, render_code_style(cls), clean);
	render_text(&v->r, RENDER_PLAIN, ": ");
	snprintf(buf, sizeof buf, "%s (%s)", r->reason->summary, r->reason->reason);
	render_wrap(&v->r, RENDER_BOLD, buf, 4);
	render_newline(&v->r);
	if (r->remote_mta[0] || r->command[0]) {
		printable(r->remote_mta, clean, sizeof clean);
		snprintf(buf, sizeof buf, "%s%s%s", r->remote_mta[0] ? clean
		    : "the receiving server", r->command[0] ? ", at " : "",
		    r->command[0] ? command_words(r->command) : "");
		field(v, r->retry == REPORT_RETRY_NONE ? "Answered by" : "Refused by", buf);
	}
	final_words(r, buf, sizeof buf);
	field(v, "Permanent", buf);
	field(v, "What to do", r->text && r->text->advice ? r->text->advice
	    : r->reason->action);
	details(v, r);
}

void verdict_rcpt(void *ctx, const struct report_msg *m,
    const struct report_rcpt *r)
{
	struct verdict *v = ctx;

	if (v->json) {
		json_open(v, m);
		verdict_json_rcpt(v->j, NULL, m, r);
	} else {
		if (m->index != v->msg && !v->quiet && v->headings)
			msg_heading(v, m);
		else if (v->count > 0 && !v->quiet)
			render_newline(&v->r);
		text_rcpt(v, m, r);
		v->any = 1;
	}
	v->msg = m->index;
	v->count++;
}

void verdict_end(struct verdict *v, const struct report_summary *s)
{
	if (v->json) {
		json_open(v, NULL);
		json_array_end(v->j);
		json_int(v->j, "messages", (long)s->messages);
		json_str(v->j, "looks_like", s->looks_like);
		json_array_begin(v->j, "notes");
		if (s->too_deep)
			json_string(v->j, NULL, "MIME parts nested deeper than the reader follows were skipped");
		if (s->dropped)
			json_string(v->j, NULL, "more recipients than the reader keeps from a bounce's text: some were left out");
		if (s->long_lines)
			json_string(v->j, NULL, "lines longer than the reader's line buffer were read in pieces");
		json_array_end(v->j);
		json_object_end(v->j);
		if (v->file)
			json_end(v->j);
	}
	fflush(v->out);
}
