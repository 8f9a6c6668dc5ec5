/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sessioncmd.h - smtpref shell and smtpref tui */
#ifndef SMTPREF_SESSIONCMD_H
#define SMTPREF_SESSIONCMD_H

#include <stdio.h>

struct console_opts;

/* shell_main - argv[0] is "shell"; returns the exit status */
int shell_main(int argc, char **argv);
/* tui_main - argv[0] is "tui"; returns the exit status */
int tui_main(int argc, char **argv);

/* shell_parse_args - the options the shell and the TUI share (--role,
 * --persona, --scenario, --lesson, --explain, --no-hints, --color,
 * --help) into co and color (an enum render_color_mode), and --quiet
 * into quiet when it is not NULL (the shell's; the TUI has none).  With
 * --lesson the lesson is loaded into co->lesson; either way co is set up
 * so that :lesson works.  Returns -1 to go on, or the exit status (0
 * after --help, 1 when the lesson cannot be loaded, 2 after a usage
 * error, reported as "smtpref PROG: ..."). */
int shell_parse_args(int argc, char **argv, const char *prog,
    void (*usage)(FILE *), struct console_opts *co, int *color, int *quiet);

#endif
