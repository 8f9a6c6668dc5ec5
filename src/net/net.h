/* SPDX-License-Identifier: GPL-3.0-or-later */
/* net.h - the network end of `smtpref connect`: names, addresses, MX
 * records, TCP connections with deadlines, and a bounded reply reader
 *
 * RFC 5321 5.1 (MX lookup and the implicit MX), RFC 7505 (null MX),
 * RFC 5321 4.2 and 4.5.3.1.5 (reply lines), RFC 5321 4.5.3.2 (timeouts).
 *
 * Nothing here prints: failures are returned as -1 with a one-line
 * message in the caller's buffer.  The reply reader does no I/O at all:
 * the caller feeds it the bytes it read, so the tests feed it hostile
 * input in any chunking.
 */
#ifndef SMTPREF_NET_H
#define SMTPREF_NET_H

#include <stddef.h>
#include <sys/socket.h>

#include "core/reply.h"

/* ---- addresses ------------------------------------------------------------ */

#define NET_ADDRS_MAX 16	/* addresses kept for one name */
#define NET_HOST_MAX 256	/* a domain name with its NUL (RFC 5321 4.5.3.1.2) */

struct net_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	char text[64];		/* "127.0.0.1" or "::1", for messages */
};

/* net_resolve - the addresses of host (a name, an IPv4 literal, an IPv6
 * literal with or without brackets) for port; family is AF_UNSPEC,
 * AF_INET or AF_INET6 (-4/-6).  Names go to the system resolver
 * (getaddrinfo), or, when SMTPREF_NAMESERVER is set, to that nameserver
 * (A and AAAA queries), so the tests can resolve names on loopback.
 * Returns the number of addresses (at least 1), or -1 with err set. */
int net_resolve(const char *host, unsigned port, int family,
    struct net_addr *out, size_t max, char *err, size_t errlen);

/* net_is_literal - host is an IPv4 or IPv6 address literal (brackets
 * allowed around IPv6), not a name */
int net_is_literal(const char *host);

/* net_connect - a non-blocking TCP socket connected to a within
 * timeout_ms; returns the descriptor, or -1 with err set */
int net_connect(const struct net_addr *a, int timeout_ms, char *err,
    size_t errlen);

/* ---- MX records (RFC 5321 5.1) ----------------------------------------- */

#define NET_MX_MAX 32

struct net_mx {
	unsigned pref;
	char host[NET_HOST_MAX];	/* "" for the root (a null MX) */
};

enum net_mx_result {
	NET_MX_FOUND,		/* MX records, sorted by preference */
	NET_MX_IMPLICIT,	/* none: the domain itself, preference 0 */
	NET_MX_NULL,		/* RFC 7505: the domain accepts no mail */
	NET_MX_NXDOMAIN,	/* the domain does not exist */
	NET_MX_FAILED		/* the lookup failed (err says why) */
};

/* net_mx_lookup - the MX records of domain through the system resolver
 * (res_nquery), or SMTPREF_NAMESERVER when set; *n gets the count.  On
 * NET_MX_IMPLICIT, mx[0] is the domain itself. */
enum net_mx_result net_mx_lookup(const char *domain, int timeout_ms,
    struct net_mx *mx, size_t max, size_t *n, char *err, size_t errlen);

/* net_mx_parse - the MX records of a DNS answer msg[0..len) (RFC 1035
 * 4.1), in the order received; returns their number, or -1 when the
 * message is malformed.  Pure, for the tests. */
int net_mx_parse(const unsigned char *msg, size_t len, struct net_mx *mx,
    size_t max);

/* net_mx_sort - order by preference, keeping the order received among
 * equal preferences (a real MTA would shuffle those, RFC 5321 5.1; a
 * teaching tool keeps them predictable) */
void net_mx_sort(struct net_mx *mx, size_t n);

/* ---- the bounded reply reader ------------------------------------------ */

/* The longest reply line read, without its line ending: four times what
 * RFC 5321 4.5.3.1.5 allows, as Postfix's line_length_limit does.  With
 * REPLY_LINES_MAX lines, one reply holds at most about 1 MiB. */
#define NET_LINE_MAX 2048
#define NET_REPLY_MAX ((size_t)REPLY_LINES_MAX * (NET_LINE_MAX + 2))
/* The most that net_reader_push takes at once. */
#define NET_CHUNK 4096

enum net_rd {
	NET_RD_MORE,		/* no complete reply yet: push more bytes */
	NET_RD_REPLY,		/* a complete reply: net_reader_reply */
	NET_RD_TOO_LONG,	/* a line longer than NET_LINE_MAX */
	NET_RD_TOO_MANY,	/* more than REPLY_LINES_MAX lines */
	NET_RD_BAD_LINE,	/* a line that is not a reply line */
	NET_RD_MIXED,		/* a line whose code differs from the first */
	NET_RD_LAST
};
const char *net_rd_str(enum net_rd r);

/* Bits of net_reader.flags about the reply being read. */
enum {
	NET_RDF_BARE_LF = 1 << 0	/* a line ended in LF without CR */
};

struct net_reader {
	char *buf;		/* the reply's complete lines, then unread bytes */
	size_t len;		/* bytes in buf */
	size_t cap;
	size_t done;		/* end of the reply's complete lines */
	struct reply_acc acc;
	unsigned flags;		/* NET_RDF_* */
	int code;		/* of the first line of the reply, else 0 */
	char bad[80];		/* NET_RD_BAD_LINE: the line's start, printable */
};

void net_reader_init(struct net_reader *r);
void net_reader_free(struct net_reader *r);
/* net_reader_push - append bytes read from the connection (at most
 * NET_CHUNK; call net_reader_next until NET_RD_MORE before pushing
 * again, which keeps the buffer bounded).  Returns 0, or -1 when out of
 * memory. */
int net_reader_push(struct net_reader *r, const char *p, size_t n);
/* net_reader_next - look for the end of the current reply; after
 * NET_RD_REPLY, call net_reader_consume before the next call.  Every
 * other result but NET_RD_MORE means the stream cannot be trusted any
 * more: the connection should be closed. */
enum net_rd net_reader_next(struct net_reader *r);
/* net_reader_reply - the complete reply, its lines as received */
const char *net_reader_reply(const struct net_reader *r, size_t *len);
/* net_reader_consume - drop the reply just returned; start the next */
void net_reader_consume(struct net_reader *r);
/* net_reader_partial - bytes held that are not a complete reply */
size_t net_reader_partial(const struct net_reader *r);
/* net_reader_discard - drop everything held (after STARTTLS's 220);
 * returns how many octets were dropped */
size_t net_reader_discard(struct net_reader *r);

/* ---- time ---------------------------------------------------------------- */

/* net_now_ms - a monotonic clock in milliseconds */
long long net_now_ms(void);
/* net_now_us - the same clock in microseconds */
long long net_now_us(void);

/* net_default_helo - this machine's name for EHLO: its host name, made
 * fully qualified through the resolver when it has no dot */
void net_default_helo(char *out, size_t size);

#endif
