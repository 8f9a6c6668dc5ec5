/* conn.c - one SMTP session with a real server
 *
 * RFC 5321 (SMTP), RFC 2920 (PIPELINING), RFC 3207 (STARTTLS), RFC 8314
 * (implicit TLS), RFC 4954 (AUTH) with RFC 4616 (PLAIN) and LOGIN,
 * RFC 3030 (BDAT), RFC 2034 and RFC 3463 (enhanced codes).
 *
 * The session is a FIFO of lines awaiting replies (RFC 2920 3.1: a
 * client counts replies, it never matches them by text).  Each complete
 * reply from the bounded reader (net.h) goes through on_reply(): it is
 * shown, matched to the oldest awaiting line, checked by the tracking
 * client (client.c), explained from the tables (explain.c), and only then
 * acted on: the steps smtpref takes by itself (EHLO after the greeting,
 * HELO after a refused EHLO, STARTTLS and the handshake, EHLO again)
 * are chained from there, so the blocking and the event-driven drivers
 * run the same code.  Anything that ends the session goes through
 * shut(), which says why once and records the state.
 */
#include <config.h>

#include "net/conn.h"

#include "core/ascii.h"
#include "core/codec.h"
#include "core/explain.h"
#include "net/net.h"
#include "core/ref.h"
#include "core/reply.h"
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

#define AWAIT_MAX 160		/* lines awaiting replies (the tracker's FIFO) */
#define GROUP_MAX 100		/* commands in one pipelined group */
#define KW_MAX 64		/* EHLO lines kept */
#define KW_LEN 80
#define SHOWN_MAX (4 * NET_LINE_MAX + 64)	/* a line made printable */
#define UNSOLICITED_MAX 8	/* replies nobody asked for, before giving up */
#define INJECTED_MAX 65536	/* plaintext drained after STARTTLS's 220 */
#define CMD_LINE_MAX 510	/* RFC 5321 4.5.3.1.4: 512 with CRLF */
#define TEXT_LINE_MAX 998	/* RFC 5321 4.5.3.1.6: 1000 with CRLF */
#define AUTH_MAX 1400		/* an AUTH line we compose */

static const char redacted[] = "****";

/* A line awaiting its reply. */
struct awaiting {
	char verb[16];		/* "CONNECT", "EHLO", "DATA-END", ... */
	int automatic;		/* smtpref sent it on its own */
};

struct conn {
	struct conn_opts o;
	char *host, *helo;
	struct tx_sink sink;
	struct client *trk;	/* the tracking client */
	int fd;
#ifdef HAVE_OPENSSL
	struct tls *tls;
#endif
	int tls_on;
	struct net_reader rd;
	struct net_addr addr;	/* where we are connected, for reconnecting */
	enum conn_state state;

	struct awaiting q[AWAIT_MAX];
	size_t head, n;
	long long deadline;	/* for the oldest awaiting reply */

	int greet;		/* after the greeting: 1 EHLO, 2 HELO */
	int helo_fallback;	/* HELO was used because EHLO failed */
	int msg;		/* after 354: the user's lines are the message */
	int told_stuffing;
	unsigned long bdat_left;	/* chunk octets still to come */
	int auth334;		/* after 334 to AUTH: the next line answers */
	int last_code;
	int unsolicited;

	char kws[KW_MAX][KW_LEN];	/* the last EHLO reply's lines */
	size_t nkws;
	char old_kws[KW_MAX][KW_LEN];	/* before TLS, to show what changed */
	size_t nold;
	int diff_pending;
};

static const char *const state_names[] = {
	[CONN_NEW] = "not opened",
	[CONN_OPEN] = "open",
	[CONN_ENDED] = "ended with 221",
	[CONN_DROPPED] = "ended by the server",
	[CONN_PROTOCOL] = "stopped: protocol violation",
	[CONN_NETWORK] = "network failure",
	[CONN_TLS_FAILED] = "TLS failure",
	[CONN_CLOSED] = "closed",
};
_Static_assert(sizeof state_names / sizeof state_names[0] == CONN_STATE_LAST,
    "one name per state");

const char *conn_state_str(enum conn_state s)
{
	return (unsigned)s < CONN_STATE_LAST ? state_names[s] : "?";
}

/* ---- items ---------------------------------------------------------------- */

/* emit - one item to the sink */
static void emit(struct conn *c, enum tx_kind kind, const char *label,
    const char *text, int code, int secret)
{
	struct tx_item it;

	memset(&it, 0, sizeof it);
	it.kind = kind;
	it.tls = (kind == TX_SENT || kind == TX_RECEIVED) && c->tls_on;
	it.code = code;
	it.secret = secret;
	it.label = label;
	it.text = text;
	it.len = strlen(text);
	if (c->sink.item)
		c->sink.item(c->sink.ctx, &it);
}

static void emitf(struct conn *c, enum tx_kind kind, const char *label,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void emitf(struct conn *c, enum tx_kind kind, const char *label,
    const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	emit(c, kind, label, buf, 0, 0);
}

#define say_note(c, ...) emitf(c, TX_NOTE, NULL, __VA_ARGS__)
#define say_error(c, ...) emitf(c, TX_ERROR, NULL, __VA_ARGS__)

/* printable - text made safe for any terminal: C0 and C1 controls, DEL
 * and bytes that are not UTF-8 become \xHH (Postfix censors them too) */
static size_t printable(const char *s, size_t n, char *out, size_t size)
{
	size_t i = 0, o = 0;

	while (i < n && o + 5 < size) {
		unsigned char ch = (unsigned char)s[i];
		size_t k = 0;

		if (ch >= 0x20 && ch < 0x7f)
			k = 1;
		else if (ch >= 0xc2 && ch <= 0xf4) {
			size_t want = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : 2, j;

			for (j = 1; j < want && i + j < n &&
			    ((unsigned char)s[i + j] & 0xc0) == 0x80; j++)
				;
			/* U+0080..U+009F are C1 controls even as UTF-8 */
			if (j == want && !(ch == 0xc2 && (unsigned char)s[i + 1] < 0xa0))
				k = want;
		}
		if (k > 0 && o + k < size) {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		if (ch == '\t') {
			out[o++] = ' ';
			i++;
			continue;
		}
		o += (size_t)snprintf(out + o, size - o, "\\x%02x", ch);
		i++;
	}
	out[o] = 0;
	return i;
}

/* ---- the FIFO of lines awaiting replies ------------------------------- */

static struct awaiting *await_head(struct conn *c)
{
	return c->n ? &c->q[c->head] : NULL;
}

static void await_push(struct conn *c, const char *verb, int automatic)
{
	struct awaiting *a;

	if (c->n >= AWAIT_MAX)
		return;		/* the tracker says so too */
	if (c->n == 0)
		c->deadline = net_now_ms() + c->o.timeout_ms;
	a = &c->q[(c->head + c->n++) % AWAIT_MAX];
	snprintf(a->verb, sizeof a->verb, "%s", verb);
	a->automatic = automatic;
}

static void await_pop(struct conn *c)
{
	if (c->n == 0)
		return;
	c->head = (c->head + 1) % AWAIT_MAX;
	c->n--;
	/* the next reply gets a whole timeout of its own */
	c->deadline = c->n ? net_now_ms() + c->o.timeout_ms : 0;
}

/* ---- the connection ------------------------------------------------------- */

/* drop_socket - close the socket and TLS, keep the state */
static void drop_socket(struct conn *c)
{
#ifdef HAVE_OPENSSL
	tls_free(c->tls);
	c->tls = NULL;
#endif
	c->tls_on = 0;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->n = 0;
	c->deadline = 0;
	c->msg = 0;
	c->bdat_left = 0;
	c->auth334 = 0;
}

/* shut - the session ends in state st; says why (an error) once */
static void shut(struct conn *c, enum conn_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void shut(struct conn *c, enum conn_state st, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (c->state != CONN_OPEN && c->state != CONN_NEW)
		return;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
		emit(c, TX_ERROR, NULL, buf, 0, 0);
	}
	client_dropped(c->trk);
	drop_socket(c);
	c->state = st;
}

/* read_some - read(2) on the connection, through TLS when it is on:
 * > 0 octets, 0 closed, -1 with *again set when nothing is there yet */
static ssize_t read_some(struct conn *c, char *buf, size_t size, int *again,
    char *err, size_t errlen)
{
	ssize_t k;

	*again = 0;
#ifdef HAVE_OPENSSL
	if (c->tls) {
		int want = 0;

		k = tls_read(c->tls, buf, size, &want, err, errlen);
		*again = k < 0 && want != 0;
		return k;
	}
#endif
	k = recv(c->fd, buf, size, 0);
	if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		*again = 1;
	else if (k < 0)
		snprintf(err, errlen, "%s", strerror(errno));
	return k;
}

/* write_all - write everything within the timeout: a server that stops
 * reading cannot hold smtpref forever (RFC 5321 4.5.3.2.5) */
static int write_all(struct conn *c, const char *p, size_t len)
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
			k = send(c->fd, p, len, MSG_NOSIGNAL);
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

			if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
				shut(c, CONN_NETWORK,
				    "the server has not read what smtpref sends for %d s: giving up",
				    c->o.timeout_ms / 1000);
				return -1;
			}
			continue;
		}
		shut(c, CONN_NETWORK, "sending to the server failed: %s",
		    err[0] ? err : "the connection was closed");
		return -1;
	}
	return c->fd >= 0 ? 0 : -1;
}

/* send_line - write line and CRLF, show it (shown, or the line itself),
 * tell the tracker, and await a reply under verb (NULL: none comes) */
static int send_line(struct conn *c, const char *line, size_t len,
    const char *shown, int secret, const char *verb, int automatic)
{
	char buf[SHOWN_MAX];
	char *wire = len + 2 <= sizeof buf ? buf : malloc(len + 2);
	int rc;

	if (wire == NULL) {
		say_error(c, "out of memory");
		return -1;
	}
	memcpy(wire, line, len);
	memcpy(wire + len, "\r\n", 2);
	rc = write_all(c, wire, len + 2);
	if (wire != buf)
		free(wire);
	if (rc != 0)
		return -1;
	if (shown)
		emit(c, TX_SENT, NULL, shown, 0, secret);
	else {
		char show[SHOWN_MAX];

		printable(line, len, show, sizeof show);
		emit(c, TX_SENT, NULL, show, 0, 0);
	}
	client_sent(c->trk, line, len);
	if (verb)
		await_push(c, verb, automatic);
	return 0;
}

/* send_auto - a command smtpref sends on its own */
static int send_auto(struct conn *c, const char *verb, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int send_auto(struct conn *c, const char *verb, const char *fmt, ...)
{
	char line[600];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line) {
		say_error(c, "the %s line would be too long", verb);
		return -1;
	}
	return send_line(c, line, (size_t)n, NULL, 0, verb, 1);
}

/* ---- TLS ------------------------------------------------------------------ */

#ifdef HAVE_OPENSSL
static void describe_line(void *ctx, const char *line)
{
	say_note((struct conn *)ctx, "%s", line);
}
#endif

/* handshake - TLS on the connected socket; 0, or -1 with the session shut */
static int handshake(struct conn *c)
{
#ifdef HAVE_OPENSSL
	char err[512];

	c->tls = tls_start(c->fd, c->host, c->o.insecure, c->o.timeout_ms, err,
	    sizeof err);
	if (c->tls == NULL) {
		shut(c, CONN_TLS_FAILED, "TLS with %s failed: %s", c->host, err);
		return -1;
	}
	c->tls_on = 1;
	tls_describe(c->tls, describe_line, c);
	if (!tls_verified(c->tls))
		emitf(c, TX_FINDING, "insecure",
		    "the certificate did NOT verify (%s): smtpref goes on only because of --insecure, and an attacker could read or change this session",
		    tls_verify_error(c->tls));
	return 0;
#else
	shut(c, CONN_TLS_FAILED,
	    "this smtpref was built without OpenSSL, so it cannot start TLS");
	return -1;
#endif
}

/* drain_plaintext - octets the server sent after its 220 to STARTTLS and
 * before the handshake: never part of the TLS session (CVE-2021-22947) */
static size_t drain_plaintext(struct conn *c, char *preview, size_t size)
{
	size_t got = 0, held = net_reader_partial(&c->rd);
	char buf[NET_CHUNK];

	preview[0] = 0;
	if (held > 0) {
		/* the reader's buffer starts with what followed the 220 */
		printable(c->rd.buf, held < 60 ? held : 60, preview, size);
		got = net_reader_discard(&c->rd);
	}
	while (got < INJECTED_MAX) {
		ssize_t k = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);

		if (k <= 0)
			break;
		if (preview[0] == 0)
			printable(buf, (size_t)k < 60 ? (size_t)k : 60, preview, size);
		got += (size_t)k;
	}
	return got;
}

/* start_tls - after 220 to STARTTLS: throw away injected octets, run the
 * handshake, and forget the extensions (RFC 3207 4.2) */
static int start_tls(struct conn *c, int automatic)
{
	char preview[300];
	size_t injected = drain_plaintext(c, preview, sizeof preview);

	if (injected > 0)
		emitf(c, TX_FINDING, "injection",
		    "%zu octets came after the 220 to STARTTLS, before TLS started (\"%s\"). A man in the middle can inject such bytes to be read as answers inside TLS (CVE-2021-22947): smtpref discards them (RFC 3207 5)",
		    injected, preview);
	if (handshake(c) != 0)
		return -1;
	memcpy(c->old_kws, c->kws, sizeof c->kws);
	c->nold = c->nkws;
	c->nkws = 0;
	c->diff_pending = 1;
	if (automatic) {
		say_note(c, "TLS is on, and the server forgets what was said before it: smtpref sends EHLO again (RFC 3207 4.2)");
		return send_auto(c, "EHLO", "EHLO %s", c->helo);
	}
	say_note(c, "TLS is on. The server has forgotten everything said before it: send EHLO again, and see how the extensions change (RFC 3207 4.2)");
	return 0;
}

/* ---- connecting ------------------------------------------------------------ */

/* connect_any - resolve and connect to each address in turn */
static int connect_any(struct conn *c)
{
	struct net_addr addrs[NET_ADDRS_MAX];
	char err[512];
	int n, i;

	n = net_resolve(c->host, c->o.port, c->o.family, addrs, NET_ADDRS_MAX,
	    err, sizeof err);
	if (n < 0) {
		shut(c, CONN_NETWORK, "%s", err);
		return -1;
	}
	for (i = 0; i < n; i++) {
		say_note(c, "connecting to %s port %u ...", addrs[i].text, c->o.port);
		c->fd = net_connect(&addrs[i], c->o.timeout_ms, err, sizeof err);
		if (c->fd >= 0) {
			c->addr = addrs[i];
			say_note(c, "connected to %s (%s) port %u", c->host,
			    addrs[i].text, c->o.port);
			return 0;
		}
		if (i + 1 < n)
			say_note(c, "%s port %u: %s; trying the next address",
			    addrs[i].text, c->o.port, err);
	}
	shut(c, CONN_NETWORK, "cannot connect to %s port %u: %s", c->host,
	    c->o.port, err);
	return -1;
}

/* start_session - a new tracker and reader for a fresh connection, TLS
 * first when implicit; the greeting is awaited */
static int start_session(struct conn *c)
{
	if (c->o.tls == CONN_TLS_IMPLICIT && handshake(c) != 0)
		return -1;
	net_reader_discard(&c->rd);
	c->n = 0;
	c->unsolicited = 0;
	await_push(c, "CONNECT", 1);
	return 0;
}

/* reconnect_with_helo - the server hung up on the EHLO smtpref sent: a
 * new connection, and HELO after the greeting */
static void reconnect_with_helo(struct conn *c);

/* ---- the tracking client's findings ----------------------------------- */

static void on_finding(void *ctx, const struct client_finding *f)
{
	struct conn *c = ctx;

	emitf(c, f->kind == CLIENT_DECISION ? TX_EXPLAIN : TX_FINDING,
	    client_finding_label(f->kind), "%s (%s)", f->text, f->section);
}

static int new_tracker(struct conn *c)
{
	struct client_sink sink = { c, on_finding };

	client_free(c->trk);
	c->trk = client_new(NULL, &sink);
	return c->trk ? 0 : -1;
}

static void reconnect_with_helo(struct conn *c)
{
	say_note(c, "the server closed the connection when it got EHLO. Some old servers do (RFC 5321 3.2 lets a client fall back to HELO): smtpref connects again and sends HELO");
	client_dropped(c->trk);
	drop_socket(c);
	c->helo_fallback = 1;
	if (new_tracker(c) != 0) {
		shut(c, CONN_NETWORK, "out of memory");
		return;
	}
	{
		char err[512];

		say_note(c, "connecting again to %s port %u ...", c->addr.text,
		    c->o.port);
		c->fd = net_connect(&c->addr, c->o.timeout_ms, err, sizeof err);
		if (c->fd < 0) {
			shut(c, CONN_NETWORK, "cannot connect again to %s port %u: %s",
			    c->addr.text, c->o.port, err);
			return;
		}
	}
	c->greet = 2;
	start_session(c);
}

/* ---- what a reply means for the session ---------------------------- */

/* What a reply class means after each command, for the learner: the
 * same 550 says "no such recipient" to RCPT and "no transaction" to
 * MAIL.  cls 0 matches any class. */
static const struct {
	const char *verb;
	int cls;
	const char *text;
	const char *section;
} meanings[] = {
	{ "CONNECT", 2, "The server is ready: the client introduces itself with EHLO (or HELO).", "RFC 5321 3.1" },
	{ "CONNECT", 0, "The server refuses this session: a client sends QUIT and goes away, or waits for the server to close.", "RFC 5321 3.1" },
	{ "EHLO", 2, "The session is open. The first line names the server; each further line is an extension it offers.", "RFC 5321 4.1.1.1" },
	{ "EHLO", 5, "EHLO refused: the server may speak only RFC 821 SMTP. A client tries HELO.", "RFC 5321 4.1.4" },
	{ "HELO", 2, "The session is open, without extensions: no SIZE, PIPELINING, STARTTLS or AUTH.", "RFC 5321 4.1.1.1" },
	{ "MAIL", 2, "A transaction is open with this sender: recipients (RCPT) come next.", "RFC 5321 4.1.1.2" },
	{ "MAIL", 4, "The sender is refused for now and no transaction is open (RCPT would get 503). A client tries again later.", "RFC 5321 4.2.1" },
	{ "MAIL", 5, "The sender is refused and no transaction is open (RCPT would get 503). Retrying unchanged will not help.", "RFC 5321 4.2.1" },
	{ "RCPT", 2, "This recipient is accepted: more RCPT may follow, or DATA.", "RFC 5321 4.1.1.3" },
	{ "RCPT", 4, "This recipient is refused for now (greylisting, a full mailbox, a limit): the transaction goes on with the others, and a client retries this one later.", "RFC 5321 4.5.3.1.10" },
	{ "RCPT", 5, "This recipient is refused for good: the transaction goes on with the recipients that were accepted, and the sender gets a bounce for this one.", "RFC 5321 4.1.1.3" },
	{ "DATA", 3, "Send the message now: headers, an empty line, the body; a line holding only a dot ends it.", "RFC 5321 4.1.1.4" },
	{ "DATA", 0, "No message now: perhaps no recipient was accepted. The transaction stays as it was; a client usually sends RSET.", "RFC 5321 4.1.1.4" },
	{ "DATA-END", 2, "The server has taken responsibility for the message: the transaction is over.", "RFC 5321 4.1.1.4; RFC 5321 6.1" },
	{ "DATA-END", 4, "The message was not accepted this time: a client keeps it in its queue and tries again later.", "RFC 5321 4.5.4.1" },
	{ "DATA-END", 5, "The message was refused: a client returns it to its sender (a bounce).", "RFC 5321 4.2.5" },
	{ "BDAT", 2, "The chunk was received; after the LAST chunk this means the message is accepted.", "RFC 3030 2" },
	{ "RSET", 2, "Any transaction is forgotten; the session stays open.", "RFC 5321 4.1.1.5" },
	{ "STARTTLS", 2, "The TLS handshake starts now; after it, everything said before is forgotten and EHLO comes again.", "RFC 3207 4.2" },
	{ "STARTTLS", 0, "No TLS: the session goes on in clear, where anyone on the path can read it.", "RFC 3207 4" },
	{ "AUTH", 2, "Logged in: the server now knows who the client is.", "RFC 4954 4" },
	{ "AUTH", 3, "The server asks for the next piece of the exchange, in base64 (\"*\" cancels).", "RFC 4954 4" },
	{ "AUTH", 0, "Not logged in.", "RFC 4954 6" },
	{ "QUIT", 2, "The server ends the session and closes the connection.", "RFC 5321 4.1.1.10" },
};

static void explain_meaning(struct conn *c, const char *verb, int code)
{
	size_t i;

	for (i = 0; i < sizeof meanings / sizeof meanings[0]; i++)
		if (strcmp(meanings[i].verb, verb) == 0 &&
		    (meanings[i].cls == 0 || meanings[i].cls == code / 100)) {
			emitf(c, TX_EXPLAIN, explain_kind_str(EXPLAIN_STATE),
			    "after %s: %s (%s)", strcmp(verb, "CONNECT") == 0 ?
			    "connecting" : strcmp(verb, "DATA-END") == 0 ?
			    "the final dot" : verb, meanings[i].text,
			    meanings[i].section);
			return;
		}
}

static void on_explain(void *ctx, enum explain_kind kind, const char *text)
{
	emit(ctx, TX_EXPLAIN, explain_kind_str(kind), text, 0, 0);
}

/* ---- EHLO keywords ----------------------------------------------------- */

/* kw_has - list holds an EHLO line with the keyword of line */
static int kw_has(char list[][KW_LEN], size_t n, const char *kw, size_t kwlen)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < kwlen && list[i][j] &&
		    (list[i][j] | 0x20) == (kw[j] | 0x20); j++)
			;
		if (j == kwlen && (list[i][j] == 0 || list[i][j] == ' '))
			return 1;
	}
	return 0;
}

static size_t kw_len(const char *line)
{
	const char *sp = strchr(line, ' ');

	return sp ? (size_t)(sp - line) : strlen(line);
}

/* show_diff - what TLS changed in the extension list */
static void show_diff(struct conn *c)
{
	char added[512] = "", gone[512] = "";
	size_t i, a = 0, g = 0;

	for (i = 0; i < c->nkws; i++)
		if (!kw_has(c->old_kws, c->nold, c->kws[i], kw_len(c->kws[i])) &&
		    a + strlen(c->kws[i]) + 3 < sizeof added)
			a += (size_t)snprintf(added + a, sizeof added - a, "%s%s",
			    a ? ", " : "", c->kws[i]);
	for (i = 0; i < c->nold; i++)
		if (!kw_has(c->kws, c->nkws, c->old_kws[i], kw_len(c->old_kws[i])) &&
		    g + strlen(c->old_kws[i]) + 3 < sizeof gone)
			g += (size_t)snprintf(gone + g, sizeof gone - g, "%s%s",
			    g ? ", " : "", c->old_kws[i]);
	if (a == 0 && g == 0)
		say_note(c, "under TLS the server offers the same extensions as before");
	else
		say_note(c, "under TLS the extensions changed: new %s; gone %s",
		    a ? added : "none", g ? gone : "none");
	c->diff_pending = 0;
}

/* on_ehlo - keep and explain each keyword line of an accepted EHLO */
static void on_ehlo(struct conn *c, const char *wire, size_t len)
{
	size_t pos = 0, k = 0;

	c->nkws = 0;
	while (pos < len) {
		const char *p = wire + pos, *lf = memchr(p, '\n', len - pos);
		size_t n = lf ? (size_t)(lf - p) : len - pos;

		pos += n + 1;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (k++ == 0 || n < 4)
			continue;	/* the first line is the server's name */
		explain_ehlo_line(p + 4, n - 4 > NET_LINE_MAX ? NET_LINE_MAX : n - 4,
		    on_explain, c);
		if (c->nkws < KW_MAX)
			printable(p + 4, n - 4, c->kws[c->nkws++], KW_LEN);
	}
	if (c->diff_pending)
		show_diff(c);
}

/* ---- replies ---------------------------------------------------------------- */

/* show_lines - each line of wire as a TX_RECEIVED item */
static void show_lines(struct conn *c, const char *wire, size_t len, int code)
{
	size_t pos = 0;
	char shown[SHOWN_MAX];

	while (pos < len) {
		const char *p = wire + pos, *lf = memchr(p, '\n', len - pos);
		size_t n = lf ? (size_t)(lf - p) : len - pos;

		pos += n + 1;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		printable(p, n, shown, sizeof shown);
		emit(c, TX_RECEIVED, NULL, shown, code, 0);
	}
}

/* explain_verb - the verb explain_code checks the code against, or NULL
 * for a line that is no known command */
static const char *explain_verb(const char *verb)
{
	if (strcmp(verb, "CONNECT") == 0 || strcmp(verb, "DATA-END") == 0)
		return verb;
	return ref_command_find(verb, strlen(verb)) ? verb : NULL;
}

/* auth_challenge - what a 334's base64 text says ("Username:") */
static void auth_challenge(struct conn *c, const char *text, size_t len)
{
	unsigned char dec[256];
	char shown[1100];
	long n;

	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\r'))
		len--;
	n = codec_b64_decode(text, len, dec, sizeof dec);
	if (n < 0) {
		emitf(c, TX_FINDING, "bad",
		    "the text of this 334 is not base64, as RFC 4954 4 wants it");
		return;
	}
	printable((const char *)dec, (size_t)n, shown, sizeof shown);
	if (n > 0)
		say_note(c, "the server's challenge decodes to \"%s\"", shown);
}

/* follow_up - the steps smtpref takes by itself after a reply */
static void follow_up(struct conn *c, const struct awaiting *a, int code,
    const char *wire, size_t first)
{
	const char *verb = a ? a->verb : "";
	int automatic = a && a->automatic;

	if (strcmp(verb, "CONNECT") == 0 && code / 100 == 2 && c->greet) {
		int g = c->greet;

		c->greet = 0;
		if (g == 2)
			send_auto(c, "HELO", "HELO %s", c->helo);
		else
			send_auto(c, "EHLO", "EHLO %s", c->helo);
	} else if (strcmp(verb, "CONNECT") == 0 && code / 100 != 2) {
		c->greet = 0;
		say_note(c, "the server refuses this session; a client sends QUIT now (RFC 5321 3.1)");
	} else if (strcmp(verb, "EHLO") == 0 && code / 100 == 5 && automatic) {
		c->helo_fallback = 1;
		say_note(c, "the server refused EHLO with %d: it may speak only RFC 821 SMTP. smtpref falls back to HELO, without extensions (RFC 5321 4.1.4)",
		    code);
		send_auto(c, "HELO", "HELO %s", c->helo);
	} else if (strcmp(verb, "EHLO") == 0 && code / 100 == 5)
		say_note(c, "the server refused EHLO: try HELO, which every server knows (RFC 5321 4.1.4)");
	else if ((strcmp(verb, "EHLO") == 0 || strcmp(verb, "HELO") == 0) &&
	    code / 100 == 2 && automatic && c->o.tls == CONN_TLS_STARTTLS &&
	    !c->tls_on) {
		if (!conn_offers(c, "STARTTLS")) {
			send_auto(c, NULL, "QUIT");
			shut(c, CONN_TLS_FAILED,
			    "%s does not offer STARTTLS%s, and --starttls requires TLS: smtpref ends the session rather than go on in clear (an attacker can strip STARTTLS, RFC 3207 6)",
			    c->host, strcmp(verb, "HELO") == 0 ?
			    " (the session began with HELO)" : "");
			return;
		}
		send_auto(c, "STARTTLS", "STARTTLS");
	} else if (strcmp(verb, "STARTTLS") == 0 && code == 220) {
		start_tls(c, automatic);
	} else if (strcmp(verb, "STARTTLS") == 0 && automatic) {
		send_auto(c, NULL, "QUIT");
		shut(c, CONN_TLS_FAILED,
		    "%s answered %d to STARTTLS, and --starttls requires TLS: smtpref ends the session rather than go on in clear",
		    c->host, code);
	} else if (strcmp(verb, "AUTH") == 0) {
		c->auth334 = code == 334;
		if (code == 334 && first > 4)
			auth_challenge(c, wire + 4, first - 4);
	} else if (strcmp(verb, "DATA") == 0 && code == 354)
		c->msg = 1;
}

/* on_reply - one complete reply: show, match, check, explain, act */
static void on_reply(struct conn *c, const char *wire, size_t len, int code)
{
	struct awaiting a, *h = await_head(c);
	struct reply_line l;
	const char *lf = memchr(wire, '\n', len);
	size_t first = lf ? (size_t)(lf - wire) : len;
	char enh[24] = "";

	if (first > 0 && wire[first - 1] == '\r')
		first--;
	show_lines(c, wire, len, code);
	memset(&a, 0, sizeof a);
	if (h)
		a = *h;
	await_pop(c);
	c->last_code = code;
	client_reply(c->trk, wire, len);
	if (h == NULL && ++c->unsolicited > UNSOLICITED_MAX) {
		shut(c, CONN_PROTOCOL,
		    "the server keeps sending replies nobody asked for: smtpref stops");
		return;
	}
	if (reply_parse_line(wire, first > NET_LINE_MAX ? NET_LINE_MAX : first,
	    &l) == REPLY_OK && l.has_enh)
		snprintf(enh, sizeof enh, "%d.%d.%d", l.enh.cls, l.enh.subject,
		    l.enh.detail);
	explain_code(code, enh, h ? explain_verb(a.verb) : NULL, on_explain, c);
	if (h)
		explain_meaning(c, a.verb, code);
	if (h && strcmp(a.verb, "EHLO") == 0 && code / 100 == 2)
		on_ehlo(c, wire, len);
	if (h && strcmp(a.verb, "HELO") == 0 && code / 100 == 2)
		c->nkws = 0;
	if (code == 221) {
		client_dropped(c->trk);
		drop_socket(c);
		c->state = CONN_ENDED;
		return;
	}
	if (code == 421) {
		shut(c, CONN_DROPPED, "the server closed the session with 421 (RFC 5321 3.8)");
		return;
	}
	follow_up(c, h ? &a : NULL, code, wire, first);
}

/* on_reader - what the reader found besides a complete reply */
static void on_reader(struct conn *c, enum net_rd r)
{
	size_t len;
	const char *wire = net_reader_reply(&c->rd, &len);
	char shown[200];

	switch (r) {
	case NET_RD_TOO_LONG:
		printable(wire + len, 60, shown, sizeof shown);
		emitf(c, TX_RECEIVED, NULL, "%s... (cut: no end of line after %d octets)",
		    shown, NET_LINE_MAX);
		shut(c, CONN_PROTOCOL,
		    "a reply line from the server is longer than %d octets (RFC 5321 4.5.3.1.5 allows 512): smtpref stops reading",
		    NET_LINE_MAX);
		break;
	case NET_RD_TOO_MANY:
		show_lines(c, wire, len > 2000 ? 2000 : len, c->rd.code);
		emit(c, TX_RECEIVED, NULL, "... (more lines not shown)", 0, 0);
		shut(c, CONN_PROTOCOL,
		    "a reply from the server goes on for more than %d lines: smtpref stops reading",
		    REPLY_LINES_MAX);
		break;
	case NET_RD_BAD_LINE:
		show_lines(c, wire, len, 0);
		client_reply(c->trk, wire, len);
		shut(c, CONN_PROTOCOL,
		    "the server sent a line that is not a reply (\"%s\"; RFC 5321 4.2: three digits from 200 to 559, then a space, a dash or the end): smtpref stops",
		    c->rd.bad);
		break;
	case NET_RD_MIXED:
		show_lines(c, wire, len, c->rd.code);
		client_reply(c->trk, wire, len);
		shut(c, CONN_PROTOCOL,
		    "the lines of one reply carry different codes (RFC 5321 4.2.1: every line must repeat the code): smtpref takes it as a failure and stops");
		break;
	default:
		break;
	}
}

/* handle_replies - everything the reader holds */
static void handle_replies(struct conn *c)
{
	while (c->state == CONN_OPEN && c->fd >= 0) {
		enum net_rd r = net_reader_next(&c->rd);
		size_t len;
		const char *wire;

		if (r == NET_RD_MORE)
			return;
		if (r != NET_RD_REPLY) {
			on_reader(c, r);
			return;
		}
		wire = net_reader_reply(&c->rd, &len);
		{
			/* on_reply may discard the reader (STARTTLS): copy */
			char *copy = malloc(len + 1);
			int code = c->rd.code;

			if (copy == NULL) {
				shut(c, CONN_NETWORK, "out of memory");
				return;
			}
			memcpy(copy, wire, len);
			net_reader_consume(&c->rd);
			on_reply(c, copy, len, code);
			free(copy);
		}
	}
}

/* on_eof - the server closed the connection */
static void on_eof(struct conn *c)
{
	struct awaiting *h = await_head(c);
	size_t partial = net_reader_partial(&c->rd);

	if (h && strcmp(h->verb, "EHLO") == 0 && h->automatic &&
	    !c->helo_fallback && partial == 0) {
		reconnect_with_helo(c);
		return;
	}
	if (partial > 0) {
		/* the lines held so far, and the start of the last one */
		show_lines(c, c->rd.buf, partial < 4096 ? partial : 4096, c->rd.code);
		shut(c, CONN_NETWORK,
		    "the server closed the connection in the middle of a reply (%zu octets without their end; RFC 5321 3.8: as if it had said 451)",
		    partial);
		return;
	}
	if (h && strcmp(h->verb, "EHLO") == 0) {
		shut(c, CONN_NETWORK,
		    "the server closed the connection on EHLO; some old servers do: connect again and use HELO");
		return;
	}
	if (h)
		shut(c, CONN_NETWORK,
		    "the server closed the connection while smtpref waited for the reply to %s (RFC 5321 3.8: as if it had said 451)",
		    strcmp(h->verb, "CONNECT") == 0 ? "the connection (the greeting)" :
		    strcmp(h->verb, "DATA-END") == 0 ? "the final dot" :
		    h->verb[0] ? h->verb : "a line");
	else
		shut(c, CONN_NETWORK, "the server closed the connection");
}

int conn_process(struct conn *c)
{
	char buf[NET_CHUNK], err[256];

	while (c->state == CONN_OPEN && c->fd >= 0) {
		int again = 0;
		ssize_t k = read_some(c, buf, sizeof buf, &again, err, sizeof err);

		if (k > 0) {
			if (net_reader_push(&c->rd, buf, (size_t)k) != 0) {
				shut(c, CONN_NETWORK, "out of memory");
				break;
			}
			handle_replies(c);
		} else if (k == 0) {
			on_eof(c);
		} else if (again) {
			break;
		} else {
			shut(c, CONN_NETWORK, "reading from the server failed: %s", err);
		}
		/* a server that drips bytes still meets the deadline */
		if (c->state == CONN_OPEN && c->n > 0 && net_now_ms() >= c->deadline)
			break;
	}
	if (c->state == CONN_OPEN && c->n > 0 && net_now_ms() >= c->deadline) {
		struct awaiting *h = await_head(c);

		shut(c, CONN_NETWORK, "no complete reply to %s within %d s",
		    strcmp(h->verb, "CONNECT") == 0 ? "the connection (no greeting)" :
		    strcmp(h->verb, "DATA-END") == 0 ? "the final dot" :
		    h->verb[0] ? h->verb : "a line", c->o.timeout_ms / 1000);
	}
	return c->state == CONN_OPEN ? 0 : -1;
}

int conn_timeout(const struct conn *c)
{
	long long left;

	if (c->state != CONN_OPEN || c->n == 0)
		return -1;
	left = c->deadline - net_now_ms();
	return left < 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}

int conn_wait(struct conn *c)
{
	while (c->state == CONN_OPEN && c->n > 0 && c->bdat_left == 0 &&
	    !c->msg) {
		struct pollfd p = { c->fd, POLLIN, 0 };
		int t = conn_timeout(c), rc;

		rc = poll(&p, 1, t);
		if (rc < 0 && errno != EINTR) {
			shut(c, CONN_NETWORK, "poll: %s", strerror(errno));
			break;
		}
		conn_process(c);
	}
	return c->state == CONN_OPEN ? 0 : -1;
}

/* ---- what the user sends ----------------------------------------------- */

/* verb_of - the upper-case verb of a command line into v */
static void verb_of(const char *line, size_t len, char *v, size_t size)
{
	size_t i = 0;

	while (i < len && i + 1 < size &&
	    ((line[i] >= 'A' && line[i] <= 'Z') || (line[i] >= 'a' && line[i] <= 'z') ||
	    (line[i] >= '0' && line[i] <= '9') || line[i] == '-')) {
		v[i] = line[i] >= 'a' && line[i] <= 'z' ? (char)(line[i] - 32) : line[i];
		i++;
	}
	v[i] = 0;
	if (i < len && line[i] != ' ')
		v[0] = 0;	/* not a verb: the server will answer 500 */
}

/* check_command - a command line must hold no CR or NUL (RFC 5321
 * 2.3.8: that could smuggle a second command in) */
static int check_command(struct conn *c, const char *line, size_t len)
{
	if (memchr(line, '\r', len) || memchr(line, '\n', len)) {
		say_error(c, "not sent: the line holds a CR or LF, which would end the command early and smuggle in another (RFC 5321 2.3.8)");
		return -1;
	}
	if (memchr(line, 0, len)) {
		say_error(c, "not sent: the line holds a NUL octet (RFC 5321 4.1.1: commands are text)");
		return -1;
	}
	if (len > CMD_LINE_MAX)
		say_note(c, "this command is %zu octets long; RFC 5321 4.5.3.1.4 allows 512 with CRLF, so the server may refuse it (500)",
		    len + 2);
	return 0;
}

/* shown_command - the command as shown: an AUTH initial response, which
 * holds the credentials, is redacted */
static int shown_command(const char *verb, const char *line, size_t len,
    char *out, size_t size)
{
	const char *sp;

	if (strcmp(verb, "AUTH") == 0 && len > 5 &&
	    (sp = memchr(line + 5, ' ', len - 5)) != NULL) {
		char mech[64];

		printable(line + 5, (size_t)(sp - line - 5), mech, sizeof mech);
		snprintf(out, size, "AUTH %s %s", mech, redacted);
		return 1;
	}
	printable(line, len, out, size);
	return 0;
}

/* bdat_size - the chunk size of a BDAT line */
static unsigned long bdat_size(const char *line, size_t len)
{
	unsigned long n = 0;
	size_t i = 5;

	while (i < len && i < 15 && line[i] >= '0' && line[i] <= '9')
		n = n * 10 + (unsigned long)(line[i++] - '0');
	return n;
}

static int send_command(struct conn *c, const char *line, size_t len)
{
	char verb[16], shown[SHOWN_MAX];
	int secret;

	if (check_command(c, line, len) != 0)
		return -1;
	verb_of(line, len, verb, sizeof verb);
	if (strcmp(verb, "STARTTLS") == 0 && c->tls_on) {
		say_error(c, "not sent: TLS is already on, and a client never starts it twice (RFC 3207 4.2)");
		return -1;
	}
	if (c->n > 0 && !conn_offers(c, "PIPELINING"))
		say_note(c, "a reply is still awaited, and the server did not announce PIPELINING: a client waits for each reply (RFC 5321 4.3.1)");
	secret = shown_command(verb, line, len, shown, sizeof shown);
	if (send_line(c, line, len, shown, secret, verb, 0) != 0)
		return -1;
	if (strcmp(verb, "BDAT") == 0)
		c->bdat_left = bdat_size(line, len);
	return 0;
}

/* send_message_line - one line of the message after 354 */
static int send_message_line(struct conn *c, const char *line, size_t len)
{
	const char *cr = memchr(line, '\r', len);
	char buf[SHOWN_MAX + 1];
	char *stuffed;
	int rc;

	if (len == 1 && line[0] == '.') {
		c->msg = 0;
		c->told_stuffing = 0;
		return send_line(c, ".", 1, NULL, 0, "DATA-END", 0);
	}
	if (cr) {
		/* RFC 5321 2.3.8: no bare CR on the wire; it ends a line */
		size_t k = (size_t)(cr - line);

		if (k + 1 == len || line[k + 1] != '\n')
			say_note(c, "a lone CR in this line ends a line on the wire: SMTP sends no bare CR (RFC 5321 2.3.8)");
		if (send_message_line(c, line, k) != 0)
			return -1;
		k += 1 + (k + 1 < len && line[k + 1] == '\n');
		/* a "." after a CR is text, not the end: it gets stuffed */
		if (k < len && line[k] == '.' && len - k == 1)
			return send_line(c, "..", 2, NULL, 0, NULL, 0);
		return send_message_line(c, line + k, len - k);
	}
	if (len > TEXT_LINE_MAX)
		say_note(c, "this line is %zu octets long; RFC 5321 4.5.3.1.6 allows 1000 with CRLF, so a server may refuse or split it",
		    len + 2);
	if (len == 0 || line[0] != '.')
		return send_line(c, line, len, NULL, 0, NULL, 0);
	/* RFC 5321 4.5.2: a line starting with a dot gets one more */
	stuffed = len + 1 <= sizeof buf ? buf : malloc(len + 1);
	if (stuffed == NULL) {
		say_error(c, "out of memory");
		return -1;
	}
	stuffed[0] = '.';
	memcpy(stuffed + 1, line, len);
	if (!c->told_stuffing) {
		say_note(c, "a line of the message starts with \".\", so smtpref sends it with one more dot, and the server removes it (dot-stuffing, RFC 5321 4.5.2)");
		c->told_stuffing = 1;
	}
	rc = send_line(c, stuffed, len + 1, NULL, 0, NULL, 0);
	if (stuffed != buf)
		free(stuffed);
	return rc;
}

/* send_chunk_line - a line of a BDAT chunk: counted, never stuffed */
static int send_chunk_line(struct conn *c, const char *line, size_t len)
{
	unsigned long k = (unsigned long)len + 2;

	if (k > c->bdat_left)
		say_note(c, "this line (%lu octets with CRLF) is longer than what is left of the BDAT chunk (%lu): the server will read the rest as commands (RFC 3030 2)",
		    k, c->bdat_left);
	c->bdat_left -= k < c->bdat_left ? k : c->bdat_left;
	return send_line(c, line, len, NULL, 0, NULL, 0);
}

/* send_auth_answer - the answer to a 334: shown redacted, except "*" */
static int send_auth_answer(struct conn *c, const char *line, size_t len)
{
	int cancel = len == 1 && line[0] == '*';

	if (check_command(c, line, len) != 0)
		return -1;
	c->auth334 = 0;
	return send_line(c, line, len, cancel ? NULL : redacted, !cancel,
	    "AUTH", 0);
}

/* before_send - pick up anything the server sent unasked, so that its
 * findings come before the line (security-cases H8) */
static int before_send(struct conn *c)
{
	if (c->state != CONN_OPEN) {
		say_error(c, "not sent: the connection is closed");
		return -1;
	}
	conn_process(c);
	if (c->state != CONN_OPEN)
		return -1;
	return 0;
}

int conn_send(struct conn *c, const char *line, size_t len)
{
	if (before_send(c) != 0)
		return -1;
	switch (conn_input(c)) {
	case CONN_IN_MESSAGE:
		return send_message_line(c, line, len);
	case CONN_IN_CHUNK:
		return send_chunk_line(c, line, len);
	case CONN_IN_AUTH:
		return send_auth_answer(c, line, len);
	default:
		return send_command(c, line, len);
	}
}

int conn_send_group(struct conn *c, const char *const *lines,
    const size_t *lens, size_t n)
{
	size_t i, total = 0, off = 0;
	char verb[16], shown[SHOWN_MAX];
	char *buf;

	if (n == 0)
		return 0;
	if (before_send(c) != 0)
		return -1;
	if (conn_input(c) != CONN_IN_COMMAND || n > GROUP_MAX ||
	    !conn_offers(c, "PIPELINING")) {
		say_error(c, "not sent: a group of commands needs PIPELINING from the server, no message or exchange going on, and at most %d commands (RFC 2920)",
		    GROUP_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct ref_command *r;

		if (check_command(c, lines[i], lens[i]) != 0)
			return -1;
		verb_of(lines[i], lens[i], verb, sizeof verb);
		r = ref_command_find(verb, strlen(verb));
		if (i + 1 < n && (r == NULL || strcmp(r->pipelining, "anywhere") != 0)) {
			say_error(c, "not sent: %s may only be the last command of a group (RFC 2920 3.1)",
			    verb[0] ? verb : "an unknown command");
			return -1;
		}
		total += lens[i] + 2;
	}
	buf = malloc(total);
	if (buf == NULL) {
		say_error(c, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		memcpy(buf + off, lines[i], lens[i]);
		memcpy(buf + off + lens[i], "\r\n", 2);
		off += lens[i] + 2;
	}
	say_note(c, "the server offers PIPELINING: these %zu commands go in one write, and the replies come back in the same order (RFC 2920 3.1)",
	    n);
	if (write_all(c, buf, total) != 0) {
		free(buf);
		return -1;
	}
	free(buf);
	for (i = 0; i < n; i++) {
		int secret;

		verb_of(lines[i], lens[i], verb, sizeof verb);
		secret = shown_command(verb, lines[i], lens[i], shown, sizeof shown);
		emit(c, TX_SENT, NULL, shown, 0, secret);
		client_sent(c->trk, lines[i], lens[i]);
		await_push(c, verb, 0);
		if (strcmp(verb, "BDAT") == 0)
			c->bdat_left = bdat_size(lines[i], lens[i]);
	}
	return 0;
}

/* ---- AUTH ------------------------------------------------------------------- */

/* wipe - clear a buffer that held a secret, in a way the compiler keeps */
static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

/* auth_round - send one AUTH line and wait for its reply; the code */
static int auth_round(struct conn *c, const char *line, size_t len,
    const char *shown, int secret)
{
	c->auth334 = 0;
	if (send_line(c, line, len, shown, secret, "AUTH", 0) != 0 ||
	    conn_wait(c) != 0)
		return 0;
	return c->last_code;
}

static int auth_plain(struct conn *c, const char *user, const char *pass)
{
	char raw[AUTH_MAX], line[AUTH_MAX * 2], shown[128];
	size_t ul = strlen(user), pl = strlen(pass);
	long k;
	int code;

	if (ul + pl + 2 > sizeof raw) {
		say_error(c, "not sent: the user name and password are too long");
		return -1;
	}
	/* RFC 4616 2: [authzid] NUL authcid NUL passwd */
	raw[0] = 0;
	memcpy(raw + 1, user, ul);
	raw[ul + 1] = 0;
	memcpy(raw + ul + 2, pass, pl);
	memcpy(line, "AUTH PLAIN ", 11);
	k = codec_b64_encode(raw, ul + pl + 2, line + 11, sizeof line - 11);
	wipe(raw, sizeof raw);
	if (k < 0) {
		wipe(line, sizeof line);
		say_error(c, "not sent: the credentials do not fit in a line");
		return -1;
	}
	say_note(c, "AUTH PLAIN carries, in base64, NUL, the user name, NUL and the password (RFC 4616 2): smtpref shows it as %s",
	    redacted);
	snprintf(shown, sizeof shown, "AUTH PLAIN %s", redacted);
	code = auth_round(c, line, 11 + (size_t)k, shown, 1);
	wipe(line, sizeof line);
	return code == 235 ? 0 : -1;
}

static int auth_login(struct conn *c, const char *user, const char *pass)
{
	char line[AUTH_MAX], shown[AUTH_MAX + 64];
	long k;
	int code = auth_round(c, "AUTH LOGIN", 10, NULL, 0);

	if (code != 334)
		return -1;
	k = codec_b64_encode(user, strlen(user), line, sizeof line);
	if (k < 0) {
		say_error(c, "not sent: the user name is too long");
		return -1;
	}
	say_note(c, "the answer is the user name in base64 (the LOGIN mechanism)");
	if (auth_round(c, line, (size_t)k, NULL, 0) != 334)
		return -1;
	k = codec_b64_encode(pass, strlen(pass), line, sizeof line);
	if (k < 0) {
		say_error(c, "not sent: the password is too long");
		return -1;
	}
	say_note(c, "the answer is the password in base64: smtpref shows it as %s",
	    redacted);
	snprintf(shown, sizeof shown, "%s", redacted);
	code = auth_round(c, line, (size_t)k, shown, 1);
	wipe(line, sizeof line);
	return code == 235 ? 0 : -1;
}

/* offers_mech - the EHLO reply's AUTH line lists mech (RFC 4954 3) */
static int offers_mech(const struct conn *c, const char *mech)
{
	size_t i;

	for (i = 0; i < c->nkws; i++)
		if (kw_len(c->kws[i]) == 4 && ascii_ieq(c->kws[i], 4, "AUTH") &&
		    c->kws[i][4] == ' ' &&
		    ref_list_has_ci(c->kws[i] + 5, mech, strlen(mech)))
			return 1;
	return 0;
}

int conn_auth(struct conn *c, const char *mech, const char *user,
    const char *password, int insist)
{
	int plain = strcmp(mech, "plain") == 0 || strcmp(mech, "PLAIN") == 0;
	int login = strcmp(mech, "login") == 0 || strcmp(mech, "LOGIN") == 0;

	if (!plain && !login) {
		say_error(c, "unknown AUTH mechanism '%s': smtpref helps with plain and login", mech);
		return -1;
	}
	if (before_send(c) != 0)
		return -1;
	if (conn_input(c) != CONN_IN_COMMAND || c->n > 0) {
		say_error(c, "not sent: finish the command, message or exchange going on first");
		return -1;
	}
	if (!c->tls_on && !c->o.plaintext_auth && !insist) {
		say_error(c, "not sent: TLS is not on, and AUTH %s would send the password almost in clear for anyone on the path to read (RFC 4954 4, 14). Start TLS first, or insist",
		    plain ? "PLAIN" : "LOGIN");
		return -1;
	}
	if (!c->tls_on)
		emitf(c, TX_FINDING, "insecure",
		    "sending credentials without TLS, as insisted: anyone on the path can decode them");
	if (!conn_offers(c, "AUTH"))
		say_note(c, "the server did not announce AUTH in its EHLO reply; sending it anyway");
	else if (!offers_mech(c, plain ? "PLAIN" : "LOGIN"))
		say_note(c, "the server's AUTH line does not list %s; sending it anyway",
		    plain ? "PLAIN" : "LOGIN");
	return plain ? auth_plain(c, user, password) : auth_login(c, user, password);
}

int conn_starttls(struct conn *c)
{
	if (before_send(c) != 0)
		return -1;
	if (c->tls_on) {
		say_error(c, "TLS is already on, and a client never starts it twice (RFC 3207 4.2)");
		return -1;
	}
	if (send_command(c, "STARTTLS", 8) != 0 || conn_wait(c) != 0)
		return -1;
	return c->tls_on ? 0 : -1;
}

/* ---- life cycle and queries -------------------------------------------- */

struct conn *conn_new(const struct conn_opts *o, const struct tx_sink *sink)
{
	struct conn *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->o = *o;
	c->host = strdup(o->host ? o->host : "");
	c->helo = strdup(o->helo ? o->helo : "localhost");
	if (sink)
		c->sink = *sink;
	c->fd = -1;
	c->state = CONN_NEW;
	if (c->o.timeout_ms <= 0)
		c->o.timeout_ms = 30000;
	net_reader_init(&c->rd);
	if (c->host == NULL || c->helo == NULL || new_tracker(c) != 0) {
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
	drop_socket(c);
	client_free(c->trk);
	net_reader_free(&c->rd);
	free(c->host);
	free(c->helo);
	free(c);
}

int conn_open(struct conn *c)
{
	if (c->state != CONN_NEW) {
		say_error(c, "this connection was opened already");
		return -1;
	}
	c->state = CONN_OPEN;
	c->greet = c->o.no_ehlo ? 0 : 1;
	if (connect_any(c) != 0 || start_session(c) != 0)
		return -1;
	conn_wait(c);
	return c->state == CONN_OPEN ? 0 : -1;
}

void conn_close(struct conn *c)
{
	if (c->state == CONN_OPEN) {
		client_dropped(c->trk);
		drop_socket(c);
		c->state = CONN_CLOSED;
	}
}

int conn_fd(const struct conn *c)
{
	return c->fd;
}

enum conn_state conn_state(const struct conn *c)
{
	return c->state;
}

int conn_closed(const struct conn *c)
{
	return c->state != CONN_OPEN;
}

enum conn_input conn_input(const struct conn *c)
{
	if (c->msg)
		return CONN_IN_MESSAGE;
	if (c->bdat_left > 0)
		return CONN_IN_CHUNK;
	if (c->auth334 && c->n == 0)
		return CONN_IN_AUTH;
	return CONN_IN_COMMAND;
}

enum client_phase conn_phase(const struct conn *c)
{
	return client_phase(c->trk);
}

int conn_tls_on(const struct conn *c)
{
	return c->tls_on;
}

size_t conn_pending(const struct conn *c)
{
	return c->n;
}

int conn_offers(const struct conn *c, const char *keyword)
{
	return kw_has((char (*)[KW_LEN])c->kws, c->nkws, keyword, strlen(keyword));
}

int conn_last_code(const struct conn *c)
{
	return c->last_code;
}
