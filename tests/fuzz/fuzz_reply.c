/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_reply.c - libFuzzer harness for the reply parsers
 *
 * Arbitrary bytes, split at LF into lines, go through reply_parse_line,
 * reply_parse_ehlo and the multi-line accumulator; every span the parsers
 * return must lie inside the input.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/reply.h"

static void inside(const char *p, size_t n, const char *base, size_t len)
{
	if (n && (p < base || p + n > base + len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;
	struct reply_acc acc;

	reply_acc_init(&acc);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		struct reply_line l;
		struct reply_ehlo e;
		enum reply_acc_status st;

		if (reply_parse_line(s, len, &l) == REPLY_OK) {
			inside(l.text, l.text_len, s, len);
			inside(l.after_enh, l.after_enh_len, s, len);
			if (l.code < 200 || l.code > 559)
				abort();
			if (reply_parse_ehlo(l.text, l.text_len, &e) == 0) {
				inside(e.keyword, e.keyword_len, s, len);
				inside(e.params, e.params_len, s, len);
			}
		}
		st = reply_acc_line(&acc, s, len);
		if (st != REPLY_ACC_MORE)
			reply_acc_init(&acc);
		s += len + (nl != NULL);
	}
	return 0;
}
