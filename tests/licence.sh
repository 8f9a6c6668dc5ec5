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
# one awk reads the first five lines of every file (a head and a grep a
# file cost a second or more) and names those without the line
awk -v spdx="$spdx" '{
	found = 0
	for (i = 0; i < 5 && (getline line <$0) > 0; i++)
		if (index(line, spdx)) { found = 1; break }
	close($0)
	if (!found) print
}' "$tmp/files" >"$tmp/missing"
checks=$((checks + $(wc -l <"$tmp/files")))
while IFS= read -r f; do
	fail "$f: no '$spdx' line in its first five lines"
done <"$tmp/missing"

finish
