/* shell.c - the interactive teaching shell (being built) */
#include <config.h>

#include "shell.h"

#include <stdio.h>

int shell_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("smtpref shell: not built yet\n", stderr);
	return 1;
}
