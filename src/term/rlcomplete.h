/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rlcomplete.h - GNU readline's completion, fed by a console */
#ifndef SMTPREF_RLCOMPLETE_H
#define SMTPREF_RLCOMPLETE_H

struct console;

/* rlcomplete - for rl_attempted_completion_function: the console's
 * candidates for line[start..end) as readline's match list (NULL: none,
 * or readline's own file name completion where the console says so) */
char **rlcomplete(const struct console *c, const char *text, int start,
    int end);

/* rlcomplete_free - the candidates kept between calls, at exit */
void rlcomplete_free(void);

#endif
