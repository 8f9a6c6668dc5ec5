#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-shell.sh - smtpref shell with standard input not a terminal: lines
# read one by one, no prompt, so the shell can be scripted
. "$top_srcdir/tests/lib.sh"

export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state"
unset NO_COLOR

# shell ARGS... - run smtpref shell with $tmp/in on stdin
shell() {
	"$SMTPREF" shell "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# codes - the final lines' codes of the replies in $tmp/out
codes() {
	grep -E '^[0-9]{3}( |$)' "$tmp/out" | cut -c1-3 | tr '\n' ' '
}

expect_codes() {
	checks=$((checks + 1))
	got=$(codes)
	[ "$got" = "$1" ] || fail "$2: replies '$got', expected '$1'"
}

# A whole session, with a message holding a line that starts with a dot.
printf 'EHLO client.example\nMAIL FROM:<ann@example.com>\nRCPT TO:<alice@example.org>\nDATA\nSubject: hi\n\n.dotted\n.\nQUIT\n' >"$tmp/in"
shell
expect_status 0 "a scripted session"
expect_codes "220 250 250 250 354 250 221 " "one reply per command, in order"
expect_out '^  why +The server identified itself' "each reply explained: the rule"
expect_out '^  keyword +PIPELINING' "each EHLO keyword explained on its line"
expect_out '^  state +ready -> in transaction' "the state after each reply"
expect_out "^  dot +Your line starts with '\\.', so it went out as '\\.\\.dotted'" "dot-stuffing shown"
expect_no_out "$(printf '\033')" "no colour when stdout is not a terminal"
expect_no_out '^smtp>' "no prompt when stdin is not a terminal"
expect_empty_err "a scripted session"

# Mistakes get the server's answer, the rule, and a hint.
printf 'RCPT TO:<alice@example.org>\nEHLO client.example\nRCPT TO:<alice@example.org>\nHELLO\nMAIL FROM:alice@example.org\n' >"$tmp/in"
shell --explain=brief
expect_codes "220 503 250 503 500 501 221 " "mistakes answered as a real server would, QUIT at the end"
expect_out '^  hint +Say hello first' "a hint before EHLO"
expect_out '^  hint +MAIL comes before RCPT; type MAIL FROM:<you@example.org>' "the hint the issue names"
expect_out '^  hint +The sender goes in angle brackets: MAIL FROM:<you@example.org>' "a hint for a MAIL without angle brackets"
expect_out 'QUIT is sent first' "end of input leaves with QUIT"

# --no-hints and --explain=off
shell --explain=off
expect_no_out '^  (why|hint|code)' "--explain=off: the wire only"
shell --no-hints
expect_no_out '^  hint' "--no-hints"
expect_out '^  why' "--no-hints keeps the explanations"

# The server role: the simulated client speaks, the learner replies.
printf '220 mx.example.org ESMTP\n250-mx.example.org\n250 PIPELINING\n250 OK\n250 OK\n354 go ahead\n250 queued\n221 bye\n' >"$tmp/in"
shell --role server --scenario plain
expect_status 0 "a scripted server-role session"
expect_out '^EHLO ' "the client greets"
expect_out '^MAIL FROM:<' "the client sends MAIL after 250"
expect_out '^QUIT' "and QUIT at the end"
expect_out 'The client is done' "the client closes"

# A learner's wrong reply is checked and compared with a conforming one.
printf '220 mx.example.org\n250 mx.example.org\n354 go on\n' >"$tmp/in"
shell --role server --scenario plain
expect_out '^  code +.*354' "a code not allowed for MAIL is pointed out"
expect_out '^  expected +A conforming server would answer 250' "what a conforming server would have said"

# Meta-commands.
printf ':state\n:explain 553\n:explain nonsense-term\n:nonsense\n:persona rfc821\nEHLO client.example\n:fault\n:diagram\n:quit\nNOOP\n' >"$tmp/in"
shell --explain=brief
expect_out '^  state +You may send now: EHLO HELO' ":state lists the legal commands"
expect_out '553' ":explain 553 prints the reference entry"
expect_err 'nonsense-term' ":explain of an unknown term says so on stderr"
expect_err "no meta-command ':nonsense'" "an unknown meta-command is named"
expect_out '^500 ' ":persona rfc821 switches to a server that does not know EHLO"
expect_err 'usage: :fault' ":fault without arguments shows its usage"
expect_out '=> \[ greeted \]' ":diagram marks the current state"
expect_out '^221 ' ":quit sends QUIT"
expect_no_out '^250 ' ":quit stops reading: the NOOP after it gets no reply"

# :wait moves the simulated clock: the greylist wants 5 minutes between
# tries, and a silent client meets the server's timeout.
printf 'EHLO a.example\nMAIL FROM:<ann@example.com>\nRCPT TO:<alice@example.org>\nQUIT\n:restart\nEHLO a.example\nMAIL FROM:<ann@example.com>\nRCPT TO:<alice@example.org>\nQUIT\n:wait 5m\n:restart\nEHLO a.example\nMAIL FROM:<ann@example.com>\nRCPT TO:<alice@example.org>\n:wait 6m\n:wait soon\n' >"$tmp/in"
shell --persona greylist --explain=brief
expect_codes "220 250 250 451 221 220 250 250 451 221 220 250 250 250 421 " "greylisted, too soon, accepted after :wait 5m, then 421 after :wait 6m"
expect_out '^  hint +Too soon for this greylist' "the hint for a retry that comes too soon says how to wait"
expect_out '^  clock +Time passes on the simulated clock: 5m' ":wait says what it did"
expect_err 'usage: :wait DURATION' ":wait with no duration shows its usage"
printf ':wait 5m\n' >"$tmp/in"
shell --role server
expect_err ':wait ' ":wait with the simulated client is refused"

# A pipelined group.
printf 'EHLO client.example\n:pipe\nMAIL FROM:<ann@example.com>\nRCPT TO:<alice@example.org>\nRCPT TO:<nobody@example.org>\n\nQUIT\n' >"$tmp/in"
shell --explain=brief
expect_codes "220 250 250 250 550 221 " "a group's replies in order"
expect_out '^  pipeline +reply to RCPT TO:<nobody@example.org>' "each reply matched to its command"

# A transcript saved, with the password redacted, and replayed.
printf 'EHLO client.example\nSTARTTLS\nEHLO client.example\nAUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\nQUIT\n:save %s\n' "$tmp/t.txt" >"$tmp/in"
shell --persona submission
checks=$((checks + 1))
[ -f "$tmp/t.txt" ] || fail ":save writes the file"
checks=$((checks + 1))
grep -q 'AGFsaWNlAHdvbmRlcmxhbmQ=' "$tmp/t.txt" && fail "the credential is not in the saved transcript"
checks=$((checks + 1))
grep -q '^ ~> AUTH PLAIN \*\*\*' "$tmp/t.txt" || fail "the AUTH line is saved redacted, with the TLS marker"
checks=$((checks + 1))
grep -q '^<-  220 ' "$tmp/t.txt" && grep -q '^ -> EHLO client.example$' "$tmp/t.txt" ||
	fail "swaks-style markers for sent and received lines"
printf ':replay %s\n' "$tmp/t.txt" >"$tmp/in"
shell
expect_out '^  keyword +AUTH PLAIN LOGIN' "a replayed EHLO reply is explained keyword by keyword"
expect_out 'End of the transcript' "the replay runs to the end"
printf '<-  220 x\nnot a transcript\n' >"$tmp/bad.txt"
printf ':replay %s\n' "$tmp/bad.txt" >"$tmp/in"
shell
expect_err "bad.txt:2: not a transcript line" "a broken transcript is named with file:line"

# Bad command lines.
: >"$tmp/in"
shell --role nobody
expect_status 2 "a bad --role"
expect_err "--role takes client or server" "a bad --role is named"
shell --persona nosuch
expect_status 2 "an unknown persona"
expect_err "unknown persona" "an unknown persona is named"
shell --bogus
expect_status 2 "an unknown option"
expect_err "Try 'smtpref shell --help'" "usage errors point to --help"
shell extra
expect_status 2 "a stray argument"
shell --help
expect_status 0 "--help"
expect_out '^Usage: smtpref shell' "--help shows the usage"

# A line too long for a script is refused, not truncated into a command.
awk 'BEGIN { s = "NOOP "; for (i = 0; i < 70000; i++) s = s "x"; print s; print "NOOP" }' >"$tmp/in"
shell --explain=off
expect_err 'line 1 is longer than' "an over-long line is named"
expect_codes "220 250 221 " "the next line still works"

# Lessons inside the shell: :lesson lists them and starts one; the lesson's
# steps take the lines until it is over, then the shell's own session goes on.
printf ':lesson\n' >"$tmp/in"
shell --explain=off
expect_out '^  lesson +01-greeting \(8 min\): Greeting and EHLO/HELO' ":lesson lists the lessons"
expect_out '^  lesson +18-smuggling' ":lesson lists the whole curriculum"
awk -f "$top_srcdir/tests/lesson-answers.awk" "$top_srcdir/lessons/01-greeting.lesson" >"$tmp/answers"
{ printf ':lesson greeting\n'; cat "$tmp/answers"; printf ':state\nEHLO after.example\n'; } >"$tmp/in"
shell --explain=off
expect_status 0 "a lesson worked through inside the shell"
expect_out '^Greeting and EHLO/HELO' ":lesson NAME starts it (the number may be left out)"
expect_out '^Lesson complete\.' "the lesson completes with its model answers"
expect_no_out 'not yet' "every model answer passes"
expect_out "Back to the shell's own session" "the shell goes on after the lesson"
expect_out '^  state +You are the client; the server is the .modern. persona' ":state is about the shell's session again"
expect_out '^250-mx.example.org greets after.example' "the shell's own session answers"
"$SMTPREF" lesson progress >"$tmp/out" 2>&1
expect_out '01-greeting.*done' "a lesson done in the shell counts as done"

# --lesson starts with one; :lesson stop leaves it, keeping the progress.
"$SMTPREF" lesson reset 01-greeting >/dev/null 2>&1
printf '220\n:state\n:persona rfc821\n:lesson stop\nEHLO x.example\n' >"$tmp/in"
shell --explain=off --lesson 01-greeting
expect_status 0 "--lesson"
expect_out '^  lesson +Right\.' "--lesson: the first answer is checked"
expect_out '^  state +Lesson: Greeting and EHLO/HELO, step 4 of 11' ":state names the lesson and the step"
expect_err ':persona is not for a lesson' "a meta-command that changes the lesson's session is refused"
expect_out 'Your progress is saved' ":lesson stop keeps the progress"
checks=$((checks + 1))
[ "$(grep -c '^220 mx.example.org ESMTP' "$tmp/out")" = 2 ] ||
	fail "the lesson's server greeted, then the shell's own session"
expect_out '^250 STARTTLS' "the shell's own session answers after the lesson"
"$SMTPREF" lesson progress >"$tmp/out" 2>&1
expect_out '01-greeting.*step 4 of 11' "the progress says where the lesson stopped"

# Errors: an unknown lesson, a broken one (file:line), and options that
# exclude each other.
printf ':lesson nosuch\n:hint\n' >"$tmp/in"
shell --explain=off
expect_err "no lesson 'nosuch'" ":lesson with an unknown name"
expect_err ':hint works in a lesson' ":hint outside a lesson"
printf 'title: Broken\nminutes: 5\n\nsend: something\nexpect: code abc\n' >"$tmp/broken.lesson"
printf ':lesson %s\nNOOP\n' "$tmp/broken.lesson" >"$tmp/in"
shell --explain=off
expect_err 'broken\.lesson:[0-9]+: ' "a broken lesson is reported as file:line"
expect_codes "220 250 221 " "and the shell goes on"
: >"$tmp/in"
shell --lesson nosuch
expect_status 1 "--lesson with an unknown lesson"
expect_err "smtpref shell: no lesson 'nosuch'" "--lesson names the lesson it did not find"
shell --lesson 01-greeting --persona rfc821
expect_status 2 "--lesson with --persona"
expect_err 'excludes --persona' "--lesson and --persona exclude each other"

# smtpref alone, not on a terminal, is still a usage error.
"$SMTPREF" </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 2 "smtpref alone with no terminal"

# A missing interactive program is reported, not a crash.
SMTPREF_LIBEXECDIR="$tmp/nowhere" "$SMTPREF" shell </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 127 "smtpref-interactive missing"
expect_err "cannot run .*smtpref-interactive" "the missing program is named"

finish
