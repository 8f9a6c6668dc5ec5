/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_files.c - libFuzzer harness for the parsers of files a learner or
 * anyone else may hand smtpref: saved transcripts (:replay), progress
 * files and receipts (lesson verify)
 *
 * The first byte picks the parser, the rest is the file.  Checked: no
 * crash, and what a parser accepts holds nothing a terminal would obey
 * (core/printable.h): a transcript's lines come out escaped, a
 * receipt's title and lesson are refused with a control character in
 * them (a CR in a title once let verify print a fake "genuine" line).
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console/record.h"
#include "core/printable.h"
#include "lesson/progress.h"
#include "lesson/receipt.h"

static void shown_as_is(const char *s)
{
	size_t w, n = strlen(s);

	if (printable_bad(s, n, 0, &w) != n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct receipt_key key;
	static int keyed;
	const char *text = (const char *)data + 1;
	size_t len = size - 1, i;
	char err[512];

	if (size == 0)
		return 0;
	if (!keyed) {
		receipt_key_set(&key, RECEIPT_DEFAULT_KEY,
		    sizeof RECEIPT_DEFAULT_KEY - 1);
		keyed = 1;
	}
	switch (data[0] % 4) {
	case 0: {
		struct record *r = record_parse("fuzz.txt", text, len, err,
		    sizeof err);

		for (i = 0; r && i < record_count(r); i++)
			shown_as_is(record_get(r, i)->text);
		record_free(r);
		break;
	}
	case 1: {
		struct progress p;

		if (progress_parse("fuzz.progress", text, len, &p, err,
		    sizeof err) == 0 && p.step > p.steps)
			abort();
		break;
	}
	case 2: {
		/* a receipt made from a hostile title and name verifies,
		 * or is not made; never shows a control */
		struct receipt r, back;
		char out[RECEIPT_MAX];
		size_t n, half = len / 2;

		memset(&r, 0, sizeof r);
		snprintf(r.lesson, sizeof r.lesson, "01-greeting");
		snprintf(r.title, sizeof r.title, "%.*s", (int)half, text);
		snprintf(r.learner, sizeof r.learner, "%.*s", (int)(len - half),
		    text + half);
		snprintf(r.finished, sizeof r.finished, "2024-05-01T10:22:13Z");
		memset(r.transcript, 'a', 64);
		r.steps = 3;
		n = receipt_make(&r, &key, out, sizeof out, err, sizeof err);
		if (n == 0)
			break;
		if (receipt_verify("made", out, n, &key, &back, err,
		    sizeof err) != 0)
			abort();	/* what smtpref makes, it takes */
		shown_as_is(back.title);
		shown_as_is(back.learner);
		break;
	}
	default: {
		struct receipt r;

		/* a forged HMAC is out of reach; the parser is not */
		if (receipt_verify("fuzz.receipt", text, len, &key, &r, err,
		    sizeof err) == 0) {
			shown_as_is(r.title);
			shown_as_is(r.lesson);
			shown_as_is(r.learner);
		}
		break;
	}
	}
	return 0;
}
