/* SPDX-License-Identifier: GPL-3.0-or-later */
/* safefile.h - reading and writing files that others may have planted
 *
 * smtpref reads transcripts, lessons, progress, receipts and keys, and
 * writes transcripts, progress, receipts and the shell's history.  A
 * name it is given may be a FIFO (opening it blocks until a writer comes,
 * so the program hangs), a device such as /dev/zero (endless), a huge
 * file, or a symbolic link planted where smtpref is about to write (the
 * write goes to the link's target, a victim file).  So:
 *
 *   - every read is of a regular file, checked after a non-blocking open
 *     (a FIFO or device is refused at once, never waited on), and of at
 *     most a given size;
 *   - a file is replaced by writing a new one made with mkstemp (O_EXCL,
 *     a name nobody can guess) in the same directory, then rename(2),
 *     which replaces a symbolic link at the target instead of following
 *     it;
 *   - a file written in place (appended to) is opened with O_NOFOLLOW
 *     and must be a regular file.
 *
 * Plain POSIX; errors are returned as text naming the file, never
 * printed.  It lives in src/lesson/ because the lesson layer is the
 * lowest that does file I/O; the console and the front ends use it too.
 */
#ifndef SMTPREF_SAFEFILE_H
#define SMTPREF_SAFEFILE_H

#include <stddef.h>
#include <sys/types.h>

/* safefile_read - the whole regular file path, at most max octets, in a
 * malloc'd buffer with a NUL after the last octet; *len its length.
 * NULL with err when it cannot be read, is not a regular file, or is
 * larger than max.  When missing is not NULL and the file does not
 * exist, *missing is set to 1 and NULL returned with err set too. */
char *safefile_read(const char *path, size_t max, size_t *len, int *missing,
    char *err, size_t errsize);

/* safefile_open - open path for writing (flags: O_TRUNC or O_APPEND, and
 * O_CREAT with mode) without following a symbolic link at its last
 * component and without blocking on a FIFO; what is not a regular file
 * is refused.  The descriptor is blocking and close-on-exec.  -1 with
 * err when refused. */
int safefile_open(const char *path, int flags, mode_t mode, char *err,
    size_t errsize);

/* safefile_write - replace path with buf[0..len) atomically: a mkstemp
 * file beside it, fsync, rename, fsync of the directory.  A symbolic
 * link at path is replaced, not followed.  mode: the new file's mode
 * (0600, or 0666 for something to hand on), less the umask.  0, or -1
 * with err. */
int safefile_write(const char *path, const void *buf, size_t len,
    mode_t mode, char *err, size_t errsize);

/* safefile_write_all - all of p[0..n) to fd, past EINTR and short
 * writes; 0, or -1 with errno */
int safefile_write_all(int fd, const void *p, size_t n);

/* safefile_sync_dir - make a rename or an unlink in dir durable (best
 * effort: some file systems refuse it) */
void safefile_sync_dir(const char *dir);

/* safefile_append_line - append line and '\n' to path (created 0600 when
 * missing) with one write(2).  0, or -1 with err. */
int safefile_append_line(const char *path, const char *line, char *err,
    size_t errsize);

/* safefile_keep_tail - keep only the last max lines of path (at most
 * max_size octets are read), rewritten as safefile_write does; a missing
 * file is fine.  0, or -1 with err. */
int safefile_keep_tail(const char *path, size_t max, size_t max_size,
    char *err, size_t errsize);

#endif
