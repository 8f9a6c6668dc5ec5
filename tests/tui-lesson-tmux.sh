#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tui-lesson-tmux.sh - a lesson in the full-screen view, on a small and a
# large terminal: tmux types what a learner types and reads the screen
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/tmux-lib.sh"

# start COLSxLINES ARGS... - the TUI in a fresh terminal, with no progress
# kept from before; when it exits the pane shows what it printed last,
# EXIT=status and whether the terminal modes came back
start() {
	size=$1
	shift
	rm -rf "$tmp/state"
	tmux_open "$size" \
		"HOME='$tmp/home' XDG_STATE_HOME='$tmp/state' LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1 \
		TERM=xterm-256color \
		sh -c 'before=\$(stty -g); \"\$0\" tui \"\$@\"; st=\$?; [ \"\$(stty -g)\" = \"\$before\" ] && echo TTY=restored; echo EXIT=\$st; sleep 60' '$SMTPREF' $*"
	wait_for '^answer>|^smtp>' "$size: the TUI starts with an input line"
}

# count PATTERN - how many rows of the screen match
count() { screen | grep -cE -- "$1"; }

# the first steps of 01-greeting, the same at every size
lesson() {
	wait_for '^─ Lesson: Greeting and EHLO/HELO, step [0-9]+ of [0-9]+ ─' "$1: the lesson pane, its title and the step"
	wait_for '^ task +Which three-digit code starts the server' "$1: the task"
	wait_for '^ .*lesson 01-greeting.*[0-9]+' "$1: the status line names the lesson and the step"
	wait_for '^─ Transcript' "$1: the transcript pane is there too"
	wait_for '─ Explanation' "$1: and the explanation pane"
	wait_for 'now +greeted' "$1: and the state"
	wait_for '^.(<-|<~)  220 ' "$1: the greeting is in the transcript"
	checks=$((checks + 1))
	[ "$(count 'Welcome! In these lessons')" -le 1 ] || fail "$1: the lesson's text is not copied into the transcript"
	type_line '250'
	wait_for '^ not yet +' "$1: a wrong answer says not yet"
	wait_for '^ hint +It is the number at the very start' "$1: and gives the step's first hint"
	type_line ':hint'
	wait_for '^ hint +The greeting is "220' "$1: :hint gives a stronger hint"
	type_line '220'
	wait_for '^ task +Greet the server' "$1: the right answer moves on to the next task"
	wait_for '^smtp>' "$1: which wants a command"
	checks=$((checks + 1))
	[ "$(count '^ hint +It is the number')" -eq 0 ] || fail "$1: the last step's hints are gone"
	keys 'EH' Tab
	wait_for '^smtp> EHLO$' "$1: Tab completes the verb inside the lesson"
	type_line 'client.example.com'
	wait_for '^.<-  250 STARTTLS' "$1: the EHLO reply is in the transcript"
	wait_for 'now +ready' "$1: the state is ready after EHLO"
	wait_for '^ task +In a reply that spans several lines' "$1: and the lesson goes on"
	type_line ':state'
	wait_for '^.    :state' "$1: :state is a line of the transcript"
	wait_for '^ state +.*step [0-9]+ of [0-9]+' "$1: explained by what :state says, the lesson's step first"
	keys F1
	wait_for ':hint ' "$1: the help lists :hint"
	wait_for ':skip ' "$1: and :skip"
	wait_for ':restart ' "$1: and :restart"
	wait_for ':lesson \[NAME \| stop\]' "$1: and :lesson"
	keys Escape
	lacks 'smtpref tui - keys' "$1: a key closes the help"
}

# leave - Ctrl-D in the middle: the progress is kept and said so, after
# the screen is given back
leave() {
	keys C-d
	wait_for '^TTY=restored' "$1: the terminal modes are restored after Ctrl-D"
	wait_for '^EXIT=0' "$1: Ctrl-D leaves with status 0"
	wait_for '^smtpref tui: .*saved' "$1: the lesson's last word is printed after leaving"
}

# 1. 80x24: the lesson is a band of a few lines above the transcript; its
# text is cut, the task is not, and F3 pages the text.
start 80x24 --lesson 01-greeting
wait_for '^ -- .*F3' "80x24: the cut text says how to read the rest"
keys F3
wait_for 'page 1 of [0-9]+' "80x24: F3 shows the text page by page"
wait_for '^ task +Which three-digit code' "80x24: with the task still in view"
keys F3
wait_for 'page 2 of [0-9]+' "80x24: F3 again, the next page"
lesson 80x24
leave 80x24

# 2. 160x48: the band sits above the transcript, beside the state pane
# and its diagram.
start 160x48 --lesson 01-greeting
wait_for '^─ Lesson: .*─ Session state' "160x48: the lesson pane beside the state pane"
wait_for '^.{100,}> greeted \*' "160x48: the diagram marks greeted"
lesson 160x48
wait_for '> ready \*' "160x48: the diagram's marker moves to ready"
leave 160x48

# 3. To the end: the closing words stay until the next line, then the
# pane goes and the session of the TUI itself goes on.
start 80x24 --lesson 01-greeting
type_line '220'
type_line 'EHLO client.example.com'
type_line '-'
type_line 'HELO client.example.com'
type_line 'QUIT'
wait_for '^─ Lesson: .*over' "the pane says the lesson is over"
wait_for 'Lesson complete' "the lesson's closing words"
wait_for '^smtp>' "the TUI goes on"
type_line 'NOOP'
wait_for '^.<-  250 ' "the simulated server answers"
lacks '^─ Lesson:' "without a lesson there is no lesson pane"
wait_for 'Lesson complete' "the closing words stay in the transcript"
keys C-d
wait_for '^TTY=restored' "after the lesson: the terminal is restored"
wait_for '^EXIT=0' "after the lesson: status 0"

# 4. :lesson starts one from inside the TUI; :lesson stop leaves it.
start 100x30
lacks '^─ Lesson:' "no lesson: no lesson pane"
type_line ':lesson 01-greeting'
wait_for '^─ Lesson: Greeting and EHLO/HELO' ":lesson NAME brings the lesson pane"
wait_for '^ task +Which three-digit code' ":lesson NAME: the task"
type_line ':lesson stop'
wait_for 'saved' ":lesson stop says the progress is saved"
type_line 'NOOP'
lacks '^─ Lesson:' "after :lesson stop and a line, the pane is gone"
keys C-d
wait_for '^EXIT=0' ":lesson in the TUI: leaves"

finish
