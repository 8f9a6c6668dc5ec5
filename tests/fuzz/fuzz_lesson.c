/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_lesson.c - libFuzzer harness for the lesson parser and checker
 *
 * The input is a lesson file.  Checked: the parser never crashes and
 * reports at least one error (with a line inside the file) whenever it
 * refuses; a lesson it accepts can be walked by the checker, whose
 * errors also name lines inside the file; and the evaluator accepts an
 * empty observation at every checked step.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"

static unsigned count_lines(const uint8_t *data, size_t size)
{
	unsigned n = 1;
	size_t i;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lesson_errors errs;
	static struct lesson_obs obs;
	struct lesson_result res;
	struct lesson *l;
	unsigned lines = count_lines(data, size);
	size_t i;

	lesson_errors_init(&errs, "fuzz.lesson");
	l = lesson_parse("fuzz.lesson", (const char *)data, size, &errs);
	for (i = 0; i < errs.n; i++)
		if (errs.e[i].line > lines)
			abort();
	if (l == NULL) {
		if (errs.nerrors == 0)
			abort();
		return 0;
	}
	/* keep a run short: the checker's cost grows with alt: and wrong: */
	if (l->nsteps <= 64) {
		lesson_check(l, &errs);
		for (i = 0; i < errs.n; i++)
			if (errs.e[i].line > lines)
				abort();
	}
	for (i = 0; i < l->nsteps; i++) {
		lesson_obs_clear(&obs, l->steps[i].role);
		if (lesson_eval(l, i, &obs, 1, &res) == 0 &&
		    res.verdict == LESSON_FAILED && res.next != i)
			abort();
	}
	lesson_free(l);
	return 0;
}
