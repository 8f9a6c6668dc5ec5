/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_json.c - the JSON writer: nesting, commas, escaping, bad UTF-8 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "term/json.h"

static char *buf;
static size_t len;
static FILE *mem;
static struct json j;

static void setup(void)
{
	mem = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(mem);
	json_init(&j, mem);
}

static void teardown(void)
{
	free(buf);
	buf = NULL;
}

static const char *text(void)
{
	fflush(mem);
	fclose(mem);
	return buf;
}

START_TEST(nested_objects_and_arrays)
{
	json_object_begin(&j, NULL);
	json_int(&j, "n", -3);
	json_array_begin(&j, "a");
	json_string(&j, NULL, "x");
	json_null(&j, NULL);
	json_bool(&j, NULL, 1);
	json_array_end(&j);
	json_object_begin(&j, "o");
	json_object_end(&j);
	json_list(&j, "l", " 250  251 ");
	json_string(&j, "s", NULL);
	json_object_end(&j);
	json_end(&j);
	ck_assert_str_eq(text(), "{\"n\":-3,\"a\":[\"x\",null,true],\"o\":{},\"l\":[\"250\",\"251\"],\"s\":null}\n");
}
END_TEST

START_TEST(escapes)
{
	json_string(&j, NULL, "a\"b\\c\nd\te\001\x7f");
	ck_assert_str_eq(text(), "\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f\"");
}
END_TEST

START_TEST(utf8_kept_and_invalid_replaced)
{
	/* "é", then a lone continuation byte, a truncated sequence, an
	 * overlong form and a surrogate: only the first is valid */
	json_string(&j, NULL, "\xc3\xa9|\x80|\xe2\x82|\xc0\xaf|\xed\xa0\x80");
	ck_assert_str_eq(text(), "\"\xc3\xa9|\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd\"");
}
END_TEST

START_TEST(length_bounded_strings)
{
	json_stringn(&j, "k", "abcdef", 3);
	ck_assert_str_eq(text(), "\"k\":\"abc\"");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json");
	TCase *t = tcase_create("writer");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, nested_objects_and_arrays);
	tcase_add_test(t, escapes);
	tcase_add_test(t, utf8_kept_and_invalid_replaced);
	tcase_add_test(t, length_bounded_strings);
	suite_add_tcase(s, t);
	return check_run(s);
}
