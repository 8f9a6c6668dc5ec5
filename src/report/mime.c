/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mime.c - the structure of a message: header fields, parts, decoding
 *
 * RFC 5322 header fields (folded lines unfolded), RFC 2045 Content-Type
 * and Content-Transfer-Encoding (quoted-printable, base64), RFC 2046
 * multipart bodies (boundaries, nested up to REPORT_MIME_DEPTH), RFC 6522
 * multipart/report, and enough of RFC 2047 to show a Subject.  Each body
 * line ends up, decoded, with the module for its part: the bounce's text
 * (prose.c), its delivery-status fields (dsn.c), or the returned message
 * (prose.c, for its To: only).  Attachments are skipped undecoded.
 */
#include <config.h>

#include "report/reportint.h"

#include <string.h>

#include "core/ascii.h"
#include "core/codec.h"

void report_mime_reset(struct report *r)
{
	struct mime *m = &r->mime;

	memset(m, 0, sizeof *m);
	m->part[0].type = PART_TEXT;
	m->part[0].in_headers = 1;
}

/* ---------------------------------------------------------------- */
/* Delivering decoded lines                                          */

/* html_line - the text of a line of HTML: tags left out, a few entities
 * read, a line break where a block ends */
static void html_line(struct report *r, const char *s, size_t n)
{
	struct mime *m = &r->mime;
	char out[REPORT_LINE_MAX];
	size_t o = 0, i;
	static const struct { const char *name; char c; } ent[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' }, { "&nbsp;", ' ' },
	};

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (m->html_tag) {
			if (c == '>')
				m->html_tag = 0;
			continue;
		}
		if (c == '<') {
			const char *t = s + i + 1;
			size_t rest = n - i - 1;

			m->html_tag = 1;
			if (report_starts_ci(t, rest, "style") || report_starts_ci(t, rest, "script") ||
			    report_starts_ci(t, rest, "head"))
				m->html_skip = 1;
			else if (report_starts_ci(t, rest, "/style") || report_starts_ci(t, rest, "/script") ||
			    report_starts_ci(t, rest, "/head"))
				m->html_skip = 0;
			if (report_starts_ci(t, rest, "br") || report_starts_ci(t, rest, "p") ||
			    report_starts_ci(t, rest, "/p") || report_starts_ci(t, rest, "div") ||
			    report_starts_ci(t, rest, "/div") || report_starts_ci(t, rest, "tr") ||
			    report_starts_ci(t, rest, "li")) {
				if (o > 0 && !m->html_skip)
					report_prose_line(r, out, o);
				o = 0;
			}
			continue;
		}
		if (m->html_skip)
			continue;
		if (c == '&') {
			size_t k;

			for (k = 0; k < sizeof ent / sizeof ent[0]; k++)
				if (report_starts_ci(s + i, n - i, ent[k].name))
					break;
			if (k < sizeof ent / sizeof ent[0]) {
				out[o++] = ent[k].c;
				i += strlen(ent[k].name) - 1;
				continue;
			}
		}
		out[o++] = c;
	}
	if (!m->html_skip)
		report_prose_line(r, out, o);
}

static struct mime_part *parent(struct mime *m)
{
	return m->depth > 0 ? &m->part[m->depth - 1] : NULL;
}

static void deliver(struct report *r, const char *s, size_t n)
{
	struct mime *m = &r->mime;
	struct mime_part *p = &m->part[m->depth], *up = parent(m);

	switch (p->type) {
	case PART_TEXT:
		if (up && up->alternative && !report_blank(s, n))
			up->had_text = 1;
		report_prose_line(r, s, n);
		break;
	case PART_HTML:
		html_line(r, s, n);
		break;
	case PART_DSN:
		report_dsn_line(r, s, n);
		break;
	case PART_ORIGINAL:
		report_prose_original(r, s, n);
		break;
	case PART_MULTI:
		/* the preamble: some systems write the whole report there, and
		 * a copy that lost its boundary lines has nothing else */
		report_prose_line(r, s, n);
		break;
	case PART_SKIP:
		break;
	}
}

/* ---------------------------------------------------------------- */
/* Transfer encodings (RFC 2045 6.7 and 6.8)                         */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = ascii_upper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* qp_line - decode one line; a '=' at its end joins it to the next */
static void qp_line(struct report *r, const char *s, size_t n)
{
	struct mime *m = &r->mime;
	size_t i;
	int soft = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > 0 && s[n - 1] == '=') {
		soft = 1;
		n--;
	}
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '=' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			c = hexval((unsigned char)s[i + 1]) * 16 +
			    hexval((unsigned char)s[i + 2]);
			i += 2;
		}
		if (m->qplen == sizeof m->qp) {
			deliver(r, m->qp, m->qplen);
			m->qplen = 0;
		}
		m->qp[m->qplen++] = (char)c;
	}
	if (!soft) {
		deliver(r, m->qp, m->qplen);
		m->qplen = 0;
	}
}

/* dec_byte - one decoded octet of a base64 part: lines are cut at LF */
static void dec_byte(struct report *r, char c)
{
	struct mime *m = &r->mime;

	if (c == '\n') {
		while (m->declen > 0 && m->dec[m->declen - 1] == '\r')
			m->declen--;
		deliver(r, m->dec, m->declen);
		m->declen = 0;
		return;
	}
	if (m->declen == sizeof m->dec) {
		deliver(r, m->dec, m->declen);
		m->declen = 0;
	}
	m->dec[m->declen++] = c;
}

static void b64_line(struct report *r, const char *s, size_t n)
{
	struct mime *m = &r->mime;
	size_t i;

	for (i = 0; i < n; i++) {
		int v = codec_b64_value((unsigned char)s[i]);

		if (v < 0)
			continue;	/* '=', spaces, and junk are skipped */
		m->b64_acc = (m->b64_acc << 6) | (unsigned)v;
		m->b64_bits += 6;
		if (m->b64_bits >= 8) {
			m->b64_bits -= 8;
			dec_byte(r, (char)((m->b64_acc >> m->b64_bits) & 0xff));
		}
	}
}

/* part_done - the part in hand ends: what its decoders hold goes on */
static void part_done(struct report *r)
{
	struct mime *m = &r->mime;
	struct mime_part *p = &m->part[m->depth];

	if (m->qplen) {
		deliver(r, m->qp, m->qplen);
		m->qplen = 0;
	}
	if (m->declen) {
		deliver(r, m->dec, m->declen);
		m->declen = 0;
	}
	m->b64_acc = 0;
	m->b64_bits = 0;
	m->html_tag = m->html_skip = 0;
	if (p->type == PART_DSN || r->prose.dsn_fields)
		report_dsn_flush(r);
	r->prose.dsn_fields = 0;
}

void report_mime_end(struct report *r)
{
	part_done(r);
}

/* ---------------------------------------------------------------- */
/* Header fields                                                     */

/* param - the value of parameter name (lower case) in a Content-Type
 * value, unquoted, into out; 0 when absent */
static int param(const char *v, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name), n = strlen(v);
	const char *p = v;

	while ((p = report_find_ci(p, n - (size_t)(p - v), name)) != NULL) {
		const char *q = p + nl;
		size_t len = 0;

		if ((p > v && p[-1] != ';' && p[-1] != ' ' && p[-1] != '\t') ||
		    *q != '=') {
			p += nl;
			continue;
		}
		q++;
		if (*q == '"') {
			q++;
			while (q[len] && q[len] != '"')
				len++;
		} else {
			while (q[len] && q[len] != ';' && q[len] != ' ' && q[len] != '\t')
				len++;
		}
		report_copy(out, size, q, len);
		return 1;
	}
	return 0;
}

/* headers_done - the part's header fields are read: what is its body? */
static void headers_done(struct report *r)
{
	struct mime *m = &r->mime;
	struct mime_part *p = &m->part[m->depth], *up = parent(m);
	const char *t = m->ctype;
	size_t tl = strlen(t);

	p->in_headers = 0;
	p->enc = report_starts_ci(m->cte, strlen(m->cte), "quoted-printable") ? ENC_QP
	    : report_starts_ci(m->cte, strlen(m->cte), "base64") ? ENC_BASE64 : ENC_PLAIN;
	tl = report_trim(&t, tl);
	if (report_starts_ci(t, tl, "multipart/")) {
		p->type = PART_MULTI;
		p->alternative = report_starts_ci(t, tl, "multipart/alternative");
		if (!param(t, "boundary", p->boundary, sizeof p->boundary) ||
		    !p->boundary[0])
			p->type = PART_TEXT;	/* no boundary: read it as text */
		p->blen = strlen(p->boundary);
		p->enc = ENC_PLAIN;
	} else if (report_starts_ci(t, tl, "message/delivery-status") ||
	    report_starts_ci(t, tl, "message/global-delivery-status")) {
		p->type = PART_DSN;
		report_set_kind(r, REPORT_DSN);
	} else if (report_starts_ci(t, tl, "message/rfc822") ||
	    report_starts_ci(t, tl, "message/global") ||
	    report_starts_ci(t, tl, "text/rfc822-headers") ||
	    report_starts_ci(t, tl, "message/partial")) {
		p->type = PART_ORIGINAL;
	} else if (report_starts_ci(t, tl, "text/html")) {
		p->type = PART_HTML;
	} else if (tl == 0 || report_starts_ci(t, tl, "text/")) {
		p->type = PART_TEXT;
	} else {
		p->type = PART_SKIP;
	}
	if ((p->type == PART_TEXT || p->type == PART_HTML) && up &&
	    up->alternative && up->had_text)
		p->type = PART_SKIP;	/* the same text again */
	m->ctype[0] = 0;
	m->cte[0] = 0;
}

/* rfc2047 - a Subject with its encoded-words (=?utf-8?B?...?= and ?Q?)
 * decoded where the charset is UTF-8 or ASCII; others are left as are */
static void rfc2047(const char *v, size_t n, char *out, size_t size)
{
	size_t o = 0, i = 0;

	while (i < n && o + 4 < size) {
		const char *end;
		size_t cs, k;
		char enc;

		if (!(v[i] == '=' && i + 1 < n && v[i + 1] == '?')) {
			out[o++] = v[i++];
			continue;
		}
		for (cs = i + 2; cs < n && v[cs] != '?'; cs++)
			;
		end = cs + 3 < n ? strstr(v + cs + 3, "?=") : NULL;
		if (cs + 3 >= n || v[cs + 2] != '?' || !end || end > v + n ||
		    !(report_starts_ci(v + i + 2, cs - i - 2, "utf-8") ||
		    report_starts_ci(v + i + 2, cs - i - 2, "us-ascii"))) {
			out[o++] = v[i++];
			continue;
		}
		enc = (char)ascii_upper((unsigned char)v[cs + 1]);
		k = cs + 3;
		if (enc == 'B') {
			unsigned acc = 0;
			int bits = 0;

			for (; v + k < end && o + 1 < size; k++) {
				int d = codec_b64_value((unsigned char)v[k]);

				if (d < 0)
					continue;
				acc = (acc << 6) | (unsigned)d;
				if ((bits += 6) >= 8) {
					bits -= 8;
					out[o++] = (char)((acc >> bits) & 0xff);
				}
			}
		} else {
			for (; v + k < end && o + 1 < size; k++) {
				if (v[k] == '_')
					out[o++] = ' ';
				else if (v[k] == '=' && v + k + 2 < end &&
				    hexval((unsigned char)v[k + 1]) >= 0 &&
				    hexval((unsigned char)v[k + 2]) >= 0) {
					out[o++] = (char)(hexval((unsigned char)v[k + 1]) * 16 +
					    hexval((unsigned char)v[k + 2]));
					k += 2;
				} else
					out[o++] = v[k];
			}
		}
		i = (size_t)(end - v) + 2;
		/* white space between two encoded-words is not shown */
		k = i;
		while (k < n && (v[k] == ' ' || v[k] == '\t'))
			k++;
		if (k + 1 < n && v[k] == '=' && v[k + 1] == '?')
			i = k;
	}
	out[o] = 0;
}

/* first_address - the first address in a header value, lower case */
static void first_address(const char *v, size_t n, char *out, size_t size)
{
	size_t at, k = report_find_address(v, n, &at);

	out[0] = 0;
	if (k == 0)
		return;
	report_copy(out, size, v + at, k);
	for (k = 0; out[k]; k++)
		out[k] = (char)ascii_lower((unsigned char)out[k]);
}

/* report_header_field - a header field of the message itself */
void report_header_field(struct report *r, const char *name,
    const char *val, size_t n)
{
	size_t len;

	n = report_trim(&val, n);
	if (!strcmp(name, "subject")) {
		rfc2047(val, n, r->subject, sizeof r->subject);
	} else if (!strcmp(name, "from")) {
		first_address(val, n, r->from, sizeof r->from);
	} else if (!strcmp(name, "to")) {
		first_address(val, n, r->to, sizeof r->to);
	} else if (!strcmp(name, "x-failed-recipients")) {
		len = strlen(r->failed);
		if (len && len + 1 < sizeof r->failed)
			r->failed[len++] = ',';
		report_copy(r->failed + len, sizeof r->failed - len, val, n);
		for (; r->failed[len]; len++)
			r->failed[len] = (char)ascii_lower((unsigned char)r->failed[len]);
	} else if (!strcmp(name, "auto-submitted")) {
		if (report_starts_ci(val, n, "auto-replied"))
			r->autoreply = 1;
	}
}

static void field_done(struct report *r)
{
	struct mime *m = &r->mime;

	if (!m->have_field)
		return;
	m->have_field = 0;
	m->hval[m->hlen] = 0;
	if (!strcmp(m->hname, "content-type"))
		report_copy(m->ctype, sizeof m->ctype, m->hval, m->hlen);
	else if (!strcmp(m->hname, "content-transfer-encoding")) {
		const char *v = m->hval;
		size_t n = report_trim(&v, m->hlen);

		report_copy(m->cte, sizeof m->cte, v, n);
	}
	if (m->depth == 0) {
		r->has_headers = 1;
		report_header_field(r, m->hname, m->hval, m->hlen);
	}
}

static void header_append(struct mime *m, const char *s, size_t n)
{
	if (m->hlen + n >= sizeof m->hval)
		n = sizeof m->hval - 1 - m->hlen;
	memcpy(m->hval + m->hlen, s, n);
	m->hlen += n;
}

/* header_line - a line of a part's header; 0 when the line turns out to
 * belong to the body (a header with no blank line after it) */
static int header_line(struct report *r, const char *s, size_t n)
{
	struct mime *m = &r->mime;
	size_t i, k;

	if (report_blank(s, n)) {
		field_done(r);
		headers_done(r);
		return 1;
	}
	if ((s[0] == ' ' || s[0] == '\t') && m->have_field) {
		header_append(m, " ", 1);
		n = report_trim(&s, n);
		header_append(m, s, n);
		return 1;
	}
	for (i = 0; i < n && s[i] > 32 && s[i] < 127 && s[i] != ':'; i++)
		;
	if (i == 0 || i >= n || s[i] != ':') {
		if (m->depth == 0 && !m->have_field && !r->has_headers &&
		    n > 5 && memcmp(s, "From ", 5) == 0)
			return 1;	/* the mbox separator */
		field_done(r);
		headers_done(r);
		return 0;
	}
	field_done(r);
	for (k = 0; k < i && k + 1 < sizeof m->hname; k++)
		m->hname[k] = (char)ascii_lower((unsigned char)s[k]);
	m->hname[k] = 0;
	m->hlen = 0;
	m->have_field = 1;
	header_append(m, s + i + 1, n - i - 1);
	return 1;
}

/* ---------------------------------------------------------------- */
/* Boundaries                                                        */

/* boundary - whether s is the boundary of a multipart in the stack; if
 * so the parts are closed or opened as it says */
static int boundary(struct report *r, const char *s, size_t n)
{
	struct mime *m = &r->mime;
	int k;

	if (n < 3 || s[0] != '-' || s[1] != '-')
		return 0;
	for (k = m->depth; k >= 0; k--) {
		struct mime_part *p = &m->part[k];
		const char *rest;
		size_t rn;

		if (p->type != PART_MULTI || p->in_headers || p->blen == 0 ||
		    n < 2 + p->blen || memcmp(s + 2, p->boundary, p->blen) != 0)
			continue;
		rest = s + 2 + p->blen;
		rn = n - 2 - p->blen;
		if (rn >= 2 && rest[0] == '-' && rest[1] == '-') {
			part_done(r);
			m->depth = k;
			p->closed = 1;
			return 1;
		}
		if (!report_blank(rest, rn))
			continue;
		part_done(r);
		if (k + 1 > REPORT_MIME_DEPTH) {
			/* too deep: the part is read as if skipped */
			r->sum.too_deep = 1;
			m->depth = k;
			p->closed = 1;
			return 1;
		}
		m->depth = k + 1;
		memset(&m->part[k + 1], 0, sizeof m->part[k + 1]);
		m->part[k + 1].type = PART_TEXT;
		m->part[k + 1].in_headers = 1;
		m->ctype[0] = m->cte[0] = 0;
		m->have_field = 0;
		return 1;
	}
	return 0;
}

void report_mime_line(struct report *r, const char *s, size_t n)
{
	struct mime *m = &r->mime;
	struct mime_part *p;
	int blank = report_blank(s, n);

	if (!boundary(r, s, n)) {
		p = &m->part[m->depth];
		if (!(p->in_headers && header_line(r, s, n)) && !p->closed) {
			switch (p->enc) {
			case ENC_QP:
				if (p->type != PART_SKIP && p->type != PART_MULTI)
					qp_line(r, s, n);
				break;
			case ENC_BASE64:
				if (p->type != PART_SKIP && p->type != PART_MULTI)
					b64_line(r, s, n);
				break;
			case ENC_PLAIN:
				deliver(r, s, n);
				break;
			}
		}
	}
	m->prev_blank = blank;
}
