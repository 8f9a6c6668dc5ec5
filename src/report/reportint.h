/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reportint.h - what the files of src/report/ share; not for other layers
 *
 * The reader is split by what it reads: reader.c (lines, the kind of
 * input, messages, handing records on), mime.c (RFC 2045-2047 structure
 * and decoding), dsn.c (RFC 3464 fields), prose.c (the text of bounces),
 * maillog.c (log lines), transcript.c (transcripts and reply blocks),
 * classify.c (codes, command, host, reason).  All their
 * state lives in struct report, one fixed-size allocation.
 */
#ifndef SMTPREF_REPORTINT_H
#define SMTPREF_REPORTINT_H

#include <stddef.h>

#include "report/report.h"

#define RW_SMALL 64
#define MIME_BOUNDARY_MAX 200	/* RFC 2046 5.1.1 allows 70 */
#define MIME_HEADER_MAX 2048	/* an unfolded header field kept */
#define PROSE_PAIRS 16		/* ">>> command" / "<<< reply" pairs kept */
#define LOG_SLOTS 128		/* recipients of open log groups */
#define SESSION_QUEUE 32	/* commands awaiting their reply */
#define SESSION_ACCEPTED 64	/* recipients accepted in a transaction */
#define EMITTED_MAX 256		/* addresses handed on, per message */

/* A recipient being put together from what the input says. */
struct rwork {
	char addr[REPORT_ADDR_MAX];
	char action[RW_SMALL];		/* RFC 3464 Action, lower case */
	char status[RW_SMALL];		/* a Status field or a log's dsn= */
	char dtype[RW_SMALL];		/* Diagnostic-Code type: smtp, x-unix */
	char remote[REPORT_ADDR_MAX];
	char command[RW_SMALL];		/* known apart from the text */
	char diag[REPORT_DIAG_MAX];	/* the server's text, or the prose */
	size_t dlen;
	int pipe;			/* delivered to a program */
	int final;			/* a report that the sender gave up */
	int autoreply;			/* an automatic reply (RFC 3834) */
	int fielded;			/* diag is the server's text as is */
	unsigned long line;
	int used;			/* taken by a DSN record */
};

enum report_mode {
	MODE_SNIFF,		/* nothing but blank lines yet */
	MODE_MAIL,		/* a message or an mbox (mime.c) */
	MODE_FIELDS,		/* DSN fields on their own (dsn.c) */
	MODE_TEXT,		/* the text of a bounce, no headers (prose.c) */
	MODE_LOG,		/* log lines (maillog.c) */
	MODE_SESSION,		/* a transcript or replies (transcript.c) */
	MODE_BINARY		/* not text: the rest is skipped */
};

/* What a MIME part's body is to the reader. */
enum part_type {
	PART_TEXT,		/* human-readable: the bounce's prose */
	PART_HTML,		/* the same, tags stripped */
	PART_DSN,		/* message/delivery-status */
	PART_ORIGINAL,		/* message/rfc822, text/rfc822-headers */
	PART_MULTI,		/* multipart/ *: parts between boundaries */
	PART_SKIP		/* anything else: attachments */
};

enum part_enc { ENC_PLAIN, ENC_QP, ENC_BASE64 };

struct mime_part {
	enum part_type type;
	enum part_enc enc;
	int in_headers;		/* reading the part's header fields */
	int alternative;	/* a multipart/alternative */
	int closed;		/* its closing boundary was seen */
	int had_text;		/* (alternative) a text part was read */
	size_t blen;
	char boundary[MIME_BOUNDARY_MAX];
};

struct mime {
	struct mime_part part[REPORT_MIME_DEPTH + 1];
	int depth;		/* part[depth] is the current one */
	char hname[RW_SMALL];	/* the header field being unfolded */
	char hval[MIME_HEADER_MAX];
	size_t hlen;
	int have_field;
	char ctype[MIME_HEADER_MAX];	/* the part's Content-Type so far */
	char cte[RW_SMALL];
	char qp[REPORT_LINE_MAX];	/* a quoted-printable line being joined */
	size_t qplen;
	unsigned b64_acc;		/* base64: bits waiting */
	int b64_bits;
	char dec[REPORT_LINE_MAX];	/* a decoded line being built */
	size_t declen;
	int html_tag;			/* inside <...> across lines */
	int html_skip;			/* inside <style> or <script> */
	int prev_blank;			/* the last raw line was empty (mbox) */
};

struct dsn {
	struct rwork w;
	int in_block;		/* a per-recipient block is being read */
	int open;		/* a field is being unfolded */
	char name[RW_SMALL];	/* its name, lower case */
	char val[REPORT_DIAG_MAX];
	size_t vlen;
};

struct prose_pair {
	char command[RW_SMALL];
	char reply[256];
};

struct prose {
	struct rwork pend[REPORT_PENDING_MAX];
	int npend;
	int cur;			/* the recipient lines attach to, -1 */
	char pre[4 * REPORT_DIAG_MAX];	/* text before the first recipient */
	size_t prelen;
	struct prose_pair pair[PROSE_PAIRS];
	int npairs;
	char pair_cmd[RW_SMALL];	/* the last ">>> " command */
	int stopped;			/* past the report: the original */
	int orig_headers;		/* reading the original's headers */
	char orig_to[REPORT_ADDR_MAX];	/* its To:, a last resort */
	int dsn_fields;			/* DSN fields met in the text */
};

struct log_slot {
	int group;		/* the group it belongs to, -1 when free */
	struct rwork w;
};

struct log_group {
	int open;
	unsigned long seq;	/* order of first appearance */
	char id[RW_SMALL];
	char sender[REPORT_ADDR_MAX];
	char software[RW_SMALL];
	char host[128];
	unsigned long line;
};

struct maillog {
	struct log_group group[REPORT_LOG_GROUPS];
	struct log_slot slot[LOG_SLOTS];
	unsigned long seq;
	unsigned long matched;	/* lines that were log lines */
};

struct session_cmd {
	char verb[RW_SMALL];
	char arg[REPORT_ADDR_MAX];
};

struct session {
	int style;			/* how lines are marked (transcript.c) */
	struct session_cmd queue[SESSION_QUEUE];
	int head, count;		/* commands awaiting replies */
	int greeted;
	int in_data;			/* the message's lines are being sent */
	int clients;			/* client lines seen */
	char from[REPORT_ADDR_MAX];
	char accepted[SESSION_ACCEPTED][REPORT_ADDR_MAX];
	int naccepted;
	int code;			/* the reply being assembled */
	char reply[REPORT_DIAG_MAX];
	size_t rlen;
	unsigned long rline;
	int tls;
};

struct report {
	report_fn *fn;
	void *ctx;
	struct report_summary sum;
	/* lines */
	char line[REPORT_LINE_MAX];
	size_t llen;
	int nl_mode;		/* 0 unknown, 1 LF or CRLF, 2 CR */
	int cr_seen;		/* unknown mode: a CR ends the buffer */
	unsigned long lineno;
	int partial;		/* the line in hand continues the last */
	/* what the input is */
	enum report_mode mode;
	size_t sniffed;
	unsigned char head[16];
	size_t nhead;
	int nul;
	unsigned long ctrl;	/* controls, and octets that are not UTF-8 */
	int utf_need;		/* continuation octets a UTF-8 sequence wants */
	int mbox;
	int any_text;		/* a printable line was read */
	/* the message in hand */
	int msg_open;
	int kind;		/* enum report_kind, -1 until known */
	unsigned long msg_line;
	char software[RW_SMALL];
	char reporter[128];
	char subject[256];
	char sender[REPORT_ADDR_MAX];
	char id[RW_SMALL];
	char peer[128];
	char from[REPORT_ADDR_MAX];	/* the bounce's own From: and To: */
	char to[REPORT_ADDR_MAX];
	char failed[512];		/* X-Failed-Recipients, lower case */
	int autoreply;
	int has_headers;
	unsigned long msg_rcpts;	/* recipients handed on */
	unsigned long msg_dsn;		/* ... of them from DSN fields */
	unsigned emitted[EMITTED_MAX];	/* hashes of addresses handed on */
	int nemitted;
	struct mime mime;
	struct dsn dsn;
	struct prose prose;
	struct maillog log;
	struct session sess;
	/* classify.c's room: what a record's strings point to */
	char lower[REPORT_DIAG_MAX * 2];
	char shown[REPORT_DIAG_MAX];
	char remote[REPORT_ADDR_MAX];
	char action[RW_SMALL];
};

/* reader.c */
void report_msg_begin(struct report *r, enum report_kind kind);
void report_msg_end(struct report *r);
void report_set_kind(struct report *r, enum report_kind kind);
void report_emit(struct report *r, const struct rwork *w, const char *extra);
void report_set_software(struct report *r, const char *name);
void report_rw_init(struct rwork *w, unsigned long line);
void report_rw_append(struct rwork *w, const char *s, size_t n);
void report_copy(char *dst, size_t size, const char *s, size_t n);
void report_set(char *dst, size_t size, const char *s);
size_t report_trim(const char **s, size_t n);
const char *report_find_ci(const char *hay, size_t n, const char *needle);
int report_starts_ci(const char *s, size_t n, const char *prefix);
size_t report_scan_address(const char *s, size_t n);
size_t report_find_address(const char *s, size_t n, size_t *at);
unsigned report_addr_hash(const char *s);
int report_blank(const char *s, size_t n);

/* mime.c */
void report_mime_reset(struct report *r);
void report_mime_line(struct report *r, const char *s, size_t n);
void report_mime_end(struct report *r);
void report_header_field(struct report *r, const char *name,
    const char *val, size_t n);

/* dsn.c */
int report_dsn_field_name(const char *s, size_t n);
void report_dsn_reset(struct report *r);
void report_dsn_line(struct report *r, const char *s, size_t n);
void report_dsn_flush(struct report *r);

/* prose.c */
void report_prose_reset(struct report *r);
void report_prose_line(struct report *r, const char *s, size_t n);
void report_prose_finish(struct report *r);
void report_prose_original(struct report *r, const char *s, size_t n);
struct rwork *report_prose_find(struct report *r, const char *addr);
const char *report_prose_command(const struct report *r, const char *addr,
    const char *diag);
struct rwork *report_prose_single(struct report *r);

/* maillog.c */
int report_log_is_line(const char *s, size_t n);
void report_log_reset(struct report *r);
void report_log_line(struct report *r, const char *s, size_t n);
void report_log_finish(struct report *r);

/* transcript.c */
int report_session_is_line(const char *s, size_t n);
void report_session_reset(struct report *r);
void report_session_line(struct report *r, const char *s, size_t n);
void report_session_finish(struct report *r);

/* classify.c */
void report_classify(struct report *r, const struct rwork *w,
    const char *extra, struct report_rcpt *out);
int report_find_reply(const char *s, size_t n, int *code, size_t *at);

#endif
