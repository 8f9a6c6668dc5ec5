/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - smtpref's command line: options, --help, --version, the mode
 *
 * Kept short on purpose: it parses the command line and hands over to a
 * front end (lookup.c for now).  Exit status: 0 success, 1 term not
 * found, 2 usage error (see man/smtpref.1, EXIT STATUS).
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "term/lookup.h"
#include "core/ref.h"
#include "term/render.h"
#include "cli/buildtree.h"
#include "cli/licence.h"
#include "cli/simulate.h"
#include "core/printable.h"
#include "cli/explaincmd.h"

enum { OPT_COLOR = 256, OPT_JSON };

static const struct option long_options[] = {
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void usage(FILE *out)
{
	fputs(
"Usage: smtpref [OPTION]... TERM...\n"
"       smtpref [OPTION]... list codes|enhanced|keywords|commands|params|\n"
"                                reasons|personas|scenarios\n"
"       smtpref explain [FILE...|-]  a bounce, log lines, a transcript (see smtpref explain --help)\n"
"       smtpref simulate [--persona NAME] [--explain]  (see smtpref simulate --help)\n"
"       smtpref shell [--role client|server] [--persona NAME]  (see smtpref shell --help)\n"
"       smtpref tui [--role client|server] [--persona NAME]    (see smtpref tui --help)\n"
"       smtpref shell|tui --lesson NAME | --connect HOST [PORT]\n"
"       smtpref connect HOST [PORT]  (a real server; see smtpref connect --help)\n"
"       smtpref listen [--port N] [--maildir DIR]  (a server for real clients;\n"
"                                see smtpref listen --help)\n"
"       smtpref lesson list|run|check|progress|reset|receipt|verify  (see smtpref lesson --help)\n"
"       smtpref [OPTION]... search WORD...\n"
"\n"
"Explain SMTP reply codes, enhanced status codes, EHLO keywords, commands\n"
"and MAIL/RCPT parameters, from tables built into the program.\n"
"\n"
"A TERM is any of:\n"
"  553                  a reply code\n"
"  5xx, 55x             every code of a class or category\n"
"  5.1.1, X.1.1         an enhanced status code\n"
"  5.7.*, 5.X.X         every enhanced code of a subject, or a class\n"
"  pipelining           an EHLO keyword (any case)\n"
"  MAIL                 a command (a word that is both shows both)\n"
"  SIZE=, NOTIFY=       a MAIL, RCPT, VRFY or EXPN parameter\n"
"  \"550 5.1.1 <bob@example.org>: Recipient address rejected\"\n"
"                       a reply line as pasted from a bounce\n"
"  \"250-SIZE 10240000\"  a line of an EHLO reply\n"
"  a log line, a Diagnostic-Code: line, a multi-line reply block\n"
"                       read as smtpref explain reads them\n"
"\n"
"Options:\n"
"      --json           print JSON (the shape is in smtpref(1), JSON OUTPUT)\n"
"      --color[=WHEN]   colour the output: auto (the default), always or never;\n"
"                       NO_COLOR in the environment turns auto off\n"
"  -q, --quiet          one line per entry\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Exit status: 0 found, 1 a term was not found, 2 usage error.\n"
"\n"
"Examples:\n"
"  smtpref 553\n"
"  smtpref 5.7.1 PIPELINING MAIL\n"
"  smtpref \"451 4.7.1 Greylisted, try again later\"\n"
"  smtpref search relay\n"
"\n"
"Full documentation: man smtpref\n", out);
}

static void version(void)
{
	printf("smtpref %s\n", PACKAGE_VERSION);
	printf("Tables: %zu reply codes, %zu enhanced status codes, "
	    "%zu EHLO keywords, %zu commands, %zu parameters.\n",
	    ref_code_count, ref_enhanced_count, ref_keyword_count,
	    ref_command_count, ref_param_count);
	fputs(LICENCE_VERSION_TEXT, stdout);
}

/* The modes that run in smtpref-interactive, which links readline,
 * ncursesw and OpenSSL (doc/DESIGN.md, "Start-up cost"). */
static const char *const interactive_modes[] = {
	"shell", "connect", "lesson", "tui", "listen", NULL
};

static int is_interactive_mode(const char *s)
{
	size_t i;

	for (i = 0; interactive_modes[i]; i++)
		if (strcmp(s, interactive_modes[i]) == 0)
			return 1;
	return 0;
}

/* run_interactive - exec smtpref-interactive with argv (argv[0] is the
 * mode): SMTPREF_LIBEXECDIR's when set, else the one beside this program
 * when it runs from its build tree (never an installed copy then), else
 * the installed one in $(pkglibexecdir).  Returns only on failure. */
static int run_interactive(char **argv)
{
	const char *dir = getenv("SMTPREF_LIBEXECDIR");
	static struct buildtree bt;
	char path[BUILDTREE_PATH_MAX + 32];
	char **args;
	int n;

	if (dir == NULL || *dir == 0)
		dir = buildtree_find(argv[-1], &bt) ? bt.dir : PKGLIBEXECDIR;
	n = snprintf(path, sizeof path, "%s/smtpref-interactive", dir);
	if (n < 0 || (size_t)n >= sizeof path) {
		fputs("smtpref: SMTPREF_LIBEXECDIR is too long\n", stderr);
		return 2;
	}
	args = argv - 1;	/* argv[-1] exists: it is our own argv[0] */
	args[0] = path;
	execv(path, args);
	fprintf(stderr, "smtpref: cannot run %s: %s\n"
	    "smtpref: the interactive modes need it; is smtpref installed "
	    "completely ('make install')?\n", path, strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

static int usage_error(const char *fmt, const char *arg)
{
	char safe[256];

	fputs("smtpref: ", stderr);
	fprintf(stderr, fmt, printable_arg(arg, safe, sizeof safe));
	fputs("\nTry 'smtpref --help' for more information.\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct lookup_opts opts = { .color = RENDER_COLOR_AUTO };
	int c, color;

	/* subcommands with options of their own */
	if (argc > 1 && strcmp(argv[1], "simulate") == 0)
		return simulate_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "explain") == 0)
		return explain_main(argc - 1, argv + 1);
	if (argc > 1 && is_interactive_mode(argv[1]))
		return run_interactive(argv + 1);
	/* smtpref alone on a terminal opens the shell; with --quiet alone,
	 * the shell without its first-run welcome */
	if ((argc == 1 || (argc == 2 && (strcmp(argv[1], "-q") == 0 ||
	    strcmp(argv[1], "--quiet") == 0))) && isatty(0) && isatty(1)) {
		static char *shell_argv[] = { NULL, "shell", NULL, NULL };

		shell_argv[0] = argv[0];
		shell_argv[2] = argc == 2 ? "--quiet" : NULL;
		return run_interactive(shell_argv + 1);
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qhV", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_COLOR:
			color = optarg ? render_parse_color(optarg) : RENDER_COLOR_ALWAYS;
			if (color < 0)
				return usage_error("invalid --color value '%s' (use auto, always or never)", optarg);
			opts.color = (enum render_color_mode)color;
			break;
		case OPT_JSON:
			opts.json = 1;
			break;
		case 'q':
			opts.quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			version();
			return 0;
		default:
			if (optopt && optopt < 256) {
				char opt[3] = { '-', (char)optopt, 0 };

				return usage_error("unknown option '%s'", opt);
			}
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return usage_error("%s", "what should I explain? Give a code, keyword or command");
	if (!strcmp(argv[0], "list")) {
		int st;

		if (argc != 2)
			return usage_error("list takes one of: %s", LOOKUP_LISTS);
		st = lookup_list(argv[1], &opts);
		if (st == 2)
			return usage_error("cannot list '%s' (use codes, enhanced, keywords, commands, params, reasons, personas or scenarios)", argv[1]);
		return st;
	}
	if (!strcmp(argv[0], "search")) {
		if (argc < 2)
			return usage_error("%s", "search needs at least one word");
		return lookup_search(argv + 1, argc - 1, &opts);
	}
	return lookup_terms(argv, argc, &opts);
}
