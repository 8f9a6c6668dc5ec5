/* SPDX-License-Identifier: GPL-3.0-or-later */
/* message.c - the message of the one-line test client
 *
 * RFC 5322 (header fields: 2.2, 3.3 date, 3.6 the fields a message
 * has), RFC 2045 and 2046 (MIME, multipart/mixed, base64), RFC 2183 and
 * 2231 (Content-Disposition, non-ASCII file names), RFC 6152 (8BITMIME),
 * RFC 6531 and 6532 (SMTPUTF8, UTF-8 headers), RFC 1870 (SIZE).
 */
#include <config.h>

#include "core/message.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "core/codec.h"

#define FOLD_AT 78		/* RFC 5322 2.1.1: lines SHOULD be at most 78 */
#define B64_CHUNK 57		/* 57 octets make a base64 line of 76 */

static const char default_body[] =
    "This is a test message sent by smtpref connect.\n";

/* ---- the buffer --------------------------------------------------------- */

struct buf {
	char *p;
	size_t len, cap;
	size_t lines;
	int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

/* line - one line of s[0..n), and its end */
static void line(struct buf *b, const char *s, size_t n)
{
	put(b, s, n);
	put(b, "\n", 1);
	b->lines++;
}

static void text(struct buf *b, const char *s)
{
	line(b, s, strlen(s));
}

static void linef(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void linef(struct buf *b, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	line(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* ---- checks --------------------------------------------------------------- */

static int has_8bit(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

/* utf8_ok - s[0..n) is well-formed UTF-8 (RFC 3629 4) */
static int utf8_ok(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k, j;

		if (c < 0x80) {
			i++;
			continue;
		}
		k = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
		    c >= 0xf0 && c <= 0xf4 ? 4 : 0;
		if (k == 0 || i + k > n)
			return 0;
		for (j = 1; j < k; j++)
			if (((unsigned char)s[i + j] & 0xc0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

const char *message_header_ok(const char *h)
{
	const char *colon = strchr(h, ':');
	const char *p;

	if (colon == NULL || colon == h)
		return "a header is \"Name: value\" (RFC 5322 2.2)";
	for (p = h; p < colon; p++)
		if ((unsigned char)*p < 33 || (unsigned char)*p > 126)
			return "a header's name is printable ASCII, without spaces (RFC 5322 2.2)";
	if (strpbrk(colon, "\r\n"))
		return "a header's value holds no CR or LF here: they would end the header and start another (RFC 5322 2.2)";
	return NULL;
}

/* header_is - header h is named name (any case) */
static int header_is(const char *h, const char *name)
{
	size_t n = strlen(name);

	return ascii_ieq(h, n, name) && h[n] == ':';
}

/* ---- types ------------------------------------------------------------------- */

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ "7z", "application/x-7z-compressed" }, { "bmp", "image/bmp" },
	{ "c", "text/plain" }, { "css", "text/css" }, { "csv", "text/csv" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ "gif", "image/gif" }, { "gz", "application/gzip" },
	{ "h", "text/plain" }, { "htm", "text/html" }, { "html", "text/html" },
	{ "ics", "text/calendar" }, { "jpeg", "image/jpeg" },
	{ "jpg", "image/jpeg" }, { "js", "text/javascript" },
	{ "json", "application/json" }, { "log", "text/plain" },
	{ "md", "text/markdown" }, { "mp3", "audio/mpeg" },
	{ "mp4", "video/mp4" }, { "odt", "application/vnd.oasis.opendocument.text" },
	{ "pdf", "application/pdf" }, { "png", "image/png" },
	{ "ppt", "application/vnd.ms-powerpoint" },
	{ "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
	{ "rtf", "application/rtf" }, { "sh", "text/plain" },
	{ "svg", "image/svg+xml" }, { "tar", "application/x-tar" },
	{ "tgz", "application/gzip" }, { "tif", "image/tiff" },
	{ "tiff", "image/tiff" }, { "txt", "text/plain" },
	{ "wav", "audio/wav" }, { "webp", "image/webp" },
	{ "xls", "application/vnd.ms-excel" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ "xml", "application/xml" }, { "zip", "application/zip" },
};

const char *message_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i, n;

	if (dot == NULL || dot == name)
		return "application/octet-stream";
	n = strlen(dot + 1);
	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (ascii_ieq(dot + 1, n, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

/* ---- header fields ------------------------------------------------------------ */

/* rfc5322_date - "Tue, 07 May 2024 10:00:00 +0200" (RFC 5322 3.3) */
static void rfc5322_date(const struct tm *t, int off, char *out, size_t size)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int a = off < 0 ? -off : off;

	snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
	    days[(unsigned)t->tm_wday % 7], t->tm_mday,
	    months[(unsigned)t->tm_mon % 12], t->tm_year + 1900, t->tm_hour,
	    t->tm_min, t->tm_sec, off < 0 ? '-' : '+', a / 60 % 100, a % 60);
}

/* to_field - "To: a, b" folded before 78 columns */
static void to_field(struct buf *b, const struct message_spec *s)
{
	char cur[1100];
	size_t i, n = (size_t)snprintf(cur, sizeof cur, "To:");

	for (i = 0; i < s->nto; i++) {
		size_t k = strlen(s->to[i]) + 2;

		if (i > 0 && n + k + 1 > FOLD_AT) {
			cur[n++] = ',';
			line(b, cur, n);
			n = 0;
		} else if (i > 0)
			cur[n++] = ',';
		if (n + k + 1 >= sizeof cur) {	/* an address of its own */
			line(b, cur, n);
			n = 0;
		}
		n += (size_t)snprintf(cur + n, sizeof cur - n, " %s", s->to[i]);
		if (n >= sizeof cur)
			n = sizeof cur - 1;
	}
	line(b, cur, n);
}

/* user_header - the user's header named name, or NULL; marks it used */
static const char *user_header(const struct message_spec *s, const char *name,
    unsigned char *used)
{
	size_t i;

	for (i = 0; i < s->nheaders; i++)
		if (!used[i] && header_is(s->headers[i], name)) {
			used[i] = 1;
			return s->headers[i];
		}
	return NULL;
}

/* field - a header: the user's of that name if given, else ours */
static void field(struct buf *b, struct message *m, const struct message_spec *s,
    unsigned char *used, const char *name, const char *value)
{
	const char *u = user_header(s, name, used);

	if (u)
		text(b, u);
	else if (value) {
		linef(b, "%s: %s", name, value);
		m->added++;
	}
}

/* ---- MIME --------------------------------------------------------------------- */

/* name_param - a file name as a quoted-string (RFC 2045 5.1), or with
 * RFC 2231's name*=UTF-8''... when it is not ASCII */
static void name_param(const char *param, const char *name, char *out,
    size_t size)
{
	size_t o = 0;
	const unsigned char *p;
	int ascii = !has_8bit(name, strlen(name));

	o = (size_t)snprintf(out, size, ascii ? "%s=\"" : "%s*=UTF-8''", param);
	for (p = (const unsigned char *)name; *p && o + 4 < size; p++) {
		if (ascii && *p >= 32 && *p < 127) {
			if (*p == '"' || *p == '\\')
				out[o++] = '\\';
			out[o++] = (char)*p;
		} else if (ascii)
			out[o++] = '_';	/* a control character */
		else if (ascii_is_alnum(*p) || strchr("!#$&+-.^_`|~", *p))
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, size - o, "%%%02X", *p);
	}
	if (ascii && o + 1 < size)
		out[o++] = '"';
	out[o < size ? o : size - 1] = 0;
}

/* body_lines - text split at LF (a CR before it dropped) */
static void body_lines(struct buf *b, const char *t, size_t n)
{
	size_t pos = 0;

	while (pos < n) {
		const char *p = t + pos, *lf = memchr(p, '\n', n - pos);
		size_t k = lf ? (size_t)(lf - p) : n - pos;

		pos += k + 1;
		line(b, p, k > 0 && p[k - 1] == '\r' && lf ? k - 1 : k);
	}
}

static void attachment(struct buf *b, const struct message_attachment *a,
    const char *boundary)
{
	char param[800], enc[80];
	size_t off;

	linef(b, "--%s", boundary);
	name_param("name", a->name, param, sizeof param);
	linef(b, "Content-Type: %s; %s", message_type(a->name), param);
	name_param("filename", a->name, param, sizeof param);
	linef(b, "Content-Disposition: attachment; %s", param);
	text(b, "Content-Transfer-Encoding: base64");
	line(b, "", 0);
	for (off = 0; off < a->len; off += B64_CHUNK) {
		size_t k = a->len - off < B64_CHUNK ? a->len - off : B64_CHUNK;
		long n = codec_b64_encode(a->data + off, k, enc, sizeof enc);

		line(b, enc, n > 0 ? (size_t)n : 0);
	}
}

/* ---- the message ----------------------------------------------------------------- */

static int raw_message(const struct message_spec *s, struct message *m,
    struct buf *b, char *err, size_t errsize)
{
	const char *blank;

	if (memchr(s->raw, 0, s->raw_len)) {
		snprintf(err, errsize, "the message holds a NUL octet, which SMTP cannot carry in DATA (RFC 5321 4.5.2)");
		return -1;
	}
	body_lines(b, s->raw, s->raw_len);
	m->needs_8bit = has_8bit(s->raw, s->raw_len);
	/* the header section ends at the first empty line */
	blank = strstr(b->p ? b->p : "", "\n\n");
	m->needs_utf8 = has_8bit(b->p ? b->p : "", blank ? (size_t)(blank - b->p) :
	    b->len);
	return 0;
}

int message_build(const struct message_spec *s, struct message *m,
    char *err, size_t errsize)
{
	struct buf b = { NULL, 0, 0, 0, 0 };
	unsigned char *used = calloc(s->nheaders + 1, 1);
	const char *body = s->body ? s->body : default_body;
	size_t blen = s->body ? s->body_len : strlen(default_body), i;
	char date[64], subject[100], from[300], msgid[600], boundary[120];
	int eight = has_8bit(body, blen);

	memset(m, 0, sizeof *m);
	if (used == NULL) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	if (s->raw) {
		if (raw_message(s, m, &b, err, errsize) != 0) {
			free(used);
			free(b.p);
			return -1;
		}
		goto done;
	}
	if (memchr(body, 0, blen)) {
		snprintf(err, errsize, "the body holds a NUL octet, which SMTP cannot carry as text: attach the file instead (--attach)");
		free(used);
		return -1;
	}
	rfc5322_date(&s->date, s->utc_offset_min, date, sizeof date);
	snprintf(subject, sizeof subject, "smtpref test %s", date);
	snprintf(from, sizeof from, s->from[0] ? "%s" : "MAILER-DAEMON@%s",
	    s->from[0] ? s->from : s->domain);
	snprintf(msgid, sizeof msgid, "<%s@%s>", s->unique,
	    s->domain && s->domain[0] ? s->domain : "localhost");
	snprintf(boundary, sizeof boundary, "=_smtpref_%s", s->unique);

	/* RFC 5322 3.6: Date and From are required, Message-ID should be
	 * there; the order is swaks' */
	field(&b, m, s, used, "Date", date);
	if (user_header(s, "To", used) == NULL) {
		to_field(&b, s);
		m->added++;
	} else
		for (i = 0; i < s->nheaders; i++)
			if (header_is(s->headers[i], "To"))
				text(&b, s->headers[i]);
	field(&b, m, s, used, "From", from);
	field(&b, m, s, used, "Subject", subject);
	field(&b, m, s, used, "Message-ID", msgid);
	if (s->nattach > 0 || eight) {
		char type[200];

		if (s->nattach > 0)
			snprintf(type, sizeof type, "multipart/mixed; boundary=\"%s\"", boundary);
		else
			snprintf(type, sizeof type, "text/plain; charset=%s",
			    utf8_ok(body, blen) ? "utf-8" : "unknown-8bit");
		field(&b, m, s, used, "MIME-Version", "1.0");
		field(&b, m, s, used, "Content-Type", type);
		if (s->nattach == 0)
			field(&b, m, s, used, "Content-Transfer-Encoding", "8bit");
	}
	for (i = 0; i < s->nheaders; i++)
		if (!used[i] && !header_is(s->headers[i], "To"))
			text(&b, s->headers[i]);
	m->needs_utf8 = b.p && has_8bit(b.p, b.len);
	line(&b, "", 0);
	if (s->nattach > 0) {
		text(&b, "This is a message in MIME format (RFC 2045).");
		line(&b, "", 0);
		linef(&b, "--%s", boundary);
		linef(&b, "Content-Type: text/plain; charset=%s",
		    !eight ? "us-ascii" : utf8_ok(body, blen) ? "utf-8" : "unknown-8bit");
		linef(&b, "Content-Transfer-Encoding: %s", eight ? "8bit" : "7bit");
		line(&b, "", 0);
	}
	body_lines(&b, body, blen);
	for (i = 0; i < s->nattach; i++)
		attachment(&b, &s->attach[i], boundary);
	if (s->nattach > 0)
		linef(&b, "--%s--", boundary);
	m->needs_8bit = eight;
done:
	for (i = 0; i < s->nto; i++)
		m->needs_utf8 |= has_8bit(s->to[i], strlen(s->to[i]));
	m->needs_utf8 |= has_8bit(s->from, strlen(s->from));
	free(used);
	if (b.oom) {
		free(b.p);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	m->text = b.p;
	m->len = b.len;
	m->lines = b.lines;
	m->size = b.len + b.lines;	/* each '\n' becomes CRLF */
	return 0;
}

void message_free(struct message *m)
{
	free(m->text);
	memset(m, 0, sizeof *m);
}

const char *message_line(const struct message *m, size_t *pos, size_t *len)
{
	const char *p, *lf;

	if (m->text == NULL || *pos >= m->len)
		return NULL;
	p = m->text + *pos;
	lf = memchr(p, '\n', m->len - *pos);
	*len = lf ? (size_t)(lf - p) : m->len - *pos;
	*pos += *len + 1;
	return p;
}
