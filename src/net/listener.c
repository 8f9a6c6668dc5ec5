/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listener.c - smtpref listen: the simulated server on real sockets
 *
 * RFC 5321 through core/session.c (one session a client: the simulated
 * server reads the client's bytes as they come, one read at a time, so
 * its pipelining and STARTTLS rules see what a real server sees); RFC
 * 3207 and RFC 8314 through net/tls.c; RFC 5321 4.5.3.2.7 (the server
 * waits at least five minutes for a command); RFC 5321 4.4 and RFC 3848
 * (Received:, Return-Path:).
 *
 * One epoll loop, level-triggered.  A session's replies are gathered in
 * one buffer while its read is fed to the server, then written at once;
 * what the client does not take yet waits in the session's own buffer,
 * and nothing more is read from it until that is written.  Every session
 * is in one list ordered by its deadline (all deadlines are "now plus
 * the timeout", so touching a session moves it to the end), which makes
 * the next deadline the first of the list.  A session ends in one place,
 * finish(), which gives its verdict.  After a turn that served a socket
 * the loop looks again for LISTENER_SPIN_US before it sleeps (spin()).
 */
#include <config.h>

#include "net/listener.h"

#include "core/ascii.h"
#include "core/server.h"
#include "core/session.h"
#include "core/syntax.h"
#include "net/maildir.h"
#include "net/net.h"
#ifdef HAVE_OPENSSL
#include "net/tls.h"
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SOCKS_MAX (2 * LISTENER_ADDRS_MAX)
#define EVENTS_MAX 64
#define ACCEPTS 64		/* connections accepted from a socket in a turn */
#define CMD_KEEP 600		/* the last command line, for the envelope */
#define DEFAULT_SESSIONS 2000

#ifndef HAVE_OPENSSL
struct tls;
struct tls_server;
#endif

enum kind { K_LISTEN, K_WAKE, K_CONN };

struct lsock {
	enum kind kind;		/* first: what epoll's pointer points to */
	int fd;
	int tls;		/* implicit TLS */
	char name[80];
};

enum cstate {
	C_HANDSHAKE,		/* TLS is being negotiated */
	C_OPEN,			/* reading commands */
	C_CLOSING		/* the server closed: writing what is left */
};

struct lconn {
	enum kind kind;
	struct listener *l;
	struct lconn *prev, *next;	/* by deadline, soonest first */
	struct lconn *ready_next;	/* TLS data waits in OpenSSL */
	int in_ready;
	long long deadline;
	int fd;
	enum cstate st;
	unsigned events;		/* what epoll watches for it */
	struct session *s;
	struct tls *tls;
	int tls_want;			/* POLLIN or POLLOUT: TLS waits on it */
	char *pend;			/* replies the client has not taken */
	size_t pend_len, pend_off;
	int start_tls;			/* 220 to STARTTLS: handshake next */
	int overflow;			/* more replies than LISTENER_OUT_MAX */
	int implicit;
	unsigned long id;
	char addr[64];			/* "127.0.0.1", "::1" */
	char peer[80];			/* "127.0.0.1:40312" */
	const char *local;
	char end[128];			/* how it ended */

	/* what the client did */
	struct grade g;
	unsigned long commands, messages, kept;
	int authed;
	char cmd[CMD_KEEP];		/* the command being answered */
	char helo[SYNTAX_DOMAIN_MAX + 3];
	int ehlo;
	char from[SYNTAX_PATH_MAX + 1];
	char rcpt[SYNTAX_PATH_MAX + 1];
	unsigned long nrcpt;

	/* the message being kept */
	struct maildir_msg *msg;
	int prev_crlf;			/* DATA: the line before ended in CRLF */
	unsigned long bdat_left;	/* BDAT: octets of the chunk to come */
	int bdat_last;
};

struct listener {
	struct listener_opts o;
	struct listener_sink sink;
	int ep;
	int wake[2];
	volatile sig_atomic_t stop;
	int busy;			/* the last turn served a socket */
	struct lsock socks[SOCKS_MAX];
	size_t nsocks;
	struct lsock wake_sock;
	int spare;			/* a descriptor to give up on EMFILE */
	struct server_memory mem;	/* the greylist, for every client */
	long long clock_ms;		/* when mem's clock last moved */
	struct tls_server *tls;
	struct lconn *head, *tail, *ready;
	size_t open;
	unsigned long next_id;
	long long now;
	int timeout_ms;
	char rbuf[LISTENER_READ];
	char *obuf;			/* the replies of the session being fed */
	size_t olen;
	struct lconn *ocur;
	struct listener_stats st;
	char err[256];
};

static void finish(struct lconn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- what the sink gets ------------------------------------------------- */

static void lnote(struct listener *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void lnote(struct listener *l, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (l->sink.note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	l->sink.note(l->sink.ctx, buf);
}

static void conn_item(void *ctx, const struct tx_item *it)
{
	struct lconn *c = ctx;

	c->l->sink.item(c->l->sink.ctx, c->id, it);
}

/* cnote - an item of the listener's own about a session */
static void cnote(struct lconn *c, enum tx_kind kind, const char *label,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void cnote(struct lconn *c, enum tx_kind kind, const char *label,
    const char *fmt, ...)
{
	struct tx_sink sink = { c, conn_item };
	va_list ap;

	if (!c->l->o.show || c->l->sink.item == NULL)
		return;
	va_start(ap, fmt);
	tx_vemitf(&sink, kind, label, fmt, ap);
	va_end(ap);
}

/* ---- the deadline list -------------------------------------------------- */

static void unlink_conn(struct lconn *c)
{
	struct listener *l = c->l;

	if (c->prev)
		c->prev->next = c->next;
	else if (l->head == c)
		l->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else if (l->tail == c)
		l->tail = c->prev;
	c->prev = c->next = NULL;
}

/* touch - the client did something: its deadline starts again */
static void touch(struct lconn *c)
{
	struct listener *l = c->l;

	c->deadline = l->now + l->timeout_ms;
	if (l->tail == c)
		return;
	unlink_conn(c);
	c->prev = l->tail;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

/* ---- output --------------------------------------------------------------- */

/* wire - the bytes of a reply (session_wire): gathered while the session
 * is fed, in the session's own buffer when older ones still wait */
static void wire(void *ctx, const char *b, size_t n)
{
	struct lconn *c = ctx;
	struct listener *l = c->l;

	if (c->overflow)
		return;
	if (l->ocur == c && c->pend_len == 0) {
		if (l->olen + n > LISTENER_OUT_MAX) {
			c->overflow = 1;
			return;
		}
		memcpy(l->obuf + l->olen, b, n);
		l->olen += n;
		return;
	}
	if (c->pend_len - c->pend_off + n > LISTENER_OUT_MAX) {
		c->overflow = 1;
		return;
	}
	if (c->pend_off > 0) {	/* keep the buffer small: slide it down */
		memmove(c->pend, c->pend + c->pend_off, c->pend_len - c->pend_off);
		c->pend_len -= c->pend_off;
		c->pend_off = 0;
	}
	{
		char *p = realloc(c->pend, c->pend_len + n);

		if (p == NULL) {
			c->overflow = 1;
			return;
		}
		c->pend = p;
	}
	memcpy(c->pend + c->pend_len, b, n);
	c->pend_len += n;
}

/* put - write now what the socket takes: how much, or -1 when the
 * connection failed */
static ssize_t put(struct lconn *c, const char *p, size_t n)
{
	ssize_t w;

#ifdef HAVE_OPENSSL
	if (c->tls) {
		char err[128];
		int want;

		w = tls_write(c->tls, p, n, &want, err, sizeof err);
		if (w > 0)
			return w;
		c->tls_want = want;
		return want ? 0 : -1;
	}
#endif
	w = send(c->fd, p, n, MSG_NOSIGNAL);
	if (w >= 0)
		return w;
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
}

/* watch - what epoll waits for: the handshake's wish; the socket's room
 * while replies wait (and nothing is read meanwhile); else input */
static void watch(struct lconn *c)
{
	unsigned want = EPOLLIN;
	struct epoll_event ev;

	if (c->st == C_HANDSHAKE || c->pend_len > 0)
		want = c->tls_want == POLLIN ? EPOLLIN : EPOLLOUT;
	if (c->st == C_HANDSHAKE && c->tls_want == 0)
		want = EPOLLIN;
	if (c->st == C_OPEN && c->pend_len == 0 && c->tls_want == POLLOUT)
		want = EPOLLOUT;	/* TLS must write before it can read */
	if (want == c->events)
		return;
	memset(&ev, 0, sizeof ev);
	ev.events = want;
	ev.data.ptr = c;
	if (epoll_ctl(c->l->ep, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->events = want;
}

/* begin - the session's replies are gathered from now on */
static void begin(struct lconn *c)
{
	c->l->ocur = c;
	c->l->olen = 0;
}

/* flush - write what was gathered and what waits; 0, or -1 when the
 * connection failed */
static int flush(struct lconn *c)
{
	struct listener *l = c->l;
	size_t off = 0;
	ssize_t w;

	if (l->ocur == c) {
		l->ocur = NULL;
		while (c->pend_len == 0 && off < l->olen) {
			w = put(c, l->obuf + off, l->olen - off);
			if (w < 0) {
				l->olen = 0;
				return -1;
			}
			if (w == 0)
				break;
			off += (size_t)w;
		}
		if (off < l->olen)	/* the rest waits in the session */
			wire(c, l->obuf + off, l->olen - off);
		l->olen = 0;
		if (off > 0)
			touch(c);
	}
	while (c->pend_off < c->pend_len) {
		w = put(c, c->pend + c->pend_off, c->pend_len - c->pend_off);
		if (w < 0)
			return -1;
		if (w == 0)
			break;
		c->pend_off += (size_t)w;
		touch(c);
	}
	if (c->pend_off == c->pend_len) {
		free(c->pend);
		c->pend = NULL;
		c->pend_len = c->pend_off = 0;
		c->tls_want = c->st == C_HANDSHAKE ? c->tls_want : 0;
	}
	watch(c);
	return 0;
}

/* ---- the message kept ----------------------------------------------------- */

/* rfc5322_date - "Tue, 03 Feb 2026 10:00:00 +0000", whatever the locale */
static void rfc5322_date(char *out, size_t size)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, size, "%s, %02d %s %d %02d:%02d:%02d +0000",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* msg_begin - a new message in the Maildir, with the lines RFC 5321 4.4
 * asks of the final delivery: Return-Path:, and a Received: line whose
 * "with" says ESMTP, S for TLS, A for AUTH (RFC 3848) */
static void msg_begin(struct lconn *c)
{
	struct listener *l = c->l;
	const struct server *srv = session_server(c->s);
	char head[2048], date[64], err[512];
	int tls = server_tls_active(srv);
	int n;

	if (l->o.maildir == NULL || c->msg)
		return;
	rfc5322_date(date, sizeof date);
	n = snprintf(head, sizeof head,
	    "Return-Path: <%s>\n"
	    "Received: from %s (%s%s%s)\n"
	    "\tby %s (smtpref listen) with %s%s%s\n"
	    "\tid L%lu.%lu%s%s%s; %s\n",
	    c->from, c->helo[0] ? c->helo : "unknown",
	    strchr(c->addr, ':') ? "[IPv6:" : "[", c->addr, "]",
	    server_persona(srv)->hostname, c->ehlo ? "ESMTP" : "SMTP",
	    tls ? "S" : "", c->authed ? "A" : "", c->id, c->messages + 1,
	    c->nrcpt == 1 ? "\n\tfor <" : "", c->nrcpt == 1 ? c->rcpt : "",
	    c->nrcpt == 1 ? ">" : "", date);
	if (n < 0 || (size_t)n >= sizeof head)
		return;
	c->msg = maildir_begin(l->o.maildir, head, err, sizeof err);
	if (c->msg == NULL)
		cnote(c, TX_ERROR, "maildir", "%s", err);
	c->prev_crlf = 1;
}

/* msg_sync - the message is complete: on the disk before the server
 * answers, and refused with 452 when it cannot be (RFC 5321 4.2.2);
 * may_begin: it may still be empty (BDAT 0 LAST) */
static void msg_sync(struct lconn *c, const char *verb, int may_begin)
{
	char err[512];

	if (c->msg == NULL && may_begin)
		msg_begin(c);
	if (c->msg == NULL) {	/* its file could not be made */
		session_fault(c->s, verb, 1, 452, "4.3.1");
		return;
	}
	if (maildir_sync(c->msg, err, sizeof err) == 0)
		return;
	cnote(c, TX_ERROR, "maildir", "%s: the message is refused with 452", err);
	session_fault(c->s, verb, 1, 452, "4.3.1");
}

static void msg_commit(struct lconn *c)
{
	char name[300], err[512];

	if (c->msg == NULL)
		return;
	if (maildir_commit(c->msg, name, sizeof name, err, sizeof err) == 0) {
		c->kept++;
		c->l->st.kept++;
		cnote(c, TX_NOTE, "maildir", "The message is kept in %s/new/%s.",
		    c->l->o.maildir, name);
	} else {
		c->l->st.lost++;
		cnote(c, TX_ERROR, "maildir", "the accepted message was lost: %s", err);
	}
	c->msg = NULL;
}

static void msg_abort(struct lconn *c)
{
	maildir_abort(c->msg);
	c->msg = NULL;
}

/* path_of - the <path> of the command line being answered */
static void path_of(const struct lconn *c, char *out, size_t size)
{
	const char *lt = strchr(c->cmd, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	size_t i, n = lt && gt ? (size_t)(gt - lt - 1) : 0;

	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)lt[1 + i];

		out[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	out[n] = 0;
}

/* ---- what the server says and reads (session_tap) ---------------------- */

static void tap_reply(void *ctx, const struct server_reply *r)
{
	struct lconn *c = ctx;
	int ok = r->code / 100 == 2;

	grade_reply(&c->g, r);
	if (strcmp(r->verb, "STARTTLS") == 0 && r->code == 220)
		c->start_tls = 1;
	else if ((strcmp(r->verb, "EHLO") == 0 || strcmp(r->verb, "HELO") == 0) && ok) {
		const char *sp = strchr(c->cmd, ' ');

		snprintf(c->helo, sizeof c->helo, "%s", sp ? sp + 1 : "");
		c->ehlo = r->verb[0] == 'E';
	} else if (strcmp(r->verb, "AUTH") == 0 && r->code == 235)
		c->authed = 1;
	else if (strcmp(r->verb, "MAIL") == 0 && ok) {
		path_of(c, c->from, sizeof c->from);
		c->nrcpt = 0;
	} else if (strcmp(r->verb, "RCPT") == 0 && ok && c->nrcpt++ == 0)
		path_of(c, c->rcpt, sizeof c->rcpt);
	else if (strcmp(r->verb, "DATA") == 0 && r->code == 354) {
		msg_begin(c);
		c->prev_crlf = 1;
	}
	if (r->rule && strcmp(r->rule, "message-accepted") == 0) {
		c->messages++;
		c->l->st.messages++;
		msg_commit(c);
	} else if ((strcmp(r->verb, "DATA-END") == 0 ||
	    strcmp(r->verb, "BDAT") == 0) && !(ok && r->code == 250 &&
	    r->rule && strcmp(r->rule, "bdat-chunk") == 0))
		msg_abort(c);
	if (r->closes)
		snprintf(c->end, sizeof c->end, r->code == 221 ?
		    "ended with QUIT" : "closed by the server with %d", r->code);
}

static void tap_event(void *ctx, const struct server_event *e)
{
	struct lconn *c = ctx;

	grade_event(&c->g, e);
	/* RSET, EHLO, a close: a message still open is not delivered */
	if (e->kind == SERVER_EV_PHASE && c->msg && e->to != SERVER_DATA &&
	    e->to != SERVER_BDAT)
		msg_abort(c);
}

/* bdat_command - "BDAT n [LAST]": how much of the chunk is to come */
static void bdat_command(struct lconn *c, const char *line, size_t len)
{
	size_t i = 5;
	unsigned long n = 0;

	if (len < 6 || !ascii_ieq(line, 5, "BDAT "))
		return;
	while (i < len && i < 20 && ascii_is_digit((unsigned char)line[i]))
		n = n * 10 + (unsigned long)(line[i++] - '0');
	while (i < len && line[i] == ' ')
		i++;
	c->bdat_left = n;
	c->bdat_last = len - i >= 4 && ascii_ieq(line + i, 4, "LAST");
	if (n == 0 && c->bdat_last) {
		c->bdat_last = 0;
		msg_sync(c, "BDAT", 1);
	}
}

static void tap_line(void *ctx, const char *line, size_t len, size_t total,
    int crlf)
{
	struct lconn *c = ctx;
	const struct server *srv = session_server(c->s);
	enum server_phase ph = server_phase(srv);

	grade_line(&c->g, ph, server_tls_active(srv), line, len);
	if (ph == SERVER_DATA) {
		if (c->l->o.maildir == NULL)
			return;
		if (crlf && c->prev_crlf && total == 1 && line[0] == '.')
			msg_sync(c, "DATA-END", 0);
		else if (c->msg)
			maildir_line(c->msg, line, len);
		c->prev_crlf = crlf;
		return;
	}
	if (ph == SERVER_AUTH)
		return;
	c->commands++;
	len = len < sizeof c->cmd - 1 ? len : sizeof c->cmd - 1;
	memcpy(c->cmd, line, len);
	c->cmd[len] = 0;
	if (c->l->o.maildir)
		bdat_command(c, line, len);
}

static void tap_chunk(void *ctx, const char *p, size_t len)
{
	struct lconn *c = ctx;

	if (c->l->o.maildir == NULL)
		return;
	if (c->msg == NULL)
		msg_begin(c);
	if (c->msg)
		maildir_chunk(c->msg, p, len);
	c->bdat_left -= len < c->bdat_left ? len : c->bdat_left;
	if (c->bdat_left == 0 && c->bdat_last) {
		c->bdat_last = 0;
		msg_sync(c, "BDAT", 0);
	}
}

/* ---- a session's life ---------------------------------------------------- */

static void ready_remove(struct lconn *c)
{
	struct lconn **pp = &c->l->ready;

	while (*pp && *pp != c)
		pp = &(*pp)->ready_next;
	if (*pp)
		*pp = c->ready_next;
	c->in_ready = 0;
}

/* finish - the one way a session ends: the server learns the client is
 * gone, a message still open is dropped, the sink gets the verdict */
static void finish(struct lconn *c, const char *fmt, ...)
{
	struct listener *l = c->l;
	struct listener_session ls;
	const struct server *srv = session_server(c->s);
	size_t i;
	va_list ap;

	if (c->end[0] == 0 || c->st != C_CLOSING) {
		va_start(ap, fmt);
		vsnprintf(c->end, sizeof c->end, fmt, ap);
		va_end(ap);
	}
	if (server_phase(srv) != SERVER_CLOSED) {
		struct peer *p = session_peer(c->s);

		p->ops->close(p);	/* the server's "dropped" rules */
	}
	msg_abort(c);
	memset(&ls, 0, sizeof ls);
	ls.id = c->id;
	ls.peer = c->peer;
	ls.local = c->local;
	ls.implicit_tls = c->implicit;
	ls.end = c->end;
	ls.commands = c->commands;
	ls.messages = c->messages;
	ls.kept = c->kept;
	ls.tls = server_tls_active(srv);
	ls.authenticated = c->authed;
	ls.grade = &c->g;
	if (grade_total(&c->g) > 0)
		l->st.graded++;
	for (i = 0; i < GRADE_LAST; i++)
		l->st.findings[i] += c->g.count[i] > 0;
	if (l->sink.closed)
		l->sink.closed(l->sink.ctx, &ls);
	unlink_conn(c);
	if (c->in_ready)
		ready_remove(c);
#ifdef HAVE_OPENSSL
	tls_free(c->tls);
#endif
	close(c->fd);
	session_free(c->s);
	free(c->pend);
	free(c);
	l->open--;
}

/* handshake - a step of TLS; on success the session goes on (and with
 * implicit TLS, starts: the greeting comes under TLS, RFC 8314 3.3) */
static void handshake(struct lconn *c);

static void start_tls(struct lconn *c)
{
	c->start_tls = 0;
#ifdef HAVE_OPENSSL
	{
		char err[256];

		c->tls = tls_accept_new(c->l->tls, c->fd, err, sizeof err);
		if (c->tls == NULL) {
			cnote(c, TX_ERROR, "tls", "%s", err);
			finish(c, "TLS could not start");
			return;
		}
		c->st = C_HANDSHAKE;
		handshake(c);
	}
#else
	cnote(c, TX_ERROR, "tls", "this smtpref was built without OpenSSL: no TLS");
	finish(c, "TLS is not available");
#endif
}

/* gone - writing failed: the client went away without its replies */
static void gone(struct lconn *c)
{
	size_t unread = c->pend_len - c->pend_off;

	if (unread)
		finish(c, "the client closed the connection with %zu octets of replies unread",
		    unread);
	else
		finish(c, "the client closed the connection before the reply");
}

/* eof - the client closed its side */
static void eof(struct lconn *c)
{
	const struct server *srv = session_server(c->s);

	if (server_phase(srv) == SERVER_DATA || server_phase(srv) == SERVER_MAIL ||
	    server_phase(srv) == SERVER_RCPT || server_phase(srv) == SERVER_BDAT)
		finish(c, "the client closed the connection in a transaction");
	else
		finish(c, "the client closed the connection");
}

/* input - read what is there: > 0 octets, 0 the client closed, -1
 * nothing now, -2 the connection failed */
static ssize_t input(struct lconn *c, char *buf, size_t size)
{
	ssize_t n;

#ifdef HAVE_OPENSSL
	if (c->tls) {
		char err[256];
		int want;

		n = tls_read(c->tls, buf, size, &want, err, sizeof err);
		if (n >= 0)
			return n;
		if (want) {
			c->tls_want = want == POLLOUT ? POLLOUT : 0;
			return -1;
		}
		cnote(c, TX_ERROR, "tls", "%s", err);
		return -2;
	}
#endif
	n = recv(c->fd, buf, size, 0);
	if (n >= 0)
		return n;
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -1 : -2;
}

/* serve - feed the session what the client sent, a few reads at most */
static void serve(struct lconn *c)
{
	struct listener *l = c->l;
	int i, closed = 0;

	for (i = 0; i < LISTENER_READS && c->st == C_OPEN && c->pend_len == 0 &&
	    !c->start_tls && !closed; i++) {
		ssize_t n = input(c, l->rbuf, sizeof l->rbuf);

		if (n == -1)
			break;
		if (n == 0) {
			eof(c);
			return;
		}
		if (n < 0) {
			finish(c, "the connection failed: %s", strerror(errno));
			return;
		}
		touch(c);
		begin(c);
		closed = session_feed(c->s, l->rbuf, (size_t)n) < 0;
		if (flush(c) < 0) {
			gone(c);
			return;
		}
		if (c->overflow) {
			finish(c, "the client sent far more than it read: over %d KiB of replies were waiting",
			    LISTENER_OUT_MAX / 1024);
			return;
		}
		if (c->tls == NULL && (size_t)n < sizeof l->rbuf)
			break;	/* the socket is empty: spare a read */
	}
	if (closed)
		c->st = C_CLOSING;
	if (c->st == C_CLOSING && c->pend_len == 0) {
		finish(c, "closed by the server");
		return;
	}
	if (c->start_tls && c->pend_len == 0) {
		start_tls(c);
		return;
	}
#ifdef HAVE_OPENSSL
	if (c->tls && c->st == C_OPEN && c->pend_len == 0 && !c->in_ready &&
	    tls_pending(c->tls) > 0) {
		c->in_ready = 1;	/* decrypted already: no event will say so */
		c->ready_next = l->ready;
		l->ready = c;
	}
#endif
}

static void handshake(struct lconn *c)
{
#ifdef HAVE_OPENSSL
	char err[256], sum[128];
	int want, rc = tls_handshake(c->tls, &want, err, sizeof err);

	if (rc == 0) {
		c->tls_want = want;
		watch(c);
		return;
	}
	if (rc < 0) {
		cnote(c, TX_ERROR, "tls", "%s", err);
		finish(c, "the TLS handshake failed");
		return;
	}
	touch(c);
	c->tls_want = 0;
	c->st = C_OPEN;
	tls_summary(c->tls, sum, sizeof sum);
	cnote(c, TX_NOTE, "tls", "TLS is on: %s.", sum);
	if (c->implicit && server_phase(session_server(c->s)) == SERVER_CONNECTED) {
		begin(c);
		session_start(c->s);
		if (flush(c) < 0) {
			finish(c, "the connection failed while replying");
			return;
		}
	}
	watch(c);
	serve(c);
#else
	finish(c, "TLS is not available");
#endif
}

/* on_conn - the socket of a session is ready */
static void on_conn(struct lconn *c)
{
	if (c->st == C_HANDSHAKE) {
		handshake(c);
		return;
	}
	if (c->pend_len > 0) {
		if (flush(c) < 0) {
			gone(c);
			return;
		}
		if (c->pend_len > 0)
			return;
		if (c->st == C_CLOSING) {
			finish(c, "closed by the server");
			return;
		}
		if (c->start_tls) {
			start_tls(c);
			return;
		}
	}
	serve(c);
}

/* ---- new clients ---------------------------------------------------------- */

/* turn_away - 421 to a client that cannot be served now (RFC 5321 3.1) */
static void turn_away(struct listener *l, int fd, const char *why)
{
	char buf[256];
	int n = snprintf(buf, sizeof buf, "421 4.3.2 %s %s, try again later\r\n",
	    l->o.persona ? l->o.persona->hostname : "smtpref", why);

	if (n > 0 && send(fd, buf, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		n = 0;
	close(fd);
	if (l->st.turned_away++ == 0)
		lnote(l, "a client was turned away with 421: %s (the summary counts them all)", why);
}

/* peer_text - "127.0.0.1:40312" or "[::1]:40312", and the address */
static void peer_text(const struct sockaddr_storage *ss, socklen_t len,
    char *addr, size_t asize, char *out, size_t size)
{
	char host[64], serv[16];

	if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof host, serv,
	    sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(host, sizeof host, "?");
		snprintf(serv, sizeof serv, "?");
	}
	snprintf(addr, asize, "%s", host);
	snprintf(out, size, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, serv);
}

static struct session *new_session(struct lconn *c, int implicit)
{
	struct listener *l = c->l;
	struct session_opts so;
	struct tx_sink sink = { c, l->o.show && l->sink.item ? conn_item : NULL };
	struct server_sink tap = { c, tap_reply, tap_event, NULL };
	struct server_reader read = { c, tap_line, tap_chunk };
	struct session *s;
	size_t i;

	memset(&so, 0, sizeof so);
	so.role = SESSION_CLIENT;
	so.persona = l->o.persona;
	so.level = l->o.level;
	so.hints = l->o.hints;
	s = session_new(&so, &sink);
	if (s == NULL)
		return NULL;
	if (session_serve(s, &l->mem, implicit) != 0) {
		session_free(s);
		return NULL;
	}
	session_wire(s, wire, c);
	session_tap(s, &tap, &read);
	for (i = 0; i < l->o.nfaults; i++)
		session_fault(s, l->o.faults[i].verb, l->o.faults[i].nth,
		    l->o.faults[i].code, l->o.faults[i].enh);
	return s;
}

static void open_conn(struct listener *l, struct lsock *ls, int fd,
    const struct sockaddr_storage *ss, socklen_t len)
{
	struct lconn *c = calloc(1, sizeof *c);
	struct listener_session info;
	struct epoll_event ev;
	int one = 1;

	if (c == NULL) {
		turn_away(l, fd, "out of memory");
		return;
	}
	c->kind = K_CONN;
	c->l = l;
	c->fd = fd;
	c->implicit = ls->tls;
	c->local = ls->name;
	grade_init(&c->g);
	peer_text(ss, len, c->addr, sizeof c->addr, c->peer, sizeof c->peer);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = c;
	if ((c->s = new_session(c, ls->tls)) == NULL ||
	    epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
		session_free(c->s);
		free(c);
		turn_away(l, fd, "out of memory");
		return;
	}
	c->events = EPOLLIN;
	c->id = ++l->next_id;
	l->open++;
	l->st.sessions++;
	if (l->open > l->st.peak)
		l->st.peak = l->open;
	touch(c);
	memset(&info, 0, sizeof info);
	info.id = c->id;
	info.peer = c->peer;
	info.local = c->local;
	info.implicit_tls = c->implicit;
	if (l->sink.opened)
		l->sink.opened(l->sink.ctx, &info);
	if (ls->tls) {
		start_tls(c);
		return;
	}
	c->st = C_OPEN;
	begin(c);
	session_start(c->s);
	if (flush(c) < 0)
		finish(c, "the connection failed while replying");
}

/* no_descriptor - no descriptor left (EMFILE): give up the spare one to
 * accept the client and tell it 421, or the socket stays readable and
 * the loop would spin */
static void no_descriptor(struct listener *l, struct lsock *ls)
{
	int fd;

	if (l->spare >= 0)
		close(l->spare);
	fd = accept4(ls->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd >= 0)
		turn_away(l, fd, "no file descriptor left");
	l->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void on_listen(struct listener *l, struct lsock *ls)
{
	int i;

	for (i = 0; i < ACCEPTS; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;
		int fd = accept4(ls->fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE)
				no_descriptor(l, ls);
			return;
		}
		if (l->open >= l->o.max_sessions)
			turn_away(l, fd, "too many connections");
		else
			open_conn(l, ls, fd, &ss, len);
	}
}

/* ---- the loop ---------------------------------------------------------------- */

/* expire - sessions whose deadline passed: a silent client gets 421
 * (RFC 5321 4.5.3.2.7); one that does not read, or does not finish its
 * handshake, is disconnected */
static void expire(struct listener *l)
{
	while (l->head && l->head->deadline <= l->now) {
		struct lconn *c = l->head;

		if (c->st == C_OPEN && c->pend_len == 0) {
			grade_silent(&c->g);
			begin(c);
			session_timeout(c->s);
			flush(c);
			finish(c, "the client said nothing for %d s", l->timeout_ms / 1000);
		} else if (c->st == C_HANDSHAKE)
			finish(c, "the TLS handshake did not finish within %d s",
			    l->timeout_ms / 1000);
		else
			finish(c, "the client stopped reading its replies for %d s",
			    l->timeout_ms / 1000);
	}
}

static int next_timeout(const struct listener *l)
{
	long long left;

	if (l->ready)
		return 0;
	if (l->head == NULL)
		return -1;
	left = l->head->deadline - l->now;
	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/* run_ready - sessions with TLS data decrypted but not read yet */
static void run_ready(struct listener *l)
{
	struct lconn *list = l->ready;

	l->ready = NULL;
	while (list) {
		struct lconn *c = list;

		list = c->ready_next;
		c->in_ready = 0;
		serve(c);
	}
}

/* shutdown_all - smtpref stops: 421 to every session (RFC 5321 3.8) */
static void shutdown_all(struct listener *l)
{
	while (l->head) {
		struct lconn *c = l->head;

		if (c->st == C_OPEN && c->pend_len == 0 &&
		    server_phase(session_server(c->s)) != SERVER_CLOSED) {
			begin(c);
			session_shutdown(c->s);
			flush(c);
		}
		finish(c, "smtpref stopped");
	}
}

/* spin - after a busy turn, look for more events for a few microseconds
 * before sleeping: a client that answers at once (a program sending mail
 * in a loop) is then served without a sleep and a wake-up each reply,
 * which cost more than the reply itself.  Idle sessions never spin. */
static int spin(struct listener *l, struct epoll_event *ev)
{
	long long start;
	int n;

	if (!l->busy)
		return 0;
	l->busy = 0;
	start = net_now_us();
	do {
		n = epoll_wait(l->ep, ev, EVENTS_MAX, 0);
	} while (n == 0 && net_now_us() - start < LISTENER_SPIN_US);
	return n < 0 ? 0 : n;
}

int listener_run(struct listener *l, char *err, size_t errlen)
{
	struct epoll_event ev[EVENTS_MAX];
	int rc = 0;

	l->now = l->clock_ms = net_now_ms();
	while (!l->stop) {
		int i, n, wait = next_timeout(l);

		n = wait == 0 ? 0 : spin(l, ev);
		if (n == 0) {
			if (wait != 0 && l->sink.idle)
				l->sink.idle(l->sink.ctx);
			n = epoll_wait(l->ep, ev, EVENTS_MAX, wait);
		}

		if (n < 0 && errno != EINTR) {
			snprintf(err, errlen, "the event loop failed: %s", strerror(errno));
			rc = -1;
			break;
		}
		l->now = net_now_ms();
		/* the greylist's clock follows the real one (RFC 6647 2.1) */
		if (l->now - l->clock_ms >= 1000) {
			server_memory_wait(&l->mem,
			    (unsigned long)((l->now - l->clock_ms) / 1000));
			l->clock_ms += (l->now - l->clock_ms) / 1000 * 1000;
		}
		for (i = 0; i < n; i++) {
			enum kind *k = ev[i].data.ptr;

			if (*k == K_CONN) {
				on_conn((struct lconn *)(void *)k);
				l->busy = 1;
			} else if (*k == K_LISTEN) {
				on_listen(l, (struct lsock *)(void *)k);
				l->busy = 1;
			} else {
				char drain[64];

				while (read(l->wake[0], drain, sizeof drain) > 0)
					;
			}
		}
		run_ready(l);
		expire(l);
	}
	shutdown_all(l);
	return rc;
}

void listener_stop(struct listener *l)
{
	l->stop = 1;
	if (write(l->wake[1], "x", 1) < 0)
		l->stop = 1;	/* the pipe is full: the loop wakes anyway */
}

void listener_stats(const struct listener *l, struct listener_stats *st)
{
	*st = l->st;
}

/* ---- setting up ---------------------------------------------------------- */

int listener_is_loopback(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;
	char buf[64];
	size_t n = strlen(addr);

	if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']' && n - 2 < sizeof buf) {
		memcpy(buf, addr + 1, n - 2);
		buf[n - 2] = 0;
		addr = buf;
	}
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) != 1)
		return 0;
	if (IN6_IS_ADDR_LOOPBACK(&a6))
		return 1;
	return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}

/* bind_one - a listening socket on addr:port (a numeric address); 0, or
 * -1 with err set and *gone when the address does not exist here */
static int bind_one(struct listener *l, const char *addr, unsigned *port,
    int tls, char *err, size_t errlen, int *gone)
{
	struct addrinfo hints, *ai = NULL;
	struct lsock *ls = &l->socks[l->nsocks];
	char host[64], serv[16];
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int fd, one = 1, rc;
	size_t n = strlen(addr);

	*gone = 0;
	if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']' && n - 2 < sizeof host) {
		memcpy(host, addr + 1, n - 2);
		host[n - 2] = 0;
	} else
		snprintf(host, sizeof host, "%s", addr);
	snprintf(serv, sizeof serv, "%u", *port);
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, serv, &hints, &ai)) != 0) {
		snprintf(err, errlen, "cannot listen on %s: not an IP address (%s)",
		    addr, gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	}
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, SOMAXCONN) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		*gone = errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT;
		snprintf(err, errlen, "cannot listen on %s port %u: %s", addr,
		    *port, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	*port = ss.ss_family == AF_INET6 ?
	    ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port) :
	    ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
	ls->kind = K_LISTEN;
	ls->fd = fd;
	ls->tls = tls;
	snprintf(ls->name, sizeof ls->name, strchr(host, ':') ? "[%s]:%u" : "%s:%u",
	    host, *port);
	l->nsocks++;
	return 0;
}

/* bind_all - every address, on the port and on the TLS port */
static int bind_all(struct listener *l, char *err, size_t errlen)
{
	static const char *const loopback[] = { "127.0.0.1", "::1" };
	const char *const *addrs = l->o.naddrs ? l->o.addrs : loopback;
	size_t n = l->o.naddrs ? l->o.naddrs : 2, i, t;
	unsigned ports[2] = { l->o.port, l->o.tls_port };

	for (t = 0; t < 2; t++) {
		if (t == 1 && ports[1] == 0)
			break;
		for (i = 0; i < n; i++) {
			int gone;
			unsigned p = ports[t];

			if (bind_one(l, addrs[i], &p, (int)t, err, errlen, &gone) != 0) {
				if (gone && l->o.naddrs == 0 && i > 0) {
					lnote(l, "%s is not available here (IPv6 is off?): not listening there", addrs[i]);
					continue;
				}
				return -1;
			}
			ports[t] = p;	/* port 0: every address the same */
			lnote(l, "listening on %s%s", l->socks[l->nsocks - 1].name,
			    t ? " with implicit TLS (RFC 8314)" : "");
		}
	}
	return 0;
}

#ifdef HAVE_OPENSSL
static void describe(void *ctx, const char *line)
{
	lnote(ctx, "%s", line);
}
#endif

static int add_fd(struct listener *l, int fd, void *ptr)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = ptr;
	return epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev);
}

/* setup - everything listener_new needs, in order; -1 with err and
 * *status set */
static int setup(struct listener *l, char *err, size_t errlen, int *status)
{
	size_t i;

	*status = 1;
	l->obuf = malloc(LISTENER_OUT_MAX);
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	if (l->obuf == NULL || l->ep < 0 || pipe2(l->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot set up the event loop: %s", strerror(errno));
		return -1;
	}
	if (l->o.maildir && maildir_prepare(l->o.maildir, err, errlen) != 0)
		return -1;
#ifdef HAVE_OPENSSL
	l->tls = tls_server_new(l->o.cert, l->o.key, NULL, err, errlen);
	if (l->tls == NULL) {
		*status = 3;
		return -1;
	}
	tls_server_describe(l->tls, describe, l);
#else
	if (l->o.cert || l->o.tls_port) {
		snprintf(err, errlen, "this smtpref was built without OpenSSL: no TLS");
		*status = 3;
		return -1;
	}
#endif
	*status = 3;
	if (bind_all(l, err, errlen) != 0)
		return -1;
	l->wake_sock.kind = K_WAKE;
	l->wake_sock.fd = l->wake[0];
	for (i = 0; i < l->nsocks; i++)
		if (add_fd(l, l->socks[i].fd, &l->socks[i]) != 0)
			break;
	if (i < l->nsocks || add_fd(l, l->wake[0], &l->wake_sock) != 0) {
		snprintf(err, errlen, "cannot set up the event loop: %s", strerror(errno));
		return -1;
	}
	l->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return 0;
}

struct listener *listener_new(const struct listener_opts *o,
    const struct listener_sink *sink, char *err, size_t errlen, int *status)
{
	struct listener *l = calloc(1, sizeof *l);

	*status = 1;
	if (l == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	l->o = *o;
	if (sink)
		l->sink = *sink;
	if (l->sink.item == NULL)
		l->o.show = 0;
	if (l->o.timeout_s <= 0)
		l->o.timeout_s = SERVER_IDLE_TIMEOUT;
	if (l->o.max_sessions == 0)
		l->o.max_sessions = DEFAULT_SESSIONS;
	l->timeout_ms = l->o.timeout_s * 1000;
	l->ep = l->wake[0] = l->wake[1] = l->spare = -1;
	if (setup(l, err, errlen, status) != 0) {
		listener_free(l);
		return NULL;
	}
	*status = 0;
	return l;
}

void listener_free(struct listener *l)
{
	size_t i;

	if (l == NULL)
		return;
	while (l->head)
		finish(l->head, "smtpref stopped");
	for (i = 0; i < l->nsocks; i++)
		close(l->socks[i].fd);
	if (l->ep >= 0)
		close(l->ep);
	if (l->wake[0] >= 0)
		close(l->wake[0]);
	if (l->wake[1] >= 0)
		close(l->wake[1]);
	if (l->spare >= 0)
		close(l->spare);
#ifdef HAVE_OPENSSL
	tls_server_free(l->tls);
#endif
	free(l->obuf);
	free(l);
}
