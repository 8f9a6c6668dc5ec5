/* verdict.h - the one-line test client's verdict: what came of the
 * session, each recipient, the timings; as text or as JSON
 *
 * smtpref connect prints it after the session, from the real-server
 * peer's record (core/outcome.h): under the transcript, alone with
 * --quiet, or as the JSON summary with --json (smtpref(1), JSON OUTPUT).
 */
#ifndef SMTPREF_VERDICT_H
#define SMTPREF_VERDICT_H

#include <stdio.h>

#include "core/message.h"
#include "core/outcome.h"
#include "term/render.h"

struct verdict {
	const struct outcome *rec;	/* NULL when nothing was connected */
	struct outcome_verdict v;
	const char *why;	/* what decided when no reply did (smtpref
				 * stopped itself, the MX lookup), or NULL */
	const char *mx;		/* the domain whose MX was used, or NULL */
	const struct message *msg;	/* the message, or NULL */
	long long now_ms;
};

/* verdict_text - the recipients (when some were tried), the result and
 * the timings; quiet: the result alone */
void verdict_text(struct render *r, const struct verdict *vd, int quiet);

/* verdict_json - the session's summary as one JSON object on one line */
void verdict_json(FILE *out, const struct verdict *vd);

#endif
