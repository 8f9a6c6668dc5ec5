/* interactive.c - smtpref-interactive: the modes that need a terminal
 * library or the network
 *
 * smtpref (main.c) execs this program, installed in $(pkglibexecdir), for
 * `smtpref shell`, `connect`, `lesson` and `tui`, and for `smtpref` alone
 * on a terminal; argv[1] is the mode.  Keeping readline, ncursesw and
 * OpenSSL out of the lookup binary keeps `smtpref 553` cheap to start
 * (doc/DESIGN.md, "Start-up cost").
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "connect.h"
#include "lessoncmd.h"
#include "shell.h"
#include "tui.h"

struct mode {
	const char *name;
	int (*main)(int argc, char **argv);
};

static const struct mode modes[] = {
	{ "shell", shell_main },
	{ "tui", tui_main },
	{ "connect", connect_main },
	{ "lesson", lesson_main },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		fputs("smtpref-interactive: run it through smtpref (smtpref shell, "
		    "smtpref connect, ...)\n", stderr);
		return 2;
	}
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(argv[1], modes[i].name) == 0)
			return modes[i].main(argc - 1, argv + 1);
	fprintf(stderr, "smtpref: unknown mode '%s'\n", argv[1]);
	return 2;
}
