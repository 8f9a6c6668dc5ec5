/* SPDX-License-Identifier: GPL-3.0-or-later */
/* complete.c - what Tab offers: meta-commands and their arguments,
 * commands, what follows a command, reply codes
 *
 * Everything comes from the tables and from what the peer says of itself
 * (its input, its EHLO keywords, its AUTH mechanisms, the command a reply
 * answers), so the same completion serves every peer.
 */
#include <config.h>

#include "console/console.h"
#include "console/priv.h"

#include <stdio.h>
#include <string.h>

#include "core/ascii.h"
#include "core/ref.h"
#include "core/server.h"
#include "lesson/lesson.h"

struct cand {
	const struct console *c;
	const char *word;
	size_t len;
	void (*add)(void *ctx, const char *candidate);
	void *ctx;
};

/* offer - pass candidate on when it starts with the word (any case) */
static void offer(struct cand *k, const char *candidate)
{
	size_t i;

	if (strlen(candidate) < k->len)
		return;
	for (i = 0; i < k->len; i++)
		if (ascii_lower((unsigned char)candidate[i]) !=
		    ascii_lower((unsigned char)k->word[i]))
			return;
	k->add(k->ctx, candidate);
}

static void offer_lesson(void *ctx, const struct lesson *l)
{
	offer(ctx, l->name);
}

static void offer_list(struct cand *k, const char *list, const char *suffix)
{
	const char *cur = list, *tok;
	size_t n;
	char buf[128];

	while (list && ref_list_next(&cur, &tok, &n)) {
		snprintf(buf, sizeof buf, "%.*s%s", (int)n, tok, suffix);
		offer(k, buf);
	}
}

/* words_before - split what comes before the word being completed */
static int words_before(const char *line, size_t start, char w[][32], int max)
{
	int n = 0;
	size_t i = 0;

	while (i < start && n < max) {
		size_t j = 0;

		while (i < start && line[i] == ' ')
			i++;
		if (i >= start)
			break;
		while (i < start && line[i] != ' ') {
			if (j < 31)
				w[n][j++] = line[i];
			i++;
		}
		w[n][j] = 0;
		n++;
	}
	return n;
}

static void offer_codes(struct cand *k, const char *verb, int lo)
{
	size_t i;
	char buf[16];

	for (i = 0; i < ref_code_count; i++) {
		if (ref_code_table[i].code < lo ||
		    (verb && !server_reply_allowed(verb, ref_code_table[i].code)))
			continue;
		snprintf(buf, sizeof buf, "%d", ref_code_table[i].code);
		offer(k, buf);
	}
}

static void offer_addresses(struct cand *k, const char *suffix)
{
	size_t i;
	char buf[300];

	for (i = 0; i < ref_world_count; i++)
		if (strchr(ref_world_table[i].address, '@')) {
			snprintf(buf, sizeof buf, "%s%s", ref_world_table[i].address, suffix);
			offer(k, buf);
		}
}

/* offered - the peer's server announced any keyword of the list */
static int offered(const struct console *c, const char *list)
{
	const char *cur = list, *tok;
	size_t n;
	char kw[64];
	struct peer *p = console_peer(c);

	while (p->ops->offers && ref_list_next(&cur, &tok, &n)) {
		snprintf(kw, sizeof kw, "%.*s", (int)n, tok);
		if (p->ops->offers(p, kw))
			return 1;
	}
	return 0;
}

static void offer_params(struct cand *k, const char *verb)
{
	size_t i;
	char buf[64];

	for (i = 0; i < ref_param_count; i++) {
		const struct ref_param *p = &ref_param_table[i];

		if (!ref_list_has(p->commands, verb, strlen(verb)) ||
		    (p->keyword[0] && !offered(k->c, p->keyword)))
			continue;
		/* a parameter with a value ends in '='; a keyword alone in ' ' */
		snprintf(buf, sizeof buf, "%s%s", p->param, strchr(p->syntax, '=') ? "=" : "");
		offer(k, buf);
	}
}

static void meta_row(void *ctx, const char *name, const char *args,
    const char *help, int general)
{
	char buf[40];

	(void)args;
	(void)help;
	(void)general;
	snprintf(buf, sizeof buf, ":%s", name);
	offer(ctx, buf);
}

static void meta_name(void *ctx, const char *name, const char *args,
    const char *help, int general)
{
	(void)args;
	(void)help;
	(void)general;
	offer(ctx, name);
}

/* meta_args - the arguments of meta-command m, the nw-th word */
static int meta_args(struct cand *k, const char *m, int nw)
{
	size_t i;
	static const char *const levels[] = { "off", "brief", "full" };

	if (!strcmp(m, "save") || !strcmp(m, "replay"))
		return CONSOLE_COMPLETE_FILES;
	if (!strcmp(m, "lesson") && nw == 1 && k->c->o.lesson_each) {
		offer(k, "stop");
		k->c->o.lesson_each(k->c->o.lesson_ctx, offer_lesson, k);
	} else if (!strcmp(m, "help"))
		console_meta_each(k->c, meta_name, k);
	else if (!strcmp(m, "role")) {
		offer(k, "client");
		offer(k, "server");
	} else if (!strcmp(m, "persona"))
		for (i = 0; i < ref_persona_count; i++)
			offer(k, ref_persona_table[i].name);
	else if (!strcmp(m, "scenario"))
		for (i = 0; i < ref_scenario_count; i++)
			offer(k, ref_scenario_table[i].name);
	else if (!strcmp(m, "explain")) {
		for (i = 0; i < 3 && nw == 1; i++)
			offer(k, levels[i]);
		offer_codes(k, NULL, 0);
		for (i = 0; i < ref_keyword_count; i++)
			offer(k, ref_keyword_table[i].keyword);
		for (i = 0; i < ref_command_count; i++)
			if (!ref_keyword_find(ref_command_table[i].verb, strlen(ref_command_table[i].verb)))
				offer(k, ref_command_table[i].verb);
	} else if (!strcmp(m, "fault") && nw == 1) {
		for (i = 0; i < ref_command_count; i++)
			offer(k, ref_command_table[i].verb);
	} else if (!strcmp(m, "fault"))
		offer_codes(k, NULL, 400);
	else if ((!strcmp(m, "auth") || !strcmp(m, "auth!")) && nw == 1) {
		offer(k, "plain");
		offer(k, "login");
	}
	return CONSOLE_COMPLETE_SPACE;
}

/* path_args - MAIL and RCPT: FROM:< / TO:<, addresses, parameters */
static int path_args(struct cand *k, const char *line, size_t start, int nw,
    int mail)
{
	if (start > 0 && line[start - 1] == '<') {
		offer_addresses(k, ">");
		if (mail)
			offer(k, ">");	/* the null reverse-path */
		return 0;
	}
	if (nw == 1) {
		offer(k, mail ? "FROM:<" : "TO:<");
		return 0;
	}
	offer_params(k, mail ? "MAIL" : "RCPT");
	return 0;
}

/* world_names - VRFY and EXPN: users (the local part) and addresses */
static void world_names(struct cand *k)
{
	size_t i;
	char buf[128];

	for (i = 0; i < ref_world_count; i++) {
		const char *a = ref_world_table[i].address, *at = strchr(a, '@');

		if (at == NULL)
			continue;
		snprintf(buf, sizeof buf, "%.*s", (int)(at - a), a);
		offer(k, buf);
		offer(k, a);
	}
}

/* command_args - what follows the verb of an SMTP command */
static int command_args(struct cand *k, const char *verb, const char *line,
    size_t start, int nw)
{
	size_t i, n = strlen(verb);
	struct peer *p = console_peer(k->c);

	if (ascii_ieq(verb, n, "MAIL") || ascii_ieq(verb, n, "RCPT"))
		return path_args(k, line, start, nw, ascii_ieq(verb, n, "MAIL"));
	if (nw > 1)
		return CONSOLE_COMPLETE_SPACE;
	if (ascii_ieq(verb, n, "EHLO") || ascii_ieq(verb, n, "HELO"))
		offer(k, "client.example");
	else if (ascii_ieq(verb, n, "VRFY") || ascii_ieq(verb, n, "EXPN"))
		world_names(k);
	else if (ascii_ieq(verb, n, "AUTH")) {
		const char *mechs = p->ops->mechs ? p->ops->mechs(p) : NULL;

		offer_list(k, mechs && *mechs ? mechs : "PLAIN LOGIN", "");
	} else if (ascii_ieq(verb, n, "HELP"))
		for (i = 0; i < ref_command_count; i++)
			offer(k, ref_command_table[i].verb);
	else if (ascii_ieq(verb, n, "ETRN"))
		for (i = 0; i < ref_world_count; i++)
			if (!strchr(ref_world_table[i].address, '@'))
				offer(k, ref_world_table[i].address);
	return CONSOLE_COMPLETE_SPACE;
}

int console_complete(const struct console *c, const char *line,
    size_t start, size_t end,
    void (*add)(void *ctx, const char *candidate), void *ctx)
{
	struct cand k = { c, line + start, end - start, add, ctx };
	char w[4][32];
	int nw = words_before(line, start, w, 4);
	enum peer_input in = console_input(c);
	size_t i;

	if (start == 0 && k.len > 0 && line[0] == ':') {
		console_meta_each(c, meta_row, &k);
		return CONSOLE_COMPLETE_SPACE;
	}
	if (nw > 0 && w[0][0] == ':')
		return meta_args(&k, w[0] + 1, nw);
	if ((in == PEER_IN_REPLY || in == PEER_IN_REPLY_MORE) && nw == 0) {
		offer_codes(&k, console_waiting_for(c), 0);
		return CONSOLE_COMPLETE_SPACE;
	}
	if (in != PEER_IN_COMMAND && in != PEER_IN_GROUP && c->piping != 1)
		return 0;	/* a message, an answer: the learner's own words */
	if (nw == 0) {
		for (i = 0; i < ref_command_count; i++)
			if (strcmp(ref_command_table[i].status, "obsolete") != 0)
				offer(&k, ref_command_table[i].verb);
		return CONSOLE_COMPLETE_SPACE;
	}
	return command_args(&k, w[0], line, start, nw);
}
