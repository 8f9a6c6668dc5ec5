#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-lesson.sh - smtpref lesson: every lesson passes the checker, broken
# lessons give file:line errors, list/progress/reset, and receipts that
# verify, while tampered ones are rejected
. "$top_srcdir/tests/lib.sh"

lessons=$top_srcdir/lessons
XDG_STATE_HOME=$tmp/state
state=$XDG_STATE_HOME/smtpref
export XDG_STATE_HOME
unset SMTPREF_LESSON_PATH SMTPREF_CLASS_KEY SMTPREF_CLASS_KEY_FILE

# ---- the curriculum --------------------------------------------------------
n=0
for f in "$lessons"/*.lesson; do
	n=$((n + 1))
	printf '%s\n' "$f"
done >"$tmp/lessons"
# all in one run (a run a file costs more than the checks): no warning,
# and an "ok" for each file
run lesson check --strict "$lessons"/*.lesson
expect_status 0 "every lesson passes lesson check --strict"
expect_empty_err "no lesson has a warning"
awk -v out="$tmp/out" '
BEGIN { while ((getline l < out) > 0) if (sub(/: ok: .*/, "", l)) ok[l] = 1 }
{ print ($0 in ok ? "ok " : "FAIL lesson check does not pass ") $0 }' "$tmp/lessons" >"$tmp/verdicts"
tally "$tmp/verdicts"
checks=$((checks + 1))
[ "$n" -ge 17 ] || fail "at least 17 lessons, found $n"

run lesson list
expect_status 0 "lesson list"
checks=$((checks + 1))
[ "$(grep -c ' min ' "$tmp/out")" -eq "$n" ] || fail "lesson list shows every lesson once"
expect_out '^01-greeting +Greeting and EHLO/HELO +8 min +new$' "list: name, title, minutes, status"
expect_out '^== Basics ==$' "list: lessons are grouped into parts"
checks=$((checks + 1))
[ "$(head -n 2 "$tmp/out" | tail -n 1 | cut -d' ' -f1)" = 01-greeting ] &&
	[ "$(tail -n 1 "$tmp/out" | cut -d' ' -f1)" = 34-server-greylisting ] ||
	fail "list is in the lessons' order"
checks=$((checks + 1))
[ "$(grep '^== ' "$tmp/out" | tr '\n' '|')" = \
	'== Basics ==|== Extensions ==|== Delivery and bounces ==|== Security ==|== The server role ==|' ] ||
	fail "list: each part once, in order"
checks=$((checks + 1))
m=$(sed -n 's/.* \([0-9][0-9]*\) min .*/\1/p' "$tmp/out" | sort -n | tail -n 1)
[ "$m" -le 12 ] || fail "no lesson takes more than 12 minutes (the longest: $m)"
run lesson list --json
expect_status 0 "lesson list --json"
expect_out '^\[\{"name":"01-greeting","file":' "list --json is an array of lessons"
expect_out '"part":"Basics","minutes":8,"order":101,"role":"client"' "list --json has the header fields"

# ---- coverage: every RFC 5321 reply code, and every rule taught ------------
run lesson coverage
expect_status 0 "lesson coverage: every rule of the rules list is taught"
expect_out "^$n lessons, " "coverage counts the lessons"
expect_out "RFC 5321's: 24 of 24" "every RFC 5321 reply code is met"
expect_out "^  missing: none$" "coverage says nothing is missing"
expect_out '^Rules list .*rfc-rules\.rec: [0-9]+ rules, [0-9]+ taught$' "coverage checks the rules list"
run lesson coverage --json
expect_status 0 "lesson coverage --json"
for code in 211 214 220 221 250 251 252 354 421 450 451 452 455 500 501 502 503 504 550 551 552 553 554 555; do
	expect_out "\"codes\":\{\"met\":\[[^]]*\"$code\"" "coverage --json: $code is met"
done
expect_out '"codes":\{"met":\[[^]]*\],"missing":\[\]' "coverage --json: no RFC 5321 code is missing"
run lesson coverage --steps "$lessons/05-bad-sequence.lesson"
expect_status 0 "coverage of one file, step by step"
expect_out '^  05-bad-sequence 3: code 503; enhanced 5\.5\.1; rule rcpt-before-mail;$' "--steps names what a step meets"
expect_out '^1 lessons, ' "coverage of the files named"
# a rules list the lessons do not keep
cat >"$tmp/rules.rec" <<'EOF'
# two rules, one taught, one not
Id: good
Source: RFC 5321 3.3
Role: server
Rule: RCPT without MAIL gets 503.
Taught: 05-bad-sequence 3
Meets: code 503; rule rcpt-before-mail

Id: untaught
Source: RFC 5321 4.1.1.5
Role: server
Rule: RSET gets 250,
+ always.
Taught: 05-bad-sequence 2
Meets: code 503
EOF
run lesson coverage --rules "$tmp/rules.rec"
expect_status 1 "a rule no step teaches fails coverage"
expect_err 'rules\.rec:9: untaught: at step 2 of 05-bad-sequence the learner does not meet code 503' "the untaught rule is named with its file and line"
expect_out '^Rules list .*: 2 rules, 1 taught$' "coverage counts the taught rules"
expect_out '^  not taught: untaught$' "coverage lists the untaught"
printf 'Id: a\nSource: RFC 5321 3.3\nRole: nobody\nRule: x\nTaught: 05-bad-sequence 99\n' >"$tmp/rules.rec"
run lesson coverage --rules "$tmp/rules.rec"
expect_status 1 "a broken rules list"
expect_err 'rules\.rec:1: .*nobody' "a bad Role is named with file and line"
printf 'Id: a\nSource: RFC 5321 3.3\nRole: server\nRule: x\n' >"$tmp/rules.rec"
run lesson coverage --rules "$tmp/rules.rec"
expect_status 1 "a rule without Taught"
expect_err 'rules\.rec:1: .*Taught' "the missing Taught: is named"
run lesson coverage --rules "$tmp/no-such.rec"
expect_status 1 "a missing rules list"
expect_err 'no-such\.rec' "the missing file is named"

# a name without its order prefix finds the lesson
run lesson check greeting
expect_status 0 "check takes a lesson's name"

# ---- the example of the man page is a complete lesson ------------------------
sed -n '/example-begin/,/example-end/p' "$top_srcdir/man/smtpref-lesson.5" |
	sed '1d;$d' | sed 's/\\-/-/g; s/\\e/\\/g' >"$tmp/first-mail.lesson"
run lesson check --strict "$tmp/first-mail.lesson"
expect_status 0 "the man page's example lesson passes lesson check"
if command -v groff >/dev/null 2>&1; then
	checks=$((checks + 1))
	w=$(groff -man -Tutf8 -ww -z "$top_srcdir/man/smtpref-lesson.5" 2>&1)
	[ -z "$w" ] || fail "groff warns about smtpref-lesson.5: $w"
fi

# ---- broken lessons ----------------------------------------------------------
cat >"$tmp/broken.lesson" <<'EOF'
title: Broken
minutes: many
persona: nosuch

send: Greet the server.
expect: code 2500
answer: EHLO client.example.com
goto: nowhere
EOF
run lesson check "$tmp/broken.lesson"
expect_status 1 "a broken lesson fails the check"
expect_err "broken\\.lesson:2: .*minutes" "the bad minutes: line is named"
expect_err "broken\\.lesson:3: .*nosuch" "the unknown persona is named"
expect_err "broken\\.lesson:6: .*2500" "the bad code is named"
expect_err "broken\\.lesson:8: .*nowhere" "the missing label is named"
expect_empty_out "nothing on stdout for a broken lesson"

cat >"$tmp/impossible.lesson" <<'EOF'
title: Impossible
minutes: 5

send: Send MAIL first.
expect: code 250
answer: MAIL FROM:<ann@example.com>
EOF
run lesson check "$tmp/impossible.lesson"
expect_status 1 "a model answer the server refuses fails the check"
expect_err "impossible\\.lesson:6: the model answer" "the model answer's line is named"

run lesson check "$tmp/broken.lesson" "$lessons/01-greeting.lesson"
expect_status 1 "one broken file among good ones fails"
expect_out '01-greeting\.lesson: ok' "the good one is still checked"

run lesson check "$tmp/missing.lesson"
expect_status 1 "a missing file"
expect_err 'missing\.lesson' "the missing file is named"

printf 'title: T\nminutes: 5\nsay: \377\n' >"$tmp/binary.lesson"
run lesson check "$tmp/binary.lesson"
expect_status 1 "a lesson that is not UTF-8"
expect_err 'binary\.lesson:3:' "its line is named"

# ---- usage -------------------------------------------------------------------
run lesson
expect_status 2 "lesson without a subcommand"
run lesson frobnicate
expect_status 2 "an unknown subcommand"
expect_err 'frobnicate' "the unknown subcommand is named"
run lesson list --frob
expect_status 2 "an unknown option"
expect_err -- '--frob' "the unknown option is named"
run lesson check --json "$lessons/01-greeting.lesson"
expect_status 2 "an option of another subcommand"
run lesson check
expect_status 2 "check without files"
run lesson list --dir
expect_status 2 "--dir without a directory"
run lesson --help
expect_status 0 "lesson --help"
expect_out 'smtpref lesson verify' "the help lists the subcommands"

# ---- a teacher's own lessons -------------------------------------------------
mkdir "$tmp/class" "$tmp/more"
cp "$tmp/first-mail.lesson" "$tmp/class/50-first-mail.lesson"
sed 's/^title: .*/title: Our own greeting/' "$lessons/01-greeting.lesson" \
	>"$tmp/more/01-greeting.lesson"
run lesson list --dir "$tmp/class"
expect_out '^50-first-mail +A first transaction' "--dir adds a teacher's lesson"
SMTPREF_LESSON_PATH="$tmp/nonexistent:$tmp/more" run lesson list
expect_out '^01-greeting +Our own greeting' "SMTPREF_LESSON_PATH hides a built-in lesson of the same name"
checks=$((checks + 1))
[ "$(grep -c '^01-greeting ' "$tmp/out")" -eq 1 ] || fail "a hidden lesson is listed once"
SMTPREF_LESSON_PATH=$tmp/class run lesson check first-mail
expect_status 0 "a lesson found through SMTPREF_LESSON_PATH"
cp "$tmp/broken.lesson" "$tmp/class/60-broken.lesson"
run lesson list --dir "$tmp/class" --dir "$tmp/nonexistent"
expect_status 0 "list with a broken lesson among them"
expect_out '^60-broken +\(broken' "list marks a lesson that does not parse"

# ---- progress and reset ------------------------------------------------------
run lesson progress
expect_status 0 "progress with nothing started"
expect_out "^0 of $n lessons done" "nothing done yet"

mkdir -p "$state"
# the transcript records each checked step the learner passed (smtpref
# lesson receipt holds the progress file to it): take the records of a
# real run with the model answers
awk -f "$top_srcdir/tests/lesson-answers.awk" "$lessons/03-mail-transaction.lesson" |
	XDG_STATE_HOME=$tmp/real "$SMTPREF" lesson run 03-mail-transaction >/dev/null 2>&1
{
	printf 'The whole session, as the learner saw it.\n'
	grep '^=== step ' "$tmp/real/smtpref/03-mail-transaction.transcript"
} >"$state/03-mail-transaction.transcript"
tlen=$(wc -c <"$state/03-mail-transaction.transcript")
# progress - write a progress file for 03-mail-transaction
progress() {
	cat >"$state/03-mail-transaction.progress" <<EOF
format: 1
lesson: 03-mail-transaction
title: A whole mail transaction
step: $1
steps: 13
passed: 8
skipped: $2
tries: 2
done: $3
started: 1700000000
finished: $4
transcript: $tlen
transcript-lost: no
EOF
}

progress 5 0 no 0
run lesson list
expect_out '^03-mail-transaction .* step 6 of 13$' "list shows a lesson in progress"
run lesson receipt mail-transaction
expect_status 1 "no receipt for an unfinished lesson"
expect_err 'not finished' "it says why"

progress 13 1 yes 1700000600
run lesson receipt 03-mail-transaction
expect_status 1 "no receipt when a step was skipped"
expect_err 'skipped' "it says why"

progress 13 0 yes 1700000600
run lesson list
expect_out '^03-mail-transaction .* done$' "list shows a finished lesson"
run lesson progress
expect_out '^03-mail-transaction +done 2023-11-14' "progress shows when it was finished"
expect_out "^1 of $n lessons done" "one lesson done"
run lesson progress --json
expect_out '"name":"03-mail-transaction","found":true,"started":true,"done":true' "progress --json"

# ---- receipts ------------------------------------------------------------------
run lesson receipt 03-mail-transaction
expect_status 0 "a receipt for a finished lesson"
expect_out '^smtpref lesson receipt$' "the receipt's first line"
expect_out '^lesson: 03-mail-transaction$' "the lesson"
expect_out '^finished: 2023-11-14T22:23:20Z$' "the date"
expect_out '^steps: 8$' "the steps passed"
expect_out '^skipped: no$' "nothing skipped"
expect_out '^key: default$' "the built-in key"
expect_out "^transcript-sha256: [0-9a-f]{64}$" "the transcript's digest"
expect_out "^hmac-sha256: [0-9a-f]{64}$" "the HMAC"
expect_err 'built-in key' "a note says the built-in key proves little"
cp "$tmp/out" "$tmp/receipt"

run lesson verify "$tmp/receipt"
expect_status 0 "the receipt verifies"
expect_out 'genuine: lesson 03-mail-transaction' "verify says so"
run lesson verify --transcript "$state/03-mail-transaction.transcript" "$tmp/receipt"
expect_status 0 "the transcript matches the receipt"
printf 'Another session.\n' >"$tmp/other.transcript"
run lesson verify --transcript "$tmp/other.transcript" "$tmp/receipt"
expect_status 1 "another transcript does not match"

f64=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
for edit in 's/^steps: 8$/steps: 9/' 's/^skipped: no$/skipped: yes/' \
	's/^lesson: 03-mail-transaction$/lesson: 18-smuggling/' \
	's/^finished: 2023/finished: 2024/' \
	's/^title: .*/title: Another title/' \
	"s/^transcript-sha256: .*/transcript-sha256: $f64/" \
	"s/^hmac-sha256: .*/hmac-sha256: $f64/"; do
	sed "$edit" "$tmp/receipt" >"$tmp/tampered"
	checks=$((checks + 1))
	cmp -s "$tmp/receipt" "$tmp/tampered" && fail "the edit $edit changed nothing"
	run lesson verify "$tmp/tampered"
	expect_status 1 "a tampered receipt is rejected ($edit)"
	expect_err 'rejected' "the rejection says so ($edit)"
done
run lesson verify "$tmp/receipt" "$tmp/tampered"
expect_status 1 "one bad receipt among good ones"
expect_out 'genuine' "the good one is still reported"

# a class key
printf 'correct horse battery staple\n' >"$tmp/class.key"
run lesson receipt --key-file "$tmp/class.key" --output "$tmp/receipt.class" 03-mail-transaction
expect_status 0 "a receipt with a class key"
expect_empty_out "--output writes the file, not stdout"
checks=$((checks + 1))
grep -Eq '^key: [0-9a-f]{16}$' "$tmp/receipt.class" || fail "the class key is named by its id"
SMTPREF_CLASS_KEY_FILE=$tmp/class.key run lesson verify "$tmp/receipt.class"
expect_status 0 "it verifies with the class key"
SMTPREF_CLASS_KEY='correct horse battery staple' run lesson verify "$tmp/receipt.class"
expect_status 0 "the key may come from SMTPREF_CLASS_KEY"
run lesson verify "$tmp/receipt.class"
expect_status 1 "it does not verify with the built-in key"
SMTPREF_CLASS_KEY=other run lesson verify "$tmp/receipt.class"
expect_status 1 "nor with another class key"
SMTPREF_CLASS_KEY_FILE=$tmp/class.key run lesson verify "$tmp/receipt"
expect_status 1 "a receipt made with the built-in key fails with a class key"
run lesson verify --key-file "$tmp/missing.key" "$tmp/receipt"
expect_status 1 "a missing key file"
expect_err 'missing\.key' "the key file is named"
printf 'this is not a receipt\n' >"$tmp/garbage"
run lesson verify "$tmp/garbage"
expect_status 1 "garbage is not a receipt"
expect_err 'garbage:1:' "its line is named"

# ---- corrupt progress, reset -----------------------------------------------------
printf 'format: 1\nlesson: 01-greeting\nstep: lots\n' >"$state/01-greeting.progress"
run lesson list
expect_status 0 "list with a corrupt progress file"
expect_out '^01-greeting .* progress unreadable$' "list marks it"
run lesson progress
expect_out '01-greeting\.progress:3:' "progress names the file and line"
run lesson receipt 01-greeting
expect_status 1 "no receipt from a corrupt progress file"
expect_err '01-greeting\.progress:3:' "the error names the file and line"

run lesson reset greeting
expect_status 0 "reset a lesson"
expect_out '^01-greeting: reset' "reset says what it did"
checks=$((checks + 1))
[ -e "$state/01-greeting.progress" ] && fail "reset removed the progress file"
run lesson reset greeting
expect_status 0 "reset of a lesson not started"
run lesson reset no-such-lesson
expect_status 1 "reset of an unknown name"
run lesson reset ../etc
expect_status 1 "reset refuses a path"
run lesson reset
expect_status 0 "reset all"
expect_out 'progress of 1 lesson was reset' "reset all says how many"
checks=$((checks + 1))
[ -e "$state/03-mail-transaction.progress" ] && fail "reset all removed every progress file"
[ -e "$state/03-mail-transaction.transcript" ] && fail "reset all removed the transcripts"
run lesson receipt 03-mail-transaction
expect_status 1 "no receipt after a reset"

finish
