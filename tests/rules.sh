#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# rules.sh - every rule data/rules.rec lists is still one the simulated
# server uses: a string literal in src/core/server.c.  (The other way
# round, that the server names no rule missing from the table, is
# tests/check_server.c's: it runs every transcript and a random walk.)
. "$top_srcdir/tests/lib.sh"

server="$top_srcdir/src/core/server.c"
# one awk checks them all: a rule a check
awk -v server="$server" '
BEGIN { while ((getline l < server) > 0) src = src l "\n" }
sub(/^Rule: /, "") {
	rules++
	if (index(src, "\"" $0 "\""))
		print "ok " $0
	else
		print "FAIL data/rules.rec lists '"'"'" $0 "'"'"', which src/core/server.c no longer uses"
}
END { if (!rules) print "FAIL no rules read from data/rules.rec" }
' "$top_srcdir/data/rules.rec" >"$tmp/verdicts"
tally "$tmp/verdicts"
finish
