/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_report.c - libFuzzer harness for the report reader (MIME, DSN,
 * bounce text, logs, transcripts)
 *
 * The first octet of the input chooses the size of the pieces the rest
 * is fed in, so splits at every place are tried; every record handed on
 * must be whole: strings terminated, a reason from the table, a status
 * that is empty or well formed.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static void check(void *ctx, const struct report_msg *m,
    const struct report_rcpt *r)
{
	size_t i;

	(void)ctx;
	if (r->reason == NULL || (unsigned)m->kind >= REPORT_KIND_LAST ||
	    (unsigned)r->retry >= REPORT_RETRY_LAST)
		abort();
	/* strlen reads every string to its end: AddressSanitizer checks it */
	if (strlen(r->address) >= REPORT_ADDR_MAX ||
	    strlen(r->diagnostic) >= 4 * REPORT_DIAG_MAX ||
	    strlen(r->remote_mta) >= REPORT_ADDR_MAX)
		abort();
	(void)strlen(r->action);
	(void)strlen(r->command);
	(void)strlen(m->software);
	(void)strlen(m->reporter);
	(void)strlen(m->subject);
	for (i = 0; r->status[i]; i++)
		if (!(r->status[i] == '.' || (r->status[i] >= '0' && r->status[i] <= '9')))
			abort();
	if (r->reply_code != 0 && (r->reply_code < 200 || r->reply_code > 559))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct report *rp;
	size_t step, i;

	if (size == 0)
		return 0;
	if (rp == NULL && (rp = report_new(check, NULL)) == NULL)
		abort();
	step = (size_t)data[0] % 64 + 1;
	data++;
	size--;
	report_begin(rp);
	for (i = 0; i < size; i += step)
		report_feed(rp, (const char *)data + i, size - i < step ? size - i : step);
	report_end(rp);
	if (report_summary(rp)->recipients == 0 && report_summary(rp)->looks_like == NULL)
		abort();
	return 0;
}
