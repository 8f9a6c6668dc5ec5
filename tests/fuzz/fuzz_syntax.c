/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_syntax.c - libFuzzer harness for the command line parser
 *
 * Arbitrary bytes go, as one line in a buffer of exactly their size,
 * through syntax_parse_command under every combination of options, and
 * through syntax_parse_path, syntax_parse_domain,
 * syntax_parse_address_literal and syntax_xtext_decode.  Checked: every
 * span lies inside the input, every result is a known value, the limits
 * hold on success, and turning an option on never rejects what was
 * accepted without it.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/syntax.h"

static void inside(const struct syntax_span *sp, const char *base, size_t len)
{
	if (sp->len && (sp->p == NULL || sp->p < base ||
	    sp->p + sp->len > base + len))
		abort();
}

static void check_error(enum syntax_error e)
{
	if ((unsigned)e >= SYNTAX_ERR_LAST)
		abort();
	if (!syntax_error_str(e) || !syntax_error_section(e))
		abort();
}

static void check_path(const struct syntax_path *p, enum syntax_error e,
    const char *s, size_t len, int utf8)
{
	size_t i;

	inside(&p->local, s, len);
	inside(&p->host, s, len);
	if ((unsigned)p->host_kind >= SYNTAX_HOST_LAST)
		abort();
	if (e != SYNTAX_OK)
		return;
	if (p->null && (p->local.len || p->host.len || p->postmaster))
		abort();
	if (p->local.len > SYNTAX_LOCAL_MAX || p->host.len > SYNTAX_DOMAIN_MAX)
		abort();
	if (!p->null && !p->postmaster &&
	    (p->host_kind == SYNTAX_HOST_NONE || p->host.len == 0))
		abort();
	if (!utf8 && p->utf8)
		abort();
	if (!utf8)
		for (i = 0; i < p->local.len; i++)
			if ((unsigned char)p->local.p[i] >= 0x80)
				abort();
}

static void same_path(const struct syntax_path *a, const struct syntax_path *b)
{
	if (a->null != b->null || a->postmaster != b->postmaster ||
	    a->had_route != b->had_route || a->quoted != b->quoted ||
	    a->host_kind != b->host_kind || a->local.p != b->local.p ||
	    a->local.len != b->local.len || a->host.p != b->host.p ||
	    a->host.len != b->host.len)
		abort();
}

static enum syntax_error command(const char *s, size_t len, int utf8,
    int lenient, size_t line_max, struct syntax_cmd *cmd)
{
	struct syntax_opts o;
	enum syntax_error e;
	size_t i;

	o.smtputf8 = utf8;
	o.lenient = lenient;
	o.line_max = line_max;
	e = syntax_parse_command(s, len, &o, cmd);
	check_error(e);
	inside(&cmd->verb, s, len);
	inside(&cmd->arg, s, len);
	inside(&cmd->host, s, len);
	if (cmd->nparams > SYNTAX_PARAMS_MAX)
		abort();
	for (i = 0; i < cmd->nparams; i++) {
		inside(&cmd->params[i].keyword, s, len);
		inside(&cmd->params[i].value, s, len);
		if (cmd->params[i].keyword.len == 0)
			abort();
	}
	/* only MAIL and RCPT fill the path */
	if (syntax_verb_is(&cmd->verb, "MAIL") ||
	    syntax_verb_is(&cmd->verb, "RCPT"))
		check_path(&cmd->path, e, s, len, utf8);
	else if (cmd->path.local.len || cmd->path.host.len ||
	    cmd->path.null || cmd->path.postmaster)
		abort();
	if (e == SYNTAX_OK) {
		if (len + 2 > (line_max ? line_max : SYNTAX_LINE_MAX))
			abort();
		if (memchr(s, 0, len) || memchr(s, '\r', len) ||
		    memchr(s, '\n', len))
			abort();
		if (cmd->verb.len == 0)
			abort();
		if (!lenient && cmd->lenient_space_after_colon)
			abort();
	}
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1), out[300];
	struct syntax_cmd strict, loose, wide;
	struct syntax_path p, q;
	struct syntax_opts uo = { 1, 0, 0 };
	enum syntax_host_kind kind;
	enum syntax_error e, e2;
	long n;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);

	/* Each option only widens what is accepted. */
	e = command(s, size, 0, 0, 0, &strict);
	if (command(s, size, 1, 0, 0, &wide) != SYNTAX_OK && e == SYNTAX_OK)
		abort();
	if (command(s, size, 0, 1, 0, &loose) != SYNTAX_OK && e == SYNTAX_OK)
		abort();
	if (e == SYNTAX_OK) {
		same_path(&strict.path, &wide.path);
		same_path(&strict.path, &loose.path);
		if (strict.nparams != wide.nparams)
			abort();
	}
	command(s, size, 1, 1, 0, &loose);
	e2 = command(s, size, 0, 0, 2048, &wide);
	if (e == SYNTAX_OK && e2 != SYNTAX_OK)
		abort();
	command(s, size, 0, 0, 1, &wide);
	command(s, size, 1, 1, 3, &wide);

	e = syntax_parse_path(s, size, NULL, &p);
	check_error(e);
	check_path(&p, e, s, size, 0);
	e2 = syntax_parse_path(s, size, &uo, &q);
	check_error(e2);
	check_path(&q, e2, s, size, 1);
	if (e == SYNTAX_OK) {
		if (e2 != SYNTAX_OK || size > SYNTAX_PATH_MAX)
			abort();
		same_path(&p, &q);
	}

	e = syntax_parse_domain(s, size);
	check_error(e);
	if (e == SYNTAX_OK) {
		size_t i;

		if (size == 0 || size > SYNTAX_DOMAIN_MAX || s[0] == '.' ||
		    s[size - 1] == '.' || s[0] == '-' || s[size - 1] == '-')
			abort();
		for (i = 0; i < size; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= 'A' && s[i] <= 'Z') ||
			    (s[i] >= '0' && s[i] <= '9') ||
			    s[i] == '-' || s[i] == '.'))
				abort();
		if (syntax_parse_address_literal(s, size, NULL) == SYNTAX_OK)
			abort();
	}

	kind = SYNTAX_HOST_LAST;
	e = syntax_parse_address_literal(s, size, &kind);
	check_error(e);
	if ((unsigned)kind >= SYNTAX_HOST_LAST)
		abort();
	if (e == SYNTAX_OK && (size < 2 || s[0] != '[' || s[size - 1] != ']' ||
	    kind == SYNTAX_HOST_NONE || kind == SYNTAX_HOST_DOMAIN))
		abort();
	if (e != SYNTAX_OK && kind != SYNTAX_HOST_NONE)
		abort();

	n = syntax_xtext_decode(s, size, out, sizeof out);
	if (n < -1 || n >= (long)sizeof out || (n >= 0 && out[n] != 0))
		abort();
	if (n >= 0 && (size_t)n > size)
		abort();
	n = syntax_xtext_decode(s, size, out, 1 + size % 8);
	if (n < -1 || n >= (long)(1 + size % 8))
		abort();

	free(s);
	return 0;
}
