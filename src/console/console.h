/* console.h - what the learner's lines do, whatever draws them
 *
 * The shell (readline) and the TUI (curses) read lines and draw items; the
 * console decides what a line means: a meta-command (":state"), a line for
 * the session, a line of a pipelined group, a step of a replay.  It keeps
 * the transcript and offers completions.  It does not touch the terminal.
 */
#ifndef SMTPREF_CONSOLE_H
#define SMTPREF_CONSOLE_H

#include <stddef.h>
#include <stdio.h>

#include "console/session.h"
#include "core/tx.h"

struct console_opts {
	struct session_opts session;
	int interactive;	/* a person at a terminal: replays step */
	/* asks for the password of user for :auth, without echo; 0, or -1
	 * when there is none.  NULL: only SMTPREF_PASSWORD is used. */
	int (*ask_password)(void *ctx, const char *user, char *buf,
	    size_t size);
	void *ask_ctx;
	/* :explain TERM...: the reference's entries for the terms into out,
	 * what was not found into err, as `smtpref TERM` prints them.  NULL:
	 * :explain only sets how much is explained. */
	void (*lookup)(char *const *terms, int n, FILE *out, FILE *err);

	/* Lessons.  progress_dir: where progress is kept (NULL: not kept).
	 * lesson_open finds and loads lesson name for :lesson NAME (NULL
	 * with what is wrong in err, lines separated by '\n');
	 * lesson_each calls fn for every lesson there is (for :lesson and
	 * completion).  Both may be NULL: :lesson then says lessons are
	 * not available.  lesson_only: the console is done when the lesson
	 * is (smtpref lesson run). */
	const char *progress_dir;
	struct lesson *(*lesson_open)(void *ctx, const char *name, char *err,
	    size_t errsize);
	void (*lesson_each)(void *ctx, void (*fn)(void *fctx,
	    const struct lesson *l), void *fctx);
	void *lesson_ctx;
	int lesson_only;
	/* a lesson to start with (console_start), taken over by console_new */
	struct lesson *lesson;
};

struct lesson;
struct tutor;

struct conn_opts;

struct console;

/* console_new - NULL when out of memory */
struct console *console_new(const struct console_opts *o,
    const struct tx_sink *sink);
void console_free(struct console *c);
void console_start(struct console *c);

/* console_line - one line typed (no line ending).  Returns 1 when the
 * line held a credential: it must not go into the history. */
int console_line(struct console *c, const char *line, size_t len);

/* console_paste - text holding several lines at once (a terminal paste):
 * commands go out as one pipelined group, other lines one by one.
 * Returns 1 when a line held a credential. */
int console_paste(struct console *c, const char *text, size_t len);

/* console_eof - the learner leaves (Ctrl-D): QUIT first, then done */
void console_eof(struct console *c);

/* console_interrupt - Ctrl-C: abandon a pipelined group or a replay */
void console_interrupt(struct console *c);

/* console_done - :quit or end of input: the front end should leave */
int console_done(const struct console *c);

/* console_prompt - "smtp> ", "data> ", "reply> " ... */
const char *console_prompt(const struct console *c);

struct session *console_session(struct console *c);

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

/* console_waiting_for - server role: the command the client waits for a
 * reply to ("MAIL", "CONNECT" for the greeting), else NULL */
const char *console_waiting_for(const struct console *c);

/* console_phase - where the session stands, as an enum server_phase of
 * the state diagram (connected, greeted, ready, mail, rcpt, data, closed),
 * in either role */
int console_phase(const struct console *c);

/* A real server instead of the simulated one (smtpref connect, :connect).
 * console_connect opens the connection (blocking, within the options'
 * timeout); 0, or -1 when it failed (items say why).  From then on lines
 * go to the server.  An event loop polls console_fd() for input, at most
 * console_timeout() milliseconds (-1: no deadline), then calls
 * console_process(); a scripted loop calls console_wait() after each
 * line. */
int console_connect(struct console *c, const struct conn_opts *o);
int console_fd(const struct console *c);
int console_timeout(const struct console *c);
void console_process(struct console *c);
void console_wait(struct console *c);
/* console_tls - the session (real, simulated or a lesson's) is under TLS */
int console_tls(const struct console *c);
/* console_real_host - the real server's name, or NULL when simulated */
const char *console_real_host(const struct console *c);
/* console_exit_status - as smtpref connect's: 0 the real session ended
 * with 221, 1 otherwise, 3 a network or TLS failure; 0 when simulated */
int console_exit_status(const struct console *c);

/* console_lesson - run lesson l (taken over, freed by the console, also
 * on failure) in this console: from now on the learner's lines answer
 * its steps.  Returns 0, or -1 when out of memory. */
int console_lesson(struct console *c, struct lesson *l);

/* console_tutor - the lesson running, or NULL */
const struct tutor *console_tutor(const struct console *c);

/* console_meta_names - the meta-commands, for help and completion tests */
const char *console_meta_name(size_t i);

#endif
