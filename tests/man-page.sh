#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# man-page.sh - the man page documents every option and subcommand, and
# formats without warnings
. "$top_srcdir/tests/lib.sh"
man=$top_srcdir/man/smtpref.1
# the page without its escapes, made once
sed 's/\\//g' "$man" >"$tmp/man"

# options WHAT - every --option the help text in $tmp/out names is in
# the page (one awk for them all; tally reads its verdicts)
options() {
	awk -v what="$1" -v page="$tmp/man" '
	BEGIN { while ((getline l < page) > 0) t = t l "\n" }
	{
		s = $0
		while (match(s, /--[a-z][a-z-]*/)) {
			o = substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
			if (o in seen)
				continue
			seen[o] = 1
			print (index(t, o) ? "ok " : "FAIL man page lacks " what) o
		}
	}' "$tmp/out" >"$tmp/verdicts"
	tally "$tmp/verdicts"
}

"$SMTPREF" --help >"$tmp/out"
options ""
"$SMTPREF" shell --help >"$tmp/out"
options "shell option "
for mode in tui connect lesson explain listen; do
	"$SMTPREF" $mode --help >"$tmp/out"
	options "$mode option "
done

# the shell's meta-commands, as its :help lists them
printf ':help\n' | "$SMTPREF" shell --explain=brief >"$tmp/out" 2>"$tmp/err"
awk -v page="$tmp/man" '
BEGIN { while ((getline l < page) > 0) lines[++n] = l }
/^  help +  :[a-z]+/ {
	m = $2
	metas++
	found = 0
	for (i = 1; i <= n && !found; i++)
		found = lines[i] ~ ("^\\.B[IR]? \"?" m "( |\"|$)")
	print (found ? "ok " : "FAIL man page lacks the meta-command ") m
}
END { print (metas >= 14 ? "ok" : "FAIL the shell'"'"'s :help lists its meta-commands (" metas + 0 " found)") }
' "$tmp/out" >"$tmp/verdicts"
tally "$tmp/verdicts"

# every subcommand and section; every reason explain gives, in REASONS
"$SMTPREF" --json list reasons | jq -r '.items[].reason' >"$tmp/reasons" 2>/dev/null
awk -v reasons="$tmp/reasons" '
FILENAME == reasons { want[$0] = 1; nreasons++; next }
/^\.SH / { in_reasons = $0 ~ /^\.SH "*REASONS/ }
{ lines[++n] = $0 }
in_reasons && /^\.B / { documented[substr($0, 4)] = 1 }
END {
	split("list search simulate shell tui connect listen lesson explain", subs, " ")
	for (s = 1; s in subs; s++) {
		found = 0
		for (i = 1; i <= n && !found; i++)
			found = lines[i] ~ ("^\\.B[IR]? " subs[s])
		print (found ? "ok " : "FAIL man page lacks the subcommand ") subs[s]
	}
	split("LISTEN|EXIT STATUS|JSON OUTPUT|ENVIRONMENT|EXAMPLES|EXPLAIN|REASONS", secs, "|")
	for (s = 1; s in secs; s++) {
		found = 0
		for (i = 1; i <= n && !found; i++)
			found = index(lines[i], ".SH " secs[s]) == 1 ||
			    index(lines[i], ".SH \"" secs[s]) == 1
		print (found ? "ok " : "FAIL man page lacks the section ") secs[s]
	}
	print (nreasons >= 30 ? "ok" : "FAIL smtpref list reasons lists the reasons (" nreasons + 0 " found)")
	for (r in want)
		print (r in documented ? "ok " : "FAIL man page REASONS lacks ") r
}' "$tmp/reasons" "$man" >"$tmp/verdicts"
tally "$tmp/verdicts"

if command -v groff >/dev/null 2>&1; then
	checks=$((checks + 1))
	w=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
	[ -z "$w" ] || fail "groff warns: $w"
fi
finish
