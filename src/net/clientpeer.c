/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clientpeer.c - a real SMTP client, as a peer: the learner is its server
 *
 * RFC 5321 (the learner's replies, checked by core/session.c's server
 * role: a tracking client with a shadow server, core/client.c), RFC 3207
 * (a 220 to STARTTLS starts a real handshake, with net/tls.c's server
 * side and a throwaway certificate), RFC 5321 4.5.3.2.7 (how long a
 * server waits for a command).
 *
 * One client at a time, on 127.0.0.1.  The peer listens when it starts;
 * while no client is there, or the client has not sent the command the
 * next reply answers, the console holds what the learner types (peer
 * waiting), and lets it go when the command comes.  Each line the client
 * sends is shown as it arrives; each reply the learner completes is
 * written to the socket at once.
 */
#include <config.h>

#include "net/clientpeer.h"

#include "core/client.h"
#include "core/server.h"
#include "core/session.h"
#include "net/net.h"
#ifdef HAVE_OPENSSL
#include "net/tls.h"
#endif

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CLIENT_LINE_MAX 4096	/* a client's line; longer ones are cut */
#define WRITE_MS 10000		/* a reply, the handshake */

enum cstate {
	CP_NEW,			/* not started */
	CP_LISTENING,		/* waiting for a client */
	CP_OPEN,		/* a client is connected */
	CP_CLOSED		/* over: :restart waits for another */
};

#ifndef HAVE_OPENSSL
struct tls;
struct tls_server;
#endif

struct clientpeer {
	struct peer peer;
	struct clientpeer_opts o;
	struct tx_sink sink;
	enum explain_level level;
	struct session *s;
	enum cstate st;
	int lfd, fd;
	struct tls_server *ts;
	struct tls *tls;
	long long deadline;	/* for the client: to come, to speak */
	char addr[80];
	char line[CLIENT_LINE_MAX];
	size_t len, total;	/* the line so far, kept and in all */
	int told_lf;		/* the bare-LF note was given */
	int status;		/* exit status */
};

#define SELF(p) ((struct clientpeer *)(void *)(p))

static void note(struct clientpeer *cp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(struct clientpeer *cp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_vemitf(&cp->sink, TX_NOTE, NULL, fmt, ap);
	va_end(ap);
}

static void say_error(struct clientpeer *cp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say_error(struct clientpeer *cp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_vemitf(&cp->sink, TX_ERROR, NULL, fmt, ap);
	va_end(ap);
}

static int timeout_ms(const struct clientpeer *cp)
{
	return (cp->o.timeout_s > 0 ? cp->o.timeout_s : SERVER_IDLE_TIMEOUT) * 1000;
}

/* hang_up - the connection is over (the session knows already) */
static void hang_up(struct clientpeer *cp)
{
#ifdef HAVE_OPENSSL
	tls_free(cp->tls);
#endif
	cp->tls = NULL;
	if (cp->fd >= 0)
		close(cp->fd);
	if (cp->lfd >= 0)
		close(cp->lfd);
	cp->fd = cp->lfd = -1;
	cp->st = CP_CLOSED;
}

/* ---- writing the learner's replies -------------------------------------- */

/* put - what the socket takes now: > 0, 0 (wait for *ev), -1 failed */
static ssize_t put(struct clientpeer *cp, const char *p, size_t n, short *ev)
{
	ssize_t w;

	*ev = POLLOUT;
#ifdef HAVE_OPENSSL
	if (cp->tls) {
		char err[128];
		int want;

		w = tls_write(cp->tls, p, n, &want, err, sizeof err);
		if (w > 0)
			return w;
		*ev = (short)want;
		return want ? 0 : -1;
	}
#endif
	w = send(cp->fd, p, n, MSG_NOSIGNAL);
	if (w >= 0)
		return w;
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
}

/* wire - a reply the learner completed (session_wire), written whole */
static void wire(void *ctx, const char *b, size_t n)
{
	struct clientpeer *cp = ctx;
	long long end = net_now_ms() + WRITE_MS;

	while (n > 0 && cp->st == CP_OPEN) {
		short ev;
		ssize_t w = put(cp, b, n, &ev);
		struct pollfd pfd = { cp->fd, ev, 0 };

		if (w > 0) {
			b += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 || net_now_ms() >= end ||
		    poll(&pfd, 1, (int)(end - net_now_ms())) < 0) {
			say_error(cp, "the reply could not be sent: %s",
			    w < 0 ? strerror(errno) : "the client does not read");
			hang_up(cp);
			cp->status = 3;
		}
	}
}

/* ---- TLS, after the learner's 220 to STARTTLS ---------------------------- */

#ifdef HAVE_OPENSSL
static void tls_note(void *ctx, const char *line)
{
	note(ctx, "%s", line);
}
#endif

static void start_tls(struct clientpeer *cp)
{
#ifdef HAVE_OPENSSL
	long long end = net_now_ms() + WRITE_MS;
	char err[256], sum[128];
	int want = 0, rc;

	if (cp->len > 0)	/* RFC 3207 5, CVE-2011-0411 */
		note(cp, "%zu octets the client sent with STARTTLS, before TLS, are thrown away: they could have been injected",
		    cp->len);
	cp->len = cp->total = 0;
	if (cp->ts == NULL) {
		cp->ts = tls_server_new(NULL, NULL, NULL, err, sizeof err);
		if (cp->ts)
			tls_server_describe(cp->ts, tls_note, cp);
	}
	cp->tls = cp->ts ? tls_accept_new(cp->ts, cp->fd, err, sizeof err) : NULL;
	while (cp->tls && (rc = tls_handshake(cp->tls, &want, err, sizeof err)) == 0) {
		struct pollfd pfd = { cp->fd, (short)want, 0 };

		if (net_now_ms() >= end || poll(&pfd, 1, (int)(end - net_now_ms())) <= 0) {
			snprintf(err, sizeof err, "the TLS handshake did not finish within %d s",
			    WRITE_MS / 1000);
			rc = -1;
			break;
		}
	}
	if (cp->tls == NULL || rc < 0) {
		say_error(cp, "%s", err);
		session_end(cp->s);
		hang_up(cp);
		cp->status = 3;
		return;
	}
	tls_summary(cp->tls, sum, sizeof sum);
	note(cp, "TLS is on: %s. The client starts over with EHLO (RFC 3207 4.2).", sum);
#else
	say_error(cp, "this smtpref was built without OpenSSL: no TLS");
	session_end(cp->s);
	hang_up(cp);
	cp->status = 3;
#endif
}

/* ---- reading the client --------------------------------------------------- */

static void client_gone(struct clientpeer *cp, const char *why)
{
	struct peer *sp = session_peer(cp->s);

	note(cp, "%s", why);
	sp->ops->close(sp);
	hang_up(cp);
	if (cp->status == 0)
		cp->status = 1;
}

/* lines - the complete lines in what was read */
static void lines(struct clientpeer *cp, const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end && cp->st == CP_OPEN) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t k = lf ? (size_t)(lf - p) : (size_t)(end - p);
		size_t room = sizeof cp->line - cp->len;

		memcpy(cp->line + cp->len, p, k < room ? k : room);
		cp->len += k < room ? k : room;
		cp->total += k;
		p += k;
		if (lf == NULL)
			return;
		p++;
		if (cp->len > 0 && cp->line[cp->len - 1] == '\r')
			cp->len--;
		else if (!cp->told_lf++)
			note(cp, "This line ended in a bare LF: SMTP lines end in CRLF (RFC 5321 2.3.8), and a strict server would refuse it.");
		if (cp->total > sizeof cp->line)
			note(cp, "The client sent a line of %zu octets: only the first %zu are kept (RFC 5321 4.5.3.1 allows 512 for a command, 1000 for a line of text).",
			    cp->total, sizeof cp->line);
		session_client_line(cp->s, cp->line, cp->len);
		cp->len = cp->total = 0;
		cp->deadline = net_now_ms() + timeout_ms(cp);
	}
}

static void read_client(struct clientpeer *cp)
{
	char buf[4096];
	int i;

	for (i = 0; i < 16 && cp->st == CP_OPEN; i++) {
		ssize_t n;
#ifdef HAVE_OPENSSL
		if (cp->tls) {
			char err[256];
			int want;

			n = tls_read(cp->tls, buf, sizeof buf, &want, err, sizeof err);
			if (n < 0 && want)
				return;
			if (n < 0) {
				client_gone(cp, err);
				return;
			}
		} else
#endif
		{
			n = recv(cp->fd, buf, sizeof buf, 0);
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR))
				return;
			if (n < 0) {
				client_gone(cp, strerror(errno));
				return;
			}
		}
		if (n == 0) {
			client_gone(cp, "The client closed the connection.");
			return;
		}
		lines(cp, buf, (size_t)n);
	}
}

/* ---- listening ---------------------------------------------------------------- */

static struct session *new_session(struct clientpeer *cp)
{
	struct session_opts so;
	struct session *s;

	memset(&so, 0, sizeof so);
	so.role = SESSION_SERVER;
	so.persona = cp->o.persona;
	so.level = cp->level;
	so.hints = cp->o.hints;
	s = session_new(&so, &cp->sink);
	if (s && session_track(s, cp->o.persona) != 0) {
		session_free(s);
		s = NULL;
	}
	if (s)
		session_wire(s, wire, cp);
	return s;
}

static int bind_port(struct clientpeer *cp, char *err, size_t errlen)
{
	struct sockaddr_in sin;
	int one = 1;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)cp->o.port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cp->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (cp->lfd >= 0)
		setsockopt(cp->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (cp->lfd < 0 || bind(cp->lfd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(cp->lfd, 4) != 0) {
		snprintf(err, errlen, "cannot listen on 127.0.0.1:%u: %s", cp->o.port,
		    strerror(errno));
		if (cp->lfd >= 0)
			close(cp->lfd);
		cp->lfd = -1;
		return -1;
	}
	return 0;
}

static void accept_client(struct clientpeer *cp)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char host[64], serv[16];
	int fd = accept4(cp->lfd, (struct sockaddr *)&ss, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	close(cp->lfd);		/* one client: others are refused */
	cp->lfd = -1;
	cp->fd = fd;
	cp->st = CP_OPEN;
	if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, serv,
	    sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		snprintf(host, sizeof host, "?");
	snprintf(cp->addr, sizeof cp->addr, "%s:%s", host, serv);
	note(cp, "A client connected from %s. You are its server: it waits for your greeting.",
	    cp->addr);
	session_start(cp->s);
	cp->deadline = net_now_ms() + timeout_ms(cp);
}

/* ---- the peer ------------------------------------------------------------------ */

/* client_turn - the client must send something before the next reply */
static int client_turn(const struct clientpeer *cp)
{
	const struct client *cl = session_client(cp->s);

	return cp->st == CP_LISTENING || (cp->st == CP_OPEN && cl &&
	    client_awaits(cl) == NULL && !client_done(cl));
}

static void p_start(struct peer *p)
{
	struct clientpeer *cp = SELF(p);
	char err[256];

	if (cp->st != CP_NEW)
		return;
	if (bind_port(cp, err, sizeof err) != 0) {
		say_error(cp, "%s", err);
		cp->st = CP_CLOSED;
		cp->status = 3;
		return;
	}
	cp->st = CP_LISTENING;
	cp->deadline = net_now_ms() + timeout_ms(cp);
	note(cp, "Waiting on 127.0.0.1:%u for a client (swaks, curl, your program), for %d s at most. You are its server: your replies go to it, checked as in the server role.",
	    cp->o.port, timeout_ms(cp) / 1000);
}

static void p_process(struct peer *p)
{
	struct clientpeer *cp = SELF(p);

	if (cp->st == CP_LISTENING)
		accept_client(cp);
	if (cp->st == CP_OPEN)
		read_client(cp);
	if (!client_turn(cp) || net_now_ms() < cp->deadline)
		return;
	if (cp->st == CP_LISTENING) {
		note(cp, "No client came within %d s. :restart waits again; :quit leaves.",
		    timeout_ms(cp) / 1000);
		hang_up(cp);
		cp->status = 1;
	} else
		client_gone(cp, "The client said nothing for too long: a server gives up after a while (at least 5 minutes, RFC 5321 4.5.3.2.7) with 421.");
}

static int p_fd(const struct peer *p)
{
	const struct clientpeer *cp = SELF(p);

	return cp->st == CP_LISTENING ? cp->lfd : cp->st == CP_OPEN ? cp->fd : -1;
}

static int p_timeout(const struct peer *p)
{
	const struct clientpeer *cp = SELF(p);
	long long left = cp->deadline - net_now_ms();

	if (!client_turn(cp))
		return -1;
	return left <= 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

static void p_wait(struct peer *p)
{
	struct clientpeer *cp = SELF(p);

	while (client_turn(cp)) {
		struct pollfd pfd = { p_fd(p), POLLIN, 0 };

		if (poll(&pfd, 1, p_timeout(p)) < 0 && errno != EINTR)
			break;
		p_process(p);
	}
}

static int p_line(struct peer *p, const char *line, size_t len)
{
	struct clientpeer *cp = SELF(p);
	int tls = session_tls(cp->s), secret;
	const struct client *cl;

	if (cp->st != CP_OPEN) {
		say_error(cp, "no client is connected%s", cp->st == CP_CLOSED ?
		    "; :restart waits for another" : "");
		return 0;
	}
	secret = session_input(cp->s, line, len);
	cl = session_client(cp->s);
	if (cp->st == CP_OPEN && !tls && session_tls(cp->s))
		start_tls(cp);
	if (cp->st == CP_OPEN && cl && client_done(cl)) {
		if (client_last_code(cl) != 221)
			cp->status = 1;
		hang_up(cp);
	}
	cp->deadline = net_now_ms() + timeout_ms(cp);
	return secret;
}

static int p_group(struct peer *p, const char *const *lines,
    const size_t *lens, size_t n)
{
	size_t i;
	int secret = 0;

	for (i = 0; i < n; i++)
		secret |= p_line(p, lines[i], lens[i]);
	return secret;
}

static void p_leave(struct peer *p)
{
	struct clientpeer *cp = SELF(p);

	if (cp->st == CP_OPEN)
		session_end(cp->s);
	if (cp->st != CP_CLOSED) {
		hang_up(cp);
		if (cp->status == 0 && !client_done(session_client(cp->s)))
			cp->status = 1;
	}
}

static void p_close(struct peer *p)
{
	struct clientpeer *cp = SELF(p);
	struct peer *sp = session_peer(cp->s);

	if (cp->st == CP_OPEN)
		sp->ops->close(sp);
	if (cp->st != CP_CLOSED)
		hang_up(cp);
}

static void p_free(struct peer *p)
{
	struct clientpeer *cp = SELF(p);

	hang_up(cp);
	session_free(cp->s);
#ifdef HAVE_OPENSSL
	tls_server_free(cp->ts);
#endif
	free(cp);
}

static enum peer_input p_input(const struct peer *p)
{
	const struct clientpeer *cp = SELF(p);

	if (cp->st == CP_CLOSED)
		return PEER_IN_CLOSED;
	if (cp->st != CP_OPEN)
		return PEER_IN_REPLY;
	switch (session_mode(cp->s)) {
	case SESSION_REPLY_MORE: return PEER_IN_REPLY_MORE;
	case SESSION_CLOSED: return PEER_IN_CLOSED;
	default: return PEER_IN_REPLY;
	}
}

static enum peer_wait p_waiting(const struct peer *p, char *what, size_t size)
{
	const struct clientpeer *cp = SELF(p);
	const struct client *cl = session_client(cp->s);

	if (!client_turn(cp))
		return PEER_WAIT_NONE;
	snprintf(what, size, "%s", cp->st == CP_LISTENING ? "a client to connect" :
	    cl && client_server_phase(cl) == SERVER_DATA ? "the client's message" :
	    "the client's next command");
	return PEER_WAIT_REPLY;
}

static int p_phase(const struct peer *p)
{
	const struct client *cl = session_client(SELF(p)->s);

	return cl ? client_server_phase(cl) : SERVER_CONNECTED;
}

static size_t p_next(const struct peer *p, char *buf, size_t size)
{
	const struct client *cl = session_client(SELF(p)->s);

	if (size)
		buf[0] = 0;
	return cl && SELF(p)->st == CP_OPEN ? session_client_next(cl, buf, size) : 0;
}

static void p_state(const struct peer *p, const struct tx_sink *out)
{
	const struct clientpeer *cp = SELF(p);
	const struct client *cl = session_client(cp->s);
	const char *persona = cp->o.persona ? cp->o.persona->name : "modern";
	char you[300];

	if (cp->st == CP_LISTENING || cp->st == CP_NEW) {
		tx_emitf(out, TX_EXPLAIN, "state", "You are the server; no client yet: waiting on 127.0.0.1:%u.",
		    cp->o.port);
		return;
	}
	snprintf(you, sizeof you, "You are the server of a real client (%s%s); your replies are compared with what the '%s' persona would answer.",
	    cp->addr, cp->st == CP_CLOSED ? ", gone now" : "", persona);
	if (cl)
		session_client_state(cl, session_tls(cp->s), out, you);
}

static void p_info(const struct peer *p, struct peer_info *out)
{
	const struct clientpeer *cp = SELF(p);

	memset(out, 0, sizeof *out);
	out->learner_server = 1;
	out->other = "real client";
	out->name = cp->addr[0] ? cp->addr : "none yet";
	out->detail = cp->o.persona ? cp->o.persona->name : "modern";
}

static int p_offers(const struct peer *p, const char *keyword)
{
	(void)p;
	(void)keyword;
	return 0;
}

static const char *p_mechs(const struct peer *p)
{
	(void)p;
	return NULL;
}

static const char *p_reply_to(const struct peer *p)
{
	const struct client *cl = session_client(SELF(p)->s);

	return cl && SELF(p)->st == CP_OPEN ? client_awaits(cl) : NULL;
}

static unsigned p_caps(const struct peer *p)
{
	(void)p;
	return PEER_LIVE | PEER_CAN_RESTART;
}

static int p_tls(const struct peer *p)
{
	return session_tls(SELF(p)->s);
}

static void p_set_level(struct peer *p, enum explain_level level)
{
	SELF(p)->level = level;
	session_set_level(SELF(p)->s, level);
}

static int p_exit_status(const struct peer *p)
{
	return SELF(p)->status;
}

/* p_restart - wait for another client, on the same port */
static void p_restart(struct peer *p)
{
	struct clientpeer *cp = SELF(p);
	struct session *s;

	p_close(p);
	if ((s = new_session(cp)) == NULL) {
		say_error(cp, "out of memory");
		return;
	}
	session_free(cp->s);
	cp->s = s;
	cp->st = CP_NEW;
	cp->addr[0] = 0;
	cp->len = cp->total = 0;
	cp->told_lf = 0;
	cp->status = 0;
	p_start(p);
}

static const struct peer_ops clientpeer_ops = {
	.start = p_start,
	.line = p_line,
	.group = p_group,
	.leave = p_leave,
	.close = p_close,
	.free = p_free,
	.input = p_input,
	.waiting = p_waiting,
	.phase = p_phase,
	.next = p_next,
	.state = p_state,
	.info = p_info,
	.offers = p_offers,
	.mechs = p_mechs,
	.reply_to = p_reply_to,
	.caps = p_caps,
	.tls = p_tls,
	.set_level = p_set_level,
	.fd = p_fd,
	.timeout = p_timeout,
	.process = p_process,
	.wait = p_wait,
	.exit_status = p_exit_status,
	.restart = p_restart,
};

struct peer *clientpeer_new(const struct clientpeer_opts *o,
    const struct tx_sink *sink)
{
	struct clientpeer *cp = calloc(1, sizeof *cp);

	if (cp == NULL)
		return NULL;
	cp->peer.ops = &clientpeer_ops;
	cp->o = *o;
	if (sink)
		cp->sink = *sink;
	cp->level = EXPLAIN_FULL;
	cp->fd = cp->lfd = -1;
	if ((cp->s = new_session(cp)) == NULL) {
		free(cp);
		return NULL;
	}
	return &cp->peer;
}
