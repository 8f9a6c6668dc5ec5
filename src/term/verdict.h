/* SPDX-License-Identifier: GPL-3.0-or-later */
/* verdict.h - what explain prints: each recipient's verdict first, then
 * the details, as text or as the JSON of man/smtpref.1 (EXPLAIN)
 *
 * The report reader (src/report/) hands records to verdict_rcpt, which
 * writes them at once, so a report of any size is printed as it is read.
 * One JSON object per input, on one line (JSON Lines for several).
 */
#ifndef SMTPREF_VERDICT_H
#define SMTPREF_VERDICT_H

#include <stdio.h>

#include "term/json.h"
#include "term/render.h"
#include "report/report.h"

struct verdict {
	int json;
	int quiet;		/* one line per recipient */
	FILE *out;
	struct json own;
	struct json *j;		/* own, or the caller's (verdict_embed) */
	struct render r;
	const char *file;	/* the input's name; NULL for a term */
	int open;		/* JSON: the input's object is open */
	unsigned msg;		/* the message last introduced */
	unsigned long count;	/* recipients of this input */
	int any;		/* text: something printed before this input */
	int headings;		/* text: introduce each message (default 1) */
	int codes;		/* text: the codes' meanings in the details
				 * (default 1; smtpref TERM prints them whole) */
};

void verdict_init(struct verdict *v, FILE *out, int json, int quiet,
    enum render_color_mode color);
/* verdict_embed - write JSON into the caller's writer j, as one value
 * where j expects one (smtpref TERM's "results") */
void verdict_embed(struct verdict *v, struct json *j);
/* verdict_begin - an input starts; file is its name ("-" for standard
 * input), or NULL when it is a term of smtpref TERM */
void verdict_begin(struct verdict *v, const char *file);
/* verdict_rcpt - a report_fn: ctx is the struct verdict */
void verdict_rcpt(void *ctx, const struct report_msg *m,
    const struct report_rcpt *r);
/* verdict_end - the input is over: JSON closes its object */
void verdict_end(struct verdict *v, const struct report_summary *s);

/* verdict_json_rcpt - one recipient as a JSON object, under key (NULL
 * inside an array) */
void verdict_json_rcpt(struct json *j, const char *key,
    const struct report_msg *m, const struct report_rcpt *r);

/* verdict_pair - one sentence on how a reply code and an enhanced code
 * go together (registered, seen in practice, unusual, or an error);
 * returns 1 when it is an error: classes that disagree */
int verdict_pair(int code, int cls, int subject, int detail, char *buf,
    size_t size);

#endif
