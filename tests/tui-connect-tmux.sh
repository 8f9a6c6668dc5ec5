#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tui-connect-tmux.sh - the full-screen view talking to a real server
# (Postfix's smtp-sink on 127.0.0.1): smtpref tui --connect, smtpref
# connect --tui, and :connect from inside the TUI
. "$top_srcdir/tests/lib.sh"

PY=/usr/bin/python3
pids=
. "$top_srcdir/tests/peers/lib.sh"

need "$PY"
need_smtp_sink

. "$top_srcdir/tests/tmux-lib.sh"
tmux_cleanup='for p in $pids; do kill "$p" 2>/dev/null; done'

start_smtp_sink
sink=$pid

# start COLSxLINES ARGS... - smtpref ARGS in a fresh terminal; when it
# exits the pane shows what it printed last, EXIT=status and whether the
# terminal modes came back
start() {
	size=$1
	shift
	tmux_open "$size" \
		"HOME='$tmp/home' XDG_STATE_HOME='$tmp/state' LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1 \
		TERM=xterm-256color \
		sh -c 'before=\$(stty -g); \"\$0\" \"\$@\"; st=\$?; [ \"\$(stty -g)\" = \"\$before\" ] && echo TTY=restored; echo EXIT=\$st; sleep 60' '$SMTPREF' $*"
}

# status_has PATTERN DESCRIPTION - the status line (the first row)
# matches, before the deadline
status_has() {
	checks=$((checks + 1))
	tmux_wait top "$1" && return 0
	fail "$2: the status line lacks /$1/: $(screen | head -n 1)"
}

# 1. smtpref tui --connect: the session with the real server, full-screen.
start 100x30 tui --connect 127.0.0.1 "$port" --helo client.example
wait_for '^smtp>' "tui --connect: the input line"
status_has '127\.0\.0\.1' "tui --connect: the status line names the real server"
status_has 'TLS off' "tui --connect: and says TLS is off"
lacks '^─ Lesson:' "tui --connect: no lesson pane"
wait_for '^.<-  220 smtp-sink' "tui --connect: the greeting in the transcript"
wait_for '^. -> EHLO client\.example' "tui --connect: the EHLO smtpref sent"
wait_for '^.<-  250-PIPELINING' "tui --connect: EHLO's reply in the transcript"
wait_for '^ keyword +PIPELINING' "tui --connect: EHLO's reply explained keyword by keyword"
wait_for 'now +ready' "tui --connect: the state pane follows the real session"
type_line 'MAIL FROM:<ann@example.org>'
wait_for '^.<-  250 2\.1\.0' "tui --connect: a typed command's reply, read by the poll loop"
wait_for 'now +in transaction' "tui --connect: the state after MAIL"
wait_for '^ code +250' "tui --connect: the latest reply is explained"
keys 'RCPT TO:<bob@example.org> NO' Tab
wait_for '^smtp> RCPT TO:<bob@example\.org> NOTIFY=$|^smtp> RCPT TO:<bob@example\.org> NO' "tui --connect: Tab completes"
keys C-u
# a resize while talking to the server: curses' KEY_RESIZE still comes
tm resize-window -t 0 -x 130 -y 40
wait_for '─ Transcript ─+ Session state' "tui --connect: resized wide, the state pane moves beside"
type_line 'QUIT'
wait_for '^.<-  221 ' "tui --connect: QUIT gives 221"
wait_for '^closed>' "tui --connect: the prompt says the connection is closed"
keys C-d
wait_for '^TTY=restored' "tui --connect: the terminal modes are restored"
wait_for '^EXIT=0' "tui --connect: the session ended with 221: status 0"
wait_for 'the last reply was 221' "tui --connect: a last word after leaving"

# 2. smtpref connect --tui is the same; Ctrl-D sends QUIT first.
start 100x30 connect --tui --helo client.example 127.0.0.1 "$port"
wait_for '^smtp>' "connect --tui: the input line"
status_has '127\.0\.0\.1' "connect --tui: the status line names the real server"
wait_for '^.<-  250-PIPELINING' "connect --tui: EHLO's reply in the transcript"
type_line 'NOOP'
wait_for '^.<-  250 2\.0\.0' "connect --tui: NOOP's reply"
keys F1
wait_for ':auth plain\|login USER' "connect --tui: the help names the meta-commands for a real server"
keys Escape
keys C-d
wait_for '^TTY=restored' "connect --tui: the terminal modes are restored after Ctrl-D"
wait_for '^EXIT=0' "connect --tui: Ctrl-D sent QUIT, the session ended with 221"

# 3. :connect from the simulated session of the TUI.
start 100x30 tui
wait_for '^.<-  220 mx\.example\.org' ":connect: the simulated greeting first"
status_has 'server: modern' ":connect: the status line names the persona"
type_line ":connect 127.0.0.1 $port --helo client.example"
wait_for '^.<-  220 smtp-sink' ":connect: the real greeting"
wait_for '^.<-  250-PIPELINING' ":connect: greets the real server"
status_has '127\.0\.0\.1' ":connect: the status line names the real server now"
type_line 'RSET'
wait_for '^.<-  250 2\.' ":connect: a typed command reaches the real server"
type_line 'QUIT'
wait_for '^.<-  221 ' ":connect: QUIT"
keys C-d
wait_for '^TTY=restored' ":connect: the terminal modes are restored"
wait_for '^EXIT=0' ":connect: leaves with 0"

# 4. A server that is gone: the TUI says so and stays until Ctrl-D.
stop "$sink"
start 100x30 tui --connect 127.0.0.1 "$port" --helo client.example
wait_for '^.\*\*\* .*127\.0\.0\.1' "a refused connection is reported in the transcript"
wait_for '^closed>' "and the prompt says there is no connection"
keys C-d
wait_for '^TTY=restored' "refused: the terminal modes are restored"
wait_for '^EXIT=3' "refused: exit status 3, a network failure"

finish
