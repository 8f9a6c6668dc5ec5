/* connect.h - smtpref connect: a session with a real SMTP server */
#ifndef SMTPREF_CONNECT_H
#define SMTPREF_CONNECT_H

#include <stddef.h>

#include "tx.h"

/* connect_main - argv[0] is "connect"; returns the exit status: 0 the
 * session ended with 221, 1 it ended otherwise, 2 usage, 3 a network or
 * TLS failure */
int connect_main(int argc, char **argv);

/* connect_saved_line - the line a saved transcript holds for item, in
 * swaks's style: " -> " sent, "<-  " received, " ~> " and "<~  " under
 * TLS, "=== " a note, "*** " an error or a server's violation; nothing
 * for explanations.  Writes out (NUL-terminated, cut to size) and
 * returns its length, or 0 when the item is not saved. */
size_t connect_saved_line(const struct tx_item *it, char *out, size_t size);

#endif
