/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render.c - text output for people: colour, terminal width, wrapping */
#include <config.h>

#include "term/render.h"

#include "core/printable.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define LABEL_WIDTH 15	/* "  Basic codes: " and its fellows */

static const char *const sgr[] = {
	[RENDER_PLAIN] = "",
	[RENDER_BOLD] = "\033[1m",
	[RENDER_DIM] = "\033[2m",
	[RENDER_CLASS2] = "\033[1;32m",
	[RENDER_CLASS3] = "\033[1;36m",
	[RENDER_CLASS4] = "\033[1;33m",
	[RENDER_CLASS5] = "\033[1;31m",
	[RENDER_LABEL] = "\033[34m",
	[RENDER_WARN] = "\033[1;35m",
};
_Static_assert(sizeof sgr / sizeof sgr[0] == RENDER_STYLE_LAST,
    "sgr[] out of step with enum render_style");

int render_parse_color(const char *s)
{
	if (!strcmp(s, "auto") || !strcmp(s, "tty") || !strcmp(s, "if-tty"))
		return RENDER_COLOR_AUTO;
	if (!strcmp(s, "always") || !strcmp(s, "yes") || !strcmp(s, "force"))
		return RENDER_COLOR_ALWAYS;
	if (!strcmp(s, "never") || !strcmp(s, "no") || !strcmp(s, "none"))
		return RENDER_COLOR_NEVER;
	return -1;
}

void render_init(struct render *r, FILE *out, enum render_color_mode mode)
{
	int tty = isatty(fileno(out));
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	const char *cols = getenv("COLUMNS");
	struct winsize ws;

	r->out = out;
	r->col = 0;
	r->spaced = 0;
	r->margin = NULL;
	if (mode == RENDER_COLOR_ALWAYS)
		r->color = 1;
	else if (mode == RENDER_COLOR_NEVER)
		r->color = 0;
	else
		r->color = tty && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
	r->width = 80;
	if (tty && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		r->width = ws.ws_col;
	else if (cols && *cols) {
		char *end;
		long v = strtol(cols, &end, 10);

		if (*end == 0 && v > 0 && v < 10000)
			r->width = (int)v;
	}
	if (r->width < 40)
		r->width = 40;
}

enum render_style render_code_style(int code)
{
	switch (code >= 100 ? code / 100 : code) {
	case 2: return RENDER_CLASS2;
	case 3: return RENDER_CLASS3;
	case 4: return RENDER_CLASS4;
	case 5: return RENDER_CLASS5;
	default: return RENDER_BOLD;
	}
}

static void style_on(struct render *r, enum render_style st)
{
	if (r->color && st != RENDER_PLAIN)
		fputs(sgr[st], r->out);
}

static void style_off(struct render *r, enum render_style st)
{
	if (r->color && st != RENDER_PLAIN)
		fputs("\033[0m", r->out);
}

/* cells - display width of s[0..len): one cell per UTF-8 character */
static int cells(const char *s, size_t len)
{
	int n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* margin - at the start of a line, the margin first */
static void margin(struct render *r)
{
	if (r->col == 0 && r->margin && *r->margin) {
		fputs(r->margin, r->out);
		r->col = cells(r->margin, strlen(r->margin));
	}
}

/* put - write text made printable (the one way text reaches the
 * terminal: core/printable.h), with the column kept */
static void put(struct render *r, enum render_style st, const char *s,
    size_t len)
{
	const char *nl;

	if (len > 0)
		margin(r);

	style_on(r, st);
	fwrite(s, 1, len, r->out);
	style_off(r, st);
	r->spaced = len > 0 && s[len - 1] == ' ';
	nl = memchr(s, '\n', len);
	if (nl) {
		const char *last = s + len;

		while (last > s && last[-1] != '\n')
			last--;
		r->col = cells(last, (size_t)(s + len - last));
	} else {
		r->col += cells(s, len);
	}
}

void render_textn(struct render *r, enum render_style st, const char *s,
    size_t len)
{
	size_t w;
	char *safe;

	if (printable_bad(s, len, PRINTABLE_KEEP_LF, &w) == len) {
		put(r, st, s, len);
		return;
	}
	safe = printable_dup(s, len, PRINTABLE_KEEP_LF);
	if (safe) {
		put(r, st, safe, strlen(safe));
		free(safe);
	}
}

void render_text(struct render *r, enum render_style st, const char *s)
{
	render_textn(r, st, s, strlen(s));
}

void render_newline(struct render *r)
{
	fputc('\n', r->out);
	r->col = 0;
}

static void indent_to(struct render *r, int indent)
{
	margin(r);
	while (r->col < indent) {
		fputc(' ', r->out);
		r->col++;
	}
}

void render_wrap(struct render *r, enum render_style st, const char *s,
    int indent)
{
	char *safe = NULL;
	const char *p = s;
	int room_min = 20;
	size_t w, len = strlen(s);

	/* escaped before it is cut into words, so widths are right */
	if (printable_bad(s, len, PRINTABLE_KEEP_LF, &w) < len &&
	    (safe = printable_dup(s, len, PRINTABLE_KEEP_LF)) != NULL)
		p = safe;

	if (indent > r->width - room_min)
		indent = r->width - room_min > 0 ? r->width - room_min : 0;
	while (*p) {
		size_t wl;
		int w;

		if (*p == '\n') {
			render_newline(r);
			p++;
			/* keep blank lines blank: indent only before text */
			if (*p && *p != '\n')
				indent_to(r, indent);
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		wl = strcspn(p, " \n");
		w = cells(p, wl);
		if (r->col > indent && r->col + 1 + w > r->width) {
			render_newline(r);
			indent_to(r, indent);
		} else if (r->col > indent && !r->spaced) {
			fputc(' ', r->out);
			r->col++;
		} else {
			indent_to(r, indent);
		}
		render_textn(r, st, p, wl);
		p += wl;
	}
	free(safe);
}

void render_field(struct render *r, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	if (r->col)
		render_newline(r);
	fputs("  ", r->out);
	r->col = 2;
	render_text(r, RENDER_LABEL, label);
	render_text(r, RENDER_LABEL, ":");
	if (r->col + 1 > LABEL_WIDTH) {
		fputc(' ', r->out);
		r->col++;
	}
	indent_to(r, LABEL_WIDTH);
	render_wrap(r, RENDER_PLAIN, text, LABEL_WIDTH);
	render_newline(r);
}
