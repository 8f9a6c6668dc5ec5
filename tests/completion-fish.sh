#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# completion-fish.sh - the fish completion offers what the bash one does:
# the cases of tests/completion-cases, asked of fish with complete -C
. "$top_srcdir/tests/lib.sh"

command -v fish >/dev/null 2>&1 || skip "fish is not installed (Debian: fish)"
comp=$top_builddir/completion/smtpref.fish
[ -f "$comp" ] || { echo "$comp is not built (make)" >&2; exit 99; }
mkdir "$tmp/bin"
ln -s "$SMTPREF" "$tmp/bin/smtpref"

grep -v '^#' "$top_srcdir/tests/completion-cases" |
	sed 's/ *| */|/g; s/^ *//; s/ *$//' >"$tmp/cases"
cut -d'|' -f2 "$tmp/cases" >"$tmp/lines"
echo "smtpref lesson " >>"$tmp/lines"

# every line's candidates, "LINE<TAB>CANDIDATE", from one fish; a
# candidate of --opt=VALUE counts as VALUE too
PATH="$tmp/bin:$PATH" XDG_CONFIG_HOME="$tmp/config" fish --no-config -c '
	source $argv[1]
	while read -l line
		for c in (complete -C "$line" | string replace -r "\t.*" "")
			printf "%s\t%s\n" $line $c
			string match -qr -- "^--[a-z-]+=." $c; and printf "%s\t%s\n" $line (string replace -r "^[^=]*=" "" -- $c)
		end
	end <$argv[2]' "$comp" "$tmp/lines" >"$tmp/offered" 2>"$tmp/err"
checks=$((checks + 1))
[ -s "$tmp/err" ] && fail "fish said: $(head -c 300 "$tmp/err")"

# each case a check, made by one awk
awk -v shell=fish -f "$top_srcdir/tests/completion-verdicts.awk" \
	"$tmp/offered" "$tmp/cases" >"$tmp/verdicts"
tally "$tmp/verdicts"
grep -Fx "smtpref lesson 	run" "$tmp/offered" >"$tmp/out"
expect_out 'run$' "fish: the lesson subcommands after 'lesson '"

finish
