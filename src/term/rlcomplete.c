/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rlcomplete.c - GNU readline's completion, fed by a console
 *
 * readline asks for matches one at a time through a generator without a
 * context pointer, so the candidates of the current completion are kept
 * here between its calls.
 */
#include <config.h>

#include "term/rlcomplete.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "console/console.h"

static char **cands;
static size_t ncands, cands_cap;

static void cand_add(void *ctx, const char *candidate)
{
	(void)ctx;
	if (ncands == cands_cap) {
		size_t cap = cands_cap ? cands_cap * 2 : 64;
		char **p = realloc(cands, cap * sizeof *p);

		if (p == NULL)
			return;
		cands = p;
		cands_cap = cap;
	}
	if ((cands[ncands] = strdup(candidate)) != NULL)
		ncands++;
}

static char *cand_next(const char *text, int state)
{
	static size_t i;

	(void)text;
	if (state == 0)
		i = 0;
	return i < ncands ? strdup(cands[i++]) : NULL;
}

static void clear(void)
{
	size_t i;

	for (i = 0; i < ncands; i++)
		free(cands[i]);
	ncands = 0;
}

char **rlcomplete(const struct console *c, const char *text, int start,
    int end)
{
	int flags;

	clear();
	flags = console_complete(c, rl_line_buffer, (size_t)start, (size_t)end,
	    cand_add, NULL);
	if (flags & CONSOLE_COMPLETE_FILES)
		return NULL;	/* readline's own file name completion */
	rl_attempted_completion_over = 1;
	rl_completion_append_character = flags & CONSOLE_COMPLETE_SPACE ? ' ' : '\0';
	return ncands ? rl_completion_matches(text, cand_next) : NULL;
}

void rlcomplete_free(void)
{
	clear();
	free(cands);
	cands = NULL;
	cands_cap = 0;
}
