/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lessoncov.h - smtpref lesson coverage: what the learner meets in a set
 * of lessons, and whether the rules list is taught (lesson/coverage.h) */
#ifndef SMTPREF_LESSONCOV_H
#define SMTPREF_LESSONCOV_H

#include "lesson/library.h"

struct lesson_cov_opts {
	const struct lesson_path *path;	/* where names and the default set are */
	int json;
	int steps;		/* --steps: what each checked step meets */
	const char *rules;	/* --rules FILE; NULL: the built-in list when
				 * no FILE is given */
};

/* lesson_coverage_cmd - the lessons named (files or names), or every
 * lesson of the path; prints the report.  Returns the exit status: 0, or
 * 1 when a lesson could not be loaded or walked, or a rule of the rules
 * list is not taught where it says. */
int lesson_coverage_cmd(const struct lesson_cov_opts *o, int argc, char **argv);

#endif
