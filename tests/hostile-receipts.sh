#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# hostile-receipts.sh - what a receipt is held to (issue 14): a progress
# file edited to claim a whole lesson gets no receipt, a transcript that
# does not record every step is rejected by verify --transcript, two runs
# of one lesson cannot run at once, and a receipt names its learner
. "$top_srcdir/tests/lib.sh"

export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state"
export SMTPREF_LESSON_DIR="$top_srcdir/lessons"
unset SMTPREF_LESSON_PATH SMTPREF_CLASS_KEY SMTPREF_CLASS_KEY_FILE
state=$XDG_STATE_HOME/smtpref
lesson=02-ehlo-capabilities
file=$top_srcdir/lessons/$lesson.lesson

command -v timeout >/dev/null 2>&1 || {
	echo "FAIL: timeout (coreutils) is needed for this test" >&2
	exit 1
}

# limited ARGS... - smtpref with $tmp/in on stdin, 20 s at most
limited() {
	timeout 20 "$SMTPREF" "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# field NAME FILE - the value of a "NAME: value" line
field() {
	sed -n "s/^$1: //p" "$2"
}

# ---- the whole lesson, as a reference ------------------------------------
awk -f "$top_srcdir/tests/lesson-answers.awk" "$file" >"$tmp/answers"
cp "$tmp/answers" "$tmp/in"
limited lesson run "$lesson"
expect_out '^Lesson complete\.' "the lesson done with its model answers"
steps=$(field steps "$state/$lesson.progress")
passed=$(field passed "$state/$lesson.progress")
checks=$((checks + 1))
[ "$passed" -ge 3 ] || fail "the lesson has checked steps to pass ($passed)"
checks=$((checks + 1))
[ "$(grep -c '^=== step [0-9]* of [0-9]*: passed$' "$state/$lesson.transcript")" -eq "$passed" ] ||
	fail "the transcript records each step passed"

# ---- three edited lines of a progress file make no receipt -------------------
"$SMTPREF" lesson reset "$lesson" >/dev/null 2>&1
# the first checked step only, then the input ends: progress is saved
head -n 1 "$tmp/answers" >"$tmp/in"
limited lesson run "$lesson"
checks=$((checks + 1))
[ "$(field done "$state/$lesson.progress")" = no ] || fail "the run stopped early"
sed -e "s/^done: no/done: yes/" -e "s/^step: .*/step: $steps/" \
	-e "s/^passed: .*/passed: $passed/" "$state/$lesson.progress" >"$tmp/edited"
cp "$tmp/edited" "$state/$lesson.progress"
: >"$tmp/in"
limited lesson receipt "$lesson"
expect_status 1 "no receipt from an edited progress file"
expect_err 'does not bear out its progress file: it records [0-9]+ checked steps? passed, not the '"$passed"' claimed' \
	"it says the transcript records fewer steps"
# a receipt made by hand for that transcript (the built-in key is
# public) is rejected by verify --transcript
tr_sha=$(sha256sum "$state/$lesson.transcript" | cut -d' ' -f1)
/usr/bin/python3 - "$tmp/forged" "$lesson" "$passed" "$tr_sha" <<'EOF'
import hmac, hashlib, sys
out, lesson, steps, sha = sys.argv[1:5]
key = b"smtpref built-in receipt key: public, it catches accidental edits only"
body = ("smtpref lesson receipt\nlesson: %s\ntitle: Forged\n"
        "finished: 2024-05-01T10:22:13Z\nsteps: %s\nskipped: no\n"
        "transcript-sha256: %s\nkey: default\n" % (lesson, steps, sha))
mac = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
open(out, "w").write(body + "hmac-sha256: " + mac + "\n")
EOF
limited lesson verify --transcript "$state/$lesson.transcript" "$tmp/forged"
expect_status 1 "verify --transcript rejects a transcript that lacks steps"
expect_err 'does not bear out the receipt' "it says why"
expect_no_out 'genuine' "never called genuine"

# ---- one run of a lesson at a time -------------------------------------------
"$SMTPREF" lesson reset "$lesson" >/dev/null 2>&1
mkfifo "$tmp/ctl"
"$SMTPREF" lesson run "$lesson" <"$tmp/ctl" >"$tmp/first.out" 2>&1 &
first=$!
exec 3>"$tmp/ctl"
i=0
while [ ! -s "$state/$lesson.progress" ] && [ $i -lt 500 ]; do
	sleep 0.02
	i=$((i + 1))
done
: >"$tmp/in"
limited lesson run "$lesson"
expect_status 1 "a second run of the same lesson"
expect_err "lesson $lesson is already running" "it is told the lesson is already running"
limited lesson receipt "$lesson"
expect_status 1 "no receipt while the lesson runs"
expect_err 'already running' "receipt says why"
limited lesson reset "$lesson"
expect_status 1 "no reset while the lesson runs"
checks=$((checks + 1))
[ -f "$state/$lesson.progress" ] || fail "the running lesson's progress is kept"
cat "$tmp/answers" >&3
exec 3>&-
wait "$first"
checks=$((checks + 1))
grep -q '^Lesson complete\.' "$tmp/first.out" || fail "the first run completes"
: >"$tmp/in"
limited lesson receipt "$lesson"
expect_status 0 "then its receipt is made"

# ---- a receipt names the learner -------------------------------------------
"$SMTPREF" lesson reset "$lesson" >/dev/null 2>&1
cp "$tmp/answers" "$tmp/in"
limited lesson run --name "Ann Example" "$lesson"
checks=$((checks + 1))
[ "$(field learner "$state/$lesson.progress")" = "Ann Example" ] ||
	fail "lesson run --name keeps the name with the progress"
: >"$tmp/in"
limited lesson receipt "$lesson"
expect_status 0 "a receipt for the finished lesson"
expect_out '^name: Ann Example$' "the receipt names the learner given at run"
cp "$tmp/out" "$tmp/receipt"
limited lesson verify --transcript "$state/$lesson.transcript" "$tmp/receipt"
expect_status 0 "it verifies, with its transcript"
expect_out 'genuine: .*, by Ann Example, ' "verify names the learner"
sed 's/^name: Ann Example$/name: Eve Example/' "$tmp/receipt" >"$tmp/renamed"
limited lesson verify "$tmp/renamed"
expect_status 1 "a receipt with another name is rejected"
limited lesson receipt --name "Bob Example" "$lesson"
expect_out '^name: Bob Example$' "receipt --name names the learner"
limited lesson receipt --name "$(printf 'Bob\rgenuine')" "$lesson"
expect_status 2 "a name with a control character"
limited lesson run --name "$(printf 'x\033]0;t\007')" "$lesson"
expect_status 2 "lesson run refuses it too"

finish
