/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sessioncmd.c - smtpref shell and smtpref tui: their command lines
 *
 * Both take the same options (shell_parse_args) and hand a console's
 * options to the front end that draws it: term/shell.c or term/tui.c.
 * The shell's first run on a terminal starts with a welcome (how to get
 * help, the first lesson, how to leave), as vimtutor does; a marker in
 * the state directory says it was shown.
 */
#include <config.h>

#include "cli/sessioncmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/lessonrun.h"
#include "console/console.h"
#include "core/ref.h"
#include "lesson/progress.h"
#include "net/clientpeer.h"
#include "term/render.h"
#include "term/shell.h"
#include "term/tui.h"
#include "core/printable.h"

static void shell_usage(FILE *f)
{
	fputs(
"Usage: smtpref shell [--role client|server] [--persona NAME] [--scenario NAME]\n"
"                     [--lesson NAME] [--explain=LEVEL] [--color[=WHEN]]\n"
"       smtpref shell --connect HOST [PORT] [CONNECT OPTION]...\n"
"       smtpref shell --role server --listen PORT [--persona NAME]\n"
"\n"
"Learn SMTP by typing it.  As the client (the default) you type commands\n"
"and a simulated server answers; as the server you type the replies to a\n"
"simulated client.  Every reply is explained as it appears.\n"
"\n"
"  -r, --role ROLE        client (you send commands) or server (you reply)\n"
"  -p, --persona NAME     the simulated server (smtpref list personas);\n"
"                         default: modern\n"
"  -s, --scenario NAME    what the simulated client does, in the server role\n"
"                         (smtpref list scenarios); default: plain\n"
"      --lesson NAME      start with a lesson (smtpref lesson list shows them);\n"
"                         when it is over, the shell goes on\n"
"  -e, --explain=LEVEL    full (the default), brief or off\n"
"      --no-hints         no hints after mistakes\n"
"  -q, --quiet            no welcome on the first run, only the greeting\n"
"      --color[=WHEN]     auto (the default), always or never; NO_COLOR is honoured\n"
"      --connect HOST [PORT]  a real server instead of the simulated one; the\n"
"                         options after it are smtpref connect's (--starttls,\n"
"                         --helo NAME, ...): the same as smtpref connect\n"
"      --listen PORT      the server role with a real client: wait on\n"
"                         127.0.0.1:PORT for one (swaks, curl, your program)\n"
"                         and type its replies, checked against the persona\n"
"  -h, --help             show this help and exit\n"
"\n"
"Inside, lines starting with ':' are for smtpref (:help lists them):\n"
"  :state  :diagram  :explain 553  :fault RCPT 3 452 4.5.3  :pipe\n"
"  :role server  :persona greylist  :save FILE  :replay FILE  :quit\n"
"  :lesson NAME (then :hint, :skip, :restart; :lesson stop leaves it)\n"
"Tab completes commands, addresses, parameters and codes; Ctrl-D leaves.\n"
"When standard input is not a terminal, lines are read one by one.\n"
"\n"
"Examples:\n"
"  smtpref shell\n"
"  smtpref shell --persona rfc821\n"
"  smtpref shell --role server --scenario pipelined\n"
"  printf 'EHLO me.example\\nQUIT\\n' | smtpref shell --explain=brief\n", f);
}

/* --listen: the real client's peer, made when the console starts */
static struct clientpeer_opts listen_opts;

static struct peer *attach_client(void *ctx, const struct tx_sink *sink)
{
	return clientpeer_new(ctx, sink);
}

static int usage_error(const char *prog, const char *msg, const char *arg)
{
	char safe[256];

	fprintf(stderr, "smtpref %s: %s%s%s\n", prog, msg, arg ? " " : "",
	    arg ? printable_arg(arg, safe, sizeof safe) : "");
	fprintf(stderr, "Try 'smtpref %s --help' for more information.\n", prog);
	return 2;
}

int shell_parse_args(int argc, char **argv, const char *prog,
    void (*usage)(FILE *), struct console_opts *co, int *color, int *quiet)
{
	enum { OPT_COLOR = 256, OPT_NO_HINTS, OPT_LESSON, OPT_LISTEN };
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "persona", required_argument, NULL, 'p' },
		{ "scenario", required_argument, NULL, 's' },
		{ "explain", required_argument, NULL, 'e' },
		{ "no-hints", no_argument, NULL, OPT_NO_HINTS },
		{ "lesson", required_argument, NULL, OPT_LESSON },
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "quiet", no_argument, NULL, 'q' },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "colour", optional_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, st;
	const char *lesson = NULL, *setup = NULL, *scenario = NULL;
	long port = 0;
	char *end;
	int role_client = 0;

	memset(co, 0, sizeof *co);
	co->session.role = SESSION_CLIENT;
	co->session.level = EXPLAIN_FULL;
	co->session.hints = 1;
	*color = RENDER_COLOR_AUTO;
	optind = 1;
	opterr = 0;
	if (quiet)
		*quiet = 0;
	while ((c = getopt_long(argc, argv, quiet ? "r:p:s:e:qh" : "r:p:s:e:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			setup = "--role";
			role_client = strcmp(optarg, "client") == 0;
			if (strcmp(optarg, "server") == 0)
				co->session.role = SESSION_SERVER;
			else if (strcmp(optarg, "client") != 0)
				return usage_error(prog, "--role takes client or server, not", optarg);
			break;
		case 'p':
			setup = "--persona";
			co->session.persona = ref_persona_find(optarg, strlen(optarg));
			if (co->session.persona == NULL)
				return usage_error(prog, "unknown persona (see 'smtpref list personas'):", optarg);
			break;
		case 's':
			setup = "--scenario";
			scenario = optarg;
			co->session.scenario = ref_scenario_find(optarg, strlen(optarg));
			if (co->session.scenario == NULL)
				return usage_error(prog, "unknown scenario (see 'smtpref list scenarios'):", optarg);
			co->session.role = SESSION_SERVER;
			break;
		case 'e':
			if (strcmp(optarg, "full") == 0)
				co->session.level = EXPLAIN_FULL;
			else if (strcmp(optarg, "brief") == 0)
				co->session.level = EXPLAIN_BRIEF;
			else if (strcmp(optarg, "off") == 0)
				co->session.level = EXPLAIN_OFF;
			else
				return usage_error(prog, "--explain takes full, brief or off, not", optarg);
			break;
		case OPT_NO_HINTS:
			co->session.hints = 0;
			break;
		case OPT_LESSON:
			lesson = optarg;
			break;
		case OPT_LISTEN:
			port = strtol(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || port < 1 || port > 65535)
				return usage_error(prog, "--listen takes a port from 1 to 65535, not", optarg);
			break;
		case 'q':
			if (quiet == NULL)	/* only the shell has a welcome */
				return usage_error(prog, "unknown option or missing argument:", "--quiet");
			*quiet = 1;
			break;
		case OPT_COLOR:
			st = optarg ? render_parse_color(optarg) : RENDER_COLOR_ALWAYS;
			if (st < 0)
				return usage_error(prog, "--color takes auto, always or never, not", optarg);
			*color = st;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt && optopt < 256) {
				char o[3] = { '-', (char)optopt, 0 };

				return usage_error(prog, "unknown option or missing argument:", o);
			}
			return usage_error(prog, "unknown option or missing argument:", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error(prog, "unexpected argument", argv[optind]);
	if (lesson && setup)
		return usage_error(prog, "a lesson sets up its own session; --lesson excludes", setup);
	if (port && (lesson || scenario || role_client))
		return usage_error(prog, "--listen is the server role with a real client; it excludes",
		    lesson ? "--lesson" : scenario ? "--scenario" : "--role client");
	if (port) {
		co->session.role = SESSION_SERVER;
		listen_opts.port = (unsigned)port;
		listen_opts.persona = co->session.persona;
		listen_opts.hints = co->session.hints;
		co->attach = attach_client;
		co->attach_ctx = &listen_opts;
		return -1;
	}
	return lesson_console_setup(co, prog, lesson, NULL);
}

/* ---- the first run ------------------------------------------------------ */

#define WELCOMED "welcomed"	/* the marker, in the state directory */

/* first_run - no marker in the state directory yet.  With no state
 * directory at all (no HOME), every run is a first run. */
static int first_run(void)
{
	char dir[1024], err[256], file[1100];

	if (progress_dir(dir, sizeof dir, 0, err, sizeof err) != 0)
		return 1;
	snprintf(file, sizeof file, "%s/" WELCOMED, dir);
	return access(file, F_OK) != 0 && errno == ENOENT;
}

/* mark_welcomed - the marker, so that the next run only greets */
static void mark_welcomed(void)
{
	char dir[1024], err[256], file[1100];
	FILE *f;

	if (progress_dir(dir, sizeof dir, 1, err, sizeof err) != 0)
		return;
	snprintf(file, sizeof file, "%s/" WELCOMED, dir);
	f = fopen(file, "w");
	if (f == NULL)
		return;
	fputs("smtpref shell showed its welcome here; remove this file to see it again\n", f);
	fclose(f);
}

/* welcome - two lines before the greeting: help, the first lesson, and
 * how to leave */
static void welcome(int color)
{
	struct render r;

	render_init(&r, stdout, (enum render_color_mode)color);
	render_wrap(&r, RENDER_BOLD, "Welcome to smtpref! :help shows what you can type; "
	    "Ctrl-D or :quit leaves.", 2);
	render_newline(&r);
	render_wrap(&r, RENDER_PLAIN, "New to SMTP? :lesson greeting starts the first "
	    "lesson.", 2);
	render_newline(&r);
	fflush(stdout);
	mark_welcomed();
}

int shell_main(int argc, char **argv)
{
	struct console_opts co;
	int color, quiet, st;

	st = shell_parse_args(argc, argv, "shell", shell_usage, &co, &color, &quiet);
	if (st >= 0)
		return st;
	/* a person at a terminal, for the first time, not in a lesson (which
	 * says its own welcome) */
	if (!quiet && co.lesson == NULL && isatty(0) && isatty(1) && first_run())
		welcome(color);
	return shell_run(&co, color, NULL);
}

static void tui_usage(FILE *f)
{
	fputs(
"Usage: smtpref tui [--role client|server] [--persona NAME] [--scenario NAME]\n"
"                   [--lesson NAME] [--explain=LEVEL] [--color[=WHEN]]\n"
"       smtpref tui --connect HOST [PORT] [CONNECT OPTION]...\n"
"\n"
"The teaching shell full-screen, for a projector or for a learner who\n"
"would rather look than read: the transcript, the explanation of the\n"
"selected line, and the session's state diagram with the current state\n"
"marked; in a lesson, the lesson's text and task above the transcript.\n"
"F1 shows the keys.\n"
"\n"
"  -r, --role ROLE        client (you send commands) or server (you reply)\n"
"  -p, --persona NAME     the simulated server (smtpref list personas)\n"
"  -s, --scenario NAME    the simulated client's scenario (server role)\n"
"      --lesson NAME      start with a lesson (smtpref lesson list shows them);\n"
"                         when it is over, the session goes on\n"
"  -e, --explain=LEVEL    full (the default), brief or off\n"
"      --no-hints         no hints after mistakes\n"
"      --color[=WHEN]     auto (the default), always or never; NO_COLOR is honoured\n"
"      --connect HOST [PORT]  a real server instead of the simulated one; the\n"
"                         options after it are smtpref connect's (--starttls,\n"
"                         --helo NAME, ...): the same as smtpref connect --tui\n"
"  -h, --help             show this help and exit\n"
"\n"
"It needs a terminal of at least 60x16; from 120 columns the state pane\n"
"sits beside the transcript.\n", f);
}

int tui_main(int argc, char **argv)
{
	struct console_opts co;
	int color, c;

	c = shell_parse_args(argc, argv, "tui", tui_usage, &co, &color, NULL);
	if (c >= 0)
		return c;
	return tui_run(&co, color, NULL);
}

