/* SPDX-License-Identifier: GPL-3.0-or-later */
/* connect.c - smtpref connect: a session with a real SMTP server
 *
 * The command line and the MX list; then a console talks to the server
 * through the real-server peer (net/realpeer.c), as the shell does.  On
 * a terminal the shell (or with --tui the full-screen view) takes over;
 * otherwise the lines of standard input go into the console one by one
 * (term/script.c), each after the replies to the one before, and the
 * session is printed swaks-style (term/swaks.c), errors on stderr.
 */
#include <config.h>

#include "cli/connect.h"

#include "console/console.h"
#include "core/ref.h"
#include "core/syntax.h"
#include "net/net.h"
#include "net/realpeer.h"
#include "term/lookup.h"
#include "term/render.h"
#include "term/script.h"
#include "term/shell.h"
#include "term/swaks.h"
#include "term/tui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>


static const char me[] = "smtpref connect";

/* ---- options ---------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs(
"Usage: smtpref connect [OPTION]... HOST [PORT]\n"
"       smtpref connect [OPTION]... --mx DOMAIN [PORT]\n"
"\n"
"Talk SMTP with a real server, and have every reply explained: smtpref\n"
"connects, sends EHLO, then sends each line read from standard input (one\n"
"command a line; after DATA's 354, the message, up to a line '.') and\n"
"waits for each reply as a real client does.  Lines are sent with CRLF;\n"
"message lines are dot-stuffed.  Lines starting with ':' are smtpref's, as\n"
"in the shell (:help lists them): :state, :explain 553, :save FILE,\n"
"  :auth plain USER, :auth login USER   log in (password from\n"
"                       SMTPREF_PASSWORD, else asked on the terminal);\n"
"                       refused without TLS, unless written :auth!\n"
"  :starttls            the same as sending STARTTLS\n"
"\n"
"PORT is 25 by default; 465 means implicit TLS, 587 is submission.\n"
"\n"
"  -4, -6               connect over IPv4 or IPv6 only\n"
"      --mx DOMAIN      look up DOMAIN's MX records, show them, and connect\n"
"                       to the first that answers (RFC 5321 5.1)\n"
"      --starttls       start TLS after EHLO; end the session if it cannot\n"
"      --tls            TLS from the start (implicit TLS, port 465)\n"
"      --insecure       go on when the certificate does not verify\n"
"      --helo NAME      the name for EHLO/HELO (default: this machine's)\n"
"      --no-ehlo        send no EHLO: the input starts the session\n"
"      --no-pipelining  send each command alone, even with PIPELINING\n"
"      --timeout SEC    for connecting and for each reply (default 30)\n"
"      --save FILE      also write the transcript to FILE, swaks-style\n"
"  -e, --explain=LEVEL  full (the default), brief (one line a reply) or off\n"
"  -q, --quiet          show only the lines sent and received\n"
"      --tui            the full-screen view (smtpref tui) of the session;\n"
"                       needs a terminal; not with --save or --quiet\n"
"      --color[=WHEN]   auto (the default), always or never\n"
"  -h, --help           show this help and exit\n"
"\n"
"smtpref tui --connect HOST [PORT] [OPTION]... is smtpref connect --tui, and\n"
"smtpref shell --connect HOST [PORT] [OPTION]... is smtpref connect.\n"
"\n"
"Exit status: 0 the session ended with 221, 1 it ended otherwise (a\n"
"refusal, a protocol violation, input ending before QUIT), 2 usage\n"
"error, 3 a network or TLS failure.\n"
"\n"
"Example:\n"
"  printf 'MAIL FROM:<me@example.org>\\nRCPT TO:<you@example.org>\\nQUIT\\n' |\n"
"      smtpref connect --helo me.example.org mail.example.org\n", f);
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s\n", me, msg, arg ? " " : "", arg ? arg : "");
	fprintf(stderr, "Try 'smtpref connect --help' for more information.\n");
	return 2;
}

/* parse_uint - a decimal number in [lo, hi], or -1 */
static long parse_uint(const char *s, long lo, long hi)
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

/* is_domain_name - a domain with a dot, or an address literal */
static int is_domain_name(const char *s)
{
	enum syntax_host_kind kind;
	size_t n = strlen(s);

	if (n > 0 && s[0] == '[')
		return syntax_parse_address_literal(s, n, &kind) == SYNTAX_OK;
	return syntax_parse_domain(s, n) == SYNTAX_OK && strchr(s, '.') &&
	    strcmp(s, "localhost.localdomain") != 0;
}

/* ---- meta-commands ----------------------------------------------------------- */

/* ask_password - :auth's password from the terminal, without echo (the
 * console tried SMTPREF_PASSWORD first) */
static int ask_password(void *ctx, const char *user, char *pw, size_t size)
{
	struct termios old, quiet;
	int fd, echo_off = 0;
	size_t n = 0;
	char prompt[300];

	(void)ctx;
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		echo_off = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	snprintf(prompt, sizeof prompt, "Password for %s: ", user);
	if (write(fd, prompt, strlen(prompt)) < 0)
		n = 0;
	while (n + 1 < size && read(fd, pw + n, 1) == 1 && pw[n] != '\n')
		n++;
	pw[n] = 0;
	if (echo_off)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		n += 0;
	close(fd);
	return 0;
}

/* tell - an item of smtpref connect's own */
static void tell(struct swaks_out *o, enum tx_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void tell(struct swaks_out *o, enum tx_kind kind, const char *fmt, ...)
{
	struct tx_sink sink = { o, swaks_item };
	va_list ap;

	va_start(ap, fmt);
	tx_vemitf(&sink, kind, NULL, fmt, ap);
	va_end(ap);
}

/* ---- MX ---------------------------------------------------------------------- */

/* mx_list - look up and show the MX records of domain; the count, or -1
 * with *status set */
static int mx_list(const char *domain, int timeout_ms, struct net_mx *mx,
    struct swaks_out *o, int *status)
{
	char err[512];
	size_t n = 0, i;
	enum net_mx_result r;

	r = net_mx_lookup(domain, timeout_ms, mx, NET_MX_MAX, &n, err, sizeof err);
	switch (r) {
	case NET_MX_NXDOMAIN:
		tell(o, TX_ERROR, "the domain %s does not exist (the nameserver says NXDOMAIN)", domain);
		*status = 3;
		return -1;
	case NET_MX_NULL:
		tell(o, TX_ERROR, "%s publishes a null MX: it accepts no mail at all (RFC 7505)", domain);
		*status = 1;
		return -1;
	case NET_MX_FAILED:
		tell(o, TX_ERROR, "%s", err);
		*status = 3;
		return -1;
	case NET_MX_IMPLICIT:
		tell(o, TX_NOTE, "%s has no MX record: mail goes to the domain's own address, as if it had an MX of preference 0 naming itself (the implicit MX, RFC 5321 5.1)", domain);
		return (int)n;
	default:
		break;
	}
	tell(o, TX_NOTE, "MX records of %s, tried in order of preference, lowest first (RFC 5321 5.1):", domain);
	for (i = 0; i < n; i++)
		tell(o, TX_NOTE, "preference %u: %s", mx[i].pref,
		    mx[i].host[0] ? mx[i].host : ".");
	return (int)n;
}

/* ---- main ------------------------------------------------------------------------ */

enum {
	OPT_MX = 256, OPT_STARTTLS, OPT_TLS, OPT_INSECURE, OPT_HELO, OPT_NO_EHLO,
	OPT_NO_PIPELINING, OPT_TIMEOUT, OPT_SAVE, OPT_COLOR, OPT_TUI, OPT_EXPLAIN
};

struct args {
	struct conn_opts co;
	const char *mx;
	const char *save;
	int quiet, no_pipelining, tls_given, tui;
	enum render_color_mode color;
	enum explain_level level;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "mx", required_argument, NULL, OPT_MX },
		{ "starttls", no_argument, NULL, OPT_STARTTLS },
		{ "tls", no_argument, NULL, OPT_TLS },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "helo", required_argument, NULL, OPT_HELO },
		{ "no-ehlo", no_argument, NULL, OPT_NO_EHLO },
		{ "no-pipelining", no_argument, NULL, OPT_NO_PIPELINING },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "save", required_argument, NULL, OPT_SAVE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "tui", no_argument, NULL, OPT_TUI },
		{ "explain", required_argument, NULL, OPT_EXPLAIN },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "colour", optional_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long v;
	int ch, rest;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "46qhe:", opts, NULL)) != -1) {
		switch (ch) {
		case '4':
		case '6':
			if (a->co.family != AF_UNSPEC &&
			    a->co.family != (ch == '4' ? AF_INET : AF_INET6))
				return usage_error("-4 and -6 exclude each other", NULL);
			a->co.family = ch == '4' ? AF_INET : AF_INET6;
			break;
		case OPT_MX:
			a->mx = optarg;
			break;
		case OPT_STARTTLS:
		case OPT_TLS:
			if (a->tls_given && a->co.tls != (ch == OPT_TLS ?
			    CONN_TLS_IMPLICIT : CONN_TLS_STARTTLS))
				return usage_error("--tls and --starttls exclude each other", NULL);
			a->co.tls = ch == OPT_TLS ? CONN_TLS_IMPLICIT : CONN_TLS_STARTTLS;
			a->tls_given = 1;
			break;
		case OPT_INSECURE:
			a->co.insecure = 1;
			break;
		case OPT_HELO:
			if (*optarg == 0 || strpbrk(optarg, " \t\r\n"))
				return usage_error("--helo takes one name, not", optarg);
			a->co.helo = optarg;
			break;
		case OPT_NO_EHLO:
			a->co.no_ehlo = 1;
			break;
		case OPT_NO_PIPELINING:
			a->no_pipelining = 1;
			break;
		case OPT_TIMEOUT:
			v = parse_uint(optarg, 1, 86400);
			if (v < 0)
				return usage_error("--timeout takes whole seconds from 1 to 86400, not", optarg);
			a->co.timeout_ms = (int)v * 1000;
			break;
		case OPT_SAVE:
			a->save = optarg;
			break;
		case 'q':
			a->quiet = 1;
			break;
		case OPT_TUI:
			a->tui = 1;
			break;
		case 'e':
		case OPT_EXPLAIN:
			if (strcmp(optarg, "full") == 0)
				a->level = EXPLAIN_FULL;
			else if (strcmp(optarg, "brief") == 0)
				a->level = EXPLAIN_BRIEF;
			else if (strcmp(optarg, "off") == 0)
				a->level = EXPLAIN_OFF;
			else
				return usage_error("--explain takes full, brief or off, not", optarg);
			break;
		case OPT_COLOR:
			ch = optarg ? render_parse_color(optarg) : RENDER_COLOR_ALWAYS;
			if (ch < 0)
				return usage_error("--color takes auto, always or never, not", optarg);
			a->color = (enum render_color_mode)ch;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt && optopt < 256) {
				char opt[3] = { '-', (char)optopt, 0 };

				return usage_error("unknown option or missing argument:", opt);
			}
			return usage_error("unknown option or missing argument:",
			    argv[optind - 1]);
		}
	}
	rest = argc - optind;
	if (a->mx) {
		if (rest > 1)
			return usage_error("with --mx, the only argument is a PORT; unexpected", argv[optind + 1]);
	} else if (rest < 1)
		return usage_error("which server? Give a HOST (or --mx DOMAIN)", NULL);
	else if (rest > 2)
		return usage_error("unexpected argument", argv[optind + 2]);
	else
		a->co.host = argv[optind++];
	if (optind < argc) {
		v = parse_uint(argv[optind], 1, 65535);
		if (v < 0)
			return usage_error("PORT must be a number from 1 to 65535, not", argv[optind]);
		a->co.port = (unsigned)v;
	}
	if (a->co.no_ehlo && a->co.tls == CONN_TLS_STARTTLS)
		return usage_error("--starttls needs EHLO, so it cannot go with --no-ehlo", NULL);
	if (a->tui && (a->save || a->quiet))
		return usage_error("--tui shows the whole session full-screen; it cannot go with", a->save ? "--save" : "--quiet");
	return -1;
}

/* port_notes - what the port says about the session */
static void port_notes(struct args *a, struct swaks_out *o)
{
	if (a->co.port == 0)
		a->co.port = a->co.tls == CONN_TLS_IMPLICIT ? 465 : 25;
	if (a->co.port == 465 && !a->tls_given) {
		a->co.tls = CONN_TLS_IMPLICIT;
		tell(o, TX_NOTE, "%s", "port 465 is submission over implicit TLS (RFC 8314 3.3): TLS starts before the greeting");
	} else if (a->co.port == 587)
		tell(o, TX_NOTE, "%s", "port 587 is message submission (RFC 6409): the server will want AUTH, normally after STARTTLS");
}

/* helo_check - warn about an EHLO name that is no domain name */
static void helo_check(const struct args *a, struct swaks_out *o)
{
	if (is_domain_name(a->co.helo))
		return;
	if (a->tui)
		tell(o, TX_ERROR, "warning: the EHLO name '%s' is %s; RFC 5321 4.1.1.1 wants this machine's fully qualified domain name (or an address literal like [192.0.2.1]), and many servers refuse others: give one with --helo",
		    a->co.helo, strcmp(a->co.helo, "localhost") == 0 ? "localhost" : "not a domain name");
	else
		fprintf(stderr, "%s: warning: the EHLO name '%s' is %s; RFC 5321 4.1.1.1 wants this machine's fully qualified domain name (or an address literal like [192.0.2.1]), and many servers refuse others: give one with --helo\n",
		    me, a->co.helo, strcmp(a->co.helo, "localhost") == 0 ? "localhost" : "not a domain name");
}

/* scripted - standard input into a console on the server (or each MX in
 * turn, while one cannot be reached: RFC 5321 5.1); the exit status */
static int scripted(struct args *a, struct swaks_out *o, struct net_mx *mx,
    int nmx)
{
	struct console_opts co;
	struct tx_sink sink = { o, swaks_item };
	struct console *c;
	int i, st;

	memset(&co, 0, sizeof co);
	co.session.level = a->level;
	co.ask_password = ask_password;
	co.lookup = lookup_plain;
	co.connect = realpeer_new;
	co.mail_script = 1;
	co.no_pipelining = a->no_pipelining;
	c = console_new(&co, &sink);
	if (c == NULL) {
		fprintf(stderr, "%s: out of memory\n", me);
		return 1;
	}
	for (i = 0; i < nmx; i++) {
		if (a->mx)
			a->co.host = mx[i].host;
		if (console_connect(c, &a->co) == 0 || i + 1 == nmx)
			break;
		tell(o, TX_NOTE, "%s", "trying the next MX");
	}
	if (console_input(c) != PEER_IN_CLOSED)
		st = script_run(c, stdin, me);
	else
		st = console_exit_status(c);
	console_free(c);
	return st;
}

int connect_main(int argc, char **argv)
{
	struct args a;
	struct swaks_out o;
	struct net_mx mx[NET_MX_MAX];
	char helo[NET_HOST_MAX];
	int st, status = 3, nmx = 1;

	memset(&a, 0, sizeof a);
	a.co.family = AF_UNSPEC;
	a.co.timeout_ms = 30000;
	a.color = RENDER_COLOR_AUTO;
	a.level = EXPLAIN_FULL;
	st = parse_args(argc, argv, &a);
	if (st >= 0)
		return st;
	if (a.tui && !(isatty(0) && isatty(1))) {
		fprintf(stderr, "%s: --tui needs a terminal; without one, smtpref connect sends the lines it reads from standard input\n", me);
		return 2;
	}
	memset(&o, 0, sizeof o);
	o.prog = me;
	o.quiet = a.quiet;
	o.hold = a.tui;
	render_init(&o.r, stdout, a.color);
	if (a.save && (o.save = fopen(a.save, "w")) == NULL) {
		fprintf(stderr, "%s: cannot write the transcript to %s: %s\n", me,
		    a.save, strerror(errno));
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (a.co.helo == NULL) {
		net_default_helo(helo, sizeof helo);
		a.co.helo = helo;
	}
	helo_check(&a, &o);
	port_notes(&a, &o);
	if (a.mx) {
		nmx = mx_list(a.mx, a.co.timeout_ms, mx, &o, &status);
		if (nmx < 0)
			goto out;
	}
	/* a person at a terminal gets the shell (or the full-screen view),
	 * with its history, completion and meta-commands */
	if (a.tui || (isatty(0) && isatty(1) && !a.quiet && !a.save)) {
		struct console_opts co;

		memset(&co, 0, sizeof co);
		co.session.role = SESSION_CLIENT;
		co.session.level = a.level;
		co.session.hints = 1;
		if (a.mx) {
			a.co.host = mx[0].host;
			if (nmx > 1)
				tell(&o, TX_NOTE, "%s", "connecting to the first MX; if it cannot be reached, :connect the next one");
		}
		if (a.tui)
			return tui_run(&co, (int)a.color, &a.co);
		return shell_run(&co, (int)a.color, &a.co);
	}
	status = scripted(&a, &o, mx, nmx);
out:
	if (o.save && (fclose(o.save) != 0 || o.save_failed)) {
		fprintf(stderr, "%s: writing %s failed\n", me, a.save);
		if (status == 0)
			status = 1;
	}
	return status;
}
