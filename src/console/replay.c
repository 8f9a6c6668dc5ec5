/* SPDX-License-Identifier: GPL-3.0-or-later */
/* replay.c - a saved transcript, stepped through as a peer
 *
 * The learner presses Enter and the next reply appears, checked and
 * explained as a live one would be: a tracking client (core/client.c)
 * follows the lines the transcript's client sent, so each reply is
 * matched to its command and validated.  In a script the whole transcript
 * is shown at once.  "q" (or :cancel) stops; then the console goes back to
 * the session the replay stood over.
 */
#include <config.h>

#include "console/console.h"
#include "console/priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "core/client.h"
#include "core/explain.h"
#include "core/reply.h"

#define WIRE_MAX 65536		/* a reply kept to check it */

struct replay {
	struct peer peer;
	struct tx_sink sink;
	struct record *r;
	char *path;
	size_t pos;
	int interactive, done;
	enum explain_level level;
	struct client *cli;	/* tracks it, to check each reply */
	struct reply_acc acc;
	char *wire;
	size_t wlen;
	char verb[16];		/* what the next reply answers */
	int message;		/* inside a message (after 354) */
};

#define SELF(p) ((struct replay *)(void *)(p))

static void on_finding(void *ctx, const struct client_finding *f)
{
	struct replay *r = ctx;

	if (f->kind == CLIENT_DECISION || f->kind == CLIENT_DIFFERS)
		return;		/* it tracks; it does not drive */
	tx_emitf(&r->sink, TX_FINDING, f->kind == CLIENT_BAD_CODE ? "code" :
	    f->kind == CLIENT_BAD_ENHANCED ? "enhanced" : "bad",
	    "%s (%s)", f->text, f->section);
}

static void explain_to(void *ctx, enum explain_kind kind, const char *text)
{
	struct replay *r = ctx;

	tx_emitf(&r->sink, TX_EXPLAIN, explain_kind_str(kind), "%s", text);
}

/* ehlo_lines - explain each keyword line of an accepted EHLO reply */
static void ehlo_lines(struct replay *r)
{
	const char *p = r->wire, *end = r->wire + r->wlen;
	int first = 1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n;

		if (nl == NULL)
			break;	/* a reply's lines end in CRLF */
		n = (size_t)(nl - p - 1);
		if (!first && n > 4)
			explain_ehlo_line(p + 4, n - 4, explain_to, r);
		first = 0;
		p = nl + 1;
	}
}

/* whole_reply - a whole reply of the transcript: checked and explained
 * as the shell does a live one */
static void whole_reply(struct replay *r)
{
	char enh[16] = "";

	if (r->acc.has_enh)
		snprintf(enh, sizeof enh, "%d.%d.%d", r->acc.enh.cls,
		    r->acc.enh.subject, r->acc.enh.detail);
	client_reply(r->cli, r->wire, r->wlen);
	if (r->level != EXPLAIN_OFF) {
		explain_code(r->acc.code, r->level == EXPLAIN_FULL ? enh : NULL,
		    r->verb[0] ? r->verb : NULL, explain_to, r);
		explain_meaning(r->verb[0] ? r->verb : NULL, r->acc.code,
		    explain_to, r);
	}
	if (r->level == EXPLAIN_FULL && r->acc.code == 250 &&
	    strcmp(r->verb, "EHLO") == 0)
		ehlo_lines(r);
	if (r->acc.code == 354)
		r->message = 1;
	r->wlen = 0;
	reply_acc_init(&r->acc);
}

/* sent - a line the client sent: what its reply will answer */
static void sent(struct replay *r, const char *text)
{
	size_t n = strlen(text), i;

	client_sent(r->cli, text, n);
	if (r->message) {
		if (strcmp(text, ".") == 0) {
			r->message = 0;
			snprintf(r->verb, sizeof r->verb, "DATA-END");
		}
		return;
	}
	for (i = 0; i < n && i < sizeof r->verb - 1 && text[i] != ' '; i++)
		r->verb[i] = (char)ascii_upper((unsigned char)text[i]);
	r->verb[i] = 0;
}

/* received - a line of a reply; 1 when the reply is complete */
static int received(struct replay *r, const struct record_entry *e, size_t n)
{
	enum reply_acc_status st = reply_acc_line(&r->acc, e->text, n);

	if (st == REPLY_ACC_BAD_LINE || st == REPLY_ACC_MIXED_CODES ||
	    st == REPLY_ACC_TOO_MANY) {
		tx_emitf(&r->sink, TX_FINDING, "bad", "line %u of the transcript: %s (RFC 5321 4.2)",
		    e->line, reply_acc_status_str(st));
		r->wlen = 0;
		reply_acc_init(&r->acc);
		return 1;
	}
	if (r->wlen + n + 2 <= WIRE_MAX) {
		memcpy(r->wire + r->wlen, e->text, n);
		memcpy(r->wire + r->wlen + n, "\r\n", 2);
		r->wlen += n + 2;
	}
	if (st != REPLY_ACC_DONE)
		return 0;
	whole_reply(r);
	return 1;
}

/* step - show entries up to the end of the next reply; 0 at the end */
static int step(struct replay *r)
{
	size_t total = record_count(r->r);

	while (r->pos < total) {
		const struct record_entry *e = record_get(r->r, r->pos++);
		size_t n = strlen(e->text);
		struct tx_item it = { .kind = TX_SENT, .tls = e->tls,
		    .text = e->text, .len = n };

		switch (e->dir) {
		case RECORD_SENT:
			r->sink.item(r->sink.ctx, &it);
			sent(r, e->text);
			break;
		case RECORD_NOTE:
		case RECORD_ERROR:
			it.kind = e->dir == RECORD_NOTE ? TX_NOTE : TX_ERROR;
			r->sink.item(r->sink.ctx, &it);
			break;
		case RECORD_RECEIVED:
			it.kind = TX_RECEIVED;
			it.code = atoi(e->text);
			r->sink.item(r->sink.ctx, &it);
			if (received(r, e, n))
				return 1;
			break;
		}
	}
	return 0;
}

static void run(struct replay *r)
{
	int more;

	do
		more = step(r);
	while (more && !r->interactive);
	if (!more) {
		tx_emitf(&r->sink, TX_NOTE, "replay", "End of the transcript.");
		r->done = 1;
	}
}

/* ---- the peer ------------------------------------------------------------ */

static void p_start(struct peer *p)
{
	struct replay *r = SELF(p);

	tx_emitf(&r->sink, TX_NOTE, "replay", "Replaying %s (%zu lines)%s", r->path,
	    record_count(r->r), r->interactive ? ": Enter shows the next reply, q stops." : ".");
	run(r);
}

static int p_line(struct peer *p, const char *line, size_t len)
{
	struct replay *r = SELF(p);

	if (r->done)
		return 0;
	if (len == 1 && (line[0] == 'q' || line[0] == 'Q')) {
		tx_emitf(&r->sink, TX_NOTE, "replay", "Replay stopped.");
		r->done = 1;
	} else if (len > 0)
		tx_emitf(&r->sink, TX_NOTE, "replay", "Enter shows the next reply; q stops the replay.");
	else
		run(r);
	return 0;
}

static int p_group(struct peer *p, const char *const *lines,
    const size_t *lens, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p_line(p, lines[i], lens[i]);
	return 0;
}

static void p_leave(struct peer *p)
{
	SELF(p)->done = 1;
}

static int p_cancel(struct peer *p)
{
	struct replay *r = SELF(p);

	if (!r->done)
		tx_emitf(&r->sink, TX_NOTE, "replay", "Replay stopped.");
	r->done = 1;
	return 0;
}

static void p_free(struct peer *p)
{
	struct replay *r = SELF(p);

	record_free(r->r);
	client_free(r->cli);
	free(r->wire);
	free(r->path);
	free(r);
}

static enum peer_input p_input(const struct peer *p)
{
	return SELF(p)->done ? PEER_IN_CLOSED : PEER_IN_STEP;
}

static int p_phase(const struct peer *p)
{
	return client_server_phase(SELF(p)->cli);
}

static void p_state(const struct peer *p, const struct tx_sink *out)
{
	const struct replay *r = SELF(p);

	tx_emitf(out, TX_EXPLAIN, "state", "Replaying %s: line %zu of %zu. Client: %s.",
	    r->path, r->pos, record_count(r->r), client_phase_str(client_phase(r->cli)));
}

static void p_info(const struct peer *p, struct peer_info *out)
{
	memset(out, 0, sizeof *out);
	out->other = "transcript";
	out->name = SELF(p)->path;
}

static void p_set_level(struct peer *p, enum explain_level level)
{
	SELF(p)->level = level;
}

static int p_done(const struct peer *p)
{
	return SELF(p)->done;
}

static const struct peer_ops replay_ops = {
	.start = p_start,
	.line = p_line,
	.group = p_group,
	.leave = p_leave,
	.close = p_leave,
	.cancel = p_cancel,
	.free = p_free,
	.input = p_input,
	.phase = p_phase,
	.state = p_state,
	.info = p_info,
	.set_level = p_set_level,
	.done = p_done,
};

struct peer *replay_new(const char *path, int interactive,
    enum explain_level level, const struct tx_sink *sink, char *err,
    size_t errsize)
{
	struct replay *r = calloc(1, sizeof *r);
	struct client_sink cs;

	if (r == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	r->peer.ops = &replay_ops;
	r->sink = *sink;
	r->interactive = interactive;
	r->level = level;
	r->r = record_load(path, err, errsize);
	if (r->r == NULL) {
		free(r);
		return NULL;
	}
	cs.ctx = r;
	cs.finding = on_finding;
	r->cli = client_new(NULL, &cs);
	r->wire = malloc(WIRE_MAX);
	r->path = strdup(path);
	if (r->cli == NULL || r->wire == NULL || r->path == NULL) {
		snprintf(err, errsize, "out of memory");
		p_free(&r->peer);
		return NULL;
	}
	reply_acc_init(&r->acc);
	return &r->peer;
}
