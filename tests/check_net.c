/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_net.c - the network side of smtpref connect: the bounded reply
 * reader fed chunked and hostile input, MX parsing, ordering and the
 * implicit MX, literals, the swaks-style saved lines, and conn.c against
 * a scripted server on 127.0.0.1 (redaction, escaping, the event API) */
#include <config.h>

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check-run.h"
#include "core/codec.h"
#include "net/conn.h"
#include "net/realpeer.h"
#include "console/console.h"
#include "core/server.h"
#include "console/record.h"
#include "net/net.h"

/* ---- the reader ---------------------------------------------------------- */

/* feed - push s in chunks of step octets; count each result in got[] */
static void feed(struct net_reader *r, const char *s, size_t len, size_t step,
    int got[NET_RD_LAST], enum net_rd *last)
{
	size_t off = 0;

	while (off < len) {
		size_t k = len - off < step ? len - off : step;
		enum net_rd e;

		ck_assert_int_eq(net_reader_push(r, s + off, k), 0);
		off += k;
		while ((e = net_reader_next(r)) != NET_RD_MORE) {
			got[e]++;
			*last = e;
			if (e != NET_RD_REPLY)
				return;
			net_reader_consume(r);
		}
	}
}

START_TEST(reader_any_chunking)
{
	static const char wire[] =
	    "250-mx.example.org\r\n250-PIPELINING\r\n250 SIZE 100\r\n"
	    "250 2.1.0 ok\r\n354 go\r\n";
	size_t step;

	/* every chunk size gives the same three replies */
	for (step = 1; step <= sizeof wire; step++) {
		struct net_reader r;
		int got[NET_RD_LAST] = { 0 };
		enum net_rd last = NET_RD_MORE;

		net_reader_init(&r);
		feed(&r, wire, sizeof wire - 1, step, got, &last);
		ck_assert_int_eq(got[NET_RD_REPLY], 3);
		ck_assert_int_eq(net_reader_partial(&r), 0);
		net_reader_free(&r);
	}
}
END_TEST

START_TEST(reader_reply_bytes_and_code)
{
	struct net_reader r;
	const char *p;
	size_t len;

	net_reader_init(&r);
	net_reader_push(&r, "250-a\r\n250 b\n220 next", 21);
	ck_assert_int_eq(net_reader_next(&r), NET_RD_REPLY);
	p = net_reader_reply(&r, &len);
	ck_assert_uint_eq(len, 13);
	ck_assert(memcmp(p, "250-a\r\n250 b\n", 13) == 0);
	ck_assert_int_eq(r.code, 250);
	ck_assert(r.flags & NET_RDF_BARE_LF);
	net_reader_consume(&r);
	ck_assert_int_eq(net_reader_next(&r), NET_RD_MORE);
	ck_assert_uint_eq(net_reader_partial(&r), 8);	/* "220 next" waits */
	ck_assert_uint_eq(net_reader_discard(&r), 8);
	ck_assert_uint_eq(net_reader_partial(&r), 0);
	net_reader_free(&r);
}
END_TEST

START_TEST(reader_line_too_long)
{
	struct net_reader r;
	char chunk[NET_CHUNK];
	int i, got[NET_RD_LAST] = { 0 };
	enum net_rd last = NET_RD_MORE;

	/* 1 MiB without a line end stops after NET_LINE_MAX, with little held */
	memset(chunk, 'A', sizeof chunk);
	memcpy(chunk, "220 ", 4);
	net_reader_init(&r);
	for (i = 0; i < 256 && last == NET_RD_MORE; i++)
		feed(&r, chunk, sizeof chunk, sizeof chunk, got, &last);
	ck_assert_int_eq(last, NET_RD_TOO_LONG);
	ck_assert_int_le(i, 2);
	ck_assert_uint_le(r.cap, 4 * NET_CHUNK);
	net_reader_free(&r);

	/* a line of NET_LINE_MAX octets is fine, one more is not */
	net_reader_init(&r);
	memset(chunk, 'x', sizeof chunk);
	memcpy(chunk, "250 ", 4);
	memcpy(chunk + NET_LINE_MAX, "\r\n", 2);
	net_reader_push(&r, chunk, NET_LINE_MAX + 2);
	ck_assert_int_eq(net_reader_next(&r), NET_RD_REPLY);
	net_reader_consume(&r);
	memcpy(chunk + NET_LINE_MAX, "x\r\n", 3);
	net_reader_push(&r, chunk, NET_LINE_MAX + 3);
	ck_assert_int_eq(net_reader_next(&r), NET_RD_TOO_LONG);
	net_reader_free(&r);
}
END_TEST

START_TEST(reader_too_many_lines)
{
	struct net_reader r;
	int i, got[NET_RD_LAST] = { 0 };
	enum net_rd last = NET_RD_MORE;
	char line[] = "250-x\r\n";

	net_reader_init(&r);
	for (i = 0; i < 100000 && last == NET_RD_MORE; i++)
		feed(&r, line, sizeof line - 1, 7, got, &last);
	ck_assert_int_eq(last, NET_RD_TOO_MANY);
	ck_assert_int_eq(i, REPLY_LINES_MAX + 1);
	ck_assert_uint_le(r.cap, NET_REPLY_MAX + 2 * NET_CHUNK);
	net_reader_free(&r);
}
END_TEST

START_TEST(reader_hostile_lines)
{
	static const struct {
		const char *wire;
		enum net_rd want;
	} cases[] = {
		{ "2a0 hello\r\n", NET_RD_BAD_LINE },
		{ "abc\r\n", NET_RD_BAD_LINE },
		{ "250OK\r\n", NET_RD_BAD_LINE },
		{ "650 x\r\n", NET_RD_BAD_LINE },
		{ "25 OK\r\n", NET_RD_BAD_LINE },
		{ "250-first\r\n550 last\r\n", NET_RD_MIXED },
		{ "250\r\n", NET_RD_REPLY },	/* RFC 5321 4.2: text is optional */
		{ "250-a\n250 b\n", NET_RD_REPLY },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct net_reader r;
		int got[NET_RD_LAST] = { 0 };
		enum net_rd last = NET_RD_MORE;

		net_reader_init(&r);
		feed(&r, cases[i].wire, strlen(cases[i].wire), 3, got, &last);
		ck_assert_msg(last == cases[i].want, "%s: %s, want %s",
		    cases[i].wire, net_rd_str(last), net_rd_str(cases[i].want));
		net_reader_free(&r);
	}
}
END_TEST

START_TEST(reader_bad_line_is_printable)
{
	struct net_reader r;

	net_reader_init(&r);
	net_reader_push(&r, "\x1b[2J\r\n", 6);
	ck_assert_int_eq(net_reader_next(&r), NET_RD_BAD_LINE);
	ck_assert_str_eq(r.bad, "\\x1b[2J");
	net_reader_free(&r);
}
END_TEST

/* ---- MX ------------------------------------------------------------------ */

/* A DNS answer for "ex.test" MX: 20 b.ex.test, 10 a.ex.test, 10 c.ex.test
 * (names compressed against the question), plus an A record to skip. */
static const unsigned char mx_answer[] = {
	0x12, 0x34, 0x81, 0x80, 0, 1, 0, 4, 0, 0, 0, 0,
	2, 'e', 'x', 4, 't', 'e', 's', 't', 0, 0, 15, 0, 1,
	/* MX 20 b.ex.test */
	0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60, 0, 6, 0, 20, 1, 'b', 0xc0, 12,
	/* A 127.0.0.1: not an MX, skipped */
	0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1,
	/* MX 10 a.ex.test */
	0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60, 0, 6, 0, 10, 1, 'a', 0xc0, 12,
	/* MX 10 c.ex.test */
	0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60, 0, 6, 0, 10, 1, 'c', 0xc0, 12,
};

START_TEST(mx_parse_and_order)
{
	struct net_mx mx[8];
	int n = net_mx_parse(mx_answer, sizeof mx_answer, mx, 8);

	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(mx[0].host, "b.ex.test");
	net_mx_sort(mx, (size_t)n);
	/* by preference; equal preferences keep the order received */
	ck_assert_uint_eq(mx[0].pref, 10);
	ck_assert_str_eq(mx[0].host, "a.ex.test");
	ck_assert_str_eq(mx[1].host, "c.ex.test");
	ck_assert_uint_eq(mx[2].pref, 20);
	ck_assert_str_eq(mx[2].host, "b.ex.test");
	/* no more than asked for */
	ck_assert_int_eq(net_mx_parse(mx_answer, sizeof mx_answer, mx, 1), 1);
}
END_TEST

START_TEST(mx_parse_malformed)
{
	struct net_mx mx[8];
	unsigned char bad[sizeof mx_answer];
	size_t cut;

	/* every truncation is refused or yields only whole records */
	for (cut = 0; cut < sizeof mx_answer; cut++) {
		int n = net_mx_parse(mx_answer, cut, mx, 8);

		ck_assert_int_le(n, 3);
		if (cut < 12 + 13)
			ck_assert_int_eq(n, -1);
	}
	/* a compression pointer to itself */
	memcpy(bad, mx_answer, sizeof bad);
	bad[12 + 13 + 16] = 0xc0;
	bad[12 + 13 + 17] = (unsigned char)(12 + 13 + 16);
	ck_assert_int_eq(net_mx_parse(bad, sizeof bad, mx, 8), -1);
	/* a record longer than the message */
	memcpy(bad, mx_answer, sizeof bad);
	bad[12 + 13 + 11] = 200;
	ck_assert_int_eq(net_mx_parse(bad, sizeof bad, mx, 8), -1);
}
END_TEST

START_TEST(mx_null_and_empty)
{
	/* RFC 7505: MX 0 "." parses as an empty host */
	static const unsigned char null_mx[] = {
		0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		1, 'n', 0, 0, 15, 0, 1,
		0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60, 0, 3, 0, 0, 0,
	};
	/* NOERROR, no answer: the implicit MX is the caller's (NODATA) */
	static const unsigned char empty[] = {
		0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
		1, 'n', 0, 0, 15, 0, 1,
	};
	struct net_mx mx[2];

	ck_assert_int_eq(net_mx_parse(null_mx, sizeof null_mx, mx, 2), 1);
	ck_assert_str_eq(mx[0].host, "");
	ck_assert_uint_eq(mx[0].pref, 0);
	ck_assert_int_eq(net_mx_parse(empty, sizeof empty, mx, 2), 0);
}
END_TEST

START_TEST(mx_lookup_no_answer)
{
	/* a nameserver on loopback that answers nothing: the lookup fails
	 * within its timeout instead of hanging */
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	char env[64], err[256];
	struct net_mx mx[4];
	size_t n = 9;
	long long t0;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	snprintf(env, sizeof env, "127.0.0.1:%u", ntohs(sa.sin_port));
	setenv("SMTPREF_NAMESERVER", env, 1);
	t0 = net_now_ms();
	ck_assert_int_eq(net_mx_lookup("quiet.test", 1000, mx, 4, &n, err,
	    sizeof err), NET_MX_FAILED);
	/* one try of a second: a timeout under 2 s is not doubled */
	ck_assert_int_lt(net_now_ms() - t0, 1900);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(strstr(err, "quiet.test"));
	setenv("SMTPREF_NAMESERVER", "not an address", 1);
	ck_assert_int_eq(net_mx_lookup("x.test", 2000, mx, 4, &n, err,
	    sizeof err), NET_MX_FAILED);
	ck_assert_ptr_nonnull(strstr(err, "SMTPREF_NAMESERVER"));
	unsetenv("SMTPREF_NAMESERVER");
	close(fd);
}
END_TEST

/* ---- addresses ------------------------------------------------------------ */

START_TEST(resolve_literals)
{
	struct net_addr a[4];
	char err[256];

	ck_assert_int_eq(net_resolve("127.0.0.1", 25, AF_UNSPEC, a, 4, err, sizeof err), 1);
	ck_assert_str_eq(a[0].text, "127.0.0.1");
	ck_assert_int_eq(net_resolve("[::1]", 587, AF_UNSPEC, a, 4, err, sizeof err), 1);
	ck_assert_str_eq(a[0].text, "::1");
	ck_assert_int_eq(ntohs(((struct sockaddr_in6 *)&a[0].ss)->sin6_port), 587);
	ck_assert_int_eq(net_resolve("::1", 25, AF_INET, a, 4, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "IPv6"));
	ck_assert_int_eq(net_resolve("", 25, AF_UNSPEC, a, 4, err, sizeof err), -1);
	ck_assert(net_is_literal("[::1]"));
	ck_assert(net_is_literal("192.0.2.1"));
	ck_assert(!net_is_literal("mx.example.org"));
	ck_assert(!net_is_literal("192.0.2.300"));
}
END_TEST

/* ---- saved transcripts ----------------------------------------------------- */

START_TEST(saved_lines_swaks_style)
{
	static const struct {
		enum tx_kind kind;
		int tls;
		const char *want;
	} cases[] = {
		{ TX_SENT, 0, " -> EHLO x" },
		{ TX_RECEIVED, 0, "<-  EHLO x" },
		{ TX_SENT, 1, " ~> EHLO x" },
		{ TX_RECEIVED, 1, "<~  EHLO x" },
		{ TX_NOTE, 0, "=== EHLO x" },
		{ TX_ERROR, 0, "*** EHLO x" },
		{ TX_FINDING, 0, "*** EHLO x" },
		{ TX_EXPLAIN, 0, "" },
		{ TX_HINT, 0, "" },
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tx_item it = { .kind = cases[i].kind,
		    .tls = cases[i].tls, .text = "EHLO x", .len = 6 };
		size_t n = tx_item_line(&it, out, sizeof out);

		ck_assert_uint_eq(n, strlen(cases[i].want));
		if (n)
			ck_assert_str_eq(out, cases[i].want);
	}
	{
		struct tx_item it = { .kind = TX_SENT, .text = "EHLO x", .len = 6 };

		/* cut to the buffer, NUL-terminated */
		ck_assert_uint_eq(tx_item_line(&it, out, 6), 5);
		ck_assert_str_eq(out, " -> E");
	}
}
END_TEST

/* ---- conn.c against a scripted server on loopback ------------------------- */

/* One step of the scripted server: wait for a line starting with expect
 * ("" waits for none), then send reply ("" sends nothing, NULL closes);
 * expect NULL ends the script. */
struct step {
	const char *expect;
	const char *reply;
};

/* serve - a child that listens on 127.0.0.1 and plays steps; the port */
static unsigned serve(const struct step *steps, pid_t *pid)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	int ls = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(ls, 1), 0);
	getsockname(ls, (struct sockaddr *)&sa, &sl);
	*pid = fork();
	ck_assert_int_ge(*pid, 0);
	if (*pid == 0) {
		int fd = accept(ls, NULL, NULL);
		char line[8192];
		size_t i;

		alarm(20);
		for (i = 0; fd >= 0 && steps[i].expect; i++) {
			size_t n = 0;
			char ch;

			if (steps[i].expect[0]) {
				while (n + 1 < sizeof line && read(fd, &ch, 1) == 1 && ch != '\n')
					line[n++] = ch;
				line[n] = 0;
				if (strncmp(line, steps[i].expect, strlen(steps[i].expect)) != 0)
					_exit(3);
			}
			if (steps[i].reply == NULL)
				break;
			if (write(fd, steps[i].reply, strlen(steps[i].reply)) < 0)
				_exit(4);
		}
		_exit(0);
	}
	close(ls);
	return ntohs(sa.sin_port);
}

/* Items the sink got, concatenated: "KIND|secret|text\n" each. */
struct seen {
	char all[65536];
	size_t len;
};

static void collect(void *ctx, const struct tx_item *it)
{
	struct seen *s = ctx;
	int n = snprintf(s->all + s->len, sizeof s->all - s->len, "%d|%d|%.*s\n",
	    (int)it->kind, it->secret, (int)it->len, it->text);

	if (n > 0 && (size_t)n < sizeof s->all - s->len)
		s->len += (size_t)n;
}

static struct peer *open_to(unsigned port, struct seen *s, int no_ehlo)
{
	struct conn_opts o;
	struct tx_sink sink = { s, collect };
	struct peer *p;

	memset(&o, 0, sizeof o);
	o.host = "127.0.0.1";
	o.port = port;
	o.timeout_ms = 3000;
	o.helo = "client.example.org";
	o.no_ehlo = no_ehlo;
	p = realpeer_new(&o, &sink);
	ck_assert_ptr_nonnull(p);
	return p;
}

static int finish_server(pid_t pid)
{
	int st = 0;

	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int waits(const struct peer *p)
{
	char what[64];

	return peer_waiting(p, what, sizeof what) != PEER_WAIT_NONE;
}

START_TEST(realpeer_redacts_credentials)
{
	static const struct step steps[] = {
		{ "", "220 mx.example.org ESMTP\r\n" },
		{ "EHLO ", "250-mx.example.org\r\n250 AUTH PLAIN LOGIN\r\n" },
		{ "AUTH PLAIN ", "235 2.7.0 ok\r\n" },
		{ "AUTH PLAIN ", "503 5.5.1 already\r\n" },
		{ "AUTH LOGIN", "334 VXNlcm5hbWU6\r\n" },
		{ "YWxpY2U=", "535 5.7.8 no\r\n" },
		{ "", NULL },
	};
	struct seen s = { "", 0 };
	pid_t pid;
	unsigned port = serve(steps, &pid);
	struct peer *p = open_to(port, &s, 0);
	char b64[128];
	const char line[] = "AUTH PLAIN AGFsaWNlAHMzY3JldA==";

	p->ops->start(p);
	ck_assert_int_eq(p->ops->input(p), PEER_IN_COMMAND);
	/* without TLS, refused unless insisted on: nothing is sent */
	ck_assert_int_eq(p->ops->login(p, "plain", "alice", "s3cret", 0), -1);
	ck_assert_ptr_null(strstr(s.all, "0|0|AUTH"));
	ck_assert_ptr_nonnull(strstr(s.all, ":auth!"));
	ck_assert_int_eq(p->ops->login(p, "plain", "alice", "s3cret", 1), 0);
	peer_wait(p);
	ck_assert_ptr_nonnull(strstr(s.all, "0|1|AUTH PLAIN ****\n"));
	ck_assert_ptr_nonnull(strstr(s.all, "Logged in"));
	ck_assert_ptr_null(strstr(s.all, "does not list"));	/* PLAIN offered */
	/* typed by hand, an initial response is redacted too */
	ck_assert_int_eq(p->ops->line(p, line, strlen(line)), 1);
	peer_wait(p);
	/* and the answer to a 334 */
	p->ops->line(p, "AUTH LOGIN", 10);
	peer_wait(p);
	ck_assert_int_eq(p->ops->input(p), PEER_IN_AUTH);
	ck_assert_int_eq(p->ops->line(p, "YWxpY2U=", 8), 1);
	ck_assert_ptr_nonnull(strstr(s.all, "decodes to \"Username:\""));
	codec_b64_encode("\0alice\0s3cret", 13, b64, sizeof b64);
	ck_assert_ptr_null(strstr(s.all, b64));
	ck_assert_ptr_null(strstr(s.all, "s3cret"));
	ck_assert_ptr_null(strstr(s.all, "AGFsaWNlAHMzY3JldA"));
	ck_assert_ptr_null(strstr(s.all, "YWxpY2U="));
	peer_free(p);
	ck_assert_int_eq(finish_server(pid), 0);
}
END_TEST

START_TEST(realpeer_escapes_and_event_api)
{
	static const struct step steps[] = {
		{ "", "220 hi\x1b[2J\x07 \xc3\xa9\r\n" },
		{ "NOOP", "250 ok\r\n" },
		{ "QUIT", "221 bye\r\n" },
		{ "", NULL },
	};
	struct seen s = { "", 0 };
	pid_t pid;
	unsigned port = serve(steps, &pid);
	struct peer *p = open_to(port, &s, 1);
	int rounds = 0;

	p->ops->start(p);
	/* control characters are shown, never passed on; UTF-8 stays */
	ck_assert_ptr_nonnull(strstr(s.all, "1|0|220 hi\\x1b[2J\\x07 \xc3\xa9\n"));
	ck_assert(!waits(p));
	ck_assert_int_eq(peer_timeout(p), -1);
	ck_assert_int_eq(p->ops->phase(p), SERVER_GREETED);
	/* an event loop: send, then poll and process until the reply */
	p->ops->line(p, "NOOP", 4);
	ck_assert(waits(p));
	while (waits(p) && rounds++ < 100) {
		struct pollfd pf = { peer_fd(p), POLLIN, 0 };
		int t = peer_timeout(p);

		ck_assert_int_ge(t, 0);
		ck_assert_int_le(t, 3000);
		poll(&pf, 1, t);
		peer_process(p);
	}
	ck_assert_ptr_nonnull(strstr(s.all, "1|0|250 ok\n"));
	p->ops->line(p, "QUIT", 4);
	peer_wait(p);
	ck_assert_int_eq(p->ops->input(p), PEER_IN_CLOSED);
	ck_assert_int_eq(peer_exit_status(p), 0);
	ck_assert_int_eq(p->ops->phase(p), SERVER_CLOSED);
	/* a line sent now is refused, clearly */
	p->ops->line(p, "NOOP", 4);
	ck_assert_ptr_nonnull(strstr(s.all, "not sent: the connection is closed"));
	peer_free(p);
	ck_assert_int_eq(finish_server(pid), 0);
}
END_TEST

START_TEST(realpeer_refuses_smuggling_and_stuffs)
{
	static const struct step steps[] = {
		{ "", "220 hi\r\n" },
		{ "DATA", "354 go\r\n" },
		{ "..a", "" },
		{ "b", "" },
		{ "...", "" },
		{ ".", "250 ok\r\n" },
		{ "QUIT", "221 bye\r\n" },
		{ "", NULL },
	};
	struct seen s = { "", 0 };
	pid_t pid;
	unsigned port = serve(steps, &pid);
	struct peer *p = open_to(port, &s, 1);

	p->ops->start(p);
	/* a CR in a command would smuggle in another: refused */
	p->ops->line(p, "NOOP\rRSET", 9);
	p->ops->line(p, "NO\0P", 4);
	ck_assert(!waits(p));
	ck_assert_ptr_nonnull(strstr(s.all, "smuggle"));
	p->ops->line(p, "DATA", 4);
	peer_wait(p);
	ck_assert_int_eq(p->ops->input(p), PEER_IN_MESSAGE);
	/* dot-stuffed; a lone CR ends a line; ".." stays text */
	p->ops->line(p, ".a\rb", 4);
	p->ops->line(p, "..", 2);
	p->ops->line(p, ".", 1);
	peer_wait(p);
	ck_assert_ptr_nonnull(strstr(s.all, "1|0|250 ok\n"));
	ck_assert_ptr_nonnull(strstr(s.all, "dot-stuffing"));
	p->ops->line(p, "QUIT", 4);
	peer_wait(p);
	ck_assert_int_eq(peer_exit_status(p), 0);
	peer_free(p);
	ck_assert_int_eq(finish_server(pid), 0);
}
END_TEST

/* A console on a real server: a line typed while a reply is awaited is
 * held and sent when the reply comes; after DATA only 354 releases the
 * message typed ahead, and a refused DATA drops it (and says so). */
START_TEST(console_holds_lines_until_the_reply)
{
	static const struct step steps[] = {
		{ "", "220 hi\r\n" },
		{ "MAIL FROM:", "250 ok\r\n" },
		{ "RCPT TO:", "250 ok\r\n" },
		{ "DATA", "554 5.5.1 no valid recipients\r\n" },
		{ "QUIT", "221 bye\r\n" },
		{ "", NULL },
	};
	struct seen s = { "", 0 };
	pid_t pid;
	unsigned port = serve(steps, &pid);
	struct conn_opts o;
	struct console_opts co;
	struct tx_sink sink = { &s, collect };
	struct console *c;

	memset(&o, 0, sizeof o);
	o.host = "127.0.0.1";
	o.port = port;
	o.timeout_ms = 3000;
	o.no_ehlo = 1;
	memset(&co, 0, sizeof co);
	co.session.level = EXPLAIN_BRIEF;
	co.interactive = 1;
	co.connect = realpeer_new;
	c = console_new(&co, &sink);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(console_connect(c, &o), 0);
	/* typed without waiting: each goes out when its turn comes */
	console_line(c, "MAIL FROM:<a@example.org>", 25);
	ck_assert_ptr_nonnull(strstr(console_prompt(c), "waiting for the reply to MAIL"));
	console_line(c, "RCPT TO:<b@example.org>", 23);
	console_line(c, "DATA", 4);
	console_line(c, "Subject: held", 13);
	console_line(c, ".", 1);
	console_line(c, "QUIT", 4);
	ck_assert_ptr_nonnull(strstr(s.all, "has not answered yet"));
	console_wait(c);
	ck_assert_ptr_nonnull(strstr(s.all, "554 5.5.1"));
	ck_assert_ptr_nonnull(strstr(s.all, "the 2 message lines typed after it were not sent"));
	ck_assert_ptr_null(strstr(s.all, "Subject: held"));
	ck_assert_ptr_null(strstr(s.all, "not a reply RFC 5321 allows"));
	ck_assert_int_eq(console_input(c), PEER_IN_CLOSED);
	ck_assert_int_eq(console_exit_status(c), 0);
	console_free(c);
	ck_assert_int_eq(finish_server(pid), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("net");
	TCase *t = tcase_create("net");

	signal(SIGPIPE, SIG_IGN);
	tcase_set_timeout(t, 30);
	tcase_add_test(t, reader_any_chunking);
	tcase_add_test(t, reader_reply_bytes_and_code);
	tcase_add_test(t, reader_line_too_long);
	tcase_add_test(t, reader_too_many_lines);
	tcase_add_test(t, reader_hostile_lines);
	tcase_add_test(t, reader_bad_line_is_printable);
	tcase_add_test(t, mx_parse_and_order);
	tcase_add_test(t, mx_parse_malformed);
	tcase_add_test(t, mx_null_and_empty);
	tcase_add_test(t, mx_lookup_no_answer);
	tcase_add_test(t, resolve_literals);
	tcase_add_test(t, saved_lines_swaks_style);
	tcase_add_test(t, realpeer_redacts_credentials);
	tcase_add_test(t, realpeer_escapes_and_event_api);
	tcase_add_test(t, realpeer_refuses_smuggling_and_stuffs);
	tcase_add_test(t, console_holds_lines_until_the_reply);
	suite_add_tcase(s, t);
	return check_run(s);
}
