/* SPDX-License-Identifier: GPL-3.0-or-later */
/* priv.h - the console's insides, shared by its files (console.c: lines,
 * held lines and the peers; meta.c: the meta-commands; complete.c:
 * completion).  Not for the front ends: they use console.h. */
#ifndef SMTPREF_CONSOLE_PRIV_H
#define SMTPREF_CONSOLE_PRIV_H

#include "console/opts.h"
#include "console/record.h"

#define PIPE_MAX 64		/* commands in one :pipe group */
#define HOLD_MAX 4096		/* lines held while a reply is awaited */

/* A line typed while the peer waited for a reply. */
struct held {
	char *text;
	size_t len;
	int message;		/* typed after DATA: a line of the message */
};

struct console {
	struct console_opts o;
	struct tx_sink out;		/* the front end */
	struct tx_sink self;		/* to_front: recorded, then drawn */
	struct record *rec;		/* the transcript, for :save */
	enum explain_level level;
	int quit;

	/* what the learner talks to, and what a lesson or a replay stands
	 * over (NULL when nothing does) */
	struct peer *peer;
	struct peer *below;
	int below_unstarted;		/* it has not started yet */
	struct lesson *pending;		/* a lesson to start with */

	/* :pipe, or a script's automatic group: commands for one write */
	int piping;			/* 1 :pipe, 2 automatic */
	char *pipe[PIPE_MAX];
	size_t pipe_len[PIPE_MAX], npipe;

	/* lines typed while the peer waited for a reply, in order */
	struct held *held;
	size_t nheld, held_cap;
	int hold_message;		/* the next held line is a message line */
	int sent_data;			/* the last line sent was DATA */
	int skipping;			/* a refused DATA: lines up to "." go */
	long skipped, unsent;		/* lines not sent, for the summary */

	char prompt[96];
};

/* to_front - a sink's item: kept for :save, then drawn */
void console_to_front(void *ctx, const struct tx_item *it);

/* console_meta - run a meta-command line; 0 when the line is not one
 * (strict 0: inside a message, where unknown ones are text) */
int console_meta(struct console *c, const char *line, size_t len,
    int strict);

/* Peers coming and going. */
void console_push(struct console *c, struct peer *p);	/* over the session */
void console_replace(struct console *c, struct peer *p);	/* the session */
void console_settle(struct console *c);	/* pop what is done */
void console_clear(struct console *c);	/* drop groups and held lines */
struct peer *console_new_session(struct console *c,
    const struct session_opts *o);
/* console_open_lesson - l as a peer over the session (taken over) */
int console_open_lesson(struct console *c, struct lesson *l);

/* The replayed transcript and the lesson, as peers (replay.c,
 * lessonpeer.c). */
struct peer *replay_new(const char *path, int interactive,
    enum explain_level level, const struct tx_sink *sink, char *err,
    size_t errsize);
struct tutor;
struct peer *lessonpeer_new(struct lesson *l, enum explain_level level,
    const char *progress_dir, const char *learner,
    const struct tx_sink *sink);

#endif
