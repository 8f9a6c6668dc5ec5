# SPDX-License-Identifier: GPL-3.0-or-later
# rules.sh - every rule data/rules.rec lists is still one the simulated
# server uses: a string literal in src/core/server.c.  (The other way
# round, that the server names no rule missing from the table, is
# tests/check_server.c's: it runs every transcript and a random walk.)
. "$top_srcdir/tests/lib.sh"

server="$top_srcdir/src/core/server.c"
rules=$(sed -n 's/^Rule: //p' "$top_srcdir/data/rules.rec")
[ -n "$rules" ] || { fail "no rules read from data/rules.rec"; finish; }
for r in $rules; do
	checks=$((checks + 1))
	grep -q "\"$r\"" "$server" ||
		fail "data/rules.rec lists '$r', which src/core/server.c no longer uses"
done
finish
