/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tx.c - making items */
#include <config.h>

#include "core/tx.h"

#include "core/printable.h"

#include <stdio.h>
#include <string.h>

#include "core/ascii.h"

void tx_vemitf(const struct tx_sink *s, enum tx_kind kind, const char *label,
    const char *fmt, va_list ap)
{
	char buf[2048];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);

	if (n < 0)
		return;
	tx_emit(s, kind, label, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void tx_emitf(const struct tx_sink *s, enum tx_kind kind, const char *label,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_vemitf(s, kind, label, fmt, ap);
	va_end(ap);
}

size_t tx_printable(const char *s, size_t n, char *out, size_t size)
{
	/* the one function that makes text from outside safe to show */
	return printable_text(s, n, out, size, PRINTABLE_TAB_SPACE);
}

const char *tx_marker(enum tx_kind kind, int tls)
{
	switch (kind) {
	case TX_SENT: return tls ? " ~> " : " -> ";
	case TX_RECEIVED: return tls ? "<~  " : "<-  ";
	case TX_NOTE: return "=== ";
	case TX_ERROR: case TX_FINDING: return "*** ";
	default: return NULL;
	}
}

size_t tx_item_line(const struct tx_item *it, char *out, size_t size)
{
	const char *m = tx_marker(it->kind, it->tls);
	int n;

	if (m == NULL || size == 0)
		return 0;
	n = snprintf(out, size, "%s%.*s", m, (int)it->len, it->text);
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* ws - the blanks a server may take between words: RFC 4954 4 writes SP,
 * but servers split on any run of SP and HTAB (aiosmtpd splits on any
 * whitespace), and so does the simulated server after the verb */
static int ws(char c)
{
	return c == ' ' || c == '\t';
}

size_t tx_auth_mech(const char *line, size_t len, size_t *mechlen)
{
	size_t i = 0, m;

	while (i < len && ws(line[i]))
		i++;
	if (len - i < 5 || !ascii_ieq(line + i, 4, "AUTH") || !ws(line[i + 4]))
		return 0;
	i += 5;
	while (i < len && ws(line[i]))
		i++;
	for (m = i; m < len && !ws(line[m]); m++)
		;
	*mechlen = m - i;
	return m > i ? i : 0;
}

size_t tx_auth_response(const char *line, size_t len)
{
	size_t mlen, i = tx_auth_mech(line, len, &mlen);

	if (i == 0)
		return 0;
	for (i += mlen; i < len && ws(line[i]); i++)
		;
	return i < len ? i : 0;
}

static const char redacted[] = "*** (a credential: not shown or saved)";

int tx_learner_sent(const struct tx_sink *s, int tls, const char *line,
    size_t len, int in_auth)
{
	struct tx_item it = { .kind = TX_SENT, .tls = tls, .by_learner = 1,
	    .text = line, .len = len };
	char buf[128];

	if (in_auth) {
		it.secret = 1;
		it.text = redacted;
		it.len = sizeof redacted - 1;
	} else if (tx_auth_response(line, len) != 0) {
		/* shown as "AUTH MECH ***", whatever the blanks were */
		size_t mlen, mech = tx_auth_mech(line, len, &mlen);
		int n;

		if (mlen > 40)
			mlen = 40;
		it.secret = 1;
		n = snprintf(buf, sizeof buf, "AUTH %.*s %s", (int)mlen,
		    line + mech, redacted);
		it.len = n > 0 ? (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1 : 0;
		it.text = buf;
	}
	if (s && s->item)
		s->item(s->ctx, &it);
	return it.secret;
}
