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

#endif
