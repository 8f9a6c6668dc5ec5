/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lookup.c - the reference front end: smtpref TERM..., list, search
 *
 * Every entry is written through one small "out" layer that either renders
 * text for people (render.c) or writes JSON (json.c), so the two forms
 * always carry the same facts.  The JSON shape is documented in
 * man/smtpref.1 (JSON OUTPUT) and checked by tests/check_lookup.c.
 */
#include <config.h>

#include "term/lookup.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term/json.h"
#include "core/printable.h"
#include "term/verdict.h"
#include "core/ref.h"
#include "core/server.h"
#include "report/report.h"

static const char *const kind_names[] = {
	[LOOKUP_CODE] = "reply-code",
	[LOOKUP_RANGE] = "code-range",
	[LOOKUP_ENH] = "enhanced-code",
	[LOOKUP_ENH_SUBJECT] = "enhanced-subject",
	[LOOKUP_ENH_CLASS] = "enhanced-class",
	[LOOKUP_WORD] = "word",
	[LOOKUP_PARAM] = "parameter",
	[LOOKUP_REPLY_LINE] = "reply-line",
	[LOOKUP_EHLO_LINE] = "ehlo-line",
	[LOOKUP_REPORT] = "report",
	[LOOKUP_INVALID] = "invalid",
};
_Static_assert(sizeof kind_names / sizeof kind_names[0] == LOOKUP_KIND_LAST,
    "kind_names out of step with enum lookup_kind");

const char *lookup_kind_str(enum lookup_kind k)
{
	return (unsigned)k < LOOKUP_KIND_LAST ? kind_names[k] : "invalid";
}

/* ---------------------------------------------------------------- */
/* Classifying a term                                                */

static int is_x(int c)
{
	return c == 'x' || c == 'X';
}

static int name_char(int c)
{
	return isalnum(c) || c == '-';
}

/* enh_part - one dot-separated part of an enhanced code: 1 to 3 digits
 * without a leading zero (value in *v), or a wildcard X or * (*v = -1).
 * Returns the characters used, 0 if none. */
static size_t enh_part(const char *s, int *v)
{
	size_t n = 0;

	if (is_x((unsigned char)s[0]) || s[0] == '*') {
		*v = -1;
		return 1;
	}
	*v = 0;
	while (n < 4 && isdigit((unsigned char)s[n]))
		*v = *v * 10 + (s[n++] - '0');
	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return 0;
	return n;
}

static int classify_enh(const char *s, struct lookup_term *t)
{
	int cls, subj = -1, det = -1;
	size_t n;

	if (s[0] == '2' || s[0] == '4' || s[0] == '5')
		cls = s[0] - '0';
	else if (is_x((unsigned char)s[0]))
		cls = 0;
	else
		return 0;
	if (s[1] != '.')
		return 0;
	s += 2;
	if ((n = enh_part(s, &subj)) == 0)
		return 0;
	s += n;
	if (*s == '.') {
		if ((n = enh_part(s + 1, &det)) == 0)
			return 0;
		s += n + 1;
	} else if (subj != -1) {
		return 0;
	}
	if (*s)
		return 0;
	t->enh_class = cls;
	t->enh_subject = subj;
	t->enh_detail = det;
	if (subj == -1) {
		if (det != -1 || cls == 0)
			return 0;
		t->kind = LOOKUP_ENH_CLASS;
	} else {
		t->kind = det == -1 ? LOOKUP_ENH_SUBJECT : LOOKUP_ENH;
	}
	return 1;
}

static int classify_range(const char *s, struct lookup_term *t)
{
	int i, xs = 0;

	if (strlen(s) != 3)
		return 0;
	for (i = 0; i < 3; i++) {
		int c = (unsigned char)s[i];

		if (is_x(c))
			xs++;
		else if (!isdigit(c))
			return 0;
	}
	if (xs == 0 || xs == 3)
		return 0;
	if (!is_x((unsigned char)s[0]) && (s[0] < '2' || s[0] > '5'))
		return 0;
	if (!is_x((unsigned char)s[1]) && s[1] > '5')
		return 0;
	for (i = 0; i < 3; i++)
		t->pattern[i] = is_x((unsigned char)s[i]) ? 'x' : s[i];
	t->pattern[3] = 0;
	t->kind = LOOKUP_RANGE;
	return 1;
}

static void classify_line(const char *s, struct lookup_term *t)
{
	struct reply_line *l = &t->line;

	if (reply_parse_line(s, strlen(s), l) != REPLY_OK) {
		t->kind = LOOKUP_INVALID;
		return;
	}
	t->code = l->code;
	t->kind = LOOKUP_REPLY_LINE;
	/* An EHLO reply line is a 250 whose text is a known keyword: the
	 * first line (the greeting of the EHLO reply) names a domain, and a
	 * reply with an enhanced code is not an EHLO line (RFC 2034 3). */
	if (l->code == 250 && !l->has_enh &&
	    reply_parse_ehlo(l->text, l->text_len, &t->ehlo) == 0 &&
	    ref_keyword_find(t->ehlo.keyword, t->ehlo.keyword_len))
		t->kind = LOOKUP_EHLO_LINE;
}

void lookup_classify(const char *s, struct lookup_term *t)
{
	size_t len = strlen(s), n;
	const char *eq;

	memset(t, 0, sizeof *t);
	t->term = s;
	t->kind = LOOKUP_INVALID;
	if (len == 0)
		return;
	if (report_recognises(s, len)) {
		t->kind = LOOKUP_REPORT;
		return;
	}
	if (len == 3 && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2])) {
		t->kind = LOOKUP_CODE;
		t->code = atoi(s);
		return;
	}
	if (len > 3 && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
	    (s[3] == ' ' || s[3] == '-')) {
		classify_line(s, t);
		return;
	}
	if (classify_range(s, t) || classify_enh(s, t))
		return;
	for (n = 0; n < len && name_char((unsigned char)s[n]); n++)
		;
	if (n == len) {
		t->kind = LOOKUP_WORD;
		t->word = s;
		t->word_len = len;
		return;
	}
	eq = strchr(s, '=');
	if (eq && (size_t)(eq - s) == n && n > 0) {
		/* AUTH=LOGIN is an EHLO keyword seen in the wild, not a
		 * parameter: whole keywords win. */
		if (ref_keyword_find(s, len)) {
			t->kind = LOOKUP_WORD;
			t->word = s;
			t->word_len = len;
			return;
		}
		t->kind = LOOKUP_PARAM;
		t->word = s;
		t->word_len = n;
		t->value = eq + 1;
	}
}

/* ---------------------------------------------------------------- */
/* Suggestions                                                       */

static int upc(int c)
{
	return toupper((unsigned char)c);
}

/* distance - Levenshtein distance of a and b, case-insensitive, both at
 * most 31 bytes (longer strings are far from everything we know) */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[32], prev, tmp;

	if (la > 31 || lb > 31)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			int best = prev + (upc(a[i - 1]) != upc(b[j - 1]));

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

struct suggest {
	char (*out)[32];
	int dist[8];	/* edit distance, times two, plus one unless the
			 * first character matches (559: 550 before 459) */
	size_t n, max;
	int limit;
};

static void consider(struct suggest *sg, const char *cand, const char *query)
{
	int d = distance(query, cand);
	size_t i, at;

	if (d > sg->limit || d == 0)
		return;
	d = 2 * d + (upc(cand[0]) != upc(query[0]));
	for (i = 0; i < sg->n; i++)
		if (!strcmp(sg->out[i], cand))
			return;
	for (at = sg->n; at > 0 && sg->dist[at - 1] > d; at--)
		;
	if (at >= sg->max)
		return;
	if (sg->n == sg->max)
		sg->n--;
	memmove(&sg->out[at + 1], &sg->out[at], (sg->n - at) * sizeof sg->out[0]);
	memmove(&sg->dist[at + 1], &sg->dist[at], (sg->n - at) * sizeof sg->dist[0]);
	snprintf(sg->out[at], 32, "%s", cand);
	sg->dist[at] = d;
	sg->n++;
}

size_t lookup_suggest(const char *s, char out[][32], size_t max)
{
	struct suggest sg = { out, { 0 }, 0, max > 8 ? 8 : max, 0 };
	size_t len = strlen(s), i;
	char buf[32];
	int has_eq = strchr(s, '=') != NULL;

	sg.limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	for (i = 0; i < ref_code_count; i++) {
		snprintf(buf, sizeof buf, "%d", ref_code_table[i].code);
		consider(&sg, buf, s);
	}
	for (i = 0; i < ref_enhanced_count; i++) {
		const struct ref_enhanced *e = &ref_enhanced_table[i];

		if (e->kind != REF_ENH_DETAIL)
			continue;
		snprintf(buf, sizeof buf, "%c.%d.%d",
		    (s[0] == '2' || s[0] == '4' || s[0] == '5') ? s[0] : 'X',
		    e->major, e->minor);
		consider(&sg, buf, s);
	}
	for (i = 0; i < ref_keyword_count; i++)
		consider(&sg, ref_keyword_table[i].keyword, s);
	for (i = 0; i < ref_command_count; i++)
		consider(&sg, ref_command_table[i].verb, s);
	for (i = 0; i < ref_param_count; i++) {
		snprintf(buf, sizeof buf, "%s%s", ref_param_table[i].param,
		    has_eq ? "=" : "");
		consider(&sg, buf, s);
	}
	return sg.n;
}

/* ---------------------------------------------------------------- */
/* The output layer: text or JSON from the same calls                */

struct out {
	int json;
	int quiet;
	enum render_color_mode color;
	FILE *out, *err;
	struct json j;
	struct render r;
};

static void out_init(struct out *o, const struct lookup_opts *opts)
{
	memset(o, 0, sizeof *o);
	o->json = opts->json;
	o->quiet = opts->quiet;
	o->color = opts->color;
	o->out = opts->out ? opts->out : stdout;
	o->err = opts->err ? opts->err : stderr;
	if (o->json)
		json_init(&o->j, o->out);
	else
		render_init(&o->r, o->out, opts->color);
}

/* field - one labelled fact; NULL and "" values are left out of the text
 * and written as null in JSON, so every object has every key. */
static void field(struct out *o, const char *key, const char *label,
    const char *val)
{
	if (o->json)
		json_string(&o->j, key, (val && *val) ? val : NULL);
	else if (!o->quiet)
		render_field(&o->r, label, val);
}

static void field_list(struct out *o, const char *key, const char *label,
    const char *list)
{
	if (o->json)
		json_list(&o->j, key, list);
	else if (!o->quiet)
		render_field(&o->r, label, list);
}

/* heading - the first line of an entry: a name in its style, then text */
static void heading(struct out *o, enum render_style st, const char *name,
    const char *rest)
{
	struct render *r = &o->r;

	if (r->col)
		render_newline(r);
	render_text(r, st, name);
	if (rest && *rest) {
		render_text(r, RENDER_PLAIN, "  ");
		render_wrap(r, RENDER_BOLD, rest, 4);
	}
	render_newline(r);
}

static void subline(struct out *o, enum render_style st, const char *text)
{
	if (o->json || o->quiet || !text || !*text)
		return;
	render_text(&o->r, RENDER_PLAIN, "    ");
	render_wrap(&o->r, st, text, 4);
	render_newline(&o->r);
}

/* row - one line of a listing: lead, a name in its style, then text
 * wrapped under itself at indent */
static void row(struct out *o, const char *lead, enum render_style st,
    const char *name, const char *text, int indent)
{
	render_text(&o->r, RENDER_PLAIN, lead);
	render_text(&o->r, st, name);
	render_text(&o->r, RENDER_PLAIN, "  ");
	render_wrap(&o->r, RENDER_PLAIN, text, indent);
	render_newline(&o->r);
}

/* separator - a blank line between entries in text */
static void separator(struct out *o, int *count)
{
	if (!o->json && !o->quiet && (*count)++ > 0)
		render_newline(&o->r);
}

static void json_class(struct out *o, const char *key, const struct ref_class *c)
{
	if (!c) {
		json_null(&o->j, key);
		return;
	}
	json_object_begin(&o->j, key);
	json_string(&o->j, "digit", c->digit);
	json_string(&o->j, "name", c->name);
	json_string(&o->j, "meaning", c->meaning);
	json_string(&o->j, "section", c->section);
	json_object_end(&o->j);
}

/* digits_line - "Permanent negative completion (5xx) · Mail system (x5x)" */
static void digits_line(int code, char *buf, size_t size)
{
	const struct ref_class *c = ref_code_class(code);
	const struct ref_class *k = ref_code_category(code);

	snprintf(buf, size, "%s (%s) · %s (%s)", c ? c->name : "unknown class",
	    c ? c->digit : "?", k ? k->name : "unknown category",
	    k ? k->digit : "?");
}

static void entry_code(struct out *o, const struct ref_code *c)
{
	char buf[256], name[8];

	snprintf(name, sizeof name, "%d", c->code);
	if (o->json) {
		json_object_begin(&o->j, NULL);
		json_string(&o->j, "type", "reply-code");
		json_int(&o->j, "code", c->code);
		json_string(&o->j, "text", c->text);
		json_class(o, "class", ref_code_class(c->code));
		json_class(o, "category", ref_code_category(c->code));
	} else if (o->quiet) {
		row(o, "", render_code_style(c->code), name, c->summary, 5);
		return;
	} else {
		heading(o, render_code_style(c->code), name, c->text);
		digits_line(c->code, buf, sizeof buf);
		subline(o, RENDER_DIM, buf);
		subline(o, RENDER_PLAIN, c->summary);
	}
	if (o->json)
		field(o, "summary", "Summary", c->summary);
	field(o, "when", "When", c->when);
	field(o, "causes", "Causes", c->causes);
	field(o, "action", "What to do", c->action);
	field_list(o, "commands", "Answers", c->commands);
	field_list(o, "extension_commands", "Extensions", c->ext_commands);
	field_list(o, "enhanced", "Enhanced", c->enhanced);
	field(o, "origin", "Origin", c->origin);
	field(o, "section", "See", c->section);
	field(o, "note", "Note", c->note);
	if (o->json)
		json_object_end(&o->j);
}

/* json_enh - one row of the enhanced table; type, when given, comes first
 * (for rows that stand alone in a list) */
static void json_enh(struct out *o, const char *key, const char *type,
    const struct ref_enhanced *e)
{
	if (!e) {
		json_null(&o->j, key);
		return;
	}
	json_object_begin(&o->j, key);
	if (type)
		json_string(&o->j, "type", type);
	json_string(&o->j, "code", e->code);
	json_string(&o->j, "title", e->title);
	json_list(&o->j, "basic_codes", e->basic);
	json_string(&o->j, "section", e->section);
	json_string(&o->j, "summary", e->summary);
	json_string(&o->j, "explanation", e->explanation);
	json_string(&o->j, "action", e->action);
	json_string(&o->j, "note", e->note);
	json_object_end(&o->j);
}

/* entry_enh - an enhanced code with its class and subject: cls is 2, 4, 5
 * or 0 when the class was not given (X.1.1) */
static void entry_enh(struct out *o, int cls, const struct ref_enhanced *d)
{
	const struct ref_enhanced *c = cls ? ref_enh_class(cls) : NULL;
	const struct ref_enhanced *s = ref_enh_subject(d->major);
	char name[16], buf[256];

	if (cls)
		snprintf(name, sizeof name, "%d.%d.%d", cls, d->major, d->minor);
	else
		snprintf(name, sizeof name, "X.%d.%d", d->major, d->minor);
	if (o->json) {
		json_object_begin(&o->j, NULL);
		json_string(&o->j, "type", "enhanced-code");
		json_string(&o->j, "code", name);
		json_enh(o, "class", NULL, c);
		json_enh(o, "subject", NULL, s);
		json_enh(o, "detail", NULL, d);
		json_object_end(&o->j);
		return;
	}
	if (o->quiet) {
		row(o, "", render_code_style(cls), name, d->title, 4);
		return;
	}
	heading(o, render_code_style(cls), name, d->title);
	if (c)
		snprintf(buf, sizeof buf, "%s (%d.X.X) · %s (X.%d.X)", c->title,
		    cls, s ? s->title : "unknown subject", d->major);
	else
		snprintf(buf, sizeof buf, "any class · %s (X.%d.X)",
		    s ? s->title : "unknown subject", d->major);
	subline(o, RENDER_DIM, buf);
	subline(o, RENDER_PLAIN, d->summary);
	field(o, NULL, "Meaning", d->explanation);
	field(o, NULL, "What to do", d->action);
	field_list(o, NULL, "Basic codes", d->basic);
	field(o, NULL, "See", d->section);
	field(o, NULL, "Note", d->note);
}

/* entry_enh_group - a class or subject row (5.X.X, X.7.X) and the detail
 * codes under it */
static void entry_enh_group(struct out *o, int cls, int subject)
{
	const struct ref_enhanced *c = cls ? ref_enh_class(cls) : NULL;
	const struct ref_enhanced *s = subject >= 0 ? ref_enh_subject(subject) : NULL;
	const struct ref_enhanced *head = s ? s : c;
	char name[16];
	size_t i;

	if (subject >= 0)
		snprintf(name, sizeof name, "%c.%d.X", cls ? '0' + cls : 'X', subject);
	else
		snprintf(name, sizeof name, "%d.X.X", cls);
	if (o->json) {
		json_object_begin(&o->j, NULL);
		json_string(&o->j, "type", subject >= 0 ? "enhanced-subject" : "enhanced-class");
		json_string(&o->j, "code", name);
		json_enh(o, "class", NULL, c);
		json_enh(o, "subject", NULL, s);
		json_array_begin(&o->j, "codes");
	} else {
		heading(o, render_code_style(cls), name, head->title);
		if (c && s)
			subline(o, RENDER_PLAIN, c->summary);
		subline(o, RENDER_PLAIN, head->summary);
		if (!o->quiet) {
			field(o, NULL, "Meaning", head->explanation);
			field(o, NULL, "See", head->section);
			field(o, NULL, "Note", head->note);
		}
		if (subject < 0) {
			/* a class: list the subjects */
			for (i = 0; i < ref_enhanced_count; i++) {
				const struct ref_enhanced *e = &ref_enhanced_table[i];

				if (e->kind != REF_ENH_SUBJECT)
					continue;
				snprintf(name, sizeof name, "  %d.%d.X", cls, e->major);
				row(o, "", RENDER_BOLD, name, e->title, 12);
			}
		}
	}
	for (i = 0; i < ref_enhanced_count; i++) {
		const struct ref_enhanced *e = &ref_enhanced_table[i];

		if (e->kind != REF_ENH_DETAIL || (subject >= 0 && e->major != subject))
			continue;
		if (subject < 0 && !o->json)
			continue;
		if (cls)
			snprintf(name, sizeof name, "%d.%d.%d", cls, e->major, e->minor);
		else
			snprintf(name, sizeof name, "X.%d.%d", e->major, e->minor);
		if (o->json) {
			json_object_begin(&o->j, NULL);
			json_string(&o->j, "code", name);
			json_string(&o->j, "title", e->title);
			json_string(&o->j, "summary", e->summary);
			json_object_end(&o->j);
		} else {
			row(o, "  ", render_code_style(cls), name, e->title, 12);
		}
	}
	if (o->json) {
		json_array_end(&o->j);
		json_object_end(&o->j);
	}
}

/* range_matches - whether code fits a pattern such as "5xx" or "x5x" */
static int range_matches(const char *pattern, int code)
{
	char name[8];
	int i;

	snprintf(name, sizeof name, "%d", code);
	for (i = 0; i < 3; i++)
		if (pattern[i] != 'x' && pattern[i] != name[i])
			return 0;
	return 1;
}

static void entry_range(struct out *o, const char *pattern)
{
	size_t i;
	char name[8];
	int first = pattern[0] != 'x' ? pattern[0] - '0' : 0;
	const struct ref_class *c = first ? ref_code_class(first * 100) : NULL;
	const struct ref_class *k = pattern[1] != 'x'
	    ? ref_code_category((pattern[1] - '0') * 10 + 200) : NULL;

	if (o->json) {
		json_object_begin(&o->j, NULL);
		json_string(&o->j, "type", "code-range");
		json_string(&o->j, "pattern", pattern);
		json_class(o, "class", c);
		json_class(o, "category", k);
		json_array_begin(&o->j, "codes");
	} else {
		heading(o, render_code_style(first), pattern,
		    c && k ? NULL : c ? c->name : k ? k->name : NULL);
		if (c && k) {
			subline(o, RENDER_BOLD, c->name);
			subline(o, RENDER_PLAIN, c->meaning);
			subline(o, RENDER_BOLD, k->name);
			subline(o, RENDER_PLAIN, k->meaning);
		} else {
			subline(o, RENDER_PLAIN, c ? c->meaning : k ? k->meaning : NULL);
		}
	}
	for (i = 0; i < ref_code_count; i++) {
		const struct ref_code *rc = &ref_code_table[i];

		if (!range_matches(pattern, rc->code))
			continue;
		snprintf(name, sizeof name, "%d", rc->code);
		if (o->json) {
			json_object_begin(&o->j, NULL);
			json_int(&o->j, "code", rc->code);
			json_string(&o->j, "text", rc->text);
			json_string(&o->j, "summary", rc->summary);
			json_object_end(&o->j);
		} else {
			row(o, "  ", render_code_style(rc->code), name, rc->summary, 7);
		}
	}
	if (o->json) {
		json_array_end(&o->j);
		json_object_end(&o->j);
	}
}

/* origin_line - "EHLO keyword · IANA-registered · current" */
static void keyword_origin(const struct ref_keyword *k, char *buf, size_t size)
{
	snprintf(buf, size, "EHLO keyword · %s · %s",
	    strcmp(k->origin, "iana") == 0 ? "IANA-registered" : "seen in the wild, not registered",
	    k->status);
}

static void entry_keyword(struct out *o, const struct ref_keyword *k)
{
	char buf[160];

	if (o->json) {
		json_object_begin(&o->j, NULL);
		json_string(&o->j, "type", "keyword");
		json_string(&o->j, "keyword", k->keyword);
		json_string(&o->j, "origin", k->origin);
		json_string(&o->j, "status", k->status);
		json_string(&o->j, "summary", k->summary);
	} else if (o->quiet) {
		row(o, "", RENDER_BOLD, k->keyword, k->summary, 4);
		return;
	} else {
		keyword_origin(k, buf, sizeof buf);
		heading(o, RENDER_BOLD, k->keyword, buf);
		subline(o, RENDER_PLAIN, k->summary);
	}
	field(o, "explanation", "Meaning", k->explanation);
	field(o, "parameters", "Parameters", strcmp(k->parameters, "none") ? k->parameters : NULL);
	field_list(o, "enables", "Enables", k->enables);
	field(o, "warning", "Warning", k->warning);
	field(o, "source", "Source", k->source);
	field(o, "section", "See", k->section);
	field(o, "note", "Note", k->note);
	if (o->json)
		json_object_end(&o->j);
}

/* codes_line - "success 250; intermediate 354; errors 503 554" plus the
 * codes any command may get */
static void codes_line(const struct ref_command *c, char *buf, size_t size)
{
	snprintf(buf, size, "success %s%s%s; errors %s; any command: %s",
	    *c->success ? c->success : "none",
	    *c->intermediate ? "; intermediate " : "", c->intermediate,
	    *c->errors ? c->errors : "none specific", REF_ANY_COMMAND_CODES);
}

/* phases_line - the phases of a verb in words (the server's own names) */
static void phases_line(const char *phases, char *buf, size_t size)
{
	const char *tok;
	size_t len, used = 0;

	buf[0] = 0;
	while (ref_list_next(&phases, &tok, &len)) {
		int ph = server_phase_from_key(tok, len);

		if (ph < 0)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
		    used ? "; " : "", server_phase_words((enum server_phase)ph));
		if (used >= size)
			return;
	}
}

static void entry_command(struct out *o, const struct ref_command *c)
{
	char buf[512];

	if (o->json) {
		json_object_begin(&o->j, NULL);
		json_string(&o->j, "type", "command");
		json_string(&o->j, "verb", c->verb);
		json_string(&o->j, "status", c->status);
		json_string(&o->j, "summary", c->summary);
		json_string(&o->j, "syntax", c->syntax);
		json_list(&o->j, "success", c->success);
		json_list(&o->j, "intermediate", c->intermediate);
		json_list(&o->j, "errors", c->errors);
		json_list(&o->j, "any_command", REF_ANY_COMMAND_CODES);
		json_list(&o->j, "phases", c->phases);
		json_string(&o->j, "pipelining", c->pipelining);
	} else if (o->quiet) {
		row(o, "", RENDER_BOLD, c->verb, c->summary, 4);
		return;
	} else {
		snprintf(buf, sizeof buf, "command · %s", c->status);
		heading(o, RENDER_BOLD, c->verb, buf);
		subline(o, RENDER_PLAIN, c->summary);
		field(o, NULL, "Syntax", c->syntax);
		codes_line(c, buf, sizeof buf);
		field(o, NULL, "Replies", buf);
		phases_line(c->phases, buf, sizeof buf);
		field(o, NULL, "Sent", buf);
		field(o, NULL, "Pipelining", strcmp(c->pipelining, "last") == 0
		    ? "only as the last command of a pipelined group (RFC 2920 3.1)"
		    : "anywhere in a pipelined group (RFC 2920 3.1)");
	}
	field(o, "explanation", "Meaning", c->explanation);
	field(o, "keyword", "Keyword", c->keyword);
	field(o, "example", "Example", c->example);
	field(o, "section", "See", c->section);
	field(o, "note", "Note", c->note);
	if (o->json)
		json_object_end(&o->j);
}

static void entry_param(struct out *o, const struct ref_param *p)
{
	char buf[160];

	if (o->json) {
		json_object_begin(&o->j, NULL);
		json_string(&o->j, "type", "parameter");
		json_string(&o->j, "param", p->param);
		json_list(&o->j, "commands", p->commands);
		json_list(&o->j, "keywords", p->keyword);
		json_string(&o->j, "summary", p->summary);
	} else if (o->quiet) {
		snprintf(buf, sizeof buf, "%s=", p->param);
		row(o, "", RENDER_BOLD, buf, p->summary, 4);
		return;
	} else {
		snprintf(buf, sizeof buf, "%s parameter · needs EHLO keyword %s",
		    p->commands, p->keyword);
		heading(o, RENDER_BOLD, p->param, buf);
		subline(o, RENDER_PLAIN, p->summary);
	}
	field(o, "syntax", "Syntax", p->syntax);
	field(o, "value", "Value", strcmp(p->value, "none") ? p->value : NULL);
	field(o, "explanation", "Meaning", p->explanation);
	field_list(o, "errors", "Errors", p->errors);
	field(o, "example", "Example", p->example);
	field(o, "section", "See", p->section);
	field(o, "note", "Note", p->note);
	if (o->json)
		json_object_end(&o->j);
}

/* ---------------------------------------------------------------- */
/* Pasted lines                                                      */

/* note - a remark about a pasted line: a text line, or a JSON string */
static void note(struct out *o, enum render_style st, const char *text)
{
	if (o->json)
		json_string(&o->j, NULL, text);
	else
		subline(o, st, text);
}

/* What the report reader makes of a pasted line or block: the verdict
 * (the server's text read for its meaning, which wins over the generic
 * meaning of the codes), printed before the codes' entries. */
struct reply_ctx {
	struct out *o;
	int done;
};

static void reply_verdict_cb(void *ctx, const struct report_msg *m,
    const struct report_rcpt *r)
{
	struct reply_ctx *c = ctx;
	struct out *o = c->o;
	struct verdict v;

	if (c->done++)
		return;
	if (o->json) {
		verdict_json_rcpt(&o->j, "verdict", m, r);
		return;
	}
	verdict_init(&v, o->out, 0, o->quiet, o->color);
	v.headings = 0;
	v.codes = 0;	/* the entries below say it all */
	verdict_begin(&v, NULL);
	verdict_rcpt(&v, m, r);
}

static void reply_verdict(struct out *o, const char *line)
{
	struct reply_ctx c = { o, 0 };
	struct report *rp = report_new(reply_verdict_cb, &c);

	if (rp) {
		report_feed(rp, line, strlen(line));
		report_end(rp);
		report_free(rp);
	}
	if (!c.done && o->json)
		json_null(&o->j, "verdict");
}

static void entry_reply_line(struct out *o, const struct lookup_term *t)
{
	const struct reply_line *l = &t->line;
	const struct ref_code *c = ref_code_find(l->code);
	const struct ref_enhanced *d = l->has_enh
	    ? ref_enh_detail(l->enh.subject, l->enh.detail) : NULL;
	char buf[512];
	int cls = l->code / 100;

	if (o->json) {
		json_object_begin(&o->j, NULL);
		json_string(&o->j, "type", "reply-line");
		json_string(&o->j, "line", t->term);
		json_int(&o->j, "code", l->code);
		json_bool(&o->j, "last_line", l->sep != '-');
		if (l->has_enh) {
			snprintf(buf, sizeof buf, "%d.%d.%d", l->enh.cls,
			    l->enh.subject, l->enh.detail);
			json_string(&o->j, "enhanced", buf);
		} else {
			json_null(&o->j, "enhanced");
		}
		json_stringn(&o->j, "text", l->after_enh, l->after_enh_len);
		reply_verdict(o, t->term);
		json_array_begin(&o->j, "notes");
	} else {
		reply_verdict(o, t->term);
		if (o->quiet)
			return;
		render_newline(&o->r);
		heading(o, render_code_style(l->code), "Reply line", NULL);
	}
	snprintf(buf, sizeof buf, "Code %d%s%s.", l->code,
	    l->sep == '-' ? ", a continuation line (more lines follow)" : "",
	    c ? "" : ", which no RFC defines: a client treats it by its first digit (RFC 5321 4.2)");
	note(o, RENDER_PLAIN, buf);
	if (l->has_enh) {
		int err;

		snprintf(buf, sizeof buf, "Enhanced status code %d.%d.%d%s",
		    l->enh.cls, l->enh.subject, l->enh.detail,
		    d ? "." : ", which is not in the IANA registry: read it by its class and subject (RFC 3463 2).");
		note(o, RENDER_PLAIN, buf);
		/* registered, seen in practice, unusual: said apart; only
		 * classes that disagree are an error */
		err = verdict_pair(l->code, l->enh.cls, l->enh.subject,
		    l->enh.detail, buf, sizeof buf);
		if (err || d)
			note(o, err ? RENDER_WARN : RENDER_DIM, buf);
	} else if (cls != 3 && t->line.text_len > 0) {
		note(o, RENDER_DIM, "No enhanced status code: the server may not announce ENHANCEDSTATUSCODES (RFC 2034).");
	}
	if (l->too_long)
		note(o, RENDER_WARN, "The line is longer than the 512 octets RFC 5321 4.5.3.1.5 allows.");
	if (o->json) {
		json_array_end(&o->j);
		if (c) {
			json_array_begin(&o->j, "reply");
			entry_code(o, c);
			json_array_end(&o->j);
		} else {
			json_null(&o->j, "reply");
		}
	} else if (!c) {
		digits_line(l->code, buf, sizeof buf);
		note(o, RENDER_DIM, buf);
	}
	/* the enhanced code is the precise one: it comes before the
	 * generic meaning of the reply code */
	if (l->has_enh && (d || ref_enh_subject(l->enh.subject))) {
		if (o->json)
			json_array_begin(&o->j, "enhanced_code");
		else
			render_newline(&o->r);
		if (d)
			entry_enh(o, l->enh.cls, d);
		else
			entry_enh_group(o, l->enh.cls, l->enh.subject);
		if (o->json)
			json_array_end(&o->j);
	} else if (o->json) {
		json_null(&o->j, "enhanced_code");
	}
	if (!o->json && c) {
		render_newline(&o->r);
		entry_code(o, c);
	}
	if (o->json)
		json_object_end(&o->j);
}

/* size_note - what an EHLO SIZE parameter says */
static void size_note(const char *p, size_t len, char *buf, size_t size)
{
	unsigned long long v = 0;
	size_t i;

	if (len == 0) {
		snprintf(buf, size, "No limit given: the server announces SIZE but says nothing about its maximum (RFC 1870 4).");
		return;
	}
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)p[i]) || i >= 20) {
			snprintf(buf, size, "The SIZE parameter must be a decimal number of octets (RFC 1870 4).");
			return;
		}
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	if (v == 0)
		snprintf(buf, size, "SIZE 0: the server has no fixed maximum message size (RFC 1870 4).");
	else
		snprintf(buf, size, "Messages up to %llu octets (%.1f MiB) are accepted; a larger SIZE= in MAIL gets 552 (RFC 1870 6).",
		    v, (double)v / (1024.0 * 1024.0));
}

static void entry_ehlo_line(struct out *o, const struct lookup_term *t)
{
	const struct reply_ehlo *e = &t->ehlo;
	const struct ref_keyword *k = ref_keyword_find(e->keyword, e->keyword_len);
	char buf[512];
	size_t i, end;

	if (o->json) {
		json_object_begin(&o->j, NULL);
		json_string(&o->j, "type", "ehlo-line");
		json_string(&o->j, "line", t->term);
		json_string(&o->j, "keyword", k->keyword);
		json_array_begin(&o->j, "parameters");
		for (i = 0; i < e->params_len; i = end) {
			while (i < e->params_len && e->params[i] == ' ')
				i++;
			for (end = i; end < e->params_len && e->params[end] != ' '; end++)
				;
			if (end > i)
				json_stringn(&o->j, NULL, e->params + i, end - i);
		}
		json_array_end(&o->j);
		json_bool(&o->j, "last_line", t->line.sep != '-');
		json_array_begin(&o->j, "notes");
	} else {
		heading(o, RENDER_CLASS2, "EHLO reply line", NULL);
	}
	snprintf(buf, sizeof buf, "Keyword %s%s%.*s%s", k->keyword,
	    e->params_len ? " with parameters \"" : ", no parameters",
	    (int)e->params_len, e->params, e->params_len ? "\"" : "");
	note(o, RENDER_PLAIN, buf);
	if (t->line.sep == '-')
		note(o, RENDER_DIM, "A continuation line: more keywords follow.");
	if (!strcmp(k->keyword, "SIZE")) {
		size_note(e->params, e->params_len, buf, sizeof buf);
		note(o, RENDER_PLAIN, buf);
	}
	if (o->json) {
		json_array_end(&o->j);
		json_array_begin(&o->j, "info");
		entry_keyword(o, k);
		json_array_end(&o->j);
		json_object_end(&o->j);
	} else {
		render_newline(&o->r);
		entry_keyword(o, k);
	}
}

/* ---------------------------------------------------------------- */
/* smtpref TERM...                                                   */

/* not_found - the stderr message for a term, with suggestions */
static void not_found(const struct out *o, const struct lookup_term *t,
    const char *why)
{
	char sug[5][32];
	size_t n = lookup_suggest(t->term, sug, 5), i;

	char safe[256];

	fprintf(o->err, "smtpref: %s: %s",
	    printable_arg(t->term, safe, sizeof safe), why);
	if (n) {
		fputs("; did you mean ", o->err);
		for (i = 0; i < n; i++)
			fprintf(o->err, "%s%s", sug[i], i + 2 < n ? ", " : i + 1 < n ? " or " : "");
		fputc('?', o->err);
	}
	fputc('\n', o->err);
}

/* show_report - a term that smtpref explain reads (a log line, a DSN
 * field, a reply block): its verdicts; 1 when something was found */
static int show_report(struct out *o, const struct lookup_term *t)
{
	struct verdict v;
	struct report *rp = report_new(verdict_rcpt, &v);
	const struct report_summary *s;
	char buf[256];
	int found;

	if (rp == NULL) {
		not_found(o, t, "out of memory");
		return 0;
	}
	verdict_init(&v, o->out, o->json, o->quiet, o->color);
	if (o->json)
		verdict_embed(&v, &o->j);
	verdict_begin(&v, NULL);
	report_feed(rp, t->term, strlen(t->term));
	report_end(rp);
	s = report_summary(rp);
	verdict_end(&v, s);
	found = s->recipients > 0;
	if (!found) {
		snprintf(buf, sizeof buf, "nothing to explain in it: it looks like %s",
		    s->looks_like ? s->looks_like : "something else");
		not_found(o, t, buf);
	}
	report_free(rp);
	return found;
}

/* show_term - print the entries for one term; 1 if any was found */
static int show_term(struct out *o, const struct lookup_term *t, int *count)
{
	const struct ref_code *c;
	const struct ref_enhanced *e;
	const struct ref_command *cmd;
	const struct ref_keyword *kw;
	const struct ref_param *p;
	size_t n, i;
	char buf[256];

	switch (t->kind) {
	case LOOKUP_CODE:
		if ((c = ref_code_find(t->code)) == NULL) {
			if (t->code >= 200 && t->code <= 559 && t->code / 10 % 10 <= 5) {
				char digits[160];

				digits_line(t->code, digits, sizeof digits);
				snprintf(buf, sizeof buf, "no such reply code (by its digits: %s)", digits);
				not_found(o, t, buf);
			} else {
				not_found(o, t, "no such reply code (RFC 5321 4.2: 2xx to 5xx, second digit 0 to 5)");
			}
			return 0;
		}
		separator(o, count);
		entry_code(o, c);
		return 1;
	case LOOKUP_RANGE:
		for (i = 0; i < ref_code_count; i++)
			if (range_matches(t->pattern, ref_code_table[i].code))
				break;
		if (i == ref_code_count) {
			not_found(o, t, "no reply code in that range");
			return 0;
		}
		separator(o, count);
		entry_range(o, t->pattern);
		return 1;
	case LOOKUP_ENH:
		if ((e = ref_enh_detail(t->enh_subject, t->enh_detail)) == NULL) {
			const struct ref_enhanced *s = ref_enh_subject(t->enh_subject);

			if (s)
				snprintf(buf, sizeof buf,
				    "not a registered enhanced status code (its subject, X.%d.X, is \"%s\": RFC 3463 2 says to read an unknown code by its class and subject)",
				    t->enh_subject, s->title);
			else
				snprintf(buf, sizeof buf, "not a registered enhanced status code");
			not_found(o, t, buf);
			return 0;
		}
		separator(o, count);
		entry_enh(o, t->enh_class, e);
		return 1;
	case LOOKUP_ENH_SUBJECT:
		if (ref_enh_subject(t->enh_subject) == NULL) {
			not_found(o, t, "no such enhanced status subject (X.0.X to X.7.X)");
			return 0;
		}
		separator(o, count);
		entry_enh_group(o, t->enh_class, t->enh_subject);
		return 1;
	case LOOKUP_ENH_CLASS:
		separator(o, count);
		entry_enh_group(o, t->enh_class, -1);
		return 1;
	case LOOKUP_WORD:
		cmd = ref_command_find(t->word, t->word_len);
		kw = ref_keyword_find(t->word, t->word_len);
		if (cmd) {
			separator(o, count);
			entry_command(o, cmd);
		}
		if (kw) {
			separator(o, count);
			entry_keyword(o, kw);
		}
		p = ref_param_find(t->word, t->word_len, &n);
		if (p && !cmd && !kw) {
			for (i = 0; i < n; i++) {
				separator(o, count);
				entry_param(o, &p[i]);
			}
		} else if (p && !o->json && !o->quiet) {
			snprintf(buf, sizeof buf, "See also: %s= (a %s parameter): smtpref %s=",
			    p->param, p->commands, p->param);
			subline(o, RENDER_DIM, buf);
		}
		if (!cmd && !kw && !p) {
			not_found(o, t, "not a command, EHLO keyword or parameter smtpref knows");
			return 0;
		}
		return 1;
	case LOOKUP_PARAM:
		p = ref_param_find(t->word, t->word_len, &n);
		if (!p) {
			not_found(o, t, "not a MAIL, RCPT, VRFY or EXPN parameter smtpref knows");
			return 0;
		}
		for (i = 0; i < n; i++) {
			separator(o, count);
			entry_param(o, &p[i]);
		}
		return 1;
	case LOOKUP_REPLY_LINE:
		separator(o, count);
		entry_reply_line(o, t);
		return 1;
	case LOOKUP_EHLO_LINE:
		separator(o, count);
		entry_ehlo_line(o, t);
		return 1;
	case LOOKUP_REPORT:
		separator(o, count);
		return show_report(o, t);
	case LOOKUP_INVALID:
	case LOOKUP_KIND_LAST:
		break;
	}
	if (isdigit((unsigned char)t->term[0]) && strlen(t->term) > 3) {
		struct reply_line l;
		enum reply_status st = reply_parse_line(t->term, strlen(t->term), &l);

		if (st != REPLY_OK) {
			snprintf(buf, sizeof buf, "not a valid reply line: %s", reply_status_str(st));
			not_found(o, t, buf);
			return 0;
		}
	}
	not_found(o, t, "not a reply code, enhanced code, command, EHLO keyword, parameter or reply line");
	return 0;
}

int lookup_terms(char *const *terms, int n, const struct lookup_opts *opts)
{
	struct out o;
	int i, missing = 0, count = 0;

	out_init(&o, opts);
	if (o.json) {
		json_object_begin(&o.j, NULL);
		json_int(&o.j, "smtpref_json", 1);
		json_array_begin(&o.j, "terms");
	}
	for (i = 0; i < n; i++) {
		struct lookup_term t;
		int found;

		lookup_classify(terms[i], &t);
		if (o.json) {
			json_object_begin(&o.j, NULL);
			json_string(&o.j, "term", terms[i]);
			json_string(&o.j, "kind", lookup_kind_str(t.kind));
			json_array_begin(&o.j, "results");
		}
		found = show_term(&o, &t, &count);
		if (o.json) {
			char sug[5][32];
			size_t k, ns = found ? 0 : lookup_suggest(terms[i], sug, 5);

			json_array_end(&o.j);
			json_bool(&o.j, "found", found);
			json_array_begin(&o.j, "suggestions");
			for (k = 0; k < ns; k++)
				json_string(&o.j, NULL, sug[k]);
			json_array_end(&o.j);
			json_object_end(&o.j);
		}
		missing += !found;
	}
	if (o.json) {
		json_array_end(&o.j);
		json_object_end(&o.j);
		json_end(&o.j);
	}
	fflush(o.out);
	return missing ? 1 : 0;
}

/* ---------------------------------------------------------------- */
/* list and search                                                   */

/* The reference tables come first; search stops at T_PERSONAS, since
 * personas and scenarios describe the simulation, not SMTP. */
enum table { T_CODES, T_ENHANCED, T_KEYWORDS, T_COMMANDS, T_PARAMS,
	T_REASONS, T_PERSONAS, T_SCENARIOS, T_LAST };
static const char *const table_names[] = { "codes", "enhanced", "keywords",
	"commands", "params", "reasons", "personas", "scenarios" };
_Static_assert(sizeof table_names / sizeof table_names[0] == T_LAST,
    "table_names out of step with enum table");

static size_t table_count(enum table t)
{
	switch (t) {
	case T_CODES: return ref_code_count;
	case T_ENHANCED: return ref_enhanced_count;
	case T_KEYWORDS: return ref_keyword_count;
	case T_COMMANDS: return ref_command_count;
	case T_PARAMS: return ref_param_count;
	case T_REASONS: return ref_reason_count;
	case T_PERSONAS: return ref_persona_count;
	case T_SCENARIOS: return ref_scenario_count;
	case T_LAST: break;
	}
	return 0;
}

/* show_row - one row of a table in brief form (text) or full (JSON) */
static void show_row(struct out *o, enum table t, size_t i)
{
	int quiet = o->quiet;

	o->quiet = 1;
	switch (t) {
	case T_CODES: entry_code(o, &ref_code_table[i]); break;
	case T_ENHANCED: {
		const struct ref_enhanced *e = &ref_enhanced_table[i];

		if (o->json) {
			json_enh(o, NULL, "enhanced-row", e);
		} else {
			row(o, "", render_code_style(e->kind == REF_ENH_CLASS ? e->major : 0), e->code, e->title, 10);
		}
		break;
	}
	case T_KEYWORDS: entry_keyword(o, &ref_keyword_table[i]); break;
	case T_COMMANDS: entry_command(o, &ref_command_table[i]); break;
	case T_PARAMS: entry_param(o, &ref_param_table[i]); break;
	case T_PERSONAS: {
		const struct ref_persona *p = &ref_persona_table[i];

		if (o->json) {
			json_object_begin(&o->j, NULL);
			json_string(&o->j, "type", "persona");
			json_string(&o->j, "name", p->name);
			json_string(&o->j, "summary", p->summary);
			json_string(&o->j, "explanation", p->explanation);
			json_string(&o->j, "hostname", p->hostname);
			json_int(&o->j, "greeting", p->greeting);
			json_list(&o->j, "keywords", p->keywords);
			json_list(&o->j, "keywords_tls", p->keywords_tls ?
			    p->keywords_tls : p->keywords);
			if (p->size >= 0)
				json_int(&o->j, "size", p->size);
			json_object_end(&o->j);
		} else {
			row(o, "", RENDER_PLAIN, p->name, p->summary, 14);
		}
		break;
	}
	case T_REASONS: {
		const struct ref_reason *rs = &ref_reason_table[i];

		if (o->json) {
			json_object_begin(&o->j, NULL);
			json_string(&o->j, "type", "reason");
			json_string(&o->j, "reason", rs->reason);
			json_string(&o->j, "origin", rs->origin);
			json_string(&o->j, "summary", rs->summary);
			json_string(&o->j, "explanation", rs->explanation);
			json_string(&o->j, "action", rs->action);
			json_string(&o->j, "retry", rs->retry);
			json_string(&o->j, "status", *rs->status ? rs->status : NULL);
			json_list(&o->j, "codes", rs->codes);
			json_string(&o->j, "section", rs->section);
			json_object_end(&o->j);
		} else {
			row(o, "", RENDER_BOLD, rs->reason, rs->summary, 17);
		}
		break;
	}
	case T_SCENARIOS: {
		const struct ref_scenario *sc = &ref_scenario_table[i];

		if (o->json) {
			json_object_begin(&o->j, NULL);
			json_string(&o->j, "type", "scenario");
			json_string(&o->j, "name", sc->name);
			json_string(&o->j, "summary", sc->summary);
			json_string(&o->j, "explanation", sc->explanation);
			json_list(&o->j, "options", sc->options);
			json_string(&o->j, "persona", sc->persona);
			json_object_end(&o->j);
		} else {
			row(o, "", RENDER_PLAIN, sc->name, sc->summary, 20);
		}
		break;
	}
	case T_LAST: break;
	}
	o->quiet = quiet;
}

int lookup_list(const char *what, const struct lookup_opts *opts)
{
	struct out o;
	enum table t;
	size_t i;

	for (t = 0; t < T_LAST; t++)
		if (!strcmp(what, table_names[t]))
			break;
	if (t == T_LAST)
		return 2;
	out_init(&o, opts);
	if (o.json) {
		json_object_begin(&o.j, NULL);
		json_int(&o.j, "smtpref_json", 1);
		json_string(&o.j, "list", what);
		json_array_begin(&o.j, "items");
	}
	for (i = 0; i < table_count(t); i++)
		show_row(&o, t, i);
	if (o.json) {
		json_array_end(&o.j);
		json_object_end(&o.j);
		json_end(&o.j);
	}
	fflush(o.out);
	return 0;
}

/* contains - case-insensitive substring test (ASCII case folding) */
static int contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (!hay)
		return 0;
	for (; *hay; hay++) {
		for (i = 0; i < n && hay[i] && upc(hay[i]) == upc(needle[i]); i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

/* row_text - the i-th searchable field of a row, NULL past the last */
static const char *row_field(enum table t, size_t i, int f)
{
	const struct ref_code *c;
	const struct ref_enhanced *e;
	const struct ref_keyword *k;
	const struct ref_command *m;
	const struct ref_param *p;

	switch (t) {
	case T_CODES:
		c = &ref_code_table[i];
		{
			const char *v[] = { c->text, c->summary, c->when, c->causes, c->action, c->note };
			return f < 6 ? v[f] ? v[f] : "" : NULL;
		}
	case T_ENHANCED:
		e = &ref_enhanced_table[i];
		{
			const char *v[] = { e->code, e->title, e->summary, e->explanation, e->action, e->note };
			return f < 6 ? v[f] ? v[f] : "" : NULL;
		}
	case T_KEYWORDS:
		k = &ref_keyword_table[i];
		{
			const char *v[] = { k->keyword, k->summary, k->explanation, k->parameters, k->warning, k->source, k->note };
			return f < 7 ? v[f] ? v[f] : "" : NULL;
		}
	case T_COMMANDS:
		m = &ref_command_table[i];
		{
			const char *v[] = { m->verb, m->summary, m->explanation, m->syntax, m->note };
			return f < 5 ? v[f] ? v[f] : "" : NULL;
		}
	case T_PARAMS:
		p = &ref_param_table[i];
		{
			const char *v[] = { p->param, p->summary, p->explanation, p->syntax, p->value, p->note };
			return f < 6 ? v[f] ? v[f] : "" : NULL;
		}
	case T_REASONS:
		{
			const struct ref_reason *rs = &ref_reason_table[i];
			const char *v[] = { rs->reason, rs->summary, rs->explanation, rs->action, rs->note };
			return f < 5 ? v[f] ? v[f] : "" : NULL;
		}
	default:
		break;
	}
	return NULL;
}

static int row_matches(enum table t, size_t i, char *const *words, int n)
{
	int w, f;

	for (w = 0; w < n; w++) {
		const char *v;
		int hit = 0;

		for (f = 0; !hit && (v = row_field(t, i, f)) != NULL; f++)
			hit = contains(v, words[w]);
		if (t == T_CODES && !hit) {
			char num[8];

			snprintf(num, sizeof num, "%d", ref_code_table[i].code);
			hit = contains(num, words[w]);
		}
		if (!hit)
			return 0;
	}
	return 1;
}

int lookup_search(char *const *words, int n, const struct lookup_opts *opts)
{
	struct out o;
	enum table t;
	size_t i, hits = 0;

	out_init(&o, opts);
	if (o.json) {
		json_object_begin(&o.j, NULL);
		json_int(&o.j, "smtpref_json", 1);
		json_array_begin(&o.j, "search");
		for (i = 0; i < (size_t)n; i++)
			json_string(&o.j, NULL, words[i]);
		json_array_end(&o.j);
		json_array_begin(&o.j, "results");
	}
	for (t = 0; t < T_PERSONAS; t++) {
		for (i = 0; i < table_count(t); i++) {
			if (!row_matches(t, i, words, n))
				continue;
			show_row(&o, t, i);
			hits++;
		}
	}
	if (o.json) {
		json_array_end(&o.j);
		json_object_end(&o.j);
		json_end(&o.j);
	}
	fflush(o.out);
	if (hits == 0) {
		fputs("smtpref: search: nothing matches", o.err);
		for (i = 0; i < (size_t)n; i++)
			fprintf(o.err, " \"%s\"", words[i]);
		fputc('\n', o.err);
		return 1;
	}
	return 0;
}

void lookup_plain(char *const *terms, int n, FILE *out, FILE *err)
{
	struct lookup_opts lo = { .color = RENDER_COLOR_NEVER };

	lo.out = out;
	lo.err = err;
	lookup_terms(terms, n, &lo);
}
