/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syntax.h - SMTP command lines as RFC 5321 4.1 writes them
 *
 * A pure parser: it splits a command line into a verb and its argument,
 * parses paths (MAIL FROM:, RCPT TO:), mailboxes, domains, address
 * literals and ESMTP parameters, checks the limits of RFC 5321 4.5.3.1,
 * and recognises the common mistakes a learner makes so that they can be
 * explained rather than only rejected.  No I/O, no globals, no allocation:
 * results point into the caller's line.
 */
#ifndef SMTPREF_SYNTAX_H
#define SMTPREF_SYNTAX_H

#include <stddef.h>

/* RFC 5321 4.5.3.1 limits, in octets */
#define SYNTAX_LOCAL_MAX 64		/* 4.5.3.1.1 */
#define SYNTAX_DOMAIN_MAX 255		/* 4.5.3.1.2 */
#define SYNTAX_PATH_MAX 256		/* 4.5.3.1.3, with the angle brackets */
#define SYNTAX_LINE_MAX 512		/* 4.5.3.1.4, with the CRLF */
#define SYNTAX_TEXT_LINE_MAX 1000	/* 4.5.3.1.6, with the CRLF */
#define SYNTAX_PARAMS_MAX 16		/* ESMTP parameters kept per command */

/* What is wrong with a command line: each value has a message
 * (syntax_error_str) and the RFC section that makes it wrong
 * (syntax_error_section). */
enum syntax_error {
	SYNTAX_OK,
	SYNTAX_ERR_EMPTY,		/* an empty line */
	SYNTAX_ERR_VERB,		/* the verb is not 4 letters / a keyword */
	SYNTAX_ERR_LINE_TOO_LONG,	/* over SYNTAX_LINE_MAX (+ extension increments) */
	SYNTAX_ERR_BARE_LF,		/* ends in LF without CR (caller tells) */
	SYNTAX_ERR_BARE_CR,		/* a CR not followed by LF inside the line */
	SYNTAX_ERR_NUL,			/* a NUL octet */
	SYNTAX_ERR_NO_ARGUMENT,		/* HELO/EHLO with nothing after it */
	SYNTAX_ERR_UNEXPECTED_ARGUMENT,	/* DATA x, RSET x, QUIT x */
	SYNTAX_ERR_FROM_EXPECTED,	/* MAIL without "FROM:" */
	SYNTAX_ERR_TO_EXPECTED,		/* RCPT without "TO:" */
	SYNTAX_ERR_SPACE_AFTER_COLON,	/* "MAIL FROM: <a@b>" (tolerated by many) */
	SYNTAX_ERR_NO_BRACKETS,		/* "MAIL FROM:a@b": the path needs <> */
	SYNTAX_ERR_PATH,		/* a malformed path */
	SYNTAX_ERR_NO_DOMAIN,		/* "<alice>": a mailbox needs @domain */
	SYNTAX_ERR_LOCAL_PART,		/* a malformed local part */
	SYNTAX_ERR_LOCAL_TOO_LONG,	/* over 64 octets */
	SYNTAX_ERR_DOMAIN,		/* a malformed domain */
	SYNTAX_ERR_DOMAIN_TOO_LONG,	/* over 255 octets */
	SYNTAX_ERR_PATH_TOO_LONG,	/* over 256 octets */
	SYNTAX_ERR_ADDRESS_LITERAL,	/* a malformed [...] literal */
	SYNTAX_ERR_NON_ASCII,		/* 8-bit octets where SMTPUTF8 was not given */
	SYNTAX_ERR_PARAM,		/* a malformed esmtp-param */
	SYNTAX_ERR_TOO_MANY_PARAMS,
	SYNTAX_ERR_DUPLICATE_PARAM,	/* the same keyword twice */
	SYNTAX_ERR_LAST
};

/* A domain or address literal, as it appeared. */
enum syntax_host_kind {
	SYNTAX_HOST_NONE,
	SYNTAX_HOST_DOMAIN,
	SYNTAX_HOST_IPV4,		/* [192.0.2.1] */
	SYNTAX_HOST_IPV6,		/* [IPv6:2001:db8::1] */
	SYNTAX_HOST_GENERAL,		/* [tag:content] */
	SYNTAX_HOST_LAST
};

struct syntax_span {
	const char *p;
	size_t len;
};

struct syntax_param {
	struct syntax_span keyword;	/* as written; compare case-insensitively */
	struct syntax_span value;	/* len 0 and p NULL when no "=" */
};

/* A path: <> (null), or <[@route,...:]local@host> */
struct syntax_path {
	int null;			/* "<>" */
	int postmaster;			/* "<Postmaster>" without a domain (RCPT only) */
	int had_route;			/* a source route, accepted and ignored (4.1.1.3) */
	int quoted;			/* the local part is a quoted string */
	int utf8;			/* octets above 127 appear in it */
	struct syntax_span local;	/* as written (with quotes if quoted) */
	struct syntax_span host;
	enum syntax_host_kind host_kind;
};

struct syntax_cmd {
	struct syntax_span verb;	/* as written; compare case-insensitively */
	struct syntax_span arg;		/* after the verb and one space */
	/* MAIL and RCPT */
	struct syntax_path path;
	struct syntax_param params[SYNTAX_PARAMS_MAX];
	size_t nparams;
	/* HELO and EHLO */
	struct syntax_span host;
	enum syntax_host_kind host_kind;
	/* tolerated mistakes, reported but not fatal (for explanations) */
	int lenient_space_after_colon;	/* accepted "FROM: <x>" in lenient mode */
};

struct syntax_opts {
	int smtputf8;		/* SMTPUTF8 announced: UTF-8 allowed in paths */
	int lenient;		/* accept "MAIL FROM: <x>" (a space after the colon) */
	size_t line_max;	/* longest line accepted, CRLF included (0: 512) */
};

/* syntax_parse_command - parse one command line (without its CRLF; a
 * trailing CR or LF is not expected).  Fills *cmd and returns SYNTAX_OK,
 * or the first problem found.  The verb is always filled when the line
 * starts with one, so the caller can answer a bad argument with 501 and
 * an unknown verb with 500. */
enum syntax_error syntax_parse_command(const char *line, size_t len,
    const struct syntax_opts *opts, struct syntax_cmd *cmd);

/* Parse one piece alone (the whole of s must match).  syntax_parse_path
 * accepts "<>" (sets null) and "<Postmaster>" (sets postmaster): whether
 * the command allows them is the caller's decision, as
 * syntax_parse_command makes it for MAIL and RCPT.  opts may be NULL
 * (all options off, here and in syntax_parse_command).
 * syntax_parse_domain takes ASCII only. */
enum syntax_error syntax_parse_path(const char *s, size_t len,
    const struct syntax_opts *opts, struct syntax_path *out);
enum syntax_error syntax_parse_domain(const char *s, size_t len);
enum syntax_error syntax_parse_address_literal(const char *s, size_t len,
    enum syntax_host_kind *kind);

/* syntax_verb_is - whether the verb span equals name, ignoring case */
int syntax_verb_is(const struct syntax_span *verb, const char *name);
/* syntax_param_find - the parameter named name (case-insensitive), or NULL */
const struct syntax_param *syntax_param_find(const struct syntax_cmd *cmd,
    const char *name);

const char *syntax_error_str(enum syntax_error e);
const char *syntax_error_section(enum syntax_error e);	/* "RFC 5321 4.1.2" */

/* syntax_xtext_decode - decode RFC 3461 4 xtext ("+2B" -> "+") into out
 * (size bytes, NUL-terminated); returns the decoded length, or -1 when s
 * is not valid xtext or does not fit. */
long syntax_xtext_decode(const char *s, size_t len, char *out, size_t size);

#endif
