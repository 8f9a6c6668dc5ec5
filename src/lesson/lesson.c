/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lesson.c - the lesson file parser
 *
 * A lesson file is read line by line (man/smtpref-lesson.5).  A line at
 * the start of a line is "keyword: value" (or "hint N: value"); an
 * indented line continues the text or the answer above it; '#' at the
 * start of a line is a comment.  The header comes first; each step
 * keyword starts a step, and the field keywords after it belong to it.
 *
 * The parser never stops at the first error: it reports every error of
 * the file with its line, so a teacher fixes them in one go.  Everything
 * it builds lives in one arena freed by lesson_free.  No I/O.
 */
#include <config.h>

#include "lesson/lesson.h"

#include "core/ascii.h"
#include "core/printable.h"
#include "core/reply.h"

#include <regex.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_LINES_MAX 2048	/* lines in one text or answer block */
#define PATTERN_MAX 512		/* octets in a match: pattern */
#define PATTERN_DEPTH_MAX 16	/* nested groups in it */
#define PATTERN_COUNT_MAX 255	/* a repetition count, {m,n} (RE_DUP_MAX) */
#define PATTERN_COUNT_MAX_S "255"
#define PATTERN_WEIGHT_MAX 200	/* its parts once repetitions are expanded */
#define PATTERN_WEIGHT_MAX_S "200"
#define TITLE_MAX 120
#define PART_MAX 60

/* ---- names -------------------------------------------------------------- */

static const char *const role_names[] = {
	[LESSON_CLIENT] = "client",
	[LESSON_SERVER] = "server",
};
_Static_assert(sizeof role_names / sizeof role_names[0] == LESSON_ROLE_LAST,
    "one name per role");

const char *lesson_role_str(enum lesson_role r)
{
	return (unsigned)r < LESSON_ROLE_LAST ? role_names[r] : "?";
}

static const char *const step_names[] = {
	[LESSON_SAY] = "say",
	[LESSON_SEND] = "send",
	[LESSON_REPLY] = "reply",
	[LESSON_ASK] = "ask",
	[LESSON_SET] = "set",
	[LESSON_FAULT] = "fault",
	[LESSON_LABEL] = "label",
	[LESSON_GOTO] = "goto",
	[LESSON_SUMMARY] = "summary",
	[LESSON_WAIT] = "wait",
};
_Static_assert(sizeof step_names / sizeof step_names[0] == LESSON_STEP_LAST,
    "one name per step kind");

const char *lesson_step_kind_str(enum lesson_step_kind k)
{
	return (unsigned)k < LESSON_STEP_LAST ? step_names[k] : "?";
}

static const char *const cond_names[] = {
	[LESSON_C_CODE] = "code",
	[LESSON_C_CODES] = "codes",
	[LESSON_C_ENHANCED] = "enhanced",
	[LESSON_C_PHASE] = "phase",
	[LESSON_C_RULE] = "rule",
	[LESSON_C_COMMAND] = "command",
	[LESSON_C_MATCH] = "match",
	[LESSON_C_CLOSED] = "closed",
	[LESSON_C_ALLOWED] = "allowed",
	[LESSON_C_CONFORMING] = "conforming",
	[LESSON_C_SENDER] = "sender",
};
_Static_assert(sizeof cond_names / sizeof cond_names[0] == LESSON_C_LAST,
    "one name per condition kind");

/* phase_names - the phase names of phase conditions in a role (the
 * machines' own keys: server.c, client.c), space separated */
static void phase_names(enum lesson_role role, char *buf, size_t size)
{
	size_t off = 0;
	int i, last = role == LESSON_CLIENT ? SERVER_PHASE_LAST : CLIENT_PHASE_LAST;

	buf[0] = 0;
	for (i = 0; i < last; i++) {
		const char *k = role == LESSON_CLIENT ?
		    server_phase_key((enum server_phase)i) :
		    client_phase_key((enum client_phase)i);
		int n = snprintf(buf + off, size - off, "%s%s", off ? " " : "", k);

		if (n > 0 && (size_t)n < size - off)
			off += (size_t)n;
	}
}

/* ---- the arena ---------------------------------------------------------- */

struct lesson_arena {
	struct lesson_arena *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

#define ARENA_BLOCK 16384

/* arena_alloc - n zeroed octets, aligned for any type; NULL when out of
 * memory */
static void *arena_alloc(struct lesson *l, size_t n)
{
	struct lesson_arena *a = l->arena;
	size_t align = alignof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (a == NULL || a->cap - a->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		a = malloc(sizeof *a + cap);
		if (a == NULL)
			return NULL;
		a->next = l->arena;
		a->used = 0;
		a->cap = cap;
		l->arena = a;
	}
	p = a->data + a->used;
	a->used += n;
	memset(p, 0, n);
	return p;
}

static char *arena_strndup(struct lesson *l, const char *s, size_t n)
{
	char *p = arena_alloc(l, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

/* ---- errors ------------------------------------------------------------- */

void lesson_errors_init(struct lesson_errors *errs, const char *file)
{
	memset(errs, 0, sizeof *errs);
	errs->file = file ? file : "(lesson)";
}

char *lesson_error_format(const struct lesson_errors *errs, size_t i,
    char *buf, size_t size)
{
	const struct lesson_error *e;

	if (size == 0)
		return buf;
	if (i >= errs->n) {
		buf[0] = 0;
		return buf;
	}
	e = &errs->e[i];
	if (e->line)
		snprintf(buf, size, "%s:%u: %s%s", errs->file, e->line,
		    e->warning ? "warning: " : "", e->msg);
	else
		snprintf(buf, size, "%s: %s%s", errs->file,
		    e->warning ? "warning: " : "", e->msg);
	return buf;
}

static void vadd(struct lesson_errors *errs, int warning, unsigned line,
    const char *fmt, va_list ap)
{
	struct lesson_error *e;

	if (!warning)
		errs->nerrors++;
	if (errs->n >= LESSON_ERRORS_MAX) {
		errs->dropped++;
		return;
	}
	e = &errs->e[errs->n++];
	e->line = line;
	e->warning = warning;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

void lesson_error_add(struct lesson_errors *errs, unsigned line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(errs, 0, line, fmt, ap);
	va_end(ap);
}

void lesson_warning_add(struct lesson_errors *errs, unsigned line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(errs, 1, line, fmt, ap);
	va_end(ap);
}

/* ---- names of lessons --------------------------------------------------- */

int lesson_name_from_file(const char *file, char *name, size_t size)
{
	const char *base = strrchr(file, '/');
	size_t n, i;

	base = base ? base + 1 : file;
	n = strlen(base);
	if (n > 7 && strcmp(base + n - 7, ".lesson") == 0)
		n -= 7;
	if (n == 0 || n >= size || n >= LESSON_NAME_MAX || base[0] == '.')
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)base[i];

		if (!ascii_is_alnum(c) && c != '.' && c != '_' && c != '-')
			return -1;
	}
	memcpy(name, base, n);
	name[n] = 0;
	return 0;
}

/* ---- the parser's state ------------------------------------------------- */

/* What an indented line continues. */
enum block {
	BLOCK_NONE,
	BLOCK_TEXT,		/* paragraphs: say, send, reply, ask, summary, hint */
	BLOCK_LITERAL		/* lines kept as they are: answer, alt, wrong */
};

struct bline {
	const char *p;		/* after the indentation */
	size_t len;
	unsigned indent;	/* columns (a tab goes to the next multiple of 8) */
	unsigned line;
	int blank;
};

/* Where the finished block goes. */
enum target {
	T_NONE, T_STEP_TEXT, T_HINT, T_ANSWER, T_ALT, T_WRONG
};

struct label {
	const char *name;
	unsigned line;
	size_t step;		/* the index of the label step */
};

struct parser {
	struct lesson *l;
	struct lesson_errors *errs;
	int oom;
	enum lesson_role role;	/* in effect, in file order */
	int header_done;
	unsigned title_line, minutes_line, part_line;
	unsigned summary_line;

	/* the step being built; its lists are copied into the arena when
	 * it ends */
	int have_step;
	struct lesson_step st;
	struct lesson_cond conds[LESSON_CONDS_MAX];
	struct lesson_branch branches[LESSON_BRANCHES_MAX];
	struct lesson_hint hints[LESSON_HINTS_MAX];
	struct lesson_answer alts[LESSON_ALTS_MAX];
	struct lesson_answer wrongs[LESSON_ALTS_MAX];
	const char *accepts[LESSON_ACCEPTS_MAX];
	size_t ncond, nbranch, nhint, nalt, nwrong, naccept;
	int have_answer;
	size_t nsteps_cap;

	/* the block being collected */
	enum block block;
	enum target target;
	const char *first;	/* the value on the keyword's line */
	size_t first_len;
	unsigned first_line;
	struct bline blines[BLOCK_LINES_MAX];
	size_t nblines;
	int block_overflow;

	struct label labels[LESSON_STEPS_MAX];
	size_t nlabels;
};

static void err(struct parser *ps, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(ps->errs, 0, line, fmt, ap);
	va_end(ap);
}

static void warn(struct parser *ps, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(ps->errs, 1, line, fmt, ap);
	va_end(ap);
}

static char *sdup(struct parser *ps, const char *s, size_t n)
{
	char *p = arena_strndup(ps->l, s, n);

	if (p == NULL)
		ps->oom = 1;
	return p;
}

static int is_checked(enum lesson_step_kind k)
{
	return k == LESSON_SEND || k == LESSON_REPLY || k == LESSON_ASK;
}

/* ---- small scanners ----------------------------------------------------- */

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* control_at - report a character a terminal would obey, or that hides
 * what the line says (core/printable.h), as the front ends would show
 * it; a tab is a blank.  1 when there was one. */
static int control_at(struct parser *ps, unsigned line, const char *s,
    size_t n)
{
	size_t i = 0, w, k, col = 1;
	char shown[20];
	int mark;

	for (;;) {
		i += printable_bad(s + i, n - i, 0, &w);
		if (i == n)
			return 0;
		if (s[i] != '\t')
			break;
		i++;
	}
	printable_text(s + i, w, shown, sizeof shown, 0);
	for (k = 0; k < i; k++)	/* a column is a character, not an octet */
		if (((unsigned char)s[k] & 0xc0) != 0x80)
			col++;
	mark = w > 2;	/* U+061C and U+2xxx; C1 controls take 1 or 2 octets */
	err(ps, line, "column %zu holds the %s %s: a lesson is plain text, and a terminal would %s",
	    col, mark ? "invisible direction mark" : "control character",
	    shown, mark ? "show the line otherwise than it reads" : "obey it");
	return 1;
}

/* utf8_ok - whether s[0..n) is valid UTF-8 (no overlongs, no surrogates) */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k, need;
		unsigned long cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else
			return 0;
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* number - a decimal number of at most 6 digits filling s[0..n); -1 if
 * not one */
static long number(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 6)
		return -1;
	for (i = 0; i < n; i++) {
		if (!ascii_is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* word - the next space-separated word of *p (advancing it); 0 at the end */
static int word(const char **p, const char *end, const char **w, size_t *n)
{
	const char *s = *p;

	while (s < end && is_blank((unsigned char)*s))
		s++;
	if (s == end) {
		*p = s;
		return 0;
	}
	*w = s;
	while (s < end && !is_blank((unsigned char)*s))
		s++;
	*n = (size_t)(s - *w);
	*p = s;
	return 1;
}

static int eq(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

static int label_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= LESSON_LABEL_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(ascii_is_alnum(c) || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

/* code_pattern_ok - "250", "2xx", "55x", "x5x" */
static int code_pattern_ok(const char *s, size_t n)
{
	if (n != 3)
		return 0;
	if (!(s[0] == 'x' || (s[0] >= '2' && s[0] <= '5')))
		return 0;
	if (!(s[1] == 'x' || (s[1] >= '0' && s[1] <= '5')))
		return 0;
	return s[2] == 'x' || ascii_is_digit((unsigned char)s[2]);
}

/* enh_part - 1 to 3 digits without a leading zero, or "x" */
static int enh_part(const char *s, size_t n)
{
	size_t i;

	if (n == 1 && s[0] == 'x')
		return 1;
	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return 0;
	for (i = 0; i < n; i++)
		if (!ascii_is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* enh_pattern_ok - "5.1.1", "5.1.x", "x.7.x", "none" */
static int enh_pattern_ok(const char *s, size_t n)
{
	const char *d1, *d2;

	if (eq(s, n, "none"))
		return 1;
	d1 = memchr(s, '.', n);
	if (d1 == NULL)
		return 0;
	d2 = memchr(d1 + 1, '.', n - (size_t)(d1 + 1 - s));
	if (d2 == NULL)
		return 0;
	if (!(d1 - s == 1 && (s[0] == 'x' || s[0] == '2' || s[0] == '4' ||
	    s[0] == '5')))
		return 0;
	return enh_part(d1 + 1, (size_t)(d2 - d1 - 1)) &&
	    enh_part(d2 + 1, n - (size_t)(d2 + 1 - s));
}

/* lower - a lower-case copy of a short word into buf */
static void lower(const char *s, size_t n, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < n && i + 1 < size; i++)
		buf[i] = (char)ascii_lower((unsigned char)s[i]);
	buf[i] = 0;
}

/* verb_ok - a verb of commands.rec, or CONNECT / DATA-END */
static int verb_ok(const char *s, size_t n)
{
	return ref_command_find(s, n) != NULL || ascii_ieq(s, n, "CONNECT") ||
	    ascii_ieq(s, n, "DATA-END");
}

/* ---- conditions --------------------------------------------------------- */

/* Each cond_ function reads the arguments of one kind of check from *p;
 * -1 after an error, 1 when the whole rest of the line was its argument,
 * else 0 (nothing may follow). */

static int cond_codes(struct parser *ps, unsigned line, const char **p,
    const char *end, struct lesson_cond *c)
{
	const char *pats[LESSON_OBS_REPLIES], *w;
	size_t wn, np = 0, max = c->kind == LESSON_C_CODE ? 8 : LESSON_OBS_REPLIES;

	while (word(p, end, &w, &wn)) {
		char pat[4];

		lower(w, wn, pat, sizeof pat);
		if (wn != 3 || !code_pattern_ok(pat, 3)) {
			err(ps, line, "'%.*s' is not a reply code or a pattern like 250, 25x or 2xx",
			    (int)(wn > 20 ? 20 : wn), w);
			return -1;
		}
		if (np >= max) {
			err(ps, line, "too many codes (at most %zu)", max);
			return -1;
		}
		pats[np] = sdup(ps, pat, 3);
		if (pats[np++] == NULL)
			return -1;
	}
	if (np == 0) {
		err(ps, line, "%s needs at least one reply code", cond_names[c->kind]);
		return -1;
	}
	c->pats = arena_alloc(ps->l, np * sizeof *c->pats);
	if (c->pats == NULL) {
		ps->oom = 1;
		return -1;
	}
	memcpy((void *)c->pats, pats, np * sizeof *pats);
	c->npats = np;
	return 1;
}

static int cond_enhanced(struct parser *ps, unsigned line, const char **p,
    const char *end, struct lesson_cond *c)
{
	const char *w;
	size_t wn;
	char e[16];

	if (!word(p, end, &w, &wn) || wn >= sizeof e) {
		err(ps, line, "enhanced needs an enhanced status code such as 5.1.1, 5.1.x or none");
		return -1;
	}
	lower(w, wn, e, sizeof e);
	if (!enh_pattern_ok(e, wn)) {
		err(ps, line, "'%.*s' is not an enhanced status code (class.subject.detail, like 5.1.1; x for any part; or none)",
		    (int)wn, w);
		return -1;
	}
	c->arg = sdup(ps, e, wn);
	return 0;
}

static int cond_phase(struct parser *ps, unsigned line, const char **p,
    const char *end, struct lesson_cond *c)
{
	const char *w;
	size_t wn;
	char names[256], ph[24];
	int known;

	phase_names(ps->role, names, sizeof names);
	if (!word(p, end, &w, &wn)) {
		err(ps, line, "phase needs a phase name (%s)", names);
		return -1;
	}
	lower(w, wn, ph, sizeof ph);
	known = wn < sizeof ph && (ps->role == LESSON_CLIENT ?
	    server_phase_from_key(ph, wn) : client_phase_from_key(ph, wn)) >= 0;
	if (!known) {
		err(ps, line, "unknown phase '%.*s' in the %s role (use one of: %s)",
		    (int)(wn > 20 ? 20 : wn), w, lesson_role_str(ps->role), names);
		return -1;
	}
	c->arg = sdup(ps, ph, wn);
	return 0;
}

static int cond_rule(struct parser *ps, unsigned line, const char **p,
    const char *end, struct lesson_cond *c)
{
	const char *w;
	size_t wn;

	if (!word(p, end, &w, &wn) || !label_ok(w, wn) || wn > 47) {
		err(ps, line, "rule needs the name of a rule of the simulated server, such as relay-denied");
		return -1;
	}
	if (ps->role != LESSON_CLIENT) {
		err(ps, line, "rule checks the simulated server's reply: only in the client role");
		return -1;
	}
	c->arg = sdup(ps, w, wn);
	if (c->arg && ref_rule_find(c->arg) == NULL) {
		err(ps, line, "unknown rule '%s': the simulated server has no such rule (smtpref's data/rules.rec lists them)",
		    c->arg);
		return -1;
	}
	return 0;
}

static int cond_command(struct parser *ps, unsigned line, const char **p,
    const char *end, struct lesson_cond *c)
{
	const char *w;
	size_t wn, i;
	char v[16];

	if (!word(p, end, &w, &wn) || wn >= sizeof v || !verb_ok(w, wn)) {
		err(ps, line, "command needs a verb such as RCPT (or CONNECT for the greeting, DATA-END for the final dot)");
		return -1;
	}
	for (i = 0; i < wn; i++)
		v[i] = (char)ascii_upper((unsigned char)w[i]);
	c->arg = sdup(ps, v, wn);
	return 0;
}

/* pattern_problem - NULL when glibc matches pattern (a POSIX ERE) in
 * bounded time and memory, else what is wrong with it.  Refused:
 * back-references, which POSIX ERE does not have and which glibc matches
 * by backtracking, in exponential time ("^(a|aa)*\\1*(a|aa)*\\2*$" ran
 * for minutes on a 14-octet answer); and repetition counts whose nesting
 * glibc expands into more than PATTERN_WEIGHT_MAX parts (it compiles
 * "{m,n}" as n copies); and a repetition of a repetition ("a++",
 * "a*{9}"), which POSIX leaves undefined and which glibc compiles into
 * trees that grow with each one ("\\+" and a hundred "+" took 2 GB; found
 * by the fuzzer).  Without those, glibc's matcher is a set of automaton
 * states: time grows with the input times the states. */
static const char *pattern_problem(const char *p)
{
	unsigned long sum[PATTERN_DEPTH_MAX + 1], last[PATTERN_DEPTH_MAX + 1];
	size_t depth = 0;
	int dup = 0;		/* the token before was a repetition */

	sum[0] = last[0] = 0;
	while (*p) {
		unsigned long w = 1;
		int is_dup = *p == '*' || *p == '+' || *p == '?' ||
		    (*p == '{' && ((p[1] >= '0' && p[1] <= '9') || p[1] == ','));

		if (is_dup && dup)
			return "a repetition of a repetition (like a++ or a*{2}) is not allowed: POSIX leaves it undefined, and it can take gigabytes to compile";
		dup = is_dup;
		switch (*p) {
		case '\\':
			if (p[1] >= '1' && p[1] <= '9')
				return "back-references (\\1 to \\9) are not allowed: POSIX extended expressions have none, and matching them can take exponential time";
			p += p[1] ? 2 : 1;
			break;
		case '[':
			/* a bracket expression: "]" first is a member */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']') {
				if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
					char end = p[1];

					for (p += 2; *p && !(p[0] == end && p[1] == ']'); p++)
						;
					if (*p)
						p += 2;
					continue;
				}
				p++;
			}
			if (*p)
				p++;
			break;
		case '(':
			if (depth == PATTERN_DEPTH_MAX)
				return "the pattern nests groups too deep";
			depth++;
			sum[depth] = last[depth] = 0;
			p++;
			continue;
		case ')':
			if (depth == 0) {
				p++;	/* regcomp will say what is wrong */
				break;
			}
			w = sum[depth] ? sum[depth] : 1;
			depth--;
			p++;
			break;
		case '{': {
			unsigned long m = 0, n;
			const char *q = p + 1;

			while (*q >= '0' && *q <= '9' && m <= 1000)
				m = m * 10 + (unsigned long)(*q++ - '0');
			n = m;
			if (*q == ',') {
				q++;
				if (*q >= '0' && *q <= '9')
					for (n = 0; *q >= '0' && *q <= '9' && n <= 1000; q++)
						n = n * 10 + (unsigned long)(*q - '0');
				else
					n = m + 1;	/* {m,}: m copies and a star */
			}
			if (m > PATTERN_COUNT_MAX || n > PATTERN_COUNT_MAX)
				return "a repetition count over " PATTERN_COUNT_MAX_S " is not allowed";
			if (n < 1)
				n = 1;
			/* the atom before it now counts n times */
			sum[depth] += last[depth] * (n - 1);
			last[depth] *= n;
			if (sum[depth] > PATTERN_WEIGHT_MAX)
				return "the pattern's repetitions nest too deep: matching it would take too long (at most " PATTERN_WEIGHT_MAX_S " parts once expanded)";
			p = *q == '}' ? q + 1 : q;
			continue;
		}
		default:
			p++;
			break;
		}
		sum[depth] += w;
		last[depth] = w;
		if (sum[depth] > PATTERN_WEIGHT_MAX)
			return "the pattern's repetitions nest too deep: matching it would take too long (at most " PATTERN_WEIGHT_MAX_S " parts once expanded)";
	}
	return NULL;
}

/* cond_match - the rest of the line is a POSIX extended regex */
static int cond_match(struct parser *ps, unsigned line, const char *rest,
    const char *end, struct lesson_cond *c)
{
	regex_t *re;
	const char *why;
	int rc;

	if (rest == end) {
		err(ps, line, "match needs a pattern (a POSIX extended regular expression)");
		return -1;
	}
	if ((size_t)(end - rest) > PATTERN_MAX) {
		err(ps, line, "the pattern is longer than %d octets", PATTERN_MAX);
		return -1;
	}
	why = pattern_problem(c->arg);
	if (why) {
		err(ps, line, "%s", why);
		return -1;
	}
	re = malloc(sizeof *re);
	if (re == NULL) {
		ps->oom = 1;
		return -1;
	}
	rc = regcomp(re, c->arg, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc != 0) {
		char msg[128];

		regerror(rc, re, msg, sizeof msg);
		free(re);
		err(ps, line, "bad pattern: %s", msg);
		return -1;
	}
	c->re = re;
	return 1;
}

/* cond_kind - the check's name (after an optional "not") */
static int cond_kind(struct parser *ps, unsigned line, const char **p,
    const char *end, struct lesson_cond *c)
{
	const char *w;
	size_t wn, k;
	char kw[16];

	if (!word(p, end, &w, &wn)) {
		err(ps, line, "expect: needs a check, such as 'code 250' or 'phase rcpt'");
		return -1;
	}
	if (eq(w, wn, "not")) {
		c->negate = 1;
		if (!word(p, end, &w, &wn)) {
			err(ps, line, "'not' must be followed by a check, such as 'not code 5xx'");
			return -1;
		}
	}
	lower(w, wn, kw, sizeof kw);
	for (k = 0; k < LESSON_C_LAST; k++)
		if (wn < sizeof kw && strcmp(kw, cond_names[k]) == 0)
			break;
	if (k == LESSON_C_LAST) {
		err(ps, line, "unknown check '%.*s' (use code, codes, enhanced, phase, rule, command, match, closed, allowed, conforming or sender)",
		    (int)(wn > 40 ? 40 : wn), w);
		return -1;
	}
	c->kind = (enum lesson_cond_kind)k;
	return 0;
}

static int parse_cond(struct parser *ps, unsigned line, const char *s,
    size_t n, struct lesson_cond *c)
{
	const char *p = s, *end = s + n, *w, *rest;
	size_t wn;
	int rc = 0;

	memset(c, 0, sizeof *c);
	c->line = line;
	if (cond_kind(ps, line, &p, end, c) != 0)
		return -1;
	while (p < end && is_blank((unsigned char)*p))
		p++;
	rest = p;
	c->arg = sdup(ps, rest, (size_t)(end - rest));
	if (c->arg == NULL)
		return -1;
	switch (c->kind) {
	case LESSON_C_CODE:
	case LESSON_C_CODES: rc = cond_codes(ps, line, &p, end, c); break;
	case LESSON_C_ENHANCED: rc = cond_enhanced(ps, line, &p, end, c); break;
	case LESSON_C_PHASE: rc = cond_phase(ps, line, &p, end, c); break;
	case LESSON_C_RULE: rc = cond_rule(ps, line, &p, end, c); break;
	case LESSON_C_COMMAND: rc = cond_command(ps, line, &p, end, c); break;
	case LESSON_C_MATCH: rc = cond_match(ps, line, rest, end, c); break;
	case LESSON_C_SENDER:
		if (ps->role != LESSON_CLIENT) {
			err(ps, line, "sender compares the answer with the sender the simulated server accepted: only in the client role");
			return -1;
		}
		break;
	case LESSON_C_ALLOWED:
	case LESSON_C_CONFORMING:
		if (ps->role != LESSON_SERVER) {
			err(ps, line, "%s checks the learner's reply: only in the server role",
			    cond_names[c->kind]);
			return -1;
		}
		break;
	case LESSON_C_CLOSED:
	case LESSON_C_LAST:
		break;
	}
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (word(&p, end, &w, &wn)) {
		err(ps, line, "unexpected '%.*s' after '%s'", (int)(wn > 20 ? 20 : wn),
		    w, cond_names[c->kind]);
		return -1;
	}
	return 0;
}

/* free_cond - the regex, the only thing outside the arena */
static void free_cond(struct lesson_cond *c)
{
	if (c->re) {
		regfree(c->re);
		free(c->re);
		c->re = NULL;
	}
}

/* ---- blocks: text and answers ------------------------------------------- */

struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void buf_spaces(struct buf *b, unsigned n)
{
	while (n-- > 0)
		buf_add(b, " ", 1);
}

/* is_item - a list item: "- " at the start of a line */
static int is_item(const char *p, size_t n)
{
	return n >= 2 && (p[0] == '-' || p[0] == '*') && p[1] == ' ';
}

/* render_text - the paragraphs of a text block: lines of a paragraph are
 * joined with one space; a line starting with "- " starts a list item,
 * and lines indented two more columns continue it; other lines indented
 * more than the block's least indented line are kept (preformatted,
 * starting with a space); blank lines separate paragraphs */
static void render_text(struct parser *ps, struct buf *b)
{
	unsigned base = ~0u;
	size_t i;
	int in_para = 0, in_item = 0, gap = 0;

	for (i = 0; i < ps->nblines; i++)
		if (!ps->blines[i].blank && ps->blines[i].indent < base)
			base = ps->blines[i].indent;
	if (ps->first_len) {
		buf_add(b, ps->first, ps->first_len);
		in_para = 1;
		in_item = is_item(ps->first, ps->first_len);
	}
	for (i = 0; i < ps->nblines; i++) {
		const struct bline *bl = &ps->blines[i];

		if (bl->blank) {
			if (b->len)
				gap = 1;
			in_para = in_item = 0;
			continue;
		}
		if (in_item && !gap && bl->indent == base + 2 &&
		    !is_item(bl->p, bl->len)) {
			buf_add(b, " ", 1);
			buf_add(b, bl->p, bl->len);
			continue;
		}
		if (bl->indent > base) {
			if (b->len)
				buf_add(b, gap ? "\n\n" : "\n", gap ? 2 : 1);
			buf_spaces(b, bl->indent - base);
			buf_add(b, bl->p, bl->len);
			in_para = in_item = 0;
			gap = 0;
			continue;
		}
		if (in_para && !gap && !is_item(bl->p, bl->len))
			buf_add(b, " ", 1);
		else if (b->len)
			buf_add(b, gap ? "\n\n" : "\n", gap ? 2 : 1);
		buf_add(b, bl->p, bl->len);
		in_para = 1;
		in_item = is_item(bl->p, bl->len);
		gap = 0;
	}
}

/* render_literal - the lines of an answer, relative indentation kept */
static void render_literal(struct parser *ps, struct buf *b)
{
	unsigned base = ~0u;
	size_t i, blanks = 0;

	for (i = 0; i < ps->nblines; i++)
		if (!ps->blines[i].blank && ps->blines[i].indent < base)
			base = ps->blines[i].indent;
	if (ps->first_len)
		buf_add(b, ps->first, ps->first_len);
	for (i = 0; i < ps->nblines; i++) {
		const struct bline *bl = &ps->blines[i];

		if (bl->blank) {
			blanks++;
			continue;
		}
		if (b->len || ps->first_len || i > 0)
			buf_add(b, "\n", 1);
		for (; blanks > 0; blanks--)
			buf_add(b, "\n", 1);
		buf_spaces(b, bl->indent - base);
		buf_add(b, bl->p, bl->len);
	}
	/* a block that starts on the line after the keyword: no leading
	 * empty line */
	if (!ps->first_len && b->len && b->p[0] == '\n') {
		memmove(b->p, b->p + 1, b->len);
		b->len--;
	}
}

/* end_block - the block is complete: store it where it belongs */
static void end_block(struct parser *ps)
{
	struct buf b = { NULL, 0, 0, 0 };
	char *s;

	if (ps->block == BLOCK_NONE)
		return;
	if (ps->block == BLOCK_TEXT)
		render_text(ps, &b);
	else
		render_literal(ps, &b);
	if (b.oom) {
		ps->oom = 1;
		free(b.p);
		goto out;
	}
	s = sdup(ps, b.p ? b.p : "", b.len);
	free(b.p);
	if (s == NULL)
		goto out;
	if (b.len == 0 && ps->target != T_NONE && ps->target != T_STEP_TEXT) {
		err(ps, ps->first_line, "this %s is empty",
		    ps->target == T_STEP_TEXT ? "text" : ps->target == T_HINT ?
		    "hint" : "answer");
		goto out;
	}
	if (ps->target != T_STEP_TEXT && ps->target != T_HINT &&
	    b.len > LESSON_ANSWER_MAX) {
		err(ps, ps->first_line, "this answer is longer than %d octets",
		    LESSON_ANSWER_MAX);
		goto out;
	}
	switch (ps->target) {
	case T_STEP_TEXT:
		ps->st.text = s;
		break;
	case T_HINT:
		ps->hints[ps->nhint - 1].text = s;
		break;
	case T_ANSWER:
		ps->st.answer.text = s;
		ps->st.answer.line = ps->first_line;
		if (ps->st.kind == LESSON_ASK && strchr(s, '\n'))
			err(ps, ps->first_line, "the answer to a question is one line");
		break;
	case T_ALT:
		ps->alts[ps->nalt - 1].text = s;
		break;
	case T_WRONG:
		ps->wrongs[ps->nwrong - 1].text = s;
		break;
	case T_NONE:
		break;
	}
out:
	ps->block = BLOCK_NONE;
	ps->target = T_NONE;
	ps->nblines = 0;
	ps->block_overflow = 0;
	ps->first = NULL;
	ps->first_len = 0;
}

static void begin_block(struct parser *ps, enum block kind, enum target t,
    const char *value, size_t len, unsigned line)
{
	ps->block = kind;
	ps->target = t;
	ps->first = value;
	ps->first_len = len;
	ps->first_line = line;
	ps->nblines = 0;
	ps->block_overflow = 0;
}

/* ---- steps -------------------------------------------------------------- */

static void *copy_list(struct parser *ps, const void *src, size_t n, size_t size)
{
	void *p;

	if (n == 0)
		return NULL;
	p = arena_alloc(ps->l, n * size);
	if (p == NULL) {
		ps->oom = 1;
		return NULL;
	}
	memcpy(p, src, n * size);
	return p;
}

static int by_after(const void *a, const void *b)
{
	const struct lesson_hint *x = a, *y = b;

	return (x->after > y->after) - (x->after < y->after);
}

/* end_step - the current step is complete: check it and append it */
static void end_step(struct parser *ps)
{
	struct lesson *l = ps->l;
	struct lesson_step *st = &ps->st;
	size_t i;

	end_block(ps);
	if (!ps->have_step)
		return;
	ps->have_step = 0;
	if ((st->kind == LESSON_SAY || st->kind == LESSON_SUMMARY ||
	    is_checked(st->kind)) && (st->text == NULL || st->text[0] == 0) &&
	    !ps->oom)
		err(ps, st->line, "%s: needs a text", step_names[st->kind]);
	if (is_checked(st->kind) && !ps->have_answer)
		err(ps, st->line, "this %s step has no answer: line; every step that checks the learner needs a model answer",
		    step_names[st->kind]);
	if (st->kind == LESSON_ASK && ps->naccept > 0 && ps->ncond > 0)
		warn(ps, st->line, "accept: lines are not used when the question has expect: lines");
	st->conds = copy_list(ps, ps->conds, ps->ncond, sizeof ps->conds[0]);
	st->nconds = st->conds ? ps->ncond : 0;
	st->branches = copy_list(ps, ps->branches, ps->nbranch, sizeof ps->branches[0]);
	st->nbranches = st->branches ? ps->nbranch : 0;
	qsort(ps->hints, ps->nhint, sizeof ps->hints[0], by_after);
	for (i = 1; i < ps->nhint; i++)
		if (ps->hints[i].after == ps->hints[i - 1].after)
			err(ps, ps->hints[i].line, "a second hint after %u wrong tries (the other is on line %u)",
			    ps->hints[i].after, ps->hints[i - 1].line);
	st->hints = copy_list(ps, ps->hints, ps->nhint, sizeof ps->hints[0]);
	st->nhints = st->hints ? ps->nhint : 0;
	st->alts = copy_list(ps, ps->alts, ps->nalt, sizeof ps->alts[0]);
	st->nalts = st->alts ? ps->nalt : 0;
	st->wrongs = copy_list(ps, ps->wrongs, ps->nwrong, sizeof ps->wrongs[0]);
	st->nwrongs = st->wrongs ? ps->nwrong : 0;
	st->accepts = copy_list(ps, ps->accepts, ps->naccept, sizeof ps->accepts[0]);
	st->naccepts = st->accepts ? ps->naccept : 0;
	if (ps->oom) {
		/* the conditions' regexes are not reachable from a step */
		for (i = 0; i < ps->ncond; i++)
			free_cond(&ps->conds[i]);
		for (i = 0; i < ps->nbranch; i++)
			free_cond(&ps->branches[i].cond);
		return;
	}
	if (l->nsteps >= LESSON_STEPS_MAX) {
		err(ps, st->line, "too many steps (at most %d)", LESSON_STEPS_MAX);
		for (i = 0; i < ps->ncond; i++)
			free_cond(&ps->conds[i]);
		for (i = 0; i < ps->nbranch; i++)
			free_cond(&ps->branches[i].cond);
		return;
	}
	if (l->nsteps == ps->nsteps_cap) {
		size_t cap = ps->nsteps_cap ? ps->nsteps_cap * 2 : 32;
		struct lesson_step *n = realloc(l->steps, cap * sizeof *n);

		if (n == NULL) {
			ps->oom = 1;
			for (i = 0; i < ps->ncond; i++)
				free_cond(&ps->conds[i]);
			for (i = 0; i < ps->nbranch; i++)
				free_cond(&ps->branches[i].cond);
			return;
		}
		l->steps = n;
		ps->nsteps_cap = cap;
	}
	l->steps[l->nsteps++] = *st;
	if (is_checked(st->kind))
		l->nchecked++;
}

static void begin_step(struct parser *ps, enum lesson_step_kind k,
    unsigned line)
{
	end_step(ps);
	memset(&ps->st, 0, sizeof ps->st);
	ps->st.kind = k;
	ps->st.line = line;
	ps->st.role = ps->role;
	ps->ncond = ps->nbranch = ps->nhint = ps->nalt = ps->nwrong = 0;
	ps->naccept = 0;
	ps->have_answer = 0;
	ps->have_step = 1;
	ps->header_done = 1;
}

/* ---- keywords ----------------------------------------------------------- */

enum kw {
	/* header */
	K_TITLE, K_MINUTES, K_ROLE, K_PERSONA, K_SCENARIO, K_ORDER, K_PART,
	K_SKIP,
	/* steps */
	K_SAY, K_SEND, K_REPLY, K_ASK, K_SET, K_FAULT, K_WAIT, K_LABEL, K_GOTO,
	K_SUMMARY,
	/* fields */
	K_EXPECT, K_HINT, K_ANSWER, K_ALT, K_WRONG, K_ACCEPT, K_PIPELINED,
	K_ESCAPES, K_LAST
};

static const char *const kw_names[] = {
	"title", "minutes", "role", "persona", "scenario", "order", "part",
	"skip",
	"say", "send", "reply", "ask", "set", "fault", "wait", "label", "goto",
	"summary",
	"expect", "hint", "answer", "alt", "wrong", "accept", "pipelined",
	"escapes",
};
_Static_assert(sizeof kw_names / sizeof kw_names[0] == K_LAST,
    "one name per keyword");

static int header_kw(enum kw k)
{
	return k <= K_SKIP;
}

/* field_of - whether field k may follow a step of kind sk */
static int field_of(enum kw k, enum lesson_step_kind sk)
{
	switch (k) {
	case K_EXPECT: case K_HINT: case K_ANSWER: case K_ALT: case K_WRONG:
	case K_GOTO:
		return is_checked(sk);
	case K_ACCEPT:
		return sk == LESSON_ASK;
	case K_PIPELINED:
	case K_ESCAPES:
		return sk == LESSON_SEND;
	default:
		return 0;
	}
}

static const struct ref_persona *find_persona(struct parser *ps,
    unsigned line, const char *v, size_t n)
{
	const struct ref_persona *p = n ? ref_persona_find(v, n) : NULL;

	if (p == NULL)
		err(ps, line, "unknown persona '%.*s' (see 'smtpref list personas')",
		    (int)(n > 40 ? 40 : n), v);
	return p;
}

static const struct ref_scenario *find_scenario(struct parser *ps,
    unsigned line, const char *v, size_t n)
{
	const struct ref_scenario *s = n ? ref_scenario_find(v, n) : NULL;

	if (s == NULL)
		err(ps, line, "unknown scenario '%.*s' (see 'smtpref list scenarios')",
		    (int)(n > 40 ? 40 : n), v);
	return s;
}

static int parse_role(struct parser *ps, unsigned line, const char *v,
    size_t n, enum lesson_role *out)
{
	if (eq(v, n, "client"))
		*out = LESSON_CLIENT;
	else if (eq(v, n, "server"))
		*out = LESSON_SERVER;
	else {
		err(ps, line, "role is client (the learner sends commands) or server (the learner replies), not '%.*s'",
		    (int)(n > 20 ? 20 : n), v);
		return -1;
	}
	return 0;
}

static void header(struct parser *ps, enum kw k, unsigned line,
    const char *v, size_t n)
{
	struct lesson *l = ps->l;
	long num;

	if (ps->header_done) {
		err(ps, line, "%s: belongs in the header, before the first step%s",
		    kw_names[k], k == K_PERSONA || k == K_SCENARIO || k == K_ROLE ?
		    " (to change it during the lesson, use set:)" : "");
		return;
	}
	if (n == 0) {
		err(ps, line, "%s: needs a value", kw_names[k]);
		return;
	}
	switch (k) {
	case K_TITLE:
		if (ps->title_line)
			err(ps, line, "a second title: (the first is on line %u)", ps->title_line);
		else if (n > TITLE_MAX)
			err(ps, line, "the title is longer than %d octets", TITLE_MAX);
		else
			l->title = sdup(ps, v, n);
		ps->title_line = line;
		break;
	case K_MINUTES:
		num = number(v, n);
		if (ps->minutes_line)
			err(ps, line, "a second minutes: (the first is on line %u)", ps->minutes_line);
		else if (num < 1 || num > 180)
			err(ps, line, "minutes: is a whole number of minutes from 1 to 180, not '%.*s'",
			    (int)(n > 20 ? 20 : n), v);
		else
			l->minutes = (unsigned)num;
		ps->minutes_line = line;
		break;
	case K_ROLE:
		if (parse_role(ps, line, v, n, &l->role) == 0)
			ps->role = l->role;
		break;
	case K_PERSONA: {
		const struct ref_persona *p = find_persona(ps, line, v, n);

		if (p)
			l->persona = p;
		break;
	}
	case K_SCENARIO: {
		const struct ref_scenario *s = find_scenario(ps, line, v, n);

		if (s)
			l->scenario = s;
		break;
	}
	case K_PART:
		if (ps->part_line)
			err(ps, line, "a second part: (the first is on line %u)", ps->part_line);
		else if (n > PART_MAX)
			err(ps, line, "the part's name is longer than %d octets", PART_MAX);
		else
			l->part = sdup(ps, v, n);
		ps->part_line = line;
		break;
	case K_ORDER:
		num = number(v, n);
		if (num < 0 || num > 9999)
			err(ps, line, "order: is a number from 0 to 9999, not '%.*s'",
			    (int)(n > 20 ? 20 : n), v);
		else
			l->order = (unsigned)num;
		break;
	case K_SKIP:
		if (eq(v, n, "allowed"))
			l->skip_forbidden = 0;
		else if (eq(v, n, "forbidden"))
			l->skip_forbidden = 1;
		else
			err(ps, line, "skip: is allowed or forbidden, not '%.*s'",
			    (int)(n > 20 ? 20 : n), v);
		break;
	default:
		break;
	}
}

static void step_set(struct parser *ps, unsigned line, const char *v, size_t n)
{
	const char *p = v, *end = v + n, *w, *a;
	size_t wn, an;

	if (!word(&p, end, &w, &wn)) {
		err(ps, line, "set: needs what to set: persona NAME, scenario NAME, role client|server or connect");
		return;
	}
	if (eq(w, wn, "connect")) {
		ps->st.set = LESSON_SET_CONNECT;
		if (word(&p, end, &a, &an))
			err(ps, line, "set: connect takes nothing after it");
		return;
	}
	if (!word(&p, end, &a, &an)) {
		err(ps, line, "set: %.*s needs a value", (int)(wn > 20 ? 20 : wn), w);
		return;
	}
	if (eq(w, wn, "persona")) {
		ps->st.set = LESSON_SET_PERSONA;
		ps->st.persona = find_persona(ps, line, a, an);
		if (ps->role != LESSON_CLIENT)
			err(ps, line, "set: persona changes the server the learner talks to: only in the client role (the server role's conforming server is the scenario's persona)");
	} else if (eq(w, wn, "scenario")) {
		ps->st.set = LESSON_SET_SCENARIO;
		ps->st.scenario = find_scenario(ps, line, a, an);
	} else if (eq(w, wn, "role")) {
		ps->st.set = LESSON_SET_ROLE;
		if (parse_role(ps, line, a, an, &ps->st.new_role) == 0)
			ps->role = ps->st.new_role;
	} else {
		err(ps, line, "set: knows persona, scenario, role and connect, not '%.*s'",
		    (int)(wn > 20 ? 20 : wn), w);
		return;
	}
	if (word(&p, end, &a, &an))
		err(ps, line, "unexpected '%.*s' at the end of set:", (int)(an > 20 ? 20 : an), a);
}

static void step_fault(struct parser *ps, unsigned line, const char *v, size_t n)
{
	const char *p = v, *end = v + n, *w[5];
	size_t wn[5], nw = 0, i;
	long nth, code;

	while (nw < 5 && word(&p, end, &w[nw], &wn[nw]))
		nw++;
	if (nw < 3 || nw > 4) {
		err(ps, line, "fault: is VERB NTH CODE [ENHANCED] or VERB NTH drop, as in 'fault: RCPT 3 452 4.5.3' (the 3rd RCPT from now gets 452 4.5.3)");
		return;
	}
	if (ps->role != LESSON_CLIENT)
		err(ps, line, "fault: changes the simulated server's replies: only in the client role");
	if (wn[0] >= sizeof ps->st.fault_verb || !verb_ok(w[0], wn[0]) ||
	    ascii_ieq(w[0], wn[0], "CONNECT")) {
		err(ps, line, "fault: '%.*s' is not a command (use a verb such as RCPT, or DATA-END for the final dot)",
		    (int)(wn[0] > 20 ? 20 : wn[0]), w[0]);
		return;
	}
	for (i = 0; i < wn[0]; i++)
		ps->st.fault_verb[i] = (char)ascii_upper((unsigned char)w[0][i]);
	nth = number(w[1], wn[1]);
	if (nth < 1 || nth > 1000) {
		err(ps, line, "fault: which occurrence: a number from 1 (the next) to 1000, not '%.*s'",
		    (int)(wn[1] > 20 ? 20 : wn[1]), w[1]);
		return;
	}
	ps->st.fault_nth = (int)nth;
	if (eq(w[2], wn[2], "drop")) {
		if (nw == 4) {
			err(ps, line, "fault: a drop loses the reply: it takes no enhanced code");
			return;
		}
		ps->st.fault_code = SERVER_FAULT_DROP;
		return;
	}
	code = wn[2] == 3 ? number(w[2], 3) : -1;
	if (code < 400 || code > 559 || code % 100 > 59) {
		err(ps, line, "fault: the reply code must be a failure, 400 to 559, or drop, not '%.*s'",
		    (int)(wn[2] > 20 ? 20 : wn[2]), w[2]);
		return;
	}
	ps->st.fault_code = (int)code;
	if (nw == 4) {
		struct reply_enh e;

		if (wn[3] >= sizeof ps->st.fault_enh ||
		    reply_parse_enh(w[3], wn[3], &e) != wn[3]) {
			err(ps, line, "fault: '%.*s' is not an enhanced status code",
			    (int)(wn[3] > 20 ? 20 : wn[3]), w[3]);
			return;
		}
		if (!reply_enh_agrees((int)code, &e)) {
			err(ps, line, "fault: the enhanced code %.*s does not match %ld: its first digit must be %ld",
			    (int)wn[3], w[3], code, code / 100);
			return;
		}
		memcpy(ps->st.fault_enh, w[3], wn[3]);
	}
}

/* step_wait - "wait: 30m": simulated time passes for the server */
static void step_wait(struct parser *ps, unsigned line, const char *v, size_t n)
{
	if (ps->role != LESSON_CLIENT)
		err(ps, line, "wait: lets the simulated server's time pass: only in the client role");
	if (n == 0 || server_parse_duration(v, n, &ps->st.wait) != 0 ||
	    ps->st.wait == 0)
		err(ps, line, "wait: needs a duration such as 90s, 5m, 2h or 1d (at most 30 days), not '%.*s'",
		    (int)(n > 20 ? 20 : n), v);
}

/* goto_line - "goto: LABEL" (a step) or "goto: LABEL if CHECK" (a field
 * of the checked step above) */
static void goto_line(struct parser *ps, unsigned line, const char *v, size_t n)
{
	const char *p = v, *end = v + n, *w, *kw;
	size_t wn, kn;
	const char *label;

	if (!word(&p, end, &w, &wn)) {
		err(ps, line, "goto: needs a label");
		return;
	}
	if (!label_ok(w, wn)) {
		err(ps, line, "'%.*s' is not a label (letters, digits, '-' and '_', at most %d)",
		    (int)(wn > 40 ? 40 : wn), w, LESSON_LABEL_MAX - 1);
		return;
	}
	label = sdup(ps, w, wn);
	if (label == NULL)
		return;
	if (!word(&p, end, &kw, &kn)) {
		begin_step(ps, LESSON_GOTO, line);
		ps->st.label = label;
		return;
	}
	if (!eq(kw, kn, "if")) {
		err(ps, line, "goto: is 'goto: LABEL' or 'goto: LABEL if CHECK', not '... %.*s'",
		    (int)(kn > 20 ? 20 : kn), kw);
		return;
	}
	if (!ps->have_step || !is_checked(ps->st.kind)) {
		err(ps, line, "goto ... if belongs to a send, reply or ask step: it branches on what the learner did");
		return;
	}
	if (ps->nbranch >= LESSON_BRANCHES_MAX) {
		err(ps, line, "too many goto lines in one step (at most %d)", LESSON_BRANCHES_MAX);
		return;
	}
	{
		struct lesson_branch *b = &ps->branches[ps->nbranch];

		memset(b, 0, sizeof *b);
		if (parse_cond(ps, line, p, (size_t)(end - p), &b->cond) != 0)
			return;
		b->label = label;
		ps->nbranch++;
	}
}

/* field - a field line of the current step */
static void field(struct parser *ps, enum kw k, unsigned hint_after,
    unsigned line, const char *v, size_t n)
{
	struct lesson_step *st = &ps->st;

	if (!ps->have_step) {
		err(ps, line, "%s: must follow a step (say, send, reply, ask, ...)",
		    kw_names[k]);
		return;
	}
	if (!field_of(k, st->kind)) {
		err(ps, line, "%s: does not belong to a %s step%s", kw_names[k],
		    step_names[st->kind],
		    k == K_ACCEPT ? " (only ask steps take accept:)" :
		    k == K_PIPELINED || k == K_ESCAPES ?
		    " (only send steps take it)" :
		    " (it follows send, reply or ask)");
		return;
	}
	switch (k) {
	case K_EXPECT:
		if (ps->ncond >= LESSON_CONDS_MAX) {
			err(ps, line, "too many expect: lines in one step (at most %d)", LESSON_CONDS_MAX);
			return;
		}
		if (parse_cond(ps, line, v, n, &ps->conds[ps->ncond]) == 0)
			ps->ncond++;
		break;
	case K_HINT:
		if (ps->nhint >= LESSON_HINTS_MAX) {
			err(ps, line, "too many hints in one step (at most %d)", LESSON_HINTS_MAX);
			return;
		}
		ps->hints[ps->nhint].after = hint_after;
		ps->hints[ps->nhint].line = line;
		ps->hints[ps->nhint].text = NULL;
		ps->nhint++;
		begin_block(ps, BLOCK_TEXT, T_HINT, v, n, line);
		break;
	case K_ANSWER:
		if (ps->have_answer) {
			err(ps, line, "a second answer: (use alt: for other answers the checker should also try)");
			return;
		}
		ps->have_answer = 1;
		begin_block(ps, BLOCK_LITERAL, T_ANSWER, v, n, line);
		break;
	case K_ALT:
	case K_WRONG: {
		struct lesson_answer *a = k == K_ALT ? ps->alts : ps->wrongs;
		size_t *na = k == K_ALT ? &ps->nalt : &ps->nwrong;

		if (*na >= LESSON_ALTS_MAX) {
			err(ps, line, "too many %s: lines in one step (at most %d)",
			    kw_names[k], LESSON_ALTS_MAX);
			return;
		}
		a[*na].line = line;
		a[*na].text = NULL;
		(*na)++;
		begin_block(ps, BLOCK_LITERAL, k == K_ALT ? T_ALT : T_WRONG, v, n, line);
		break;
	}
	case K_ACCEPT:
		if (n == 0) {
			err(ps, line, "accept: needs an answer");
			return;
		}
		if (ps->naccept >= LESSON_ACCEPTS_MAX) {
			err(ps, line, "too many accept: lines (at most %d)", LESSON_ACCEPTS_MAX);
			return;
		}
		ps->accepts[ps->naccept] = sdup(ps, v, n);
		if (ps->accepts[ps->naccept])
			ps->naccept++;
		break;
	case K_PIPELINED:
	case K_ESCAPES: {
		int *flag = k == K_PIPELINED ? &st->pipelined : &st->escapes;

		if (eq(v, n, "yes"))
			*flag = 1;
		else if (eq(v, n, "no"))
			*flag = 0;
		else
			err(ps, line, "%s: is yes or no, not '%.*s'", kw_names[k],
			    (int)(n > 20 ? 20 : n), v);
		break;
	}
	default:
		break;
	}
}

static void step(struct parser *ps, enum kw k, unsigned line, const char *v,
    size_t n)
{
	switch (k) {
	case K_SAY:
	case K_SUMMARY:
	case K_SEND:
	case K_REPLY:
	case K_ASK: {
		static const enum lesson_step_kind map[] = {
			[K_SAY] = LESSON_SAY, [K_SUMMARY] = LESSON_SUMMARY,
			[K_SEND] = LESSON_SEND, [K_REPLY] = LESSON_REPLY,
			[K_ASK] = LESSON_ASK,
		};

		begin_step(ps, map[k], line);
		if (k == K_SEND && ps->role != LESSON_CLIENT)
			err(ps, line, "send: is for the client role, where the learner sends commands; in the server role use reply:");
		if (k == K_REPLY && ps->role != LESSON_SERVER)
			err(ps, line, "reply: is for the server role, where the learner replies; in the client role use send:");
		if (k == K_SUMMARY) {
			if (ps->summary_line)
				err(ps, line, "a second summary: (the first is on line %u)", ps->summary_line);
			ps->summary_line = line;
		}
		begin_block(ps, BLOCK_TEXT, T_STEP_TEXT, v, n, line);
		break;
	}
	case K_SET:
		begin_step(ps, LESSON_SET, line);
		step_set(ps, line, v, n);
		break;
	case K_FAULT:
		begin_step(ps, LESSON_FAULT, line);
		step_fault(ps, line, v, n);
		break;
	case K_WAIT:
		begin_step(ps, LESSON_WAIT, line);
		step_wait(ps, line, v, n);
		break;
	case K_LABEL: {
		size_t i;

		if (!label_ok(v, n)) {
			err(ps, line, "label: needs a name of letters, digits, '-' and '_' (at most %d)",
			    LESSON_LABEL_MAX - 1);
			return;
		}
		for (i = 0; i < ps->nlabels; i++)
			if (eq(v, n, ps->labels[i].name)) {
				err(ps, line, "label '%.*s' is already on line %u", (int)n, v,
				    ps->labels[i].line);
				return;
			}
		begin_step(ps, LESSON_LABEL, line);
		ps->st.label = sdup(ps, v, n);
		if (ps->st.label && ps->nlabels < LESSON_STEPS_MAX) {
			ps->labels[ps->nlabels].name = ps->st.label;
			ps->labels[ps->nlabels].line = line;
			ps->labels[ps->nlabels].step = ps->l->nsteps;
			ps->nlabels++;
		}
		break;
	}
	case K_GOTO:
		goto_line(ps, line, v, n);
		break;
	default:
		break;
	}
}

/* key_line - "keyword: value" or "hint N: value" at the start of a line */
static void key_line(struct parser *ps, unsigned line, const char *s, size_t n)
{
	size_t i = 0, kl, k;
	char key[16];
	unsigned after = 1;
	const char *v;
	size_t vn;

	while (i < n && (ascii_is_alpha((unsigned char)s[i]) || s[i] == '-'))
		i++;
	kl = i;
	if (i < n && s[i] == ' ') {	/* "hint 3:" */
		size_t j = i + 1, d = j;
		long num;

		while (d < n && ascii_is_digit((unsigned char)s[d]))
			d++;
		num = number(s + j, d - j);
		if (d < n && s[d] == ':' && ascii_ieq(s, kl, "hint")) {
			if (num < 1 || num > 99) {
				err(ps, line, "hint N: shows the hint after N wrong tries, N from 1 to 99");
				return;
			}
			after = (unsigned)num;
			i = d;
		}
	}
	if (kl == 0 || i >= n || s[i] != ':') {
		err(ps, line, "expected 'keyword: value' (text that continues the line above must be indented)");
		return;
	}
	lower(s, kl, key, sizeof key);
	for (k = 0; k < K_LAST; k++)
		if (kl < sizeof key && strcmp(key, kw_names[k]) == 0)
			break;
	if (k == K_LAST) {
		err(ps, line, "unknown keyword '%.*s:' (header: title minutes role persona scenario order part skip; steps: say send reply ask set fault wait label goto summary; fields: expect goto hint answer alt wrong accept pipelined escapes)",
		    (int)(kl > 20 ? 20 : kl), s);
		return;
	}
	v = s + i + 1;
	vn = n - (i + 1);
	while (vn > 0 && is_blank((unsigned char)*v)) {
		v++;
		vn--;
	}
	while (vn > 0 && is_blank((unsigned char)v[vn - 1]))
		vn--;
	end_block(ps);
	if (header_kw((enum kw)k)) {
		header(ps, (enum kw)k, line, v, vn);
		return;
	}
	if (k == K_GOTO) {
		goto_line(ps, line, v, vn);
		return;
	}
	if (k >= K_EXPECT) {
		field(ps, (enum kw)k, after, line, v, vn);
		return;
	}
	step(ps, (enum kw)k, line, v, vn);
}

/* indented - a line that continues the block above */
static void indented(struct parser *ps, unsigned line, const char *s, size_t n)
{
	unsigned col = 0;
	size_t i = 0;
	struct bline *b;

	if (ps->block == BLOCK_NONE) {
		err(ps, line, "this indented line continues nothing (only text, hints and answers continue on indented lines)");
		return;
	}
	if (ps->nblines >= BLOCK_LINES_MAX) {
		if (!ps->block_overflow)
			err(ps, line, "this block is longer than %d lines", BLOCK_LINES_MAX);
		ps->block_overflow = 1;
		return;
	}
	while (i < n && is_blank((unsigned char)s[i])) {
		col = s[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
		i++;
	}
	while (n > i && is_blank((unsigned char)s[n - 1]))
		n--;
	b = &ps->blines[ps->nblines++];
	b->p = s + i;
	b->len = n - i;
	b->indent = col;
	b->line = line;
	b->blank = 0;
}

static void blank_line(struct parser *ps, unsigned line)
{
	struct bline *b;

	if (ps->block == BLOCK_NONE || ps->nblines >= BLOCK_LINES_MAX)
		return;
	b = &ps->blines[ps->nblines++];
	memset(b, 0, sizeof *b);
	b->blank = 1;
	b->line = line;
}

/* ---- after the last line ------------------------------------------------ */

static size_t label_step(const struct parser *ps, const char *name)
{
	size_t i;

	for (i = 0; i < ps->nlabels; i++)
		if (strcmp(ps->labels[i].name, name) == 0)
			return ps->labels[i].step;
	return (size_t)-1;
}

/* resolve - the step each goto's label stands for */
static void resolve(struct parser *ps)
{
	struct lesson *l = ps->l;
	size_t i, j, t;

	for (i = 0; i < l->nsteps; i++) {
		struct lesson_step *st = &l->steps[i];

		if (st->kind == LESSON_GOTO) {
			t = label_step(ps, st->label);
			if (t == (size_t)-1)
				err(ps, st->line, "no label '%s' in this lesson", st->label);
			else
				st->target = t;
		}
		for (j = 0; j < st->nbranches; j++) {
			struct lesson_branch *b = (struct lesson_branch *)&st->branches[j];

			t = label_step(ps, b->label);
			if (t == (size_t)-1)
				err(ps, b->cond.line, "no label '%s' in this lesson", b->label);
			else
				b->target = t;
		}
	}
}

/* flow - every step can be reached, the summary is the last step, and no
 * chain of gotos loops without asking the learner anything */
static void flow(struct parser *ps)
{
	struct lesson *l = ps->l;
	unsigned char *seen;
	size_t *stack, nstack = 0, i, j;

	if (l->nsteps == 0)
		return;
	seen = calloc(l->nsteps, 1);
	stack = malloc(l->nsteps * sizeof *stack);
	if (seen == NULL || stack == NULL) {
		free(seen);
		free(stack);
		ps->oom = 1;
		return;
	}
	stack[nstack++] = 0;
	seen[0] = 1;
	while (nstack > 0) {
		size_t s = stack[--nstack], next[LESSON_BRANCHES_MAX + 1], nn = 0;
		const struct lesson_step *st = &l->steps[s];

		if (st->kind == LESSON_GOTO)
			next[nn++] = st->target;
		else
			next[nn++] = s + 1;
		for (j = 0; j < st->nbranches; j++)
			next[nn++] = st->branches[j].target;
		for (j = 0; j < nn; j++)
			if (next[j] < l->nsteps && !seen[next[j]]) {
				seen[next[j]] = 1;
				stack[nstack++] = next[j];
			}
	}
	for (i = 0; i < l->nsteps; i++)
		if (!seen[i] && l->steps[i].kind != LESSON_LABEL) {
			err(ps, l->steps[i].line, "this %s step can never be reached: a goto jumps over it and none leads to it",
			    step_names[l->steps[i].kind]);
			/* one report for a run of unreachable steps */
			while (i + 1 < l->nsteps && !seen[i + 1])
				i++;
		}
	/* loops through steps that ask nothing */
	for (i = 0; i < l->nsteps; i++) {
		size_t s = i, n = 0;

		if (l->steps[i].kind != LESSON_GOTO)
			continue;
		memset(seen, 0, l->nsteps);
		while (s < l->nsteps && !is_checked(l->steps[s].kind)) {
			if (seen[s]) {
				err(ps, l->steps[i].line, "this goto makes a loop that never asks the learner anything");
				break;
			}
			seen[s] = 1;
			s = lesson_step_next(l, s);
			if (++n > l->nsteps)
				break;
		}
	}
	free(seen);
	free(stack);
}

/* summary_last - nothing but labels may follow the summary */
static void summary_last(struct parser *ps)
{
	const struct lesson *l = ps->l;
	size_t i, j;

	for (i = 0; i < l->nsteps; i++)
		if (l->steps[i].kind == LESSON_SUMMARY) {
			for (j = i + 1; j < l->nsteps; j++)
				if (l->steps[j].kind != LESSON_LABEL)
					break;
			if (j < l->nsteps)
				err(ps, l->steps[j].line, "nothing may follow the summary: it ends the lesson");
		}
}

/* sort_errors - the problems of this file in line order (stable) */
static void sort_errors(struct lesson_errors *errs, size_t from)
{
	size_t i, j;

	for (i = from + 1; i < errs->n; i++) {
		struct lesson_error e = errs->e[i];

		for (j = i; j > from && errs->e[j - 1].line > e.line; j--)
			errs->e[j] = errs->e[j - 1];
		errs->e[j] = e;
	}
}

size_t lesson_step_next(const struct lesson *l, size_t i)
{
	if (i >= l->nsteps)
		return l->nsteps;
	if (l->steps[i].kind == LESSON_GOTO)
		return l->steps[i].target;
	return i + 1;
}

/* order_from_name - "07-dot-stuffing" -> 7; none: 1000 */
static unsigned order_from_name(const char *name)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < 4 && ascii_is_digit((unsigned char)name[i]); i++)
		v = v * 10 + (unsigned)(name[i] - '0');
	return i > 0 && (name[i] == '-' || name[i] == '_') ? v : 1000;
}

struct lesson *lesson_parse(const char *file, const char *text, size_t len,
    struct lesson_errors *errs)
{
	struct lesson *l;
	struct parser *ps;
	size_t pos = 0, nerr0 = errs->nerrors, n0 = errs->n;
	unsigned line = 0;
	char name[LESSON_NAME_MAX];

	if (errs->file == NULL)
		errs->file = file;
	l = calloc(1, sizeof *l);
	ps = calloc(1, sizeof *ps);
	if (l == NULL || ps == NULL) {
		free(l);
		free(ps);
		lesson_error_add(errs, 0, "out of memory");
		return NULL;
	}
	ps->l = l;
	ps->errs = errs;
	l->file = file;
	l->role = LESSON_CLIENT;
	l->persona = ref_persona_find("modern", 6);
	l->scenario = ref_scenario_find("plain", 5);
	if (lesson_name_from_file(file, name, sizeof name) == 0)
		snprintf(l->name, sizeof l->name, "%s", name);
	else
		lesson_error_add(errs, 0, "the file name must be NAME.lesson, NAME made of letters, digits, '.', '_' and '-' (at most %d), not starting with '.'",
		    LESSON_NAME_MAX - 1);
	l->order = order_from_name(l->name);

	if (len > LESSON_FILE_MAX) {
		lesson_error_add(errs, 0, "the file is larger than %d octets", LESSON_FILE_MAX);
		len = 0;
	}
	while (pos < len && !ps->oom) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl ? 1 : 0);
		line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (memchr(s, 0, n)) {
			err(ps, line, "this line holds a NUL byte; a lesson is a text file");
			continue;
		}
		if (n > LESSON_LINE_MAX) {
			err(ps, line, "this line is longer than %d octets", LESSON_LINE_MAX);
			continue;
		}
		if (!utf8_ok((const unsigned char *)s, n)) {
			err(ps, line, "this line is not valid UTF-8");
			continue;
		}
		if (control_at(ps, line, s, n))
			continue;
		if (n > 0 && s[0] == '#')
			continue;
		{
			size_t i = 0;

			while (i < n && is_blank((unsigned char)s[i]))
				i++;
			if (i == n) {
				blank_line(ps, line);
				continue;
			}
			if (i > 0) {
				indented(ps, line, s, n);
				continue;
			}
		}
		key_line(ps, line, s, n);
	}
	end_step(ps);
	if (!ps->oom) {
		if (!ps->title_line)
			lesson_error_add(errs, 1, "the header needs a title: line");
		if (!ps->minutes_line)
			lesson_error_add(errs, 1, "the header needs a minutes: line (how long the lesson takes)");
		if (l->nchecked == 0 && errs->nerrors == nerr0)
			lesson_error_add(errs, line ? line : 1, "the lesson has no step that checks the learner (send, reply or ask)");
		summary_last(ps);
		resolve(ps);
		if (errs->nerrors == nerr0)
			flow(ps);
	}
	if (ps->oom)
		lesson_error_add(errs, line, "out of memory");
	free(ps);
	sort_errors(errs, n0);
	if (errs->nerrors != nerr0) {
		lesson_free(l);
		return NULL;
	}
	return l;
}

void lesson_free(struct lesson *l)
{
	struct lesson_arena *a, *next;
	size_t i, j;

	if (l == NULL)
		return;
	for (i = 0; i < l->nsteps; i++) {
		struct lesson_step *st = &l->steps[i];

		for (j = 0; j < st->nconds; j++)
			free_cond((struct lesson_cond *)&st->conds[j]);
		for (j = 0; j < st->nbranches; j++)
			free_cond((struct lesson_cond *)&st->branches[j].cond);
	}
	free(l->steps);
	for (a = l->arena; a; a = next) {
		next = a->next;
		free(a);
	}
	free(l);
}
