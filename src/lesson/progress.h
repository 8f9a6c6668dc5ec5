/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress.h - a learner's progress through lessons, kept on disk
 *
 * One file per lesson in the XDG state directory ($XDG_STATE_HOME/smtpref,
 * by default ~/.local/state/smtpref): NAME.progress says where to resume,
 * and NAME.transcript holds what the learner saw, appended step by step.
 * Every write of a progress file is atomic (a temporary file in the same
 * directory, fsync, rename, fsync of the directory), so a crash or Ctrl-C
 * leaves the old file or the new one, never half of one.  The transcript
 * is appended and synced before the progress file that counts its octets
 * is written; octets past that count (from a crash in between) are cut
 * off at the next append.  A run holds NAME.lock (flock) while it runs,
 * so a second run of the same lesson is told it is already running.
 *
 * The runner's part, after every step:
 *	progress_transcript_append(dir, &p, text, len, ...)   (optional)
 *	progress_step(&p, next, skipped, passed)
 *	progress_save(dir, &p, ...)
 */
#ifndef SMTPREF_PROGRESS_H
#define SMTPREF_PROGRESS_H

#include <stddef.h>

#include "lesson/lesson.h"

#define PROGRESS_DIR_MAX 4096
#define PROGRESS_FILE_MAX 4096		/* octets in a progress file */
#define PROGRESS_TRANSCRIPT_MAX (4 * 1024 * 1024)	/* kept; more is dropped */

#define PROGRESS_LEARNER_MAX 80		/* octets of a learner's name */

struct progress {
	char lesson[LESSON_NAME_MAX];	/* the lesson's name */
	char title[128];		/* its title, for receipts */
	char learner[PROGRESS_LEARNER_MAX + 1];	/* --name, or "" */
	unsigned long step;		/* the step to resume at (index) */
	unsigned long steps;		/* the lesson's steps when saved: a
					 * lesson that changed starts over */
	unsigned long passed;		/* checked steps passed */
	unsigned long skipped;		/* checked steps skipped */
	unsigned long tries;		/* wrong tries, in all */
	int done;			/* the lesson was finished */
	long long started;		/* seconds since the epoch */
	long long finished;		/* 0 until done */
	unsigned long long transcript;	/* octets of NAME.transcript */
	int transcript_lost;		/* the transcript file lost octets */
};

/* progress_dir - the state directory, into buf: $XDG_STATE_HOME/smtpref
 * (when XDG_STATE_HOME is an absolute path), else $HOME/.local/state/
 * smtpref.  With create, it is made (mode 0700, parents too).  Returns 0,
 * or -1 with err saying why. */
int progress_dir(char *buf, size_t size, int create, char *err, size_t errsize);

/* progress_init - a fresh progress for lesson l */
void progress_init(struct progress *p, const struct lesson *l, long long now);

/* progress_format - the file's text into buf; returns its length, or 0
 * when it does not fit */
size_t progress_format(const struct progress *p, char *buf, size_t size);

/* progress_parse - the file's text (file names it in errors).  Returns 0,
 * or -1 with err "FILE:LINE: what is wrong". */
int progress_parse(const char *file, const char *text, size_t len,
    struct progress *p, char *err, size_t errsize);

/* progress_load - the progress of lesson name.  No file: *found is 0 and
 * p is zeroed with the name set; returns 0.  A file that cannot be read or
 * is corrupt: -1 with err naming the file (and line). */
int progress_load(const char *dir, const char *name, struct progress *p,
    int *found, char *err, size_t errsize);

/* progress_save - write it atomically; 0 or -1 with err */
int progress_save(const char *dir, const struct progress *p, char *err,
    size_t errsize);

/* progress_step - a step is over: next is where to resume; skipped says
 * the learner skipped a checked step, passed that one passed */
void progress_step(struct progress *p, size_t next, int passed, int skipped);

/* progress_finish - the lesson is over, at time now */
void progress_finish(struct progress *p, long long now);

/* progress_transcript_append - append text to the lesson's transcript
 * and sync it, then count it in p (save p afterwards).  Octets beyond
 * PROGRESS_TRANSCRIPT_MAX are dropped.  0 or -1 with err. */
int progress_transcript_append(const char *dir, struct progress *p,
    const char *text, size_t len, char *err, size_t errsize);

/* progress_transcript_read - the transcript's first p->transcript octets
 * in a malloc'd buffer (NUL-terminated).  0 or -1 with err. */
int progress_transcript_read(const char *dir, const struct progress *p,
    char **buf, size_t *len, char *err, size_t errsize);

/* progress_learner_ok - name can be a learner's name: one line of at
 * most PROGRESS_LEARNER_MAX octets that a terminal shows as it is */
int progress_learner_ok(const char *name);

/* Step records.  After each checked step the tutor appends to the
 * transcript a line "=== step K of N: passed" (or "skipped"), K counted
 * from 1, N the lesson's steps.  progress_steps_check holds a transcript
 * to what is claimed of it: exactly claimed steps passed and none
 * skipped; with the lesson l (may be NULL), each one a checked step of a
 * lesson of N steps, and, for a lesson without branches, every checked
 * step passed.  0, or -1 with err saying what does not hold. */
int progress_steps_check(const char *text, size_t len,
    unsigned long claimed, const struct lesson *l, char *err,
    size_t errsize);

/* progress_lock - take the lesson's lock file (NAME.lock in dir, flock):
 * one run of a lesson at a time, else two runs overwrite each other's
 * progress and transcript.  Returns a descriptor to keep until the run
 * is over (progress_unlock), or -1 with err; *busy is 1 when another
 * run holds it. */
int progress_lock(const char *dir, const char *name, int *busy, char *err,
    size_t errsize);
void progress_unlock(int fd);

/* progress_reset - remove the progress and transcript of lesson name.
 * Returns 1 when there was something, 0 when not, -1 on error. */
int progress_reset(const char *dir, const char *name, char *err,
    size_t errsize);

/* progress_each - call fn for the name of every lesson with a progress
 * file in dir (no order).  Returns 0, or -1 when dir cannot be read (a
 * missing dir is not an error). */
int progress_each(const char *dir, void (*fn)(void *ctx, const char *name),
    void *ctx);

#endif
