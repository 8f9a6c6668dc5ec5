/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reader.c - the reader: lines, what the input is, messages, records
 *
 * Bytes come in pieces of any size and are cut into lines whatever the
 * newline convention (LF, CRLF, CR, and the CR CR LF some systems write);
 * the first line that is not blank says what the input is, and each line
 * then goes to the module for that kind.  A message ends at the end of
 * the input or at the next mbox "From " line; what it found is classified
 * (classify.c) and handed to the caller, one recipient at a time.
 */
#include <config.h>

#include "report/reportint.h"

#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"

_Static_assert(sizeof(struct report) <= REPORT_MEMORY_BOUND,
    "struct report outgrew the memory bound the documentation states");

static const char *const kind_names[] = {
	[REPORT_DSN] = "dsn",
	[REPORT_BOUNCE] = "bounce",
	[REPORT_LOG] = "log",
	[REPORT_TRANSCRIPT] = "transcript",
	[REPORT_REPLY] = "reply",
};
_Static_assert(sizeof kind_names / sizeof kind_names[0] == REPORT_KIND_LAST,
    "kind_names out of step with enum report_kind");

const char *report_kind_str(enum report_kind k)
{
	return (unsigned)k < REPORT_KIND_LAST ? kind_names[k] : "?";
}

static const char *const retry_names[] = {
	[REPORT_RETRY_NEVER] = "never",
	[REPORT_RETRY_FIX_FIRST] = "fix-first",
	[REPORT_RETRY_LATER] = "later",
	[REPORT_RETRY_AUTOMATIC] = "automatic",
	[REPORT_RETRY_NONE] = "none",
};
_Static_assert(sizeof retry_names / sizeof retry_names[0] == REPORT_RETRY_LAST,
    "retry_names out of step with enum report_retry");

const char *report_retry_str(enum report_retry k)
{
	return (unsigned)k < REPORT_RETRY_LAST ? retry_names[k] : "?";
}

/* ---------------------------------------------------------------- */
/* Small string helpers the modules share                            */

void report_copy(char *dst, size_t size, const char *s, size_t n)
{
	if (size == 0)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = 0;
}

/* report_set - a NUL-terminated string into dst, cut to fit */
void report_set(char *dst, size_t size, const char *s)
{
	report_copy(dst, size, s, strlen(s));
}

/* trim - white space off both ends of s[0..n); returns the new length */
size_t report_trim(const char **s, size_t n)
{
	while (n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		n--;
	}
	while (n > 0 && ((*s)[n - 1] == ' ' || (*s)[n - 1] == '\t'))
		n--;
	return n;
}

int report_blank(const char *s, size_t n)
{
	return report_trim(&s, n) == 0;
}

/* report_find_ci - the first place in hay[0..n) where needle (lower case,
 * NUL-terminated) occurs, ignoring ASCII case; NULL when it does not */
const char *report_find_ci(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle), j;
	int lo = (unsigned char)needle[0], up = ascii_upper(lo);
	const char *p = hay, *last, *a, *b;

	if (m == 0 || m > n)
		return m == 0 ? hay : NULL;
	last = hay + n - m;	/* the last place a match can start */
	while (p <= last) {
		/* the next place either case of the first letter is */
		a = memchr(p, lo, (size_t)(last - p) + 1);
		b = up != lo ? memchr(p, up, (size_t)((a ? a : last + 1) - p)) : NULL;
		if ((p = b ? b : a) == NULL)
			return NULL;
		for (j = 1; j < m; j++)
			if (ascii_lower((unsigned char)p[j]) != (unsigned char)needle[j])
				break;
		if (j == m)
			return p;
		p++;
	}
	return NULL;
}

int report_starts_ci(const char *s, size_t n, const char *prefix)
{
	size_t m = strlen(prefix), i;

	if (m > n)
		return 0;
	for (i = 0; i < m; i++)
		if (ascii_lower((unsigned char)s[i]) != (unsigned char)prefix[i])
			return 0;
	return 1;
}

static int local_char(int c)
{
	return ascii_is_alnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~.", c));
}

static int domain_char(int c)
{
	return ascii_is_alnum(c) || c == '-' || c == '.' || c == '_';
}

/* report_scan_address - the length of the address local@domain at s, or 0.  A
 * dot ending the domain ends a sentence, not the address. */
size_t report_scan_address(const char *s, size_t n)
{
	size_t i = 0, at, end;

	while (i < n && local_char((unsigned char)s[i]))
		i++;
	if (i == 0 || i >= n || s[i] != '@' || s[0] == '.')
		return 0;
	at = i++;
	while (i < n && domain_char((unsigned char)s[i]))
		i++;
	end = i;
	while (end > at + 1 && (s[end - 1] == '.' || s[end - 1] == '-'))
		end--;
	if (end <= at + 1 || end - 0 >= REPORT_ADDR_MAX)
		return 0;
	return end;
}

/* report_find_address - the first address in s[0..n): its length, and where it
 * starts in *at; 0 when there is none */
size_t report_find_address(const char *s, size_t n, size_t *at)
{
	const char *a = s, *end = s + n;

	while ((a = memchr(a, '@', (size_t)(end - a))) != NULL) {
		const char *st = a;
		size_t k;

		while (st > s && local_char((unsigned char)st[-1]))
			st--;
		if (st < a && (k = report_scan_address(st, (size_t)(end - st))) > 0) {
			*at = (size_t)(st - s);
			return k;
		}
		a++;
	}
	return 0;
}

unsigned report_addr_hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned)ascii_lower((unsigned char)*s)) * 16777619u;
	return h;
}

void report_rw_init(struct rwork *w, unsigned long line)
{
	memset(w, 0, sizeof *w);
	w->line = line;
}

/* report_rw_append - add text to a recipient's diagnostic, one space between
 * pieces; what does not fit is left out */
void report_rw_append(struct rwork *w, const char *s, size_t n)
{
	n = report_trim(&s, n);
	if (n == 0)
		return;
	if (w->dlen > 0 && w->dlen + 1 < sizeof w->diag)
		w->diag[w->dlen++] = ' ';
	if (w->dlen + n >= sizeof w->diag)
		n = sizeof w->diag - 1 - w->dlen;
	memcpy(w->diag + w->dlen, s, n);
	w->dlen += n;
	w->diag[w->dlen] = 0;
}

/* ---------------------------------------------------------------- */
/* Messages and records                                              */

void report_set_software(struct report *r, const char *name)
{
	if (!r->software[0])
		report_set(r->software, sizeof r->software, name);
}

void report_set_kind(struct report *r, enum report_kind kind)
{
	if (r->kind < 0 || kind == REPORT_DSN)
		r->kind = (int)kind;
}

void report_msg_begin(struct report *r, enum report_kind kind)
{
	if (r->msg_open)
		report_msg_end(r);
	r->msg_open = 1;
	r->kind = (int)kind;
	r->msg_line = r->lineno;
	r->software[0] = r->reporter[0] = r->subject[0] = r->sender[0] = 0;
	r->id[0] = r->peer[0] = r->from[0] = r->to[0] = r->failed[0] = 0;
	r->autoreply = r->has_headers = 0;
	r->msg_rcpts = r->msg_dsn = 0;
	r->nemitted = 0;
	r->sum.messages++;
	report_dsn_reset(r);
	report_prose_reset(r);
}

void report_msg_end(struct report *r)
{
	if (!r->msg_open)
		return;
	report_dsn_flush(r);
	report_prose_finish(r);
	r->msg_open = 0;
}

static int already_emitted(struct report *r, const char *addr)
{
	unsigned h;
	int i;

	if (!*addr)
		return 0;
	h = report_addr_hash(addr);
	for (i = 0; i < r->nemitted; i++)
		if (r->emitted[i] == h)
			return 1;
	if (r->nemitted < EMITTED_MAX)
		r->emitted[r->nemitted++] = h;
	return 0;
}

/* report_emit - classify one recipient and hand it to the caller; extra
 * is more text that may tell why (the bounce's prose), or NULL */
void report_emit(struct report *r, const struct rwork *w, const char *extra)
{
	struct report_rcpt out;
	struct report_msg m;

	if (already_emitted(r, w->addr))
		return;
	report_classify(r, w, extra, &out);
	memset(&m, 0, sizeof m);
	m.kind = r->kind < 0 ? REPORT_BOUNCE : (enum report_kind)r->kind;
	m.index = r->sum.messages;
	m.line = r->msg_line;
	m.software = r->software;
	m.reporter = r->reporter;
	m.subject = r->subject;
	m.sender = r->sender;
	m.id = r->id;
	m.peer = r->peer;
	if (r->sum.kind < 0)
		r->sum.kind = (int)m.kind;
	r->sum.recipients++;
	r->msg_rcpts++;
	if (r->fn)
		r->fn(r->ctx, &m, &out);
}

/* ---------------------------------------------------------------- */
/* What the input is                                                 */

/* header_line - "Name: value" with an RFC 5322 field name */
static int header_line(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] > 32 && s[i] < 127 && s[i] != ':'; i++)
		;
	return i > 0 && i < n && s[i] == ':';
}

static int mbox_line(const char *s, size_t n)
{
	return n > 5 && memcmp(s, "From ", 5) == 0;
}

static enum report_mode sniff(struct report *r, const char *s, size_t n)
{
	/* binary: a NUL, or more than 40% of the first octets controls or
	 * not UTF-8 (a legacy 8-bit text still has its ASCII headers) */
	if (r->nul || (r->sniffed >= 64 && r->ctrl * 10 > r->sniffed * 4))
		return MODE_BINARY;
	if (mbox_line(s, n)) {
		r->mbox = 1;
		return MODE_MAIL;
	}
	if (report_dsn_field_name(s, n))
		return MODE_FIELDS;
	if (report_log_is_line(s, n))
		return MODE_LOG;
	if (report_session_is_line(s, n))
		return MODE_SESSION;
	if (header_line(s, n))
		return MODE_MAIL;
	return MODE_TEXT;
}

static void start_mode(struct report *r, enum report_mode mode)
{
	r->mode = mode;
	switch (mode) {
	case MODE_MAIL:
		report_msg_begin(r, REPORT_BOUNCE);
		r->kind = -1;
		report_mime_reset(r);
		break;
	case MODE_FIELDS:
		report_msg_begin(r, REPORT_DSN);
		break;
	case MODE_TEXT:
		report_msg_begin(r, REPORT_BOUNCE);
		r->kind = -1;
		break;
	case MODE_LOG:
		report_log_reset(r);
		break;
	case MODE_SESSION:
		report_session_reset(r);
		break;
	case MODE_SNIFF:
	case MODE_BINARY:
		break;
	}
}

/* line - one line (or a piece of an over-long one) of the input */
static void line(struct report *r, const char *s, size_t n)
{
	if (!r->partial)
		r->lineno++;
	if (r->mode == MODE_SNIFF) {
		if (report_blank(s, n))
			return;
		start_mode(r, sniff(r, s, n));
	}
	if (!report_blank(s, n))
		r->any_text = 1;
	switch (r->mode) {
	case MODE_MAIL:
		if (r->mbox && mbox_line(s, n) && r->mime.prev_blank &&
		    r->lineno > r->msg_line) {
			report_mime_end(r);
			report_msg_begin(r, REPORT_BOUNCE);
			r->kind = -1;
			report_mime_reset(r);
		}
		report_mime_line(r, s, n);
		break;
	case MODE_FIELDS:
		report_dsn_line(r, s, n);
		break;
	case MODE_TEXT:
		report_prose_line(r, s, n);
		break;
	case MODE_LOG:
		report_log_line(r, s, n);
		break;
	case MODE_SESSION:
		report_session_line(r, s, n);
		break;
	case MODE_SNIFF:
	case MODE_BINARY:
		break;
	}
}

/* ---------------------------------------------------------------- */
/* Cutting bytes into lines                                          */

static void line_done(struct report *r, int more)
{
	line(r, r->line, r->llen);
	r->partial = more;
	r->llen = 0;
	r->cr_seen = 0;
}

static void add_bytes(struct report *r, const char *s, size_t n)
{
	while (n > 0) {
		size_t room = sizeof r->line - r->llen, k = n < room ? n : room;

		memcpy(r->line + r->llen, s, k);
		r->llen += k;
		s += k;
		n -= k;
		if (r->llen == sizeof r->line) {
			if (!r->partial)
				r->sum.long_lines++;
			line_done(r, 1);
		}
	}
}

/* lf_end - a LF ends the line: CRs before it are part of the line end */
static void lf_end(struct report *r)
{
	while (r->llen > 0 && r->line[r->llen - 1] == '\r')
		r->llen--;
	line_done(r, 0);
}

/* cr_mode - a CR was followed by text: the input ends its lines with CR
 * alone.  The buffer holds the first line and the CRs after it. */
static void cr_mode(struct report *r)
{
	size_t end = r->llen, k;

	while (end > 0 && r->line[end - 1] == '\r')
		end--;
	k = r->llen - end;
	r->llen = end;
	line_done(r, 0);
	while (k-- > 1)
		line_done(r, 0);
	r->nl_mode = 2;
}

static void sniff_bytes(struct report *r, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len && r->sniffed < 1024; i++, r->sniffed++) {
		unsigned char c = (unsigned char)buf[i];

		if (r->nhead < sizeof r->head)
			r->head[r->nhead++] = c;
		if (c == 0)
			r->nul = 1;
		else if ((c < 32 && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != 0x1b && c != 0x0e && c != 0x0f) || c == 0x7f)
			r->ctrl++;
		/* octets that are not UTF-8: counted with the controls */
		if (r->utf_need > 0 && (c & 0xc0) == 0x80) {
			r->utf_need--;
		} else {
			if (r->utf_need > 0)
				r->ctrl++;	/* a sequence cut short */
			r->utf_need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef
			    ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
			if (c >= 0x80 && r->utf_need == 0)
				r->ctrl++;
		}
	}
}

int report_done(const struct report *r)
{
	return r->mode == MODE_BINARY;
}

void report_feed(struct report *r, const char *buf, size_t len)
{
	if (r->sniffed < 1024)
		sniff_bytes(r, buf, len);
	if (r->mode == MODE_BINARY)
		return;
	while (len > 0) {
		size_t i;

		if (r->nl_mode == 1) {
			const char *nl = memchr(buf, '\n', len);

			i = nl ? (size_t)(nl - buf) : len;
			add_bytes(r, buf, i);
			if (nl) {
				lf_end(r);
				i++;
			}
		} else if (r->nl_mode == 2) {
			for (i = 0; i < len && buf[i] != '\r' && buf[i] != '\n'; i++)
				;
			add_bytes(r, buf, i);
			if (i < len) {
				/* CR LF in a CR file is one line end */
				if (!(buf[i] == '\n' && r->cr_seen))
					line_done(r, 0);
				r->cr_seen = buf[i] == '\r';
				i++;
			} else {
				r->cr_seen = 0;
			}
		} else {
			char c = buf[0];

			i = 1;
			if (c == '\n') {
				r->nl_mode = 1;
				lf_end(r);
			} else if (c == '\r') {
				r->cr_seen = 1;
				add_bytes(r, buf, 1);
			} else {
				if (r->cr_seen)
					cr_mode(r);
				add_bytes(r, buf, 1);
			}
		}
		buf += i;
		len -= i;
		if (r->mode == MODE_BINARY)
			return;
	}
}

/* ---------------------------------------------------------------- */
/* The reader's life                                                 */

struct report *report_new(report_fn *fn, void *ctx)
{
	struct report *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->fn = fn;
	r->ctx = ctx;
	report_begin(r);
	return r;
}

void report_free(struct report *r)
{
	free(r);
}

void report_begin(struct report *r)
{
	report_fn *fn = r->fn;
	void *ctx = r->ctx;

	memset(r, 0, sizeof *r);
	r->fn = fn;
	r->ctx = ctx;
	r->kind = -1;
	r->sum.kind = -1;
	r->mode = MODE_SNIFF;
	report_prose_reset(r);
}

static const char *binary_kind(const struct report *r)
{
	static const struct { const char *magic; size_t n; const char *what; } m[] = {
		{ "%PDF", 4, "a PDF document, not text" },
		{ "PK\003\004", 4, "a ZIP archive (a .zip, .docx or .xlsx file), not text" },
		{ "\037\213", 2, "gzip-compressed data: decompress it first (zcat FILE | smtpref explain -)" },
		{ "\211PNG", 4, "a PNG image, not text" },
		{ "\377\330\377", 3, "a JPEG image, not text" },
		{ "GIF8", 4, "a GIF image, not text" },
		{ "\177ELF", 4, "a program (ELF), not text" },
	};
	size_t i;

	for (i = 0; i < sizeof m / sizeof m[0]; i++)
		if (r->nhead >= m[i].n && memcmp(r->head, m[i].magic, m[i].n) == 0)
			return m[i].what;
	return "binary data, not text";
}

/* looks_like - what an input in which nothing was found seems to be */
static const char *looks_like(const struct report *r)
{
	if (r->sniffed == 0)
		return "an empty file";
	if (r->mode == MODE_BINARY)
		return binary_kind(r);
	if (!r->any_text)
		return "blank lines only";
	switch (r->mode) {
	case MODE_MAIL:
		return r->sum.messages > 1
		    ? "a mailbox of ordinary messages: none is a delivery report"
		    : "an ordinary email message, not a delivery report";
	case MODE_LOG:
		return "mail log lines, but none about a delivery or a refusal";
	case MODE_SESSION:
		return "a transcript with no reply from a server in it";
	case MODE_FIELDS:
		return "delivery status fields that name no recipient and give no status";
	default:
		break;
	}
	if (r->nhead > 0 && (r->head[0] == '{' || r->head[0] == '['))
		return "JSON data, not a mail message or a log";
	if (r->nhead > 0 && r->head[0] == '<')
		return "HTML or XML, not a mail message or a log";
	return "plain text with no reply code, address or delivery report in it";
}

void report_end(struct report *r)
{
	if (r->mode != MODE_BINARY && (r->llen > 0 || r->cr_seen))
		lf_end(r);
	switch (r->mode) {
	case MODE_MAIL:
		report_mime_end(r);
		report_msg_end(r);
		break;
	case MODE_FIELDS:
	case MODE_TEXT:
		report_msg_end(r);
		break;
	case MODE_LOG:
		report_log_finish(r);
		break;
	case MODE_SESSION:
		report_session_finish(r);
		break;
	case MODE_SNIFF:
	case MODE_BINARY:
		break;
	}
	r->sum.lines = r->lineno;
	r->sum.looks_like = r->sum.recipients ? NULL : looks_like(r);
}

const struct report_summary *report_summary(const struct report *r)
{
	return &r->sum;
}

int report_recognises(const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len);
	size_t n = nl ? (size_t)(nl - s) : len;

	if (nl) {
		/* several lines: anything the reader reads, unless the rest is
		 * blank */
		const char *p = nl;

		while (p < s + len && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t'))
			p++;
		if (p < s + len)
			return 1;
	}
	while (n > 0 && s[n - 1] == '\r')
		n--;
	/* one line that starts with a code is smtpref TERM's own business */
	return report_dsn_field_name(s, n) || report_log_is_line(s, n) ||
	    (report_session_is_line(s, n) && !ascii_is_digit((unsigned char)s[0]));
}
