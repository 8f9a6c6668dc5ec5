/* SPDX-License-Identifier: GPL-3.0-or-later */
/* server.c - the simulated SMTP server: one session's state machine
 *
 * RFC 5321 (SMTP), 1870 (SIZE), 1985 (ETRN), 2034 (ENHANCEDSTATUSCODES),
 * 2852 (DELIVERBY), 2920 (PIPELINING), 3030 (CHUNKING, BINARYMIME), 3207
 * (STARTTLS), 3461 (DSN), 4954 (AUTH), 6152 (8BITMIME), 6531 (SMTPUTF8),
 * 6647 (greylisting), 6710 (MT-PRIORITY), 7504 (521, 556), 8689
 * (REQUIRETLS).
 *
 * The facts come from the tables: each verb's phases, its EHLO keyword
 * and its RFC 2920 position (data/commands.rec); the persona's
 * capabilities and policies (data/personas.rec); the mailboxes
 * (data/world.rec).  The behaviour is one handler per verb.  Generic
 * checks run first, in one place (dispatch), so that a wrong phase is
 * answered from the table, never from scattered conditionals.  Every reply
 * goes through reply() and every phase change through enter().
 */
#include <config.h>

#include "core/server.h"

#include "core/ascii.h"
#include "core/codec.h"
#include "core/printable.h"
#include "core/reply.h"
#include "core/syntax.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_BUF 12300		/* RFC 4954 4: SASL lines up to 12288 octets */
#define WIRE_MAX 8192
#define FAULTS_MAX 8
#define TEXT_MAX 1024
#define DATA_LINE_MAX SYNTAX_TEXT_LINE_MAX

/* The test string of GTUBE, which spam filters reject by design. */
static const char gtube[] =
    "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

enum body { BODY_7BIT, BODY_8BITMIME, BODY_BINARYMIME };
enum mech { MECH_NONE, MECH_PLAIN, MECH_LOGIN, MECH_CRAM };

struct txn {
	char from[SYNTAX_PATH_MAX + 1];
	size_t nrcpt;		/* accepted */
	size_t tried;		/* RCPT commands answered in this transaction */
	long declared;		/* SIZE=, -1 when not given */
	enum body body;
	int smtputf8;
	uint64_t size;		/* octets received (DATA unstuffed, or BDAT) */
	int long_line, bare_lf, bare_cr, spam, eight_bit, smuggle, nul;
	int long_first;		/* the long line came before the size limit */
	int chunks;		/* BDAT chunks received */
};

struct fault {
	char verb[16];
	int left;		/* occurrences to let pass first */
	int code;		/* SERVER_FAULT_DROP: the connection breaks */
	char enh[16];
};

struct server {
	const struct ref_persona *p;
	struct server_memory own, *mem;
	struct server_sink sink;
	struct server_reader reader;	/* server_watch */
	enum server_phase phase;
	int ehlo;		/* 0 none, 1 EHLO, 2 HELO */
	int tls, authed;
	char helo[SYNTAX_DOMAIN_MAX + 3];
	struct txn t;
	char last_from[SYNTAX_PATH_MAX + 1];	/* the last MAIL accepted */
	int have_from;
	unsigned long serial;	/* queue ids and challenges */
	int errors;

	/* input */
	char line[LINE_BUF];
	size_t linelen;
	int overflow;		/* the current line did not fit */
	size_t linetotal;	/* its whole length */
	int last_cr;		/* the last octet of the line so far was CR */
	int prev_crlf;		/* DATA: the previous line ended in CRLF */
	uint64_t bdat_left;
	int bdat_pending;	/* a BDAT command waits for its chunk */
	int bdat_last;
	uint64_t bdat_count;
	char bdat_cmd[32];	/* the BDAT line, run once its chunk is read */
	size_t bdat_cmdlen;
	int discard;		/* STARTTLS: throw away the rest of this read */
	int discarding;		/* ... and what the caller already holds */

	/* AUTH exchange */
	enum mech mech;
	int auth_step;
	char auth_user[256];
	char challenge[128];

	struct fault faults[FAULTS_MAX];
	size_t nfaults;
	int dropping;		/* a drop fault hit: replies are lost, and the
				 * connection breaks once the command is done */
	int lost_code;		/* the first reply that was lost */

	const char *cur_verb;
	char wire[WIRE_MAX];
};

/* The phases: the key that data/commands.rec, lessons and the diagram use,
 * a name for the learner, and what it means in words (smtpref MAIL). */
static const struct {
	const char *key, *name, *words;
} phases[] = {
	[SERVER_CONNECTED] = { "connected", "connected", "before the greeting" },
	[SERVER_GREETED] = { "greeted", "greeted", "before EHLO/HELO" },
	[SERVER_REFUSED] = { "refused", "refused", "after a greeting that refuses the session" },
	[SERVER_READY] = { "ready", "ready", "after EHLO/HELO with no transaction open" },
	[SERVER_MAIL] = { "mail", "in transaction (sender given)", "after MAIL" },
	[SERVER_RCPT] = { "rcpt", "in transaction (recipients given)", "after an accepted RCPT" },
	[SERVER_DATA] = { "data", "reading the message", "after DATA's 354, reading the message" },
	[SERVER_BDAT] = { "bdat", "reading chunks", "between BDAT chunks" },
	[SERVER_AUTH] = { "auth", "authenticating", "inside an AUTH exchange" },
	[SERVER_TLS] = { "tls", "starting TLS", "after STARTTLS's 220, before the handshake" },
	[SERVER_CLOSED] = { "closed", "closed", "after the connection closed" },
};
_Static_assert(sizeof phases / sizeof phases[0] == SERVER_PHASE_LAST,
    "one row per phase");

const char *server_phase_str(enum server_phase p)
{
	return (unsigned)p < SERVER_PHASE_LAST ? phases[p].name : "?";
}

const char *server_phase_key(enum server_phase p)
{
	return (unsigned)p < SERVER_PHASE_LAST ? phases[p].key : NULL;
}

const char *server_phase_words(enum server_phase p)
{
	return (unsigned)p < SERVER_PHASE_LAST ? phases[p].words : "?";
}

int server_phase_from_key(const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < SERVER_PHASE_LAST; i++)
		if (strlen(phases[i].key) == len && memcmp(phases[i].key, key, len) == 0)
			return (int)i;
	return -1;
}

int server_diagram_phase(enum server_phase p)
{
	switch (p) {
	case SERVER_BDAT: return SERVER_DATA;
	case SERVER_AUTH: case SERVER_TLS: return SERVER_READY;
	case SERVER_REFUSED: return SERVER_GREETED;
	default: return (int)p;
	}
}

/* ---- small helpers ------------------------------------------------------ */

static int on(const char *policy)
{
	return policy != NULL && strcmp(policy, "on") == 0;
}

static void emit(struct server *s, enum server_event_kind kind,
    enum server_phase from, enum server_phase to, const char *rule,
    const char *section, const char *text, size_t bytes)
{
	struct server_event e = { kind, from, to, rule, section, text, bytes };
	char shown[4 * TEXT_MAX + 1];
	size_t w, n = strlen(text);

	/* a text may quote the client: shown, never obeyed (printable.h) */
	if (printable_bad(text, n, 0, &w) < n) {
		printable_text(text, n, shown, sizeof shown, 0);
		e.text = shown;
	}
	if (s->sink.event)
		s->sink.event(s->sink.ctx, &e);
}

/* note - an event that explains something without a reply */
static void note(struct server *s, enum server_event_kind kind,
    const char *rule, const char *section, const char *fmt, ...)
{
	char text[TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	emit(s, kind, s->phase, s->phase, rule, section, text, 0);
}

/* enter - the only way to change the phase; records the event */
static void enter(struct server *s, enum server_phase to, const char *rule,
    const char *section, const char *why)
{
	enum server_phase from = s->phase;

	if (from == to)
		return;
	s->phase = to;
	emit(s, SERVER_EV_PHASE, from, to, rule, section, why, 0);
}

/* ---- the persona -------------------------------------------------------- */

/* keywords - the keywords the persona announces now */
static const char *keywords(const struct server *s)
{
	const char *k = s->tls && s->p->keywords_tls ? s->p->keywords_tls
	    : s->p->keywords;

	return k ? k : "";
}

/* persona_has - the persona announces keyword in the current TLS state
 * (whether or not an EHLO has been answered) */
static int persona_has(const struct server *s, const char *kw)
{
	const char *k = keywords(s);

	if (s->tls && s->p->keywords_tls == NULL && strcmp(kw, "STARTTLS") == 0)
		return 0;
	return ref_list_has_ci(k, kw, strlen(kw));
}

/* offers - the EHLO reply in effect announced keyword */
static int offers(const struct server *s, const char *kw)
{
	return s->ehlo == 1 && persona_has(s, kw);
}

static int enhanced_on(const struct server *s)
{
	return offers(s, "ENHANCEDSTATUSCODES");
}

static int mech_offered(const struct server *s, const char *m)
{
	return ref_list_has_ci(s->p->auth_mechs, m, strlen(m));
}

/* line_max - the longest command line accepted for verb: 512 octets
 * (RFC 5321 4.5.3.1.4), and for MAIL and RCPT the increments of the
 * extensions announced, which lengthen only the lines that carry their
 * parameters (state-machine.md 7) */
static size_t line_max(const struct server *s, const char *verb)
{
	size_t n = SYNTAX_LINE_MAX;
	int mail = strcmp(verb, "MAIL") == 0;

	if (s->ehlo != 1 || (!mail && strcmp(verb, "RCPT") != 0))
		return n;
	if (mail) {
		if (offers(s, "SIZE")) n += 26;		/* RFC 1870 3 */
		if (offers(s, "BINARYMIME")) n += 16;	/* RFC 3030 3 */
		if (offers(s, "DELIVERBY")) n += 17;	/* RFC 2852 2 */
		if (offers(s, "SMTPUTF8")) n += 10;	/* RFC 6531 3.1 */
		if (offers(s, "REQUIRETLS")) n += 11;	/* RFC 8689 2 */
		if (offers(s, "MT-PRIORITY")) n += 15;	/* RFC 6710 3 */
		if (offers(s, "AUTH")) n += 500;	/* RFC 4954 3 */
	}
	if (offers(s, "DSN") && n < 1036)		/* RFC 3461 5.4 */
		n = 1036;
	return n;
}

/* ---- replies ------------------------------------------------------------ */

/* reply - format, record and send one reply.  text may hold '\n' for a
 * multi-line reply.  The enhanced code is shown only where RFC 2034 3
 * puts it: after EHLO announced ENHANCEDSTATUSCODES, never on 3xx, the
 * greeting, or the EHLO/HELO replies. */
static void reply(struct server *s, int code, const char *enh,
    const char *rule, const char *section, const char *reason,
    const char *text)
{
	struct server_reply r;
	const char *verb = s->cur_verb ? s->cur_verb : "";
	int show = enh && *enh && enhanced_on(s) && code / 100 != 3 &&
	    strcmp(verb, "CONNECT") != 0 && strcmp(verb, "EHLO") != 0 &&
	    strcmp(verb, "HELO") != 0;
	size_t n = 0;
	const char *p = text;
	char shown[4 * TEXT_MAX + 1];

	do {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		int w;

		w = snprintf(s->wire + n, sizeof s->wire - n, "%03d%c%s%s%.*s\r\n",
		    code, nl ? '-' : ' ', show ? enh : "", show ? " " : "",
		    (int)len, p);
		if (w < 0 || (size_t)w >= sizeof s->wire - n)
			break;	/* cannot happen with our texts; stay bounded */
		n += (size_t)w;
		p = nl ? nl + 1 : NULL;
	} while (p);

	r.code = code;
	r.enh = show ? enh : "";
	r.verb = verb;
	r.rule = rule;
	r.reason = reason;
	/* a reason may quote the client: shown, never obeyed (printable.h) */
	{
		size_t w, rn = strlen(reason);

		if (printable_bad(reason, rn, 0, &w) < rn) {
			printable_text(reason, rn, shown, sizeof shown, 0);
			r.reason = shown;
		}
	}
	r.section = section;
	r.wire = s->wire;
	r.wire_len = n;
	r.closes = code == 221 || code == 421;
	if (s->dropping) {	/* the network failed: this reply is lost */
		if (s->lost_code == 0)
			s->lost_code = code;
		return;
	}
	if (s->sink.reply)
		s->sink.reply(s->sink.ctx, &r);
}

/* replyf - reply() with a formatted wire text */
static void replyf(struct server *s, int code, const char *enh,
    const char *rule, const char *section, const char *reason,
    const char *fmt, ...)
{
	char text[WIRE_MAX / 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	reply(s, code, enh, rule, section, reason, text);
}

static void close_session(struct server *s, const char *rule,
    const char *section, const char *why)
{
	enter(s, SERVER_CLOSED, rule, section, why);
	emit(s, SERVER_EV_CLOSE, SERVER_CLOSED, SERVER_CLOSED, rule, section,
	    why, 0);
}

/* error - a reply for a client mistake: counted, and after the persona's
 * limit the server gives up with 421 (as Postfix's hard error limit) */
static void error(struct server *s, int code, const char *enh,
    const char *rule, const char *section, const char *reason,
    const char *text)
{
	reply(s, code, enh, rule, section, reason, text);
	if (++s->errors >= s->p->error_limit && s->p->error_limit > 0 &&
	    s->phase != SERVER_CLOSED) {
		const char *v = s->cur_verb;

		s->cur_verb = "";
		replyf(s, 421, "4.7.0", "too-many-errors", "RFC 5321 3.8",
		    "The client made too many mistakes; the server closes the connection rather than go on.",
		    "%s Error: too many errors", s->p->hostname);
		s->cur_verb = v;
		close_session(s, "too-many-errors", "RFC 5321 3.8",
		    "too many errors");
	}
}

/* ---- the transaction ---------------------------------------------------- */

static void txn_reset(struct server *s)
{
	memset(&s->t, 0, sizeof s->t);
	s->t.declared = -1;
}

/* identified - the phase with no transaction: ready after EHLO/HELO,
 * greeted before */
static enum server_phase identified(const struct server *s)
{
	return s->ehlo ? SERVER_READY : SERVER_GREETED;
}

/* abort_txn - RSET, EHLO, or end of a transaction */
static void abort_txn(struct server *s, const char *rule, const char *section,
    const char *why)
{
	txn_reset(s);
	enter(s, identified(s), rule, section, why);
}

/* ---- faults ------------------------------------------------------------- */

int server_fault(struct server *s, const char *verb, int nth, int code,
    const char *enh)
{
	struct fault *f;
	size_t i, n;

	if (s == NULL || verb == NULL || nth < 1 || nth > 1000 ||
	    (code != SERVER_FAULT_DROP &&
	    (code < 400 || code > 559 || code % 100 > 59)) ||
	    s->nfaults >= FAULTS_MAX)
		return -1;
	n = strlen(verb);
	if (n == 0 || n >= sizeof f->verb)
		return -1;
	if (enh && *enh) {
		struct reply_enh e;
		size_t el = strlen(enh);

		if (code == SERVER_FAULT_DROP || reply_parse_enh(enh, el, &e) != el ||
		    !reply_enh_agrees(code, &e))
			return -1;
	}
	f = &s->faults[s->nfaults++];
	for (i = 0; i < n; i++)
		f->verb[i] = (char)ascii_upper((unsigned char)verb[i]);
	f->verb[n] = 0;
	f->left = nth - 1;
	f->code = code;
	snprintf(f->enh, sizeof f->enh, "%s", enh ? enh : "");
	return 0;
}

/* fault - a pending fault for this occurrence of verb: reply with it,
 * and return 1 (the command then has no effect).  A drop fault returns 0:
 * the command takes effect, but its replies are lost (see lost()). */
static int fault(struct server *s, const char *verb)
{
	size_t i;

	for (i = 0; i < s->nfaults; i++) {
		struct fault *f = &s->faults[i];

		if (strcmp(f->verb, verb) != 0)
			continue;
		if (f->left-- > 0)
			continue;
		if (f->code == SERVER_FAULT_DROP) {
			s->faults[i] = s->faults[--s->nfaults];
			s->dropping = 1;
			s->lost_code = 0;
			return 0;
		}
		{
			struct fault hit = *f;
			char reason[TEXT_MAX];

			s->faults[i] = s->faults[--s->nfaults];
			snprintf(reason, sizeof reason,
			    "This %s was answered %d because a fault was injected for it, not because of a rule.",
			    verb, hit.code);
			reply(s, hit.code, hit.enh, "fault-injected",
			    "RFC 5321 4.2", reason,
			    hit.code == 421 ? "Service not available, closing transmission channel"
			    : "Requested action not taken (injected fault)");
			if (hit.code == 421)
				close_session(s, "fault-injected", "RFC 5321 3.8",
				    "an injected 421");
		}
		return 1;
	}
	return 0;
}

/* ---- lookups in the simulated world ------------------------------------- */

static const struct ref_world *world(const char *s, size_t len)
{
	return ref_world_find(s, len);
}

/* local_domain - the world's kind for domain, "" when unknown */
static const char *domain_kind(const char *d, size_t len)
{
	const struct ref_world *w = world(d, len);

	return w && strchr(w->address, '@') == NULL ? w->kind : "";
}

/* mailbox - the world's entry for local@domain */
static const struct ref_world *mailbox(const char *local, size_t llen,
    const char *dom, size_t dlen)
{
	char buf[SYNTAX_LOCAL_MAX + SYNTAX_DOMAIN_MAX + 2];

	if (llen > SYNTAX_LOCAL_MAX || dlen > SYNTAX_DOMAIN_MAX)
		return NULL;
	memcpy(buf, local, llen);
	buf[llen] = '@';
	memcpy(buf + llen + 1, dom, dlen);
	return world(buf, llen + 1 + dlen);
}

/* ---- greylisting (RFC 6647) --------------------------------------------- */

static unsigned long pair_hash(const char *from, const char *to, size_t tolen)
{
	unsigned long h = 5381;
	size_t i;

	for (i = 0; from[i]; i++)
		h = h * 33 + (unsigned char)ascii_lower((unsigned char)from[i]);
	h = h * 33 + 1;
	for (i = 0; i < tolen; i++)
		h = h * 33 + (unsigned char)ascii_lower((unsigned char)to[i]);
	return h | 1;	/* never 0, the empty slot */
}

enum grey {
	GREY_PASS,		/* known, and old enough */
	GREY_NEW,		/* seen for the first time (now remembered) */
	GREY_TOO_SOON		/* seen before, but the delay has not passed */
};

/* greylisted - whether the pair may pass; *age is the time since it was
 * first seen, on the simulated clock of the server's memory */
static enum grey greylisted(struct server *s, const char *to, size_t tolen,
    unsigned long *age)
{
	unsigned long h = pair_hash(s->t.from, to, tolen);
	unsigned long delay = s->p->greylist_delay > 0 ?
	    (unsigned long)s->p->greylist_delay : 0;
	size_t i;

	*age = 0;
	for (i = 0; i < s->mem->npairs; i++)
		if (s->mem->pairs[i] == h) {
			*age = s->mem->now - s->mem->first[i];
			return *age < delay ? GREY_TOO_SOON : GREY_PASS;
		}
	s->mem->pairs[s->mem->next] = h;
	s->mem->first[s->mem->next] = s->mem->now;
	s->mem->next = (s->mem->next + 1) % SERVER_GREYLIST_MAX;
	if (s->mem->npairs < SERVER_GREYLIST_MAX)
		s->mem->npairs++;
	return GREY_NEW;
}

void server_memory_wait(struct server_memory *m, unsigned long seconds)
{
	if (seconds > SERVER_WAIT_MAX)
		seconds = SERVER_WAIT_MAX;
	/* the clock of a very long session stops rather than wraps */
	m->now = m->now > (unsigned long)-1 - seconds ? (unsigned long)-1 :
	    m->now + seconds;
}

int server_parse_duration(const char *s, size_t n, unsigned long *seconds)
{
	unsigned long v = 0, unit = 1;
	size_t i = 0;

	while (i < n && ascii_is_digit((unsigned char)s[i])) {
		if (i >= 9)
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
		i++;
	}
	if (i == 0)
		return -1;
	if (i + 1 == n) {
		switch (ascii_lower((unsigned char)s[i])) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		default: return -1;
		}
	} else if (i != n)
		return -1;
	if (v > SERVER_WAIT_MAX / unit)
		return -1;
	*seconds = v * unit;
	return 0;
}

/* ---- the handlers -------------------------------------------------------- */

struct cmd {
	const struct ref_command *row;
	struct syntax_cmd sc;
	const char *arg;	/* trimmed argument, NUL-terminated copy */
	size_t arglen;
};

typedef void handler(struct server *, struct cmd *);

static void ehlo_reply(struct server *s)
{
	char text[WIRE_MAX / 2];
	size_t n;
	const char *cur = keywords(s), *tok;
	size_t len;

	n = (size_t)snprintf(text, sizeof text, "%s greets %s", s->p->hostname,
	    s->helo);
	while (ref_list_next(&cur, &tok, &len) && n < sizeof text - 64) {
		if (len == 8 && memcmp(tok, "STARTTLS", 8) == 0 && s->tls)
			continue;
		n += (size_t)snprintf(text + n, sizeof text - n, "\n%.*s",
		    (int)len, tok);
		if (len == 4 && memcmp(tok, "SIZE", 4) == 0 && s->p->size >= 0)
			n += (size_t)snprintf(text + n, sizeof text - n, " %ld",
			    s->p->size);
		else if (len == 4 && memcmp(tok, "AUTH", 4) == 0 &&
		    s->p->auth_mechs)
			n += (size_t)snprintf(text + n, sizeof text - n, " %s",
			    s->p->auth_mechs);
		else if (len == 9 && memcmp(tok, "DELIVERBY", 9) == 0 &&
		    s->p->by_min >= 0)
			n += (size_t)snprintf(text + n, sizeof text - n, " %ld",
			    s->p->by_min);
	}
	reply(s, 250, "", "ehlo", "RFC 5321 4.1.1.1",
	    "The server identified itself and listed the extensions it offers, one per line.",
	    text);
}

static void h_hello(struct server *s, struct cmd *c)
{
	int is_ehlo = strcmp(c->row->verb, "EHLO") == 0;
	int had_txn = s->phase == SERVER_MAIL || s->phase == SERVER_RCPT ||
	    s->phase == SERVER_BDAT;

	snprintf(s->helo, sizeof s->helo, "%.*s", (int)c->sc.host.len,
	    c->sc.host.p);
	if (had_txn)
		note(s, SERVER_EV_NOTE, "ehlo-resets", "RFC 5321 4.1.4",
		    "A new %s in the middle of a transaction cancels it, as RSET would.",
		    c->row->verb);
	s->ehlo = is_ehlo ? 1 : 2;
	txn_reset(s);
	if (s->phase == SERVER_READY)
		note(s, SERVER_EV_NOTE, "ehlo-again", "RFC 5321 4.1.4",
		    "The session starts over from the identified state.");
	enter(s, SERVER_READY, is_ehlo ? "ehlo" : "helo", "RFC 5321 4.1.1.1",
	    "the client identified itself");
	if (is_ehlo)
		ehlo_reply(s);
	else
		replyf(s, 250, "", "helo", "RFC 5321 4.1.1.1",
		    "HELO is the old greeting: the session goes on without any extension.",
		    "%s Hello %s", s->p->hostname, s->helo);
}

/* param_offered - the keyword that makes a MAIL/RCPT parameter legal,
 * announced in this session; 0 when not */
static int param_offered(struct server *s, const char *verb,
    const struct syntax_param *prm)
{
	size_t n;
	const struct ref_param *row = ref_param_find(prm->keyword.p,
	    prm->keyword.len, &n);
	size_t i;

	if (s->ehlo != 1 || row == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		const char *cur = row[i].keyword, *tok;
		size_t len;

		if (!ref_list_has(row[i].commands, verb, strlen(verb)))
			continue;
		while (ref_list_next(&cur, &tok, &len)) {
			char kw[32];

			if (len >= sizeof kw)
				continue;
			memcpy(kw, tok, len);
			kw[len] = 0;
			if (offers(s, kw))
				return 1;
		}
	}
	return 0;
}

static int is_digits(const char *p, size_t n, size_t max)
{
	size_t i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!ascii_is_digit((unsigned char)p[i]))
			return 0;
	return 1;
}

static long to_long(const char *p, size_t n)
{
	long v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/* bad_param - 501 for a parameter value that is wrong */
static void bad_param(struct server *s, const struct syntax_param *prm,
    const char *section, const char *what)
{
	char reason[TEXT_MAX];

	snprintf(reason, sizeof reason, "The value of %.*s is wrong: %s.",
	    (int)prm->keyword.len, prm->keyword.p, what);
	error(s, 501, "5.5.4", "param-value", section, reason,
	    "Invalid parameter value");
}

/* param_refused - answer a MAIL or RCPT parameter that this session
 * cannot take, and return 1; 0 when the parameter is offered */
static int param_refused(struct server *s, const char *verb,
    const struct syntax_param *prm)
{
	const char *k = prm->keyword.p;
	size_t kl = prm->keyword.len;
	char reason[TEXT_MAX], text[64];

	if (param_offered(s, verb, prm))
		return 0;
	if (s->ehlo != 1) {
		/* after HELO the command is "MAIL FROM:<path>" and nothing
		 * more: parameters belong to service extensions, which only
		 * EHLO negotiates (RFC 5321 2.2.1, 4.1.1.2) */
		snprintf(reason, sizeof reason,
		    "The parameter %.*s needs an extension, and extensions exist only after EHLO: this session began with HELO, so nothing may follow the address.",
		    (int)kl, k);
		error(s, 501, "5.5.4", "params-need-ehlo",
		    "RFC 5321 2.2.1; RFC 5321 4.1.1.2", reason,
		    "Syntax error: no parameters allowed after HELO");
		return 1;
	}
	if (strcmp(verb, "MAIL") == 0 && ascii_ieq(k, kl, "REQUIRETLS") &&
	    !s->tls && ref_list_has_ci(s->p->keywords_tls, "REQUIRETLS", 10)) {
		/* offered only inside TLS (RFC 8689 2): say so, as RFC 3207 4
		 * does for commands that need TLS */
		reply(s, 530, "5.7.10", "requiretls-needs-tls",
		    "RFC 8689 2; RFC 3207 4",
		    "REQUIRETLS asks for TLS on every hop, starting with this one, and this server offers it only inside TLS: use STARTTLS first.",
		    "REQUIRETLS needs TLS: issue STARTTLS first");
		return 1;
	}
	snprintf(reason, sizeof reason,
	    "The parameter %.*s belongs to an extension this server did not announce; a client must only use what EHLO listed.",
	    (int)kl, k);
	snprintf(text, sizeof text, "%s parameters not recognized or not implemented",
	    strcmp(verb, "MAIL") == 0 ? "MAIL FROM" : "RCPT TO");
	error(s, 555, "5.5.4", "param-not-offered", "RFC 5321 4.1.1.11", reason,
	    text);
	return 1;
}

/* mail_params - check MAIL's parameters; 0 when all are fine (and the
 * transaction fields set), -1 when a reply was sent */
static int mail_params(struct server *s, struct cmd *c)
{
	size_t i;

	for (i = 0; i < c->sc.nparams; i++) {
		const struct syntax_param *prm = &c->sc.params[i];
		const char *k = prm->keyword.p, *v = prm->value.p;
		size_t kl = prm->keyword.len, vl = prm->value.len;
		char reason[TEXT_MAX];

		if (param_refused(s, "MAIL", prm))
			return -1;
		if (ascii_ieq(k, kl, "SIZE")) {
			long n;

			if (!is_digits(v, vl, 18)) {
				bad_param(s, prm, "RFC 1870 3", "SIZE takes a number of octets");
				return -1;
			}
			n = to_long(v, vl);
			if (s->p->size > 0 && n > s->p->size) {
				snprintf(reason, sizeof reason,
				    "The client declared %ld octets, more than the %ld this server announced with SIZE, so it refuses before the message is sent.",
				    n, s->p->size);
				reply(s, 552, "5.3.4", "size-declared",
				    "RFC 1870 6.1", reason,
				    "Message size exceeds fixed maximum message size");
				return -1;
			}
			if (s->p->spool >= 0 && n > s->p->spool) {
				snprintf(reason, sizeof reason,
				    "The message (%ld octets) is within the size limit, but the server has only %ld octets of free space now: try again later.",
				    n, s->p->spool);
				reply(s, 452, "4.3.1", "size-spool",
				    "RFC 1870 6.1", reason,
				    "Insufficient system storage");
				return -1;
			}
			s->t.declared = n;
		} else if (ascii_ieq(k, kl, "BODY")) {
			if (v && ascii_ieq(v, vl, "7BIT"))
				s->t.body = BODY_7BIT;
			else if (v && ascii_ieq(v, vl, "8BITMIME") &&
			    offers(s, "8BITMIME"))
				s->t.body = BODY_8BITMIME;
			else if (v && ascii_ieq(v, vl, "BINARYMIME") &&
			    offers(s, "BINARYMIME"))
				s->t.body = BODY_BINARYMIME;
			else {
				bad_param(s, prm, "RFC 6152 2; RFC 3030 3",
				    "BODY is 7BIT, 8BITMIME or BINARYMIME, and only the ones announced");
				return -1;
			}
		} else if (ascii_ieq(k, kl, "SMTPUTF8")) {
			if (v) {
				bad_param(s, prm, "RFC 6531 3.4", "SMTPUTF8 takes no value");
				return -1;
			}
			s->t.smtputf8 = 1;
		} else if (ascii_ieq(k, kl, "RET")) {
			if (!v || !(ascii_ieq(v, vl, "FULL") || ascii_ieq(v, vl, "HDRS"))) {
				bad_param(s, prm, "RFC 3461 4.3", "RET is FULL or HDRS");
				return -1;
			}
		} else if (ascii_ieq(k, kl, "ENVID")) {
			char tmp[128];

			if (!v || vl > 100 ||
			    syntax_xtext_decode(v, vl, tmp, sizeof tmp) < 0) {
				bad_param(s, prm, "RFC 3461 4.4", "ENVID is xtext of at most 100 characters");
				return -1;
			}
		} else if (ascii_ieq(k, kl, "AUTH")) {
			char tmp[512];

			if (!v || (!(vl == 2 && v[0] == '<' && v[1] == '>') &&
			    syntax_xtext_decode(v, vl, tmp, sizeof tmp) < 0)) {
				bad_param(s, prm, "RFC 4954 5", "AUTH= takes an xtext mailbox or <>");
				return -1;
			}
		} else if (ascii_ieq(k, kl, "BY")) {
			/* by-value = by-time ";" by-mode [ "T" ]; by-time may be negative */
			const char *semi = v ? memchr(v, ';', vl) : NULL;
			size_t tl = semi ? (size_t)(semi - v) : 0, ml;
			int neg = tl > 0 && v[0] == '-';
			long t;

			if (!semi || !is_digits(v + neg, tl - (size_t)neg, 9)) {
				bad_param(s, prm, "RFC 2852 4", "BY is seconds;R or seconds;N, optionally followed by T");
				return -1;
			}
			ml = vl - tl - 1;
			if (!((ml == 1 || (ml == 2 && (semi[2] == 'T' || semi[2] == 't'))) &&
			    (semi[1] == 'R' || semi[1] == 'r' || semi[1] == 'N' || semi[1] == 'n'))) {
				bad_param(s, prm, "RFC 2852 4", "the mode after ; is R (return) or N (notify), optionally followed by T");
				return -1;
			}
			t = to_long(v + neg, tl - (size_t)neg) * (neg ? -1 : 1);
			if ((semi[1] == 'R' || semi[1] == 'r') && t <= 0) {
				bad_param(s, prm, "RFC 2852 4", "with R the time must be positive");
				return -1;
			}
			/* below the minimum the server announced: permanent
			 * (RFC 2852 4, "DELIVERBY min-by-time") */
			if (s->p->by_min > 0 && t < s->p->by_min &&
			    (semi[1] == 'R' || semi[1] == 'r')) {
				snprintf(reason, sizeof reason,
				    "This server announced DELIVERBY %ld: it never promises delivery in less. Ask for at least %ld seconds.",
				    s->p->by_min, s->p->by_min);
				error(s, 555, "5.5.4", "by-below-minimum",
				    "RFC 2852 4", reason,
				    "BY time is below the server's minimum");
				return -1;
			}
			/* above the minimum, but the queue is slow right now:
			 * a temporary refusal (RFC 5321 4.1.1.11) */
			if (s->p->queue_delay > 0 && t < s->p->queue_delay &&
			    (semi[1] == 'R' || semi[1] == 'r')) {
				snprintf(reason, sizeof reason,
				    "The queue needs about %ld seconds at the moment, so delivery within %ld cannot be promised now; try again later or ask for longer.",
				    s->p->queue_delay, t);
				reply(s, 455, "4.3.0", "by-queue-busy",
				    "RFC 5321 4.1.1.11; RFC 2852 4", reason,
				    "Server unable to accommodate parameters now");
				return -1;
			}
		} else if (ascii_ieq(k, kl, "MT-PRIORITY")) {
			int neg = vl > 0 && (v[0] == '-' || v[0] == '+');

			if (!v || !is_digits(v + neg, vl - (size_t)neg, 1)) {
				bad_param(s, prm, "RFC 6710 3", "MT-PRIORITY is a number from -9 to 9");
				return -1;
			}
		} else if (ascii_ieq(k, kl, "REQUIRETLS")) {
			if (v) {
				bad_param(s, prm, "RFC 8689 4.1", "REQUIRETLS takes no value");
				return -1;
			}
			if (!s->tls) {
				reply(s, 530, "5.7.10", "requiretls-needs-tls",
				    "RFC 8689 4.1",
				    "REQUIRETLS asks for TLS on every hop, starting with this one: use STARTTLS first.",
				    "REQUIRETLS needed");
				return -1;
			}
		}
	}
	return 0;
}

static void h_mail(struct server *s, struct cmd *c)
{
	const struct syntax_path *pa = &c->sc.path;
	char reason[TEXT_MAX];
	int smtputf8 = syntax_param_find(&c->sc, "SMTPUTF8") != NULL;

	if (mail_params(s, c) != 0) {
		txn_reset(s);
		return;
	}
	if (pa->utf8 && !smtputf8) {
		txn_reset(s);
		reply(s, 550, "5.6.7", "utf8-without-smtputf8", "RFC 6531 3.5",
		    "This address has non-ASCII characters: the MAIL command must carry the SMTPUTF8 parameter.",
		    "Non-ASCII addresses not permitted without SMTPUTF8");
		return;
	}
	if (!pa->null) {
		const struct ref_world *w = mailbox(pa->local.p, pa->local.len,
		    pa->host.p, pa->host.len);

		if (w && strcmp(w->kind, "blocked") == 0) {
			txn_reset(s);
			snprintf(reason, sizeof reason,
			    "The sender %s is on this server's block list.",
			    w->address);
			reply(s, 550, "5.7.1", "sender-blocked", "RFC 5321 3.3",
			    reason, "Sender address rejected: access denied");
			return;
		}
	}
	{
		size_t n = pa->null ? 0 : pa->local.len + 1 + pa->host.len;

		if (n >= sizeof s->t.from)
			n = sizeof s->t.from - 1;
		if (!pa->null)
			snprintf(s->t.from, sizeof s->t.from, "%.*s@%.*s",
			    (int)pa->local.len, pa->local.p, (int)pa->host.len,
			    pa->host.p);
		else
			s->t.from[0] = 0;
	}
	s->t.smtputf8 = smtputf8;
	memcpy(s->last_from, s->t.from, sizeof s->last_from);
	s->have_from = 1;
	enter(s, SERVER_MAIL, "mail", "RFC 5321 3.3",
	    "a new transaction with its reverse-path");
	if (pa->null)
		reply(s, 250, "2.1.0", "mail-null-sender", "RFC 5321 4.5.5",
		    "The null reverse-path <> is for bounces and notifications: no bounce will ever be sent back for this message.",
		    "Sender <> OK");
	else
		replyf(s, 250, "2.1.0", "mail", "RFC 5321 3.3",
		    "The server stored the reverse-path: bounces for this message will go there.",
		    "Sender <%s> OK", s->t.from);
}

/* rcpt_params - NOTIFY and ORCPT (DSN); 0 or -1 when a reply was sent */
static int rcpt_params(struct server *s, struct cmd *c)
{
	size_t i;

	for (i = 0; i < c->sc.nparams; i++) {
		const struct syntax_param *prm = &c->sc.params[i];
		const char *k = prm->keyword.p, *v = prm->value.p;
		size_t kl = prm->keyword.len, vl = prm->value.len;

		if (param_refused(s, "RCPT", prm))
			return -1;
		if (ascii_ieq(k, kl, "NOTIFY")) {
			/* "NEVER" alone, or a list of SUCCESS, FAILURE, DELAY */
			size_t a = 0, never = 0, items = 0;

			while (v && a < vl) {
				size_t b = a;

				while (b < vl && v[b] != ',')
					b++;
				if (ascii_ieq(v + a, b - a, "NEVER"))
					never++;
				else if (!ascii_ieq(v + a, b - a, "SUCCESS") &&
				    !ascii_ieq(v + a, b - a, "FAILURE") &&
				    !ascii_ieq(v + a, b - a, "DELAY"))
					items = 99;
				items++;
				a = b + 1;
				if (b == vl - 1 && v[b] == ',')
					items = 99;
			}
			if (!v || vl == 0 || items > 3 || (never && items > 1)) {
				bad_param(s, prm, "RFC 3461 4.1",
				    "NOTIFY is NEVER, or a comma-separated list of SUCCESS, FAILURE and DELAY");
				return -1;
			}
		} else if (ascii_ieq(k, kl, "ORCPT")) {
			const char *semi = v ? memchr(v, ';', vl) : NULL;
			char tmp[520];

			if (!semi || semi == v || vl > 500 ||
			    syntax_xtext_decode(semi + 1, vl - (size_t)(semi + 1 - v),
			    tmp, sizeof tmp) <= 0) {
				bad_param(s, prm, "RFC 3461 4.2",
				    "ORCPT is addr-type;xtext, for example rfc822;alice@example.org");
				return -1;
			}
		}
	}
	return 0;
}

static void rcpt_accepted(struct server *s, int code, const char *enh,
    const char *rule, const char *section, const char *reason,
    const char *text)
{
	s->t.nrcpt++;
	enter(s, SERVER_RCPT, "rcpt", "RFC 5321 3.3",
	    "the first recipient was accepted");
	reply(s, code, enh, rule, section, reason, text);
}

/* greylist_defers - a greylisting persona answers 451 to a pair of
 * sender and recipient it has not seen, or seen too recently; 1 when it
 * did (RFC 6647 2.1) */
static int greylist_defers(struct server *s, const char *addr)
{
	char reason[TEXT_MAX];
	unsigned long age;
	long delay = s->p->greylist_delay > 0 ? s->p->greylist_delay : 0;

	if (!on(s->p->greylist))
		return 0;
	switch (greylisted(s, addr, strlen(addr), &age)) {
	case GREY_NEW:
		snprintf(reason, sizeof reason,
		    "First time this server sees mail from <%s> to <%s>: it asks to try again later, not sooner than %ld seconds from now. A real sender keeps the message in its queue and comes back.",
		    s->t.from, addr, delay);
		reply(s, 451, "4.7.1", "greylisted", "RFC 6647 2.1", reason,
		    "Greylisted, please try again later");
		return 1;
	case GREY_TOO_SOON:
		snprintf(reason, sizeof reason,
		    "This pair was first seen only %lu seconds ago, and this server wants at least %ld seconds between the first try and the next. A real client waits longer than that (RFC 5321 4.5.4.1: usually at least 30 minutes).",
		    age, delay);
		reply(s, 451, "4.7.1", "greylist-too-soon",
		    "RFC 6647 2.1; RFC 5321 4.5.4.1", reason,
		    "Greylisted, please try again later");
		return 1;
	case GREY_PASS:
		break;
	}
	return 0;
}

static void h_rcpt(struct server *s, struct cmd *c)
{
	const struct syntax_path *pa = &c->sc.path;
	char reason[TEXT_MAX], text[TEXT_MAX], addr[SYNTAX_PATH_MAX + 1];
	const char *dk;
	const struct ref_world *w;

	s->t.tried++;
	if (rcpt_params(s, c) != 0)
		return;
	if (s->p->max_rcpt >= 0 && s->t.nrcpt >= (size_t)s->p->max_rcpt) {
		snprintf(reason, sizeof reason,
		    "This transaction already has %zu recipients, the server's limit. Send the rest in another transaction after this one.",
		    s->t.nrcpt);
		if (s->p->rcpt_overflow == 552)
			reply(s, 552, "5.5.3", "too-many-rcpts-821", "RFC 821 4.5.3; RFC 5321 4.5.3.1.10",
			    reason, "Too many recipients");
		else
			reply(s, 452, "4.5.3", "too-many-rcpts", "RFC 5321 4.5.3.1.10",
			    reason, "Too many recipients");
		return;
	}
	if (pa->postmaster) {
		rcpt_accepted(s, 250, "2.1.5", "postmaster", "RFC 5321 4.5.1",
		    "Every server must accept mail for <Postmaster>, even without a domain.",
		    "Recipient <Postmaster> OK");
		return;
	}
	snprintf(addr, sizeof addr, "%.*s@%.*s", (int)pa->local.len,
	    pa->local.p, (int)pa->host.len, pa->host.p);
	dk = pa->host_kind == SYNTAX_HOST_DOMAIN ?
	    domain_kind(pa->host.p, pa->host.len) : "";
	if (strcmp(dk, "nullmx") == 0) {
		snprintf(reason, sizeof reason,
		    "The domain %.*s says (with a null MX record) that it never accepts mail.",
		    (int)pa->host.len, pa->host.p);
		reply(s, 556, "5.1.10", "null-mx", "RFC 7504 3; RFC 7505 4.2",
		    reason, "Recipient address has null MX");
		return;
	}
	if (strcmp(dk, "local") != 0) {
		if (!s->authed) {
			snprintf(reason, sizeof reason,
			    "%.*s is not one of this server's domains, and it relays mail elsewhere only for clients that logged in with AUTH.",
			    (int)pa->host.len, pa->host.p);
			reply(s, 550, "5.7.1", "relay-denied", "RFC 5321 3.6.2",
			    reason, "Relay access denied");
			return;
		}
		snprintf(text, sizeof text, "Recipient <%s> OK (relay)", addr);
		rcpt_accepted(s, 250, "2.1.5", "relay-authenticated",
		    "RFC 5321 3.6.2; RFC 4954 5",
		    "Not a local domain, but the client is authenticated, so the server relays the message.",
		    text);
		return;
	}
	w = mailbox(pa->local.p, pa->local.len, pa->host.p, pa->host.len);
	if (w == NULL && ascii_ieq(pa->local.p, pa->local.len, "postmaster")) {
		snprintf(text, sizeof text, "Recipient <%s> OK", addr);
		rcpt_accepted(s, 250, "2.1.5", "postmaster", "RFC 5321 4.5.1",
		    "Every mail domain must accept mail for its postmaster.", text);
		return;
	}
	if (w == NULL || strcmp(w->kind, "blocked") == 0) {
		snprintf(reason, sizeof reason,
		    "No mailbox %s exists in the simulated world.", addr);
		/* counted with the client's mistakes: a client that tries
		 * many unknown addresses is probing, and the server may end
		 * the session after some such replies (RFC 5321 7.8) */
		error(s, 550, "5.1.1", "unknown-user", "RFC 5321 3.3", reason,
		    "Mailbox unavailable: user unknown");
		return;
	}
	if (strcmp(w->kind, "forward") == 0) {
		snprintf(text, sizeof text, "User not local; will forward to <%s>",
		    w->target);
		snprintf(reason, sizeof reason,
		    "%s moved; this server takes the message and forwards it to %s.",
		    w->address, w->target);
		rcpt_accepted(s, 251, "2.1.5", "forward", "RFC 5321 3.4", reason,
		    text);
		return;
	}
	if (strcmp(w->kind, "moved") == 0) {
		snprintf(text, sizeof text, "User not local; please try <%s>",
		    w->target);
		snprintf(reason, sizeof reason,
		    "%s moved and this server does not forward: the sender should write to %s.",
		    w->address, w->target);
		reply(s, 551, "5.1.6", "moved", "RFC 5321 3.4", reason, text);
		return;
	}
	if (strcmp(w->kind, "full") == 0) {
		reply(s, 452, "4.2.2", "mailbox-full", "RFC 5321 4.2.2",
		    "The mailbox is over its quota; the sender's server keeps the message and tries later.",
		    "Mailbox full, try again later");
		return;
	}
	if (strcmp(w->kind, "busy") == 0) {
		reply(s, 450, "4.2.1", "mailbox-busy", "RFC 5321 4.2.2",
		    "The mailbox is locked for the moment; a later attempt will work.",
		    "Mailbox busy, try again later");
		return;
	}
	if (strcmp(w->kind, "disabled") == 0) {
		reply(s, 550, "5.2.1", "mailbox-disabled", "RFC 5321 3.3",
		    "The mailbox exists but accepts no mail any more.",
		    "Mailbox disabled");
		return;
	}
	if (strcmp(w->kind, "reserved") == 0 ||
	    strcmp(w->kind, "ambiguous") == 0) {
		int amb = strcmp(w->kind, "ambiguous") == 0;

		snprintf(reason, sizeof reason, amb ?
		    "%s could mean several people; the server refuses to guess." :
		    "%s is a name the server does not accept mail for.",
		    w->address);
		reply(s, 553, amb ? "5.1.4" : "5.7.1",
		    amb ? "mailbox-ambiguous" : "mailbox-not-allowed",
		    "RFC 5321 3.3", reason, "Mailbox name not allowed");
		return;
	}
	if (greylist_defers(s, addr))
		return;
	snprintf(text, sizeof text, "Recipient <%s> OK", addr);
	rcpt_accepted(s, 250, "2.1.5", strcmp(w->kind, "list") == 0 ?
	    "rcpt-list" : "rcpt", "RFC 5321 3.3",
	    "The recipient is a mailbox of this server; it is added to the transaction.",
	    text);
}

static void h_data(struct server *s, struct cmd *c)
{
	(void)c;
	if (s->t.body == BODY_BINARYMIME) {
		error(s, 503, "5.5.1", "data-binarymime", "RFC 3030 3",
		    "BODY=BINARYMIME messages can only be sent with BDAT: DATA cannot carry binary data.",
		    "BINARYMIME requires BDAT");
		return;
	}
	s->t.size = 0;
	s->prev_crlf = 1;
	enter(s, SERVER_DATA, "data", "RFC 5321 4.1.1.4",
	    "the message follows, up to a line with a single dot");
	reply(s, 354, "", "data", "RFC 5321 4.1.1.4",
	    "Send the message now: headers, a blank line, the body, and a line with only a dot to end it.",
	    "End data with <CR><LF>.<CR><LF>");
}

/* size_over - the message so far is larger than the SIZE limit */
static int size_over(const struct server *s)
{
	return s->p->size > 0 && s->t.size > (uint64_t)s->p->size;
}

/* finish_message - the end of DATA or BDAT LAST: accept or refuse.  Of
 * a too long line and a too large message, the one that came first is
 * reported (security-cases L2). */
static void finish_message(struct server *s, const char *verb)
{
	char reason[TEXT_MAX], text[128];

	s->cur_verb = verb;
	if (fault(s, verb)) {
		if (s->phase != SERVER_CLOSED)
			abort_txn(s, "fault-injected", "RFC 5321 4.1.1.4",
			    "the message was refused");
		return;
	}
	if (s->t.nrcpt == 0) {
		reply(s, 554, "5.5.1", "no-valid-recipients-end",
		    "RFC 2920 3.1; RFC 5321 3.3",
		    "No recipient was accepted, so the message goes nowhere: the server refuses it as a whole.",
		    "Error: no valid recipients");
	} else if (size_over(s) && !(s->t.long_line && s->t.long_first)) {
		snprintf(reason, sizeof reason,
		    "The message has %" PRIu64 " octets, over the %ld the server announced with SIZE.",
		    s->t.size, s->p->size);
		reply(s, 552, "5.3.4", "size-exceeded", "RFC 1870 4; RFC 1870 6.2",
		    reason, "Message size exceeds fixed maximum message size");
	} else if (s->t.long_line) {
		reply(s, 500, "5.5.6", "line-too-long", "RFC 5321 4.5.3.1.6",
		    "A line of the message was longer than 1000 octets (with its CRLF), the limit of RFC 5321.",
		    "Line too long");
	} else if ((s->t.bare_lf || s->t.bare_cr) &&
	    strcmp(s->p->bare_lf, "reject") == 0) {
		reply(s, 554, "5.5.2", "bare-lf-data", "RFC 5321 4.1.1.4; RFC 5321 2.3.8",
		    "The message contains a bare LF or CR. Lines must end in CRLF; a strict server refuses such messages because of SMTP smuggling.",
		    "Message contains bare <LF> or <CR>");
	} else if (s->t.nul && strcmp(s->p->bare_lf, "reject") == 0) {
		/* the strict persona refuses the octets RFC 5321 2.3.8 and
		 * RFC 5322 forbid in a message: bare CR, bare LF, and NUL */
		reply(s, 554, "5.6.0", "nul-in-data",
		    "RFC 5322 3.5; RFC 2045 2.8; RFC 5321 4.1.1.4",
		    "The message contains a NUL octet, which mail text may not hold; a strict server refuses it rather than pass on a message that others would cut short.",
		    "Message contains NUL octets");
	} else if (s->t.spam) {
		reply(s, 550, "5.7.1", "content-spam", "RFC 5321 3.3",
		    "The message contains the GTUBE test string, which spam filters reject by design.",
		    "Message content rejected as spam");
	} else {
		s->serial++;
		snprintf(text, sizeof text, "OK: queued as S%05lu", s->serial);
		snprintf(reason, sizeof reason,
		    "The server accepted the message (%" PRIu64 " octets) for %zu recipient%s and now takes responsibility for delivering it.",
		    s->t.size, s->t.nrcpt, s->t.nrcpt == 1 ? "" : "s");
		reply(s, 250, "2.0.0", "message-accepted", "RFC 5321 4.1.1.4",
		    reason, text);
	}
	abort_txn(s, "end-of-message", "RFC 5321 4.1.1.4",
	    "the transaction is over; a new MAIL may follow");
}

/* data_line - one line of the message (without its line ending); crlf
 * says whether it ended in CRLF (else a bare LF) */
static void data_line(struct server *s, const char *p, size_t len,
    size_t total, int crlf)
{
	size_t i;

	if (crlf && s->prev_crlf && total == 1 && p[0] == '.') {
		finish_message(s, "DATA-END");
		return;
	}
	/* a line that a lax server might take for the end of the data */
	if (total == 1 && p[0] == '.' && !(crlf && s->prev_crlf) &&
	    !s->t.smuggle) {
		s->t.smuggle = 1;
		note(s, SERVER_EV_WARNING, "not-end-of-data", "RFC 5321 4.1.1.4",
		    "A dot line next to a bare LF is not the end of the data: only CRLF . CRLF ends it. Servers that accepted it made SMTP smuggling possible.");
	}
	if (!crlf && !s->t.bare_lf) {
		s->t.bare_lf = 1;
		note(s, SERVER_EV_WARNING, "bare-lf-data", "RFC 5321 2.3.8",
		    "A line of the message ends in a bare LF instead of CRLF.");
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch == '\r' && !s->t.bare_cr) {
			s->t.bare_cr = 1;
			note(s, SERVER_EV_WARNING, "bare-cr-data", "RFC 5321 2.3.8",
			    "The message contains a CR that is not followed by LF.");
		}
		if (ch == 0 && !s->t.nul) {
			s->t.nul = 1;
			note(s, SERVER_EV_WARNING, "nul-in-data",
			    "RFC 5321 4.1.1.4; RFC 5322 3.5; RFC 2045 2.8",
			    "The message contains a NUL octet. Mail text may not hold one (RFC 5322 3.5), not even 8BITMIME text (RFC 2045 2.8); only a BINARYMIME message sent with BDAT may. Many servers cut the message or the line there.");
		}
		if (ch >= 0x80 && !s->t.eight_bit) {
			s->t.eight_bit = 1;
			if (s->t.body == BODY_7BIT)
				note(s, SERVER_EV_WARNING, "8bit-undeclared",
				    "RFC 5321 2.4; RFC 6152 3",
				    "The message has 8-bit octets but MAIL did not say BODY=8BITMIME.");
		}
	}
	if (!s->t.spam && len >= sizeof gtube - 1) {
		for (i = 0; i + sizeof gtube - 1 <= len; i++)
			if (memcmp(p + i, gtube, sizeof gtube - 1) == 0) {
				s->t.spam = 1;
				break;
			}
	}
	/* 4.5.2: a leading dot was doubled by the client; it does not count */
	if (total > 0 && p[0] == '.')
		total--;
	if (total + 2 > DATA_LINE_MAX && !s->t.long_line) {
		s->t.long_line = 1;
		s->t.long_first = !size_over(s);
	}
	s->t.size += total + 2;
	s->prev_crlf = crlf;
}

static void h_bdat(struct server *s, struct cmd *c)
{
	char text[128], reason[TEXT_MAX];

	(void)c;
	s->t.chunks++;
	/* saturating: 2^64 - 1 octets is past any SIZE */
	s->t.size = s->t.size > UINT64_MAX - s->bdat_count ? UINT64_MAX :
	    s->t.size + s->bdat_count;
	if (size_over(s)) {
		snprintf(reason, sizeof reason,
		    "The chunks add up to %" PRIu64 " octets, over the %ld announced with SIZE. The transaction is over: send RSET and start again.",
		    s->t.size, s->p->size);
		reply(s, 552, "5.3.4", "size-exceeded", "RFC 3030 2; RFC 1870 6.2",
		    reason, "Message size exceeds fixed maximum message size");
		abort_txn(s, "bdat-failed", "RFC 3030 2", "a chunk was refused");
		return;
	}
	if (s->bdat_last) {
		finish_message(s, "BDAT");
		return;
	}
	enter(s, SERVER_BDAT, "bdat", "RFC 3030 2",
	    "the message arrives in chunks until BDAT ... LAST");
	snprintf(text, sizeof text, "%" PRIu64 " octets received", s->bdat_count);
	reply(s, 250, "2.0.0", "bdat-chunk", "RFC 3030 2",
	    "The chunk was received; more may follow, and the one marked LAST ends the message.",
	    text);
}

static void h_rset(struct server *s, struct cmd *c)
{
	(void)c;
	abort_txn(s, "rset", "RFC 5321 4.1.1.5",
	    "RSET cancels the transaction");
	reply(s, 250, "2.0.0", "rset", "RFC 5321 4.1.1.5",
	    "Any transaction was cancelled; the session stays open and identified.",
	    "Reset OK");
}

static void h_noop(struct server *s, struct cmd *c)
{
	(void)c;
	reply(s, 250, "2.0.0", "noop", "RFC 5321 4.1.1.9",
	    "NOOP does nothing but prove the server is still there.", "OK");
}

static void h_quit(struct server *s, struct cmd *c)
{
	(void)c;
	replyf(s, 221, "2.0.0", "quit", "RFC 5321 4.1.1.10",
	    "The server says goodbye and closes the connection; any unfinished transaction is dropped.",
	    "%s closing connection", s->p->hostname);
	close_session(s, "quit", "RFC 5321 4.1.1.10", "QUIT");
}

/* local_user - the mailbox name at one of the server's own domains (the
 * world's "local" domains, in table order), or NULL */
static const struct ref_world *local_user(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < ref_world_count; i++) {
		const struct ref_world *d = &ref_world_table[i], *w;

		if (strcmp(d->kind, "local") != 0 || strchr(d->address, '@'))
			continue;
		w = mailbox(name, n, d->address, strlen(d->address));
		if (w)
			return w;
	}
	return NULL;
}

/* find_local - the world entry for name: "alice", "alice@example.org" or
 * "<alice@example.org>"; *remote set when the domain is not ours */
static const struct ref_world *find_local(const char *a, size_t n,
    int *remote)
{
	const char *at;

	*remote = 0;
	if (n >= 2 && a[0] == '<' && a[n - 1] == '>') {
		a++;
		n -= 2;
	}
	at = memchr(a, '@', n);
	if (at) {
		const char *d = at + 1;
		size_t dl = n - (size_t)(d - a);

		if (strcmp(domain_kind(d, dl), "local") != 0) {
			*remote = 1;
			return NULL;
		}
		return mailbox(a, (size_t)(at - a), d, dl);
	}
	return local_user(a, n);
}

/* strip_smtputf8 - drop the SMTPUTF8 parameter that RFC 6531 3.7.4.2
 * allows after the argument of VRFY and EXPN where SMTPUTF8 is offered */
static void strip_smtputf8(const struct server *s, struct cmd *c)
{
	if (!offers(s, "SMTPUTF8") || c->arglen <= 9 ||
	    !ascii_ieq(c->arg + c->arglen - 9, 9, " SMTPUTF8"))
		return;
	c->arglen -= 9;
	while (c->arglen > 0 && c->arg[c->arglen - 1] == ' ')
		c->arglen--;
}

static void h_vrfy(struct server *s, struct cmd *c)
{
	const struct ref_world *w;
	int remote;
	char text[TEXT_MAX], reason[TEXT_MAX];

	if (strcmp(s->p->vrfy, "off") == 0) {
		reply(s, 502, "5.5.1", "vrfy-disabled", "RFC 5321 3.5.3; RFC 5321 7.3",
		    "This server does not implement VRFY (502). RFC 5321 3.5.3 calls a server that answers VRFY with 500 or 502 not fully compliant; one that turns VRFY off for security must answer 252 (7.3).",
		    "VRFY command is disabled");
		return;
	}
	if (strcmp(s->p->vrfy, "cannot") == 0) {
		reply(s, 252, "2.0.0", "vrfy-cannot", "RFC 5321 3.5.3",
		    "The server will not say whether the user exists (252), but it will accept mail and try to deliver it.",
		    "Cannot VRFY user, but will accept message and attempt delivery");
		return;
	}
	strip_smtputf8(s, c);
	w = find_local(c->arg, c->arglen, &remote);
	if (remote) {
		reply(s, 252, "2.0.0", "vrfy-remote", "RFC 5321 3.5.3",
		    "The address is not local, so the server cannot check it; it would still accept mail for it.",
		    "Cannot VRFY user, but will accept message and attempt delivery");
		return;
	}
	if (w == NULL || strcmp(w->kind, "blocked") == 0) {
		error(s, 550, "5.1.1", "vrfy-unknown", "RFC 5321 3.5.3",
		    "No such user in the simulated world.",
		    "User unknown");
		return;
	}
	if (strcmp(w->kind, "ambiguous") == 0) {
		const char *cur = w->members, *tok;
		size_t n = (size_t)snprintf(text, sizeof text, "Ambiguous; possibilities are");
		size_t len;

		while (ref_list_next(&cur, &tok, &len) && n < sizeof text - 80)
			n += (size_t)snprintf(text + n, sizeof text - n,
			    "\n<%.*s>", (int)len, tok);
		reply(s, 553, "5.1.4", "vrfy-ambiguous", "RFC 5321 3.5.3",
		    "Several users match; the server lists them instead of guessing.",
		    text);
		return;
	}
	if (strcmp(w->kind, "forward") == 0) {
		snprintf(text, sizeof text, "User not local; will forward to <%s>",
		    w->target);
		reply(s, 251, "2.1.5", "vrfy-forward", "RFC 5321 3.5.3",
		    "The user moved; mail sent here is forwarded.", text);
		return;
	}
	if (strcmp(w->kind, "moved") == 0) {
		snprintf(text, sizeof text, "User not local; please try <%s>",
		    w->target);
		reply(s, 551, "5.1.6", "vrfy-moved", "RFC 5321 3.5.3",
		    "The user moved and mail is not forwarded; the reply names the new address.",
		    text);
		return;
	}
	snprintf(text, sizeof text, "%s <%s>", w->name ? w->name : "",
	    w->address);
	snprintf(reason, sizeof reason, "%s is a %s of this server.",
	    w->address, strcmp(w->kind, "list") == 0 ? "mailing list" : "mailbox");
	reply(s, 250, "2.1.5", "vrfy-ok", "RFC 5321 3.5.3", reason, text);
}

static void h_expn(struct server *s, struct cmd *c)
{
	const struct ref_world *w;
	int remote;
	char text[TEXT_MAX];

	strip_smtputf8(s, c);
	w = find_local(c->arg, c->arglen, &remote);
	if (remote) {
		reply(s, 252, "2.0.0", "expn-remote", "RFC 5321 3.5.3",
		    "Not a local list; the server cannot expand it.",
		    "Cannot expand that list");
		return;
	}
	if (w == NULL || strcmp(w->kind, "list") != 0) {
		error(s, 550, "5.1.1", w ? "expn-not-list" : "expn-unknown",
		    "RFC 5321 3.5.3", w ? "That name is a user, not a mailing list." :
		    "No such list in the simulated world.",
		    w ? "That is a user name, not a mailing list" : "List unknown");
		return;
	}
	{
		const char *cur = w->members, *tok;
		size_t len, n = 0, k = 0;

		text[0] = 0;
		while (ref_list_next(&cur, &tok, &len) && n < sizeof text - 160) {
			const struct ref_world *m = world(tok, len);

			n += (size_t)snprintf(text + n, sizeof text - n, "%s%s <%.*s>",
			    k++ ? "\n" : "", m && m->name ? m->name : "",
			    (int)len, tok);
		}
		reply(s, 250, "2.1.5", "expn-ok", "RFC 5321 3.5.3",
		    "The server listed the members of the mailing list, one per line.",
		    text);
	}
}

static void h_help(struct server *s, struct cmd *c)
{
	char text[WIRE_MAX / 2];
	size_t i, n;

	if (c->arglen == 0) {
		n = (size_t)snprintf(text, sizeof text, "Commands:");
		for (i = 0; i < ref_command_count && n < sizeof text - 32; i++) {
			const struct ref_command *row = &ref_command_table[i];

			if (strcmp(row->status, "required") == 0 ||
			    (row->keyword[0] && persona_has(s, row->keyword) &&
			    strcmp(row->status, "obsolete") != 0 &&
			    strcmp(row->status, "vendor") != 0))
				n += (size_t)snprintf(text + n, sizeof text - n,
				    " %s", row->verb);
		}
		snprintf(text + n, sizeof text - n,
		    "\nHELP STATUS shows the session; HELP <command> shows its syntax\nEnd of HELP");
		reply(s, 214, "2.0.0", "help", "RFC 5321 4.1.1.8",
		    "HELP lists the commands; the text is for people, not programs.",
		    text);
		return;
	}
	if (ascii_ieq(c->arg, c->arglen, "STATUS")) {
		snprintf(text, sizeof text,
		    "%s status\nsession: %s\nclient: %s\ngreeting: %s\nTLS: %s\nauthenticated: %s\nrecipients: %zu\nEnd of status",
		    s->p->hostname, server_phase_str(s->phase),
		    s->helo[0] ? s->helo : "(not identified)",
		    s->ehlo == 1 ? "EHLO" : s->ehlo == 2 ? "HELO" : "none",
		    s->tls ? "yes" : "no", s->authed ? "yes" : "no", s->t.nrcpt);
		reply(s, 211, "2.0.0", "help-status", "RFC 5321 4.2.2",
		    "211 is a system status reply; this simulated server gives it for HELP STATUS.",
		    text);
		return;
	}
	{
		const struct ref_command *row = ref_command_find(c->arg, c->arglen);

		if (row == NULL) {
			reply(s, 504, "5.5.4", "help-unknown", "RFC 5321 4.1.1.8",
			    "HELP knows the SMTP commands only.",
			    "HELP topic unknown");
			return;
		}
		snprintf(text, sizeof text, "%s\n%s\nSee %s\nEnd of HELP", row->syntax,
		    row->summary, row->section);
		reply(s, 214, "2.0.0", "help-topic", "RFC 5321 4.1.1.8",
		    "HELP with a command name shows how to write that command.",
		    text);
	}
}

/* tls_handshake - the simulated handshake after 220: RFC 3207 4.2 */
static void tls_handshake(struct server *s)
{
	s->tls = 1;
	s->ehlo = 0;
	s->helo[0] = 0;
	s->authed = 0;
	txn_reset(s);
	enter(s, SERVER_GREETED, "tls-reset", "RFC 3207 4.2",
	    "TLS is active; the session starts over and the client must send EHLO again");
}

static void h_starttls(struct server *s, struct cmd *c)
{
	(void)c;
	enter(s, SERVER_TLS, "starttls", "RFC 3207 4",
	    "the TLS handshake starts after this reply");
	reply(s, 220, "2.0.0", "starttls", "RFC 3207 4",
	    "The server is ready for the TLS handshake. Everything after it is encrypted, and the session starts over.",
	    "Ready to start TLS");
	s->discard = 1;
	tls_handshake(s);
}

static void auth_fail(struct server *s)
{
	s->mech = MECH_NONE;
	s->auth_step = 0;
	s->auth_user[0] = 0;
	if (s->phase == SERVER_AUTH)
		enter(s, SERVER_READY, "auth-failed", "RFC 4954 4",
		    "the authentication exchange is over");
}

/* auth_check - the credentials are complete: answer 235 or the reason */
static void auth_check(struct server *s, const char *user, size_t ulen,
    const char *pass, size_t plen, const char *digest)
{
	const struct ref_world *w = NULL;
	char reason[TEXT_MAX];

	if (ulen > 0 && memchr(user, '@', ulen))
		w = world(user, ulen);
	else if (ulen > 0)
		w = local_user(user, ulen);
	if (w == NULL || w->password == NULL) {
		reply(s, 535, "5.7.8", "auth-bad-credentials", "RFC 4954 6",
		    "The user name or the password is wrong.",
		    "Authentication credentials invalid");
		auth_fail(s);
		return;
	}
	if (w->auth && strcmp(w->auth, "tempfail") == 0) {
		reply(s, 454, "4.7.0", "auth-tempfail", "RFC 4954 6",
		    "The server cannot check passwords right now; try again later.",
		    "Temporary authentication failure");
		auth_fail(s);
		return;
	}
	if (digest) {
		unsigned char mac[CODEC_MD5_LEN];
		char hex[2 * CODEC_MD5_LEN + 1];

		codec_hmac_md5(w->password, strlen(w->password), s->challenge,
		    strlen(s->challenge), mac);
		codec_hex(mac, sizeof mac, hex);
		if (strcmp(hex, digest) != 0)
			w = NULL;
	} else if (plen != strlen(w->password) ||
	    memcmp(pass, w->password, plen) != 0) {
		w = NULL;
	}
	if (w == NULL) {
		reply(s, 535, "5.7.8", "auth-bad-credentials", "RFC 4954 6",
		    "The user name or the password is wrong.",
		    "Authentication credentials invalid");
		auth_fail(s);
		return;
	}
	if (w->auth && strcmp(w->auth, "strong") == 0 && s->mech != MECH_CRAM) {
		snprintf(reason, sizeof reason,
		    "The password is right, but %s may log in only with a stronger mechanism (CRAM-MD5 here).",
		    w->address);
		reply(s, 534, "5.7.9", "auth-too-weak", "RFC 4954 6", reason,
		    "Authentication mechanism is too weak");
		auth_fail(s);
		return;
	}
	if (w->auth && strcmp(w->auth, "transition") == 0) {
		reply(s, 432, "4.7.12", "auth-transition", "RFC 4954 6",
		    "The password is right but must be changed (for example with a plaintext mechanism over TLS) before this mechanism works.",
		    "A password transition is needed");
		auth_fail(s);
		return;
	}
	s->authed = 1;
	s->mech = MECH_NONE;
	s->auth_step = 0;
	enter(s, SERVER_READY, "auth-ok", "RFC 4954 4",
	    "the client is authenticated");
	snprintf(reason, sizeof reason,
	    "Logged in as %s. The session is authenticated: relaying is now allowed, and AUTH may not be sent again.",
	    w->address);
	reply(s, 235, "2.7.0", "auth-ok", "RFC 4954 6", reason,
	    "Authentication successful");
}

/* auth_response - one decoded client response in the exchange */
static void auth_response(struct server *s, const unsigned char *d, size_t n)
{
	if (s->mech == MECH_PLAIN) {
		/* [authzid] NUL authcid NUL passwd (RFC 4616 2) */
		const unsigned char *a = memchr(d, 0, n), *b;

		b = a ? memchr(a + 1, 0, n - (size_t)(a + 1 - d)) : NULL;
		if (a == NULL || b == NULL) {
			reply(s, 501, "5.5.2", "auth-plain-syntax", "RFC 4616 2",
			    "A PLAIN response is authzid NUL user NUL password, base64-encoded.",
			    "Invalid PLAIN response");
			auth_fail(s);
			return;
		}
		auth_check(s, (const char *)a + 1, (size_t)(b - a - 1),
		    (const char *)b + 1, n - (size_t)(b + 1 - d), NULL);
	} else if (s->mech == MECH_LOGIN) {
		if (s->auth_step == 0) {
			size_t k = n < sizeof s->auth_user - 1 ? n : sizeof s->auth_user - 1;

			memcpy(s->auth_user, d, k);
			s->auth_user[k] = 0;
			s->auth_step = 1;
			reply(s, 334, "", "auth-login-password", "RFC 4954 4",
			    "The server asks for the password (\"Password:\" in base64).",
			    "UGFzc3dvcmQ6");
			return;
		}
		auth_check(s, s->auth_user, strlen(s->auth_user),
		    (const char *)d, n, NULL);
	} else if (s->mech == MECH_CRAM) {
		/* user SP 32 hex digits (RFC 2195 2) */
		const unsigned char *sp = n > 33 ? d + n - 33 : NULL;
		char digest[33];

		if (sp == NULL || *sp != ' ') {
			reply(s, 501, "5.5.2", "auth-cram-syntax", "RFC 2195 2",
			    "A CRAM-MD5 response is the user name, a space and 32 hex digits, base64-encoded.",
			    "Invalid CRAM-MD5 response");
			auth_fail(s);
			return;
		}
		memcpy(digest, sp + 1, 32);
		digest[32] = 0;
		{
			size_t i;

			for (i = 0; i < 32; i++)
				digest[i] = (char)ascii_lower((unsigned char)digest[i]);
		}
		auth_check(s, (const char *)d, (size_t)(sp - d), NULL, 0, digest);
	}
}

/* auth_line - a line from the client during the 334 exchange */
static void auth_line(struct server *s, const char *p, size_t len, int overflow)
{
	unsigned char buf[LINE_BUF];
	long n;

	s->cur_verb = "AUTH";
	if (overflow) {
		reply(s, 500, "5.5.6", "auth-line-too-long", "RFC 4954 4",
		    "The authentication line was longer than the server accepts.",
		    "Authentication exchange line is too long");
		auth_fail(s);
		return;
	}
	if (len == 1 && p[0] == '*') {
		reply(s, 501, "5.7.0", "auth-cancelled", "RFC 4954 4",
		    "The client sent * to cancel the authentication exchange.",
		    "Authentication cancelled");
		auth_fail(s);
		return;
	}
	n = codec_b64_decode(p, len, buf, sizeof buf);
	if (n < 0) {
		reply(s, 501, "5.5.2", "auth-bad-base64", "RFC 4954 4",
		    "During AUTH every line from the client must be base64; this one is not.",
		    "Cannot decode response");
		auth_fail(s);
		return;
	}
	auth_response(s, buf, (size_t)n);
}

static void h_auth(struct server *s, struct cmd *c)
{
	const char *a = c->arg, *sp;
	size_t n = c->arglen, ml;
	char reason[TEXT_MAX];

	if (s->authed) {
		error(s, 503, "5.5.1", "auth-twice", "RFC 4954 4",
		    "The session is already authenticated; AUTH may succeed only once.",
		    "Already authenticated");
		return;
	}
	if (n == 0) {
		error(s, 501, "5.5.4", "auth-no-mechanism", "RFC 4954 4",
		    "AUTH needs the name of a mechanism, for example AUTH PLAIN.",
		    "Syntax: AUTH mechanism [initial-response]");
		return;
	}
	sp = memchr(a, ' ', n);
	ml = sp ? (size_t)(sp - a) : n;
	if (ascii_ieq(a, ml, "PLAIN") && mech_offered(s, "PLAIN"))
		s->mech = MECH_PLAIN;
	else if (ascii_ieq(a, ml, "LOGIN") && mech_offered(s, "LOGIN"))
		s->mech = MECH_LOGIN;
	else if (ascii_ieq(a, ml, "CRAM-MD5") && mech_offered(s, "CRAM-MD5"))
		s->mech = MECH_CRAM;
	else {
		snprintf(reason, sizeof reason,
		    "This server offers only: %s.", s->p->auth_mechs ? s->p->auth_mechs : "none");
		error(s, 504, "5.5.4", "auth-unknown-mechanism", "RFC 4954 4",
		    reason, "Unrecognized authentication type");
		s->mech = MECH_NONE;
		return;
	}
	if (s->mech != MECH_CRAM && strcmp(s->p->plain_auth, "tls") == 0 &&
	    !s->tls) {
		s->mech = MECH_NONE;
		reply(s, 538, "5.7.11", "auth-needs-tls", "RFC 4954 6",
		    "This mechanism sends the password almost in clear; the server accepts it only inside TLS. Use STARTTLS first.",
		    "Encryption required for requested authentication mechanism");
		return;
	}
	s->auth_step = 0;
	if (s->mech == MECH_CRAM && sp) {
		s->mech = MECH_NONE;
		error(s, 501, "5.7.0", "auth-server-first", "RFC 4954 4",
		    "With CRAM-MD5 the server speaks first (its challenge): an initial response is not allowed.",
		    "Initial response not allowed for CRAM-MD5");
		return;
	}
	enter(s, SERVER_AUTH, "auth", "RFC 4954 4",
	    "the authentication exchange has begun");
	if (sp) {
		const char *ir = sp + 1;
		size_t il = n - ml - 1;

		if (il == 1 && ir[0] == '=')
			il = 0;	/* "=" is an empty initial response */
		auth_line(s, ir, il, 0);
		return;
	}
	if (s->mech == MECH_PLAIN)
		reply(s, 334, "", "auth-plain-prompt", "RFC 4954 4",
		    "An empty challenge: the client now sends its PLAIN credentials in base64.",
		    "");
	else if (s->mech == MECH_LOGIN)
		reply(s, 334, "", "auth-login-user", "RFC 4954 4",
		    "The server asks for the user name (\"Username:\" in base64).",
		    "VXNlcm5hbWU6");
	else {
		char b64[256];

		s->serial++;
		snprintf(s->challenge, sizeof s->challenge, "<%lu.%lu@%s>",
		    1000 + s->serial, 1700000000UL + s->serial, s->p->hostname);
		codec_b64_encode(s->challenge, strlen(s->challenge), b64, sizeof b64);
		reply(s, 334, "", "auth-cram-challenge", "RFC 2195 2",
		    "The server's challenge in base64; the client answers with its user name and an HMAC-MD5 of the challenge keyed with the password.",
		    b64);
	}
}

static void h_etrn(struct server *s, struct cmd *c)
{
	const char *a = c->arg;
	size_t n = c->arglen;
	char text[TEXT_MAX];
	const struct ref_world *w;
	int sub = 0;

	if (n == 0) {
		error(s, 501, "5.5.2", "etrn-syntax", "RFC 1985 5",
		    "ETRN needs the domain whose queue should be run, for example ETRN example.net.",
		    "Syntax: ETRN domain");
		return;
	}
	if (a[0] == '#') {
		snprintf(text, sizeof text, "Queuing for node %.*s started",
		    (int)n, a);
		reply(s, 250, "2.0.0", "etrn-queue", "RFC 1985 5",
		    "A named queue (# prefix): the server starts sending it.", text);
		return;
	}
	if (a[0] == '@') {
		sub = 1;
		a++;
		n--;
	}
	w = world(a, n);
	if (w == NULL || strchr(w->address, '@') ||
	    (strcmp(w->kind, "node") != 0 && strcmp(w->kind, "node-broken") != 0)) {
		snprintf(text, sizeof text, "Node %.*s not allowed", (int)n, a);
		reply(s, 459, "4.7.1", "etrn-not-allowed", "RFC 1985 5",
		    "This server keeps no queue for that domain, or will not run it for this client.",
		    text);
		return;
	}
	if (strcmp(w->kind, "node-broken") == 0) {
		snprintf(text, sizeof text, "Unable to queue messages for node %s", w->address);
		reply(s, 458, "4.3.0", "etrn-cannot", "RFC 1985 5",
		    "The queue exists, but the server cannot run it now; try later.",
		    text);
		return;
	}
	if (sub) {
		snprintf(text, sizeof text, "OK, pending messages for node %s started", w->address);
		reply(s, 252, "2.0.0", "etrn-subdomains", "RFC 1985 5",
		    "Delivery of the mail waiting for the domain and its subdomains has started.",
		    text);
	} else if (w->queue > 0) {
		snprintf(text, sizeof text, "OK, %ld pending messages for node %s started",
		    w->queue, w->address);
		reply(s, 253, "2.0.0", "etrn-started", "RFC 1985 5",
		    "Messages are waiting for that domain; the server starts sending them.",
		    text);
	} else {
		snprintf(text, sizeof text, "OK, no messages waiting for node %s", w->address);
		reply(s, 251, "2.0.0", "etrn-empty", "RFC 1985 5",
		    "Nothing is waiting for that domain.", text);
	}
}

/* ---- dispatch ------------------------------------------------------------ */

static const struct {
	const char *verb;
	handler *fn;
} handlers[] = {
	{ "AUTH", h_auth }, { "BDAT", h_bdat }, { "DATA", h_data },
	{ "EHLO", h_hello }, { "ETRN", h_etrn }, { "EXPN", h_expn },
	{ "HELO", h_hello }, { "HELP", h_help }, { "MAIL", h_mail },
	{ "NOOP", h_noop }, { "QUIT", h_quit }, { "RCPT", h_rcpt },
	{ "RSET", h_rset }, { "STARTTLS", h_starttls }, { "VRFY", h_vrfy },
};

static handler *find_handler(const char *verb)
{
	size_t i;

	for (i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
		if (strcmp(handlers[i].verb, verb) == 0)
			return handlers[i].fn;
	return NULL;
}

/* implemented - the persona implements the verb (in this TLS state) */
static int implemented(const struct server *s, const struct ref_command *row)
{
	if (strcmp(row->status, "required") == 0 || row->keyword[0] == 0)
		return 1;
	if (strcmp(row->verb, "EXPN") == 0)
		return on(s->p->expn);
	return persona_has(s, row->keyword);
}

int server_verb_allowed(const struct server *s, const char *verb)
{
	const struct ref_command *row = ref_command_find(verb, strlen(verb));
	const char *key = server_phase_key(s->phase);

	if (row == NULL || key == NULL || !find_handler(row->verb) ||
	    !implemented(s, row))
		return 0;
	if (strcmp(row->status, "extension") == 0 && s->ehlo == 2)
		return 0;
	/* a server that refuses EHLO, or hangs up on it, takes HELO only */
	if (strcmp(row->verb, "EHLO") == 0 && strcmp(s->p->ehlo, "accept") != 0)
		return 0;
	/* RFC 4954 4: once logged in, AUTH gets 503 */
	if (strcmp(row->verb, "AUTH") == 0 && s->authed)
		return 0;
	return ref_list_has(row->phases, key, strlen(key));
}

/* sequence_error - the verb may not be sent in this phase: 503 with the
 * rule that says so (or 554 for DATA after only refused recipients) */
static void sequence_error(struct server *s, const struct ref_command *row)
{
	const char *v = row->verb;
	enum server_phase ph = s->phase;

	if (ph == SERVER_GREETED) {
		char reason[TEXT_MAX];

		snprintf(reason, sizeof reason,
		    "%s comes after EHLO (or HELO): the client must say who it is first.", v);
		error(s, 503, "5.5.1", "helo-first", "RFC 5321 4.1.1.1; RFC 5321 4.1.4",
		    reason, "Error: send HELO/EHLO first");
	} else if (strcmp(v, "MAIL") == 0) {
		error(s, 503, "5.5.1", "nested-mail", "RFC 5321 4.1.4",
		    "A transaction is already open: finish it (DATA) or cancel it (RSET) before a new MAIL.",
		    "Error: nested MAIL command");
	} else if (strcmp(v, "RCPT") == 0 && ph == SERVER_BDAT) {
		error(s, 503, "5.5.1", "rcpt-after-bdat", "RFC 3030 2",
		    "The message is already being sent in chunks: recipients can no longer be added.",
		    "Error: RCPT after BDAT");
	} else if (strcmp(v, "RCPT") == 0) {
		error(s, 503, "5.5.1", "rcpt-before-mail", "RFC 5321 3.3",
		    "RCPT needs an open transaction: send MAIL FROM:<...> first.",
		    "Error: need MAIL command");
	} else if (strcmp(v, "DATA") == 0 && ph == SERVER_BDAT) {
		error(s, 503, "5.5.1", "data-after-bdat", "RFC 3030 2",
		    "DATA and BDAT cannot be mixed in one transaction; the state is now unclear, so send RSET.",
		    "Error: DATA after BDAT");
	} else if (strcmp(v, "DATA") == 0 && ph == SERVER_MAIL &&
	    s->t.tried > 0 && s->p->empty_data &&
	    strcmp(s->p->empty_data, "accept") == 0 &&
	    s->t.body != BODY_BINARYMIME) {
		/* an old server that does not look at the recipients before
		 * it invites the message: the client must send a lone dot
		 * (RFC 2920 3.1), and the end gets 554 */
		s->t.size = 0;
		s->prev_crlf = 1;
		enter(s, SERVER_DATA, "data-no-recipients", "RFC 2920 3.2",
		    "the message follows, although no recipient was accepted");
		reply(s, 354, "", "data-no-recipients", "RFC 2920 3.2; RFC 2920 3.1",
		    "This server invites the message without checking that a recipient was accepted (RFC 2920 3.2 says it SHOULD check). Every recipient was refused, so the client must send a lone dot, and no message.",
		    "End data with <CR><LF>.<CR><LF>");
	} else if ((strcmp(v, "DATA") == 0 || strcmp(v, "BDAT") == 0) &&
	    ph == SERVER_MAIL && s->t.tried > 0) {
		reply(s, 554, "5.5.1", "no-valid-recipients", "RFC 5321 3.3",
		    "Every recipient of this transaction was refused, so there is nobody to send the message to.",
		    "Error: no valid recipients");
	} else if (strcmp(v, "DATA") == 0 || strcmp(v, "BDAT") == 0) {
		error(s, 503, "5.5.1", ph == SERVER_MAIL ? "data-before-rcpt" : "data-before-mail",
		    "RFC 5321 3.3", ph == SERVER_MAIL ?
		    "The message needs at least one accepted recipient: send RCPT TO:<...> first." :
		    "The message needs a transaction: send MAIL FROM:<...> and RCPT TO:<...> first.",
		    ph == SERVER_MAIL ? "Error: need RCPT command" : "Error: need MAIL command");
	} else if (strcmp(v, "AUTH") == 0) {
		error(s, 503, "5.5.1", "auth-in-transaction", "RFC 4954 4",
		    "AUTH is not allowed during a mail transaction.",
		    "Error: MAIL transaction in progress");
	} else if (strcmp(v, "ETRN") == 0) {
		error(s, 503, "5.5.1", "etrn-in-transaction", "RFC 1985 5",
		    "ETRN is not allowed between MAIL and the end of the message.",
		    "Error: MAIL transaction in progress");
	} else {
		char reason[TEXT_MAX];

		snprintf(reason, sizeof reason,
		    "%s is not allowed while the session is %s.", v,
		    server_phase_str(ph));
		error(s, 503, "5.5.1", "bad-sequence", "RFC 5321 4.1.4", reason,
		    "Error: bad sequence of commands");
	}
}

/* syntax_rule - the rule of a refused command line: what kind of
 * mistake it is, so that a hint can say what to type */
static const char *syntax_rule(enum syntax_error e)
{
	if (e == SYNTAX_ERR_NO_ARGUMENT || e == SYNTAX_ERR_UNEXPECTED_ARGUMENT)
		return "syntax-argument";
	if (e == SYNTAX_ERR_FROM_EXPECTED || e == SYNTAX_ERR_TO_EXPECTED)
		return "syntax-from-to";
	if (e == SYNTAX_ERR_SPACE_AFTER_COLON)
		return "space-after-colon";
	if (e == SYNTAX_ERR_NO_BRACKETS)
		return "syntax-brackets";
	if (e >= SYNTAX_ERR_PATH && e <= SYNTAX_ERR_NON_ASCII)
		return "syntax-address";
	if (e >= SYNTAX_ERR_PARAM && e <= SYNTAX_ERR_DUPLICATE_PARAM)
		return "syntax-param";
	return "syntax";
}

/* syntax_reason - why the line was refused, for this verb */
static void syntax_reason(const struct ref_command *row, enum syntax_error e,
    char *reason, size_t size)
{
	if (row && e == SYNTAX_ERR_NO_ARGUMENT)
		snprintf(reason, size, "%s needs an argument after a space; its grammar is %.*s",
		    row->verb, (int)strcspn(row->syntax, "\n"), row->syntax);
	else if (row && e == SYNTAX_ERR_UNEXPECTED_ARGUMENT)
		snprintf(reason, size, "%s takes no argument: it is sent alone (%.*s).",
		    row->verb, (int)strcspn(row->syntax, "\n"), row->syntax);
	else
		snprintf(reason, size, "%c%s.",
		    ascii_upper((unsigned char)syntax_error_str(e)[0]),
		    syntax_error_str(e) + 1);
}

/* syntax_reply - 501 (or 500) for a command line the parser refused */
static void syntax_reply(struct server *s, const struct ref_command *row,
    enum syntax_error e)
{
	const char *enh = "5.5.2";
	char reason[TEXT_MAX];

	if (row && strcmp(row->verb, "MAIL") == 0 && e >= SYNTAX_ERR_NO_BRACKETS &&
	    e <= SYNTAX_ERR_NON_ASCII)
		enh = "5.1.7";
	else if (row && strcmp(row->verb, "RCPT") == 0 &&
	    e >= SYNTAX_ERR_NO_BRACKETS && e <= SYNTAX_ERR_NON_ASCII)
		enh = "5.1.3";
	syntax_reason(row, e, reason, sizeof reason);
	if (e == SYNTAX_ERR_LINE_TOO_LONG)
		error(s, 500, "5.5.6", "line-too-long", syntax_error_section(e),
		    reason, "Error: line too long");
	else if (e == SYNTAX_ERR_NUL || e == SYNTAX_ERR_BARE_CR)
		error(s, 500, "5.5.2", e == SYNTAX_ERR_NUL ? "nul" : "bare-cr",
		    syntax_error_section(e), reason,
		    "Error: command contains a control character");
	else if (e == SYNTAX_ERR_NON_ASCII && row &&
	    strcmp(row->verb, "RCPT") == 0 && s->t.smtputf8 == 0 &&
	    offers(s, "SMTPUTF8"))
		reply(s, 553, "5.6.7", "utf8-without-smtputf8", "RFC 6531 3.5",
		    "This address has non-ASCII characters: the MAIL command of the transaction must carry the SMTPUTF8 parameter.",
		    "Non-ASCII addresses not permitted without SMTPUTF8");
	else
		error(s, 501, enh, syntax_rule(e), syntax_error_section(e),
		    reason, "Syntax error in parameters or arguments");
}

/* unknown_verb - 500: the verb is not SMTP at all */
static void unknown_verb(struct server *s, const char *line, size_t len)
{
	char reason[TEXT_MAX];
	size_t i;

	for (i = 0; i < len && line[i] != ' ' && i < 40; i++)
		;
	if (len == 0 || line[0] == ' ' || line[0] == '\t')
		snprintf(reason, sizeof reason, len == 0 ?
		    "The line is empty: a command starts with a verb such as EHLO, MAIL or QUIT." :
		    "The line starts with white space: a command starts with its verb, with nothing before it.");
	else if (i > 0 && line[i - 1] == ':')
		snprintf(reason, sizeof reason,
		    "\"%.*s\" looks like a message header: headers belong inside DATA, after the 354 reply.",
		    (int)i, line);
	else
		snprintf(reason, sizeof reason,
		    "\"%.*s\" is not an SMTP command this server knows.", (int)i,
		    line);
	error(s, 500, "5.5.1", "unknown-verb", "RFC 5321 4.2.4", reason,
	    "Error: command not recognized");
}

/* not_offered - 502 for a verb the persona does not implement here */
static void not_offered(struct server *s, const struct ref_command *row)
{
	char reason[TEXT_MAX];
	const char *rule = "not-implemented", *section = "RFC 5321 4.2.4";

	if (strcmp(row->status, "obsolete") == 0) {
		rule = "obsolete";
		section = strcmp(row->verb, "TURN") == 0 ? "RFC 5321 F.1" : "RFC 5321 F.6";
		snprintf(reason, sizeof reason, strcmp(row->verb, "TURN") == 0 ?
		    "TURN let the client take the server's role without any proof of identity; RFC 5321 retired it, and servers refuse it." :
		    "%s delivered to a terminal instead of (or as well as) a mailbox; nobody uses it now, and RFC 5321 retired it.",
		    row->verb);
	} else if (strcmp(row->status, "vendor") == 0 && persona_has(s, row->keyword)) {
		rule = "vendor-verb";
		snprintf(reason, sizeof reason,
		    "%s is a private command between servers of one vendor; the simulated server announces it as that vendor does, but only such peers use it.",
		    row->verb);
	} else if (strcmp(row->status, "extension") == 0 && s->ehlo == 2 &&
	    persona_has(s, row->keyword)) {
		rule = "not-negotiated";
		section = "RFC 5321 2.2.1";
		snprintf(reason, sizeof reason,
		    "%s belongs to the %s extension, and extensions exist only after EHLO; this session began with HELO.",
		    row->verb, row->keyword);
	} else if (!s->tls && row->keyword[0] &&
	    ref_list_has_ci(s->p->keywords_tls, row->keyword, strlen(row->keyword))) {
		snprintf(reason, sizeof reason,
		    "This server offers %s only inside TLS: send STARTTLS, then EHLO again, and %s will be listed.",
		    row->verb, row->keyword);
	} else {
		snprintf(reason, sizeof reason,
		    "%s is a known command, but this server does not offer it%s.",
		    row->verb, row->keyword[0] ? " (its EHLO reply does not list it)" : "");
	}
	error(s, 502, "5.5.1", rule, section, reason,
	    "Error: command not implemented");
}

/* auth_exempt - RFC 4954 6: the commands a server requiring AUTH still
 * accepts (and STARTTLS, so that AUTH can be protected) */
static int auth_exempt(const char *v)
{
	return strcmp(v, "AUTH") == 0 || strcmp(v, "EHLO") == 0 ||
	    strcmp(v, "HELO") == 0 || strcmp(v, "NOOP") == 0 ||
	    strcmp(v, "RSET") == 0 || strcmp(v, "QUIT") == 0 ||
	    strcmp(v, "STARTTLS") == 0;
}

/* tls_exempt - RFC 3207 4: the commands a server requiring TLS accepts */
static int tls_exempt(const char *v)
{
	return strcmp(v, "NOOP") == 0 || strcmp(v, "EHLO") == 0 ||
	    strcmp(v, "STARTTLS") == 0 || strcmp(v, "QUIT") == 0;
}

/* parse_bdat - "BDAT" SP chunk-size [ SP end-marker ] (RFC 3030 3), a
 * is what follows "BDAT".  The count is read as far as 64 bits go (a
 * chunk of 1000000000 octets is read and thrown away like any other);
 * blanks around the words are taken as Postfix takes them.  -1 when
 * the count cannot be known. */
static int parse_bdat(const char *a, size_t n, uint64_t *count, int *last)
{
	size_t i = 0, d;
	uint64_t v = 0;

	while (i < n && (a[i] == ' ' || a[i] == '\t'))
		i++;
	for (d = i; i < n && ascii_is_digit((unsigned char)a[i]); i++) {
		unsigned digit = (unsigned)(a[i] - '0');

		if (v > (UINT64_MAX - digit) / 10)
			return -1;	/* past 2^64 - 1: no count */
		v = v * 10 + digit;
	}
	if (i == d)
		return -1;
	*count = v;
	*last = 0;
	while (i < n && (a[i] == ' ' || a[i] == '\t'))
		i++;
	if (i + 4 <= n && ascii_ieq(a + i, 4, "LAST") && (i + 4 == n ||
	    a[i + 4] == ' ' || a[i + 4] == '\t')) {
		*last = 1;
		i += 4;
	}
	while (i < n && (a[i] == ' ' || a[i] == '\t'))
		i++;
	return i == n ? 0 : -1;
}

/* bdat_unknown - a BDAT whose chunk size cannot be read: the octets
 * that follow are a chunk of unknown length, so whatever the server
 * read next as a command would be the client's data (the chunking form
 * of smuggling).  It closes, as Postfix does (with 521 where RFC 5321
 * 3.8 has 421) */
static void bdat_unknown(struct server *s)
{
	s->cur_verb = "BDAT";
	replyf(s, 421, "4.5.4", "bdat-syntax", "RFC 3030 3; RFC 5321 3.8",
	    "BDAT needs the exact size of the chunk that follows, and optionally LAST: BDAT 1000 LAST. Without it the server cannot tell where the chunk ends, and reading its octets as commands would let a client smuggle them, so it closes the connection.",
	    "%s Syntax: BDAT count [LAST], closing connection", s->p->hostname);
	close_session(s, "bdat-syntax", "RFC 3030 3",
	    "the chunk's end cannot be known");
}

/* command - one complete command line (without CRLF) */
static void command(struct server *s, const char *line, size_t len)
{
	struct cmd c;
	enum syntax_error e;
	struct syntax_opts o = { 0, 0, 0 };
	handler *fn;
	char verb[16];
	size_t vl, i;

	memset(&c, 0, sizeof c);
	s->cur_verb = "";
	for (vl = 0; vl < len && vl < sizeof verb - 1 &&
	    (ascii_is_alnum((unsigned char)line[vl]) || line[vl] == '-'); vl++)
		verb[vl] = (char)ascii_upper((unsigned char)line[vl]);
	verb[vl] = 0;
	c.row = vl ? ref_command_find(verb, vl) : NULL;
	if (c.row && vl < len && line[vl] != ' ' && line[vl] != '\t')
		c.row = NULL;
	if (c.row)
		s->cur_verb = c.row->verb;

	/* a refused session answers nothing but QUIT (RFC 5321 3.1, RFC 7504 3) */
	if (s->phase == SERVER_REFUSED && !(c.row && strcmp(c.row->verb, "QUIT") == 0)) {
		if (s->p->greeting == 521)
			reply(s, 521, "5.3.2", "nomail", "RFC 7504 3",
			    "This host does not accept mail at all; only QUIT is useful now.",
			    "This host does not accept mail");
		else
			reply(s, 503, "5.5.1", "refused", "RFC 5321 3.1",
			    "The server refused service in its greeting (554); it waits for QUIT and answers everything else with 503.",
			    "Error: no service, send QUIT");
		return;
	}
	/* a NUL or a bare CR makes the whole line invalid, whatever its verb
	 * (RFC 5321 2.3.8, 4.1.1; security-cases L6: never read a line as
	 * if it ended at the NUL) */
	if (memchr(line, 0, len) != NULL || memchr(line, '\r', len) != NULL) {
		syntax_reply(s, c.row, memchr(line, 0, len) ? SYNTAX_ERR_NUL :
		    SYNTAX_ERR_BARE_CR);
		return;
	}
	/* too long for any command: 500 before looking further (RFC 5321
	 * 4.5.3.1.4; security-cases L1) */
	if (len + 2 > line_max(s, c.row ? c.row->verb : "")) {
		syntax_reply(s, c.row, SYNTAX_ERR_LINE_TOO_LONG);
		return;
	}
	if (c.row == NULL) {
		unknown_verb(s, line, len);
		return;
	}
	if (s->phase == SERVER_REFUSED) {	/* QUIT */
		h_quit(s, &c);
		return;
	}
	if (fault(s, c.row->verb))
		return;

	/* EHLO at a server that predates it, or that drops the connection */
	if (strcmp(c.row->verb, "EHLO") == 0 && strcmp(s->p->ehlo, "accept") != 0) {
		if (strcmp(s->p->ehlo, "hangup") == 0) {
			note(s, SERVER_EV_NOTE, "ehlo-hangup", "RFC 5321 3.2",
			    "This server drops the connection when it sees EHLO. A client must connect again and use HELO.");
			close_session(s, "ehlo-hangup", "RFC 5321 3.2",
			    "the server hung up on EHLO");
			return;
		}
		s->cur_verb = "";
		error(s, 500, "5.5.1", "ehlo-unknown", "RFC 5321 3.2",
		    "This server predates extended SMTP and does not know EHLO. Send HELO instead.",
		    "Command unrecognized: EHLO");
		return;
	}
	/* STARTTLS once TLS is on (RFC 3207 4.2; the code is Postfix's) */
	if (strcmp(c.row->verb, "STARTTLS") == 0 && s->tls) {
		error(s, 554, "5.5.1", "tls-already-active", "RFC 3207 4.2",
			"TLS is already active; STARTTLS may be used only once.",
			"Error: TLS already active");
		return;
	}
	/* before EHLO (or HELO), a command that needs it is out of sequence,
	 * whatever the TLS and AUTH policies: the client says who it is
	 * first (RFC 5321 4.1.4), as Postfix answers too */
	if (s->phase == SERVER_GREETED && !ref_list_has(c.row->phases, "greeted", 7) &&
	    find_handler(c.row->verb) && strcmp(c.row->status, "obsolete") != 0) {
		sequence_error(s, c.row);
		return;
	}
	/* RFC 3207 4: a server requiring TLS "SHOULD reply to every command
	 * other than NOOP, EHLO, STARTTLS, or QUIT" with 530, also to
	 * commands it offers only inside TLS (AUTH) */
	if (strcmp(s->p->tls_policy, "required") == 0 && !s->tls &&
	    !tls_exempt(c.row->verb)) {
		error(s, 530, "5.7.0", "tls-required", "RFC 3207 4",
		    "This server accepts nothing but EHLO, STARTTLS, NOOP and QUIT before TLS is active.",
		    "Must issue a STARTTLS command first");
		return;
	}
	fn = find_handler(c.row->verb);
	if (fn == NULL || strcmp(c.row->status, "obsolete") == 0 ||
	    !implemented(s, c.row) ||
	    (s->ehlo == 2 && strcmp(c.row->status, "extension") == 0)) {
		not_offered(s, c.row);
		return;
	}
	if (strcmp(s->p->auth_policy, "always") == 0 && !s->authed &&
	    !auth_exempt(c.row->verb)) {
		error(s, 530, "5.7.0", "auth-required", "RFC 4954 6",
		    "This server serves only users who logged in: AUTH first.",
		    "Authentication required");
		return;
	}
	/* the phase, from the verb's row in data/commands.rec */
	{
		const char *key = server_phase_key(s->phase);

		if (key == NULL || !ref_list_has(c.row->phases, key, strlen(key))) {
			sequence_error(s, c.row);
			return;
		}
	}
	o.smtputf8 = strcmp(c.row->verb, "RCPT") == 0 ? s->t.smtputf8 :
	    offers(s, "SMTPUTF8");
	o.lenient = strcmp(s->p->bare_lf, "reject") != 0;
	o.line_max = line_max(s, c.row->verb);
	e = syntax_parse_command(line, len, &o, &c.sc);
	if (e != SYNTAX_OK) {
		syntax_reply(s, c.row, e);
		return;
	}
	if (c.sc.lenient_space_after_colon)
		note(s, SERVER_EV_WARNING, "space-after-colon", "RFC 5321 4.1.2",
		    "There should be no space between the colon and the <: this server tolerates it, a strict one answers 501.");
	c.arg = c.sc.arg.p ? c.sc.arg.p : "";
	c.arglen = c.sc.arg.len;
	while (c.arglen > 0 && (c.arg[c.arglen - 1] == ' ' ||
	    c.arg[c.arglen - 1] == '\t'))
		c.arglen--;
	for (i = 0; i < c.arglen && c.arg[i] == ' '; i++)
		;
	c.arg += i;
	c.arglen -= i;
	fn(s, &c);
}

/* bdat_done - the whole chunk of a BDAT command has arrived: now the
 * command itself is checked and answered */
static void bdat_done(struct server *s)
{
	s->bdat_pending = 0;
	command(s, s->bdat_cmd, s->bdat_cmdlen);
}

/* is_bdat - the line is a BDAT command to a server that announced
 * CHUNKING (to any other, BDAT is an unknown command and the octets after
 * it are commands) */
static int is_bdat(const struct server *s, const char *line, size_t len)
{
	return len >= 4 && ascii_ieq(line, 4, "BDAT") && (len == 4 ||
	    line[4] == ' ' || line[4] == '\t') && offers(s, "CHUNKING") &&
	    memchr(line, 0, len) == NULL;
}

/* line_done - a whole line is in s->line (without LF); crlf tells
 * whether it ended in CRLF.  When the line overflowed, s->line holds
 * only its beginning, and the CR (if any) was not kept. */
static void line_done(struct server *s, int crlf)
{
	size_t len = s->linelen;
	int overflow = s->overflow;
	size_t total = s->linetotal;

	s->linelen = 0;
	s->overflow = 0;
	s->linetotal = 0;
	if (crlf) {
		total--;	/* the CR */
		if (!overflow)
			len--;
	}
	if (s->phase == SERVER_DATA) {
		data_line(s, s->line, len, total, crlf);
		return;
	}
	if (!crlf) {
		if (strcmp(s->p->bare_lf, "reject") == 0) {
			/* a bare LF is no line end (RFC 5321 2.3.8), so there
			 * is no command to answer: like Postfix with
			 * smtpd_forbid_bare_newline, the strict server says
			 * why and hangs up, and never reads what follows the
			 * LF as a command.  421 is how a server closes a
			 * connection it must not keep (RFC 5321 3.8). */
			s->cur_verb = s->phase == SERVER_AUTH ? "AUTH" : "";
			replyf(s, 421, "4.5.0", "bare-lf-command",
			    "RFC 5321 2.3.8; RFC 5321 3.8",
			    "A bare LF is not a line end in SMTP, and a strict server will not guess where the command ends: it refuses the input and closes the connection, so nothing after the LF is ever read as a command.",
			    "%s Error: bare <LF> received, closing connection",
			    s->p->hostname);
			close_session(s, "bare-lf-command", "RFC 5321 3.8",
			    "a bare LF in a command");
			return;
		}
		note(s, SERVER_EV_WARNING, "bare-lf-command", "RFC 5321 2.3.8",
		    "This line ended in a bare LF; SMTP lines end in CRLF. The server tolerates it.");
	}
	if (s->phase == SERVER_AUTH) {
		auth_line(s, s->line, len, overflow);
		return;
	}
	if (overflow && is_bdat(s, s->line, len)) {
		bdat_unknown(s);	/* its count may be past the buffer */
		return;
	}
	if (overflow) {
		s->cur_verb = "";
		error(s, 500, "5.5.6", "line-too-long", "RFC 5321 4.5.3.1.4",
		    "The command line was far longer than 512 octets; the server threw it away.",
		    "Error: line too long");
		return;
	}
	/* a BDAT command: its chunk follows at once, and the server reads
	 * it before answering, even to refuse it (RFC 3030 2).  Only a
	 * server that announced CHUNKING knows this; to any other, BDAT is
	 * an unknown command and the octets after it are commands. */
	if (is_bdat(s, s->line, len)) {
		uint64_t count;
		int last, n;

		if (parse_bdat(s->line + 4, len - 4, &count, &last) != 0) {
			bdat_unknown(s);
			return;
		}
		/* the command as the rest of the server reads it, once its
		 * chunk is in */
		n = snprintf(s->bdat_cmd, sizeof s->bdat_cmd, "BDAT %" PRIu64 "%s",
		    count, last ? " LAST" : "");
		s->bdat_cmdlen = n > 0 ? (size_t)n : 0;
		s->bdat_pending = 1;
		s->bdat_left = count;
		s->bdat_count = count;
		s->bdat_last = last;
		if (count == 0)
			bdat_done(s);	/* "BDAT 0 LAST": no chunk to wait for */
		return;
	}
	command(s, s->line, len);
}

/* pipelining_check - more input follows a command in the same read: fine
 * only when PIPELINING was announced and the command may be in a group's
 * middle (RFC 2920 3.1) */
static void pipelining_check(struct server *s, const char *verb, int more)
{
	const struct ref_command *row;

	if (!more || s->phase == SERVER_CLOSED)
		return;
	row = ref_command_find(verb, strlen(verb));
	if (!offers(s, "PIPELINING")) {
		note(s, SERVER_EV_WARNING, "pipelining-not-offered", "RFC 2920 3",
		    "The client sent more before the reply to %s, but this server did not announce PIPELINING: a client must wait for each reply.",
		    verb[0] ? verb : "that command");
	} else if (row && strcmp(row->pipelining, "last") == 0 &&
	    !(strcmp(verb, "AUTH") == 0 && s->phase != SERVER_AUTH)) {
		note(s, SERVER_EV_WARNING, "pipelining-not-last", "RFC 2920 3.1",
		    "%s must be the last command of a pipelined group: the client must wait for its reply before sending more.",
		    verb);
	}
}

/* lost - a drop fault hit: the command took effect, but the connection
 * breaks before its reply reaches the client */
static void lost(struct server *s)
{
	int code = s->lost_code;
	const char *verb = s->cur_verb ? s->cur_verb : "";

	s->dropping = 0;
	if (s->phase == SERVER_CLOSED)
		return;
	if (code == 250 && (strcmp(verb, "DATA-END") == 0 ||
	    strcmp(verb, "BDAT") == 0))
		note(s, SERVER_EV_NOTE, "connection-lost", "RFC 5321 3.8; RFC 5321 6.1",
		    "The server accepted the message and took responsibility for it, but the connection broke before its 250 reached the client. The client cannot tell: it must treat this as a temporary failure and send the message again, so the recipient may get it twice.");
	else
		note(s, SERVER_EV_NOTE, "connection-lost", "RFC 5321 3.8",
		    "The connection broke before the server's reply (%d) reached the client. The client must treat the command as if it had got a temporary failure.",
		    code);
	close_session(s, "connection-lost", "RFC 5321 3.8",
	    "the connection broke");
}

int server_feed(struct server *s, const char *buf, size_t len)
{
	size_t i = 0;

	s->discarding = 0;	/* new input: it came after the handshake */
	if (s->phase == SERVER_CLOSED)
		return -1;
	while (i < len && s->phase != SERVER_CLOSED) {
		if (s->bdat_pending) {
			size_t n = len - i < s->bdat_left ? len - i :
			    (size_t)s->bdat_left;

			if (n > 0 && s->reader.chunk)
				s->reader.chunk(s->reader.ctx, buf + i, n);
			i += n;
			s->bdat_left -= n;
			if (s->bdat_left == 0) {
				bdat_done(s);
				if (s->dropping)
					lost(s);
				pipelining_check(s, "BDAT", i < len);
			}
			continue;
		}
		{
			const char *lf = memchr(buf + i, '\n', len - i);
			size_t n = lf ? (size_t)(lf - (buf + i)) : len - i;
			size_t room = sizeof s->line - s->linelen;
			int crlf;
			const char *verb;

			if (n > room) {
				s->overflow = 1;
				memcpy(s->line + s->linelen, buf + i, room);
				s->linelen += room;
			} else {
				memcpy(s->line + s->linelen, buf + i, n);
				s->linelen += n;
			}
			if (n > 0)	/* the CR of a CRLF may end the previous read */
				s->last_cr = buf[i + n - 1] == '\r';
			s->linetotal += n;
			i += n;
			if (!lf)
				break;
			i++;	/* the LF */
			crlf = s->last_cr;
			s->last_cr = 0;
			{
				enum server_phase before = s->phase;

				if (s->reader.line)
					s->reader.line(s->reader.ctx, s->line,
					    s->linelen - (crlf && !s->overflow),
					    s->linetotal - (size_t)crlf, crlf);
				line_done(s, crlf);
				if (s->dropping)
					lost(s);
				verb = s->cur_verb ? s->cur_verb : "";
				if (s->discard) {
					s->discard = 0;
					s->discarding = 1;
					if (i < len)
						emit(s, SERVER_EV_DISCARD, s->phase, s->phase,
						    "starttls-discard", "RFC 3207 4.2; RFC 3207 6",
						    "Input that arrived with STARTTLS, before the TLS handshake, was thrown away: it was sent in clear and could have been injected by an attacker (CVE-2011-0411).",
						    len - i);
					return s->phase == SERVER_CLOSED ? -1 : 0;
				}
				if (before != SERVER_DATA && s->phase != SERVER_DATA &&
				    !s->bdat_pending)
					pipelining_check(s, verb, i < len);
				else if (before != SERVER_DATA && s->phase == SERVER_DATA)
					pipelining_check(s, "DATA", i < len);
				else if (before == SERVER_DATA && s->phase != SERVER_DATA &&
				    !offers(s, "PIPELINING"))
					pipelining_check(s, "DATA-END", i < len);
				if (s->sink.line_done)
					s->sink.line_done(s->sink.ctx);
			}
		}
	}
	return s->phase == SERVER_CLOSED ? -1 : 0;
}

int server_discarding(const struct server *s)
{
	return s->discarding && s->phase != SERVER_CLOSED;
}

void server_discard(struct server *s, size_t len)
{
	if (!server_discarding(s) || len == 0)
		return;
	emit(s, SERVER_EV_DISCARD, s->phase, s->phase, "starttls-discard",
	    "RFC 3207 5",
	    "Input that was already waiting when the server accepted STARTTLS was thrown away, although it came in a later read: it was sent in clear before the TLS handshake and could have been injected by an attacker (CVE-2011-0411).",
	    len);
}

/* ---- session life ------------------------------------------------------- */

struct server *server_new(const struct ref_persona *p,
    struct server_memory *mem, const struct server_sink *sink)
{
	struct server *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->p = p ? p : ref_persona_find("modern", 6);
	s->mem = mem ? mem : &s->own;
	if (sink)
		s->sink = *sink;
	s->phase = SERVER_CONNECTED;
	txn_reset(s);
	return s;
}

void server_free(struct server *s)
{
	free(s);
}

void server_watch(struct server *s, const struct server_reader *r)
{
	memset(&s->reader, 0, sizeof s->reader);
	if (r)
		s->reader = *r;
}

void server_tls_from_start(struct server *s)
{
	if (s->phase == SERVER_CONNECTED)
		s->tls = 1;
}

void server_start(struct server *s)
{
	if (s->phase != SERVER_CONNECTED)
		return;
	s->cur_verb = "CONNECT";
	if (s->p->greeting == 421) {
		replyf(s, 421, "", "greeting-busy", "RFC 5321 3.8; RFC 5321 4.2.2",
		    "The server cannot take the connection now (too busy, or going down): it says 421 at once and closes. The client tries again later, or another MX host.",
		    "%s %s", s->p->hostname, s->p->banner);
		close_session(s, "greeting-busy", "RFC 5321 3.8",
		    "the server is not available");
		return;
	}
	if (s->p->greeting == 220) {
		enter(s, SERVER_GREETED, "greeting", "RFC 5321 3.1",
		    "the server is ready");
		replyf(s, 220, "", "greeting", "RFC 5321 3.1; RFC 5321 4.3.1",
		    "The server is ready. The client speaks next, with EHLO (or HELO).",
		    "%s %s", s->p->hostname, s->p->banner);
	} else {
		enter(s, SERVER_REFUSED, "greeting-refused",
		    s->p->greeting == 521 ? "RFC 7504 3" : "RFC 5321 3.1",
		    "the server refuses service");
		replyf(s, s->p->greeting, "", "greeting-refused",
		    s->p->greeting == 521 ? "RFC 7504 3" : "RFC 5321 3.1",
		    s->p->greeting == 521 ?
		    "This host never accepts mail (521). The client should send QUIT and not try again." :
		    "The server refuses to serve this client (554). It will wait for QUIT; other commands get 503.",
		    "%s %s", s->p->hostname, s->p->banner);
	}
}

void server_eof(struct server *s)
{
	if (s->phase == SERVER_CLOSED)
		return;
	if (s->phase == SERVER_DATA || s->phase == SERVER_BDAT ||
	    s->bdat_pending || s->phase == SERVER_MAIL || s->phase == SERVER_RCPT)
		note(s, SERVER_EV_WARNING, "dropped-in-transaction", "RFC 5321 3.8",
		    "The client closed the connection in the middle of a transaction: the message is not delivered.");
	else
		note(s, SERVER_EV_WARNING, "dropped", "RFC 5321 4.1.1.10",
		    "The client closed the connection without QUIT.");
	close_session(s, "dropped", "RFC 5321 3.8", "the client went away");
}

static void say_421(struct server *s, const char *enh, const char *rule,
    const char *why, const char *text)
{
	if (s->phase == SERVER_CLOSED)
		return;
	s->cur_verb = "";
	replyf(s, 421, enh, rule, "RFC 5321 3.8; RFC 5321 4.2.2", why, "%s %s",
	    s->p->hostname, text);
	close_session(s, rule, "RFC 5321 3.8", why);
}

void server_timeout(struct server *s)
{
	say_421(s, "4.4.2", "timeout",
	    "The client said nothing for too long; the server gives up (RFC 5321 4.5.3.2.7 asks it to wait at least 5 minutes).",
	    "Error: timeout exceeded");
}

void server_wait(struct server *s, unsigned long seconds)
{
	server_memory_wait(s->mem, seconds);
	if (s->phase != SERVER_CLOSED && seconds >= SERVER_IDLE_TIMEOUT)
		server_timeout(s);
}

void server_shutdown(struct server *s)
{
	say_421(s, "4.3.2", "shutdown",
	    "The server is shutting down; a client must try again later.",
	    "Service not available, closing transmission channel");
}

/* ---- queries ------------------------------------------------------------ */

enum server_phase server_phase(const struct server *s) { return s->phase; }
const struct ref_persona *server_persona(const struct server *s) { return s->p; }
int server_tls_active(const struct server *s) { return s->tls; }
int server_authenticated(const struct server *s) { return s->authed; }
int server_ehlo_used(const struct server *s) { return s->ehlo; }
size_t server_rcpt_count(const struct server *s) { return s->t.nrcpt; }

const char *server_last_sender(const struct server *s)
{
	return s->have_from ? s->last_from : NULL;
}

int server_offers(const struct server *s, const char *keyword)
{
	char kw[32];
	size_t i, n = strlen(keyword);

	if (n >= sizeof kw)
		return 0;
	for (i = 0; i <= n; i++)
		kw[i] = (char)ascii_upper((unsigned char)keyword[i]);
	return offers(s, kw);
}

const char *server_keywords(const struct server *s)
{
	return keywords(s);
}

int server_reply_allowed(const char *verb, int code)
{
	char c[4];
	const struct ref_command *row;
	const struct ref_code *rc;

	if (code < 200 || code > 599)
		return 0;
	snprintf(c, sizeof c, "%d", code);
	if (code == 421)
		return 1;
	/* RFC 5321 4.3.2: 500 and 501 answer a command line; the greeting
	 * answers none */
	if ((code == 500 || code == 501) && strcmp(verb, "CONNECT") != 0)
		return 1;
	if (strcmp(verb, "CONNECT") == 0 || strcmp(verb, "DATA-END") == 0) {
		rc = ref_code_find(code);
		return rc && (ref_list_has(rc->commands, verb, strlen(verb)) ||
		    ref_list_has(rc->ext_commands, verb, strlen(verb)));
	}
	row = ref_command_find(verb, strlen(verb));
	if (row == NULL)
		return 0;
	return ref_list_has(row->success, c, 3) ||
	    ref_list_has(row->intermediate, c, 3) ||
	    ref_list_has(row->errors, c, 3);
}
