/* tui.c - the full-screen view: transcript, explanations, state diagram
 *
 * The same console as the shell (console.c), drawn with ncursesw into
 * panes: the transcript, the explanation of the selected line, the state
 * diagram with the current state marked, a status line and the input
 * line.  GNU readline edits the input line through its callback
 * interface: curses reads the keys, hands ordinary characters to readline
 * (rl_getc_function) and maps the keys curses decodes (arrows, Home,
 * Delete) to readline's commands; readline's redisplay draws into the
 * input window.  No protocol work happens here.
 */
#include <config.h>

#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "console.h"
#include "shell.h"
#include "rlcomplete.h"
#include "ref.h"
#include "render.h"

#define ENTRIES_MAX 5000	/* transcript lines kept; the oldest go */
#define EXPL_MAX 64		/* explanation lines kept per entry */
#define MIN_COLS 60
#define MIN_LINES 16
#define WIDE_COLS 120		/* from here the state pane sits on the right */
#define STATE_COLS 46

/* One line of the transcript pane, with what explains it. */
struct entry {
	enum tx_kind kind;
	int code, tls, secret;
	char *text;
	char *expl[EXPL_MAX];		/* "label\ttext" */
	size_t nexpl;
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
	WINDOW *wstatus, *wtrans, *wexpl, *wstate, *winput;
	int pending;		/* the key readline reads next, or EOF */
};

static struct tui *the_tui;	/* readline's callbacks carry no context */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* ---- the transcript model --------------------------------------------- */

static void entry_free(struct entry *e)
{
	size_t i;

	free(e->text);
	for (i = 0; i < e->nexpl; i++)
		free(e->expl[i]);
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
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

/* reply_end - the last line of the reply entry i belongs to */
static size_t reply_end(const struct tui *t, size_t i)
{
	while (i + 1 < t->n && t->e[i].kind == TX_RECEIVED &&
	    strlen(t->e[i].text) > 3 && t->e[i].text[3] == '-' &&
	    t->e[i + 1].kind == TX_RECEIVED)
		i++;
	return i;
}

/* explained - the entry explanations attach to: the last reply */
static struct entry *explained(struct tui *t)
{
	size_t i = t->n;

	while (i > 0) {
		i--;
		if (t->e[i].kind == TX_RECEIVED)
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

static void on_item(void *ctx, const struct tx_item *it)
{
	struct tui *t = ctx;

	switch (it->kind) {
	case TX_SENT:
	case TX_RECEIVED:
	case TX_NOTE:
	case TX_ERROR:
	case TX_HINT:
		if (entry_add(t, it->kind, it) && it->kind == TX_RECEIVED && t->follow)
			t->sel = t->n - 1;
		if (it->kind == TX_HINT || it->kind == TX_ERROR)
			add_expl(explained(t), it->kind == TX_HINT ? "hint" : "error", it->text, it->len);
		break;
	case TX_EXPLAIN:
	case TX_FINDING:
		add_expl(explained(t), it->label ? it->label : "note", it->text, it->len);
		break;
	default:
		break;
	}
	t->completions[0] = 0;
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

/* wrap - text word-wrapped into w from row y; returns the next row */
static int wrap(WINDOW *w, int y, int x, int indent, attr_t a, const char *s)
{
	int cols = getmaxx(w), rows = getmaxy(w);
	int width = cols - x;

	while (*s && y < rows) {
		int n = (int)strlen(s), cut = n;

		if (width < 10)
			width = 10;
		if (n > width) {
			cut = width;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = width;
		}
		wattron(w, a);
		mvwaddnstr(w, y, x, s, cut);
		wattroff(w, a);
		s += cut;
		while (*s == ' ')
			s++;
		y++;
		x = indent;
		width = cols - indent;
	}
	return y;
}

static void title(WINDOW *w, const char *text)
{
	int cols = getmaxx(w);

	wattron(w, A_BOLD);
	mvwhline(w, 0, 0, ACS_HLINE, cols);
	mvwprintw(w, 0, 1, " %s ", text);
	wattroff(w, A_BOLD);
}

static const char *marker(const struct entry *e)
{
	switch (e->kind) {
	case TX_SENT: return e->tls ? " ~> " : " -> ";
	case TX_RECEIVED: return e->tls ? "<~  " : "<-  ";
	case TX_NOTE: return "=== ";
	case TX_ERROR: return "*** ";
	case TX_HINT: return "  ? ";
	default: return "    ";
	}
}

static void draw_transcript(struct tui *t)
{
	WINDOW *w = t->wtrans;
	int rows = getmaxy(w) - 1, y, first;
	size_t i;

	werase(w);
	title(w, "Transcript");
	if (rows <= 0)
		return;
	/* keep the selection in view; at the end when following */
	if (t->follow || t->top < 0)
		first = (int)t->n - rows;
	else
		first = t->top;
	if ((int)t->sel < first)
		first = (int)t->sel;
	if ((int)t->sel >= first + rows)
		first = (int)t->sel - rows + 1;
	if (first < 0)
		first = 0;
	t->top = t->follow ? -1 : first;
	for (y = 0, i = (size_t)first; i < t->n && y < rows; i++, y++) {
		const struct entry *e = &t->e[i];
		enum pair p = e->kind == TX_SENT ? P_SENT :
		    e->kind == TX_RECEIVED ? code_pair(e->code) :
		    e->kind == TX_ERROR ? P_WARN : e->kind == TX_HINT ? P_HINT : P_LABEL;
		int selected = i == t->sel;

		put(w, y + 1, 0, selected ? A_REVERSE | A_BOLD : A_NORMAL, selected ? ">" : " ");
		put(w, y + 1, 1, pair_attr(t, P_LABEL), marker(e));
		put(w, y + 1, 5, pair_attr(t, p) | (selected ? A_REVERSE : 0), e->text);
	}
}

static void draw_expl(struct tui *t)
{
	WINDOW *w = t->wexpl;
	int y = 1;
	size_t i, end;
	const struct entry *e;

	werase(w);
	title(w, "Explanation");
	if (t->completions[0]) {
		put(w, y++, 1, pair_attr(t, P_LABEL), "completions:");
		wrap(w, y, 2, 2, A_NORMAL, t->completions);
		return;
	}
	if (t->n == 0)
		return;
	end = t->e[t->sel].kind == TX_RECEIVED ? reply_end(t, t->sel) : t->sel;
	e = &t->e[end];
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
	for (i = 0; i < e->nexpl && y < getmaxy(w); i++) {
		const char *tab = strchr(e->expl[i], '\t');
		char label[12];
		int lab = (int)(tab - e->expl[i]);
		enum pair p = P_LABEL;

		snprintf(label, sizeof label, "%.*s", lab > 9 ? 9 : lab, e->expl[i]);
		if (!strcmp(label, "hint"))
			p = P_HINT;
		else if (!strcmp(label, "error") || !strcmp(label, "warning") ||
		    !strcmp(label, "expected") || !strcmp(label, "code") ||
		    !strcmp(label, "bad") || !strcmp(label, "enhanced"))
			p = strcmp(label, "code") && strcmp(label, "enhanced") ? P_WARN : P_LABEL;
		put(w, y, 1, pair_attr(t, p), label);
		y = wrap(w, y, 11, 11, A_NORMAL, tab + 1);
	}
}

/* The diagram: rows of text; '|' '-' '{' '}' '<' become line-drawing
 * characters; phase is the state a row stands for, or -1. */
static const struct {
	int phase;
	const char *text;
} diagram[] = {
	{ SERVER_CONNECTED, " connect" },
	{ -1, "    | 220 greeting" },
	{ SERVER_GREETED, " greeted    <-------{" },
	{ -1, "    | EHLO/HELO     | STARTTLS" },
	{ SERVER_READY, " ready      <---{   | starts over" },
	{ -1, "    | MAIL FROM   |   |" },
	{ SERVER_MAIL, " mail            |---}" },
	{ -1, "    | RCPT TO     | RSET, or" },
	{ SERVER_RCPT, " rcpt            | 250 after" },
	{ -1, "    | DATA 354    | the message" },
	{ SERVER_DATA, " data       -----}" },
	{ -1, "" },
	{ SERVER_CLOSED, " closed     QUIT 221, 421" },
};

static void draw_diagram_row(WINDOW *w, int y, int x, const char *s, attr_t a)
{
	int cols = getmaxx(w);

	wattron(w, a);
	for (; *s && x < cols; s++, x++) {
		chtype ch;

		switch (*s) {
		case '|': ch = ACS_VLINE; break;
		case '-': ch = ACS_HLINE; break;
		case '{': ch = ACS_URCORNER; break;
		case '}': ch = ACS_LRCORNER; break;
		case '<': ch = ACS_LARROW; break;
		default: ch = (chtype)(unsigned char)*s; break;
		}
		mvwaddch(w, y, x, ch);
	}
	wattroff(w, a);
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
		for (i = 0; i < sizeof diagram / sizeof diagram[0] && y < rows; i++, y++) {
			int cur = diagram[i].phase == t->cur_phase;
			int prev = diagram[i].phase >= 0 && diagram[i].phase == t->prev_phase &&
			    t->prev_phase != t->cur_phase;

			if (cur) {
				put(w, y, 0, A_BOLD, ">");
				/* the state name in reverse, the rest plain */
				draw_diagram_row(w, y, 1, diagram[i].text, A_NORMAL);
				{
					const char *s = diagram[i].text + 1;
					int len = (int)strcspn(s, " ");

					wattron(w, pair_attr(t, P_CURRENT));
					mvwprintw(w, y, 2, "%.*s", len, s);
					wattroff(w, pair_attr(t, P_CURRENT));
					put(w, y, 2 + len, A_BOLD, " *");
				}
			} else if (prev) {
				put(w, y, 0, A_DIM, ".");
				draw_diagram_row(w, y, 1, diagram[i].text, A_UNDERLINE);
			} else
				draw_diagram_row(w, y, 1, diagram[i].text, A_NORMAL);
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

		if (waiting)
			put(w, y, 1, pair_attr(t, P_LABEL), "reply to");
		else
			put(w, y, 1, pair_attr(t, P_LABEL), "you may");
		if (waiting && n) {
			char buf[1100];

			snprintf(buf, sizeof buf, "%s: %s", waiting, next);
			y = wrap(w, y, 10, 3, A_NORMAL, buf);
		} else
			y = wrap(w, y, 10, 3, A_NORMAL, n ? next :
			    session_mode(console_session(t->con)) == SESSION_MESSAGE ?
			    "type the message; a line with a single . ends it" : "(nothing now)");
	}
}

static void draw_status(struct tui *t)
{
	WINDOW *w = t->wstatus;
	struct session *s = console_session(t->con);
	const struct session_opts *o = session_opts(s);
	char buf[512];

	werase(w);
	wbkgd(w, pair_attr(t, P_STATUS));
	if (session_role(s) == SESSION_CLIENT)
		snprintf(buf, sizeof buf, " smtpref | you: client | server: %s (%s) | TLS %s | F1 help  F2 diagram  PgUp/PgDn  Ctrl-D quit",
		    o->persona->name, o->persona->hostname, session_tls(s) ? "on" : "off");
	else
		snprintf(buf, sizeof buf, " smtpref | you: server | client: %s | TLS %s | F1 help  F2 diagram  PgUp/PgDn  Ctrl-D quit",
		    o->scenario->name, session_tls(s) ? "on" : "off");
	put(w, 0, 0, pair_attr(t, P_STATUS), buf);
}

static const char *const help_lines[] = {
	"smtpref tui - keys",
	"",
	"  Enter          send the line (a command, or a reply in the server role)",
	"  Tab            complete verbs, addresses, parameters, codes",
	"  Up / Down      the input history",
	"  Shift-Up/Down  select an older or newer line: its explanation shows",
	"  PgUp / PgDn    move the selection a page; End follows the latest",
	"  F2             show or hide the state diagram",
	"  F1 or ?        this help (? on an empty line)",
	"  Ctrl-C         cancel the line being typed",
	"  Ctrl-L         redraw the screen",
	"  Ctrl-D, :quit  leave (QUIT is sent first)",
	"",
	"  Lines starting with ':' are meta-commands: :help, :state, :explain 553,",
	"  :fault RCPT 3 452 4.5.3, :pipe, :role server, :persona NAME, :save FILE",
	"",
	"  Press any key to close this help.",
};

static void draw_help(struct tui *t)
{
	int rows = LINES - 2, cols = COLS - 4, y;
	size_t i;
	WINDOW *w;

	(void)t;
	if (rows < 5 || cols < 20)
		return;
	w = newwin(rows, cols, 1, 2);
	if (w == NULL)
		return;
	werase(w);
	box(w, 0, 0);
	for (i = 0, y = 1; i < sizeof help_lines / sizeof help_lines[0] && y < rows - 1; i++, y++)
		mvwaddnstr(w, y, 2, help_lines[i], cols - 4);
	wnoutrefresh(w);
	delwin(w);
}

static void draw_input(struct tui *t);

static void draw_all(struct tui *t)
{
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
	draw_transcript(t);
	draw_expl(t);
	draw_state(t);
	wnoutrefresh(t->wstatus);
	wnoutrefresh(t->wtrans);
	wnoutrefresh(t->wexpl);
	wnoutrefresh(t->wstate);
	if (t->help)
		draw_help(t);
	draw_input(t);
}

static void windows_free(struct tui *t)
{
	WINDOW **ws[] = { &t->wstatus, &t->wtrans, &t->wexpl, &t->wstate, &t->winput };
	size_t i;

	for (i = 0; i < sizeof ws / sizeof ws[0]; i++)
		if (*ws[i]) {
			delwin(*ws[i]);
			*ws[i] = NULL;
		}
}

/* layout - side by side on a wide screen, stacked on a narrow one */
static void layout(struct tui *t)
{
	int lines = LINES, cols = COLS;

	windows_free(t);
	t->small = cols < MIN_COLS || lines < MIN_LINES;
	clearok(curscr, TRUE);
	if (t->small)
		return;
	t->wstatus = newwin(1, cols, 0, 0);
	t->winput = newwin(1, cols, lines - 1, 0);
	if (cols >= WIDE_COLS) {
		int left = cols - STATE_COLS, body = lines - 2;
		int trans = body * 3 / 5;

		t->wtrans = newwin(trans, left, 1, 0);
		t->wexpl = newwin(body - trans, left, 1 + trans, 0);
		t->wstate = newwin(body, STATE_COLS, 1, left);
	} else {
		int body = lines - 2;
		int state = t->diagram ? 18 : 5;
		int expl, trans;

		if (state > body / 2)
			state = body / 2;
		expl = (body - state) * 2 / 5;
		trans = body - state - expl;
		t->wtrans = newwin(trans, cols, 1, 0);
		t->wexpl = newwin(expl, cols, 1 + trans, 0);
		t->wstate = newwin(state, cols, 1 + trans + expl, 0);
	}
	if (!t->wstatus || !t->winput || !t->wtrans || !t->wexpl || !t->wstate) {
		windows_free(t);
		t->small = 1;
		return;
	}
	keypad(t->winput, TRUE);
	wtimeout(t->winput, 250);
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
		const struct session_last *last = session_last(console_session(t->con));

		t->prev_phase = t->cur_phase;
		snprintf(t->transition, sizeof t->transition, "%s -> %s (%s %d)",
		    server_phase_str((enum server_phase)t->cur_phase),
		    server_phase_str((enum server_phase)ph),
		    last->verb[0] ? last->verb : "reply", last->code);
		t->cur_phase = ph;
	}
}

static void on_line(char *line)
{
	struct tui *t = the_tui;

	if (line == NULL) {
		console_eof(t->con);
	} else {
		int secret;

		t->follow = 1;
		secret = console_line(t->con, line, strlen(line));
		if (!secret && line[0] && line[0] != ' ')
			add_history(line);
		free(line);
	}
	update_phase(t);
	rl_set_prompt(console_prompt(t->con));
	draw_all(t);
}

/* ---- keys -------------------------------------------------------------- */

/* selectable - a line with something to explain: a command sent, or the
 * last line of a reply */
static int selectable(const struct tui *t, size_t i)
{
	const struct entry *e = &t->e[i];

	if (e->kind == TX_SENT)
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
		rl_set_prompt(console_prompt(t->con));
		draw_all(t);
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

static void usage(FILE *f)
{
	fputs(
"Usage: smtpref tui [--role client|server] [--persona NAME] [--scenario NAME]\n"
"                   [--explain=LEVEL] [--color[=WHEN]]\n"
"\n"
"The teaching shell full-screen, for a projector or for a learner who\n"
"would rather look than read: the transcript, the explanation of the\n"
"selected line, and the session's state diagram with the current state\n"
"marked.  F1 shows the keys.\n"
"\n"
"  -r, --role ROLE        client (you send commands) or server (you reply)\n"
"  -p, --persona NAME     the simulated server (smtpref list personas)\n"
"  -s, --scenario NAME    the simulated client's scenario (server role)\n"
"  -e, --explain=LEVEL    full (the default), brief or off\n"
"      --no-hints         no hints after mistakes\n"
"      --color[=WHEN]     auto (the default), always or never; NO_COLOR is honoured\n"
"  -h, --help             show this help and exit\n"
"\n"
"It needs a terminal of at least 60x16; from 120 columns the state pane\n"
"sits beside the transcript.\n", f);
}

int tui_main(int argc, char **argv)
{
	struct console_opts co;
	int color;
	struct tui t;
	struct tx_sink sink = { &t, on_item };
	struct sigaction sa;
	int c, quit_code = 0;
	size_t i;

	c = shell_parse_args(argc, argv, "tui", usage, &co, &color);
	if (c >= 0)
		return c;
	co.interactive = 1;
	memset(&t, 0, sizeof t);
	if (!isatty(0) || !isatty(1)) {
		fputs("smtpref tui: needs a terminal; for scripts use 'smtpref shell', which reads lines from a pipe\n", stderr);
		return 2;
	}

	setlocale(LC_ALL, "");
	t.follow = 1;
	t.top = -1;
	t.pending = EOF;
	t.cur_phase = t.prev_phase = SERVER_CONNECTED;
	t.con = console_new(&co, &sink);
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

	console_start(t.con);
	update_phase(&t);
	layout(&t);
	rl_callback_handler_install(console_prompt(t.con), on_line);
	draw_all(&t);

	timeout(250);
	while (!console_done(t.con)) {
		int ch;

		if (got_signal) {
			quit_code = got_signal;
			break;
		}
		ch = t.winput ? wgetch(t.winput) : getch();
		if (ch == ERR)
			continue;
		key(&t, ch);
	}
	rl_callback_handler_remove();
	curses_off();
	if (rl_outstream)
		fclose(rl_outstream);
	rl_outstream = NULL;
	if (!quit_code) {
		const struct session_last *last = session_last(console_session(t.con));

		if (last->code)
			printf("smtpref tui: the session ended; the last reply was %d.\n", last->code);
	}
	windows_free(&t);
	for (i = 0; i < t.n; i++)
		entry_free(&t.e[i]);
	free(t.e);
	rlcomplete_free();
	console_free(t.con);
	the_tui = NULL;
	if (quit_code) {
		signal(quit_code, SIG_DFL);
		raise(quit_code);
	}
	return 0;
}
