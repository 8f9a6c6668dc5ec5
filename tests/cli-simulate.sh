#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-simulate.sh - smtpref simulate: the simulated server on stdin and
# stdout, exactly as on the wire; and the learner as server
. "$top_srcdir/tests/lib.sh"

# sim ARGS... - run smtpref simulate with $tmp/in on stdin
sim() {
	"$SMTPREF" simulate "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# codes - the reply codes of $tmp/out, each and a space, in $codes (a
# reply's last line: its code and a space, or the code alone), and the
# last two in $last2 (read by the shell: a pipe of five processes a
# look cost more than the rest of the test)
cr=$(printf '\r')
codes() {
	codes=
	last2=
	codes_prev=
	while IFS= read -r codes_l; do
		codes_l=${codes_l%"$cr"}
		case $codes_l in
		[0-9][0-9][0-9] | [0-9][0-9][0-9]' '*)
			codes_l=${codes_l%"${codes_l#???}"}
			codes="$codes$codes_l "
			last2="$codes_prev$codes_l "
			codes_prev="$codes_l " ;;
		esac
	done <"$tmp/out"
}

expect_codes() {
	checks=$((checks + 1))
	codes
	[ "$codes" = "$1" ] || fail "$2: replies '$codes', expected '$1'"
}

# A whole session in one read: every reply in order, CRLF on every line.
printf 'EHLO client.example\r\nMAIL FROM:<ann@example.com>\r\nRCPT TO:<alice@example.org>\r\nRCPT TO:<nobody@example.org>\r\nDATA\r\nSubject: hi\r\n\r\n..dot\r\n.\r\nQUIT\r\n' >"$tmp/in"
sim
expect_status 0 "a session that ends with QUIT"
expect_codes "220 250 250 250 550 354 250 221 " "one reply per command, in order"
checks=$((checks + 1))
[ "$(grep -c "$(printf '\r')\$" "$tmp/out")" -eq "$(wc -l <"$tmp/out")" ] ||
	fail "every line of the wire output ends in CRLF"
expect_out '^250 2\.1\.5 ' "enhanced codes after EHLO announced them"
expect_empty_err "a normal session"

# End of input without QUIT is a dropped connection: exit 1.
printf 'EHLO client.example\r\n' >"$tmp/in"
sim
expect_status 1 "input ends without QUIT"
expect_codes "220 250 " "greeting and EHLO reply"

# Personas change the server.
printf 'EHLO client.example\r\nHELO client.example\r\nMAIL FROM:<a@example.com> SIZE=10\r\nQUIT\r\n' >"$tmp/in"
sim --persona rfc821
expect_codes "220 500 250 501 221 " "rfc821: EHLO unknown, HELO works, no ESMTP parameters"
expect_out '^220 mail\.example\.org ' "rfc821's greeting"

printf 'EHLO client.example\r\nQUIT\r\n' >"$tmp/in"
sim -p refusing
expect_codes "554 503 221 " "refusing: 554 greeting, 503 until QUIT"

printf 'EHLO client.example\r\n' >"$tmp/in"
sim --persona=ehlo-hangup
expect_status 1 "ehlo-hangup closes the connection"
expect_codes "220 " "ehlo-hangup: no reply to EHLO"

# STARTTLS with a command in the same read: the command is discarded
# (CVE-2011-0411), and the TLS session starts over.
printf 'EHLO client.example\r\nSTARTTLS\r\nRSET\r\n' >"$tmp/in"
sim --explain --reads
expect_codes "220 250 220 " "only the 220 to STARTTLS; RSET never runs"
expect_out '^# warning +[0-9]+ octets discarded' "the discard is explained"
# ... also when STARTTLS ends exactly where a 64 KiB read of stdin ends:
# the commands after it were already waiting, so they are thrown away
# too (issue 14: MAIL FROM:<inj@...> was accepted inside TLS)
awk 'BEGIN {
	printf "EHLO client.example\r\n"; n = 21
	while (65536 - 10 - n > 300) { printf "NOOP %0200d\r\n", 0; n += 207 }
	s = ""; for (k = n + 7; k < 65536 - 10; k++) s = s "y"
	printf "NOOP %s\r\nSTARTTLS\r\n", s
	printf "EHLO inj.example\r\nMAIL FROM:<inj@example.org>\r\nQUIT\r\n"
}' >"$tmp/in"
checks=$((checks + 1))
[ "$(head -c 65536 "$tmp/in" | tail -c 10)" = "$(printf 'STARTTLS\r\n')" ] ||
	fail "the test input puts STARTTLS at the end of the first 64 KiB"
sim --explain --reads
expect_status 1 "the injected QUIT never runs"
expect_no_out '^250 2\.1\.0 ' "the injected MAIL is never accepted"
checks=$((checks + 1))
codes
[ "$last2" = "250 220 " ] ||
	fail "nothing answered after the 220 to STARTTLS: ...$last2"
expect_out '^# warning +[0-9]+ octets discarded' "the discard across reads is explained"
# input that comes later, after the handshake, is the TLS session's
# (the rest is written once the 220 to STARTTLS is out, polled for)
mkfifo "$tmp/later"
# (emptied first: the run before left two 220s there)
: >"$tmp/out"
"$SMTPREF" simulate --reads <"$tmp/later" >"$tmp/out" 2>"$tmp/err" &
sim_pid=$!
exec 7>"$tmp/later"
printf 'EHLO client.example\r\nSTARTTLS\r\n' >&7
i=0
codes
while [ $i -lt 1000 ]; do
	case $codes in *'220 '*'220 '*) break ;; esac
	sleep 0.01
	i=$((i + 1))
	codes
done
printf 'EHLO client.example\r\nQUIT\r\n' >&7
exec 7>&-
wait $sim_pid
status=$?
expect_status 0 "a later read after STARTTLS is the new session"
expect_codes "220 250 220 250 221 " "EHLO again under TLS, then QUIT"

# Line by line, a client that waits for each reply: no pipelining to
# warn about; with --reads, lines that came together are a group.
printf 'EHLO me.example\r\nMAIL FROM:<me@example.com>\r\nQUIT\r\n' >"$tmp/in"
sim --explain=brief
expect_no_out 'pipelined' "line by line: no pipelining warning the learner did not cause"
expect_codes "220 250 250 221 " "line by line: every command answered"
sim --explain=brief --reads
expect_out '^# warning +EHLO must be the last command' "--reads: one read is a group, and EHLO must end it"
awk '/^250 / { n++ } /^# warning/ { print n; exit }' "$tmp/out" >"$tmp/n"
checks=$((checks + 1))
[ "$(cat "$tmp/n")" = 1 ] || fail "--reads: the warning follows EHLO's reply, not the next one"

# --explain: every explanation line starts with '#'; the wire is unchanged.
printf 'EHLO client.example\r\nVRFY alice\r\nQUIT\r\n' >"$tmp/in"
sim --explain=brief
expect_out '^# why ' "brief explanations give the rule"
expect_out '^# code +252: ' "and the code"
expect_no_out '^# keyword' "brief explanations leave out the keywords"
sim --explain
expect_out '^# keyword +SIZE 35882577: ' "full explanations go through the EHLO keywords"
expect_out '^# state +greeted -> ready' "and the state changes"
checks=$((checks + 1))
[ "$(grep -v '^#' "$tmp/out" | tr -d '\r' | grep -cvE '^[0-9]{3}[ -]')" -eq 0 ] ||
	fail "every line not starting with # is a reply line"

# Usage errors: exit 2 and a message naming the problem.
printf '' >"$tmp/in"
sim --persona nosuch
expect_status 2 "unknown persona"
expect_err "unknown persona.*nosuch" "names the persona"
sim --explain=loud
expect_status 2 "bad --explain level"
expect_err "loud" "names the bad level"
sim --scenario plain
expect_status 2 "--scenario without --role server"
sim --role observer
expect_status 2 "bad role"
sim extra
expect_status 2 "an extra argument"
run simulate --help
expect_status 0 "simulate --help"
expect_out '^Usage: smtpref simulate' "simulate --help prints its usage"

# The learner plays the server for the plain scenario.
printf '220 mx.example.org ESMTP\r\n250-mx.example.org\r\n250 8BITMIME\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n354 go on\r\n250 2.0.0 queued\r\n221 bye\r\n' >"$tmp/in"
sim --role server --scenario plain
expect_status 0 "the plain scenario played to its end"
expect_out '^EHLO client\.example\.com' "the client greets with EHLO"
expect_out '^MAIL FROM:<ann@example\.com>' "then MAIL"
expect_out '^RCPT TO:<alice@example\.org>' "then RCPT"
expect_out '^QUIT' "and QUIT at the end"

# A wrong reply is pointed out, with what a conforming server says.
printf '220 mx.example.org ESMTP\r\n250 mx.example.org\r\n354 what\r\n' >"$tmp/in"
sim --role server --scenario plain
expect_out '^# (code|expected) ' "354 to MAIL is pointed out"

finish
