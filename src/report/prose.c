/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prose.c - the text of a bounce: who failed, and what was said
 *
 * Bounces that are not (only) RFC 3464 reports say the same things in
 * prose: a list of recipients, each followed by the remote server's reply
 * or a sentence about it, then a copy of the returned message.  This
 * reads any of them the same way:
 *   - a recipient line is one that starts with an address (after
 *     bullets, quotes or '<'), or a short label and an address
 *     ("Unknown user: bob@example.org"), or a sentence about delivering
 *     "to <address>";
 *   - the lines after a recipient line are its diagnostic, until the next
 *     recipient; lines before the first are the preamble, which every
 *     recipient without a diagnostic of its own shares;
 *   - the report ends where the returned message starts: a marker line
 *     ("------ This is a copy of the message", "--- Below this line is a
 *     copy of the message" ...) or a header field such as Received:;
 *   - Sendmail's transcript (">>> RCPT TO:<...>" then "<<< 550 ...")
 *     says which command each reply answered.
 * Recipients are kept (at most REPORT_PENDING_MAX) until the message
 * ends; a DSN part, when there is one, takes what they hold about the
 * same address and replaces them.
 */
#include <config.h>

#include "report/reportint.h"

#include <string.h>

#include "core/ascii.h"
#include "core/ref.h"

void report_prose_reset(struct report *r)
{
	struct prose *p = &r->prose;

	p->npend = 0;
	p->cur = -1;
	p->prelen = 0;
	p->pre[0] = 0;
	p->npairs = 0;
	p->pair_cmd[0] = 0;
	p->stopped = 0;
	p->orig_headers = 0;
	p->orig_to[0] = 0;
	p->dsn_fields = 0;
}

/* ---------------------------------------------------------------- */
/* Where the report ends                                             */

/* Lines that introduce the returned message, as common systems write
 * them (lower case, looked for anywhere in a short line). */
static const char *const markers[] = {
	"this is a copy of the message",	/* Exim */
	"below this line is a copy of the message",	/* qmail, Yahoo */
	"below is a copy of the original message",	/* OpenSMTPD */
	"original message follows",		/* IMail, x2 */
	"original message headers",		/* Microsoft 365 */
	"----- original message -----",		/* Gmail */
	"-------original message",		/* m-FILTER */
	"original message:",			/* Verizon */
	"message headers follow",		/* DragonFly */
	"header of the original message",	/* GMX, 1&1 */
	"copy of the message header",		/* MXLogic */
	"included is a copy of the message",
	"------- returned message",		/* Lotus Notes */
	"unsent message follows",		/* Sendmail */
	"undelivered message follows",
	"the original message was:",
	NULL
};

/* Header fields that only the returned message has at the start of a
 * line: the report is over when one appears. */
static const char *const original_fields[] = {
	"received:", "return-path:", "dkim-signature:", "x-received:",
	"arc-seal:", "authentication-results:", "message-id:",
	"x-google-smtp-source:", NULL
};

static int report_over(const char *s, size_t n)
{
	size_t i;

	for (i = 0; original_fields[i]; i++)
		if (report_starts_ci(s, n, original_fields[i]))
			return 1;
	if (n > 120)
		return 0;
	for (i = 0; markers[i]; i++)
		if (report_find_ci(s, n, markers[i]))
			return 1;
	return 0;
}

void report_prose_original(struct report *r, const char *s, size_t n)
{
	struct prose *p = &r->prose;
	size_t at, k;

	if (p->orig_headers == 3)
		return;
	if (report_blank(s, n)) {
		if (p->orig_headers == 2)
			p->orig_headers = 3;
		return;
	}
	p->orig_headers = 2;
	if (report_starts_ci(s, n, "to:") && !p->orig_to[0] &&
	    (k = report_find_address(s, n, &at)) > 0)
		report_copy(p->orig_to, sizeof p->orig_to, s + at, k);
}

/* ---------------------------------------------------------------- */
/* Recipients                                                        */

/* Labels after which an address is not a recipient of the bounce. */
static const char *const not_recipient[] = {
	"to", "from", "cc", "bcc", "reply-to", "sender", "return-path",
	"delivered-to", "envelope-to", "x-original-to", "x-envelope-to",
	"errors-to", "return-receipt-to", "disposition-notification-to",
	"original address", "x-failed-recipients", NULL
};

static int label_ok(const char *s, size_t n)
{
	size_t i;

	n = report_trim(&s, n);
	if (n == 0 || n > 60 || memchr(s, '@', n) || memchr(s, '<', n))
		return 0;
	for (i = 0; not_recipient[i]; i++)
		if (strlen(not_recipient[i]) == n && report_starts_ci(s, n, not_recipient[i]))
			return 0;
	/* "after MAIL FROM:<...>", "generated from": the sender, an alias */
	return !(n >= 4 && report_starts_ci(s + n - 4, 4, "from"));
}

/* address_after - an address at s (after an optional '<' or quote):
 * its start and length; 0 when there is none */
static size_t address_after(const char *s, size_t n, size_t *at)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && (s[i] == '<' || s[i] == '"'))
		i++;
	*at = i;
	return report_scan_address(s + i, n - i);
}

/* recipient_line - when s names a recipient: the address (at, len) and
 * where the rest of the line starts; 0 otherwise.  A label before the
 * address ("Unknown user:") is kept in *label, *llen. */
static size_t recipient_line(const char *s, size_t n, size_t *at, size_t *rest,
    size_t *label, size_t *llen)
{
	size_t i = 0, k, colon;
	const char *to;

	/* bullets, quotes, Sendmail's ">>>" before the address */
	*label = *llen = 0;
	while (i < n && i < 8 && (s[i] == ' ' || s[i] == '\t' || s[i] == '*' ||
	    s[i] == '-' || s[i] == '>' || s[i] == '"' || s[i] == '\''))
		i++;
	if (i + 2 < n && (unsigned char)s[i] == 0xe2 && (unsigned char)s[i + 1] == 0x80)
		i += 3;	/* a UTF-8 bullet */
	if ((k = address_after(s + i, n - i, at)) > 0) {
		*at += i;
		*rest = *at + k;
		while (*rest < n && strchr(">\":", s[*rest]))
			(*rest)++;
		return k;
	}
	for (colon = i; colon < n && colon < i + 61 && s[colon] != ':'; colon++)
		;
	if (colon < n && s[colon] == ':' && label_ok(s + i, colon - i) &&
	    (k = address_after(s + colon + 1, n - colon - 1, at)) > 0) {
		*label = i;
		*llen = colon - i;
		*at += colon + 1;
		*rest = *at + k;
		while (*rest < n && strchr(">\":.", s[*rest]))
			(*rest)++;
		return k;
	}
	if ((to = report_find_ci(s, n, " to <")) != NULL && report_find_ci(s, n, "deliver") &&
	    (k = report_scan_address(to + 5, n - (size_t)(to + 5 - s))) > 0) {
		*at = (size_t)(to + 5 - s);
		*rest = *at + k;
		return k;
	}
	return 0;
}

/* in_list - whether addr is in a comma-separated lower-case list */
static int in_list(const char *list, const char *address)
{
	char addr[REPORT_ADDR_MAX];
	size_t n, i;
	const char *p = list;

	for (i = 0; address[i] && i + 1 < sizeof addr; i++)
		addr[i] = (char)ascii_lower((unsigned char)address[i]);
	addr[i] = 0;
	n = i;
	if (n == 0)
		return 0;

	while ((p = report_find_ci(p, strlen(p), addr)) != NULL) {
		if ((p == list || !ascii_is_alnum((unsigned char)p[-1])) &&
		    !(ascii_is_alnum((unsigned char)p[n]) || p[n] == '.' || p[n] == '@'))
			return 1;
		p += n;
	}
	return 0;
}

static int same_ci(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* wanted - whether an address on a recipient line is a recipient */
static int wanted(const struct report *r, const char *addr)
{
	if (r->failed[0])
		return in_list(r->failed, addr);
	if (same_ci(addr, r->to) || same_ci(addr, r->from))
		return 0;
	return !report_starts_ci(addr, strlen(addr), "mailer-daemon@");
}

/* same_local - whether two addresses have the same local part */
static int same_local(const char *a, const char *b)
{
	for (; *a && *b && *a != '@'; a++, b++)
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return 0;
	return *a == '@' && *b == '@';
}

struct rwork *report_prose_find(struct report *r, const char *addr)
{
	struct prose *p = &r->prose;
	int i, hit = -1, hits = 0;

	for (i = 0; i < p->npend; i++)
		if (same_ci(p->pend[i].addr, addr))
			return &p->pend[i];
	/* the same local part: one report may spell the domain otherwise */
	for (i = 0; i < p->npend; i++)
		if (!p->pend[i].used && same_local(p->pend[i].addr, addr)) {
			hit = i;
			hits++;
		}
	return hits == 1 ? &p->pend[hit] : NULL;
}

struct rwork *report_prose_single(struct report *r)
{
	return r->prose.npend == 1 ? &r->prose.pend[0] : NULL;
}

/* add_recipient - make the address the current recipient; 0 when it is
 * not one */
static int add_recipient(struct report *r, const char *s, size_t k)
{
	struct prose *p = &r->prose;
	char addr[REPORT_ADDR_MAX];
	int i;

	report_copy(addr, sizeof addr, s, k);
	if (!wanted(r, addr))
		return 0;
	for (i = 0; i < p->npend; i++)
		if (same_ci(p->pend[i].addr, addr)) {
			p->cur = i;
			return 1;
		}
	if (p->npend == REPORT_PENDING_MAX) {
		r->sum.dropped++;
		p->cur = -1;
		return 1;
	}
	p->cur = p->npend++;
	report_rw_init(&p->pend[p->cur], r->lineno);
	report_set(p->pend[p->cur].addr, REPORT_ADDR_MAX, addr);
	return 1;
}

/* ---------------------------------------------------------------- */
/* Sendmail's transcript: which command a reply answered             */

static void transcript_line(struct report *r, const char *s, size_t n)
{
	struct prose *p = &r->prose;
	size_t k;

	if (n > 4 && s[0] == '>' && s[1] == '>' && s[2] == '>' && s[3] == ' ') {
		const struct ref_command *c;

		s += 4;
		n -= 4;
		for (k = 0; k < n && ascii_is_alpha((unsigned char)s[k]); k++)
			;
		if ((c = ref_command_find(s, k)) != NULL)
			report_set(p->pair_cmd, sizeof p->pair_cmd, c->verb);
		return;
	}
	if (n > 4 && s[0] == '<' && s[1] == '<' && s[2] == '<' && s[3] == ' ' &&
	    p->pair_cmd[0] && p->npairs < PROSE_PAIRS) {
		struct prose_pair *pp = &p->pair[p->npairs++];

		report_set(pp->command, sizeof pp->command, p->pair_cmd);
		report_copy(pp->reply, sizeof pp->reply, s + 4, n - 4);
	}
}

/* report_prose_command - the command the transcript shows a recipient's
 * reply answered, "" when it does not */
const char *report_prose_command(const struct report *r, const char *addr,
    const char *diag)
{
	const struct prose *p = &r->prose;
	const char *at = strchr(addr, '@');
	char local[REPORT_ADDR_MAX];
	int i, code = 0;
	size_t where;

	if (p->npairs == 0)
		return "";
	for (i = 0; *addr && i < p->npairs; i++)
		if (in_list(p->pair[i].reply, addr))
			return p->pair[i].command;
	if (at) {
		local[0] = '<';
		report_copy(local + 1, sizeof local - 1, addr, (size_t)(at - addr + 1));
		for (i = 0; i < (int)sizeof local && local[i]; i++)
			local[i] = (char)ascii_lower((unsigned char)local[i]);
		for (i = 0; i < p->npairs; i++)
			if (report_find_ci(p->pair[i].reply, strlen(p->pair[i].reply), local))
				return p->pair[i].command;
	}
	/* one failing reply in the transcript, and one recipient */
	if (p->npairs == 1 || (report_find_reply(diag, strlen(diag), &code, &where) &&
	    code >= 400)) {
		for (i = p->npairs - 1; i >= 0; i--)
			if (p->pair[i].reply[0] >= '4' && p->pair[i].reply[0] <= '5' &&
			    (code == 0 || strncmp(p->pair[i].reply, diag + where, 3) == 0))
				return p->pair[i].command;
	}
	return "";
}

/* ---------------------------------------------------------------- */
/* Lines                                                             */

/* Sentences that name the software that wrote a bounce. */
static const struct { const char *text; const char *name; } writers[] = {
	{ "this is the mail system at host", "Postfix" },
	{ "this message was created automatically by mail delivery software", "Exim" },
	{ "qmail-send program", "qmail" },
	{ "----- transcript of session follows -----", "Sendmail" },
	{ "the following addresses had permanent fatal errors", "Sendmail" },
	{ "this is the mailer-daemon, please do not reply", "OpenSMTPD" },
	{ "diagnostic information for administrators", "Microsoft Exchange" },
	{ "google tried to deliver your message", "Gmail" },
	{ "dragonfly mail agent", "DragonFly Mail Agent" },
	{ "sorry, we were unable to deliver your message", "Yahoo" },
	{ "not listed in domino directory", "Domino" },
	{ "courier mail server", "Courier" },
	{ NULL, NULL }
};

static void pre_append(struct prose *p, const char *s, size_t n)
{
	n = report_trim(&s, n);
	if (n == 0)
		return;
	if (p->prelen > 0 && p->prelen + 1 < sizeof p->pre)
		p->pre[p->prelen++] = ' ';
	if (p->prelen + n >= sizeof p->pre)
		n = sizeof p->pre - 1 - p->prelen;
	memcpy(p->pre + p->prelen, s, n);
	p->prelen += n;
	p->pre[p->prelen] = 0;
}

void report_prose_line(struct report *r, const char *s, size_t n)
{
	struct prose *p = &r->prose;
	size_t at, rest, k, i, label, llen;

	if (p->stopped) {
		report_prose_original(r, s, n);
		return;
	}
	if (report_dsn_field_name(s, n))
		p->dsn_fields = 1;
	if (p->dsn_fields) {
		report_dsn_line(r, s, n);
		return;
	}
	if (report_blank(s, n))
		return;
	if (report_over(s, n)) {
		p->stopped = 1;
		p->cur = -1;
		if (report_starts_ci(s, n, "received:") || report_starts_ci(s, n, "return-path:"))
			report_prose_original(r, s, n);
		return;
	}
	if (!r->software[0])
		for (i = 0; writers[i].text; i++)
			if (report_find_ci(s, n, writers[i].text)) {
				report_set_software(r, writers[i].name);
				break;
			}
	transcript_line(r, s, n);
	if ((k = recipient_line(s, n, &at, &rest, &label, &llen)) > 0 &&
	    add_recipient(r, s + at, k)) {
		if (p->cur >= 0) {
			report_rw_append(&p->pend[p->cur], s + label, llen);
			report_rw_append(&p->pend[p->cur], s + rest, n - rest);
		}
		return;
	}
	if (p->cur >= 0)
		report_rw_append(&p->pend[p->cur], s, n);
	else
		pre_append(p, s, n);
}

/* ---------------------------------------------------------------- */
/* The end of a message                                              */

/* Words in a subject or a preamble that make a message a bounce. */
static const char *const bounce_words[] = {
	"undeliver", "delivery fail", "delivery status", "failure notice",
	"returned mail", "not delivered", "non-delivery", "could not be delivered",
	"mail delivery", "delivery problem", "mail system error", "failed",
	NULL
};

/* Words that make a report a warning: delivery is still being tried. */
static const char *const delay_words[] = {
	"(delay)", "delayed", "will retry", "will be retried", "still trying",
	"warning: message", "has not yet been delivered", NULL
};

static int has_word(const char *s, const char *const *words)
{
	size_t i, n = strlen(s);

	for (i = 0; words[i]; i++)
		if (report_find_ci(s, n, words[i]))
			return 1;
	return 0;
}

static int looks_bounce(const struct report *r)
{
	int code = 0;
	size_t at;

	return has_word(r->subject, bounce_words) ||
	    report_starts_ci(r->from, strlen(r->from), "mailer-daemon@") ||
	    report_starts_ci(r->from, strlen(r->from), "postmaster@") ||
	    (report_find_reply(r->prose.pre, r->prose.prelen, &code, &at) &&
	    code >= 400);
}

static void emit_one(struct report *r, struct rwork *w, int delayed)
{
	struct prose *p = &r->prose;

	if (!w->command[0]) {
		const char *c = report_prose_command(r, w->addr, w->diag);

		report_set(w->command, sizeof w->command, c);
	}
	if (!w->action[0] && delayed)
		report_copy(w->action, sizeof w->action, "delayed", 7);
	w->final = !delayed;
	report_emit(r, w, p->prelen ? p->pre : NULL);
}

void report_prose_finish(struct report *r)
{
	struct prose *p = &r->prose;
	struct rwork w;
	int i, delayed;

	if (r->msg_dsn > 0)
		return;		/* the DSN said it all */
	delayed = has_word(r->subject, delay_words) || has_word(p->pre, delay_words);
	for (i = 0; i < p->npend; i++)
		if (!p->pend[i].used)
			emit_one(r, &p->pend[i], delayed);
	if (r->msg_rcpts > 0)
		return;
	if (r->failed[0]) {
		const char *s = r->failed;

		while (*s) {
			size_t at, k = report_find_address(s, strlen(s), &at);

			if (k == 0)
				break;
			report_rw_init(&w, r->msg_line);
			report_copy(w.addr, sizeof w.addr, s + at, k);
			emit_one(r, &w, delayed);
			s += at + k;
		}
		return;
	}
	if (r->autoreply || (r->has_headers && !looks_bounce(r) &&
	    has_word(r->subject, (const char *const[]){ "out of office",
	    "automatic reply", "auto-reply", "autoreply", "auto:", "away from",
	    "vacation", NULL }))) {
		report_rw_init(&w, r->msg_line);
		report_set(w.addr, sizeof w.addr, r->from);
		w.autoreply = 1;
		report_emit(r, &w, NULL);
		return;
	}
	if (!looks_bounce(r) && r->mode != MODE_TEXT)
		return;
	report_rw_init(&w, r->msg_line);
	report_set(w.addr, sizeof w.addr, p->orig_to);
	if (w.addr[0] || (p->prelen &&
	    report_find_reply(p->pre, p->prelen, &i, &(size_t){ 0 })))
		emit_one(r, &w, delayed);
}
