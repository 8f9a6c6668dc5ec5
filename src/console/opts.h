/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opts.h - what a console is made with (console.h, console_new) */
#ifndef SMTPREF_CONSOLE_OPTS_H
#define SMTPREF_CONSOLE_OPTS_H

#include <stddef.h>
#include <stdio.h>

#include "core/peer.h"
#include "core/session.h"
#include "core/tx.h"

struct lesson;
struct conn_opts;

struct console_opts {
	struct session_opts session;	/* the shell's own simulated session */
	int interactive;	/* a person at a terminal (else a script) */
	/* asks for the password of user for :auth, without echo; 0, or -1
	 * when there is none.  NULL: only SMTPREF_PASSWORD is used. */
	int (*ask_password)(void *ctx, const char *user, char *buf,
	    size_t size);
	void *ask_ctx;
	/* :explain TERM...: the reference's entries for the terms into out,
	 * what was not found into err, as `smtpref TERM` prints them.  NULL:
	 * :explain only sets how much is explained. */
	void (*lookup)(char *const *terms, int n, FILE *out, FILE *err);
	/* :connect: a peer for a real server (net/realpeer.h's
	 * realpeer_new), or NULL where the network is not available */
	struct peer *(*connect)(const struct conn_opts *o,
	    const struct tx_sink *sink);

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
	/* the learner's name, kept with the progress for receipts (lesson
	 * run --name), or NULL */
	const char *learner;
	/* a lesson to start with (console_start), taken over by console_new */
	struct lesson *lesson;

	/* mail_script: the input is a mail client's script (smtpref
	 * connect's standard input): consecutive commands that RFC 2920
	 * lets stand anywhere in a group go out as one group, closed by the
	 * next command, when the server offers PIPELINING (unless
	 * no_pipelining); the message lines after a refused DATA are not
	 * sent; and the end of the input closes the connection without
	 * QUIT, and says so (the script ends with its own QUIT). */
	int mail_script;
	int no_pipelining;

	/* attach: a peer to talk to from the start instead of the shell's
	 * own session, made by attach(attach_ctx, sink) with the console's
	 * sink when the console starts (smtpref shell --listen: a real
	 * client, net/clientpeer.h); NULL: none */
	struct peer *(*attach)(void *ctx, const struct tx_sink *sink);
	void *attach_ctx;
};

#endif
