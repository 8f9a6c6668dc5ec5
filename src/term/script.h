/* SPDX-License-Identifier: GPL-3.0-or-later */
/* script.h - a console fed from a file or a pipe, line by line */
#ifndef SMTPREF_SCRIPT_H
#define SMTPREF_SCRIPT_H

#include <stdio.h>

struct console;

/* script_run - every line of in (without its line ending) into the
 * console, and after each, the replies it waits for (a real server); at
 * the end of the input, console_eof.  A line longer than 64 KiB is
 * reported on stderr, after prog, and skipped.  Returns the console's
 * exit status, or 1 when standard output could not be written. */
int script_run(struct console *c, FILE *in, const char *prog);

#endif
