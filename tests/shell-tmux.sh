#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# shell-tmux.sh - the shell on a real terminal, driven as a person would:
# tmux types the keys (send-keys) and reads the screen (capture-pane)
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/tmux-lib.sh"
screen_history=1
# the shell's prompts (smtp>, closed>, reply>) end with ">", a reply's
# continuation prompt (reply+) with "+"
tmux_prompt='*[>+]'

# start ARGS... - open the shell in a fresh 100x40 terminal; when it
# exits, the pane shows EXIT=status and stays
start() {
	tmux_open 100x40 \
		"HOME='$tmp/home' XDG_STATE_HOME='$tmp/state' TERM=${TERM_FOR_TEST:-xterm-256color} \
		'$SMTPREF' shell $*; echo EXIT=\$?; sleep 60"
	wait_for '^(smtp|reply)>' "the shell starts and prompts"
}

screen_lacks() {
	checks=$((checks + 1))
	screen | grep -Eq -- "$1" && fail "$2: the screen has /$1/"
}

# 1. A whole session as the client, from the greeting to 221, with a
# message holding a line that starts with a dot.
start
wait_for '^220 mx.example.org' "the greeting appears first"
type_line 'EHLO client.example'
wait_for '^250 STARTTLS' "the EHLO reply, exactly as on the wire"
wait_for 'keyword +SIZE 35882577: messages of up to 35882577 octets' "SIZE explained with its limit"
type_line 'MAIL FROM:<ann@example.com>'
type_line 'RCPT TO:<alice@example.org>'
type_line 'DATA'
wait_for '^data>$' "a distinct prompt for the message"
type_line 'Subject: lunch'
type_line ''
type_line '.dotted line'
wait_for "went out as '\\.\\.dotted line'" "dot-stuffing shown"
type_line '.'
wait_for '^250 2.0.0 OK: queued' "the message is accepted"
wait_for 'size +The message was' "its size counted"
# every line typed is on the screen once: the prompt's echo, no copy
checks=$((checks + 1))
n=$(screen | grep -c 'RCPT TO:<alice@example.org>')
[ "$n" -eq 1 ] || fail "a typed command shows once, not $n times"
checks=$((checks + 1))
n=$(screen | grep -c 'Subject: lunch')
[ "$n" -eq 1 ] || fail "a typed message line shows once, not $n times"
type_line 'QUIT'
wait_for '^221 ' "QUIT gets 221"
wait_for '^closed>$' "the prompt says the connection is closed"
keys C-d
wait_for '^EXIT=0' "Ctrl-D leaves with status 0"

# 2. A session full of mistakes: each answered, explained, with a hint.
start
type_line 'RCPT TO:<alice@example.org>'
wait_for '^503 ' "RCPT before EHLO: 503"
wait_for 'hint +Say hello first' "a hint names what to type"
type_line 'EHLO client.example'
type_line 'RCPT TO:<alice@example.org>'
wait_for 'hint +MAIL comes before RCPT; type MAIL FROM:<you@example.org>' "the RCPT-before-MAIL hint"
type_line 'MAIL FROM:ann@example.com'
wait_for '^501 ' "a path without <>: 501"
type_line 'MAIL FROM:<ann@example.com>'
type_line 'RCPT TO:<bob@elsewhere.example>'
wait_for '^550 5.7.1' "relaying refused"
wait_for 'hint +This server takes mail only for its own domains' "a hint for relaying"
type_line 'BOGUS'
wait_for '^500 ' "an unknown verb: 500"
type_line ':state'
wait_for 'state +You may send now: .*RCPT' ":state lists what may come next"
type_line ':diagram'
wait_for '^=> \[ mail \]' ":diagram marks the current state"
# Ctrl-C cancels the line being typed, and nothing is sent
keys 'NOOP half typed'
keys C-c
wait_for 'half typed\^C' "Ctrl-C shows where the line was cut"
type_line 'NOOP'
wait_for '^250 2.0.0 OK$' "the NOOP is answered"
checks=$((checks + 1))
[ "$(screen | grep -c '^250 2.0.0 OK$')" -eq 1 ] || fail "only the NOOP typed after Ctrl-C is sent"
# Ctrl-D sends QUIT first, so the learner sees 221
keys C-d
wait_for '^221 ' "Ctrl-D sends QUIT and shows 221"
wait_for '^EXIT=0' "then leaves"

# 3. Tab completion: a verb, a path, and a keyword after :explain.
start
keys 'EH' Tab
wait_for '^smtp> EHLO$' "Tab completes a verb"
keys 'client.example' Enter
keys 'MAIL FR' Tab
wait_for '^smtp> MAIL FROM:<$' "Tab completes FROM:<"
keys 'al' Tab
wait_for '^smtp> MAIL FROM:<alice@example.org>$' "Tab completes an address of the simulated world"
keys C-u ':explain PIPE' Tab
wait_for '^smtp> :explain PIPELINING$' "Tab completes a keyword after :explain"
keys Enter
wait_for 'RFC 2920' ":explain shows the reference entry"
keys C-d
wait_for '^EXIT=0' "leaves"

# 4. History is kept across runs, without a credential typed during AUTH.
start --persona submission
type_line 'EHLO client.example'
type_line 'STARTTLS'
type_line 'EHLO client.example'
type_line 'AUTH LOGIN'
wait_for '^auth>' "a prompt for the AUTH answers"
type_line 'YWxpY2U='
type_line 'd29uZGVybGFuZA=='
wait_for '^235 ' "authenticated"
type_line 'NOOP'
keys C-d
wait_for '^EXIT=0' "leaves"
checks=$((checks + 1))
[ -f "$tmp/state/smtpref/history" ] || fail "the history file is in \$XDG_STATE_HOME/smtpref"
checks=$((checks + 1))
grep -q 'd29uZGVybGFuZA==' "$tmp/state/smtpref/history" && fail "the password is not in the history"
start --persona submission
keys Up
wait_for '^smtp> NOOP$' "Up recalls the last line of the previous run"
keys Up
wait_for '^smtp> AUTH LOGIN$' "the line before it: the AUTH answers were not kept"
keys Up Up
wait_for '^smtp> STARTTLS$' "and the ones before"
keys C-u C-d
wait_for '^EXIT=0' "leaves"

# 5. The server role.
start --role server --scenario plain
wait_for '^reply>' "the learner is asked for the greeting"
type_line '220 mx.example.org ESMTP'
wait_for '^EHLO ' "the client sends EHLO"
type_line '250-mx.example.org'
wait_for '^reply\+' "a continuation prompt inside a multi-line reply"
type_line '250 PIPELINING'
wait_for '^MAIL FROM:<' "the client goes on with MAIL"
type_line '550 no'
wait_for 'client +' "the client says what it does after a 5xx"
keys C-d
wait_for '^EXIT=0' "leaves"

# 6. A transcript saved, then replayed step by step.
start
type_line 'EHLO client.example'
type_line 'QUIT'
type_line ":save $tmp/session.txt"
wait_for 'Transcript saved' ":save confirms"
type_line ':restart'
type_line ":replay $tmp/session.txt"
wait_for '^replay>' "a replay prompt"
keys Enter
wait_for 'keyword +PIPELINING' "Enter shows the next reply, explained"
keys q Enter
wait_for 'Replay stopped' "q stops the replay"
keys C-d
wait_for '^EXIT=0' "leaves"

# 7. A paste of several lines goes out as one pipelined group.
start
type_line 'EHLO client.example'
paste 'MAIL FROM:<ann@example.com>
RCPT TO:<alice@example.org>
RCPT TO:<nobody@example.org>'
keys Enter
wait_for 'pipeline +3 commands sent in one write' "a paste is one write"
wait_for 'pipeline +reply to RCPT TO:<nobody@example.org>' "each reply matched to its command"
keys C-d
wait_for '^EXIT=0' "leaves"

# 8. A dumb terminal: no escapes, still usable.
TERM_FOR_TEST=dumb start
type_line 'EHLO client.example'
wait_for '^250 STARTTLS' "the shell works on a dumb terminal"
checks=$((checks + 1))
tm capture-pane -p -e -t 0 | grep -q "$(printf '\033')\[1;3" && fail "no colour on a dumb terminal"
keys C-d
wait_for '^EXIT=0' "leaves"
TERM_FOR_TEST=

finish
