/* lessonrun.c - PLACEHOLDER for smtpref lesson run
 *
 * The interactive runner (readline, the shell's completion and
 * meta-commands, :hint, :skip, :restart) is built on another branch and
 * replaces this file when the branches are merged.  Until then `smtpref
 * lesson run` only says so.
 */
#include <config.h>

#include "lessonrun.h"

#include <stdio.h>

int lesson_run_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("smtpref lesson run: not built yet\n", stderr);
	return 1;
}
