/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_client.c - libFuzzer harness for the client state machine and
 * the reply reader
 *
 * A hostile server: the first byte picks a scenario (or tracking mode),
 * the second how the rest arrives.  Even: cut into replies at every 0xFF
 * byte and handed to the client as they are.  Odd: a byte stream, cut
 * into reads of random sizes (seeded by the next four bytes) and pushed
 * through the reply reader (net/net.c) that a real connection uses; each
 * reply it completes goes to the client.  The client is asked what to
 * send after each reply.  Checked: what the client sends is bounded and
 * always ends in CRLF, never holds a bare CR or LF; every finding has a
 * text and an RFC section; and the reader gives the same replies and the
 * same end, whatever the read sizes (the same stream pushed in one
 * piece per NET_CHUNK is read beside it).
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/client.h"
#include "net/net.h"

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

/* next_size - a read's size: mostly small, sometimes a whole chunk */
static size_t next_size(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	switch ((*seed >> 16) % 8) {
	case 0:
		return 1;
	case 1:
		return NET_CHUNK;
	default:
		return 1 + (*seed >> 8) % 700;
	}
}

/* reader_step - push one read and take every complete reply; the
 * replies' octets are appended to log (with their status) for the
 * comparison.  Returns 1 when the stream cannot be read any more. */
static int reader_step(struct net_reader *r, const char *p, size_t n,
    char *log, size_t *loglen, size_t logmax, struct client *c, char *out,
    size_t outsize, int *closed)
{
	enum net_rd st;

	if (net_reader_push(r, p, n) != 0)
		return 1;
	while ((st = net_reader_next(r)) != NET_RD_MORE) {
		if (*loglen + 1 < logmax)
			log[(*loglen)++] = (char)('A' + st);
		if (st != NET_RD_REPLY)
			return 1;
		{
			size_t len;
			const char *reply = net_reader_reply(r, &len);

			if (*loglen + len < logmax) {
				memcpy(log + *loglen, reply, len);
				*loglen += len;
			}
			if (c && !*closed) {
				client_reply(c, reply, len);
				*closed = drain(c, out, outsize);
			}
		}
		net_reader_consume(r);
	}
	return 0;
}

/* stream - the bytes as a server would send them, in random reads */
static void stream(struct client *c, const char *in, size_t n, uint32_t seed,
    char *out, size_t outsize)
{
	static char log_a[1 << 20], log_b[1 << 20];
	struct net_reader ra, rb;
	size_t la = 0, lb = 0, i = 0;
	int closed = 0, dead_a = 0, dead_b = 0;

	net_reader_init(&ra);
	net_reader_init(&rb);
	/* the reference: reads as large as the reader takes */
	while (i < n && !dead_a) {
		size_t k = n - i < NET_CHUNK ? n - i : NET_CHUNK;

		dead_a = reader_step(&ra, in + i, k, log_a, &la, sizeof log_a,
		    NULL, NULL, 0, &closed);
		i += k;
	}
	/* the same stream in random reads, into the client */
	for (i = 0; i < n && !dead_b;) {
		size_t k = next_size(&seed);

		if (k > n - i)
			k = n - i;
		dead_b = reader_step(&rb, in + i, k, log_b, &lb, sizeof log_b,
		    c, out, outsize, &closed);
		i += k;
	}
	if (la != lb || memcmp(log_a, log_b, la) != 0 || dead_a != dead_b)
		abort();	/* the read sizes changed what was read */
	net_reader_free(&ra);
	net_reader_free(&rb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 16];
	struct client_sink sink = { NULL, on_finding };
	const struct ref_scenario *sc;
	struct client *c;
	size_t i, start = 1;

	if (size < 2)
		return 0;
	sc = data[0] % (ref_scenario_count + 1) == ref_scenario_count ? NULL :
	    &ref_scenario_table[data[0] % (ref_scenario_count + 1)];
	c = client_new(sc, &sink);
	if (c == NULL)
		return 0;
	if (sc == NULL)
		client_sent(c, "EHLO fuzz.example", 17);
	drain(c, out, sizeof out);
	if ((data[1] & 1) && size >= 6) {
		uint32_t seed = (uint32_t)data[2] | (uint32_t)data[3] << 8 |
		    (uint32_t)data[4] << 16 | (uint32_t)data[5] << 24;

		stream(c, (const char *)data + 6, size - 6, seed, out, sizeof out);
		client_dropped(c);
		drain(c, out, sizeof out);
		client_free(c);
		return 0;
	}
	start = 2;
	for (i = 2; i <= size; i++) {
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
