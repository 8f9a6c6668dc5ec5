/* SPDX-License-Identifier: GPL-3.0-or-later */
/* console.h - what the learner's lines do, whatever draws them
 *
 * The shell (readline), the TUI (curses) and the scripted front ends read
 * lines and draw items; the console decides what a line means: a
 * meta-command (":state"), a line for the peer, a line of a pipelined
 * group.  It talks to exactly one peer at a time (core/peer.h): the
 * simulated session, a real server, a replayed transcript, or a lesson
 * over its own simulated peer.  A lesson or a replay stands over the
 * shell's own session, which goes on when it is over.  The console keeps
 * the transcript, holds the lines typed while the peer waits for a reply,
 * offers completions, and never touches the terminal.
 */
#ifndef SMTPREF_CONSOLE_H
#define SMTPREF_CONSOLE_H

#include <stddef.h>
#include <stdio.h>

#include "core/peer.h"
#include "core/tx.h"

#include "console/opts.h"

struct console;

/* console_new - NULL when out of memory */
struct console *console_new(const struct console_opts *o,
    const struct tx_sink *sink);
void console_free(struct console *c);
/* console_start - start the shell's own session (or the lesson of the
 * options); with a real server, its greeting came with console_connect */
void console_start(struct console *c);

/* console_line - one line typed (no line ending).  Returns 1 when the
 * line held a credential: it must not go into the history. */
int console_line(struct console *c, const char *line, size_t len);

/* console_paste - text holding several lines at once (a terminal paste):
 * commands go out as one pipelined group, other lines one by one.
 * Returns 1 when a line held a credential. */
int console_paste(struct console *c, const char *text, size_t len);

/* console_eof - the learner leaves (Ctrl-D, the end of a script): QUIT
 * first where the session allows it, then done */
void console_eof(struct console *c);

/* console_interrupt - Ctrl-C: drop a pipelined group, held lines, or a
 * replay */
void console_interrupt(struct console *c);

/* console_done - :quit or end of input: the front end should leave */
int console_done(const struct console *c);

/* console_prompt - "smtp> ", "data> ", "reply> ", "smtp (waiting for
 * 354)> " ... */
const char *console_prompt(const struct console *c);

/* The peer the learner talks to now, and what it says of itself. */
struct peer *console_peer(const struct console *c);
void console_info(const struct console *c, struct peer_info *out);
unsigned console_caps(const struct console *c);
enum peer_input console_input(const struct console *c);

/* Completion: candidates for the word line[start..end) given what comes
 * before it.  add() is called for each candidate that starts with the
 * word (any case).  The result says how to finish a single match. */
enum {
	CONSOLE_COMPLETE_SPACE = 1,	/* append a space */
	CONSOLE_COMPLETE_FILES = 2	/* complete file names instead */
};
int console_complete(const struct console *c, const char *line,
    size_t start, size_t end,
    void (*add)(void *ctx, const char *candidate), void *ctx);

/* console_next - what may come next, space separated, into buf: the
 * commands the learner may send (client role) or the reply codes a
 * server may give (server role); returns its length */
size_t console_next(const struct console *c, char *buf, size_t size);

/* console_waiting_for - the command the learner's reply answers ("MAIL",
 * "CONNECT" for the greeting) when the learner is the server, else NULL */
const char *console_waiting_for(const struct console *c);

/* console_phase - where the session stands, as an enum server_phase of
 * the state diagram (explain_diagram), whoever plays what */
int console_phase(const struct console *c);

/* A real server instead of the simulated session (smtpref connect,
 * :connect): console_connect opens the connection (blocking, within the
 * options' timeout); 0, or -1 when it failed (items say why).  From then
 * on lines go to the server.  An event loop polls console_fd() for input
 * at most console_timeout() milliseconds (-1: no deadline), then calls
 * console_process(); a scripted loop calls console_wait() after each
 * line. */
int console_connect(struct console *c, const struct conn_opts *o);
int console_fd(const struct console *c);
int console_timeout(const struct console *c);
void console_process(struct console *c);
void console_wait(struct console *c);
/* console_tls - the session (whatever the peer) is under TLS */
int console_tls(const struct console *c);
/* console_exit_status - the peer's: 0 the session ended well, 1 not, 3
 * a network or TLS failure (smtpref connect's statuses) */
int console_exit_status(const struct console *c);

/* console_lesson - run lesson l (taken over, freed by the console, also
 * on failure) in this console: from now on the learner's lines answer
 * its steps.  Returns 0, or -1 when out of memory. */
int console_lesson(struct console *c, struct lesson *l);

/* The meta-commands that apply to the peer now, in the table's order:
 * for :help, completion and the TUI's help overlay.  fn gets each row's
 * name (without ':'), its arguments and its help text. */
void console_meta_each(const struct console *c,
    void (*fn)(void *ctx, const char *name, const char *args,
    const char *help, int general), void *ctx);
/* console_meta_name - the ith row of the whole table (NULL past its end) */
const char *console_meta_name(size_t i);

#endif
