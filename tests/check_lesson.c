/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_lesson.c - lessons: the parser's errors (file:line), what it
 * builds, the evaluator, the session and its undo, the checker, progress
 * files and receipts */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check-run.h"
#include "lesson/coverage.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"
#include "lesson/receipt.h"

#define HDR "title: T\nminutes: 5\n"		/* lines 1-2 */
#define SEND "send: s\nanswer: NOOP\n"		/* two lines */

static struct lesson_errors errs;

static struct lesson *parse_n(const char *text, size_t len)
{
	lesson_errors_init(&errs, "t.lesson");
	return lesson_parse("t.lesson", text, len, &errs);
}

static struct lesson *parse(const char *text)
{
	return parse_n(text, strlen(text));
}

static void dump_errors(void)
{
	char line[400];
	size_t i;

	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "  %s\n", lesson_error_format(&errs, i, line, sizeof line));
}

/* ---- the parser: errors ------------------------------------------------- */

static const struct {
	const char *text;
	unsigned line;		/* of the first error */
} broken[] = {
	{ "minutes: 5\n" SEND, 1 },			/* no title */
	{ "title: T\n" SEND, 1 },			/* no minutes */
	{ "title: T\nminutes: 0\n" SEND, 2 },
	{ "title: T\nminutes: many\n" SEND, 2 },
	{ HDR "role: both\n" SEND, 3 },
	{ HDR "persona: nosuch\n" SEND, 3 },
	{ HDR "scenario: nosuch\n" SEND, 3 },
	{ HDR "order: first\n" SEND, 3 },
	{ HDR "skip: maybe\n" SEND, 3 },
	{ HDR "title: again\n" SEND, 3 },
	{ HDR SEND "title: late\n", 5 },
	{ HDR SEND "persona: late\n", 5 },
	{ HDR "  indented, continuing nothing\n" SEND, 3 },
	{ HDR "bogus: x\n" SEND, 3 },
	{ HDR "no keyword on this line\n" SEND, 3 },
	{ HDR "say:\n" SEND, 3 },
	{ HDR "send: s\nexpect: code 2500\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: code 250 extra\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: code\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: phase nowhere\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: frobnicate\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: enhanced 6.1.1\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: enhanced 5.01.1\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: match (\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: allowed\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: command FROB\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: not\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nexpect: closed now\nanswer: NOOP\n", 4 },
	{ HDR "send: s\n", 3 },				/* no answer */
	{ HDR "send: s\nanswer: A\nanswer: B\n", 5 },
	{ HDR "send: s\naccept: x\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nhint 0: x\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nhint: a\nhint 1: b\nanswer: NOOP\n", 5 },
	{ HDR "send: s\nhint:\nanswer: NOOP\n", 4 },
	{ HDR "send: s\nanswer:\n", 4 },
	{ HDR "send: s\ngoto: nowhere if code 5xx\nanswer: NOOP\n", 4 },
	{ HDR "send: s\ngoto: x unless code 5xx\nanswer: NOOP\n", 4 },
	{ HDR "say: hi\ngoto: x if code 2xx\n" SEND, 4 },
	{ HDR "say: hi\nexpect: code 250\n" SEND, 4 },
	{ HDR "send: s\npipelined: maybe\nanswer: NOOP\n", 4 },
	{ HDR "say: a\nescapes: yes\n" SEND, 4 },
	{ HDR "reply: r\nanswer: 250 OK\n", 3 },	/* server role only */
	{ HDR "role: server\nsend: s\nanswer: NOOP\n", 4 },
	{ HDR "role: server\nfault: RCPT 1 452\nreply: r\nanswer: 220 x\n", 4 },
	{ HDR "set: persona nosuch\n" SEND, 3 },
	{ HDR "set: scenario nosuch\n" SEND, 3 },
	{ HDR "set: role both\n" SEND, 3 },
	{ HDR "set: frob x\n" SEND, 3 },
	{ HDR "set:\n" SEND, 3 },
	{ HDR "set: connect now\n" SEND, 3 },
	{ HDR "set: persona\n" SEND, 3 },
	{ HDR "fault: RCPT\n" SEND, 3 },
	{ HDR "fault: RCPT 0 452\n" SEND, 3 },
	{ HDR "fault: RCPT 1 250\n" SEND, 3 },
	{ HDR "fault: FROB 1 452\n" SEND, 3 },
	{ HDR "fault: RCPT 1 452 5.5.3\n" SEND, 3 },
	{ HDR "fault: RCPT 1 452 4.x.3\n" SEND, 3 },
	{ HDR "label: a b\n" SEND, 3 },
	{ HDR SEND "label: x\nlabel: x\n", 6 },
	{ HDR "goto: nowhere\n" SEND, 3 },
	{ HDR "goto:\n" SEND, 3 },
	{ HDR "summary: s\n" SEND, 4 },
	{ HDR SEND "summary: a\nsummary: b\n", 6 },
	{ HDR "ask: q\nanswer:\n  a\n  b\n", 4 },
	{ HDR "say: hi\n", 3 },				/* nothing checked */
	{ HDR "goto: end\nsay: never\nlabel: end\n" SEND, 4 },
	{ HDR "label: a\ngoto: a\n" SEND, 4 },
	{ HDR "say: \xff\xfe\n" SEND, 3 },
	{ HDR "say: \xc0\xaf overlong\n" SEND, 3 },
	{ HDR "say: \xed\xa0\x80 surrogate\n" SEND, 3 },
	{ HDR "wait: soon\n" SEND, 3 },
	{ HDR "wait: 0m\n" SEND, 3 },
	{ HDR "wait: 31d\n" SEND, 3 },
	{ HDR "role: server\nwait: 5m\nreply: r\nanswer: 220 x\n", 4 },
	{ HDR "part: A\npart: B\n" SEND, 4 },
	{ HDR SEND "part: late\n", 5 },
	{ HDR "fault: DATA-END 1 drop 4.0.0\n" SEND, 3 },
	{ HDR "fault: DATA-END 1 dropped\n" SEND, 3 },
	{ HDR "role: server\nreply: r\nexpect: sender\nanswer: 220 x\n", 5 },
};

START_TEST(parser_errors_name_the_line)
{
	struct lesson *l = parse(broken[_i].text);

	if (l != NULL || errs.nerrors == 0 || errs.e[0].line != broken[_i].line) {
		fprintf(stderr, "case %d:\n%s\n", _i, broken[_i].text);
		dump_errors();
	}
	ck_assert_ptr_null(l);
	ck_assert_uint_ge(errs.nerrors, 1);
	ck_assert_uint_eq(errs.e[0].line, broken[_i].line);
}
END_TEST

START_TEST(parser_reports_every_error)
{
	static const char text[] =
	    "title: T\n"			/* 1 */
	    "minutes: lots\n"			/* 2 */
	    "role: clint\n"			/* 3 */
	    "send: s\n"				/* 4: no answer */
	    "expect: code 999\n"		/* 5 */
	    "expect: phase nowhere\n"		/* 6 */
	    "accept: no\n"			/* 7 */
	    "fault: RCPT 3 252\n"		/* 8 */
	    "goto: nowhere\n";			/* 9 */
	static const unsigned lines[] = { 2, 3, 4, 5, 6, 7, 8, 9 };
	struct lesson *l = parse(text);
	size_t i;

	ck_assert_ptr_null(l);
	ck_assert_uint_eq(errs.nerrors, sizeof lines / sizeof lines[0]);
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		ck_assert_uint_eq(errs.e[i].line, lines[i]);
}
END_TEST

START_TEST(parser_error_format)
{
	char buf[300];

	ck_assert_ptr_null(parse(HDR "persona: nosuch\n" SEND));
	lesson_error_format(&errs, 0, buf, sizeof buf);
	ck_assert(strncmp(buf, "t.lesson:3: ", 12) == 0);
	ck_assert_ptr_nonnull(strstr(buf, "nosuch"));
	/* a file-wide problem has no line */
	ck_assert_ptr_null(parse(""));
	lesson_error_format(&errs, 0, buf, sizeof buf);
	ck_assert(strncmp(buf, "t.lesson:", 9) == 0);
}
END_TEST

START_TEST(parser_nul_byte)
{
	static const char text[] = HDR "say: a\0b\n" SEND;

	ck_assert_ptr_null(parse_n(text, sizeof text - 1));
	ck_assert_uint_eq(errs.e[0].line, 3);
}
END_TEST

START_TEST(parser_bounds)
{
	size_t n = LESSON_LINE_MAX + 100, i, len;
	char *text = malloc(LESSON_FILE_MAX + 64);
	char *p;

	ck_assert_ptr_nonnull(text);
	/* a line too long */
	len = (size_t)sprintf(text, HDR "say: ");
	memset(text + len, 'a', n);
	len += n;
	len += (size_t)sprintf(text + len, "\n" SEND);
	ck_assert_ptr_null(parse_n(text, len));
	ck_assert_uint_eq(errs.e[0].line, 3);
	/* a file too large */
	memset(text, '#', LESSON_FILE_MAX + 1);
	ck_assert_ptr_null(parse_n(text, LESSON_FILE_MAX + 1));
	ck_assert_uint_eq(errs.e[0].line, 0);
	/* too many steps */
	p = text;
	p += sprintf(p, HDR);
	for (i = 0; i < LESSON_STEPS_MAX + 5; i++)
		p += sprintf(p, "say: x\n");
	p += sprintf(p, SEND);
	ck_assert_ptr_null(parse_n(text, (size_t)(p - text)));
	ck_assert_uint_eq(errs.e[0].line, 3 + LESSON_STEPS_MAX);
	free(text);
}
END_TEST

START_TEST(parser_keeps_only_the_first_errors)
{
	char *text = malloc(64 * 1024), *p = text;
	int i;

	ck_assert_ptr_nonnull(text);
	p += sprintf(p, HDR SEND);
	for (i = 0; i < 3 * LESSON_ERRORS_MAX; i++)
		p += sprintf(p, "bogus line %d\n", i);
	ck_assert_ptr_null(parse_n(text, (size_t)(p - text)));
	ck_assert_uint_eq(errs.n, LESSON_ERRORS_MAX);
	ck_assert_uint_eq(errs.nerrors, 3 * LESSON_ERRORS_MAX);
	ck_assert_uint_eq(errs.dropped, 2 * LESSON_ERRORS_MAX);
	free(text);
}
END_TEST

START_TEST(parser_file_names)
{
	char name[LESSON_NAME_MAX];

	ck_assert_int_eq(lesson_name_from_file("dir/07-dots.lesson", name, sizeof name), 0);
	ck_assert_str_eq(name, "07-dots");
	ck_assert_int_eq(lesson_name_from_file("plain", name, sizeof name), 0);
	ck_assert_str_eq(name, "plain");
	ck_assert_int_eq(lesson_name_from_file("a b.lesson", name, sizeof name), -1);
	ck_assert_int_eq(lesson_name_from_file(".hidden.lesson", name, sizeof name), -1);
	ck_assert_int_eq(lesson_name_from_file("dir/.lesson", name, sizeof name), -1);
	ck_assert_int_eq(lesson_name_from_file("x/", name, sizeof name), -1);
	lesson_errors_init(&errs, "bad name.lesson");
	ck_assert_ptr_null(lesson_parse("bad name.lesson", HDR SEND,
	    strlen(HDR SEND), &errs));
	ck_assert_uint_eq(errs.e[0].line, 0);
}
END_TEST

/* ---- the parser: what it builds ----------------------------------------- */

static const char good[] =
    "# a comment\n"			/* 1 */
    "title: A good lesson\n"		/* 2 */
    "minutes: 7\n"			/* 3 */
    "role: client\n"			/* 4 */
    "persona: rfc821\n"			/* 5 */
    "order: 42\n"			/* 6 */
    "skip: forbidden\n"			/* 7 */
    "\n"
    "say: First\n"			/* 9 */
    "  paragraph.\n"
    "\n"
    "  Second paragraph\n"
    "  - item one\n"
    "    continued\n"
    "  - item two\n"
    "# a comment inside a block\n"
    "\n"
    "      preformatted line\n"
    "\n"
    "send: Prompt\r\n"			/* 20, with CR LF */
    "expect: code 250 2x1\n"
    "expect: not phase closed\n"
    "goto: end if code 5xx\n"		/* 23 */
    "hint 3: strong\n"
    "hint: weak\n"
    "answer:\n"				/* 26 */
    "  MAIL FROM:<a@example.com>\n"
    "\n"
    "    indented\n"
    "\n"
    "alt: NOOP\n"
    "wrong: QUIT\n"
    "set: persona modern\n"
    "fault: rcpt 2 452 4.5.3\n"
    "ask: Why?\n"
    "answer: Because\n"
    "accept: because.\n"
    "label: end\n"			/* 38 */
    "summary: Done.\n";

START_TEST(parser_builds_the_lesson)
{
	struct lesson *l = parse(good);
	const struct lesson_step *st;

	if (l == NULL)
		dump_errors();
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->name, "t");
	ck_assert_str_eq(l->title, "A good lesson");
	ck_assert_uint_eq(l->minutes, 7);
	ck_assert_uint_eq(l->order, 42);
	ck_assert_int_eq(l->role, LESSON_CLIENT);
	ck_assert_str_eq(l->persona->name, "rfc821");
	ck_assert_int_eq(l->skip_forbidden, 1);
	ck_assert_uint_eq(l->nsteps, 7);
	ck_assert_uint_eq(l->nchecked, 2);

	st = &l->steps[0];
	ck_assert_int_eq(st->kind, LESSON_SAY);
	ck_assert_uint_eq(st->line, 9);
	ck_assert_str_eq(st->text, "First paragraph.\n\nSecond paragraph\n"
	    "- item one continued\n- item two\n\n    preformatted line");

	st = &l->steps[1];
	ck_assert_int_eq(st->kind, LESSON_SEND);
	ck_assert_str_eq(st->text, "Prompt");
	ck_assert_uint_eq(st->nconds, 2);
	ck_assert_int_eq(st->conds[0].kind, LESSON_C_CODE);
	ck_assert_uint_eq(st->conds[0].npats, 2);
	ck_assert_int_eq(st->conds[1].negate, 1);
	ck_assert_uint_eq(st->nbranches, 1);
	ck_assert_uint_eq(st->branches[0].target, 5);
	ck_assert_uint_eq(st->branches[0].cond.line, 23);
	ck_assert_uint_eq(st->nhints, 2);
	ck_assert_uint_eq(st->hints[0].after, 1);
	ck_assert_str_eq(st->hints[0].text, "weak");
	ck_assert_uint_eq(st->hints[1].after, 3);
	ck_assert_str_eq(st->answer.text, "MAIL FROM:<a@example.com>\n\n  indented");
	ck_assert_uint_eq(st->answer.line, 26);
	ck_assert_uint_eq(st->nalts, 1);
	ck_assert_str_eq(st->alts[0].text, "NOOP");
	ck_assert_uint_eq(st->nwrongs, 1);
	ck_assert_str_eq(st->wrongs[0].text, "QUIT");

	st = &l->steps[2];
	ck_assert_int_eq(st->kind, LESSON_SET);
	ck_assert_int_eq(st->set, LESSON_SET_PERSONA);
	ck_assert_str_eq(st->persona->name, "modern");
	st = &l->steps[3];
	ck_assert_int_eq(st->kind, LESSON_FAULT);
	ck_assert_str_eq(st->fault_verb, "RCPT");
	ck_assert_int_eq(st->fault_nth, 2);
	ck_assert_int_eq(st->fault_code, 452);
	ck_assert_str_eq(st->fault_enh, "4.5.3");
	st = &l->steps[4];
	ck_assert_int_eq(st->kind, LESSON_ASK);
	ck_assert_uint_eq(st->naccepts, 1);
	ck_assert_int_eq(l->steps[5].kind, LESSON_LABEL);
	ck_assert_int_eq(l->steps[6].kind, LESSON_SUMMARY);
	ck_assert_uint_eq(lesson_step_next(l, 5), 6);
	ck_assert_uint_eq(lesson_step_next(l, 6), 7);
	lesson_free(l);
}
END_TEST

START_TEST(parser_order_from_name)
{
	struct lesson *l;

	lesson_errors_init(&errs, "07-dots.lesson");
	l = lesson_parse("lessons/07-dots.lesson", HDR SEND, strlen(HDR SEND), &errs);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(l->order, 7);
	ck_assert_str_eq(l->name, "07-dots");
	lesson_free(l);
	l = parse(HDR SEND);
	ck_assert_uint_eq(l->order, 1000);
	lesson_free(l);
}
END_TEST

START_TEST(parser_goto_step)
{
	struct lesson *l = parse(HDR SEND "goto: a\nsay: skipped by nobody\nlabel: a\n" SEND);

	/* the say after the goto cannot be reached */
	ck_assert_ptr_null(l);
	l = parse(HDR "label: top\n" "send: s\ngoto: done if code 2xx\nanswer: NOOP\n"
	    "goto: top\nlabel: done\n" SEND);
	if (l == NULL)
		dump_errors();
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->steps[2].kind, LESSON_GOTO);
	ck_assert_uint_eq(lesson_step_next(l, 2), 0);
	lesson_free(l);
}
END_TEST

/* ---- the evaluator ------------------------------------------------------ */

static void add_reply(struct lesson_obs *o, int code, const char *enh,
    const char *verb, const char *rule)
{
	struct lesson_obs_reply *r = &o->replies[o->nreplies++];

	memset(r, 0, sizeof *r);
	r->code = code;
	snprintf(r->enh, sizeof r->enh, "%s", enh);
	snprintf(r->verb, sizeof r->verb, "%s", verb);
	snprintf(r->rule, sizeof r->rule, "%s", rule);
	r->allowed = 1;
	r->expected = code;
}

static int cond(const char *check, const struct lesson_obs *o)
{
	char text[512];
	struct lesson *l;
	int r;

	snprintf(text, sizeof text, HDR "send: s\nexpect: %s\nanswer: NOOP\n", check);
	l = parse(text);
	if (l == NULL)
		dump_errors();
	ck_assert_ptr_nonnull(l);
	r = lesson_cond_holds(&l->steps[0].conds[0], o);
	lesson_free(l);
	return r;
}

START_TEST(evaluator_conditions)
{
	static struct lesson_obs o;

	lesson_obs_clear(&o, LESSON_CLIENT);
	lesson_obs_line(&o, "MAIL FROM:<a@example.com>", 25);
	lesson_obs_line(&o, "RCPT TO:<b@example.org>", 23);
	add_reply(&o, 250, "2.1.0", "MAIL", "mail-ok");
	add_reply(&o, 550, "5.1.1", "RCPT", "unknown-user");
	lesson_obs_phase(&o, "mail", 0);

	ck_assert(cond("code 550", &o));
	ck_assert(cond("code 5xx", &o));
	ck_assert(cond("code 55x", &o));
	ck_assert(cond("code x5x", &o));
	ck_assert(cond("code 250 550", &o));
	ck_assert(!cond("code 250", &o));
	ck_assert(cond("not code 250", &o));
	ck_assert(cond("codes 250 550", &o));
	ck_assert(cond("codes 2xx 5xx", &o));
	ck_assert(!cond("codes 550", &o));
	ck_assert(!cond("codes 250 550 354", &o));
	ck_assert(cond("enhanced 5.1.1", &o));
	ck_assert(cond("enhanced 5.1.x", &o));
	ck_assert(cond("enhanced x.x.x", &o));
	ck_assert(!cond("enhanced 5.1.10", &o));
	ck_assert(!cond("enhanced none", &o));
	ck_assert(cond("phase mail", &o));
	ck_assert(!cond("phase rcpt", &o));
	ck_assert(cond("rule unknown-user", &o));
	ck_assert(cond("command RCPT", &o));
	ck_assert(cond("command rcpt", &o));
	ck_assert(!cond("command MAIL", &o));
	ck_assert(cond("match ^rcpt to:<b@", &o));
	ck_assert(cond("match example\\.com>$", &o));
	ck_assert(!cond("match ^DATA", &o));
	ck_assert(!cond("closed", &o));
	lesson_obs_phase(&o, "closed", 1);
	ck_assert(cond("closed", &o));

	/* no reply at all */
	lesson_obs_clear(&o, LESSON_CLIENT);
	ck_assert(!cond("code 2xx", &o));
	ck_assert(cond("not code 2xx", &o));
	ck_assert(!cond("enhanced none", &o));
	ck_assert(!cond("command EHLO", &o));
}
END_TEST

START_TEST(evaluator_server_role)
{
	static struct lesson_obs o;
	static const char text[] = HDR "role: server\n"
	    "reply: r\nexpect: conforming\nanswer: 250 OK\n";
	struct lesson *l = parse(text);
	struct lesson_result res;
	struct client_finding f = { CLIENT_DIFFERS, "a conforming server says 251",
	    "RFC 5321 3.4", 251, "2.1.5", "rcpt-forward" };

	ck_assert_ptr_nonnull(l);
	lesson_obs_clear(&o, LESSON_SERVER);
	lesson_obs_learner_reply(&o, "RCPT", "250 2.1.5 OK\r\n", 14);
	ck_assert_int_eq(o.replies[0].code, 250);
	ck_assert_str_eq(o.replies[0].enh, "2.1.5");
	ck_assert_str_eq(o.replies[0].verb, "RCPT");
	ck_assert_int_eq(lesson_eval(l, 0, &o, 1, &res), 0);
	ck_assert_int_eq(res.verdict, LESSON_PASSED);

	lesson_obs_finding(&o, &f);
	ck_assert_int_eq(o.replies[0].expected, 251);
	ck_assert_int_eq(lesson_eval(l, 0, &o, 1, &res), 0);
	ck_assert_int_eq(res.verdict, LESSON_FAILED);
	ck_assert_ptr_nonnull(strstr(res.why, "251"));

	/* a reply no server may give: every reply step refuses it */
	lesson_obs_clear(&o, LESSON_SERVER);
	lesson_obs_learner_reply(&o, "RCPT", "252 what\r\n", 10);
	f.kind = CLIENT_BAD_CODE;
	f.text = "252 is not a reply RFC 5321 allows to RCPT";
	lesson_obs_finding(&o, &f);
	ck_assert_int_eq(o.replies[0].allowed, 0);
	ck_assert_int_eq(lesson_eval(l, 0, &o, 1, &res), 0);
	ck_assert_int_eq(res.verdict, LESSON_FAILED);
	ck_assert_ptr_nonnull(strstr(res.why, "252"));

	/* not a reply line at all */
	lesson_obs_clear(&o, LESSON_SERVER);
	lesson_obs_learner_reply(&o, "CONNECT", "hello\r\n", 7);
	ck_assert_int_eq(o.replies[0].code, 0);
	lesson_free(l);
}
END_TEST

START_TEST(evaluator_branches_hints_and_questions)
{
	static const char text[] = HDR
	    "send: s\n"				/* 3: step 0 */
	    "expect: code 250\n"		/* 4 */
	    "goto: five if code 5xx\n"		/* 5 */
	    "goto: four if code 4xx\n"		/* 6 */
	    "hint: one\n"
	    "hint 3: three\n"
	    "answer: NOOP\n"
	    "label: four\n"			/* step 1 */
	    "label: five\n"			/* step 2 */
	    "ask: What is 2 + 2?\n"		/* step 3 */
	    "answer: Four\n"
	    "accept: 4\n"
	    "ask: Which digit?\n"		/* step 4 */
	    "expect: match ^(later|again)$\n"
	    "answer: later\n";
	static struct lesson_obs o;
	struct lesson *l = parse(text);
	struct lesson_result res;

	if (l == NULL)
		dump_errors();
	ck_assert_ptr_nonnull(l);
	lesson_obs_clear(&o, LESSON_CLIENT);
	add_reply(&o, 250, "", "NOOP", "noop");
	lesson_eval(l, 0, &o, 1, &res);
	ck_assert_int_eq(res.verdict, LESSON_PASSED);
	ck_assert_uint_eq(res.next, 1);

	o.replies[0].code = 550;
	lesson_eval(l, 0, &o, 1, &res);
	ck_assert_int_eq(res.verdict, LESSON_BRANCH);
	ck_assert_uint_eq(res.next, 2);
	ck_assert_uint_eq(res.branch, 0);
	ck_assert_uint_eq(res.line, 5);
	o.replies[0].code = 421;
	lesson_eval(l, 0, &o, 1, &res);
	ck_assert_int_eq(res.verdict, LESSON_BRANCH);
	ck_assert_uint_eq(res.next, 1);
	ck_assert_uint_eq(res.branch, 1);

	o.replies[0].code = 354;
	lesson_eval(l, 0, &o, 1, &res);
	ck_assert_int_eq(res.verdict, LESSON_FAILED);
	ck_assert_uint_eq(res.next, 0);
	ck_assert_uint_eq(res.line, 4);
	ck_assert_str_eq(res.hint, "one");
	ck_assert_uint_eq(res.hint_after, 1);
	ck_assert_ptr_nonnull(strstr(res.why, "354"));
	lesson_eval(l, 0, &o, 2, &res);
	ck_assert_str_eq(res.hint, "one");
	lesson_eval(l, 0, &o, 3, &res);
	ck_assert_str_eq(res.hint, "three");
	ck_assert_uint_eq(res.hint_after, 3);
	lesson_eval(l, 0, &o, 0, &res);
	ck_assert_ptr_null(res.hint);

	/* questions: case, spaces and a final full stop do not matter */
	lesson_obs_clear(&o, LESSON_CLIENT);
	lesson_obs_line(&o, "  fOUR. ", 8);
	lesson_eval(l, 3, &o, 1, &res);
	ck_assert_int_eq(res.verdict, LESSON_PASSED);
	lesson_obs_clear(&o, LESSON_CLIENT);
	lesson_obs_line(&o, "4", 1);
	lesson_eval(l, 3, &o, 1, &res);
	ck_assert_int_eq(res.verdict, LESSON_PASSED);
	lesson_obs_clear(&o, LESSON_CLIENT);
	lesson_obs_line(&o, "five", 4);
	lesson_eval(l, 3, &o, 1, &res);
	ck_assert_int_eq(res.verdict, LESSON_FAILED);
	lesson_obs_clear(&o, LESSON_CLIENT);
	lesson_obs_line(&o, "Again", 5);
	lesson_eval(l, 4, &o, 1, &res);
	ck_assert_int_eq(res.verdict, LESSON_PASSED);

	/* not a checked step */
	ck_assert_int_eq(lesson_eval(l, 1, &o, 1, &res), -1);
	ck_assert_int_eq(lesson_eval(l, 99, &o, 1, &res), -1);
	lesson_free(l);
}
END_TEST

START_TEST(evaluator_input_is_bounded)
{
	static struct lesson_obs o;
	char big[2048];
	int i;

	memset(big, 'x', sizeof big);
	lesson_obs_clear(&o, LESSON_CLIENT);
	for (i = 0; i < 40; i++)
		lesson_obs_line(&o, big, sizeof big);
	ck_assert_uint_eq(o.input_len, LESSON_OBS_INPUT - 1);
	ck_assert_uint_eq(strlen(o.input), LESSON_OBS_INPUT - 1);
	for (i = 0; i < LESSON_OBS_REPLIES + 5; i++) {
		struct server_reply r = { 250, "", "NOOP", "noop", "", "", "250 OK\r\n", 8, 0 };

		lesson_obs_reply(&o, &r);
	}
	ck_assert_uint_eq(o.nreplies, LESSON_OBS_REPLIES);
	ck_assert_uint_eq(o.dropped, 5);
}
END_TEST

/* ---- the session -------------------------------------------------------- */

static int type(struct lesson_session *s, struct lesson_obs *o, const char *line)
{
	return lesson_session_input(s, line, strlen(line), o);
}

START_TEST(session_client_role_and_undo)
{
	static const char text[] = HDR SEND SEND "fault: NOOP 1 451 4.3.0\n" SEND;
	static struct lesson_obs o;
	struct lesson *l = parse(text);
	struct lesson_session *s;
	char err[200];

	ck_assert_ptr_nonnull(l);
	s = lesson_session_new(l, NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(lesson_session_role(s), LESSON_CLIENT);
	ck_assert_int_eq(server_phase(lesson_session_server(s)), SERVER_GREETED);
	ck_assert_int_eq(lesson_session_enter(s, 0, err, sizeof err), 0);
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "EHLO c.example.com"), 1);
	ck_assert_int_eq(o.replies[0].code, 250);
	ck_assert_str_eq(o.phase, "ready");

	/* a wrong try that ends the session, then undo */
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "QUIT"), 1);
	ck_assert_int_eq(o.closed, 1);
	ck_assert_int_eq(lesson_session_undo(s), 0);
	ck_assert_int_eq(server_phase(lesson_session_server(s)), SERVER_READY);

	/* the message after 354 belongs to one try */
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "MAIL FROM:<ann@example.com>"), 1);
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "RCPT TO:<alice@example.org>"), 1);
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "DATA"), 1);
	ck_assert_str_eq(o.phase, "data");
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "Subject: x"), 0);
	ck_assert_int_eq(type(s, &o, ""), 0);
	ck_assert_int_eq(type(s, &o, "hello"), 0);
	ck_assert_int_eq(type(s, &o, "."), 1);
	ck_assert_int_eq(o.replies[0].code, 250);
	ck_assert_str_eq(o.replies[0].verb, "DATA-END");
	ck_assert_uint_eq(o.lines, 4);

	/* a fault, undone and applied again by the replay */
	ck_assert_int_eq(lesson_session_enter(s, 2, err, sizeof err), 0);
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "RSET"), 1);
	ck_assert_int_eq(o.replies[0].code, 250);
	ck_assert_int_eq(lesson_session_undo(s), 0);
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "NOOP"), 1);
	ck_assert_int_eq(o.replies[0].code, 451);
	ck_assert_int_eq(lesson_session_undo(s), 0);
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "NOOP"), 1);
	ck_assert_int_eq(o.replies[0].code, 451);

	/* a closed connection is opened again when a send step begins */
	lesson_obs_begin(s, &o);
	type(s, &o, "QUIT");
	ck_assert_int_eq(lesson_session_enter(s, 3, err, sizeof err), 0);
	ck_assert_int_eq(server_phase(lesson_session_server(s)), SERVER_GREETED);
	lesson_session_free(s);
	lesson_free(l);
}
END_TEST

START_TEST(session_server_role_and_undo)
{
	static const char text[] = HDR "role: server\n"
	    "reply: greet\nanswer: 220 mx.example.org\n"
	    "reply: ehlo\nanswer: 250 mx.example.org\n";
	static struct lesson_obs o;
	struct lesson *l = parse(text);
	struct lesson_session *s;
	char err[200];

	ck_assert_ptr_nonnull(l);
	s = lesson_session_new(l, NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(lesson_session_client(s));
	ck_assert_str_eq(lesson_session_command(s), "CONNECT");
	ck_assert_int_eq(lesson_session_enter(s, 0, err, sizeof err), 0);

	/* a greeting no server may send: the client gives up */
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "250 hi"), 1);
	ck_assert_int_eq(o.replies[0].allowed, 0);
	ck_assert_int_eq(lesson_session_undo(s), 0);
	ck_assert_str_eq(lesson_session_command(s), "CONNECT");

	/* a multi-line greeting is one reply */
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "220-mx.example.org"), 0);
	ck_assert_int_eq(type(s, &o, "220 ESMTP"), 1);
	ck_assert_uint_eq(o.nreplies, 1);
	ck_assert_int_eq(o.replies[0].allowed, 1);
	ck_assert_str_eq(o.replies[0].verb, "CONNECT");
	ck_assert_str_eq(lesson_session_command(s), "EHLO");
	ck_assert_str_eq(o.phase, "ehlo");
	lesson_session_free(s);
	lesson_free(l);
}
END_TEST

START_TEST(session_escapes)
{
	static const char text[] = HDR "persona: strict\n"
	    "send: s\nescapes: yes\nanswer: NOOP\n";
	static struct lesson_obs o;
	struct lesson *l = parse(text);
	struct lesson_session *s;
	char err[200];

	ck_assert_ptr_nonnull(l);
	s = lesson_session_new(l, NULL);
	ck_assert_int_eq(lesson_session_enter(s, 0, err, sizeof err), 0);
	lesson_obs_begin(s, &o);
	/* the strict server takes no bare LF for a line end: it refuses the
	 * input once and hangs up, and the second NOOP is never a command */
	ck_assert_int_eq(type(s, &o, "NOOP\\nNOOP"), 1);
	ck_assert_uint_eq(o.nreplies, 1);
	ck_assert_int_eq(o.replies[0].code, 421);
	ck_assert_int_eq(o.closed, 1);
	ck_assert_str_eq(o.input, "NOOP\\nNOOP");
	lesson_session_free(s);
	lesson_free(l);
}
END_TEST

START_TEST(session_resume)
{
	static const char text[] = HDR
	    "send: a\nanswer: EHLO c.example.com\n"			/* step 0 */
	    "send: b\ngoto: refused if code 5xx\n"			/* step 1 */
	    "answer: MAIL FROM:<ann@example.com>\n"
	    "alt: MAIL FROM:<spammer@spam.example>\n"
	    "send: c\nanswer: RCPT TO:<alice@example.org>\n"		/* step 2 */
	    "goto: end\n"						/* step 3 */
	    "label: refused\n"						/* step 4 */
	    "send: d\nexpect: code 250\nanswer: RSET\n"		/* step 5 */
	    "label: end\n"						/* step 6 */
	    "summary: s\n";						/* step 7 */
	static struct lesson_obs o;
	struct lesson *l = parse(text);
	struct lesson_session *s;
	char err[200];

	ck_assert_ptr_nonnull(l);
	s = lesson_session_new(l, NULL);
	ck_assert_ptr_nonnull(s);
	/* on the model answers' path */
	ck_assert_int_eq(lesson_session_resume(s, 2), 0);
	ck_assert_int_eq(server_phase(lesson_session_server(s)), SERVER_MAIL);
	ck_assert_int_eq(lesson_session_enter(s, 2, err, sizeof err), 0);
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(type(s, &o, "RCPT TO:<alice@example.org>"), 1);
	ck_assert_int_eq(o.replies[0].code, 250);
	/* undo after a resume goes back to the resumed state, not further */
	ck_assert_int_eq(lesson_session_undo(s), 0);
	ck_assert_int_eq(server_phase(lesson_session_server(s)), SERVER_MAIL);
	lesson_session_free(s);

	/* on a branch only an alt: answer takes */
	s = lesson_session_new(l, NULL);
	ck_assert_int_eq(lesson_session_resume(s, 5), 0);
	ck_assert_int_eq(server_phase(lesson_session_server(s)), SERVER_READY);
	ck_assert_int_eq(lesson_session_resume(s, 0), 0);
	lesson_session_free(s);
	lesson_free(l);

	/* a step no answer leads to */
	l = parse(HDR "send: a\ngoto: x if code 5xx\nanswer: NOOP\n"
	    "goto: end\nlabel: x\n" SEND "label: end\n");
	ck_assert_ptr_nonnull(l);
	s = lesson_session_new(l, NULL);
	ck_assert_int_eq(lesson_session_resume(s, 3), -1);
	ck_assert_int_eq(server_phase(lesson_session_server(s)), SERVER_GREETED);
	lesson_session_free(s);
	lesson_free(l);
}
END_TEST

/* ---- the checker -------------------------------------------------------- */

/* check - parse and check text; the number of errors, with the line of
 * the first in *line */
static size_t check(const char *text, unsigned *line, size_t *warnings)
{
	struct lesson *l = parse(text);
	size_t n, i;

	if (l == NULL)
		dump_errors();
	ck_assert_ptr_nonnull(l);
	n = lesson_check(l, &errs);
	*line = 0;
	for (i = 0; i < errs.n; i++)
		if (!errs.e[i].warning) {
			*line = errs.e[i].line;
			break;
		}
	if (warnings) {
		*warnings = 0;
		for (i = 0; i < errs.n; i++)
			*warnings += errs.e[i].warning != 0;
	}
	lesson_free(l);
	return n;
}

/* The additions for issue 16: wait:, part:, fault ... drop, sender */
START_TEST(parser_wait_part_drop_sender)
{
	static const char text[] = HDR "part: Delivery and bounces\n"
	    "wait: 90s\nwait: 5m\nwait: 2h\nwait: 1d\n"
	    "fault: DATA-END 1 drop\n"
	    "ask: q\nexpect: sender\nanswer: ann@example.com\n";
	struct lesson *l = parse(text);

	if (l == NULL)
		dump_errors();
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->part, "Delivery and bounces");
	ck_assert_int_eq(l->steps[0].kind, LESSON_WAIT);
	ck_assert_uint_eq(l->steps[0].wait, 90);
	ck_assert_uint_eq(l->steps[1].wait, 300);
	ck_assert_uint_eq(l->steps[2].wait, 7200);
	ck_assert_uint_eq(l->steps[3].wait, 86400);
	ck_assert_int_eq(l->steps[4].fault_code, SERVER_FAULT_DROP);
	ck_assert_int_eq(l->steps[5].conds[0].kind, LESSON_C_SENDER);
	lesson_free(l);
}
END_TEST

/* A question about the sender follows what the learner sent, not the
 * address the lesson suggested (issue 16: lesson 03) */
START_TEST(evaluator_sender_follows_the_learner)
{
	static const char text[] = HDR
	    "send: a\nanswer: EHLO c.example.com\n"
	    "send: b\nexpect: code 250\nanswer: MAIL FROM:<ann@example.com>\n"
	    "ask: bounce?\nexpect: sender\nanswer: ann@example.com\n";
	static struct lesson_obs o;
	struct lesson_result res;
	struct lesson *l = parse(text);
	struct lesson_session *s;
	char err[200];

	ck_assert_ptr_nonnull(l);
	s = lesson_session_new(l, NULL);
	ck_assert_int_eq(lesson_session_enter(s, 0, err, sizeof err), 0);
	lesson_obs_begin(s, &o);
	type(s, &o, "EHLO c.example.com");
	ck_assert_int_eq(lesson_session_enter(s, 1, err, sizeof err), 0);
	lesson_obs_begin(s, &o);
	type(s, &o, "MAIL FROM:<me@example.com>");
	ck_assert_int_eq(lesson_session_enter(s, 2, err, sizeof err), 0);
	lesson_obs_begin(s, &o);
	ck_assert_int_eq(o.have_sender, 1);
	type(s, &o, "ann@example.com");
	lesson_eval(l, 2, &o, 1, &res);
	ck_assert_int_eq(res.verdict, LESSON_FAILED);
	lesson_obs_begin(s, &o);
	type(s, &o, "<Me@Example.com>.");
	lesson_eval(l, 2, &o, 1, &res);
	ck_assert_int_eq(res.verdict, LESSON_PASSED);
	lesson_session_free(s);
	lesson_free(l);
}
END_TEST

/* wait: on an open connection meets the server's timeout; on a closed one
 * it only moves the greylist's clock, which undo replays */
START_TEST(session_wait_and_greylist)
{
	static const char text[] = HDR "persona: greylist\n"
	    "send: a\nanswer: EHLO c.example.com\n"		/* 0 */
	    "wait: 10m\n"					/* 1 */
	    "send: b\nanswer: EHLO c.example.com\n"		/* 2 */
	    "send: c\nanswer: MAIL FROM:<ann@example.com>\n"	/* 3 */
	    "send: d\nanswer: RCPT TO:<alice@example.org>\n"	/* 4 */
	    "send: e\nanswer: QUIT\n"			/* 5 */
	    "wait: 4m\n"					/* 6 */
	    "send: f\nanswer: EHLO c.example.com\n";		/* 7 */
	static struct lesson_obs o;
	struct lesson *l = parse(text);
	struct lesson_session *s;
	char err[200];
	size_t i;

	ck_assert_ptr_nonnull(l);
	s = lesson_session_new(l, NULL);
	ck_assert_int_eq(lesson_session_enter(s, 0, err, sizeof err), 0);
	lesson_obs_begin(s, &o);
	type(s, &o, "EHLO c.example.com");
	ck_assert_int_eq(lesson_session_enter(s, 1, err, sizeof err), 0);
	ck_assert_int_eq(server_phase(lesson_session_server(s)), SERVER_CLOSED);
	for (i = 2; i <= 5; i++) {
		static const char *const lines[] = { "EHLO c.example.com",
		    "MAIL FROM:<ann@example.com>", "RCPT TO:<alice@example.org>",
		    "QUIT" };

		ck_assert_int_eq(lesson_session_enter(s, i, err, sizeof err), 0);
		lesson_obs_begin(s, &o);
		type(s, &o, lines[i - 2]);
		if (i == 4)
			ck_assert_int_eq(o.replies[0].code, 451);
	}
	ck_assert_int_eq(lesson_session_enter(s, 6, err, sizeof err), 0);
	ck_assert_int_eq(lesson_session_enter(s, 7, err, sizeof err), 0);
	lesson_obs_begin(s, &o);
	type(s, &o, "EHLO c.example.com");
	/* 4 minutes after the first try: still too soon */
	lesson_obs_begin(s, &o);
	type(s, &o, "MAIL FROM:<ann@example.com>");
	lesson_obs_begin(s, &o);
	type(s, &o, "RCPT TO:<alice@example.org>");
	ck_assert_int_eq(o.replies[0].code, 451);
	ck_assert_str_eq(o.replies[0].rule, "greylist-too-soon");
	/* undo rebuilds the connection with the same clock */
	ck_assert_int_eq(lesson_session_undo(s), 0);
	lesson_obs_begin(s, &o);
	type(s, &o, "RCPT TO:<alice@example.org>");
	ck_assert_str_eq(o.replies[0].rule, "greylist-too-soon");
	lesson_session_free(s);
	lesson_free(l);
}
END_TEST

/* ---- coverage and the rules list -------------------------------------- */

static const char cov_text[] = HDR
    "say: A recipient must be known (RFC 5321 3.3, 4.2.2 and 7.9).\n"	/* 1 */
    "send: a\nanswer: EHLO c.example.com\n"				/* 2 */
    "send: b\nanswer: MAIL FROM:<ann@example.com>\n"			/* 3 */
    "fault: RCPT 2 451\n"						/* 4 */
    "send: c\nexpect: code 550\nanswer: RCPT TO:<nobody@example.org>\n"	/* 5 */
    "send: d\nexpect: code 451\nanswer: RCPT TO:<alice@example.org>\n"	/* 6 */
    "set: persona busy\n"						/* 7 */
    "ask: Which code came?\nanswer: 421\n"				/* 8 */
    "summary: See RFC 6647.\n";					/* 9 */

START_TEST(coverage_records_what_each_step_meets)
{
	struct lesson *l = parse(cov_text);
	struct lesson_cov *c = lesson_cov_new();

	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(lesson_cov_add(c, l, &errs), 0);
	ck_assert_uint_eq(lesson_cov_lessons(c), 1);
	ck_assert_uint_eq(lesson_cov_checked(c), 5);
	ck_assert_str_eq(lesson_cov_name(c, 0), "t");
	/* the greeting before step 2 counts at step 2, with EHLO's keywords */
	ck_assert(lesson_cov_step_met(c, "t", 2, LESSON_COV_CODE, "220"));
	ck_assert(lesson_cov_step_met(c, "t", 2, LESSON_COV_KEYWORD, "PIPELINING"));
	ck_assert(lesson_cov_step_met(c, "t", 2, LESSON_COV_CLIENT_CMD, "EHLO"));
	/* the narration's sections, the list after "RFC 5321" included */
	ck_assert(lesson_cov_step_met(c, "t", 2, LESSON_COV_SECTION, "RFC 5321 3.3"));
	ck_assert(lesson_cov_step_met(c, "t", 2, LESSON_COV_SECTION, "RFC 5321 4.2.2"));
	ck_assert(lesson_cov_step_met(c, "t", 2, LESSON_COV_SECTION, "RFC 5321 7.9"));
	ck_assert(lesson_cov_step_met(c, "t", 2, LESSON_COV_SECTION, "RFC 5321 4.2"));
	ck_assert(!lesson_cov_step_met(c, "t", 2, LESSON_COV_SECTION, "RFC 5321 4.2.3"));
	ck_assert(lesson_cov_step_met(c, "t", 5, LESSON_COV_CODE, "550"));
	ck_assert(lesson_cov_step_met(c, "t", 5, LESSON_COV_ENHANCED, "5.1.1"));
	ck_assert(lesson_cov_step_met(c, "t", 5, LESSON_COV_RULE, "unknown-user"));
	ck_assert(!lesson_cov_step_met(c, "t", 5, LESSON_COV_CODE, "220"));
	/* an injected fault's code is no rule's: not met, but its rule is */
	ck_assert(!lesson_cov_met(c, LESSON_COV_CODE, "451"));
	ck_assert(lesson_cov_met(c, LESSON_COV_RULE, "fault-injected"));
	/* the 421 greeting after set: counts at the question after it */
	ck_assert(lesson_cov_step_met(c, "t", 8, LESSON_COV_CODE, "421"));
	ck_assert(lesson_cov_met(c, LESSON_COV_SECTION, "RFC 6647"));
	ck_assert_int_eq(lesson_cov_step(c, "t", 5), 1);
	ck_assert_int_eq(lesson_cov_step(c, "t", 1), 0);	/* say: */
	ck_assert_int_eq(lesson_cov_step(c, "t", 99), -1);
	ck_assert_int_eq(lesson_cov_step(c, "nosuch", 1), -1);
	lesson_cov_free(c);
	lesson_free(l);
}
END_TEST

START_TEST(rules_list_is_held_to_the_steps)
{
	static const char good[] =
	    "# a comment\n"
	    "Id: rcpt-unknown\n"
	    "Source: RFC 5321 3.3\n"
	    "Role: server\n"
	    "Rule: A server refuses an unknown recipient, with 550, and the\n"
	    "+ transaction goes on.\n"
	    "Taught: t 5\n"
	    "Meets: code 550; rule unknown-user; enhanced 5.1.1\n"
	    "\n"
	    "Id: busy\n"
	    "Source: RFC 5321 3.8\n"
	    "Role: client\n"
	    "Rule: A 421 greeting means: try later.\n"
	    "Taught: t 2\n"
	    "Meets: section RFC 5321 3.3\n"
	    "\n"
	    "Id: wrong-step\n"
	    "Source: RFC 5321 3.3\n"
	    "Role: client\n"
	    "Rule: x\n"
	    "Taught: t 1\n"
	    "\n"
	    "Id: not-met\n"
	    "Source: RFC 5321 3.3\n"
	    "Role: both\n"
	    "Rule: x\n"
	    "Taught: t 5\n"
	    "Meets: code 250\n";
	static const char *const bad[] = {
		"Id: a\nSource: s\nRole: r\nRule: x\nTaught: t 1\n",	/* role */
		"Id: a\nSource: s\nRole: client\nRule: x\n",	/* no Taught */
		"Id: a\nSource: s\nRole: client\nRule: x\nTaught: t\n",
		"Id: a\nSource: s\nRole: client\nRule: x\nTaught: t 1\nMeets: colour red\n",
		"Id: a\nSource: s\nRole: client\nRule: x\nTaught: t 1\nFoo: y\n",
		("Id: a\nSource: s\nRole: client\nRule: x\nTaught: t 1\n\n"
		    "Id: a\nSource: s\nRole: client\nRule: x\nTaught: t 1\n"),	/* twice */
		"+ continues nothing\n",
	};
	struct lesson *l = parse(cov_text);
	struct lesson_cov *c = lesson_cov_new();
	struct lesson_rules r;
	unsigned char ok[4];
	size_t i;

	ck_assert_ptr_nonnull(l);
	lesson_cov_add(c, l, &errs);
	lesson_errors_init(&errs, "rules.rec");
	ck_assert_int_eq(lesson_rules_parse("rules.rec", good, strlen(good), &r, &errs), 0);
	ck_assert_uint_eq(r.n, 4);
	ck_assert_str_eq(r.v[0].text, "A server refuses an unknown recipient, with 550, and the transaction goes on.");
	ck_assert_str_eq(r.v[0].lesson, "t");
	ck_assert_uint_eq(r.v[0].step, 5);
	ck_assert_uint_eq(r.v[0].nmeets, 3);
	ck_assert_uint_eq(lesson_rules_check(&r, c, &errs, ok), 2);
	ck_assert(ok[0] && ok[1] && !ok[2] && !ok[3]);
	ck_assert_uint_eq(errs.nerrors, 2);
	ck_assert_uint_eq(errs.e[0].line, 17);
	ck_assert_uint_eq(errs.e[1].line, 23);
	lesson_rules_free(&r);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		lesson_errors_init(&errs, "rules.rec");
		ck_assert_int_eq(lesson_rules_parse("rules.rec", bad[i], strlen(bad[i]), &r, &errs), -1);
		ck_assert_uint_ge(errs.nerrors, 1);
		ck_assert_uint_ge(errs.e[0].line, 1);
	}
	lesson_cov_free(c);
	lesson_free(l);
}
END_TEST

START_TEST(checker_passes_a_good_lesson)
{
	static const char text[] = HDR
	    "send: greet\nexpect: code 250\nexpect: phase ready\n"
	    "answer: EHLO c.example.com\nwrong: NOOP\n"
	    "send: mail\nexpect: code 250\nexpect: phase mail\n"
	    "goto: refused if code 5xx\n"
	    "answer: MAIL FROM:<ann@example.com>\n"
	    "alt: MAIL FROM:<spammer@spam.example>\n"
	    "goto: end\n"
	    "label: refused\n"
	    "say: The sender was refused.\n"
	    "label: end\n"
	    "summary: Done.\n";
	unsigned line;
	size_t w;

	if (check(text, &line, &w) != 0)
		dump_errors();
	ck_assert_uint_eq(check(text, &line, &w), 0);
	ck_assert_uint_eq(w, 0);
}
END_TEST

static const struct {
	const char *text;
	unsigned line;		/* of the first error */
} impossible[] = {
	/* MAIL before EHLO gets 503, not 250 */
	{ HDR "send: s\nexpect: code 250\nanswer: MAIL FROM:<a@example.com>\n", 5 },
	/* a wrong: answer that passes */
	{ HDR "send: s\nexpect: code 250\nanswer: EHLO c.example.com\nwrong: NOOP\n", 6 },
	/* an alt: answer that fails */
	{ HDR "send: s\nexpect: code 250\nanswer: EHLO c.example.com\nalt: FOO\n", 6 },
	/* two commands in one answer without pipelined: yes */
	{ HDR "send: s\nexpect: code 250\nanswer:\n  EHLO c.example.com\n  NOOP\n", 5 },
	/* the message without its final dot gets no reply */
	{ HDR "send: a\nanswer: EHLO c.example.com\n"
	    "send: b\nanswer: MAIL FROM:<a@example.com>\n"
	    "send: c\nanswer: RCPT TO:<alice@example.org>\n"
	    "send: d\nanswer: DATA\n"
	    "send: e\nexpect: code 250\nanswer: Subject: x\n", 13 },
	/* a goto that always loops back */
	{ HDR "label: a\nsend: s\ngoto: a if code 2xx\nanswer: NOOP\n", 3 },
	/* the phase is wrong */
	{ HDR "send: s\nexpect: phase mail\nanswer: EHLO c.example.com\n", 5 },
	/* the server role: a reply the client refuses */
	{ HDR "role: server\nreply: r\nanswer: 250 hello\n", 5 },
	/* a question whose answer is not among its expects */
	{ HDR "ask: q\nexpect: match ^yes$\nanswer: no\n", 5 },
	/* more pending faults than the server keeps */
	{ HDR "fault: RCPT 1 452\nfault: RCPT 2 452\nfault: RCPT 3 452\n"
	    "fault: RCPT 4 452\nfault: RCPT 5 452\nfault: RCPT 6 452\n"
	    "fault: RCPT 7 452\nfault: RCPT 8 452\nfault: RCPT 9 452\n"
	    "fault: RCPT 10 452\nfault: RCPT 11 452\nfault: RCPT 12 452\n"
	    "fault: RCPT 13 452\nfault: RCPT 14 452\nfault: RCPT 15 452\n"
	    "fault: RCPT 16 452\nfault: RCPT 17 452\n" SEND, 0 },
};

START_TEST(checker_catches_impossible_answers)
{
	unsigned line;
	size_t n = check(impossible[_i].text, &line, NULL);

	if (n == 0 || (impossible[_i].line && line != impossible[_i].line)) {
		fprintf(stderr, "case %d (line %u):\n%s\n", _i, line, impossible[_i].text);
		dump_errors();
	}
	ck_assert_uint_ge(n, 1);
	if (impossible[_i].line)
		ck_assert_uint_eq(line, impossible[_i].line);
}
END_TEST

START_TEST(checker_warns_about_untried_paths)
{
	static const char text[] = HDR
	    "send: s\nexpect: code 250\ngoto: bad if code 5xx\n"
	    "answer: EHLO c.example.com\n"
	    "goto: end\n"
	    "label: bad\nsay: never reached by an answer\n"
	    "label: end\nsummary: done\n";
	unsigned line;
	size_t w;

	ck_assert_uint_eq(check(text, &line, &w), 0);
	ck_assert_uint_ge(w, 2);	/* the goto, and the say it leads to */
}
END_TEST

/* ---- progress ----------------------------------------------------------- */

static char tmpdir[256];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/check-lesson.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[600];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (e->d_name[1] == 0 ||
		    (e->d_name[1] == '.' && e->d_name[2] == 0)))
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
		if (rmdir(path) != 0)
			unlink(path);
	}
	closedir(d);
	rmdir(tmpdir);
}

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void sample(struct progress *p)
{
	struct lesson *l = parse(HDR SEND SEND);

	ck_assert_ptr_nonnull(l);
	progress_init(p, l, 1700000000);
	lesson_free(l);
}

START_TEST(progress_round_trip)
{
	struct progress p, q;
	char buf[PROGRESS_FILE_MAX], err[300];
	size_t n;

	sample(&p);
	ck_assert_str_eq(p.lesson, "t");
	ck_assert_str_eq(p.title, "T");
	ck_assert_uint_eq(p.steps, 2);
	progress_step(&p, 1, 1, 0);
	progress_step(&p, 2, 0, 1);
	p.tries = 3;
	progress_finish(&p, 1700000600);
	p.transcript = 99;
	n = progress_format(&p, buf, sizeof buf);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(progress_parse("f", buf, n, &q, err, sizeof err), 0);
	ck_assert_str_eq(q.lesson, "t");
	ck_assert_str_eq(q.title, "T");
	ck_assert_uint_eq(q.step, 2);
	ck_assert_uint_eq(q.steps, 2);
	ck_assert_uint_eq(q.passed, 1);
	ck_assert_uint_eq(q.skipped, 1);
	ck_assert_uint_eq(q.tries, 3);
	ck_assert_int_eq(q.done, 1);
	ck_assert_int_eq(q.started, 1700000000);
	ck_assert_int_eq(q.finished, 1700000600);
	ck_assert_uint_eq(q.transcript, 99);
	/* too small a buffer */
	ck_assert_uint_eq(progress_format(&p, buf, 20), 0);
}
END_TEST

static const struct {
	const char *text;
	unsigned line;		/* in the message; 0: none */
} bad_progress[] = {
	{ "format: 1\nlesson: t\nstep: 1\nsteps: 2\ndone: no\nbogus: 1\n", 6 },
	{ "format: 1\nlesson: t\nstep: 1\nstep: 1\nsteps: 2\ndone: no\n", 4 },
	{ "format: 1\nlesson: t\nstep: x\nsteps: 2\ndone: no\n", 3 },
	{ "format: 1\nlesson: t\nstep: 1\nsteps: 2\ndone: maybe\n", 5 },
	{ "format: 2\nlesson: t\nstep: 1\nsteps: 2\ndone: no\n", 1 },
	{ "format: 1\nlesson: t\nstep: 1\nsteps: 2\n", 0 },
	{ "format: 1\nlesson: t\nstep: 3\nsteps: 2\ndone: no\n", 0 },
	{ "format: 1\nlesson: t\nstep: 99999999999\nsteps: 2\ndone: no\n", 3 },
	{ "garbage\n", 1 },
	{ "", 0 },
};

START_TEST(progress_parse_errors)
{
	struct progress p;
	char err[300], want[32];

	ck_assert_int_eq(progress_parse("f", bad_progress[_i].text,
	    strlen(bad_progress[_i].text), &p, err, sizeof err), -1);
	ck_assert(strncmp(err, "f", 1) == 0);
	if (bad_progress[_i].line) {
		snprintf(want, sizeof want, "f:%u:", bad_progress[_i].line);
		ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
	}
}
END_TEST

START_TEST(progress_files_atomic_and_resume)
{
	struct progress p, q;
	char err[300], path[600];
	int found;
	FILE *f;

	make_tmpdir();
	/* nothing yet */
	ck_assert_int_eq(progress_load(tmpdir, "t", &q, &found, err, sizeof err), 0);
	ck_assert_int_eq(found, 0);
	ck_assert_str_eq(q.lesson, "t");

	sample(&p);
	progress_step(&p, 1, 1, 0);
	ck_assert_int_eq(progress_save(tmpdir, &p, err, sizeof err), 0);
	/* the temporary file is gone: only the progress file is left */
	ck_assert_uint_eq(count_files(tmpdir), 1);
	ck_assert_int_eq(progress_load(tmpdir, "t", &q, &found, err, sizeof err), 0);
	ck_assert_int_eq(found, 1);
	ck_assert_uint_eq(q.step, 1);
	ck_assert_uint_eq(q.passed, 1);

	/* a newer save replaces it whole */
	progress_step(&p, 2, 1, 0);
	ck_assert_int_eq(progress_save(tmpdir, &p, err, sizeof err), 0);
	ck_assert_int_eq(progress_load(tmpdir, "t", &q, &found, err, sizeof err), 0);
	ck_assert_uint_eq(q.step, 2);
	ck_assert_uint_eq(count_files(tmpdir), 1);

	/* a temporary file left by a crash does not disturb the load */
	snprintf(path, sizeof path, "%s/.t.progress.XXXXXX", tmpdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("format: 1\nlesson: t\nst", f);
	fclose(f);
	ck_assert_int_eq(progress_load(tmpdir, "t", &q, &found, err, sizeof err), 0);
	ck_assert_uint_eq(q.step, 2);
	unlink(path);

	/* a corrupt file is an error naming the file and line */
	snprintf(path, sizeof path, "%s/t.progress", tmpdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("format: 1\nlesson: t\nstep: lots\n", f);
	fclose(f);
	ck_assert_int_eq(progress_load(tmpdir, "t", &q, &found, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "t.progress:3:"));
	/* the progress of another lesson under this name */
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("format: 1\nlesson: other\nstep: 0\nsteps: 1\ndone: no\n", f);
	fclose(f);
	ck_assert_int_eq(progress_load(tmpdir, "t", &q, &found, err, sizeof err), -1);

	/* reset */
	ck_assert_int_eq(progress_reset(tmpdir, "t", err, sizeof err), 1);
	ck_assert_int_eq(progress_reset(tmpdir, "t", err, sizeof err), 0);
	ck_assert_uint_eq(count_files(tmpdir), 0);
	remove_tmpdir();
}
END_TEST

START_TEST(progress_transcript)
{
	struct progress p;
	char err[300], path[600], *buf;
	size_t len;
	FILE *f;

	make_tmpdir();
	sample(&p);
	ck_assert_int_eq(progress_transcript_append(tmpdir, &p, "abc", 3, err, sizeof err), 0);
	ck_assert_int_eq(progress_transcript_append(tmpdir, &p, "def", 3, err, sizeof err), 0);
	ck_assert_uint_eq(p.transcript, 6);
	/* octets written after the last count (a crash) are cut off */
	snprintf(path, sizeof path, "%s/t.transcript", tmpdir);
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("LOST", f);
	fclose(f);
	ck_assert_int_eq(progress_transcript_read(tmpdir, &p, &buf, &len, err, sizeof err), 0);
	ck_assert_uint_eq(len, 6);
	ck_assert_str_eq(buf, "abcdef");
	free(buf);
	ck_assert_int_eq(progress_transcript_append(tmpdir, &p, "g", 1, err, sizeof err), 0);
	ck_assert_int_eq(progress_transcript_read(tmpdir, &p, &buf, &len, err, sizeof err), 0);
	ck_assert_str_eq(buf, "abcdefg");
	free(buf);
	ck_assert_int_eq(p.transcript_lost, 0);
	/* a file shorter than counted lost something */
	ck_assert_int_eq(truncate(path, 2), 0);
	ck_assert_int_eq(progress_transcript_read(tmpdir, &p, &buf, &len, err, sizeof err), -1);
	ck_assert_int_eq(progress_transcript_append(tmpdir, &p, "h", 1, err, sizeof err), 0);
	ck_assert_int_eq(p.transcript_lost, 1);
	ck_assert_uint_eq(p.transcript, 3);
	remove_tmpdir();
}
END_TEST

START_TEST(progress_state_dir)
{
	char dir[PROGRESS_DIR_MAX], want[600], err[300];
	struct stat sb;

	make_tmpdir();
	setenv("XDG_STATE_HOME", tmpdir, 1);
	ck_assert_int_eq(progress_dir(dir, sizeof dir, 1, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/smtpref", tmpdir);
	ck_assert_str_eq(dir, want);
	ck_assert_int_eq(stat(dir, &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
	ck_assert_uint_eq(sb.st_mode & 077, 0);
	/* a relative XDG_STATE_HOME is ignored, as the spec says */
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", tmpdir, 1);
	ck_assert_int_eq(progress_dir(dir, sizeof dir, 0, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/.local/state/smtpref", tmpdir);
	ck_assert_str_eq(dir, want);
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	ck_assert_int_eq(progress_dir(dir, sizeof dir, 0, err, sizeof err), -1);
	remove_tmpdir();
}
END_TEST

/* ---- receipts ----------------------------------------------------------- */

#ifdef HAVE_OPENSSL
static size_t make(struct receipt_key *k, char *buf, size_t size)
{
	struct receipt r;
	char err[300];
	size_t n;

	memset(&r, 0, sizeof r);
	snprintf(r.lesson, sizeof r.lesson, "03-mail-transaction");
	snprintf(r.title, sizeof r.title, "A whole mail transaction");
	receipt_date(1700000000, r.finished, sizeof r.finished);
	r.steps = 8;
	ck_assert_int_eq(receipt_digest("transcript", 10, r.transcript), 0);
	n = receipt_make(&r, k, buf, size, err, sizeof err);
	ck_assert_uint_gt(n, 0);
	return n;
}

START_TEST(receipt_digest_vectors)
{
	char hex[65];

	ck_assert_int_eq(receipt_digest("abc", 3, hex), 0);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(receipt_digest("", 0, hex), 0);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(receipt_verifies_and_rejects_tampering)
{
	static const char *const fields[] = {
		"lesson: ", "title: ", "finished: ", "steps: ", "skipped: ",
		"transcript-sha256: ", "key: ", "hmac-sha256: ",
	};
	struct receipt_key k, other;
	struct receipt r;
	char buf[RECEIPT_MAX], copy[RECEIPT_MAX + 8], err[400];
	size_t n, i;

	receipt_key_set(&k, RECEIPT_DEFAULT_KEY, strlen(RECEIPT_DEFAULT_KEY));
	ck_assert_int_eq(k.is_default, 1);
	ck_assert_str_eq(k.id, "default");
	n = make(&k, buf, sizeof buf);
	ck_assert_int_eq(receipt_verify("r", buf, n, &k, &r, err, sizeof err), 0);
	ck_assert_str_eq(r.lesson, "03-mail-transaction");
	ck_assert_str_eq(r.finished, "2023-11-14T22:13:20Z");
	ck_assert_uint_eq(r.steps, 8);
	ck_assert_int_eq(r.skipped, 0);

	/* change one character in the value of each field in turn */
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char *p;

		memcpy(copy, buf, n + 1);
		p = strstr(copy, fields[i]);
		ck_assert_ptr_nonnull(p);
		p += strlen(fields[i]);
		*p = *p == '0' ? '1' : *p == 'n' ? 'y' : *p == 'd' ? 'e' : '0';
		ck_assert_msg(receipt_verify("r", copy, n, &k, &r, err, sizeof err) == -1,
		    "a change to %s went unnoticed", fields[i]);
	}

	/* another key */
	receipt_key_set(&other, "class secret", 12);
	ck_assert_int_eq(other.is_default, 0);
	ck_assert_uint_eq(strlen(other.id), 16);
	ck_assert_int_eq(receipt_verify("r", buf, n, &other, &r, err, sizeof err), -1);
	n = make(&other, buf, sizeof buf);
	ck_assert_int_eq(receipt_verify("r", buf, n, &other, &r, err, sizeof err), 0);
	ck_assert_int_eq(receipt_verify("r", buf, n, &k, &r, err, sizeof err), -1);
	/* the same id, another key: only the HMAC can tell */
	{
		struct receipt_key forged = other;

		forged.key[0] ^= 1;
		ck_assert_int_eq(receipt_verify("r", buf, n, &forged, &r, err, sizeof err), -1);
	}
}
END_TEST

START_TEST(receipt_survives_a_mailer)
{
	struct receipt_key k;
	struct receipt r;
	char buf[RECEIPT_MAX], mailed[2 * RECEIPT_MAX], err[400];
	size_t n, i, m = 0;

	receipt_key_set(&k, RECEIPT_DEFAULT_KEY, strlen(RECEIPT_DEFAULT_KEY));
	n = make(&k, buf, sizeof buf);
	mailed[m++] = '\n';
	for (i = 0; i < n; i++) {
		if (buf[i] == '\n')
			mailed[m++] = '\r';
		mailed[m++] = buf[i];
	}
	mailed[m++] = '\n';
	ck_assert_int_eq(receipt_verify("r", mailed, m, &k, &r, err, sizeof err), 0);
}
END_TEST

static const char *const bad_receipts[] = {
	"",
	"not a receipt\n",
	"smtpref lesson receipt\nlesson: x\n",
	"smtpref lesson receipt\nbogus: 1\n",
	"smtpref lesson receipt\nlesson: a\nlesson: b\n",
	"smtpref lesson receipt\nlesson: x\ntitle: t\nfinished: yesterday\n",
	"smtpref lesson receipt\nlesson: x\ntitle: t\nfinished: 2023-11-14T22:13:20Z\nsteps: many\n",
};

START_TEST(receipt_rejects_garbage)
{
	struct receipt_key k;
	struct receipt r;
	char err[400];

	receipt_key_set(&k, RECEIPT_DEFAULT_KEY, strlen(RECEIPT_DEFAULT_KEY));
	ck_assert_int_eq(receipt_verify("r", bad_receipts[_i],
	    strlen(bad_receipts[_i]), &k, &r, err, sizeof err), -1);
	ck_assert(strncmp(err, "r", 1) == 0);
}
END_TEST

START_TEST(receipt_text_after_the_hmac)
{
	struct receipt_key k;
	struct receipt r;
	char buf[RECEIPT_MAX + 32], err[400];
	size_t n;

	receipt_key_set(&k, RECEIPT_DEFAULT_KEY, strlen(RECEIPT_DEFAULT_KEY));
	n = make(&k, buf, RECEIPT_MAX);
	strcpy(buf + n, "steps: 99\n");
	ck_assert_int_eq(receipt_verify("r", buf, strlen(buf), &k, &r, err, sizeof err), -1);
}
END_TEST

START_TEST(receipt_keys)
{
	struct receipt_key k;
	char err[300], path[600];
	FILE *f;

	unsetenv("SMTPREF_CLASS_KEY");
	unsetenv("SMTPREF_CLASS_KEY_FILE");
	ck_assert_int_eq(receipt_key_load(&k, NULL, err, sizeof err), 0);
	ck_assert_int_eq(k.is_default, 1);
	setenv("SMTPREF_CLASS_KEY", "our class", 1);
	ck_assert_int_eq(receipt_key_load(&k, NULL, err, sizeof err), 0);
	ck_assert_int_eq(k.is_default, 0);
	ck_assert_uint_eq(k.len, 9);
	unsetenv("SMTPREF_CLASS_KEY");
	make_tmpdir();
	snprintf(path, sizeof path, "%s/key", tmpdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("our class\n", f);
	fclose(f);
	ck_assert_int_eq(receipt_key_load(&k, path, err, sizeof err), 0);
	ck_assert_uint_eq(k.len, 9);	/* without the line end */
	setenv("SMTPREF_CLASS_KEY_FILE", path, 1);
	ck_assert_int_eq(receipt_key_load(&k, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(k.len, 9);
	unsetenv("SMTPREF_CLASS_KEY_FILE");
	f = fopen(path, "w");
	fclose(f);
	ck_assert_int_eq(receipt_key_load(&k, path, err, sizeof err), -1);
	unlink(path);
	ck_assert_int_eq(receipt_key_load(&k, path, err, sizeof err), -1);
	remove_tmpdir();
}
END_TEST
#endif

int main(void)
{
	Suite *s = suite_create("lesson");
	TCase *t = tcase_create("parser");
	TCase *e = tcase_create("evaluator");
	TCase *c = tcase_create("checker");
	TCase *p = tcase_create("progress");

	tcase_add_loop_test(t, parser_errors_name_the_line, 0,
	    (int)(sizeof broken / sizeof broken[0]));
	tcase_add_test(t, parser_reports_every_error);
	tcase_add_test(t, parser_error_format);
	tcase_add_test(t, parser_nul_byte);
	tcase_add_test(t, parser_bounds);
	tcase_add_test(t, parser_keeps_only_the_first_errors);
	tcase_add_test(t, parser_file_names);
	tcase_add_test(t, parser_builds_the_lesson);
	tcase_add_test(t, parser_order_from_name);
	tcase_add_test(t, parser_goto_step);
	tcase_add_test(t, parser_wait_part_drop_sender);
	suite_add_tcase(s, t);

	tcase_add_test(e, evaluator_conditions);
	tcase_add_test(e, evaluator_server_role);
	tcase_add_test(e, evaluator_branches_hints_and_questions);
	tcase_add_test(e, evaluator_input_is_bounded);
	tcase_add_test(e, session_client_role_and_undo);
	tcase_add_test(e, session_server_role_and_undo);
	tcase_add_test(e, session_escapes);
	tcase_add_test(e, evaluator_sender_follows_the_learner);
	tcase_add_test(e, session_wait_and_greylist);
	tcase_add_test(e, session_resume);
	suite_add_tcase(s, e);

	tcase_add_test(c, checker_passes_a_good_lesson);
	tcase_add_test(c, coverage_records_what_each_step_meets);
	tcase_add_test(c, rules_list_is_held_to_the_steps);
	tcase_add_loop_test(c, checker_catches_impossible_answers, 0,
	    (int)(sizeof impossible / sizeof impossible[0]));
	tcase_add_test(c, checker_warns_about_untried_paths);
	tcase_set_timeout(c, 60);
	suite_add_tcase(s, c);

	tcase_add_test(p, progress_round_trip);
	tcase_add_loop_test(p, progress_parse_errors, 0,
	    (int)(sizeof bad_progress / sizeof bad_progress[0]));
	tcase_add_test(p, progress_files_atomic_and_resume);
	tcase_add_test(p, progress_transcript);
	tcase_add_test(p, progress_state_dir);
#ifdef HAVE_OPENSSL
	tcase_add_test(p, receipt_digest_vectors);
	tcase_add_test(p, receipt_verifies_and_rejects_tampering);
	tcase_add_test(p, receipt_survives_a_mailer);
	tcase_add_loop_test(p, receipt_rejects_garbage, 0,
	    (int)(sizeof bad_receipts / sizeof bad_receipts[0]));
	tcase_add_test(p, receipt_text_after_the_hmac);
	tcase_add_test(p, receipt_keys);
#endif
	suite_add_tcase(s, p);
	return check_run(s);
}
