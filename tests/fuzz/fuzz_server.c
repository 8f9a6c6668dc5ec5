/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_server.c - libFuzzer harness for the simulated server
 *
 * The first byte picks a persona; the rest is cut into reads at every
 * 0xFF byte and fed to one session, as a hostile client would send it.
 * Checked: every reply is well formed on the wire (a code, '-' or ' ',
 * CRLF at the end of every line, the same code on every line), its code
 * is one the tables allow for the verb it answers or a session-wide one,
 * and the explanation layer accepts every reply and event.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/explain.h"
#include "core/server.h"

static void line(void *ctx, enum explain_kind kind, const char *text)
{
	(void)ctx;
	if ((unsigned)kind >= EXPLAIN_LAST || text == NULL)
		abort();
}

static void on_reply(void *ctx, const struct server_reply *r)
{
	size_t i = 0;

	(void)ctx;
	if (r->code < 200 || r->code > 559 || r->wire_len < 6)
		abort();
	while (i < r->wire_len) {
		const char *nl = memchr(r->wire + i, '\n', r->wire_len - i);

		if (nl == NULL || nl == r->wire + i || nl[-1] != '\r')
			abort();
		if (r->wire[i] - '0' != r->code / 100 ||
		    (r->wire[i + 3] != ' ' && r->wire[i + 3] != '-'))
			abort();
		i = (size_t)(nl - r->wire) + 1;
	}
	if (!server_reply_allowed(r->verb[0] ? r->verb : "NOOP", r->code) &&
	    r->code != 502 && r->code != 503 && r->code != 521 && r->code != 530)
		abort();
	explain_reply(r, EXPLAIN_FULL, line, NULL);
}

static void on_event(void *ctx, const struct server_event *e)
{
	(void)ctx;
	explain_event(e, EXPLAIN_FULL, line, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct server_sink sink = { NULL, on_reply, on_event, NULL };
	struct server *s;
	size_t i = 1, start = 1;

	if (size == 0)
		return 0;
	s = server_new(&ref_persona_table[data[0] % ref_persona_count], NULL,
	    &sink);
	if (s == NULL)
		return 0;
	server_start(s);
	for (i = 1; i <= size; i++) {
		if (i == size || data[i] == 0xff) {
			if (i > start)
				server_feed(s, (const char *)data + start, i - start);
			start = i + 1;
		}
	}
	server_eof(s);
	server_free(s);
	return 0;
}
