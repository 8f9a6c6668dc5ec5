/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lessoncmd.h - smtpref lesson: list, check, progress, reset, receipt,
 * verify (and run, in lessonrun.c); lessons are found through
 * lesson/library.h */
#ifndef SMTPREF_LESSONCMD_H
#define SMTPREF_LESSONCMD_H

#include <stddef.h>

#include "lesson/library.h"

/* lesson_main - argv[0] is "lesson"; returns the exit status: 0 success,
 * 1 a check failed, a lesson or progress was not found, a receipt was
 * rejected, 2 usage */
int lesson_main(int argc, char **argv);

#endif
