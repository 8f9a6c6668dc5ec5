/* SPDX-License-Identifier: GPL-3.0-or-later */
/* record.h - a session's transcript: kept, saved and read back
 *
 * Saved transcripts use swaks' direction markers, so a learner can put
 * one beside swaks output:
 *     " -> " a line the client sent      " ~> " the same under TLS
 *     "<-  " a line the client received  "<~  " the same under TLS
 *     "=== " a note                      "*** " an error
 * (swaks' "<** " and "<~* ", received error replies, are read as "<-  "
 * and "<~  ").  Credentials arrive already redacted (tx.h).  A file
 * is written through a new file and a rename, never through a link
 * planted at its name (lesson/safefile.h).
 */
#ifndef SMTPREF_RECORD_H
#define SMTPREF_RECORD_H

#include <stddef.h>

#include "core/tx.h"

/* A transcript keeps at most this many octets of text; past it, lines
 * are counted but not kept, and the saved file says so. */
#define RECORD_MAX_BYTES (16u << 20)

enum record_dir {
	RECORD_SENT,
	RECORD_RECEIVED,
	RECORD_NOTE,
	RECORD_ERROR
};

struct record_entry {
	enum record_dir dir;
	int tls;
	unsigned line;		/* in the file it was read from, else 0 */
	char *text;		/* NUL-terminated, no line ending */
};

struct record;

struct record *record_new(void);
void record_free(struct record *r);
void record_clear(struct record *r);

/* record_add - keep a sent or received line, a note or an error; other
 * items are explanations and are not part of a transcript */
void record_add(struct record *r, const struct tx_item *it);

size_t record_count(const struct record *r);
const struct record_entry *record_get(const struct record *r, size_t i);

/* record_format - the line for entry e, marker included, into buf;
 * returns its length (truncated to size - 1) */
size_t record_format(const struct record_entry *e, char *buf, size_t size);

/* record_save - write the transcript to path (through a temporary file
 * and a rename, so a failure leaves no half-written file).  0, or -1 with
 * a message in err. */
int record_save(const struct record *r, const char *path, char *err,
    size_t errlen);

/* record_load - read a saved transcript: a regular file of bounded
 * size (lesson/safefile.h).  NULL with "FILE:LINE: what is wrong" in err
 * when it is not one. */
struct record *record_load(const char *path, char *err, size_t errlen);

/* record_parse - the same from text[0..len), path naming it in errors.
 * Each line's text is kept escaped (core/printable.h). */
struct record *record_parse(const char *path, const char *text, size_t len,
    char *err, size_t errlen);

#endif
