/* SPDX-License-Identifier: GPL-3.0-or-later */
/* record.c - a session's transcript: kept, saved and read back */
#include <config.h>

#include "console/record.h"

#include "core/printable.h"
#include "lesson/safefile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD_LINE_MAX 4094	/* octets of a line, without its end */

struct record {
	struct record_entry *e;
	size_t n, cap;
	size_t bytes;		/* text kept so far */
	size_t dropped;		/* lines not kept: over RECORD_MAX_BYTES */
};

struct record *record_new(void)
{
	return calloc(1, sizeof(struct record));
}

void record_clear(struct record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->e[i].text);
	r->n = 0;
	r->bytes = 0;
	r->dropped = 0;
}

void record_free(struct record *r)
{
	if (r == NULL)
		return;
	record_clear(r);
	free(r->e);
	free(r);
}

/* push - append one entry; -1 when out of memory or over the bound */
static int push(struct record *r, enum record_dir dir, int tls,
    unsigned line, const char *text, size_t len)
{
	char *copy;

	if (r->bytes + len + 1 > RECORD_MAX_BYTES) {
		r->dropped++;
		return -1;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct record_entry *e = realloc(r->e, cap * sizeof *e);

		if (e == NULL)
			return -1;
		r->e = e;
		r->cap = cap;
	}
	copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, text, len);
	copy[len] = 0;
	r->e[r->n].dir = dir;
	r->e[r->n].tls = tls;
	r->e[r->n].line = line;
	r->e[r->n].text = copy;
	r->n++;
	r->bytes += len + 1;
	return 0;
}

void record_add(struct record *r, const struct tx_item *it)
{
	switch (it->kind) {
	case TX_SENT:
		push(r, RECORD_SENT, it->tls, 0, it->text, it->len);
		break;
	case TX_RECEIVED:
		push(r, RECORD_RECEIVED, it->tls, 0, it->text, it->len);
		break;
	case TX_NOTE:
		push(r, RECORD_NOTE, 0, 0, it->text, it->len);
		break;
	case TX_ERROR:
	case TX_FINDING:	/* what the server got wrong */
		push(r, RECORD_ERROR, 0, 0, it->text, it->len);
		break;
	default:
		break;
	}
}

size_t record_count(const struct record *r)
{
	return r->n;
}

const struct record_entry *record_get(const struct record *r, size_t i)
{
	return i < r->n ? &r->e[i] : NULL;
}

static const char *marker(const struct record_entry *e)
{
	static const enum tx_kind kinds[] = {
		[RECORD_SENT] = TX_SENT, [RECORD_RECEIVED] = TX_RECEIVED,
		[RECORD_NOTE] = TX_NOTE, [RECORD_ERROR] = TX_ERROR,
	};

	return tx_marker(kinds[e->dir], e->tls);
}

size_t record_format(const struct record_entry *e, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s", marker(e), e->text);

	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

int record_save(const struct record *r, const char *path, char *err,
    size_t errlen)
{
	size_t size = r->bytes + r->n * 5 + 200, off = 0, i;
	char *buf = malloc(size);
	int rc;

	if (buf == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	for (i = 0; i < r->n; i++) {
		int n = snprintf(buf + off, size - off, "%s%s\n", marker(&r->e[i]),
		    r->e[i].text);

		if (n > 0)
			off += (size_t)n < size - off ? (size_t)n : size - off - 1;
	}
	if (r->dropped) {
		int n = snprintf(buf + off, size - off,
		    "*** %zu more lines were not kept: a transcript keeps at most %u octets\n",
		    r->dropped, RECORD_MAX_BYTES);

		if (n > 0)
			off += (size_t)n < size - off ? (size_t)n : size - off - 1;
	}
	/* a new file beside it, renamed over it: a symbolic link planted
	 * at the name (or at a guessable temporary name) is never written
	 * through (issue 14) */
	rc = safefile_write(path, buf, off, 0666, err, errlen);
	free(buf);
	return rc;
}

/* parse_marker - the entry a line's first four octets announce; -1 for
 * none */
static int parse_marker(const char *s, size_t len, enum record_dir *dir,
    int *tls)
{
	static const struct {
		const char *m;
		enum record_dir dir;
		int tls;
	} markers[] = {
		{ " -> ", RECORD_SENT, 0 }, { " ~> ", RECORD_SENT, 1 },
		{ "<-  ", RECORD_RECEIVED, 0 }, { "<~  ", RECORD_RECEIVED, 1 },
		{ "<** ", RECORD_RECEIVED, 0 }, { "<~* ", RECORD_RECEIVED, 1 },
		{ "=== ", RECORD_NOTE, 0 }, { "*** ", RECORD_ERROR, 0 },
	};
	size_t i;

	if (len < 4)
		return -1;
	for (i = 0; i < sizeof markers / sizeof markers[0]; i++)
		if (memcmp(s, markers[i].m, 4) == 0) {
			*dir = markers[i].dir;
			*tls = markers[i].tls;
			return 0;
		}
	return -1;
}

struct record *record_parse(const char *path, const char *text, size_t len,
    char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned lineno = 0;
	struct record *r = record_new();

	if (r == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		enum record_dir dir;
		int tls;
		char *shown;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n > RECORD_LINE_MAX) {
			snprintf(err, errlen, "%s:%u: line longer than %d octets",
			    path, lineno, RECORD_LINE_MAX);
			goto fail;
		}
		while (n > 0 && s[n - 1] == '\r')
			n--;
		if (memchr(s, 0, n)) {
			snprintf(err, errlen, "%s:%u: a NUL octet: not a transcript (a text file)",
			    path, lineno);
			goto fail;
		}
		if (n == 0)
			continue;
		if (parse_marker(s, n, &dir, &tls) < 0) {
			snprintf(err, errlen, "%s:%u: not a transcript line: it should start with ' -> ', '<-  ', ' ~> ', '<~  ', '=== ' or '*** '",
			    path, lineno);
			goto fail;
		}
		/* kept escaped, so that whatever shows it shows no control
		 * character (core/printable.h) */
		shown = printable_dup(s + 4, n - 4, 0);
		if (shown == NULL || push(r, dir, tls, lineno, shown,
		    strlen(shown)) < 0) {
			free(shown);
			snprintf(err, errlen, "%s:%u: the transcript is too large (over %u octets)",
			    path, lineno, RECORD_MAX_BYTES);
			goto fail;
		}
		free(shown);
	}
	if (r->n == 0) {
		snprintf(err, errlen, "%s: the file holds no transcript lines", path);
		goto fail;
	}
	return r;
fail:
	record_free(r);
	return NULL;
}

struct record *record_load(const char *path, char *err, size_t errlen)
{
	size_t len;
	struct record *r;
	/* at most what a transcript keeps, and each line's marker and end;
	 * only a regular file (core of issue 14: /dev/zero spun forever) */
	char *text = safefile_read(path, RECORD_MAX_BYTES + RECORD_MAX_BYTES / 4,
	    &len, NULL, err, errlen);

	if (text == NULL)
		return NULL;
	r = record_parse(path, text, len, err, errlen);
	free(text);
	return r;
}
