#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-color.sh - colour by reply class, NO_COLOR, --color, wrapping
. "$top_srcdir/tests/lib.sh"
esc=$(printf '\033')

# width - the widest line of stdin, in display columns (UTF-8 aware)
width() {
	LC_ALL=C.UTF-8 wc -L
}

run 553
expect_no_out "$esc" "no colour when stdout is not a terminal"

run --color=always 553
expect_out "${esc}\\[1;31m553" "5xx in red with --color=always"
run --color=always 250
expect_out "${esc}\\[1;32m250" "2xx in green"
run --color=always 451
expect_out "${esc}\\[1;33m451" "4xx in yellow"
run --color=always 354
expect_out "${esc}\\[1;36m354" "3xx in cyan"
run --color 553
expect_out "$esc" "--color alone means always"
NO_COLOR=1 run --color=always 553
expect_out "$esc" "--color=always wins over NO_COLOR"
run --color=never 553
expect_no_out "$esc" "--color=never"

# On a terminal: colour by default, none with NO_COLOR or TERM=dumb.
if command -v script >/dev/null 2>&1; then
	TERM=xterm script -qec "'$SMTPREF' 553" /dev/null >"$tmp/out" 2>&1
	expect_out "$esc" "colour on a terminal"
	NO_COLOR=1 TERM=xterm script -qec "'$SMTPREF' 553" /dev/null >"$tmp/out" 2>&1
	expect_no_out "$esc" "NO_COLOR on a terminal"
	TERM=dumb script -qec "'$SMTPREF' 553" /dev/null >"$tmp/out" 2>&1
	expect_no_out "$esc" "TERM=dumb on a terminal"
	# the terminal's width: stty sets it inside the pty
	TERM=xterm script -qec "stty cols 50; '$SMTPREF' --color=never 550" /dev/null >"$tmp/out" 2>&1
	checks=$((checks + 1))
	[ "$(tr -d '\r' <"$tmp/out" | width)" -le 50 ] ||
		fail "a 50-column terminal gets lines over 50 columns"
else
	fail "script(1) is needed to test terminal behaviour (Debian: bsdutils)"
fi

# Off a terminal the width is $COLUMNS, else 80.
COLUMNS=60 run 550
checks=$((checks + 1))
[ "$(width <"$tmp/out")" -le 60 ] || fail "COLUMNS=60 not honoured"
run 550
checks=$((checks + 1))
[ "$(width <"$tmp/out")" -le 80 ] || fail "lines over 80 columns off a terminal"

finish
