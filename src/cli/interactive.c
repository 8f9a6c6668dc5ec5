/* SPDX-License-Identifier: GPL-3.0-or-later */
/* interactive.c - smtpref-interactive: the modes that need a terminal
 * library or the network
 *
 * smtpref (main.c) execs this program, installed in $(pkglibexecdir) (or
 * beside smtpref in its build tree: cli/buildtree.h), for `smtpref shell`,
 * `connect`, `lesson`, `tui` and `listen`, and for `smtpref` alone on a
 * terminal; argv[1] is the mode.  Keeping readline, ncursesw and
 * OpenSSL out of the lookup binary keeps `smtpref 553` cheap to start
 * (doc/DESIGN.md, "Start-up cost").
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/buildtree.h"
#include "cli/connect.h"
#include "cli/lessoncmd.h"
#include "cli/licence.h"
#include "cli/listen.h"
#include "cli/sessioncmd.h"
#include "core/printable.h"
#include "lesson/library.h"


struct mode {
	const char *name;
	int (*main)(int argc, char **argv);
};

static const struct mode modes[] = {
	{ "shell", shell_main },
	{ "tui", tui_main },
	{ "connect", connect_main },
	{ "lesson", lesson_main },
	{ "listen", listen_main },
};

/* as_connect - smtpref tui --connect HOST [PORT] [OPTION]... is smtpref
 * connect --tui HOST ..., and smtpref shell --connect ... is smtpref
 * connect ...: argv (argv[0] the mode) rewritten into out (argc + 2
 * slots), so that connect's one option parser serves all three.  The new
 * argc, or 0 when there is no --connect ("--connect=HOST" is HOST). */
static int as_connect(int argc, char **argv, char **out)
{
	int i, n = 0, found = 0, rest = 0;

	out[n++] = "connect";
	if (strcmp(argv[0], "tui") == 0)
		out[n++] = "--tui";
	for (i = 1; i < argc; i++) {
		if (!rest && strcmp(argv[i], "--") == 0)
			rest = 1;
		else if (!rest && strcmp(argv[i], "--connect") == 0) {
			found = 1;
			continue;
		} else if (!rest && strncmp(argv[i], "--connect=", 10) == 0) {
			found = 1;
			out[n++] = argv[i] + 10;
			continue;
		}
		out[n++] = argv[i];
	}
	out[n] = NULL;
	return found ? n : 0;
}

int main(int argc, char **argv)
{
	static struct buildtree bt;
	size_t i;

	if (argc < 2) {
		fputs("smtpref-interactive: run it through smtpref (smtpref shell, "
		    "smtpref connect, ...)\n", stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("smtpref-interactive (smtpref) %s\n", PACKAGE_VERSION);
		fputs(LICENCE_VERSION_TEXT, stdout);
		return 0;
	}
	/* run from the build tree: its lessons, not the installed ones */
	if (buildtree_find(argv[0], &bt))
		lesson_set_tree_dir(bt.lessondir);
	if (strcmp(argv[1], "tui") == 0 || strcmp(argv[1], "shell") == 0) {
		char **args = malloc(((size_t)argc + 2) * sizeof *args);
		int n, st = -1;

		if (args == NULL) {
			fputs("smtpref: out of memory\n", stderr);
			return 1;
		}
		n = as_connect(argc - 1, argv + 1, args);
		if (n > 0)
			st = connect_main(n, args);
		free(args);
		if (n > 0)
			return st;
	}
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(argv[1], modes[i].name) == 0)
			return modes[i].main(argc - 1, argv + 1);
	{
		char safe[256];

		fprintf(stderr, "smtpref: unknown mode '%s'\n",
		    printable_arg(argv[1], safe, sizeof safe));
	}
	return 2;
}
