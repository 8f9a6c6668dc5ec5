/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tx.c - making items */
#include <config.h>

#include "core/tx.h"

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
	size_t i = 0, o = 0;

	if (size == 0)
		return 0;
	while (i < n && o + 5 < size) {
		unsigned char ch = (unsigned char)s[i];
		size_t k = 0;

		if (ch >= 0x20 && ch < 0x7f)
			k = 1;
		else if (ch >= 0xc2 && ch <= 0xf4) {
			size_t want = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : 2, j;

			for (j = 1; j < want && i + j < n &&
			    ((unsigned char)s[i + j] & 0xc0) == 0x80; j++)
				;
			/* U+0080..U+009F are C1 controls even as UTF-8 */
			if (j == want && !(ch == 0xc2 && (unsigned char)s[i + 1] < 0xa0))
				k = want;
		}
		if (k > 0 && o + k < size) {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		if (ch == '\t') {
			out[o++] = ' ';
			i++;
			continue;
		}
		o += (size_t)snprintf(out + o, size - o, "\\x%02x", ch);
		i++;
	}
	out[o] = 0;
	return i;
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

size_t tx_auth_response(const char *line, size_t len)
{
	size_t i = 0, words = 0;

	if (len < 5 || !ascii_ieq(line, 5, "AUTH "))
		return 0;
	while (i < len) {
		while (i < len && line[i] == ' ')
			i++;
		if (i == len)
			break;
		if (++words == 3)
			return i;
		while (i < len && line[i] != ' ')
			i++;
	}
	return 0;
}

static const char redacted[] = "*** (a credential: not shown or saved)";

int tx_learner_sent(const struct tx_sink *s, int tls, const char *line,
    size_t len, int in_auth)
{
	struct tx_item it = { TX_SENT, tls, 0, 0, 1, NULL, line, len };
	char buf[128];
	size_t keep;

	if (in_auth) {
		it.secret = 1;
		it.text = redacted;
		it.len = sizeof redacted - 1;
	} else if ((keep = tx_auth_response(line, len)) != 0) {
		if (keep > 64)
			keep = 64;
		it.secret = 1;
		it.len = (size_t)snprintf(buf, sizeof buf, "%.*s%s", (int)keep,
		    line, redacted);
		it.text = buf;
	}
	if (s && s->item)
		s->item(s->ctx, &it);
	return it.secret;
}
