/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_listen.c - what smtpref listen builds on: the verdict on a client
 * (grade.c) fed by the simulated server as listen feeds it, the Maildir
 * (maildir.c), what a session shows of a real client's lines, the
 * loopback test of --listen, and the memory a session holds */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check-run.h"
#include "core/ref.h"
#include "core/server.h"
#include "core/session.h"
#include "net/grade.h"
#include "net/listener.h"
#include "net/maildir.h"

/* ---- the verdict: a server fed as listen feeds it ------------------------ */

struct graded {
	struct server *srv;
	struct grade g;
};

static void g_reply(void *ctx, const struct server_reply *r)
{
	grade_reply(&((struct graded *)ctx)->g, r);
}

static void g_event(void *ctx, const struct server_event *e)
{
	grade_event(&((struct graded *)ctx)->g, e);
}

static void g_line(void *ctx, const char *line, size_t len, size_t total,
    int crlf)
{
	struct graded *gr = ctx;

	(void)total;
	(void)crlf;
	grade_line(&gr->g, server_phase(gr->srv), server_tls_active(gr->srv),
	    line, len);
}

/* session - a client's reads (separated by '|') through persona, then
 * the end of the connection when eof; the findings in gr */
static void session(struct graded *gr, const char *persona, const char *reads,
    int eof)
{
	struct server_sink sink = { gr, g_reply, g_event, NULL };
	struct server_reader rd = { gr, g_line, NULL };
	const char *p = reads;

	grade_init(&gr->g);
	gr->srv = server_new(ref_persona_find(persona, strlen(persona)), NULL, &sink);
	ck_assert_ptr_nonnull(gr->srv);
	server_watch(gr->srv, &rd);
	server_start(gr->srv);
	while (*p) {
		size_t n = strcspn(p, "|");

		server_feed(gr->srv, p, n);
		p += n + (p[n] == '|');
	}
	if (eof)
		server_eof(gr->srv);
	server_free(gr->srv);
}

START_TEST(grade_clean)
{
	struct graded gr;

	session(&gr, "modern", "EHLO client.example.com\r\n|MAIL FROM:<a@example.com>\r\n|"
	    "RCPT TO:<alice@example.org>\r\n|DATA\r\n|Subject: x\r\n\r\nhello\r\n.\r\n|QUIT\r\n", 0);
	ck_assert_uint_eq(grade_total(&gr.g), 0);
	/* PIPELINING lets MAIL, RCPT and DATA go in one write */
	session(&gr, "modern", "EHLO client.example.com\r\n|MAIL FROM:<a@example.com>\r\n"
	    "RCPT TO:<alice@example.org>\r\nDATA\r\n|Subject: x\r\n\r\nhello\r\n.\r\n|QUIT\r\n", 0);
	ck_assert_uint_eq(grade_total(&gr.g), 0);
}
END_TEST

/* one mistake each: the reads, the persona, the finding expected */
static const struct {
	const char *persona, *reads;
	int eof;
	enum grade_kind kind;
} mistakes[] = {
	{ "modern", "EHLO client.example.com\n|QUIT\r\n", 0, GRADE_BARE_LF },
	{ "strict", "EHLO client.example.com\n|QUIT\r\n", 0, GRADE_BARE_LF },
	{ "modern", "EHLO client.example.com\r\n|MAIL FROM:<a@example.com>\r\n|"
	    "RCPT TO:<alice@example.org>\r\n|DATA\r\n|a\nb\r\n.\r\n|QUIT\r\n", 0, GRADE_BARE_LF },
	{ "modern", "EHLO client.example.com\r\n|MAIL FROM:<a@example.com>\r\n|"
	    "RCPT TO:<alice@example.org>\r\n|DATA\r\n|a\rb\r\n.\r\n|QUIT\r\n", 0, GRADE_BARE_CR },
	{ "modern", "EHLO client.example.com\r\nMAIL FROM:<a@example.com>\r\n|QUIT\r\n", 0, GRADE_PIPELINING },
	{ "minimal", "EHLO client.example.com\r\n|NOOP\r\nNOOP\r\n|QUIT\r\n", 0, GRADE_PIPELINING },
	{ "modern", "EHLO client.example.com\r\n|MAIL FROM:<a@example.com>\r\n|"
	    "RCPT TO:<alice@example.org>\r\n|DATA\r\nSubject: x\r\n\r\nhi\r\n.\r\n|QUIT\r\n", 0, GRADE_NO_354 },
	{ "minimal", "EHLO client.example.com\r\n|MAIL FROM:<a@example.com> SIZE=100\r\n|QUIT\r\n", 0, GRADE_PARAM },
	{ "modern", "HELO client.example.com\r\n|MAIL FROM:<a@example.com> SIZE=100\r\n|QUIT\r\n", 0, GRADE_PARAM },
	{ "modern", "EHLO client.example.com\r\n|MAIL FROM:<a@example.com>\r\n|"
	    "RCPT TO:<alice@example.org>\r\n|DATA\r\n|caf\xc3\xa9\r\n.\r\n|QUIT\r\n", 0, GRADE_8BIT },
	{ "modern", "EHLO client.example.com\r\n|MAIL FROM:<j\xc3\xb6rg@example.com>\r\n|QUIT\r\n", 0, GRADE_UTF8 },
	{ "everything", "EHLO client.example.com\r\n|AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\n|QUIT\r\n", 0, GRADE_AUTH_CLEAR },
	{ "modern", "EHLO client.example.com\r\n", 1, GRADE_NO_QUIT },
	{ "modern", "EHLO localhost\r\n|QUIT\r\n", 0, GRADE_HELO },
};

START_TEST(grade_each_mistake)
{
	struct graded gr;

	session(&gr, mistakes[_i].persona, mistakes[_i].reads, mistakes[_i].eof);
	ck_assert_msg(gr.g.count[mistakes[_i].kind] > 0,
	    "row %d: no %s finding", _i, grade_key(mistakes[_i].kind));
	/* QUIT and the EHLO name were right, except where they are the
	 * mistake */
	if (mistakes[_i].kind != GRADE_NO_QUIT)
		ck_assert_uint_eq(gr.g.count[GRADE_NO_QUIT], 0);
	if (mistakes[_i].kind != GRADE_HELO)
		ck_assert_uint_eq(gr.g.count[GRADE_HELO], 0);
}
END_TEST

START_TEST(grade_long_lines)
{
	struct graded gr;
	char reads[4096];
	int n;

	/* a line of the message over 1000 octets with its CRLF */
	n = snprintf(reads, sizeof reads, "EHLO client.example.com\r\n|MAIL FROM:<a@example.com>\r\n|"
	    "RCPT TO:<alice@example.org>\r\n|DATA\r\n|");
	memset(reads + n, 'x', 999);
	snprintf(reads + n + 999, sizeof reads - (size_t)n - 999, "\r\n.\r\n|QUIT\r\n");
	session(&gr, "modern", reads, 0);
	ck_assert_uint_eq(gr.g.count[GRADE_LONG_LINE], 1);
	/* 998 and CRLF is the most a line may be (RFC 5321 4.5.3.1.6) */
	memset(reads + n, 'x', 998);
	snprintf(reads + n + 998, sizeof reads - (size_t)n - 998, "\r\n.\r\n|QUIT\r\n");
	session(&gr, "modern", reads, 0);
	ck_assert_uint_eq(gr.g.count[GRADE_LONG_LINE], 0);
	/* a command line over 512 octets */
	n = snprintf(reads, sizeof reads, "EHLO client.example.com\r\n|NOOP ");
	memset(reads + n, 'y', 600);
	snprintf(reads + n + 600, sizeof reads - (size_t)n - 600, "\r\n|QUIT\r\n");
	session(&gr, "modern", reads, 0);
	ck_assert_uint_eq(gr.g.count[GRADE_LONG_LINE], 1);
}
END_TEST

START_TEST(grade_tls_auth_is_fine)
{
	struct graded gr;

	/* a simulated STARTTLS turns TLS on: AUTH after it is no finding */
	session(&gr, "everything", "EHLO client.example.com\r\n|STARTTLS\r\n|EHLO client.example.com\r\n|"
	    "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\n|QUIT\r\n", 0);
	ck_assert_uint_eq(gr.g.count[GRADE_AUTH_CLEAR], 0);
	/* CRAM-MD5 sends no password */
	session(&gr, "everything", "EHLO client.example.com\r\n|AUTH CRAM-MD5\r\n|*\r\n|QUIT\r\n", 0);
	ck_assert_uint_eq(gr.g.count[GRADE_AUTH_CLEAR], 0);
}
END_TEST

START_TEST(grade_helo_names)
{
	ck_assert_ptr_null(grade_helo_name("client.example.com", 18));
	ck_assert_ptr_null(grade_helo_name("[127.0.0.1]", 11));
	ck_assert_ptr_null(grade_helo_name("[IPv6:::1]", 10));
	ck_assert_ptr_nonnull(grade_helo_name("localhost", 9));
	ck_assert_ptr_nonnull(grade_helo_name("localhost.localdomain", 21));
	ck_assert_ptr_nonnull(grade_helo_name("myhost", 6));
	ck_assert_ptr_nonnull(grade_helo_name("127.0.0.1", 9));
	ck_assert_ptr_nonnull(grade_helo_name("::1", 3));
	ck_assert_ptr_nonnull(grade_helo_name("", 0));
	ck_assert_ptr_nonnull(grade_helo_name("bad_name!.example", 17));
}
END_TEST

struct found {
	int n;
	char keys[GRADE_LAST][32];
};

static void collect(void *ctx, const struct grade_finding *f)
{
	struct found *fd = ctx;

	ck_assert_ptr_nonnull(f->section);
	ck_assert(strncmp(f->section, "RFC ", 4) == 0);
	snprintf(fd->keys[fd->n++], sizeof fd->keys[0], "%s", f->key);
}

START_TEST(grade_verdict_lists_each_kind_once)
{
	struct graded gr;
	struct found fd;

	memset(&fd, 0, sizeof fd);
	session(&gr, "modern", "EHLO me\n|NOOP\n|", 1);
	grade_each(&gr.g, collect, &fd);
	ck_assert_int_eq(fd.n, 3);
	ck_assert_uint_eq(grade_total(&gr.g), 3);
	ck_assert_str_eq(fd.keys[0], "bare-lf");
	ck_assert_str_eq(fd.keys[1], "no-quit");
	ck_assert_str_eq(fd.keys[2], "helo-name");
	ck_assert_uint_eq(gr.g.count[GRADE_BARE_LF], 2);
}
END_TEST

/* ---- the Maildir ------------------------------------------------------------ */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[8192];
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* only - the one file in dir (its path into out), or 0 files */
static int only(const char *dir, char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		snprintf(out, size, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	return n;
}

START_TEST(maildir_keeps_a_message)
{
	char dir[] = "/tmp/smtpref-maildir-XXXXXX", sub[256], path[512], name[600];
	char err[256];
	struct maildir_msg *m;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/box", dir);
	ck_assert_int_eq(maildir_prepare(sub, err, sizeof err), 0);
	m = maildir_begin(sub, "Return-Path: <a@example.com>\n", err, sizeof err);
	ck_assert_ptr_nonnull(m);
	maildir_line(m, "Subject: hi", 11);
	maildir_line(m, "", 0);
	maildir_line(m, "..dotted", 8);	/* as sent: dot-stuffed */
	maildir_line(m, "end", 3);
	snprintf(path, sizeof path, "%s/tmp", sub);
	ck_assert_int_eq(only(path, name, sizeof name), 1);	/* tmp/ first */
	ck_assert_int_eq(maildir_commit(m, name, sizeof name, err, sizeof err), 0);
	ck_assert_int_eq(only(path, name, sizeof name), 0);
	snprintf(path, sizeof path, "%s/new", sub);
	ck_assert_int_eq(only(path, name, sizeof name), 1);
	ck_assert_str_eq(slurp(name),
	    "Return-Path: <a@example.com>\nSubject: hi\n\n.dotted\nend\n");
	unlink(name);
	/* a refused message leaves nothing */
	m = maildir_begin(sub, "X: y\n", err, sizeof err);
	ck_assert_ptr_nonnull(m);
	maildir_line(m, "body", 4);
	maildir_abort(m);
	snprintf(path, sizeof path, "%s/tmp", sub);
	ck_assert_int_eq(only(path, name, sizeof name), 0);
	snprintf(path, sizeof path, "%s/new", sub);
	ck_assert_int_eq(only(path, name, sizeof name), 0);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

START_TEST(maildir_chunks_crlf_across_boundaries)
{
	char dir[] = "/tmp/smtpref-maildir-XXXXXX", path[512], name[600], err[256];
	struct maildir_msg *m;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(maildir_prepare(dir, err, sizeof err), 0);
	m = maildir_begin(dir, "", err, sizeof err);
	ck_assert_ptr_nonnull(m);
	maildir_chunk(m, "a\r", 2);
	maildir_chunk(m, "\nb\rc\r\n", 6);
	maildir_chunk(m, ".d\r", 3);	/* BDAT: no dot-stuffing; a CR last */
	ck_assert_int_eq(maildir_commit(m, NULL, 0, err, sizeof err), 0);
	snprintf(path, sizeof path, "%s/new", dir);
	ck_assert_int_eq(only(path, name, sizeof name), 1);
	ck_assert_str_eq(slurp(name), "a\nb\rc\n.d\r");
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

START_TEST(maildir_refuses_a_file_in_the_way)
{
	char dir[] = "/tmp/smtpref-maildir-XXXXXX", path[512], err[256];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/new", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(maildir_prepare(dir, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "in the way"));
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

/* ---- what a session shows of a real client ---------------------------------- */

/* FEED - one read of a string literal */
#define FEED(s, lit) session_feed((s), (lit), sizeof (lit) - 1)

struct shown {
	char lines[64][256];
	int secret[64];
	int n, notes;
};

static void keep(void *ctx, const struct tx_item *it)
{
	struct shown *sh = ctx;

	if (it->kind == TX_NOTE)
		sh->notes++;
	if (it->kind != TX_SENT || sh->n == 64)
		return;
	snprintf(sh->lines[sh->n], sizeof sh->lines[0], "%.*s", (int)it->len, it->text);
	sh->secret[sh->n++] = it->secret;
}

static void nowhere(void *ctx, const char *b, size_t n)
{
	(void)ctx;
	(void)b;
	(void)n;
}

START_TEST(session_shows_a_real_client)
{
	struct session_opts o;
	struct tx_sink sink;
	struct shown sh;
	struct session *s;
	char msg[4096];
	size_t n = 0;
	int i;

	memset(&o, 0, sizeof o);
	memset(&sh, 0, sizeof sh);
	o.role = SESSION_CLIENT;
	o.persona = ref_persona_find("everything", 10);
	o.level = EXPLAIN_OFF;
	sink.ctx = &sh;
	sink.item = keep;
	s = session_new(&o, &sink);
	ck_assert_ptr_nonnull(s);
	session_wire(s, nowhere, NULL);
	session_start(s);
	FEED(s, "EHLO a.example.com\r\n");
	FEED(s, "STARTTLS\r\n");	/* simulated: AUTH is allowed */
	FEED(s, "EHLO a.example.com\r\n");
	FEED(s, "AUTH LOGIN\r\n");
	FEED(s, "YWxpY2U=\r\n");	/* an answer to 334 */
	FEED(s, "*\r\n");
	FEED(s, "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\n");
	FEED(s, "NOOP \x1b[2J\r\n");
	ck_assert_str_eq(sh.lines[1], "STARTTLS");
	ck_assert_str_eq(sh.lines[3], "AUTH LOGIN");
	ck_assert(sh.secret[4] && strstr(sh.lines[4], "YWxpY2U") == NULL);
	ck_assert(sh.secret[6] && strstr(sh.lines[6], "AGFsaWNl") == NULL);
	ck_assert_ptr_nonnull(strstr(sh.lines[6], "AUTH PLAIN"));
	ck_assert_ptr_nonnull(strstr(sh.lines[7], "\\x1b"));	/* made printable */
	/* a long message: its first lines only, and a note for the rest */
	FEED(s, "RSET\r\nMAIL FROM:<a@example.com>\r\n");
	FEED(s, "RCPT TO:<alice@example.org>\r\nDATA\r\n");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(msg + n, sizeof msg - n, "line %d\r\n", i);
	n += (size_t)snprintf(msg + n, sizeof msg - n, ".\r\n");
	sh.n = 0;
	sh.notes = 0;
	session_feed(s, msg, n);
	ck_assert_int_eq(sh.n, SESSION_MESSAGE_SHOWN + 1);	/* and the dot */
	ck_assert_str_eq(sh.lines[sh.n - 1], ".");
	ck_assert_int_ge(sh.notes, 1);
	session_free(s);
}
END_TEST

/* ---- a session's memory, and --listen's loopback test ------------------------- */

START_TEST(session_memory_is_bounded)
{
	struct session_opts o;
	struct session *s[100];
	struct server_memory mem;
	struct mallinfo2 before, after;
	size_t per;
	int i;

	memset(&o, 0, sizeof o);
	memset(&mem, 0, sizeof mem);
	o.role = SESSION_CLIENT;
	before = mallinfo2();
	for (i = 0; i < 100; i++) {
		s[i] = session_new(&o, NULL);
		ck_assert_ptr_nonnull(s[i]);
		ck_assert_int_eq(session_serve(s[i], &mem, 0), 0);
		session_wire(s[i], nowhere, NULL);
		session_start(s[i]);
	}
	after = mallinfo2();
	per = (after.uordblks - before.uordblks) / 100;
	/* the bound doc/DESIGN.md and smtpref(1) state: about 35 KiB */
	ck_assert_msg(per < 36 * 1024, "a session holds %zu octets", per);
	for (i = 0; i < 100; i++)
		session_free(s[i]);
}
END_TEST

START_TEST(loopback_addresses)
{
	ck_assert(listener_is_loopback("127.0.0.1"));
	ck_assert(listener_is_loopback("127.4.5.6"));
	ck_assert(listener_is_loopback("::1"));
	ck_assert(listener_is_loopback("[::1]"));
	ck_assert(listener_is_loopback("::ffff:127.0.0.1"));
	ck_assert(!listener_is_loopback("0.0.0.0"));
	ck_assert(!listener_is_loopback("::"));
	ck_assert(!listener_is_loopback("192.0.2.1"));
	ck_assert(!listener_is_loopback("2001:db8::1"));
	ck_assert(!listener_is_loopback("localhost"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("listen");
	TCase *t = tcase_create("grade");

	tcase_add_test(t, grade_clean);
	tcase_add_loop_test(t, grade_each_mistake, 0,
	    (int)(sizeof mistakes / sizeof mistakes[0]));
	tcase_add_test(t, grade_long_lines);
	tcase_add_test(t, grade_tls_auth_is_fine);
	tcase_add_test(t, grade_helo_names);
	tcase_add_test(t, grade_verdict_lists_each_kind_once);
	suite_add_tcase(s, t);
	t = tcase_create("maildir");
	tcase_add_test(t, maildir_keeps_a_message);
	tcase_add_test(t, maildir_chunks_crlf_across_boundaries);
	tcase_add_test(t, maildir_refuses_a_file_in_the_way);
	suite_add_tcase(s, t);
	t = tcase_create("session");
	tcase_add_test(t, session_shows_a_real_client);
	tcase_add_test(t, session_memory_is_bounded);
	tcase_add_test(t, loopback_addresses);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
