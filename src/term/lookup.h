/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lookup.h - the reference front end: smtpref TERM..., list, search
 *
 * Classifies what the user typed (a code, a range, an enhanced code, a
 * word, a parameter, a pasted reply or EHLO line), finds it in the
 * embedded tables and prints it as text (render) or JSON.
 */
#ifndef SMTPREF_LOOKUP_H
#define SMTPREF_LOOKUP_H

#include <stddef.h>
#include <stdio.h>

#include "term/render.h"
#include "core/reply.h"

enum lookup_kind {
	LOOKUP_CODE,		/* 553 */
	LOOKUP_RANGE,		/* 5xx, 55x, x5x */
	LOOKUP_ENH,		/* 5.1.1, X.1.1 */
	LOOKUP_ENH_SUBJECT,	/* 5.7.*, X.7.*, X.7.X */
	LOOKUP_ENH_CLASS,	/* 5.X.X, 5.*.* */
	LOOKUP_WORD,		/* a verb or EHLO keyword: MAIL, pipelining */
	LOOKUP_PARAM,		/* SIZE=, NOTIFY=SUCCESS */
	LOOKUP_REPLY_LINE,	/* 550 5.1.1 <bob@example.org>: ... */
	LOOKUP_EHLO_LINE,	/* 250-SIZE 10240000 */
	LOOKUP_REPORT,		/* what smtpref explain reads: a log line, a
				 * Diagnostic-Code: line, a reply block */
	LOOKUP_INVALID,		/* none of those forms */
	LOOKUP_KIND_LAST
};

struct lookup_term {
	enum lookup_kind kind;
	const char *term;
	int code;		/* CODE, REPLY_LINE, EHLO_LINE */
	char pattern[4];	/* RANGE: lower-case "5xx" */
	int enh_class;		/* ENH*: 2, 4, 5, or 0 for X */
	int enh_subject;
	int enh_detail;
	const char *word;	/* WORD, PARAM: the name */
	size_t word_len;
	const char *value;	/* PARAM: after '=', may be empty */
	struct reply_line line;	/* REPLY_LINE, EHLO_LINE */
	struct reply_ehlo ehlo;	/* EHLO_LINE */
};

struct lookup_opts {
	int json;
	int quiet;		/* one line per entry */
	enum render_color_mode color;
	FILE *out;		/* NULL: stdout */
	FILE *err;		/* NULL: stderr */
};

const char *lookup_kind_str(enum lookup_kind k);

/* lookup_classify - decide what kind of term s is */
void lookup_classify(const char *s, struct lookup_term *t);

/* lookup_suggest - up to max names close to s ("did you mean"); returns
 * how many were written to out (each a NUL-terminated string of at most
 * 31 bytes). */
size_t lookup_suggest(const char *s, char out[][32], size_t max);

/* The subcommands; each returns the exit status (0 found, 1 not found). */
int lookup_terms(char *const *terms, int n, const struct lookup_opts *o);
/* lookup_plain - the terms' entries as plain text into out, problems into
 * err: what the console's :explain TERM shows (console_opts.lookup) */
void lookup_plain(char *const *terms, int n, FILE *out, FILE *err);
/* what: codes, enhanced, keywords, commands, params, reasons, personas,
 * scenarios; 2 when unknown */
int lookup_list(const char *what, const struct lookup_opts *o);
int lookup_search(char *const *words, int n, const struct lookup_opts *o);

/* The names lookup_list accepts, space-separated (for help and completion). */
#define LOOKUP_LISTS "codes enhanced keywords commands params reasons personas scenarios"

#endif
