/* SPDX-License-Identifier: GPL-3.0-or-later */
/* coverage.h - what a learner meets in a curriculum, measured by running
 * every lesson's answers through the state machine; and the rules list
 * that says, for each rule of the RFCs, which lesson step teaches it
 *
 * Coverage walks each lesson as `smtpref lesson check` does: with the
 * model answers, following the gotos they take, then once more for each
 * alt: answer.  Everything the learner meets on the way is recorded,
 * overall and per step: the reply codes (of the simulated server in the
 * client role, of the learner's own replies in the server role; codes an
 * injected fault produced are not counted, since no rule chose them), the
 * enhanced status codes, the EHLO keywords of the EHLO replies, the
 * simulated server's rules by name (of its replies and of its notes and
 * warnings), the RFC sections the narration cites, and the commands in
 * each role.  What a non-checked step shows (a greeting after set:, the
 * narration of say:) belongs to the next checked step, the one where the
 * learner acts on it.
 *
 * The rules list (lessons/rfc-rules.rec; lesson_rules_parse) names, for each
 * rule, the lesson and step that teaches it, and what the learner meets
 * there; lesson_rules_check holds each mark to what coverage measured.
 *
 * No I/O: the caller reads the files.
 */
#ifndef SMTPREF_COVERAGE_H
#define SMTPREF_COVERAGE_H

#include <stddef.h>

#include "lesson/lesson.h"

enum lesson_cov_kind {
	LESSON_COV_CODE,	/* "250" */
	LESSON_COV_ENHANCED,	/* "5.1.1" */
	LESSON_COV_KEYWORD,	/* "PIPELINING" */
	LESSON_COV_RULE,	/* "greylisted" */
	LESSON_COV_SECTION,	/* "RFC 5321 4.5.3.1.10", or "RFC 6647" */
	LESSON_COV_CLIENT_CMD,	/* "RCPT": sent by the learner (client role) */
	LESSON_COV_SERVER_CMD,	/* "RCPT": answered by the learner (server role) */
	LESSON_COV_LAST
};

/* lesson_cov_kind_str - "code", "enhanced", "keyword", "rule", "section",
 * "client-command", "server-command" (the words of a Meets: item) */
const char *lesson_cov_kind_str(enum lesson_cov_kind k);

struct lesson_cov;

/* lesson_cov_new - an empty measure; NULL when out of memory */
struct lesson_cov *lesson_cov_new(void);
void lesson_cov_free(struct lesson_cov *c);

/* lesson_cov_add - walk l and record what it meets.  A model or alt:
 * answer that does not pass is an error in errs (lesson check says
 * more).  Returns the number of errors added. */
size_t lesson_cov_add(struct lesson_cov *c, const struct lesson *l,
    struct lesson_errors *errs);

/* What was met overall, sorted (codes numerically, the rest by bytes). */
size_t lesson_cov_count(const struct lesson_cov *c, enum lesson_cov_kind k);
const char *lesson_cov_item(const struct lesson_cov *c, enum lesson_cov_kind k,
    size_t i);
/* lesson_cov_met - item was met; a section is also met by a subsection
 * ("RFC 5321 4.5" by "RFC 5321 4.5.3.1") */
int lesson_cov_met(const struct lesson_cov *c, enum lesson_cov_kind k,
    const char *item);

/* The lessons measured, and their checked steps (steps count from 1, as
 * smtpref lesson progress counts them). */
size_t lesson_cov_lessons(const struct lesson_cov *c);
/* lesson_cov_name - the name of the ith lesson measured, in the order
 * they were added */
const char *lesson_cov_name(const struct lesson_cov *c, size_t i);
size_t lesson_cov_checked(const struct lesson_cov *c);
/* lesson_cov_step - whether step (1-based) of lesson name was reached by
 * a walk and is a checked step (send, reply, ask); -1 when no lesson of
 * that name was measured or it has no such step */
int lesson_cov_step(const struct lesson_cov *c, const char *name, size_t step);
/* lesson_cov_step_met - item of kind k was met at that step */
int lesson_cov_step_met(const struct lesson_cov *c, const char *name,
    size_t step, enum lesson_cov_kind k, const char *item);
/* lesson_cov_step_each - every item met at a step, as "kind item" */
void lesson_cov_step_each(const struct lesson_cov *c, const char *name,
    size_t step, void (*fn)(void *ctx, enum lesson_cov_kind k,
    const char *item), void *ctx);

/* What the references define, for "missing" lists (NULL-terminated):
 * the reply codes of RFC 5321 4.2.3, its commands (4.1.1), and its
 * sections 2 to 7.  The keywords are those some persona announces. */
extern const char *const lesson_cov_rfc5321_codes[];
extern const char *const lesson_cov_rfc5321_commands[];
extern const char *const lesson_cov_rfc5321_sections[];
/* lesson_cov_keyword_each - each EHLO keyword some persona announces,
 * once, in the tables' order */
void lesson_cov_keyword_each(void (*fn)(void *ctx, const char *kw), void *ctx);

/* ---- the rules list --------------------------------------------------- */

#define LESSON_RULES_MAX 1000
#define LESSON_MEETS_MAX 8

struct lesson_rule {
	unsigned line;
	const char *id;		/* unique: "5321-4.1.1-no-args" */
	const char *source;	/* "RFC 5321 4.1.1" */
	const char *role;	/* client, server, both */
	const char *text;	/* the rule, in our words */
	char lesson[LESSON_NAME_MAX];	/* Taught: LESSON STEP */
	size_t step;
	/* Meets: "KIND ITEM; KIND ITEM" */
	enum lesson_cov_kind meets_kind[LESSON_MEETS_MAX];
	const char *meets[LESSON_MEETS_MAX];
	size_t nmeets;
};

struct lesson_rules {
	struct lesson_rule *v;
	size_t n;
	char *text;		/* the file's text, which the fields point into */
};

/* lesson_rules_parse - the rules list read from file (text[0..len), which
 * it copies); every error to errs as file:line.  Returns 0, or -1 when
 * anything is wrong (r is then empty). */
int lesson_rules_parse(const char *file, const char *text, size_t len,
    struct lesson_rules *r, struct lesson_errors *errs);
void lesson_rules_free(struct lesson_rules *r);

/* lesson_rules_check - each rule's step exists in the lessons measured,
 * is a checked step some walk reached, and meets every Meets: item;
 * taught[i] (when not NULL) says which rules passed.  Every problem goes
 * to errs with the rule's line.  Returns the number of rules not taught. */
size_t lesson_rules_check(const struct lesson_rules *r,
    const struct lesson_cov *c, struct lesson_errors *errs,
    unsigned char *taught);

#endif
