#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# man-page.sh - the man page documents every option and subcommand, and
# formats without warnings
. "$top_srcdir/tests/lib.sh"
man=$top_srcdir/man/smtpref.1
# the page without its escapes, made once
sed 's/\\//g' "$man" >"$tmp/man"

run --help
for opt in $(grep -oE -- '--[a-z][a-z-]*' "$tmp/out" | sort -u); do
	checks=$((checks + 1))
	grep -qF -- "$opt" "$tmp/man" || fail "man page lacks $opt"
done
# the shell's own options, and its meta-commands
"$SMTPREF" shell --help >"$tmp/out" 2>"$tmp/err"
for opt in $(grep -oE -- '--[a-z][a-z-]*' "$tmp/out" | sort -u); do
	checks=$((checks + 1))
	grep -qF -- "$opt" "$tmp/man" || fail "man page lacks shell option $opt"
done
printf ':help\n' | "$SMTPREF" shell --explain=brief >"$tmp/out" 2>"$tmp/err"
for meta in $(grep -oE '^  help +  :[a-z]+' "$tmp/out" | awk '{ print $2 }'); do
	checks=$((checks + 1))
	grep -qE -- "^\.B[IR]? \"?$meta( |\"|\$)" "$tmp/man" || fail "man page lacks the meta-command $meta"
done
checks=$((checks + 1))
[ "$(grep -cE '^  help +  :[a-z]+' "$tmp/out")" -ge 14 ] || fail "the shell's :help lists its meta-commands"
for mode in tui connect lesson explain listen; do
"$SMTPREF" $mode --help >"$tmp/out" 2>"$tmp/err"
for opt in $(grep -oE -- '--[a-z][a-z-]*' "$tmp/out" | sort -u); do
	checks=$((checks + 1))
	grep -qF -- "$opt" "$tmp/man" || fail "man page lacks $mode option $opt"
done
done
for sub in list search simulate shell tui connect listen lesson explain; do
	checks=$((checks + 1))
	grep -qE "^\\.B[IR]? $sub|^\\.B $sub" "$man" || fail "man page lacks the $sub subcommand"
done
# every reason explain gives is documented in REASONS
"$SMTPREF" --json list reasons | jq -r '.items[].reason' >"$tmp/reasons" 2>/dev/null
checks=$((checks + 1))
[ "$(wc -l <"$tmp/reasons")" -ge 30 ] || fail "smtpref list reasons lists the reasons"
sed -n '/^\.SH REASONS/,/^\.SH /p' "$man" >"$tmp/reasons-section"
for reason in $(cat "$tmp/reasons"); do
	checks=$((checks + 1))
	grep -qx "\.B $reason" "$tmp/reasons-section" || fail "man page REASONS lacks $reason"
done
for section in 'LISTEN' 'EXIT STATUS' 'JSON OUTPUT' 'ENVIRONMENT' 'EXAMPLES' 'EXPLAIN' 'REASONS'; do
	checks=$((checks + 1))
	grep -q "^\\.SH \"*$section" "$man" || fail "man page lacks $section"
done
if command -v groff >/dev/null 2>&1; then
	checks=$((checks + 1))
	w=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
	[ -z "$w" ] || fail "groff warns: $w"
fi
finish
