/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oneliner.h - smtpref connect as a one-line test client (swaks'
 * everyday options)
 *
 * The options build the lines a script would send (MAIL, RCPT..., DATA,
 * the message, QUIT; EHLO, STARTTLS and AUTH's exchange are the peer's)
 * and feed them to the same console as a piped script, step by step: a
 * step that fails ends the session with QUIT, as swaks does.  The
 * verdict and the exit status come from the real-server peer's record
 * (core/outcome.h).
 */
#ifndef SMTPREF_ONELINER_H
#define SMTPREF_ONELINER_H

#include <stddef.h>

#include "core/message.h"
#include "core/outcome.h"
#include "core/tx.h"

struct console;
struct peer;

/* The options' codes, for connect.c's getopt_long table. */
enum {
	ONELINER_FROM = 512, ONELINER_TO, ONELINER_HEADER, ONELINER_BODY,
	ONELINER_DATA, ONELINER_ATTACH, ONELINER_QUIT_AFTER, ONELINER_PIPELINE,
	ONELINER_AUTH, ONELINER_AUTH_USER, ONELINER_AUTH_PASSWORD_FILE,
	ONELINER_AUTH_PASSWORD, ONELINER_JSON, ONELINER_LAST
};

#define ONELINER_PASSWORD_MAX 1024

struct oneliner {
	int active;		/* an option of the one-liner was given */
	const char *from;	/* NULL: LOGNAME@the EHLO name */
	char **to;		/* each recipient, split at commas */
	size_t nto;
	const char **headers;
	size_t nheaders;
	const char *body;	/* TEXT, @FILE or - */
	const char *data;	/* @FILE or -: the whole message */
	const char **attach;	/* @FILE each */
	size_t nattach;
	enum outcome_step quit_after;	/* OUTCOME_DOT: deliver */
	int pipeline;
	int json;
	int auth;
	const char *auth_mech;	/* "plain", "login", or NULL: the best
				 * the server offers */
	const char *auth_user;
	const char *password_file;

	/* made by oneliner_prepare */
	char from_buf[320];
	char password[ONELINER_PASSWORD_MAX];
	int have_password;
	struct message msg;
	int built;
	unsigned char **files;	/* what was read, for the message */
	size_t nfiles;

	/* set by oneliner_run when it decided itself (the server cannot
	 * take the message, AUTH not possible): the status and why */
	int status;
	char why[512];
};

void oneliner_init(struct oneliner *ol);
void oneliner_free(struct oneliner *ol);

/* oneliner_option - one of the options above with its argument (NULL
 * when it has none); 0, or -1 with what is wrong in err */
int oneliner_option(struct oneliner *ol, int opt, const char *arg, char *err,
    size_t errsize);

/* oneliner_check - after all the options: what does not go together,
 * the addresses; has_server: a HOST, --server or --mx was given.  0, or
 * -1 with err. */
int oneliner_check(const struct oneliner *ol, int has_server, char *err,
    size_t errsize);

/* oneliner_domain - where the mail goes without a server: the first
 * recipient's domain (an address literal's brackets kept); NULL when
 * there is no recipient */
const char *oneliner_domain(const struct oneliner *ol, char *buf, size_t size);

/* oneliner_prepare - before connecting: the sender by default, the
 * files read, the message built, and the password (from
 * --auth-password-file, SMTPREF_PASSWORD, or asked with ask()).  0, or
 * -1 with err (exit status 2). */
int oneliner_prepare(struct oneliner *ol, const char *helo,
    int (*ask)(void *ctx, const char *user, char *pw, size_t size),
    void *ask_ctx, char *err, size_t errsize);

/* oneliner_password - the password prepared, for the console's
 * ask_password; 0, or -1 */
int oneliner_password(const struct oneliner *ol, char *pw, size_t size);

/* oneliner_goal - what the options want, for outcome_verdict */
void oneliner_goal(const struct oneliner *ol, int starttls, int implicit_tls,
    struct outcome_goal *g);

/* oneliner_run - the session on the console c (connected to the real
 * server p, which realpeer_new made): the lines, step by step, then QUIT
 * and the end of input.  Notes go to sink. */
void oneliner_run(struct oneliner *ol, struct console *c, struct peer *p,
    const struct outcome_goal *g, const struct tx_sink *sink);

#endif
