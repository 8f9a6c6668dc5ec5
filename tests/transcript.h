/* SPDX-License-Identifier: GPL-3.0-or-later */
/* transcript.h - run a transcript file against the simulated server
 *
 * The format is described in tests/transcripts/README.  A transcript
 * states what the client sends (and which lines share one read) and the
 * codes and enhanced codes it must get back, never the wording.
 */
#ifndef SMTPREF_TRANSCRIPT_H
#define SMTPREF_TRANSCRIPT_H

#include <stddef.h>

#include "core/server.h"

/* What a run saw, for the property and coverage tests. */
struct transcript_stats {
	unsigned char codes[600];	/* codes[n] set when reply n was seen */
	size_t replies;
	size_t commands;
	/* the first reply that broke the property, if any */
	char violation[256];
	/* the first rule, of a reply or an event, not in data/rules.rec */
	char unknown_rule[96];
};

/* transcript_hook - called for every reply (may be NULL) */
typedef void transcript_hook(void *ctx, const struct server_reply *r);

/* transcript_run - run the transcript in text[0..len), named name for
 * messages.  Returns 0 when every expectation held, else -1 with
 * "name:line: what" in err.  stats may be NULL. */
int transcript_run(const char *name, const char *text, size_t len,
    struct transcript_stats *stats, char *err, size_t errsize);

/* transcript_reply_ok - the property: code is allowed for the verb by
 * the tables (plus 421/500/501), or is one of the session-wide answers
 * RFC 5321 and the extensions allow for any command under a named rule
 * (502 not implemented, 503 after a refusal, 521, 530).  Returns 1 when
 * it holds. */
int transcript_reply_ok(const struct server_reply *r);

#endif
