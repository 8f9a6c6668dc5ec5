/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oneliner.c - smtpref connect as a one-line test client
 *
 * swaks' everyday options (--from, --to, --header, --body, --data,
 * --attach, --quit-after, --pipeline, --auth) make the lines a script
 * would send, and the same console sends them: one path for a piped
 * script and the one-liner.  The peer greets, says EHLO and starts TLS
 * by itself (core/client.c's opener); from there each step is fed, and
 * the record of the real-server peer says whether it went through
 * before the next is fed: a refused MAIL, no recipient accepted, a
 * refused DATA end the session with QUIT (RFC 5321 3.3, 4.1.1.10), as
 * swaks does.  With --pipeline and PIPELINING offered, the envelope is
 * one group (RFC 2920 3.1) and the console skips the message when DATA
 * gets no 354.
 */
#include <config.h>

#include "cli/oneliner.h"

#include "console/console.h"
#include "core/ascii.h"
#include "core/ref.h"
#include "core/syntax.h"
#include "net/realpeer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_MAX (64L * 1024 * 1024)	/* a body, a message, an attachment */
#define RCPT_MAX 1000			/* recipients on one command line */

static int fail(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

void oneliner_init(struct oneliner *ol)
{
	memset(ol, 0, sizeof *ol);
	ol->quit_after = OUTCOME_DOT;
}

static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

void oneliner_free(struct oneliner *ol)
{
	size_t i;

	for (i = 0; i < ol->nto; i++)
		free(ol->to[i]);
	free(ol->to);
	free(ol->headers);
	free(ol->attach);
	for (i = 0; i < ol->nfiles; i++)
		free(ol->files[i]);
	free(ol->files);
	message_free(&ol->msg);
	wipe(ol->password, sizeof ol->password);
	oneliner_init(ol);
}

/* ---- options ------------------------------------------------------------ */

/* push_str, push_own, push_file - one more pointer in a growing array
 * (one function per type: no type punning) */
static int push_str(const char ***a, size_t *n, const char *item)
{
	const char **na = realloc(*a, (*n + 1) * sizeof *na);

	if (na == NULL)
		return -1;
	na[(*n)++] = item;
	*a = na;
	return 0;
}

static int push_own(char ***a, size_t *n, char *item)
{
	char **na = realloc(*a, (*n + 1) * sizeof *na);

	if (na == NULL)
		return -1;
	na[(*n)++] = item;
	*a = na;
	return 0;
}

static int push_file(unsigned char ***a, size_t *n, unsigned char *item)
{
	unsigned char **na = realloc(*a, (*n + 1) * sizeof *na);

	if (na == NULL)
		return -1;
	na[(*n)++] = item;
	*a = na;
	return 0;
}

/* add_to - each address of a comma-separated list */
static int add_to(struct oneliner *ol, const char *arg, char *err, size_t size)
{
	const char *p = arg;

	while (*p) {
		const char *comma = strchr(p, ',');
		const char *next = comma ? comma + 1 : p + strlen(p);
		size_t n = (size_t)((comma ? comma : next) - p);
		char *a;

		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n > 0) {
			if (ol->nto == RCPT_MAX)
				return fail(err, size, "more than %d recipients", RCPT_MAX);
			a = malloc(n + 1);
			if (a == NULL || push_own(&ol->to, &ol->nto, a) != 0) {
				free(a);
				return fail(err, size, "out of memory");
			}
			memcpy(a, p, n);
			a[n] = 0;
		}
		p = next;
	}
	return 0;
}

static const struct {
	const char *name;
	enum outcome_step step;
} stops[] = {
	{ "CONNECT", OUTCOME_CONNECT }, { "BANNER", OUTCOME_CONNECT },
	{ "EHLO", OUTCOME_EHLO }, { "HELO", OUTCOME_EHLO },
	{ "TLS", OUTCOME_STARTTLS }, { "STARTTLS", OUTCOME_STARTTLS },
	{ "AUTH", OUTCOME_AUTH }, { "MAIL", OUTCOME_MAIL },
	{ "FROM", OUTCOME_MAIL }, { "RCPT", OUTCOME_RCPT },
	{ "TO", OUTCOME_RCPT },
};

static int quit_after(struct oneliner *ol, const char *arg, char *err,
    size_t size)
{
	size_t i;

	for (i = 0; i < sizeof stops / sizeof stops[0]; i++)
		if (ascii_ieq(arg, strlen(arg), stops[i].name)) {
			ol->quit_after = stops[i].step;
			return 0;
		}
	return fail(err, size, "--quit-after takes CONNECT, EHLO, TLS, AUTH, MAIL or RCPT, not %s", arg);
}

int oneliner_option(struct oneliner *ol, int opt, const char *arg, char *err,
    size_t size)
{
	const char *bad;

	ol->active = 1;
	switch (opt) {
	case ONELINER_FROM:
		ol->from = arg;
		return 0;
	case ONELINER_TO:
		return add_to(ol, arg, err, size);
	case ONELINER_HEADER:
		if ((bad = message_header_ok(arg)) != NULL)
			return fail(err, size, "--header %s: %s", arg, bad);
		return push_str(&ol->headers, &ol->nheaders, arg) ? fail(err, size, "out of memory") : 0;
	case ONELINER_BODY:
		if (ol->body)
			return fail(err, size, "--body is given twice");
		ol->body = arg;
		return 0;
	case ONELINER_DATA:
		if (arg[0] != '@' && strcmp(arg, "-") != 0)
			return fail(err, size, "--data takes @FILE (or - for standard input), the whole message, not %s", arg);
		ol->data = arg;
		return 0;
	case ONELINER_ATTACH:
		return push_str(&ol->attach, &ol->nattach, arg) ? fail(err, size, "out of memory") : 0;
	case ONELINER_QUIT_AFTER:
		return quit_after(ol, arg, err, size);
	case ONELINER_PIPELINE:
		ol->pipeline = 1;
		return 0;
	case ONELINER_AUTH:
		ol->auth = 1;
		if (arg && !ascii_ieq(arg, strlen(arg), "PLAIN") &&
		    !ascii_ieq(arg, strlen(arg), "LOGIN"))
			return fail(err, size, "--auth takes PLAIN or LOGIN (RFC 4616, and the common LOGIN), not %s", arg);
		ol->auth_mech = arg == NULL ? NULL :
		    ascii_ieq(arg, strlen(arg), "PLAIN") ? "plain" : "login";
		return 0;
	case ONELINER_AUTH_USER:
		if (*arg == 0 || strpbrk(arg, " \t\r\n"))
			return fail(err, size, "--auth-user takes a user name without spaces, not '%s'", arg);
		ol->auth = 1;
		ol->auth_user = arg;
		return 0;
	case ONELINER_AUTH_PASSWORD_FILE:
		ol->auth = 1;
		ol->password_file = arg;
		return 0;
	case ONELINER_AUTH_PASSWORD:
		return fail(err, size, "a password is never taken on the command line, where any user of this machine can read it (ps): use --auth-password-file, SMTPREF_PASSWORD, or the prompt");
	case ONELINER_JSON:
		ol->json = 1;
		return 0;
	default:
		return fail(err, size, "unknown option");
	}
}

/* address_ok - a mailbox for MAIL or RCPT (RFC 5321 4.1.2), UTF-8 allowed
 * (SMTPUTF8 is asked for then) */
static int address_ok(const char *a, int null_ok)
{
	char path[OUTCOME_ARG_MAX + 3];
	struct syntax_opts so = { 1, 0, 0 };
	struct syntax_path sp;

	if (strlen(a) > OUTCOME_ARG_MAX - 1)
		return 0;
	snprintf(path, sizeof path, "<%s>", a);
	return syntax_parse_path(path, strlen(path), &so, &sp) == SYNTAX_OK &&
	    (null_ok || !sp.null) && !sp.postmaster;
}

int oneliner_check(const struct oneliner *ol, int has_server, char *err,
    size_t size)
{
	size_t i;

	if (ol->data && (ol->body || ol->nheaders || ol->nattach))
		return fail(err, size, "--data is the whole message as it is: it cannot go with --%s",
		    ol->body ? "body" : ol->nheaders ? "header" : "attach");
	if (ol->auth && ol->auth_user == NULL)
		return fail(err, size, "--auth needs --auth-user: who logs in?");
	if (ol->nto == 0 && (ol->quit_after == OUTCOME_RCPT || ol->quit_after == OUTCOME_DOT))
		return fail(err, size, "--to: who gets the message? (or --quit-after a step before RCPT)");
	if (ol->nto == 0 && !has_server)
		return fail(err, size, "which server? Give --server HOST, a HOST, --mx DOMAIN, or --to, whose domain's MX is used");
	if (ol->quit_after == OUTCOME_AUTH && !ol->auth)
		return fail(err, size, "--quit-after AUTH needs --auth");
	if (ol->from && ol->from[0] && !address_ok(ol->from, 0))
		return fail(err, size, "--from %s is not an address (RFC 5321 4.1.2); --from '' sends the null sender <>", ol->from);
	for (i = 0; i < ol->nto; i++)
		if (!address_ok(ol->to[i], 0))
			return fail(err, size, "--to %s is not an address (RFC 5321 4.1.2)", ol->to[i]);
	return 0;
}

const char *oneliner_domain(const struct oneliner *ol, char *buf, size_t size)
{
	const char *at;

	if (ol->nto == 0)
		return NULL;
	at = strrchr(ol->to[0], '@');
	if (at == NULL)
		return NULL;
	snprintf(buf, size, "%s", at + 1);
	return buf;
}

/* ---- before connecting -------------------------------------------------------- */

/* read_all - a file ("@FILE" or a path) or standard input ("-") */
static int read_all(struct oneliner *ol, const char *spec, const char *what,
    const unsigned char **data, size_t *len, char *err, size_t size)
{
	const char *path = spec[0] == '@' ? spec + 1 : spec;
	FILE *f = strcmp(spec, "-") == 0 ? stdin : fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		return fail(err, size, "%s: cannot read %s: %s", what, path, strerror(errno));
	for (;;) {
		size_t k;

		if (n == cap) {
			unsigned char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > (size_t)FILE_MAX + 1)
				cap = (size_t)FILE_MAX + 1;
			nb = n < cap ? realloc(buf, cap) : NULL;
			if (nb == NULL) {
				free(buf);
				if (f != stdin)
					fclose(f);
				return n >= (size_t)FILE_MAX ?
				    fail(err, size, "%s: %s is larger than %ld MiB", what, path, FILE_MAX >> 20) :
				    fail(err, size, "out of memory");
			}
			buf = nb;
		}
		k = fread(buf + n, 1, cap - n, f);
		n += k;
		if (k == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		if (f != stdin)
			fclose(f);
		return fail(err, size, "%s: cannot read %s: %s", what, path, strerror(errno));
	}
	if (f != stdin)
		fclose(f);
	if (buf == NULL && (buf = malloc(1)) == NULL)
		return fail(err, size, "out of memory");
	if (push_file(&ol->files, &ol->nfiles, buf) != 0) {
		free(buf);
		return fail(err, size, "out of memory");
	}
	*data = buf;
	*len = n;
	return 0;
}

/* password - from --auth-password-file, SMTPREF_PASSWORD, or asked; the
 * variable is then unset, so that the console takes this one */
static int password(struct oneliner *ol,
    int (*ask)(void *, const char *, char *, size_t), void *ask_ctx,
    char *err, size_t size)
{
	const char *env = getenv("SMTPREF_PASSWORD");

	if (ol->password_file) {
		const unsigned char *p;
		size_t n, k;
		struct stat st;

		if (stat(ol->password_file, &st) == 0 && (st.st_mode & 077))
			fprintf(stderr, "smtpref connect: warning: %s can be read by other users (chmod 600 it)\n",
			    ol->password_file);
		if (read_all(ol, ol->password_file, "--auth-password-file", &p, &n, err, size) != 0)
			return -1;
		for (k = 0; k < n && p[k] != '\n' && p[k] != '\r'; k++)
			;
		if (k >= sizeof ol->password)
			return fail(err, size, "the password in %s is too long", ol->password_file);
		memcpy(ol->password, p, k);
		ol->password[k] = 0;
		wipe((void *)p, n);
	} else if (env) {
		if (strlen(env) >= sizeof ol->password)
			return fail(err, size, "SMTPREF_PASSWORD is too long");
		snprintf(ol->password, sizeof ol->password, "%s", env);
	} else if (ask == NULL || ask(ask_ctx, ol->auth_user, ol->password,
	    sizeof ol->password) != 0)
		return fail(err, size, "--auth: no password: give --auth-password-file, set SMTPREF_PASSWORD, or run smtpref on a terminal");
	if (env)
		unsetenv("SMTPREF_PASSWORD");
	ol->have_password = 1;
	return 0;
}

int oneliner_password(const struct oneliner *ol, char *pw, size_t size)
{
	if (!ol->have_password || strlen(ol->password) >= size)
		return -1;
	snprintf(pw, size, "%s", ol->password);
	return 0;
}

/* unique - what makes the Message-ID and the MIME boundary unique: the
 * time, the process, and random octets */
static void unique(char *out, size_t size, time_t now)
{
	unsigned r = (unsigned)now ^ (unsigned)getpid() << 16;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &r, sizeof r) != (ssize_t)sizeof r)
			r ^= (unsigned)clock();
		close(fd);
	}
	snprintf(out, size, "%lld.%ld.%08x", (long long)now, (long)getpid(), r);
}

int oneliner_prepare(struct oneliner *ol, const char *helo,
    int (*ask)(void *, const char *, char *, size_t), void *ask_ctx,
    char *err, size_t size)
{
	struct message_spec s;
	struct message_attachment *att = NULL;
	char uniq[80];
	time_t now = time(NULL);
	size_t i;
	int rc = -1;

	memset(&s, 0, sizeof s);
	if (ol->from == NULL) {
		const char *user = getenv("LOGNAME");

		if (user == NULL || *user == 0 || strpbrk(user, " @<>\"\\"))
			user = "smtpref";
		snprintf(ol->from_buf, sizeof ol->from_buf, "%s@%s", user, helo);
		ol->from = ol->from_buf;
		if (!address_ok(ol->from, 0))
			return fail(err, size, "no --from, and %s is not an address: give one", ol->from);
	}
	if (ol->auth && password(ol, ask, ask_ctx, err, size) != 0)
		return -1;
	if (ol->quit_after != OUTCOME_DOT)
		return 0;	/* no message */
	s.from = ol->from;
	s.to = (const char *const *)ol->to;
	s.nto = ol->nto;
	s.domain = helo;
	s.headers = ol->headers;
	s.nheaders = ol->nheaders;
	localtime_r(&now, &s.date);
	s.utc_offset_min = (int)(s.date.tm_gmtoff / 60);
	unique(uniq, sizeof uniq, now);
	s.unique = uniq;
	if (ol->data) {
		if (read_all(ol, ol->data, "--data", (const unsigned char **)&s.raw,
		    &s.raw_len, err, size) != 0)
			return -1;
	} else if (ol->body && (ol->body[0] == '@' || strcmp(ol->body, "-") == 0)) {
		if (read_all(ol, ol->body, "--body", (const unsigned char **)&s.body,
		    &s.body_len, err, size) != 0)
			return -1;
	} else if (ol->body) {
		s.body = ol->body;
		s.body_len = strlen(ol->body);
	}
	if (ol->nattach > 0 && (att = calloc(ol->nattach, sizeof *att)) == NULL)
		return fail(err, size, "out of memory");
	for (i = 0; i < ol->nattach; i++) {
		const char *path = ol->attach[i][0] == '@' ? ol->attach[i] + 1 : ol->attach[i];
		const char *slash = strrchr(path, '/');

		att[i].name = slash ? slash + 1 : path;
		if (read_all(ol, ol->attach[i], "--attach", &att[i].data, &att[i].len,
		    err, size) != 0)
			goto out;
	}
	s.attach = att;
	s.nattach = ol->nattach;
	if (message_build(&s, &ol->msg, err, size) != 0)
		goto out;
	ol->built = 1;
	if (ol->msg.text && (ol->msg.text[0] == ':' ||
	    (ol->msg.text[0] == '.' && ol->msg.text[1] == '\n'))) {
		fail(err, size, "the message's first line is not a header (it starts with '%c')",
		    ol->msg.text[0]);
		goto out;
	}
	rc = 0;
out:
	free(att);
	return rc;
}

void oneliner_goal(const struct oneliner *ol, int starttls, int implicit_tls,
    struct outcome_goal *g)
{
	memset(g, 0, sizeof *g);
	g->last = ol->quit_after;
	g->starttls = starttls && ol->quit_after != OUTCOME_CONNECT;
	g->implicit_tls = implicit_tls;
	g->auth = ol->auth;
}

/* ---- the session --------------------------------------------------------------- */

struct run {
	struct oneliner *ol;
	struct console *c;
	struct peer *p;
	const struct outcome_goal *g;
	const struct tx_sink *sink;
};

/* feed - one line, as a script's, and the replies it waits for */
static void feed(struct run *x, const char *line, size_t len)
{
	console_line(x->c, line, len);
	console_wait(x->c);
}

static void feed_str(struct run *x, const char *line)
{
	feed(x, line, strlen(line));
}

static int open_(const struct run *x)
{
	return console_input(x->c) != PEER_IN_CLOSED;
}

/* ok_up_to - every step the goal wants, up to last, went through */
static int ok_up_to(const struct run *x, enum outcome_step last)
{
	struct outcome_goal g = *x->g;
	struct outcome_verdict v;

	g.last = last;
	outcome_verdict(realpeer_outcome(x->p), &g, &v);
	return v.status == OUTCOME_OK;
}

static int offers(const struct run *x, const char *kw)
{
	return x->p->ops->offers && x->p->ops->offers(x->p, kw);
}

/* decide - the one-liner stops here itself, with status and why */
static void decide(struct run *x, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void decide(struct run *x, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->ol->why, sizeof x->ol->why, fmt, ap);
	va_end(ap);
	x->ol->status = status;
	tx_emit(x->sink, TX_ERROR, NULL, x->ol->why, strlen(x->ol->why));
}

/* auth - log in through the console's :auth, with the mechanism asked
 * for or the best offered; 0 when it went through */
static int auth(struct run *x)
{
	const char *mechs = x->p->ops->mechs ? x->p->ops->mechs(x->p) : NULL;
	const char *mech = x->ol->auth_mech;
	char line[400];

	if (!console_tls(x->c)) {
		decide(x, OUTCOME_AUTH_FAILED, "AUTH not sent: TLS is not on, and the password would cross the network almost in clear (RFC 4954 4, 14); add --tls (or --tls-on-connect)");
		return -1;
	}
	if (!offers(x, "AUTH")) {
		decide(x, OUTCOME_AUTH_FAILED, "the server does not offer AUTH in its EHLO reply (RFC 4954 3), so smtpref cannot log in");
		return -1;
	}
	if (mech == NULL) {
		if (ref_list_has_ci(mechs, "PLAIN", 5))
			mech = "plain";
		else if (ref_list_has_ci(mechs, "LOGIN", 5))
			mech = "login";
		else {
			decide(x, OUTCOME_AUTH_FAILED, "the server offers AUTH %s; smtpref speaks PLAIN and LOGIN",
			    mechs && *mechs ? mechs : "with no mechanism");
			return -1;
		}
	}
	snprintf(line, sizeof line, ":auth %s %s", mech, x->ol->auth_user);
	feed_str(x, line);
	return ok_up_to(x, OUTCOME_AUTH) ? 0 : -1;
}

/* has_utf8_address - UTF-8 in the sender or a recipient */
static int has_utf8_address(const struct oneliner *ol)
{
	const char *p;
	size_t i;

	for (p = ol->from; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return 1;
	for (i = 0; i < ol->nto; i++)
		for (p = ol->to[i]; *p; p++)
			if ((unsigned char)*p >= 0x80)
				return 1;
	return 0;
}

/* mail_line - MAIL FROM with what the message needs (RFC 6152, 6531,
 * 1870); 0, or -1 when the server cannot take it */
static int mail_line(struct run *x, char *out, size_t size)
{
	const struct message *m = &x->ol->msg;
	int built = x->ol->built;
	size_t n;

	if (built && m->needs_utf8 && !offers(x, "SMTPUTF8")) {
		decide(x, OUTCOME_UNSENDABLE, "the message has UTF-8 in its %s, and the server does not offer SMTPUTF8 (RFC 6531 3.4, RFC 6532): it cannot take it as it is",
		    has_utf8_address(x->ol) ? "addresses" : "header");
		return -1;
	}
	if (built && m->needs_8bit && !offers(x, "8BITMIME") && !offers(x, "SMTPUTF8")) {
		decide(x, OUTCOME_UNSENDABLE, "the message has 8-bit octets, and the server does not offer 8BITMIME: a client must not send them (RFC 6152 3; RFC 5321 2.4); encode the text (quoted-printable, base64) or attach it");
		return -1;
	}
	n = (size_t)snprintf(out, size, "MAIL FROM:<%s>", x->ol->from);
	if (built && m->needs_8bit && offers(x, "8BITMIME") && n < size)
		n += (size_t)snprintf(out + n, size - n, " BODY=8BITMIME");
	if (built && m->needs_utf8 && n < size)
		n += (size_t)snprintf(out + n, size - n, " SMTPUTF8");
	if (built && offers(x, "SIZE") && n < size)
		snprintf(out + n, size - n, " SIZE=%zu", m->size);
	return 0;
}

/* message - the message's lines, as a script's after DATA.  A line the
 * console would take for the end of the message (".") or for a
 * meta-command (":...") rides on the line before it, after a CRLF: the
 * peer sends a line break inside a message line as a line break, and a
 * "." there as text, dot-stuffed (net/realpeer.c, send_message_line). */
static void message(struct run *x)
{
	const struct message *m = &x->ol->msg;
	size_t pos = 0, len, n = 0, cap = 0;
	const char *l;
	char *acc = NULL;
	int held = 0;		/* acc[0..n) is a line not fed yet */

	while ((l = message_line(m, &pos, &len)) != NULL && open_(x)) {
		int rides = held && ((len == 1 && l[0] == '.') ||
		    (len > 0 && l[0] == ':'));

		if (held && !rides) {
			feed(x, acc, n);
			n = 0;
		}
		held = 1;
		if (n + len + 3 > cap) {
			char *na;

			cap = (n + len + 3) * 2;
			na = realloc(acc, cap);
			if (na == NULL) {
				free(acc);
				tx_emit(x->sink, TX_ERROR, NULL, "out of memory", 13);
				return;
			}
			acc = na;
		}
		if (rides) {
			memcpy(acc + n, "\r\n", 2);
			n += 2;
		}
		memcpy(acc + n, l, len);
		n += len;
	}
	if (held && open_(x))
		feed(x, acc ? acc : "", n);
	free(acc);
	if (open_(x))
		feed_str(x, ".");
}

/* envelope - MAIL and the RCPTs; 0 when the transaction may go on */
static int envelope(struct run *x, const char *mail, int group)
{
	size_t i;

	feed_str(x, mail);
	if (!group && !ok_up_to(x, OUTCOME_MAIL))
		return -1;
	if (x->ol->quit_after == OUTCOME_MAIL)
		return -1;
	for (i = 0; i < x->ol->nto && open_(x); i++) {
		char line[OUTCOME_ARG_MAX + 16];

		snprintf(line, sizeof line, "RCPT TO:<%s>", x->ol->to[i]);
		feed_str(x, line);
	}
	if (!group && !ok_up_to(x, OUTCOME_RCPT))
		return -1;
	return x->ol->quit_after == OUTCOME_RCPT ? -1 : 0;
}

void oneliner_run(struct oneliner *ol, struct console *c, struct peer *p,
    const struct outcome_goal *g, const struct tx_sink *sink)
{
	struct run x = { ol, c, p, g, sink };
	char mail[OUTCOME_ARG_MAX + 80];
	int group;

	if (!open_(&x))
		return;
	/* the greeting, EHLO and STARTTLS: the peer's own */
	if (!ok_up_to(&x, ol->quit_after == OUTCOME_CONNECT ? OUTCOME_CONNECT :
	    OUTCOME_EHLO) ||
	    ol->quit_after == OUTCOME_CONNECT || ol->quit_after == OUTCOME_EHLO ||
	    ol->quit_after == OUTCOME_STARTTLS)
		goto quit;
	if (ol->auth && auth(&x) != 0)
		goto quit;
	if (ol->quit_after == OUTCOME_AUTH || mail_line(&x, mail, sizeof mail) != 0)
		goto quit;
	group = ol->pipeline && offers(&x, "PIPELINING");
	if (ol->pipeline && !group)
		tx_emitf(sink, TX_NOTE, NULL, "--pipeline: the server does not offer PIPELINING, so each command goes alone and waits for its reply (RFC 2920 3.1)");
	if (envelope(&x, mail, group) != 0)
		goto quit;
	/* DATA, then the message: after a refused DATA the console does
	 * not send it (a script's lines up to ".") */
	feed_str(&x, "DATA");
	if (open_(&x))
		message(&x);
quit:
	if (open_(&x))
		feed_str(&x, "QUIT");
	console_eof(c);
}
