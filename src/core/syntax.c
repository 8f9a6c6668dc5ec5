/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syntax.c - SMTP command lines as RFC 5321 4.1 writes them
 *
 * Implements the command syntax of RFC 5321 4.1.1 (verbs and which of
 * them take an argument), the argument syntax of 4.1.2 (paths, mailboxes,
 * local parts, domains, ESMTP parameters), the address literals of 4.1.3,
 * the size limits of 4.5.3.1, the SMTPUTF8 additions of RFC 6531 3.3
 * (UTF-8 in local parts, domain labels and parameter values) and the
 * xtext encoding of RFC 3461 4.
 *
 * Where the ABNF is stricter than practice, the parser follows the ABNF
 * and names the mistake, except for two tolerances that RFC 5321 itself
 * asks for or that the caller chooses: trailing white space before the
 * end of the line (4.1.1: receivers "SHOULD tolerate" it) and, in lenient
 * mode, a space after the colon of "MAIL FROM:" and "RCPT TO:".
 */
#include <config.h>

#include <limits.h>

#include "core/syntax.h"

#include "core/ascii.h"
/* the characters of a verb or an esmtp-keyword (4.1.2) */
static int is_keyword_char(int c)
{
	return ascii_is_alnum(c) || c == '-';
}

static int is_hex(int c)
{
	return ascii_is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* upper_hex - the value of an upper-case hexadecimal digit, or -1 */
static int upper_hex(int c)
{
	if (ascii_is_digit(c))
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* atext of RFC 5322 3.2.3, which Atom of RFC 5321 4.1.2 uses (ASCII) */
static int is_atext(int c)
{
	if (ascii_is_alnum(c))
		return 1;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'':
	case '*': case '+': case '-': case '/': case '=': case '?':
	case '^': case '_': case '`': case '{': case '|': case '}':
	case '~':
		return 1;
	}
	return 0;
}

/* dcontent = %d33-90 / %d94-126 (4.1.3) */
static int is_dcontent(int c)
{
	return (c >= 33 && c <= 90) || (c >= 94 && c <= 126);
}

static int ci_span_equal(const struct syntax_span *a,
    const struct syntax_span *b)
{
	size_t i;

	if (a->len != b->len)
		return 0;
	for (i = 0; i < a->len; i++)
		if (ascii_lower((unsigned char)a->p[i]) !=
		    ascii_lower((unsigned char)b->p[i]))
			return 0;
	return 1;
}

/* utf8_len - length of the well-formed UTF8-non-ascii sequence at s
 * (RFC 3629 4, as RFC 6532 3.1 uses it), or 0; len > 0 */
static size_t utf8_len(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (u[0] >= 0xC2 && u[0] <= 0xDF)
		n = 2;
	else if (u[0] >= 0xE0 && u[0] <= 0xEF)
		n = 3;
	else if (u[0] >= 0xF0 && u[0] <= 0xF4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	/* the second octet's range excludes overlong forms, surrogates
	 * and code points above U+10FFFF */
	if (u[0] == 0xE0)
		lo = 0xA0;
	else if (u[0] == 0xED)
		hi = 0x9F;
	else if (u[0] == 0xF0)
		lo = 0x90;
	else if (u[0] == 0xF4)
		hi = 0x8F;
	if (u[1] < lo || u[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (u[i] < 0x80 || u[i] > 0xBF)
			return 0;
	return n;
}

static const char *const error_names[] = {
	[SYNTAX_OK] = "no error",
	[SYNTAX_ERR_EMPTY] = "the line is empty: a command starts with a verb such as EHLO, MAIL or QUIT",
	[SYNTAX_ERR_VERB] = "a command starts with a verb of letters (EHLO, MAIL, RCPT ...) followed by a space or the end of the line",
	[SYNTAX_ERR_LINE_TOO_LONG] = "the command line is too long: at most 512 octets with the CRLF, unless an extension allows more",
	[SYNTAX_ERR_BARE_LF] = "a line must end with CR LF, not with a bare LF",
	[SYNTAX_ERR_BARE_CR] = "CR and LF may only appear together, as the CR LF that ends the line",
	[SYNTAX_ERR_NUL] = "a NUL octet (0x00) is not allowed in a command",
	[SYNTAX_ERR_NO_ARGUMENT] = "this command needs an argument after a space",
	[SYNTAX_ERR_UNEXPECTED_ARGUMENT] = "this command takes no argument: it is sent alone",
	[SYNTAX_ERR_FROM_EXPECTED] = "MAIL is followed by FROM: and the sender in angle brackets: MAIL FROM:<you@example.org>",
	[SYNTAX_ERR_TO_EXPECTED] = "RCPT is followed by TO: and the recipient in angle brackets: RCPT TO:<friend@example.org>",
	[SYNTAX_ERR_SPACE_AFTER_COLON] = "a space after the colon is not allowed: write MAIL FROM:<you@example.org> or RCPT TO:<friend@example.org>",
	[SYNTAX_ERR_NO_BRACKETS] = "the address must be written in angle brackets: MAIL FROM:<you@example.org>",
	[SYNTAX_ERR_PATH] = "malformed path: write <local@domain>, or <> as the sender of a bounce (<> is never a recipient)",
	[SYNTAX_ERR_NO_DOMAIN] = "the address needs a domain: write <alice@example.org>, not <alice> (only RCPT TO:<Postmaster> may omit it)",
	[SYNTAX_ERR_LOCAL_PART] = "malformed local part (before the @): letters, digits and !#$%&'*+-/=?^_`{|}~ with single dots between them, or a \"quoted string\"",
	[SYNTAX_ERR_LOCAL_TOO_LONG] = "the local part (before the @) is longer than 64 octets",
	[SYNTAX_ERR_DOMAIN] = "malformed domain: labels of letters, digits and hyphens joined by single dots, no underscore, no hyphen at either end of a label (and HELO takes no [address literal])",
	[SYNTAX_ERR_DOMAIN_TOO_LONG] = "the domain is longer than 255 octets",
	[SYNTAX_ERR_PATH_TOO_LONG] = "the path is longer than 256 octets, angle brackets included",
	[SYNTAX_ERR_ADDRESS_LITERAL] = "malformed address literal: write [192.0.2.1] or [IPv6:2001:db8::1]",
	[SYNTAX_ERR_NON_ASCII] = "octets above 127 (UTF-8) are allowed in an address only after the server announced SMTPUTF8",
	[SYNTAX_ERR_PARAM] = "malformed parameter: after the address write a space, then KEYWORD or KEYWORD=value, e.g. SIZE=1000",
	[SYNTAX_ERR_TOO_MANY_PARAMS] = "too many parameters in one command (at most 16)",
	[SYNTAX_ERR_DUPLICATE_PARAM] = "the same parameter is given twice: each may appear at most once",
};
_Static_assert(sizeof error_names / sizeof error_names[0] == SYNTAX_ERR_LAST,
    "error_names out of step with enum syntax_error");

static const char *const error_sections[] = {
	[SYNTAX_OK] = "RFC 5321 4.1",
	[SYNTAX_ERR_EMPTY] = "RFC 5321 4.1.1",
	[SYNTAX_ERR_VERB] = "RFC 5321 4.1.1",
	[SYNTAX_ERR_LINE_TOO_LONG] = "RFC 5321 4.5.3.1.4",
	[SYNTAX_ERR_BARE_LF] = "RFC 5321 2.3.8",
	[SYNTAX_ERR_BARE_CR] = "RFC 5321 2.3.8",
	[SYNTAX_ERR_NUL] = "RFC 5321 4.1.2",
	[SYNTAX_ERR_NO_ARGUMENT] = "RFC 5321 4.1.1",
	[SYNTAX_ERR_UNEXPECTED_ARGUMENT] = "RFC 5321 4.1.1",
	[SYNTAX_ERR_FROM_EXPECTED] = "RFC 5321 4.1.1.2",
	[SYNTAX_ERR_TO_EXPECTED] = "RFC 5321 4.1.1.3",
	[SYNTAX_ERR_SPACE_AFTER_COLON] = "RFC 5321 3.3",
	[SYNTAX_ERR_NO_BRACKETS] = "RFC 5321 4.1.2",
	[SYNTAX_ERR_PATH] = "RFC 5321 4.1.2",
	[SYNTAX_ERR_NO_DOMAIN] = "RFC 5321 4.1.2",
	[SYNTAX_ERR_LOCAL_PART] = "RFC 5321 4.1.2",
	[SYNTAX_ERR_LOCAL_TOO_LONG] = "RFC 5321 4.5.3.1.1",
	[SYNTAX_ERR_DOMAIN] = "RFC 5321 4.1.2",
	[SYNTAX_ERR_DOMAIN_TOO_LONG] = "RFC 5321 4.5.3.1.2",
	[SYNTAX_ERR_PATH_TOO_LONG] = "RFC 5321 4.5.3.1.3",
	[SYNTAX_ERR_ADDRESS_LITERAL] = "RFC 5321 4.1.3",
	[SYNTAX_ERR_NON_ASCII] = "RFC 6531 3.3",
	[SYNTAX_ERR_PARAM] = "RFC 5321 4.1.2",
	[SYNTAX_ERR_TOO_MANY_PARAMS] = "RFC 5321 4.1.2",
	[SYNTAX_ERR_DUPLICATE_PARAM] = "RFC 3461 4.5",
};
_Static_assert(sizeof error_sections / sizeof error_sections[0] ==
    SYNTAX_ERR_LAST, "error_sections out of step with enum syntax_error");

const char *syntax_error_str(enum syntax_error e)
{
	if ((unsigned)e >= SYNTAX_ERR_LAST)
		return "unknown error";
	return error_names[e];
}

const char *syntax_error_section(enum syntax_error e)
{
	if ((unsigned)e >= SYNTAX_ERR_LAST)
		return "RFC 5321";
	return error_sections[e];
}

/* domain - check a Domain: sub-domain *("." sub-domain), sub-domain =
 * Let-dig [Ldh-str] (4.1.2); with utf8, labels may hold UTF-8 (RFC 6531
 * 3.3: sub-domain =/ U-label), and *saw_utf8 is set when they do */
static enum syntax_error domain(const char *s, size_t len, int utf8,
    int *saw_utf8)
{
	size_t i = 0, start, n;

	for (;;) {
		start = i;
		while (i < len && s[i] != '.') {
			unsigned char c = (unsigned char)s[i];

			if (c >= 0x80) {
				if (!utf8)
					return SYNTAX_ERR_NON_ASCII;
				if ((n = utf8_len(s + i, len - i)) == 0)
					return SYNTAX_ERR_DOMAIN;
				*saw_utf8 = 1;
				i += n;
				continue;
			}
			if (!ascii_is_alnum(c) && c != '-')
				return SYNTAX_ERR_DOMAIN;
			i++;
		}
		/* no empty label, no hyphen at either end of one */
		if (i == start || s[start] == '-' || s[i - 1] == '-')
			return SYNTAX_ERR_DOMAIN;
		if (i == len)
			break;
		i++;
	}
	if (len > SYNTAX_DOMAIN_MAX)
		return SYNTAX_ERR_DOMAIN_TOO_LONG;
	return SYNTAX_OK;
}

/* ipv4 - IPv4-address-literal = Snum 3("." Snum), Snum 0 to 255 (4.1.3) */
static int ipv4(const char *s, size_t len)
{
	size_t i = 0, start;
	int part, v;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= len || s[i] != '.')
				return 0;
			i++;
		}
		start = i;
		v = 0;
		while (i < len && i - start < 3 &&
		    ascii_is_digit((unsigned char)s[i]))
			v = v * 10 + (s[i++] - '0');
		if (i == start || v > 255)
			return 0;
	}
	return i == len;
}

/* ipv6 - IPv6-addr of 4.1.3: IPv6-full (8 groups), IPv6-comp ("::" and
 * at most 6 groups), IPv6v4-full (6 groups and an IPv4 address) or
 * IPv6v4-comp ("::", at most 4 groups and an IPv4 address).  The "::"
 * stands for at least two groups of zeros, as the RFC's comments say. */
static int ipv6(const char *s, size_t len)
{
	size_t i = 0, j, groups = 0;
	int dcolon = 0, v4 = 0;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		dcolon = 1;
		i = 2;
	}
	while (i < len) {
		for (j = i; j < len && is_hex((unsigned char)s[j]); j++)
			;
		if (j < len && s[j] == '.') {
			/* the IPv4 part ends the address */
			if (!ipv4(s + i, len - i))
				return 0;
			v4 = 1;
			break;
		}
		if (j == i || j - i > 4)
			return 0;
		groups++;
		i = j;
		if (i == len)
			break;
		if (s[i++] != ':' || i == len)
			return 0;
		if (s[i] == ':') {
			if (dcolon)
				return 0;
			dcolon = 1;
			i++;
		}
	}
	if (v4)
		return dcolon ? groups <= 4 : groups == 6;
	return dcolon ? groups <= 6 : groups == 8;
}

/* ldh_str - Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig (4.1.2) */
static int ldh_str(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !ascii_is_alnum((unsigned char)s[len - 1]))
		return 0;
	for (i = 0; i < len; i++)
		if (!ascii_is_alnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

/* literal - address-literal = "[" ( IPv4-address-literal /
 * IPv6-address-literal / General-address-literal ) "]" (4.1.3) */
static enum syntax_error literal(const char *s, size_t len,
    enum syntax_host_kind *kind)
{
	const char *p;
	size_t n, colon, i;

	*kind = SYNTAX_HOST_NONE;
	if (len < 2 || s[0] != '[' || s[len - 1] != ']')
		return SYNTAX_ERR_ADDRESS_LITERAL;
	p = s + 1;
	n = len - 2;
	for (colon = 0; colon < n && p[colon] != ':'; colon++)
		;
	if (colon == n) {
		if (!ipv4(p, n))
			return SYNTAX_ERR_ADDRESS_LITERAL;
		*kind = SYNTAX_HOST_IPV4;
		return SYNTAX_OK;
	}
	/* "IPv6:" is an ABNF string, so its case does not matter */
	if (ascii_ieq(p, colon, "IPv6")) {
		if (!ipv6(p + colon + 1, n - colon - 1))
			return SYNTAX_ERR_ADDRESS_LITERAL;
		*kind = SYNTAX_HOST_IPV6;
		return SYNTAX_OK;
	}
	/* General-address-literal = Standardized-tag ":" 1*dcontent */
	if (!ldh_str(p, colon) || colon + 1 == n)
		return SYNTAX_ERR_ADDRESS_LITERAL;
	for (i = colon + 1; i < n; i++)
		if (!is_dcontent((unsigned char)p[i]))
			return SYNTAX_ERR_ADDRESS_LITERAL;
	/* [2001:db8::1] matches the ABNF with the tag "2001", but the tag
	 * MUST be registered with IANA (only "IPv6" is): it is an IPv6
	 * address that lacks its "IPv6:" tag, the common mistake. */
	if (ipv6(p, n))
		return SYNTAX_ERR_ADDRESS_LITERAL;
	if (len > SYNTAX_DOMAIN_MAX)
		return SYNTAX_ERR_DOMAIN_TOO_LONG;
	*kind = SYNTAX_HOST_GENERAL;
	return SYNTAX_OK;
}

/* local_part - scan the Local-part at the start of s (Dot-string or
 * Quoted-string, 4.1.2; with utf8, RFC 6531 3.3 adds UTF-8 to atext and
 * qtextSMTP) and store its length in *used */
static enum syntax_error local_part(const char *s, size_t len, int utf8,
    struct syntax_path *out, size_t *used)
{
	size_t i = 0, start, n;

	if (len > 0 && s[0] == '"') {
		out->quoted = 1;
		for (i = 1;; i++) {
			unsigned char c;

			if (i >= len)
				return SYNTAX_ERR_LOCAL_PART;
			c = (unsigned char)s[i];
			if (c == '"')
				break;
			if (c == '\\') {
				/* quoted-pairSMTP = %d92 %d32-126 */
				if (++i >= len)
					return SYNTAX_ERR_LOCAL_PART;
				c = (unsigned char)s[i];
				if (c >= 0x80 && !utf8)
					return SYNTAX_ERR_NON_ASCII;
				if (c < 32 || c > 126)
					return SYNTAX_ERR_LOCAL_PART;
			} else if (c >= 0x80) {
				if (!utf8)
					return SYNTAX_ERR_NON_ASCII;
				if ((n = utf8_len(s + i, len - i)) == 0)
					return SYNTAX_ERR_LOCAL_PART;
				out->utf8 = 1;
				i += n - 1;
			} else if (c < 32 || c == 127) {
				return SYNTAX_ERR_LOCAL_PART;
			}
		}
		*used = i + 1;
		return SYNTAX_OK;
	}
	/* Dot-string = Atom *("." Atom), Atom = 1*atext */
	for (;;) {
		start = i;
		while (i < len) {
			unsigned char c = (unsigned char)s[i];

			if (c >= 0x80) {
				if (!utf8)
					return SYNTAX_ERR_NON_ASCII;
				if ((n = utf8_len(s + i, len - i)) == 0)
					return SYNTAX_ERR_LOCAL_PART;
				out->utf8 = 1;
				i += n;
			} else if (is_atext(c)) {
				i++;
			} else {
				break;
			}
		}
		if (i == start)
			return SYNTAX_ERR_LOCAL_PART;
		if (i < len && s[i] == '.') {
			i++;
			continue;
		}
		break;
	}
	*used = i;
	return SYNTAX_OK;
}

/* route - A-d-l = At-domain *( "," At-domain ), At-domain = "@" Domain,
 * followed by ":" (4.1.2); s starts at the first "@" */
static enum syntax_error route(const char *s, size_t len, int utf8,
    struct syntax_path *out, size_t *used)
{
	size_t i = 0, start, hops = 0;
	enum syntax_error e;

	for (;;) {
		start = ++i;	/* past the "@" */
		while (i < len && s[i] != ',' && s[i] != ':' && s[i] != '>')
			i++;
		hops++;
		if (i == len)
			return SYNTAX_ERR_PATH;
		/* "<@example.org>" is a mailbox without its local part */
		if (s[i] == '>' && hops == 1)
			return SYNTAX_ERR_LOCAL_PART;
		if (s[i] == '>')
			return SYNTAX_ERR_PATH;
		if ((e = domain(s + start, i - start, utf8, &out->utf8)))
			return e;
		if (s[i] == ':')
			break;
		if (i + 1 >= len || s[i + 1] != '@')
			return SYNTAX_ERR_PATH;
		i++;
	}
	out->had_route = 1;
	*used = i + 1;
	return SYNTAX_OK;
}

/* path - scan the path at the start of s: "<>", "<Postmaster>" or
 * Path = "<" [ A-d-l ":" ] Mailbox ">" (4.1.2), and store its length */
static enum syntax_error path(const char *s, size_t len,
    const struct syntax_opts *opts, struct syntax_path *out, size_t *used)
{
	size_t i = 1, n, j;
	enum syntax_error e;
	int utf8 = opts->smtputf8;

	*out = (struct syntax_path){ .host_kind = SYNTAX_HOST_NONE };
	if (len == 0 || s[0] != '<')
		return SYNTAX_ERR_NO_BRACKETS;
	if (len >= 2 && s[1] == '>') {
		out->null = 1;
		*used = 2;
		return SYNTAX_OK;
	}
	if (i < len && s[i] == '@') {
		if ((e = route(s + i, len - i, utf8, out, &n)))
			return e;
		i += n;
	}
	if ((e = local_part(s + i, len - i, utf8, out, &n)))
		return e;
	out->local.p = s + i;
	out->local.len = n;
	i += n;
	if (i == len)
		return SYNTAX_ERR_NO_BRACKETS;
	if (s[i] == '>') {
		/* 4.1.1.3: "<Postmaster>", case-insensitive, RCPT only */
		if (!out->quoted && !out->had_route &&
		    ascii_ieq(out->local.p, n, "Postmaster")) {
			out->postmaster = 1;
			*used = i + 1;
			return SYNTAX_OK;
		}
		return SYNTAX_ERR_NO_DOMAIN;
	}
	if (s[i] != '@')
		return SYNTAX_ERR_LOCAL_PART;
	if (n > SYNTAX_LOCAL_MAX)
		return SYNTAX_ERR_LOCAL_TOO_LONG;
	j = ++i;
	if (i < len && s[i] == '[') {
		/* dcontent excludes "]", so the literal ends at the first */
		while (i < len && s[i] != ']')
			i++;
		if (i == len)
			return SYNTAX_ERR_ADDRESS_LITERAL;
		i++;
		if ((e = literal(s + j, i - j, &out->host_kind)))
			return e;
	} else {
		/* a Domain holds no ">" */
		while (i < len && s[i] != '>')
			i++;
		if (i == len)
			return SYNTAX_ERR_NO_BRACKETS;
		if ((e = domain(s + j, i - j, utf8, &out->utf8)))
			return e;
		out->host_kind = SYNTAX_HOST_DOMAIN;
	}
	out->host.p = s + j;
	out->host.len = i - j;
	if (i == len)
		return SYNTAX_ERR_NO_BRACKETS;
	if (s[i] != '>')
		return SYNTAX_ERR_PATH;
	if (++i > SYNTAX_PATH_MAX)
		return SYNTAX_ERR_PATH_TOO_LONG;
	*used = i;
	return SYNTAX_OK;
}

/* params - esmtp-param *(SP esmtp-param) (4.1.2), kept in cmd->params;
 * several spaces between parameters are tolerated */
static enum syntax_error params(const char *s, size_t len,
    const struct syntax_opts *opts, struct syntax_cmd *cmd)
{
	size_t i = 0, k, n;

	for (;;) {
		struct syntax_param prm = { { 0 }, { 0 } };

		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			return SYNTAX_OK;
		/* esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-") */
		prm.keyword.p = s + i;
		if (!ascii_is_alnum((unsigned char)s[i]))
			return SYNTAX_ERR_PARAM;
		while (i < len && is_keyword_char((unsigned char)s[i]))
			i++;
		prm.keyword.len = (size_t)(s + i - prm.keyword.p);
		if (i < len && s[i] == '=') {
			/* esmtp-value = 1*(%d33-60 / %d62-126); RFC 6531
			 * 3.3 adds UTF-8 */
			prm.value.p = s + ++i;
			while (i < len && s[i] != ' ') {
				unsigned char c = (unsigned char)s[i];

				if (c >= 0x80) {
					if (!opts->smtputf8)
						return SYNTAX_ERR_NON_ASCII;
					if ((n = utf8_len(s + i, len - i)) == 0)
						return SYNTAX_ERR_PARAM;
					i += n;
					continue;
				}
				if (c < 33 || c > 126 || c == '=')
					return SYNTAX_ERR_PARAM;
				i++;
			}
			prm.value.len = (size_t)(s + i - prm.value.p);
			if (prm.value.len == 0)
				return SYNTAX_ERR_PARAM;
		}
		if (i < len && s[i] != ' ')
			return SYNTAX_ERR_PARAM;
		for (k = 0; k < cmd->nparams; k++)
			if (ci_span_equal(&cmd->params[k].keyword,
			    &prm.keyword))
				return SYNTAX_ERR_DUPLICATE_PARAM;
		if (cmd->nparams == SYNTAX_PARAMS_MAX)
			return SYNTAX_ERR_TOO_MANY_PARAMS;
		cmd->params[cmd->nparams++] = prm;
	}
}

/* mail_rcpt - the argument of MAIL ("FROM:" Reverse-path, 4.1.1.2) or
 * RCPT ("TO:" ( "<Postmaster>" / Forward-path ), 4.1.1.3), with its
 * parameters */
static enum syntax_error mail_rcpt(const char *a, size_t alen, int is_mail,
    const struct syntax_opts *opts, struct syntax_cmd *cmd)
{
	const char *kw = is_mail ? "FROM:" : "TO:";
	size_t kwlen = is_mail ? 5 : 3, used;
	enum syntax_error e;

	if (alen < kwlen || !ascii_ieq(a, kwlen, kw))
		return is_mail ? SYNTAX_ERR_FROM_EXPECTED :
		    SYNTAX_ERR_TO_EXPECTED;
	a += kwlen;
	alen -= kwlen;
	/* 3.3: "spaces are not permitted on either side of the colon" */
	if (alen > 0 && a[0] == ' ') {
		if (!opts->lenient)
			return SYNTAX_ERR_SPACE_AFTER_COLON;
		cmd->lenient_space_after_colon = 1;
		while (alen > 0 && a[0] == ' ') {
			a++;
			alen--;
		}
	}
	if ((e = path(a, alen, opts, &cmd->path, &used)))
		return e;
	if (is_mail && cmd->path.postmaster) {
		cmd->path.postmaster = 0;
		return SYNTAX_ERR_NO_DOMAIN;
	}
	if (!is_mail && cmd->path.null)
		return SYNTAX_ERR_PATH;
	if (used == alen)
		return SYNTAX_OK;
	if (a[used] != ' ')
		return SYNTAX_ERR_PARAM;
	return params(a + used, alen - used, opts, cmd);
}

/* hello - the argument of EHLO ( Domain / address-literal ) or HELO
 * (Domain only), 4.1.1.1.  A literal given to HELO is still classified
 * in cmd->host_kind, so that the mistake can be explained. */
static enum syntax_error hello(const char *a, size_t alen, int is_ehlo,
    struct syntax_cmd *cmd)
{
	enum syntax_error e;
	enum syntax_host_kind kind;
	int saw_utf8 = 0;

	if (alen == 0)
		return SYNTAX_ERR_NO_ARGUMENT;
	if (a[0] == '[') {
		if ((e = literal(a, alen, &kind)))
			return e;
	} else {
		if ((e = domain(a, alen, 0, &saw_utf8)))
			return e;
		kind = SYNTAX_HOST_DOMAIN;
	}
	cmd->host.p = a;
	cmd->host.len = alen;
	cmd->host_kind = kind;
	if (!is_ehlo && kind != SYNTAX_HOST_DOMAIN)
		return SYNTAX_ERR_DOMAIN;
	return SYNTAX_OK;
}

enum syntax_error syntax_parse_command(const char *line, size_t len,
    const struct syntax_opts *opts, struct syntax_cmd *cmd)
{
	struct syntax_opts defaults = { 0, 0, 0 };
	size_t max, v, i, alen;
	const char *a;

	if (opts == NULL)
		opts = &defaults;
	*cmd = (struct syntax_cmd){ .host_kind = SYNTAX_HOST_NONE };
	cmd->path.host_kind = SYNTAX_HOST_NONE;
	if (len == 0)
		return SYNTAX_ERR_EMPTY;
	/* the verb first, so that it is known whatever else is wrong */
	for (v = 0; v < len && is_keyword_char((unsigned char)line[v]); v++)
		;
	if (v > 0) {
		cmd->verb.p = line;
		cmd->verb.len = v;
	}
	cmd->arg.p = line + v;
	max = opts->line_max ? opts->line_max : SYNTAX_LINE_MAX;
	if (max < 2 || len > max - 2)
		return SYNTAX_ERR_LINE_TOO_LONG;
	for (i = 0; i < len; i++) {
		if (line[i] == 0)
			return SYNTAX_ERR_NUL;
		if (line[i] == '\r' || line[i] == '\n')
			return SYNTAX_ERR_BARE_CR;
	}
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len)
		return SYNTAX_ERR_EMPTY;
	/* the verb ends at a space or the end of the line; "DATA<TAB>" is
	 * only trailing white space */
	if (v == 0)
		return SYNTAX_ERR_VERB;
	if (v < len && line[v] != ' ') {
		for (i = v; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
			;
		if (i < len)
			return SYNTAX_ERR_VERB;
	}
	if (v < len) {
		cmd->arg.p = line + v + 1;
		cmd->arg.len = len - v - 1;
	}
	/* 4.1.1: receivers SHOULD tolerate trailing white space */
	a = cmd->arg.p;
	alen = cmd->arg.len;
	while (alen > 0 && (a[alen - 1] == ' ' || a[alen - 1] == '\t'))
		alen--;

	if (syntax_verb_is(&cmd->verb, "EHLO"))
		return hello(a, alen, 1, cmd);
	if (syntax_verb_is(&cmd->verb, "HELO"))
		return hello(a, alen, 0, cmd);
	if (syntax_verb_is(&cmd->verb, "MAIL"))
		return mail_rcpt(a, alen, 1, opts, cmd);
	if (syntax_verb_is(&cmd->verb, "RCPT"))
		return mail_rcpt(a, alen, 0, opts, cmd);
	/* 4.1.1: "Several commands (RSET, DATA, QUIT) are specified as not
	 * permitting parameters"; RFC 3207 4 says the same of STARTTLS */
	if (syntax_verb_is(&cmd->verb, "DATA") ||
	    syntax_verb_is(&cmd->verb, "RSET") ||
	    syntax_verb_is(&cmd->verb, "QUIT") ||
	    syntax_verb_is(&cmd->verb, "STARTTLS"))
		return alen ? SYNTAX_ERR_UNEXPECTED_ARGUMENT : SYNTAX_OK;
	/* vrfy = "VRFY" SP String, expn = "EXPN" SP String (4.1.1.6-7) */
	if (syntax_verb_is(&cmd->verb, "VRFY") ||
	    syntax_verb_is(&cmd->verb, "EXPN"))
		return alen ? SYNTAX_OK : SYNTAX_ERR_NO_ARGUMENT;
	/* NOOP and HELP take an optional string; other verbs are the
	 * caller's business (500 for an unknown one) */
	return SYNTAX_OK;
}

enum syntax_error syntax_parse_path(const char *s, size_t len,
    const struct syntax_opts *opts, struct syntax_path *out)
{
	struct syntax_opts defaults = { 0, 0, 0 };
	enum syntax_error e;
	size_t used;

	if (opts == NULL)
		opts = &defaults;
	if ((e = path(s, len, opts, out, &used)))
		return e;
	return used == len ? SYNTAX_OK : SYNTAX_ERR_PATH;
}

enum syntax_error syntax_parse_domain(const char *s, size_t len)
{
	int saw_utf8 = 0;

	return domain(s, len, 0, &saw_utf8);
}

enum syntax_error syntax_parse_address_literal(const char *s, size_t len,
    enum syntax_host_kind *kind)
{
	enum syntax_host_kind k;
	enum syntax_error e = literal(s, len, &k);

	if (kind)
		*kind = k;
	return e;
}

int syntax_verb_is(const struct syntax_span *verb, const char *name)
{
	return verb->p != NULL && ascii_ieq(verb->p, verb->len, name);
}

const struct syntax_param *syntax_param_find(const struct syntax_cmd *cmd,
    const char *name)
{
	size_t i;

	for (i = 0; i < cmd->nparams && i < SYNTAX_PARAMS_MAX; i++)
		if (ascii_ieq(cmd->params[i].keyword.p,
		    cmd->params[i].keyword.len, name))
			return &cmd->params[i];
	return NULL;
}

/* xtext = *( xchar / hexchar ); xchar = "!" to "~" except "+" and "=";
 * hexchar = "+" followed by two upper-case hexadecimal digits (RFC 3461 4) */
long syntax_xtext_decode(const char *s, size_t len, char *out, size_t size)
{
	size_t i = 0, n = 0;

	if (out == NULL || size == 0)
		return -1;
	out[0] = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		int v;

		if (c == '+') {
			int hi, lo;

			if (len - i < 3)
				return -1;
			hi = upper_hex((unsigned char)s[i + 1]);
			lo = upper_hex((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			v = hi * 16 + lo;
			i += 3;
		} else if (c >= 33 && c <= 126 && c != '=') {
			v = c;
			i++;
		} else {
			return -1;
		}
		if (n + 1 >= size || n >= LONG_MAX)
			return -1;
		((unsigned char *)out)[n++] = (unsigned char)v;
		out[n] = 0;
	}
	return (long)n;
}
