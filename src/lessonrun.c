/* lessonrun.c - smtpref lesson run: a lesson, step by step
 *
 * The lesson's engine (lesson.h) drives the simulated peer and judges
 * each try; this file reads the learner's lines (GNU readline on a
 * terminal, line by line from a pipe), draws what happens as the shell
 * draws it (shell_print_item), and saves the progress after every step,
 * so a crash or Ctrl-C loses nothing and the next run resumes there.
 */
#include <config.h>

#include "lessonrun.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "explain.h"
#include "lesson.h"
#include "lessoncmd.h"
#include "lookup.h"
#include "progress.h"
#include "record.h"
#include "render.h"
#include "shell.h"
#include "tx.h"

#define LINE_MAX_SCRIPT 65536
#define GROUP_MAX (16 * 1024)

struct run {
	struct lesson *l;
	struct lesson_session *s;
	struct render r;
	enum explain_level level;
	int interactive;
	char dir[4096];		/* the progress directory */
	struct progress p;
	char *tx;		/* this step's transcript lines */
	size_t ntx, captx;
	struct explain_hold held;	/* event explanations, after the reply */
	struct tx_sink sink;		/* show_item */
	unsigned tries;		/* wrong tries at this step */
	unsigned hinted;	/* hints shown at this step */
	int tls;		/* the simulated connection is under TLS */
};

/* ---- drawing and the transcript --------------------------------------- */

/* show_item - draw an item, and keep it for the step's transcript */
static void show_item(void *ctx, const struct tx_item *it)
{
	struct run *u = ctx;

	shell_print_item(&u->r, it);
	fflush(stdout);
	if (it->kind == TX_SENT || it->kind == TX_RECEIVED || it->kind == TX_NOTE) {
		char line[1200];
		size_t n = record_item_line(it, line, sizeof line - 1);

		if (n == 0)
			return;
		line[n++] = '\n';
		if (u->ntx + n > u->captx) {
			size_t cap = (u->captx + n) * 2;
			char *p = realloc(u->tx, cap);

			if (p == NULL)
				return;
			u->tx = p;
			u->captx = cap;
		}
		memcpy(u->tx + u->ntx, line, n);
		u->ntx += n;
	}
}

static void show(struct run *u, enum tx_kind kind, const char *label,
    int code, const char *text, size_t len)
{
	struct tx_item it = { kind, u->tls, code, 0, 0, label, text, len };

	show_item(u, &it);
}

static void explain_line(void *ctx, enum explain_kind kind, const char *text)
{
	show(ctx, TX_EXPLAIN, explain_kind_str(kind), 0, text, strlen(text));
}

/* lines - one item per line of wire text */
static void lines(struct run *u, enum tx_kind kind, int code, const char *p,
    size_t len)
{
	const char *end = p + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		show(u, kind, NULL, code, p, n > 0 && p[n - 1] == '\r' ? n - 1 : n);
		p = nl ? nl + 1 : end;
	}
}

static void on_reply(void *ctx, const struct server_reply *r)
{
	struct run *u = ctx;

	lines(u, TX_RECEIVED, r->code, r->wire, r->wire_len);
	explain_reply(r, u->level, explain_line, u);
	explain_hold_flush(&u->held);
	if (strcmp(r->verb, "STARTTLS") == 0 && r->code == 220)
		u->tls = 1;
}

static void on_event(void *ctx, const struct server_event *e)
{
	struct run *u = ctx;

	explain_event(e, u->level, explain_hold_line, &u->held);
}

static void on_client_sent(void *ctx, const char *bytes, size_t len)
{
	lines(ctx, TX_SENT, 0, bytes, len);
}

static void on_finding(void *ctx, const struct client_finding *f)
{
	struct run *u = ctx;

	if (f->kind == CLIENT_DECISION)
		tx_emitf(&u->sink, TX_EXPLAIN, "client", "%s (%s)", f->text, f->section);
	else if (f->kind == CLIENT_DIFFERS && f->expected)
		tx_emitf(&u->sink, TX_FINDING, "expected", "A conforming server would answer %d%s%s: %s (%s)",
		    f->expected, f->expected_enh && *f->expected_enh ? " " : "",
		    f->expected_enh ? f->expected_enh : "", f->text, f->section);
	else
		tx_emitf(&u->sink, TX_FINDING, f->kind == CLIENT_DIFFERS ? "expected" : "check",
		    "%s (%s)", f->text, f->section);
}

static void on_connected(void *ctx, enum lesson_role role, const char *why)
{
	struct run *u = ctx;

	u->tls = 0;
	tx_emitf(&u->sink, TX_NOTE, NULL, "A new connection: you are the %s. %s",
	    role == LESSON_CLIENT ? "client" : "server", why ? why : "");
}

/* text - narration as the parser leaves it (lesson.h): a line per
 * paragraph or list item, to wrap; a line starting with a space, as it
 * is; an empty line between paragraphs */
static void text(struct run *u, const char *t, enum render_style style)
{
	char line[LESSON_LINE_MAX * 4];

	if (t == NULL)
		return;
	render_newline(&u->r);	/* a step starts after an empty line */
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t n = nl ? (size_t)(nl - t) : strlen(t);

		snprintf(line, sizeof line, "%.*s", (int)n, t);
		if (line[0] == ' ')
			render_text(&u->r, RENDER_PLAIN, line);
		else if (line[0] == '-' && line[1] == ' ') {
			render_text(&u->r, style, "- ");	/* a hanging indent */
			render_wrap(&u->r, style, line + 2, 2);
		} else if (line[0])
			render_wrap(&u->r, style, line, 0);
		render_newline(&u->r);
		if (nl == NULL)
			break;
		t = nl + 1;
	}
	fflush(stdout);
}

/* ---- progress ------------------------------------------------------- */

static void save(struct run *u)
{
	char err[512];

	if (u->ntx && progress_transcript_append(u->dir, &u->p, u->tx, u->ntx,
	    err, sizeof err) != 0)
		fprintf(stderr, "smtpref lesson: %s\n", err);
	u->ntx = 0;
	if (progress_save(u->dir, &u->p, err, sizeof err) != 0)
		fprintf(stderr, "smtpref lesson: progress not saved: %s\n", err);
}

/* ---- input ------------------------------------------------------------ */

static char *read_line(struct run *u, const char *prompt)
{
	if (u->interactive) {
		char *line = readline(prompt);

		if (line && line[0] && line[0] != ' ')
			add_history(line);
		return line;
	} else {
		char *buf = malloc(LINE_MAX_SCRIPT);
		size_t n;

		if (buf == NULL || fgets(buf, LINE_MAX_SCRIPT, stdin) == NULL) {
			free(buf);
			return NULL;
		}
		n = strlen(buf);
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = 0;
		return buf;
	}
}

static const char *prompt_for(struct run *u, const struct lesson_step *st,
    int grouping)
{
	struct server *srv = lesson_session_server(u->s);

	if (st->kind == LESSON_ASK)
		return "answer> ";
	if (st->kind == LESSON_REPLY)
		return "reply> ";
	if (grouping)
		return "pipe> ";
	if (srv && server_phase(srv) == SERVER_DATA)
		return "data> ";
	if (srv && server_phase(srv) == SERVER_AUTH)
		return "auth> ";
	return "smtp> ";
}

static void show_hint(struct run *u, const struct lesson_step *st, int asked)
{
	size_t i;
	const struct lesson_hint *best = NULL;

	/* the strongest hint the wrong tries so far allow; asked for with
	 * :hint, the next one even before a wrong try */
	for (i = 0; i < st->nhints; i++)
		if (st->hints[i].after <= u->tries + (asked ? 1 : 0) ||
		    (asked && i == u->hinted))
			best = &st->hints[i];
	if (best == NULL) {
		tx_emitf(&u->sink, TX_NOTE, NULL, "No hint for this step.");
		return;
	}
	show(u, TX_HINT, NULL, 0, best->text, strlen(best->text));
	u->hinted++;
}

enum outcome { O_NEXT, O_SKIP, O_RESTART, O_QUIT };

static void meta_help(struct run *u)
{
	tx_emitf(&u->sink, TX_EXPLAIN, "help", ":hint shows a hint; :skip goes to the next step%s; :restart starts the lesson again; :explain TERM explains a code or keyword; :quit leaves (your progress is kept).",
	    u->l->skip_forbidden ? " (not in this lesson)" : "");
}

/* meta - a ':' line at a checked step; returns the outcome, or -1 to go
 * on reading */
static int meta(struct run *u, const struct lesson_step *st, char *line)
{
	char *word = line + 1, *arg = strchr(word, ' ');

	if (arg)
		*arg++ = 0;
	if (strcmp(word, "hint") == 0)
		show_hint(u, st, 1);
	else if (strcmp(word, "skip") == 0) {
		if (!u->l->skip_forbidden)
			return O_SKIP;
		tx_emitf(&u->sink, TX_ERROR, NULL, "this lesson cannot be skipped: every step counts");
	} else if (strcmp(word, "restart") == 0)
		return O_RESTART;
	else if (strcmp(word, "quit") == 0)
		return O_QUIT;
	else if (strcmp(word, "explain") == 0 && arg && *arg) {
		struct lookup_opts lo = { .color = u->r.color ? RENDER_COLOR_ALWAYS : RENDER_COLOR_NEVER };
		char *terms[1] = { arg };

		fflush(stdout);
		lookup_terms(terms, 1, &lo);
	} else if (strcmp(word, "help") == 0)
		meta_help(u);
	else
		tx_emitf(&u->sink, TX_ERROR, NULL, "no meta-command ':%s' in a lesson; :help lists them", word);
	return -1;
}

/* checked - one send, reply or ask step, tried until it passes */
static int checked(struct run *u, size_t i, size_t *next)
{
	const struct lesson_step *st = &u->l->steps[i];
	struct lesson_obs *obs = malloc(sizeof *obs);
	char *group = NULL;
	size_t ngroup = 0;

	if (obs == NULL)
		return O_QUIT;
	u->tries = u->hinted = 0;
	for (;;) {
		int done = 0;

		lesson_obs_begin(u->s, obs);
		while (!done) {
			char *line = read_line(u, prompt_for(u, st, st->pipelined));
			int m;

			if (line == NULL) {
				free(obs);
				free(group);
				return O_QUIT;
			}
			if (line[0] == ':' && (m = meta(u, st, line)) >= 0) {
				free(line);
				free(obs);
				free(group);
				return m;
			}
			if (line[0] == ':') {
				free(line);
				continue;
			}
			if (st->pipelined && st->kind == LESSON_SEND) {
				/* the lines of a group, until an empty line */
				size_t n = strlen(line);

				if (n > 0) {
					char *g = realloc(group, ngroup + n + 2);

					if (g && ngroup + n + 2 < GROUP_MAX) {
						group = g;
						memcpy(group + ngroup, line, n);
						group[ngroup + n] = '\n';
						ngroup += n + 1;
					}
					free(line);
					continue;
				}
				if (ngroup > 0)
					ngroup--;	/* the last line's '\n' */
				lines(u, TX_SENT, 0, group ? group : "", ngroup);
				done = lesson_session_input_group(u->s, group ? group : "", ngroup, obs);
				ngroup = 0;
			} else {
				if (st->kind == LESSON_SEND)
					show(u, TX_SENT, NULL, 0, line, strlen(line));
				else if (st->kind == LESSON_ASK)
					tx_emitf(&u->sink, TX_NOTE, NULL, "answer: %s", line);
				done = lesson_session_input(u->s, line, strlen(line), obs);
			}
			free(line);
		}
		{
			struct lesson_result res;

			lesson_eval(u->l, i, obs, u->tries + 1, &res);
			if (res.verdict != LESSON_FAILED) {
				tx_emitf(&u->sink, TX_NOTE, "lesson", "Right.");
				*next = res.next;
				free(obs);
				free(group);
				return O_NEXT;
			}
			u->tries++;
			u->p.tries++;
			tx_emitf(&u->sink, TX_FINDING, "not yet", "%s", res.why);
			if (res.hint) {
				show(u, TX_HINT, NULL, 0, res.hint, strlen(res.hint));
				u->hinted++;
			}
			lesson_session_undo(u->s);
		}
	}
}

static int start_session(struct run *u)
{
	struct lesson_hooks h = { u, on_reply, on_event, on_client_sent, on_finding, on_connected };

	lesson_session_free(u->s);
	u->tls = 0;
	u->s = lesson_session_new(u->l, &h);
	return u->s ? 0 : -1;
}

static int run(struct run *u)
{
	size_t i = 0;
	int found = 0;
	char err[512];

	if (progress_load(u->dir, u->l->name, &u->p, &found, err, sizeof err) != 0) {
		fprintf(stderr, "smtpref lesson: %s; starting afresh\n", err);
		found = 0;
	}
	if (found && !u->p.done && u->p.steps == u->l->nsteps && u->p.step > 0 &&
	    u->p.step < u->l->nsteps)
		i = u->p.step;
	else
		progress_init(&u->p, u->l, (long long)time(NULL));
	render_wrap(&u->r, RENDER_BOLD, u->l->title, 0);
	render_newline(&u->r);
	if (start_session(u) < 0) {
		fputs("smtpref lesson: out of memory\n", stderr);
		return 1;
	}
	if (i > 0) {
		tx_emitf(&u->sink, TX_NOTE, "lesson", "Resuming where you stopped (step %zu of %zu).", i + 1, u->l->nsteps);
		lesson_session_resume(u->s, i);
	}
	save(u);
	while (i < u->l->nsteps) {
		const struct lesson_step *st = &u->l->steps[i];
		size_t next = lesson_step_next(u->l, i);
		int o;

		if (lesson_session_enter(u->s, i, err, sizeof err) != 0)
			fprintf(stderr, "smtpref lesson: %s:%u: %s\n", u->l->file, st->line, err);
		switch (st->kind) {
		case LESSON_SAY:
		case LESSON_SUMMARY:
			text(u, st->text, RENDER_PLAIN);
			progress_step(&u->p, next, 0, 0);
			break;
		case LESSON_SEND:
		case LESSON_REPLY:
		case LESSON_ASK:
			text(u, st->text, RENDER_BOLD);
			o = checked(u, i, &next);
			if (o == O_QUIT) {
				save(u);
				printf("\nYour progress is saved: 'smtpref lesson run %s' goes on from here.\n", u->l->name);
				return 0;
			}
			if (o == O_RESTART) {
				progress_init(&u->p, u->l, (long long)time(NULL));
				save(u);
				tx_emitf(&u->sink, TX_NOTE, "lesson", "From the start.");
				if (start_session(u) < 0)
					return 1;
				i = 0;
				continue;
			}
			progress_step(&u->p, o == O_SKIP ? i + 1 : next, o == O_NEXT, o == O_SKIP);
			if (o == O_SKIP) {
				next = i + 1;
				tx_emitf(&u->sink, TX_NOTE, "lesson", "Skipped.");
			}
			break;
		default:
			progress_step(&u->p, next, 0, 0);
			break;
		}
		save(u);
		i = next;
	}
	progress_finish(&u->p, (long long)time(NULL));
	save(u);
	if (u->p.skipped == 0)
		printf("\nLesson complete. 'smtpref lesson receipt %s' prints a receipt for your teacher.\n", u->l->name);
	else
		printf("\nLesson complete, with %lu step(s) skipped (no receipt for a skipped lesson).\n", u->p.skipped);
	return 0;
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "smtpref lesson run: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
	fputs("Try 'smtpref lesson --help' for more information.\n", stderr);
	return 2;
}

int lesson_run_main(int argc, char **argv)
{
	enum { OPT_COLOR = 256 };
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "explain", required_argument, NULL, 'e' },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct lesson_path path;
	struct lesson_errors errs;
	struct run u;
	enum render_color_mode color = RENDER_COLOR_AUTO;
	char file[4096], err[512];
	int c, st;

	memset(&u, 0, sizeof u);
	u.level = EXPLAIN_BRIEF;
	explain_hold_init(&u.held, explain_line, &u);
	u.sink.ctx = &u;
	u.sink.item = show_item;
	lesson_path_init(&path);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "d:e:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (lesson_path_add(&path, optarg) != 0)
				return usage_error("too many or too long --dir:", optarg);
			break;
		case 'e':
			if (strcmp(optarg, "full") == 0)
				u.level = EXPLAIN_FULL;
			else if (strcmp(optarg, "brief") == 0)
				u.level = EXPLAIN_BRIEF;
			else if (strcmp(optarg, "off") == 0)
				u.level = EXPLAIN_OFF;
			else
				return usage_error("--explain takes full, brief or off, not", optarg);
			break;
		case OPT_COLOR:
			st = optarg ? render_parse_color(optarg) : RENDER_COLOR_ALWAYS;
			if (st < 0)
				return usage_error("--color takes auto, always or never, not", optarg);
			color = (enum render_color_mode)st;
			break;
		case 'h':
			fputs("Usage: smtpref lesson run [--dir DIR] [--explain=LEVEL] NAME\n"
			    "Work through a lesson; see smtpref lesson --help and smtpref-lesson(5).\n", stdout);
			return 0;
		default:
			return usage_error("unknown option or missing argument:", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return usage_error("takes one lesson name (smtpref lesson list shows them)", NULL);
	lesson_path_defaults(&path);
	if (lesson_find(&path, argv[optind], file, sizeof file) != 0) {
		fprintf(stderr, "smtpref lesson run: no lesson '%s' (smtpref lesson list shows them)\n", argv[optind]);
		return 1;
	}
	lesson_errors_init(&errs, file);
	u.l = lesson_load(file, &errs);
	if (u.l == NULL) {
		size_t k;

		for (k = 0; k < errs.n; k++)
			fprintf(stderr, "%s\n", lesson_error_format(&errs, k, err, sizeof err));
		return 1;
	}
	if (progress_dir(u.dir, sizeof u.dir, 1, err, sizeof err) != 0) {
		fprintf(stderr, "smtpref lesson run: %s\n", err);
		lesson_free(u.l);
		return 1;
	}
	u.interactive = isatty(0) && isatty(1);
	if (u.interactive) {
		rl_readline_name = "smtpref";
		using_history();
	}
	render_init(&u.r, stdout, color);
	st = run(&u);
	lesson_session_free(u.s);
	lesson_free(u.l);
	free(u.tx);
	return st;
}
