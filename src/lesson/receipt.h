/* SPDX-License-Identifier: GPL-3.0-or-later */
/* receipt.h - completion receipts: what a learner hands the teacher
 *
 * A receipt is a short text: the lesson, its title, when it was
 * finished, how many checked steps were passed, whether any was skipped,
 * the SHA-256 of the transcript, which key signed it, and an HMAC-SHA-256
 * over all of that.  The teacher checks it offline with `smtpref lesson
 * verify`; any change to a field breaks the HMAC.
 *
 * The key is the class key the teacher gives the students
 * (SMTPREF_CLASS_KEY, or a file: SMTPREF_CLASS_KEY_FILE or --key-file).
 * Without one a built-in key is used; it is in the source, so anyone can
 * make a receipt with it: it only catches accidental edits.
 *
 * What a receipt proves, and what not (smtpref(1), RECEIPTS): that it
 * was made with this key and not changed since, and that the transcript
 * it names (by its SHA-256) records every checked step as passed, which
 * the receipt command checks before it signs and verify --transcript
 * checks again.  The class key is in every student's hands, so a
 * student who writes a program can make any receipt: it does not prove
 * who did the work, nor that smtpref made it.
 *
 *	smtpref lesson receipt
 *	lesson: 01-greeting
 *	title: Greeting and EHLO/HELO
 *	name: Ann Example       (only when the learner gave a name)
 *	finished: 2024-05-01T10:22:13Z
 *	steps: 9
 *	skipped: no
 *	transcript-sha256: 64 hex digits
 *	key: default (or 16 hex digits naming the class key)
 *	hmac-sha256: 64 hex digits
 *
 * Needs OpenSSL (SHA-256 and HMAC); built without it, every function
 * fails with a message saying so.
 */
#ifndef SMTPREF_RECEIPT_H
#define SMTPREF_RECEIPT_H

#include <stddef.h>

#include "lesson/lesson.h"

#define RECEIPT_MAX 4096		/* octets in a receipt */
#define RECEIPT_KEY_MAX 1024		/* octets in a class key */

/* The built-in key: public, so it only catches accidental edits. */
#define RECEIPT_DEFAULT_KEY "smtpref built-in receipt key: public, it catches accidental edits only"

#define RECEIPT_LEARNER_MAX 80		/* octets of the learner's name */

struct receipt {
	char lesson[LESSON_NAME_MAX];
	char title[128];
	char learner[RECEIPT_LEARNER_MAX + 1];	/* "" when not named */
	char finished[32];	/* 2024-05-01T10:22:13Z */
	unsigned long steps;	/* checked steps passed */
	int skipped;		/* some step was skipped */
	char transcript[65];	/* SHA-256 of the transcript, hex */
	char key[24];		/* "default", or 16 hex digits */
	char hmac[65];
};

struct receipt_key {
	unsigned char key[RECEIPT_KEY_MAX];
	size_t len;
	int is_default;
	char id[24];		/* "default" or 16 hex digits */
	char source[80];	/* where it came from, for messages */
};

/* receipt_digest - SHA-256 of buf[0..len) as 64 hex digits into hex.
 * Returns 0, or -1 (no OpenSSL). */
int receipt_digest(const void *buf, size_t len, char hex[65]);

/* receipt_key_load - the class key: file (when not NULL, from
 * --key-file), else $SMTPREF_CLASS_KEY, else the file named by
 * $SMTPREF_CLASS_KEY_FILE, else the built-in key.  A key file's content
 * without its final line end is the key.  0, or -1 with err. */
int receipt_key_load(struct receipt_key *k, const char *file, char *err,
    size_t errsize);
/* receipt_key_set - a key given as bytes (tests) */
int receipt_key_set(struct receipt_key *k, const void *key, size_t len);

/* receipt_date - "2024-05-01T10:22:13Z" for t */
void receipt_date(long long t, char *buf, size_t size);

/* receipt_make - sign r with k and write its text into buf.  Returns the
 * length, or 0 (too long for buf, a field that cannot be written, or no
 * OpenSSL) with err. */
size_t receipt_make(struct receipt *r, const struct receipt_key *k,
    char *buf, size_t size, char *err, size_t errsize);

/* receipt_verify - parse and check a receipt's text with key k.  0 when
 * it is genuine (r holds its fields); -1 when it is malformed, made with
 * another key, or changed: err says which ("FILE:LINE: ..." when a line
 * is to blame; file names the receipt). */
int receipt_verify(const char *file, const char *text, size_t len,
    const struct receipt_key *k, struct receipt *r, char *err,
    size_t errsize);

#endif
