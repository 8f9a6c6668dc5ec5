/* SPDX-License-Identifier: GPL-3.0-or-later */
/* connect.c - smtpref connect: a session with a real SMTP server
 *
 * The command line and the MX list; then a console talks to the server
 * through the real-server peer (net/realpeer.c), as the shell does.  On
 * a terminal the shell (or with --tui the full-screen view) takes over;
 * otherwise the lines of standard input go into the console one by one
 * (term/script.c), each after the replies to the one before, and the
 * session is printed swaks-style (term/swaks.c), errors on stderr.  With
 * swaks' options (--to, --from, ...) the lines are the one-line test
 * client's (cli/oneliner.c), fed to the same console, and a verdict
 * follows (term/sendverdict.c).
 */
#include <config.h>

#include "cli/connect.h"

#include "cli/oneliner.h"
#include "console/console.h"
#include "core/ascii.h"
#include "core/printable.h"
#include "lesson/safefile.h"
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
#include "term/sendverdict.h"

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

static void usage_script(FILE *f)
{
	fputs(
"Usage: smtpref connect [OPTION]... HOST [PORT]\n"
"       smtpref connect [OPTION]... --mx DOMAIN [PORT]\n"
"       smtpref connect --to ADDR [OPTION]... [HOST [PORT]]\n"
"\n"
"Talk SMTP with a real server, and have every reply explained: smtpref\n"
"connects, sends EHLO, then sends each line read from standard input (one\n"
"command a line; after DATA's 354, the message, up to a line '.') and\n"
"waits for each reply as a real client does.  Lines are sent with CRLF;\n"
"message lines are dot-stuffed.  Each reply shows how long it took.\n"
"Lines starting with ':' are smtpref's, as in the shell (:help lists\n"
"them): :state, :explain 553, :save FILE,\n"
"  :auth plain USER, :auth login USER   log in (password from\n"
"                       SMTPREF_PASSWORD, else asked on the terminal);\n"
"                       refused without TLS, unless written :auth!\n"
"  :starttls            the same as sending STARTTLS\n"
"\n"
"PORT is 25 by default; 465 means implicit TLS, 587 is submission.\n"
"\n"
"  -4, -6               connect over IPv4 or IPv6 only\n"
"      --server HOST[:PORT]  the server (an IPv6 address in brackets)\n"
"      --port PORT      the port\n"
"      --mx DOMAIN      look up DOMAIN's MX records, show them, and connect\n"
"                       to the first that answers (RFC 5321 5.1)\n"
"      --tls, --starttls  start TLS after EHLO (STARTTLS); end the session\n"
"                       if it cannot\n"
"      --tls-optional   STARTTLS when the server offers it, else in clear\n"
"      --tls-on-connect TLS from the start (implicit TLS, port 465); this\n"
"                       was --tls before, which on port 465 it still is\n"
"      --insecure       go on when the certificate does not verify\n"
"      --helo NAME      the name for EHLO/HELO (default: this machine's)\n"
"      --no-ehlo        send no EHLO: the input starts the session\n"
"      --no-pipelining  send each command alone, even with PIPELINING\n"
"      --timeout SEC    for connecting and for each reply (default 30)\n"
"      --save FILE      also write the transcript to FILE, swaks-style\n"
"  -e, --explain=LEVEL  full (the default), brief (one line a reply) or off\n"
"  -q, --quiet          show only the lines sent and received (with --to:\n"
"                       only the verdict)\n"
"      --tui            the full-screen view (smtpref tui) of the session;\n"
"                       needs a terminal; not with --save or --quiet\n"
"      --color[=WHEN]   auto (the default), always or never\n"
"  -h, --help           show this help and exit\n"
"\n", f);
}

static void usage_oneliner(FILE *f)
{
	fputs(
"One-line test client, with swaks' options: smtpref sends a test message\n"
"itself, through the same console, stops at the first step that fails\n"
"(QUIT), and ends with a verdict and an exit status for that step.\n"
"Without a server, the MX of the first recipient's domain is used.\n"
"      --from ADDR      the sender (default $LOGNAME@the EHLO name; '' is <>)\n"
"      --to ADDR[,ADDR...]  the recipients (repeatable)\n"
"      --header 'NAME: VALUE'  a header; it replaces one smtpref would add\n"
"                       (Date, Message-ID, From, To, Subject) (repeatable)\n"
"      --body TEXT|@FILE|-  the body (default: one line of text)\n"
"      --data @FILE|-   the whole message, as it is (nothing added)\n"
"      --attach @FILE   attach a file: MIME, its type from its name\n"
"      --quit-after STEP  QUIT after CONNECT, EHLO, TLS, AUTH, MAIL or RCPT\n"
"      --pipeline       MAIL, RCPT and DATA in one group when the server\n"
"                       offers PIPELINING (RFC 2920)\n"
"      --auth[=MECH]    log in with PLAIN or LOGIN (default: the best the\n"
"                       server offers); needs TLS\n"
"      --auth-user USER the user name\n"
"      --auth-password-file FILE  the password is its first line; else\n"
"                       SMTPREF_PASSWORD; else it is asked on the terminal\n"
"                       (never on the command line)\n"
"      --json           print only a JSON summary (steps, codes, timings,\n"
"                       recipients, findings, TLS)\n"
"\n"
"smtpref tui --connect HOST [PORT] [OPTION]... is smtpref connect --tui, and\n"
"smtpref shell --connect HOST [PORT] [OPTION]... is smtpref connect.\n"
"\n", f);
}

static void usage(FILE *f)
{
	const struct outcome_status *st;
	size_t n, i;

	usage_script(f);
	usage_oneliner(f);
	fputs("Exit status (a script: 0 it ended with 221, 1 otherwise; 2 to 4 and 29\n"
	    "as below):\n", f);
	st = outcome_statuses(&n);
	for (i = 0; i < n; i++)
		fprintf(f, "%4d  %s\n", st[i].status, st[i].help);
	fputs("\nExamples:\n"
"  smtpref connect --to bob@example.org --from me@example.org --tls\n"
"  smtpref connect --server mx.example.org --to bob@example.org \\\n"
"      --attach @report.pdf --quit-after RCPT\n"
"  printf 'MAIL FROM:<me@example.org>\\nRCPT TO:<you@example.org>\\nQUIT\\n' |\n"
"      smtpref connect --helo me.example.org mail.example.org\n", f);
}

static int usage_error(const char *msg, const char *arg)
{
	char safe[256], text[1200];

	/* msg may quote what the user gave (the one-liner's errors do) */
	fprintf(stderr, "%s: %s%s%s\n", me, printable_arg(msg, text, sizeof text),
	    arg ? " " : "", arg ? printable_arg(arg, safe, sizeof safe) : "");
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

/* prompt_tty - a password from the terminal, without echo */
static int prompt_tty(void *ctx, const char *user, char *pw, size_t size)
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

/* ask_password - :auth's password (the console tried SMTPREF_PASSWORD
 * first): the one-liner's, prepared before connecting, else asked */
static int ask_password(void *ctx, const char *user, char *pw, size_t size)
{
	if (ctx && oneliner_password(ctx, pw, size) == 0)
		return 0;
	return prompt_tty(NULL, user, pw, size);
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
    struct swaks_out *o, int *status, char *why, size_t size)
{
	char err[512];
	size_t n = 0, i;
	enum net_mx_result r;

	r = net_mx_lookup(domain, timeout_ms, mx, NET_MX_MAX, &n, err, sizeof err);
	switch (r) {
	case NET_MX_NXDOMAIN:
		snprintf(why, size, "the domain %s does not exist (the nameserver says NXDOMAIN)", domain);
		*status = 3;
		break;
	case NET_MX_NULL:
		snprintf(why, size, "%s publishes a null MX: it accepts no mail at all (RFC 7505)", domain);
		*status = 1;
		break;
	case NET_MX_FAILED:
		snprintf(why, size, "%s", err);
		*status = 3;
		break;
	case NET_MX_IMPLICIT:
		tell(o, TX_NOTE, "%s has no MX record: mail goes to the domain's own address, as if it had an MX of preference 0 naming itself (the implicit MX, RFC 5321 5.1)", domain);
		return (int)n;
	default:
		break;
	}
	if (r == NET_MX_NXDOMAIN || r == NET_MX_NULL || r == NET_MX_FAILED) {
		tell(o, TX_ERROR, "%s", why);
		return -1;
	}
	tell(o, TX_NOTE, "MX records of %s, tried in order of preference, lowest first (RFC 5321 5.1):", domain);
	for (i = 0; i < n; i++)
		tell(o, TX_NOTE, "preference %u: %s", mx[i].pref,
		    mx[i].host[0] ? mx[i].host : ".");
	return (int)n;
}

/* ---- the command line ----------------------------------------------------------- */

enum {
	OPT_MX = 256, OPT_STARTTLS, OPT_TLS_ON_CONNECT, OPT_TLS_OPTIONAL,
	OPT_INSECURE, OPT_HELO, OPT_NO_EHLO, OPT_NO_PIPELINING, OPT_TIMEOUT,
	OPT_SAVE, OPT_COLOR, OPT_TUI, OPT_EXPLAIN, OPT_SERVER, OPT_PORT
};

static const struct option options[] = {
	{ "mx", required_argument, NULL, OPT_MX },
	{ "starttls", no_argument, NULL, OPT_STARTTLS },
	{ "tls", no_argument, NULL, OPT_STARTTLS },
	{ "tls-on-connect", no_argument, NULL, OPT_TLS_ON_CONNECT },
	{ "tls-optional", no_argument, NULL, OPT_TLS_OPTIONAL },
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
	{ "server", required_argument, NULL, OPT_SERVER },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "from", required_argument, NULL, ONELINER_FROM },
	{ "to", required_argument, NULL, ONELINER_TO },
	{ "header", required_argument, NULL, ONELINER_HEADER },
	{ "body", required_argument, NULL, ONELINER_BODY },
	{ "data", required_argument, NULL, ONELINER_DATA },
	{ "attach", required_argument, NULL, ONELINER_ATTACH },
	{ "quit-after", required_argument, NULL, ONELINER_QUIT_AFTER },
	{ "pipeline", no_argument, NULL, ONELINER_PIPELINE },
	{ "auth", optional_argument, NULL, ONELINER_AUTH },
	{ "auth-user", required_argument, NULL, ONELINER_AUTH_USER },
	{ "auth-password-file", required_argument, NULL, ONELINER_AUTH_PASSWORD_FILE },
	{ "auth-password", required_argument, NULL, ONELINER_AUTH_PASSWORD },
	{ "json", no_argument, NULL, ONELINER_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

struct args {
	struct conn_opts co;
	const char *mx;
	const char *save;
	int quiet, no_pipelining, tls_given, tui;
	enum render_color_mode color;
	enum explain_level level;
	char server[NET_HOST_MAX];
	long port;		/* --port, or 0 */
	struct oneliner ol;
};

/* set_tls - a TLS option; the modes exclude each other */
static int set_tls(struct args *a, enum conn_tls_mode mode)
{
	static const char *const names[] = {
		[CONN_TLS_NONE] = "", [CONN_TLS_STARTTLS] = "--tls (--starttls)",
		[CONN_TLS_IMPLICIT] = "--tls-on-connect",
		[CONN_TLS_OPTIONAL] = "--tls-optional",
	};

	if (a->tls_given && a->co.tls != mode) {
		char both[80];

		snprintf(both, sizeof both, "%s and %s", names[a->co.tls], names[mode]);
		return usage_error("these TLS options exclude each other:", both);
	}
	a->co.tls = mode;
	a->tls_given = 1;
	return -1;
}

/* server - --server HOST[:PORT], [IPv6]:PORT, or an IPv6 address alone */
static int server(struct args *a, const char *arg)
{
	const char *colon = strrchr(arg, ':'), *end = arg + strlen(arg);
	long v;

	if (arg[0] == '[') {
		const char *rb = strchr(arg, ']');

		if (rb == NULL || (rb[1] && rb[1] != ':'))
			return usage_error("--server takes HOST, HOST:PORT or [IPv6]:PORT, not", arg);
		colon = rb[1] ? rb + 1 : NULL;
		end = rb + 1;
	} else if (colon && strchr(arg, ':') != colon)
		colon = NULL;	/* an IPv6 address without a port */
	if (colon) {
		v = parse_uint(colon + 1, 1, 65535);
		if (v < 0)
			return usage_error("--server: the port must be a number from 1 to 65535, not", colon + 1);
		a->port = v;
		end = colon;
	}
	if (end == arg || (size_t)(end - arg) >= sizeof a->server)
		return usage_error("--server takes HOST, HOST:PORT or [IPv6]:PORT, not", arg);
	snprintf(a->server, sizeof a->server, "%.*s", (int)(end - arg), arg);
	a->co.host = a->server;
	return -1;
}

/* conn_option - an option of the connection and of the output; -1 when
 * it was taken, else the exit status */
static int conn_option(struct args *a, int ch, const char *arg)
{
	long v;

	switch (ch) {
	case '4':
	case '6':
		if (a->co.family != AF_UNSPEC &&
		    a->co.family != (ch == '4' ? AF_INET : AF_INET6))
			return usage_error("-4 and -6 exclude each other", NULL);
		a->co.family = ch == '4' ? AF_INET : AF_INET6;
		return -1;
	case OPT_MX:
		a->mx = arg;
		return -1;
	case OPT_STARTTLS:
		return set_tls(a, CONN_TLS_STARTTLS);
	case OPT_TLS_ON_CONNECT:
		return set_tls(a, CONN_TLS_IMPLICIT);
	case OPT_TLS_OPTIONAL:
		return set_tls(a, CONN_TLS_OPTIONAL);
	case OPT_INSECURE:
		a->co.insecure = 1;
		return -1;
	case OPT_HELO:
		if (*arg == 0 || strpbrk(arg, " \t\r\n"))
			return usage_error("--helo takes one name, not", arg);
		a->co.helo = arg;
		return -1;
	case OPT_NO_EHLO:
		a->co.no_ehlo = 1;
		return -1;
	case OPT_NO_PIPELINING:
		a->no_pipelining = 1;
		return -1;
	case OPT_TIMEOUT:
		v = parse_uint(arg, 1, 86400);
		if (v < 0)
			return usage_error("--timeout takes whole seconds from 1 to 86400, not", arg);
		a->co.timeout_ms = (int)v * 1000;
		return -1;
	case OPT_SAVE:
		a->save = arg;
		return -1;
	case OPT_SERVER:
		return server(a, arg);
	case OPT_PORT:
		a->port = parse_uint(arg, 1, 65535);
		return a->port < 0 ? usage_error("--port takes a number from 1 to 65535, not", arg) : -1;
	default:
		return -2;
	}
}

/* output_option - how much is shown; -1 when taken, else the status */
static int output_option(struct args *a, int ch, const char *arg)
{
	switch (ch) {
	case 'q':
		a->quiet = 1;
		return -1;
	case OPT_TUI:
		a->tui = 1;
		return -1;
	case 'e':
	case OPT_EXPLAIN:
		if (strcmp(arg, "full") == 0)
			a->level = EXPLAIN_FULL;
		else if (strcmp(arg, "brief") == 0)
			a->level = EXPLAIN_BRIEF;
		else if (strcmp(arg, "off") == 0)
			a->level = EXPLAIN_OFF;
		else
			return usage_error("--explain takes full, brief or off, not", arg);
		return -1;
	case OPT_COLOR:
		ch = arg ? render_parse_color(arg) : RENDER_COLOR_ALWAYS;
		if (ch < 0)
			return usage_error("--color takes auto, always or never, not", arg);
		a->color = (enum render_color_mode)ch;
		return -1;
	case 'h':
		usage(stdout);
		return 0;
	default:
		return -2;
	}
}

/* unknown - getopt_long refused argv[optind - 1] */
static int unknown(char **argv)
{
	if (optopt && optopt < 256) {
		char opt[3] = { '-', (char)optopt, 0 };

		return usage_error("unknown option or missing argument:", opt);
	}
	return usage_error("unknown option or missing argument:", argv[optind - 1]);
}

/* operands - HOST [PORT] (or PORT alone with --mx, --server or the
 * recipients' MX) */
static int operands(int argc, char **argv, struct args *a)
{
	int rest = argc - optind;
	int elsewhere = a->mx || a->co.host || (a->ol.active && a->ol.nto > 0);
	long v;

	if (elsewhere && rest > 1)
		return usage_error(a->co.host ? "with --server, the only argument is a PORT; unexpected" :
		    "with --mx (or --to and no server), the only argument is a PORT; unexpected",
		    argv[optind + 1]);
	if (!elsewhere && rest < 1 && !a->ol.active)	/* else oneliner_check says */
		return usage_error("which server? Give a HOST (or --mx DOMAIN, or --to ADDR)", NULL);
	if (rest > 2)
		return usage_error("unexpected argument", argv[optind + 2]);
	if (rest == 2 || (rest == 1 && !elsewhere))
		a->co.host = argv[optind++];
	if (optind < argc) {
		v = parse_uint(argv[optind], 1, 65535);
		if (v < 0)
			return usage_error("PORT must be a number from 1 to 65535, not", argv[optind]);
		if (a->port && a->port != v)
			return usage_error("two ports given:", argv[optind]);
		a->port = v;
	}
	a->co.port = (unsigned)a->port;
	return -1;
}

/* combinations - what does not go together */
static int combinations(struct args *a)
{
	char err[600];

	if (a->co.no_ehlo && (a->co.tls == CONN_TLS_STARTTLS || a->co.tls == CONN_TLS_OPTIONAL))
		return usage_error("--tls needs EHLO, so it cannot go with --no-ehlo", NULL);
	if (a->tui && (a->save || a->quiet))
		return usage_error("--tui shows the whole session full-screen; it cannot go with", a->save ? "--save" : "--quiet");
	if (!a->ol.active)
		return -1;
	if (a->tui || a->co.no_ehlo)
		return usage_error("the one-line client (--to, --from...) sends its own lines: it cannot go with",
		    a->tui ? "--tui" : "--no-ehlo");
	if (oneliner_check(&a->ol, a->co.host || a->mx, err, sizeof err) != 0)
		return usage_error(err, NULL);
	return -1;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	char err[600];
	int ch, st;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "46qhe:", options, NULL)) != -1) {
		if (ch == '?')
			return unknown(argv);
		if (ch >= ONELINER_FROM && ch < ONELINER_LAST) {
			if (oneliner_option(&a->ol, ch, optarg, err, sizeof err) != 0)
				return usage_error(err, NULL);
			continue;
		}
		st = conn_option(a, ch, optarg);
		if (st == -2)
			st = output_option(a, ch, optarg);
		if (st == -2)
			return unknown(argv);
		if (st >= 0)
			return st;
	}
	st = operands(argc, argv, a);
	return st >= 0 ? st : combinations(a);
}

/* port_notes - what the port says about the session */
static void port_notes(struct args *a, struct swaks_out *o)
{
	if (a->co.port == 465 && a->co.tls == CONN_TLS_STARTTLS) {
		/* what --tls meant before it was swaks' */
		a->co.tls = CONN_TLS_IMPLICIT;
		tell(o, TX_NOTE, "%s", "port 465 is submission over implicit TLS (RFC 8314 3.3): --tls there starts TLS before the greeting, as --tls-on-connect does");
		return;
	}
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
	char name[256];

	if (is_domain_name(a->co.helo))
		return;
	printable_arg(a->co.helo, name, sizeof name);
	if (a->tui)
		tell(o, TX_ERROR, "warning: the EHLO name '%s' is %s; RFC 5321 4.1.1.1 wants this machine's fully qualified domain name (or an address literal like [192.0.2.1]), and many servers refuse others: give one with --helo",
		    name, strcmp(a->co.helo, "localhost") == 0 ? "localhost" : "not a domain name");
	else
		fprintf(stderr, "%s: warning: the EHLO name '%s' is %s; RFC 5321 4.1.1.1 wants this machine's fully qualified domain name (or an address literal like [192.0.2.1]), and many servers refuse others: give one with --helo\n",
		    me, name, strcmp(a->co.helo, "localhost") == 0 ? "localhost" : "not a domain name");
}

/* ---- the session ---------------------------------------------------------------- */

/* made - the peer console_connect had made last (realpeer_new's), so
 * that the one-liner reads its record without asking the console */
static struct peer *made;

static struct peer *make_peer(const struct conn_opts *o,
    const struct tx_sink *sink)
{
	made = realpeer_new(o, sink);
	return made;
}

/* connect_mx - a console on the server, or on each MX in turn while one
 * cannot be reached (RFC 5321 5.1); the console, or NULL */
static struct console *connect_mx(struct args *a, struct swaks_out *o,
    struct net_mx *mx, int nmx, int oneliner)
{
	struct console_opts co;
	struct tx_sink sink = { o, swaks_item };
	struct console *c;
	int i;

	memset(&co, 0, sizeof co);
	co.session.level = a->level;
	co.ask_password = ask_password;
	co.ask_ctx = oneliner ? &a->ol : NULL;
	co.lookup = lookup_plain;
	co.connect = make_peer;
	co.mail_script = 1;
	co.no_pipelining = a->no_pipelining || (oneliner && !a->ol.pipeline);
	c = console_new(&co, &sink);
	if (c == NULL) {
		fprintf(stderr, "%s: out of memory\n", me);
		return NULL;
	}
	for (i = 0; i < nmx; i++) {
		if (mx)
			a->co.host = mx[i].host;
		if (console_connect(c, &a->co) == 0) {
			if (mx && nmx > 1)
				tell(o, TX_NOTE, "%s (preference %u) answered", mx[i].host, mx[i].pref);
			break;
		}
		if (i + 1 < nmx)
			tell(o, TX_NOTE, "%s", "trying the next MX");
	}
	return c;
}

/* session_time - how long a script's session took, and its slowest
 * reply */
static void session_time(struct swaks_out *o, const struct outcome *rec)
{
	const struct outcome_entry *slow = NULL;
	size_t i;

	for (i = 0; i < rec->n; i++)
		if (rec->e[i].answered && (slow == NULL || rec->e[i].ms > slow->ms))
			slow = &rec->e[i];
	if (slow)
		tell(o, TX_NOTE, "the session took %ld ms; the slowest reply, %ld ms, answered %s",
		    outcome_session_ms(rec, net_now_ms()), slow->ms,
		    slow->step == OUTCOME_CONNECT ? "the connection (the greeting)" :
		    slow->step == OUTCOME_DOT ? "the final dot" : outcome_step_str(slow->step));
}

/* scripted - standard input into a console on the server; the exit
 * status */
static int scripted(struct args *a, struct swaks_out *o, struct net_mx *mx,
    int nmx)
{
	struct console *c = connect_mx(a, o, a->mx ? mx : NULL, nmx, 0);
	int st;

	if (c == NULL)
		return 1;
	if (console_input(c) != PEER_IN_CLOSED)
		st = script_run(c, stdin, me);
	else
		st = console_exit_status(c);
	if (made && realpeer_outcome(made)->connected_ms)
		session_time(o, realpeer_outcome(made));
	console_free(c);
	return st;
}

/* verdict - the one-liner's, printed as asked; the exit status */
static int verdict(struct args *a, struct swaks_out *o, const struct outcome *rec,
    const char *mx_domain, int status, const char *why)
{
	struct send_verdict vd;
	struct outcome_goal g;

	memset(&vd, 0, sizeof vd);
	oneliner_goal(&a->ol, a->co.tls == CONN_TLS_STARTTLS,
	    a->co.tls == CONN_TLS_IMPLICIT, &g);
	vd.rec = rec;
	vd.mx = mx_domain;
	vd.msg = a->ol.built ? &a->ol.msg : NULL;
	vd.now_ms = net_now_ms();
	if (rec)
		outcome_verdict(rec, &g, &vd.v);
	else
		vd.v.decided = -1;
	if (status >= 0) {	/* decided before or without a reply */
		vd.v.status = status;
		vd.v.decided = -1;
		vd.why = why;
	}
	if (a->ol.json)
		send_verdict_json(stdout, &vd);
	else
		send_verdict_text(&o->r, &vd, a->quiet);
	if (o->save) {
		struct render sr;

		render_init(&sr, o->save, RENDER_COLOR_NEVER);
		sr.width = 100000;
		send_verdict_text(&sr, &vd, 1);
	}
	return vd.v.status;
}

/* target - where the one-liner goes: the server given, or the MX of
 * --mx or of the first recipient's domain (an address literal is the
 * address itself, RFC 5321 5.1); the domain whose MX is used, or NULL */
static const char *target(struct args *a, struct swaks_out *o, char *buf,
    size_t size)
{
	const char *d;
	size_t i, n;

	if (a->co.host)
		return NULL;
	if (a->mx)
		return a->mx;
	d = oneliner_domain(&a->ol, buf, size);
	if (d == NULL)
		return NULL;
	n = strlen(d);
	if (d[0] == '[' && n > 2) {
		const char *lit = d + 1;

		if (ascii_ieq(lit, 5, "IPv6:"))
			lit += 5;
		snprintf(a->server, sizeof a->server, "%.*s", (int)(d + n - 1 - lit), lit);
		a->co.host = a->server;
		tell(o, TX_NOTE, "the recipient's domain is an address literal: smtpref connects to %s itself, with no MX lookup (RFC 5321 5.1)",
		    a->server);
		return NULL;
	}
	for (i = 1; i < a->ol.nto; i++) {
		const char *at = strrchr(a->ol.to[i], '@');

		if (at && !ascii_ieq(at + 1, strlen(at + 1), d)) {
			tell(o, TX_NOTE, "the recipients are in more than one domain: smtpref asks %s's MX for them all, where a mail server would open a session per domain (RFC 5321 5.1)",
			    d);
			break;
		}
	}
	return d;
}

/* oneliner - the one-line test client; the exit status */
static int oneliner(struct args *a, struct swaks_out *o)
{
	struct net_mx mx[NET_MX_MAX];
	struct tx_sink sink = { o, swaks_item };
	struct outcome_goal g;
	struct console *c;
	char dom[NET_HOST_MAX], err[1200];
	const char *domain;
	int nmx = 1, st = OUTCOME_NO_CONNECTION;

	if (a->ol.quit_after == OUTCOME_CONNECT) {
		a->co.no_ehlo = 1;	/* no EHLO, so no STARTTLS either */
		if (a->co.tls != CONN_TLS_IMPLICIT)
			a->co.tls = CONN_TLS_NONE;
	}
	if (oneliner_prepare(&a->ol, a->co.helo, prompt_tty, NULL, err, sizeof err) != 0) {
		char safe[1200];

		fprintf(stderr, "%s: %s\n", me, printable_arg(err, safe, sizeof safe));
		return OUTCOME_USAGE;
	}
	domain = target(a, o, dom, sizeof dom);
	if (domain) {
		nmx = mx_list(domain, a->co.timeout_ms, mx, o, &st, err, sizeof err);
		if (nmx < 0)
			return verdict(a, o, NULL, domain, st, err);
	}
	made = NULL;
	c = connect_mx(a, o, domain ? mx : NULL, nmx, 1);
	if (c == NULL)
		return 1;
	oneliner_goal(&a->ol, a->co.tls == CONN_TLS_STARTTLS,
	    a->co.tls == CONN_TLS_IMPLICIT, &g);
	if (made)
		oneliner_run(&a->ol, c, made, &g, &sink);
	st = verdict(a, o, made ? realpeer_outcome(made) : NULL, domain,
	    a->ol.status ? a->ol.status : -1, a->ol.status ? a->ol.why : NULL);
	console_free(c);
	return st;
}

/* interactive - a person at a terminal gets the shell (or the
 * full-screen view), with its history, completion and meta-commands */
static int interactive(struct args *a, struct swaks_out *o, struct net_mx *mx,
    int nmx)
{
	struct console_opts co;

	memset(&co, 0, sizeof co);
	co.session.role = SESSION_CLIENT;
	co.session.level = a->level;
	co.session.hints = 1;
	if (a->mx) {
		a->co.host = mx[0].host;
		if (nmx > 1)
			tell(o, TX_NOTE, "%s", "connecting to the first MX; if it cannot be reached, :connect the next one");
	}
	if (a->tui)
		return tui_run(&co, (int)a->color, &a->co);
	return shell_run(&co, (int)a->color, &a->co);
}

/* start - the output, the EHLO name; 0, or the exit status */
static int start(struct args *a, struct swaks_out *o, char *helo, size_t size)
{
	memset(o, 0, sizeof *o);
	o->prog = me;
	o->quiet = a->quiet && !a->ol.active;
	o->verdict_only = a->ol.active && (a->quiet || a->ol.json);
	o->hold = a->tui;
	render_init(&o->r, stdout, a->color);
	if (a->save) {
		/* never through a symbolic link planted at the name, never
		 * blocking on a FIFO (lesson/safefile.h) */
		char err[600];
		int fd = safefile_open(a->save, O_CREAT | O_TRUNC, 0666, err,
		    sizeof err);

		if (fd < 0 || (o->save = fdopen(fd, "w")) == NULL) {
			char *safe = printable_dup(err, strlen(err), 0);

			fprintf(stderr, "%s: cannot write the transcript: %s\n", me,
			    fd < 0 && safe ? safe : strerror(errno));
			free(safe);
			if (fd >= 0)
				close(fd);
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (a->co.helo == NULL) {
		net_default_helo(helo, size);
		a->co.helo = helo;
	}
	helo_check(a, o);
	port_notes(a, o);
	return 0;
}

int connect_main(int argc, char **argv)
{
	struct args a;
	struct swaks_out o;
	struct net_mx mx[NET_MX_MAX];
	char helo[NET_HOST_MAX], err[600];
	int st, status = 3, nmx = 1;

	memset(&a, 0, sizeof a);
	oneliner_init(&a.ol);
	a.co.family = AF_UNSPEC;
	a.co.timeout_ms = 30000;
	a.color = RENDER_COLOR_AUTO;
	a.level = EXPLAIN_FULL;
	st = parse_args(argc, argv, &a);
	if (st >= 0)
		goto done;
	st = 2;
	if (a.tui && !(isatty(0) && isatty(1))) {
		fprintf(stderr, "%s: --tui needs a terminal; without one, smtpref connect sends the lines it reads from standard input\n", me);
		goto done;
	}
	if ((st = start(&a, &o, helo, sizeof helo)) != 0)
		goto done;
	if (a.ol.active)
		status = oneliner(&a, &o);
	else if (a.mx && (nmx = mx_list(a.mx, a.co.timeout_ms, mx, &o, &status,
	    err, sizeof err)) < 0)
		;
	else if (a.tui || (isatty(0) && isatty(1) && !a.quiet && !a.save)) {
		st = interactive(&a, &o, mx, nmx);
		goto done;
	} else
		status = scripted(&a, &o, mx, nmx);
	if (o.save && (fclose(o.save) != 0 || o.save_failed)) {
		char name[256];

		fprintf(stderr, "%s: writing %s failed\n", me,
		    printable_arg(a.save, name, sizeof name));
		if (status == 0)
			status = 1;
	}
	st = status;
done:
	oneliner_free(&a.ol);
	return st;
}
