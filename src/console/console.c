/* SPDX-License-Identifier: GPL-3.0-or-later */
/* console.c - what the learner's lines do, whatever draws them
 *
 * The console holds one peer (core/peer.h) and calls through its table;
 * it never asks which kind of peer it has.  Lines starting with ':' are
 * meta-commands (meta.c); inside a message only the known ones are, so a
 * message line may still start with ':'.  Every other line goes to the
 * peer, unless the peer still waits for a reply: then it is held, in
 * order, and sent when the reply that releases it arrives (RFC 5321
 * 4.3.1: a client waits for each reply).  Lines held after DATA are the
 * message, so only a 354 releases them; a refused DATA drops them.
 */
#include <config.h>

#include "console/console.h"
#include "console/priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "core/ref.h"
#include "lesson/lesson.h"

void console_to_front(void *ctx, const struct tx_item *it)
{
	struct console *c = ctx;

	record_add(c->rec, it);
	if (c->out.item)
		c->out.item(c->out.ctx, it);
}

static enum peer_input input_of(const struct console *c)
{
	return c->peer->ops->input(c->peer);
}

static int waiting(const struct console *c)
{
	char what[64];

	return peer_waiting(c->peer, what, sizeof what) != PEER_WAIT_NONE;
}

/* verb_is - line is the command verb, alone or with arguments */
static int verb_is(const char *line, size_t len, const char *verb, int alone)
{
	size_t n = strlen(verb);

	if (len < n || !ascii_ieq(line, n, verb))
		return 0;
	if (len == n)
		return 1;
	return !alone && line[n] == ' ';
}

/* ---- the peers -------------------------------------------------------- */

struct peer *console_new_session(struct console *c,
    const struct session_opts *o)
{
	struct session_opts so = *o;
	struct session *s;

	so.level = c->level;
	s = session_new(&so, &c->self);
	if (s == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		return NULL;
	}
	c->o.session = *session_opts(s);
	return session_peer(s);
}

void console_clear(struct console *c)
{
	size_t i;

	for (i = 0; i < c->npipe; i++)
		free(c->pipe[i]);
	c->npipe = 0;
	c->piping = 0;
	for (i = 0; i < c->nheld; i++)
		free(c->held[i].text);
	c->nheld = 0;
	c->hold_message = 0;
	c->sent_data = 0;
	c->skipping = 0;
}

void console_replace(struct console *c, struct peer *p)
{
	console_clear(c);
	if (c->below) {
		peer_free(c->peer);
		c->peer = c->below;
		c->below = NULL;
	}
	peer_free(c->peer);
	c->peer = p;
	c->below_unstarted = 0;
}

void console_push(struct console *c, struct peer *p)
{
	console_clear(c);
	if (c->below)
		peer_free(c->peer);	/* one lesson or replay at a time */
	else
		c->below = c->peer;
	c->peer = p;
}

void console_settle(struct console *c)
{
	if (c->peer == NULL || !peer_done(c->peer) || c->below == NULL)
		return;
	console_clear(c);
	peer_free(c->peer);
	c->peer = c->below;
	c->below = NULL;
	if (c->o.lesson_only) {
		c->quit = 1;
		return;
	}
	tx_emitf(&c->self, TX_NOTE, NULL, "Back to the shell's own session (:state shows where it stands).");
	if (c->below_unstarted) {
		c->below_unstarted = 0;
		c->peer->ops->start(c->peer);
	}
}

int console_open_lesson(struct console *c, struct lesson *l)
{
	struct peer *p = lessonpeer_new(l, c->level, c->o.progress_dir,
	    c->o.learner, &c->self);

	if (p == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		return -1;
	}
	console_push(c, p);
	p->ops->start(p);
	console_settle(c);
	return 0;
}

int console_lesson(struct console *c, struct lesson *l)
{
	return console_open_lesson(c, l);
}

/* ---- sending, and holding what must wait ------------------------------- */

/* hold - keep a line until the peer stops waiting; 1 when it may be a
 * credential (an answer to a 334 typed before the 334 came) */
static int hold(struct console *c, const char *line, size_t len)
{
	struct held *h;
	char what[64];
	enum peer_wait w = peer_waiting(c->peer, what, sizeof what);

	if (c->nheld == HOLD_MAX) {
		tx_emitf(&c->self, TX_ERROR, NULL, "not sent: %d lines are already waiting for the server's reply", HOLD_MAX);
		return 0;
	}
	if (c->nheld == c->held_cap) {
		size_t cap = c->held_cap ? c->held_cap * 2 : 16;
		struct held *n = realloc(c->held, cap * sizeof *n);

		if (n == NULL) {
			tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
			return 0;
		}
		c->held = n;
		c->held_cap = cap;
	}
	h = &c->held[c->nheld];
	h->text = malloc(len + 1);
	if (h->text == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		return 0;
	}
	memcpy(h->text, line, len);
	h->text[len] = 0;
	h->len = len;
	h->message = c->hold_message || w == PEER_WAIT_354;
	if (c->nheld++ == 0) {
		struct peer_info pi;

		c->peer->ops->info(c->peer, &pi);
		if (pi.learner_server)
			tx_emitf(&c->self, TX_NOTE, "held", "Nothing to answer yet (waiting for %s): this reply waits and goes out when it comes, as a server answers only what it was sent (RFC 5321 4.2).",
			    what[0] ? what : "the client");
		else
			tx_emitf(&c->self, TX_NOTE, "held", "The server has not answered yet (%s): this line waits and goes out when the reply comes, as a client waits for each reply (RFC 5321 4.3.1).",
			    what[0] ? what : "a reply");
	}
	if (h->message)
		c->hold_message = !(len == 1 && line[0] == '.');
	else
		c->hold_message = verb_is(line, len, "DATA", 1);
	return tx_auth_response(line, len) != 0 ||
	    (c->nheld > 1 && verb_is(c->held[c->nheld - 2].text,
	    c->held[c->nheld - 2].len, "AUTH", 0));
}

/* to_peer - one line for the peer, now */
static int to_peer(struct console *c, const char *line, size_t len)
{
	enum peer_input in = input_of(c);

	if (in == PEER_IN_COMMAND)
		c->sent_data = verb_is(line, len, "DATA", 1);
	return c->peer->ops->line(c->peer, line, len);
}

/* data_refused - DATA got no 354: the message typed ahead is not sent */
static void data_refused(struct console *c)
{
	size_t i, n = 0, dot = 0;

	c->hold_message = 0;
	while (n < c->nheld && c->held[n].message) {
		dot = c->held[n].len == 1 && c->held[n].text[0] == '.';
		free(c->held[n++].text);
		if (dot)
			break;
	}
	if (n > 0) {
		c->nheld -= n;
		for (i = 0; i < c->nheld; i++)
			c->held[i] = c->held[i + n];
		tx_emitf(&c->self, TX_NOTE, NULL, "DATA got no 354, so the %zu message line%s typed after it %s not sent.",
		    n, n == 1 ? "" : "s", n == 1 ? "was" : "were");
	}
	if (c->o.mail_script && !dot) {
		c->skipping = 1;
		tx_emitf(&c->self, TX_NOTE, NULL, "DATA got no 354, so the message lines that follow in the input, up to the line \".\", are not sent.");
	}
}

/* settle - after the peer may have changed: a refused DATA, the held
 * lines it now takes, a lesson or replay that is over */
static void settle(struct console *c)
{
	while (!c->quit && c->peer) {
		if (c->sent_data && !waiting(c)) {
			c->sent_data = 0;
			if (input_of(c) != PEER_IN_MESSAGE)
				data_refused(c);
		}
		if (c->nheld == 0 || waiting(c))
			break;
		{
			struct held h = c->held[0];

			c->nheld--;
			memmove(c->held, c->held + 1, c->nheld * sizeof *c->held);
			if (input_of(c) == PEER_IN_CLOSED)
				c->unsent++;
			else
				to_peer(c, h.text, h.len);
			free(h.text);
		}
	}
	if (c->nheld == 0)
		c->hold_message = 0;
	console_settle(c);
}

/* ---- :pipe and automatic groups ---------------------------------------- */

static void pipe_drop(struct console *c)
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

	if (c->npipe == 1)
		secret = to_peer(c, c->pipe[0], c->pipe_len[0]);
	else if (c->npipe > 1)
		secret = c->peer->ops->group(c->peer, (const char *const *)c->pipe,
		    c->pipe_len, c->npipe);
	else
		tx_emitf(&c->self, TX_NOTE, NULL, "The group was empty; nothing was sent.");
	pipe_drop(c);
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

/* groupable - RFC 2920 3.1 lets the command stand anywhere in a group
 * (BDAT never, here: its chunk must follow it) */
static int groupable(const char *line, size_t len)
{
	char v[16];
	size_t i;
	const struct ref_command *r;

	for (i = 0; i < len && i < sizeof v - 1 && line[i] != ' '; i++)
		v[i] = (char)ascii_upper((unsigned char)line[i]);
	v[i] = 0;
	r = ref_command_find(v, i);
	return r && strcmp(r->pipelining, "anywhere") == 0 && strcmp(v, "BDAT") != 0;
}

/* autogroup - a script's command, where a group may start or go on */
static int autogroup(struct console *c, const char *line, size_t len)
{
	if (!c->o.mail_script || c->o.no_pipelining || c->piping == 1 ||
	    input_of(c) != PEER_IN_COMMAND)
		return 0;
	if (c->piping == 2) {
		pipe_add(c, line, len);
		if (!groupable(line, len) || c->npipe == PIPE_MAX)
			pipe_send(c);
		return 1;
	}
	if (!groupable(line, len) || !(peer_caps(c->peer) & PEER_CAN_PIPE) ||
	    c->peer->ops->offers == NULL || !c->peer->ops->offers(c->peer, "PIPELINING"))
		return 0;
	c->piping = 2;
	pipe_add(c, line, len);
	return 1;
}

/* ---- lines ------------------------------------------------------------- */

static int closed_line(struct console *c)
{
	if (!c->o.interactive) {
		c->unsent++;
		return 0;
	}
	tx_emitf(&c->self, TX_ERROR, NULL, "the connection is closed; %s",
	    peer_caps(c->peer) & PEER_CAN_RESTART ? ":restart connects again" :
	    ":connect opens another, :quit leaves");
	return 0;
}

/* route - a line that is no meta-command */
static int route(struct console *c, const char *line, size_t len)
{
	enum peer_input in = input_of(c);

	if (c->piping == 1) {
		if (len == 0)
			return pipe_send(c);
		pipe_add(c, line, len);
		return tx_auth_response(line, len) != 0;	/* not for history */
	}
	if (c->skipping) {
		c->skipped++;
		c->skipping = !(len == 1 && line[0] == '.');
		return 0;
	}
	if (autogroup(c, line, len))
		return tx_auth_response(line, len) != 0;
	if (c->piping == 2)
		pipe_send(c);	/* not a command: the group goes first */
	if (in == PEER_IN_CLOSED && c->nheld == 0)
		return closed_line(c);
	if (waiting(c) || c->nheld > 0)
		return hold(c, line, len);
	return to_peer(c, line, len);
}

int console_line(struct console *c, const char *line, size_t len)
{
	int secret = 0;
	enum peer_input in = input_of(c);

	if (len > 0 && line[0] == ':' &&
	    console_meta(c, line, len, in != PEER_IN_MESSAGE && in != PEER_IN_CHUNK)) {
		settle(c);
		return 0;
	}
	secret = route(c, line, len);
	settle(c);
	return secret;
}

int console_paste(struct console *c, const char *text, size_t len)
{
	const char *lines[PIPE_MAX];
	size_t lens[PIPE_MAX], n = 0;
	const char *p = text, *end = text + len;
	int secret = 0;
	enum peer_input in = input_of(c);
	/* a group only where one makes sense: commands, no meta-command
	 * among them, nothing awaited */
	int group = !c->piping && !waiting(c) && c->nheld == 0 &&
	    (in == PEER_IN_COMMAND || in == PEER_IN_GROUP);

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
	if (group && n > 1) {
		secret = c->peer->ops->group(c->peer, lines, lens, n);
		settle(c);
		return secret;
	}
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

/* summary - what a script's input did not get sent */
static void summary(struct console *c)
{
	if (c->skipped > 0)
		tx_emitf(&c->self, TX_NOTE, NULL, "%ld message line%s not sent", c->skipped,
		    c->skipped == 1 ? "" : "s");
	if (c->unsent > 0)
		tx_emitf(&c->self, TX_NOTE, NULL, "%ld input line%s not sent: the session was over",
		    c->unsent, c->unsent == 1 ? "" : "s");
	c->skipped = c->unsent = 0;
}

void console_eof(struct console *c)
{
	if (c->piping == 2)
		pipe_send(c);
	else
		pipe_drop(c);
	peer_wait(c->peer);
	settle(c);
	summary(c);
	if (c->quit)
		return;
	if (c->o.mail_script && input_of(c) != PEER_IN_CLOSED) {
		tx_emitf(&c->self, TX_NOTE, NULL, "the input ended before QUIT: smtpref closes the connection");
		c->peer->ops->close(c->peer);
	} else
		c->peer->ops->leave(c->peer);
	console_clear(c);
	c->quit = 1;
}

void console_interrupt(struct console *c)
{
	size_t held = c->nheld;
	int piping = c->piping;

	console_clear(c);
	if (peer_cancel(c->peer) || piping)
		tx_emitf(&c->self, TX_NOTE, "pipeline", "The group was dropped; nothing was sent.");
	if (held)
		tx_emitf(&c->self, TX_NOTE, "held", "The %zu line%s waiting for the server's reply %s dropped.",
		    held, held == 1 ? "" : "s", held == 1 ? "was" : "were");
	console_settle(c);
}

int console_done(const struct console *c)
{
	return c->quit;
}

const char *console_prompt(const struct console *c)
{
	static const char *const prompts[] = {
		[PEER_IN_COMMAND] = "smtp", [PEER_IN_MESSAGE] = "data",
		[PEER_IN_CHUNK] = "chunk", [PEER_IN_AUTH] = "auth",
		[PEER_IN_REPLY] = "reply", [PEER_IN_REPLY_MORE] = "reply+",
		[PEER_IN_GROUP] = "pipe", [PEER_IN_ANSWER] = "answer",
		[PEER_IN_STEP] = "replay", [PEER_IN_CLOSED] = "closed",
	};
	struct console *m = (struct console *)c;
	enum peer_input in = input_of(c);
	const char *base = c->piping == 1 ? "pipe" :
	    (unsigned)in < PEER_IN_LAST ? prompts[in] : "smtp";
	char what[64];

	if (in != PEER_IN_CLOSED &&
	    peer_waiting(c->peer, what, sizeof what) != PEER_WAIT_NONE)
		snprintf(m->prompt, sizeof m->prompt, "%s (waiting for %s)> ", base, what);
	else
		snprintf(m->prompt, sizeof m->prompt, "%s%s", base,
		    in == PEER_IN_REPLY_MORE && c->piping != 1 ? " " : "> ");
	return m->prompt;
}

/* ---- queries ------------------------------------------------------------ */

struct peer *console_peer(const struct console *c)
{
	return c->peer;
}

void console_info(const struct console *c, struct peer_info *out)
{
	c->peer->ops->info(c->peer, out);
}

unsigned console_caps(const struct console *c)
{
	return peer_caps(c->peer);
}

enum peer_input console_input(const struct console *c)
{
	return input_of(c);
}

size_t console_next(const struct console *c, char *buf, size_t size)
{
	if (size)
		buf[0] = 0;
	return c->peer->ops->next ? c->peer->ops->next(c->peer, buf, size) : 0;
}

const char *console_waiting_for(const struct console *c)
{
	return c->peer->ops->reply_to ? c->peer->ops->reply_to(c->peer) : NULL;
}

int console_phase(const struct console *c)
{
	return c->peer->ops->phase(c->peer);
}

int console_tls(const struct console *c)
{
	return c->peer->ops->tls ? c->peer->ops->tls(c->peer) : 0;
}

int console_exit_status(const struct console *c)
{
	return peer_exit_status(c->below ? c->below : c->peer);
}

/* ---- a real server ------------------------------------------------------- */

int console_connect(struct console *c, const struct conn_opts *o)
{
	struct peer *p;

	if (c->o.connect == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "real servers are not available here");
		return -1;
	}
	p = c->o.connect(o, &c->self);
	if (p == NULL) {
		tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
		return -1;
	}
	console_replace(c, p);
	if (p->ops->set_level)
		p->ops->set_level(p, c->level);
	p->ops->start(p);
	return p->ops->input(p) == PEER_IN_CLOSED && peer_exit_status(p) != 0 ?
	    -1 : 0;
}

int console_fd(const struct console *c)
{
	return peer_fd(c->peer);
}

int console_timeout(const struct console *c)
{
	return peer_timeout(c->peer);
}

void console_process(struct console *c)
{
	peer_process(c->peer);
	settle(c);
}

void console_wait(struct console *c)
{
	/* a held line, sent when its turn came, awaits its reply in turn */
	do {
		peer_wait(c->peer);
		settle(c);
	} while (!c->quit && waiting(c));
}

/* ---- the console --------------------------------------------------------- */

struct console *console_new(const struct console_opts *o,
    const struct tx_sink *sink)
{
	struct console *c = calloc(1, sizeof *c);
	struct tx_sink mine;

	if (c == NULL) {
		lesson_free(o->lesson);
		return NULL;
	}
	mine.ctx = c;
	mine.item = console_to_front;
	c->o = *o;
	c->o.lesson = NULL;
	c->pending = o->lesson;
	c->level = o->session.level;
	if (sink)
		c->out = *sink;
	c->self = mine;
	c->rec = record_new();
	if (c->rec)
		c->peer = console_new_session(c, &o->session);
	if (c->rec == NULL || c->peer == NULL) {
		console_free(c);
		return NULL;
	}
	return c;
}

void console_free(struct console *c)
{
	if (c == NULL)
		return;
	console_clear(c);
	free(c->held);
	peer_free(c->below);
	peer_free(c->peer);
	lesson_free(c->pending);
	record_free(c->rec);
	free(c);
}

void console_start(struct console *c)
{
	if (c->pending) {
		struct lesson *l = c->pending;

		c->pending = NULL;
		c->below_unstarted = 1;	/* the session starts after the lesson */
		console_open_lesson(c, l);
		return;
	}
	if (c->o.attach) {	/* a peer of the front end's: a real client */
		struct peer *p = c->o.attach(c->o.attach_ctx, &c->self);

		if (p == NULL) {
			tx_emitf(&c->self, TX_ERROR, NULL, "out of memory");
			return;
		}
		console_replace(c, p);
		if (p->ops->set_level)
			p->ops->set_level(p, c->level);
		p->ops->start(p);
		return;
	}
	/* a real server greeted already, in console_connect: its start
	 * does nothing the second time */
	c->peer->ops->start(c->peer);
}
