/* SPDX-License-Identifier: GPL-3.0-or-later */
/* realpeer.h - a real SMTP server, as a peer (core/peer.h)
 *
 * smtpref connect, :connect, and the shell and TUI on a real server talk
 * to it through the console, as to the simulated one.
 */
#ifndef SMTPREF_REALPEER_H
#define SMTPREF_REALPEER_H

#include "core/outcome.h"
#include "core/peer.h"
#include "core/tx.h"
#include "net/conn.h"

/* realpeer_new - a peer for the server of o (copied); nothing happens
 * until its start, which connects and opens the session (blocking,
 * within the timeout).  NULL when out of memory. */
struct peer *realpeer_new(const struct conn_opts *o, const struct tx_sink *sink);

/* realpeer_outcome - what happened so far, step by step: each command
 * that awaited a reply, the reply and its latency, how the session ended,
 * its TLS and the findings (core/outcome.h).  p must be a peer that
 * realpeer_new made: smtpref connect keeps the one it had the console
 * make, and asks it, not the console. */
const struct outcome *realpeer_outcome(const struct peer *p);

#endif
