/* SPDX-License-Identifier: GPL-3.0-or-later */
/* explaincmd.h - smtpref explain [FILE...|-]: bounces, DSNs, log lines,
 * transcripts and replies, each recipient's verdict first */
#ifndef SMTPREF_EXPLAINCMD_H
#define SMTPREF_EXPLAINCMD_H

/* explain_main - argv[0] is "explain"; returns the exit status: 0 every
 * input explained, 1 an input unreadable or not a report, 2 usage */
int explain_main(int argc, char **argv);

#endif
