#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tui-tmux.sh - the full-screen view on real terminals of two sizes: tmux
# types the keys and reads the panes, as a teacher at a projector would
# see them
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/tmux-lib.sh"

# start COLSxLINES ARGS... - the TUI in a fresh terminal; when it exits
# the pane shows EXIT=status and whether the terminal modes came back
start() {
	size=$1
	shift
	tmux_open "$size" \
		"HOME='$tmp/home' XDG_STATE_HOME='$tmp/state' LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1 \
		TERM=${TERM_FOR_TEST:-xterm-256color} $ENV_FOR_TEST \
		sh -c 'before=\$(stty -g); \"\$0\" tui \"\$@\"; st=\$?; [ \"\$(stty -g)\" = \"\$before\" ] && echo TTY=restored; echo EXIT=\$st; sleep 60' '$SMTPREF' $*"
	wait_for '^smtp>|^reply>' "the TUI starts with an input line"
}

# a whole session; the state pane follows it
session() {
	wait_for 'you: client \| server: modern' "$1: the status line names the role and the server"
	wait_for '^─ Transcript' "$1: the transcript pane"
	wait_for '─ Explanation' "$1: the explanation pane"
	wait_for 'Session state' "$1: the state pane"
	wait_for 'now +greeted' "$1: the state is greeted after the greeting"
	type_line 'EHLO client.example'
	wait_for '<-  250 STARTTLS' "$1: the EHLO reply in the transcript, with its marker"
	wait_for 'now +ready' "$1: ready after EHLO"
	type_line 'MAIL FROM:<ann@example.com>'
	wait_for 'now +in transaction' "$1: in a transaction after MAIL"
	wait_for 'just now +ready -> in transaction' "$1: the transition just taken"
	wait_for '^ code +250' "$1: the latest reply is explained"
	# a hint longer than the pane is whole in the transcript, wrapped
	type_line 'RCPT TO:<nobody@example.org>'
	wait_for '  \? There is no such mailbox' "$1: a refused recipient gets its hint"
	checks=$((checks + 1))
	screen | sed -n '/^─ Transcript/,/─ Explanation/p' | grep -q 'more\.$' ||
		fail "$1: the hint's end is in the transcript, not cut at the pane's edge"
	type_line 'RCPT TO:<alice@example.org>'
	type_line 'DATA'
	wait_for 'now +reading the message' "$1: DATA"
	wait_for '^data>' "$1: the message prompt"
	type_line 'Subject: hello'
	type_line ''
	type_line 'Hi.'
	type_line '.'
	wait_for '<-  250 2.0.0 OK: queued' "$1: the message is accepted"
	wait_for 'now +ready' "$1: back to ready after the message"
	type_line 'QUIT'
	wait_for 'now +closed' "$1: closed after QUIT"
}

# 1. 80x24: stacked panes
start 80x24
session 80x24
# the selection moves up the transcript and explains older lines
keys S-Up
keys S-Up
wait_for '^ command +QUIT|^ why ' "80x24: an older line is explained when selected"
keys PPage
wait_for '^>' "80x24: the selection is marked"
# F2 shows the diagram, F1 the help
keys F2
wait_for '^.  *│ EHLO/HELO' "80x24: F2 shows the state diagram"
keys F1
wait_for 'smtpref tui - keys' "80x24: F1 shows the help"
keys Escape
lacks 'smtpref tui - keys' "80x24: a key closes the help"
keys C-d
wait_for '^TTY=restored' "80x24: the terminal modes are restored after Ctrl-D"
wait_for '^EXIT=0' "80x24: Ctrl-D leaves with status 0"
wait_for 'the last reply was 221' "80x24: a last word after leaving"

# 2. 160x48: side by side, with the diagram and its marker
start 160x48
wait_for '─ Transcript ─+ Session state' "160x48: the state pane sits beside the transcript"
wait_for '^.{100,}> greeted \*' "160x48: the diagram marks greeted"
type_line 'EHLO client.example'
wait_for '> ready \*' "160x48: the marker moves to ready"
type_line 'MAIL FROM:<ann@example.com>'
type_line 'RCPT TO:<alice@example.org>'
wait_for '> rcpt \*' "160x48: the marker moves to rcpt"
wait_for '\.\[ mail \]' "160x48: the state just left is marked"
type_line 'DATA'
wait_for '> data \*' "160x48: the marker moves to data"
type_line '.'
type_line 'QUIT'
wait_for '> closed \*' "160x48: the marker ends at closed"
# resizing: narrow, too small, and back
tm resize-window -t 0 -x 90 -y 30
wait_for '^─ Transcript ─+$' "resized to 90x30: the panes are stacked"
tm resize-window -t 0 -x 50 -y 12
wait_for 'needs at least 60x16' "resized to 50x12: a minimum size message"
tm resize-window -t 0 -x 160 -y 48
wait_for '─ Transcript ─+ Session state' "resized back: side by side again"
keys C-d
wait_for '^TTY=restored' "160x48: the terminal modes are restored"
wait_for '^EXIT=0' "160x48: leaves with status 0"

# 3. The server role, and Tab completion of a code.
start 100x30 --role server
wait_for 'you: server \| client: plain' "the status line in the server role"
keys '22' Tab
wait_for '^reply> 220' "Tab completes a reply code"
keys ' mx.example.org' Enter
wait_for ' -> EHLO ' "the client's EHLO in the transcript"
keys C-d
wait_for '^EXIT=0' "server role: leaves"

# 4. Monochrome: no colours with NO_COLOR, the marker and reverse video
# still carry the state.
ENV_FOR_TEST='NO_COLOR=1' start 80x24
checks=$((checks + 1))
tm capture-pane -p -e -t 0 | grep -Eq "$(printf '\033')\\[(3[0-7]|38;5)" && fail "NO_COLOR: no colour escapes"
wait_for 'now +greeted' "NO_COLOR: the state is in words"
keys C-d
wait_for '^EXIT=0' "NO_COLOR: leaves"
ENV_FOR_TEST=

# 5. Eight colours: the classes still have colours of their own.
TERM_FOR_TEST=xterm start 80x24
type_line 'BOGUS'
wait_for '<-  500 ' "8 colours: the transcript"
checks=$((checks + 1))
tm capture-pane -p -e -t 0 | grep -q "$(printf '\033')\\[38;5" && fail "8 colours: no 256-colour escapes"
checks=$((checks + 1))
tm capture-pane -p -e -t 0 | grep -Eq "$(printf '\033')\\[[0-9;]*3[1-6]m" || fail "8 colours: colour escapes are used"
keys C-d
wait_for '^EXIT=0' "8 colours: leaves"
TERM_FOR_TEST=

# 6. A signal: the terminal is given back.
start 80x24
tm send-keys -t 0 ''
pid=$(tmux_pid)
checks=$((checks + 1))
if [ -n "$pid" ]; then
	kill -TERM "$pid"
	wait_for '^TTY=restored' "after SIGTERM the terminal modes are restored"
	wait_for '^EXIT=143' "SIGTERM ends it as a signal would"
else
	fail "the TUI process was not found"
fi

# 7. Not a terminal: a clear refusal.
"$SMTPREF" tui </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 2 "tui without a terminal"
expect_err "needs a terminal" "tui without a terminal says so"

finish
