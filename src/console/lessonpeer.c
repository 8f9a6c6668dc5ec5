/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lessonpeer.c - a lesson, as a peer: a layer over the lesson's own
 * simulated server or client
 *
 * The tutor (lesson/tutor.c) runs the lesson; this file only lets the
 * console talk to it through the peer interface, and answers :state,
 * :diagram and completion from the machine the lesson drives, with the
 * same core functions as the shell's own session.
 */
#include <config.h>

#include "console/console.h"
#include "console/priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/client.h"
#include "core/server.h"
#include "lesson/lesson.h"
#include "lesson/tutor.h"

struct lessonpeer {
	struct peer peer;
	struct tutor *t;
};

#define TUTOR(p) (((struct lessonpeer *)(void *)(p))->t)

static void p_start(struct peer *p)
{
	tutor_start(TUTOR(p));
}

static int p_line(struct peer *p, const char *line, size_t len)
{
	return tutor_line(TUTOR(p), line, len);
}

static int p_group(struct peer *p, const char *const *lines,
    const size_t *lens, size_t n)
{
	return tutor_group(TUTOR(p), lines, lens, n);
}

static void p_leave(struct peer *p)
{
	tutor_leave(TUTOR(p));
}

static int p_cancel(struct peer *p)
{
	return tutor_cancel(TUTOR(p));
}

static void p_free(struct peer *p)
{
	tutor_free(TUTOR(p));
	free(p);
}

static enum peer_input p_input(const struct peer *p)
{
	switch (tutor_wants(TUTOR(p))) {
	case TUTOR_MESSAGE: return PEER_IN_MESSAGE;
	case TUTOR_AUTH: return PEER_IN_AUTH;
	case TUTOR_REPLY: return PEER_IN_REPLY;
	case TUTOR_ANSWER: return PEER_IN_ANSWER;
	case TUTOR_GROUP: return PEER_IN_GROUP;
	case TUTOR_NOTHING: return PEER_IN_CLOSED;
	default: return PEER_IN_COMMAND;
	}
}

static int p_phase(const struct peer *p)
{
	const struct server *srv = tutor_server(TUTOR(p));
	const struct client *cl = tutor_client(TUTOR(p));

	if (srv)
		return server_diagram_phase(server_phase(srv));
	return cl ? client_server_phase(cl) : SERVER_CLOSED;
}

static size_t p_next(const struct peer *p, char *buf, size_t size)
{
	const struct server *srv = tutor_server(TUTOR(p));
	const struct client *cl = tutor_client(TUTOR(p));

	if (srv)
		return session_server_next(srv, buf, size);
	return cl ? session_client_next(cl, buf, size) : 0;
}

static void p_state(const struct peer *p, const struct tx_sink *out)
{
	const struct tutor *t = TUTOR(p);
	const struct lesson *l = tutor_lesson(t);

	tx_emitf(out, TX_EXPLAIN, "state", "Lesson: %s, step %zu of %zu.", l->title,
	    tutor_step(t) + 1, l->nsteps);
	if (tutor_server(t))
		session_server_state(tutor_server(t), out, NULL);
	else if (tutor_client(t))
		session_client_state(tutor_client(t), tutor_tls(t), out,
		    "You are the server; the lesson's simulated client talks to you.");
}

static void p_info(const struct peer *p, struct peer_info *out)
{
	const struct tutor *t = TUTOR(p);
	const struct server *srv = tutor_server(t);

	memset(out, 0, sizeof *out);
	out->learner_server = srv == NULL;
	out->other = srv ? "server" : "client";
	out->name = srv ? server_persona(srv)->name : "the lesson's";
	out->detail = srv ? server_persona(srv)->hostname : NULL;
	out->lesson = tutor_lesson(t)->name;
	out->title = tutor_lesson(t)->title;
	out->step = tutor_step(t);
	out->nsteps = tutor_lesson(t)->nsteps;
}

static int p_offers(const struct peer *p, const char *keyword)
{
	const struct server *srv = tutor_server(TUTOR(p));

	return srv ? server_offers(srv, keyword) : 0;
}

static const char *p_mechs(const struct peer *p)
{
	const struct server *srv = tutor_server(TUTOR(p));

	return srv ? server_persona(srv)->auth_mechs : NULL;
}

static const char *p_reply_to(const struct peer *p)
{
	const struct client *cl = tutor_client(TUTOR(p));

	return cl ? client_awaits(cl) : NULL;
}

static unsigned p_caps(const struct peer *p)
{
	(void)p;
	return PEER_GUIDED | PEER_CAN_RESTART;
}

static int p_tls(const struct peer *p)
{
	return tutor_tls(TUTOR(p));
}

static void p_set_level(struct peer *p, enum explain_level level)
{
	tutor_set_level(TUTOR(p), level);
}

static int p_done(const struct peer *p)
{
	return tutor_done(TUTOR(p));
}

static void p_restart(struct peer *p)
{
	tutor_restart(TUTOR(p));
}

static void p_hint(struct peer *p)
{
	tutor_hint(TUTOR(p));
}

static int p_skip(struct peer *p)
{
	return tutor_skip(TUTOR(p));
}

static const struct peer_ops lesson_ops = {
	.start = p_start,
	.line = p_line,
	.group = p_group,
	.leave = p_leave,
	.close = p_leave,
	.cancel = p_cancel,
	.free = p_free,
	.input = p_input,
	.phase = p_phase,
	.next = p_next,
	.state = p_state,
	.info = p_info,
	.offers = p_offers,
	.mechs = p_mechs,
	.reply_to = p_reply_to,
	.caps = p_caps,
	.tls = p_tls,
	.set_level = p_set_level,
	.done = p_done,
	.restart = p_restart,
	.hint = p_hint,
	.skip = p_skip,
};

struct peer *lessonpeer_new(struct lesson *l, enum explain_level level,
    const char *progress_dir, const char *learner,
    const struct tx_sink *sink)
{
	struct lessonpeer *lp = calloc(1, sizeof *lp);
	struct tutor_opts to = { level, progress_dir, learner };

	if (lp == NULL) {
		lesson_free(l);
		return NULL;
	}
	lp->t = tutor_new(l, &to, sink);
	if (lp->t == NULL) {
		free(lp);
		return NULL;
	}
	lp->peer.ops = &lesson_ops;
	return &lp->peer;
}
