/* SPDX-License-Identifier: GPL-3.0-or-later */
/* net.c - names, addresses, MX records, connections with deadlines, and
 * the bounded reply reader of `smtpref connect`
 *
 * RFC 1035 4.1 (DNS messages), RFC 3596 (AAAA), RFC 5321 5.1 (MX and the
 * implicit MX), RFC 7505 (null MX), RFC 5321 4.2 (replies).
 *
 * The one environment variable, SMTPREF_NAMESERVER (ADDRESS[:PORT]),
 * sends every DNS query this file makes to that nameserver instead of
 * the system's: the tests run a tiny DNS responder on 127.0.0.1 and need
 * MX lookups and the names they return to be answered by it.
 */
#include <config.h>

#include "net/net.h"

#include "core/printable.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DNS_ANSWER_MAX 65536	/* the largest DNS message */

long long net_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long long net_now_ms(void)
{
	return net_now_us() / 1000;
}

/* fail - format a one-line message into err; returns -1 */
static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- addresses ------------------------------------------------------------ */

/* unbracket - host without the brackets of "[::1]", into buf */
static const char *unbracket(const char *host, char *buf, size_t size)
{
	size_t n = strlen(host);

	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < size) {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = 0;
		return buf;
	}
	return host;
}

int net_is_literal(const char *host)
{
	char buf[NET_HOST_MAX];
	unsigned char bin[sizeof(struct in6_addr)];
	const char *h = unbracket(host, buf, sizeof buf);

	return inet_pton(AF_INET, h, bin) == 1 ||
	    inet_pton(AF_INET6, h, bin) == 1;
}

/* set_addr - fill a from a binary IPv4 or IPv6 address and a port */
static void set_addr(struct net_addr *a, int family, const void *bin,
    unsigned port)
{
	memset(a, 0, sizeof *a);
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&a->ss;

		s->sin_family = AF_INET;
		s->sin_port = htons((unsigned short)port);
		memcpy(&s->sin_addr, bin, 4);
		a->len = sizeof *s;
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&a->ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons((unsigned short)port);
		memcpy(&s->sin6_addr, bin, 16);
		a->len = sizeof *s;
	}
	inet_ntop(family, bin, a->text, sizeof a->text);
}

/* nameserver - the address SMTPREF_NAMESERVER names, if set: 1 when set
 * and valid, 0 when unset, -1 when malformed */
static int nameserver(struct sockaddr_in *out, char *err, size_t errlen)
{
	const char *v = getenv("SMTPREF_NAMESERVER");
	char host[64];
	const char *colon;
	unsigned long port = 53;
	size_t n;

	if (v == NULL || *v == 0)
		return 0;
	colon = strchr(v, ':');
	n = colon ? (size_t)(colon - v) : strlen(v);
	if (n >= sizeof host)
		return fail(err, errlen, "SMTPREF_NAMESERVER is not ADDRESS[:PORT]: %s", v);
	memcpy(host, v, n);
	host[n] = 0;
	if (colon) {
		char *end;

		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (errno || *end || port == 0 || port > 65535)
			return fail(err, errlen, "SMTPREF_NAMESERVER has a bad port: %s", v);
	}
	memset(out, 0, sizeof *out);
	out->sin_family = AF_INET;
	out->sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &out->sin_addr) != 1)
		return fail(err, errlen, "SMTPREF_NAMESERVER must be an IPv4 address[:port]: %s", v);
	return 1;
}

/* dns_init - a resolver state, pointed at SMTPREF_NAMESERVER when set */
static int dns_init(struct __res_state *st, int timeout_ms, char *err,
    size_t errlen)
{
	struct sockaddr_in ns;
	int r = nameserver(&ns, err, errlen);

	if (r < 0)
		return -1;
	memset(st, 0, sizeof *st);
	if (res_ninit(st) != 0)
		return fail(err, errlen, "cannot initialise the resolver");
	if (r == 1) {
		st->nscount = 1;
		st->nsaddr_list[0] = ns;
	}
	/* each try waits this long (the resolver counts whole seconds); two
	 * tries, or one when the timeout is too short for two */
	st->retrans = timeout_ms >= 2000 ? timeout_ms / 2000 : 1;
	if (st->retrans > 5)
		st->retrans = 5;
	st->retry = timeout_ms >= 2000 ? 2 : 1;
	return 0;
}

/* A resource record of a DNS answer section. */
struct rr {
	unsigned type;
	const unsigned char *rdata;
	size_t rdlen;
};

/* skip_name - the length of the (possibly compressed) name at p */
static int skip_name(const unsigned char *msg, const unsigned char *eom,
    const unsigned char *p)
{
	char name[NS_MAXDNAME];

	return dn_expand(msg, eom, p, name, sizeof name);
}

/* answers - the records of the answer section of msg, through fn;
 * returns 0, or -1 when the message is malformed */
static int answers(const unsigned char *msg, size_t len,
    int (*fn)(void *ctx, const struct rr *rr), void *ctx)
{
	const unsigned char *p = msg + 12, *eom = msg + len;
	unsigned qd, an, i;

	if (len < 12)
		return -1;
	qd = (unsigned)msg[4] << 8 | msg[5];
	an = (unsigned)msg[6] << 8 | msg[7];
	for (i = 0; i < qd; i++) {
		int k = skip_name(msg, eom, p);

		if (k < 0 || eom - p < k + 4)
			return -1;
		p += k + 4;
	}
	for (i = 0; i < an; i++) {
		struct rr rr;
		int k = skip_name(msg, eom, p);

		if (k < 0 || eom - p < k + 10)
			return -1;
		p += k;
		rr.type = (unsigned)p[0] << 8 | p[1];
		rr.rdlen = (size_t)p[8] << 8 | p[9];
		p += 10;
		if ((size_t)(eom - p) < rr.rdlen)
			return -1;
		rr.rdata = p;
		/* class IN only (RFC 1035 3.2.4) */
		if ((p[-8] << 8 | p[-7]) == 1 && fn(ctx, &rr) != 0)
			return -1;
		p += rr.rdlen;
	}
	return 0;
}

struct mx_parse {
	const unsigned char *msg, *eom;
	struct net_mx *mx;
	size_t max, n;
};

static int on_mx(void *ctx, const struct rr *rr)
{
	struct mx_parse *m = ctx;
	char name[NS_MAXDNAME];
	int k;

	if (rr->type != 15)	/* MX, RFC 1035 3.3.9 */
		return 0;
	if (rr->rdlen < 3)
		return -1;
	k = dn_expand(m->msg, m->eom, rr->rdata + 2, name, sizeof name);
	if (k < 0 || (size_t)k + 2 > rr->rdlen)
		return -1;
	if (m->n >= m->max)
		return 0;
	if (strlen(name) >= NET_HOST_MAX)
		return -1;	/* longer than RFC 5321 4.5.3.1.2 allows */
	m->mx[m->n].pref = (unsigned)rr->rdata[0] << 8 | rr->rdata[1];
	strcpy(m->mx[m->n].host, name);
	m->n++;
	return 0;
}

int net_mx_parse(const unsigned char *msg, size_t len, struct net_mx *mx,
    size_t max)
{
	struct mx_parse m = { msg, msg + len, mx, max, 0 };

	if (answers(msg, len, on_mx, &m) != 0)
		return -1;
	return (int)m.n;
}

void net_mx_sort(struct net_mx *mx, size_t n)
{
	size_t i, j;

	/* insertion sort: stable, and n is small */
	for (i = 1; i < n; i++) {
		struct net_mx t = mx[i];

		for (j = i; j > 0 && mx[j - 1].pref > t.pref; j--)
			mx[j] = mx[j - 1];
		mx[j] = t;
	}
}

enum net_mx_result net_mx_lookup(const char *domain, int timeout_ms,
    struct net_mx *mx, size_t max, size_t *n, char *err, size_t errlen)
{
	struct __res_state st;
	unsigned char *ans;
	int len, k, herr;

	*n = 0;
	if (max == 0 || strlen(domain) >= NET_HOST_MAX) {
		fail(err, errlen, "the domain name is too long: %.60s...", domain);
		return NET_MX_FAILED;
	}
	if (dns_init(&st, timeout_ms, err, errlen) != 0)
		return NET_MX_FAILED;
	ans = malloc(DNS_ANSWER_MAX);
	if (ans == NULL) {
		res_nclose(&st);
		fail(err, errlen, "out of memory");
		return NET_MX_FAILED;
	}
	len = res_nquery(&st, domain, C_IN, T_MX, ans, DNS_ANSWER_MAX);
	herr = st.res_h_errno;
	res_nclose(&st);
	if (len < 0) {
		free(ans);
		if (herr == HOST_NOT_FOUND)
			return NET_MX_NXDOMAIN;
		if (herr == NO_DATA)
			goto implicit;
		fail(err, errlen, "the MX lookup for %s failed: %s", domain,
		    herr == TRY_AGAIN ? "no answer from the nameserver (timeout or server failure)" :
		    hstrerror(herr));
		return NET_MX_FAILED;
	}
	k = net_mx_parse(ans, len > DNS_ANSWER_MAX ? DNS_ANSWER_MAX : (size_t)len,
	    mx, max);
	free(ans);
	if (k < 0) {
		fail(err, errlen, "the nameserver's answer for %s is malformed", domain);
		return NET_MX_FAILED;
	}
	if (k == 0)
		goto implicit;
	*n = (size_t)k;
	net_mx_sort(mx, *n);
	/* RFC 7505 3: a single MX whose exchange is the root */
	if (*n == 1 && mx[0].host[0] == 0)
		return NET_MX_NULL;
	return NET_MX_FOUND;
implicit:
	/* RFC 5321 5.1: no MX, the domain itself with preference 0 */
	mx[0].pref = 0;
	snprintf(mx[0].host, sizeof mx[0].host, "%s", domain);
	*n = 1;
	return NET_MX_IMPLICIT;
}

struct addr_parse {
	struct net_addr *out;
	size_t max, n;
	unsigned port;
};

static int on_addr(void *ctx, const struct rr *rr)
{
	struct addr_parse *a = ctx;

	if (a->n >= a->max)
		return 0;
	if (rr->type == 1 && rr->rdlen == 4)	/* A */
		set_addr(&a->out[a->n++], AF_INET, rr->rdata, a->port);
	else if (rr->type == 28 && rr->rdlen == 16)	/* AAAA */
		set_addr(&a->out[a->n++], AF_INET6, rr->rdata, a->port);
	return 0;
}

/* resolve_dns - A and AAAA records of host through res_nquery (when
 * SMTPREF_NAMESERVER is set); IPv6 first, as getaddrinfo would */
static int resolve_dns(const char *host, unsigned port, int family,
    struct net_addr *out, size_t max, char *err, size_t errlen)
{
	static const int types[2] = { T_AAAA, T_A };
	struct addr_parse a = { out, max, 0, port };
	struct __res_state st;
	unsigned char *ans;
	int i, herr = 0;

	if (dns_init(&st, 5000, err, errlen) != 0)
		return -1;
	ans = malloc(DNS_ANSWER_MAX);
	if (ans == NULL) {
		res_nclose(&st);
		return fail(err, errlen, "out of memory");
	}
	for (i = 0; i < 2; i++) {
		int len;

		if ((types[i] == T_A && family == AF_INET6) ||
		    (types[i] == T_AAAA && family == AF_INET))
			continue;
		len = res_nquery(&st, host, C_IN, types[i], ans, DNS_ANSWER_MAX);
		if (len < 0) {
			if (herr == 0 || herr == NO_DATA)
				herr = st.res_h_errno;
			continue;
		}
		if (answers(ans, (size_t)len, on_addr, &a) != 0)
			herr = NO_RECOVERY;
	}
	res_nclose(&st);
	free(ans);
	if (a.n == 0)
		return fail(err, errlen, "cannot resolve %s: %s", host,
		    herr == HOST_NOT_FOUND ? "no such host" :
		    herr == NO_DATA || herr == 0 ? "no address of that family" :
		    hstrerror(herr));
	return (int)a.n;
}

int net_resolve(const char *host, unsigned port, int family,
    struct net_addr *out, size_t max, char *err, size_t errlen)
{
	char buf[NET_HOST_MAX];
	struct addrinfo hints, *res, *ai;
	struct sockaddr_in ns;
	const char *h = unbracket(host, buf, sizeof buf);
	unsigned char bin[16];
	size_t n = 0;
	int rc;

	if (max == 0)
		return fail(err, errlen, "no room for addresses");
	/* literals need no resolver */
	if (inet_pton(AF_INET, h, bin) == 1 || inet_pton(AF_INET6, h, bin) == 1) {
		int fam = inet_pton(AF_INET, h, bin) == 1 ? AF_INET : AF_INET6;

		if (family != AF_UNSPEC && family != fam)
			return fail(err, errlen, "%s is an IPv%d address, but -%d was given",
			    h, fam == AF_INET ? 4 : 6, family == AF_INET ? 4 : 6);
		set_addr(&out[0], fam, bin, port);
		return 1;
	}
	if (*h == 0)
		return fail(err, errlen, "the host name is empty");
	rc = nameserver(&ns, err, errlen);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return resolve_dns(h, port, family, out, max, err, errlen);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	rc = getaddrinfo(h, NULL, &hints, &res);
	if (rc != 0)
		return fail(err, errlen, "cannot resolve %s: %s", h,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	for (ai = res; ai && n < max; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			set_addr(&out[n++], AF_INET,
			    &((struct sockaddr_in *)ai->ai_addr)->sin_addr, port);
		else if (ai->ai_family == AF_INET6)
			set_addr(&out[n++], AF_INET6,
			    &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, port);
	}
	freeaddrinfo(res);
	if (n == 0)
		return fail(err, errlen, "cannot resolve %s: no address of that family", h);
	return (int)n;
}

int net_connect(const struct net_addr *a, int timeout_ms, char *err,
    size_t errlen)
{
	int fd = socket(a->ss.ss_family, SOCK_STREAM, 0), soerr = 0;
	socklen_t sl = sizeof soerr;
	struct pollfd pfd;
	int flags, rc;

	if (fd < 0)
		return fail(err, errlen, "cannot create a socket: %s", strerror(errno));
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		close(fd);
		return fail(err, errlen, "cannot set up the socket: %s", strerror(errno));
	}
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		rc = errno;
		close(fd);
		return fail(err, errlen, "%s", strerror(rc));
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	do
		rc = poll(&pfd, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc == 0) {
		close(fd);
		return fail(err, errlen, "no answer within %d s (connection timed out)",
		    (timeout_ms + 999) / 1000);
	}
	if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr != 0) {
		close(fd);
		return fail(err, errlen, "%s", strerror(soerr));
	}
	return fd;
}

/* ---- the bounded reply reader ------------------------------------------ */

static const char *const rd_names[] = {
	[NET_RD_MORE] = "more",
	[NET_RD_REPLY] = "reply",
	[NET_RD_TOO_LONG] = "line too long",
	[NET_RD_TOO_MANY] = "too many lines",
	[NET_RD_BAD_LINE] = "not a reply line",
	[NET_RD_MIXED] = "mixed reply codes",
};
_Static_assert(sizeof rd_names / sizeof rd_names[0] == NET_RD_LAST,
    "one name per reader result");

const char *net_rd_str(enum net_rd r)
{
	return (unsigned)r < NET_RD_LAST ? rd_names[r] : "?";
}

void net_reader_init(struct net_reader *r)
{
	memset(r, 0, sizeof *r);
	reply_acc_init(&r->acc);
}

void net_reader_free(struct net_reader *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}

int net_reader_push(struct net_reader *r, const char *p, size_t n)
{
	if (n > NET_CHUNK)
		return -1;	/* the caller broke the contract */
	if (r->len + n > r->cap) {
		/* grows with the reply, never past one reply and a chunk */
		size_t cap = r->cap ? r->cap : 2 * NET_CHUNK;
		char *nb;

		while (cap < r->len + n)
			cap *= 2;
		if (cap > NET_REPLY_MAX + 2 * NET_CHUNK)
			cap = NET_REPLY_MAX + 2 * NET_CHUNK;
		if (cap < r->len + n)
			return -1;
		nb = realloc(r->buf, cap);
		if (nb == NULL)
			return -1;
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	return 0;
}

/* printable_start - the start of a bad line, safe to show */
static void printable_start(char *out, size_t size, const char *s, size_t n)
{
	printable_text(s, n, out, size, 0);
}

enum net_rd net_reader_next(struct net_reader *r)
{
	for (;;) {
		const char *start = r->buf + r->done;
		size_t left = r->len - r->done, n;
		const char *lf = left ? memchr(start, '\n', left) : NULL;
		enum reply_acc_status st;

		if (lf == NULL) {
			/* a CR may still come before the LF */
			if (left > NET_LINE_MAX + 1)
				return NET_RD_TOO_LONG;
			return NET_RD_MORE;
		}
		n = (size_t)(lf - start);
		if (n > 0 && start[n - 1] == '\r')
			n--;
		else
			r->flags |= NET_RDF_BARE_LF;
		if (n > NET_LINE_MAX)
			return NET_RD_TOO_LONG;
		st = reply_acc_line(&r->acc, start, n);
		r->done += (size_t)(lf - start) + 1;
		if (r->code == 0)
			r->code = r->acc.code;
		switch (st) {
		case REPLY_ACC_MORE:
			continue;
		case REPLY_ACC_DONE:
			return NET_RD_REPLY;
		case REPLY_ACC_BAD_LINE:
			printable_start(r->bad, sizeof r->bad, start, n < 40 ? n : 40);
			return NET_RD_BAD_LINE;
		case REPLY_ACC_MIXED_CODES:
			return NET_RD_MIXED;
		case REPLY_ACC_TOO_MANY:
		default:
			return NET_RD_TOO_MANY;
		}
	}
}

const char *net_reader_reply(const struct net_reader *r, size_t *len)
{
	*len = r->done;
	return r->buf ? r->buf : "";
}

void net_reader_consume(struct net_reader *r)
{
	memmove(r->buf, r->buf + r->done, r->len - r->done);
	r->len -= r->done;
	r->done = 0;
	r->flags = 0;
	r->code = 0;
	r->bad[0] = 0;
	reply_acc_init(&r->acc);
}

size_t net_reader_partial(const struct net_reader *r)
{
	return r->len;
}

size_t net_reader_discard(struct net_reader *r)
{
	size_t n = r->len;

	r->len = r->done = 0;
	r->flags = 0;
	r->code = 0;
	reply_acc_init(&r->acc);
	return n;
}

void net_default_helo(char *out, size_t size)
{
	struct addrinfo hints, *res = NULL;

	if (gethostname(out, size) != 0 || out[0] == 0) {
		snprintf(out, size, "localhost");
		return;
	}
	out[size - 1] = 0;
	if (strchr(out, '.'))
		return;
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo(out, NULL, &hints, &res) == 0 && res && res->ai_canonname &&
	    strlen(res->ai_canonname) < size)
		snprintf(out, size, "%s", res->ai_canonname);
	if (res)
		freeaddrinfo(res);
}
