/* SPDX-License-Identifier: GPL-3.0-or-later */
/* safefile.c - reading and writing files that others may have planted
 * (safefile.h says what is guarded against, and how) */
#include <config.h>

#include "lesson/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

/* kind - what a file that is not a regular one is, for messages */
static const char *kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISLNK(m))
		return "a symbolic link";
	return "not a regular file";
}

/* regular - fd is a regular file, made blocking again; -1 with err */
static int regular(int fd, const char *path, char *err, size_t errsize)
{
	struct stat sb;
	int fl;

	if (fstat(fd, &sb) != 0) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errsize, "%s is %s, not a regular file: refused",
		    path, kind(sb.st_mode));
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

char *safefile_read(const char *path, size_t max, size_t *len, int *missing,
    char *err, size_t errsize)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	size_t n = 0;
	char *buf;

	*len = 0;
	if (missing)
		*missing = 0;
	if (fd < 0) {
		if (missing && errno == ENOENT)
			*missing = 1;
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (regular(fd, path, err, errsize) != 0) {
		close(fd);
		return NULL;
	}
	buf = malloc(max + 2);
	if (buf == NULL) {
		close(fd);
		snprintf(err, errsize, "%s: out of memory", path);
		return NULL;
	}
	/* one octet more than max tells a file that is too large */
	while (n <= max) {
		ssize_t r = read(fd, buf + n, max + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errsize, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		snprintf(err, errsize, "%s: larger than %zu octets: refused", path,
		    max);
		goto fail;
	}
	close(fd);
	buf[n] = 0;
	*len = n;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

int safefile_open(const char *path, int flags, mode_t mode, char *err,
    size_t errsize)
{
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    (flags & (O_CREAT | O_TRUNC | O_APPEND)), mode);

	if (fd < 0) {
		struct stat sb;

		int e = errno;

		if (e == ELOOP && lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
			snprintf(err, errsize, "%s is a symbolic link: not followed, nothing written",
			    path);
		else if (e == ENXIO && lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
			snprintf(err, errsize, "%s is %s, not a regular file: refused",
			    path, kind(sb.st_mode));	/* a FIFO nobody reads */
		else
			snprintf(err, errsize, "%s: %s", path, strerror(e));
		return -1;
	}
	if (regular(fd, path, err, errsize) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int safefile_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* dir_of - the directory part of path into buf ("." for none) */
static void dir_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(buf, size, ".");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

int safefile_write(const char *path, const void *buf, size_t len,
    mode_t mode, char *err, size_t errsize)
{
	char tmp[4200], dir[4200];
	int fd, e;

	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
		snprintf(err, errsize, "%s: the file name is too long", path);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errsize, "cannot write %s (a new file beside it): %s",
		    path, strerror(errno));
		return -1;
	}
	{
		mode_t um = umask(077);	/* read it, then put it back */

		umask(um);
		mode &= ~um;
	}
	if (fchmod(fd, mode) != 0 || safefile_write_all(fd, buf, len) != 0 ||
	    fsync(fd) != 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		snprintf(err, errsize, "cannot write %s: %s", path, strerror(e));
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		snprintf(err, errsize, "cannot write %s: %s", path, strerror(e));
		return -1;
	}
	/* the rename is durable once the directory is */
	dir_of(path, dir, sizeof dir);
	safefile_sync_dir(dir);
	return 0;
}

void safefile_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);	/* best effort: some file systems refuse it */
		close(fd);
	}
}

int safefile_append_line(const char *path, const char *line, char *err,
    size_t errsize)
{
	size_t n = strlen(line);
	char *buf = malloc(n + 1);
	int fd, rc = 0;

	if (buf == NULL) {
		snprintf(err, errsize, "%s: out of memory", path);
		return -1;
	}
	memcpy(buf, line, n);
	buf[n] = '\n';
	fd = safefile_open(path, O_CREAT | O_APPEND, 0600, err, errsize);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	if (safefile_write_all(fd, buf, n + 1) != 0) {
		snprintf(err, errsize, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (close(fd) != 0 && rc == 0) {
		snprintf(err, errsize, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(buf);
	return rc;
}

int safefile_keep_tail(const char *path, size_t max, size_t max_size,
    char *err, size_t errsize)
{
	int missing;
	size_t len, lines = 0, i;
	char *text = safefile_read(path, max_size, &len, &missing, err, errsize);
	const char *start;
	int rc;

	if (text == NULL)
		return missing ? 0 : -1;
	/* count from the end: the start of the last max lines */
	i = len;
	if (i > 0 && text[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (text[i - 1] == '\n' && ++lines == max)
			break;
		i--;
	}
	if (i == 0) {
		free(text);
		return 0;	/* no more than max lines: nothing to cut */
	}
	start = text + i;
	rc = safefile_write(path, start, len - i, 0600, err, errsize);
	free(text);
	return rc;
}
