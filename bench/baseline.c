/* SPDX-License-Identifier: GPL-3.0-or-later */
/* baseline.c - the smallest useful C program: print one line and exit.
 * bench/startup measures smtpref against it in the same run. */
#include <stdio.h>

int main(void)
{
	puts("553 Requested action not taken: mailbox name not allowed");
	return 0;
}
