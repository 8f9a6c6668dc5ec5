/* SPDX-License-Identifier: GPL-3.0-or-later */
/* explain.c - turn replies and events into explanation lines
 *
 * The wording of each rule comes from the state machine (reply->reason);
 * what codes and keywords mean comes from the tables.  Nothing here
 * decides anything: it only puts the two side by side.
 */
#include <config.h>

#include "core/explain.h"

#include "core/ascii.h"
#include "core/printable.h"
#include "core/ref.h"
#include "core/reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LINE 1024

static const char *const kind_names[] = {
	[EXPLAIN_WHY] = "why",
	[EXPLAIN_CODE] = "code",
	[EXPLAIN_ENHANCED] = "enhanced",
	[EXPLAIN_KEYWORD] = "keyword",
	[EXPLAIN_STATE] = "state",
	[EXPLAIN_WARNING] = "warning",
	[EXPLAIN_NOTE] = "note",
};
_Static_assert(sizeof kind_names / sizeof kind_names[0] == EXPLAIN_LAST,
    "one name per kind");

const char *explain_kind_str(enum explain_kind k)
{
	return (unsigned)k < EXPLAIN_LAST ? kind_names[k] : "?";
}

/* say - format one line and hand it over */
static void say(explain_fn *fn, void *ctx, enum explain_kind kind,
    const char *fmt, ...)
{
	char line[LINE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fn(ctx, kind, line);
}

void explain_code(int code, const char *enh, const char *verb,
    explain_fn *fn, void *ctx)
{
	const struct ref_code *rc = ref_code_find(code);
	const struct ref_class *cl = ref_code_class(code);

	if (rc)
		say(fn, ctx, EXPLAIN_CODE, "%d: %s", code, rc->summary);
	else if (cl)
		say(fn, ctx, EXPLAIN_CODE,
		    "%d is not a registered code; by its first digit it is a %s reply: %s",
		    code, cl->name, cl->meaning);
	else
		say(fn, ctx, EXPLAIN_CODE,
		    "%d is not a valid reply code (RFC 5321 4.2: the first digit is 2 to 5)",
		    code);
	/* a code that reply-codes.rec gives to the verb (as 530 to any
	 * command before STARTTLS or AUTH, RFC 3207 4, RFC 4954 6) is one
	 * the extensions list, even when commands.rec's row does not */
	if (verb && *verb && rc && !server_reply_allowed(verb, code) &&
	    strcmp(verb, "AUTH") != 0 &&
	    !ref_list_has(rc->commands, verb, strlen(verb)) &&
	    !ref_list_has(rc->ext_commands, verb, strlen(verb)))
		say(fn, ctx, EXPLAIN_NOTE,
		    "RFC 5321 4.3.2 and the extensions do not list %d as an answer to %s",
		    code, verb);
	if (enh && *enh) {
		struct reply_enh e;
		size_t n = strlen(enh);
		const struct ref_enhanced *d = NULL;

		if (reply_parse_enh(enh, n, &e) != n) {
			char shown[4 * 32 + 1];

			printable_text(enh, n > 32 ? 32 : n, shown, sizeof shown, 0);
			say(fn, ctx, EXPLAIN_ENHANCED,
			    "%s is not an enhanced status code (RFC 3463 2)", shown);
			return;
		}
		d = ref_enh_detail(e.subject, e.detail);
		if (d)
			say(fn, ctx, EXPLAIN_ENHANCED, "%s: %s. %s", enh,
			    d->title, d->summary);
		else if ((d = ref_enh_subject(e.subject)) != NULL)
			say(fn, ctx, EXPLAIN_ENHANCED,
			    "%s: not in the registry; its subject %d is: %s", enh,
			    e.subject, d->title);
		else
			say(fn, ctx, EXPLAIN_ENHANCED,
			    "%s: not in the registry", enh);
		if (!reply_enh_agrees(code, &e))
			say(fn, ctx, EXPLAIN_WARNING,
			    "the enhanced code's class %d disagrees with the reply code %d (RFC 3463 2)",
			    e.cls, code);
	}
}

/* keyword_source - where a keyword is defined: its RFC section, or for
 * one no RFC defines, who uses it */
static const char *keyword_source(const struct ref_keyword *k, char *buf,
    size_t size)
{
	if (k->section[0])
		return k->section;
	snprintf(buf, size, "%s, not standardised", k->source[0] ? k->source :
	    "no specification");
	return buf;
}

/* ehlo_line - explain one EHLO line; warnings are for real servers,
 * where a keyword's risk matters, not for the simulated one */
static void ehlo_line(const char *text, size_t len, int warnings,
    explain_fn *fn, void *ctx)
{
	struct reply_ehlo e;
	const struct ref_keyword *k;
	char source[160];

	if (reply_parse_ehlo(text, len, &e) != 0) {
		/* the server's own octets: escaped, never raw (issue 14) */
		char shown[4 * 60 + 1];

		printable_text(text, len > 60 ? 60 : len, shown, sizeof shown, 0);
		say(fn, ctx, EXPLAIN_WARNING,
		    "\"%s\" is not a keyword line (RFC 5321 4.1.1.1)", shown);
		return;
	}
	k = ref_keyword_find(e.keyword, e.keyword_len);
	if (k == NULL) {
		say(fn, ctx, EXPLAIN_KEYWORD,
		    "%.*s: not in smtpref's tables; a client ignores keywords it does not know (RFC 5321 2.2.2)",
		    (int)e.keyword_len, e.keyword);
		return;
	}
	if (e.params_len > 0 && e.keyword_len == 4 &&
	    ascii_upper((unsigned char)e.keyword[0]) == 'S' &&
	    ref_keyword_find("SIZE", 4) == k)
		say(fn, ctx, EXPLAIN_KEYWORD,
		    "SIZE %.*s: messages of up to %.*s octets are accepted; a client declares its size with MAIL ... SIZE=n (%s)",
		    (int)e.params_len, e.params, (int)e.params_len, e.params,
		    k->section);
	else if (e.params_len > 0)
		say(fn, ctx, EXPLAIN_KEYWORD, "%s %.*s: %s (%s)", k->keyword,
		    (int)e.params_len, e.params, k->summary,
		    keyword_source(k, source, sizeof source));
	else
		say(fn, ctx, EXPLAIN_KEYWORD, "%s: %s (%s)", k->keyword,
		    k->summary, keyword_source(k, source, sizeof source));
	if (warnings && k->warning)
		say(fn, ctx, EXPLAIN_WARNING, "%s: %s", k->keyword, k->warning);
}

void explain_ehlo_line(const char *text, size_t len, explain_fn *fn,
    void *ctx)
{
	ehlo_line(text, len, 1, fn, ctx);
}

void explain_reply(const struct server_reply *r, enum explain_level level,
    explain_fn *fn, void *ctx)
{
	if (level == EXPLAIN_OFF)
		return;
	say(fn, ctx, EXPLAIN_WHY, "%s (%s)", r->reason, r->section);
	explain_code(r->code, level == EXPLAIN_FULL ? r->enh : NULL, r->verb,
	    fn, ctx);
	if (level == EXPLAIN_FULL && r->code == 250 &&
	    strcmp(r->verb, "EHLO") == 0) {
		/* every line but the first (the server's name) is a keyword */
		const char *p = r->wire, *end = r->wire + r->wire_len;
		int first = 1;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

			if (n > 0 && p[n - 1] == '\r')
				n--;
			if (!first && n > 4)
				ehlo_line(p + 4, n - 4, 0, fn, ctx);
			first = 0;
			p = nl ? nl + 1 : end;
		}
	}
}

void explain_event(const struct server_event *e, enum explain_level level,
    explain_fn *fn, void *ctx)
{
	if (level == EXPLAIN_OFF)
		return;
	switch (e->kind) {
	case SERVER_EV_PHASE:
		if (level == EXPLAIN_FULL)
			say(fn, ctx, EXPLAIN_STATE, "%s -> %s: %s (%s)",
			    server_phase_str(e->from), server_phase_str(e->to),
			    e->text, e->section);
		break;
	case SERVER_EV_WARNING:
		say(fn, ctx, EXPLAIN_WARNING, "%s (%s)", e->text, e->section);
		break;
	case SERVER_EV_DISCARD:
		say(fn, ctx, EXPLAIN_WARNING, "%zu octets discarded. %s (%s)",
		    e->bytes, e->text, e->section);
		break;
	case SERVER_EV_NOTE:
		say(fn, ctx, EXPLAIN_NOTE, "%s (%s)", e->text, e->section);
		break;
	case SERVER_EV_CLOSE:
		if (level == EXPLAIN_FULL)
			say(fn, ctx, EXPLAIN_STATE, "connection closed: %s",
			    e->text);
		break;
	default:
		break;
	}
}

void explain_hold_init(struct explain_hold *h, explain_fn *fn, void *ctx)
{
	h->n = 0;
	h->fn = fn;
	h->ctx = ctx;
}

void explain_hold_flush(struct explain_hold *h)
{
	size_t i = 0;

	while (i < h->n) {
		enum explain_kind kind = (enum explain_kind)h->buf[i++];
		const char *text = h->buf + i;

		h->fn(h->ctx, kind, text);
		i += strlen(text) + 1;
	}
	h->n = 0;
}

void explain_hold_line(void *hold, enum explain_kind kind, const char *text)
{
	struct explain_hold *h = hold;
	size_t n = strlen(text);

	if (h->n + n + 2 > sizeof h->buf) {
		/* full: what is held first, so the order stays */
		explain_hold_flush(h);
		if (n + 2 > sizeof h->buf) {
			h->fn(h->ctx, kind, text);
			return;
		}
	}
	h->buf[h->n++] = (char)kind;
	memcpy(h->buf + h->n, text, n + 1);
	h->n += n + 1;
}

/* ---- the state diagram -------------------------------------------------- */

const struct explain_diagram_row explain_diagram[] = {
	{ SERVER_CONNECTED, "( connect )" },
	{ -1, "    | 220 greeting; 554 refuses" },
	{ SERVER_GREETED, "[ greeted ]  also after STARTTLS 220" },
	{ -1, "    | EHLO/HELO 250" },
	{ SERVER_READY, "[ ready ] <-----------+" },
	{ -1, "    | MAIL FROM 250   |" },
	{ SERVER_MAIL, "[ mail ] -------------+ RSET 250" },
	{ -1, "    | RCPT TO 250     |" },
	{ SERVER_RCPT, "[ rcpt ] -------------+" },
	{ -1, "    | DATA 354        | 250 after" },
	{ SERVER_DATA, "[ data ] -------------+ the dot" },
	{ SERVER_CLOSED, "( closed )  QUIT 221, or 421" },
};
const size_t explain_diagram_rows = sizeof explain_diagram / sizeof explain_diagram[0];

/* ---- what a reply means for the session ---------------------------------- */

int explain_meaning(const char *verb, int code, explain_fn *fn, void *ctx)
{
	const struct ref_meaning *m = ref_meaning_find(verb, code);

	if (m == NULL)
		return 0;
	say(fn, ctx, EXPLAIN_STATE, "after %s: %s (%s)",
	    verb == NULL ? "this command" : strcmp(verb, "CONNECT") == 0 ?
	    "connecting" : strcmp(verb, "DATA-END") == 0 ? "the final dot" : verb,
	    m->meaning, m->section);
	return 1;
}
