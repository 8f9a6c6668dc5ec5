/* SPDX-License-Identifier: GPL-3.0-or-later */
/* classify.c - from what was said to a verdict: codes, command, host,
 * reason, and what to do
 *
 * The server's text is read for its reply code (RFC 5321 4.2) and
 * enhanced status code (RFC 3463 2; also qmail's "(#5.1.1)"), the
 * command it answered, and the host that sent it.  The reason comes, in
 * this order, from:
 *   1. a local program's failure (an X-Unix diagnostic, a pipe): mailererror;
 *   2. a success or an automatic reply: delivered, vacation;
 *   3. the server's text, matched against data/bounce-texts.rec: the text
 *      says more than any code, so it wins, and the record keeps what the
 *      codes alone would have said (by_code) so explain can say so;
 *   4. the enhanced status code (data/reasons.rec, Codes), then the basic
 *      reply code's meaning in RFC 5321 4.2.2;
 * then three rules of reading: an "unknown user" refused at DATA, after
 * the address was accepted, is a filter's refusal (unless the code is
 * X.1.1); so is one that comes with an X.7.X (policy) code; a refusal at
 * MAIL with nothing more precise is the sender's (rejected).  A final
 * report of a temporary failure means the sender gave up: expired.
 */
#include <config.h>

#include "report/reportint.h"

#include <stdio.h>
#include <string.h>

#include "core/ascii.h"
#include "core/ref.h"
#include "core/reply.h"

static const char *const rule_names[] = {
	[REPORT_RULE_TEXT] = "the server's text says so",
	[REPORT_RULE_STATUS] = "the enhanced status code says so (RFC 3463)",
	[REPORT_RULE_REPLY] = "the reply code says so (RFC 5321 4.2.2)",
	[REPORT_RULE_AT_DATA] = "an \"unknown user\" refused at DATA, after the address was accepted at RCPT, is a filter's refusal",
	[REPORT_RULE_POLICY] = "an \"unknown user\" text with a security or policy code (X.7.X) is a filter's refusal",
	[REPORT_RULE_COMMAND] = "the refusal came at the command that gives the sender or opens the session",
	[REPORT_RULE_EXPIRED] = "a final report of a temporary failure: the sending server stopped retrying",
	[REPORT_RULE_MAILER] = "the failure came from a program on the receiving system, not from SMTP",
	[REPORT_RULE_DELIVERED] = "the report says the message was delivered",
	[REPORT_RULE_AUTOREPLY] = "an automatic reply (RFC 3834), not a failure",
	[REPORT_RULE_NOTHING] = "nothing in the report says why",
};
_Static_assert(sizeof rule_names / sizeof rule_names[0] == REPORT_RULE_LAST,
    "rule_names out of step with enum report_rule");

const char *report_rule_str(enum report_rule k)
{
	return (unsigned)k < REPORT_RULE_LAST ? rule_names[k] : "?";
}

static const char *const rule_keys[] = {
	[REPORT_RULE_TEXT] = "text",
	[REPORT_RULE_STATUS] = "status",
	[REPORT_RULE_REPLY] = "reply-code",
	[REPORT_RULE_AT_DATA] = "at-data",
	[REPORT_RULE_POLICY] = "policy-code",
	[REPORT_RULE_COMMAND] = "command",
	[REPORT_RULE_EXPIRED] = "expired",
	[REPORT_RULE_MAILER] = "mailer",
	[REPORT_RULE_DELIVERED] = "delivered",
	[REPORT_RULE_AUTOREPLY] = "autoreply",
	[REPORT_RULE_NOTHING] = "nothing",
};
_Static_assert(sizeof rule_keys / sizeof rule_keys[0] == REPORT_RULE_LAST,
    "rule_keys out of step with enum report_rule");

const char *report_rule_name(enum report_rule k)
{
	return (unsigned)k < REPORT_RULE_LAST ? rule_keys[k] : "?";
}

/* ---------------------------------------------------------------- */
/* Codes in a text                                                   */

struct codes {
	int code;			/* the reply code, 0 when none */
	size_t code_at;
	int has_enh;			/* an enhanced code right after it */
	struct reply_enh enh;
	int has_bare;			/* an enhanced code on its own */
	struct reply_enh bare;
};

static int is_digit_at(const char *s, size_t n, size_t i)
{
	return i < n && ascii_is_digit((unsigned char)s[i]);
}

/* enh_at - an enhanced code at s[i]: 1 to 3 digits after each dot, and
 * neither a digit nor a dot after it (so not an IP address) */
static size_t enh_at(const char *s, size_t n, size_t i, struct reply_enh *e)
{
	size_t end = i;

	while (end < n && (ascii_is_digit((unsigned char)s[end]) || s[end] == '.'))
		end++;
	if (end > i && s[end - 1] == '.')
		end--;	/* "5.1.1." ends a sentence */
	if (end - i < 5 || reply_parse_enh(s + i, end - i, e) != end - i)
		return 0;
	return end - i;
}

/* code_at - a reply code at s[i]: not inside a word or a number, and
 * followed by a space, '-', or the end of a clause */
static int code_at(const char *s, size_t n, size_t i)
{
	char prev = i > 0 ? s[i - 1] : ' ';
	char next = i + 3 < n ? s[i + 3] : ' ';

	if (!(s[i] >= '2' && s[i] <= '5') || !is_digit_at(s, n, i + 1) ||
	    s[i + 1] > '5' || !is_digit_at(s, n, i + 2))
		return 0;
	if (ascii_is_alnum((unsigned char)prev) || prev == '.' || prev == '_' ||
	    prev == '/' || prev == '#' || prev == '-' || prev == '+')
		return 0;
	if (!(next == ' ' || next == '-' || next == ',' || next == ';' ||
	    next == ')' || next == '\'' || next == '"' || next == '\t'))
		return 0;
	/* "550-5.7.1" and "550 5.7.1" are codes; "550-" followed by a digit
	 * that is not an enhanced code is a range or a date */
	if (next == '-' && is_digit_at(s, n, i + 4) && !(i + 5 < n && s[i + 5] == '.'))
		return 0;
	/* only codes some RFC defines: in prose, "over 256 KB" is no reply */
	return ref_code_find((s[i] - '0') * 100 + (s[i + 1] - '0') * 10 +
	    (s[i + 2] - '0')) != NULL;
}

static void scan_codes(const char *s, size_t n, struct codes *c)
{
	size_t i, k;
	struct reply_enh e;

	memset(c, 0, sizeof *c);
	for (i = 0; i + 2 < n; i++) {
		if (!ascii_is_digit((unsigned char)s[i]))
			continue;
		if (!c->has_bare && (i == 0 || !(ascii_is_alnum((unsigned char)s[i - 1]) ||
		    s[i - 1] == '.')) && (k = enh_at(s, n, i, &e)) > 0) {
			c->has_bare = 1;
			c->bare = e;
		}
		if ((!c->code || !c->has_enh) && code_at(s, n, i)) {
			size_t j = i + 4;
			int code = (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');

			/* Gmail writes the code twice: "554 554 5.7.0 ..." */
			if (j + 3 <= n && memcmp(s + i, s + j, 3) == 0 && j + 3 < n &&
			    s[j + 3] == ' ')
				j += 4;
			if (j < n && (s[j] == '\'' || s[j] == '"'))
				j++;
			if (enh_at(s, n, j, &e) && e.cls == code / 100) {
				c->code = code;
				c->code_at = i;
				c->has_enh = 1;
				c->enh = e;
			} else if (!c->code) {
				c->code = code;
				c->code_at = i;
			}
		}
		while (i + 1 < n && ascii_is_digit((unsigned char)s[i + 1]))
			i++;
	}
}

int report_find_reply(const char *s, size_t n, int *code, size_t *at)
{
	struct codes c;

	scan_codes(s, n, &c);
	*code = c.code;
	*at = c.code_at;
	return c.code != 0;
}

/* ---------------------------------------------------------------- */
/* The command and the host                                          */

static const struct { const char *text; const char *command; } commands[] = {
	{ "in reply to rcpt to", "RCPT" },	/* Postfix */
	{ "in reply to mail from", "MAIL" },
	{ "in reply to end of data", "DATA" },
	{ "in reply to data", "DATA" },
	{ "in reply to ehlo", "EHLO" },
	{ "in reply to helo", "HELO" },
	{ "in reply to bdat", "BDAT" },
	{ "after rcpt to", "RCPT" },		/* Exim */
	{ "after pipelined rcpt to", "RCPT" },
	{ "after rcpt command", "RCPT" },
	{ "after mail from", "MAIL" },
	{ "after pipelined mail from", "MAIL" },
	{ "after end of data", "DATA" },
	{ "after data", "DATA" },
	{ "after initial connection", "CONNECT" },
	{ "after ehlo", "EHLO" },
	{ "after helo", "HELO" },
	{ "does not like recipient", "RCPT" },	/* qmail */
	{ "sender was rejected", "MAIL" },
	{ "most progress was rcpt to", "RCPT" },
	{ "most progress was mail from", "MAIL" },
	{ "greeting failed", "CONNECT" },
	{ "my name was rejected", "HELO" },
	{ "did not like our final data", "DATA" },	/* DragonFly */
	{ "did not like our data", "DATA" },
	{ "did not like our rcpt", "RCPT" },
	{ "did not like our mail", "MAIL" },
	{ "refused to talk to me", "CONNECT" },	/* Postfix */
	{ "[rcpt_to]", "RCPT" },		/* Yahoo */
	{ "[mail_from]", "MAIL" },
	{ "smtp:rcpt", "RCPT" },
	{ "smtp:mail", "MAIL" },
	{ "smtp:data", "DATA" },
	{ "message (data)", "DATA" },
	{ "smtp command data", "DATA" },	/* m-FILTER */
	{ "smtp command rcpt", "RCPT" },
	{ "smtp command mail", "MAIL" },
};

static const char *find_command(const char *low)
{
	size_t i, n = strlen(low);
	const char *best = NULL, *at, *where = NULL;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if ((at = report_find_ci(low, n, commands[i].text)) != NULL &&
		    (where == NULL || at < where)) {
			where = at;
			best = commands[i].command;
		}
	return best;
}

static int host_char(int c)
{
	return ascii_is_alnum(c) || c == '.' || c == '-' || c == ':';
}

/* host_token - a host name or an address literal at s, into out; 1 when
 * it looks like one (a dot in it) */
static int host_token(const char *s, size_t n, char *out, size_t size)
{
	size_t i = 0, k;

	while (i < n && (s[i] == ' ' || s[i] == ':'))
		i++;
	if (i < n && (s[i] == '[' || s[i] == '<'))
		i++;
	for (k = i; k < n && host_char((unsigned char)s[k]); k++)
		;
	while (k > i && (s[k - 1] == '.' || s[k - 1] == ':' || s[k - 1] == '-'))
		k--;
	if (k == i || !memchr(s + i, '.', k - i) ||
	    !ascii_is_alnum((unsigned char)s[i]))
		return 0;
	report_copy(out, size, s + i, k - i);
	return 1;
}

/* token_before - the host named just before s[at] ("mx.example.org
 * [192.0.2.1] did not like ..."), into out */
static int token_before(const char *s, size_t at, char *out, size_t size)
{
	size_t e = at, b;

	while (e > 0 && s[e - 1] == ' ')
		e--;
	if (e > 0 && s[e - 1] == ']') {	/* skip the address literal */
		while (e > 0 && s[e - 1] != '[')
			e--;
		if (e > 0)
			e--;
		while (e > 0 && s[e - 1] == ' ')
			e--;
	}
	for (b = e; b > 0 && host_char((unsigned char)s[b - 1]); b--)
		;
	return host_token(s + b, e - b, out, size);
}

static void find_host(const char *s, char *out, size_t size)
{
	static const char *const after[] = { "host ", "talking to ",
		"connected to ", "smtp server ", "server ", "by ", NULL };
	static const char *const before[] = { " did not like", " does not like",
		NULL };
	size_t n = strlen(s), i;
	const char *p;

	out[0] = 0;
	for (i = 0; after[i]; i++) {
		for (p = s; (p = report_find_ci(p, n - (size_t)(p - s), after[i])) != NULL;
		    p += strlen(after[i])) {
			if (p > s && ascii_is_alpha((unsigned char)p[-1]))
				continue;
			if (i == 0 && p >= s + 7 && report_starts_ci(p - 7, 7, "client "))
				continue;	/* the sender's own host */
			if (host_token(p + strlen(after[i]),
			    n - (size_t)(p - s) - strlen(after[i]), out, size))
				return;
		}
	}
	for (i = 0; before[i]; i++)
		if ((p = report_find_ci(s, n, before[i])) != NULL &&
		    token_before(s, (size_t)(p - s), out, size))
			return;
	out[0] = 0;
}

/* ---------------------------------------------------------------- */
/* The text and the tables                                           */

/* squeeze - lower case, each run of white space one space */
static size_t squeeze(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0, i;
	int space = 0;

	for (i = 0; i < n && o + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < size)
			out[o++] = ' ';
		space = 0;
		out[o++] = (char)ascii_lower(c);
	}
	out[o] = 0;
	return o;
}

/* host_in - whether host is, or ends with, a domain of the list */
static int host_in(const char *list, const char *host)
{
	const char *tok, *tail;
	size_t len, hl = strlen(host), i;

	while (hl > 0 && host[hl - 1] == '.')
		hl--;
	while (ref_list_next(&list, &tok, &len)) {
		if (hl < len || (hl > len && host[hl - len - 1] != '.'))
			continue;
		tail = host + hl - len;
		for (i = 0; i < len && ascii_lower((unsigned char)tail[i]) == tok[i]; i++)
			;
		if (i == len)
			return 1;
	}
	return 0;
}

/* text_match - the row of bounce-texts.rec whose text is in low: the
 * longest, and of two as long the one tied to the hosts at hand */
static const struct ref_btext *text_match(const char *low, size_t n,
    const char *remote, const char *domain)
{
	const struct ref_btext *best = NULL;
	size_t i, best_len = 0;
	unsigned char pairs[65536 / 8];

	/* which pairs of octets the text has: most rows need not be looked
	 * for at all */
	memset(pairs, 0, sizeof pairs);
	for (i = 0; i + 1 < n; i++) {
		unsigned k = (unsigned)(unsigned char)low[i] << 8 | (unsigned char)low[i + 1];

		pairs[k >> 3] |= (unsigned char)(1u << (k & 7));
	}
	for (i = 0; i < ref_btext_count; i++) {
		const struct ref_btext *t = &ref_btext_table[i];
		const char *p = low, *piece = t->text;
		size_t left = n, len = 0;
		unsigned k = (unsigned)(unsigned char)piece[0] << 8 | (unsigned char)piece[1];

		if (piece[1] != '*' && !(pairs[k >> 3] & (1u << (k & 7))))
			continue;

		while (*piece) {
			const char *star = strchr(piece, '*');
			size_t pl = star ? (size_t)(star - piece) : strlen(piece);
			const char *hit = memmem(p, left, piece, pl);

			if (hit == NULL)
				break;
			len += pl;
			left -= (size_t)(hit + pl - p);
			p = hit + pl;
			piece += pl + (star != NULL);
		}
		if (*piece)
			continue;
		if (t->hosts && !host_in(t->hosts, remote) && !host_in(t->hosts, domain))
			continue;
		if (len > best_len || (len == best_len && t->hosts && best && !best->hosts)) {
			best = t;
			best_len = len;
		}
	}
	return best;
}

static const struct ref_reason *reason_named(const char *name)
{
	return ref_reason_find(name, strlen(name));
}

/* reply_reason - what a basic code alone means (RFC 5321 4.2.2, 4.2.3;
 * RFC 7504 for 521 and 556; RFC 4954 for the AUTH codes) */
static const struct ref_reason *reply_reason(int code)
{
	static const struct { int code; const char *reason; } map[] = {
		{ 451, "systemerror" }, { 452, "systemfull" },
		{ 500, "syntaxerror" }, { 501, "syntaxerror" },
		{ 502, "syntaxerror" }, { 503, "syntaxerror" },
		{ 504, "syntaxerror" }, { 521, "notaccept" },
		{ 530, "securityerror" }, { 534, "securityerror" },
		{ 535, "securityerror" }, { 538, "securityerror" },
		{ 551, "hasmoved" }, { 552, "mailboxfull" },
		{ 555, "syntaxerror" }, { 556, "notaccept" },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].code == code)
			return reason_named(map[i].reason);
	return NULL;
}

/* ---------------------------------------------------------------- */
/* What is shown                                                     */

/* shown - the server's own words: from its reply code on, without the
 * notes bounces add after it; repeated code prefixes of a multi-line
 * reply are taken out */
static void shown(char *out, size_t size, const char *s, size_t from,
    const struct codes *c)
{
	static const char *const tails[] = { " (in reply to ", " giving up on ",
		" (other mxes tried", " i'm not going to try again", NULL };
	size_t n, i, o = 0;
	char prefix[24];
	const char *first;
	int pl = 0;

	report_set(out, size, s + from);
	n = strlen(out);
	for (i = 0; tails[i]; i++) {
		const char *t = report_find_ci(out, n, tails[i]);

		if (t && t > out + 3)
			n = (size_t)(t - out);
	}
	out[n] = 0;
	if (c->code) {
		if (c->has_enh)
			pl = snprintf(prefix, sizeof prefix, "%d-%d.%d.%d ", c->code,
			    c->enh.cls, c->enh.subject, c->enh.detail);
		else
			pl = snprintf(prefix, sizeof prefix, "%d-", c->code);
	}
	first = pl > 0 && c->has_enh ? report_find_ci(out, n, prefix + 4) : NULL;
	for (i = 0; i < n; i++) {
		/* " 550-5.7.26 " or " 550 5.7.26 " inside: a line of the reply */
		if (pl > 0 && i > 0 && out[i - 1] == ' ' && i + (size_t)pl <= n &&
		    (first == NULL || out + i > first) &&
		    memcmp(out + i, prefix, 3) == 0 &&
		    (out[i + 3] == '-' || out[i + 3] == ' ') &&
		    memcmp(out + i + 4, prefix + 4, (size_t)pl - 4) == 0) {
			i += (size_t)pl - 1;
			while (i + 1 < n && out[i + 1] == ' ')
				i++;
			continue;
		}
		out[o++] = out[i];
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = 0;
	/* "550-5.7.26 ..." made one reply reads "550 5.7.26 ..." */
	if (pl > 0 && o > 4 && out[3] == '-' && memcmp(out, prefix, 3) == 0)
		out[3] = ' ';
}

/* ---------------------------------------------------------------- */
/* The verdict                                                       */

static int is_command(const char *c, const char *name)
{
	return c && !strcmp(c, name);
}

/* decide - the reason, the rule that gave it, and what the codes alone
 * said when that differs */
static void decide(struct report *r, const struct rwork *w, const char *extra,
    const struct codes *c, int cls, int final, struct report_rcpt *o,
    const struct reply_enh *st, int has_st)
{
	const char *at = strchr(w->addr, '@');
	const struct ref_reason *by_text = NULL, *by_code, *by_status = NULL;
	size_t n;

	if (w->pipe || report_starts_ci(w->dtype, strlen(w->dtype), "x-unix")) {
		o->reason = reason_named("mailererror");
		o->rule = REPORT_RULE_MAILER;
		return;
	}
	if (w->autoreply) {
		o->reason = reason_named("vacation");
		o->rule = REPORT_RULE_AUTOREPLY;
		return;
	}
	if (cls == 2 || !strcmp(o->action, "delivered") ||
	    !strcmp(o->action, "relayed") || !strcmp(o->action, "expanded")) {
		o->reason = reason_named("delivered");
		o->rule = REPORT_RULE_DELIVERED;
		return;
	}
	n = squeeze(w->diag, w->dlen, r->lower, sizeof r->lower);
	o->text = text_match(r->lower, n, o->remote_mta, at ? at + 1 : "");
	if (o->text == NULL && extra && *extra) {
		n = squeeze(extra, strlen(extra), r->lower, sizeof r->lower);
		o->text = text_match(r->lower, n, o->remote_mta, at ? at + 1 : "");
	}
	if (o->text)
		by_text = reason_named(o->text->reason);
	if (has_st && (by_status = ref_enh_reason(st->subject, st->detail)) == NULL &&
	    st->detail != 0)
		by_status = ref_enh_reason(st->subject, 0);
	by_code = by_status ? by_status : c->code ? reply_reason(c->code) : NULL;
	o->reason = by_text ? by_text : by_code;
	o->rule = by_text ? REPORT_RULE_TEXT : by_status ? REPORT_RULE_STATUS
	    : REPORT_RULE_REPLY;
	if (by_text && by_code && by_code != by_text)
		o->by_code = by_code;
	if (o->reason == reason_named("userunknown")) {
		if (o->text && o->text->hosts) {
			/* a provider's documented meaning: no reading rule */
		} else if (is_command(o->command, "DATA") &&
		    !(has_st && st->subject == 1 && st->detail == 1)) {
			o->by_code = o->reason;
			o->reason = reason_named("filtered");
			o->rule = REPORT_RULE_AT_DATA;
		} else if (by_text && has_st && st->subject == 7) {
			o->by_code = o->reason;
			o->reason = reason_named("filtered");
			o->rule = REPORT_RULE_POLICY;
		}
	}
	if ((o->reason == NULL || (!by_text && (o->reason == reason_named("securityerror") ||
	    o->reason == reason_named("undefined")))) && o->command[0]) {
		const struct ref_reason *was = o->reason;

		if (is_command(o->command, "MAIL"))
			o->reason = reason_named("rejected");
		else if (is_command(o->command, "CONNECT") ||
		    is_command(o->command, "EHLO") || is_command(o->command, "HELO"))
			o->reason = reason_named("blocked");
		if (o->reason != was) {
			o->by_code = was;
			o->rule = REPORT_RULE_COMMAND;
		}
	}
	if (cls == 4 && final) {
		o->by_code = o->reason;
		o->reason = reason_named("expired");
		o->rule = REPORT_RULE_EXPIRED;
	}
	if (o->reason == NULL) {
		o->reason = reason_named(w->dlen || c->code || (has_st && st->subject)
		    ? "undefined" : "onhold");
		o->rule = REPORT_RULE_NOTHING;
	}
}

static enum report_retry retry_of(const struct ref_reason *rs)
{
	if (!strcmp(rs->retry, "never"))
		return REPORT_RETRY_NEVER;
	if (!strcmp(rs->retry, "fix-first"))
		return REPORT_RETRY_FIX_FIRST;
	if (!strcmp(rs->retry, "none"))
		return REPORT_RETRY_NONE;
	return REPORT_RETRY_LATER;
}

void report_classify(struct report *r, const struct rwork *w,
    const char *extra, struct report_rcpt *o)
{
	struct codes c, xc;
	struct reply_enh st = { 0, 0, 0 };
	int has_st = 0, cls, final;
	const char *text = w->diag, *cmd;
	size_t st_len = strlen(w->status);

	memset(o, 0, sizeof *o);
	o->address = w->addr;
	scan_codes(w->diag, w->dlen, &c);
	if (!c.code && !c.has_bare && extra && *extra && !w->autoreply) {
		/* nothing in its own text: what the whole report said */
		scan_codes(extra, strlen(extra), &xc);
		if (xc.code || xc.has_bare) {
			c = xc;
			text = extra;
		}
	}
	/* the status: a Status field unless it is only X.0.0 and the text
	 * gives a closer code of the same class */
	if (st_len >= 5 && reply_parse_enh(w->status, st_len, &st) == st_len)
		has_st = 1;
	if (c.has_enh && (!has_st || (st.subject == 0 && st.detail == 0 &&
	    c.enh.cls == st.cls))) {
		st = c.enh;
		has_st = 1;
	} else if (c.has_bare && (!has_st || (st.subject == 0 && st.detail == 0 &&
	    c.bare.cls == st.cls)) && (!c.code || c.bare.cls == c.code / 100)) {
		st = c.bare;
		has_st = 1;
	}
	if (has_st)
		snprintf(o->status, sizeof o->status, "%d.%d.%d", st.cls, st.subject, st.detail);
	o->reply_code = c.code;
	/* who, at which command */
	report_set(r->remote, sizeof r->remote, w->remote);
	if (!r->remote[0])
		find_host(text, r->remote, sizeof r->remote);
	o->remote_mta = r->remote;
	cmd = w->command[0] ? w->command : find_command(w->diag);
	if (!cmd && extra)
		cmd = find_command(extra);
	o->command = cmd ? cmd : "";
	/* the class, and whether the report is final */
	cls = has_st ? st.cls : c.code ? c.code / 100
	    : !strcmp(w->action, "delayed") ? 4 : w->autoreply ? 2 : 5;
	final = !strcmp(w->action, "failed") || (!w->action[0] && w->final);
	if (w->action[0])
		report_set(r->action, sizeof r->action, w->action);
	else
		report_set(r->action, sizeof r->action, w->autoreply || cls == 2
		    ? "delivered" : cls == 4 && !final ? "delayed" : "failed");
	o->action = r->action;
	/* the server's words: from its code on, or the whole field */
	if (c.code)
		shown(r->shown, sizeof r->shown, text, w->fielded ? 0 : c.code_at, &c);
	else
		report_set(r->shown, sizeof r->shown, text);
	o->diagnostic = r->shown;
	decide(r, w, extra, &c, cls, final, o, &st, has_st);
	if (!has_st && o->reason->status[0]) {
		snprintf(o->status, sizeof o->status, "%d%s", cls, o->reason->status + 1);
		o->status_derived = 1;
	}
	o->permanent = cls == 5;
	o->retry = cls == 2 || !strcmp(o->reason->retry, "none") ? REPORT_RETRY_NONE
	    : cls == 4 && !final ? REPORT_RETRY_AUTOMATIC
	    : cls == 4 ? REPORT_RETRY_LATER : retry_of(o->reason);
	o->line = w->line;
}
