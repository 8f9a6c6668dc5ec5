/* SPDX-License-Identifier: GPL-3.0-or-later */
/* explain.h - turn replies and events into explanation lines
 *
 * What the shell, the TUI, `smtpref simulate --explain` and lessons show
 * under a reply: why the server chose it (from the state machine), what
 * the code and the enhanced code mean (from the tables), each keyword of
 * an EHLO reply, and how the session's state changed.  Pure: lines are
 * handed to a callback, one at a time, without line endings.
 */
#ifndef SMTPREF_EXPLAIN_H
#define SMTPREF_EXPLAIN_H

#include "core/server.h"

enum explain_kind {
	EXPLAIN_WHY,		/* the rule that chose the reply, with its RFC section */
	EXPLAIN_CODE,		/* what the reply code means */
	EXPLAIN_ENHANCED,	/* what the enhanced status code means */
	EXPLAIN_KEYWORD,	/* one keyword of an EHLO reply */
	EXPLAIN_STATE,		/* the session moved from one phase to another */
	EXPLAIN_WARNING,	/* the client broke a rule */
	EXPLAIN_NOTE,		/* anything else worth knowing */
	EXPLAIN_LAST
};

/* explain_kind_str - "why", "code", "enhanced", "keyword", "state" ... */
const char *explain_kind_str(enum explain_kind k);

typedef void explain_fn(void *ctx, enum explain_kind kind, const char *text);

enum explain_level {
	EXPLAIN_OFF,
	EXPLAIN_BRIEF,		/* the rule and the code */
	EXPLAIN_FULL		/* and the enhanced code, keywords, state */
};

/* explain_reply - the lines for one reply of the simulated server */
void explain_reply(const struct server_reply *r, enum explain_level level,
    explain_fn *fn, void *ctx);

/* explain_event - the line for one event (none for some at BRIEF) */
void explain_event(const struct server_event *e, enum explain_level level,
    explain_fn *fn, void *ctx);

/* Explanations of events, held until the reply they belong to has been
 * shown: the server records a change of phase before it answers, and a
 * learner should read the reply first.  explain_hold_line is an
 * explain_fn whose ctx is the hold; lines are kept in order, and when the
 * hold is full it passes on what it holds, then the new line. */
#define EXPLAIN_HOLD_MAX 8192
struct explain_hold {
	char buf[EXPLAIN_HOLD_MAX];	/* records: kind octet, text, NUL */
	size_t n;
	explain_fn *fn;			/* where the lines go in the end */
	void *ctx;
};
void explain_hold_init(struct explain_hold *h, explain_fn *fn, void *ctx);
void explain_hold_line(void *hold, enum explain_kind kind, const char *text);
/* explain_hold_flush - pass on every line held, in order */
void explain_hold_flush(struct explain_hold *h);

/* explain_code - what code (and enhanced code enh, "" or NULL for none)
 * mean, for a reply from any server; verb, when known, says what it
 * answered ("MAIL", "DATA-END", "CONNECT") */
void explain_code(int code, const char *enh, const char *verb,
    explain_fn *fn, void *ctx);

/* explain_ehlo_line - one line of an EHLO reply ("SIZE 35882577") */
void explain_ehlo_line(const char *text, size_t len, explain_fn *fn,
    void *ctx);

/* The state diagram that :diagram and the TUI draw: one row a line, with
 * the phase (enum server_phase) a row's box stands for, or -1 for a row
 * of lines.  ASCII only: '|' and '-' are lines, '+' is where lines meet
 * (a corner or a junction, which the TUI tells apart by its neighbours),
 * '<' is an arrow head.  tests/check_explain.c holds its lines together. */
struct explain_diagram_row {
	int phase;
	const char *text;
};
extern const struct explain_diagram_row explain_diagram[];
extern const size_t explain_diagram_rows;

/* explain_meaning - what code means for the session after verb (from
 * data/meanings.rec: "RCPT", "CONNECT", "DATA-END"; NULL when the command
 * is unknown), as one line "after VERB: meaning (section)"; 0 when the
 * table has nothing to say */
int explain_meaning(const char *verb, int code, explain_fn *fn, void *ctx);

#endif
