/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lesson.h - lesson files: the parser, the step evaluator, the session
 * that drives the simulated server or client for a lesson, and the
 * checker that proves a lesson can be completed
 *
 * The format is documented in man/smtpref-lesson.5.  In short: a header
 * of "key: value" lines (title, minutes, role, persona, scenario, order,
 * part, skip), then steps.  A step starts with a step keyword at the start
 * of a line (say, send, reply, ask, set, fault, wait, label, goto,
 * summary); the
 * lines after it that start with a field keyword (expect, goto ... if,
 * hint, answer, alt, wrong, accept, pipelined, escapes) belong to it.
 * Indented lines continue the text or the answer above them.
 *
 * Everything here is pure: no I/O, no globals.  The parser takes a file
 * name and a buffer; every error carries file:line.  The runner (lesson
 * run) and the checker (lesson check) drive the same session code and ask
 * the same evaluator, so a lesson that passes the checker behaves the
 * same way in front of a learner.
 *
 * How the runner uses it:
 *
 *	l = lesson_parse(file, text, len, &errs)    once
 *	s = lesson_session_new(l, &hooks)           the simulated peer
 *	lesson_session_resume(s, i)                 when resuming at step i
 *	for each step i (from the resume point):
 *	    lesson_session_enter(s, i)              applies set: and fault:,
 *	                                            reconnects when needed
 *	    say / summary: show step->text; i = lesson_step_next(l, i)
 *	    set, fault, wait, label, goto: i = lesson_step_next(l, i)
 *	    send / reply / ask: show step->text, then for each try:
 *	        lesson_obs_begin(s, &obs)
 *	        for each line the learner types:
 *	            if (lesson_session_input(s, line, len, &obs)) break;
 *	            (1: the try is complete: every command got its reply,
 *	            or the connection closed; 0: more lines belong to it,
 *	            such as the message after 354)
 *	        (at a step with pipelined: yes, the learner's group of
 *	        lines goes in one lesson_session_input_group call; with
 *	        escapes: yes, the session turns \n and \r into bare LF and
 *	        CR itself: hand it the lines as typed)
 *	        lesson_eval(l, i, &obs, tries, &res)
 *	        LESSON_PASSED, LESSON_BRANCH: i = res.next
 *	        LESSON_FAILED: show res.why and res.hint (if any), then
 *	            lesson_session_undo(s) and let the learner try again
 *	:skip (unless l->skip_forbidden): i = i + 1, no goto is taken
 *	:restart: lesson_session_free, lesson_session_new, i = 0
 *
 * Progress: progress.h; after the last step progress_finish().
 *
 * A runner that drives server.c or client.c itself (inside the shell)
 * fills the observation with lesson_obs_reply(), lesson_obs_finding()
 * and lesson_obs_phase() from its own sinks instead, and must apply set:
 * and fault: steps as lesson_session_enter() documents.
 */
#ifndef SMTPREF_LESSON_H
#define SMTPREF_LESSON_H

#include <stddef.h>

#include "core/client.h"
#include "core/ref.h"
#include "core/server.h"
#include "core/syntax.h"

/* Bounds: a lesson file larger than these is an authoring error. */
#define LESSON_FILE_MAX (256 * 1024)	/* octets */
#define LESSON_LINE_MAX 4096		/* octets in one line */
#define LESSON_STEPS_MAX 512
#define LESSON_CONDS_MAX 16		/* expect: lines of one step */
#define LESSON_BRANCHES_MAX 16		/* goto ... if lines of one step */
#define LESSON_HINTS_MAX 8
#define LESSON_ALTS_MAX 16		/* alt: and wrong: lines of one step */
#define LESSON_ACCEPTS_MAX 32		/* accept: lines of one ask step */
#define LESSON_ANSWER_MAX 8192		/* octets in one answer */
#define LESSON_LABEL_MAX 32		/* octets in a label */
#define LESSON_NAME_MAX 64		/* octets in a lesson's name */
#define LESSON_ERRORS_MAX 64		/* errors kept; more are counted */

enum lesson_role {
	LESSON_CLIENT,		/* the learner sends commands */
	LESSON_SERVER,		/* the learner sends replies */
	LESSON_ROLE_LAST
};
const char *lesson_role_str(enum lesson_role r);

enum lesson_step_kind {
	LESSON_SAY,		/* narration */
	LESSON_SEND,		/* the learner sends a command (client role) */
	LESSON_REPLY,		/* the learner replies (server role) */
	LESSON_ASK,		/* a question with a checked answer */
	LESSON_SET,		/* persona, scenario, role, or a new connection */
	LESSON_FAULT,		/* inject a fault into the simulated server */
	LESSON_LABEL,		/* a place goto can jump to; does nothing */
	LESSON_GOTO,		/* jump to a label */
	LESSON_SUMMARY,		/* the summary at the end */
	LESSON_WAIT,		/* simulated time passes (client role) */
	LESSON_STEP_LAST
};
const char *lesson_step_kind_str(enum lesson_step_kind k);

/* What an expect: or goto ... if line checks. */
enum lesson_cond_kind {
	LESSON_C_CODE,		/* code 250 2xx 55x: the last reply's code */
	LESSON_C_CODES,		/* codes 250 250 354: every reply, in order */
	LESSON_C_ENHANCED,	/* enhanced 5.1.1 / 5.1.x / none */
	LESSON_C_PHASE,		/* phase rcpt: where the session is after */
	LESSON_C_RULE,		/* rule relay-denied: the server's rule */
	LESSON_C_COMMAND,	/* command RCPT: what the last reply answered */
	LESSON_C_MATCH,		/* match REGEX: a line of the learner's input */
	LESSON_C_CLOSED,	/* closed: the connection was closed */
	LESSON_C_ALLOWED,	/* allowed: no reply broke RFC 5321 (server role) */
	LESSON_C_CONFORMING,	/* conforming: as a conforming server would */
	LESSON_C_SENDER,	/* sender: the answer is the reverse-path of
				 * the last MAIL the server accepted */
	LESSON_C_LAST
};

struct lesson_cond {
	enum lesson_cond_kind kind;
	int negate;		/* "not ..." */
	unsigned line;
	const char *arg;	/* the argument as written ("" when none) */
	const char **pats;	/* CODE, CODES: the patterns, npats of them */
	size_t npats;
	void *re;		/* MATCH: the compiled regex (regex_t) */
};

struct lesson_branch {
	struct lesson_cond cond;
	const char *label;
	size_t target;		/* the step index the label stands for */
};

struct lesson_hint {
	unsigned after;		/* shown after this many wrong tries (1..99) */
	unsigned line;
	const char *text;
};

/* An answer given in the file: the model answer, an alt: (another answer
 * the checker tries; it must pass or branch, and the lesson must be
 * completable from there) or a wrong: (an answer that must fail). */
struct lesson_answer {
	unsigned line;
	const char *text;	/* lines separated by '\n', no CR */
};

enum lesson_set_kind {
	LESSON_SET_PERSONA,	/* a new connection to this persona */
	LESSON_SET_SCENARIO,	/* the simulated client of the server role */
	LESSON_SET_ROLE,	/* switch roles: a new session in that role */
	LESSON_SET_CONNECT,	/* a new connection, same persona/scenario */
	LESSON_SET_LAST
};

struct lesson_step {
	enum lesson_step_kind kind;
	unsigned line;
	enum lesson_role role;	/* the role in effect, in file order */
	/* Text: narration, prompt, question or summary.  Lines separated by
	 * '\n': a line that starts with a space is preformatted (print it
	 * as it is); a line that starts with "- " is a list item (wrap it
	 * with a hanging indent of two columns); any other line is a
	 * paragraph to wrap to the terminal; an empty line separates
	 * paragraphs.  NULL for steps without. */
	const char *text;

	/* send, reply, ask */
	const struct lesson_cond *conds;	/* expect: */
	size_t nconds;
	const struct lesson_branch *branches;	/* goto LABEL if COND */
	size_t nbranches;
	const struct lesson_hint *hints;	/* sorted by after */
	size_t nhints;
	struct lesson_answer answer;		/* the model answer */
	const struct lesson_answer *alts;
	size_t nalts;
	const struct lesson_answer *wrongs;
	size_t nwrongs;
	const char *const *accepts;		/* ask: other accepted answers */
	size_t naccepts;
	int pipelined;		/* send: the answer is sent in one write */
	int escapes;		/* send: \n \r \\ in a line are a bare LF, a
				 * bare CR, a backslash (the line still ends
				 * in CRLF) */

	/* set */
	enum lesson_set_kind set;
	const struct ref_persona *persona;
	const struct ref_scenario *scenario;
	enum lesson_role new_role;

	/* fault: the nth (from now) verb gets code enh; code
	 * SERVER_FAULT_DROP: its reply is lost and the connection breaks */
	char fault_verb[16];
	int fault_nth;
	int fault_code;
	char fault_enh[16];

	/* wait: seconds of simulated time */
	unsigned long wait;

	/* label, goto */
	const char *label;
	size_t target;		/* goto: the step to go to (nsteps: the end) */
};

struct lesson {
	char name[LESSON_NAME_MAX];	/* the file name without .lesson */
	const char *file;	/* as given to lesson_parse */
	const char *title;
	unsigned minutes;
	unsigned order;		/* order: or the file name's number; else 1000 */
	const char *part;	/* part: the heading it is listed under, or NULL */
	enum lesson_role role;	/* the role at the start */
	const struct ref_persona *persona;	/* the server (client role) */
	const struct ref_scenario *scenario;	/* the client (server role) */
	int skip_forbidden;	/* skip: forbidden */
	struct lesson_step *steps;
	size_t nsteps;
	size_t nchecked;	/* send, reply and ask steps */
	struct lesson_arena *arena;	/* every string and array above */
};

/* Errors and warnings, each with file:line. */
struct lesson_error {
	unsigned line;		/* 0: about the whole file */
	int warning;		/* 1: a warning (the lesson still works) */
	char msg[240];
};

struct lesson_errors {
	const char *file;
	size_t n;		/* kept */
	size_t nerrors;		/* errors (not warnings), kept or not */
	size_t dropped;		/* not kept: more than LESSON_ERRORS_MAX */
	struct lesson_error e[LESSON_ERRORS_MAX];
};

void lesson_errors_init(struct lesson_errors *errs, const char *file);
/* lesson_error_format - "file:line: message" (or "file:line: warning:
 * ..."); returns buf */
char *lesson_error_format(const struct lesson_errors *errs, size_t i,
    char *buf, size_t size);

/* lesson_error_add, lesson_warning_add - add one (printf format) */
void lesson_error_add(struct lesson_errors *errs, unsigned line,
    const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void lesson_warning_add(struct lesson_errors *errs, unsigned line,
    const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* lesson_name_from_file - the lesson's name: the base name of file
 * without ".lesson".  Returns 0, or -1 when it is not a usable name
 * (letters, digits, '.', '_', '-', not starting with '.'; at most
 * LESSON_NAME_MAX - 1 octets). */
int lesson_name_from_file(const char *file, char *name, size_t size);

/* lesson_parse - parse text[0..len) read from file.  On success returns a
 * lesson (free it with lesson_free) and errs may hold warnings; on any
 * error returns NULL with every error of the file in errs.  Out of memory
 * is reported as an error too. */
struct lesson *lesson_parse(const char *file, const char *text, size_t len,
    struct lesson_errors *errs);
void lesson_free(struct lesson *l);

/* lesson_step_next - the step after i for steps that take no input: the
 * goto's target for LESSON_GOTO, i + 1 for the others.  A result equal to
 * l->nsteps means the lesson is over. */
size_t lesson_step_next(const struct lesson *l, size_t i);

/* ---- what happened: the observation ------------------------------------ */

#define LESSON_OBS_REPLIES 64
#define LESSON_OBS_INPUT 16384

struct lesson_obs_reply {
	int code;		/* 0: not a valid reply (server role) */
	char enh[16];		/* "5.1.1", "" when none */
	char verb[16];		/* what it answers: "MAIL", "CONNECT" (the
				 * greeting), "DATA-END" (the final dot), ""
				 * for an unknown command */
	char rule[48];		/* client role: the server's rule */
	int allowed;		/* server role: no finding against it */
	int expected;		/* server role: the code a conforming server
				 * would give (the same code when the learner
				 * agrees); 0 when it would close instead */
	char expected_enh[16];
};

/* One try of the learner at a checked step.  Zero it (or use
 * lesson_obs_begin) before each try. */
struct lesson_obs {
	enum lesson_role role;
	/* the learner's input: command lines (client role), reply lines
	 * (server role) or the answer (ask), lines separated by '\n',
	 * without CR; longer input is cut at LESSON_OBS_INPUT - 1 */
	char input[LESSON_OBS_INPUT];
	size_t input_len;
	size_t lines;
	/* the replies of this try, in order: the simulated server's (client
	 * role) or the learner's (server role) */
	struct lesson_obs_reply replies[LESSON_OBS_REPLIES];
	size_t nreplies;
	size_t dropped;		/* replies beyond LESSON_OBS_REPLIES */
	int closed;		/* the connection was closed */
	/* where the session is after the try: server_phase names
	 * (client role: server_phase_key) or the client's (server role:
	 * client_phase_key) */
	char phase[24];
	unsigned findings;	/* server role: 1 << kind of each finding */
	/* client role: the reverse-path of the last MAIL the server
	 * accepted on this connection ("" for <>), when have_sender */
	char sender[SYNTAX_PATH_MAX + 1];
	int have_sender;
	char finding[200];	/* server role: the first finding against a
				 * reply (BAD_REPLY, BAD_CODE, BAD_ENHANCED) */
};



/* lesson_obs_clear - an empty observation for role */
void lesson_obs_clear(struct lesson_obs *o, enum lesson_role role);
/* lesson_obs_line - add one line of the learner's input (no line end) */
void lesson_obs_line(struct lesson_obs *o, const char *line, size_t len);
/* lesson_obs_reply - client role: one reply of the simulated server
 * (call it from the server sink's reply callback) */
void lesson_obs_reply(struct lesson_obs *o, const struct server_reply *r);
/* lesson_obs_learner_reply - server role: one complete reply the learner
 * gave (CRLFs included), answering verb ("RCPT", "CONNECT" for the
 * greeting, "DATA-END" for the final dot, "" when unknown) */
void lesson_obs_learner_reply(struct lesson_obs *o, const char *verb,
    const char *wire, size_t len);
/* lesson_obs_finding - server role: a finding of the simulated client
 * about the learner's last reply (call it from the client sink) */
void lesson_obs_finding(struct lesson_obs *o, const struct client_finding *f);
/* lesson_obs_phase - where the session is after the try; closed is 1 when
 * the connection is gone */
void lesson_obs_phase(struct lesson_obs *o, const char *phase, int closed);

/* ---- the evaluator ------------------------------------------------------ */

enum lesson_verdict {
	LESSON_PASSED,		/* go on with res.next */
	LESSON_FAILED,		/* try again; show res.why and res.hint */
	LESSON_BRANCH,		/* a goto ... if matched: go on with res.next */
	LESSON_VERDICT_LAST
};
const char *lesson_verdict_str(enum lesson_verdict v);

struct lesson_result {
	enum lesson_verdict verdict;
	size_t next;		/* PASSED, BRANCH: the next step (nsteps: done) */
	const char *hint;	/* FAILED: the hint to show now, or NULL */
	unsigned hint_after;	/* its threshold: 1 the first hint, more for
				 * a stronger one */
	unsigned line;		/* FAILED: the line of the check that failed;
				 * BRANCH: of the goto */
	size_t branch;		/* BRANCH: which goto of the step (0 first) */
	char why[320];		/* FAILED: what was wrong, for the learner */
};

/* lesson_eval - judge try number tries (1 = the first) of the learner at
 * checked step i, as observed in obs.  Goto ... if lines are looked at
 * first, in file order; then every expect: must hold (ask steps without
 * expect: compare the answer with answer: and accept:, ignoring case and
 * spaces; reply steps also need "allowed").  Returns 0, or -1 when step i
 * is not a checked step (res is then untouched). */
int lesson_eval(const struct lesson *l, size_t i, const struct lesson_obs *obs,
    unsigned tries, struct lesson_result *res);

/* lesson_cond_holds - one condition against an observation (for tools
 * that show why a check held) */
int lesson_cond_holds(const struct lesson_cond *c, const struct lesson_obs *obs);

/* ---- the session: the simulated peer of a lesson ------------------------ */

/* What the session shows.  Every callback may be NULL. */
struct lesson_hooks {
	void *ctx;
	/* client role: every reply of the simulated server, greetings
	 * included, and its events */
	void (*reply)(void *ctx, const struct server_reply *r);
	void (*event)(void *ctx, const struct server_event *e);
	/* server role: the bytes the simulated client sends, and its
	 * findings about the learner's replies */
	void (*client_sent)(void *ctx, const char *bytes, size_t len);
	void (*finding)(void *ctx, const struct client_finding *f);
	/* a new connection was opened (why: one short sentence) */
	void (*connected)(void *ctx, enum lesson_role role, const char *why);
	/* client role: a line was dealt with, and what the server said of
	 * it after its reply (a pipelining warning) came too; may be NULL */
	void (*line_done)(void *ctx);
};

struct lesson_session;

/* lesson_session_new - the lesson's session in its starting role: a
 * server of the header's persona (greeting sent at once) or a client of
 * its scenario (waiting for the learner's greeting).  NULL when out of
 * memory. */
struct lesson_session *lesson_session_new(const struct lesson *l,
    const struct lesson_hooks *hooks);
void lesson_session_free(struct lesson_session *s);

/* lesson_session_enter - step i begins:
 *  - set: persona NAME: a new connection to a server of that persona;
 *    set: scenario NAME: a new simulated client with that scenario (when
 *    in the server role; else kept for when the role changes); set: role
 *    R: a new session in role R; set: connect: a new connection to the
 *    same persona or scenario.  The greylist memory survives new
 *    connections, as a real server's does.
 *  - fault: server_fault() on the current server (counted from now).
 *  - wait: server_wait() on the current connection (a wait of 5 minutes
 *    or more on an open one ends it with 421), or only the clock of the
 *    server's memory when the connection is closed.
 *  - send (reply): when the connection is closed or the client finished,
 *    a new connection is opened first.
 * Returns 0, or -1 when the step cannot be applied (out of memory, a
 * fault the server refuses, a step for the other role); err says why. */
int lesson_session_enter(struct lesson_session *s, size_t i, char *err,
    size_t errsize);

/* lesson_obs_begin - a new try at the current step */
void lesson_obs_begin(struct lesson_session *s, struct lesson_obs *o);

/* lesson_session_input - one line the learner typed (no line end): sent
 * to the server (client role, with CRLF), or added to the reply being
 * assembled (server role), or taken as the answer (ask).  Returns 1 when
 * the try is complete, 0 when more lines belong to it.  At a pipelined
 * send step, lesson_session_input_group sends several lines in one write
 * instead. */
int lesson_session_input(struct lesson_session *s, const char *line,
    size_t len, struct lesson_obs *o);
int lesson_session_input_group(struct lesson_session *s, const char *lines,
    size_t len, struct lesson_obs *o);

/* lesson_session_undo - forget the try begun by the last
 * lesson_obs_begin: the simulated peer is rebuilt (quietly, through no
 * hook) as it was before that try, so the learner tries again from the
 * same place.  Call it after LESSON_FAILED.  Returns 0, or -1 when the
 * session is too long to rebuild (it then stays as it is). */
int lesson_session_undo(struct lesson_session *s);

/* lesson_session_resume - bring a new session, silently, to where the
 * answers of the lesson file leave it at step i (not entered yet), so
 * that a run resumed at step i finds the simulated peer as the earlier
 * steps left it: the model answers are replayed, and when they do not
 * lead to step i (it is on a branch), the alt: answers are tried.
 * Returns 0; or -1 when no answer in the file reaches step i, and the
 * session is then as new (the learner starts that step on a fresh
 * connection).  The learner's own earlier commands are not replayed:
 * where they differed from the model answers, the state may differ. */
int lesson_session_resume(struct lesson_session *s, size_t i);

/* lesson_session_command - the verb the learner's next reply answers
 * (server role; "" when none is waiting) */
const char *lesson_session_command(const struct lesson_session *s);

enum lesson_role lesson_session_role(const struct lesson_session *s);
/* The current peer (NULL when the other role is in effect). */
struct server *lesson_session_server(const struct lesson_session *s);
struct client *lesson_session_client(const struct lesson_session *s);

/* ---- the checker -------------------------------------------------------- */

/* lesson_check - prove that l can be completed: walk it from the first
 * step, answering every checked step with its model answer through the
 * real state machine, following the gotos the answers take, until the
 * end; then for every alt: and wrong: walk again up to that step and try
 * it (an alt: must pass or branch and the lesson must be completable
 * from there; a wrong: must fail).  Every problem goes to errs as
 * file:line.  Returns the number of errors added. */
size_t lesson_check(const struct lesson *l, struct lesson_errors *errs);

#endif
