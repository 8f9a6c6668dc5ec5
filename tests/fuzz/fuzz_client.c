/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_client.c - libFuzzer harness for the client state machine
 *
 * A hostile server: the first byte picks a scenario (or tracking mode),
 * the rest is cut into replies at every 0xFF byte and handed to the
 * client, which is asked what to send after each one.  Checked: what the
 * client sends is bounded and always ends in CRLF, never holds a bare CR
 * or LF, and every finding has a text and an RFC section.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/client.h"

static void on_finding(void *ctx, const struct client_finding *f)
{
	(void)ctx;
	if ((unsigned)f->kind >= CLIENT_FINDING_LAST || f->text == NULL ||
	    f->section == NULL)
		abort();
}

static void check_sent(const char *out, size_t len, size_t size)
{
	size_t i;

	if (len == 0 || len > size || len < 2 || out[len - 2] != '\r' ||
	    out[len - 1] != '\n')
		abort();
	for (i = 0; i < len; i++) {
		if (out[i] == '\n' && (i == 0 || out[i - 1] != '\r'))
			abort();
		if (out[i] == '\r' && (i + 1 == len || out[i + 1] != '\n'))
			abort();
	}
}

/* drain - let the client send; at most a few rounds per reply */
static int drain(struct client *c, char *out, size_t size)
{
	int k;

	for (k = 0; k < 16; k++) {
		size_t len = 0;
		enum client_action a = client_next(c, out, size, &len);

		if (a == CLIENT_SEND) {
			/* a BDAT chunk is opaque: only commands are checked */
			if (len >= 4 && memcmp(out, "BDAT", 4) != 0)
				check_sent(out, len, size);
			continue;
		}
		return a == CLIENT_CLOSE;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 16];
	struct client_sink sink = { NULL, on_finding };
	const struct ref_scenario *sc;
	struct client *c;
	size_t i, start = 1;

	if (size == 0)
		return 0;
	sc = data[0] % (ref_scenario_count + 1) == ref_scenario_count ? NULL :
	    &ref_scenario_table[data[0] % (ref_scenario_count + 1)];
	c = client_new(sc, &sink);
	if (c == NULL)
		return 0;
	if (sc == NULL)
		client_sent(c, "EHLO fuzz.example", 17);
	drain(c, out, sizeof out);
	for (i = 1; i <= size; i++) {
		if (i == size || data[i] == 0xff) {
			if (i > start)
				client_reply(c, (const char *)data + start, i - start);
			start = i + 1;
			if (drain(c, out, sizeof out))
				break;
			if (sc == NULL)
				client_sent(c, "NOOP", 4);
		}
	}
	client_dropped(c);
	drain(c, out, sizeof out);
	client_free(c);
	return 0;
}
