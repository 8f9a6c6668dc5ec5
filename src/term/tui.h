/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui.h - the full-screen view (smtpref tui) */
#ifndef SMTPREF_TUI_H
#define SMTPREF_TUI_H

struct console_opts;
struct conn_opts;
struct tx_item;

/* tui_run - the full-screen view with console options co and a colour
 * mode (enum render_color_mode); with real, the session is with that real
 * server (smtpref connect --tui) instead of the simulated one.  Needs a
 * terminal (else 2).  Returns the exit status, as shell_run. */
int tui_run(struct console_opts *co, int color, const struct conn_opts *real);

/* tui_preface - an item to show at the top of the next tui_run's
 * transcript: what smtpref connect says before the session (the port's
 * meaning, the MX list) */
void tui_preface(const struct tx_item *it);

#endif
