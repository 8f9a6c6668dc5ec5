/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render.h - text output for people: colour, terminal width, wrapping
 *
 * The only module that knows about terminals.  Colour follows
 * --color=auto|always|never and NO_COLOR (https://no-color.org); on a
 * terminal text wraps to its width, elsewhere to $COLUMNS or 80.
 */
#ifndef SMTPREF_RENDER_H
#define SMTPREF_RENDER_H

#include <stdio.h>

enum render_color_mode {
	RENDER_COLOR_AUTO,
	RENDER_COLOR_ALWAYS,
	RENDER_COLOR_NEVER
};

enum render_style {
	RENDER_PLAIN,
	RENDER_BOLD,
	RENDER_DIM,
	RENDER_CLASS2,		/* positive completion */
	RENDER_CLASS3,		/* positive intermediate */
	RENDER_CLASS4,		/* transient negative */
	RENDER_CLASS5,		/* permanent negative */
	RENDER_LABEL,
	RENDER_WARN,
	RENDER_STYLE_LAST
};

struct render {
	FILE *out;
	int color;	/* emit SGR escapes */
	int width;	/* columns to wrap to */
	int col;	/* current column (display cells) */
	int spaced;	/* the last text written ended in a space */
	const char *margin;	/* written at the start of every line, in
				 * the columns counted (smtpref listen's
				 * session tag); NULL: none */
};

/* render_parse_color - "auto", "always", "never" (and the synonyms
 * "yes"/"force", "no"/"none"); returns -1 for anything else. */
int render_parse_color(const char *s);
void render_init(struct render *r, FILE *out, enum render_color_mode mode);
/* The style for a reply code (or its first digit). */
enum render_style render_code_style(int code);

/* render_text - text in a style, no wrapping (newlines reset the column) */
void render_text(struct render *r, enum render_style st, const char *s);
void render_textn(struct render *r, enum render_style st, const char *s,
    size_t len);
/* render_wrap - text word-wrapped from the current column to the width,
 * later lines indented by indent columns; '\n' in text starts a new line
 * (at indent).  Ends without a newline. */
void render_wrap(struct render *r, enum render_style st, const char *s,
    int indent);
/* render_field - "  Label:   text" with text wrapped under itself */
void render_field(struct render *r, const char *label, const char *text);
void render_newline(struct render *r);

#endif
