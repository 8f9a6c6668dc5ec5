/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reply.h - SMTP reply lines: parse, check, enhanced codes, EHLO lines
 *
 * RFC 5321 4.2 (reply format), RFC 2034 and RFC 3463 (enhanced status
 * codes), RFC 5321 4.1.1.1 (EHLO keywords).  Pure functions: no I/O.
 */
#ifndef SMTPREF_REPLY_H
#define SMTPREF_REPLY_H

#include <stddef.h>

/* The longest reply line RFC 5321 4.5.3.1.5 allows, CRLF included. */
#define REPLY_LINE_MAX 512

enum reply_status {
	REPLY_OK,
	REPLY_ERR_EMPTY,	/* nothing but white space */
	REPLY_ERR_CODE,		/* does not start with three digits */
	REPLY_ERR_RANGE,	/* digits outside 2-5, 0-5, 0-9 */
	REPLY_ERR_SEPARATOR,	/* the code is followed by neither SP, '-' nor end */
	REPLY_ERR_LAST
};

/* An enhanced status code class.subject.detail (RFC 3463 2). */
struct reply_enh {
	int cls;
	int subject;
	int detail;
};

struct reply_line {
	int code;
	char sep;		/* ' ' (last line), '-' (more follow), 0 (bare code) */
	const char *text;	/* after the separator, not NUL-terminated */
	size_t text_len;
	int has_enh;		/* text starts with an enhanced status code */
	struct reply_enh enh;
	const char *after_enh;	/* text after the code and its spaces */
	size_t after_enh_len;
	int too_long;		/* longer than REPLY_LINE_MAX - 2 octets */
};

/* reply_parse_line - parse one reply line (without CRLF) */
enum reply_status reply_parse_line(const char *s, size_t len,
    struct reply_line *out);
const char *reply_status_str(enum reply_status st);

/* reply_parse_enh - parse an enhanced status code at the start of s:
 * "class.subject.detail" with class 2, 4 or 5, subject and detail 1 to 3
 * digits without leading zeros.  Returns the length used, or 0 when s does
 * not start with one.  The code must end s or be followed by a space. */
size_t reply_parse_enh(const char *s, size_t len, struct reply_enh *out);

/* Whether the enhanced code's class agrees with the reply's first digit
 * (RFC 3463 2, RFC 2034 4). */
int reply_enh_agrees(int code, const struct reply_enh *enh);

/* One line of an EHLO reply's text: a keyword and its parameters. */
struct reply_ehlo {
	const char *keyword;
	size_t keyword_len;
	const char *params;	/* after the keyword and a space; may be empty */
	size_t params_len;
};

/* reply_parse_ehlo - split an EHLO reply line's text into keyword and
 * parameters (RFC 5321 4.1.1.1: ehlo-keyword = (ALPHA / DIGIT)
 * *(ALPHA / DIGIT / "-"); ehlo-param = 1*(%d33-126)).  Returns 0, or -1
 * when the text is not of that form. */
int reply_parse_ehlo(const char *text, size_t len, struct reply_ehlo *out);

/* A multi-line reply, assembled line by line (RFC 5321 4.2.1: every line
 * but the last is "code-text", the last is "code SP text" or the bare
 * code, and every line carries the same code).  Bounded: a reply of more
 * than REPLY_LINES_MAX lines is refused, so a hostile peer cannot make us
 * keep reading one reply forever. */
#define REPLY_LINES_MAX 512

enum reply_acc_status {
	REPLY_ACC_MORE,		/* a continuation line: more must follow */
	REPLY_ACC_DONE,		/* the last line: the reply is complete */
	REPLY_ACC_BAD_LINE,	/* a line that is not a reply line */
	REPLY_ACC_MIXED_CODES,	/* a line whose code differs from the first */
	REPLY_ACC_TOO_MANY,	/* more than REPLY_LINES_MAX lines */
	REPLY_ACC_LAST
};

/* Problems that do not stop the reply but are worth telling (bits). */
enum {
	REPLY_WARN_LONG_LINE = 1 << 0,	/* a line over 512 octets */
	REPLY_WARN_ENH_MIXED = 1 << 1,	/* enhanced codes differ between lines */
	REPLY_WARN_ENH_CLASS = 1 << 2,	/* an enhanced class disagrees with the code */
	REPLY_WARN_ENH_PARTIAL = 1 << 3	/* some lines have an enhanced code, some not */
};

struct reply_acc {
	int code;		/* of the first line, 0 before it */
	size_t lines;
	int done;
	unsigned warnings;	/* REPLY_WARN_* */
	int has_enh;		/* the first line carried an enhanced code */
	struct reply_enh enh;	/* ... this one */
	enum reply_status line_status;	/* why the last bad line was bad */
};

void reply_acc_init(struct reply_acc *a);
/* reply_acc_line - add one line (without CRLF).  After DONE or an error
 * the accumulator must be initialised again before the next reply. */
enum reply_acc_status reply_acc_line(struct reply_acc *a, const char *line,
    size_t len);
const char *reply_acc_status_str(enum reply_acc_status st);

#endif
