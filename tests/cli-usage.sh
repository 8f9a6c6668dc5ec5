#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-usage.sh - GNU conventions: --help, --version, usage errors
. "$top_srcdir/tests/lib.sh"

run --help
expect_status 0 "--help"
expect_out '^Usage: smtpref' "--help prints usage on stdout"
expect_empty_err "--help"

run --version
expect_status 0 "--version"
expect_out '^smtpref [0-9]+\.[0-9]+' "--version names the version"
expect_out '^License GPLv3\+: GNU GPL version 3 or later' "--version names the licence"
"$(dirname "$SMTPREF")/smtpref-interactive" --version >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "smtpref-interactive --version"
expect_out '^License GPLv3\+: GNU GPL version 3 or later' "smtpref-interactive --version names the licence"

run
expect_status 2 "no arguments off a terminal"
expect_err "Try 'smtpref --help'" "no arguments points to --help"

run --no-such-option 553
expect_status 2 "unknown long option"
expect_err "unknown option '--no-such-option'" "names the bad option"
expect_empty_out "unknown option"

run -Z 553
expect_status 2 "unknown short option"
expect_err "unknown option '-Z'" "names the bad short option"

run --color=sometimes 553
expect_status 2 "bad --color value"
expect_err "sometimes" "names the bad value"

run list
expect_status 2 "list without a table"
run list nothing
expect_status 2 "list of an unknown table"
expect_err "nothing" "names the unknown table"

for t in codes enhanced keywords commands params; do
	run list "$t"
	expect_status 0 "list $t"
	checks=$((checks + 1))
	[ "$(wc -l <"$tmp/out")" -ge 20 ] || fail "list $t has fewer than 20 lines"
done
run list codes
expect_out '^211  ' "list codes starts at 211"
expect_out '^556  ' "list codes ends at 556"

run search
expect_status 2 "search without words"
run search greylist
expect_status 0 "search greylist"
expect_out '^(451|4\.7\.1|X\.7\.1)' "search greylist finds a greylisting code"
run search relay denied
expect_status 0 "search with two words"
run search zzzyyyxxx
expect_status 1 "search with no match"
expect_err 'nothing matches' "says nothing matched"

# Options may follow the terms (GNU argument order)
run 553 --json
expect_status 0 "option after a term"
expect_out '^\{"smtpref_json":1' "--json after the term"

finish
