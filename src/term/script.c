/* SPDX-License-Identifier: GPL-3.0-or-later */
/* script.c - a console fed from a file or a pipe, line by line
 *
 * No prompt and no echo: what the console says is drawn by its sink.  A
 * line is read only after the replies to the one before it came, as a
 * real client waits (the console holds a line that comes too early).
 */
#include <config.h>

#include "term/script.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "console/console.h"

#define LINE_MAX_SCRIPT 65536	/* a line; longer ones are refused */

int script_run(struct console *c, FILE *in, const char *prog)
{
	char *line = malloc(LINE_MAX_SCRIPT);
	unsigned long lineno = 0;

	if (line == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	console_start(c);
	/* what is said before a wait is seen before it: a reader of a pipe
	 * (a test, a teacher's script) learns that the shell waits */
	fflush(stdout);
	while (!console_done(c) && fgets(line, LINE_MAX_SCRIPT, in)) {
		size_t n = strlen(line);

		lineno++;
		if (n == LINE_MAX_SCRIPT - 1 && line[n - 1] != '\n') {
			int ch;

			while ((ch = getc(in)) != EOF && ch != '\n')
				;
			fprintf(stderr, "%s: input line %lu is longer than %d octets: not sent\n",
			    prog, lineno, LINE_MAX_SCRIPT - 2);
			continue;
		}
		if (n > 0 && line[n - 1] == '\n')
			n--;
		if (n > 0 && line[n - 1] == '\r')
			n--;	/* the input's own CRLF: smtpref adds its own */
		line[n] = 0;
		console_line(c, line, n);
		fflush(stdout);
		console_wait(c);
		fflush(stdout);
	}
	if (!console_done(c))
		console_eof(c);
	free(line);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: writing stdout: %s\n", prog, strerror(errno));
		return 1;
	}
	return console_exit_status(c);
}
