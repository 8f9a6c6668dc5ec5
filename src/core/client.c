/* SPDX-License-Identifier: GPL-3.0-or-later */
/* client.c - a conforming SMTP client's state machine
 *
 * RFC 5321 (SMTP), 1870 (SIZE), 2034 (ENHANCEDSTATUSCODES), 2920
 * (PIPELINING), 3030 (CHUNKING), 3207 (STARTTLS), 3461 (DSN), 4954 (AUTH,
 * with PLAIN from RFC 4616, LOGIN and CRAM-MD5 from RFC 2195), 6152
 * (8BITMIME), 6531 (SMTPUTF8), 6647 (greylisting), 7504 (521).
 *
 * Every command the client sends, or sees the user send, is a "unit" in a
 * FIFO of commands awaiting replies.  Each reply goes through
 * client_reply(): it is checked line by line (validate), matched to the
 * oldest unit (RFC 2920 3.1: a client counts replies, it never matches
 * them by text), compared with what the shadow server answered to the
 * same bytes, and only then acted on.  When the FIFO is empty, decide()
 * picks the next step from what the client knows; compose() turns that
 * step into bytes.  The phase changes in one place, set_phase().
 *
 * The shadow is a simulated server (server.c) with the scenario's
 * persona.  It is fed unit by unit, so each of its replies belongs to one
 * unit.  When the real server's answer falls in another class than the
 * shadow's, the two sessions no longer agree, so comparisons pause until
 * both are back in a state without a transaction.
 */
#include <config.h>

#include "core/client.h"

#include "core/ascii.h"
#include "core/codec.h"
#include "core/reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_MAX 160		/* units awaiting replies: MAIL, 100 RCPT, DATA fit */
#define RCPT_MAX 256		/* recipients of one scenario */
#define RCPT_PER_TXN 100	/* RFC 5321 4.5.3.1.8: servers buffer at least 100 */
#define TXN_MAX 8		/* transactions in one session */
#define RETRY_MAX 1		/* new connections for deferred recipients */
#define RETRY_DELAY 1800	/* seconds before that retry (RFC 5321 4.5.4.1) */
#define KW_MAX 64		/* EHLO keywords kept */
#define KW_LEN 32
#define MECHS_MAX 512		/* the AUTH line's mechanisms */
#define LINE_CAP 2048		/* longer reply lines are read only this far */
#define CHUNK 40		/* BDAT chunk size: a short message makes a few */
#define CMD_MAX 4400		/* one command line we compose */
#define AUTH_LINE_MAX 1400
#define AUTH_ROUNDS_MAX 4
#define TEXT_MAX 1024

enum {
	OPT_PIPELINING = 1 << 0,
	OPT_STARTTLS = 1 << 1,
	OPT_AUTH = 1 << 2,
	OPT_BDAT = 1 << 3,
	OPT_HELO_ONLY = 1 << 4,
	OPT_8BIT = 1 << 5,
	OPT_SMTPUTF8 = 1 << 6,
	OPT_SIZE = 1 << 7,
	OPT_DSN = 1 << 8
};

static const struct {
	const char *name;
	unsigned bit;
} option_names[] = {
	{ "pipelining", OPT_PIPELINING }, { "starttls", OPT_STARTTLS },
	{ "auth", OPT_AUTH }, { "bdat", OPT_BDAT },
	{ "helo-only", OPT_HELO_ONLY }, { "8bit", OPT_8BIT },
	{ "smtputf8", OPT_SMTPUTF8 }, { "size", OPT_SIZE }, { "dsn", OPT_DSN },
};

/* Things the client explains once per session (bits of told). */
enum {
	TOLD_SIZE = 1 << 0,
	TOLD_8BIT = 1 << 1,
	TOLD_UTF8 = 1 << 2,
	TOLD_DSN = 1 << 3,
	TOLD_PIPELINING = 1 << 4,
	TOLD_BDAT = 1 << 5,
	TOLD_QUEUE = 1 << 6,
	TOLD_BAD_EHLO = 1 << 7
};

/* What a unit is: the verb its reply is checked against. */
enum kind {
	K_CONNECT, K_EHLO, K_HELO, K_STARTTLS, K_AUTH, K_MAIL, K_RCPT, K_DATA,
	K_DATA_END, K_BDAT, K_RSET, K_QUIT, K_OTHER, K_LAST
};

static const struct {
	const char *verb;
	enum client_phase phase;
} kinds[] = {
	[K_CONNECT] = { "CONNECT", CLIENT_GREETING },
	[K_EHLO] = { "EHLO", CLIENT_EHLO },
	[K_HELO] = { "HELO", CLIENT_HELO },
	[K_STARTTLS] = { "STARTTLS", CLIENT_STARTTLS },
	[K_AUTH] = { "AUTH", CLIENT_AUTH },
	[K_MAIL] = { "MAIL", CLIENT_MAIL },
	[K_RCPT] = { "RCPT", CLIENT_RCPT },
	[K_DATA] = { "DATA", CLIENT_DATA },
	[K_DATA_END] = { "DATA-END", CLIENT_MESSAGE },
	[K_BDAT] = { "BDAT", CLIENT_BDAT },
	[K_RSET] = { "RSET", CLIENT_RSET },
	[K_QUIT] = { "QUIT", CLIENT_QUIT },
	[K_OTHER] = { "", CLIENT_OTHER },
};
_Static_assert(sizeof kinds / sizeof kinds[0] == K_LAST, "one row per kind");

/* A unit awaiting its reply, with the shadow server's answer to it. */
struct pending {
	enum kind kind;
	char verb[16];
	int rcpt;		/* K_RCPT: index in rcpts */
	int last;		/* K_BDAT: the LAST chunk */
	int sh_code;		/* 0: the shadow did not answer */
	int sh_closed;		/* it closed the connection instead */
	char sh_enh[16];
	char sh_rule[48];
	char sh_section[64];
	char sh_reason[400];
	char sh_text[160];	/* its first line's text (a 334 challenge) */
	int user;		/* tracking: the user sent it */
};

enum rstate {
	R_PENDING,		/* to be sent in a coming transaction */
	R_SENT,			/* RCPT sent, no reply yet */
	R_ACCEPTED,		/* 250/251 in the open transaction */
	R_DELIVERED,		/* the message was accepted for it */
	R_DEFERRED,		/* a 4xx: a real client tries again later */
	R_FAILED		/* a 5xx: final */
};

struct rcpt {
	const char *addr;	/* in the scenario's To list */
	size_t len;
	enum rstate st;
};

enum step {
	STEP_NONE, STEP_HELLO, STEP_STARTTLS, STEP_AUTH, STEP_AUTH_LINE,
	STEP_MAIL, STEP_RCPT, STEP_DATA, STEP_MESSAGE, STEP_BDAT, STEP_RSET,
	STEP_QUIT
};

/* Where the client is in a transaction. */
enum stage {
	STAGE_SESSION,		/* no transaction */
	STAGE_RCPT,		/* MAIL sent; recipients follow */
	STAGE_DATA,		/* DATA sent */
	STAGE_MESSAGE,		/* the message (or a lone dot) sent */
	STAGE_BDAT,		/* chunks being sent */
	STAGE_RSET		/* RSET sent after a failed transaction */
};

enum mech { MECH_NONE, MECH_CRAM, MECH_PLAIN, MECH_LOGIN };
enum auth_state { AUTH_NOT_YET, AUTH_RUNNING, AUTH_OK, AUTH_SKIPPED };

struct client {
	const struct ref_scenario *sc;	/* NULL: tracking */
	struct client_sink sink;
	enum client_phase phase;
	unsigned opts;
	unsigned told;

	/* what the client knows of the session */
	int greeted;		/* a 2xx greeting arrived */
	int refused;		/* 554 or 521 greeting: 521 */
	int hello;		/* 0 none, 1 EHLO accepted, 2 HELO accepted */
	int use_helo;		/* send HELO: helo-only, EHLO refused or dropped */
	int tls;
	char kws[KW_MAX][KW_LEN];	/* the EHLO reply's keywords, upper case */
	size_t nkws;
	unsigned long long size_limit;	/* SIZE parameter; 0 none given */
	char mechs[MECHS_MAX];	/* AUTH parameters */

	/* AUTH */
	enum auth_state auth;
	enum mech mech;
	int auth_rounds;
	char auth_line[AUTH_LINE_MAX];

	/* the units awaiting replies */
	struct pending *q;	/* QUEUE_MAX of them, allocated apart: the
				 * client itself stays small */
	size_t head, n;

	/* driving */
	enum step step;
	enum stage stage;
	int abort;		/* give up: QUIT next */
	int quit_sent, done, reconnect, retries, txns;
	unsigned long waited;	/* seconds before the pending reconnect */
	unsigned long last_wait;	/* ... before the last one */
	struct rcpt rcpts[RCPT_MAX];
	size_t nrcpts;
	size_t txn[RCPT_PER_TXN];	/* the recipients of this transaction */
	size_t txn_n, txn_sent, naccepted;
	int mail_ok, data_ok, txn_bdat, bdat_failed, lone_dot;
	size_t bdat_off;
	char *raw;		/* the message as sent with BDAT: CRLF lines */
	size_t raw_len;
	int eight_bit;

	/* the shadow server */
	const struct ref_persona *shadow_persona;	/* a tracker's */
	struct server *shadow;
	struct server_memory mem;
	struct pending *sh_target;
	int desync;

	/* tracking */
	int msg_mode;		/* after 354: the user's lines are the message */
	int auth_exchange;	/* after 334: the user's line answers it */
	unsigned long bdat_left;	/* chunk octets still to come */

	/* bytes to send */
	char *out;
	size_t out_cap, out_len, out_off;
	int out_secret;		/* they hold a credential */

	/* opening a session with a real server, then handing over */
	struct ref_scenario own;	/* the opener's scenario */
	char own_helo[256];
	char own_options[16];
	int opener;		/* it opens the session (client_new_opener) */
	int no_hello;		/* the opener sends nothing after the greeting */
	int handed;		/* the user's turn: it tracks from now on */
	int login;		/* client_login's exchange is going on */
	int tls_failed;		/* TLS was required and could not start */
	int tls_optional;	/* the opener's STARTTLS only when offered */
	char user[256], password[1024];

	/* where the server stands, as far as the client can tell */
	enum server_phase srv_phase;
	size_t rcpt_ok;		/* recipients accepted in the transaction */
	int last_code;

	char text[TEXT_MAX];
};

/* The phases: a key (lessons use it), a name for the learner, and the
 * command whose reply the client waits for in it. */
static const struct {
	const char *key, *name, *verb;
} phases[] = {
	[CLIENT_GREETING] = { "greeting", "waiting for the greeting", "CONNECT" },
	[CLIENT_EHLO] = { "ehlo", "EHLO sent", "EHLO" },
	[CLIENT_HELO] = { "helo", "HELO sent", "HELO" },
	[CLIENT_STARTTLS] = { "starttls", "STARTTLS sent", "STARTTLS" },
	[CLIENT_AUTH] = { "auth", "authenticating", "AUTH" },
	[CLIENT_MAIL] = { "mail", "MAIL sent", "MAIL" },
	[CLIENT_RCPT] = { "rcpt", "RCPT sent", "RCPT" },
	[CLIENT_DATA] = { "data", "DATA sent", "DATA" },
	[CLIENT_MESSAGE] = { "message", "message sent", "DATA-END" },
	[CLIENT_BDAT] = { "bdat", "sending chunks", "BDAT" },
	[CLIENT_RSET] = { "rset", "RSET sent", "RSET" },
	[CLIENT_QUIT] = { "quit", "QUIT sent", "QUIT" },
	[CLIENT_OTHER] = { "other", "a command sent", "" },
	[CLIENT_DONE] = { "done", "done", "" },
};
_Static_assert(sizeof phases / sizeof phases[0] == CLIENT_PHASE_LAST,
    "one row per phase");

static const char *const finding_labels[] = {
	[CLIENT_BAD_REPLY] = "bad",
	[CLIENT_BAD_CODE] = "code",
	[CLIENT_BAD_ENHANCED] = "enhanced",
	[CLIENT_DIFFERS] = "expected",
	[CLIENT_DECISION] = "client",
};
_Static_assert(sizeof finding_labels / sizeof finding_labels[0] ==
    CLIENT_FINDING_LAST, "one label per finding kind");

const char *client_finding_label(enum client_finding_kind k)
{
	return (unsigned)k < CLIENT_FINDING_LAST ? finding_labels[k] : "?";
}

const char *client_phase_str(enum client_phase p)
{
	return (unsigned)p < CLIENT_PHASE_LAST ? phases[p].name : "?";
}

const char *client_phase_key(enum client_phase p)
{
	return (unsigned)p < CLIENT_PHASE_LAST ? phases[p].key : "?";
}

int client_phase_from_key(const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < CLIENT_PHASE_LAST; i++)
		if (strlen(phases[i].key) == len && memcmp(phases[i].key, key, len) == 0)
			return (int)i;
	return -1;
}

const char *client_phase_verb(enum client_phase p)
{
	return (unsigned)p < CLIENT_PHASE_LAST ? phases[p].verb : "";
}

/* ---- small helpers ------------------------------------------------------ */

/* set_phase - the only way to change the phase */
static void set_phase(struct client *c, enum client_phase p)
{
	c->phase = p;
}

/* say - one finding for the learner */
static void say(struct client *c, enum client_finding_kind kind,
    const char *section, const char *fmt, ...)
{
	struct client_finding f;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->text, sizeof c->text, fmt, ap);
	va_end(ap);
	f.kind = kind;
	f.text = c->text;
	f.section = section;
	f.expected = 0;
	f.expected_enh = "";
	f.rule = "";
	if (c->sink.finding)
		c->sink.finding(c->sink.ctx, &f);
}

/* once - 1 the first time bit is asked for in this session */
static int once(struct client *c, unsigned bit)
{
	if (c->told & bit)
		return 0;
	c->told |= bit;
	return 1;
}

/* tracking - the user decides what is sent: a tracking client, or an
 * opener that has handed over */
static int tracking(const struct client *c)
{
	return c->sc == NULL || c->handed;
}

/* hand_over - the opener's work is done (or cannot go on): from now on
 * the user decides, and the client tracks */
static void hand_over(struct client *c, const char *section, const char *why)
{
	if (why)
		say(c, CLIENT_DECISION, section, "%s", why);
	c->handed = 1;
	c->step = STEP_NONE;
}

/* give_up - the client stops: QUIT next, and says why */
static void give_up(struct client *c, const char *section, const char *why)
{
	if (!c->abort && !c->done)
		say(c, CLIENT_DECISION, section, "%s", why);
	c->abort = 1;
}

/* offers - the last EHLO reply listed keyword */
static int offers(const struct client *c, const char *keyword)
{
	size_t i;

	for (i = 0; i < c->nkws; i++)
		if (ascii_ieq(c->kws[i], strlen(c->kws[i]), keyword))
			return 1;
	return 0;
}

/* forget_extensions - what the last EHLO reply said no longer holds */
static void forget_extensions(struct client *c)
{
	c->nkws = 0;
	c->size_limit = 0;
	c->mechs[0] = 0;
}

/* ---- the FIFO of units awaiting replies --------------------------------- */

/* q_at - the ith unit awaiting a reply, 0 the oldest */
static struct pending *q_at(struct client *c, size_t i)
{
	return &c->q[(c->head + i) % QUEUE_MAX];
}

/* q_push - a new unit at the end of the FIFO; NULL when it is full */
static struct pending *q_push(struct client *c, enum kind k, const char *verb)
{
	struct pending *e;

	if (c->n >= QUEUE_MAX)
		return NULL;
	e = q_at(c, c->n++);
	memset(e, 0, sizeof *e);
	e->kind = k;
	e->rcpt = -1;
	snprintf(e->verb, sizeof e->verb, "%s", verb);
	return e;
}

/* q_pop - the oldest unit got its reply */
static void q_pop(struct client *c)
{
	if (c->n == 0)
		return;
	c->head = (c->head + 1) % QUEUE_MAX;
	c->n--;
}

/* ---- the shadow server -------------------------------------------------- */

/* shadow_reply - the shadow's reply to the unit being fed: keep the first */
static void shadow_reply(void *ctx, const struct server_reply *r)
{
	struct client *c = ctx;
	struct pending *e = c->sh_target;
	size_t i, n;

	if (e == NULL || e->sh_code != 0)
		return;	/* nothing fed, or a second reply (421 after an error) */
	e->sh_code = r->code;
	snprintf(e->sh_enh, sizeof e->sh_enh, "%s", r->enh ? r->enh : "");
	snprintf(e->sh_rule, sizeof e->sh_rule, "%s", r->rule ? r->rule : "");
	snprintf(e->sh_section, sizeof e->sh_section, "%s",
	    r->section ? r->section : "");
	snprintf(e->sh_reason, sizeof e->sh_reason, "%s",
	    r->reason ? r->reason : "");
	for (n = 4; n < r->wire_len && r->wire[n] != '\r' && r->wire[n] != '\n'; n++)
		;
	for (i = 4; i < n && i - 4 < sizeof e->sh_text - 1; i++)
		e->sh_text[i - 4] = r->wire[i];
	e->sh_text[i > 4 ? i - 4 : 0] = 0;
}

/* shadow_event - the shadow closed the connection without a reply (an
 * old server hanging up on EHLO): keep why, from the note before it */
static void shadow_event(void *ctx, const struct server_event *ev)
{
	struct client *c = ctx;
	struct pending *e = c->sh_target;

	if (e == NULL || e->sh_code != 0 || e->sh_closed)
		return;
	if (ev->kind == SERVER_EV_NOTE || (ev->kind == SERVER_EV_CLOSE &&
	    e->sh_reason[0] == 0)) {
		snprintf(e->sh_rule, sizeof e->sh_rule, "%s", ev->rule ? ev->rule : "");
		snprintf(e->sh_section, sizeof e->sh_section, "%s",
		    ev->section ? ev->section : "");
		snprintf(e->sh_reason, sizeof e->sh_reason, "%s",
		    ev->text ? ev->text : "");
	}
	if (ev->kind == SERVER_EV_CLOSE)
		e->sh_closed = 1;
}

/* shadow_start - a new shadow session, sharing the greylist memory */
static void shadow_start(struct client *c, struct pending *greeting)
{
	struct server_sink sink = { c, shadow_reply, shadow_event, NULL };
	const struct ref_persona *p;

	server_free(c->shadow);
	c->shadow = NULL;
	c->desync = 0;
	p = c->sc ? ref_persona_find(c->sc->persona, strlen(c->sc->persona)) :
	    c->shadow_persona;
	if (p == NULL)
		return;
	c->shadow = server_new(p, &c->mem, &sink);
	if (c->shadow == NULL)
		return;
	c->sh_target = greeting;
	server_start(c->shadow);
	c->sh_target = NULL;
}

/* shadow_feed - the shadow gets the unit's bytes, when it can make sense
 * of them: message data only while it reads a message, an AUTH answer
 * only during its exchange (else the two sessions already differ) */
static void shadow_feed(struct client *c, struct pending *e, const char *b,
    size_t len, int cont)
{
	enum server_phase ph;

	if (c->shadow == NULL)
		return;
	ph = server_phase(c->shadow);
	if (ph == SERVER_CLOSED)
		return;
	if (e->kind == K_DATA_END && ph != SERVER_DATA)
		return;
	if (e->kind == K_AUTH && cont && ph != SERVER_AUTH)
		return;
	if (e->kind == K_BDAT && ph != SERVER_RCPT && ph != SERVER_BDAT)
		return;
	c->sh_target = e;
	server_feed(c->shadow, b, len);
	c->sh_target = NULL;
}

/* shadow_line - a tracker's shadow gets a line the user sent, as one read
 * (e: the unit it answers, or NULL for a line of a message or a chunk,
 * which gets no reply of its own) */
static void shadow_line(struct client *c, struct pending *e, const char *line,
    size_t len, int cont)
{
	char *b;

	if (c->shadow == NULL || c->sc != NULL ||
	    (b = malloc(len + 2)) == NULL)
		return;
	memcpy(b, line, len);
	memcpy(b + len, "\r\n", 2);
	if (e)
		shadow_feed(c, e, b, len + 2, cont);
	else if (server_phase(c->shadow) != SERVER_CLOSED)
		server_feed(c->shadow, b, len + 2);
	free(b);
}

/* ---- composing ------------------------------------------------------------ */

/* unit - queue bytes to send as one unit that gets one reply */
static struct pending *unit(struct client *c, enum kind k, const char *b,
    size_t len, int cont)
{
	struct pending *e;

	if (len > c->out_cap - c->out_len || c->n >= QUEUE_MAX) {
		give_up(c, "RFC 5321 4.5.3.1",
		    "This is more than the simulated client can send at once, so it stops here.");
		return NULL;
	}
	memcpy(c->out + c->out_len, b, len);
	c->out_len += len;
	e = q_push(c, k, kinds[k].verb);
	shadow_feed(c, e, b, len, cont);
	set_phase(c, kinds[k].phase);
	return e;
}

/* command - one command line, formatted; CRLF is added */
static struct pending *command(struct client *c, enum kind k, int cont,
    const char *fmt, ...)
{
	char line[CMD_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line - 2) {
		give_up(c, "RFC 5321 4.5.3.1.4",
		    "A command would be longer than any server accepts, so the client stops.");
		return NULL;
	}
	/* never a CR or LF inside a command: that would inject another one */
	if (memchr(line, '\r', (size_t)n) || memchr(line, '\n', (size_t)n)) {
		give_up(c, "RFC 5321 2.3.8",
		    "A command would contain a line break, which could smuggle in another command; the client refuses to send it.");
		return NULL;
	}
	line[n++] = '\r';
	line[n++] = '\n';
	return unit(c, k, line, (size_t)n, cont);
}

/* build_raw - the message as CRLF lines, from the scenario's body (lines
 * separated by LF, CRLF or a lone CR: never a bare CR or LF on the wire,
 * RFC 5321 2.3.8) */
static int build_raw(struct client *c, const char *body)
{
	size_t i, n = 0, len = strlen(body);

	c->raw = malloc(2 * len + 3);
	if (c->raw == NULL)
		return -1;
	for (i = 0; i <= len; i++) {
		if (i == len || body[i] == '\n' || body[i] == '\r') {
			c->raw[n++] = '\r';
			c->raw[n++] = '\n';
			if (i < len && body[i] == '\r' && i + 1 < len &&
			    body[i + 1] == '\n')
				i++;
			continue;
		}
		if ((unsigned char)body[i] >= 0x80)
			c->eight_bit = 1;
		c->raw[n++] = body[i];
	}
	c->raw_len = n;
	return 0;
}

/* ---- validating a reply ----------------------------------------------------- */

enum eol { EOL_CRLF, EOL_LF, EOL_NONE };

/* line_at - the line at wire[*pos]: its length without the line ending in
 * *n; advances *pos past it and says how it ended */
static enum eol line_at(const char *wire, size_t len, size_t *pos, size_t *n)
{
	const char *p = wire + *pos;
	size_t left = len - *pos;
	const char *lf = memchr(p, '\n', left);

	if (lf == NULL) {
		*n = left;
		*pos = len;
		return EOL_NONE;
	}
	*pos += (size_t)(lf - p) + 1;
	if (lf > p && lf[-1] == '\r') {
		*n = (size_t)(lf - p) - 1;
		return EOL_CRLF;
	}
	*n = (size_t)(lf - p);
	return EOL_LF;
}

/* What validate() found. */
struct got {
	int ok;			/* complete and well formed */
	int code;
	int has_enh;
	struct reply_enh enh;
	const char *text;	/* the first line's text */
	size_t text_len;
	size_t lines;
};

/* verb_of - the verb a unit's reply is checked against */
static const char *verb_of(const struct pending *e)
{
	return e->verb[0] ? e->verb : "";
}

/* exempt - codes the 4.3.2 lists leave out but other rules allow */
static int exempt(const struct client *c, const struct pending *e, int code)
{
	const char *v = verb_of(e);
	const struct ref_command *row = ref_command_find(v, strlen(v));

	/* RFC 5321 4.2.4: a known command the server does not implement */
	if (code == 502 && row && strcmp(row->status, "required") != 0)
		return 1;
	/* RFC 4954 6 and RFC 3207 4: authentication or TLS required first */
	if (code == 530 && e->kind != K_CONNECT && e->kind != K_DATA_END &&
	    e->kind != K_QUIT && e->kind != K_EHLO)
		return 1;
	/* RFC 5321 3.1 and RFC 7504 3: a session refused at the greeting */
	if (c->refused && (code == 503 || code == 521) && e->kind != K_CONNECT)
		return 1;
	/* RFC 3207 4.1: TLS too weak, every command refused */
	if (c->tls && code == 554 && e->kind != K_CONNECT)
		return 1;
	return 0;
}

/* check_enhanced - RFC 2034 and RFC 3463 on the enhanced codes */
static void check_enhanced(struct client *c, const struct pending *e,
    const struct reply_acc *a, const struct got *g)
{
	int malformed = !g->has_enh && g->text_len >= 2 &&
	    (g->text[0] == '2' || g->text[0] == '4' || g->text[0] == '5') &&
	    g->text[1] == '.';

	if (a->warnings & REPLY_WARN_ENH_CLASS) {
		if (g->has_enh && !reply_enh_agrees(g->code, &g->enh))
			say(c, CLIENT_BAD_ENHANCED, "RFC 2034 4; RFC 3463 2",
			    "The enhanced code %d.%d.%d does not match the reply code %d: its first digit must be %d.",
			    g->enh.cls, g->enh.subject, g->enh.detail, g->code,
			    g->code / 100);
		else
			say(c, CLIENT_BAD_ENHANCED, "RFC 2034 4; RFC 3463 2",
			    "A line of this reply has an enhanced code whose first digit does not match the reply code %d.",
			    g->code);
	}
	if (a->warnings & (REPLY_WARN_ENH_MIXED | REPLY_WARN_ENH_PARTIAL))
		say(c, CLIENT_BAD_ENHANCED, "RFC 2034 3",
		    "The lines of this reply do not all carry the same enhanced code.");
	if (malformed)
		say(c, CLIENT_BAD_ENHANCED, "RFC 3463 2",
		    "The text starts like an enhanced code but is not one: it is class.subject.detail, digits without leading zeros, then a space.");
	else if (!g->has_enh && offers(c, "ENHANCEDSTATUSCODES") &&
	    g->code / 100 != 3 && e->kind != K_CONNECT &&
	    e->kind != K_EHLO && e->kind != K_HELO)
		say(c, CLIENT_BAD_ENHANCED, "RFC 2034 3",
		    "The server announced ENHANCEDSTATUSCODES, so this reply should start with an enhanced code (like %d.0.0).",
		    g->code / 100);
}

/* validate - check one reply (RFC 5321 4.2) against the unit it answers
 * (e, NULL when none); findings go to the sink */
static void validate(struct client *c, const struct pending *e,
    const char *wire, size_t len, struct got *g)
{
	struct reply_acc a;
	enum reply_acc_status st = REPLY_ACC_MORE;
	size_t pos = 0, longest = 0, lineno = 0;
	int bare_lf = 0, no_eol = 0, bare_cr = 0, other = 0;
	const char *sec = "RFC 5321 4.2";

	memset(g, 0, sizeof *g);
	reply_acc_init(&a);
	while (pos < len && st == REPLY_ACC_MORE) {
		size_t start = pos, n, use;
		enum eol eol = line_at(wire, len, &pos, &n);

		use = n < LINE_CAP ? n : LINE_CAP;
		lineno++;
		if (eol == EOL_LF)
			bare_lf = 1;
		else if (eol == EOL_NONE)
			no_eol = 1;
		if (memchr(wire + start, '\r', use))
			bare_cr = 1;
		if (n > longest)
			longest = n;
		st = reply_acc_line(&a, wire + start, use);
		if (lineno == 1 && st != REPLY_ACC_BAD_LINE) {
			struct reply_line l;

			reply_parse_line(wire + start, use, &l);
			g->has_enh = l.has_enh;
			g->enh = l.enh;
			g->text = l.text ? l.text : "";
			g->text_len = l.text_len;
		}
		if (st == REPLY_ACC_MIXED_CODES) {
			struct reply_line l;

			reply_parse_line(wire + start, use, &l);
			other = l.code;
		}
	}
	g->code = a.code;
	g->lines = a.lines;
	switch (st) {
	case REPLY_ACC_DONE:
		g->ok = 1;
		break;
	case REPLY_ACC_MORE:
		if (a.lines == 0)
			say(c, CLIENT_BAD_REPLY, sec, "The reply is empty.");
		else
			say(c, CLIENT_BAD_REPLY, "RFC 5321 4.2.1",
			    "The reply stops after a continuation line (\"%03d-\"); its last line must be \"%03d \" with a space.",
			    a.code, a.code);
		break;
	case REPLY_ACC_BAD_LINE:
		say(c, CLIENT_BAD_REPLY, sec, "Line %zu is not a reply line: %s.",
		    lineno, reply_status_str(a.line_status));
		break;
	case REPLY_ACC_MIXED_CODES:
		say(c, CLIENT_BAD_REPLY, "RFC 5321 4.2.1",
		    "The lines of this reply carry different codes (%d, then %d); every line must repeat the same code. The client takes it as a failure.",
		    a.code, other);
		break;
	case REPLY_ACC_TOO_MANY:
	default:
		say(c, CLIENT_BAD_REPLY, "RFC 5321 4.2.1",
		    "This reply goes on for more than %d lines; the client stops reading it and takes it as a failure.",
		    REPLY_LINES_MAX);
		break;
	}
	if (bare_lf)
		say(c, CLIENT_BAD_REPLY, "RFC 5321 2.3.8; RFC 5321 4.2",
		    "A line of this reply ends in a bare LF; SMTP lines end in CRLF. The client reads it anyway.");
	else if (no_eol && g->ok)
		say(c, CLIENT_BAD_REPLY, sec,
		    "The last line of this reply has no CRLF at its end.");
	if (bare_cr)
		say(c, CLIENT_BAD_REPLY, "RFC 5321 2.3.8",
		    "This reply contains a CR that is not followed by LF.");
	if (longest > LINE_CAP)
		say(c, CLIENT_BAD_REPLY, "RFC 5321 4.5.3.1.5",
		    "A line of this reply is %zu octets long; the limit is 512 with the CRLF. The client reads only the first %d.",
		    longest, LINE_CAP);
	else if (longest > REPLY_LINE_MAX - 2)
		say(c, CLIENT_BAD_REPLY, "RFC 5321 4.5.3.1.5",
		    "A line of this reply is %zu octets long; the limit is 512 with the CRLF.",
		    longest + 2);
	if (g->ok && pos < len)
		say(c, CLIENT_BAD_REPLY,
		    e && e->kind == K_STARTTLS ? "RFC 3207 4.2; RFC 3207 6; RFC 5321 4.2" : sec,
		    e && e->kind == K_STARTTLS ?
		    "%zu more octets came with the 220, before TLS started. They could have been injected by an attacker (CVE-2021-22947): the client throws them away." :
		    "%zu more octets came after the end of this reply, before the client asked for them. Every command gets exactly one reply: the client throws them away.",
		    len - pos);
	if (!g->ok || e == NULL)
		return;
	if (!server_reply_allowed(verb_of(e)[0] ? verb_of(e) : "?", g->code) &&
	    !exempt(c, e, g->code))
		say(c, CLIENT_BAD_CODE, "RFC 5321 4.3.2",
		    "%d is not a reply RFC 5321 allows to %s; the client goes by its first digit.",
		    g->code, e->kind == K_CONNECT ? "a new connection" :
		    e->kind == K_DATA_END ? "the end of the message" :
		    verb_of(e)[0] ? verb_of(e) : "this line");
	check_enhanced(c, e, &a, g);
}

/* ---- the EHLO reply ------------------------------------------------------- */

/* parse_ehlo - remember the keywords of an accepted EHLO reply (RFC 5321
 * 4.1.1.1); the first line is the server's name */
static void parse_ehlo(struct client *c, const char *wire, size_t len,
    size_t lines)
{
	size_t pos = 0, k;

	forget_extensions(c);
	for (k = 0; k < lines && pos < len; k++) {
		size_t start = pos, n;
		struct reply_ehlo x;
		char kw[KW_LEN];
		size_t i;

		line_at(wire, len, &pos, &n);
		if (n > LINE_CAP)
			n = LINE_CAP;
		if (k == 0 || n <= 4)
			continue;
		if (reply_parse_ehlo(wire + start + 4, n - 4, &x) != 0) {
			if (once(c, TOLD_BAD_EHLO))
				say(c, CLIENT_BAD_REPLY, "RFC 5321 4.1.1.1",
				    "Line %zu of the EHLO reply is not a keyword with optional parameters; the client ignores it.",
				    k + 1);
			continue;
		}
		if (x.keyword_len >= KW_LEN)
			continue;
		for (i = 0; i < x.keyword_len; i++)
			kw[i] = (char)ascii_upper((unsigned char)x.keyword[i]);
		kw[i] = 0;
		if (c->tls && strcmp(kw, "STARTTLS") == 0) {
			say(c, CLIENT_BAD_REPLY, "RFC 3207 4.2",
			    "After TLS the server must not offer STARTTLS again. The client ignores it: it never starts TLS twice.");
			continue;
		}
		if (offers(c, kw) || c->nkws >= KW_MAX)
			continue;
		memcpy(c->kws[c->nkws++], kw, i + 1);
		if (strcmp(kw, "SIZE") == 0) {
			unsigned long long v = 0;
			size_t j;

			for (j = 0; j < x.params_len && j < 18 &&
			    ascii_is_digit((unsigned char)x.params[j]); j++)
				v = v * 10 + (x.params[j] - '0');
			c->size_limit = v;
		} else if (strcmp(kw, "AUTH") == 0) {
			size_t m = x.params_len < sizeof c->mechs - 1 ?
			    x.params_len : sizeof c->mechs - 1;

			memcpy(c->mechs, x.params, m);
			c->mechs[m] = 0;
		}
	}
}

/* ---- recipients and the transaction ----------------------------------- */

/* settle - the accepted recipients of the transaction end as st */
static void settle(struct client *c, enum rstate from, enum rstate to)
{
	size_t i;

	for (i = 0; i < c->txn_n; i++)
		if (c->rcpts[c->txn[i]].st == from)
			c->rcpts[c->txn[i]].st = to;
}

/* count - how many recipients are in state st */
static size_t count(const struct client *c, enum rstate st)
{
	size_t i, n = 0;

	for (i = 0; i < c->nrcpts; i++)
		n += c->rcpts[i].st == st;
	return n;
}

/* temp_failure - a 4xx ends the transaction: a real client keeps the
 * message in its queue and tries again later */
static void temp_failure(struct client *c, const char *what)
{
	settle(c, R_SENT, R_DEFERRED);
	settle(c, R_ACCEPTED, R_DEFERRED);
	say(c, CLIENT_DECISION, "RFC 5321 4.2.1; RFC 5321 4.5.4.1",
	    "%s got a temporary failure (4xx): the transaction is abandoned, and a real client would keep the message and try again later.",
	    what);
}

/* perm_failure - a 5xx ends the transaction for good */
static void perm_failure(struct client *c, const char *what)
{
	settle(c, R_SENT, R_FAILED);
	settle(c, R_ACCEPTED, R_FAILED);
	say(c, CLIENT_DECISION, "RFC 5321 4.2.1",
	    "%s was refused for good (5xx): the client does not try this message again.",
	    what);
}

/* ---- AUTH --------------------------------------------------------------- */

/* choose_mech - CRAM-MD5 when offered, else PLAIN, else LOGIN; the last
 * two only inside TLS (RFC 4954 4, 14) */
static void choose_mech(struct client *c)
{
	int cram = ref_list_has_ci(c->mechs, "CRAM-MD5", strlen("CRAM-MD5"));
	int plain = ref_list_has_ci(c->mechs, "PLAIN", strlen("PLAIN"));
	int login = ref_list_has_ci(c->mechs, "LOGIN", strlen("LOGIN"));

	c->mech = MECH_NONE;
	if (c->sc->user == NULL || c->sc->password == NULL) {
		c->auth = AUTH_SKIPPED;
		say(c, CLIENT_DECISION, "RFC 4954 4",
		    "The scenario gives no user name and password, so the client does not log in.");
		return;
	}
	if (!offers(c, "AUTH")) {
		c->auth = AUTH_SKIPPED;
		say(c, CLIENT_DECISION, "RFC 4954 3",
		    "The server does not announce AUTH, so the client goes on without logging in.");
		return;
	}
	if (cram)
		c->mech = MECH_CRAM;
	else if ((plain || login) && !c->tls) {
		give_up(c, "RFC 4954 4; RFC 4954 14",
		    "The server offers only PLAIN or LOGIN, which send the password almost in clear, and TLS is not active. The client will not send the password like that; it says QUIT.");
		return;
	} else if (plain)
		c->mech = MECH_PLAIN;
	else if (login)
		c->mech = MECH_LOGIN;
	else {
		c->auth = AUTH_SKIPPED;
		say(c, CLIENT_DECISION, "RFC 4954 4",
		    "None of the mechanisms the server lists is one the client knows (CRAM-MD5, PLAIN, LOGIN), so it goes on without logging in.");
		return;
	}
	c->step = STEP_AUTH;
}

/* b64_line - base64 of data into auth_line; -1 when it does not fit */
static int b64_line(struct client *c, const void *data, size_t len)
{
	return codec_b64_encode(data, len, c->auth_line,
	    sizeof c->auth_line) < 0 ? -1 : 0;
}

/* plain_line - NUL user NUL password (RFC 4616 2), base64, into auth_line */
static int plain_line(struct client *c)
{
	char buf[AUTH_LINE_MAX];
	size_t ul = strlen(c->sc->user), pl = strlen(c->sc->password);
	int rc;

	if (ul + pl + 2 > sizeof buf)
		return -1;
	buf[0] = 0;
	memcpy(buf + 1, c->sc->user, ul);
	buf[ul + 1] = 0;
	memcpy(buf + ul + 2, c->sc->password, pl);
	rc = b64_line(c, buf, ul + pl + 2);
	memset(buf, 0, sizeof buf);
	return rc;
}

/* auth_answer - the answer to a 334 (RFC 4954 4): the text is the
 * server's base64 challenge */
static void auth_answer(struct client *c, const char *text, size_t len)
{
	const char *user = c->sc->user, *pass = c->sc->password;
	unsigned char chal[512];
	char buf[AUTH_LINE_MAX];
	long n;
	int rc = 0;

	c->step = STEP_AUTH_LINE;
	if (++c->auth_rounds > AUTH_ROUNDS_MAX) {
		snprintf(c->auth_line, sizeof c->auth_line, "*");
		say(c, CLIENT_DECISION, "RFC 4954 4",
		    "The server keeps asking; the client cancels the exchange with \"*\".");
		return;
	}
	while (len > 0 && text[len - 1] == ' ')
		len--;
	n = codec_b64_decode(text, len, chal, sizeof chal);
	if (n < 0) {
		snprintf(c->auth_line, sizeof c->auth_line, "*");
		say(c, CLIENT_DECISION, "RFC 4954 4",
		    "The 334 challenge is not valid base64, so the client cancels the exchange with \"*\".");
		return;
	}
	if (c->mech == MECH_CRAM) {
		unsigned char mac[CODEC_MD5_LEN];
		char hex[2 * CODEC_MD5_LEN + 1];
		int m;

		/* RFC 2195 2: user SP hex(HMAC-MD5(password, challenge)) */
		codec_hmac_md5(pass, strlen(pass), chal, (size_t)n, mac);
		codec_hex(mac, sizeof mac, hex);
		m = snprintf(buf, sizeof buf, "%s %s", user, hex);
		rc = m < 0 || (size_t)m >= sizeof buf ? -1 : b64_line(c, buf, (size_t)m);
	} else if (c->mech == MECH_LOGIN) {
		const char *s = c->auth_rounds == 1 ? user : pass;

		rc = b64_line(c, s, strlen(s));
	} else {
		/* PLAIN asked again for what the initial response held */
		rc = plain_line(c);
	}
	if (rc != 0) {
		snprintf(c->auth_line, sizeof c->auth_line, "*");
		say(c, CLIENT_DECISION, "RFC 4954 4",
		    "The answer does not fit in a line, so the client cancels the exchange.");
	}
}

/* ---- decide: the next step, from what the client knows ------------------- */

/* start_txn - pick the recipients of the next transaction */
static void start_txn(struct client *c)
{
	size_t i;

	c->txn_n = 0;
	for (i = 0; i < c->nrcpts && c->txn_n < RCPT_PER_TXN; i++)
		if (c->rcpts[i].st == R_PENDING)
			c->txn[c->txn_n++] = i;
	if (c->txn_n == 0 || c->txns >= TXN_MAX) {
		c->step = STEP_QUIT;
		return;
	}
	if (c->eight_bit && !((c->opts & OPT_8BIT) && offers(c, "8BITMIME"))) {
		give_up(c, "RFC 5321 2.4; RFC 6152 3",
		    "The message has 8-bit characters, but the server did not announce 8BITMIME (or the scenario does not use it). A client must not send such octets, so it stops.");
		return;
	}
	if (offers(c, "SIZE") && c->size_limit > 0 &&
	    (unsigned long long)c->raw_len > c->size_limit) {
		give_up(c, "RFC 1870 4",
		    "The message is larger than the SIZE limit the server announced; it would be refused, so the client does not send it.");
		return;
	}
	c->step = STEP_MAIL;
}

/* session_next - no transaction is open: identify, TLS, AUTH, then mail */
static void session_next(struct client *c)
{
	if (c->opener && c->no_hello) {
		hand_over(c, NULL, NULL);
		return;
	}
	if (c->hello == 0) {
		c->step = STEP_HELLO;
		return;
	}
	if ((c->opts & OPT_STARTTLS) && !c->tls && c->tls_optional &&
	    (c->hello == 2 || !offers(c, "STARTTLS"))) {
		c->opts &= ~(unsigned)OPT_STARTTLS;
		hand_over(c, "RFC 3207 4", c->hello == 2 ?
		    "The session began with HELO, which has no STARTTLS: TLS was wanted only if possible, so the session goes on in clear." :
		    "The server does not announce STARTTLS: TLS was wanted only if offered, so the session goes on in clear, where anyone on the path can read it.");
		return;
	}
	if ((c->opts & OPT_STARTTLS) && !c->tls) {
		c->tls_failed = c->hello == 2 || !offers(c, "STARTTLS");
		if (c->hello == 2)
			give_up(c, "RFC 3207 4; RFC 3207 6",
			    "The scenario requires TLS, but the session began with HELO, which has no STARTTLS. The client will not send the mail in clear: QUIT.");
		else if (!offers(c, "STARTTLS"))
			give_up(c, "RFC 3207 4; RFC 3207 6",
			    "The scenario requires TLS, but the server does not announce STARTTLS (perhaps an attacker removed it). The client will not go on in clear: QUIT.");
		else
			c->step = STEP_STARTTLS;
		if (c->abort)
			c->step = STEP_QUIT;
		return;
	}
	if (c->opener) {
		hand_over(c, NULL, NULL);
		return;
	}
	if ((c->opts & OPT_AUTH) && c->auth == AUTH_NOT_YET) {
		choose_mech(c);
		if (c->abort)
			c->step = STEP_QUIT;
		if (c->step != STEP_NONE)
			return;
	}
	start_txn(c);
	if (c->abort)
		c->step = STEP_QUIT;
}

/* decide - the FIFO is empty: choose the next step */
static void decide(struct client *c)
{
	if (c->done || c->quit_sent || c->reconnect || c->n > 0 ||
	    c->handed || c->step != STEP_NONE || (!c->greeted && !c->abort))
		return;
	/* after 354 the server reads a message, whatever else happened:
	 * only the data (or a lone dot) can end it (RFC 2920 3.1) */
	if (c->stage == STAGE_DATA && c->data_ok) {
		c->lone_dot = c->naccepted == 0 || !c->mail_ok || c->abort;
		c->step = STEP_MESSAGE;
		return;
	}
	if (c->abort) {
		c->step = STEP_QUIT;
		return;
	}
	switch (c->stage) {
	case STAGE_RCPT:
		if (!c->mail_ok)
			break;
		if (c->txn_sent < c->txn_n)
			c->step = STEP_RCPT;
		else if (c->naccepted == 0) {
			say(c, CLIENT_DECISION, "RFC 5321 3.3",
			    "Every recipient was refused, so there is nobody to send the message to: the client cancels the transaction with RSET.");
			c->step = STEP_RSET;
		} else
			c->step = c->txn_bdat ? STEP_BDAT : STEP_DATA;
		return;
	case STAGE_DATA:
		if (c->mail_ok) {
			if (c->naccepted == 0)
				say(c, CLIENT_DECISION, "RFC 5321 3.3; RFC 2920 3.1",
				    "Every recipient was refused, so DATA was refused too: the client cancels the transaction with RSET.");
			c->step = STEP_RSET;
			return;
		}
		break;
	case STAGE_BDAT:
		if (c->bdat_failed) {
			c->step = STEP_RSET;
			return;
		}
		if (c->bdat_off < c->raw_len) {
			c->step = STEP_BDAT;
			return;
		}
		break;
	case STAGE_SESSION:
	case STAGE_MESSAGE:
	case STAGE_RSET:
		break;
	}
	c->stage = STAGE_SESSION;
	session_next(c);
}

/* ---- compose: the bytes of a step --------------------------------------- */

/* compose_rcpt - RCPT for the next recipient of the transaction */
static void compose_rcpt(struct client *c)
{
	size_t i = c->txn[c->txn_sent++];
	int dsn = (c->opts & OPT_DSN) && offers(c, "DSN");
	struct pending *e;

	e = command(c, K_RCPT, 0, "RCPT TO:<%.*s>%s", (int)c->rcpts[i].len,
	    c->rcpts[i].addr, dsn ? " NOTIFY=SUCCESS,FAILURE" : "");
	if (e == NULL)
		return;
	e->rcpt = (int)i;
	c->rcpts[i].st = R_SENT;
}

/* The MAIL parameters a scenario may ask for: each is sent only when its
 * keyword was announced, and the learner is told once when it is not
 * (RFC 5321 4.1.1.11: no parameter without its extension). */
static const struct {
	unsigned opt, told;
	const char *keyword;
	const char *param;	/* SIZE's value is added after it */
	const char *section;
	const char *missing;
} mail_param_rows[] = {
	{ OPT_SIZE, TOLD_SIZE, "SIZE", " SIZE=", "RFC 1870 3; RFC 5321 4.1.1.11",
	  "The server does not announce SIZE, so the client leaves SIZE= out." },
	{ OPT_8BIT, TOLD_8BIT, "8BITMIME", " BODY=8BITMIME", "RFC 6152 2; RFC 5321 4.1.1.11",
	  "The server does not announce 8BITMIME, so the client leaves BODY=8BITMIME out." },
	{ OPT_SMTPUTF8, TOLD_UTF8, "SMTPUTF8", " SMTPUTF8", "RFC 6531 3.4; RFC 5321 4.1.1.11",
	  "The server does not announce SMTPUTF8, so the client leaves that parameter out." },
	{ OPT_DSN, TOLD_DSN, "DSN", " RET=HDRS", "RFC 3461 4; RFC 5321 4.1.1.11",
	  "The server does not announce DSN, so the client asks for no delivery reports (no RET= or NOTIFY=)." },
};

/* mail_params - the MAIL parameters of the extensions both sides want */
static void mail_params(struct client *c, char *p, size_t size)
{
	size_t n = 0, i;

	p[0] = 0;
	for (i = 0; i < sizeof mail_param_rows / sizeof mail_param_rows[0]; i++) {
		int w;

		if (!(c->opts & mail_param_rows[i].opt))
			continue;
		if (!offers(c, mail_param_rows[i].keyword)) {
			if (once(c, mail_param_rows[i].told))
				say(c, CLIENT_DECISION, mail_param_rows[i].section,
				    "%s", mail_param_rows[i].missing);
			continue;
		}
		w = mail_param_rows[i].opt == OPT_SIZE ?
		    snprintf(p + n, size - n, "%s%zu", mail_param_rows[i].param, c->raw_len) :
		    snprintf(p + n, size - n, "%s", mail_param_rows[i].param);
		if (w > 0 && (size_t)w < size - n)
			n += (size_t)w;
	}
}

/* compose_mail - MAIL, and with PIPELINING the RCPTs and DATA after it
 * (RFC 2920 3.1: DATA last in the group) */
static void compose_mail(struct client *c)
{
	char params[128];
	int pipe = (c->opts & OPT_PIPELINING) && offers(c, "PIPELINING");
	size_t i;

	c->txn_bdat = (c->opts & OPT_BDAT) && offers(c, "CHUNKING");
	if ((c->opts & OPT_BDAT) && !c->txn_bdat && once(c, TOLD_BDAT))
		say(c, CLIENT_DECISION, "RFC 3030 2",
		    "The server does not announce CHUNKING, so the client sends the message with DATA instead of BDAT.");
	if ((c->opts & OPT_PIPELINING) && !pipe && once(c, TOLD_PIPELINING))
		say(c, CLIENT_DECISION, "RFC 2920 3",
		    "The server does not announce PIPELINING, so the client waits for each reply before the next command.");
	mail_params(c, params, sizeof params);
	c->txns++;
	c->stage = STAGE_RCPT;
	c->txn_sent = 0;
	c->naccepted = 0;
	c->mail_ok = 0;
	c->data_ok = 0;
	c->bdat_off = 0;
	c->bdat_failed = 0;
	c->lone_dot = 0;
	if (command(c, K_MAIL, 0, "MAIL FROM:<%s>%s", c->sc->from, params) == NULL)
		return;
	if (!pipe)
		return;
	if (once(c, TOLD_PIPELINING))
		say(c, CLIENT_DECISION, "RFC 2920 3.1",
		    "PIPELINING is announced: the client sends MAIL, the RCPTs%s at once, then counts the replies in order.",
		    c->txn_bdat ? "" : " and DATA");
	for (i = 0; i < c->txn_n && !c->abort; i++)
		compose_rcpt(c);
	if (!c->txn_bdat && !c->abort && command(c, K_DATA, 0, "DATA"))
		c->stage = STAGE_DATA;
}

/* compose_message - the dot-stuffed message and CRLF.CRLF (RFC 5321
 * 4.5.2, 4.1.1.4), or a lone dot when nobody is left to receive it
 * (RFC 2920 3.1) */
static void compose_message(struct client *c)
{
	size_t i = 0, n = 0, need = c->raw_len + c->raw_len / 2 + 4;
	char *m;

	c->stage = STAGE_MESSAGE;
	if (c->lone_dot) {
		say(c, CLIENT_DECISION, "RFC 2920 3.1",
		    "The server said 354 although no recipient is left: the client sends a lone dot, so that no message is delivered.");
		unit(c, K_DATA_END, ".\r\n", 3, 0);
		return;
	}
	m = malloc(need);
	if (m == NULL) {
		give_up(c, "RFC 5321 4.1.1.4", "The client ran out of memory.");
		unit(c, K_DATA_END, ".\r\n", 3, 0);
		return;
	}
	while (i < c->raw_len) {
		if (c->raw[i] == '.')
			m[n++] = '.';	/* one more dot: RFC 5321 4.5.2 */
		while (i < c->raw_len && c->raw[i] != '\n')
			m[n++] = c->raw[i++];
		if (i < c->raw_len)
			m[n++] = c->raw[i++];
	}
	memcpy(m + n, ".\r\n", 3);
	unit(c, K_DATA_END, m, n + 3, 0);
	free(m);
}

/* compose_bdat - the next chunk: BDAT n [LAST] and n octets, no stuffing
 * (RFC 3030 2) */
static void compose_bdat(struct client *c)
{
	size_t k = c->raw_len - c->bdat_off < CHUNK ? c->raw_len - c->bdat_off : CHUNK;
	int last = c->bdat_off + k == c->raw_len;
	char head[64], *b;
	int hn;
	struct pending *e;

	if (c->stage != STAGE_BDAT && once(c, TOLD_BDAT))
		say(c, CLIENT_DECISION, "RFC 3030 2",
		    "CHUNKING is announced: the client sends the message in chunks of at most %d octets, each counted exactly, without dot-stuffing.",
		    CHUNK);
	c->stage = STAGE_BDAT;
	hn = snprintf(head, sizeof head, "BDAT %zu%s\r\n", k, last ? " LAST" : "");
	b = malloc((size_t)hn + k);
	if (b == NULL) {
		give_up(c, "RFC 3030 2", "The client ran out of memory.");
		return;
	}
	memcpy(b, head, (size_t)hn);
	memcpy(b + hn, c->raw + c->bdat_off, k);
	e = unit(c, K_BDAT, b, (size_t)hn + k, 0);
	free(b);
	if (e == NULL)
		return;
	e->last = last;
	c->bdat_off += k;
}

/* compose - turn the chosen step into bytes */
static void compose(struct client *c)
{
	enum step s = c->step;

	c->step = STEP_NONE;
	switch (s) {
	case STEP_NONE:
		break;
	case STEP_HELLO:
		command(c, c->use_helo ? K_HELO : K_EHLO, 0, "%s %s",
		    c->use_helo ? "HELO" : "EHLO", c->sc->helo);
		break;
	case STEP_STARTTLS:
		command(c, K_STARTTLS, 0, "STARTTLS");
		break;
	case STEP_AUTH:
		c->auth = AUTH_RUNNING;
		c->auth_rounds = 0;
		if (c->mech == MECH_PLAIN) {
			/* RFC 4954 4: PLAIN fits in one line, the initial response */
			if (plain_line(c) != 0) {
				give_up(c, "RFC 4954 4",
				    "The user name and password are too long to send.");
				break;
			}
			command(c, K_AUTH, 0, "AUTH PLAIN %s", c->auth_line);
			c->out_secret = 1;
		} else
			command(c, K_AUTH, 0, "AUTH %s",
			    c->mech == MECH_CRAM ? "CRAM-MD5" : "LOGIN");
		break;
	case STEP_AUTH_LINE:
		command(c, K_AUTH, 1, "%s", c->auth_line);
		c->out_secret |= strcmp(c->auth_line, "*") != 0;
		break;
	case STEP_MAIL:
		compose_mail(c);
		break;
	case STEP_RCPT:
		compose_rcpt(c);
		break;
	case STEP_DATA:
		if (command(c, K_DATA, 0, "DATA"))
			c->stage = STAGE_DATA;
		break;
	case STEP_MESSAGE:
		compose_message(c);
		break;
	case STEP_BDAT:
		compose_bdat(c);
		break;
	case STEP_RSET:
		c->stage = STAGE_RSET;
		command(c, K_RSET, 0, "RSET");
		break;
	case STEP_QUIT:
		if (command(c, K_QUIT, 0, "QUIT"))
			c->quit_sent = 1;
		break;
	}
}

/* ---- acting on a reply (driving) ---------------------------------------- */

/* on_greeting - the reply to the connection */
static void on_greeting(struct client *c, int code)
{
	int d = code / 100;

	c->greeted = 1;
	if (d == 2)
		return;
	if (d == 5)
		c->refused = 1;
	if (c->opener)
		hand_over(c, code == 521 ? "RFC 7504 3" : "RFC 5321 3.1",
		    "The server refuses this session: it waits for QUIT, and a client sends nothing else.");
	else if (d == 5)
		give_up(c, code == 521 ? "RFC 7504 3" : "RFC 5321 3.1",
		    "The server refuses service in its greeting. It waits for QUIT, and the client sends nothing else.");
	else
		give_up(c, "RFC 5321 3.1",
		    "The greeting is not 220, so the client does not start a session; it says QUIT.");
}

/* on_hello - the reply to EHLO or HELO */
static void on_hello(struct client *c, const struct pending *e,
    const struct got *g, const char *wire, size_t len)
{
	int code = g->ok ? g->code : 0, d = code / 100;

	if (e->kind == K_HELO) {
		if (d == 2)
			c->hello = 2;
		else if (c->opener)
			hand_over(c, "RFC 5321 4.1.1.1",
			    "HELO was refused too, so the client cannot identify itself; a client says QUIT.");
		else
			give_up(c, "RFC 5321 4.1.1.1",
			    "HELO was refused too, so the client cannot identify itself: QUIT.");
		return;
	}
	if (d == 2) {
		c->hello = 1;
		parse_ehlo(c, wire, len, g->lines);
	} else if (d == 5) {
		c->use_helo = 1;
		say(c, CLIENT_DECISION, "RFC 5321 3.2; RFC 5321 4.1.4",
		    "The server refused EHLO (%d), so it probably predates extended SMTP: the client falls back to HELO, without extensions.",
		    code);
	} else if (c->opener)
		hand_over(c, "RFC 5321 4.2.1", d == 4 ?
		    "EHLO got a temporary failure: a client says QUIT and tries again later." :
		    "The client cannot use this reply to EHLO; a client says QUIT.");
	else if (d == 4)
		give_up(c, "RFC 5321 4.2.1",
		    "EHLO got a temporary failure: the client says QUIT and would try again later.");
	else
		give_up(c, "RFC 5321 4.2", "The client cannot use this reply to EHLO; it says QUIT.");
}

/* login_over - client_login's exchange ended: the user's turn again,
 * and the password is forgotten */
static void login_over(struct client *c, const char *why)
{
	volatile char *p = c->password;
	size_t i;

	for (i = 0; i < sizeof c->password; i++)
		p[i] = 0;
	c->login = 0;
	c->own.user = c->own.password = NULL;
	hand_over(c, "RFC 4954 4", why);
}

/* on_auth - the reply to AUTH or to an answer in its exchange */
static void on_auth(struct client *c, const struct got *g)
{
	int code = g->ok ? g->code : 0, d = code / 100;

	if (code == 334) {
		auth_answer(c, g->text, g->text_len);
		return;
	}
	c->auth = d == 2 ? AUTH_OK : AUTH_SKIPPED;
	if (c->login)
		login_over(c, d == 2 ? "Logged in: the server now knows who the client is." :
		    "Not logged in: the server refused the exchange (RFC 4954 6 says why a code may come).");
	else if (d == 2)
		say(c, CLIENT_DECISION, "RFC 4954 4",
		    "Logged in: the client goes on with the mail.");
	else
		give_up(c, "RFC 4954 6",
		    d == 4 ? "Authentication failed for now (4xx): the client says QUIT and would try again later." :
		    "Authentication failed: the client cannot send this mail, so it says QUIT.");
}

/* on_rcpt - the reply to one RCPT */
static void on_rcpt(struct client *c, const struct pending *e,
    const struct got *g)
{
	int code = g->ok ? g->code : 0, d = code / 100;
	struct rcpt *r;
	int overflow;

	if (e->rcpt < 0 || (size_t)e->rcpt >= c->nrcpts || !c->mail_ok)
		return;
	r = &c->rcpts[e->rcpt];
	overflow = (code == 452 || code == 552) && c->naccepted > 0 &&
	    (!g->has_enh || (g->enh.subject == 5 && g->enh.detail == 3));
	if (d == 2) {
		r->st = R_ACCEPTED;
		c->naccepted++;
	} else if (overflow) {
		r->st = R_PENDING;
		say(c, CLIENT_DECISION, "RFC 5321 4.5.3.1.10",
		    "Too many recipients for one transaction: <%.*s> waits for the next one.",
		    (int)r->len, r->addr);
	} else if (d == 4) {
		r->st = R_DEFERRED;
		say(c, CLIENT_DECISION, "RFC 5321 4.2.1",
		    "<%.*s> got a temporary failure (4xx): a real client keeps it for a later try. Any other recipient still gets the message.",
		    (int)r->len, r->addr);
	} else {
		r->st = R_FAILED;
		say(c, CLIENT_DECISION, "RFC 5321 3.3",
		    "<%.*s> was refused (5xx): the client drops it. Any other recipient still gets the message.",
		    (int)r->len, r->addr);
	}
}

/* on_message_end - the reply to the final dot, or to a chunk */
static void on_message_end(struct client *c, const struct pending *e, int d)
{
	if (e->kind == K_DATA_END && c->lone_dot)
		return;
	if (d == 2) {
		if (e->kind == K_BDAT && !e->last)
			return;
		settle(c, R_ACCEPTED, R_DELIVERED);
		say(c, CLIENT_DECISION, e->kind == K_BDAT ? "RFC 3030 2" : "RFC 5321 4.1.1.4",
		    e->kind == K_BDAT ?
		    "The server took the last chunk and the message: it is now responsible for delivering it." :
		    "The server took the message: it is now responsible for delivering it.");
		return;
	}
	/* RFC 3030 2: after a failed chunk, no more chunks, and RSET */
	if (e->kind == K_BDAT)
		c->bdat_failed = 1;
	if (d == 4)
		temp_failure(c, e->kind == K_BDAT ? "A chunk" : "The message");
	else
		perm_failure(c, e->kind == K_BDAT ? "A chunk" : "The message");
}

/* on_reply - what the reply to unit e changes; code is the reply's, or
 * 0 when the reply could not be read (a protocol failure) */
static void on_reply(struct client *c, const struct pending *e,
    const struct got *g, const char *wire, size_t len)
{
	int code = g->ok ? g->code : 0;
	int d = code / 100;

	switch (e->kind) {
	case K_CONNECT:
		on_greeting(c, code);
		break;
	case K_EHLO:
	case K_HELO:
		on_hello(c, e, g, wire, len);
		break;
	case K_STARTTLS:
		if (code == 220) {
			/* RFC 3207 4.2: forget the extensions, EHLO again */
			c->tls = 1;
			c->hello = 0;
			forget_extensions(c);
			say(c, CLIENT_DECISION, "RFC 3207 4.2",
			    c->opener ? "TLS is now active. The client forgets what it learnt before it and sends EHLO again." :
			    "TLS is now active (simulated). The client forgets what it learnt before it and sends EHLO again.");
		} else if (c->tls_optional) {
			c->opts &= ~(unsigned)OPT_STARTTLS;
			hand_over(c, "RFC 3207 4",
			    "STARTTLS did not get 220: TLS was wanted only if possible, so the session goes on in clear.");
		} else {
			c->tls_failed = 1;
			give_up(c, "RFC 3207 4; RFC 3207 6",
			    "STARTTLS did not get 220, and TLS is required: the client will not send anything in clear, so it says QUIT.");
		}
		break;
	case K_AUTH:
		on_auth(c, g);
		break;
	case K_MAIL:
		c->mail_ok = d == 2;
		if (d == 2)
			break;
		/* the whole transaction failed, RCPTs not yet sent included */
		settle(c, R_PENDING, R_SENT);
		if (d == 4)
			temp_failure(c, "MAIL");
		else
			perm_failure(c, "MAIL");
		c->abort = 1;
		break;
	case K_RCPT:
		on_rcpt(c, e, g);
		break;
	case K_DATA:
		c->data_ok = code == 354;
		if (c->data_ok || !c->mail_ok || c->naccepted == 0)
			break;
		if (d == 4)
			temp_failure(c, "DATA");
		else
			perm_failure(c, "DATA");
		break;
	case K_DATA_END:
	case K_BDAT:
		on_message_end(c, e, d);
		break;
	case K_RSET:
		if (d != 2)
			give_up(c, "RFC 5321 4.1.1.5",
			    "RSET must always get 250; the client cannot trust this session any more and says QUIT.");
		break;
	case K_QUIT:
	case K_OTHER:
	case K_LAST:
		break;
	}
}

/* server_after - where the server stands after the reply to a unit of
 * kind k: the client's view of the state diagram */
static void server_after(struct client *c, const struct pending *e, int code)
{
	int d = code / 100;

	switch (e->kind) {
	case K_CONNECT:
		c->srv_phase = SERVER_GREETED;
		break;
	case K_EHLO:
	case K_HELO:
		c->srv_phase = d == 2 ? SERVER_READY : SERVER_GREETED;
		c->rcpt_ok = 0;
		break;
	case K_STARTTLS:
		c->srv_phase = code == 220 ? SERVER_GREETED : SERVER_READY;
		break;
	case K_MAIL:
		c->rcpt_ok = 0;
		if (d == 2)
			c->srv_phase = SERVER_MAIL;
		break;
	case K_RCPT:
		if (d == 2 && c->srv_phase >= SERVER_MAIL) {
			c->rcpt_ok++;
			c->srv_phase = SERVER_RCPT;
		}
		break;
	case K_DATA:
		if (code == 354)
			c->srv_phase = SERVER_DATA;
		break;
	case K_BDAT:
		if (d != 2 || e->last)
			c->srv_phase = SERVER_READY;
		else
			c->srv_phase = SERVER_DATA;
		c->rcpt_ok = d == 2 && !e->last ? c->rcpt_ok : 0;
		break;
	case K_DATA_END:
	case K_RSET:
		c->srv_phase = SERVER_READY;
		c->rcpt_ok = 0;
		break;
	case K_QUIT:
		if (code == 221)
			c->srv_phase = SERVER_CLOSED;
		break;
	default:
		break;
	}
}

/* end_of_session - 221 (or the close after QUIT): finished, unless some
 * recipients got only temporary failures and may be tried again */
static void end_of_session(struct client *c)
{
	size_t i, deferred = count(c, R_DEFERRED);

	if (c->sc && deferred > 0 && c->retries < RETRY_MAX && !c->refused) {
		c->retries++;
		c->reconnect = 1;
		for (i = 0; i < c->nrcpts; i++)
			if (c->rcpts[i].st == R_DEFERRED)
				c->rcpts[i].st = R_PENDING;
		/* the shadow server's clock: the retry comes RETRY_DELAY
		 * later, as a real queue would send it */
		server_memory_wait(&c->mem, RETRY_DELAY);
		c->waited = RETRY_DELAY;
		say(c, CLIENT_DECISION, "RFC 5321 4.5.4.1; RFC 6647 2.1",
		    "%zu recipient%s got only a temporary failure. The client keeps the message in its queue and tries again %d minutes later (RFC 5321 4.5.4.1: at least 30 minutes between tries, and for 4-5 days before giving up); here the simulated clock jumps ahead.",
		    deferred, deferred == 1 ? "" : "s", RETRY_DELAY / 60);
		return;
	}
	c->done = 1;
	set_phase(c, CLIENT_DONE);
}

/* new_connection - a fresh session after RECONNECT: nothing known */
static void new_connection(struct client *c)
{
	struct pending *e;

	c->reconnect = 0;
	c->head = c->n = 0;
	c->greeted = c->refused = c->hello = c->tls = 0;
	forget_extensions(c);
	c->auth = AUTH_NOT_YET;
	c->mech = MECH_NONE;
	c->step = STEP_NONE;
	c->stage = STAGE_SESSION;
	c->abort = c->quit_sent = c->txns = 0;
	c->told = 0;
	c->out_len = c->out_off = 0;
	c->srv_phase = SERVER_CONNECTED;
	c->rcpt_ok = 0;
	set_phase(c, CLIENT_GREETING);
	e = q_push(c, K_CONNECT, "CONNECT");
	shadow_start(c, e);
}

/* ---- the shadow's verdict ------------------------------------------------ */

/* e_differs - report CLIENT_DIFFERS with the text in c->text */
static void e_differs(struct client *c, const struct pending *e, int expected)
{
	struct client_finding f;

	f.kind = CLIENT_DIFFERS;
	f.text = c->text;
	f.section = e->sh_section[0] ? e->sh_section : "RFC 5321 4.2";
	f.expected = expected;
	f.expected_enh = e->sh_enh;
	f.rule = e->sh_rule;
	if (c->sink.finding)
		c->sink.finding(c->sink.ctx, &f);
}

/* compare - the real reply against the shadow's; code 0: the connection
 * was closed instead */
static void compare(struct client *c, const struct pending *e, int code)
{

	if (c->shadow == NULL || c->desync || code == e->sh_code)
		return;
	if (e->sh_code == 0 && e->sh_closed && code) {
		snprintf(c->text, sizeof c->text,
		    "The reply was %d, but a server of this kind closes the connection without a reply. %s",
		    code, e->sh_reason);
		e_differs(c, e, 0);
		c->desync = 1;
		return;
	}
	if (e->sh_code == 0)
		return;
	/* the expected code is in the finding; the text says why */
	if (code)
		snprintf(c->text, sizeof c->text, "The reply was %d. %s", code,
		    e->sh_reason);
	else
		snprintf(c->text, sizeof c->text,
		    "The connection was closed instead of a reply. %s",
		    e->sh_reason);
	e_differs(c, e, e->sh_code);
	/* the sessions part ways when one says yes and the other no */
	if (code / 100 != e->sh_code / 100)
		c->desync = 1;
}

/* resync - after a reply that leaves no transaction open, the shadow
 * agrees with the real server again if it is also idle */
static void resync(struct client *c, const struct pending *e, int code)
{
	enum server_phase ph;

	if (!c->desync || c->shadow == NULL || e->sh_code != code)
		return;
	if (e->kind != K_EHLO && e->kind != K_HELO && e->kind != K_RSET &&
	    e->kind != K_DATA_END && e->kind != K_STARTTLS &&
	    !(e->kind == K_BDAT && e->last))
		return;
	ph = server_phase(c->shadow);
	if (ph == SERVER_READY || ph == SERVER_GREETED)
		c->desync = 0;
}

/* ---- tracking ------------------------------------------------------------ */

/* track - what the reply to the user's command e tells about the session */
static void track(struct client *c, const struct pending *e,
    const struct got *g, const char *wire, size_t len)
{
	int code = g->ok ? g->code : 0;

	switch (e->kind) {
	case K_CONNECT:
		c->greeted = code / 100 == 2;
		c->refused = code == 554 || code == 521;
		break;
	case K_EHLO:
		if (code / 100 == 2) {
			c->hello = 1;
			parse_ehlo(c, wire, len, g->lines);
		}
		break;
	case K_HELO:
		if (code / 100 == 2) {
			c->hello = 2;
			forget_extensions(c);
		}
		break;
	case K_STARTTLS:
		if (code == 220) {
			c->tls = 1;
			c->hello = 0;
			forget_extensions(c);
		}
		break;
	case K_AUTH:
		c->auth_exchange = code == 334;
		if (code / 100 == 2)
			c->auth = AUTH_OK;
		break;
	case K_DATA:
		c->msg_mode = code == 354;
		break;
	case K_QUIT:
		if (code == 221) {
			c->done = 1;
			set_phase(c, CLIENT_DONE);
		}
		break;
	default:
		break;
	}
}

/* kind_of - the kind of a command line the user sent */
static enum kind kind_of(const char *verb)
{
	enum kind k;

	for (k = K_EHLO; k < K_OTHER; k++)
		if (k != K_DATA_END && strcmp(kinds[k].verb, verb) == 0)
			return k;
	return K_OTHER;
}

/* client_sent - tracking: the user sent this line */
void client_sent(struct client *c, const char *line, size_t len)
{
	char verb[16];
	size_t vl = 0;
	enum kind k;
	struct pending *e;

	if (c == NULL || !tracking(c) || c->done)
		return;
	if (c->bdat_left > 0) {		/* a line of a BDAT chunk */
		c->bdat_left -= len + 2 < c->bdat_left ? len + 2 : c->bdat_left;
		shadow_line(c, NULL, line, len, 0);
		return;
	}
	if (c->msg_mode) {		/* a line of the message */
		if (len == 1 && line[0] == '.') {
			c->msg_mode = 0;
			if ((e = q_push(c, K_DATA_END, "DATA-END")) != NULL) {
				e->user = 1;
				set_phase(c, CLIENT_MESSAGE);
				shadow_line(c, e, line, len, 0);
			}
		} else if (c->shadow && server_phase(c->shadow) == SERVER_DATA)
			shadow_line(c, NULL, line, len, 0);
		return;
	}
	if (c->auth_exchange && c->n == 0) {	/* the answer to a 334 */
		if ((e = q_push(c, K_AUTH, "AUTH")) != NULL) {
			e->user = 1;
			set_phase(c, CLIENT_AUTH);
			shadow_line(c, e, line, len, 1);
		}
		return;
	}
	while (vl < len && vl < sizeof verb - 1 &&
	    (ascii_is_alnum((unsigned char)line[vl]) || line[vl] == '-')) {
		verb[vl] = (char)ascii_upper((unsigned char)line[vl]);
		vl++;
	}
	verb[vl] = 0;
	if (vl < len && line[vl] != ' ')
		verb[0] = 0;	/* not a verb: the server will say 500 */
	k = kind_of(verb);
	e = q_push(c, k, verb);
	if (e != NULL)
		e->user = 1;
	if (e == NULL) {
		if (once(c, TOLD_QUEUE))
			say(c, CLIENT_DECISION, "RFC 2920 3.1",
			    "More than %d commands are waiting for replies; the client stops matching replies to commands.",
			    QUEUE_MAX);
		return;
	}
	if (k == K_BDAT) {
		unsigned long n = 0;
		size_t i = 5;

		while (i < len && i < 15 && ascii_is_digit((unsigned char)line[i]))
			n = n * 10 + (unsigned long)(line[i++] - '0');
		c->bdat_left = n;
		while (i < len && line[i] == ' ')
			i++;
		e->last = len - i >= 4 && ascii_ieq(line + i, 4, "LAST");
	}
	shadow_line(c, e, line, len, 0);
	set_phase(c, kinds[k].phase);
}

/* ---- the public functions ------------------------------------------------- */

/* client_init - a client for scenario sc (or tracking when NULL) */
static int client_init(struct client *c, const struct ref_scenario *sc,
    const struct client_sink *sink)
{
	const char *cur, *tok;
	size_t len, i;

	if (sink)
		c->sink = *sink;
	c->sc = sc;
	c->phase = CLIENT_GREETING;
	c->srv_phase = SERVER_CONNECTED;
	if (sc == NULL) {
		struct pending *e = q_push(c, K_CONNECT, "CONNECT");

		if (c->shadow_persona)
			shadow_start(c, e);
		return 0;
	}
	cur = sc->options ? sc->options : "";
	while (ref_list_next(&cur, &tok, &len))
		for (i = 0; i < sizeof option_names / sizeof option_names[0]; i++)
			if (ascii_ieq(tok, len, option_names[i].name))
				c->opts |= option_names[i].bit;
	c->use_helo = (c->opts & OPT_HELO_ONLY) != 0;
	cur = sc->to ? sc->to : "";
	while (ref_list_next(&cur, &tok, &len) && c->nrcpts < RCPT_MAX) {
		c->rcpts[c->nrcpts].addr = tok;
		c->rcpts[c->nrcpts].len = len;
		c->rcpts[c->nrcpts++].st = R_PENDING;
	}
	if (build_raw(c, sc->body ? sc->body : "") != 0)
		return -1;
	c->out_cap = 65536 + 2 * c->raw_len + strlen(sc->to ? sc->to : "") +
	    64 * c->nrcpts;
	c->out = malloc(c->out_cap);
	if (c->out == NULL)
		return -1;
	new_connection(c);
	return 0;
}

/* client_alloc - a zeroed client with its queue, or NULL */
static struct client *client_alloc(void)
{
	struct client *c = calloc(1, sizeof *c);

	if (c && (c->q = calloc(QUEUE_MAX, sizeof *c->q)) == NULL) {
		free(c);
		c = NULL;
	}
	return c;
}

/* client_new - a client for scenario sc, or tracking when sc is NULL */
struct client *client_new(const struct ref_scenario *sc,
    const struct client_sink *sink)
{
	struct client *c = client_alloc();

	if (c == NULL)
		return NULL;
	if (client_init(c, sc, sink) != 0) {
		client_free(c);
		return NULL;
	}
	return c;
}

struct client *client_new_tracker(const struct ref_persona *p,
    const struct client_sink *sink)
{
	struct client *c = client_alloc();

	if (c == NULL)
		return NULL;
	c->shadow_persona = p ? p : ref_persona_find("modern", 6);
	if (client_init(c, NULL, sink) != 0 || c->shadow == NULL) {
		client_free(c);
		return NULL;
	}
	return c;
}

struct client *client_new_opener(const char *helo, int hello,
    enum client_starttls starttls, const struct client_sink *sink)
{
	struct client *c = client_alloc();

	if (c == NULL)
		return NULL;
	snprintf(c->own_helo, sizeof c->own_helo, "%s", helo ? helo : "localhost");
	snprintf(c->own_options, sizeof c->own_options, "%s",
	    starttls ? "starttls" : "");
	c->own.name = "opener";
	c->own.helo = c->own_helo;
	c->own.from = c->own.to = c->own.body = "";
	c->own.options = c->own_options;
	c->own.persona = "";	/* no shadow: a real server is its own judge */
	c->opener = 1;
	c->no_hello = !hello;
	c->tls_optional = starttls == CLIENT_STARTTLS_IF_OFFERED;
	if (client_init(c, &c->own, sink) != 0) {
		client_free(c);
		return NULL;
	}
	return c;
}

/* client_free - release the client and its shadow */
void client_free(struct client *c)
{
	if (c == NULL)
		return;
	server_free(c->shadow);
	free(c->raw);
	free(c->out);
	free(c->q);
	free(c);
}

/* client_next - bytes still to send, else the next step, else wait */
enum client_action client_next(struct client *c, char *out, size_t size,
    size_t *len)
{
	int round;

	*len = 0;
	for (round = 0; round < 4; round++) {
		if (c->out_off < c->out_len) {
			size_t k = c->out_len - c->out_off;

			if (k > size)
				k = size;
			if (k == 0)
				return CLIENT_WAIT;
			memcpy(out, c->out + c->out_off, k);
			c->out_off += k;
			*len = k;
			return CLIENT_SEND;
		}
		c->out_off = c->out_len = 0;
		c->out_secret = 0;
		if (c->done)
			return CLIENT_CLOSE;
		if (tracking(c))
			return CLIENT_WAIT;
		if (c->reconnect) {
			new_connection(c);
			c->last_wait = c->waited;
			c->waited = 0;
			return CLIENT_RECONNECT;
		}
		if (c->n > 0)
			return CLIENT_WAIT;
		decide(c);
		if (c->step == STEP_NONE)
			return CLIENT_WAIT;
		compose(c);
	}
	return CLIENT_WAIT;
}

unsigned long client_retry_wait(const struct client *c)
{
	return c ? c->last_wait : 0;
}

/* client_reply - one reply: validate, compare with the shadow, act */
void client_reply(struct client *c, const char *wire, size_t len)
{
	struct pending e;
	struct got g;
	const char *why = NULL;

	if (c == NULL || c->done)
		return;
	if (c->n == 0) {
		validate(c, NULL, wire, len, &g);
		if (g.ok && g.code == 421) {	/* RFC 5321 3.8: at any time */
			say(c, CLIENT_DECISION, "RFC 5321 3.8",
			    "The server is closing the connection (421): the client sends nothing more and would try again later.");
			c->last_code = 421;
			c->srv_phase = SERVER_CLOSED;
			c->done = 1;
			set_phase(c, CLIENT_DONE);
			return;
		}
		say(c, CLIENT_BAD_REPLY, "RFC 5321 4.2",
		    "This reply came when no command was waiting for one (every command gets exactly one reply). The client ignores it.");
		return;
	}
	e = *q_at(c, 0);
	q_pop(c);
	validate(c, &e, wire, len, &g);
	if (g.code)
		compare(c, &e, g.code);
	c->last_code = g.code;
	if (g.ok)
		server_after(c, &e, g.code);
	if (g.ok && g.code == 421) {
		say(c, CLIENT_DECISION, "RFC 5321 3.8",
		    "The server is closing the connection (421): the client sends nothing more and would try again later.");
		if (c->sc) {
			settle(c, R_SENT, R_DEFERRED);
			settle(c, R_ACCEPTED, R_DEFERRED);
		}
		c->n = 0;
		c->done = 1;
		c->srv_phase = SERVER_CLOSED;
		set_phase(c, CLIENT_DONE);
		return;
	}
	/* another CRAM-MD5 challenge than the shadow's: the answers differ */
	if (e.kind == K_AUTH && g.ok && g.code == 334 && e.sh_code == 334 &&
	    (strlen(e.sh_text) != g.text_len ||
	    memcmp(e.sh_text, g.text, g.text_len) != 0))
		c->desync = 1;
	if (e.user || c->sc == NULL) {
		track(c, &e, &g, wire, len);
		resync(c, &e, g.ok ? g.code : 0);
		return;
	}
	if (e.kind == K_QUIT) {
		end_of_session(c);
		return;
	}
	if (!g.ok)
		why = "The client cannot make sense of this reply, so it ends the session with QUIT.";
	else if (g.code / 100 == 3 && e.kind != K_DATA && e.kind != K_AUTH)
		why = "A 3xx reply asks for more input, but this command takes none: the client ends the session with QUIT.";
	else if (e.kind == K_DATA && g.code / 100 == 2)
		why = "DATA needs 354 before the message can follow: the client cannot go on and says QUIT.";
	if (why) {
		/* the server's state is unknown: nothing more is tried */
		settle(c, R_SENT, R_FAILED);
		settle(c, R_ACCEPTED, R_FAILED);
		c->mail_ok = 0;
		c->greeted = 1;
		give_up(c, "RFC 5321 4.2", why);
	} else
		on_reply(c, &e, &g, wire, len);
	resync(c, &e, g.ok ? g.code : 0);
	if (c->n == 0)
		decide(c);
}

/* client_dropped - the server closed the connection */
void client_dropped(struct client *c)
{
	struct pending *e;

	if (c == NULL || c->done || c->reconnect)
		return;
	if (c->sc && c->quit_sent && c->n == 0)
		return;		/* the close after 221: expected */
	e = c->n > 0 ? q_at(c, 0) : NULL;
	c->srv_phase = SERVER_CLOSED;
	if (tracking(c)) {
		c->n = 0;
		c->done = 1;
		set_phase(c, CLIENT_DONE);
		return;
	}
	if (e && e->kind != K_QUIT)
		compare(c, e, 0);
	if (e && e->kind == K_EHLO && !c->use_helo) {
		say(c, CLIENT_DECISION, "RFC 5321 3.2",
		    "The server closed the connection when it got EHLO. Some old servers do (D. J. Bernstein's notes on SMTP describe them): the client connects again and sends HELO.");
		c->use_helo = 1;
		c->reconnect = 1;
		c->n = 0;
		return;
	}
	c->n = 0;
	if (e && e->kind == K_QUIT) {
		end_of_session(c);
		return;
	}
	if (count(c, R_SENT) + count(c, R_ACCEPTED) > 0) {
		settle(c, R_SENT, R_DEFERRED);
		settle(c, R_ACCEPTED, R_DEFERRED);
		say(c, CLIENT_DECISION, "RFC 5321 3.8",
		    "The connection closed in the middle of a transaction: the client treats it like a 451 and would try again later.");
	} else
		say(c, CLIENT_DECISION, "RFC 5321 3.8",
		    "The connection closed before the session ended.");
	c->done = 1;
	set_phase(c, CLIENT_DONE);
}

/* client_phase - what the client waits for, or did last */
enum client_phase client_phase(const struct client *c)
{
	return c->phase;
}

/* client_offers - the last EHLO reply listed keyword */
int client_offers(const struct client *c, const char *keyword)
{
	return offers(c, keyword);
}

/* client_tls - TLS is active, as far as the client knows */
int client_tls(const struct client *c)
{
	return c->tls;
}

int client_handed(const struct client *c)
{
	return c->handed;
}

int client_login(struct client *c, const char *mech, const char *user,
    const char *password)
{
	enum mech m = ascii_ieq(mech, strlen(mech), "PLAIN") ? MECH_PLAIN :
	    ascii_ieq(mech, strlen(mech), "LOGIN") ? MECH_LOGIN : MECH_NONE;

	if (!c->opener || !c->handed || c->done || c->n > 0 || c->msg_mode ||
	    c->auth_exchange || c->bdat_left > 0 || m == MECH_NONE ||
	    strlen(user) >= sizeof c->user || strlen(password) >= sizeof c->password)
		return -1;
	snprintf(c->user, sizeof c->user, "%s", user);
	snprintf(c->password, sizeof c->password, "%s", password);
	c->own.user = c->user;
	c->own.password = c->password;
	c->mech = m;
	c->auth = AUTH_NOT_YET;
	c->login = 1;
	c->handed = 0;
	c->step = STEP_AUTH;
	return 0;
}

int client_secret(const struct client *c)
{
	return c->out_secret;
}

int client_server_phase(const struct client *c)
{
	return c->done ? SERVER_CLOSED : (int)c->srv_phase;
}

const char *client_awaits(const struct client *c)
{
	return c->n > 0 && !c->done ? c->q[c->head].verb : NULL;
}

size_t client_pending(const struct client *c)
{
	return c->done ? 0 : c->n;
}

int client_last_code(const struct client *c)
{
	return c->last_code;
}

const char *client_mechs(const struct client *c)
{
	return c->mechs;
}

int client_done(const struct client *c)
{
	return c->done;
}

int client_tls_failed(const struct client *c)
{
	return c->tls_failed;
}
