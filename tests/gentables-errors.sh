#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# gentables-errors.sh - a bad row fails the table generator with file:line
. "$top_srcdir/tests/lib.sh"

AWK=${AWK:-awk}
files="reply-classes.rec reply-codes.rec enhanced-codes.rec keywords.rec commands.rec params.rec personas.rec scenarios.rec world.rec rules.rec hints.rec meanings.rec reasons.rec bounce-texts.rec"

# gen - run the generator on $tmp/data, like the makefile does
gen() {
	(cd "$tmp" && LC_ALL=C $AWK -f "$top_srcdir/build-aux/gentables.awk" \
		$(for f in $files; do printf 'data/%s ' "$f"; done)) >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# fresh - a clean copy of the real tables (the cases only edit them): one
# cp for all, as this runs before every case
mkdir "$tmp/data" || exit 99
sources=
for f in $files; do
	sources="$sources $top_srcdir/data/$f"
done
fresh() {
	# shellcheck disable=SC2086
	cp $sources "$tmp/data/"
}

fresh
gen
expect_status 0 "the real tables"
expect_out 'const struct ref_code ref_code_table\[\]' "generated C"

# line - the line number of the first line matching a fixed string
line() {
	awk -v s="$2" 'index($0, s) { print NR; exit }' "$tmp/data/$1"
}

fresh
n=$(line reply-codes.rec 'Code: 553')
sed -i "${n}s/553/653/" "$tmp/data/reply-codes.rec"
gen
expect_status 1 "a code out of range"
expect_err "^data/reply-codes.rec:$n: reply code 653 is out of range" "out of range, with file:line"

fresh
n=$(line reply-codes.rec 'Code: 552')
sed -i "${n}s/552/551/" "$tmp/data/reply-codes.rec"
gen
expect_status 1 "a duplicate key"
expect_err "^data/reply-codes.rec:[0-9]+: duplicate key '551'" "duplicate key, with file:line"

fresh
n=$(line commands.rec 'Verb: RCPT')
m=$(awk -v n="$n" 'NR > n && /^Errors: / { print NR; exit }' "$tmp/data/commands.rec")
sed -i "${m}s/\$/ 599/" "$tmp/data/commands.rec"
gen
expect_status 1 "an unknown reply code"
expect_err "^data/commands.rec:$m: '599' is not a reply code|^data/commands.rec:$m: reply code 599" "unknown code, with file:line"

fresh
m=$(awk '/^Errors: / { print NR; exit }' "$tmp/data/commands.rec")
sed -i "${m}s/\$/ 557/" "$tmp/data/commands.rec"
gen
expect_status 1 "a code that is valid but not in the table"
expect_err "^data/commands.rec:$m: reply code 557 is not in reply-codes.rec" "cross-reference, with file:line"

fresh
n=$(line keywords.rec 'Keyword: PIPELINING')
m=$(awk -v n="$n" 'NR > n && /^Enables: / { print NR; exit }' "$tmp/data/keywords.rec")
sed -i "${m}s/^Enables: .*/Enables: verb:NOSUCHVERB/" "$tmp/data/keywords.rec"
gen
expect_status 1 "an unknown verb"
expect_err "^data/keywords.rec:$m: verb NOSUCHVERB is not in commands.rec" "unknown verb, with file:line"

fresh
printf '\nCode: 250\nBogus line here\n' >>"$tmp/data/reply-codes.rec"
n=$(wc -l <"$tmp/data/reply-codes.rec")
gen
expect_status 1 "a malformed line"
expect_err "^data/reply-codes.rec:$n: expected 'Field: value'" "malformed line, with file:line"

fresh
n=$(line reply-codes.rec 'Code: 211')
sed -i "${n}s/211/999/" "$tmp/data/reply-codes.rec"
gen
expect_status 1 "a record out of order"
expect_err "out of order|out of range" "order checked"

fresh
n=$(line enhanced-codes.rec 'Code: X.1.1')
sed -i "$((n + 1))d" "$tmp/data/enhanced-codes.rec"
gen
expect_status 1 "a missing required field"
expect_err "^data/enhanced-codes.rec:$n: record has no 'Title' field" "missing field, with file:line"

fresh
printf 'Code: 250\tx\n' >>"$tmp/data/reply-codes.rec"
gen
expect_status 1 "a tab"
expect_err "tab character" "tab named"

# bounce-texts.rec: every example holds its text, every reason exists
fresh
n=$(line bounce-texts.rec 'Text: relay access denied')
m=$(awk -v n="$n" 'NR > n && /^Example: / { print NR; exit }' "$tmp/data/bounce-texts.rec")
sed -i "${m}s/Relay access denied/Relaying refused/" "$tmp/data/bounce-texts.rec"
gen
expect_status 1 "an example without its text"
expect_err "^data/bounce-texts.rec:$m: the example does not contain 'relay access denied'" "example checked, with file:line"

fresh
n=$(line bounce-texts.rec 'Text: relay access denied')
m=$(awk -v n="$n" 'NR > n && /^Reason: / { print NR; exit }' "$tmp/data/bounce-texts.rec")
sed -i "${m}s/^Reason: .*/Reason: relayrefused/" "$tmp/data/bounce-texts.rec"
gen
expect_status 1 "an unknown reason"
expect_err "^data/bounce-texts.rec:$m: reason relayrefused is not in reasons.rec" "reason cross-checked, with file:line"

fresh
n=$(line bounce-texts.rec 'Text: relay access denied')
sed -i "${n}s/relay access denied/Relay access denied/" "$tmp/data/bounce-texts.rec"
gen
expect_status 1 "a text not in lower case"
expect_err "^data/bounce-texts.rec:$n: the text to look for is written in lower case" "case checked, with file:line"

fresh
n=$(line reasons.rec 'Reason: mailboxfull')
m=$(awk -v n="$n" 'NR > n && /^Codes: / { print NR; exit }' "$tmp/data/reasons.rec")
sed -i "${m}s/\$/ X.1.1/" "$tmp/data/reasons.rec"
gen
expect_status 1 "an enhanced code given two reasons"
expect_err "^data/reasons.rec:[0-9]+: enhanced code X.1.1 already means (mailboxfull|userunknown)" "one reason per code, with file:line"

# mawk, when present, runs the generator too (any POSIX awk must)
if command -v mawk >/dev/null 2>&1; then
	fresh
	AWK=mawk gen
	expect_status 0 "mawk on the real tables"
fi

finish
