/* SPDX-License-Identifier: GPL-3.0-or-later */
/* swaks.h - a session printed as smtpref connect prints it
 *
 * Each line sent or received with swaks' direction markers (" -> ",
 * "<-  ", "~" under TLS), a reply's last line with its latency
 * (" (+12 ms)", on the screen only), explanations as "     # label:
 * text", findings after "*** ", smtpref's notes after "=== ", errors on
 * stderr; and the transcript lines also into a --save file.  A tx_sink
 * for the console.
 */
#ifndef SMTPREF_SWAKS_H
#define SMTPREF_SWAKS_H

#include <stdio.h>

#include "core/tx.h"
#include "term/render.h"

struct swaks_out {
	struct render r;
	const char *prog;	/* "smtpref connect": the errors' prefix */
	FILE *save;		/* --save, or NULL */
	int save_failed;
	int quiet;		/* only the lines sent and received */
	int verdict_only;	/* nothing but errors: the one-line client's
				 * --quiet and --json print their verdict */
	/* the items are held for the full-screen view (tui_preface) instead
	 * of printed; errors still go to stderr, in case it never starts */
	int hold;
};

/* swaks_item - a tx_sink's item function; ctx is a struct swaks_out */
void swaks_item(void *ctx, const struct tx_item *it);

#endif
