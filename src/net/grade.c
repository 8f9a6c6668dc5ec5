/* SPDX-License-Identifier: GPL-3.0-or-later */
/* grade.c - what a real client did wrong, for smtpref listen's verdict
 *
 * The simulated server already names the rule behind every reply and
 * every warning (data/rules.rec); most findings are those rules, seen
 * from the client's side.  The rest (AUTH in clear, the EHLO name) come
 * from the command lines themselves.
 */
#include <config.h>

#include "net/grade.h"

#include <stdio.h>
#include <string.h>

#include "core/ascii.h"
#include "core/syntax.h"

/* The findings: a key for tools, the section, and what to say. */
static const struct {
	const char *key, *section, *text;
} kinds[] = {
	[GRADE_BARE_LF] = { "bare-lf", "RFC 5321 2.3.8",
	    "lines ended in a bare LF: SMTP lines end in CRLF, and a strict server refuses others (they make SMTP smuggling possible)" },
	[GRADE_BARE_CR] = { "bare-cr", "RFC 5321 2.3.8",
	    "a CR not followed by LF: CR and LF may only come together, as the end of a line" },
	[GRADE_LONG_LINE] = { "long-line", "RFC 5321 4.5.3.1.4; RFC 5321 4.5.3.1.6",
	    "a line longer than SMTP allows: 512 octets for a command, 1000 for a line of the message, CRLF included" },
	[GRADE_PIPELINING] = { "pipelining", "RFC 2920 3.1",
	    "commands sent before the reply they had to wait for: without PIPELINING each command waits for its reply, and with it EHLO, AUTH, STARTTLS, DATA and QUIT end a group" },
	[GRADE_NO_354] = { "no-wait-354", "RFC 2920 3.1; RFC 5321 3.3",
	    "the message sent before DATA's 354: DATA ends a pipelined group, and the message may only follow a 354" },
	[GRADE_PARAM] = { "param-not-announced", "RFC 5321 2.2.1; RFC 5321 4.1.1.11",
	    "a MAIL or RCPT parameter of an extension the server did not announce in its EHLO reply (HELO announces none)" },
	[GRADE_8BIT] = { "8bit-undeclared", "RFC 6152 3; RFC 5321 2.4",
	    "8-bit octets in a message whose MAIL did not say BODY=8BITMIME" },
	[GRADE_UTF8] = { "utf8-without-smtputf8", "RFC 6531 3.4",
	    "a non-ASCII address in a transaction whose MAIL did not carry SMTPUTF8" },
	[GRADE_AUTH_CLEAR] = { "auth-in-clear", "RFC 4954 4; RFC 8314 3",
	    "AUTH PLAIN or LOGIN without TLS: the password crossed the network in clear (base64 hides nothing); start TLS first" },
	[GRADE_NO_QUIT] = { "no-quit", "RFC 5321 4.1.1.10",
	    "the connection closed without QUIT: a client ends the session with QUIT and waits for the 221" },
	[GRADE_HELO] = { "helo-name", "RFC 5321 4.1.1.1; RFC 5321 2.3.5",
	    "the EHLO/HELO name should be the client's fully-qualified domain name, or an address literal such as [127.0.0.1]" },
	[GRADE_SILENT] = { "silent", "RFC 5321 4.5.3.2.7",
	    "the client said nothing until the server gave up waiting" },
};
_Static_assert(sizeof kinds / sizeof kinds[0] == GRADE_LAST,
    "one row per finding");

const char *grade_key(enum grade_kind k)
{
	return (unsigned)k < GRADE_LAST ? kinds[k].key : "?";
}

const char *grade_section(enum grade_kind k)
{
	return (unsigned)k < GRADE_LAST ? kinds[k].section : "";
}

void grade_init(struct grade *g)
{
	memset(g, 0, sizeof *g);
}

static int is(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

const char *grade_helo_name(const char *name, size_t len)
{
	size_t i, dots = 0, digits = 0;
	enum syntax_host_kind kind;

	if (len == 0)
		return "missing";
	if (name[0] == '[')
		return syntax_parse_address_literal(name, len, &kind) == SYNTAX_OK ?
		    NULL : "not a valid address literal";
	for (i = 0; i < len; i++) {
		if (name[i] == ':')
			return "an IPv6 address without brackets: write it [IPv6:...]";
		dots += name[i] == '.';
		digits += ascii_is_digit((unsigned char)name[i]) != 0;
	}
	if (dots + digits == len)
		return "an IPv4 address without brackets: write it as an address literal, [192.0.2.1]";
	if (syntax_parse_domain(name, len) != SYNTAX_OK)
		return "not a domain name";
	if (ascii_ieq(name, len, "localhost") ||
	    ascii_ieq(name, len, "localhost.localdomain"))
		return "localhost, which names every machine";
	if (dots == 0)
		return "a name without a dot, not a fully-qualified domain name";
	return NULL;
}

void grade_line(struct grade *g, enum server_phase phase, int tls,
    const char *line, size_t len)
{
	size_t vl = 0, i;
	const char *why;

	if (phase == SERVER_DATA || phase == SERVER_AUTH)
		return;
	while (vl < len && vl < sizeof g->last_verb - 1 &&
	    (ascii_is_alnum((unsigned char)line[vl]) || line[vl] == '-')) {
		g->last_verb[vl] = (char)ascii_upper((unsigned char)line[vl]);
		vl++;
	}
	g->last_verb[vl] = 0;
	i = vl;
	while (i < len && line[i] == ' ')
		i++;
	if (!tls && is(g->last_verb, "AUTH") &&
	    ((len - i >= 5 && ascii_ieq(line + i, 5, "PLAIN") &&
	    (len - i == 5 || line[i + 5] == ' ')) ||
	    (len - i >= 5 && ascii_ieq(line + i, 5, "LOGIN") &&
	    (len - i == 5 || line[i + 5] == ' '))))
		g->count[GRADE_AUTH_CLEAR]++;
	if (is(g->last_verb, "EHLO") || is(g->last_verb, "HELO")) {
		size_t n = len - i;

		while (n > 0 && (line[i + n - 1] == ' ' || line[i + n - 1] == '\r'))
			n--;
		why = grade_helo_name(line + i, n);
		if (why) {
			g->count[GRADE_HELO]++;
			snprintf(g->helo, sizeof g->helo, "\"%.*s\", %s",
			    (int)(n > 40 ? 40 : n), line + i, why);
			for (i = 0; g->helo[i]; i++)	/* keep it printable */
				if ((unsigned char)g->helo[i] < 0x20 ||
				    (unsigned char)g->helo[i] >= 0x7f)
					g->helo[i] = '?';
		}
	}
}

void grade_reply(struct grade *g, const struct server_reply *r)
{
	const char *rule = r->rule;

	/* a warning event said it already for the lines of a message */
	if (is(rule, "bare-lf-command"))
		g->count[GRADE_BARE_LF]++;
	else if (is(rule, "bare-cr"))
		g->count[GRADE_BARE_CR]++;
	else if (is(rule, "line-too-long") || is(rule, "auth-line-too-long"))
		g->count[GRADE_LONG_LINE]++;
	else if (is(rule, "param-not-offered") || is(rule, "params-need-ehlo"))
		g->count[GRADE_PARAM]++;
	else if (is(rule, "utf8-without-smtputf8"))
		g->count[GRADE_UTF8]++;
}

void grade_event(struct grade *g, const struct server_event *e)
{
	const char *rule = e->rule;

	if (e->kind != SERVER_EV_WARNING)
		return;
	if (is(rule, "bare-lf-command") || is(rule, "bare-lf-data"))
		g->count[GRADE_BARE_LF]++;
	else if (is(rule, "bare-cr-data"))
		g->count[GRADE_BARE_CR]++;
	else if (is(rule, "pipelining-not-offered") ||
	    is(rule, "pipelining-not-last"))
		g->count[is(g->last_verb, "DATA") ? GRADE_NO_354 : GRADE_PIPELINING]++;
	else if (is(rule, "8bit-undeclared"))
		g->count[GRADE_8BIT]++;
	else if (is(rule, "dropped") || is(rule, "dropped-in-transaction"))
		g->count[GRADE_NO_QUIT]++;
}

void grade_silent(struct grade *g)
{
	g->count[GRADE_SILENT]++;
}

size_t grade_total(const struct grade *g)
{
	size_t i, n = 0;

	for (i = 0; i < GRADE_LAST; i++)
		n += g->count[i] > 0;
	return n;
}

void grade_each(const struct grade *g,
    void (*fn)(void *ctx, const struct grade_finding *f), void *ctx)
{
	struct grade_finding f;
	size_t i;

	for (i = 0; i < GRADE_LAST; i++) {
		if (g->count[i] == 0)
			continue;
		f.kind = (enum grade_kind)i;
		f.key = kinds[i].key;
		f.section = kinds[i].section;
		f.text = kinds[i].text;
		f.count = g->count[i];
		f.detail = i == GRADE_HELO ? g->helo : "";
		fn(ctx, &f);
	}
}
