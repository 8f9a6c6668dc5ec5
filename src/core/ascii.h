/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ascii.h - ASCII character classes for the protocol parsers
 *
 * SMTP's grammar is defined on ASCII octets; <ctype.h> follows the locale,
 * so the core uses these instead.
 */
#ifndef SMTPREF_ASCII_H
#define SMTPREF_ASCII_H

#include <stddef.h>

static inline int ascii_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int ascii_is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* ALPHA / DIGIT, which RFC 5321 4.1.2 calls Let-dig */
static inline int ascii_is_alnum(int c)
{
	return ascii_is_alpha(c) || ascii_is_digit(c);
}

static inline int ascii_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static inline int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ascii_ieq - s[0..len) equals the NUL-terminated word, ignoring ASCII case */
static inline int ascii_ieq(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (word[i] == 0 || ascii_lower((unsigned char)s[i]) !=
		    ascii_lower((unsigned char)word[i]))
			return 0;
	return word[len] == 0;
}

#endif
