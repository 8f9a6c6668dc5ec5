#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# explain-sample.sh - smtpref explain on the sample of real bounces that
# the Sisimai project's own tests give results for (../shared/bounces, or
# $SMTPREF_BOUNCES; BSD licence, see its LICENSE): for at least 98% of
# the recipients the status and reply code must be the expected ones, for
# at least 92% the reason.  Sisimai writes x.0.9NN where a message has no
# status; there only the class is compared, since explain derives a status
# of its own.  Each miss is printed.  When the sample is absent, as in a
# release tarball, the test is skipped, unless SMTPREF_BOUNCES was given
# (as CI does), in which case a missing sample is a failure.
. "$top_srcdir/tests/lib.sh"

command -v jq >/dev/null 2>&1 || { echo "jq is needed (Debian: jq)" >&2; exit 99; }
dir=${SMTPREF_BOUNCES:-$top_srcdir/../shared/bounces}
if [ ! -f "$dir/expected.tsv" ]; then
	[ -n "${SMTPREF_BOUNCES:-}" ] && { echo "no bounce sample in $dir" >&2; exit 1; }
	skip "the bounce sample is not in $dir (set SMTPREF_BOUNCES)"
fi

"$SMTPREF" explain --json "$dir"/sample/*.eml >"$tmp/got.json" 2>"$tmp/err"
# one jq: how many JSON objects came (the first line), then each
# recipient's file, number, status, reply code and reason
jq -n -r '[inputs] | (length | tostring),
	(.[] | (.file | split("/") | last) as $f | .recipients | to_entries[] |
	[$f, (.key + 1), (.value.status // ""), (.value.reply_code // "" | tostring),
	 .value.reason] | @tsv)' "$tmp/got.json" >"$tmp/got.tsv"

awk -F '\t' '
	FNR == NR { if (FNR > 1) got[$1 "\t" $2] = $3 "\t" $4 "\t" $5; next }
	FNR == 1 { next }
	{
		n++
		split(($1 "\t" $2) in got ? got[$1 "\t" $2] : "\t\t(none)", g, "\t")
		# x.0.9NN is Sisimai'"'"'s stand-in for "no status": the class only
		split($3, e, ".")
		sok = (e[2] == "0" && e[3] ~ /^9[0-9][0-9]$/) ? substr(g[1], 1, 1) == e[1] : g[1] == $3
		cok = g[2] == $4
		if (sok && cok) sc++
		if (g[3] == $5) rs++
		if (!(sok && cok) || g[3] != $5)
			printf "miss: %s #%s: expected %s %s %s, got %s %s %s\n", $1, $2,
			    $3, ($4 == "" ? "-" : $4), $5, g[1], (g[2] == "" ? "-" : g[2]), g[3]
	}
	END {
		printf "status and reply code: %d of %d (%.1f%%); reason: %d of %d (%.1f%%)\n",
		    sc, n, 100 * sc / n, rs, n, 100 * rs / n
		if (sc * 100 < 98 * n) print "FAIL: status and reply code below 98%"
		if (rs * 100 < 92 * n) print "FAIL: reason below 92%"
	}' "$tmp/got.tsv" "$dir/expected.tsv" >"$tmp/result"
cat "$tmp/result"
checks=$((checks + 1))
grep -q '^FAIL' "$tmp/result" && fail "$(grep '^FAIL' "$tmp/result")"
checks=$((checks + 1))
objects=
read -r objects <"$tmp/got.tsv"
set -- "$dir"/sample/*.eml
[ "${objects:-0}" -eq $# ] || fail "one JSON object per file ($objects for $# files)"
finish
