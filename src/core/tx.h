/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tx.h - one item of what a session shows: the common currency of the
 * interactive front ends
 *
 * The simulated sessions (session.c), real connections (conn.c) and the
 * lesson runner produce items; the shell prints them, the TUI puts them in
 * its panes, record.c keeps the wire lines for a saved transcript.  Text
 * is one line without its line ending; a credential is already redacted
 * when the item is made, so no front end can leak it.
 */
#ifndef SMTPREF_TX_H
#define SMTPREF_TX_H

#include <stdarg.h>
#include <stddef.h>

enum tx_kind {
	TX_SENT,	/* a line the client sent */
	TX_RECEIVED,	/* a line of a reply the client received */
	TX_EXPLAIN,	/* an explanation line; label says which kind */
	TX_FINDING,	/* the peer broke a rule (a protocol violation) */
	TX_HINT,	/* a hint for a beginner who seems stuck */
	TX_NOTE,	/* smtpref says something: dot-stuffing, TLS, retry */
	TX_ERROR,	/* something failed: network, TLS, a bad meta-command */
	TX_LESSON,	/* a lesson speaks: label "title", "say", "task" (what
			 * the learner is to do now), "summary" or "done";
			 * text is one line of the lesson's text (lesson.h
			 * says what a line is), "" between steps */
	TX_KIND_LAST
};

struct tx_item {
	enum tx_kind kind;
	int tls;		/* SENT/RECEIVED: under TLS (swaks '~') */
	int code;		/* RECEIVED: the reply's code, else 0 */
	int secret;		/* SENT: text had a credential, now redacted */
	int by_learner;		/* SENT/RECEIVED: the learner typed it */
	const char *label;	/* EXPLAIN/FINDING: "why", "code", ...; or NULL */
	const char *text;
	size_t len;
	int timed;		/* RECEIVED: the last line of a reply whose
				 * latency is known */
	long ms;		/* then: from the write of the command (the
				 * connection, for the greeting) to the
				 * reply, in milliseconds */
};

struct tx_sink {
	void *ctx;
	void (*item)(void *ctx, const struct tx_item *it);
};

/* tx_emit - a convenience: send one item of kind with text to the sink */
static inline void tx_emit(const struct tx_sink *s, enum tx_kind kind,
    const char *label, const char *text, size_t len)
{
	struct tx_item it = { .kind = kind, .label = label, .text = text,
	    .len = len };

	if (s && s->item)
		s->item(s->ctx, &it);
}

/* tx_emitf - one item whose text is made with printf's format (cut at
 * 2047 octets) */
void tx_emitf(const struct tx_sink *s, enum tx_kind kind, const char *label,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void tx_vemitf(const struct tx_sink *s, enum tx_kind kind, const char *label,
    const char *fmt, va_list ap);

/* tx_printable - text from outside (a server, a file) made safe for any
 * terminal by core/printable.h, the one function for it: C0 and C1
 * controls, DEL, bytes that are not UTF-8 and direction marks become
 * \xHH, a tab a space.  Writes a NUL-terminated string into out and
 * returns how many octets of s it used (all of them when out is big
 * enough: 4 octets of out for one of s, at most). */
size_t tx_printable(const char *s, size_t n, char *out, size_t size);

/* tx_marker - the swaks-style marker a saved transcript puts before an
 * item's text: " -> " sent, "<-  " received (" ~> " and "<~  " under
 * TLS), "=== " a note, "*** " an error or a finding; NULL for the kinds a
 * transcript does not keep (explanations, hints, lessons) */
const char *tx_marker(enum tx_kind kind, int tls);

/* tx_item_line - the transcript line of an item, marker included, into
 * out (cut to size - 1 octets); 0 for the kinds tx_marker does not keep */
size_t tx_item_line(const struct tx_item *it, char *out, size_t size);

/* tx_auth_response - where the initial response of "AUTH mech response"
 * (a credential) starts in line, or 0 when the line holds none.  Words
 * are split at any run of SP and HTAB, leading ones too, as servers
 * split them: "AUTH<TAB>PLAIN<TAB>secret" holds a credential as much as
 * "AUTH PLAIN secret" does. */
size_t tx_auth_response(const char *line, size_t len);

/* tx_auth_mech - where the mechanism of an AUTH line starts (its length
 * in *mechlen), or 0 when line is not AUTH with a mechanism */
size_t tx_auth_mech(const char *line, size_t len, size_t *mechlen);

/* tx_learner_sent - the learner's own command line as a TX_SENT item,
 * with a credential redacted: the whole line in_auth (an answer to 334),
 * else an initial response of AUTH.  Returns 1 when something was. */
int tx_learner_sent(const struct tx_sink *s, int tls, const char *line,
    size_t len, int in_auth);

#endif
