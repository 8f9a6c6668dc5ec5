/* SPDX-License-Identifier: GPL-3.0-or-later */
/* server.c - commands per second through the simulated server, in-process
 *
 * A realistic session (EHLO, then many transactions of MAIL, three RCPT,
 * DATA with a twenty-line message, and a final QUIT) is fed to the server
 * state machine one command per read, as the shell does.  The baseline,
 * measured in the same run, is the least any line-oriented server must
 * do with the same bytes: find each line end and copy the line.  The
 * ratio says what the state machine, the parser and the replies cost on
 * top of that.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/server.h"

#define TRANSACTIONS 2000
#define ROUNDS 9

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct session {
	char *text;
	size_t len;
	size_t *starts;		/* where each read begins */
	size_t nreads;
	size_t commands;	/* SMTP commands (message lines not counted) */
};

static void add(struct session *s, size_t *cap, const char *line, int is_read,
    int is_command)
{
	size_t n = strlen(line);

	if (s->len + n + 2 > *cap) {
		*cap = (*cap + n + 2) * 2;
		s->text = realloc(s->text, *cap);
		if (s->text == NULL)
			exit(1);
	}
	if (is_read)
		s->starts[s->nreads++] = s->len;
	memcpy(s->text + s->len, line, n);
	memcpy(s->text + s->len + n, "\r\n", 2);
	s->len += n + 2;
	s->commands += (size_t)is_command;
}

static void build(struct session *s)
{
	size_t cap = 1 << 20, t, l;
	char body[80];

	memset(s, 0, sizeof *s);
	s->text = malloc(cap);
	s->starts = malloc(sizeof *s->starts * (TRANSACTIONS * 7 + 4));
	if (s->text == NULL || s->starts == NULL)
		exit(1);
	add(s, &cap, "EHLO client.example.com", 1, 1);
	for (t = 0; t < TRANSACTIONS; t++) {
		add(s, &cap, "MAIL FROM:<ann@example.com> SIZE=900", 1, 1);
		add(s, &cap, "RCPT TO:<alice@example.org>", 1, 1);
		add(s, &cap, "RCPT TO:<postmaster@example.org>", 1, 1);
		add(s, &cap, "RCPT TO:<bob@example.org>", 1, 1);
		add(s, &cap, "DATA", 1, 1);
		/* the message is one read, as a client writes it */
		add(s, &cap, "Subject: benchmark", 1, 0);
		add(s, &cap, "", 0, 0);
		for (l = 0; l < 18; l++) {
			snprintf(body, sizeof body, "%sline %zu of a message of the benchmark session",
			    l % 5 == 0 ? "." : "", l);
			add(s, &cap, body, 0, 0);
		}
		add(s, &cap, ".", 0, 1);
	}
	add(s, &cap, "QUIT", 1, 1);
}

static size_t replies;

static void on_reply(void *ctx, const struct server_reply *r)
{
	(void)ctx;
	replies += r->wire_len > 0;
}

static double run_server(const struct session *s)
{
	struct server_sink sink = { NULL, on_reply, NULL, NULL };
	struct server *srv = server_new(NULL, NULL, &sink);
	double t0 = now();
	size_t i;

	replies = 0;
	server_start(srv);
	for (i = 0; i < s->nreads; i++) {
		size_t end = i + 1 < s->nreads ? s->starts[i + 1] : s->len;

		server_feed(srv, s->text + s->starts[i], end - s->starts[i]);
	}
	t0 = now() - t0;
	/* every command answered (and the greeting): a session the server
	 * closed early, after too many errors, would measure nothing */
	if (server_phase(srv) != SERVER_CLOSED || replies != s->commands + 1) {
		fprintf(stderr, "bench/server: the session did not run to its QUIT (%zu replies to %zu commands)\n",
		    replies, s->commands);
		exit(1);
	}
	server_free(srv);
	return t0;
}

static volatile unsigned long sink_sum;

static double run_baseline(const struct session *s)
{
	static char line[2048];
	double t0 = now();
	size_t i, pos = 0;
	unsigned long sum = 0;

	for (i = 0; i < s->nreads; i++) {
		size_t end = i + 1 < s->nreads ? s->starts[i + 1] : s->len;

		pos = s->starts[i];
		while (pos < end) {
			const char *lf = memchr(s->text + pos, '\n', end - pos);
			size_t n = (size_t)(lf - (s->text + pos)) + 1;

			memcpy(line, s->text + pos, n < sizeof line ? n : sizeof line);
			sum += (unsigned char)line[0] + n;
			pos += n;
		}
	}
	sink_sum = sum;
	return now() - t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	struct session s;
	double ts[ROUNDS], tb[ROUNDS], ms, mb;
	int r;

	build(&s);
	run_server(&s);		/* warm-up */
	run_baseline(&s);
	for (r = 0; r < ROUNDS; r++) {
		ts[r] = run_server(&s);
		tb[r] = run_baseline(&s);
	}
	qsort(ts, ROUNDS, sizeof ts[0], cmp);
	qsort(tb, ROUNDS, sizeof tb[0], cmp);
	ms = ts[ROUNDS / 2];
	mb = tb[ROUNDS / 2];
	printf("server state machine: %zu commands (%zu octets, %zu reads) per session\n",
	    s.commands, s.len, s.nreads);
	printf("  median of %d sessions: %.2f ms, %.0f commands/s\n", ROUNDS,
	    ms * 1e3, (double)s.commands / ms);
	printf("  baseline (find and copy each line of the same reads): %.3f ms\n",
	    mb * 1e3);
	printf("  ratio server/baseline: %.1fx\n", ms / mb);
	free(s.text);
	free(s.starts);
	return 0;
}
