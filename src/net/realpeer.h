/* SPDX-License-Identifier: GPL-3.0-or-later */
/* realpeer.h - a real SMTP server, as a peer (core/peer.h)
 *
 * smtpref connect, :connect, and the shell and TUI on a real server talk
 * to it through the console, as to the simulated one.
 */
#ifndef SMTPREF_REALPEER_H
#define SMTPREF_REALPEER_H

#include "core/peer.h"
#include "core/tx.h"
#include "net/conn.h"

/* realpeer_new - a peer for the server of o (copied); nothing happens
 * until its start, which connects and opens the session (blocking,
 * within the timeout).  NULL when out of memory. */
struct peer *realpeer_new(const struct conn_opts *o, const struct tx_sink *sink);

#endif
