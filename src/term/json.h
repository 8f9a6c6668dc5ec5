/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.h - a small streaming JSON writer (UTF-8 in, valid JSON out) */
#ifndef SMTPREF_JSON_H
#define SMTPREF_JSON_H

#include <stddef.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	unsigned char first[JSON_MAX_DEPTH];	/* no member written yet */
};

void json_init(struct json *j, FILE *out);
/* key is NULL inside an array or at the top level. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
/* A NULL value is written as null. */
void json_string(struct json *j, const char *key, const char *val);
void json_stringn(struct json *j, const char *key, const char *val, size_t len);
void json_int(struct json *j, const char *key, long val);
void json_bool(struct json *j, const char *key, int val);
void json_null(struct json *j, const char *key);
/* json_list - a space-separated list as an array of strings */
void json_list(struct json *j, const char *key, const char *list);
/* json_end - finish the document with a newline */
void json_end(struct json *j);

#endif
