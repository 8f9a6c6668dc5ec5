/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress.c - lesson progress files in the XDG state directory
 *
 * The file is "key: value" lines, like the lesson files, so that a
 * curious learner can read it; the program rewrites it whole, atomically,
 * after every step (progress.h).
 */
#include <config.h>

#include "lesson/progress.h"

#include "core/printable.h"
#include "lesson/safefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define FORMAT_VERSION 1

/* ---- paths -------------------------------------------------------------- */

static int path(char *buf, size_t size, const char *dir, const char *name,
    const char *ext, char *err, size_t errsize)
{
	int n = snprintf(buf, size, "%s/%s%s", dir, name, ext);

	if (n < 0 || (size_t)n >= size) {
		snprintf(err, errsize, "the path %s/%s%s is too long", dir, name, ext);
		return -1;
	}
	return 0;
}

/* mkdirs - make dir and its missing parents, mode 0700 */
static int mkdirs(char *dir, char *err, size_t errsize)
{
	char *p;
	struct stat sb;

	for (p = dir + 1; ; p++) {
		char c = *p;

		if (c != '/' && c != 0)
			continue;
		*p = 0;
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errsize, "cannot create %s: %s", dir, strerror(errno));
			*p = c;
			return -1;
		}
		*p = c;
		if (c == 0)
			break;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errsize, "%s is not a directory", dir);
		return -1;
	}
	return 0;
}

int progress_dir(char *buf, size_t size, int create, char *err, size_t errsize)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	/* the XDG base directory spec ignores a relative path */
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/smtpref", xdg);
	else if (home && home[0])
		n = snprintf(buf, size, "%s/.local/state/smtpref", home);
	else {
		snprintf(err, errsize, "neither XDG_STATE_HOME nor HOME is set: nowhere to keep progress");
		return -1;
	}
	if (n < 0 || (size_t)n >= size) {
		snprintf(err, errsize, "the state directory's path is too long");
		return -1;
	}
	return create ? mkdirs(buf, err, errsize) : 0;
}

/* ---- the text ----------------------------------------------------------- */

void progress_init(struct progress *p, const struct lesson *l, long long now)
{
	memset(p, 0, sizeof *p);
	snprintf(p->lesson, sizeof p->lesson, "%s", l->name);
	snprintf(p->title, sizeof p->title, "%s", l->title ? l->title : "");
	p->steps = l->nsteps;
	p->started = now;
}

/* clean - the title without control characters (it is one line) */
static void clean(const char *s, char *out, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
	out[i] = 0;
}

size_t progress_format(const struct progress *p, char *buf, size_t size)
{
	char title[sizeof p->title];
	int n;

	clean(p->title, title, sizeof title);
	n = snprintf(buf, size,
	    "# smtpref lesson progress: written by smtpref after every step\n"
	    "format: %d\n"
	    "lesson: %s\n"
	    "title: %s\n"
	    "%s%s%s"
	    "step: %lu\n"
	    "steps: %lu\n"
	    "passed: %lu\n"
	    "skipped: %lu\n"
	    "tries: %lu\n"
	    "done: %s\n"
	    "started: %lld\n"
	    "finished: %lld\n"
	    "transcript: %llu\n"
	    "transcript-lost: %s\n",
	    FORMAT_VERSION, p->lesson, title, p->learner[0] ? "learner: " : "",
	    p->learner, p->learner[0] ? "\n" : "", p->step, p->steps, p->passed,
	    p->skipped, p->tries, p->done ? "yes" : "no", p->started,
	    p->finished, p->transcript, p->transcript_lost ? "yes" : "no");
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}

/* num - a decimal number up to max filling s[0..n) */
static int num(const char *s, size_t n, unsigned long long max,
    unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (n == 0 || n > 19)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

enum field {
	F_FORMAT, F_LESSON, F_TITLE, F_STEP, F_STEPS, F_PASSED, F_SKIPPED,
	F_TRIES, F_DONE, F_STARTED, F_FINISHED, F_TRANSCRIPT, F_LOST,
	F_LEARNER, F_LAST
};

static const char *const field_names[] = {
	"format", "lesson", "title", "step", "steps", "passed", "skipped",
	"tries", "done", "started", "finished", "transcript", "transcript-lost",
	"learner",
};
_Static_assert(sizeof field_names / sizeof field_names[0] == F_LAST,
    "one name per field");

static int yesno(const char *v, size_t n, int *out)
{
	if (n == 3 && memcmp(v, "yes", 3) == 0)
		*out = 1;
	else if (n == 2 && memcmp(v, "no", 2) == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

int progress_parse(const char *file, const char *text, size_t len,
    struct progress *p, char *err, size_t errsize)
{
	size_t pos = 0;
	unsigned line = 0, seen = 0;
	const unsigned need = 1u << F_FORMAT | 1u << F_LESSON | 1u << F_STEP |
	    1u << F_STEPS | 1u << F_DONE;

	memset(p, 0, sizeof *p);
	if (len > PROGRESS_FILE_MAX) {
		snprintf(err, errsize, "%s: larger than a progress file can be", file);
		return -1;
	}
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos), *v;
		size_t n = nl ? (size_t)(nl - s) : len - pos, k, kl, vn;
		unsigned long long x;
		int bad = 0;

		pos += n + (nl ? 1 : 0);
		line++;
		if (n == 0 || s[0] == '#')
			continue;
		if (memchr(s, 0, n)) {
			snprintf(err, errsize, "%s:%u: a NUL byte", file, line);
			return -1;
		}
		for (kl = 0; kl < n && s[kl] != ':'; kl++)
			;
		for (k = 0; k < F_LAST; k++)
			if (strlen(field_names[k]) == kl &&
			    memcmp(s, field_names[k], kl) == 0)
				break;
		if (kl == n || k == F_LAST) {
			snprintf(err, errsize, "%s:%u: not a line of a progress file", file, line);
			return -1;
		}
		if (seen & 1u << k) {
			snprintf(err, errsize, "%s:%u: %s is given twice", file, line,
			    field_names[k]);
			return -1;
		}
		seen |= 1u << k;
		v = s + kl + 1;
		vn = n - kl - 1;
		if (vn > 0 && *v == ' ') {
			v++;
			vn--;
		}
		switch ((enum field)k) {
		case F_FORMAT:
			bad = num(v, vn, 1000, &x) != 0;
			if (!bad && x != FORMAT_VERSION) {
				snprintf(err, errsize, "%s:%u: format %llu is not one this smtpref reads (%d)",
				    file, line, x, FORMAT_VERSION);
				return -1;
			}
			break;
		case F_LESSON:
			bad = vn == 0 || vn >= sizeof p->lesson;
			if (!bad) {
				memcpy(p->lesson, v, vn);
				p->lesson[vn] = 0;
			}
			break;
		case F_TITLE:
			if (vn >= sizeof p->title)
				vn = sizeof p->title - 1;
			memcpy(p->title, v, vn);
			p->title[vn] = 0;
			break;
		case F_LEARNER:
			bad = vn >= sizeof p->learner;
			if (!bad) {
				memcpy(p->learner, v, vn);
				p->learner[vn] = 0;
				bad = !progress_learner_ok(p->learner);
			}
			break;
		case F_STEP:
		case F_STEPS:
		case F_PASSED:
		case F_SKIPPED:
		case F_TRIES:
			bad = num(v, vn, 1000000000ull, &x) != 0;
			if (!bad) {
				unsigned long *f = k == F_STEP ? &p->step : k == F_STEPS ?
				    &p->steps : k == F_PASSED ? &p->passed : k == F_SKIPPED ?
				    &p->skipped : &p->tries;

				*f = (unsigned long)x;
			}
			break;
		case F_DONE:
			bad = yesno(v, vn, &p->done) != 0;
			break;
		case F_LOST:
			bad = yesno(v, vn, &p->transcript_lost) != 0;
			break;
		case F_STARTED:
		case F_FINISHED:
			bad = num(v, vn, 1ull << 62, &x) != 0;
			if (!bad)
				*(k == F_STARTED ? &p->started : &p->finished) = (long long)x;
			break;
		case F_TRANSCRIPT:
			bad = num(v, vn, PROGRESS_TRANSCRIPT_MAX, &x) != 0;
			if (!bad)
				p->transcript = x;
			break;
		case F_LAST:
			break;
		}
		if (bad) {
			snprintf(err, errsize, "%s:%u: a bad value for %s", file, line,
			    field_names[k]);
			return -1;
		}
	}
	if ((seen & need) != need) {
		for (line = 0; line < F_LAST; line++)
			if ((need & 1u << line) && !(seen & 1u << line))
				break;
		snprintf(err, errsize, "%s: the progress file lacks %s:", file,
		    field_names[line < F_LAST ? line : 0]);
		return -1;
	}
	if (p->step > p->steps) {
		snprintf(err, errsize, "%s: step %lu is past the lesson's %lu steps",
		    file, p->step, p->steps);
		return -1;
	}
	return 0;
}

/* ---- files -------------------------------------------------------------- */

int progress_load(const char *dir, const char *name, struct progress *p,
    int *found, char *err, size_t errsize)
{
	char file[PROGRESS_DIR_MAX + LESSON_NAME_MAX + 16];
	size_t n;
	int missing;
	char *buf;

	*found = 0;
	memset(p, 0, sizeof *p);
	snprintf(p->lesson, sizeof p->lesson, "%s", name);
	if (path(file, sizeof file, dir, name, ".progress", err, errsize) != 0)
		return -1;
	/* a FIFO or a device planted here is refused, never waited on */
	buf = safefile_read(file, PROGRESS_FILE_MAX, &n, &missing, err, errsize);
	if (buf == NULL)
		return missing ? 0 : -1;
	*found = 1;
	if (progress_parse(file, buf, n, p, err, errsize) != 0) {
		free(buf);
		return -1;
	}
	free(buf);
	if (strcmp(p->lesson, name) != 0) {
		snprintf(err, errsize, "%s: it is the progress of lesson %s, not %s",
		    file, p->lesson, name);
		return -1;
	}
	return 0;
}

int progress_save(const char *dir, const struct progress *p, char *err,
    size_t errsize)
{
	char file[PROGRESS_DIR_MAX + LESSON_NAME_MAX + 16];
	char buf[PROGRESS_FILE_MAX];
	size_t n = progress_format(p, buf, sizeof buf);

	if (n == 0) {
		snprintf(err, errsize, "the progress does not fit in a file");
		return -1;
	}
	if (path(file, sizeof file, dir, p->lesson, ".progress", err, errsize) != 0)
		return -1;
	/* mkstemp beside it, fsync, rename, the directory synced */
	return safefile_write(file, buf, n, 0600, err, errsize);
}

void progress_step(struct progress *p, size_t next, int passed, int skipped)
{
	p->step = next > p->steps ? p->steps : (unsigned long)next;
	if (passed)
		p->passed++;
	if (skipped)
		p->skipped++;
}

void progress_finish(struct progress *p, long long now)
{
	p->done = 1;
	p->step = p->steps;
	p->finished = now;
}

int progress_transcript_append(const char *dir, struct progress *p,
    const char *text, size_t len, char *err, size_t errsize)
{
	char file[PROGRESS_DIR_MAX + LESSON_NAME_MAX + 16];
	struct stat sb;
	int fd, e;

	if (path(file, sizeof file, dir, p->lesson, ".transcript", err, errsize) != 0)
		return -1;
	if (p->transcript >= PROGRESS_TRANSCRIPT_MAX)
		return 0;
	if (len > PROGRESS_TRANSCRIPT_MAX - p->transcript)
		len = (size_t)(PROGRESS_TRANSCRIPT_MAX - p->transcript);
	/* never through a symbolic link, never blocking on a FIFO */
	fd = safefile_open(file, O_CREAT, 0600, err, errsize);
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0) {
		e = errno;
		close(fd);
		snprintf(err, errsize, "cannot read %s: %s", file, strerror(e));
		return -1;
	}
	/* octets written after the last save (a crash in between) are not
	 * part of it; a file shorter than counted lost some */
	if ((unsigned long long)sb.st_size < p->transcript) {
		p->transcript_lost = 1;
		p->transcript = (unsigned long long)sb.st_size;
	}
	if (ftruncate(fd, (off_t)p->transcript) != 0 ||
	    lseek(fd, (off_t)p->transcript, SEEK_SET) < 0 ||
	    safefile_write_all(fd, text, len) != 0 || fsync(fd) != 0) {
		e = errno;
		close(fd);
		snprintf(err, errsize, "cannot write %s: %s", file, strerror(e));
		return -1;
	}
	if (close(fd) != 0) {
		snprintf(err, errsize, "cannot write %s: %s", file, strerror(errno));
		return -1;
	}
	p->transcript += len;
	return 0;
}

int progress_transcript_read(const char *dir, const struct progress *p,
    char **buf, size_t *len, char *err, size_t errsize)
{
	char file[PROGRESS_DIR_MAX + LESSON_NAME_MAX + 16];
	size_t want = (size_t)p->transcript, n;
	char *b;

	*buf = NULL;
	*len = 0;
	if (path(file, sizeof file, dir, p->lesson, ".transcript", err, errsize) != 0)
		return -1;
	if (want == 0) {
		b = malloc(1);
		if (b == NULL) {
			snprintf(err, errsize, "out of memory");
			return -1;
		}
		b[0] = 0;
		*buf = b;
		return 0;
	}
	/* a crash between an append and its save may have left a little
	 * more than counted */
	b = safefile_read(file, 2 * PROGRESS_TRANSCRIPT_MAX, &n, NULL, err, errsize);
	if (b == NULL)
		return -1;
	if (n < want) {
		snprintf(err, errsize, "%s is shorter than the progress file says (%zu of %zu octets)",
		    file, n, want);
		free(b);
		return -1;
	}
	/* octets past the count are from a step that was never saved */
	b[want] = 0;
	*buf = b;
	*len = want;
	return 0;
}

int progress_learner_ok(const char *name)
{
	size_t w, n = strlen(name);

	/* a receipt's line loses blanks at its ends: none there */
	return n > 0 && n <= PROGRESS_LEARNER_MAX && name[0] != ' ' &&
	    name[n - 1] != ' ' && printable_bad(name, n, 0, &w) == n;
}

/* step_record - "=== step K of N: VERDICT" at s[0..n): 1 passed, 2
 * skipped, 0 not a step record */
static int step_record(const char *s, size_t n, unsigned long *k,
    unsigned long *of)
{
	char verdict[16];
	char line[96];
	int used = 0;

	if (n < 14 || n >= sizeof line || memcmp(s, "=== step ", 9) != 0)
		return 0;
	memcpy(line, s, n);
	line[n] = 0;
	if (sscanf(line, "=== step %lu of %lu: %15s%n", k, of, verdict, &used) != 3 ||
	    (size_t)used != n)
		return 0;
	if (strcmp(verdict, "passed") == 0)
		return 1;
	return strcmp(verdict, "skipped") == 0 ? 2 : 0;
}

/* branches - whether the lesson can take more than one way */
static int branches(const struct lesson *l)
{
	size_t i;

	for (i = 0; i < l->nsteps; i++)
		if (l->steps[i].nbranches > 0 || l->steps[i].kind == LESSON_GOTO)
			return 1;
	return 0;
}

static int checked(const struct lesson_step *st)
{
	return st->kind == LESSON_SEND || st->kind == LESSON_REPLY ||
	    st->kind == LESSON_ASK;
}

int progress_steps_check(const char *text, size_t len,
    unsigned long claimed, const struct lesson *l, char *err,
    size_t errsize)
{
	unsigned long passed = 0, skipped = 0, k, of, nsteps = 0;
	unsigned char *seen = NULL;
	size_t pos = 0, i;
	int rc = -1;

	if (l) {
		seen = calloc(l->nsteps + 1, 1);
		if (seen == NULL) {
			snprintf(err, errsize, "out of memory");
			return -1;
		}
	}
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		int r = step_record(s, n, &k, &of);

		pos += n + (nl ? 1 : 0);
		if (r == 0)
			continue;
		if (k == 0 || k > of || (nsteps && of != nsteps)) {
			snprintf(err, errsize, "its step records disagree with one another");
			goto out;
		}
		nsteps = of;
		if (r == 2) {
			skipped++;
			continue;
		}
		passed++;
		if (l) {
			if (of != l->nsteps) {
				snprintf(err, errsize, "it is a transcript of a lesson of %lu steps; %s has %zu",
				    of, l->name, l->nsteps);
				goto out;
			}
			if (!checked(&l->steps[k - 1])) {
				snprintf(err, errsize, "it records step %lu as passed, but that step of %s checks nothing",
				    k, l->name);
				goto out;
			}
			seen[k - 1] = 1;
		}
	}
	if (skipped) {
		snprintf(err, errsize, "it records %lu skipped step%s", skipped,
		    skipped == 1 ? "" : "s");
		goto out;
	}
	if (passed != claimed) {
		snprintf(err, errsize, "it records %lu checked step%s passed, not the %lu claimed",
		    passed, passed == 1 ? "" : "s", claimed);
		goto out;
	}
	if (l && !branches(l))
		for (i = 0; i < l->nsteps; i++)
			if (checked(&l->steps[i]) && !seen[i]) {
				snprintf(err, errsize, "it does not record step %zu of %s (%zu steps) as passed",
				    i + 1, l->name, l->nsteps);
				goto out;
			}
	rc = 0;
out:
	free(seen);
	return rc;
}

int progress_lock(const char *dir, const char *name, int *busy, char *err,
    size_t errsize)
{
	char file[PROGRESS_DIR_MAX + LESSON_NAME_MAX + 16];
	int fd;

	*busy = 0;
	if (path(file, sizeof file, dir, name, ".lock", err, errsize) != 0)
		return -1;
	fd = safefile_open(file, O_CREAT, 0600, err, errsize);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		*busy = errno == EWOULDBLOCK;
		if (*busy)
			snprintf(err, errsize, "lesson %s is already running (another smtpref holds %s): finish it there, or leave it with :lesson stop, first",
			    name, file);
		else
			snprintf(err, errsize, "cannot lock %s: %s", file, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void progress_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* the lock goes with the descriptor */
}

int progress_reset(const char *dir, const char *name, char *err,
    size_t errsize)
{
	static const char *const exts[] = { ".progress", ".transcript" };
	char file[PROGRESS_DIR_MAX + LESSON_NAME_MAX + 16];
	int any = 0;
	size_t i;

	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		if (path(file, sizeof file, dir, name, exts[i], err, errsize) != 0)
			return -1;
		if (unlink(file) == 0)
			any = 1;
		else if (errno != ENOENT) {
			snprintf(err, errsize, "cannot remove %s: %s", file, strerror(errno));
			return -1;
		}
	}
	if (any)
		safefile_sync_dir(dir);
	return any;
}

int progress_each(const char *dir, void (*fn)(void *ctx, const char *name),
    void *ctx)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char name[LESSON_NAME_MAX];

		if (n <= 9 || strcmp(e->d_name + n - 9, ".progress") != 0 ||
		    e->d_name[0] == '.' || n - 9 >= sizeof name)
			continue;
		memcpy(name, e->d_name, n - 9);
		name[n - 9] = 0;
		fn(ctx, name);
	}
	closedir(d);
	return 0;
}
