/* SPDX-License-Identifier: GPL-3.0-or-later */
/* simulate.c - smtpref simulate: stdin and stdout as the server's end of
 * a connection
 *
 * Each line of stdin is one read of the connection, as a client that
 * waits for every reply writes them; with --reads each read(2) is one,
 * so what comes in one read is a pipelined group: the server answers
 * every command as soon as it is complete, and input that came with
 * STARTTLS (in the same read, or already waiting in stdin when the 220
 * is sent) is discarded, as a real server must.
 * Replies are written and flushed exactly as on the wire (CRLF).  With
 * --explain, explanation lines follow each reply, each starting with
 * "# " so that a script can drop them (grep -v '^#').
 */
#include <config.h>

#include "cli/simulate.h"

#include "core/client.h"
#include "core/explain.h"
#include "core/reply.h"
#include "core/ref.h"
#include "core/server.h"
#include "core/printable.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_MAX 65536		/* one read of stdin, or one line of it */

struct sim {
	enum explain_level level;
	int quit;		/* a 221 was sent */
	int failed;		/* writing stdout failed */
	/* explanations of events, held back until the reply they belong
	 * to has been written */
	struct explain_hold held;
};

static void out(struct sim *m, const char *p, size_t n)
{
	if (!m->failed && fwrite(p, 1, n, stdout) != n)
		m->failed = 1;
}

static void explain_line(void *ctx, enum explain_kind kind, const char *text)
{
	struct sim *m = ctx;
	char pre[32];
	int n = snprintf(pre, sizeof pre, "# %-8s ", explain_kind_str(kind));

	out(m, pre, (size_t)n);
	out(m, text, strlen(text));
	out(m, "\n", 1);
}

static void flush_held(struct sim *m)
{
	explain_hold_flush(&m->held);
	if (fflush(stdout) != 0)
		m->failed = 1;
}

static void on_reply(void *ctx, const struct server_reply *r)
{
	struct sim *m = ctx;

	out(m, r->wire, r->wire_len);
	if (r->code == 221)
		m->quit = 1;
	explain_reply(r, m->level, explain_line, m);
	flush_held(m);
}

static void on_event(void *ctx, const struct server_event *e)
{
	struct sim *m = ctx;

	explain_event(e, m->level, explain_hold_line, &m->held);
}

/* on_line_done - what the server says of a line after its reply goes
 * with that reply, not the next */
static void on_line_done(void *ctx)
{
	flush_held(ctx);
}

/* drain - STARTTLS was accepted at the end of a read: what stdin
 * already holds came with it and is thrown away, however the reads cut
 * it (RFC 3207 5, CVE-2011-0411); from a regular file, that is all the
 * rest.  Returns 1 when input ended. */
static int drain(struct server *s, char *buf, size_t size)
{
	struct pollfd pfd = { 0, POLLIN, 0 };
	size_t total = 0;
	int ended = 0;

	while (poll(&pfd, 1, 0) > 0) {
		ssize_t n = read(0, buf, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ended = 1;
			break;
		}
		total += (size_t)n;
	}
	server_discard(s, total);
	return ended;
}

static void usage(FILE *f)
{
	fputs(
"Usage: smtpref simulate [--persona NAME] [--explain[=brief|full]]\n"
"       smtpref simulate --role server [--scenario NAME] [--explain[=LEVEL]]\n"
"\n"
"Play a simulated SMTP server on standard input and output: the greeting\n"
"is written first, then each command read from stdin is answered exactly\n"
"as on the wire (CRLF line endings).  End of input is a dropped connection.\n"
"Each line is one read of the connection, as a client that waits for\n"
"every reply writes it; with --reads, what one read(2) returns is one\n"
"read, so lines that come together are a pipelined group (RFC 2920).\n"
"\n"
"With --role server you play the server: the simulated client writes its\n"
"commands to stdout and reads your replies from stdin (start with a\n"
"greeting such as 220 mx.example.org).\n"
"\n"
"  -p, --persona NAME   the server to play (smtpref list personas);\n"
"                       default: modern\n"
"  -r, --role ROLE      client (you send commands; the default) or server\n"
"                       (you send replies)\n"
"  -s, --scenario NAME  what the simulated client does (smtpref list\n"
"                       scenarios); default: plain\n"
"  -e, --explain[=LEVEL]  add explanation lines starting with '# '\n"
"                       (LEVEL brief or full; default full)\n"
"      --reads          one read(2) of stdin is one read of the connection\n"
"  -h, --help           show this help and exit\n"
"\n"
"Exit status: 0 the session ended with QUIT (221), 1 it ended otherwise,\n"
"2 usage error.\n"
"\n"
"Examples:\n"
"  printf 'EHLO me.example\\r\\nQUIT\\r\\n' | smtpref simulate --persona rfc821\n"
"  smtpref simulate --role server --scenario several-recipients\n", f);
}

/* ---- the learner plays the server ---------------------------------- */

static void on_finding(void *ctx, const struct client_finding *f)
{
	struct sim *m = ctx;
	char line[2048];
	int n;

	if (m->level == EXPLAIN_OFF && f->kind == CLIENT_DECISION)
		return;
	if (f->kind == CLIENT_DIFFERS && f->expected == 0)
		n = snprintf(line, sizeof line, "# %-8s a conforming server would close the connection without a reply: %s (%s)\n",
		    client_finding_label(f->kind), f->text, f->section);
	else if (f->kind == CLIENT_DIFFERS)
		n = snprintf(line, sizeof line, "# %-8s a conforming server would answer %d%s%s: %s (%s)\n",
		    client_finding_label(f->kind), f->expected,
		    f->expected_enh && *f->expected_enh ? " " : "",
		    f->expected_enh ? f->expected_enh : "", f->text, f->section);
	else
		n = snprintf(line, sizeof line, "# %-8s %s (%s)\n",
		    client_finding_label(f->kind), f->text, f->section);
	if (n > 0)
		out(m, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* client_turn - let the client send all it wants to; 1 when it is done */
static int client_turn(struct sim *m, struct client *c, char *buf, size_t size)
{
	for (;;) {
		size_t len = 0;
		enum client_action a = client_next(c, buf, size, &len);

		if (a == CLIENT_SEND) {
			out(m, buf, len);
			continue;
		}
		if (a == CLIENT_RECONNECT) {
			static const char msg[] =
			    "# client   the connection is gone; the client connects again: send a new greeting\n";

			out(m, msg, sizeof msg - 1);
			continue;
		}
		if (fflush(stdout) != 0)
			m->failed = 1;
		return a == CLIENT_CLOSE;
	}
}

static int play_server(struct sim *m, const struct ref_scenario *sc)
{
	struct client_sink sink = { m, on_finding };
	struct client *c = client_new(sc, &sink);
	static char buf[1 << 16], reply[1 << 16];
	size_t rlen = 0;
	struct reply_acc acc;
	char line[4096];
	int done;

	if (c == NULL) {
		fputs("smtpref simulate: out of memory\n", stderr);
		return 1;
	}
	reply_acc_init(&acc);
	done = client_turn(m, c, buf, sizeof buf);
	while (!done && !m->failed && fgets(line, sizeof line, stdin)) {
		size_t n = strlen(line);
		enum reply_acc_status st;

		/* a line longer than the buffer: keep its start, drop the rest */
		if (n == sizeof line - 1 && line[n - 1] != '\n') {
			int ch;

			while ((ch = getchar()) != EOF && ch != '\n')
				;
			line[n - 1] = '\n';
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		st = reply_acc_line(&acc, line, n);
		if (rlen + n + 2 <= sizeof reply) {
			memcpy(reply + rlen, line, n);
			memcpy(reply + rlen + n, "\r\n", 2);
			rlen += n + 2;
		}
		if (st == REPLY_ACC_MORE)
			continue;
		if (rlen >= 3 && memcmp(reply, "221", 3) == 0)
			m->quit = 1;
		client_reply(c, reply, rlen);
		rlen = 0;
		reply_acc_init(&acc);
		done = client_turn(m, c, buf, sizeof buf);
	}
	if (!done) {
		client_dropped(c);
		done = client_turn(m, c, buf, sizeof buf);
	}
	done = client_phase(c) == CLIENT_DONE && m->quit;
	client_free(c);
	return m->failed ? 1 : done ? 0 : 1;
}

/* feed_lines - what was read: each whole line as one read of the
 * connection (or all of it, with --reads, or a line that fills the
 * buffer); the octets of an unfinished line move to the front of buf,
 * and their count is returned */
static size_t feed_lines(struct server *s, char *buf, size_t len, int reads)
{
	size_t off = 0;

	if (reads) {
		server_feed(s, buf, len);
		return 0;
	}
	while (off < len && server_phase(s) != SERVER_CLOSED) {
		char *lf = memchr(buf + off, '\n', len - off);

		if (lf == NULL)
			break;
		server_feed(s, buf + off, (size_t)(lf - buf) + 1 - off);
		off = (size_t)(lf - buf) + 1;
	}
	if (off == 0 && len == READ_MAX) {	/* a line longer than the buffer */
		server_feed(s, buf, len);
		return 0;
	}
	memmove(buf, buf + off, len - off);
	return len - off;
}

static int usage_error(const char *msg, const char *arg)
{
	char safe[256];

	fprintf(stderr, "smtpref simulate: %s%s%s\n", msg, arg ? " " : "",
	    arg ? printable_arg(arg, safe, sizeof safe) : "");
	fputs("Try 'smtpref simulate --help' for more information.\n", stderr);
	return 2;
}

int simulate_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "persona", required_argument, NULL, 'p' },
		{ "explain", optional_argument, NULL, 'e' },
		{ "role", required_argument, NULL, 'r' },
		{ "scenario", required_argument, NULL, 's' },
		{ "reads", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sim m = { .level = EXPLAIN_OFF };
	const struct ref_persona *p = ref_persona_find("modern", 6);
	struct server_sink sink = { &m, on_reply, on_event, on_line_done };
	struct server *s;
	const struct ref_scenario *sc = NULL;
	static char buf[READ_MAX];
	size_t held = 0;
	int c, role_server = 0, reads = 0;

	explain_hold_init(&m.held, explain_line, &m);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "p:e::r:s:hR", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			p = ref_persona_find(optarg, strlen(optarg));
			if (p == NULL)
				return usage_error("unknown persona (see 'smtpref list personas'):", optarg);
			break;
		case 'e':
			if (optarg == NULL || strcmp(optarg, "full") == 0)
				m.level = EXPLAIN_FULL;
			else if (strcmp(optarg, "brief") == 0)
				m.level = EXPLAIN_BRIEF;
			else
				return usage_error("--explain takes brief or full, not", optarg);
			break;
		case 'r':
			if (strcmp(optarg, "server") == 0)
				role_server = 1;
			else if (strcmp(optarg, "client") != 0)
				return usage_error("--role takes client or server, not", optarg);
			break;
		case 's':
			sc = ref_scenario_find(optarg, strlen(optarg));
			if (sc == NULL)
				return usage_error("unknown scenario (see 'smtpref list scenarios'):", optarg);
			break;
		case 'R':
			reads = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (sc && !role_server)
		return usage_error("--scenario needs --role server", NULL);
	if (role_server) {
		if (sc == NULL)
			sc = ref_scenario_find("plain", 5);
		return play_server(&m, sc);
	}

	s = server_new(p, NULL, &sink);
	if (s == NULL) {
		fputs("smtpref simulate: out of memory\n", stderr);
		return 1;
	}
	server_start(s);
	while (server_phase(s) != SERVER_CLOSED && !m.failed) {
		ssize_t n = read(0, buf + held, sizeof buf - held);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				fprintf(stderr, "smtpref simulate: reading stdin: %s\n",
				    strerror(errno));
			if (held > 0)
				server_feed(s, buf, held);
			server_eof(s);
			break;
		}
		held += (size_t)n;
		held = feed_lines(s, buf, held, reads);
		/* with --reads, what stdin already holds came with an
		 * accepted STARTTLS, however read(2) cut it */
		if (reads && server_discarding(s) &&
		    drain(s, buf, sizeof buf) != 0) {
			flush_held(&m);
			server_eof(s);
			break;
		}
		flush_held(&m);
	}
	flush_held(&m);
	server_free(s);
	if (fflush(stdout) != 0 || m.failed) {
		fprintf(stderr, "smtpref simulate: writing stdout: %s\n",
		    strerror(errno));
		return 1;
	}
	return m.quit ? 0 : 1;
}
