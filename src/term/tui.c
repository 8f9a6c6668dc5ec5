/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui.c - the full-screen view: transcript, explanations, state diagram,
 * and the lesson being worked through
 *
 * The same console as the shell (console.c), drawn with ncursesw into
 * panes: the transcript, the explanation of the selected line, the state
 * diagram with the current state marked, a status line and the input
 * line, and while a lesson runs a lesson pane above the transcript.
 * GNU readline edits the input line through its callback interface:
 * curses reads the keys, hands ordinary characters to readline
 * (rl_getc_function) and maps the keys curses decodes (arrows, Home,
 * Delete) to readline's commands; readline's redisplay draws into the
 * input window.  One poll loop watches the terminal and, with a real
 * server, its socket.  No protocol work happens here.
 */
#include <config.h>

#include "term/tui.h"

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "net/realpeer.h"
#include "console/console.h"
#include "lesson/lesson.h"
#include "term/shell.h"
#include "term/rlcomplete.h"
#include "core/printable.h"
#include "core/ref.h"
#include "term/lookup.h"
#include "term/render.h"

#define ENTRIES_MAX 5000	/* transcript lines kept; the oldest go */
#define EXPL_MAX 64		/* explanation lines kept per entry */
#define MIN_COLS 60
#define MIN_LINES 16
#define WIDE_COLS 120		/* from here the state pane sits on the right */
#define STATE_COLS 46
#define TICK_MS 250		/* the longest poll: signals are looked at */
#define LIVE_MS 100		/* redraws while the console blocks, at most */
#define LESSON_ENTRY_COLS 72	/* a lesson's line in the transcript */
#define LES_LINES_MAX 256	/* lines of one step's lesson text */
#define HINTS_MAX 8		/* hints kept for one step */
#define LES_LABEL 10		/* "not yet  " before feedback in the pane */
#define ROWS_MAX 512		/* wrapped rows of one pane */
#define PREFACE_MAX 32		/* items shown before the session's own */

/* One line of the transcript pane, with what explains it. */
struct entry {
	enum tx_kind kind;
	int code, tls, secret;
	int meta;		/* a meta-command the learner typed */
	char *text;
	char *expl[EXPL_MAX];		/* "label\ttext" */
	size_t nexpl;
};

/* The lesson pane: the step being worked on.  A step's text arrives as
 * TX_LESSON items, one line each, an empty item between steps and between
 * paragraphs; the pane keeps what came since the step before the one
 * waiting was checked (its narration and its task), and the feedback of
 * the tries at it. */
enum les_kind { LES_TEXT, LES_TASK, LES_DONE };

struct les_line {
	enum les_kind kind;
	char *text;		/* "" between paragraphs */
};

struct lesson_view {
	char *title;
	char name[64];
	size_t step, nsteps;	/* as last seen, for the pane's title */
	struct les_line line[LES_LINES_MAX];
	size_t n;
	int has_task;		/* the text holds a task: a new text replaces it */
	int prev_lesson;	/* the item before was a lesson's */
	char *notyet;		/* the latest "not yet" of this step */
	char *hint[HINTS_MAX];
	size_t nhints;
	int page;		/* -1, or the page of the text being read (F3) */
	int npages;		/* as last drawn */
	int cut;		/* the text did not fit, as last drawn */
	int running;		/* a lesson runs */
	int linger;		/* it is over: shown until the next line */
};

enum pair {
	P_NONE, P_SENT, P_2XX, P_3XX, P_4XX, P_5XX, P_LABEL, P_WARN, P_HINT,
	P_STATUS, P_CURRENT, P_LAST
};

struct tui {
	struct console *con;
	struct entry *e;
	size_t n, cap;
	size_t sel;		/* the selected entry */
	int follow;		/* the selection follows the latest reply */
	int top;		/* first transcript row shown, -1: the end */
	int diagram;		/* the diagram is shown */
	int help;		/* the help overlay is shown */
	int colors;		/* 0: monochrome (attributes only) */
	int small;		/* below the minimum size */
	int prev_phase, cur_phase;
	char transition[160];
	char completions[1024];	/* readline's list of matches, shown once */
	WINDOW *wstatus, *wlesson, *wtrans, *wexpl, *wstate, *winput;
	int pending;		/* the key readline reads next, or EOF */
	const char *meta;	/* a typed meta-command, until it says something */
	int last_code;		/* the latest reply's code */
	char last_verb[16];	/* the latest command sent, "" before one */
	int reply_code;		/* the reply to it, 0 before it came */
	char reply_cause[32];	/* the latest reply, and what it answered */
	size_t expl_entry;	/* the entry the explanation pane shows */
	int expl_top, expl_page, expl_more;	/* its rows, paged by F4 */
	struct lesson_view les;
	int les_shown;		/* the layout has a lesson pane */
	int live;		/* items redraw the screen (the console blocks) */
	long long drawn_ms;	/* when the screen was last drawn */
	int leaving;		/* Ctrl-D: what the console says now is the last */
	char farewell[512];	/* a lesson's last word, printed after curses */
};

static struct tui *the_tui;	/* readline's callbacks carry no context */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- items shown before the session starts (smtpref connect's) -------- */

static struct {
	enum tx_kind kind;
	char *label;
	char *text;
} preface[PREFACE_MAX];
static size_t npreface;

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

void tui_preface(const struct tx_item *it)
{
	if (npreface == PREFACE_MAX)
		return;
	preface[npreface].kind = it->kind;
	preface[npreface].label = it->label ? dup_n(it->label, strlen(it->label)) : NULL;
	preface[npreface].text = dup_n(it->text, it->len);
	if (preface[npreface].text)
		npreface++;
}

/* ---- the transcript model --------------------------------------------- */

static void entry_free(struct entry *e)
{
	size_t i;

	free(e->text);
	for (i = 0; i < e->nexpl; i++)
		free(e->expl[i]);
}

static struct entry *entry_add(struct tui *t, enum tx_kind kind,
    const struct tx_item *it)
{
	struct entry *e;

	if (t->n == ENTRIES_MAX) {
		entry_free(&t->e[0]);
		memmove(t->e, t->e + 1, (t->n - 1) * sizeof *t->e);
		t->n--;
		if (t->sel > 0)
			t->sel--;
		if (t->expl_entry > 0)
			t->expl_entry--;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct entry *p = realloc(t->e, cap * sizeof *p);

		if (p == NULL)
			return NULL;
		t->e = p;
		t->cap = cap;
	}
	e = &t->e[t->n];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->code = it->code;
	e->tls = it->tls;
	e->secret = it->secret;
	e->text = dup_n(it->text, it->len);
	if (e->text == NULL)
		return NULL;
	t->n++;
	return e;
}

/* entry_text - an entry of kind with text, not from an item */
static struct entry *entry_text(struct tui *t, enum tx_kind kind,
    const char *text, size_t len)
{
	struct tx_item it = { .kind = kind, .text = text, .len = len };

	return entry_add(t, kind, &it);
}

/* reply_end - the last line of the reply entry i belongs to */
static size_t reply_end(const struct tui *t, size_t i)
{
	while (i + 1 < t->n && t->e[i].kind == TX_RECEIVED &&
	    strlen(t->e[i].text) > 3 && t->e[i].text[3] == '-' &&
	    t->e[i + 1].kind == TX_RECEIVED)
		i++;
	return i;
}

/* explained - the entry explanations attach to: the last reply, or the
 * meta-command that asked for them */
static struct entry *explained(struct tui *t)
{
	size_t i = t->n;

	while (i > 0) {
		i--;
		if (t->e[i].kind == TX_RECEIVED || t->e[i].meta)
			return &t->e[i];
		if (t->e[i].kind == TX_SENT)
			break;
	}
	return t->n ? &t->e[t->n - 1] : NULL;
}

static void add_expl(struct entry *e, const char *label, const char *text,
    size_t len)
{
	size_t ln = label ? strlen(label) : 0;
	char *p;

	if (e == NULL || e->nexpl == EXPL_MAX)
		return;
	p = malloc(ln + len + 2);
	if (p == NULL)
		return;
	memcpy(p, label ? label : "", ln);
	p[ln] = '\t';
	memcpy(p + ln + 1, text, len);
	p[ln + 1 + len] = 0;
	e->expl[e->nexpl++] = p;
}

/* meta_entry - the meta-command typed, as a line of the transcript, once
 * it says something: what it says is its explanation */
static void meta_entry(struct tui *t)
{
	struct entry *e;

	if (t->meta == NULL)
		return;
	e = entry_text(t, TX_NOTE, t->meta, strlen(t->meta));
	t->meta = NULL;
	if (e == NULL)
		return;
	e->meta = 1;
	if (t->follow)
		t->sel = t->n - 1;
}

/* lesson_entries - a lesson's line in the transcript, cut into pieces
 * that fit a narrow pane; with one, only the first */
static void lesson_entries(struct tui *t, const char *prefix, const char *s,
    size_t len, int one)
{
	char buf[LESSON_ENTRY_COLS + 64];
	size_t pl = strlen(prefix);

	do {
		size_t width = LESSON_ENTRY_COLS - pl - (one ? 4 : 0), cut = len;

		if (len > width) {
			cut = width;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = width;
		}
		snprintf(buf, sizeof buf, "%s%.*s%s", prefix, (int)cut, s,
		    one && cut < len ? " ..." : "");
		entry_text(t, TX_LESSON, buf, strlen(buf));
		if (one)
			return;
		s += cut;
		len -= cut;
		while (len > 0 && *s == ' ')
			s++, len--;
		prefix = "";
		pl = 0;
	} while (len > 0);
}

/* ---- the lesson pane's model ---------------------------------------------- */

static void les_clear_step(struct lesson_view *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->line[i].text);
	v->n = 0;
	v->has_task = 0;
	free(v->notyet);
	v->notyet = NULL;
	for (i = 0; i < v->nhints; i++)
		free(v->hint[i]);
	v->nhints = 0;
	v->page = -1;
}

static void les_free(struct lesson_view *v)
{
	les_clear_step(v);
	free(v->title);
	v->title = NULL;
}

/* a paragraph's line: not a list item, not preformatted, not empty */
static int paragraph(const char *s)
{
	return s[0] && s[0] != ' ' && !(s[0] == '-' && s[1] == ' ');
}

static void les_add(struct lesson_view *v, enum les_kind kind,
    const char *text, size_t len)
{
	struct les_line *prev = v->n ? &v->line[v->n - 1] : NULL;
	char *p;

	/* the lines of a paragraph are joined, to be wrapped to the pane */
	if (prev && prev->kind == kind && len > 0 && paragraph(prev->text) &&
	    text[0] != ' ' && !(text[0] == '-' && len > 1 && text[1] == ' ')) {
		size_t pl = strlen(prev->text);

		p = realloc(prev->text, pl + len + 2);
		if (p == NULL)
			return;
		p[pl] = ' ';
		memcpy(p + pl + 1, text, len);
		p[pl + 1 + len] = 0;
		prev->text = p;
		return;
	}
	if (v->n == LES_LINES_MAX)
		return;
	p = dup_n(text, len);
	if (p == NULL)
		return;
	v->line[v->n].kind = kind;
	v->line[v->n].text = p;
	v->n++;
	if (kind == LES_TASK)
		v->has_task = 1;
}

/* in_lesson - a lesson runs: its text goes to the lesson pane */
static int in_lesson(const struct tui *t)
{
	return (console_caps(t->con) & PEER_GUIDED) != 0;
}

/* on_lesson - a TX_LESSON item */
static void on_lesson(struct tui *t, const struct tx_item *it)
{
	struct lesson_view *v = &t->les;
	const char *label = it->label ? it->label : "say";
	enum les_kind kind = !strcmp(label, "task") ? LES_TASK :
	    !strcmp(label, "done") ? LES_DONE : LES_TEXT;
	struct peer_info pi;

	v->linger = 0;
	if (t->con && in_lesson(t)) {
		console_info(t->con, &pi);
		snprintf(v->name, sizeof v->name, "%s", pi.lesson);
		v->running = 1;
	}
	if (!strcmp(label, "title")) {
		les_free(v);
		v->title = dup_n(it->text, it->len);
		lesson_entries(t, "Lesson: ", it->text, it->len, 1);
		return;
	}
	/* a new text after the learner's tries: the next step */
	if (!v->prev_lesson && v->has_task)
		les_clear_step(v);
	v->page = -1;
	if (it->len == 0) {
		/* between paragraphs, and between steps */
		if (v->n > 0 && v->line[v->n - 1].text[0])
			les_add(v, LES_TEXT, "", 0);
		return;
	}
	if (kind == LES_TASK && !v->has_task)
		lesson_entries(t, "Task: ", it->text, it->len, 1);
	else if (kind == LES_DONE) {
		lesson_entries(t, "", it->text, it->len, 0);
		if (t->leaving)
			snprintf(t->farewell, sizeof t->farewell, "%.*s", (int)it->len, it->text);
	}
	les_add(v, kind, it->text, it->len);
}

static void les_feedback(struct tui *t, const struct tx_item *it)
{
	struct lesson_view *v = &t->les;
	char *p = dup_n(it->text, it->len);

	if (p == NULL)
		return;
	v->page = -1;
	if (it->kind == TX_FINDING) {
		free(v->notyet);
		v->notyet = p;
		return;
	}
	if (v->nhints == HINTS_MAX) {
		free(v->hint[0]);
		memmove(v->hint, v->hint + 1, (HINTS_MAX - 1) * sizeof *v->hint);
		v->nhints--;
	}
	v->hint[v->nhints++] = p;
}

/* ---- what the console says -------------------------------------------- */

/* sent_verb - a command sent: its verb, for the state pane (the lines of
 * a message are not commands) */
static void sent_verb(struct tui *t, const struct tx_item *it)
{
	char v[sizeof t->last_verb];
	size_t k;

	for (k = 0; k < it->len && k < sizeof v - 1 && it->text[k] != ' '; k++)
		v[k] = it->text[k] >= 'a' && it->text[k] <= 'z' ?
		    (char)(it->text[k] - 32) : it->text[k];
	v[k] = 0;
	if (k == 0 || ref_command_find(v, k) == NULL)
		return;
	memcpy(t->last_verb, v, k + 1);
	t->reply_code = 0;
}

static void update_phase(struct tui *t);
static void draw_all(struct tui *t);

static void shown_item(void *ctx, const struct tx_item *it)
{
	struct tui *t = ctx;
	int lesson = t->con && in_lesson(t);

	if (t->meta && it->kind == TX_SENT)
		t->meta = NULL;	/* the line went to the session */
	else
		meta_entry(t);
	switch (it->kind) {
	case TX_SENT:
	case TX_RECEIVED:
	case TX_NOTE:
	case TX_ERROR:
		if (entry_add(t, it->kind, it) && it->kind == TX_RECEIVED && t->follow)
			t->sel = t->n - 1;
		if (it->kind == TX_ERROR)
			add_expl(explained(t), "error", it->text, it->len);
		if (it->kind == TX_RECEIVED && it->code) {
			t->last_code = t->reply_code = it->code;
			snprintf(t->reply_cause, sizeof t->reply_cause, "%s %d",
			    t->last_verb[0] ? t->last_verb : "reply", it->code);
		}
		if (it->kind == TX_SENT)
			sent_verb(t, it);
		break;
	case TX_HINT:
		/* a lesson's hints are in its pane */
		if (lesson)
			les_feedback(t, it);
		else
			entry_add(t, it->kind, it);
		add_expl(explained(t), "hint", it->text, it->len);
		break;
	case TX_FINDING:
		if (lesson && it->label && !strcmp(it->label, "not yet"))
			les_feedback(t, it);
		/* fall through */
	case TX_EXPLAIN:
		add_expl(explained(t), it->label ? it->label : "note", it->text, it->len);
		break;
	case TX_LESSON:
		on_lesson(t, it);
		break;
	default:
		break;
	}
	t->les.prev_lesson = it->kind == TX_LESSON;
	t->completions[0] = 0;
	/* while the console waits for a real server (connecting, a slow
	 * reply), show what is happening; only then: a simulated session
	 * answers at once, and is in the middle of a change now */
	if (t->live && it->kind != TX_EXPLAIN && t->con &&
	    (console_caps(t->con) & PEER_LIVE) && now_ms() - t->drawn_ms >= LIVE_MS) {
		update_phase(t);
		draw_all(t);
	}
}

/* on_item - every item reaches the screen escaped (core/printable.h):
 * curses would obey a CR and draw other controls as ^X */
static void on_item(void *ctx, const struct tx_item *raw)
{
	struct tx_item it = *raw;
	char *safe = printable_dup(raw->text, raw->len, PRINTABLE_TAB_SPACE);

	if (safe == NULL)
		return;
	it.text = safe;
	it.len = strlen(safe);
	shown_item(ctx, &it);
	free(safe);
}

/* ---- drawing ---------------------------------------------------------- */

static attr_t pair_attr(const struct tui *t, enum pair p)
{
	static const attr_t mono[P_LAST] = {
		[P_NONE] = A_NORMAL, [P_SENT] = A_BOLD, [P_2XX] = A_NORMAL,
		[P_3XX] = A_NORMAL, [P_4XX] = A_UNDERLINE, [P_5XX] = A_BOLD | A_UNDERLINE,
		[P_LABEL] = A_DIM, [P_WARN] = A_BOLD, [P_HINT] = A_BOLD,
		[P_STATUS] = A_REVERSE, [P_CURRENT] = A_REVERSE | A_BOLD,
	};

	if (!t->colors || p == P_NONE)
		return mono[p];
	return COLOR_PAIR(p) | (p == P_SENT || p == P_CURRENT || p == P_5XX ||
	    p == P_4XX || p == P_HINT ? A_BOLD : A_NORMAL);
}

static enum pair code_pair(int code)
{
	switch (code / 100) {
	case 2: return P_2XX;
	case 3: return P_3XX;
	case 4: return P_4XX;
	case 5: return P_5XX;
	default: return P_NONE;
	}
}

static void colors_init(struct tui *t, enum render_color_mode mode)
{
	const char *nc = getenv("NO_COLOR");

	t->colors = 0;
	if (mode == RENDER_COLOR_NEVER || !has_colors() ||
	    (mode == RENDER_COLOR_AUTO && nc && *nc))
		return;
	start_color();
	use_default_colors();
	t->colors = COLORS >= 256 ? 256 : 8;
	init_pair(P_SENT, COLOR_CYAN, -1);
	init_pair(P_2XX, COLOR_GREEN, -1);
	init_pair(P_3XX, COLOR_CYAN, -1);
	init_pair(P_4XX, COLOR_YELLOW, -1);
	init_pair(P_5XX, COLOR_RED, -1);
	init_pair(P_LABEL, t->colors == 256 ? 67 : COLOR_BLUE, -1);
	init_pair(P_WARN, COLOR_MAGENTA, -1);
	init_pair(P_HINT, t->colors == 256 ? 214 : COLOR_YELLOW, -1);
	init_pair(P_STATUS, COLOR_WHITE, COLOR_BLUE);
	init_pair(P_CURRENT, COLOR_BLACK, COLOR_GREEN);
}

/* put - text clipped to the window's width from (y, x) */
static void put(WINDOW *w, int y, int x, attr_t a, const char *s)
{
	int cols = getmaxx(w);

	if (x >= cols)
		return;
	wattron(w, a);
	mvwaddnstr(w, y, x, s, cols - x);
	wattroff(w, a);
}

/* wrap_cut - how much of s goes on a row of width columns: up to the last
 * space that fits, else width octets (not inside a UTF-8 character) */
static int wrap_cut(const char *s, int width)
{
	int n = (int)strlen(s), cut;

	if (width < 10)
		width = 10;
	if (n <= width)
		return n;
	cut = width;
	while (cut > 0 && s[cut] != ' ')
		cut--;
	if (cut > 0)
		return cut;
	cut = width;
	while (cut > 1 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

/* wrap - text word-wrapped into w from row y; returns the next row */
static int wrap(WINDOW *w, int y, int x, int indent, attr_t a, const char *s)
{
	int cols = getmaxx(w), rows = getmaxy(w);

	while (*s && y < rows) {
		int cut = wrap_cut(s, cols - x);

		wattron(w, a);
		mvwaddnstr(w, y, x, s, cut);
		wattroff(w, a);
		s += cut;
		while (*s == ' ')
			s++;
		y++;
		x = indent;
	}
	return y;
}

/* Rows of wrapped text, to be laid out before they are drawn: a pane
 * that cannot show them all chooses which. */
struct row {
	const char *label;	/* at column 1 on the row, or NULL */
	attr_t la;
	int x;			/* where the text starts */
	attr_t a;
	const char *s;
	int n;			/* octets of s on this row */
};

struct rows {
	struct row r[ROWS_MAX];
	int n;
};

/* rows_wrap - s wrapped to cols columns from column x, indent on the rows
 * after the first; label on the first.  An empty s is an empty row. */
static void rows_wrap(struct rows *rs, int cols, int x, int indent, attr_t a,
    const char *s, const char *label, attr_t la)
{
	do {
		struct row *r;
		int cut;

		if (rs->n == ROWS_MAX)
			return;
		cut = wrap_cut(s, cols - x);
		r = &rs->r[rs->n++];
		r->label = label;
		r->la = la;
		r->x = x;
		r->a = a;
		r->s = s;
		r->n = cut;
		s += cut;
		while (*s == ' ')
			s++;
		x = indent;
		label = NULL;
	} while (*s);
}

/* rows_draw - count rows from first, into w from row y; the next row */
static int rows_draw(WINDOW *w, int y, const struct rows *rs, int first,
    int count)
{
	int cols = getmaxx(w), i;

	for (i = first; i < rs->n && i < first + count; i++, y++) {
		const struct row *r = &rs->r[i];

		if (r->label)
			put(w, y, 1, r->la, r->label);
		if (r->x < cols && r->n > 0) {
			wattron(w, r->a);
			mvwaddnstr(w, y, r->x, r->s, r->n < cols - r->x ? r->n : cols - r->x);
			wattroff(w, r->a);
		}
	}
	return y;
}

static void title(WINDOW *w, const char *text)
{
	int cols = getmaxx(w);

	wattron(w, A_BOLD);
	mvwhline(w, 0, 0, ACS_HLINE, cols);
	mvwaddch(w, 0, 1, ' ');
	waddnstr(w, text, cols > 4 ? cols - 4 : 0);
	waddch(w, ' ');
	wattroff(w, A_BOLD);
}

static const char *marker(const struct entry *e)
{
	if (e->meta)
		return "    ";
	switch (e->kind) {
	case TX_SENT: return e->tls ? " ~> " : " -> ";
	case TX_RECEIVED: return e->tls ? "<~  " : "<-  ";
	case TX_NOTE: return "=== ";
	case TX_ERROR: return "*** ";
	case TX_HINT: return "  ? ";
	case TX_LESSON: return "### ";
	default: return "    ";
	}
}

/* entry_rows - how many rows an entry takes in a pane of cols columns:
 * what smtpref says (a hint, a note, an error) wraps; a line of the wire
 * is one row, cut at the edge as it is */
static int entry_rows(const struct entry *e, int cols)
{
	int w = cols - 5, n;

	if (w < 10 || e->text == NULL ||
	    (e->kind != TX_HINT && e->kind != TX_NOTE && e->kind != TX_ERROR))
		return 1;
	n = (int)((strlen(e->text) + (size_t)w - 1) / (size_t)w);
	return n < 1 ? 1 : n > 8 ? 8 : n;
}

/* transcript_first - the first entry to draw so that the selection (or,
 * when following, the last entry) is in view */
static int transcript_first(struct tui *t, int rows, int cols)
{
	int first, used, i;

	if (t->follow || t->top < 0) {
		for (first = (int)t->n, used = 0; first > 0; first--) {
			int h = entry_rows(&t->e[first - 1], cols);

			if (used + h > rows && used > 0)
				break;
			used += h;
		}
	} else
		first = t->top;
	if ((int)t->sel < first)
		first = (int)t->sel;
	for (;;) {	/* the selection below the pane: scroll down */
		for (i = first, used = 0; i <= (int)t->sel && i < (int)t->n; i++)
			used += entry_rows(&t->e[i], cols);
		if (used <= rows || first >= (int)t->sel)
			break;
		first++;
	}
	return first < 0 ? 0 : first;
}

static void draw_transcript(struct tui *t)
{
	WINDOW *w = t->wtrans;
	int rows = getmaxy(w) - 1, cols = getmaxx(w), y, first, k;
	size_t i;

	werase(w);
	title(w, "Transcript");
	if (rows <= 0)
		return;
	first = transcript_first(t, rows, cols);
	t->top = t->follow ? -1 : first;
	for (y = 0, i = (size_t)first; i < t->n && y < rows; i++) {
		const struct entry *e = &t->e[i];
		enum pair p = e->kind == TX_SENT ? P_SENT :
		    e->kind == TX_RECEIVED ? code_pair(e->code) :
		    e->kind == TX_ERROR ? P_WARN : e->kind == TX_HINT ? P_HINT :
		    e->meta ? P_NONE : P_LABEL;
		int selected = i == t->sel, h = entry_rows(e, cols);
		attr_t a = pair_attr(t, p) | (selected ? A_REVERSE : 0) |
		    (e->kind == TX_LESSON ? A_BOLD : 0);

		put(w, y + 1, 0, selected ? A_REVERSE | A_BOLD : A_NORMAL, selected ? ">" : " ");
		put(w, y + 1, 1, pair_attr(t, P_LABEL), marker(e));
		if (h == 1) {
			put(w, y + 1, 5, a, e->text);
			y++;
			continue;
		}
		for (k = 0; k < h && y < rows; k++, y++) {
			size_t off = (size_t)k * (size_t)(cols - 5);

			if (off >= strlen(e->text))
				break;
			wattron(w, a);
			mvwaddnstr(w, y + 1, 5, e->text + off, cols - 5);
			wattroff(w, a);
		}
	}
}

/* expl_pair - how an explanation's label is drawn */
static enum pair expl_pair(const char *label)
{
	if (!strcmp(label, "hint"))
		return P_HINT;
	if (!strcmp(label, "error") || !strcmp(label, "warning") ||
	    !strcmp(label, "expected") || !strcmp(label, "bad") ||
	    !strcmp(label, "not yet"))
		return P_WARN;
	return P_LABEL;
}

static void draw_expl(struct tui *t)
{
	WINDOW *w = t->wexpl;
	int rows = getmaxy(w) - 1, cols = getmaxx(w), y = 1, show;
	size_t i, end;
	const struct entry *e;
	static struct rows rs;
	char labels[EXPL_MAX][12];

	werase(w);
	title(w, "Explanation");
	t->expl_more = 0;
	if (t->completions[0]) {
		put(w, y++, 1, pair_attr(t, P_LABEL), "completions:");
		wrap(w, y, 2, 2, A_NORMAL, t->completions);
		return;
	}
	if (t->n == 0 || rows <= 0)
		return;
	end = t->e[t->sel].kind == TX_RECEIVED ? reply_end(t, t->sel) : t->sel;
	e = &t->e[end];
	if (end != t->expl_entry) {
		t->expl_entry = end;
		t->expl_top = 0;
	}
	if (e->kind == TX_SENT && e->nexpl == 0) {
		/* a command: what the reference says of its verb */
		char verb[16];
		size_t k;
		const struct ref_command *cmd;

		for (k = 0; k < sizeof verb - 1 && e->text[k] && e->text[k] != ' '; k++)
			verb[k] = e->text[k];
		verb[k] = 0;
		cmd = ref_command_find(verb, k);
		if (cmd) {
			char buf[1024];

			snprintf(buf, sizeof buf, "%s: %s (%s)", cmd->verb, cmd->summary, cmd->section);
			put(w, y, 1, pair_attr(t, P_LABEL), "command");
			wrap(w, y, 11, 11, A_NORMAL, buf);
		} else
			put(w, y, 1, A_DIM, "a line sent by the client");
		return;
	}
	rs.n = 0;
	for (i = 0; i < e->nexpl; i++) {
		const char *tab = strchr(e->expl[i], '\t');
		int lab = (int)(tab - e->expl[i]);

		snprintf(labels[i], sizeof labels[i], "%.*s", lab > 9 ? 9 : lab, e->expl[i]);
		rows_wrap(&rs, cols, 11, 11, A_NORMAL, tab + 1, labels[i],
		    pair_attr(t, expl_pair(labels[i])));
	}
	if (t->expl_top >= rs.n)
		t->expl_top = 0;
	if (rs.n - t->expl_top <= rows && t->expl_top == 0) {
		rows_draw(w, y, &rs, 0, rows);
		return;
	}
	/* more than fits: a page, and a marker that says how to see the rest */
	show = rows > 1 ? rows - 1 : 1;
	t->expl_more = 1;
	t->expl_page = show;
	y = rows_draw(w, y, &rs, t->expl_top, show);
	if (rows > 1) {
		char m[96];
		int last = t->expl_top + show < rs.n ? t->expl_top + show : rs.n;

		snprintf(m, sizeof m, "-- lines %d-%d of %d; F4: %s --", t->expl_top + 1,
		    last, rs.n, last < rs.n ? "more" : "from the top");
		put(w, y, 1, A_DIM | A_BOLD, m);
	}
}

/* diagram_at - the character of the diagram's row i at column x, or ' ' */
static char diagram_at(size_t i, int x)
{
	const char *s;

	if (i >= explain_diagram_rows || x < 0)
		return ' ';
	s = explain_diagram[i].text;
	return (size_t)x < strlen(s) ? s[x] : ' ';
}

/* diagram_ch - the line-drawing character for the ASCII one at row i,
 * column x of the diagram (core/explain.c): '+' becomes the corner or
 * junction its neighbours ask for */
static chtype diagram_ch(size_t i, int x)
{
	char ch = diagram_at(i, x);
	int up, down, left, right;

	switch (ch) {
	case '|': return ACS_VLINE;
	case '-': return ACS_HLINE;
	case '<': return ACS_LARROW;
	case '+': break;
	default: return (chtype)(unsigned char)ch;
	}
	up = i > 0 && strchr("|+", diagram_at(i - 1, x)) != NULL;
	down = strchr("|+", diagram_at(i + 1, x)) != NULL;
	left = strchr("-<+", diagram_at(i, x - 1)) != NULL;
	right = strchr("-+", diagram_at(i, x + 1)) != NULL;
	if (up && down)
		return left ? (right ? ACS_PLUS : ACS_RTEE) : ACS_LTEE;
	if (down)
		return left ? ACS_URCORNER : ACS_ULCORNER;
	if (up)
		return left ? ACS_LRCORNER : ACS_LLCORNER;
	return ACS_HLINE;
}

/* draw_diagram_row - row i at column x; cur: its box is the current
 * state, drawn " name *" in reverse instead of "[ name ]" */
static void draw_diagram_row(struct tui *t, WINDOW *w, int y, int x, size_t i,
    attr_t a, int cur)
{
	const char *s = explain_diagram[i].text;
	int cols = getmaxx(w), k, box = 0;

	if (cur && (s[0] == '[' || s[0] == '(')) {
		const char *end = strchr(s, s[0] == '[' ? ']' : ')');

		box = end ? (int)(end - s) + 1 : 0;
	}
	wattron(w, a);
	for (k = 0; s[k] && x + k < cols; k++)
		if (k >= box)
			mvwaddch(w, y, x + k, diagram_ch(i, k));
	wattroff(w, a);
	if (box > 4) {
		wattron(w, pair_attr(t, P_CURRENT));
		mvwprintw(w, y, x + 1, "%.*s", box - 4, s + 2);
		wattroff(w, pair_attr(t, P_CURRENT));
		put(w, y, x + box - 2, A_BOLD, "*");
	}
}

static void draw_state(struct tui *t)
{
	WINDOW *w = t->wstate;
	int rows = getmaxy(w), y = 1;
	size_t i;
	char next[1024];
	const char *waiting = console_waiting_for(t->con);

	werase(w);
	title(w, "Session state");
	if (t->diagram) {
		for (i = 0; i < explain_diagram_rows && y < rows; i++, y++) {
			int ph = explain_diagram[i].phase;
			int cur = ph == t->cur_phase;
			int prev = ph >= 0 && ph == t->prev_phase &&
			    t->prev_phase != t->cur_phase;

			if (cur)
				put(w, y, 0, A_BOLD, ">");
			else if (prev)
				put(w, y, 0, A_DIM, ".");
			draw_diagram_row(t, w, y, 1, i, prev ? A_UNDERLINE : A_NORMAL, cur);
		}
	}
	if (y < rows) {
		put(w, y, 1, pair_attr(t, P_LABEL), "now");
		put(w, y++, 10, A_BOLD, server_phase_str((enum server_phase)t->cur_phase));
	}
	if (y < rows && t->transition[0]) {
		put(w, y, 1, pair_attr(t, P_LABEL), "just now");
		y = wrap(w, y, 10, 3, A_NORMAL, t->transition);
	}
	if (y < rows) {
		size_t n = console_next(t->con, next, sizeof next);
		int message = console_input(t->con) == PEER_IN_MESSAGE;

		if (waiting)
			put(w, y, 1, pair_attr(t, P_LABEL), "reply to");
		else
			put(w, y, 1, pair_attr(t, P_LABEL), "you may");
		if (waiting && n) {
			char buf[1100];

			snprintf(buf, sizeof buf, "%s: %s", waiting, next);
			y = wrap(w, y, 10, 3, A_NORMAL, buf);
		} else
			y = wrap(w, y, 10, 3, A_NORMAL, n ? next : message ?
			    "type the message; a line with a single . ends it" : "(nothing now)");
	}
}

/* les_rows - the lesson's text (narration, summary) or what must always
 * show (the task, the closing words), wrapped to the pane */
static void les_rows(struct tui *t, struct rows *rs, int cols, int task)
{
	const struct lesson_view *v = &t->les;
	size_t i;
	int first = 1;

	for (i = 0; i < v->n; i++) {
		const struct les_line *l = &v->line[i];
		const char *s = l->text;

		if ((l->kind != LES_TEXT) != task)
			continue;
		if (task && l->kind == LES_DONE)
			rows_wrap(rs, cols, 1, 1, A_BOLD, s, NULL, 0);
		else if (task) {
			if (s[0] == 0)
				continue;
			rows_wrap(rs, cols, LES_LABEL, LES_LABEL, A_BOLD, s,
			    first ? "task" : NULL, pair_attr(t, P_LABEL));
			first = 0;
		} else if (s[0] == ' ') {
			/* preformatted: as it is, cut at the pane's edge */
			if (rs->n < ROWS_MAX)
				rs->r[rs->n++] = (struct row){ NULL, 0, 1, A_NORMAL, s, (int)strlen(s) };
		} else if (s[0] == '-' && s[1] == ' ')
			rows_wrap(rs, cols, 1, 3, A_NORMAL, s, NULL, 0);
		else
			rows_wrap(rs, cols, 1, 1, A_NORMAL, s, NULL, 0);
	}
	/* no empty rows at the ends */
	while (!task && rs->n > 0 && rs->r[rs->n - 1].n == 0)
		rs->n--;
}

static void draw_lesson(struct tui *t)
{
	WINDOW *w = t->wlesson;
	struct lesson_view *v = &t->les;
	int rows = getmaxy(w) - 1, cols = getmaxx(w), y = 1, tn, fn, nn, area, fshow;
	static struct rows text, task, fb;
	char head[256];
	size_t i;

	werase(w);
	if (in_lesson(t))
		snprintf(head, sizeof head, "Lesson: %s, step %zu of %zu", v->title ? v->title : v->name,
		    v->step + 1, v->nsteps);
	else
		snprintf(head, sizeof head, "Lesson: %s, over", v->title ? v->title : v->name);
	title(w, head);
	if (rows <= 0)
		return;
	text.n = task.n = fb.n = 0;
	les_rows(t, &text, cols, 0);
	les_rows(t, &task, cols, 1);
	if (v->notyet)
		rows_wrap(&fb, cols, LES_LABEL, LES_LABEL, A_NORMAL, v->notyet, "not yet",
		    pair_attr(t, P_WARN));
	for (i = 0; i < v->nhints; i++)
		rows_wrap(&fb, cols, LES_LABEL, LES_LABEL, pair_attr(t, P_HINT), v->hint[i],
		    "hint", pair_attr(t, P_HINT));
	/* the task always shows; then the feedback, newest kept; the text
	 * gets the rest, and says so when it is cut */
	tn = task.n < rows ? task.n : rows;
	nn = text.n;
	v->cut = 0;
	if (v->page >= 0 && rows - tn - 1 >= 1) {
		char m[96];

		area = rows - tn - 1;
		v->npages = nn > 0 ? (nn + area - 1) / area : 1;
		if (v->page >= v->npages)
			v->page = 0;
		y = rows_draw(w, y, &text, v->page * area, area);
		snprintf(m, sizeof m, "-- the lesson's text, page %d of %d; F3: %s --",
		    v->page + 1, v->npages, v->page + 1 < v->npages ? "next page" : "back");
		put(w, y++, 1, A_DIM | A_BOLD, m);
		rows_draw(w, y, &task, 0, tn);
		return;
	}
	v->page = -1;
	fn = fb.n;
	fshow = fn < rows - tn ? fn : rows - tn;
	area = rows - tn - fshow;
	if (nn <= area)
		y = rows_draw(w, y, &text, 0, nn);
	else {
		int shown = area - 1;

		v->cut = 1;
		while (shown > 0 && text.r[shown - 1].n == 0)
			shown--;	/* no empty row before the marker */
		y = rows_draw(w, y, &text, 0, shown);
		if (area > 0)
			put(w, y++, 1, A_DIM | A_BOLD, "-- more of the lesson's text: F3 --");
	}
	y = rows_draw(w, y, &task, 0, tn);
	rows_draw(w, y, &fb, fn - fshow, fshow);
}

/* status_text - the status line; compact from 1 to 3 when it must be
 * shorter: the persona's host name, the program's name, the keys, then
 * the lesson's name and "you: " go first */
static void status_text(struct tui *t, char *buf, size_t size, int compact)
{
	struct peer_info pi;
	const char *keys = compact ? "F1 help" : t->les_shown ?
	    "F1 help  F2 diagram  F3 lesson text  Ctrl-D quit" :
	    "F1 help  F2 diagram  PgUp/PgDn  Ctrl-D quit";
	char peer[200], lesson[160];

	console_info(t->con, &pi);
	lesson[0] = 0;
	if (pi.detail)
		snprintf(peer, sizeof peer, "you: %s | %s: %s%s%s%s",
		    pi.learner_server ? "server" : "client", pi.other, pi.name,
		    compact ? "" : " (", compact ? "" : pi.detail, compact ? "" : ")");
	else
		snprintf(peer, sizeof peer, "you: %s | %s: %s",
		    pi.learner_server ? "server" : "client", pi.other, pi.name);
	if (pi.lesson) {
		if (compact < 2)
			snprintf(lesson, sizeof lesson, " | lesson %s, step %zu of %zu",
			    pi.lesson, pi.step + 1, pi.nsteps);
		else if (compact == 2)
			snprintf(lesson, sizeof lesson, " | lesson %s %zu/%zu",
			    pi.lesson, pi.step + 1, pi.nsteps);
		else
			snprintf(lesson, sizeof lesson, " | step %zu/%zu",
			    pi.step + 1, pi.nsteps);
	}
	snprintf(buf, size, "%s%s | TLS %s%s | %s", compact ? " " : " smtpref | ",
	    compact > 2 ? peer + 5 : peer, console_tls(t->con) ? "on" : "off", lesson, keys);
}

static void draw_status(struct tui *t)
{
	WINDOW *w = t->wstatus;
	char buf[512];
	int compact;

	werase(w);
	wbkgd(w, pair_attr(t, P_STATUS));
	for (compact = 0; compact < 4; compact++) {
		status_text(t, buf, sizeof buf, compact);
		if ((int)strlen(buf) <= getmaxx(w))
			break;
	}
	put(w, 0, 0, pair_attr(t, P_STATUS), buf);
}

/* The help: the keys, then the meta-commands that matter now.  Every
 * line fits a terminal of 80 columns in the help's box. */
static const char *const help_keys[] = {
	"smtpref tui - keys",
	"",
	"  Enter          send the line (a command, or a reply as the server)",
	"  Tab            complete verbs, addresses, parameters, codes",
	"  Up / Down      the input history",
	"  Shift-Up/Down  select an older or newer line: its explanation shows",
	"  PgUp / PgDn    move the selection a page; End follows the latest",
	"  F2             show or hide the state diagram",
	"  F4             the rest of a long explanation",
	"  F1 or ?        this help (? on an empty line)",
	"  Ctrl-C, Ctrl-L cancel the line being typed; redraw the screen",
	"  Ctrl-D, :quit  leave (QUIT is sent first)",
	"",
	"  Lines starting with ':' are meta-commands; these apply now:",
};

static const char *const help_f3 =
	"  F3             the rest of the lesson's text, when it is cut";

/* The meta-commands that apply now, from the console's one table. */
struct help_rows {
	WINDOW *w;
	int y, rows, cols;
	int general;		/* this pass shows the general ones */
};

static void help_row(void *ctx, const char *name, const char *args,
    const char *help, int general)
{
	struct help_rows *h = ctx;
	char buf[256];

	if (h->y >= h->rows - 1 || general != h->general)
		return;
	snprintf(buf, sizeof buf, "  :%s%s%s  %s", name, args[0] ? " " : "",
	    args, help);
	mvwaddnstr(h->w, h->y++, 2, buf, h->cols - 4);
}

static void draw_help(struct tui *t)
{
	int rows = LINES - 2, cols = COLS - 4, y = 1;
	size_t i;
	WINDOW *w;
	struct help_rows h;

	if (rows < 5 || cols < 20)
		return;
	w = newwin(rows, cols, 1, 2);
	if (w == NULL)
		return;
	werase(w);
	box(w, 0, 0);
	for (i = 0; i < sizeof help_keys / sizeof help_keys[0] && y < rows - 1; i++, y++) {
		/* F3 with the other keys, while a lesson is shown */
		if (t->les_shown && !strncmp(help_keys[i], "  F4", 4))
			mvwaddnstr(w, y++, 2, help_f3, cols - 4);
		if (y < rows - 1)
			mvwaddnstr(w, y, 2, help_keys[i], cols - 4);
	}
	h.w = w;
	h.y = y;
	h.rows = rows;
	h.cols = cols;
	/* what this peer alone can do first, then what every one can */
	for (h.general = 0; h.general < 2; h.general++)
		console_meta_each(t->con, help_row, &h);
	mvwaddnstr(w, rows - 1, 3, " Press any key to close this help. ", cols - 6);
	wnoutrefresh(w);
	delwin(w);
}

static void draw_input(struct tui *t);
static void layout(struct tui *t);

/* lesson_shown - a lesson runs, or is over and its last words are shown */
static int lesson_shown(struct tui *t)
{
	struct peer_info pi;
	int lesson = in_lesson(t);

	if (lesson) {
		console_info(t->con, &pi);
		t->les.running = 1;
		t->les.step = pi.step;
		t->les.nsteps = pi.nsteps;
	} else if (t->les.running) {
		/* it is over: its last words stay until the next line */
		t->les.running = 0;
		t->les.linger = 1;
	}
	return lesson || t->les.linger;
}

static void draw_all(struct tui *t)
{
	if (!!lesson_shown(t) != t->les_shown)
		layout(t);
	t->drawn_ms = now_ms();
	if (t->small) {
		erase();
		mvprintw(0, 0, "smtpref tui needs at least %dx%d; this terminal is %dx%d.",
		    MIN_COLS, MIN_LINES, COLS, LINES);
		mvprintw(1, 0, "Make it larger, or press Ctrl-D to leave.");
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	draw_status(t);
	if (t->wlesson)
		draw_lesson(t);
	draw_transcript(t);
	draw_expl(t);
	draw_state(t);
	wnoutrefresh(t->wstatus);
	if (t->wlesson)
		wnoutrefresh(t->wlesson);
	wnoutrefresh(t->wtrans);
	wnoutrefresh(t->wexpl);
	wnoutrefresh(t->wstate);
	if (t->help)
		draw_help(t);
	draw_input(t);
}

static void windows_free(struct tui *t)
{
	WINDOW **ws[] = { &t->wstatus, &t->wlesson, &t->wtrans, &t->wexpl,
	    &t->wstate, &t->winput };
	size_t i;

	for (i = 0; i < sizeof ws / sizeof ws[0]; i++)
		if (*ws[i]) {
			delwin(*ws[i]);
			*ws[i] = NULL;
		}
}

/* layout - side by side on a wide screen, stacked on a narrow one; a
 * lesson's pane is a band above the transcript in both */
static void layout(struct tui *t)
{
	int lines = LINES, cols = COLS;

	windows_free(t);
	t->les_shown = lesson_shown(t);
	t->small = cols < MIN_COLS || lines < MIN_LINES;
	clearok(curscr, TRUE);
	if (t->small)
		return;
	t->wstatus = newwin(1, cols, 0, 0);
	t->winput = newwin(1, cols, lines - 1, 0);
	if (cols >= WIDE_COLS) {
		int left = cols - STATE_COLS, body = lines - 2, les = 0, rest, trans;

		if (t->les_shown) {
			les = body * 2 / 5;
			if (les > 14)
				les = 14;
			t->wlesson = newwin(les, left, 1, 0);
		}
		rest = body - les;
		trans = rest * 3 / 5;
		t->wtrans = newwin(trans, left, 1 + les, 0);
		t->wexpl = newwin(rest - trans, left, 1 + les + trans, 0);
		t->wstate = newwin(body, STATE_COLS, 1, left);
	} else {
		int body = lines - 2, les = 0, rest;
		int state = t->diagram ? 18 : t->les_shown ? 4 : 5;
		int expl, trans;

		if (t->les_shown) {
			les = body / 3;
			if (les > 14)
				les = 14;
			t->wlesson = newwin(les, cols, 1, 0);
		}
		rest = body - les;
		if (state > rest / 2)
			state = rest / 2;
		expl = (rest - state) * 2 / 5;
		trans = rest - state - expl;
		t->wtrans = newwin(trans, cols, 1 + les, 0);
		t->wexpl = newwin(expl, cols, 1 + les + trans, 0);
		t->wstate = newwin(state, cols, 1 + les + trans + expl, 0);
	}
	if (!t->wstatus || !t->winput || !t->wtrans || !t->wexpl || !t->wstate ||
	    (t->les_shown && !t->wlesson)) {
		windows_free(t);
		t->small = 1;
		return;
	}
	keypad(t->winput, TRUE);
	wtimeout(t->winput, 0);
}

/* ---- readline inside curses ------------------------------------------ */

static void draw_input(struct tui *t)
{
	WINDOW *w = t->winput;
	const char *prompt = rl_display_prompt ? rl_display_prompt : "";
	int plen = (int)strlen(prompt), cols, start = 0, x;

	if (w == NULL || t->small)
		return;
	cols = getmaxx(w);
	werase(w);
	wattron(w, A_BOLD);
	mvwaddnstr(w, 0, 0, prompt, cols);
	wattroff(w, A_BOLD);
	/* scroll the line so the cursor stays visible */
	if (plen + rl_point >= cols - 1)
		start = plen + rl_point - (cols - 2);
	if (rl_line_buffer && start < rl_end)
		mvwaddnstr(w, 0, plen, rl_line_buffer + start, cols - plen > 0 ? cols - plen : 0);
	x = plen + rl_point - start;
	wmove(w, 0, x < cols ? x : cols - 1);
	wnoutrefresh(w);
	doupdate();
}

static void rl_redisplay_tui(void)
{
	if (the_tui)
		draw_input(the_tui);
}

static int rl_getc_tui(FILE *f)
{
	int c = the_tui->pending;

	(void)f;
	the_tui->pending = EOF;
	return c;
}

static int rl_input_available_tui(void)
{
	return the_tui->pending != EOF;
}

static void rl_prep_noop(int meta)
{
	(void)meta;
}

static void rl_deprep_noop(void)
{
}

/* matches - readline's list of completions, shown in the explanation pane */
static void show_matches(char **matches, int n, int maxlen)
{
	struct tui *t = the_tui;
	size_t off = 0;
	int i;

	(void)maxlen;
	t->completions[0] = 0;
	for (i = 1; i <= n && off < sizeof t->completions - 64; i++)
		off += (size_t)snprintf(t->completions + off, sizeof t->completions - off,
		    "%s%s", i > 1 ? "  " : "", matches[i]);
	/* shown until the next key */
	draw_all(t);
}

static char **complete(const char *text, int start, int end)
{
	return rlcomplete(the_tui->con, text, start, end);
}

static void update_phase(struct tui *t)
{
	int ph = console_phase(t->con);

	if (ph != t->cur_phase) {
		char why[32];

		/* what took the session there: as the server, your reply; as
		 * the client, the command, and its reply once it came */
		if (console_waiting_for(t->con))
			snprintf(why, sizeof why, "%s", t->reply_cause);
		else if (t->last_verb[0] && t->reply_code)
			snprintf(why, sizeof why, "%s %d", t->last_verb, t->reply_code);
		else if (t->last_verb[0])
			snprintf(why, sizeof why, "%s", t->last_verb);
		else
			snprintf(why, sizeof why, "reply %d", t->reply_code);
		t->prev_phase = t->cur_phase;
		snprintf(t->transition, sizeof t->transition, "%s -> %s (%s)",
		    server_phase_str((enum server_phase)t->cur_phase),
		    server_phase_str((enum server_phase)ph), why);
		t->cur_phase = ph;
	}
}

/* after - the console did something: the screen follows */
static void after(struct tui *t)
{
	update_phase(t);
	rl_set_prompt(console_prompt(t->con));
	draw_all(t);
}

static void on_line(char *line)
{
	struct tui *t = the_tui;

	/* a lesson that is over leaves the screen at the next line */
	t->les.linger = 0;
	if (line == NULL) {
		t->leaving = 1;
		console_eof(t->con);
	} else {
		int secret;

		t->follow = 1;
		t->meta = line[0] == ':' ? line : NULL;
		secret = console_line(t->con, line, strlen(line));
		t->meta = NULL;
		if (!secret && line[0] && line[0] != ' ')
			add_history(line);
		free(line);
	}
	after(t);
}

/* ask_password - :auth's password, typed on the input line, not shown */
static int ask_password(void *ctx, const char *user, char *buf, size_t size)
{
	struct tui *t = ctx;
	size_t n = 0;
	int ok = -1;

	if (size == 0)
		return -1;
	while (!got_signal) {
		WINDOW *w = t->winput;
		char prompt[300];
		int c;

		if (w == NULL)
			break;
		snprintf(prompt, sizeof prompt, "Password for %s (not shown; Esc cancels): ", user);
		werase(w);
		put(w, 0, 0, A_BOLD, prompt);
		wnoutrefresh(w);
		doupdate();
		wtimeout(w, TICK_MS);
		c = wgetch(w);
		wtimeout(w, 0);
		if (c == ERR)
			continue;
		if (c == '\r' || c == '\n' || c == KEY_ENTER) {
			ok = 0;
			break;
		}
		if (c == 27 || c == 3)
			break;
		if (c == KEY_RESIZE) {
			layout(t);
			draw_all(t);
		} else if (c == KEY_BACKSPACE || c == 127 || c == 8) {
			if (n > 0)
				n--;
		} else if (c >= 32 && c < 256 && n + 1 < size)
			buf[n++] = (char)c;
	}
	buf[ok == 0 ? n : 0] = 0;
	if (ok != 0) {
		volatile char *v = buf;

		while (n--)
			*v++ = 0;
	}
	draw_all(t);
	return ok;
}

/* ---- keys -------------------------------------------------------------- */

/* selectable - a line with something to explain: a command sent, the last
 * line of a reply, a meta-command */
static int selectable(const struct tui *t, size_t i)
{
	const struct entry *e = &t->e[i];

	if (e->kind == TX_SENT || e->meta)
		return 1;
	return e->kind == TX_RECEIVED && reply_end(t, i) == i;
}

static void select_move(struct tui *t, int delta)
{
	size_t s = t->sel;
	int step = delta < 0 ? -1 : 1, left = delta < 0 ? -delta : delta;

	if (t->n == 0)
		return;
	while (left > 0) {
		size_t k = s;

		/* the next selectable line in that direction, if any */
		for (;;) {
			if ((step < 0 && k == 0) || (step > 0 && k + 1 >= t->n)) {
				k = s;
				left = 1;
				break;
			}
			k = step < 0 ? k - 1 : k + 1;
			if (selectable(t, k))
				break;
		}
		s = k;
		left--;
	}
	t->sel = s;
	t->follow = 0;
}

static void key(struct tui *t, int c)
{
	int page = t->wtrans ? getmaxy(t->wtrans) - 2 : 10;

	if (t->help) {
		t->help = 0;
		draw_all(t);
		return;
	}
	if (t->completions[0] && c != '\t') {
		t->completions[0] = 0;
		draw_all(t);
	}
	switch (c) {
	case KEY_RESIZE:
		layout(t);
		draw_all(t);
		return;
	case KEY_F(1):
		t->help = 1;
		draw_all(t);
		return;
	case '?':
		if (rl_end == 0) {
			t->help = 1;
			draw_all(t);
			return;
		}
		break;
	case KEY_F(2):
		t->diagram = !t->diagram;
		layout(t);
		draw_all(t);
		return;
	case KEY_F(3):
		/* the lesson's text, page by page, then back */
		if (t->les.page < 0) {
			if (t->les.cut)
				t->les.page = 0;
		} else if (++t->les.page >= t->les.npages)
			t->les.page = -1;
		draw_all(t);
		return;
	case KEY_F(4):
		if (t->expl_more) {
			t->expl_top += t->expl_page;
			draw_all(t);
		}
		return;
	case KEY_SR:
		select_move(t, -1);
		draw_all(t);
		return;
	case KEY_SF:
		select_move(t, 1);
		draw_all(t);
		return;
	case KEY_PPAGE:
		select_move(t, -page);
		draw_all(t);
		return;
	case KEY_NPAGE:
		select_move(t, page);
		draw_all(t);
		return;
	case KEY_END:
		if (rl_end == 0) {
			if (t->n)
				t->sel = t->n - 1;
			t->follow = 1;
			draw_all(t);
			return;
		}
		rl_end_of_line(1, 0);
		draw_input(t);
		return;
	case KEY_UP: rl_get_previous_history(1, 0); draw_input(t); return;
	case KEY_DOWN: rl_get_next_history(1, 0); draw_input(t); return;
	case KEY_LEFT: rl_backward_char(1, 0); draw_input(t); return;
	case KEY_RIGHT: rl_forward_char(1, 0); draw_input(t); return;
	case KEY_HOME: rl_beg_of_line(1, 0); draw_input(t); return;
	case KEY_BACKSPACE: rl_rubout(1, 0); draw_input(t); return;
	case KEY_DC: rl_delete(1, 0); draw_input(t); return;
	case KEY_ENTER: c = '\n'; break;
	case 3:	/* Ctrl-C: cancel the line, a :pipe group or a replay */
		console_interrupt(t->con);
		rl_replace_line("", 0);
		rl_point = rl_end = 0;
		after(t);
		return;
	case 12:	/* Ctrl-L */
		clearok(curscr, TRUE);
		draw_all(t);
		return;
	default:
		if (c >= KEY_MIN)
			return;	/* another function key: nothing to do */
		break;
	}
	t->pending = c;
	rl_callback_read_char();
}

/* ---- the program ------------------------------------------------------ */

static int curses_on;

static void curses_off(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

static void preface_show(struct tui *t)
{
	size_t i;

	for (i = 0; i < npreface; i++) {
		struct tx_item it = { .kind = preface[i].kind,
		    .label = preface[i].label, .text = preface[i].text,
		    .len = strlen(preface[i].text) };

		on_item(t, &it);
		free(preface[i].label);
		free(preface[i].text);
	}
	npreface = 0;
}

/* loop - the terminal and the server's socket, until the console is done;
 * returns the signal that ended it, or 0 */
static int loop(struct tui *t)
{
	while (!console_done(t->con)) {
		struct pollfd pfd[2] = { { 0, POLLIN, 0 }, { -1, POLLIN, 0 } };
		int ct = console_timeout(t->con), n, ch;

		if (got_signal)
			return got_signal;
		pfd[1].fd = console_fd(t->con);
		n = poll(pfd, 2, ct < 0 || ct > TICK_MS ? TICK_MS : ct);
		if (got_signal)
			return got_signal;
		if (n < 0 && errno != EINTR)
			break;
		/* the server first: its reply may change the prompt */
		if (pfd[1].fd >= 0 && ((n > 0 && pfd[1].revents) ||
		    console_timeout(t->con) == 0)) {
			t->live = 1;
			console_process(t->con);
			t->live = 0;
			after(t);
		}
		/* the keys: also after a signal, which is how curses tells of
		 * a resize (KEY_RESIZE) */
		while (!console_done(t->con) &&
		    (ch = t->winput ? wgetch(t->winput) : getch()) != ERR) {
			t->live = 1;
			key(t, ch);
			t->live = 0;
		}
		if (n > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			return SIGHUP;	/* the terminal is gone */
	}
	return 0;
}

int tui_run(struct console_opts *co, int color, const struct conn_opts *real)
{
	struct tui t;
	struct tx_sink sink = { &t, on_item };
	struct sigaction sa;
	int quit_code, st;
	size_t i;

	if (!isatty(0) || !isatty(1)) {
		fputs("smtpref tui: needs a terminal; for scripts use 'smtpref shell', which reads lines from a pipe\n", stderr);
		lesson_free(co->lesson);
		co->lesson = NULL;
		return 2;
	}
	memset(&t, 0, sizeof t);
	co->interactive = 1;
	co->ask_password = ask_password;
	co->ask_ctx = &t;
	co->lookup = lookup_plain;
	co->connect = realpeer_new;
	setlocale(LC_ALL, "");
	t.follow = 1;
	t.top = -1;
	t.pending = EOF;
	t.cur_phase = t.prev_phase = SERVER_CONNECTED;
	t.les.page = -1;
	t.con = console_new(co, &sink);
	if (t.con == NULL) {
		fputs("smtpref tui: out of memory\n", stderr);
		return 1;
	}
	the_tui = &t;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (initscr() == NULL) {
		fputs("smtpref tui: cannot start the terminal (is TERM right?)\n", stderr);
		console_free(t.con);
		return 1;
	}
	curses_on = 1;
	atexit(curses_off);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	timeout(0);
	colors_init(&t, (enum render_color_mode)color);
	set_escdelay(100);
	/* the diagram fits beside the transcript, or below it on a tall
	 * screen; elsewhere F2 shows it */
	t.diagram = COLS >= WIDE_COLS || LINES >= 40;

	rl_readline_name = "smtpref";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = rl_prep_noop;
	rl_deprep_term_function = rl_deprep_noop;
	rl_getc_function = rl_getc_tui;
	rl_input_available_hook = rl_input_available_tui;
	rl_redisplay_function = rl_redisplay_tui;
	rl_completion_display_matches_hook = show_matches;
	rl_attempted_completion_function = complete;
	rl_basic_word_break_characters = " \t\n<=";
	rl_completer_word_break_characters = " \t\n<=";
	rl_outstream = fopen("/dev/null", "w");
	rl_variable_bind("completion-ignore-case", "on");
	rl_variable_bind("enable-bracketed-paste", "off");
	using_history();
	stifle_history(1000);

	layout(&t);
	rl_callback_handler_install(console_prompt(t.con), on_line);
	preface_show(&t);
	if (real) {
		draw_all(&t);
		t.live = 1;
		console_connect(t.con, real);
		t.live = 0;
	}
	t.live = 1;
	console_start(t.con);
	t.live = 0;
	after(&t);

	quit_code = loop(&t);
	rl_callback_handler_remove();
	curses_off();
	if (rl_outstream)
		fclose(rl_outstream);
	rl_outstream = NULL;
	if (!quit_code) {
		if (t.farewell[0])
			printf("smtpref tui: %s\n", t.farewell);
		if (t.last_code)
			printf("smtpref tui: the session ended; the last reply was %d.\n", t.last_code);
	}
	st = console_exit_status(t.con);
	windows_free(&t);
	for (i = 0; i < t.n; i++)
		entry_free(&t.e[i]);
	free(t.e);
	les_free(&t.les);
	rlcomplete_free();
	console_free(t.con);
	the_tui = NULL;
	if (quit_code) {
		signal(quit_code, SIG_DFL);
		raise(quit_code);
	}
	return st;
}
