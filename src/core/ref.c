/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ref.c - lookups in the embedded reference tables
 *
 * The tables are sorted by key (build-aux/gentables.awk checks it), so
 * every lookup is a binary search; nothing is read or built at run time.
 */
#include <config.h>

#include "core/ref.h"

#include "core/ascii.h"
#include <stdio.h>
#include <string.h>

/* keycmp - compare name[0..len), folded to the key's case (upper, or
 * lower when lower is set), with the NUL-terminated key */
static int keycmp(const char *name, size_t len, const char *key, int lower)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int a = lower ? ascii_lower((unsigned char)name[i])
		    : ascii_upper((unsigned char)name[i]);
		int b = (unsigned char)key[i];

		if (b == 0 || a != b)
			return a - b;
	}
	return key[len] == 0 ? 0 : -1;
}

const struct ref_code *ref_code_find(int code)
{
	size_t lo = 0, hi = ref_code_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ref_code_table[mid].code == code)
			return &ref_code_table[mid];
		if (ref_code_table[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct ref_class *class_find(const char *digit)
{
	size_t i;

	for (i = 0; i < ref_class_count; i++)
		if (strcmp(ref_class_table[i].digit, digit) == 0)
			return &ref_class_table[i];
	return NULL;
}

const struct ref_class *ref_code_class(int code)
{
	char d[4] = { 0, 'x', 'x', 0 };

	if (code < 100 || code > 999)
		return NULL;
	d[0] = (char)('0' + code / 100);
	return class_find(d);
}

const struct ref_class *ref_code_category(int code)
{
	char d[4] = { 'x', 0, 'x', 0 };

	if (code < 100 || code > 999)
		return NULL;
	d[1] = (char)('0' + code / 10 % 10);
	return class_find(d);
}

/* enh_find - binary search on (kind, major, minor) */
static const struct ref_enhanced *enh_find(enum ref_enh_kind kind, int major,
    int minor)
{
	size_t lo = 0, hi = ref_enhanced_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ref_enhanced *e = &ref_enhanced_table[mid];
		int c = (int)e->kind - (int)kind;

		if (c == 0)
			c = e->major - major;
		if (c == 0)
			c = e->minor - minor;
		if (c == 0)
			return e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ref_enhanced *ref_enh_class(int cls)
{
	return enh_find(REF_ENH_CLASS, cls, 0);
}

const struct ref_enhanced *ref_enh_subject(int subject)
{
	return enh_find(REF_ENH_SUBJECT, subject, 0);
}

const struct ref_enhanced *ref_enh_detail(int subject, int detail)
{
	return enh_find(REF_ENH_DETAIL, subject, detail);
}

/* The name tables below share one search: a sorted array of structs whose
 * first member is the key string. */
static const void *name_find(const void *table, size_t count, size_t size,
    const char *name, size_t len, int lower)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *key = *(const char *const *)
		    (const void *)((const char *)table + mid * size);
		int c = keycmp(name, len, key, lower);

		if (c == 0)
			return (const char *)table + mid * size;
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ref_keyword *ref_keyword_find(const char *name, size_t len)
{
	return name_find(ref_keyword_table, ref_keyword_count,
	    sizeof ref_keyword_table[0], name, len, 0);
}

const struct ref_command *ref_command_find(const char *name, size_t len)
{
	return name_find(ref_command_table, ref_command_count,
	    sizeof ref_command_table[0], name, len, 0);
}

const struct ref_persona *ref_persona_find(const char *name, size_t len)
{
	return name_find(ref_persona_table, ref_persona_count,
	    sizeof ref_persona_table[0], name, len, 1);
}

const struct ref_world *ref_world_find(const char *addr, size_t len)
{
	return name_find(ref_world_table, ref_world_count,
	    sizeof ref_world_table[0], addr, len, 1);
}

const struct ref_scenario *ref_scenario_find(const char *name, size_t len)
{
	return name_find(ref_scenario_table, ref_scenario_count,
	    sizeof ref_scenario_table[0], name, len, 1);
}

const struct ref_rule *ref_rule_find(const char *rule)
{
	size_t lo = 0, hi = ref_rule_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rule, ref_rule_table[mid].rule);

		if (c == 0)
			return &ref_rule_table[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct ref_hint *ref_hint_find(const char *rule, const char *verb)
{
	const struct ref_hint *any = NULL;
	size_t i;

	if (rule == NULL)
		return NULL;
	/* a few dozen rows: a scan keeps the verb-or-any choice obvious */
	for (i = 0; i < ref_hint_count; i++) {
		const struct ref_hint *h = &ref_hint_table[i];

		if (strcmp(h->rule, rule) != 0)
			continue;
		if (h->verb == NULL)
			any = h;
		else if (verb && ascii_ieq(verb, strlen(verb), h->verb))
			return h;
	}
	return any;
}

/* meaning_row - the row of verb for code (a class when cls) */
static const struct ref_meaning *meaning_row(const char *verb, int code,
    int cls)
{
	char want[4] = { (char)('0' + code / 100 % 10), 'x', 'x', 0 };
	size_t i;

	if (!cls) {
		want[1] = (char)('0' + code / 10 % 10);
		want[2] = (char)('0' + code % 10);
	}
	for (i = 0; i < ref_meaning_count; i++)
		if (strcmp(ref_meaning_table[i].verb, verb) == 0 &&
		    strcmp(ref_meaning_table[i].code, want) == 0)
			return &ref_meaning_table[i];
	return NULL;
}

const struct ref_meaning *ref_meaning_find(const char *verb, int code)
{
	const struct ref_meaning *m = NULL;

	if (code < 200 || code > 599)
		return NULL;
	if (verb)
		m = meaning_row(verb, code, 0);
	if (m == NULL)
		m = meaning_row("ANY", code, 0);
	if (m == NULL && verb)
		m = meaning_row(verb, code, 1);
	if (m == NULL)
		m = meaning_row("ANY", code, 1);
	return m;
}

/* any_offered - whether offered() says yes to a keyword of the list */
static int any_offered(const char *list,
    int (*offered)(void *ctx, const char *keyword), void *ctx)
{
	const char *cur = list, *tok;
	size_t n;
	char kw[64];

	while (ref_list_next(&cur, &tok, &n)) {
		snprintf(kw, sizeof kw, "%.*s", (int)n, tok);
		if (offered && offered(ctx, kw))
			return 1;
	}
	return 0;
}

size_t ref_commands_next(const char *phase,
    int (*offered)(void *ctx, const char *keyword), void *ctx,
    char *buf, size_t size)
{
	size_t i, off = 0;

	if (size == 0)
		return 0;
	buf[0] = 0;
	for (i = 0; phase && i < ref_command_count; i++) {
		const struct ref_command *cmd = &ref_command_table[i];
		int n;

		if (!ref_list_has(cmd->phases, phase, strlen(phase)) ||
		    strcmp(cmd->status, "obsolete") == 0 ||
		    strcmp(cmd->status, "vendor") == 0 ||
		    strcmp(cmd->status, "lmtp") == 0 ||
		    (cmd->keyword[0] && !any_offered(cmd->keyword, offered, ctx)))
			continue;
		n = snprintf(buf + off, size - off, "%s%s", off ? " " : "", cmd->verb);
		if (n > 0 && (size_t)n < size - off)
			off += (size_t)n;
	}
	return off;
}

const struct ref_param *ref_param_find(const char *name, size_t len, size_t *n)
{
	size_t i, first = ref_param_count, count = 0;

	/* params.rec is sorted by name, then commands: rows of one name are
	 * adjacent.  The table is small; a scan keeps this obvious. */
	for (i = 0; i < ref_param_count; i++) {
		if (keycmp(name, len, ref_param_table[i].param, 0) == 0) {
			if (count++ == 0)
				first = i;
		}
	}
	if (n)
		*n = count;
	return count ? &ref_param_table[first] : NULL;
}

int ref_list_next(const char **cursor, const char **tok, size_t *len)
{
	const char *p = *cursor;

	if (p == NULL)
		return 0;
	while (*p == ' ')
		p++;
	if (*p == 0) {
		*cursor = p;
		return 0;
	}
	*tok = p;
	while (*p && *p != ' ')
		p++;
	*len = (size_t)(p - *tok);
	*cursor = p;
	return 1;
}

int ref_list_has(const char *list, const char *word, size_t len)
{
	const char *tok;
	size_t n;

	while (ref_list_next(&list, &tok, &n))
		if (n == len && memcmp(tok, word, len) == 0)
			return 1;
	return 0;
}

int ref_list_has_ci(const char *list, const char *word, size_t len)
{
	const char *cur = list, *tok;
	size_t n;

	if (list == NULL)
		return 0;
	while (ref_list_next(&cur, &tok, &n))
		if (n == len) {
			size_t i;

			for (i = 0; i < n && ascii_lower((unsigned char)tok[i]) ==
			    ascii_lower((unsigned char)word[i]); i++)
				;
			if (i == n)
				return 1;
		}
	return 0;
}

const struct ref_reason *ref_reason_find(const char *name, size_t len)
{
	size_t lo = 0, hi = ref_reason_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = keycmp(name, len, ref_reason_table[mid].reason, 1);

		if (c == 0)
			return &ref_reason_table[mid];
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ref_reason *ref_enh_reason(int subject, int detail)
{
	size_t lo = 0, hi = ref_enh_reason_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ref_enh_reason *e = &ref_enh_reason_table[mid];
		int c = subject != e->subject ? subject - e->subject
		    : detail - e->detail;

		if (c == 0)
			return ref_reason_find(e->reason, strlen(e->reason));
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int pair_seen(int code, int subject, int detail)
{
	size_t lo = 0, hi = ref_pair_seen_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ref_pair *p = &ref_pair_seen_table[mid];
		int c = code != p->code ? code - p->code
		    : subject != p->subject ? subject - p->subject
		    : detail - p->detail;

		if (c == 0)
			return 1;
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

enum ref_pair_kind ref_pair_check(int code, int cls, int subject, int detail)
{
	const struct ref_enhanced *d = ref_enh_detail(subject, detail);
	char num[8];
	int n = snprintf(num, sizeof num, "%d", code);

	if (code / 100 != cls)
		return REF_PAIR_CLASS;
	/* "-": the registry gives no basic code, so none is out of place */
	if (d && (!*d->basic || ref_list_has(d->basic, num, (size_t)n)))
		return REF_PAIR_REGISTERED;
	if (pair_seen(code, subject, detail))
		return REF_PAIR_SEEN;
	return d ? REF_PAIR_UNUSUAL : REF_PAIR_UNKNOWN;
}
