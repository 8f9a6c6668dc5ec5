#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# lesson-tmux.sh - a lesson worked through on a terminal as a student
# would: a wrong answer, a hint, completion; and progress that survives
# the program being killed in the middle
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/tmux-lib.sh"
screen_history=1
# the prompts (answer>, smtp>) end with ">"
tmux_prompt='*>'

start() {
	tmux_open 100x40 \
		"HOME='$tmp/home' XDG_STATE_HOME='$tmp/state' TERM=xterm-256color \
		'$SMTPREF' lesson run $*; echo EXIT=\$?; sleep 60"
}

# 1. The first lesson, with a mistake on the way.
start 01-greeting
wait_for '^Greeting and EHLO/HELO' "the lesson's title"
wait_for '^answer>' "a question, and its prompt"
type_line '250'
wait_for 'not yet +That is not the answer' "a wrong answer"
wait_for 'hint +It is the number at the very start' "and a hint"
type_line ':hint'
wait_for 'hint +The greeting is "220' ":hint, a stronger one"
type_line '220'
wait_for '^smtp>' "the next step asks for a command"
# the shell's completion and meta-commands work inside the lesson
type_line ':state'
wait_for 'state +Lesson: Greeting and EHLO/HELO, step 4 of 11' ":state names the lesson and the step"
wait_for 'state +You may send now: EHLO HELO' ":state lists what the lesson's server takes now"
tm send-keys -t 0 -l 'eh'
keys Tab
tm send-keys -t 0 -l 'client.example.com'
keys Enter
wait_for '^smtp> EHLO client.example.com' "Tab completes the verb inside a lesson"
wait_for '^250 STARTTLS' "the simulated server answers"
type_line '-'
type_line 'HELO client.example.com'
type_line 'QUIT'
wait_for '^Lesson complete' "the lesson is completed"
wait_for '^EXIT=0' "and the run ends with 0"

# 2. Killed in the middle, resumed where it stopped.
start 03-mail-transaction
wait_for '^smtp>' "the second lesson starts"
type_line 'EHLO client.example.com'
wait_for '^250 STARTTLS' "the first step passes"
type_line 'MAIL FROM:<ann@example.com>'
wait_for '^250 2\.1\.0' "the second step passes"
pid=$(tmux_pid)
checks=$((checks + 1))
if [ -n "$pid" ]; then
	kill -KILL "$pid"
	wait_for '^EXIT=137' "the run was killed"
else
	fail "the lesson's process was not found"
fi
start 03-mail-transaction
wait_for 'Resuming where you stopped \(step' "the next run resumes"
wait_for '^answer>|^smtp>' "at a step after the two already passed"
checks=$((checks + 1))
screen | grep -q 'Greet the server with EHLO' && fail "the passed steps are not asked again"
tm send-keys -t 0 C-d
wait_for 'Your progress is saved' "Ctrl-D keeps the progress"

# 3. A lesson started inside the shell, its name completed with Tab; when
# it is left, the shell's own session goes on.
tmux_open 100x40 \
	"HOME='$tmp/home' XDG_STATE_HOME='$tmp/state' TERM=xterm-256color \
	'$SMTPREF' shell --explain=brief; echo EXIT=\$?; sleep 60"
wait_for '^smtp>' "the shell starts"
tm send-keys -t 0 -l ':lesson 05-b'
keys Tab
keys Enter
wait_for "^What 503 means; RSET and NOOP" ":lesson with a completed name starts the lesson"
type_line ':lesson stop'
wait_for 'Your progress is saved' ":lesson stop keeps the progress"
wait_for "Back to the shell's own session" "the shell goes on"
type_line 'QUIT'
wait_for '^221 ' "the shell's own session is the one that answers"

finish
