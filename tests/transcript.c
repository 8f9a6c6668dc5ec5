/* SPDX-License-Identifier: GPL-3.0-or-later */
/* transcript.c - run a transcript file against the simulated server */
#include <config.h>

#include "transcript.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QMAX 256
#define READ_MAX 65536		/* the buffer of one read, to start with */
#define READ_CAP (32UL << 20)	/* and at most (repeat can build a big body) */

struct got {
	int code;
	char enh[16];
	char verb[16];
	char rule[48];
};

struct run {
	struct got q[QMAX];
	size_t head, tail;
	char events[QMAX][48];
	size_t nevents;
	struct transcript_stats *stats;
	int overflow;
};

static void on_reply(void *ctx, const struct server_reply *r)
{
	struct run *u = ctx;
	struct got *g;

	if (u->stats) {
		if (ref_rule_find(r->rule) == NULL && !u->stats->unknown_rule[0])
			snprintf(u->stats->unknown_rule, sizeof u->stats->unknown_rule,
			    "%s (a reply %d to %s)", r->rule, r->code, r->verb);
		if (r->code >= 0 && r->code < 600)
			u->stats->codes[r->code] = 1;
		u->stats->replies++;
		if (!transcript_reply_ok(r) && !u->stats->violation[0])
			snprintf(u->stats->violation, sizeof u->stats->violation,
			    "%d to %s (rule %s)", r->code, r->verb, r->rule);
	}
	if (u->tail - u->head >= QMAX) {
		u->overflow = 1;
		return;
	}
	g = &u->q[u->tail++ % QMAX];
	g->code = r->code;
	snprintf(g->enh, sizeof g->enh, "%s", r->enh);
	snprintf(g->verb, sizeof g->verb, "%s", r->verb);
	snprintf(g->rule, sizeof g->rule, "%s", r->rule);
}

static void on_event(void *ctx, const struct server_event *e)
{
	struct run *u = ctx;

	if (u->nevents < QMAX)
		snprintf(u->events[u->nevents++], sizeof u->events[0], "%s",
		    e->rule);
	if (u->stats && e->rule && ref_rule_find(e->rule) == NULL &&
	    !u->stats->unknown_rule[0])
		snprintf(u->stats->unknown_rule, sizeof u->stats->unknown_rule,
		    "%s (an event)", e->rule);
}

int transcript_reply_ok(const struct server_reply *r)
{
	if (server_reply_allowed(r->verb[0] ? r->verb : "NOOP", r->code))
		return 1;
	/* an unknown verb (verb "") may get 500 only; covered above */
	if (r->code == 502 && (!strcmp(r->rule, "not-implemented") ||
	    !strcmp(r->rule, "obsolete") || !strcmp(r->rule, "vendor-verb") ||
	    !strcmp(r->rule, "not-negotiated") || !strcmp(r->rule, "vrfy-disabled")))
		return 1;	/* RFC 5321 4.2.4 */
	if (r->code == 503 && !strcmp(r->rule, "refused"))
		return 1;	/* RFC 5321 3.1 */
	if (r->code == 521 && !strcmp(r->rule, "nomail"))
		return 1;	/* RFC 7504 3 */
	if (r->code == 530 && (!strcmp(r->rule, "auth-required") ||
	    !strcmp(r->rule, "tls-required") ||
	    !strcmp(r->rule, "requiretls-needs-tls")))
		return 1;	/* RFC 4954 6, RFC 3207 4, RFC 8689 4.1 */
	if (!strcmp(r->rule, "fault-injected"))
		return 1;	/* chosen by the test, not by the server */
	return 0;
}

static const char *const phase_keys[] = {
	"connected", "greeted", "refused", "ready", "mail", "rcpt", "data",
	"bdat", "auth", "tls", "closed"
};
_Static_assert(sizeof phase_keys / sizeof phase_keys[0] == SERVER_PHASE_LAST,
    "one key per phase");

/* unescape - C escapes \r \n \t \0 \\ \xHH; returns the length or -1 */
static long unescape(const char *s, size_t len, char *out, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < len) {
			c = s[++i];
			if (c == 'r') c = '\r';
			else if (c == 'n') c = '\n';
			else if (c == 't') c = '\t';
			else if (c == '0') c = 0;
			else if (c == 'x' && i + 2 < len) {
				char hex[3] = { s[i + 1], s[i + 2], 0 };
				char *end;

				c = (char)strtol(hex, &end, 16);
				if (*end)
					return -1;
				i += 2;
			} else if (c != '\\')
				return -1;
		}
		if (n >= size)
			return -1;
		out[n++] = c;
	}
	return (long)n;
}

/* reserve - room for need octets in *buf, growing it up to READ_CAP;
 * -1 when that is too much or memory ran out */
static int reserve(char **buf, size_t *cap, size_t need)
{
	char *nb;
	size_t n = *cap;

	if (need <= *cap)
		return 0;
	if (need > READ_CAP)
		return -1;
	while (n < need)
		n *= 2;
	if (n > READ_CAP)
		n = READ_CAP;
	nb = realloc(*buf, n);
	if (nb == NULL)
		return -1;
	*buf = nb;
	*cap = n;
	return 0;
}

static int fail(char *err, size_t size, const char *name, size_t line,
    const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, size, "%s:%zu: ", name, line);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < size)
		vsnprintf(err + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

int transcript_run(const char *name, const char *text, size_t len,
    struct transcript_stats *stats, char *err, size_t errsize)
{
	struct run *u = calloc(1, sizeof *u);
	struct server_sink sink = { u, on_reply, on_event, NULL };
	const struct ref_persona *persona = ref_persona_find("modern", 6);
	struct server *s = NULL;
	struct server_memory mem;
	char *buf = malloc(READ_MAX);
	size_t cap = READ_MAX, blen = 0, lineno = 0, pos = 0;
	int pending = 0, rc = -1;

	memset(&mem, 0, sizeof mem);
	if (u == NULL || buf == NULL) {
		fail(err, errsize, name, 0, "out of memory");
		goto out;
	}
	u->stats = stats;
	while (pos <= len) {
		const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		char word[32];
		const char *arg;
		size_t wl, al;

		pos += n + 1;
		lineno++;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (n == 0 || l[0] == '#') {
			if (!nl)
				break;
			continue;
		}
		for (wl = 0; wl < n && l[wl] != ' ' && wl < sizeof word - 1; wl++)
			word[wl] = l[wl];
		word[wl] = 0;
		arg = wl < n ? l + wl + 1 : l + n;
		al = wl < n ? n - wl - 1 : 0;

		/* a pending read goes out before anything but '+' */
		if (pending && strcmp(word, "+") != 0 && strcmp(word, "+raw") != 0) {
			if (stats)
				stats->commands++;
			server_feed(s, buf, blen);
			blen = 0;
			pending = 0;
		}
		if (s == NULL && strcmp(word, "persona") != 0 &&
		    strcmp(word, "fault") != 0) {
			s = server_new(persona, &mem, &sink);
			if (s == NULL) {
				fail(err, errsize, name, lineno, "out of memory");
				goto out;
			}
			server_start(s);
		}
		if (!strcmp(word, "persona")) {
			if (s) {
				fail(err, errsize, name, lineno, "persona must come first");
				goto out;
			}
			persona = ref_persona_find(arg, al);
			if (persona == NULL) {
				fail(err, errsize, name, lineno, "unknown persona %.*s", (int)al, arg);
				goto out;
			}
		} else if (!strcmp(word, "reconnect")) {
			/* a new connection to the same server (greylist kept) */
			if (u->tail != u->head) {
				fail(err, errsize, name, lineno, "unexpected reply %d before reconnect",
				    u->q[u->head % QMAX].code);
				goto out;
			}
			server_free(s);
			s = server_new(persona, &mem, &sink);
			server_start(s);
		} else if (!strcmp(word, "fault")) {
			char v[16], enh[16] = "", c[8], line[80];
			int nth, code;

			/* arg is not NUL-terminated: scan this line only */
			snprintf(line, sizeof line, "%.*s", (int)al, arg);
			if (sscanf(line, "%15s %d %7s %15s", v, &nth, c, enh) < 3) {
				fail(err, errsize, name, lineno, "fault VERB N CODE|drop [ENH]");
				goto out;
			}
			code = strcmp(c, "drop") == 0 ? SERVER_FAULT_DROP : atoi(c);
			if (s == NULL) {
				s = server_new(persona, &mem, &sink);
				server_start(s);
			}
			if (server_fault(s, v, nth, code, enh) != 0) {
				fail(err, errsize, name, lineno, "server_fault refused");
				goto out;
			}
		} else if (!strcmp(word, ">") || !strcmp(word, "+") ||
		    !strcmp(word, ">raw") || !strcmp(word, "+raw")) {
			int raw = word[1] == 'r';
			long k;

			if (word[0] == '>' && u->tail != u->head) {
				fail(err, errsize, name, lineno,
				    "reply %d (rule %s) was not expected before this line",
				    u->q[u->head % QMAX].code, u->q[u->head % QMAX].rule);
				goto out;
			}
			if (word[0] == '>')
				u->nevents = 0;
			if (reserve(&buf, &cap, blen + al + 2) != 0) {
				k = -1;
			} else if (raw) {
				k = unescape(arg, al, buf + blen, cap - blen);
			} else {
				memcpy(buf + blen, arg, al);
				memcpy(buf + blen + al, "\r\n", 2);
				k = (long)al + 2;
			}
			if (k < 0) {
				fail(err, errsize, name, lineno, "bad escape or read too long");
				goto out;
			}
			blen += (size_t)k;
			pending = 1;
		} else if (!strcmp(word, "repeat")) {
			/* repeat N TEXT: N copies of TEXT+CRLF in one read */
			int times;
			char *end;

			times = al ? (int)strtol(arg, &end, 10) : 0;
			if (al == 0)
				end = (char *)arg;
			while (end < arg + al && *end == ' ')
				end++;
			{
				size_t tl = al - (size_t)(end - arg);

				if (times < 1 || reserve(&buf, &cap,
				    blen + (size_t)times * (tl + 2)) != 0) {
					fail(err, errsize, name, lineno,
					    "repeat N TEXT: bad count or read too long");
					goto out;
				}
				while (times-- > 0) {
					memcpy(buf + blen, end, tl);
					memcpy(buf + blen + tl, "\r\n", 2);
					blen += tl + 2;
				}
			}
			u->nevents = 0;
			pending = 1;
		} else if (!strcmp(word, "<")) {
			int code = atoi(arg);
			const char *sp = memchr(arg, ' ', al);
			struct got *g;

			if (u->tail == u->head) {
				fail(err, errsize, name, lineno, "expected %.*s, got no reply",
				    (int)al, arg);
				goto out;
			}
			g = &u->q[u->head++ % QMAX];
			if (g->code != code) {
				fail(err, errsize, name, lineno,
				    "expected %d, got %d %s (rule %s)", code, g->code,
				    g->enh, g->rule);
				goto out;
			}
			if (sp) {
				size_t el = al - (size_t)(sp + 1 - arg);
				const char *e = sp + 1;

				if (el == 1 && e[0] == '-' ? g->enh[0] != 0 :
				    (strlen(g->enh) != el || memcmp(g->enh, e, el) != 0)) {
					fail(err, errsize, name, lineno,
					    "expected enhanced code %.*s, got '%s' (rule %s)",
					    (int)el, e, g->enh, g->rule);
					goto out;
				}
			}
		} else if (!strcmp(word, "phase")) {
			enum server_phase ph = server_phase(s);

			if (strlen(phase_keys[ph]) != al ||
			    memcmp(phase_keys[ph], arg, al) != 0) {
				fail(err, errsize, name, lineno, "expected phase %.*s, it is %s",
				    (int)al, arg, phase_keys[ph]);
				goto out;
			}
		} else if (!strcmp(word, "event") || !strcmp(word, "noevent")) {
			size_t i;
			int seen = 0;

			for (i = 0; i < u->nevents; i++)
				if (strlen(u->events[i]) == al &&
				    !memcmp(u->events[i], arg, al))
					seen = 1;
			if (seen != (word[0] == 'e')) {
				fail(err, errsize, name, lineno, "event %.*s %s",
				    (int)al, arg, seen ? "was emitted" : "was not emitted");
				goto out;
			}
		} else if (!strcmp(word, "rule")) {
			/* the rule of the reply just checked */
			struct got *g;

			if (u->head == 0) {
				fail(err, errsize, name, lineno, "rule before any reply");
				goto out;
			}
			g = &u->q[(u->head - 1) % QMAX];
			if (strlen(g->rule) != al || memcmp(g->rule, arg, al) != 0) {
				fail(err, errsize, name, lineno, "expected rule %.*s, got %s",
				    (int)al, arg, g->rule);
				goto out;
			}
		} else if (!strcmp(word, "eof")) {
			server_eof(s);
		} else if (!strcmp(word, "timeout")) {
			server_timeout(s);
		} else if (!strcmp(word, "shutdown")) {
			server_shutdown(s);
		} else if (!strcmp(word, "wait")) {
			unsigned long secs;

			if (server_parse_duration(arg, al, &secs) != 0) {
				fail(err, errsize, name, lineno, "wait DURATION (90, 90s, 5m, 2h, 1d)");
				goto out;
			}
			server_wait(s, secs);
		} else {
			fail(err, errsize, name, lineno, "unknown directive '%s'", word);
			goto out;
		}
		if (!nl)
			break;
	}
	if (pending) {
		if (stats)
			stats->commands++;
		server_feed(s, buf, blen);
	}
	if (u->overflow) {
		fail(err, errsize, name, lineno, "too many replies");
		goto out;
	}
	if (u->tail != u->head) {
		fail(err, errsize, name, lineno, "unexpected reply %d %s (rule %s) at the end",
		    u->q[u->head % QMAX].code, u->q[u->head % QMAX].enh,
		    u->q[u->head % QMAX].rule);
		goto out;
	}
	rc = 0;
out:
	server_free(s);
	free(buf);
	free(u);
	return rc;
}
