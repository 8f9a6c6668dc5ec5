/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sendverdict.h - the one-line test client's verdict: what came of the
 * session, each recipient, the timings; as text or as JSON
 *
 * smtpref connect prints it after the session, from the real-server
 * peer's record (core/outcome.h): under the transcript, alone with
 * --quiet, or as the JSON summary with --json (smtpref(1), JSON OUTPUT).
 */
#ifndef SMTPREF_SENDVERDICT_H
#define SMTPREF_SENDVERDICT_H

#include <stdio.h>

#include "core/message.h"
#include "core/outcome.h"
#include "term/render.h"

struct send_verdict {
	const struct outcome *rec;	/* NULL when nothing was connected */
	struct outcome_verdict v;
	const char *why;	/* what decided when no reply did (smtpref
				 * stopped itself, the MX lookup), or NULL */
	const char *mx;		/* the domain whose MX was used, or NULL */
	const struct message *msg;	/* the message, or NULL */
	long long now_ms;
};

/* send_verdict_text - the recipients (when some were tried), the result and
 * the timings; quiet: the result alone */
void send_verdict_text(struct render *r, const struct send_verdict *vd, int quiet);

/* send_verdict_json - the session's summary as one JSON object on one line */
void send_verdict_json(FILE *out, const struct send_verdict *vd);

#endif
