/* SPDX-License-Identifier: GPL-3.0-or-later */
/* message.h - the message smtpref connect sends as a one-line test
 * client: a real one, as RFC 5322 and MIME want it
 *
 * From the envelope and what the user gave (headers, a body, files to
 * attach), message_build makes the lines of the message: Date,
 * Message-ID, From, To and Subject added when the user gave none (RFC
 * 5322 3.6), MIME (RFC 2045, 2046, 2183) for attachments, base64 for
 * their content, and a text body declared 8bit when it is not ASCII.
 * Or, with a whole message given, its lines as they are.  It also says
 * what the content needs of the server: 8BITMIME (RFC 6152) for 8-bit
 * octets, SMTPUTF8 (RFC 6531, 6532) for UTF-8 in the addresses or
 * headers.  Lines have no line ending: the sender adds CRLF and
 * dot-stuffs them (RFC 5321 4.5.2).
 *
 * Pure: no I/O, no clock.  The caller reads the files and passes the
 * time, and what makes the Message-ID unique.
 */
#ifndef SMTPREF_MESSAGE_H
#define SMTPREF_MESSAGE_H

#include <stddef.h>
#include <time.h>

struct message_attachment {
	const char *name;	/* the file's name, without its directory */
	const unsigned char *data;
	size_t len;
};

struct message_spec {
	const char *from;		/* the envelope sender ("" for <>) */
	const char *const *to;		/* the recipients */
	size_t nto;
	const char *domain;		/* for Message-ID and a null sender's From */
	const char *const *headers;	/* "Name: value", the user's own */
	size_t nheaders;
	const char *body;		/* NULL: a short default text */
	size_t body_len;
	const struct message_attachment *attach;
	size_t nattach;
	const char *raw;		/* non-NULL: the whole message, as is */
	size_t raw_len;
	struct tm date;			/* local time, for Date: */
	int utc_offset_min;		/* east of UTC */
	const char *unique;		/* for Message-ID and the MIME boundary:
					 * letters, digits and dots */
};

struct message {
	char *text;		/* the lines, each ended by '\n' */
	size_t len;
	size_t lines;
	size_t size;		/* octets on the wire with CRLF, before
				 * dot-stuffing (RFC 1870 SIZE=) */
	int needs_8bit;		/* octets above 127: BODY=8BITMIME */
	int needs_utf8;		/* UTF-8 in addresses or headers: SMTPUTF8 */
	size_t added;		/* headers smtpref added */
};

/* message_header_ok - "Name: value" is a header field a user may give:
 * a name of printable ASCII without ':' (RFC 5322 2.2), a colon, and a
 * value with no CR, LF or NUL.  NULL, or what is wrong. */
const char *message_header_ok(const char *h);

/* message_type - the MIME type guessed from a file name's extension
 * ("application/octet-stream" when unknown) */
const char *message_type(const char *name);

/* message_build - the message into *m (message_free releases it).  0,
 * or -1 with what is wrong in err (a NUL octet in the body, out of
 * memory). */
int message_build(const struct message_spec *s, struct message *m,
    char *err, size_t errsize);
void message_free(struct message *m);

/* message_line - the line at *pos (0 to start), its length in *len;
 * moves *pos to the next.  NULL after the last. */
const char *message_line(const struct message *m, size_t *pos, size_t *len);

#endif
