/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listen.h - smtpref listen */
#ifndef SMTPREF_LISTEN_H
#define SMTPREF_LISTEN_H

/* listen_main - argv[0] is "listen"; returns the exit status */
int listen_main(int argc, char **argv);

#endif
