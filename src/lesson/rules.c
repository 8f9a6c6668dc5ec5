/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rules.c - the rules list: what a client or server must do, each rule
 * marked with the lesson step that teaches it (coverage.h)
 *
 * The file has the record format of the files in data/: "Field: value" lines, a
 * "+ " line continues the field above, records are separated by blank
 * lines, '#' starts a comment.  Fields (all but Meets required, each once
 * per record):
 *
 *	Id: 5321-4.1.1-no-args
 *	Source: RFC 5321 4.1.1
 *	Role: client | server | both
 *	Rule: DATA, RSET and QUIT take no argument ...
 *	Taught: 19-commands 6
 *	Meets: code 501; rule syntax
 */
#include <config.h>

#include "lesson/coverage.h"

#include "core/ascii.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum field { F_ID, F_SOURCE, F_ROLE, F_RULE, F_TAUGHT, F_MEETS, F_LAST };

static const char *const field_names[] = {
	"Id", "Source", "Role", "Rule", "Taught", "Meets"
};
_Static_assert(sizeof field_names / sizeof field_names[0] == F_LAST,
    "one name per field");

struct parse {
	const char *file;
	struct lesson_errors *errs;
	struct lesson_rules *r;
	struct lesson_rule cur;
	int in, seen[F_LAST];
	unsigned line;
	int bad;
	char *last;		/* the value a '+' line continues */
};

static void perr(struct parse *p, unsigned line, const char *msg,
    const char *what)
{
	lesson_error_add(p->errs, line, "%s%s%s", msg, what ? " " : "",
	    what ? what : "");
	p->bad = 1;
}

/* meets - "code 501; rule syntax" into the rule's Meets items (modifies
 * the value, which lives in the copied text) */
static void meets(struct parse *p, unsigned line, char *v)
{
	struct lesson_rule *r = &p->cur;

	while (v && *v) {
		char *semi = strchr(v, ';'), *sp;
		size_t k;

		if (semi)
			*semi = 0;
		while (*v == ' ')
			v++;
		sp = strchr(v, ' ');
		if (sp == NULL) {
			perr(p, line, "Meets: is KIND ITEM (code 501, rule syntax, section RFC 5321 4.1.1, ...), not", v);
			return;
		}
		*sp = 0;
		for (k = 0; k < LESSON_COV_LAST; k++)
			if (strcmp(v, lesson_cov_kind_str((enum lesson_cov_kind)k)) == 0)
				break;
		if (k == LESSON_COV_LAST) {
			perr(p, line, "Meets: unknown kind (code, enhanced, keyword, rule, section, client-command, server-command):", v);
			return;
		}
		if (r->nmeets >= LESSON_MEETS_MAX) {
			perr(p, line, "Meets: too many items", NULL);
			return;
		}
		r->meets_kind[r->nmeets] = (enum lesson_cov_kind)k;
		r->meets[r->nmeets++] = sp + 1;
		{	/* trailing spaces */
			char *e = sp + 1 + strlen(sp + 1);

			while (e > sp + 1 && e[-1] == ' ')
				*--e = 0;
		}
		v = semi ? semi + 1 : NULL;
	}
}

/* taught - "LESSON STEP" */
static void taught(struct parse *p, unsigned line, const char *v)
{
	const char *sp = strchr(v, ' ');
	char *end;
	unsigned long step;

	if (sp == NULL || (size_t)(sp - v) >= sizeof p->cur.lesson) {
		perr(p, line, "Taught: is LESSON STEP, such as '03-mail-transaction 5', not", v);
		return;
	}
	step = strtoul(sp + 1, &end, 10);
	if (end == sp + 1 || *end != 0 || step == 0 || step > LESSON_STEPS_MAX) {
		perr(p, line, "Taught: the step is a number from 1, not", sp + 1);
		return;
	}
	memcpy(p->cur.lesson, v, (size_t)(sp - v));
	p->cur.lesson[sp - v] = 0;
	p->cur.step = step;
}

static void end_record(struct parse *p)
{
	size_t i;

	if (!p->in)
		return;
	p->in = 0;
	p->last = NULL;
	for (i = 0; i < F_LAST; i++)
		if (!p->seen[i] && i != F_MEETS)
			perr(p, p->cur.line, "this rule has no field", field_names[i]);
	if (p->seen[F_ROLE] && strcmp(p->cur.role, "client") != 0 &&
	    strcmp(p->cur.role, "server") != 0 && strcmp(p->cur.role, "both") != 0)
		perr(p, p->cur.line, "Role: is client, server or both, not", p->cur.role);
	if (p->seen[F_ID])
		for (i = 0; i < p->r->n; i++)
			if (strcmp(p->r->v[i].id, p->cur.id) == 0)
				perr(p, p->cur.line, "a second rule with the Id", p->cur.id);
	if (p->r->n >= LESSON_RULES_MAX) {
		perr(p, p->cur.line, "too many rules", NULL);
		return;
	}
	p->r->v[p->r->n++] = p->cur;
}

static void field_line(struct parse *p, unsigned line, char *s)
{
	char *colon = strstr(s, ": ");
	size_t k;

	if (colon == NULL) {
		perr(p, line, "expected 'Field: value', '+ continuation', a comment or a blank line", NULL);
		return;
	}
	*colon = 0;
	for (k = 0; k < F_LAST; k++)
		if (strcmp(s, field_names[k]) == 0)
			break;
	if (k == F_LAST) {
		perr(p, line, "unknown field (Id, Source, Role, Rule, Taught, Meets):", s);
		return;
	}
	if (!p->in) {
		memset(&p->cur, 0, sizeof p->cur);
		memset(p->seen, 0, sizeof p->seen);
		p->cur.line = line;
		p->in = 1;
	}
	if (p->seen[k]) {
		perr(p, line, "a field given twice in one rule:", field_names[k]);
		return;
	}
	p->seen[k] = 1;
	s = colon + 2;
	p->last = NULL;
	switch ((enum field)k) {
	case F_ID: p->cur.id = s; break;
	case F_SOURCE: p->cur.source = s; break;
	case F_ROLE: p->cur.role = s; break;
	case F_RULE: p->cur.text = s; p->last = s; break;
	case F_TAUGHT: taught(p, line, s); break;
	case F_MEETS: meets(p, line, s); break;
	case F_LAST: break;
	}
}

int lesson_rules_parse(const char *file, const char *text, size_t len,
    struct lesson_rules *r, struct lesson_errors *errs)
{
	struct parse p;
	char *s, *line;
	unsigned n = 0;

	memset(r, 0, sizeof *r);
	memset(&p, 0, sizeof p);
	p.file = file;
	p.errs = errs;
	p.r = r;
	r->text = malloc(len + 1);
	r->v = calloc(LESSON_RULES_MAX, sizeof *r->v);
	if (r->text == NULL || r->v == NULL) {
		lesson_rules_free(r);
		lesson_error_add(errs, 0, "out of memory");
		return -1;
	}
	memcpy(r->text, text, len);
	r->text[len] = 0;
	for (s = r->text; s && *s; ) {
		char *nl = strchr(s, '\n');

		line = s;
		s = nl ? nl + 1 : NULL;
		if (nl)
			*nl = 0;
		n++;
		if (nl && nl > line && nl[-1] == '\r')
			nl[-1] = 0;
		if (memchr(line, '\t', strlen(line)))
			perr(&p, n, "a tab character (use spaces)", NULL);
		if (line[0] == '#')
			continue;
		if (line[0] == 0) {
			end_record(&p);
			continue;
		}
		if (line[0] == '+' && (line[1] == ' ' || line[1] == 0)) {
			/* a continuation of the Rule: joined to it with a
			 * space, in place (the joined text only gets
			 * shorter, and the lines after it are already cut) */
			char *end, *content = line + (line[1] ? 2 : 1);

			if (p.last == NULL) {
				perr(&p, n, "a continuation line that continues no Rule", NULL);
				continue;
			}
			end = p.last + strlen(p.last);
			*end = ' ';
			memmove(end + 1, content, strlen(content) + 1);
			continue;
		}
		field_line(&p, n, line);
	}
	end_record(&p);
	if (p.bad) {
		lesson_rules_free(r);
		return -1;
	}
	return 0;
}

void lesson_rules_free(struct lesson_rules *r)
{
	free(r->text);
	free(r->v);
	memset(r, 0, sizeof *r);
}

size_t lesson_rules_check(const struct lesson_rules *r,
    const struct lesson_cov *c, struct lesson_errors *errs,
    unsigned char *ok)
{
	size_t i, k, missing = 0;

	for (i = 0; i < r->n; i++) {
		const struct lesson_rule *u = &r->v[i];
		int st = lesson_cov_step(c, u->lesson, u->step), good = 1;

		if (st < 0) {
			lesson_error_add(errs, u->line, "%s: no step %zu in a lesson named %s",
			    u->id, u->step, u->lesson);
			good = 0;
		} else if (st == 0) {
			lesson_error_add(errs, u->line, "%s: step %zu of %s is not a step where the learner acts (send, reply or ask) that the answers reach",
			    u->id, u->step, u->lesson);
			good = 0;
		}
		for (k = 0; good && k < u->nmeets; k++)
			if (!lesson_cov_step_met(c, u->lesson, u->step,
			    u->meets_kind[k], u->meets[k])) {
				lesson_error_add(errs, u->line, "%s: at step %zu of %s the learner does not meet %s %s",
				    u->id, u->step, u->lesson,
				    lesson_cov_kind_str(u->meets_kind[k]), u->meets[k]);
				good = 0;
			}
		if (ok)
			ok[i] = (unsigned char)good;
		missing += !good;
	}
	return missing;
}
