/* SPDX-License-Identifier: GPL-3.0-or-later */
/* maildir.h - messages kept in a Maildir (smtpref listen --maildir)
 *
 * The Maildir format of qmail (D. J. Bernstein, maildir(5)): each
 * message is written into DIR/tmp/ under a name no other delivery uses,
 * synced, then renamed into DIR/new/, so a reader never sees half a
 * message.  Lines end in LF, as mail readers expect.  Nothing prints.
 */
#ifndef SMTPREF_MAILDIR_H
#define SMTPREF_MAILDIR_H

#include <stddef.h>

struct maildir_msg;

/* maildir_prepare - dir with its tmp/, new/ and cur/, each created when
 * missing (mode 0700); 0, or -1 with err set */
int maildir_prepare(const char *dir, char *err, size_t errlen);

/* maildir_begin - a new message in dir/tmp/, starting with head (the
 * Return-Path: and Received: lines, each ending in LF); NULL with err */
struct maildir_msg *maildir_begin(const char *dir, const char *head,
    char *err, size_t errlen);
/* maildir_line - a line of the message as sent after DATA (without its
 * line ending, still dot-stuffed): written unstuffed, ending in LF */
void maildir_line(struct maildir_msg *m, const char *line, size_t len);
/* maildir_chunk - octets of a BDAT chunk, as sent: CRLF becomes LF */
void maildir_chunk(struct maildir_msg *m, const char *p, size_t len);
/* maildir_sync - everything written so far is on the disk; 0, or -1
 * with err set (then the message cannot be kept) */
int maildir_sync(struct maildir_msg *m, char *err, size_t errlen);
/* maildir_commit - sync, and rename into dir/new/; its name (without
 * the directory) into name.  m is freed either way.  0, or -1 with err
 * set and nothing left behind. */
int maildir_commit(struct maildir_msg *m, char *name, size_t size, char *err,
    size_t errlen);
/* maildir_abort - drop the message: nothing is left behind */
void maildir_abort(struct maildir_msg *m);

#endif
