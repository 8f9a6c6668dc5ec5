/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check-run.h - run one check suite and turn its result into an exit status */
#ifndef SMTPREF_CHECK_RUN_H
#define SMTPREF_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
