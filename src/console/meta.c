/* SPDX-License-Identifier: GPL-3.0-or-later */
/* meta.c - the meta-commands: one table drives dispatch, :help,
 * completion and the TUI's help overlay
 *
 * Each row says what the peer must be able to do for the command to
 * apply (needs: any of these capabilities, 0 for none) and what rules it
 * out (refused: a lesson sets up its own session).  The console refuses a
 * command that does not apply with the row's reason, so no code here
 * asks which kind of peer it talks to.
 */
#include <config.h>

#include "console/console.h"
#include "console/priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "core/explain.h"
#include "core/ref.h"
#include "core/server.h"
#include "lesson/lesson.h"
#include "net/conn.h"

#define ARGS_MAX 8

struct meta {
	const char *name;
	const char *args;
	const char *help;
	unsigned needs;		/* any of these capabilities; 0: none */
	unsigned refused;	/* none of these */
	const char *why_not;	/* when it does not apply, after ":name " */
	void (*run)(struct console *c, int argc, char **argv);
};

#define NMETAS 22
static const struct meta metas[NMETAS];	/* the table, after the commands */
static const size_t nmetas = NMETAS;

static const char *const level_names[] = { "off", "brief", "full" };

/* applies - the row applies to the peer the learner talks to now */
static int applies(const struct console *c, const struct meta *m)
{
	unsigned caps = peer_caps(c->peer);

	if (m->refused & caps)
		return 0;
	return m->needs == 0 || (m->needs & caps) != 0;
}

static const struct meta *meta_find(const char *name)
{
	size_t i;

	for (i = 0; i < nmetas; i++)
		if (strcmp(metas[i].name, name) == 0)
			return &metas[i];
	return NULL;
}

void console_meta_each(const struct console *c,
    void (*fn)(void *ctx, const char *name, const char *args,
    const char *help, int general), void *ctx)
{
	size_t i;

	for (i = 0; i < nmetas; i++)
		if (applies(c, &metas[i]))
			fn(ctx, metas[i].name, metas[i].args, metas[i].help,
			    metas[i].needs == 0);
}

const char *console_meta_name(size_t i)
{
	return i < nmetas ? metas[i].name : NULL;
}

/* parse_int - a whole decimal number in [lo, hi], or -1 */
static int parse_int(const char *s, int lo, int hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == 0 || *end != 0 || errno || v < lo || v > hi)
		return -1;
	return (int)v;
}

/* ---- help, explain, state, diagram -------------------------------------- */

static void help_row(void *ctx, const char *name, const char *args,
    const char *help, int general)
{
	struct console *c = ctx;

	(void)general;
	tx_emitf(&c->self, TX_EXPLAIN, "help", "  :%s%s%s - %s", name,
	    args[0] ? " " : "", args, help);
}

static void m_help(struct console *c, int argc, char **argv)
{
	struct peer_info pi;

	if (argc > 1) {
		const struct meta *m = meta_find(argv[1][0] == ':' ? argv[1] + 1 : argv[1]);

		if (m == NULL) {
			tx_emitf(&c->self, TX_ERROR, NULL, "no meta-command ':%s'; :help lists them", argv[1]);
			return;
		}
		tx_emitf(&c->self, TX_EXPLAIN, "help", ":%s %s - %s", m->name, m->args, m->help);
		return;
	}
	console_info(c, &pi);
	tx_emitf(&c->self, TX_EXPLAIN, "help", "%s", pi.learner_server ?
	    "Type the server's replies (220 ..., 250 OK, 354 ..., 221 Bye); the simulated client reacts." :
	    "Type SMTP commands (EHLO, MAIL FROM:<...>, RCPT TO:<...>, DATA, QUIT); the server answers.");
	tx_emitf(&c->self, TX_EXPLAIN, "help", "Lines starting with ':' are for smtpref:");
	console_meta_each(c, help_row, c);
	tx_emitf(&c->self, TX_EXPLAIN, "help", "Keys: Tab completes, Up/Down recall history, Ctrl-C cancels the line, Ctrl-D leaves (after QUIT).");
}

/* explain_terms - the reference's own entry, as `smtpref TERM` prints */
static void explain_terms(struct console *c, int argc, char **argv)
{
	char *obuf = NULL, *ebuf = NULL;
	size_t olen = 0, elen = 0;
	FILE *o = open_memstream(&obuf, &olen), *e = open_memstream(&ebuf, &elen);
	const char *p, *end;

	if (o == NULL || e == NULL) {
		if (o)
			fclose(o);
		if (e)
			fclose(e);
		free(obuf);
		free(ebuf);
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		return;
	}
	c->o.lookup(argv + 1, argc - 1, o, e);
	fclose(o);
	fclose(e);
	for (p = obuf, end = obuf + olen; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct tx_item it = { .kind = TX_EXPLAIN, .label = "ref",
		    .text = p, .len = n };

		if (c->out.item)
			c->out.item(c->out.ctx, &it);
		p = nl ? nl + 1 : end;
	}
	if (elen > 0) {
		if (ebuf[elen - 1] == '\n')
			ebuf[--elen] = 0;
		/* "smtpref: TERM: why" - the prefix is the front end's */
		tx_emitf(&c->self, TX_ERROR, NULL, "%s", strncmp(ebuf, "smtpref: ", 9) == 0 ? ebuf + 9 : ebuf);
	}
	free(obuf);
	free(ebuf);
}

static void m_explain(struct console *c, int argc, char **argv)
{
	size_t i;

	if (argc == 1) {
		tx_emitf(&c->self, TX_NOTE, NULL, "Explanations are %s. ':explain off|brief|full' changes that; ':explain 553' explains a code.",
		    level_names[c->level]);
		return;
	}
	if (argc == 2 || c->o.lookup == NULL)
		for (i = 0; i < 3; i++)
			if (strcmp(argv[1], level_names[i]) == 0) {
				c->level = (enum explain_level)i;
				c->o.session.level = c->level;
				if (c->peer->ops->set_level)
					c->peer->ops->set_level(c->peer, c->level);
				if (c->below && c->below->ops->set_level)
					c->below->ops->set_level(c->below, c->level);
				tx_emitf(&c->self, TX_NOTE, NULL, "Explanations are %s now.", level_names[i]);
				return;
			}
	if (c->o.lookup == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, ":explain takes off, brief or full here");
		return;
	}
	explain_terms(c, argc, argv);
}

static void m_state(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	c->peer->ops->state(c->peer, &c->self);
	if (c->nheld > 0)
		tx_emitf(&c->self, TX_EXPLAIN, "state", "Lines typed and waiting for the server's reply: %zu.", c->nheld);
}

static void m_diagram(struct console *c, int argc, char **argv)
{
	size_t i;
	int phase = console_phase(c);
	struct peer_info pi;

	(void)argc;
	(void)argv;
	for (i = 0; i < explain_diagram_rows; i++) {
		int here = explain_diagram[i].phase == phase;

		tx_emitf(&c->self, TX_EXPLAIN, here ? "you are" : "diagram", "%s %s",
		    here ? "=>" : "  ", explain_diagram[i].text);
	}
	console_info(c, &pi);
	if (pi.learner_server)
		tx_emitf(&c->self, TX_EXPLAIN, "diagram", "   (you play the server: the diagram is the session as the client sees it)");
}

/* ---- setting up the simulated session ------------------------------------ */

static void new_session(struct console *c)
{
	struct peer *p = console_new_session(c, &c->o.session);

	if (p == NULL)
		return;
	console_replace(c, p);
	tx_emitf(&c->self, TX_NOTE, NULL, "A new session: you are the %s.",
	    c->o.session.role == SESSION_CLIENT ? "client" : "server");
	p->ops->start(p);
}

static void m_role(struct console *c, int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "client") && strcmp(argv[1], "server"))) {
		tx_emitf(&c->self, TX_ERROR, NULL, ":role takes client or server");
		return;
	}
	c->o.session.role = strcmp(argv[1], "client") == 0 ? SESSION_CLIENT : SESSION_SERVER;
	new_session(c);
}

static void m_persona(struct console *c, int argc, char **argv)
{
	const struct ref_persona *p;
	size_t i;

	if (argc != 2) {
		tx_emitf(&c->self, TX_NOTE, NULL, "The persona is '%s'. :persona NAME changes it; the personas are:",
		    c->o.session.persona ? c->o.session.persona->name : "modern");
		for (i = 0; i < ref_persona_count; i++)
			tx_emitf(&c->self, TX_EXPLAIN, "persona", "%-13s %s", ref_persona_table[i].name,
			    ref_persona_table[i].summary);
		return;
	}
	p = ref_persona_find(argv[1], strlen(argv[1]));
	if (p == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "no persona '%s'; :persona lists them", argv[1]);
		return;
	}
	c->o.session.persona = p;
	if (c->o.session.role == SESSION_SERVER) {
		tx_emitf(&c->self, TX_NOTE, NULL, "The persona is '%s'; it plays the server when you are the client (:role client).", p->name);
		return;
	}
	new_session(c);
}

static void m_scenario(struct console *c, int argc, char **argv)
{
	const struct ref_scenario *sc;
	size_t i;

	if (argc != 2) {
		tx_emitf(&c->self, TX_NOTE, NULL, "The scenario is '%s'. :scenario NAME changes it; the scenarios are:",
		    c->o.session.scenario ? c->o.session.scenario->name : "plain");
		for (i = 0; i < ref_scenario_count; i++)
			tx_emitf(&c->self, TX_EXPLAIN, "scenario", "%-18s %s", ref_scenario_table[i].name,
			    ref_scenario_table[i].summary);
		return;
	}
	sc = ref_scenario_find(argv[1], strlen(argv[1]));
	if (sc == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "no scenario '%s'; :scenario lists them", argv[1]);
		return;
	}
	c->o.session.scenario = sc;
	c->o.session.role = SESSION_SERVER;
	new_session(c);
}

static void m_restart(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_clear(c);
	c->peer->ops->restart(c->peer);
}

static void m_fault(struct console *c, int argc, char **argv)
{
	static const char usage[] = "usage: :fault VERB [N] CODE [ENHANCED], e.g. :fault RCPT 3 452 4.5.3";
	int nth = 1, code, i = 2;
	const char *enh = "";
	char verb[16];
	size_t k;

	if (argc < 3 || argc > 5) {
		tx_emitf(&c->self, TX_ERROR, NULL, "%s", usage);
		return;
	}
	for (k = 0; argv[1][k] && k < sizeof verb - 1; k++)
		verb[k] = (char)ascii_upper((unsigned char)argv[1][k]);
	verb[k] = 0;
	if (argc >= 4 && strchr(argv[3], '.') == NULL) {
		nth = parse_int(argv[2], 1, 1000);
		if (nth < 0) {
			tx_emitf(&c->self, TX_ERROR, NULL, ":fault: '%s' is not a count from 1 to 1000", argv[2]);
			return;
		}
		i = 3;
	}
	code = parse_int(argv[i], 400, 559);
	if (code < 0) {
		tx_emitf(&c->self, TX_ERROR, NULL, ":fault: '%s' is not a 4xx or 5xx reply code", argv[i]);
		return;
	}
	if (i + 1 < argc)
		enh = argv[i + 1];
	if (i + 2 < argc) {
		tx_emitf(&c->self, TX_ERROR, NULL, "%s", usage);
		return;
	}
	if (c->peer->ops->fault(c->peer, verb, nth, code, enh) < 0) {
		tx_emitf(&c->self, TX_ERROR, NULL, ":fault: the server cannot answer %s with %d%s%s (a known verb, a 4xx/5xx code and an enhanced code of the same class)",
		    verb, code, *enh ? " " : "", enh);
		return;
	}
	tx_emitf(&c->self, TX_NOTE, "fault", "The %d%s %s from now on will be answered %d%s%s.", nth,
	    nth % 10 == 1 && nth % 100 != 11 ? "st" : nth % 10 == 2 && nth % 100 != 12 ? "nd" :
	    nth % 10 == 3 && nth % 100 != 13 ? "rd" : "th", verb, code, *enh ? " " : "", enh);
}

/* m_wait - ":wait 5m": time passes on the simulated server's clock */
static void m_wait(struct console *c, int argc, char **argv)
{
	unsigned long secs;

	if (argc != 2 || server_parse_duration(argv[1], strlen(argv[1]), &secs) != 0 ||
	    secs == 0) {
		tx_emitf(&c->self, TX_ERROR, NULL, "usage: :wait DURATION, such as 90s, 5m, 2h or 1d (at most 30 days)");
		return;
	}
	/* before the wait, which may end the connection with a 421 */
	tx_emitf(&c->self, TX_NOTE, "clock", "Time passes on the simulated clock: %s.", argv[1]);
	if (c->peer->ops->wait_clock(c->peer, (long)secs) < 0)
		tx_emitf(&c->self, TX_ERROR, NULL, ":wait: this session has no simulated clock");
}

/* ---- groups, transcripts ---------------------------------------------------- */

static void m_pipe(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_clear(c);
	c->piping = 1;
	tx_emitf(&c->self, TX_NOTE, "pipeline", "Type the commands of the group, one a line; an empty line sends them all in one write (:cancel drops them).");
}

static void m_cancel(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_interrupt(c);
}

static void m_save(struct console *c, int argc, char **argv)
{
	char err[4400];

	if (argc != 2) {
		tx_emitf(&c->self, TX_ERROR, NULL, "usage: :save FILE");
		return;
	}
	if (record_save(c->rec, argv[1], err, sizeof err) < 0) {
		tx_emitf(&c->self, TX_ERROR, NULL, "cannot save the transcript: %s", err);
		return;
	}
	tx_emitf(&c->self, TX_NOTE, NULL, "Transcript saved to %s (%zu lines; ' -> ' sent, '<-  ' received, '~' under TLS).",
	    argv[1], record_count(c->rec));
}

static void m_replay(struct console *c, int argc, char **argv)
{
	char err[4400];
	struct peer *p;

	if (argc != 2) {
		tx_emitf(&c->self, TX_ERROR, NULL, "usage: :replay FILE");
		return;
	}
	p = replay_new(argv[1], c->o.interactive, c->level, &c->self, err, sizeof err);
	if (p == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "%s", err);
		return;
	}
	console_push(c, p);
	p->ops->start(p);
}

/* ---- a real server ------------------------------------------------------------ */

static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

static void m_connect(struct console *c, int argc, char **argv)
{
	static const char usage[] = "usage: :connect HOST [PORT] [--tls|--tls-on-connect] [--insecure] [--helo NAME]";
	struct conn_opts o;
	int i, port = 25;

	memset(&o, 0, sizeof o);
	o.timeout_ms = 30000;
	for (i = 1; i < argc; i++) {
		/* the names of smtpref connect's options (swaks') */
		if (strcmp(argv[i], "--starttls") == 0 || strcmp(argv[i], "--tls") == 0)
			o.tls = CONN_TLS_STARTTLS;
		else if (strcmp(argv[i], "--tls-on-connect") == 0)
			o.tls = CONN_TLS_IMPLICIT;
		else if (strcmp(argv[i], "--insecure") == 0)
			o.insecure = 1;
		else if (strcmp(argv[i], "--helo") == 0 && i + 1 < argc)
			o.helo = argv[++i];
		else if (argv[i][0] == '-') {
			tx_emitf(&c->self, TX_ERROR, NULL, ":connect: unknown option '%s' (known: --tls or --starttls, --tls-on-connect, --insecure, --helo NAME)", argv[i]);
			return;
		} else if (o.host == NULL)
			o.host = argv[i];
		else if ((port = parse_int(argv[i], 1, 65535)) < 0) {
			tx_emitf(&c->self, TX_ERROR, NULL, ":connect: '%s' is not a port number", argv[i]);
			return;
		}
	}
	if (o.host == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "%s", usage);
		return;
	}
	if (port == 465 && o.tls != CONN_TLS_IMPLICIT)
		o.tls = CONN_TLS_IMPLICIT;	/* no STARTTLS there (RFC 8314 3.3) */
	o.port = (unsigned)port;
	console_connect(c, &o);	/* no --helo: the peer uses this machine's name */
}

static void m_auth(struct console *c, int argc, char **argv)
{
	char pw[1024];
	const char *env = getenv("SMTPREF_PASSWORD");
	int insist = strcmp(argv[0], "auth!") == 0;

	if (argc != 3 || (strcmp(argv[1], "plain") && strcmp(argv[1], "login"))) {
		tx_emitf(&c->self, TX_ERROR, NULL, "usage: :auth plain|login USER (:auth! sends it even without TLS)");
		return;
	}
	if (!console_tls(c) && !insist) {
		/* the peer says why not, before a password is asked for */
		c->peer->ops->login(c->peer, argv[1], argv[2], "", 0);
		return;
	}
	if (env && strlen(env) < sizeof pw)
		snprintf(pw, sizeof pw, "%s", env);
	else if (c->o.ask_password == NULL ||
	    c->o.ask_password(c->o.ask_ctx, argv[2], pw, sizeof pw) != 0) {
		tx_emitf(&c->self, TX_ERROR, NULL, "no password: set SMTPREF_PASSWORD, or run smtpref on a terminal");
		return;
	}
	c->peer->ops->login(c->peer, argv[1], argv[2], pw, insist);
	wipe(pw, sizeof pw);
}

static void m_starttls(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	c->peer->ops->starttls(c->peer);
}

/* ---- lessons ------------------------------------------------------------------- */

static void list_one(void *ctx, const struct lesson *l)
{
	struct console *c = ctx;

	tx_emitf(&c->self, TX_EXPLAIN, "lesson", "%s (%u min): %s", l->name, l->minutes, l->title);
}

static void errors_out(struct console *c, char *err)
{
	char *p = err, *nl;

	do {
		nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		if (*p)
			tx_emitf(&c->self, TX_ERROR, NULL, "%s", p);
		if (nl)
			p = nl + 1;
	} while (nl);
}

static void m_lesson(struct console *c, int argc, char **argv)
{
	char err[4096];
	struct lesson *l;
	struct peer_info pi;
	int in_lesson = (peer_caps(c->peer) & PEER_GUIDED) != 0;

	if (argc == 2 && (!strcmp(argv[1], "stop") || !strcmp(argv[1], "off"))) {
		if (!in_lesson) {
			tx_emitf(&c->self, TX_NOTE, NULL, "No lesson is running.");
			return;
		}
		c->peer->ops->leave(c->peer);
		return;
	}
	if (c->o.lesson_open == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "lessons are not available here");
		return;
	}
	if (argc != 2) {
		console_info(c, &pi);
		if (in_lesson)
			tx_emitf(&c->self, TX_NOTE, NULL, "The lesson is '%s' (%s). :lesson stop leaves it; :lesson NAME starts another:",
			    pi.lesson, pi.title);
		else
			tx_emitf(&c->self, TX_NOTE, NULL, ":lesson NAME starts a lesson here; the lessons are:");
		if (c->o.lesson_each)
			c->o.lesson_each(c->o.lesson_ctx, list_one, c);
		return;
	}
	err[0] = 0;
	l = c->o.lesson_open(c->o.lesson_ctx, argv[1], err, sizeof err);
	if (l == NULL) {
		errors_out(c, err);
		return;
	}
	if (in_lesson)
		c->peer->ops->leave(c->peer);
	console_open_lesson(c, l);
}

static void m_hint(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	c->peer->ops->hint(c->peer);
}

static void m_skip(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (c->peer->ops->skip(c->peer) < 0)
		tx_emitf(&c->self, TX_ERROR, NULL, "this lesson cannot be skipped: every step counts");
}

static void m_quit(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_eof(c);
}

#define SIM PEER_CAN_SETUP
#define GUIDED PEER_GUIDED

static const struct meta metas[NMETAS] = {
	{ "help", "[COMMAND]", "list the meta-commands, or explain one", 0, 0, NULL, m_help },
	{ "explain", "TERM... | off | brief | full", "explain a code, enhanced code, keyword or command; or set how much the shell explains", 0, 0, NULL, m_explain },
	{ "state", "", "where the session stands and what may come next", 0, 0, NULL, m_state },
	{ "diagram", "", "the session's state diagram, with where you are marked", 0, 0, NULL, m_diagram },
	{ "role", "client|server", "play the client or the server (a new session)", SIM, GUIDED,
	  "works with the simulated server or client, not with this one (:quit leaves)", m_role },
	{ "persona", "[NAME]", "the simulated server you talk to (client role)", SIM, GUIDED,
	  "works with the simulated server or client, not with this one (:quit leaves)", m_persona },
	{ "scenario", "[NAME]", "what the simulated client does (server role)", SIM, GUIDED,
	  "works with the simulated server or client, not with this one (:quit leaves)", m_scenario },
	{ "restart", "", "connect again (the greylist remembers you); in a lesson, start it again", PEER_CAN_RESTART, 0,
	  "works with the simulated server or client; with a real one, :connect opens a new connection", m_restart },
	{ "fault", "VERB [N] CODE [ENH]", "make the server answer the Nth next VERB with CODE: :fault RCPT 3 452 4.5.3", PEER_CAN_FAULT, GUIDED,
	  "changes what the simulated server answers; it works in the client role", m_fault },
	{ "wait", "DURATION", "let simulated time pass (90s, 5m, 2h): the greylist counts it, an open connection may time out", PEER_CAN_WAIT, GUIDED,
	  "moves the simulated server's clock; it works in the client role (a lesson waits where it says)", m_wait },
	{ "pipe", "", "type several commands, then an empty line: they go out in one write", PEER_CAN_PIPE, GUIDED,
	  "groups commands; it works in the client role", m_pipe },
	{ "cancel", "", "drop a :pipe group, the lines waiting for a reply, or stop a replay", 0, 0, NULL, m_cancel },
	{ "save", "FILE", "save the transcript with swaks-style markers", 0, 0, NULL, m_save },
	{ "replay", "FILE", "step through a saved transcript, with explanations", 0, GUIDED, NULL, m_replay },
	{ "connect", "HOST [PORT] [--tls|--tls-on-connect]", "talk to a real server instead (smtpref connect does the same from the command line)", 0, GUIDED, NULL, m_connect },
	{ "auth", "plain|login USER", "log in to a real server: the password is asked without echo and never shown", PEER_CAN_LOGIN, 0,
	  "logs in to a real server; with the simulated one, type AUTH PLAIN ... yourself", m_auth },
	{ "auth!", "plain|login USER", "the same, even without TLS", PEER_CAN_LOGIN, 0,
	  "logs in to a real server; with the simulated one, type AUTH PLAIN ... yourself", m_auth },
	{ "starttls", "", "start TLS with a real server", PEER_CAN_STARTTLS, 0,
	  "is for a real server; with the simulated one, type STARTTLS", m_starttls },
	{ "lesson", "[NAME | stop]", "start a lesson here, list them, or leave the one running", SIM | GUIDED, 0,
	  "works with the simulated server or client, not with this one (:quit leaves)", m_lesson },
	{ "hint", "", "in a lesson: a hint for this step, a stronger one each time", GUIDED, 0,
	  "works in a lesson; :lesson lists them", m_hint },
	{ "skip", "", "in a lesson: go on to the next step, unless the lesson forbids it", GUIDED, 0,
	  "works in a lesson; :lesson lists them", m_skip },
	{ "quit", "", "leave (QUIT is sent first; a lesson's progress is kept)", 0, 0, NULL, m_quit },
};
_Static_assert(sizeof metas / sizeof metas[0] == NMETAS, "NMETAS counts metas[]");

/* split - words of a meta-command line into argv (modifies buf) */
static int split(char *buf, char **argv, int max)
{
	int argc = 0;
	char *p = buf;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == 0)
			break;
		if (argc == max)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = 0;
	}
	return argc;
}

/* refuse - say why m does not apply to the peer now */
static void refuse(struct console *c, const struct meta *m)
{
	if (m->refused & peer_caps(c->peer) & PEER_GUIDED)
		tx_emitf(&c->self, TX_ERROR, NULL, ":%s is not for a lesson: the lesson sets up the session (:lesson stop leaves it)", m->name);
	else
		tx_emitf(&c->self, TX_ERROR, NULL, ":%s %s", m->name,
		    m->why_not ? m->why_not : "does not apply here");
}

int console_meta(struct console *c, const char *line, size_t len, int strict)
{
	char *buf = malloc(len + 1), *argv[ARGS_MAX];
	const struct meta *m;
	int argc;

	if (buf == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		return 1;
	}
	memcpy(buf, line + 1, len - 1);
	buf[len - 1] = 0;
	argc = split(buf, argv, ARGS_MAX);
	m = argc > 0 ? meta_find(argv[0]) : NULL;
	if (m == NULL) {
		if (strict && argc > 0)
			tx_emitf(&c->self, TX_ERROR, NULL, "no meta-command ':%s'; :help lists them", argv[0]);
		else if (strict)
			tx_emitf(&c->self, TX_ERROR, NULL, "a meta-command follows the ':'; :help lists them");
		free(buf);
		return strict;
	}
	if (argc < 0)
		tx_emitf(&c->self, TX_ERROR, NULL, "too many words for ':%s'", argv[0]);
	else if (!applies(c, m))
		refuse(c, m);
	else
		m->run(c, argc, argv);
	free(buf);
	return 1;
}
