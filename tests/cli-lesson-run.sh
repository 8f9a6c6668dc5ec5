#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-lesson-run.sh - smtpref lesson run from a pipe: every lesson of the
# curriculum can be worked through with its model answers, a wrong answer
# gets its hint, and a run that stops resumes where it stopped
. "$top_srcdir/tests/lib.sh"

export XDG_STATE_HOME="$tmp/state" HOME="$tmp/home"

# lesson NAME - run it with $tmp/in on stdin
lesson() {
	"$SMTPREF" lesson run "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# Every lesson without branches, answered as its file's model answers say:
# each step passes at the first try, and the lesson completes.
# (one awk writes the answers of them all, and names them)
mkdir "$tmp/model" || exit 99
awk -v dir="$tmp/model" -f "$top_srcdir/tests/lesson-answers.awk" \
	"$top_srcdir"/lessons/*.lesson >"$tmp/plain" || exit 99
while read -r name; do
	"$SMTPREF" lesson run "$name" <"$tmp/model/$name.in" >"$tmp/$name.run" 2>"$tmp/err"
	status=$?
	expect_status 0 "$name: the run"
done <"$tmp/plain"
# what each run printed, read by one awk
awk '
/^Lesson complete\./ { done[FILENAME] = 1 }
/not yet/ { again[FILENAME] = 1 }
END {
	for (i = 1; i < ARGC; i++) {
		name = ARGV[i]
		sub(/.*\//, "", name)
		sub(/\.run$/, "", name)
		if (ARGV[i] in done)
			print "ok " name
		else
			print "FAIL " name ": not completed with the model answers"
		if (ARGV[i] in again)
			print "FAIL " name ": a model answer did not pass at the first try"
		else
			print "ok " name
	}
}' "$tmp"/*.run >"$tmp/verdicts"
tally "$tmp/verdicts"
# The lesson with branches, along each way: 06 branches on the code the
# learner's recipient gets (551 or 550).
awk -f "$top_srcdir/tests/lesson-answers.awk" "$top_srcdir/lessons/06-recipients.lesson" >"$tmp/answers"
grep -vx 'yes' "$tmp/answers" >"$tmp/in"
lesson 06-recipients
expect_out '^551 5\.1\.6' "06, erin's way: the server answers 551"
expect_out '^Where does Erin receive mail now' "06: the 551 branch is taken"
expect_no_out 'Is the transaction still open' "06: the 550 branch is not"
expect_out '^Lesson complete\.' "06 completes along the 551 branch"
expect_no_out 'not yet' "06, 551 branch: every answer passes at the first try"
"$SMTPREF" lesson reset 06-recipients >/dev/null 2>&1
grep -vx 'erin@example.com' "$tmp/answers" | sed 's/<erin@example.org>/<nobody@example.org>/' >"$tmp/in"
lesson 06-recipients
expect_out '^550 5\.1\.1' "06, the other way: the server answers 550"
expect_out '^Is the transaction still open' "06: the 550 branch is taken"
expect_no_out 'Where does Erin receive mail' "06: the 551 branch is not"
expect_out '^Lesson complete\.' "06 completes along the 550 branch"
expect_no_out 'not yet' "06, 550 branch: every answer passes at the first try"
# 16 ran above; its simulated clock did what the narration says: the
# first try and the retry at once are greylisted, the one half an hour
# later is accepted.
"$SMTPREF" lesson reset 16-greylisting >/dev/null 2>&1
awk -f "$top_srcdir/tests/lesson-answers.awk" "$top_srcdir/lessons/16-greylisting.lesson" >"$tmp/in"
lesson 16-greylisting
checks=$((checks + 1))
[ "$(grep -c '^451 4\.7\.1 Greylisted' "$tmp/out")" = 2 ] || fail "16: the first try and the retry at once are greylisted"
expect_out 'This pair was first seen only 0 seconds ago' "16: the retry at once is too soon for the greylist"
expect_out 'Time passes on the simulated clock: 30 minutes' "16: the lesson waits half an hour"
expect_out '^250 2\.1\.5' "16: the retry after the wait is accepted"
# 27 loses the reply to the final dot, and says so
"$SMTPREF" lesson reset 27-lost-connections >/dev/null 2>&1
awk -f "$top_srcdir/tests/lesson-answers.awk" "$top_srcdir/lessons/27-lost-connections.lesson" >"$tmp/in"
lesson 27-lost-connections
expect_out '^421 4\.4\.2' "27: the silent client gets 421 after the server's timeout"
expect_out 'the connection broke before its 250 reached the client' "27: the lost reply is explained"
expect_out '^Lesson complete\.' "27 completes"

# 03 asks where a bounce would go: the answer is the sender the learner
# gave, whichever it was, not the one the lesson suggested.
"$SMTPREF" lesson reset 03-mail-transaction >/dev/null 2>&1
awk -f "$top_srcdir/tests/lesson-answers.awk" "$top_srcdir/lessons/03-mail-transaction.lesson" |
	sed 's/ann@example\.com/zoe@example.net/' >"$tmp/in"
lesson 03-mail-transaction
expect_out '^Lesson complete\.' "03 completes with another sender"
expect_no_out 'not yet' "03: the learner's own sender is the answer"
"$SMTPREF" lesson reset 03-mail-transaction >/dev/null 2>&1
awk -f "$top_srcdir/tests/lesson-answers.awk" "$top_srcdir/lessons/03-mail-transaction.lesson" |
	sed '2s/ann@example\.com/zoe@example.net/' >"$tmp/in"
lesson 03-mail-transaction
expect_out 'not yet' "03: the suggested sender is wrong when the learner gave another"
"$SMTPREF" lesson reset 03-mail-transaction >/dev/null 2>&1
awk -f "$top_srcdir/tests/lesson-answers.awk" "$top_srcdir/lessons/03-mail-transaction.lesson" >"$tmp/in"
lesson 03-mail-transaction

"$SMTPREF" lesson list >"$tmp/out" 2>"$tmp/err"
checks=$((checks + 1))
[ "$(grep -c ' done$' "$tmp/out")" -ge 30 ] || fail "lesson list shows the completed lessons as done"

# A receipt for a lesson finished without skipping verifies.
"$SMTPREF" lesson receipt 01-greeting >"$tmp/receipt" 2>"$tmp/err"
status=$?
expect_status 0 "a receipt for a finished lesson"
"$SMTPREF" lesson verify "$tmp/receipt" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "the receipt verifies"

# A wrong answer: why, then the hint; :hint gives the next one.
"$SMTPREF" lesson reset 01-greeting >/dev/null 2>&1
printf '250\n:hint\n220\n' >"$tmp/in"
lesson 01-greeting
expect_out '^  not yet +That is not the answer' "a wrong answer is named"
expect_out '^  hint +It is the number at the very start' "the first hint after a wrong try"
expect_out '^  hint +The greeting is "220' ":hint gives a stronger hint"
expect_out 'Your progress is saved' "end of input keeps the progress"

# ... and the next run resumes at the step after the last one passed.
printf 'EHLO client.example.com\n' >"$tmp/in"
lesson 01-greeting
expect_out 'Resuming where you stopped' "a run resumes"
expect_no_out 'Which three-digit code' "the question already answered is not asked again"
expect_out '^250 STARTTLS' "the EHLO of the resumed run is answered"

# :skip, where a lesson allows it, and a lesson finished with a skip gives
# no receipt.
"$SMTPREF" lesson reset 01-greeting >/dev/null 2>&1
awk -f "$top_srcdir/tests/lesson-answers.awk" "$top_srcdir/lessons/01-greeting.lesson" |
	sed '1s/.*/:skip/' >"$tmp/in"
lesson 01-greeting
expect_out 'Skipped' ":skip"
expect_out 'step\(s\) skipped' "the end says steps were skipped"
"$SMTPREF" lesson receipt 01-greeting >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 1 "no receipt for a skipped lesson"

# Errors.
: >"$tmp/in"
lesson nosuch
expect_status 1 "an unknown lesson"
expect_err "no lesson 'nosuch'" "an unknown lesson is named"
lesson
expect_status 2 "no lesson named"
lesson --bogus 01-greeting
expect_status 2 "an unknown option"

finish
