/* SPDX-License-Identifier: GPL-3.0-or-later */
/* connect.h - smtpref connect: a session with a real SMTP server */
#ifndef SMTPREF_CONNECT_H
#define SMTPREF_CONNECT_H

#include <stddef.h>

#include "core/tx.h"

/* connect_main - argv[0] is "connect"; returns the exit status: for a
 * script 0 the session ended with 221, 1 it ended otherwise; for the
 * one-line client 0 delivered, else the step that failed; and 2 usage, 3
 * could not connect, 4 timeout, 29 TLS failed (core/outcome.h) */
int connect_main(int argc, char **argv);

#endif
