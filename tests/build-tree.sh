#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# build-tree.sh - straight after `make`, the programs of the build tree run
# the interactive modes with their own smtpref-interactive and the source
# tree's lessons, with no install and no variable set; a copy without the
# build tree's marker beside it is an installed copy and uses the
# configured directories
. "$top_srcdir/tests/lib.sh"

unset SMTPREF_LIBEXECDIR SMTPREF_LESSON_DIR SMTPREF_LESSON_PATH
builddir=$(dirname "$SMTPREF")
printf 'EHLO client.example\nQUIT\n' >"$tmp/session"

# 1. From the build tree, as the README's quick start leaves it.
run shell --explain=off <"$tmp/session"
expect_status 0 "shell from the build tree"
expect_out '^221 ' "shell: a whole session with the simulated server"
run lesson list
expect_status 0 "lesson list from the build tree"
expect_out '^01-greeting ' "lesson list: the source tree's lessons"
run lesson run greeting </dev/null
expect_out 'Greeting and EHLO/HELO' "lesson run finds a lesson of the source tree"
run connect --help
expect_status 0 "connect --help from the build tree"
run tui </dev/null
expect_status 2 "tui without a terminal: smtpref-interactive runs and refuses"
expect_err 'needs a terminal' "tui says why"

# 2. Found through PATH, or through a symbolic link: still the build tree
# (the executable is placed by /proc/self/exe, not by argv[0]).
mkdir "$tmp/bin"
ln -s "$SMTPREF" "$tmp/bin/smtpref"
PATH="$tmp/bin:$PATH" smtpref lesson list >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "lesson list through a link on PATH"
expect_out '^01-greeting ' "through a link: the build tree's lessons"

# 3. The marker decides, and the lesson directory is the one it names: a
# tree of copies with a marker naming other lessons uses those.
mkdir "$tmp/tree" "$tmp/lessons"
cp "$SMTPREF" "$builddir/smtpref-interactive" "$tmp/tree/"
cp "$top_srcdir/lessons/01-greeting.lesson" "$tmp/lessons/42-only-here.lesson"
printf '# a test tree\nlessondir=%s\n' "$tmp/lessons" >"$tmp/tree/smtpref-build-tree"
"$tmp/tree/smtpref" lesson list >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "lesson list from a tree of copies"
expect_out '^42-only-here ' "the marker's lesson directory is used"
expect_no_out '^01-greeting ' "and only it"
printf 'EHLO client.example\nQUIT\n' | "$tmp/tree/smtpref" shell --explain=off >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "shell from a tree of copies: the smtpref-interactive beside it"

# 4. The variables still override the build tree.
SMTPREF_LESSON_DIR="$tmp/lessons" "$SMTPREF" lesson list >"$tmp/out" 2>"$tmp/err"
expect_out '^42-only-here ' "SMTPREF_LESSON_DIR replaces the build tree's lessons"
SMTPREF_LIBEXECDIR="$tmp/nowhere" "$SMTPREF" shell </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 127 "SMTPREF_LIBEXECDIR replaces the build tree's smtpref-interactive"
expect_err "cannot run $tmp/nowhere/smtpref-interactive" "the program looked for is named"

# 5. A copy with no marker beside it is an installed copy: it runs the
# configured $(pkglibexecdir)/smtpref-interactive, never the build tree's.
mkdir "$tmp/installed"
cp "$SMTPREF" "$tmp/installed/smtpref"
cp "$builddir/smtpref-interactive" "$tmp/installed/"
if [ -e "$pkglibexecdir/smtpref-interactive" ]; then
	echo "note: $pkglibexecdir/smtpref-interactive is installed; tests/build-tree-decoy.sh covers installed copies" >&2
else
	"$tmp/installed/smtpref" shell </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
	expect_status 127 "an installed copy with nothing installed"
	expect_err "cannot run $pkglibexecdir/smtpref-interactive" "an installed copy looks in the configured directory"
fi
# a marker that names no lesson directory is no marker
: >"$tmp/installed/smtpref-build-tree"
if [ ! -e "$pkglibexecdir/smtpref-interactive" ]; then
	"$tmp/installed/smtpref" shell </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
	expect_status 127 "an empty marker is not a build tree"
fi

finish
