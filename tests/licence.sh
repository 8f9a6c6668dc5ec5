#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# licence.sh - every source file says in its first five lines that it is
# GPL-3.0-or-later (an SPDX line: SPDX-License-Identifier:
# GPL-3.0-or-later), so that no file comes in without it.  Source files
# are the C code, the scripts, the generators and their templates, the
# data tables, the lessons, the man pages and the build files; not the
# test fixtures (tests/transcripts, tests/completion-cases), the
# documents (*.md, COPYING) or what the build generates.
. "$top_srcdir/tests/lib.sh"

cd "$top_srcdir" || exit 99
spdx='SPDX-License-Identifier: GPL-3.0-or-later'

{
	find src tests bench -type f \( -name '*.c' -o -name '*.h' \) ! -name ref-tables.c
	find tests -type f \( -name '*.sh' -o -name '*.py' -o -name '*.awk' \)
	find build-aux -type f \( -name 'gen*.awk' -o -name 'test-driver-reason' \)
	find completion -type f \( -name commands -o -name '*.in' \)
	find data -type f -name '*.rec'
	find lessons -type f \( -name '*.lesson' -o -name '*.rec' \)
	find man -type f -name '*.[1-8]'
	# not in the release tarball
	for f in Makefile.am configure.ac .ci/run debian/rules; do
		[ -f "$f" ] && echo "$f"
	done
} | sort >"$tmp/files"

checks=$((checks + 1))
[ "$(wc -l <"$tmp/files")" -gt 100 ] || fail "only $(wc -l <"$tmp/files") source files found in $top_srcdir"
while IFS= read -r f; do
	checks=$((checks + 1))
	head -n 5 "$f" | grep -qF "$spdx" || fail "$f: no '$spdx' line in its first five lines"
done <"$tmp/files"

finish
