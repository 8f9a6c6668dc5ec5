/* SPDX-License-Identifier: GPL-3.0-or-later */
/* simulate.h - smtpref simulate: the simulated server (or client) on
 * stdin and stdout, exactly as on the wire */
#ifndef SMTPREF_SIMULATE_H
#define SMTPREF_SIMULATE_H

/* simulate_main - the "simulate" subcommand; argv[0] is "simulate".
 * Returns the exit status: 0 the session ended with QUIT (221), 1 it
 * ended otherwise, 2 usage error. */
int simulate_main(int argc, char **argv);

#endif
