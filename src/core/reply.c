/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reply.c - SMTP reply lines: parse, check, enhanced codes, EHLO lines
 *
 * Implements the reply syntax of RFC 5321 4.2 ("Reply-code = %x32-35
 * %x30-35 %x30-39"), the enhanced status code syntax of RFC 3463 2 and the
 * EHLO keyword syntax of RFC 5321 4.1.1.1.
 */
#include <config.h>

#include "core/reply.h"

#include "core/ascii.h"
static const char *const status_names[] = {
	[REPLY_OK] = "ok",
	[REPLY_ERR_EMPTY] = "empty reply line",
	[REPLY_ERR_CODE] = "a reply line starts with a three-digit code",
	[REPLY_ERR_RANGE] = "reply code out of range: the first digit is 2 to 5, the second 0 to 5 (RFC 5321 4.2)",
	[REPLY_ERR_SEPARATOR] = "the code must be followed by a space, a hyphen or the end of the line (RFC 5321 4.2)",
};
_Static_assert(sizeof status_names / sizeof status_names[0] == REPLY_ERR_LAST,
    "status_names out of step with enum reply_status");

const char *reply_status_str(enum reply_status st)
{
	if ((unsigned)st >= REPLY_ERR_LAST)
		return "unknown status";
	return status_names[st];
}

/* number - 1 to 3 digits without a leading zero (RFC 3463 2) */
static size_t number(const char *s, size_t len, int *out)
{
	size_t i = 0;
	int v = 0;

	while (i < len && i < 4 && ascii_is_digit((unsigned char)s[i]))
		v = v * 10 + (s[i++] - '0');
	if (i == 0 || i > 3 || (i > 1 && s[0] == '0'))
		return 0;
	*out = v;
	return i;
}

size_t reply_parse_enh(const char *s, size_t len, struct reply_enh *out)
{
	size_t i = 0, n;
	struct reply_enh e;

	if (len < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
		return 0;
	e.cls = s[0] - '0';
	i = 2;
	if ((n = number(s + i, len - i, &e.subject)) == 0)
		return 0;
	i += n;
	if (i >= len || s[i] != '.')
		return 0;
	i++;
	if ((n = number(s + i, len - i, &e.detail)) == 0)
		return 0;
	i += n;
	if (i < len && s[i] != ' ')
		return 0;
	*out = e;
	return i;
}

int reply_enh_agrees(int code, const struct reply_enh *enh)
{
	return code / 100 == enh->cls;
}

enum reply_status reply_parse_line(const char *s, size_t len,
    struct reply_line *out)
{
	size_t i, n;

	while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	*out = (struct reply_line){ 0 };
	for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i == len)
		return REPLY_ERR_EMPTY;
	if (i != 0 || len < 3 || !ascii_is_digit((unsigned char)s[0]) ||
	    !ascii_is_digit((unsigned char)s[1]) || !ascii_is_digit((unsigned char)s[2]))
		return REPLY_ERR_CODE;
	out->code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	out->too_long = len > REPLY_LINE_MAX - 2;
	if (len > 3) {
		if (s[3] != ' ' && s[3] != '-')
			return REPLY_ERR_SEPARATOR;
		out->sep = s[3];
		out->text = s + 4;
		out->text_len = len - 4;
	} else {
		out->text = s + 3;
	}
	out->after_enh = out->text;
	out->after_enh_len = out->text_len;
	if (s[0] < '2' || s[0] > '5' || s[1] > '5')
		return REPLY_ERR_RANGE;
	n = reply_parse_enh(out->text, out->text_len, &out->enh);
	if (n) {
		out->has_enh = 1;
		while (n < out->text_len && out->text[n] == ' ')
			n++;
		out->after_enh = out->text + n;
		out->after_enh_len = out->text_len - n;
	}
	return REPLY_OK;
}

int reply_parse_ehlo(const char *text, size_t len, struct reply_ehlo *out)
{
	size_t i = 0, start;

	if (len == 0 || !ascii_is_alnum((unsigned char)text[0]))
		return -1;
	while (i < len && (ascii_is_alnum((unsigned char)text[i]) || text[i] == '-'))
		i++;
	/* Keywords seen in the wild carry '=' (AUTH=LOGIN): the whole token
	 * up to a space is the keyword, as clients compare whole tokens. */
	while (i < len && text[i] != ' ') {
		unsigned char c = (unsigned char)text[i];

		if (c < 33 || c > 126)
			return -1;
		i++;
	}
	out->keyword = text;
	out->keyword_len = i;
	while (i < len && text[i] == ' ')
		i++;
	start = i;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c != ' ' && (c < 33 || c > 126))
			return -1;
	}
	out->params = text + start;
	out->params_len = len - start;
	return 0;
}

static const char *const acc_names[] = {
	[REPLY_ACC_MORE] = "more lines follow",
	[REPLY_ACC_DONE] = "complete",
	[REPLY_ACC_BAD_LINE] = "a line of the reply is not a reply line (RFC 5321 4.2)",
	[REPLY_ACC_MIXED_CODES] = "the lines of one reply carry different codes (RFC 5321 4.2.1)",
	[REPLY_ACC_TOO_MANY] = "the reply has too many lines",
};
_Static_assert(sizeof acc_names / sizeof acc_names[0] == REPLY_ACC_LAST,
    "acc_names out of step with enum reply_acc_status");

const char *reply_acc_status_str(enum reply_acc_status st)
{
	if ((unsigned)st >= REPLY_ACC_LAST)
		return "unknown status";
	return acc_names[st];
}

void reply_acc_init(struct reply_acc *a)
{
	*a = (struct reply_acc){ 0 };
}

static int enh_equal(const struct reply_enh *x, const struct reply_enh *y)
{
	return x->cls == y->cls && x->subject == y->subject &&
	    x->detail == y->detail;
}

enum reply_acc_status reply_acc_line(struct reply_acc *a, const char *line,
    size_t len)
{
	struct reply_line l;

	if (a->lines >= REPLY_LINES_MAX)
		return REPLY_ACC_TOO_MANY;
	a->line_status = reply_parse_line(line, len, &l);
	if (a->line_status != REPLY_OK)
		return REPLY_ACC_BAD_LINE;
	if (a->lines == 0) {
		a->code = l.code;
		a->has_enh = l.has_enh;
		a->enh = l.enh;
	} else if (l.code != a->code) {
		return REPLY_ACC_MIXED_CODES;
	} else if (l.has_enh != a->has_enh) {
		a->warnings |= REPLY_WARN_ENH_PARTIAL;
	} else if (l.has_enh && !enh_equal(&l.enh, &a->enh)) {
		a->warnings |= REPLY_WARN_ENH_MIXED;
	}
	a->lines++;
	if (l.too_long)
		a->warnings |= REPLY_WARN_LONG_LINE;
	if (l.has_enh && !reply_enh_agrees(l.code, &l.enh))
		a->warnings |= REPLY_WARN_ENH_CLASS;
	if (l.sep == '-')
		return REPLY_ACC_MORE;
	a->done = 1;
	return REPLY_ACC_DONE;
}
