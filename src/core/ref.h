/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ref.h - the embedded reference tables (generated from the data/ files)
 *
 * Every table is an array sorted by its key, generated at build time by
 * build-aux/gentables.awk; see data/README.md for what each field holds.
 * Optional fields are NULL when absent; a field written "-" in the data
 * (none) is the empty string.  List fields are single-space separated.
 */
#ifndef SMTPREF_REF_H
#define SMTPREF_REF_H

#include <stddef.h>

/* What one digit of a reply code means (RFC 5321 4.2.1). */
struct ref_class {
	const char *digit;	/* "2xx".."5xx", "x0x".."x5x" */
	const char *name;
	const char *meaning;
	const char *section;
};

/* A basic reply code. */
struct ref_code {
	int code;
	const char *text;		/* the standard text */
	const char *origin;
	const char *section;
	const char *commands;		/* RFC 5321 4.3.2: verbs, CONNECT, DATA-END, ANY */
	const char *ext_commands;	/* extension verbs that may get it */
	const char *enhanced;		/* related enhanced codes, X.1.1 form */
	const char *summary;
	const char *when;
	const char *causes;
	const char *action;
	const char *note;
};

enum ref_enh_kind {
	REF_ENH_CLASS,		/* 2.X.X: major is the class */
	REF_ENH_SUBJECT,	/* X.1.X: major is the subject */
	REF_ENH_DETAIL,		/* X.1.1: major is the subject, minor the detail */
	REF_ENH_LAST
};

/* An enhanced status code of the IANA registry (RFC 3463). */
struct ref_enhanced {
	enum ref_enh_kind kind;
	int major;
	int minor;
	const char *code;		/* "5.X.X", "X.1.X" or "X.1.1" */
	const char *title;
	const char *basic;		/* associated basic reply codes */
	const char *section;
	const char *summary;
	const char *explanation;
	const char *action;
	const char *note;
};

/* An EHLO keyword. */
struct ref_keyword {
	const char *keyword;
	const char *origin;		/* "iana" or "wild" */
	const char *status;
	const char *source;
	const char *section;
	const char *parameters;
	const char *enables;		/* verb:NAME and param:NAME tokens */
	const char *summary;
	const char *explanation;
	const char *warning;
	const char *note;
};

/* An SMTP verb. */
struct ref_command {
	const char *verb;
	const char *status;
	const char *section;
	const char *keyword;		/* the EHLO keyword announcing it, or "" */
	const char *phases;		/* where it may be sent: greeted ready mail rcpt bdat */
	const char *pipelining;		/* RFC 2920 3.1: "anywhere" or "last" in a group */
	const char *syntax;
	const char *success;
	const char *intermediate;
	const char *errors;
	const char *summary;
	const char *explanation;
	const char *example;
	const char *note;
};

/* A MAIL, RCPT, VRFY or EXPN parameter. */
struct ref_param {
	const char *param;
	const char *commands;
	const char *keyword;
	const char *section;
	const char *syntax;
	const char *value;
	const char *errors;
	const char *summary;
	const char *explanation;
	const char *example;
	const char *note;
};

/* A persona of the simulated server (data/personas.rec).  Numbers absent
 * from the data are -1. */
struct ref_persona {
	const char *name;
	const char *summary;
	const char *explanation;
	const char *hostname;
	int greeting;			/* 220; 554 (refuses service), 521 (takes
					 * no mail) or 421 (busy: closes) */
	const char *banner;
	const char *ehlo;		/* accept, reject (500) or hangup */
	const char *keywords;		/* announced before TLS */
	const char *keywords_tls;	/* after TLS; NULL: the same without STARTTLS */
	long size;			/* SIZE limit; -1 none */
	const char *auth_mechs;		/* PLAIN LOGIN CRAM-MD5 */
	const char *auth_policy;	/* none, relay (to relay), always */
	const char *tls_policy;		/* optional, required (530 before STARTTLS) */
	const char *plain_auth;		/* any, tls (538 before TLS) */
	long max_rcpt;
	int rcpt_overflow;		/* 452 (RFC 5321) or 552 (RFC 821) */
	const char *vrfy;		/* verify, cannot (252), off (502) */
	const char *expn;		/* on, off */
	const char *bare_lf;		/* accept, reject */
	const char *greylist;		/* on, off */
	long error_limit;		/* bad commands before 421 */
	long spool;			/* free spool octets (452 at MAIL); -1 none */
	long by_min;			/* DELIVERBY minimum by-time; -1 none */
	long queue_delay;		/* seconds the queue needs now (455 below) */
	long greylist_delay;		/* seconds a greylisted pair must wait; -1 none */
	const char *empty_data;		/* DATA after only refused recipients:
					 * refuse (554), accept (354); NULL refuse */
	const char *note;
};

/* An address or domain of the simulated mail world (data/world.rec). */
struct ref_world {
	const char *address;		/* lower case: "domain" or "local@domain" */
	const char *kind;		/* see data/README.md */
	const char *name;		/* a real name, for VRFY */
	const char *target;		/* forward (251) or new (551) address */
	const char *members;		/* list members (EXPN) or candidates (553) */
	const char *password;
	const char *auth;		/* ok, transition, tempfail, strong */
	long queue;			/* ETRN: messages waiting; -1 none */
	const char *note;
};

/* A rule of the simulated server (data/rules.rec). */
struct ref_rule {
	const char *rule;
	const char *section;
};

/* A hint for a beginner (data/hints.rec). */
struct ref_hint {
	const char *rule;		/* the refusal's rule */
	const char *verb;		/* the command refused, or NULL for any */
	const char *hint;
	const char *try_line;		/* the command the hint suggests, or NULL */
};

/* What a reply means after a command (data/meanings.rec). */
struct ref_meaning {
	const char *verb;		/* a verb, CONNECT, DATA-END or ANY */
	const char *code;		/* "550" or a class, "5xx" */
	const char *meaning;
	const char *section;
};

/* A scenario for the simulated client (data/scenarios.rec). */
struct ref_scenario {
	const char *name;
	const char *summary;
	const char *explanation;
	const char *helo;		/* the client's name for EHLO/HELO */
	const char *from;		/* the reverse-path; "" for <> */
	const char *to;			/* recipients, space separated */
	const char *body;		/* the message, lines separated by \n */
	const char *options;		/* pipelining starttls auth bdat helo-only
					 * 8bit smtputf8 size dsn; "" for none */
	const char *persona;		/* the conforming server to compare with */
	const char *user;		/* AUTH user and password, or NULL */
	const char *password;
	const char *note;
};

/* Why a message was not delivered, in a few words (data/reasons.rec). */
struct ref_reason {
	const char *reason;		/* "userunknown" */
	const char *origin;		/* "sisimai" (Sisimai's name) or "smtpref" */
	const char *summary;		/* the reason in a few words */
	const char *explanation;
	const char *action;		/* what the sender should do */
	const char *retry;		/* never, fix-first, later, none */
	const char *status;		/* "X.1.1", or "" */
	const char *codes;		/* enhanced codes that mean it */
	const char *section;
	const char *note;
};

/* A text real servers put in replies (data/bounce-texts.rec). */
struct ref_btext {
	const char *text;		/* lower case; '*' matches any run */
	const char *reason;		/* a ref_reason name */
	const char *who;		/* the software or provider */
	const char *source;		/* where it is documented or was seen */
	const char *example;		/* a reply holding the text */
	const char *hosts;		/* NULL, or the domains it is limited to */
	const char *advice;		/* NULL, or advice for this text */
	const char *note;
};

/* A basic code and an enhanced code seen together in practice (the
 * examples of bounce-texts.rec), and the reason an enhanced code stands
 * for (reasons.rec).  Both sorted. */
struct ref_pair {
	int code;
	int subject;
	int detail;
};
struct ref_enh_reason {
	int subject;
	int detail;
	const char *reason;
};

extern const struct ref_class ref_class_table[];
extern const size_t ref_class_count;
extern const struct ref_code ref_code_table[];
extern const size_t ref_code_count;
extern const struct ref_enhanced ref_enhanced_table[];
extern const size_t ref_enhanced_count;
extern const struct ref_keyword ref_keyword_table[];
extern const size_t ref_keyword_count;
extern const struct ref_command ref_command_table[];
extern const size_t ref_command_count;
extern const struct ref_param ref_param_table[];
extern const size_t ref_param_count;
extern const struct ref_persona ref_persona_table[];
extern const size_t ref_persona_count;
extern const struct ref_world ref_world_table[];
extern const size_t ref_world_count;
extern const struct ref_scenario ref_scenario_table[];
extern const size_t ref_scenario_count;
extern const struct ref_rule ref_rule_table[];
extern const size_t ref_rule_count;
extern const struct ref_hint ref_hint_table[];
extern const size_t ref_hint_count;
extern const struct ref_meaning ref_meaning_table[];
extern const size_t ref_meaning_count;
extern const struct ref_reason ref_reason_table[];
extern const size_t ref_reason_count;
extern const struct ref_btext ref_btext_table[];
extern const size_t ref_btext_count;
extern const struct ref_pair ref_pair_seen_table[];
extern const size_t ref_pair_seen_count;
extern const struct ref_enh_reason ref_enh_reason_table[];
extern const size_t ref_enh_reason_count;

/* Codes that any command may get (RFC 5321 4.3.2). */
#define REF_ANY_COMMAND_CODES "421 500 501"

const struct ref_code *ref_code_find(int code);
/* The meaning of the first ("2xx") or second ("x5x") digit of code. */
const struct ref_class *ref_code_class(int code);
const struct ref_class *ref_code_category(int code);
const struct ref_enhanced *ref_enh_class(int cls);
const struct ref_enhanced *ref_enh_subject(int subject);
const struct ref_enhanced *ref_enh_detail(int subject, int detail);
/* Case-insensitive; name need not be NUL-terminated. */
const struct ref_keyword *ref_keyword_find(const char *name, size_t len);
const struct ref_command *ref_command_find(const char *name, size_t len);
/* The first of the rows for parameter name (case-insensitive), and how many
 * rows (the same parameter may be listed once per command) in *n. */
const struct ref_param *ref_param_find(const char *name, size_t len, size_t *n);

/* Case-insensitive, exact. */
const struct ref_persona *ref_persona_find(const char *name, size_t len);
const struct ref_world *ref_world_find(const char *addr, size_t len);
const struct ref_scenario *ref_scenario_find(const char *name, size_t len);

/* ref_rule_find - the server's rule of that name (exact), or NULL */
const struct ref_rule *ref_rule_find(const char *rule);
/* ref_hint_find - the hint for a refusal by rule of verb (any case; NULL
 * for none): the verb's own row, else the rule's row for any verb */
const struct ref_hint *ref_hint_find(const char *rule, const char *verb);
/* ref_meaning_find - what code means after verb ("RCPT", "CONNECT",
 * "DATA-END"; NULL when unknown): the most specific row of
 * data/meanings.rec (the verb's code, ANY's code, the verb's class, ANY's
 * class), or NULL */
const struct ref_meaning *ref_meaning_find(const char *verb, int code);

/* ref_commands_next - the verbs a client may send in the state diagram's
 * phase whose commands.rec key is phase ("greeted", "ready", "mail",
 * "rcpt", "bdat"), space separated, into buf; returns the length.  Only
 * standard commands (not obsolete, vendor or LMTP ones); one that needs
 * an extension only when offered(ctx, keyword) says the server announced
 * it. */
size_t ref_commands_next(const char *phase,
    int (*offered)(void *ctx, const char *keyword), void *ctx,
    char *buf, size_t size);

/* Exact, case-sensitive (reason names are lower case). */
const struct ref_reason *ref_reason_find(const char *name, size_t len);
/* The reason enhanced code X.subject.detail stands for, or NULL. */
const struct ref_reason *ref_enh_reason(int subject, int detail);

/* How a basic reply code and an enhanced code go together (RFC 3463 2,
 * RFC 5248): the enhanced code's class must be the reply's first digit;
 * the registry pairs each detail code with some basic codes; servers
 * pair them in other ways too. */
enum ref_pair_kind {
	REF_PAIR_REGISTERED,	/* the registry lists the pair */
	REF_PAIR_SEEN,		/* not registered, but seen in practice */
	REF_PAIR_UNUSUAL,	/* neither: classes agree, nothing more known */
	REF_PAIR_UNKNOWN,	/* the detail code is not registered */
	REF_PAIR_CLASS,		/* the classes disagree: an error */
	REF_PAIR_LAST
};
enum ref_pair_kind ref_pair_check(int code, int cls, int subject, int detail);

/* ref_list_next - step through a space-separated list: returns 1 and sets
 * the token and its length to the next item, advancing *cursor; 0 at the end. */
int ref_list_next(const char **cursor, const char **tok, size_t *len);
/* ref_list_has - whether list holds the item word (exact, case-sensitive) */
int ref_list_has(const char *list, const char *word, size_t len);
/* ref_list_has_ci - the same, ignoring ASCII case; list may be NULL */
int ref_list_has_ci(const char *list, const char *word, size_t len);

#endif
