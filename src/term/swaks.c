/* SPDX-License-Identifier: GPL-3.0-or-later */
/* swaks.c - a session printed as smtpref connect prints it */
#include <config.h>

#include "term/swaks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/printable.h"
#include "term/tui.h"

static void save_item(struct swaks_out *o, const struct tx_item *it)
{
	char line[8300];
	size_t n;

	if (o->save == NULL)
		return;
	n = tx_item_line(it, line, sizeof line);
	if (n > 0 && fprintf(o->save, "%s\n", line) < 0)
		o->save_failed = 1;
}

/* labelled - an explanation or a hint: "     # label: text" */
static void labelled(struct render *r, const struct tx_item *it)
{
	render_text(r, RENDER_DIM, "     # ");
	render_text(r, RENDER_LABEL, it->label ? it->label : "hint");
	render_text(r, RENDER_DIM, ": ");
	render_wrap(r, RENDER_DIM, it->text, 9);
	render_newline(r);
}

void swaks_item(void *ctx, const struct tx_item *it)
{
	struct swaks_out *o = ctx;
	struct render *r = &o->r;

	if (o->hold) {
		tui_preface(it);
		if (it->kind != TX_ERROR)
			return;
	}
	save_item(o, it);
	if (o->verdict_only && it->kind != TX_ERROR)
		return;
	switch (it->kind) {
	case TX_SENT:
		render_text(r, RENDER_BOLD, it->tls ? " ~> " : " -> ");
		render_textn(r, RENDER_BOLD, it->text, it->len);
		render_newline(r);
		break;
	case TX_RECEIVED:
		render_text(r, RENDER_PLAIN, it->tls ? "<~  " : "<-  ");
		render_textn(r, it->code ? render_code_style(it->code) : RENDER_WARN,
		    it->text, it->len);
		if (it->timed) {
			char ms[40];

			snprintf(ms, sizeof ms, " (+%ld ms)", it->ms);
			render_text(r, RENDER_DIM, ms);
		}
		render_newline(r);
		break;
	case TX_EXPLAIN:
	case TX_HINT:
		if (!o->quiet)
			labelled(r, it);
		break;
	case TX_FINDING:
		if (o->quiet)
			break;
		render_text(r, RENDER_WARN, "*** ");
		if (it->label) {
			render_text(r, RENDER_WARN, it->label);
			render_text(r, RENDER_WARN, ": ");
		}
		render_wrap(r, RENDER_WARN, it->text, 4);
		render_newline(r);
		break;
	case TX_NOTE:
		if (o->quiet)
			break;
		render_text(r, RENDER_LABEL, "=== ");
		render_wrap(r, RENDER_PLAIN, it->text, 4);
		render_newline(r);
		break;
	case TX_ERROR: {
		/* stderr is the terminal too: escaped (core/printable.h) */
		char *safe = printable_dup(it->text, it->len, 0);

		fflush(stdout);
		fprintf(stderr, "%s: %s\n", o->prog, safe ? safe : "out of memory");
		free(safe);
		break;
	}
	default:
		break;
	}
	fflush(stdout);
}
