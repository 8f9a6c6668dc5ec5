/* simulate.c - smtpref simulate: stdin and stdout as the server's end of
 * a connection
 *
 * Each read(2) from stdin is one read of the connection: the server
 * answers every command as soon as it is complete, and input that came
 * in the same read as STARTTLS is discarded, as a real server must.
 * Replies are written and flushed exactly as on the wire (CRLF).  With
 * --explain, explanation lines follow each reply, each starting with
 * "# " so that a script can drop them (grep -v '^#').
 */
#include <config.h>

#include "simulate.h"

#include "explain.h"
#include "ref.h"
#include "server.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sim {
	enum explain_level level;
	int quit;		/* a 221 was sent */
	int failed;		/* writing stdout failed */
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

static void on_reply(void *ctx, const struct server_reply *r)
{
	struct sim *m = ctx;

	out(m, r->wire, r->wire_len);
	if (r->code == 221)
		m->quit = 1;
	explain_reply(r, m->level, explain_line, m);
	if (fflush(stdout) != 0)
		m->failed = 1;
}

static void on_event(void *ctx, const struct server_event *e)
{
	struct sim *m = ctx;

	explain_event(e, m->level, explain_line, m);
	if (m->level != EXPLAIN_OFF && fflush(stdout) != 0)
		m->failed = 1;
}

static void usage(FILE *f)
{
	fputs(
"Usage: smtpref simulate [--persona NAME] [--explain[=brief|full]]\n"
"\n"
"Play a simulated SMTP server on standard input and output: the greeting\n"
"is written first, then each command read from stdin is answered exactly\n"
"as on the wire (CRLF line endings).  End of input is a dropped connection.\n"
"\n"
"  -p, --persona NAME   the server to play (smtpref list personas);\n"
"                       default: modern\n"
"  -e, --explain[=LEVEL]  follow each reply with explanation lines starting\n"
"                       with '# ' (LEVEL brief or full; default full)\n"
"  -h, --help           show this help and exit\n"
"\n"
"Exit status: 0 the session ended with QUIT, 1 it ended otherwise,\n"
"2 usage error.\n"
"\n"
"Example:\n"
"  printf 'EHLO me.example\\r\\nQUIT\\r\\n' | smtpref simulate --persona rfc821\n", f);
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "smtpref simulate: %s%s%s\n", msg, arg ? " " : "",
	    arg ? arg : "");
	fputs("Try 'smtpref simulate --help' for more information.\n", stderr);
	return 2;
}

int simulate_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "persona", required_argument, NULL, 'p' },
		{ "explain", optional_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sim m = { EXPLAIN_OFF, 0, 0 };
	const struct ref_persona *p = ref_persona_find("modern", 6);
	struct server_sink sink = { &m, on_reply, on_event };
	struct server *s;
	char buf[65536];
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "p:e::h", opts, NULL)) != -1) {
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
		case 'h':
			usage(stdout);
			return 0;
		default:
			return usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);

	s = server_new(p, NULL, &sink);
	if (s == NULL) {
		fputs("smtpref simulate: out of memory\n", stderr);
		return 1;
	}
	server_start(s);
	while (server_phase(s) != SERVER_CLOSED && !m.failed) {
		ssize_t n = read(0, buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				fprintf(stderr, "smtpref simulate: reading stdin: %s\n",
				    strerror(errno));
			server_eof(s);
			break;
		}
		server_feed(s, buf, (size_t)n);
	}
	server_free(s);
	if (fflush(stdout) != 0 || m.failed) {
		fprintf(stderr, "smtpref simulate: writing stdout: %s\n",
		    strerror(errno));
		return 1;
	}
	return m.quit ? 0 : 1;
}
