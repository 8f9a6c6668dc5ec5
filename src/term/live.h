/* SPDX-License-Identifier: GPL-3.0-or-later */
/* live.h - smtpref listen's output: every session as the shell shows a
 * simulated one, each line tagged with its session ("[3] "), and each
 * client's verdict when its session ends; or the same as JSON Lines
 * (one object a line, the shape in smtpref(1), JSON OUTPUT)
 */
#ifndef SMTPREF_LIVE_H
#define SMTPREF_LIVE_H

#include <stdio.h>

#include "core/tx.h"
#include "net/listener.h"
#include "term/render.h"

struct live_out {
	struct render r;
	FILE *err;		/* the listener's notes */
	const char *prog;	/* "smtpref listen", before each note */
	int json;		/* JSON Lines */
	int quiet;		/* only when a session ends: its verdict */
	char tag[32];		/* "[3] " */
};

/* live_init - output on out (colour as mode), notes on err */
void live_init(struct live_out *o, FILE *out, FILE *err,
    enum render_color_mode mode, int json, int quiet);

/* The listener's sink (net/listener.h), ctx a struct live_out: */
void live_item(void *ctx, unsigned long id, const struct tx_item *it);
void live_opened(void *ctx, const struct listener_session *s);
void live_closed(void *ctx, const struct listener_session *s);
void live_note(void *ctx, const char *text);
/* live_idle - flush: the listener waits for the network */
void live_idle(void *ctx);

/* live_summary - when smtpref listen stops: sessions, messages, findings */
void live_summary(struct live_out *o, const struct listener_stats *st,
    const char *maildir);

#endif
