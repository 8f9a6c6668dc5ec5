/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listen.c - smtpref listen: the simulated server for real clients
 *
 * The command line; then the listener (net/listener.c) serves until
 * SIGINT or SIGTERM, and term/live.c shows every session as it goes and
 * each client's verdict when it ends, then a summary.
 */
#include <config.h>

#include "cli/listen.h"

#include "core/ref.h"
#include "core/server.h"
#include "net/listener.h"
#include "term/live.h"
#include "term/render.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char me[] = "smtpref listen";

static void usage(FILE *f)
{
	fputs(
"Usage: smtpref listen [OPTION]...\n"
"\n"
"Be an SMTP server for real clients (swaks, curl, a mail library, your own\n"
"program): the simulated server of smtpref shell, on a socket of this\n"
"machine.  Every session is shown as it goes, each reply explained, and when\n"
"it ends the client gets a verdict: what it did that the RFCs forbid (bare\n"
"CR or LF, long lines, pipelining where RFC 2920 forbids it, the message\n"
"before 354, parameters not announced, 8-bit data or non-ASCII addresses\n"
"undeclared, AUTH in clear, no QUIT, its EHLO name), with the RFC section.\n"
"SIGINT (Ctrl-C) or SIGTERM stops it, with a summary.\n"
"\n"
"      --port N           the port (default 2525; 0: one the system picks)\n"
"      --listen ADDR      listen on ADDR (repeatable) instead of 127.0.0.1\n"
"                         and ::1; an address that is not loopback lets\n"
"                         other machines in, and is warned about\n"
"  -p, --persona NAME     the simulated server (smtpref list personas);\n"
"                         default: modern\n"
"      --fault VERB[:N]:CODE[:ENH]  every session answers its Nth VERB (the\n"
"                         first by default) with CODE: --fault RCPT:3:452:4.5.3\n"
"                         (repeatable)\n"
"      --maildir DIR      keep every accepted message in the Maildir DIR\n"
"                         (made when missing), with Return-Path: and\n"
"                         Received:; without it messages are counted, dropped\n"
"      --tls-port N       also serve implicit TLS (RFC 8314) on port N\n"
"      --cert FILE        the certificate (PEM) for STARTTLS and --tls-port;\n"
"                         without it a throwaway self-signed one is made\n"
"      --key FILE         its private key (default: in the --cert file)\n"
"      --timeout SEC      how long a client may say nothing before 421\n"
"                         (default 300: RFC 5321 4.5.3.2.7)\n"
"      --max-sessions N   clients served at once (default 2000); more get 421\n"
"  -e, --explain=LEVEL    full (the default), brief or off\n"
"      --no-hints         no hints after a client's mistakes\n"
"      --json             JSON Lines, one event a line (see smtpref(1))\n"
"  -q, --quiet            no transcripts: only each client's verdict\n"
"      --color[=WHEN]     auto (the default), always or never\n"
"  -h, --help             show this help and exit\n"
"\n"
"Exit status: 0 stopped by a signal, 1 an accepted message could not be\n"
"kept (or another failure), 2 usage error, 3 it cannot listen (the address,\n"
"the port) or set up TLS (the certificate).\n"
"\n"
"Example:\n"
"  smtpref listen --maildir /tmp/mail &\n"
"  swaks --server 127.0.0.1:2525 --to alice@example.org\n", f);
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s\n", me, msg, arg ? " " : "", arg ? arg : "");
	fprintf(stderr, "Try 'smtpref listen --help' for more information.\n");
	return 2;
}

/* number - a decimal number in [lo, hi], or -1 */
static long number(const char *s, long lo, long hi)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	return v;
}

/* parse_fault - VERB[:N]:CODE[:ENH], checked by a server's own rules
 * for faults; 0 or -1 */
static int parse_fault(const char *arg, struct listener_fault *f)
{
	char buf[64], *part[5];
	size_t n = 0;
	char *p;
	long nth = 1, code;
	struct server *srv;
	int ok;

	if (strlen(arg) >= sizeof buf)
		return -1;
	strcpy(buf, arg);
	for (p = buf; n < 5; p++) {
		part[n++] = p;
		if ((p = strchr(p, ':')) == NULL)
			break;
		*p = 0;
	}
	if (n < 2 || n > 4 || strlen(part[0]) >= sizeof f->verb)
		return -1;
	if (n == 4 || (n == 3 && strchr(part[2], '.') == NULL)) {
		if ((nth = number(part[1], 1, 1000)) < 0)
			return -1;
		memmove(part + 1, part + 2, (n - 2) * sizeof *part);
		n--;
	}
	if ((code = number(part[1], 200, 599)) < 0 ||
	    (n == 3 && strlen(part[2]) >= sizeof f->enh))
		return -1;
	snprintf(f->verb, sizeof f->verb, "%s", part[0]);
	snprintf(f->enh, sizeof f->enh, "%s", n == 3 ? part[2] : "");
	f->nth = (int)nth;
	f->code = (int)code;
	srv = server_new(NULL, NULL, NULL);
	ok = srv && server_fault(srv, f->verb, f->nth, f->code, f->enh) == 0;
	server_free(srv);
	return ok ? 0 : -1;
}

enum {
	OPT_PORT = 256, OPT_LISTEN, OPT_FAULT, OPT_MAILDIR, OPT_TLS_PORT,
	OPT_CERT, OPT_KEY, OPT_TIMEOUT, OPT_MAX, OPT_NO_HINTS, OPT_JSON,
	OPT_COLOR
};

struct args {
	struct listener_opts lo;
	int quiet, json;
	enum render_color_mode color;
};

static int parse_option(int ch, const char *arg, struct args *a)
{
	long v;

	switch (ch) {
	case OPT_PORT:
	case OPT_TLS_PORT:
		v = number(arg, ch == OPT_PORT ? 0 : 1, 65535);
		if (v < 0)
			return usage_error(ch == OPT_PORT ? "--port takes a number from 0 to 65535, not" :
			    "--tls-port takes a number from 1 to 65535, not", arg);
		*(ch == OPT_PORT ? &a->lo.port : &a->lo.tls_port) = (unsigned)v;
		break;
	case OPT_LISTEN:
		if (a->lo.naddrs == LISTENER_ADDRS_MAX)
			return usage_error("too many --listen addresses; at most 8", NULL);
		a->lo.addrs[a->lo.naddrs++] = arg;
		break;
	case 'p':
		a->lo.persona = ref_persona_find(arg, strlen(arg));
		if (a->lo.persona == NULL)
			return usage_error("unknown persona (see 'smtpref list personas'):", arg);
		break;
	case OPT_FAULT:
		if (a->lo.nfaults == LISTENER_FAULTS_MAX)
			return usage_error("too many --fault options; at most 8", NULL);
		if (parse_fault(arg, &a->lo.faults[a->lo.nfaults++]) != 0)
			return usage_error("--fault takes VERB[:N]:CODE[:ENH] with a 4xx or 5xx CODE and a matching enhanced code, such as RCPT:3:452:4.5.3; not", arg);
		break;
	case OPT_MAILDIR:
		a->lo.maildir = arg;
		break;
	case OPT_CERT:
		a->lo.cert = arg;
		break;
	case OPT_KEY:
		a->lo.key = arg;
		break;
	case OPT_TIMEOUT:
		if ((v = number(arg, 1, 86400)) < 0)
			return usage_error("--timeout takes whole seconds from 1 to 86400, not", arg);
		a->lo.timeout_s = (int)v;
		break;
	case OPT_MAX:
		if ((v = number(arg, 1, 100000)) < 0)
			return usage_error("--max-sessions takes a number from 1 to 100000, not", arg);
		a->lo.max_sessions = (size_t)v;
		break;
	case 'e':
		if (strcmp(arg, "full") == 0)
			a->lo.level = EXPLAIN_FULL;
		else if (strcmp(arg, "brief") == 0)
			a->lo.level = EXPLAIN_BRIEF;
		else if (strcmp(arg, "off") == 0)
			a->lo.level = EXPLAIN_OFF;
		else
			return usage_error("--explain takes full, brief or off, not", arg);
		break;
	case OPT_NO_HINTS:
		a->lo.hints = 0;
		break;
	case OPT_JSON:
		a->json = 1;
		break;
	case 'q':
		a->quiet = 1;
		break;
	case OPT_COLOR:
		ch = arg ? render_parse_color(arg) : RENDER_COLOR_ALWAYS;
		if (ch < 0)
			return usage_error("--color takes auto, always or never, not", arg);
		a->color = (enum render_color_mode)ch;
		break;
	default:
		return usage_error("unknown option", NULL);
	}
	return -1;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, OPT_PORT },
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "persona", required_argument, NULL, 'p' },
		{ "fault", required_argument, NULL, OPT_FAULT },
		{ "maildir", required_argument, NULL, OPT_MAILDIR },
		{ "tls-port", required_argument, NULL, OPT_TLS_PORT },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "max-sessions", required_argument, NULL, OPT_MAX },
		{ "explain", required_argument, NULL, 'e' },
		{ "no-hints", no_argument, NULL, OPT_NO_HINTS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "colour", optional_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, st;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "p:e:qh", opts, NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			return 0;
		}
		if (ch == '?') {
			if (optopt && optopt < 256) {
				char o[3] = { '-', (char)optopt, 0 };

				return usage_error("unknown option or missing argument:", o);
			}
			return usage_error("unknown option or missing argument:", argv[optind - 1]);
		}
		if ((st = parse_option(ch, optarg, a)) >= 0)
			return st;
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (a->lo.key && !a->lo.cert)
		return usage_error("--key goes with --cert", NULL);
	if (a->lo.tls_port && a->lo.tls_port == a->lo.port)
		return usage_error("--tls-port must differ from --port", NULL);
	return -1;
}

/* ---- running ------------------------------------------------------------------ */

static struct listener *running;

static void on_signal(int sig)
{
	(void)sig;
	if (running)
		listener_stop(running);
}

/* more_descriptors - every client is a descriptor: raise the soft limit
 * to the hard one, and serve no more clients than it allows */
static void more_descriptors(struct args *a)
{
	struct rlimit rl;
	size_t want = a->lo.max_sessions ? a->lo.max_sessions : 2000;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want + 64) {
		a->lo.max_sessions = rl.rlim_cur > 96 ? (size_t)rl.rlim_cur - 64 : 32;
		fprintf(stderr, "%s: at most %zu clients at once: the limit of open files is %llu (ulimit -n)\n",
		    me, a->lo.max_sessions, (unsigned long long)rl.rlim_cur);
	}
}

/* warn_exposed - an address other machines can reach, said on stderr */
static void warn_exposed(const struct args *a)
{
	size_t i;

	for (i = 0; i < a->lo.naddrs; i++)
		if (!listener_is_loopback(a->lo.addrs[i]))
			fprintf(stderr, "%s: warning: %s is not a loopback address: other machines can connect, and smtpref accepts whatever they send%s\n",
			    me, a->lo.addrs[i], a->lo.maildir ? " (and keeps it in the Maildir)" : "");
}

int listen_main(int argc, char **argv)
{
	struct args a;
	struct live_out out;
	struct listener_sink sink = { &out, live_item, live_opened, live_closed,
	    live_note, live_idle };
	struct listener_stats st;
	struct sigaction sa;
	struct listener *l;
	char err[512];
	int status;

	memset(&a, 0, sizeof a);
	a.lo.port = 2525;
	a.lo.level = EXPLAIN_FULL;
	a.lo.hints = 1;
	a.color = RENDER_COLOR_AUTO;
	if ((status = parse_args(argc, argv, &a)) >= 0)
		return status;
	a.lo.show = !a.quiet;
	if (a.quiet)
		a.lo.level = EXPLAIN_OFF;	/* nothing would show them */
	signal(SIGPIPE, SIG_IGN);
	/* written whenever the loop waits (live_idle): at once to a reader,
	 * in few writes when clients keep it busy */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	more_descriptors(&a);
	warn_exposed(&a);
	live_init(&out, stdout, stderr, a.color, a.json, a.quiet);
	l = listener_new(&a.lo, &sink, err, sizeof err, &status);
	if (l == NULL) {
		fprintf(stderr, "%s: %s\n", me, err);
		return status;
	}
	running = l;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	status = listener_run(l, err, sizeof err) == 0 ? 0 : 1;
	if (status)
		fprintf(stderr, "%s: %s\n", me, err);
	running = NULL;
	listener_stats(l, &st);
	live_summary(&out, &st, a.lo.maildir);
	listener_free(l);
	if (st.lost > 0)
		status = 1;
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: writing stdout: %s\n", me, strerror(errno));
		status = 1;
	}
	return status;
}
