/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.c - a small streaming JSON writer
 *
 * Strings are written as given, with the characters JSON requires escaped
 * (RFC 8259 7); bytes that are not valid UTF-8 become U+FFFD so the output
 * always parses.
 */
#include <config.h>

#include "term/json.h"

#include <string.h>

#include "core/ref.h"

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = 1;
}

static void raw_string(FILE *out, const char *s, size_t len)
{
	size_t i = 0;

	fputc('"', out);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = 0;

		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': fputs("\\n", out); break;
			case '\r': fputs("\\r", out); break;
			case '\t': fputs("\\t", out); break;
			default: fprintf(out, "\\u%04x", c); break;
			}
			i++;
			continue;
		}
		if (c < 0x80) {
			fputc(c, out);
			i++;
			continue;
		}
		/* a UTF-8 sequence: check it is whole and well-formed */
		if (c >= 0xc2 && c <= 0xdf)
			n = 2;
		else if (c >= 0xe0 && c <= 0xef)
			n = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 4;
		if (n && i + n <= len) {
			size_t k;
			unsigned char c1 = (unsigned char)s[i + 1];
			int ok = 1;

			for (k = 1; k < n; k++)
				if (((unsigned char)s[i + k] & 0xc0) != 0x80)
					ok = 0;
			if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) ||
			    (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f))
				ok = 0;
			if (ok) {
				fwrite(s + i, 1, n, out);
				i += n;
				continue;
			}
		}
		fputs("\\ufffd", out);
		i++;
	}
	fputc('"', out);
}

static void put_key(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->out);
	j->first[j->depth] = 0;
	if (key) {
		raw_string(j->out, key, strlen(key));
		fputc(':', j->out);
	}
}

static void container_open(struct json *j, const char *key, int c)
{
	put_key(j, key);
	fputc(c, j->out);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = 1;
}

static void container_close(struct json *j, int c)
{
	fputc(c, j->out);
	if (j->depth > 0)
		j->depth--;
}

void json_object_begin(struct json *j, const char *key) { container_open(j, key, '{'); }
void json_object_end(struct json *j) { container_close(j, '}'); }
void json_array_begin(struct json *j, const char *key) { container_open(j, key, '['); }
void json_array_end(struct json *j) { container_close(j, ']'); }

void json_stringn(struct json *j, const char *key, const char *val, size_t len)
{
	put_key(j, key);
	if (val)
		raw_string(j->out, val, len);
	else
		fputs("null", j->out);
}

void json_string(struct json *j, const char *key, const char *val)
{
	json_stringn(j, key, val, val ? strlen(val) : 0);
}

void json_int(struct json *j, const char *key, long val)
{
	put_key(j, key);
	fprintf(j->out, "%ld", val);
}

void json_bool(struct json *j, const char *key, int val)
{
	put_key(j, key);
	fputs(val ? "true" : "false", j->out);
}

void json_null(struct json *j, const char *key)
{
	put_key(j, key);
	fputs("null", j->out);
}

void json_list(struct json *j, const char *key, const char *list)
{
	const char *tok;
	size_t len;

	json_array_begin(j, key);
	while (ref_list_next(&list, &tok, &len))
		json_stringn(j, NULL, tok, len);
	json_array_end(j);
}

void json_end(struct json *j)
{
	fputc('\n', j->out);
}
