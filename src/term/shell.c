/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell.c - the interactive teaching shell: GNU readline around a console
 *
 * On a terminal, readline's callback interface reads the lines, inside a
 * poll loop, so that Ctrl-C can cancel the line being typed and a resize
 * is noticed without readline owning the signals.  Elsewhere (a pipe, a
 * file) lines are read one by one with no prompt, so the shell can be
 * scripted.  What the console says is drawn here: server lines coloured
 * by reply class, explanations under them, wrapped to the terminal.
 */
#include <config.h>

#include "term/shell.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "net/realpeer.h"
#include "console/console.h"
#include "lesson/safefile.h"
#include "term/rlcomplete.h"
#include "core/printable.h"
#include "core/ref.h"
#include "term/lookup.h"
#include "term/render.h"
#include "term/script.h"

#define HISTORY_MAX 1000	/* lines kept in the history file */
#define HISTORY_BYTES (8 << 20)	/* octets read from it, at most */
#define HISTORY_LINE_MAX 4096	/* longer lines are not kept */
#define LABEL_COLS 11		/* "  enhanced " before an explanation */

struct shell {
	struct console *con;
	struct render r;
	int interactive;
	int in_line;		/* inside the line handler: the prompt is gone */
	int cleared;		/* the prompt was cleared to draw items */
	char history[4096 + 16];	/* the history file, "" when none */
};

/* The readline callbacks carry no context pointer. */
static struct shell *the_shell;

static volatile sig_atomic_t got_sigint, got_sigwinch, got_sigterm;

static void on_signal(int sig)
{
	if (sig == SIGINT)
		got_sigint = 1;
	else if (sig == SIGWINCH)
		got_sigwinch = 1;
	else
		got_sigterm = sig;
}

/* ---- drawing items --------------------------------------------------- */

static void label(struct shell *sh, const char *text, enum render_style st)
{
	char buf[32];

	snprintf(buf, sizeof buf, "  %-*s", LABEL_COLS - 3, text ? text : "");
	render_text(&sh->r, st, buf);
	render_text(&sh->r, RENDER_PLAIN, " ");
}

static void print_item(struct shell *sh, const struct tx_item *it)
{
	/* whatever the item holds reaches the terminal escaped */
	char *text = printable_dup(it->text, it->len, 0);

	if (text == NULL)
		return;
	switch (it->kind) {
	case TX_SENT:
		/* the learner's own lines are on the screen already */
		if (!it->by_learner) {
			render_text(&sh->r, RENDER_BOLD, text);
			render_newline(&sh->r);
		}
		break;
	case TX_RECEIVED:
		if (!it->by_learner) {
			render_text(&sh->r, render_code_style(it->code), text);
			render_newline(&sh->r);
		}
		break;
	case TX_EXPLAIN:
		if (it->label && (!strcmp(it->label, "ref") || !strcmp(it->label, "diagram"))) {
			render_text(&sh->r, RENDER_PLAIN, text);
		} else if (it->label && !strcmp(it->label, "you are")) {
			render_text(&sh->r, RENDER_BOLD, text);
		} else {
			label(sh, it->label, RENDER_LABEL);
			render_wrap(&sh->r, RENDER_PLAIN, text, LABEL_COLS);
		}
		render_newline(&sh->r);
		break;
	case TX_FINDING:
		label(sh, it->label ? it->label : "!", RENDER_WARN);
		render_wrap(&sh->r, RENDER_WARN, text, LABEL_COLS);
		render_newline(&sh->r);
		break;
	case TX_HINT:
		label(sh, "hint", RENDER_CLASS3);
		render_wrap(&sh->r, RENDER_BOLD, text, LABEL_COLS);
		render_newline(&sh->r);
		break;
	case TX_NOTE:
		label(sh, it->label ? it->label : "note", RENDER_LABEL);
		render_wrap(&sh->r, RENDER_PLAIN, text, LABEL_COLS);
		render_newline(&sh->r);
		break;
	case TX_LESSON:
		/* a lesson's text: a line to wrap, a list item with a hanging
		 * indent, a preformatted line (a leading space) as it is */
		if (it->label && !strcmp(it->label, "title"))
			render_wrap(&sh->r, RENDER_BOLD, text, 0);
		else if (text[0] == ' ')
			render_text(&sh->r, RENDER_PLAIN, text);
		else if (text[0] == '-' && text[1] == ' ') {
			enum render_style st = it->label && !strcmp(it->label, "task") ?
			    RENDER_BOLD : RENDER_PLAIN;

			render_text(&sh->r, st, "- ");
			render_wrap(&sh->r, st, text + 2, 2);
		} else if (text[0])
			render_wrap(&sh->r, it->label && !strcmp(it->label, "task") ?
			    RENDER_BOLD : RENDER_PLAIN, text, 0);
		render_newline(&sh->r);
		break;
	case TX_ERROR:
		fflush(stdout);
		fprintf(stderr, "smtpref: %s\n", text);
		break;
	default:
		break;
	}
	free(text);
}

static void draw_item(void *ctx, const struct tx_item *it)
{
	struct shell *sh = ctx;

	/* a real server spoke while the learner was typing: take the prompt
	 * and the line away, draw, and put them back after (restore_line) */
	if (sh->interactive && !sh->in_line && !sh->cleared && rl_line_buffer) {
		rl_clear_visible_line();
		sh->cleared = 1;
	}
	print_item(sh, it);
}

/* ---- history --------------------------------------------------------- */

/* mkdirs - create dir and its parents (mode 0700); 0 or -1 */
static int mkdirs(char *dir)
{
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(dir, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* history_refused - the history cannot be kept: say why, once */
static void history_refused(struct shell *sh, const char *why)
{
	char *safe = printable_dup(why, strlen(why), 0);

	fprintf(stderr, "smtpref: history not kept: %s\n", safe ? safe : why);
	free(safe);
	sh->history[0] = 0;
}

/* history_open - $XDG_STATE_HOME/smtpref/history, read in */
static void history_open(struct shell *sh)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[4096], err[4400], *text, *p, *nl;
	size_t len;
	int n, missing, fd;

	using_history();
	stifle_history(HISTORY_MAX);
	if (state && state[0] == '/')
		n = snprintf(dir, sizeof dir, "%s/smtpref", state);
	else if (home && home[0])
		n = snprintf(dir, sizeof dir, "%s/.local/state/smtpref", home);
	else
		return;
	if (n < 0 || (size_t)n + 9 > sizeof dir)
		return;
	if (mkdirs(dir) < 0) {
		fprintf(stderr, "smtpref: history not kept: cannot create %s: %s\n",
		    dir, strerror(errno));
		return;
	}
	snprintf(sh->history, sizeof sh->history, "%s/history", dir);
	/* read and written by lesson/safefile.h, not readline's history
	 * files: a FIFO planted there must not hang the shell, nor a
	 * symbolic link take the writes elsewhere (issue 14) */
	text = safefile_read(sh->history, HISTORY_BYTES, &len, &missing, err,
	    sizeof err);
	if (text == NULL && !missing) {
		history_refused(sh, err);
		return;
	}
	for (p = text; p && p < text + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(text + len - p));
		if (nl == NULL)
			nl = text + len;
		*nl = 0;
		if (*p)
			add_history(p);
	}
	free(text);
	fd = safefile_open(sh->history, O_CREAT | O_APPEND, 0600, err, sizeof err);
	if (fd < 0)
		history_refused(sh, err);
	else
		close(fd);
}

/* history_keep - one line, written at once so a crash loses nothing */
static void history_keep(struct shell *sh, const char *line)
{
	char err[4400];
	HIST_ENTRY *last;

	if (line[0] == 0 || line[0] == ' ')
		return;		/* a leading space keeps a line out, as in bash */
	if (strlen(line) > HISTORY_LINE_MAX)
		return;		/* so 1000 lines stay under HISTORY_BYTES */
	last = history_get(history_base + history_length - 1);
	if (last && strcmp(last->line, line) == 0)
		return;
	add_history(line);
	if (sh->history[0] &&
	    safefile_append_line(sh->history, line, err, sizeof err) != 0)
		history_refused(sh, err);
}

static void history_close(struct shell *sh)
{
	char err[4400];

	if (sh->history[0] && safefile_keep_tail(sh->history, HISTORY_MAX,
	    HISTORY_BYTES, err, sizeof err) != 0)
		history_refused(sh, err);
}

/* ---- readline -------------------------------------------------------- */

static char prompt_buf[128];

static const char *prompt(struct shell *sh)
{
	const char *p = console_prompt(sh->con);

	if (!sh->r.color)
		return p;
	/* \001 and \002 tell readline the escapes take no room */
	snprintf(prompt_buf, sizeof prompt_buf, "\001\033[1;34m\002%.*s\001\033[0m\002 ",
	    (int)strlen(p) - 1, p);
	return prompt_buf;
}

static void on_line(char *line);

static void reinstall(struct shell *sh)
{
	rl_callback_handler_remove();
	if (!console_done(sh->con))
		rl_callback_handler_install(prompt(sh), on_line);
}

static void on_line(char *line)
{
	struct shell *sh = the_shell;
	int secret;

	sh->in_line = 1;
	if (line == NULL) {
		/* Ctrl-D on an empty line */
		fputc('\n', stdout);
		console_eof(sh->con);
		reinstall(sh);
		return;
	}
	if (strchr(line, '\n'))
		secret = console_paste(sh->con, line, strlen(line));
	else
		secret = console_line(sh->con, line, strlen(line));
	if (!secret && !strchr(line, '\n'))
		history_keep(sh, line);
	free(line);
	fflush(stdout);
	sh->in_line = 0;
	reinstall(sh);
}

/* restore_line - after items were drawn under a cleared prompt */
static void restore_line(struct shell *sh)
{
	fflush(stdout);
	if (!sh->cleared)
		return;
	sh->cleared = 0;
	if (console_done(sh->con))
		return;
	rl_set_prompt(prompt(sh));
	rl_on_new_line();
	rl_redisplay();
}

/* ask_password - :auth's password, read from the terminal without echo */
static int ask_password(void *ctx, const char *user, char *buf, size_t size)
{
	struct shell *sh = ctx;
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC), echo_off = 0;
	size_t n = 0;
	char p[300];

	(void)sh;
	if (fd < 0)
		return -1;
	rl_callback_handler_remove();	/* readline gives the terminal back */
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ICANON;
		echo_off = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	snprintf(p, sizeof p, "Password for %s (not shown): ", user);
	if (write(fd, p, strlen(p)) < 0)
		n = 0;
	while (n + 1 < size && read(fd, buf + n, 1) == 1 && buf[n] != '\n')
		n++;
	buf[n] = 0;
	if (echo_off)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		n += 0;
	close(fd);
	return 0;
}

/* Completion: the console's candidates, handed to readline one by one. */
static char **complete(const char *text, int start, int end)
{
	return rlcomplete(the_shell->con, text, start, end);
}

static void interrupted(struct shell *sh)
{
	console_interrupt(sh->con);
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_point = rl_end = 0;
	fputs("^C", stdout);
	rl_crlf();
	reinstall(sh);
}

static int run_interactive(struct shell *sh)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	rl_readline_name = "smtpref";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_attempted_completion_function = complete;
	/* ':' '<' and '=' end a word, so "FROM:<al" completes "al" */
	rl_basic_word_break_characters = " \t\n<=";
	rl_completer_word_break_characters = " \t\n<=";
	rl_variable_bind("completion-ignore-case", "on");
	history_open(sh);
	console_start(sh->con);
	fflush(stdout);
	rl_callback_handler_install(prompt(sh), on_line);

	while (!console_done(sh->con)) {
		struct pollfd pfd[2] = { { 0, POLLIN, 0 }, { -1, POLLIN, 0 } };
		int n;

		pfd[1].fd = console_fd(sh->con);
		n = poll(pfd, pfd[1].fd >= 0 ? 2 : 1, console_timeout(sh->con));
		if (got_sigterm)
			break;
		if (got_sigint) {
			got_sigint = 0;
			interrupted(sh);
			continue;
		}
		if (got_sigwinch) {
			got_sigwinch = 0;
			rl_resize_terminal();
			render_init(&sh->r, stdout, sh->r.color ? RENDER_COLOR_ALWAYS : RENDER_COLOR_NEVER);
			continue;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* the server first: its reply may change the prompt */
		if (pfd[1].fd >= 0 && (n == 0 || pfd[1].revents)) {
			console_process(sh->con);
			restore_line(sh);
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			rl_callback_read_char();
	}
	rl_callback_handler_remove();	/* gives the terminal back */
	history_close(sh);
	rlcomplete_free();
	if (got_sigterm) {
		signal(got_sigterm, SIG_DFL);
		raise(got_sigterm);
	}
	return console_exit_status(sh->con);
}

int shell_run(struct console_opts *co, int color, const struct conn_opts *real)
{
	struct shell sh;
	struct tx_sink sink = { &sh, draw_item };
	int st;

	memset(&sh, 0, sizeof sh);
	sh.interactive = isatty(0) && isatty(1);
	co->interactive = sh.interactive;
	co->ask_password = ask_password;
	co->ask_ctx = &sh;
	co->lookup = lookup_plain;
	co->connect = realpeer_new;
	render_init(&sh.r, stdout, (enum render_color_mode)color);
	sh.con = console_new(co, &sink);
	if (sh.con == NULL) {
		fputs("smtpref shell: out of memory\n", stderr);
		return 1;
	}
	the_shell = &sh;
	signal(SIGPIPE, SIG_IGN);
	if (real) {
		sh.in_line = 1;	/* nothing to clear yet */
		if (console_connect(sh.con, real) < 0 && !sh.interactive) {
			st = console_exit_status(sh.con);
			console_free(sh.con);
			return st;
		}
		sh.in_line = 0;
	}
	st = sh.interactive ? run_interactive(&sh) : script_run(sh.con, stdin, "smtpref");
	console_free(sh.con);
	return st;
}
