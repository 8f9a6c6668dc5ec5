/* connect.c - smtpref connect: a session with a real SMTP server
 *
 * The command line, the MX list, and the scripted driver of conn.c: each
 * input line is one command (or a line of the message after 354), sent
 * with CRLF, and each reply is awaited as a real client does before the
 * next line goes.  Lines starting with ':' are smtpref's own commands
 * (:auth).  conn.c's items are rendered here, to stdout (and to the
 * --save file in swaks's style); errors go to stderr.
 *
 * On a terminal the shell (or with --tui the full-screen view) takes
 * over, driving conn.c through the console's event interface.
 */
#include <config.h>

#include "cli/connect.h"
#include "console/console.h"
#include "term/shell.h"
#include "term/tui.h"

#include "net/conn.h"
#include "net/net.h"
#include "console/record.h"
#include "core/ref.h"
#include "term/render.h"
#include "core/syntax.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#define INPUT_LINE_MAX 65536	/* an input line; longer ones are refused */
#define GROUP_MAX 100		/* commands in one pipelined group */
#define PASSWORD_MAX 1024

static const char me[] = "smtpref connect";

/* ---- rendering ------------------------------------------------------------ */

struct out {
	struct render r;
	FILE *save;
	int quiet;
	int save_failed;
	int tui;		/* held for the full-screen view, not printed */
};

static void save_item(struct out *o, const struct tx_item *it)
{
	char line[8300];
	size_t n;

	if (o->save == NULL)
		return;
	n = tx_item_line(it, line, sizeof line);
	if (n > 0 && fprintf(o->save, "%s\n", line) < 0)
		o->save_failed = 1;
}

static void on_item(void *ctx, const struct tx_item *it)
{
	struct out *o = ctx;
	struct render *r = &o->r;

	/* for the full-screen view, held until it starts; an error also
	 * goes to stderr, in case it never does */
	if (o->tui) {
		tui_preface(it);
		if (it->kind != TX_ERROR)
			return;
	}
	save_item(o, it);
	switch (it->kind) {
	case TX_SENT:
		render_text(r, RENDER_BOLD, it->tls ? " ~> " : " -> ");
		render_textn(r, RENDER_BOLD, it->text, it->len);
		render_newline(r);
		break;
	case TX_RECEIVED:
		render_text(r, RENDER_PLAIN, it->tls ? "<~  " : "<-  ");
		render_textn(r, it->code ? render_code_style(it->code) : RENDER_WARN,
		    it->text, it->len);
		render_newline(r);
		break;
	case TX_EXPLAIN:
	case TX_HINT:
		if (o->quiet)
			break;
		render_text(r, RENDER_DIM, "     # ");
		render_text(r, RENDER_LABEL, it->label ? it->label : "hint");
		render_text(r, RENDER_DIM, ": ");
		render_wrap(r, RENDER_DIM, it->text, 9);
		render_newline(r);
		break;
	case TX_FINDING:
		if (o->quiet)
			break;
		render_text(r, RENDER_WARN, "*** ");
		if (it->label) {
			render_text(r, RENDER_WARN, it->label);
			render_text(r, RENDER_WARN, ": ");
		}
		render_wrap(r, RENDER_WARN, it->text, 4);
		render_newline(r);
		break;
	case TX_NOTE:
		if (o->quiet)
			break;
		render_text(r, RENDER_LABEL, "=== ");
		render_wrap(r, RENDER_PLAIN, it->text, 4);
		render_newline(r);
		break;
	case TX_ERROR:
		fflush(stdout);
		fprintf(stderr, "%s: %.*s\n", me, (int)it->len, it->text);
		break;
	default:
		break;
	}
	fflush(stdout);
}

/* tell - an item of smtpref connect's own */
static void tell(struct out *o, enum tx_kind kind, const char *text)
{
	struct tx_item it;

	memset(&it, 0, sizeof it);
	it.kind = kind;
	it.text = text;
	it.len = strlen(text);
	on_item(o, &it);
}

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
"message lines are dot-stuffed.  Lines starting with ':' are smtpref's:\n"
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

/* default_helo - this machine's FQDN: the host name when it has a dot,
 * else its canonical name (RFC 5321 4.1.1.1 wants a FQDN) */
/* ---- input ------------------------------------------------------------------- */

struct input {
	FILE *f;
	char *buf;		/* INPUT_LINE_MAX + 1 */
	char *held;		/* a line read ahead, not used yet */
	size_t held_len;
	int has_held;
	long lineno;
};

/* next_line - the next input line without its line ending; NULL at the
 * end.  A line too long is reported and skipped. */
static char *next_line(struct input *in, struct out *o, size_t *len)
{
	if (in->has_held) {
		in->has_held = 0;
		*len = in->held_len;
		memcpy(in->buf, in->held, in->held_len + 1);
		return in->buf;
	}
	for (;;) {
		size_t n = 0;
		int ch, too_long = 0;

		while ((ch = getc(in->f)) != EOF && ch != '\n') {
			if (n < INPUT_LINE_MAX)
				in->buf[n++] = (char)ch;
			else
				too_long = 1;
		}
		if (ch == EOF && n == 0 && !too_long)
			return NULL;
		in->lineno++;
		if (too_long) {
			char msg[128];

			snprintf(msg, sizeof msg, "input line %ld is longer than %d octets: not sent",
			    in->lineno, INPUT_LINE_MAX);
			tell(o, TX_ERROR, msg);
			continue;
		}
		if (n > 0 && in->buf[n - 1] == '\r')
			n--;	/* the input's own CRLF: smtpref adds its own */
		in->buf[n] = 0;
		*len = n;
		return in->buf;
	}
}

/* hold - give a line back, to be read again */
static void hold(struct input *in, const char *line, size_t len)
{
	memcpy(in->held, line, len + 1);
	in->held_len = len;
	in->has_held = 1;
}

/* ---- meta-commands ----------------------------------------------------------- */

/* read_password - SMTPREF_PASSWORD, else asked on /dev/tty without echo */
static int read_password(const char *user, char *pw, size_t size, struct out *o)
{
	const char *env = getenv("SMTPREF_PASSWORD");
	struct termios old, quiet;
	int fd, echo_off = 0;
	ssize_t k;
	size_t n = 0;
	char prompt[300];

	if (env) {
		if (strlen(env) >= size) {
			tell(o, TX_ERROR, "SMTPREF_PASSWORD is too long");
			return -1;
		}
		snprintf(pw, size, "%s", env);
		return 0;
	}
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		tell(o, TX_ERROR, "no password: set SMTPREF_PASSWORD, or run smtpref on a terminal");
		return -1;
	}
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		echo_off = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	snprintf(prompt, sizeof prompt, "Password for %s: ", user);
	if (write(fd, prompt, strlen(prompt)) < 0)
		n = 0;
	while (n + 1 < size && (k = read(fd, pw + n, 1)) == 1 && pw[n] != '\n')
		n++;
	pw[n] = 0;
	if (echo_off)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		n = n + 0;
	close(fd);
	return 0;
}

static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

/* meta - a line starting with ':' */
static void meta(struct conn *c, char *line, struct out *o)
{
	char *save = NULL, *cmd = strtok_r(line + 1, " \t", &save);
	char *mech = cmd ? strtok_r(NULL, " \t", &save) : NULL;
	char *user = mech ? strtok_r(NULL, " \t", &save) : NULL;
	char pw[PASSWORD_MAX];

	if (cmd && strcmp(cmd, "starttls") == 0) {
		conn_starttls(c);
		return;
	}
	if (cmd == NULL || (strcmp(cmd, "auth") != 0 && strcmp(cmd, "auth!") != 0)) {
		tell(o, TX_ERROR, "unknown meta-command (known: :auth plain USER, :auth login USER, :auth! ..., :starttls)");
		return;
	}
	if (mech == NULL || user == NULL || strtok_r(NULL, " \t", &save)) {
		tell(o, TX_ERROR, ":auth takes a mechanism (plain or login) and a user name");
		return;
	}
	if (strcmp(mech, "plain") != 0 && strcmp(mech, "login") != 0) {
		tell(o, TX_ERROR, ":auth knows the mechanisms plain and login");
		return;
	}
	if (!conn_tls_on(c) && strcmp(cmd, "auth!") != 0) {
		/* conn_auth refuses too; asking for the password first would
		 * be a trap */
		conn_auth(c, mech, user, "", 0);
		return;
	}
	if (read_password(user, pw, sizeof pw, o) != 0)
		return;
	conn_auth(c, mech, user, pw, strcmp(cmd, "auth!") == 0);
	wipe(pw, sizeof pw);
}

/* ---- the scripted session ----------------------------------------------------- */

/* verb - the upper-case verb of a command line */
static void verb(const char *line, size_t len, char *v, size_t size)
{
	size_t i = 0;

	while (i < len && i + 1 < size && line[i] != ' ') {
		v[i] = line[i] >= 'a' && line[i] <= 'z' ? (char)(line[i] - 32) : line[i];
		i++;
	}
	v[i] = 0;
}

/* groupable - may be sent before another command in a group (RFC 2920
 * 3.1); BDAT never is here, as its chunk must follow it */
static int groupable(const char *line, size_t len)
{
	char v[16];
	const struct ref_command *r;

	verb(line, len, v, sizeof v);
	r = ref_command_find(v, strlen(v));
	return r && strcmp(r->pipelining, "anywhere") == 0 &&
	    strcmp(v, "BDAT") != 0;
}

/* is_bdat - the line is a BDAT command, whose chunk must follow it */
static int is_bdat(const char *line, size_t len)
{
	char v[16];

	verb(line, len, v, sizeof v);
	return strcmp(v, "BDAT") == 0;
}

/* send_group - the commands from first on, as one RFC 2920 group: every
 * groupable one, and the next command as the last; the last verb goes
 * into last_verb */
static void send_group(struct conn *c, struct input *in, struct out *o,
    const char *first, size_t first_len, char *last_verb, size_t lvsize)
{
	char *lines[GROUP_MAX];
	size_t lens[GROUP_MAX], n = 0, i, len = first_len;
	const char *line = first;

	for (;;) {
		lines[n] = malloc(len + 1);
		if (lines[n] == NULL)
			break;
		memcpy(lines[n], line, len + 1);
		lens[n++] = len;
		if (!groupable(line, len) || n == GROUP_MAX)
			break;
		line = next_line(in, o, &len);
		if (line == NULL)
			break;
		if (line[0] == ':' || is_bdat(line, len)) {
			hold(in, line, len);
			break;
		}
	}
	if (n == 0) {
		tell(o, TX_ERROR, "out of memory");
		return;
	}
	verb(lines[n - 1], lens[n - 1], last_verb, lvsize);
	if (n == 1)
		conn_send(c, lines[0], lens[0]);
	else
		conn_send_group(c, (const char *const *)lines, lens, n);
	for (i = 0; i < n; i++)
		free(lines[i]);
}

/* run_script - send the input, line by line; the session is open */
static void run_script(struct conn *c, struct input *in, struct out *o,
    int pipelining)
{
	char *line, v[16];
	size_t len;
	long unsent = 0, skipped = 0;
	int skip_body = 0;

	while ((line = next_line(in, o, &len)) != NULL) {
		enum conn_input mode;

		if (conn_closed(c)) {
			unsent++;
			continue;
		}
		mode = conn_input(c);
		v[0] = 0;
		if (mode == CONN_IN_COMMAND && skip_body) {
			skipped++;
			if (len == 1 && line[0] == '.')
				skip_body = 0;
			continue;
		}
		if (mode == CONN_IN_COMMAND && len > 0 && line[0] == ':') {
			meta(c, line, o);
			continue;
		}
		if (mode == CONN_IN_COMMAND && pipelining &&
		    conn_offers(c, "PIPELINING") && groupable(line, len))
			send_group(c, in, o, line, len, v, sizeof v);
		else {
			if (mode == CONN_IN_COMMAND)
				verb(line, len, v, sizeof v);
			conn_send(c, line, len);
		}
		conn_wait(c);
		if (strcmp(v, "DATA") == 0 && !conn_closed(c) &&
		    conn_input(c) != CONN_IN_MESSAGE) {
			skip_body = 1;
			tell(o, TX_NOTE, "DATA got no 354, so the message lines that follow in the input, up to the line \".\", are not sent");
		}
	}
	if (skipped > 0) {
		char msg[128];

		snprintf(msg, sizeof msg, "%ld message lines not sent", skipped);
		tell(o, TX_NOTE, msg);
	}
	if (unsent > 0) {
		char msg[128];

		snprintf(msg, sizeof msg, "%ld input lines not sent: the session was over",
		    unsent);
		tell(o, TX_NOTE, msg);
	}
	if (!conn_closed(c)) {
		tell(o, TX_NOTE, "the input ended before QUIT: smtpref closes the connection");
		conn_close(c);
	}
}

/* exit_status - from how the session ended */
static int exit_status(const struct conn *c)
{
	switch (conn_state(c)) {
	case CONN_ENDED:
		return 0;
	case CONN_NETWORK:
	case CONN_TLS_FAILED:
		return 3;
	default:
		return 1;
	}
}

/* ---- MX ---------------------------------------------------------------------- */

/* mx_list - look up and show the MX records of domain; the count, or -1
 * with *status set */
static int mx_list(const char *domain, int timeout_ms, struct net_mx *mx,
    struct out *o, int *status)
{
	char err[512], line[600];
	size_t n = 0, i;
	enum net_mx_result r;

	r = net_mx_lookup(domain, timeout_ms, mx, NET_MX_MAX, &n, err, sizeof err);
	switch (r) {
	case NET_MX_NXDOMAIN:
		snprintf(line, sizeof line, "the domain %s does not exist (the nameserver says NXDOMAIN)", domain);
		tell(o, TX_ERROR, line);
		*status = 3;
		return -1;
	case NET_MX_NULL:
		snprintf(line, sizeof line, "%s publishes a null MX: it accepts no mail at all (RFC 7505)", domain);
		tell(o, TX_ERROR, line);
		*status = 1;
		return -1;
	case NET_MX_FAILED:
		tell(o, TX_ERROR, err);
		*status = 3;
		return -1;
	case NET_MX_IMPLICIT:
		snprintf(line, sizeof line, "%s has no MX record: mail goes to the domain's own address, as if it had an MX of preference 0 naming itself (the implicit MX, RFC 5321 5.1)", domain);
		tell(o, TX_NOTE, line);
		return (int)n;
	default:
		break;
	}
	snprintf(line, sizeof line, "MX records of %s, tried in order of preference, lowest first (RFC 5321 5.1):", domain);
	tell(o, TX_NOTE, line);
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof line, "preference %u: %s", mx[i].pref,
		    mx[i].host[0] ? mx[i].host : ".");
		tell(o, TX_NOTE, line);
	}
	return (int)n;
}

/* ---- main ------------------------------------------------------------------------ */

enum {
	OPT_MX = 256, OPT_STARTTLS, OPT_TLS, OPT_INSECURE, OPT_HELO, OPT_NO_EHLO,
	OPT_NO_PIPELINING, OPT_TIMEOUT, OPT_SAVE, OPT_COLOR, OPT_TUI
};

struct args {
	struct conn_opts co;
	const char *mx;
	const char *save;
	int quiet, no_pipelining, tls_given, tui;
	enum render_color_mode color;
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
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "colour", optional_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long v;
	int ch, rest;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "46qh", opts, NULL)) != -1) {
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
static void port_notes(struct args *a, struct out *o)
{
	if (a->co.port == 0)
		a->co.port = a->co.tls == CONN_TLS_IMPLICIT ? 465 : 25;
	if (a->co.port == 465 && !a->tls_given) {
		a->co.tls = CONN_TLS_IMPLICIT;
		tell(o, TX_NOTE, "port 465 is submission over implicit TLS (RFC 8314 3.3): TLS starts before the greeting");
	} else if (a->co.port == 587)
		tell(o, TX_NOTE, "port 587 is message submission (RFC 6409): the server will want AUTH, normally after STARTTLS");
}

int connect_main(int argc, char **argv)
{
	struct args a;
	struct out o;
	struct tx_sink sink = { &o, on_item };
	struct net_mx mx[NET_MX_MAX];
	struct input in;
	char helo[NET_HOST_MAX];
	struct conn *c = NULL;
	int st, status = 3, nmx = 1, i;

	memset(&a, 0, sizeof a);
	a.co.family = AF_UNSPEC;
	a.co.timeout_ms = 30000;
	a.color = RENDER_COLOR_AUTO;
	st = parse_args(argc, argv, &a);
	if (st >= 0)
		return st;
	if (a.tui && !(isatty(0) && isatty(1))) {
		fprintf(stderr, "%s: --tui needs a terminal; without one, smtpref connect sends the lines it reads from standard input\n", me);
		return 2;
	}
	memset(&o, 0, sizeof o);
	o.quiet = a.quiet;
	o.tui = a.tui;
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
	if (!is_domain_name(a.co.helo)) {
		char warn[NET_HOST_MAX + 400];

		snprintf(warn, sizeof warn, "warning: the EHLO name '%s' is %s; RFC 5321 4.1.1.1 wants this machine's fully qualified domain name (or an address literal like [192.0.2.1]), and many servers refuse others: give one with --helo",
		    a.co.helo, strcmp(a.co.helo, "localhost") == 0 ?
		    "localhost" : "not a domain name");
		if (a.tui)
			tell(&o, TX_ERROR, warn);	/* shown in the view */
		else
			fprintf(stderr, "%s: %s\n", me, warn);
	}
	port_notes(&a, &o);
	if (a.mx) {
		nmx = mx_list(a.mx, a.co.timeout_ms, mx, &o, &status);
		if (nmx < 0)
			goto out;
	}
	/* a person at a terminal gets the shell (or the full-screen view),
	 * with its history, completion and meta-commands, talking to this
	 * server */
	if (a.tui || (isatty(0) && isatty(1) && !a.quiet && !a.save)) {
		struct console_opts co = { .session = { SESSION_CLIENT, NULL, NULL, EXPLAIN_FULL, 1 } };

		if (a.mx) {
			a.co.host = mx[0].host;
			if (nmx > 1)
				tell(&o, TX_NOTE, "connecting to the first MX; if it cannot be reached, :connect the next one");
		}
		if (a.tui)
			return tui_run(&co, (int)a.color, &a.co);
		return shell_run(&co, (int)a.color, &a.co);
	}
	for (i = 0; i < nmx; i++) {
		if (a.mx)
			a.co.host = mx[i].host;
		conn_free(c);
		c = conn_new(&a.co, &sink);
		if (c == NULL) {
			fprintf(stderr, "%s: out of memory\n", me);
			status = 1;
			goto out;
		}
		conn_open(c);
		/* RFC 5321 5.1: the next MX when this one cannot be reached
		 * or never greets */
		if (!(conn_state(c) == CONN_NETWORK && conn_fd(c) < 0 &&
		    conn_last_code(c) == 0) || i + 1 == nmx)
			break;
		tell(&o, TX_NOTE, "trying the next MX");
	}
	if (!conn_closed(c)) {
		memset(&in, 0, sizeof in);
		in.f = stdin;
		in.buf = malloc(INPUT_LINE_MAX + 1);
		in.held = malloc(INPUT_LINE_MAX + 1);
		if (in.buf && in.held)
			run_script(c, &in, &o, !a.no_pipelining);
		else
			fprintf(stderr, "%s: out of memory\n", me);
		free(in.buf);
		free(in.held);
	}
	status = exit_status(c);
out:
	conn_free(c);
	if (o.save && (fclose(o.save) != 0 || o.save_failed)) {
		fprintf(stderr, "%s: writing %s failed\n", me, a.save);
		if (status == 0)
			status = 1;
	}
	return status;
}
