/* SPDX-License-Identifier: GPL-3.0-or-later */
/* maildir.c - messages kept in a Maildir (smtpref listen --maildir)
 *
 * A unique name is "SECONDS.MMICROSECONDSPPIDQN.HOST", where N counts the
 * deliveries of this process; the file is written through stdio, synced
 * with fsync before it is renamed from tmp/ into new/, and unlinked when
 * the message is refused or the connection drops.
 */
#include <config.h>

#include "net/maildir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

struct maildir_msg {
	FILE *f;
	int failed;		/* a write failed: errno_saved says why */
	int errno_saved;
	int cr;			/* BDAT: a CR ended the last chunk */
	char dir[PATH_MAX];
	char name[256];
	char tmp[PATH_MAX];
};

static unsigned long deliveries;

static void say(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int make_dir(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(path, 0700) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	say(err, errlen, "cannot create the directory %s: %s", path,
	    errno == EEXIST ? "a file of that name is in the way" : strerror(errno));
	return -1;
}

int maildir_prepare(const char *dir, char *err, size_t errlen)
{
	static const char *const subs[] = { "tmp", "new", "cur" };
	char path[PATH_MAX];
	size_t i;

	if (strlen(dir) + 5 >= sizeof path) {
		say(err, errlen, "the Maildir's name is too long: %s", dir);
		return -1;
	}
	if (make_dir(dir, err, errlen) != 0)
		return -1;
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, subs[i]);
		if (make_dir(path, err, errlen) != 0)
			return -1;
	}
	snprintf(path, sizeof path, "%s/tmp", dir);
	if (access(path, W_OK) != 0) {
		say(err, errlen, "cannot write into %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* unique - this delivery's name; '/' and ':' in the host are written
 * \057 and \072 (maildir(5)) */
static void unique(char *out, size_t size)
{
	struct timeval tv;
	char host[128], safe[160];
	size_t i, o = 0;

	gettimeofday(&tv, NULL);
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = 0;
	for (i = 0; host[i] && o + 5 < sizeof safe; i++) {
		if (host[i] == '/' || host[i] == ':')
			o += (size_t)snprintf(safe + o, sizeof safe - o, "\\%03o",
			    (unsigned char)host[i]);
		else
			safe[o++] = host[i];
	}
	safe[o] = 0;
	snprintf(out, size, "%lld.M%ldP%ldQ%lu.%s", (long long)tv.tv_sec,
	    (long)tv.tv_usec, (long)getpid(), ++deliveries, safe);
}

struct maildir_msg *maildir_begin(const char *dir, const char *head,
    char *err, size_t errlen)
{
	struct maildir_msg *m = calloc(1, sizeof *m);
	int fd;

	if (m == NULL) {
		say(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(m->dir, sizeof m->dir, "%s", dir);
	unique(m->name, sizeof m->name);
	snprintf(m->tmp, sizeof m->tmp, "%s/tmp/%s", dir, m->name);
	fd = open(m->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || (m->f = fdopen(fd, "w")) == NULL) {
		say(err, errlen, "cannot create %s: %s", m->tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(m->tmp);
		}
		free(m);
		return NULL;
	}
	if (fputs(head, m->f) == EOF) {
		m->failed = 1;
		m->errno_saved = errno;
	}
	return m;
}

static void put(struct maildir_msg *m, const char *p, size_t len)
{
	if (m->failed || len == 0)
		return;
	if (fwrite(p, 1, len, m->f) != len) {
		m->failed = 1;
		m->errno_saved = errno;
	}
}

void maildir_line(struct maildir_msg *m, const char *line, size_t len)
{
	if (len > 0 && line[0] == '.') {	/* RFC 5321 4.5.2 */
		line++;
		len--;
	}
	put(m, line, len);
	put(m, "\n", 1);
}

void maildir_chunk(struct maildir_msg *m, const char *p, size_t len)
{
	const char *end = p + len;

	while (p < end) {
		const char *cr;

		if (m->cr) {
			m->cr = 0;
			if (*p == '\n') {
				put(m, "\n", 1);
				p++;
				continue;
			}
			put(m, "\r", 1);
		}
		cr = memchr(p, '\r', (size_t)(end - p));
		if (cr == NULL) {
			put(m, p, (size_t)(end - p));
			return;
		}
		put(m, p, (size_t)(cr - p));
		m->cr = 1;
		p = cr + 1;
	}
}

int maildir_sync(struct maildir_msg *m, char *err, size_t errlen)
{
	if (m->cr) {
		m->cr = 0;
		put(m, "\r", 1);
	}
	if (!m->failed && (fflush(m->f) != 0 || fsync(fileno(m->f)) != 0)) {
		m->failed = 1;
		m->errno_saved = errno;
	}
	if (m->failed) {
		say(err, errlen, "cannot write %s: %s", m->tmp,
		    strerror(m->errno_saved));
		return -1;
	}
	return 0;
}

int maildir_commit(struct maildir_msg *m, char *name, size_t size, char *err,
    size_t errlen)
{
	char path[PATH_MAX + 300];
	int rc = maildir_sync(m, err, errlen);

	if (fclose(m->f) != 0 && rc == 0) {
		say(err, errlen, "cannot write %s: %s", m->tmp, strerror(errno));
		rc = -1;
	}
	m->f = NULL;
	snprintf(path, sizeof path, "%s/new/%s", m->dir, m->name);
	if (rc == 0 && rename(m->tmp, path) != 0) {
		say(err, errlen, "cannot move %s into %s/new: %s", m->tmp,
		    m->dir, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(m->tmp);
	else if (name)
		snprintf(name, size, "%s", m->name);
	free(m);
	return rc;
}

void maildir_abort(struct maildir_msg *m)
{
	if (m == NULL)
		return;
	if (m->f)
		fclose(m->f);
	unlink(m->tmp);
	free(m);
}
