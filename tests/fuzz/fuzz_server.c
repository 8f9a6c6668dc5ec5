/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_server.c - libFuzzer harness for the simulated server
 *
 * The first byte picks a persona, the next four seed the read sizes; the
 * rest is what a hostile client sends.  It goes to two sessions: to one
 * in a single read, to the other cut into reads of random sizes (1 to
 * 1024 octets, or 64 KiB now and then), as a real connection cuts it.
 * Both model a client that sent everything at once, so for the second,
 * once a read has STARTTLS accepted, the rest is what was already
 * waiting: it goes to server_discard.  Checked:
 *   - the two sessions send the same replies, octet for octet: no read
 *     boundary may change what the server does (a STARTTLS or a BDAT
 *     count at a boundary was how it desynchronised, issue 14);
 *   - every reply is well formed on the wire (a code, '-' or ' ', CRLF
 *     at the end of every line, the same code on every line), and its
 *     code is one the tables allow for the verb it answers or a
 *     session-wide one;
 *   - the explanation layer accepts every reply and event, and what it
 *     says holds no control character (core/printable.h).
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/explain.h"
#include "core/printable.h"
#include "core/server.h"

#define WIRE_KEPT (1 << 20)

struct wire {
	char *buf;
	size_t len;
	int overflow;
	int explain;	/* this session's replies and events are explained */
};

static void line(void *ctx, enum explain_kind kind, const char *text)
{
	size_t w, n;

	(void)ctx;
	if ((unsigned)kind >= EXPLAIN_LAST || text == NULL)
		abort();
	n = strlen(text);
	if (printable_bad(text, n, 0, &w) != n)
		abort();	/* an explanation would put a control on screen */
}

static void keep(struct wire *w, const char *p, size_t n)
{
	if (w->len + n > WIRE_KEPT) {
		w->overflow = 1;
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void on_reply(void *ctx, const struct server_reply *r)
{
	size_t i = 0;

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
	if (((struct wire *)ctx)->explain)
		explain_reply(r, EXPLAIN_FULL, line, NULL);
	keep(ctx, r->wire, r->wire_len);
}

static void on_event(void *ctx, const struct server_event *e)
{
	if (((struct wire *)ctx)->explain)
		explain_event(e, EXPLAIN_FULL, line, NULL);
}

/* next_size - a read's size: mostly small, sometimes a whole 64 KiB */
static size_t next_size(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	switch ((*seed >> 16) % 8) {
	case 0:
		return 1;
	case 1:
		return 65536;
	default:
		return 1 + (*seed >> 8) % 1024;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf_a[WIRE_KEPT], buf_b[WIRE_KEPT];
	struct wire a = { buf_a, 0, 0, 0 }, b = { buf_b, 0, 0, 1 };
	struct server_sink sa = { &a, on_reply, on_event, NULL };
	struct server_sink sb = { &b, on_reply, on_event, NULL };
	const struct ref_persona *p;
	struct server *one, *cut;
	const char *in;
	size_t n, i = 0;
	uint32_t seed;

	if (size < 5)
		return 0;
	p = &ref_persona_table[data[0] % ref_persona_count];
	seed = (uint32_t)data[1] | (uint32_t)data[2] << 8 |
	    (uint32_t)data[3] << 16 | (uint32_t)data[4] << 24;
	in = (const char *)data + 5;
	n = size - 5;
	one = server_new(p, NULL, &sa);
	cut = server_new(p, NULL, &sb);
	if (one == NULL || cut == NULL) {
		server_free(one);
		server_free(cut);
		return 0;
	}
	server_start(one);
	server_start(cut);
	if (n > 0)
		server_feed(one, in, n);
	while (i < n) {
		size_t k = next_size(&seed);

		if (k > n - i)
			k = n - i;
		if (server_feed(cut, in + i, k) != 0)
			break;
		i += k;
		if (server_discarding(cut)) {
			/* what was sent with STARTTLS and is waiting */
			server_discard(cut, n - i);
			break;
		}
	}
	server_eof(one);
	server_eof(cut);
	if (!a.overflow && !b.overflow &&
	    (a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0))
		abort();	/* the read sizes changed what the server said */
	if (server_phase(one) != server_phase(cut))
		abort();
	server_free(one);
	server_free(cut);
	return 0;
}
