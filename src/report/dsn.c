/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsn.c - the fields of a delivery status notification (RFC 3464)
 *
 * A message/delivery-status body is a block of per-message fields, then
 * one block per recipient, blocks separated by blank lines; a field may
 * be folded over several lines (RFC 3464 2.1, RFC 5322 2.2.3).  Each
 * recipient's block is handed on as soon as it ends, after what the
 * bounce's text said about the same address has been added (prose.c):
 * the command it was refused at, the remote host, a transcript.
 */
#include <config.h>

#include "report/reportint.h"

#include <string.h>

#include "core/ascii.h"

/* The fields of RFC 3464 2.2 and 2.3, and the vendors' X- fields that
 * usually come with them. */
static const char *const fields[] = {
	"action", "arrival-date", "diagnostic-code", "dsn-gateway",
	"final-log-id", "final-recipient", "last-attempt-date",
	"original-envelope-id", "original-recipient", "received-from-mta",
	"remote-mta", "reporting-mta", "status", "will-retry-until",
	"x-actual-recipient", "x-postfix-queue-id", "x-postfix-sender",
	NULL
};

/* field_len - the length of the field name at s when s is "Name:", the
 * name one of the DSN fields; 0 otherwise */
static size_t field_len(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < n && s[i] != ':' && s[i] > 32 && s[i] < 127; i++)
		;
	if (i == 0 || i >= n || s[i] != ':')
		return 0;
	for (k = 0; fields[k]; k++)
		if (strlen(fields[k]) == i && report_starts_ci(s, i, fields[k]))
			return i;
	return 0;
}

int report_dsn_field_name(const char *s, size_t n)
{
	return field_len(s, n) > 0;
}

void report_dsn_reset(struct report *r)
{
	struct dsn *d = &r->dsn;

	report_rw_init(&d->w, r->lineno);
	d->in_block = 0;
	d->open = 0;
	d->vlen = 0;
}

/* typed - the value of a field with a type ("rfc822; bob@example.org",
 * "dns; mx.example.org"): what follows the ';', trimmed */
static size_t typed(const char **v, size_t n)
{
	const char *semi = memchr(*v, ';', n);

	if (semi) {
		n -= (size_t)(semi + 1 - *v);
		*v = semi + 1;
	}
	return report_trim(v, n);
}

static void set_address(char *dst, const char *v, size_t n)
{
	n = typed(&v, n);
	if (n > 1 && v[0] == '<' && v[n - 1] == '>') {
		v++;
		n -= 2;
	}
	report_copy(dst, REPORT_ADDR_MAX, v, n);
}

/* plain_address - an address the user would recognise (not a source
 * route or a local program) */
static int plain_address(const char *a)
{
	return strchr(a, '@') && !strchr(a, ':') && a[0] != '|' && a[0] != '"';
}

/* field - one whole field of the block in hand */
static void field(struct report *r, const char *name, const char *v, size_t n)
{
	struct rwork *w = &r->dsn.w;
	char addr[REPORT_ADDR_MAX];
	size_t k;

	n = report_trim(&v, n);
	if (!strcmp(name, "reporting-mta")) {
		n = typed(&v, n);
		report_copy(r->reporter, sizeof r->reporter, v, n);
	} else if (!strcmp(name, "x-postfix-queue-id")) {
		report_copy(r->id, sizeof r->id, v, n);
		report_set_software(r, "Postfix");
	} else if (!strcmp(name, "x-postfix-sender")) {
		set_address(r->sender, v, n);
	} else if (!strcmp(name, "final-recipient") ||
	    !strcmp(name, "original-recipient")) {
		set_address(addr, v, n);
		/* a second Final-Recipient in one block: a blank line was
		 * left out between two recipients */
		if (!strcmp(name, "final-recipient") && w->final)
			report_dsn_flush(r);
		if (!w->addr[0] || (!plain_address(w->addr) && plain_address(addr)))
			report_set(w->addr, sizeof w->addr, addr);
		if (!strcmp(name, "final-recipient"))
			w->final = 1;
		r->dsn.in_block = 1;
	} else if (!strcmp(name, "x-actual-recipient")) {
		n = typed(&v, n);
		if (n > 0 && v[0] == '|')
			w->pipe = 1;
	} else if (!strcmp(name, "action")) {
		for (k = 0; k < n && k + 1 < sizeof w->action && ascii_is_alpha((unsigned char)v[k]); k++)
			w->action[k] = (char)ascii_lower((unsigned char)v[k]);
		w->action[k] = 0;
		r->dsn.in_block = 1;
	} else if (!strcmp(name, "status")) {
		for (k = 0; k < n && (ascii_is_digit((unsigned char)v[k]) || v[k] == '.'); k++)
			;
		report_copy(w->status, sizeof w->status, v, k);
		r->dsn.in_block = 1;
	} else if (!strcmp(name, "remote-mta")) {
		n = typed(&v, n);
		for (k = 0; k < n && v[k] != ' ' && v[k] != '\t'; k++)
			;
		if (k > 1 && v[0] == '[' && v[k - 1] == ']') {
			v++;
			k -= 2;
		}
		report_copy(w->remote, sizeof w->remote, v, k);
	} else if (!strcmp(name, "diagnostic-code")) {
		const char *semi = memchr(v, ';', n);

		if (semi) {
			const char *t = v;
			size_t tl = report_trim(&t, (size_t)(semi - v));

			for (k = 0; k < tl && k + 1 < sizeof w->dtype; k++)
				w->dtype[k] = (char)ascii_lower((unsigned char)t[k]);
			w->dtype[k] = 0;
			n -= (size_t)(semi + 1 - v);
			v = semi + 1;
		}
		report_rw_append(w, v, n);
		w->fielded = 1;
		r->dsn.in_block = 1;
	}
}

static void field_done(struct report *r)
{
	struct dsn *d = &r->dsn;

	if (!d->open)
		return;
	d->val[d->vlen] = 0;
	d->open = 0;
	field(r, d->name, d->val, d->vlen);
}

void report_dsn_flush(struct report *r)
{
	struct dsn *d = &r->dsn;
	struct rwork *w = &d->w, *p;
	const char *extra = NULL;

	field_done(r);
	if (!d->in_block) {
		report_dsn_reset(r);
		return;
	}
	report_set_kind(r, REPORT_DSN);
	/* what the bounce's text said about this recipient */
	p = w->addr[0] ? report_prose_find(r, w->addr) : NULL;
	if (p == NULL && w->dlen == 0)
		p = report_prose_single(r);
	if (p) {
		p->used = 1;
		if (!w->remote[0])
			report_set(w->remote, sizeof w->remote, p->remote);
		if (!w->command[0])
			report_set(w->command, sizeof w->command, p->command);
		extra = p->diag;
	}
	if (!w->command[0]) {
		const char *c = report_prose_command(r, w->addr, w->diag);

		report_set(w->command, sizeof w->command, c);
	}
	if (extra == NULL || !*extra)
		extra = r->prose.prelen ? r->prose.pre : NULL;
	r->msg_dsn++;
	report_emit(r, w, extra);
	report_dsn_reset(r);
}

void report_dsn_line(struct report *r, const char *s, size_t n)
{
	struct dsn *d = &r->dsn;
	size_t k, i;

	if (report_blank(s, n)) {
		report_dsn_flush(r);
		return;
	}
	if ((s[0] == ' ' || s[0] == '\t') && d->open) {
		n = report_trim(&s, n);
		if (d->vlen + 1 + n < sizeof d->val) {
			d->val[d->vlen++] = ' ';
			memcpy(d->val + d->vlen, s, n);
			d->vlen += n;
		}
		return;
	}
	field_done(r);
	if (d->w.line == 0 || !d->in_block)
		d->w.line = r->lineno;
	for (k = 0; k < n && s[k] != ':' && s[k] > 32 && s[k] < 127; k++)
		;
	if (k == 0 || k >= n || s[k] != ':' || k >= sizeof d->name)
		return;
	for (i = 0; i < k; i++)
		d->name[i] = (char)ascii_lower((unsigned char)s[i]);
	d->name[k] = 0;
	d->open = 1;
	n -= k + 1;
	s += k + 1;
	if (n >= sizeof d->val)
		n = sizeof d->val - 1;
	memcpy(d->val, s, n);
	d->vlen = n;
}
