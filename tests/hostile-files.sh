#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# hostile-files.sh - files and arguments made to harm (issue 14): none
# reaches the terminal raw, none hangs smtpref, none is written through a
# planted symbolic link.  Every run here has a deadline (timeout 20), so
# a hang fails the check instead of the suite.
. "$top_srcdir/tests/lib.sh"

export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state"
export SMTPREF_LESSON_DIR="$top_srcdir/lessons"
unset SMTPREF_LESSON_PATH SMTPREF_CLASS_KEY SMTPREF_CLASS_KEY_FILE NO_COLOR
state=$XDG_STATE_HOME/smtpref
mkdir -p "$state" "$HOME"

command -v timeout >/dev/null 2>&1 || {
	echo "FAIL: timeout (coreutils) is needed for this test" >&2
	exit 1
}

# limited ARGS... - smtpref with $tmp/in on stdin, 20 s at most (124)
limited() {
	timeout 20 "$SMTPREF" "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# expect_no_raw DESCRIPTION - nothing a terminal obeys in what was shown:
# through cat -v, no ESC (^[), BEL (^G), CR (^M) or C1 control (M-^...)
expect_no_raw() {
	checks=$((checks + 1))
	cat -v "$tmp/out" "$tmp/err" >"$tmp/seen"
	if grep -n -e '\^\[' -e '\^G' -e '\^M' -e 'M-\^' "$tmp/seen" >"$tmp/raw"; then
		fail "$1: raw control characters shown: $(head -c 400 "$tmp/raw")"
	fi
}

# victim - a file that a planted link points at; intact VICTIM DESCRIPTION
printf 'precious\n' >"$tmp/victim"
intact() {
	checks=$((checks + 1))
	[ "$(cat "$tmp/victim")" = precious ] || {
		fail "$1: the file behind the planted link was written"
		printf 'precious\n' >"$tmp/victim"
	}
}

esc=$(printf '\033]0;pwned\007')

# ---- :replay reads only a regular transcript, bounded --------------------
printf ':replay /dev/zero\nNOOP\n' >"$tmp/in"
limited shell --explain=off
expect_status 0 ":replay /dev/zero ends"
expect_err '/dev/zero is a device, not a regular file' ":replay /dev/zero is refused, not read forever"
mkfifo "$tmp/fifo"
printf ':replay %s\nNOOP\n' "$tmp/fifo" >"$tmp/in"
limited shell --explain=off
expect_status 0 ":replay of a FIFO ends"
expect_err 'fifo is a FIFO, not a regular file' ":replay of a FIFO is refused, not waited on"
printf '<-  220 x\n -> EHLO a\n<-  250 ok\000junk\n' >"$tmp/nul.txt"
printf ':replay %s\n' "$tmp/nul.txt" >"$tmp/in"
limited shell --explain=off
expect_err 'nul\.txt:3: a NUL octet' "a NUL in a transcript is named with file:line"
# a transcript whose lines carry escapes is shown escaped
printf '<-  220 esc.example%s ESMTP\n -> EHLO a\n<-  250-esc.example\n<-  250-X-%s\n<-  250 ok\rgenuine\n' \
	"$esc" "$esc" >"$tmp/esc.txt"
printf ':replay %s\n' "$tmp/esc.txt" >"$tmp/in"
limited shell --explain=full
expect_out 'End of the transcript' ":replay of a transcript with escapes"
expect_out '^220 esc.example\\x1b\]0;pwned\\x07 ESMTP$' "a replayed line shows its escape"
expect_no_raw ":replay"

# ---- :save never writes through a planted link -----------------------------
# the old temporary name was PATH.tmp.PID: plant it, then :save
mkfifo "$tmp/ctl"
"$SMTPREF" shell --explain=off <"$tmp/ctl" >"$tmp/out" 2>"$tmp/err" &
spid=$!
exec 3>"$tmp/ctl"
ln -s "$tmp/victim" "$tmp/t.txt.tmp.$spid"
printf 'NOOP\n:save %s\nQUIT\n' "$tmp/t.txt" >&3
exec 3>&-
wait "$spid"
intact ":save with a link planted at its old temporary name"
checks=$((checks + 1))
grep -q '^ -> NOOP$' "$tmp/t.txt" || fail ":save still saves"
# a link at the name itself is replaced, never followed
ln -s "$tmp/victim" "$tmp/link.txt"
printf 'NOOP\n:save %s\n' "$tmp/link.txt" >"$tmp/in"
limited shell --explain=off
intact ":save to a symbolic link"
checks=$((checks + 1))
[ -f "$tmp/link.txt" ] && [ ! -L "$tmp/link.txt" ] || fail ":save replaces the link with the transcript"

# ---- connect --save refuses a link (it opens the file before connecting) ---
ln -s "$tmp/victim" "$tmp/connect.txt"
: >"$tmp/in"
limited connect --save "$tmp/connect.txt" --timeout 1 127.0.0.1 1
expect_status 2 "connect --save to a symbolic link"
expect_err 'connect\.txt is a symbolic link: not followed' "connect --save names the link"
intact "connect --save to a symbolic link"
limited connect --save "$tmp/fifo" --timeout 1 127.0.0.1 1
expect_status 2 "connect --save to a FIFO"
expect_err 'is a FIFO' "connect --save refuses a FIFO, without waiting on it"

# ---- lesson files, progress and transcripts --------------------------------
# a FIFO planted as a progress file: list and progress go on
mkfifo "$state/01-greeting.progress"
: >"$tmp/in"
limited lesson list
expect_status 0 "lesson list with a FIFO as a progress file"
expect_out '^01-greeting .*progress unreadable$' "the FIFO's lesson is shown unreadable"
limited lesson progress
expect_status 0 "lesson progress with a FIFO as a progress file"
expect_out 'is a FIFO, not a regular file' "lesson progress says why"
rm -f "$state/01-greeting.progress"
# a lesson file that is a FIFO is refused too
mkdir -p "$tmp/lessons"
mkfifo "$tmp/lessons/50-fifo.lesson"
limited lesson check "$tmp/lessons/50-fifo.lesson"
expect_status 1 "lesson check of a FIFO"
rm -f "$tmp/lessons/50-fifo.lesson"

# the lesson's transcript is never appended through a link
ln -s "$tmp/victim" "$state/01-greeting.transcript"
awk -f "$top_srcdir/tests/lesson-answers.awk" "$top_srcdir/lessons/01-greeting.lesson" >"$tmp/in"
limited lesson run 01-greeting
expect_out '^Lesson complete\.' "the lesson still runs"
expect_err 'greeting\.transcript is a symbolic link: not followed' "the link is named"
intact "a lesson transcript that is a symbolic link"
rm -f "$state/01-greeting.transcript"
"$SMTPREF" lesson reset 01-greeting >/dev/null 2>&1

# a receipt's --output is never written through a link
limited lesson run 01-greeting
ln -s "$tmp/victim" "$tmp/receipt.txt"
limited lesson receipt --output "$tmp/receipt.txt" 01-greeting
expect_status 0 "a receipt written to a symbolic link's name"
intact "lesson receipt --output to a symbolic link"
checks=$((checks + 1))
grep -q '^smtpref lesson receipt$' "$tmp/receipt.txt" || fail "the receipt replaces the link"

# ---- lesson text never carries a control character -------------------------
ask='\nask: Which code starts the greeting?\nanswer: 220\n'
printf "title: Bad%s title\\nminutes: 5\\n\\nsay: Hello.$ask" "$esc" >"$tmp/lessons/51-escape.lesson"
printf "title: Fine\\nminutes: 5\\n\\nsay: Hello \\342\\200\\256dlrow.$ask" >"$tmp/lessons/52-bidi.lesson"
printf "title: Fine\\nminutes: 5\\n\\nsay: fake\\rgenuine$ask" >"$tmp/lessons/53-cr.lesson"
limited lesson check "$tmp/lessons/51-escape.lesson"
expect_status 1 "lesson check refuses an escape"
expect_err '51-escape\.lesson:1: column 11 holds the control character \\x1b' "the escape is named with file:line"
limited lesson check "$tmp/lessons/52-bidi.lesson"
expect_status 1 "lesson check refuses a direction mark"
expect_err '52-bidi\.lesson:4: column 12 holds the invisible direction mark' "the mark is named"
limited lesson check "$tmp/lessons/53-cr.lesson"
expect_status 1 "lesson check refuses a CR inside a line"
expect_err '53-cr\.lesson:4: .*\\x0d' "the CR is named"
limited lesson list --dir "$tmp/lessons"
expect_out '^51-escape +\(broken' "lesson list shows the lesson broken"
expect_no_raw "lesson list"

# a back-reference takes exponential time: refused, and check returns
printf 'title: Regex\nminutes: 5\n\nask: Say a.\nanswer: aaaaaaaaaaaaaa\nexpect: match ^(a|aa)*\\1*(a|aa)*\\2*$\n' >"$tmp/lessons/54-backref.lesson"
limited lesson check "$tmp/lessons/54-backref.lesson"
expect_status 1 "lesson check refuses a back-reference"
expect_err '54-backref\.lesson:6: back-references' "the back-reference is named with file:line"
printf 'title: Regex\nminutes: 5\n\nask: Say a.\nanswer: aaaa\nexpect: match ((a{1,100}){1,100}){1,100}\n' >"$tmp/lessons/55-nested.lesson"
limited lesson check "$tmp/lessons/55-nested.lesson"
expect_status 1 "lesson check refuses nested repetitions"
expect_err '55-nested\.lesson:6: the pattern.s repetitions nest too deep' "named with file:line"
# a repetition of a repetition: glibc's regcomp took 2 GB for "\+" and a
# hundred "+" (found by fuzz_lesson)
plus=$(printf '%0100d' 0 | tr 0 +)
printf 'title: Regex\nminutes: 5\n\nask: Say a.\nanswer: a+\nexpect: match \\+%s\n' "$plus" >"$tmp/lessons/56-stacked.lesson"
limited lesson check "$tmp/lessons/56-stacked.lesson"
expect_status 1 "lesson check refuses a repetition of a repetition"
expect_err '56-stacked\.lesson:6: a repetition of a repetition' "named with file:line"
rm -f "$tmp/lessons"/5[1-6]-*.lesson

# ---- receipts: what verify prints cannot be forged with a CR ----------------
# made by hand with the built-in (public) key, as anyone can
/usr/bin/python3 - "$tmp/forged" <<'EOF'
import hmac, hashlib, sys
key = b"smtpref built-in receipt key: public, it catches accidental edits only"
body = ("smtpref lesson receipt\nlesson: 01-greeting\n"
        "title: x\rfake.txt: genuine: lesson 18-smuggling (everything)\n"
        "finished: 2024-05-01T10:22:13Z\nsteps: 9\nskipped: no\n"
        "transcript-sha256: " + "0" * 64 + "\nkey: default\n")
mac = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
open(sys.argv[1], "w").write(body + "hmac-sha256: " + mac + "\n")
EOF
limited lesson verify "$tmp/forged"
expect_status 1 "a receipt with a CR in its title is rejected"
expect_err 'forged:3: a bad value for title' "the title is named with file:line"
expect_no_raw "lesson verify"

# ---- arguments echoed in errors -----------------------------------------------
limited lesson verify "$tmp/x$esc"
expect_status 1 "verify of a file that is not there"
expect_no_raw "an argument echoed by lesson verify"
limited "$esc"
expect_status 1 "a term that is an escape sequence"
expect_no_raw "a term echoed by the lookup"
limited connect --timeout "$esc" 127.0.0.1
expect_status 2 "a bad option value"
expect_no_raw "an option value echoed by connect"
limited simulate --persona "$esc"
expect_status 2 "a bad persona"
expect_no_raw "an option value echoed by simulate"

finish
