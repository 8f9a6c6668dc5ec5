/* SPDX-License-Identifier: GPL-3.0-or-later */
/* printable.c - the one way text from outside reaches a terminal
 * (printable.h says what is escaped and why)
 *
 * UTF-8 is checked as Unicode 15 table 3-7 defines it well-formed, so
 * an overlong form or a surrogate cannot smuggle a control past the
 * check.  Postfix does the same for server replies (printable(), with
 * '?' where we write \xHH so that a learner sees the octet).
 */
#include <config.h>

#include "core/printable.h"

#include <stdlib.h>
#include <string.h>

/* utf8_len - the length of the well-formed UTF-8 character at s[0..n),
 * with its code point in *cp; 0 when the octets are not one */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	/* the second octet's range excludes overlong forms, surrogates and
	 * code points past U+10FFFF */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	*cp = c & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
	for (i = 1; i < len; i++) {
		if (i > 1 && (s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	return len;
}

/* invisible - a code point that changes how a line reads without being
 * seen: C1 controls, and the bidirectional and line-separator marks */
static int invisible(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
	    cp == 0x200f || cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* safe - how many octets at s[0..n) may be shown as they are: the length
 * of one character, or 0 when s[0] must be escaped */
static size_t safe(const char *s, size_t n, int flags)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t len;

	if (u[0] >= 0x20 && u[0] < 0x7f)
		return 1;
	if (u[0] == '\n' && (flags & PRINTABLE_KEEP_LF))
		return 1;
	if (u[0] < 0x80)
		return 0;
	len = utf8_len(u, n, &cp);
	return len > 0 && !invisible(cp) ? len : 0;
}

size_t printable_bad(const char *s, size_t n, int flags, size_t *width)
{
	size_t i = 0, k;

	while (i < n) {
		/* printable ASCII, the common case, at one test an octet */
		while (i < n && (unsigned char)(s[i] - 0x20) < 0x5f)
			i++;
		if (i == n)
			break;
		k = safe(s + i, n - i, flags);
		if (k == 0) {
			unsigned long cp;

			k = utf8_len((const unsigned char *)s + i, n - i, &cp);
			*width = k ? k : 1;
			return i;
		}
		i += k;
	}
	*width = 0;
	return n;
}

size_t printable_text(const char *s, size_t n, char *out, size_t size,
    int flags)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, o = 0;

	if (size == 0)
		return 0;
	while (i < n) {
		size_t k = safe(s + i, n - i, flags);
		unsigned char ch = (unsigned char)s[i];

		if (k > 0) {
			if (o + k >= size)
				break;
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
		} else if (ch == '\t' && (flags & PRINTABLE_TAB_SPACE)) {
			if (o + 1 >= size)
				break;
			out[o++] = ' ';
			i++;
		} else {
			if (o + 4 >= size)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
			i++;
		}
	}
	out[o] = 0;
	return i;
}

char *printable_dup(const char *s, size_t n, int flags)
{
	size_t size = n * 4 + 1;
	char *out;

	if (n > ((size_t)-1 - 1) / 4)
		return NULL;
	out = malloc(size);
	if (out)
		printable_text(s, n, out, size, flags);
	return out;
}

const char *printable_arg(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);

	if (size < 4) {
		if (size > 0)
			buf[0] = 0;
		return buf;
	}
	if (printable_text(s, n, buf, size, 0) < n) {
		/* cut: make room for "..." and cut again */
		printable_text(s, n, buf, size - 3, 0);
		strcat(buf, "...");
	}
	return buf;
}
