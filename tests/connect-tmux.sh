#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# connect-tmux.sh - the shell talking to a real server on a terminal:
# smtpref connect on a tty, and :connect from inside the shell, against
# Postfix's smtp-sink on 127.0.0.1
. "$top_srcdir/tests/lib.sh"

PY=/usr/bin/python3
pids=
. "$top_srcdir/tests/peers/lib.sh"

need "$PY"
need_smtp_sink

. "$top_srcdir/tests/tmux-lib.sh"
screen_history=1
# the shell's prompts (smtp>, closed>, smtp (waiting for 354)>) end with ">"
tmux_prompt='*>'
tmux_cleanup='for p in $pids; do kill "$p" 2>/dev/null; done'

start_smtp_sink

# open ARGS... - smtpref ARGS in a fresh 100x40 terminal
open_tty() {
	tmux_open 100x40 \
		"HOME='$tmp/home' XDG_STATE_HOME='$tmp/state' TERM=xterm-256color \
		'$SMTPREF' $*; echo EXIT=\$?; sleep 60"
}

# 1. smtpref connect on a terminal opens the shell on the real server.
open_tty connect --helo client.example 127.0.0.1 "$port"
wait_for '^220 ' "the server's greeting, as received"
wait_for '^250[- ]PIPELINING' "the automatic EHLO's reply"
wait_for '^smtp>' "the shell's prompt"
type_line 'MAIL FROM:<ann@example.org>'
wait_for '^250 2\.1\.0' "a reply to what was typed"
type_line ':state'
wait_for 'state +You are the client of the real server 127\.0\.0\.1' ":state knows it is a real server"
keys 'RCPT TO:<bob@example.org> NO' Tab
wait_for '^smtp> RCPT TO:<bob@example.org> NOTIFY=$|^smtp> RCPT TO:<bob@example.org> NO$' "completion in a real session"
keys C-u
type_line ':persona rfc821'
wait_for 'works with the simulated server' "simulated-only meta-commands are refused"
keys C-d
wait_for '^221 ' "Ctrl-D sends QUIT to the real server and shows 221"
wait_for '^EXIT=0' "and leaves with 0, the session having ended with 221"

# 2. :connect from inside the shell.
open_tty shell
wait_for '^220 mx\.example\.org' "the simulated greeting first"
type_line ":connect 127.0.0.1 $port --helo client.example"
wait_for "^250[- ]PIPELINING" ":connect greets the real server"
type_line 'NOOP'
wait_for '^250 2\.0\.0 Ok' "a command reaches the real server"
type_line 'QUIT'
wait_for '^221 ' "QUIT"
wait_for '^closed>' "the prompt says the connection is closed"
keys C-d
wait_for '^EXIT=0' "leaves"

# 3. Typing ahead of a slow server: smtp-sink -w 1 answers DATA after 1 s.
# Every line typed before its reply is held and goes out in turn; the
# message typed before the 354 arrives with it; no reply is matched to
# the wrong command, so the server is blamed for nothing.
stop "$pid"
mkdir "$tmp/dump"
chmod 0711 "$tmp"
chmod 0777 "$tmp/dump"
start_smtp_sink -w 1 -d "$tmp/dump/%M."
open_tty connect --helo client.example 127.0.0.1 "$port"
wait_for '^smtp>' "the slow server's session opens"
type_line 'MAIL FROM:<ann@example.org>'
type_line 'RCPT TO:<bob@example.org>'
type_line 'DATA'
type_line 'Subject: typed ahead'
type_line ''
type_line 'typed before the 354 came'
wait_for 'waiting for 354' "the prompt says what the line waits for"
type_line '.'
type_line 'QUIT'
wait_for '^221 ' "the session ends with 221 after the slow DATA"
lacks 'not a reply RFC 5321 allows|not an answer' "no reply is matched to the wrong command"
checks=$((checks + 1))
grep -rqs 'typed before the 354 came' "$tmp/dump" ||
	fail "the message typed ahead reached the server: $(ls "$tmp/dump")"
# each typed line is on the screen once: the prompt's echo, no copy
checks=$((checks + 1))
n=$(screen | grep -c 'RCPT TO:<bob@example.org>')
[ "$n" -eq 1 ] || fail "a typed line shows once, not $n times"
keys C-d
wait_for '^EXIT=0' "leaves with 0 after 221"

finish
