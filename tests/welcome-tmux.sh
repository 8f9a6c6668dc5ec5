#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# welcome-tmux.sh - the first run of the shell on a terminal starts with a
# two-line welcome (how to get help, the first lesson, how to leave), as
# vimtutor does; --quiet, a second run, a script and a lesson do without
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/tmux-lib.sh"
# the shell's prompt (smtp>) ends with ">"
tmux_prompt='*>'
marker=$XDG_STATE_HOME/smtpref/welcomed

# open ARGS... - smtpref ARGS in a fresh 80x24 terminal
open_tty() {
	tmux_open 80x24 \
		"HOME='$HOME' XDG_STATE_HOME='$XDG_STATE_HOME' TERM=xterm-256color \
		'$SMTPREF' $*; echo EXIT=\$?; sleep 60"
}

# leave - Ctrl-D (at the prompt: tmux_prompt), and the shell ends with 0
leave() {
	keys C-d
	wait_for '^EXIT=0' "$1: Ctrl-D leaves"
}

# 1. smtpref alone, the first time: the welcome, then the greeting.
open_tty
wait_for '^smtp>' "smtpref alone opens the shell"
wait_for '^ *Welcome to smtpref' "the first run welcomes"
wait_for ':help' "the welcome says how to get help"
wait_for ':lesson greeting' "the welcome names the first lesson"
wait_for 'Ctrl-D or :quit' "the welcome says how to leave"
checks=$((checks + 1))
[ "$(screen | sed -n '1,2p' | grep -c .)" -eq 2 ] && screen | sed -n 3p | grep -q '^220 ' ||
	fail "two lines of welcome, then the greeting: $(screen | head -n 3)"
leave "the first run"
checks=$((checks + 1))
[ -f "$marker" ] || fail "the first run leaves its marker in \$XDG_STATE_HOME/smtpref"

# 2. A second run: just the greeting.
open_tty shell
wait_for '^smtp>' "the second run"
wait_for '^220 ' "the second run greets"
lacks 'Welcome' "the second run has no welcome"
leave "the second run"

# 3. --quiet, on a first run: just the greeting, and the first run that
# is not quiet still welcomes.
rm -f "$marker"
open_tty shell --quiet
wait_for '^220 ' "shell --quiet greets"
lacks 'Welcome' "shell --quiet has no welcome"
leave "shell --quiet"
open_tty --quiet
wait_for '^220 ' "smtpref --quiet alone opens the shell"
lacks 'Welcome' "smtpref --quiet alone has no welcome"
leave "smtpref --quiet"
checks=$((checks + 1))
[ -f "$marker" ] && fail "a quiet run does not count as the first"

# 4. A lesson says its own welcome.
open_tty shell --lesson greeting
wait_for '^Greeting and EHLO/HELO' "shell --lesson starts the lesson"
lacks 'Welcome to smtpref' "no shell welcome before a lesson"
tm kill-server

# 5. A script, even the first time, gets only the protocol.
printf 'QUIT\n' | "$SMTPREF" shell >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "a scripted first run"
expect_no_out 'Welcome' "no welcome in a script"
checks=$((checks + 1))
[ -f "$marker" ] && fail "a script does not count as the first run"

finish
