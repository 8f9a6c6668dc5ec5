/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_syntax.c - command lines, paths, domains, literals, parameters
 *
 * Mostly tables: each row is one behaviour a user relies on (a mistake
 * recognised with the right error, or a valid form accepted with the right
 * pieces), run as its own loop test so that a failure names its row.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "core/syntax.h"

#define N_ROWS(t) ((int)(sizeof t / sizeof t[0]))

/* UTF-8 spelled in escapes, so that this file stays ASCII */
#define O_UML "\xC3\xB6"	/* o with diaeresis */
#define U_UML "\xC3\xBC"	/* u with diaeresis */

enum { STRICT = 0, UTF8 = 1, LENIENT = 2 };

struct cmd_row {
	const char *line;
	int flags;
	enum syntax_error want;
};

static enum syntax_error parse_flags(const char *line, size_t len, int flags,
    struct syntax_cmd *cmd)
{
	struct syntax_opts o = { 0 };

	o.smtputf8 = (flags & UTF8) != 0;
	o.lenient = (flags & LENIENT) != 0;
	return syntax_parse_command(line, len, &o, cmd);
}

static const struct cmd_row cmd_rows[] = {
	/* HELO and EHLO (RFC 5321 4.1.1.1) */
	{ "EHLO client.example.org", STRICT, SYNTAX_OK },
	{ "ehlo client.example.org", STRICT, SYNTAX_OK },
	{ "EHLO [192.0.2.1]", STRICT, SYNTAX_OK },
	{ "EHLO [IPv6:2001:db8::1]", STRICT, SYNTAX_OK },
	{ "EHLO localhost", STRICT, SYNTAX_OK },
	{ "HELO client.example.org", STRICT, SYNTAX_OK },
	{ "HELO [192.0.2.1]", STRICT, SYNTAX_ERR_DOMAIN },
	{ "EHLO", STRICT, SYNTAX_ERR_NO_ARGUMENT },
	{ "HELO", STRICT, SYNTAX_ERR_NO_ARGUMENT },
	{ "EHLO ", STRICT, SYNTAX_ERR_NO_ARGUMENT },
	{ "EHLO client.example.org  ", STRICT, SYNTAX_OK },
	{ "EHLO client_1.example.org", STRICT, SYNTAX_ERR_DOMAIN },
	{ "EHLO -client.example.org", STRICT, SYNTAX_ERR_DOMAIN },
	{ "EHLO client-.example.org", STRICT, SYNTAX_ERR_DOMAIN },
	{ "EHLO client..example.org", STRICT, SYNTAX_ERR_DOMAIN },
	{ "EHLO example.org.", STRICT, SYNTAX_ERR_DOMAIN },
	{ "EHLO client example", STRICT, SYNTAX_ERR_DOMAIN },
	{ "EHLO [192.0.2.300]", STRICT, SYNTAX_ERR_ADDRESS_LITERAL },
	{ "EHLO [2001:db8::1]", STRICT, SYNTAX_ERR_ADDRESS_LITERAL },
	{ "EHLO [192.0.2.1] client.example.org", STRICT, SYNTAX_ERR_ADDRESS_LITERAL },
	{ "EHLO b" U_UML "cher.example", STRICT, SYNTAX_ERR_NON_ASCII },
	{ "EHLO b" U_UML "cher.example", UTF8, SYNTAX_ERR_NON_ASCII },

	/* MAIL (4.1.1.2) */
	{ "MAIL FROM:<alice@example.org>", STRICT, SYNTAX_OK },
	{ "mail from:<alice@example.org>", STRICT, SYNTAX_OK },
	{ "Mail From:<alice@example.org>", STRICT, SYNTAX_OK },
	{ "MAIL FROM:<>", STRICT, SYNTAX_OK },
	{ "MAIL FROM:<> SIZE=100", STRICT, SYNTAX_OK },
	{ "MAIL FROM:<alice@example.org> ", STRICT, SYNTAX_OK },
	{ "MAIL", STRICT, SYNTAX_ERR_FROM_EXPECTED },
	{ "MAIL TO:<alice@example.org>", STRICT, SYNTAX_ERR_FROM_EXPECTED },
	{ "MAIL FROM <alice@example.org>", STRICT, SYNTAX_ERR_FROM_EXPECTED },
	{ "MAIL FROM :<alice@example.org>", STRICT, SYNTAX_ERR_FROM_EXPECTED },
	{ "MAIL <alice@example.org>", STRICT, SYNTAX_ERR_FROM_EXPECTED },
	{ "MAIL FROM: <alice@example.org>", STRICT, SYNTAX_ERR_SPACE_AFTER_COLON },
	{ "MAIL FROM: <alice@example.org>", LENIENT, SYNTAX_OK },
	{ "MAIL FROM:   <alice@example.org>", LENIENT, SYNTAX_OK },
	{ "MAIL FROM:alice@example.org", STRICT, SYNTAX_ERR_NO_BRACKETS },
	{ "MAIL FROM:<alice@example.org", STRICT, SYNTAX_ERR_NO_BRACKETS },
	{ "MAIL FROM:<alice", STRICT, SYNTAX_ERR_NO_BRACKETS },
	{ "MAIL FROM:", STRICT, SYNTAX_ERR_NO_BRACKETS },
	{ "MAIL FROM:<Postmaster>", STRICT, SYNTAX_ERR_NO_DOMAIN },
	{ "MAIL FROM:<alice>", STRICT, SYNTAX_ERR_NO_DOMAIN },

	/* RCPT (4.1.1.3) */
	{ "RCPT TO:<bob@example.org>", STRICT, SYNTAX_OK },
	{ "rcpt to:<bob@example.org>", STRICT, SYNTAX_OK },
	{ "RCPT", STRICT, SYNTAX_ERR_TO_EXPECTED },
	{ "RCPT FROM:<bob@example.org>", STRICT, SYNTAX_ERR_TO_EXPECTED },
	{ "RCPT TO <bob@example.org>", STRICT, SYNTAX_ERR_TO_EXPECTED },
	{ "RCPT TO: <bob@example.org>", STRICT, SYNTAX_ERR_SPACE_AFTER_COLON },
	{ "RCPT TO: <bob@example.org>", LENIENT, SYNTAX_OK },
	{ "RCPT TO:bob@example.org", STRICT, SYNTAX_ERR_NO_BRACKETS },
	{ "RCPT TO:<>", STRICT, SYNTAX_ERR_PATH },
	{ "RCPT TO:<Postmaster>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<postmaster>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<POSTMASTER>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<Postmaster@example.org>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<\"Postmaster\">", STRICT, SYNTAX_ERR_NO_DOMAIN },
	{ "RCPT TO:<bob>", STRICT, SYNTAX_ERR_NO_DOMAIN },
	{ "RCPT TO:<bob@>", STRICT, SYNTAX_ERR_DOMAIN },
	{ "RCPT TO:<@example.org>", STRICT, SYNTAX_ERR_LOCAL_PART },

	/* source routes (4.1.1.3, 4.1.2: MUST be accepted) */
	{ "RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>", STRICT, SYNTAX_OK },
	{ "MAIL FROM:<@hosta.int:userx@y.foo.org>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<@hosta.int,jkl.org:userc@d.bar.org>", STRICT, SYNTAX_ERR_PATH },
	{ "RCPT TO:<@hosta.int,@jkl.org>", STRICT, SYNTAX_ERR_PATH },
	{ "RCPT TO:<@host_a.int:userc@d.bar.org>", STRICT, SYNTAX_ERR_DOMAIN },
	{ "RCPT TO:<@:userc@d.bar.org>", STRICT, SYNTAX_ERR_DOMAIN },

	/* local parts (4.1.2) */
	{ "RCPT TO:<first.last@example.org>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<a+tag!#$%&'*/=?^_`{|}~-@example.org>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<a..b@example.org>", STRICT, SYNTAX_ERR_LOCAL_PART },
	{ "RCPT TO:<.a@example.org>", STRICT, SYNTAX_ERR_LOCAL_PART },
	{ "RCPT TO:<a.@example.org>", STRICT, SYNTAX_ERR_LOCAL_PART },
	{ "RCPT TO:<a b@example.org>", STRICT, SYNTAX_ERR_LOCAL_PART },
	{ "RCPT TO:<a(b)@example.org>", STRICT, SYNTAX_ERR_LOCAL_PART },
	{ "RCPT TO:<a@b@example.org>", STRICT, SYNTAX_ERR_DOMAIN },
	{ "RCPT TO:<\"a b\"@example.org>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<\"\"@example.org>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<\"a\\\"b\"@example.org>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<\"a\\\\b\"@example.org>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<\"a>b@c\"@example.org>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<\"Joe\\,Smith\"@example.org>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<\"unterminated@example.org>", STRICT, SYNTAX_ERR_LOCAL_PART },
	{ "RCPT TO:<\"a\"b@example.org>", STRICT, SYNTAX_ERR_LOCAL_PART },
	{ "RCPT TO:<\"a\tb\"@example.org>", STRICT, SYNTAX_ERR_LOCAL_PART },
	{ "RCPT TO:<\"a\\\tb\"@example.org>", STRICT, SYNTAX_ERR_LOCAL_PART },
	{ "RCPT TO:<\"a\\", STRICT, SYNTAX_ERR_LOCAL_PART },

	/* domains and literals in a mailbox */
	{ "RCPT TO:<bob@[192.0.2.1]>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<bob@[IPv6:2001:db8::1]>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<bob@[x-tag:any-content]>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<bob@[192.0.2.1>", STRICT, SYNTAX_ERR_ADDRESS_LITERAL },
	{ "RCPT TO:<bob@[192.0.2.1]x>", STRICT, SYNTAX_ERR_PATH },
	{ "RCPT TO:<bob@[192.0.2.1]", STRICT, SYNTAX_ERR_NO_BRACKETS },
	{ "RCPT TO:<bob@[2001:db8::1]>", STRICT, SYNTAX_ERR_ADDRESS_LITERAL },
	{ "RCPT TO:<bob@exa_mple.org>", STRICT, SYNTAX_ERR_DOMAIN },
	{ "RCPT TO:<bob@example..org>", STRICT, SYNTAX_ERR_DOMAIN },
	{ "RCPT TO:<bob@example.org.>", STRICT, SYNTAX_ERR_DOMAIN },

	/* UTF-8 (RFC 6531 3.3) */
	{ "MAIL FROM:<j" O_UML "rg@example.org>", STRICT, SYNTAX_ERR_NON_ASCII },
	{ "MAIL FROM:<j" O_UML "rg@example.org>", UTF8, SYNTAX_OK },
	{ "MAIL FROM:<jorg@b" U_UML "cher.example>", STRICT, SYNTAX_ERR_NON_ASCII },
	{ "MAIL FROM:<j" O_UML "rg@b" U_UML "cher.example>", UTF8, SYNTAX_OK },
	{ "MAIL FROM:<\"j" O_UML "rg\"@example.org>", UTF8, SYNTAX_OK },
	{ "MAIL FROM:<j\xC3@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<j\xC0\xAF@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<j\xED\xA0\x80@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<jorg@b\xFF" "cher.example>", UTF8, SYNTAX_ERR_DOMAIN },
	/* well-formed UTF-8 only (RFC 3629 4): 2, 3 and 4 octets, no
	 * overlong forms, no surrogates, nothing above U+10FFFF */
	{ "MAIL FROM:<\xE0\xA0\x80@example.org>", UTF8, SYNTAX_OK },
	{ "MAIL FROM:<\xEF\xBF\xBD@example.org>", UTF8, SYNTAX_OK },
	{ "MAIL FROM:<\xF0\x9F\x98\x80@example.org>", UTF8, SYNTAX_OK },
	{ "MAIL FROM:<\xF4\x8F\xBF\xBF@example.org>", UTF8, SYNTAX_OK },
	{ "MAIL FROM:<\xE0\x80\x80@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<\xF0\x80\x80\x80@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<\xF4\x90\x80\x80@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<\xF5\x80\x80\x80@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<\xE2\x82" "a@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<\xC3(@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<\"j" O_UML "rg\"@example.org>", STRICT, SYNTAX_ERR_NON_ASCII },
	{ "MAIL FROM:<\"j\xC3\"@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<\"j\\" O_UML "\"@example.org>", STRICT, SYNTAX_ERR_NON_ASCII },
	{ "MAIL FROM:<\"j\\" O_UML "\"@example.org>", UTF8, SYNTAX_ERR_LOCAL_PART },
	{ "MAIL FROM:<a@example.org> X-NOTE=\xC3", UTF8, SYNTAX_ERR_PARAM },
	{ "MAIL FROM:<a@example.org> X-NOTE=" U_UML, STRICT, SYNTAX_ERR_NON_ASCII },
	{ "MAIL FROM:<a@example.org> X-NOTE=" U_UML, UTF8, SYNTAX_OK },

	/* ESMTP parameters (4.1.2) */
	{ "MAIL FROM:<a@example.org> SIZE=1000 BODY=8BITMIME", STRICT, SYNTAX_OK },
	{ "MAIL FROM:<a@example.org>  SIZE=1000   BODY=8BITMIME", STRICT, SYNTAX_OK },
	{ "MAIL FROM:<a@example.org> SMTPUTF8", STRICT, SYNTAX_OK },
	{ "MAIL FROM:<a@example.org> AUTH=<>", STRICT, SYNTAX_OK },
	{ "RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.org", STRICT, SYNTAX_OK },
	{ "MAIL FROM:<a@example.org>SIZE=1000", STRICT, SYNTAX_ERR_PARAM },
	{ "MAIL FROM:<a@example.org>>", STRICT, SYNTAX_ERR_PARAM },
	{ "MAIL FROM:<a@example.org> SIZE=", STRICT, SYNTAX_ERR_PARAM },
	{ "MAIL FROM:<a@example.org> SIZE=1=2", STRICT, SYNTAX_ERR_PARAM },
	{ "MAIL FROM:<a@example.org> -SIZE=1", STRICT, SYNTAX_ERR_PARAM },
	{ "MAIL FROM:<a@example.org> SI_ZE=1", STRICT, SYNTAX_ERR_PARAM },
	{ "MAIL FROM:<a@example.org> =1", STRICT, SYNTAX_ERR_PARAM },
	{ "MAIL FROM:<a@example.org> SIZE=1\tBODY=7BIT", STRICT, SYNTAX_ERR_PARAM },
	{ "MAIL FROM:<a@example.org> SIZE=1 size=2", STRICT, SYNTAX_ERR_DUPLICATE_PARAM },
	{ "RCPT TO:<b@example.org> NOTIFY=NEVER NOTIFY=NEVER", STRICT, SYNTAX_ERR_DUPLICATE_PARAM },

	/* commands without an argument (4.1.1), or with an optional one */
	{ "DATA", STRICT, SYNTAX_OK },
	{ "data", STRICT, SYNTAX_OK },
	{ "DATA ", STRICT, SYNTAX_OK },
	{ "DATA\t", STRICT, SYNTAX_OK },
	{ "DATA \t ", STRICT, SYNTAX_OK },
	{ "DATA now", STRICT, SYNTAX_ERR_UNEXPECTED_ARGUMENT },
	{ "RSET", STRICT, SYNTAX_OK },
	{ "RSET all", STRICT, SYNTAX_ERR_UNEXPECTED_ARGUMENT },
	{ "QUIT", STRICT, SYNTAX_OK },
	{ "QUIT now", STRICT, SYNTAX_ERR_UNEXPECTED_ARGUMENT },
	{ "STARTTLS", STRICT, SYNTAX_OK },
	{ "STARTTLS please", STRICT, SYNTAX_ERR_UNEXPECTED_ARGUMENT },
	{ "NOOP", STRICT, SYNTAX_OK },
	{ "NOOP anything at all", STRICT, SYNTAX_OK },
	{ "HELP", STRICT, SYNTAX_OK },
	{ "HELP MAIL", STRICT, SYNTAX_OK },
	{ "VRFY", STRICT, SYNTAX_ERR_NO_ARGUMENT },
	{ "VRFY ", STRICT, SYNTAX_ERR_NO_ARGUMENT },
	{ "VRFY alice", STRICT, SYNTAX_OK },
	{ "EXPN", STRICT, SYNTAX_ERR_NO_ARGUMENT },
	{ "EXPN staff", STRICT, SYNTAX_OK },

	/* other verbs, known or not, are the caller's business */
	{ "AUTH PLAIN AGFsaWNlAHNlY3JldA==", STRICT, SYNTAX_OK },
	{ "BDAT 100 LAST", STRICT, SYNTAX_OK },
	{ "XYZZY plugh", STRICT, SYNTAX_OK },
	{ "TURN", STRICT, SYNTAX_OK },

	/* the line itself */
	{ "", STRICT, SYNTAX_ERR_EMPTY },
	{ "   ", STRICT, SYNTAX_ERR_EMPTY },
	{ " MAIL FROM:<a@example.org>", STRICT, SYNTAX_ERR_VERB },
	{ "Subject: hello", STRICT, SYNTAX_ERR_VERB },
	{ "MAIL:FROM:<a@example.org>", STRICT, SYNTAX_ERR_VERB },
	{ "<a@example.org>", STRICT, SYNTAX_ERR_VERB },
	{ "HELO\tclient.example.org", STRICT, SYNTAX_ERR_VERB },
	{ "MAIL FROM:<a@example.org>\rRCPT TO:<b@example.org>", STRICT, SYNTAX_ERR_BARE_CR },
	{ "NOOP\r", STRICT, SYNTAX_ERR_BARE_CR },
	{ "NOOP\n", STRICT, SYNTAX_ERR_BARE_CR },
};

START_TEST(command_rows)
{
	const struct cmd_row *r = &cmd_rows[_i];
	struct syntax_cmd cmd;
	size_t len = strlen(r->line);
	/* a copy without the NUL, so that a sanitizer sees any read past
	 * the end of the line */
	char *line = malloc(len ? len : 1);
	enum syntax_error e;

	ck_assert_ptr_nonnull(line);
	memcpy(line, r->line, len);
	e = parse_flags(line, len, r->flags, &cmd);
	free(line);
	ck_assert_msg(e == r->want, "\"%s\" (flags %d): got %d (%s), want %d",
	    r->line, r->flags, e, syntax_error_str(e), r->want);
}
END_TEST

/* A NUL octet is an error wherever it is, and never ends the line. */
START_TEST(nul_octet)
{
	static const char l1[] = "RCPT TO:<a@example.org>\0junk";
	static const char l2[] = "NO\0OP";
	struct syntax_cmd cmd;

	ck_assert_int_eq(syntax_parse_command(l1, sizeof l1 - 1, NULL, &cmd),
	    SYNTAX_ERR_NUL);
	ck_assert_int_eq(syntax_parse_command(l2, sizeof l2 - 1, NULL, &cmd),
	    SYNTAX_ERR_NUL);
}
END_TEST

/* The verb is filled even when the argument is wrong, or the verb
 * unknown, so that the caller can answer 501 or 500. */
START_TEST(verb_and_arg_filled)
{
	struct syntax_cmd cmd;
	const char *l = "MAIL FROM: <a@example.org>";

	ck_assert_int_eq(parse_flags(l, strlen(l), STRICT, &cmd),
	    SYNTAX_ERR_SPACE_AFTER_COLON);
	ck_assert(syntax_verb_is(&cmd.verb, "mail"));
	ck_assert_uint_eq(cmd.arg.len, strlen(l) - 5);
	ck_assert_ptr_eq(cmd.arg.p, l + 5);
	l = "xyzzy Plugh";
	ck_assert_int_eq(parse_flags(l, strlen(l), STRICT, &cmd), SYNTAX_OK);
	ck_assert(syntax_verb_is(&cmd.verb, "XYZZY"));
	ck_assert(!syntax_verb_is(&cmd.verb, "XYZZ"));
	ck_assert(!syntax_verb_is(&cmd.verb, "XYZZYX"));
	ck_assert_uint_eq(cmd.arg.len, 5);
	ck_assert(!strncmp(cmd.arg.p, "Plugh", 5));
	l = "QUIT";
	ck_assert_int_eq(parse_flags(l, strlen(l), STRICT, &cmd), SYNTAX_OK);
	ck_assert_uint_eq(cmd.arg.len, 0);
	l = "Subject: hi";
	ck_assert_int_eq(parse_flags(l, strlen(l), STRICT, &cmd),
	    SYNTAX_ERR_VERB);
	ck_assert(syntax_verb_is(&cmd.verb, "Subject"));
}
END_TEST

START_TEST(lenient_space_is_reported)
{
	struct syntax_cmd cmd;
	const char *l = "MAIL FROM: <a@example.org>";

	ck_assert_int_eq(parse_flags(l, strlen(l), LENIENT, &cmd), SYNTAX_OK);
	ck_assert(cmd.lenient_space_after_colon);
	ck_assert_uint_eq(cmd.path.local.len, 1);
	l = "MAIL FROM:<a@example.org>";
	ck_assert_int_eq(parse_flags(l, strlen(l), LENIENT, &cmd), SYNTAX_OK);
	ck_assert(!cmd.lenient_space_after_colon);
}
END_TEST

/* The pieces of a valid path, as written. */
struct path_row {
	const char *line;
	int flags;
	const char *local;	/* NULL: no local part */
	const char *host;	/* NULL: no host */
	enum syntax_host_kind kind;
	int null, postmaster, route, quoted, utf8;
};

static const struct path_row path_rows[] = {
	{ "MAIL FROM:<alice@example.org>", STRICT, "alice", "example.org",
	    SYNTAX_HOST_DOMAIN, 0, 0, 0, 0, 0 },
	{ "MAIL FROM:<>", STRICT, NULL, NULL, SYNTAX_HOST_NONE, 1, 0, 0, 0, 0 },
	{ "RCPT TO:<postmaster>", STRICT, "postmaster", NULL,
	    SYNTAX_HOST_NONE, 0, 1, 0, 0, 0 },
	{ "RCPT TO:<Postmaster@example.org>", STRICT, "Postmaster",
	    "example.org", SYNTAX_HOST_DOMAIN, 0, 0, 0, 0, 0 },
	{ "RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>", STRICT, "userc",
	    "d.bar.org", SYNTAX_HOST_DOMAIN, 0, 0, 1, 0, 0 },
	{ "RCPT TO:<\"a \\\"b\\\"\"@example.org> NOTIFY=NEVER", STRICT,
	    "\"a \\\"b\\\"\"", "example.org", SYNTAX_HOST_DOMAIN, 0, 0, 0, 1, 0 },
	{ "RCPT TO:<bob@[192.0.2.1]>", STRICT, "bob", "[192.0.2.1]",
	    SYNTAX_HOST_IPV4, 0, 0, 0, 0, 0 },
	{ "RCPT TO:<bob@[IPv6:2001:db8::1]>", STRICT, "bob",
	    "[IPv6:2001:db8::1]", SYNTAX_HOST_IPV6, 0, 0, 0, 0, 0 },
	{ "RCPT TO:<bob@[x-tag:c]>", STRICT, "bob", "[x-tag:c]",
	    SYNTAX_HOST_GENERAL, 0, 0, 0, 0, 0 },
	{ "MAIL FROM:<j" O_UML "rg@b" U_UML "cher.example> SMTPUTF8", UTF8,
	    "j" O_UML "rg", "b" U_UML "cher.example", SYNTAX_HOST_DOMAIN,
	    0, 0, 0, 0, 1 },
	{ "MAIL FROM:<jorg@example.org>", UTF8, "jorg", "example.org",
	    SYNTAX_HOST_DOMAIN, 0, 0, 0, 0, 0 },
};

static void span_is(const struct syntax_span *s, const char *want,
    const char *line)
{
	if (want == NULL) {
		ck_assert_msg(s->len == 0, "%s: span should be empty", line);
		return;
	}
	ck_assert_msg(s->len == strlen(want) && !memcmp(s->p, want, s->len),
	    "%s: got \"%.*s\", want \"%s\"", line, (int)s->len,
	    s->p ? s->p : "", want);
	ck_assert(s->p >= line && s->p + s->len <= line + strlen(line));
}

START_TEST(path_pieces)
{
	const struct path_row *r = &path_rows[_i];
	struct syntax_cmd cmd;

	ck_assert_int_eq(parse_flags(r->line, strlen(r->line), r->flags, &cmd),
	    SYNTAX_OK);
	span_is(&cmd.path.local, r->local, r->line);
	span_is(&cmd.path.host, r->host, r->line);
	ck_assert_int_eq(cmd.path.host_kind, r->kind);
	ck_assert_int_eq(cmd.path.null, r->null);
	ck_assert_int_eq(cmd.path.postmaster, r->postmaster);
	ck_assert_int_eq(cmd.path.had_route, r->route);
	ck_assert_int_eq(cmd.path.quoted, r->quoted);
	ck_assert_int_eq(cmd.path.utf8, r->utf8);
}
END_TEST

START_TEST(ehlo_host_pieces)
{
	static const struct {
		const char *line, *host;
		enum syntax_host_kind kind;
	} rows[] = {
		{ "EHLO client.example.org", "client.example.org", SYNTAX_HOST_DOMAIN },
		{ "EHLO client.example.org ", "client.example.org", SYNTAX_HOST_DOMAIN },
		{ "EHLO [192.0.2.1]", "[192.0.2.1]", SYNTAX_HOST_IPV4 },
		{ "EHLO [IPv6:::1]", "[IPv6:::1]", SYNTAX_HOST_IPV6 },
		{ "HELO client.example.org", "client.example.org", SYNTAX_HOST_DOMAIN },
	};
	struct syntax_cmd cmd;
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		ck_assert_int_eq(parse_flags(rows[i].line, strlen(rows[i].line),
		    STRICT, &cmd), SYNTAX_OK);
		span_is(&cmd.host, rows[i].host, rows[i].line);
		ck_assert_int_eq(cmd.host_kind, rows[i].kind);
	}
}
END_TEST

/* HELO takes a Domain only; the literal is still recognised, so the
 * explanation can say "use EHLO for an address literal". */
START_TEST(helo_literal_classified)
{
	struct syntax_cmd cmd;
	const char *l = "HELO [192.0.2.1]";

	ck_assert_int_eq(parse_flags(l, strlen(l), STRICT, &cmd),
	    SYNTAX_ERR_DOMAIN);
	ck_assert_int_eq(cmd.host_kind, SYNTAX_HOST_IPV4);
}
END_TEST

/* syntax_parse_path alone: the whole input must be one path. */
START_TEST(path_alone)
{
	static const struct {
		const char *s;
		enum syntax_error want;
	} rows[] = {
		{ "<a@example.org>", SYNTAX_OK },
		{ "<>", SYNTAX_OK },
		{ "<Postmaster>", SYNTAX_OK },
		{ "<a@example.org> ", SYNTAX_ERR_PATH },
		{ "<a@example.org>x", SYNTAX_ERR_PATH },
		{ "<>x", SYNTAX_ERR_PATH },
		{ "a@example.org", SYNTAX_ERR_NO_BRACKETS },
		{ "", SYNTAX_ERR_NO_BRACKETS },
		{ "<", SYNTAX_ERR_LOCAL_PART },
		{ "<a", SYNTAX_ERR_NO_BRACKETS },
		{ "<a@", SYNTAX_ERR_NO_BRACKETS },
		{ "<@", SYNTAX_ERR_PATH },
	};
	struct syntax_path p;
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		enum syntax_error e = syntax_parse_path(rows[i].s,
		    strlen(rows[i].s), NULL, &p);

		ck_assert_msg(e == rows[i].want, "\"%s\": got %d, want %d",
		    rows[i].s, e, rows[i].want);
	}
}
END_TEST

/* ---- limits (RFC 5321 4.5.3.1) ------------------------------------- */

/* dom - a domain of n octets: labels of 'a' joined by dots */
static char *dom(char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = (i % 50 == 49 && i + 1 < n) ? '.' : 'a';
	buf[n] = 0;
	return buf;
}

static char *rep(char *buf, int c, size_t n)
{
	memset(buf, c, n);
	buf[n] = 0;
	return buf;
}

static enum syntax_error mail_from(size_t local, size_t domain)
{
	char line[1200], l[600], d[600];
	struct syntax_cmd cmd;
	struct syntax_opts o = { 0, 0, 1100 };

	strcpy(line, "MAIL FROM:<");
	strcat(line, rep(l, 'a', local));
	strcat(line, "@");
	strcat(line, dom(d, domain));
	strcat(line, ">");
	return syntax_parse_command(line, strlen(line), &o, &cmd);
}

START_TEST(local_part_limit)
{
	ck_assert_int_eq(mail_from(64, 20), SYNTAX_OK);
	ck_assert_int_eq(mail_from(65, 20), SYNTAX_ERR_LOCAL_TOO_LONG);
}
END_TEST

START_TEST(domain_limit)
{
	char d[300], line[400];
	struct syntax_cmd cmd;

	ck_assert_int_eq(syntax_parse_domain(dom(d, 255), 255), SYNTAX_OK);
	ck_assert_int_eq(syntax_parse_domain(dom(d, 256), 256),
	    SYNTAX_ERR_DOMAIN_TOO_LONG);
	strcpy(line, "EHLO ");
	strcat(line, dom(d, 255));
	ck_assert_int_eq(syntax_parse_command(line, strlen(line), NULL, &cmd),
	    SYNTAX_OK);
	strcpy(line, "EHLO ");
	strcat(line, dom(d, 256));
	ck_assert_int_eq(syntax_parse_command(line, strlen(line), NULL, &cmd),
	    SYNTAX_ERR_DOMAIN_TOO_LONG);
	/* in a path, the domain limit comes before the path limit */
	ck_assert_int_eq(mail_from(1, 256), SYNTAX_ERR_DOMAIN_TOO_LONG);
}
END_TEST

/* 256 octets with the brackets: "<" 64 "@" 189 ">" is 256 */
START_TEST(path_limit)
{
	ck_assert_int_eq(mail_from(64, 189), SYNTAX_OK);
	ck_assert_int_eq(mail_from(64, 190), SYNTAX_ERR_PATH_TOO_LONG);
	ck_assert_int_eq(mail_from(1, 252), SYNTAX_OK);
	ck_assert_int_eq(mail_from(1, 253), SYNTAX_ERR_PATH_TOO_LONG);
}
END_TEST

START_TEST(path_limit_counts_route)
{
	char line[600], d[300];
	struct syntax_cmd cmd;

	/* "<@" 200 ":a@" 50 ">" = 256, then one more octet */
	strcpy(line, "RCPT TO:<@");
	strcat(line, dom(d, 200));
	strcat(line, ":a@");
	strcat(line, dom(d, 50));
	strcat(line, ">");
	ck_assert_int_eq(syntax_parse_command(line, strlen(line), NULL, &cmd),
	    SYNTAX_OK);
	strcpy(line, "RCPT TO:<@");
	strcat(line, dom(d, 201));
	strcat(line, ":a@");
	strcat(line, dom(d, 50));
	strcat(line, ">");
	ck_assert_int_eq(syntax_parse_command(line, strlen(line), NULL, &cmd),
	    SYNTAX_ERR_PATH_TOO_LONG);
}
END_TEST

/* 512 octets with the CRLF, so 510 without (4.5.3.1.4) */
START_TEST(line_limit)
{
	char line[1100];
	struct syntax_cmd cmd;
	struct syntax_opts big = { 0, 0, 1000 };

	memcpy(rep(line, 'x', 510), "NOOP ", 5);
	ck_assert_int_eq(syntax_parse_command(line, 510, NULL, &cmd), SYNTAX_OK);
	memcpy(rep(line, 'x', 511), "NOOP ", 5);
	ck_assert_int_eq(syntax_parse_command(line, 511, NULL, &cmd),
	    SYNTAX_ERR_LINE_TOO_LONG);
	/* the verb is known even then, for the 500 reply */
	ck_assert(syntax_verb_is(&cmd.verb, "NOOP"));
	/* an extension may raise the limit (e.g. SIZE, RFC 1870 3) */
	memcpy(rep(line, 'x', 998), "NOOP ", 5);
	ck_assert_int_eq(syntax_parse_command(line, 998, &big, &cmd), SYNTAX_OK);
	memcpy(rep(line, 'x', 999), "NOOP ", 5);
	ck_assert_int_eq(syntax_parse_command(line, 999, &big, &cmd),
	    SYNTAX_ERR_LINE_TOO_LONG);
}
END_TEST

/* ---- address literals (4.1.3) ----------------------------------------- */

struct lit_row {
	const char *s;
	enum syntax_error want;
	enum syntax_host_kind kind;
};

#define LIT_BAD(s) { s, SYNTAX_ERR_ADDRESS_LITERAL, SYNTAX_HOST_NONE }
#define LIT_V4(s) { s, SYNTAX_OK, SYNTAX_HOST_IPV4 }
#define LIT_V6(s) { s, SYNTAX_OK, SYNTAX_HOST_IPV6 }
#define LIT_GEN(s) { s, SYNTAX_OK, SYNTAX_HOST_GENERAL }

static const struct lit_row lit_rows[] = {
	LIT_V4("[192.0.2.1]"),
	LIT_V4("[0.0.0.0]"),
	LIT_V4("[255.255.255.255]"),
	LIT_V4("[010.001.1.1]"),
	LIT_BAD("[256.0.0.1]"),
	LIT_BAD("[192.0.2.300]"),
	LIT_BAD("[192.0.2]"),
	LIT_BAD("[192.0.2.1.5]"),
	LIT_BAD("[192.0.2.1234]"),
	LIT_BAD("[192..2.1]"),
	LIT_BAD("[192.0.2.1.]"),
	LIT_BAD("[ 192.0.2.1]"),
	LIT_BAD("[example.org]"),
	LIT_BAD("[]"),
	LIT_BAD("["),
	LIT_BAD(""),
	LIT_BAD("192.0.2.1"),
	LIT_BAD("[192.0.2.1"),
	LIT_BAD("[#123]"),

	/* IPv6-full */
	LIT_V6("[IPv6:2001:db8:0:0:0:0:0:1]"),
	LIT_V6("[IPv6:2001:0DB8:0000:0000:0000:0000:0000:0001]"),
	LIT_V6("[ipv6:2001:db8:0:0:0:0:0:1]"),
	/* IPv6-comp */
	LIT_V6("[IPv6:2001:db8::1]"),
	LIT_V6("[IPv6:::]"),
	LIT_V6("[IPv6:::1]"),
	LIT_V6("[IPv6:fe80::]"),
	LIT_V6("[IPv6:1:2:3:4:5:6::]"),
	LIT_V6("[IPv6:::1:2:3:4:5:6]"),
	LIT_V6("[IPv6:1:2:3::4:5:6]"),
	/* IPv6v4-full */
	LIT_V6("[IPv6:0:0:0:0:ffff:0:192.0.2.1]"),
	/* IPv6v4-comp */
	LIT_V6("[IPv6:::ffff:192.0.2.1]"),
	LIT_V6("[IPv6:::192.0.2.1]"),
	LIT_V6("[IPv6:1:2::3:4:192.0.2.1]"),
	LIT_V6("[IPv6:1:2:3:4::192.0.2.1]"),

	LIT_BAD("[IPv6:1:2:3:4:5:6:7:8:9]"),	/* too many groups */
	LIT_BAD("[IPv6:1:2:3:4:5:6:7]"),	/* too few, no "::" */
	LIT_BAD("[IPv6:1::2::3]"),		/* two "::" */
	LIT_BAD("[IPv6:12345::1]"),		/* a group of 5 hex digits */
	LIT_BAD("[IPv6:2001:db8::g]"),		/* not hex */
	LIT_BAD("[IPv6:::ffff:192.0.2.256]"),	/* IPv4 part out of range */
	LIT_BAD("[IPv6:::ffff:192.0.2]"),	/* IPv4 part too short */
	LIT_BAD("[IPv6:1:2:3:4:5:6:7::]"),	/* "::" must stand for 2 groups */
	LIT_BAD("[IPv6:::1:2:3:4:5:6:7]"),
	LIT_BAD("[IPv6:1:2:3:4:5::192.0.2.1]"),	/* 5 groups with "::" and v4 */
	LIT_BAD("[IPv6:1:2:3:4:5:192.0.2.1]"),	/* 5 groups and v4, no "::" */
	LIT_BAD("[IPv6:1:2:3:4:5:6:7:192.0.2.1]"),
	LIT_BAD("[IPv6:192.0.2.1::1]"),		/* IPv4 part not last */
	LIT_BAD("[IPv6:1:2:3:4:5:6:7:8:]"),	/* trailing colon */
	LIT_BAD("[IPv6::1:2:3:4:5:6:7]"),	/* leading single colon */
	LIT_BAD("[IPv6::::1]"),			/* three colons */
	LIT_BAD("[IPv6:]"),
	LIT_BAD("[IPv6:1::2:]"),
	LIT_BAD("[2001:db8::1]"),		/* the "IPv6:" tag is missing */
	LIT_BAD("[::1]"),

	/* General-address-literal = Standardized-tag ":" 1*dcontent */
	LIT_GEN("[x-tag:content]"),
	LIT_GEN("[X400:c=US;a=xyz]"),
	LIT_BAD("[tag:]"),
	LIT_BAD("[tag-:content]"),
	LIT_BAD("[:content]"),
	LIT_BAD("[ta_g:content]"),
	LIT_BAD("[tag:a b]"),
	LIT_BAD("[tag:a[b]"),
	LIT_BAD("[tag:a\\b]"),
};

START_TEST(literal_rows)
{
	const struct lit_row *r = &lit_rows[_i];
	enum syntax_host_kind kind = SYNTAX_HOST_LAST;
	enum syntax_error e = syntax_parse_address_literal(r->s, strlen(r->s),
	    &kind);

	ck_assert_msg(e == r->want, "\"%s\": got %d, want %d", r->s, e,
	    r->want);
	ck_assert_msg(kind == r->kind, "\"%s\": kind %d, want %d", r->s, kind,
	    r->kind);
}
END_TEST

START_TEST(literal_kind_may_be_null)
{
	ck_assert_int_eq(syntax_parse_address_literal("[192.0.2.1]", 11, NULL),
	    SYNTAX_OK);
}
END_TEST

/* 4.5.3.1.2: "a domain name or number" is at most 255 octets */
START_TEST(literal_limit)
{
	char lit[300];
	enum syntax_host_kind kind;

	memcpy(rep(lit, 'a', 255), "[x:", 3);
	lit[254] = ']';
	ck_assert_int_eq(syntax_parse_address_literal(lit, 255, &kind),
	    SYNTAX_OK);
	ck_assert_int_eq(kind, SYNTAX_HOST_GENERAL);
	memcpy(rep(lit, 'a', 256), "[x:", 3);
	lit[255] = ']';
	ck_assert_int_eq(syntax_parse_address_literal(lit, 256, &kind),
	    SYNTAX_ERR_DOMAIN_TOO_LONG);
}
END_TEST

/* ---- domains (4.1.2) ---------------------------------------------- */

static const struct {
	const char *s;
	enum syntax_error want;
} domain_rows[] = {
	{ "example.org", SYNTAX_OK },
	{ "EXAMPLE.ORG", SYNTAX_OK },
	{ "a", SYNTAX_OK },
	{ "a-b--c.d1", SYNTAX_OK },
	{ "1.2.3.4", SYNTAX_OK },
	{ "xn--bcher-kva.example", SYNTAX_OK },
	{ "", SYNTAX_ERR_DOMAIN },
	{ ".", SYNTAX_ERR_DOMAIN },
	{ "example.org.", SYNTAX_ERR_DOMAIN },
	{ ".example.org", SYNTAX_ERR_DOMAIN },
	{ "example..org", SYNTAX_ERR_DOMAIN },
	{ "-example.org", SYNTAX_ERR_DOMAIN },
	{ "example-.org", SYNTAX_ERR_DOMAIN },
	{ "example.-org", SYNTAX_ERR_DOMAIN },
	{ "exa_mple.org", SYNTAX_ERR_DOMAIN },
	{ "exa mple.org", SYNTAX_ERR_DOMAIN },
	{ "[192.0.2.1]", SYNTAX_ERR_DOMAIN },
	{ "b" U_UML "cher.example", SYNTAX_ERR_NON_ASCII },
};

START_TEST(domain_rows_test)
{
	const char *s = domain_rows[_i].s;
	enum syntax_error e = syntax_parse_domain(s, strlen(s));

	ck_assert_msg(e == domain_rows[_i].want, "\"%s\": got %d, want %d", s,
	    e, domain_rows[_i].want);
}
END_TEST

/* ---- ESMTP parameters ------------------------------------------------ */

START_TEST(params_split)
{
	const char *l = "MAIL FROM:<a@example.org> SIZE=1000  body=8BITMIME SMTPUTF8";
	struct syntax_cmd cmd;
	const struct syntax_param *p;

	ck_assert_int_eq(parse_flags(l, strlen(l), STRICT, &cmd), SYNTAX_OK);
	ck_assert_uint_eq(cmd.nparams, 3);
	p = syntax_param_find(&cmd, "size");
	ck_assert_ptr_nonnull(p);
	span_is(&p->keyword, "SIZE", l);
	span_is(&p->value, "1000", l);
	p = syntax_param_find(&cmd, "BODY");
	ck_assert_ptr_nonnull(p);
	span_is(&p->keyword, "body", l);
	span_is(&p->value, "8BITMIME", l);
	p = syntax_param_find(&cmd, "SMTPUTF8");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->value.p);
	ck_assert_uint_eq(p->value.len, 0);
	ck_assert_ptr_null(syntax_param_find(&cmd, "RET"));
	ck_assert_ptr_null(syntax_param_find(&cmd, "SIZ"));
	ck_assert_ptr_null(syntax_param_find(&cmd, "SIZE="));
}
END_TEST

/* params - "MAIL FROM:<a@example.org>" and n parameters P0 ... */
static enum syntax_error n_params(int n, const char *extra)
{
	char line[512];
	struct syntax_cmd cmd;
	int i;

	strcpy(line, "MAIL FROM:<a@example.org>");
	for (i = 0; i < n; i++) {
		size_t len = strlen(line);

		line[len] = ' ';
		line[len + 1] = 'P';
		line[len + 2] = (char)('A' + i);
		line[len + 3] = 0;
	}
	strcat(line, extra);
	return syntax_parse_command(line, strlen(line), NULL, &cmd);
}

START_TEST(params_limit)
{
	ck_assert_int_eq(n_params(SYNTAX_PARAMS_MAX, ""), SYNTAX_OK);
	ck_assert_int_eq(n_params(SYNTAX_PARAMS_MAX + 1, ""),
	    SYNTAX_ERR_TOO_MANY_PARAMS);
	/* a repeated keyword is a duplicate even past the limit */
	ck_assert_int_eq(n_params(SYNTAX_PARAMS_MAX, " pa=1"),
	    SYNTAX_ERR_DUPLICATE_PARAM);
}
END_TEST

/* ---- messages ---------------------------------------------------- */

START_TEST(every_error_explained)
{
	int e;

	for (e = 0; e < SYNTAX_ERR_LAST; e++) {
		const char *s = syntax_error_str((enum syntax_error)e);
		const char *sec = syntax_error_section((enum syntax_error)e);

		ck_assert_ptr_nonnull(s);
		ck_assert_uint_gt(strlen(s), 5);
		ck_assert_ptr_nonnull(sec);
		ck_assert_msg(!strncmp(sec, "RFC ", 4), "%d: %s", e, sec);
	}
	ck_assert_ptr_nonnull(syntax_error_str(SYNTAX_ERR_LAST));
	ck_assert_ptr_nonnull(syntax_error_section((enum syntax_error)99));
	ck_assert_str_eq(syntax_error_section(SYNTAX_ERR_LINE_TOO_LONG),
	    "RFC 5321 4.5.3.1.4");
	ck_assert_str_eq(syntax_error_section(SYNTAX_ERR_SPACE_AFTER_COLON),
	    "RFC 5321 3.3");
	ck_assert_str_eq(syntax_error_section(SYNTAX_ERR_ADDRESS_LITERAL),
	    "RFC 5321 4.1.3");
}
END_TEST

/* ---- xtext (RFC 3461 4) -------------------------------------------- */

static const struct {
	const char *in;
	long want;
	const char *out;
} xtext_rows[] = {
	{ "e+3Dmc2@example.com", 17, "e=mc2@example.com" },
	{ "+2B", 1, "+" },
	{ "a+2Bb+3Dc", 5, "a+b=c" },
	{ "+7E+21", 2, "~!" },
	{ "", 0, "" },
	{ "rfc822;bob@example.org", 22, "rfc822;bob@example.org" },
	{ "+2b", -1, NULL },	/* the hex digits are upper-case */
	{ "+2", -1, NULL },
	{ "+", -1, NULL },
	{ "+GG", -1, NULL },
	{ "a=b", -1, NULL },
	{ "a b", -1, NULL },
	{ "a+b", -1, NULL },
	{ "\x7F", -1, NULL },
	{ U_UML, -1, NULL },
};

START_TEST(xtext_rows_test)
{
	char out[64];
	long n = syntax_xtext_decode(xtext_rows[_i].in,
	    strlen(xtext_rows[_i].in), out, sizeof out);

	ck_assert_msg(n == xtext_rows[_i].want, "\"%s\": got %ld",
	    xtext_rows[_i].in, n);
	if (n >= 0)
		ck_assert_str_eq(out, xtext_rows[_i].out);
}
END_TEST

START_TEST(xtext_fits_or_fails)
{
	char out[4];

	ck_assert_int_eq(syntax_xtext_decode("abc", 3, out, 4), 3);
	ck_assert_str_eq(out, "abc");
	ck_assert_int_eq(syntax_xtext_decode("abcd", 4, out, 4), -1);
	ck_assert_int_eq(syntax_xtext_decode("a", 1, out, 0), -1);
	/* an encoded NUL decodes, and the length tells it apart */
	ck_assert_int_eq(syntax_xtext_decode("a+00b", 5, out, 4), 3);
	ck_assert_int_eq(out[1], 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("syntax");
	TCase *c = tcase_create("commands");
	TCase *p = tcase_create("paths");
	TCase *l = tcase_create("limits");
	TCase *x = tcase_create("pieces");

	tcase_add_loop_test(c, command_rows, 0, N_ROWS(cmd_rows));
	tcase_add_test(c, nul_octet);
	tcase_add_test(c, verb_and_arg_filled);
	tcase_add_test(c, lenient_space_is_reported);
	tcase_add_test(c, params_split);
	tcase_add_test(c, params_limit);
	tcase_add_test(c, every_error_explained);
	suite_add_tcase(s, c);

	tcase_add_loop_test(p, path_pieces, 0, N_ROWS(path_rows));
	tcase_add_test(p, ehlo_host_pieces);
	tcase_add_test(p, helo_literal_classified);
	tcase_add_test(p, path_alone);
	suite_add_tcase(s, p);

	tcase_add_test(l, local_part_limit);
	tcase_add_test(l, domain_limit);
	tcase_add_test(l, path_limit);
	tcase_add_test(l, path_limit_counts_route);
	tcase_add_test(l, line_limit);
	suite_add_tcase(s, l);

	tcase_add_loop_test(x, literal_rows, 0, N_ROWS(lit_rows));
	tcase_add_test(x, literal_kind_may_be_null);
	tcase_add_test(l, literal_limit);
	tcase_add_loop_test(x, domain_rows_test, 0, N_ROWS(domain_rows));
	tcase_add_loop_test(x, xtext_rows_test, 0, N_ROWS(xtext_rows));
	tcase_add_test(x, xtext_fits_or_fails);
	suite_add_tcase(s, x);
	return check_run(s);
}
