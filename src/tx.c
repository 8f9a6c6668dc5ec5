/* tx.c - making items */
#include <config.h>

#include "tx.h"

#include <stdio.h>

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
