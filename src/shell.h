/* shell.h - the interactive teaching shell (smtpref shell) */
#ifndef SMTPREF_SHELL_H
#define SMTPREF_SHELL_H

#include <stdio.h>

/* shell_main - argv[0] is "shell"; returns the exit status */
int shell_main(int argc, char **argv);

struct console_opts;
struct conn_opts;

/* shell_parse_args - the options the shell and the TUI share (--role,
 * --persona, --scenario, --lesson, --explain, --no-hints, --color,
 * --help) into co and color (an enum render_color_mode).  With --lesson
 * the lesson is loaded into co->lesson; either way co is set up so that
 * :lesson works.  Returns -1 to go on, or the exit status (0 after
 * --help, 1 when the lesson cannot be loaded, 2 after a usage error,
 * reported as "smtpref PROG: ..."). */
int shell_parse_args(int argc, char **argv, const char *prog,
    void (*usage)(FILE *), struct console_opts *co, int *color);

/* shell_run - the shell with console options co and a colour mode (enum
 * render_color_mode); with real, the session is with that real server
 * (smtpref connect on a terminal) instead of the simulated one.  Returns
 * the exit status. */
int shell_run(struct console_opts *co, int color, const struct conn_opts *real);

#endif
