/* console.c - what the learner's lines do, whatever draws them
 *
 * Meta-commands start with ':', which no SMTP verb does.  Inside a
 * message only the known meta-commands are taken as such, so a message
 * line may still start with ':'.
 */
#include <config.h>

#include "console/console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "net/conn.h"
#include "net/net.h"
#include "console/record.h"
#include "core/reply.h"
#include "lesson/tutor.h"

#define PIPE_MAX 64		/* commands in one :pipe group */
#define ARGS_MAX 8

struct console {
	struct console_opts o;
	struct tx_sink out;		/* the front end */
	struct tx_sink self;		/* to_front: recorded, then drawn */
	struct session *s;
	struct record *rec;		/* the transcript, for :save */
	int quit;

	/* :pipe - commands collected for one write */
	int piping;
	char *pipe[PIPE_MAX];
	size_t pipe_len[PIPE_MAX], npipe;

	/* :replay - a saved transcript, stepped through */
	struct record *replay;
	size_t rpos;
	struct client *rcli;		/* tracks it, to check each reply */
	struct reply_acc racc;
	char *rwire;
	size_t rwlen;
	char rverb[16];			/* what the reply answers */
	int rmessage;			/* inside a message (after 354) */

	/* a real server instead of the simulated session */
	struct conn *conn;
	char host[256];

	/* a lesson, run instead of the session (the session waits) */
	struct tutor *tutor;
	struct lesson *pending;		/* to start with console_start */
	int unstarted;			/* the session has not started yet */
};

static int in_list(const char *const *names, const char *name)
{
	size_t i;

	for (i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* The meta-commands that only make sense with the simulated server. */
static int simulated_only(const char *name)
{
	static const char *const names[] = {
		"role", "persona", "scenario", "restart", "fault", "hint", "skip",
		"lesson", NULL
	};

	return in_list(names, name);
}

/* The meta-commands a lesson keeps for itself: it sets up the session. */
static int not_in_lesson(const char *name)
{
	static const char *const names[] = {
		"role", "persona", "scenario", "fault", "replay", "connect",
		"auth", "auth!", "starttls", NULL
	};

	return in_list(names, name);
}

/* ---- what the learner talks to: the session, or a lesson's peer ------ */

static const struct server *cur_server(const struct console *c)
{
	return c->tutor ? tutor_server(c->tutor) : session_server(c->s);
}

static const struct client *cur_client(const struct console *c)
{
	return c->tutor ? tutor_client(c->tutor) : session_client(c->s);
}

static enum session_role cur_role(const struct console *c)
{
	if (c->tutor)
		return tutor_client(c->tutor) ? SESSION_SERVER : SESSION_CLIENT;
	return session_role(c->s);
}

/* cur_mode - what the next line is, as a session mode; a lesson's
 * question is taken as a command line */
static enum session_mode cur_mode(const struct console *c)
{
	if (c->tutor == NULL)
		return session_mode(c->s);
	switch (tutor_wants(c->tutor)) {
	case TUTOR_MESSAGE: return SESSION_MESSAGE;
	case TUTOR_AUTH: return SESSION_AUTH;
	case TUTOR_REPLY: return SESSION_REPLY;
	case TUTOR_NOTHING: return SESSION_CLOSED;
	default: return SESSION_COMMAND;
	}
}

static void to_front(void *ctx, const struct tx_item *it)
{
	struct console *c = ctx;

	record_add(c->rec, it);
	if (c->out.item)
		c->out.item(c->out.ctx, it);
}

/* ---- the pipelined group --------------------------------------------- */

static void pipe_clear(struct console *c)
{
	size_t i;

	for (i = 0; i < c->npipe; i++)
		free(c->pipe[i]);
	c->npipe = 0;
	c->piping = 0;
}

static int pipe_send(struct console *c)
{
	int secret = 0;

	if (c->npipe > 0 && c->conn)
		conn_send_group(c->conn, (const char *const *)c->pipe, c->pipe_len,
		    c->npipe);
	else if (c->npipe > 0)
		secret = session_pipeline(c->s, (const char *const *)c->pipe,
		    c->pipe_len, c->npipe);
	else
		tx_emitf(&c->self, TX_NOTE, NULL, "The group was empty; nothing was sent.");
	pipe_clear(c);
	return secret;
}

static void pipe_add(struct console *c, const char *line, size_t len)
{
	char *copy;

	if (c->npipe == PIPE_MAX) {
		tx_emitf(&c->self, TX_ERROR, NULL, "a group holds at most %d commands; send it with an empty line", PIPE_MAX);
		return;
	}
	copy = malloc(len + 1);
	if (copy == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		return;
	}
	memcpy(copy, line, len);
	copy[len] = 0;
	c->pipe[c->npipe] = copy;
	c->pipe_len[c->npipe++] = len;
}

/* ---- replay ---------------------------------------------------------- */

static void replay_finding(void *ctx, const struct client_finding *f)
{
	struct console *c = ctx;

	if (f->kind == CLIENT_DECISION || f->kind == CLIENT_DIFFERS)
		return;		/* it tracks; it does not drive */
	tx_emitf(&c->self, TX_FINDING, f->kind == CLIENT_BAD_CODE ? "code" :
	    f->kind == CLIENT_BAD_ENHANCED ? "enhanced" : "bad",
	    "%s (%s)", f->text, f->section);
}

static void replay_stop(struct console *c)
{
	record_free(c->replay);
	client_free(c->rcli);
	free(c->rwire);
	c->replay = NULL;
	c->rcli = NULL;
	c->rwire = NULL;
}

static void explain_to(void *ctx, enum explain_kind kind, const char *text)
{
	struct console *c = ctx;

	tx_emitf(&c->self, TX_EXPLAIN, explain_kind_str(kind), "%s", text);
}

/* replay_reply - a whole reply of the replayed transcript: check and
 * explain it as the shell does a live one */
static void replay_reply(struct console *c)
{
	enum explain_level level = session_level(c->s);
	char enh[16] = "";

	if (c->racc.has_enh)
		snprintf(enh, sizeof enh, "%d.%d.%d", c->racc.enh.cls,
		    c->racc.enh.subject, c->racc.enh.detail);
	client_reply(c->rcli, c->rwire, c->rwlen);
	if (level != EXPLAIN_OFF)
		explain_code(c->racc.code, level == EXPLAIN_FULL ? enh : NULL,
		    c->rverb[0] ? c->rverb : NULL, explain_to, c);
	if (level == EXPLAIN_FULL && c->racc.code == 250 &&
	    strcmp(c->rverb, "EHLO") == 0) {
		const char *p = c->rwire, *end = c->rwire + c->rwlen;
		int first = 1;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n;

			if (nl == NULL)
				break;	/* a reply's lines end in CRLF */
			n = (size_t)(nl - p - 1);
			if (!first && n > 4)
				explain_ehlo_line(p + 4, n - 4, explain_to, c);
			first = 0;
			p = nl + 1;
		}
	}
	if (c->racc.code == 354)
		c->rmessage = 1;
	c->rwlen = 0;
	reply_acc_init(&c->racc);
}

/* replay_sent - a line the client sent: what its reply will answer */
static void replay_sent(struct console *c, const char *text)
{
	size_t n = strlen(text), i;

	client_sent(c->rcli, text, n);
	if (c->rmessage) {
		if (strcmp(text, ".") == 0) {
			c->rmessage = 0;
			snprintf(c->rverb, sizeof c->rverb, "DATA-END");
		}
		return;
	}
	for (i = 0; i < n && i < sizeof c->rverb - 1 && text[i] != ' '; i++)
		c->rverb[i] = (char)ascii_upper((unsigned char)text[i]);
	c->rverb[i] = 0;
}

/* replay_step - show entries up to the end of the next reply; 0 at the
 * end of the transcript */
static int replay_step(struct console *c)
{
	size_t total = record_count(c->replay);

	while (c->rpos < total) {
		const struct record_entry *e = record_get(c->replay, c->rpos++);
		size_t n = strlen(e->text);
		struct tx_item it = { TX_SENT, e->tls, 0, 0, 0, NULL, e->text, n };
		enum reply_acc_status st;

		switch (e->dir) {
		case RECORD_SENT:
			if (c->out.item)
				c->out.item(c->out.ctx, &it);
			replay_sent(c, e->text);
			break;
		case RECORD_NOTE:
		case RECORD_ERROR:
			it.kind = e->dir == RECORD_NOTE ? TX_NOTE : TX_ERROR;
			if (c->out.item)
				c->out.item(c->out.ctx, &it);
			break;
		case RECORD_RECEIVED:
			it.kind = TX_RECEIVED;
			it.code = atoi(e->text);
			if (c->out.item)
				c->out.item(c->out.ctx, &it);
			st = reply_acc_line(&c->racc, e->text, n);
			if (st == REPLY_ACC_BAD_LINE || st == REPLY_ACC_MIXED_CODES ||
			    st == REPLY_ACC_TOO_MANY) {
				tx_emitf(&c->self, TX_FINDING, "bad", "line %u of the transcript: %s (RFC 5321 4.2)",
				    e->line, reply_acc_status_str(st));
				c->rwlen = 0;
				reply_acc_init(&c->racc);
				return 1;
			}
			if (c->rwlen + n + 2 <= 65536) {
				memcpy(c->rwire + c->rwlen, e->text, n);
				memcpy(c->rwire + c->rwlen + n, "\r\n", 2);
				c->rwlen += n + 2;
			}
			if (st == REPLY_ACC_DONE) {
				replay_reply(c);
				return 1;
			}
			break;
		}
	}
	return 0;
}

static void replay_run(struct console *c)
{
	if (!c->o.interactive) {
		while (replay_step(c))
			;
		tx_emitf(&c->self, TX_NOTE, "replay", "End of the transcript.");
		replay_stop(c);
		return;
	}
	if (!replay_step(c)) {
		tx_emitf(&c->self, TX_NOTE, "replay", "End of the transcript.");
		replay_stop(c);
	}
}

/* ---- meta-commands --------------------------------------------------- */

struct meta {
	const char *name;
	const char *args;
	const char *help;
	void (*run)(struct console *c, int argc, char **argv);
};

#define NMETAS 21
static const struct meta metas[NMETAS];	/* defined after the commands */
static const size_t nmetas = NMETAS;

static const struct meta *meta_find(const char *name)
{
	size_t i;

	for (i = 0; i < nmetas; i++)
		if (strcmp(metas[i].name, name) == 0)
			return &metas[i];
	return NULL;
}

static void m_help(struct console *c, int argc, char **argv)
{
	size_t i;

	if (argc > 1) {
		const struct meta *m = meta_find(argv[1][0] == ':' ? argv[1] + 1 : argv[1]);

		if (m == NULL) {
			tx_emitf(&c->self, TX_ERROR, NULL, "no meta-command ':%s'; :help lists them", argv[1]);
			return;
		}
		tx_emitf(&c->self, TX_EXPLAIN, "help", ":%s %s - %s", m->name, m->args, m->help);
		return;
	}
	tx_emitf(&c->self, TX_EXPLAIN, "help", "%s", cur_role(c) == SESSION_CLIENT ?
	    "Type SMTP commands (EHLO, MAIL FROM:<...>, RCPT TO:<...>, DATA, QUIT); the simulated server answers." :
	    "Type the server's replies (220 ..., 250 OK, 354 ..., 221 Bye); the simulated client reacts.");
	tx_emitf(&c->self, TX_EXPLAIN, "help", "Lines starting with ':' are for smtpref:");
	for (i = 0; i < nmetas; i++)
		tx_emitf(&c->self, TX_EXPLAIN, "help", "  :%s%s%s - %s", metas[i].name,
		    metas[i].args[0] ? " " : "", metas[i].args, metas[i].help);
	tx_emitf(&c->self, TX_EXPLAIN, "help", "Keys: Tab completes, Up/Down recall history, Ctrl-C cancels the line, Ctrl-D leaves (after QUIT).");
}

/* explain_terms - the reference's own entry, as `smtpref TERM` prints */
static void explain_terms(struct console *c, int argc, char **argv)
{
	char *obuf = NULL, *ebuf = NULL;
	size_t olen = 0, elen = 0;
	FILE *o = open_memstream(&obuf, &olen), *e = open_memstream(&ebuf, &elen);

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
	{
		const char *p = obuf, *end = obuf + olen;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			struct tx_item it = { TX_EXPLAIN, 0, 0, 0, 0, "ref", p, n };

			if (c->out.item)
				c->out.item(c->out.ctx, &it);
			p = nl ? nl + 1 : end;
		}
	}
	if (elen > 0) {
		if (ebuf[elen - 1] == '\n')
			ebuf[--elen] = 0;
		/* "smtpref: TERM: why" - the prefix is the shell's to add */
		tx_emitf(&c->self, TX_ERROR, NULL, "%s", strncmp(ebuf, "smtpref: ", 9) == 0 ? ebuf + 9 : ebuf);
	}
	free(obuf);
	free(ebuf);
}

static const char *const level_names[] = { "off", "brief", "full" };

static void m_explain(struct console *c, int argc, char **argv)
{
	size_t i;

	if (argc == 1) {
		tx_emitf(&c->self, TX_NOTE, NULL, "Explanations are %s. ':explain off|brief|full' changes that; ':explain 553' explains a code.",
		    level_names[session_level(c->s)]);
		return;
	}
	if (argc == 2 || c->o.lookup == NULL)
		for (i = 0; i < 3; i++)
			if (strcmp(argv[1], level_names[i]) == 0) {
				session_set_level(c->s, (enum explain_level)i);
				if (c->tutor)
					tutor_set_level(c->tutor, (enum explain_level)i);
				tx_emitf(&c->self, TX_NOTE, NULL, "Explanations are %s now.", level_names[i]);
				return;
			}
	if (c->o.lookup == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, ":explain takes off, brief or full here");
		return;
	}
	explain_terms(c, argc, argv);
}

/* verb_offered - whether the server in this session offers verb now */
static int verb_usable(const struct server *srv, const struct ref_command *cmd)
{
	const struct ref_persona *p = server_persona(srv);

	if (!server_verb_allowed(srv, cmd->verb))
		return 0;
	if (strcmp(cmd->status, "obsolete") == 0 || strcmp(cmd->status, "vendor") == 0)
		return 0;
	if (cmd->keyword[0] == 0)
		return 1;
	if (server_ehlo_used(srv) == 1)
		return server_offers(srv, cmd->keyword);
	(void)p;
	return 0;
}

/* client_verb - the command a client in phase p waits on a reply to */
static const char *client_verb(enum client_phase p)
{
	switch (p) {
	case CLIENT_GREETING: return "CONNECT";
	case CLIENT_EHLO: return "EHLO";
	case CLIENT_HELO: return "HELO";
	case CLIENT_STARTTLS: return "STARTTLS";
	case CLIENT_AUTH: return "AUTH";
	case CLIENT_MAIL: return "MAIL";
	case CLIENT_RCPT: return "RCPT";
	case CLIENT_DATA: return "DATA";
	case CLIENT_MESSAGE: return "DATA-END";
	case CLIENT_BDAT: return "BDAT";
	case CLIENT_RSET: return "RSET";
	case CLIENT_QUIT: return "QUIT";
	default: return NULL;
	}
}

/* real_phase - where a session with a real server stands, as far as the
 * tracking client can tell: its phase is the last command sent */
static int real_phase(const struct console *c)
{
	int pending = conn_pending(c->conn) > 0;
	int ok = conn_last_code(c->conn) / 100 == 2 || conn_last_code(c->conn) / 100 == 3;

	if (conn_closed(c->conn))
		return SERVER_CLOSED;
	switch (conn_phase(c->conn)) {
	case CLIENT_GREETING: return pending ? SERVER_CONNECTED : SERVER_GREETED;
	case CLIENT_EHLO: case CLIENT_HELO: case CLIENT_STARTTLS:
		return pending || !ok ? SERVER_GREETED : SERVER_READY;
	case CLIENT_MAIL: return pending || !ok ? SERVER_READY : SERVER_MAIL;
	case CLIENT_RCPT: return pending || !ok ? SERVER_MAIL : SERVER_RCPT;
	case CLIENT_DATA: return pending || !ok ? SERVER_RCPT : SERVER_DATA;
	case CLIENT_MESSAGE: case CLIENT_BDAT: return pending ? SERVER_DATA : SERVER_READY;
	case CLIENT_QUIT: case CLIENT_DONE: return SERVER_CLOSED;
	default: return SERVER_READY;
	}
}

/* any_listed - whether the real server's EHLO reply listed any keyword
 * of list */
static int conn_offers_any(const struct conn *conn, const char *list)
{
	const char *cur = list, *tok;
	size_t n;
	char kw[64];

	while (ref_list_next(&cur, &tok, &n)) {
		snprintf(kw, sizeof kw, "%.*s", (int)n, tok);
		if (conn_offers(conn, kw))
			return 1;
	}
	return 0;
}

size_t console_next(const struct console *c, char *buf, size_t size)
{
	size_t i, off = 0;

	buf[0] = 0;
	if (c->conn) {
		const char *key = server_phase_key((enum server_phase)real_phase(c));

		if (key == NULL || conn_input(c->conn) != CONN_IN_COMMAND)
			return 0;
		for (i = 0; i < ref_command_count; i++) {
			const struct ref_command *cmd = &ref_command_table[i];
			int n;

			if (!ref_list_has(cmd->phases, key, strlen(key)) ||
			    strcmp(cmd->status, "obsolete") == 0 ||
			    strcmp(cmd->status, "vendor") == 0 ||
			    (cmd->keyword[0] && !conn_offers_any(c->conn, cmd->keyword)))
				continue;
			n = snprintf(buf + off, size - off, "%s%s", off ? " " : "", cmd->verb);
			if (n > 0 && (size_t)n < size - off)
				off += (size_t)n;
		}
		return off;
	}
	if (cur_role(c) == SESSION_CLIENT) {
		const struct server *srv = cur_server(c);
		enum server_phase ph = server_phase(srv);

		if (ph == SERVER_DATA || ph == SERVER_CLOSED || ph == SERVER_AUTH)
			return 0;
		for (i = 0; i < ref_command_count; i++) {
			const struct ref_command *cmd = &ref_command_table[i];
			int n;

			if (!verb_usable(srv, cmd))
				continue;
			n = snprintf(buf + off, size - off, "%s%s", off ? " " : "", cmd->verb);
			if (n > 0 && (size_t)n < size - off)
				off += (size_t)n;
		}
	} else {
		const struct client *cl = cur_client(c);
		const char *verb = client_verb(client_phase(cl));

		if (verb == NULL || client_phase(cl) == CLIENT_DONE)
			return 0;
		for (i = 0; i < ref_code_count; i++) {
			int n, code = ref_code_table[i].code;

			if (!server_reply_allowed(verb, code))
				continue;
			n = snprintf(buf + off, size - off, "%s%d", off ? " " : "", code);
			if (n > 0 && (size_t)n < size - off)
				off += (size_t)n;
		}
	}
	return off;
}

const char *console_waiting_for(const struct console *c)
{
	if (c->conn || cur_role(c) == SESSION_CLIENT)
		return NULL;
	return client_verb(client_phase(cur_client(c)));
}

int console_phase(const struct console *c)
{
	if (c->conn)
		return real_phase(c);
	if (cur_role(c) == SESSION_CLIENT) {
		int phase = (int)server_phase(cur_server(c));

		if (phase == SERVER_BDAT)
			return SERVER_DATA;
		if (phase == SERVER_AUTH || phase == SERVER_TLS)
			return SERVER_READY;
		if (phase == SERVER_REFUSED)
			return SERVER_GREETED;
		return phase;
	}
	/* the client's phase says what it waits a reply to: the session
	 * is still where it was before that command */
	switch (client_phase(cur_client(c))) {
	case CLIENT_GREETING: return SERVER_CONNECTED;
	case CLIENT_EHLO: case CLIENT_HELO: return SERVER_GREETED;
	case CLIENT_MAIL: case CLIENT_STARTTLS: case CLIENT_AUTH:
	case CLIENT_RSET: case CLIENT_OTHER: return SERVER_READY;
	case CLIENT_RCPT: return SERVER_MAIL;
	case CLIENT_DATA: return SERVER_RCPT;
	case CLIENT_MESSAGE: case CLIENT_BDAT: return SERVER_DATA;
	default: return SERVER_CLOSED;
	}
}

static void m_state(struct console *c, int argc, char **argv)
{
	char buf[1024];

	(void)argc;
	(void)argv;
	if (c->conn) {
		tx_emitf(&c->self, TX_EXPLAIN, "state", "You are the client of the real server %s; the connection is %s.",
		    c->host, conn_state_str(conn_state(c->conn)));
		tx_emitf(&c->self, TX_EXPLAIN, "state", "Client: %s; TLS %s; replies awaited: %zu.",
		    client_phase_str(conn_phase(c->conn)), conn_tls_on(c->conn) ? "on" : "off",
		    conn_pending(c->conn));
		if (conn_input(c->conn) == CONN_IN_MESSAGE)
			tx_emitf(&c->self, TX_EXPLAIN, "state", "You are typing the message; a line with a single . ends it.");
		else if (!conn_closed(c->conn)) {
			console_next(c, buf, sizeof buf);
			tx_emitf(&c->self, TX_EXPLAIN, "state", "A client may send now: %s", buf[0] ? buf : "(nothing)");
		}
		return;
	}
	if (c->tutor) {
		const struct lesson *l = tutor_lesson(c->tutor);

		tx_emitf(&c->self, TX_EXPLAIN, "state", "Lesson: %s, step %zu of %zu.", l->title,
		    tutor_step(c->tutor) + 1, l->nsteps);
	}
	if (cur_role(c) == SESSION_CLIENT) {
		const struct server *srv = cur_server(c);
		int ehlo = server_ehlo_used(srv);

		tx_emitf(&c->self, TX_EXPLAIN, "state", "You are the client; the server is the '%s' persona (%s).",
		    server_persona(srv)->name, server_persona(srv)->hostname);
		tx_emitf(&c->self, TX_EXPLAIN, "state", "Session: %s. Greeted with %s; TLS %s; %s.",
		    server_phase_str(server_phase(srv)),
		    ehlo == 1 ? "EHLO" : ehlo == 2 ? "HELO" : "nothing yet",
		    server_tls_active(srv) ? "on" : "off",
		    server_authenticated(srv) ? "authenticated" : "not authenticated");
		if (ehlo == 1)
			tx_emitf(&c->self, TX_EXPLAIN, "state", "Extensions announced: %s", server_keywords(srv));
		if (server_phase(srv) == SERVER_RCPT)
			tx_emitf(&c->self, TX_EXPLAIN, "state", "Recipients accepted so far: %zu", server_rcpt_count(srv));
		if (server_phase(srv) == SERVER_DATA) {
			tx_emitf(&c->self, TX_EXPLAIN, "state", "You are typing the message; a line with a single . ends it.");
			return;
		}
		if (server_phase(srv) == SERVER_CLOSED) {
			tx_emitf(&c->self, TX_EXPLAIN, "state", "Nothing can be sent: :restart connects again.");
			return;
		}
		console_next(c, buf, sizeof buf);
		tx_emitf(&c->self, TX_EXPLAIN, "state", "You may send now: %s", buf[0] ? buf : "(nothing)");
	} else {
		const struct client *cl = cur_client(c);
		const char *verb = console_waiting_for(c);

		if (c->tutor)
			tx_emitf(&c->self, TX_EXPLAIN, "state", "You are the server; the lesson's simulated client talks to you.");
		else
			tx_emitf(&c->self, TX_EXPLAIN, "state", "You are the server; the client plays the '%s' scenario.",
			    session_opts(c->s)->scenario->name);
		tx_emitf(&c->self, TX_EXPLAIN, "state", "Client: %s; TLS %s.", client_phase_str(client_phase(cl)),
		    (c->tutor ? tutor_tls(c->tutor) : session_tls(c->s)) ? "on" : "off");
		if (verb == NULL || client_phase(cl) == CLIENT_DONE)
			return;
		console_next(c, buf, sizeof buf);
		tx_emitf(&c->self, TX_EXPLAIN, "state", "Replies a server may give to %s: %s", verb, buf[0] ? buf : "(none)");
	}
}

/* The diagram: one row per line, with the phase it stands for (or -1). */
static const struct {
	int phase;
	const char *text;
} diagram[] = {
	{ SERVER_CONNECTED, "( connect )" },
	{ -1, "     |  220 greeting          554/521 greeting -> [ refused ] -- QUIT -->" },
	{ -1, "     v" },
	{ SERVER_GREETED, "[ greeted ]  <------------------- STARTTLS 220: TLS, start over ----+" },
	{ -1, "     |  EHLO/HELO 250                                                  |" },
	{ -1, "     v                                                                 |" },
	{ SERVER_READY, "[ ready ]  <---------- RSET 250, or 250 after the message ------+   |" },
	{ -1, "     |  MAIL FROM 250          (AUTH 334 ... 235 from ready)     |   |" },
	{ -1, "     v                                                           |   |" },
	{ SERVER_MAIL, "[ mail ]   sender given -------------------------------------->+---+" },
	{ -1, "     |  RCPT TO 250/251                                          |" },
	{ -1, "     v                                                           |" },
	{ SERVER_RCPT, "[ rcpt ]   recipients given (more RCPT stay here) ------------>+" },
	{ -1, "     |  DATA 354, or BDAT                                        |" },
	{ -1, "     v                                                           |" },
	{ SERVER_DATA, "[ data ]   the message, ended by a line with a single . ------+" },
	{ -1, "" },
	{ SERVER_CLOSED, "( closed )  after QUIT 221, a 421, or a dropped connection" },
};

static void m_diagram(struct console *c, int argc, char **argv)
{
	size_t i;
	int phase = console_phase(c);

	(void)argc;
	(void)argv;
	for (i = 0; i < sizeof diagram / sizeof diagram[0]; i++)
		tx_emitf(&c->self, TX_EXPLAIN, diagram[i].phase == phase ? "you are" : "diagram",
		    "%s %s", diagram[i].phase == phase ? "=>" : "  ", diagram[i].text);
	if (cur_role(c) == SESSION_SERVER)
		tx_emitf(&c->self, TX_EXPLAIN, "diagram", "   (you play the server: the client is %s)",
		    client_phase_str(client_phase(cur_client(c))));
}

static void restart(struct console *c)
{
	pipe_clear(c);
	replay_stop(c);
	session_restart(c->s);
}

/* new_session - replace the session after a change of role or persona */
static void new_session(struct console *c)
{
	struct tx_sink sink = { c, to_front };
	struct session *s;
	struct session_opts o = c->o.session;

	o.level = session_level(c->s);
	s = session_new(&o, &sink);
	if (s == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		return;
	}
	pipe_clear(c);
	replay_stop(c);
	session_free(c->s);
	c->s = s;
	c->o.session = o;
	tx_emitf(&c->self, TX_NOTE, NULL, "A new session: you are the %s.",
	    o.role == SESSION_CLIENT ? "client" : "server");
	session_start(s);
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

	if (argc != 2) {
		tx_emitf(&c->self, TX_NOTE, NULL, "The persona is '%s'. :persona NAME changes it; the personas are:",
		    c->o.session.persona ? c->o.session.persona->name : "modern");
		for (size_t i = 0; i < ref_persona_count; i++)
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

	if (argc != 2) {
		tx_emitf(&c->self, TX_NOTE, NULL, "The scenario is '%s'. :scenario NAME changes it; the scenarios are:",
		    c->o.session.scenario ? c->o.session.scenario->name : "plain");
		for (size_t i = 0; i < ref_scenario_count; i++)
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
	if (c->tutor)
		tutor_restart(c->tutor);
	else
		restart(c);
}

/* ---- lessons --------------------------------------------------------- */

static void back_from_lesson(struct console *c);

/* lesson_over - after each line of a lesson: when it is over, back to
 * the shell's own session (or done, for smtpref lesson run) */
static void lesson_over(struct console *c)
{
	if (c->tutor == NULL || !tutor_done(c->tutor))
		return;
	tutor_free(c->tutor);
	c->tutor = NULL;
	back_from_lesson(c);
}

/* back_from_lesson - no lesson runs any more */
static void back_from_lesson(struct console *c)
{
	if (c->o.lesson_only) {
		c->quit = 1;
		return;
	}
	tx_emitf(&c->self, TX_NOTE, NULL, "Back to the shell's own session (:state shows where it stands).");
	if (c->unstarted) {
		c->unstarted = 0;
		session_start(c->s);
	}
}

int console_lesson(struct console *c, struct lesson *l)
{
	struct tutor_opts to = { session_level(c->s), c->o.progress_dir };
	struct tutor *t;

	pipe_clear(c);
	replay_stop(c);
	t = tutor_new(l, &to, &c->self);
	if (t == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		if (c->tutor == NULL)
			back_from_lesson(c);
		return -1;
	}
	tutor_free(c->tutor);
	c->tutor = t;
	tutor_start(t);
	lesson_over(c);
	return 0;
}

const struct tutor *console_tutor(const struct console *c)
{
	return c->tutor;
}

static void m_hint(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tutor_hint(c->tutor);
}

static void m_skip(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (tutor_skip(c->tutor) < 0)
		tx_emitf(&c->self, TX_ERROR, NULL, "this lesson cannot be skipped: every step counts");
	lesson_over(c);
}

static void list_one(void *ctx, const struct lesson *l)
{
	struct console *c = ctx;

	tx_emitf(&c->self, TX_EXPLAIN, "lesson", "%s (%u min): %s", l->name, l->minutes, l->title);
}

static void m_lesson(struct console *c, int argc, char **argv)
{
	char err[4096];
	struct lesson *l;

	if (argc == 2 && (!strcmp(argv[1], "stop") || !strcmp(argv[1], "off"))) {
		if (c->tutor == NULL) {
			tx_emitf(&c->self, TX_NOTE, NULL, "No lesson is running.");
			return;
		}
		tutor_leave(c->tutor);
		lesson_over(c);
		return;
	}
	if (c->o.lesson_open == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "lessons are not available here");
		return;
	}
	if (argc != 2) {
		if (c->tutor)
			tx_emitf(&c->self, TX_NOTE, NULL, "The lesson is '%s' (%s). :lesson stop leaves it; :lesson NAME starts another:",
			    tutor_lesson(c->tutor)->name, tutor_lesson(c->tutor)->title);
		else
			tx_emitf(&c->self, TX_NOTE, NULL, ":lesson NAME starts a lesson here; the lessons are:");
		if (c->o.lesson_each)
			c->o.lesson_each(c->o.lesson_ctx, list_one, c);
		return;
	}
	err[0] = 0;
	l = c->o.lesson_open(c->o.lesson_ctx, argv[1], err, sizeof err);
	if (l == NULL) {
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
		return;
	}
	if (c->tutor)
		tutor_leave(c->tutor);
	console_lesson(c, l);
}

/* parse_int - a whole decimal number in [lo, hi], or -1 */
static int parse_int(const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == 0 || *end != 0 || v < lo || v > hi)
		return -1;
	return (int)v;
}

static void m_fault(struct console *c, int argc, char **argv)
{
	int nth = 1, code, i = 2;
	const char *enh = "";
	char verb[16];
	size_t k;

	if (argc < 3 || argc > 5) {
		tx_emitf(&c->self, TX_ERROR, NULL, "usage: :fault VERB [N] CODE [ENHANCED], e.g. :fault RCPT 3 452 4.5.3");
		return;
	}
	if (cur_role(c) != SESSION_CLIENT) {
		tx_emitf(&c->self, TX_ERROR, NULL, ":fault changes what the simulated server answers; it works in the client role");
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
		tx_emitf(&c->self, TX_ERROR, NULL, "usage: :fault VERB [N] CODE [ENHANCED], e.g. :fault RCPT 3 452 4.5.3");
		return;
	}
	if (session_fault(c->s, verb, nth, code, enh) < 0) {
		tx_emitf(&c->self, TX_ERROR, NULL, ":fault: the server cannot answer %s with %d%s%s (a known verb, a 4xx/5xx code and an enhanced code of the same class)",
		    verb, code, *enh ? " " : "", enh);
		return;
	}
	tx_emitf(&c->self, TX_NOTE, "fault", "The %d%s %s from now on will be answered %d%s%s.", nth,
	    nth % 10 == 1 && nth % 100 != 11 ? "st" : nth % 10 == 2 && nth % 100 != 12 ? "nd" :
	    nth % 10 == 3 && nth % 100 != 13 ? "rd" : "th", verb, code, *enh ? " " : "", enh);
}

static void m_pipe(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (c->tutor) {
		tx_emitf(&c->self, TX_NOTE, "lesson", "In a lesson, the step that wants a pipelined group collects your lines by itself: type them, then an empty line.");
		return;
	}
	if (c->conn == NULL && cur_role(c) != SESSION_CLIENT) {
		tx_emitf(&c->self, TX_ERROR, NULL, ":pipe groups commands; it works in the client role");
		return;
	}
	pipe_clear(c);
	c->piping = 1;
	tx_emitf(&c->self, TX_NOTE, "pipeline", "Type the commands of the group, one a line; an empty line sends them all in one write (:cancel drops them).");
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
	struct client_sink sink = { c, replay_finding };

	if (argc != 2) {
		tx_emitf(&c->self, TX_ERROR, NULL, "usage: :replay FILE");
		return;
	}
	replay_stop(c);
	c->replay = record_load(argv[1], err, sizeof err);
	if (c->replay == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "%s", err);
		return;
	}
	c->rcli = client_new(NULL, &sink);
	c->rwire = malloc(65536);
	if (c->rcli == NULL || c->rwire == NULL) {
		replay_stop(c);
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		return;
	}
	c->rpos = 0;
	c->rwlen = 0;
	c->rverb[0] = 0;
	c->rmessage = 0;
	reply_acc_init(&c->racc);
	tx_emitf(&c->self, TX_NOTE, "replay", "Replaying %s (%zu lines)%s", argv[1], record_count(c->replay),
	    c->o.interactive ? ": Enter shows the next reply, q stops." : ".");
	replay_run(c);
}

/* ---- a real server ---------------------------------------------------- */

static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

static void m_connect(struct console *c, int argc, char **argv)
{
	struct conn_opts o;
	char helo[256];
	int i, port = 25;

	memset(&o, 0, sizeof o);
	o.timeout_ms = 30000;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--starttls") == 0)
			o.tls = CONN_TLS_STARTTLS;
		else if (strcmp(argv[i], "--tls") == 0)
			o.tls = CONN_TLS_IMPLICIT;
		else if (strcmp(argv[i], "--insecure") == 0)
			o.insecure = 1;
		else if (strcmp(argv[i], "--helo") == 0 && i + 1 < argc)
			o.helo = argv[++i];
		else if (argv[i][0] == '-') {
			tx_emitf(&c->self, TX_ERROR, NULL, ":connect: unknown option '%s' (known: --starttls, --tls, --insecure, --helo NAME)", argv[i]);
			return;
		} else if (o.host == NULL)
			o.host = argv[i];
		else if ((port = parse_int(argv[i], 1, 65535)) < 0) {
			tx_emitf(&c->self, TX_ERROR, NULL, ":connect: '%s' is not a port number", argv[i]);
			return;
		}
	}
	if (o.host == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "usage: :connect HOST [PORT] [--starttls|--tls] [--insecure] [--helo NAME]");
		return;
	}
	if (port == 465 && o.tls == CONN_TLS_NONE)
		o.tls = CONN_TLS_IMPLICIT;
	o.port = (unsigned)port;
	if (o.helo == NULL) {
		net_default_helo(helo, sizeof helo);
		o.helo = helo;
	}
	console_connect(c, &o);
}

static void m_auth(struct console *c, int argc, char **argv)
{
	char pw[1024];
	const char *env = getenv("SMTPREF_PASSWORD");
	int insist = strcmp(argv[0], "auth!") == 0;

	if (c->conn == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, ":auth logs in to a real server; with the simulated one, type AUTH PLAIN ... yourself");
		return;
	}
	if (argc != 3 || (strcmp(argv[1], "plain") && strcmp(argv[1], "login"))) {
		tx_emitf(&c->self, TX_ERROR, NULL, "usage: :auth plain|login USER (:auth! sends it even without TLS)");
		return;
	}
	if (!conn_tls_on(c->conn) && !insist) {
		conn_auth(c->conn, argv[1], argv[2], "", 0);	/* says why not */
		return;
	}
	if (env && strlen(env) < sizeof pw)
		snprintf(pw, sizeof pw, "%s", env);
	else if (c->o.ask_password == NULL ||
	    c->o.ask_password(c->o.ask_ctx, argv[2], pw, sizeof pw) != 0) {
		tx_emitf(&c->self, TX_ERROR, NULL, "no password: set SMTPREF_PASSWORD, or run smtpref on a terminal");
		return;
	}
	conn_auth(c->conn, argv[1], argv[2], pw, insist);
	wipe(pw, sizeof pw);
}

static void m_starttls(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (c->conn == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, ":starttls is for a real server; with the simulated one, type STARTTLS");
		return;
	}
	conn_starttls(c->conn);
}

int console_connect(struct console *c, const struct conn_opts *o)
{
	struct tx_sink sink = { c, to_front };

	pipe_clear(c);
	replay_stop(c);
	if (c->conn) {
		conn_close(c->conn);
		conn_free(c->conn);
	}
	snprintf(c->host, sizeof c->host, "%s", o->host);
	c->conn = conn_new(o, &sink);
	if (c->conn == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		return -1;
	}
	return conn_open(c->conn);
}

int console_fd(const struct console *c)
{
	return c->conn ? conn_fd(c->conn) : -1;
}

int console_timeout(const struct console *c)
{
	return c->conn ? conn_timeout(c->conn) : -1;
}

void console_process(struct console *c)
{
	if (c->conn)
		conn_process(c->conn);
}

void console_wait(struct console *c)
{
	if (c->conn)
		conn_wait(c->conn);
}

int console_tls(const struct console *c)
{
	if (c->conn)
		return conn_tls_on(c->conn);
	if (c->tutor)
		return tutor_tls(c->tutor);
	return session_tls(c->s);
}

const char *console_real_host(const struct console *c)
{
	return c->conn ? c->host : NULL;
}

int console_exit_status(const struct console *c)
{
	if (c->conn == NULL)
		return 0;
	switch (conn_state(c->conn)) {
	case CONN_ENDED: return 0;
	case CONN_NETWORK: case CONN_TLS_FAILED: return 3;
	default: return 1;
	}
}

static void m_quit(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_eof(c);
}

static void m_cancel(struct console *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_interrupt(c);
}

static const struct meta metas[NMETAS] = {
	{ "help", "[COMMAND]", "list the meta-commands, or explain one", m_help },
	{ "explain", "TERM... | off | brief | full", "explain a code, enhanced code, keyword or command; or set how much the shell explains", m_explain },
	{ "state", "", "where the session stands and what may come next", m_state },
	{ "diagram", "", "the session's state diagram, with where you are marked", m_diagram },
	{ "role", "client|server", "play the client or the server (a new session)", m_role },
	{ "persona", "[NAME]", "the simulated server you talk to (client role)", m_persona },
	{ "scenario", "[NAME]", "what the simulated client does (server role)", m_scenario },
	{ "restart", "", "connect again (the greylist remembers you); in a lesson, start it again", m_restart },
	{ "fault", "VERB [N] CODE [ENH]", "make the server answer the Nth next VERB with CODE: :fault RCPT 3 452 4.5.3", m_fault },
	{ "pipe", "", "type several commands, then an empty line: they go out in one write", m_pipe },
	{ "cancel", "", "drop a :pipe group or stop a replay", m_cancel },
	{ "save", "FILE", "save the transcript with swaks-style markers", m_save },
	{ "replay", "FILE", "step through a saved transcript, with explanations", m_replay },
	{ "connect", "HOST [PORT] [--starttls|--tls]", "talk to a real server instead (smtpref connect does the same from the command line)", m_connect },
	{ "auth", "plain|login USER", "log in to a real server: the password is asked without echo and never shown", m_auth },
	{ "auth!", "plain|login USER", "the same, even without TLS", m_auth },
	{ "starttls", "", "start TLS with a real server", m_starttls },
	{ "lesson", "[NAME | stop]", "start a lesson here, list them, or leave the one running", m_lesson },
	{ "hint", "", "in a lesson: a hint for this step, a stronger one each time", m_hint },
	{ "skip", "", "in a lesson: go on to the next step, unless the lesson forbids it", m_skip },
	{ "quit", "", "leave (QUIT is sent first; a lesson's progress is kept)", m_quit },
};
_Static_assert(sizeof metas / sizeof metas[0] == NMETAS, "NMETAS counts metas[]");

const char *console_meta_name(size_t i)
{
	return i < nmetas ? metas[i].name : NULL;
}

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

/* meta - run a meta-command line; 0 when line is not one (only in a
 * message, where unknown ones are text) */
static int meta(struct console *c, const char *line, size_t len, int strict)
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
		if (strict) {
			if (argc > 0)
				tx_emitf(&c->self, TX_ERROR, NULL, "no meta-command ':%s'; :help lists them", argv[0]);
			else
				tx_emitf(&c->self, TX_ERROR, NULL, "a meta-command follows the ':'; :help lists them");
		}
		free(buf);
		return strict;
	}
	if (argc < 0)
		tx_emitf(&c->self, TX_ERROR, NULL, "too many words for ':%s'", argv[0]);
	else if (c->conn && simulated_only(m->name))
		tx_emitf(&c->self, TX_ERROR, NULL, ":%s works with the simulated server; this is a real one (:quit leaves it)", m->name);
	else if (c->tutor && not_in_lesson(m->name))
		tx_emitf(&c->self, TX_ERROR, NULL, ":%s is not for a lesson: the lesson sets up the session (:lesson stop leaves it)", m->name);
	else if (c->tutor == NULL && (!strcmp(m->name, "hint") || !strcmp(m->name, "skip")))
		tx_emitf(&c->self, TX_ERROR, NULL, ":%s works in a lesson; :lesson lists them", m->name);
	else
		m->run(c, argc, argv);
	free(buf);
	return 1;
}

/* ---- the console ----------------------------------------------------- */

struct console *console_new(const struct console_opts *o,
    const struct tx_sink *sink)
{
	struct console *c = calloc(1, sizeof *c);
	struct tx_sink mine = { c, to_front };

	if (c == NULL) {
		lesson_free(o->lesson);
		return NULL;
	}
	c->o = *o;
	c->o.lesson = NULL;
	c->pending = o->lesson;
	if (sink)
		c->out = *sink;
	c->self = mine;
	c->rec = record_new();
	c->s = session_new(&o->session, &mine);
	if (c->rec == NULL || c->s == NULL) {
		console_free(c);
		return NULL;
	}
	c->o.session = *session_opts(c->s);
	return c;
}

void console_free(struct console *c)
{
	if (c == NULL)
		return;
	if (c->conn) {
		conn_close(c->conn);
		conn_free(c->conn);
	}
	pipe_clear(c);
	replay_stop(c);
	tutor_free(c->tutor);
	lesson_free(c->pending);
	session_free(c->s);
	record_free(c->rec);
	free(c);
}

void console_start(struct console *c)
{
	/* with a real server, its greeting came with console_connect */
	if (c->pending) {
		struct lesson *l = c->pending;

		c->pending = NULL;
		c->unstarted = 1;	/* the session starts after the lesson */
		console_lesson(c, l);
		return;
	}
	if (c->conn == NULL)
		session_start(c->s);
}


int console_line(struct console *c, const char *line, size_t len)
{
	enum session_mode mode = c->conn ? (conn_input(c->conn) == CONN_IN_MESSAGE ?
	    SESSION_MESSAGE : SESSION_COMMAND) : cur_mode(c);

	if (c->replay) {
		if (len == 1 && (line[0] == 'q' || line[0] == 'Q')) {
			replay_stop(c);
			tx_emitf(&c->self, TX_NOTE, "replay", "Replay stopped.");
			return 0;
		}
		if (len > 0 && line[0] == ':')
			return meta(c, line, len, 1), 0;
		if (len > 0)
			tx_emitf(&c->self, TX_NOTE, "replay", "Enter shows the next reply; q stops the replay.");
		else
			replay_run(c);
		return 0;
	}
	if (len > 0 && line[0] == ':') {
		int strict = mode != SESSION_MESSAGE;

		if (meta(c, line, len, strict))
			return 0;
	}
	if (c->tutor) {
		int secret = tutor_line(c->tutor, line, len);

		lesson_over(c);
		return secret;
	}
	if (c->piping) {
		if (len == 0)
			return pipe_send(c);
		pipe_add(c, line, len);
		return 0;
	}
	if (c->conn) {
		int secret = conn_input(c->conn) == CONN_IN_AUTH || tx_auth_response(line, len) != 0;

		if (conn_closed(c->conn))
			tx_emitf(&c->self, TX_ERROR, NULL, "the connection is closed; :connect opens another, :quit leaves");
		else
			conn_send(c->conn, line, len);
		return secret;
	}
	return session_input(c->s, line, len);
}

int console_paste(struct console *c, const char *text, size_t len)
{
	const char *lines[PIPE_MAX];
	size_t lens[PIPE_MAX], n = 0;
	const char *p = text, *end = text + len;
	int secret = 0;

	/* a group only where a group makes sense: commands, client role,
	 * no meta-command among them */
	int group = !c->replay && !c->piping &&
	    cur_mode(c) == SESSION_COMMAND;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (group && l > 0 && p[0] == ':')
			group = 0;
		if (n < PIPE_MAX && (l > 0 || !group)) {
			lines[n] = p;
			lens[n++] = l;
		} else if (n == PIPE_MAX)
			group = 0;
		p = nl ? nl + 1 : end;
	}
	if (group && n > 1 && c->tutor) {
		secret = tutor_group(c->tutor, lines, lens, n);
		lesson_over(c);
		return secret;
	}
	if (group && n > 1)
		return session_pipeline(c->s, lines, lens, n);
	/* one by one, so meta-commands and message lines work as typed */
	p = text;
	while (p < end && !c->quit) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l > 0 && p[l - 1] == '\r')
			l--;
		secret |= console_line(c, p, l);
		p = nl ? nl + 1 : end;
	}
	return secret;
}

void console_eof(struct console *c)
{
	pipe_clear(c);
	replay_stop(c);
	if (c->tutor) {
		/* the lesson's peer is not a session to leave politely: the
		 * learner stops, and the progress is kept */
		tutor_leave(c->tutor);
		tutor_free(c->tutor);
		c->tutor = NULL;
	} else if (c->conn) {
		if (!conn_closed(c->conn) && conn_input(c->conn) == CONN_IN_COMMAND) {
			tx_emitf(&c->self, TX_NOTE, NULL, "Leaving: QUIT is sent first, as a polite client does (RFC 5321 4.1.1.10).");
			if (conn_send(c->conn, "QUIT", 4) == 0)
				conn_wait(c->conn);
		} else if (!conn_closed(c->conn)) {
			tx_emitf(&c->self, TX_NOTE, NULL, "Leaving in the middle of a message or an AUTH exchange: the connection is closed and the server drops what was unfinished (RFC 5321 3.8).");
			conn_close(c->conn);
		}
	} else
		session_end(c->s);
	c->quit = 1;
}

void console_interrupt(struct console *c)
{
	if (c->tutor && tutor_cancel(c->tutor))
		tx_emitf(&c->self, TX_NOTE, "pipeline", "The group was dropped; nothing was sent.");
	if (c->piping) {
		pipe_clear(c);
		tx_emitf(&c->self, TX_NOTE, "pipeline", "The group was dropped; nothing was sent.");
	}
	if (c->replay) {
		replay_stop(c);
		tx_emitf(&c->self, TX_NOTE, "replay", "Replay stopped.");
	}
}

int console_done(const struct console *c)
{
	return c->quit;
}

const char *console_prompt(const struct console *c)
{
	if (c->replay)
		return "replay> ";
	if (c->tutor)
		return tutor_prompt(c->tutor);
	if (c->piping)
		return "pipe> ";
	if (c->conn) {
		if (conn_closed(c->conn))
			return "closed> ";
		switch (conn_input(c->conn)) {
		case CONN_IN_MESSAGE: return "data> ";
		case CONN_IN_AUTH: return "auth> ";
		case CONN_IN_CHUNK: return "chunk> ";
		default: return "smtp> ";
		}
	}
	switch (cur_mode(c)) {
	case SESSION_MESSAGE: return "data> ";
	case SESSION_AUTH: return "auth> ";
	case SESSION_REPLY: return "reply> ";
	case SESSION_REPLY_MORE: return "reply+ ";
	case SESSION_CLOSED: return "closed> ";
	default: return "smtp> ";
	}
}

struct session *console_session(struct console *c)
{
	return c->s;
}

/* ---- completion ------------------------------------------------------ */

struct cand {
	const char *word;
	size_t len;
	void (*add)(void *ctx, const char *candidate);
	void *ctx;
};

/* offer - pass candidate on when it starts with the word (any case) */
static void offer(struct cand *k, const char *candidate)
{
	if (strlen(candidate) >= k->len) {
		size_t i;

		for (i = 0; i < k->len; i++)
			if (ascii_lower((unsigned char)candidate[i]) !=
			    ascii_lower((unsigned char)k->word[i]))
				return;
		k->add(k->ctx, candidate);
	}
}

static void offer_lesson(void *ctx, const struct lesson *l)
{
	offer(ctx, l->name);
}

static void offer_list(struct cand *k, const char *list, const char *suffix)
{
	const char *cur = list, *tok;
	size_t n;
	char buf[128];

	while (list && ref_list_next(&cur, &tok, &n)) {
		snprintf(buf, sizeof buf, "%.*s%s", (int)n, tok, suffix);
		offer(k, buf);
	}
}

/* words - split what comes before the word being completed */
static int words_before(const char *line, size_t start, char w[][32], int max)
{
	int n = 0;
	size_t i = 0;

	while (i < start && n < max) {
		size_t j = 0;

		while (i < start && line[i] == ' ')
			i++;
		if (i >= start)
			break;
		while (i < start && line[i] != ' ') {
			if (j < 31)
				w[n][j++] = line[i];
			i++;
		}
		w[n][j] = 0;
		n++;
	}
	return n;
}

static void offer_codes(struct cand *k, const char *verb)
{
	size_t i;
	char buf[8];

	for (i = 0; i < ref_code_count; i++) {
		if (verb && !server_reply_allowed(verb, ref_code_table[i].code))
			continue;
		snprintf(buf, sizeof buf, "%d", ref_code_table[i].code);
		offer(k, buf);
	}
}

static void offer_addresses(struct cand *k, const char *suffix)
{
	size_t i;
	char buf[300];

	for (i = 0; i < ref_world_count; i++)
		if (strchr(ref_world_table[i].address, '@')) {
			snprintf(buf, sizeof buf, "%s%s", ref_world_table[i].address, suffix);
			offer(k, buf);
		}
}

/* any_offered - whether the server announced any keyword of list */
static int any_offered(const struct server *srv, const char *list)
{
	const char *cur = list, *tok;
	size_t n;
	char kw[64];

	while (ref_list_next(&cur, &tok, &n)) {
		snprintf(kw, sizeof kw, "%.*s", (int)n, tok);
		if (server_offers(srv, kw))
			return 1;
	}
	return 0;
}

static void offer_params(struct cand *k, const struct server *srv,
    const struct conn *conn, const char *verb)
{
	size_t i;
	char buf[64];

	for (i = 0; i < ref_param_count; i++) {
		const struct ref_param *p = &ref_param_table[i];

		if (!ref_list_has(p->commands, verb, strlen(verb)))
			continue;
		if (srv && p->keyword[0] && !any_offered(srv, p->keyword))
			continue;
		if (conn && p->keyword[0] && !conn_offers_any(conn, p->keyword))
			continue;
		/* a parameter with a value ends in '='; a keyword alone in ' ' */
		snprintf(buf, sizeof buf, "%s%s", p->param, strchr(p->syntax, '=') ? "=" : "");
		offer(k, buf);
	}
}

int console_complete(const struct console *c, const char *line,
    size_t start, size_t end,
    void (*add)(void *ctx, const char *candidate), void *ctx)
{
	struct cand k = { line + start, end - start, add, ctx };
	char w[4][32];
	int nw = words_before(line, start, w, 4);
	size_t i;
	const struct server *srv = cur_server(c);
	enum session_mode mode = cur_mode(c);

	/* meta-commands, and their arguments */
	if (start == 0 && k.len > 0 && line[0] == ':') {
		char buf[32];

		for (i = 0; i < nmetas; i++) {
			snprintf(buf, sizeof buf, ":%s", metas[i].name);
			offer(&k, buf);
		}
		return CONSOLE_COMPLETE_SPACE;
	}
	if (nw > 0 && w[0][0] == ':') {
		const char *m = w[0] + 1;

		if (!strcmp(m, "save") || !strcmp(m, "replay"))
			return CONSOLE_COMPLETE_FILES;
		if (!strcmp(m, "lesson")) {
			if (nw == 1 && c->o.lesson_each) {
				offer(&k, "stop");
				c->o.lesson_each(c->o.lesson_ctx, offer_lesson, &k);
			}
			return CONSOLE_COMPLETE_SPACE;
		}
		if (!strcmp(m, "help"))
			for (i = 0; i < nmetas; i++)
				offer(&k, metas[i].name);
		else if (!strcmp(m, "role")) {
			offer(&k, "client");
			offer(&k, "server");
		} else if (!strcmp(m, "persona"))
			for (i = 0; i < ref_persona_count; i++)
				offer(&k, ref_persona_table[i].name);
		else if (!strcmp(m, "scenario"))
			for (i = 0; i < ref_scenario_count; i++)
				offer(&k, ref_scenario_table[i].name);
		else if (!strcmp(m, "explain")) {
			for (i = 0; i < 3 && nw == 1; i++)
				offer(&k, level_names[i]);
			offer_codes(&k, NULL);
			for (i = 0; i < ref_keyword_count; i++)
				offer(&k, ref_keyword_table[i].keyword);
			for (i = 0; i < ref_command_count; i++)
				if (!ref_keyword_find(ref_command_table[i].verb, strlen(ref_command_table[i].verb)))
					offer(&k, ref_command_table[i].verb);
		} else if (!strcmp(m, "fault")) {
			if (nw == 1)
				for (i = 0; i < ref_command_count; i++)
					offer(&k, ref_command_table[i].verb);
			else
				for (i = 0; i < ref_code_count; i++)
					if (ref_code_table[i].code >= 400) {
						char buf[16];

						snprintf(buf, sizeof buf, "%d", ref_code_table[i].code);
						offer(&k, buf);
					}
		}
		return CONSOLE_COMPLETE_SPACE;
	}
	if (c->tutor && tutor_wants(c->tutor) == TUTOR_ANSWER)
		return 0;	/* a question: its answer is the learner's own */
	if (mode == SESSION_REPLY && nw == 0) {
		offer_codes(&k, client_verb(client_phase(cur_client(c))));
		return CONSOLE_COMPLETE_SPACE;
	}
	if (c->conn)
		mode = conn_input(c->conn) == CONN_IN_COMMAND ? SESSION_COMMAND : SESSION_MESSAGE;
	if ((srv == NULL && c->conn == NULL) || (mode != SESSION_COMMAND && !c->piping))
		return 0;

	/* SMTP commands: the verb, then what follows it */
	if (nw == 0) {
		for (i = 0; i < ref_command_count; i++)
			if (strcmp(ref_command_table[i].status, "obsolete") != 0)
				offer(&k, ref_command_table[i].verb);
		return CONSOLE_COMPLETE_SPACE;
	}
	{
		const char *verb = w[0];
		int at_path = start > 0 && line[start - 1] == '<';

		if (ascii_ieq(verb, strlen(verb), "MAIL") || ascii_ieq(verb, strlen(verb), "RCPT")) {
			int mail = ascii_ieq(verb, strlen(verb), "MAIL");

			if (at_path) {
				offer_addresses(&k, ">");
				if (mail)
					offer(&k, ">");	/* the null reverse-path */
				return 0;
			}
			if (nw == 1) {
				offer(&k, mail ? "FROM:<" : "TO:<");
				return 0;
			}
			offer_params(&k, c->conn ? NULL : srv, c->conn, mail ? "MAIL" : "RCPT");
			return 0;
		}
		if (ascii_ieq(verb, strlen(verb), "EHLO") || ascii_ieq(verb, strlen(verb), "HELO")) {
			if (nw == 1)
				offer(&k, "client.example");
			return CONSOLE_COMPLETE_SPACE;
		}
		if (ascii_ieq(verb, strlen(verb), "VRFY") || ascii_ieq(verb, strlen(verb), "EXPN")) {
			if (nw == 1)
				for (i = 0; i < ref_world_count; i++)
					if (strchr(ref_world_table[i].address, '@')) {
						char buf[128];
						const char *at = strchr(ref_world_table[i].address, '@');

						snprintf(buf, sizeof buf, "%.*s",
						    (int)(at - ref_world_table[i].address),
						    ref_world_table[i].address);
						offer(&k, buf);
						offer(&k, ref_world_table[i].address);
					}
			return CONSOLE_COMPLETE_SPACE;
		}
		if (ascii_ieq(verb, strlen(verb), "AUTH")) {
			if (nw == 1 && c->conn == NULL)
				offer_list(&k, server_persona(srv)->auth_mechs, "");
			else if (nw == 1) {
				offer(&k, "PLAIN");
				offer(&k, "LOGIN");
			}
			return CONSOLE_COMPLETE_SPACE;
		}
		if (ascii_ieq(verb, strlen(verb), "HELP")) {
			if (nw == 1)
				for (i = 0; i < ref_command_count; i++)
					offer(&k, ref_command_table[i].verb);
			return CONSOLE_COMPLETE_SPACE;
		}
		if (ascii_ieq(verb, strlen(verb), "ETRN")) {
			if (nw == 1)
				for (i = 0; i < ref_world_count; i++)
					if (!strchr(ref_world_table[i].address, '@'))
						offer(&k, ref_world_table[i].address);
			return CONSOLE_COMPLETE_SPACE;
		}
	}
	return 0;
}
