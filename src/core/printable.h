/* SPDX-License-Identifier: GPL-3.0-or-later */
/* printable.h - the one way text from outside reaches a terminal
 *
 * A server's reply, a certificate's names, a transcript or lesson file,
 * a receipt, a command-line argument: any of them may hold octets that a
 * terminal obeys instead of showing (ESC starts a sequence that can set
 * the window title or, with OSC 52, the clipboard; CR returns to the
 * start of the line, so a later text overwrites what came before).
 * Every front end passes such text through printable_text before it
 * draws or prints it; what comes out holds none of them:
 *
 *   - C0 controls (0x00-0x1f), DEL (0x7f) and ESC become \xHH;
 *   - C1 controls become \xHH for each octet, raw (0x80-0x9f) or as
 *     UTF-8 (U+0080-U+009F, c2 80 to c2 9f);
 *   - octets that are not well-formed UTF-8 (stray continuation octets,
 *     overlong forms, surrogates, beyond U+10FFFF) become \xHH;
 *   - Unicode's invisible direction and line controls (U+061C, U+200E,
 *     U+200F, U+2028, U+2029, U+202A-U+202E, U+2066-U+2069), which can
 *     make a line read differently from what it holds, become \xHH too.
 *
 * Everything else (printable ASCII, well-formed UTF-8 text) is kept as
 * it is, so the function is idempotent: its output passes through it
 * unchanged.  Pure: no I/O.
 */
#ifndef SMTPREF_PRINTABLE_H
#define SMTPREF_PRINTABLE_H

#include <stddef.h>

enum {
	PRINTABLE_TAB_SPACE = 1,	/* show a tab as one space */
	PRINTABLE_KEEP_LF = 2		/* keep LF (text of several lines) */
};

/* printable_text - s[0..n) made safe into out, always NUL-terminated
 * (size > 0).  An escape is never cut in half: when out is full, the
 * rest is left out.  Returns how many octets of s were consumed (n when
 * all fit).  Each octet takes at most 4 octets of out. */
size_t printable_text(const char *s, size_t n, char *out, size_t size,
    int flags);

/* printable_dup - the same into a malloc'd string; NULL when out of
 * memory */
char *printable_dup(const char *s, size_t n, int flags);

/* printable_arg - a NUL-terminated string made safe into buf (cut to
 * size - 1 octets, with "..." at the end when it was cut); returns buf.
 * For error messages that echo what the user gave. */
const char *printable_arg(const char *s, char *buf, size_t size);

/* printable_bad - where the first octet printable_text would escape is
 * in s[0..n), or n when there is none; *width is set to the number of
 * octets that make up the offending character (1 to 4) */
size_t printable_bad(const char *s, size_t n, int flags, size_t *width);

#endif
