/* SPDX-License-Identifier: GPL-3.0-or-later */
/* maillog.c - the log lines of Postfix, Exim and Sendmail
 *
 * A line is found by its syslog prefix (RFC 3164 "May  1 10:00:00 host
 * prog[pid]: ", or an ISO 8601 time first) and its program, or by the
 * layout of Exim's own main log ("2024-05-01 10:00:00 ID ** ..."); a
 * Postfix line quoted without its prefix ("... to=<...>, ... status=
 * bounced (...)") is read too.  Lines about one queue id are grouped: the
 * sender from its from=<>, each recipient from its latest to=<> line,
 * and the group is handed on when the queue id is removed (Postfix
 * "removed", Exim "Completed"), at the end of the input, or when more
 * than REPORT_LOG_GROUPS groups are open at once (the oldest first).
 */
#include <config.h>

#include "report/reportint.h"

#include <string.h>

#include "core/ascii.h"

enum log_kind { LOG_NONE, LOG_POSTFIX, LOG_SENDMAIL, LOG_EXIM };

struct log_line {
	enum log_kind kind;
	const char *host;	/* the host that logged it */
	size_t hlen;
	const char *msg;	/* after "prog[pid]: " */
	size_t mlen;
};

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", NULL };

/* skip_time - past an RFC 3164 or ISO 8601 time stamp and one space;
 * the length skipped, 0 when s does not start with one */
static size_t skip_time(const char *s, size_t n)
{
	size_t i = 0;
	int m;

	for (m = 0; months[m]; m++)
		if (n > 15 && memcmp(s, months[m], 3) == 0 && s[3] == ' ')
			break;
	if (months[m]) {
		i = 4;
		while (i < n && s[i] == ' ')
			i++;
		while (i < n && ascii_is_digit((unsigned char)s[i]))
			i++;
	} else if (n > 19 && ascii_is_digit((unsigned char)s[0]) && s[4] == '-' &&
	    s[7] == '-' && (s[10] == 'T' || s[10] == ' ')) {
		i = 10;
	} else {
		return 0;
	}
	if (i >= n || (s[i] != ' ' && s[i] != 'T'))
		return 0;
	i++;
	/* the time, its fraction and zone */
	while (i < n && (ascii_is_digit((unsigned char)s[i]) || strchr(":.+-Z", s[i])))
		i++;
	if (i >= n || s[i] != ' ')
		return 0;
	return i + 1;
}

static size_t word(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] != ' ')
		i++;
	return i;
}

static int exim_id(const char *s, size_t n)
{
	size_t i = 0, parts = 0, len = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == ' ' || s[i] == '-') {
			if (len < 2 || len > 11)
				return 0;
			parts++;
			len = 0;
			if (i == n || s[i] == ' ')
				break;
			continue;
		}
		if (!ascii_is_alnum((unsigned char)s[i]))
			return 0;
		len++;
	}
	return parts == 3;
}

/* parse - what kind of log line s is, and where its message starts */
static int parse(const char *s, size_t n, struct log_line *l)
{
	size_t t = skip_time(s, n), k, p;

	memset(l, 0, sizeof *l);
	if (t > 0 && s[4] == '-') {
		/* Exim's main log: the time, a zone and a pid maybe, then the
		 * message id */
		size_t u = t;

		if (u < n && (s[u] == '+' || s[u] == '-'))
			u += word(s + u, n - u) + 1;
		if (u < n && s[u] == '[')
			u += word(s + u, n - u) + 1;
		if (u < n && (k = word(s + u, n - u)) > 0 && exim_id(s + u, k)) {
			l->kind = LOG_EXIM;
			l->msg = s + u;
			l->mlen = n - u;
			return 1;
		}
	}
	if (t > 0) {
		l->host = s + t;
		l->hlen = word(s + t, n - t);
		t += l->hlen + 1;
	}
	if (t >= n)
		return 0;
	k = word(s + t, n - t);
	if (k < 2 || s[t + k - 1] != ':') {
		/* no prefix: a Postfix line quoted from its message on */
		if (report_find_ci(s, n, "to=<") ? report_find_ci(s, n, "status=") != NULL
		    : (report_find_ci(s, n, "status=bounced") || report_find_ci(s, n, "status=deferred") ||
		    report_find_ci(s, n, "status=expired") || report_find_ci(s, n, "status=sent"))) {
			l->kind = LOG_POSTFIX;
			l->msg = s;
			l->mlen = n;
			return 1;
		}
		return 0;
	}
	if (report_find_ci(s + t, k, "postfix"))
		l->kind = LOG_POSTFIX;
	else if (report_find_ci(s + t, k, "sendmail") || report_find_ci(s + t, k, "sm-mta"))
		l->kind = LOG_SENDMAIL;
	else if (report_find_ci(s + t, k, "exim"))
		l->kind = LOG_EXIM;
	else
		return 0;
	p = t + k + 1;
	l->msg = p < n ? s + p : s + n;
	l->mlen = p < n ? n - p : 0;
	/* Exim through syslog may repeat its own time stamp */
	if (l->kind == LOG_EXIM && (k = skip_time(l->msg, l->mlen)) > 0) {
		l->msg += k;
		l->mlen -= k;
	}
	return 1;
}

int report_log_is_line(const char *s, size_t n)
{
	struct log_line l;

	return parse(s, n, &l);
}

void report_log_reset(struct report *r)
{
	struct maillog *g = &r->log;
	int i;

	memset(g, 0, sizeof *g);
	for (i = 0; i < LOG_SLOTS; i++)
		g->slot[i].group = -1;
}

/* ---------------------------------------------------------------- */
/* Groups                                                            */

static void emit_group(struct report *r, int gi)
{
	struct maillog *g = &r->log;
	struct log_group *grp = &g->group[gi];
	int i, any = 0;

	for (i = 0; i < LOG_SLOTS; i++)
		any |= g->slot[i].group == gi;
	if (any) {
		report_msg_begin(r, REPORT_LOG);
		r->msg_line = grp->line;
		report_set(r->id, sizeof r->id, grp->id);
		report_set(r->sender, sizeof r->sender, grp->sender);
		report_set(r->software, sizeof r->software, grp->software);
		report_set(r->reporter, sizeof r->reporter, grp->host);
		/* slots are taken in order of first appearance within a group */
		for (i = 0; i < LOG_SLOTS; i++)
			if (g->slot[i].group == gi) {
				report_emit(r, &g->slot[i].w, NULL);
				g->slot[i].group = -1;
			}
		report_msg_end(r);
	}
	grp->open = 0;
}

static int oldest_group(const struct maillog *g)
{
	int i, best = -1;

	for (i = 0; i < REPORT_LOG_GROUPS; i++)
		if (g->group[i].open && (best < 0 || g->group[i].seq < g->group[best].seq))
			best = i;
	return best;
}

static int find_group(struct report *r, const char *id, size_t idlen,
    const struct log_line *l, const char *software)
{
	struct maillog *g = &r->log;
	int i, free_i = -1;

	for (i = 0; i < REPORT_LOG_GROUPS; i++) {
		if (g->group[i].open && strlen(g->group[i].id) == idlen &&
		    memcmp(g->group[i].id, id, idlen) == 0)
			return i;
		if (!g->group[i].open && free_i < 0)
			free_i = i;
	}
	if (free_i < 0) {
		free_i = oldest_group(g);
		emit_group(r, free_i);
	}
	memset(&g->group[free_i], 0, sizeof g->group[free_i]);
	g->group[free_i].open = 1;
	g->group[free_i].seq = g->seq++;
	g->group[free_i].line = r->lineno;
	report_copy(g->group[free_i].id, sizeof g->group[free_i].id, id, idlen);
	report_copy(g->group[free_i].software, sizeof g->group[free_i].software,
	    software, strlen(software));
	if (l->host)
		report_copy(g->group[free_i].host, sizeof g->group[free_i].host, l->host, l->hlen);
	return free_i;
}

/* slot_for - the record of addr in group gi, made when new */
static struct rwork *slot_for(struct report *r, int gi, const char *addr)
{
	struct maillog *g = &r->log;
	int i, free_i = -1;

	for (i = 0; i < LOG_SLOTS; i++) {
		if (g->slot[i].group == gi && !strcmp(g->slot[i].w.addr, addr))
			return &g->slot[i].w;
		if (g->slot[i].group < 0 && free_i < 0)
			free_i = i;
	}
	while (free_i < 0) {
		int old = oldest_group(g);

		if (old == gi || old < 0) {
			/* one group fills every slot: hand it on as it is */
			emit_group(r, gi);
			g->group[gi].open = 1;
		} else {
			emit_group(r, old);
		}
		for (i = 0; i < LOG_SLOTS && free_i < 0; i++)
			if (g->slot[i].group < 0)
				free_i = i;
	}
	g->slot[free_i].group = gi;
	report_rw_init(&g->slot[free_i].w, r->lineno);
	report_set(g->slot[free_i].w.addr, REPORT_ADDR_MAX, addr);
	return &g->slot[free_i].w;
}

/* ---------------------------------------------------------------- */
/* key=value fields                                                  */

/* field - the value of "key=" in s (up to ", " or the end), 0 when absent */
static size_t field(const char *s, size_t n, const char *key, const char **v)
{
	const char *p = s, *end = s + n;
	size_t kl = strlen(key), len;

	while ((p = report_find_ci(p, (size_t)(end - p), key)) != NULL) {
		if (p == s || p[-1] == ' ' || p[-1] == ',') {
			*v = p + kl;
			for (len = 0; *v + len < end && (*v)[len] != ','; len++)
				;
			if (**v == '<') {
				const char *gt = memchr(*v, '>', (size_t)(end - *v));

				if (gt)
					len = (size_t)(gt - *v) + 1;
			}
			return len;
		}
		p += kl;
	}
	return 0;
}

static void unangle(const char **v, size_t *n)
{
	*n = report_trim(v, *n);
	if (*n >= 2 && (*v)[0] == '<' && (*v)[*n - 1] == '>') {
		(*v)++;
		*n -= 2;
	}
}

/* relay_host - "mx.example.org[192.0.2.1]:25" or "mx.example.org.
 * [192.0.2.1]" as the host name alone */
static void relay_host(char *out, size_t size, const char *v, size_t n)
{
	size_t k;

	for (k = 0; k < n && v[k] != '[' && v[k] != ' ' && v[k] != ','; k++)
		;
	while (k > 0 && v[k - 1] == '.')
		k--;
	report_copy(out, size, v, k);
}

static void set(char *dst, size_t size, const char *v, size_t n)
{
	n = report_trim(&v, n);
	report_copy(dst, size, v, n);
}

/* delivery - the record of addr in group gi, from a Postfix or Sendmail
 * delivery line: its relay=, its dsn=, and what its status word (sent,
 * deferred, bounced, expired ...) makes of it; the text is left empty */
static struct rwork *delivery(struct report *r, int gi, const char *addr,
    const char *s, size_t n, const char *word, size_t wl)
{
	struct rwork *w = slot_for(r, gi, addr);
	const char *v;
	size_t len;

	w->line = r->lineno;
	if ((len = field(s, n, "relay=", &v)) > 0)
		relay_host(w->remote, sizeof w->remote, v, len);
	if ((len = field(s, n, "dsn=", &v)) > 0)
		set(w->status, sizeof w->status, v, len);
	report_set(w->action, sizeof w->action,
	    report_starts_ci(word, wl, "sent") || report_starts_ci(word, wl, "deliverable")
	    ? "delivered" : report_starts_ci(word, wl, "deferred") ? "delayed" : "failed");
	w->final = !strcmp(w->action, "failed");
	w->dlen = 0;
	w->diag[0] = 0;
	return w;
}

/* ---------------------------------------------------------------- */
/* Postfix                                                           */

static size_t queue_id(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && ascii_is_alnum((unsigned char)s[i]))
		i++;
	return i >= 5 && i < n && s[i] == ':' ? i : 0;
}

/* reject - "reject: RCPT from client[ip]: 554 5.7.1 <bob@...>: text;
 * from=<...> to=<...> proto=ESMTP helo=<...>": this server refused */
static void postfix_reject(struct report *r, const struct log_line *l,
    const char *s, size_t n, const char *id, size_t idlen)
{
	const char *v, *cmd = s, *text, *semi;
	size_t len, k;
	char addr[REPORT_ADDR_MAX] = "";
	struct rwork *w;
	int gi;

	if ((len = field(s, n, "to=", &v)) > 0) {
		unangle(&v, &len);
		report_copy(addr, sizeof addr, v, len);
	}
	while (cmd < s + n && *cmd != ':')
		cmd++;
	cmd += cmd < s + n ? 2 : 0;
	gi = find_group(r, id, idlen, l, "Postfix");
	if ((len = field(s, n, "from=", &v)) > 0) {
		unangle(&v, &len);
		report_copy(r->log.group[gi].sender, REPORT_ADDR_MAX, v, len);
	}
	w = slot_for(r, gi, addr);
	for (k = 0; cmd + k < s + n && ascii_is_alpha((unsigned char)cmd[k]); k++)
		;
	report_copy(w->command, sizeof w->command,
	    k == 14 && report_starts_ci(cmd, k, "end-of-message") ? "DATA" : cmd, k);
	if (!strcmp(w->command, "CONNECT") || !strcmp(w->command, "RCPT") ||
	    !strcmp(w->command, "MAIL") || !strcmp(w->command, "DATA") ||
	    !strcmp(w->command, "HELO") || !strcmp(w->command, "EHLO")) {
		/* keep it */
	} else {
		w->command[0] = 0;
	}
	text = report_find_ci(s, n, "]: ");
	text = text ? text + 3 : s;
	semi = report_find_ci(text, (size_t)(s + n - text), "; from=");
	w->dlen = 0;
	report_rw_append(w, text, (size_t)((semi ? semi : s + n) - text));
	report_copy(w->action, sizeof w->action, "failed", 6);
	if (l->host)
		report_copy(w->remote, sizeof w->remote, l->host, l->hlen);
	w->final = 1;
	w->line = r->lineno;
}

static void postfix_line(struct report *r, const struct log_line *l)
{
	const char *s = l->msg, *v, *paren;
	size_t n = l->mlen, len, idl = queue_id(s, n);
	char addr[REPORT_ADDR_MAX];
	struct rwork *w;
	int gi;
	const char *id = idl ? s : "-";

	if (idl) {
		s += idl + 1;
		n -= idl + 1;
		n = report_trim(&s, n);
	} else {
		idl = 1;
	}
	if (report_starts_ci(s, n, "reject:") || report_starts_ci(s, n, "milter-reject:")) {
		postfix_reject(r, l, s, n, id, idl);
		return;
	}
	if (report_starts_ci(s, n, "removed")) {
		for (gi = 0; gi < REPORT_LOG_GROUPS; gi++)
			if (r->log.group[gi].open && strlen(r->log.group[gi].id) == idl &&
			    memcmp(r->log.group[gi].id, id, idl) == 0)
				emit_group(r, gi);
		return;
	}
	if ((len = field(s, n, "from=", &v)) > 0 && !field(s, n, "to=", &v)) {
		field(s, n, "from=", &v);
		unangle(&v, &len);
		gi = find_group(r, id, idl, l, "Postfix");
		report_copy(r->log.group[gi].sender, REPORT_ADDR_MAX, v, len);
		return;
	}
	if (!field(s, n, "status=", &v))
		return;
	if ((len = field(s, n, "to=", &v)) > 0) {
		unangle(&v, &len);
		report_copy(addr, sizeof addr, v, len);
	} else {
		/* a line quoted from "status=" on: the address in its text */
		size_t at, k = report_find_address(v, (size_t)(s + n - v), &at);

		report_copy(addr, sizeof addr, v + at, k);
	}
	gi = find_group(r, id, idl, l, "Postfix");
	len = field(s, n, "status=", &v);
	w = delivery(r, gi, addr, s, n, v, len);
	if ((paren = memchr(v, '(', (size_t)(s + n - v))) != NULL) {
		size_t pl = (size_t)(s + n - paren - 1);

		if (pl > 0 && paren[1 + pl - 1] == ')')
			pl--;
		report_rw_append(w, paren + 1, pl);
	}
}

/* ---------------------------------------------------------------- */
/* Sendmail                                                          */

static void sendmail_line(struct report *r, const struct log_line *l)
{
	const char *s = l->msg, *v, *stat;
	size_t n = l->mlen, len, idl = queue_id(s, n), sl, k;
	char addr[REPORT_ADDR_MAX];
	struct rwork *w;
	int gi;

	if (idl == 0)
		return;
	gi = -1;
	if ((len = field(s + idl + 1, n - idl - 1, "from=", &v)) > 0 &&
	    !field(s + idl + 1, n - idl - 1, "to=", &v)) {
		field(s + idl + 1, n - idl - 1, "from=", &v);
		unangle(&v, &len);
		gi = find_group(r, s, idl, l, "Sendmail");
		report_copy(r->log.group[gi].sender, REPORT_ADDR_MAX, v, len);
		return;
	}
	s += idl + 1;
	n -= idl + 1;
	if ((len = field(s, n, "to=", &v)) == 0 ||
	    (sl = field(s, n, "stat=", &stat)) == 0)
		return;
	/* stat= runs to the end of the line: its text may hold commas */
	sl = (size_t)(s + n - stat);
	unangle(&v, &len);
	for (k = 0; k < len && v[k] != ',' && v[k] != '>'; k++)
		;
	report_copy(addr, sizeof addr, v, k);
	gi = find_group(r, l->msg, idl, l, "Sendmail");
	w = delivery(r, gi, addr, s, n, stat, sl);
	if (report_starts_ci(stat, sl, "deferred:")) {
		stat += 9;
		sl -= 9;
	}
	report_rw_append(w, stat, sl);
}

/* ---------------------------------------------------------------- */
/* Exim                                                              */

static void exim_line(struct report *r, const struct log_line *l)
{
	const char *s = l->msg, *p, *colon, *h, *rest;
	size_t n = l->mlen, idl = word(s, n), k;
	char addr[REPORT_ADDR_MAX];
	struct rwork *w;
	int gi;

	if (idl >= n || !exim_id(s, idl))
		return;
	p = s + idl + 1;
	k = word(p, (size_t)(s + n - p));
	if (k == 9 && report_starts_ci(p, k, "completed")) {
		for (gi = 0; gi < REPORT_LOG_GROUPS; gi++)
			if (r->log.group[gi].open && strlen(r->log.group[gi].id) == idl &&
			    memcmp(r->log.group[gi].id, s, idl) == 0)
				emit_group(r, gi);
		return;
	}
	if (k != 2 || !strchr("*=<-", p[0]))
		return;
	/* the flag may end the line: what follows it is then empty, not
	 * one octet past the end */
	rest = p + 2 < s + n ? p + 3 : s + n;
	if (p[0] == '<' && p[1] == '=') {
		p = rest;
		k = word(p, (size_t)(s + n - p));
		gi = find_group(r, s, idl, l, "Exim");
		report_copy(r->log.group[gi].sender, REPORT_ADDR_MAX, p, k);
		return;
	}
	if (!((p[0] == '*' && p[1] == '*') || (p[0] == '=' && p[1] == '=') ||
	    (p[0] == '=' && p[1] == '>') || (p[0] == '-' && p[1] == '>')))
		return;
	{
		char flag0 = p[0], flag1 = p[1];
		const char *a = rest;
		size_t al = 0;

		while (a + al < s + n && a[al] != ' ' && a[al] != ':')
			al++;
		report_copy(addr, sizeof addr, a, al);
		gi = find_group(r, s, idl, l, "Exim");
		w = slot_for(r, gi, addr);
		w->line = r->lineno;
		w->final = flag0 == '*';
		report_set(w->action, sizeof w->action, flag0 == '*' ? "failed"
		    : flag1 == '=' ? "delayed" : "delivered");
		if ((h = report_find_ci(a, (size_t)(s + n - a), " h=")) != NULL)
			relay_host(w->remote, sizeof w->remote, h + 3, (size_t)(s + n - h - 3));
		w->dlen = 0;
		w->diag[0] = 0;
		if (flag0 == '=' && flag1 == '>' && (h = report_find_ci(a, (size_t)(s + n - a), " c=\"")) != NULL) {
			const char *q = memchr(h + 4, '"', (size_t)(s + n - h - 4));

			report_rw_append(w, h + 4, q ? (size_t)(q - h - 4) : (size_t)(s + n - h - 4));
			return;
		}
		colon = report_find_ci(a, (size_t)(s + n - a), ": ");
		if (colon)
			report_rw_append(w, colon + 2, (size_t)(s + n - colon - 2));
	}
}

void report_log_line(struct report *r, const char *s, size_t n)
{
	struct log_line l;

	if (!parse(s, n, &l))
		return;
	r->log.matched++;
	switch (l.kind) {
	case LOG_POSTFIX:
		postfix_line(r, &l);
		break;
	case LOG_SENDMAIL:
		sendmail_line(r, &l);
		break;
	case LOG_EXIM:
		exim_line(r, &l);
		break;
	case LOG_NONE:
		break;
	}
}

void report_log_finish(struct report *r)
{
	int gi;

	while ((gi = oldest_group(&r->log)) >= 0)
		emit_group(r, gi);
}
