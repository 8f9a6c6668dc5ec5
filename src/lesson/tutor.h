/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tutor.h - a lesson, run inside a console
 *
 * The tutor walks the learner through a lesson's steps (lesson.h): it
 * shows the narration, hands each line the learner types to the lesson's
 * session, asks the evaluator after every try, gives hints, and saves the
 * progress after every step.  It is event-driven, line by line, so the
 * shell, the TUI and a scripted run all host it through the console; it
 * shows everything as tx items (narration as TX_LESSON) and does no
 * terminal I/O.  Progress files are its only I/O (progress.h).
 */
#ifndef SMTPREF_TUTOR_H
#define SMTPREF_TUTOR_H

#include <stddef.h>

#include "core/explain.h"
#include "lesson/lesson.h"
#include "core/tx.h"

struct tutor_opts {
	enum explain_level level;
	/* the progress directory (progress_dir); NULL or "": progress is
	 * neither read nor written */
	const char *progress_dir;
	/* the learner's name for the progress and receipts (lesson run
	 * --name), or NULL */
	const char *learner;
};

struct tutor;

/* tutor_new - a tutor for l, which it takes over (lesson_free at
 * tutor_free, also when tutor_new fails).  NULL when out of memory. */
struct tutor *tutor_new(struct lesson *l, const struct tutor_opts *o,
    const struct tx_sink *sink);
void tutor_free(struct tutor *t);

/* tutor_start - the title, a resume where the saved progress says, then
 * every step up to the first one that waits for the learner.  While a
 * tutor keeps progress it holds the lesson's lock (progress_lock): when
 * another run holds it, the tutor says so and is done at once. */
void tutor_start(struct tutor *t);

/* tutor_line - one line the learner typed (no line end).  Returns 1 when
 * it held a credential (an AUTH answer), which must not be kept. */
int tutor_line(struct tutor *t, const char *line, size_t len);

/* tutor_group - several lines at once (a paste): one pipelined write at
 * a step that wants one, else line by line.  Returns as tutor_line. */
int tutor_group(struct tutor *t, const char *const *lines, const size_t *lens,
    size_t n);

/* The lesson's own meta-commands. */
void tutor_hint(struct tutor *t);	/* the next hint of this step */
int tutor_skip(struct tutor *t);	/* 0, or -1 when the lesson forbids it */
void tutor_restart(struct tutor *t);	/* from the first step, afresh */
/* tutor_cancel - drop the lines collected for a pipelined group;
 * returns 1 when there were some */
int tutor_cancel(struct tutor *t);
/* tutor_leave - the learner stops: progress saved, told how to go on */
void tutor_leave(struct tutor *t);

/* tutor_done - the lesson is over (finished, or left) */
int tutor_done(const struct tutor *t);

/* What the step waiting for the learner wants, for completion. */
enum tutor_wants {
	TUTOR_COMMAND,		/* a command (client role) */
	TUTOR_MESSAGE,		/* a line of the message, after 354 */
	TUTOR_AUTH,		/* an answer to a 334 challenge */
	TUTOR_REPLY,		/* a reply (server role) */
	TUTOR_ANSWER,		/* the answer to a question */
	TUTOR_GROUP,		/* the lines of a pipelined group, which an
				 * empty line sends */
	TUTOR_NOTHING		/* the lesson is over */
};
enum tutor_wants tutor_wants(const struct tutor *t);

const struct lesson *tutor_lesson(const struct tutor *t);
/* tutor_step - the step waiting (0-based), and how many there are */
size_t tutor_step(const struct tutor *t);

/* The simulated peer: the server (client role) or the client (server
 * role); the other is NULL. */
const struct server *tutor_server(const struct tutor *t);
const struct client *tutor_client(const struct tutor *t);
int tutor_tls(const struct tutor *t);

void tutor_set_level(struct tutor *t, enum explain_level level);

#endif
