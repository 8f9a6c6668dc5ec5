/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clientpeer.h - a real SMTP client, as a peer (core/peer.h): the
 * learner is its server
 *
 * smtpref shell --role server --listen PORT (and the TUI's): it waits on
 * 127.0.0.1:PORT for a client (swaks, curl, a Python script, the
 * learner's own program), shows each line the client sends, and sends
 * the replies the learner types, checked as in the simulated server role
 * (core/session.c): their form, the codes RFC 5321 4.3.2 allows, and
 * what a conforming server of the persona would have answered.
 */
#ifndef SMTPREF_CLIENTPEER_H
#define SMTPREF_CLIENTPEER_H

#include "core/peer.h"
#include "core/ref.h"
#include "core/tx.h"

struct clientpeer_opts {
	unsigned port;			/* on 127.0.0.1 */
	const struct ref_persona *persona;	/* the conforming server to
					 * compare with; NULL: modern */
	int hints;
	int timeout_s;			/* for a client to come, and for each
					 * of its commands; 0: 300 */
};

/* clientpeer_new - a peer that listens when it starts (o is copied);
 * NULL when out of memory */
struct peer *clientpeer_new(const struct clientpeer_opts *o,
    const struct tx_sink *sink);

#endif
