/* SPDX-License-Identifier: GPL-3.0-or-later */
/* conn.c - a connection to a real SMTP server: the socket, TLS and the
 * bounded reply reader
 *
 * RFC 8314 (implicit TLS), RFC 3207 5 (nothing read before the handshake
 * belongs to the TLS session).  Everything that blocks has a deadline:
 * connecting, the handshake, each write.  Reading never blocks; the
 * caller polls conn_fd() and keeps the reply deadlines.
 */
#include <config.h>

#include "net/conn.h"

#include "net/net.h"
#ifdef HAVE_OPENSSL
#include "net/tls.h"
#endif

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define INJECTED_MAX 65536	/* plaintext drained after STARTTLS's 220 */

struct conn {
	struct conn_opts o;
	char *host, *helo;
	struct tx_sink sink;
	int fd;
#ifdef HAVE_OPENSSL
	struct tls *tls;
#endif
	int tls_on;
	int tls_failed;
	struct net_reader rd;
	struct net_addr addr;	/* where it is connected, for reconnecting */
	char error[1024];
};

static void note(struct conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(struct conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_vemitf(&c->sink, TX_NOTE, NULL, fmt, ap);
	va_end(ap);
}

static int failed(struct conn *c, int tls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int failed(struct conn *c, int tls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->error, sizeof c->error, fmt, ap);
	va_end(ap);
	c->tls_failed = tls;
	return -1;
}

void conn_tls_info(const struct conn *c, struct outcome_tls *out)
{
	memset(out, 0, sizeof *out);
#ifdef HAVE_OPENSSL
	if (c->tls && c->tls_on)
		tls_info(c->tls, out);
#else
	(void)c;
#endif
}

void conn_close(struct conn *c)
{
#ifdef HAVE_OPENSSL
	tls_free(c->tls);
	c->tls = NULL;
#endif
	c->tls_on = 0;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	net_reader_discard(&c->rd);
}

/* ---- TLS ------------------------------------------------------------------ */

#ifdef HAVE_OPENSSL
static void describe_line(void *ctx, const char *line)
{
	note(ctx, "%s", line);
}
#endif

/* handshake - TLS on the connected socket */
static int handshake(struct conn *c)
{
#ifdef HAVE_OPENSSL
	char err[512];

	c->tls = tls_start(c->fd, c->host, c->o.insecure, c->o.timeout_ms, err,
	    sizeof err);
	if (c->tls == NULL)
		return failed(c, 1, "TLS with %s failed: %s", c->host, err);
	c->tls_on = 1;
	tls_describe(c->tls, describe_line, c);
	if (!tls_verified(c->tls))
		tx_emitf(&c->sink, TX_FINDING, "insecure",
		    "the certificate did NOT verify (%s): smtpref goes on only because of --insecure, and an attacker could read or change this session",
		    tls_verify_error(c->tls));
	return 0;
#else
	return failed(c, 1, "this smtpref was built without OpenSSL, so it cannot start TLS");
#endif
}

int conn_starttls(struct conn *c, size_t *injected, char *preview,
    size_t size)
{
	size_t got = 0, held = net_reader_partial(&c->rd);
	char buf[NET_CHUNK];

	preview[0] = 0;
	if (held > 0) {
		/* the reader's buffer starts with what followed the 220 */
		tx_printable(c->rd.buf, held < 60 ? held : 60, preview, size);
		got = net_reader_discard(&c->rd);
	}
	while (got < INJECTED_MAX) {
		ssize_t k = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);

		if (k <= 0)
			break;
		if (preview[0] == 0)
			tx_printable(buf, (size_t)k < 60 ? (size_t)k : 60, preview, size);
		got += (size_t)k;
	}
	*injected = got;
	return handshake(c);
}

/* ---- connecting ------------------------------------------------------------ */

int conn_connect(struct conn *c)
{
	struct net_addr addrs[NET_ADDRS_MAX];
	char err[512];
	int n, i;

	n = net_resolve(c->host, c->o.port, c->o.family, addrs, NET_ADDRS_MAX,
	    err, sizeof err);
	if (n < 0)
		return failed(c, 0, "%s", err);
	for (i = 0; i < n; i++) {
		note(c, "connecting to %s port %u ...", addrs[i].text, c->o.port);
		c->fd = net_connect(&addrs[i], c->o.timeout_ms, err, sizeof err);
		if (c->fd >= 0) {
			c->addr = addrs[i];
			note(c, "connected to %s (%s) port %u", c->host,
			    addrs[i].text, c->o.port);
			net_reader_discard(&c->rd);
			return c->o.tls == CONN_TLS_IMPLICIT ? handshake(c) : 0;
		}
		if (i + 1 < n)
			note(c, "%s port %u: %s; trying the next address",
			    addrs[i].text, c->o.port, err);
	}
	return failed(c, 0, "cannot connect to %s port %u: %s", c->host,
	    c->o.port, err);
}

int conn_reconnect(struct conn *c)
{
	char err[512];

	conn_close(c);
	note(c, "connecting again to %s port %u ...", c->addr.text, c->o.port);
	c->fd = net_connect(&c->addr, c->o.timeout_ms, err, sizeof err);
	if (c->fd < 0)
		return failed(c, 0, "cannot connect again to %s port %u: %s",
		    c->addr.text, c->o.port, err);
	return c->o.tls == CONN_TLS_IMPLICIT ? handshake(c) : 0;
}

/* ---- reading and writing ----------------------------------------------------- */

/* read_some - recv, through TLS when it is on: > 0 octets, 0 closed, -1
 * with *again set when nothing is there yet */
static ssize_t read_some(struct conn *c, char *buf, size_t size, int *again)
{
	ssize_t k;
	char err[256] = "";

	*again = 0;
#ifdef HAVE_OPENSSL
	if (c->tls) {
		int want = 0;

		k = tls_read(c->tls, buf, size, &want, err, sizeof err);
		*again = k < 0 && want != 0;
		if (k < 0 && !*again)
			failed(c, 0, "reading from the server failed: %s", err);
		return k;
	}
#endif
	k = recv(c->fd, buf, size, MSG_DONTWAIT);
	if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		*again = 1;
	else if (k < 0)
		failed(c, 0, "reading from the server failed: %s", strerror(errno));
	return k;
}

/* reader_events - hand what the reader holds to fn; 1 to stop */
static int reader_events(struct conn *c, int (*fn)(void *, enum conn_event,
    const char *, size_t, int), void *ctx)
{
	for (;;) {
		enum net_rd r = net_reader_next(&c->rd);
		size_t len;
		const char *wire;
		int stop;

		if (r == NET_RD_MORE)
			return 0;
		wire = net_reader_reply(&c->rd, &len);
		switch (r) {
		case NET_RD_REPLY: {
			/* fn may discard the reader (STARTTLS): a copy */
			char *copy = malloc(len + 1);
			int code = c->rd.code;

			if (copy == NULL) {
				failed(c, 0, "out of memory");
				return fn(ctx, CONN_FAILED, NULL, 0, 0), 1;
			}
			memcpy(copy, wire, len);
			net_reader_consume(&c->rd);
			stop = fn(ctx, CONN_REPLY, copy, len, code);
			free(copy);
			if (stop || c->fd < 0)
				return 1;
			break;
		}
		case NET_RD_TOO_LONG:
			return fn(ctx, CONN_TOO_LONG, wire + len, 60, 0), 1;
		case NET_RD_TOO_MANY:
			return fn(ctx, CONN_TOO_MANY, wire, len, c->rd.code), 1;
		case NET_RD_BAD_LINE:
			return fn(ctx, CONN_BAD_LINE, wire, len, 0), 1;
		default:
			return fn(ctx, CONN_MIXED, wire, len, c->rd.code), 1;
		}
	}
}

int conn_read(struct conn *c, int (*fn)(void *ctx, enum conn_event ev,
    const char *wire, size_t len, int code), void *ctx)
{
	char buf[NET_CHUNK];

	while (c->fd >= 0) {
		int again = 0;
		ssize_t k = read_some(c, buf, sizeof buf, &again);

		if (k > 0) {
			if (net_reader_push(&c->rd, buf, (size_t)k) != 0) {
				failed(c, 0, "out of memory");
				fn(ctx, CONN_FAILED, NULL, 0, 0);
				return -1;
			}
			if (reader_events(c, fn, ctx))
				return c->fd >= 0 ? 0 : -1;
		} else if (k == 0) {
			fn(ctx, CONN_EOF, NULL, 0, 0);
			return -1;
		} else if (again) {
			return 0;
		} else {
			fn(ctx, CONN_FAILED, NULL, 0, 0);
			return -1;
		}
	}
	return -1;
}

int conn_write(struct conn *c, const char *p, size_t len)
{
	long long deadline = net_now_ms() + c->o.timeout_ms;
	char err[256] = "";

	while (len > 0 && c->fd >= 0) {
		ssize_t k;
		short ev = POLLOUT;
		int again = 0;

#ifdef HAVE_OPENSSL
		if (c->tls) {
			int want = 0;

			k = tls_write(c->tls, p, len, &want, err, sizeof err);
			again = k < 0 && want != 0;
			if (want)
				ev = (short)want;
		} else
#endif
		{
			k = send(c->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR))
				again = 1;
			else if (k < 0)
				snprintf(err, sizeof err, "%s", strerror(errno));
		}
		if (k > 0) {
			p += k;
			len -= (size_t)k;
			continue;
		}
		if (again) {
			struct pollfd pfd = { c->fd, ev, 0 };
			long long left = deadline - net_now_ms();

			if (left <= 0 || poll(&pfd, 1, (int)left) == 0)
				return failed(c, 0, "the server has not read what smtpref sends for %d s: giving up",
				    c->o.timeout_ms / 1000);
			continue;
		}
		return failed(c, 0, "sending to the server failed: %s",
		    err[0] ? err : "the connection was closed");
	}
	return c->fd >= 0 ? 0 : -1;
}

/* ---- life cycle and queries -------------------------------------------- */

struct conn *conn_new(const struct conn_opts *o, const struct tx_sink *sink)
{
	struct conn *c = calloc(1, sizeof *c);
	char helo[NET_HOST_MAX];

	if (c == NULL)
		return NULL;
	c->o = *o;
	if (o->helo == NULL)
		net_default_helo(helo, sizeof helo);
	c->host = strdup(o->host ? o->host : "");
	c->helo = strdup(o->helo ? o->helo : helo);
	if (sink)
		c->sink = *sink;
	c->fd = -1;
	if (c->o.timeout_ms <= 0)
		c->o.timeout_ms = 30000;
	net_reader_init(&c->rd);
	if (c->host == NULL || c->helo == NULL) {
		conn_free(c);
		return NULL;
	}
	c->o.host = c->host;
	c->o.helo = c->helo;
	return c;
}

void conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	conn_close(c);
	net_reader_free(&c->rd);
	free(c->host);
	free(c->helo);
	free(c);
}

const struct conn_opts *conn_opts(const struct conn *c)
{
	return &c->o;
}

size_t conn_partial(const struct conn *c)
{
	return net_reader_partial(&c->rd);
}

const char *conn_held(const struct conn *c, size_t *len)
{
	*len = net_reader_partial(&c->rd);
	return c->rd.buf;
}

const char *conn_bad(const struct conn *c)
{
	return c->rd.bad;
}

int conn_fd(const struct conn *c)
{
	return c->fd;
}

int conn_tls_on(const struct conn *c)
{
	return c->tls_on;
}

const char *conn_error(const struct conn *c)
{
	return c->error;
}

int conn_tls_failed(const struct conn *c)
{
	return c->tls_failed;
}

const char *conn_address(const struct conn *c)
{
	return c->addr.text;
}
