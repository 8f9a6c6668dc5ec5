/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell.h - the interactive teaching shell (smtpref shell) */
#ifndef SMTPREF_SHELL_H
#define SMTPREF_SHELL_H

#include <stdio.h>

struct console_opts;
struct conn_opts;

/* shell_run - the shell with console options co and a colour mode (enum
 * render_color_mode); with real, the session is with that real server
 * (smtpref connect on a terminal) instead of the simulated one.  Returns
 * the exit status. */
int shell_run(struct console_opts *co, int color, const struct conn_opts *real);

#endif
