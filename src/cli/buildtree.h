/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buildtree.h - does this program run from its build tree?
 *
 * `make` writes a marker file, smtpref-build-tree, beside the programs it
 * builds (src/); it is never installed.  A program that finds the marker
 * beside its own executable runs from its build tree and uses that
 * tree's smtpref-interactive and lessons; otherwise it is an installed
 * copy and uses the configured directories.  CPython finds its build
 * directory the same way (pybuilddir.txt beside the executable).  See
 * doc/DESIGN.md, "Running from the build tree".
 */
#ifndef SMTPREF_BUILDTREE_H
#define SMTPREF_BUILDTREE_H

#include <stddef.h>

#define BUILDTREE_MARKER "smtpref-build-tree"
#define BUILDTREE_PATH_MAX 4096

struct buildtree {
	char dir[BUILDTREE_PATH_MAX];		/* the executable's directory */
	char lessondir[BUILDTREE_PATH_MAX];	/* the source tree's lessons */
};

/* buildtree_find - 1 with bt filled when the running executable (argv0
 * where /proc/self/exe cannot be read) has the marker beside it, else 0.
 * A marker that cannot be read, or names no lesson directory, counts as
 * none. */
int buildtree_find(const char *argv0, struct buildtree *bt);

#endif
