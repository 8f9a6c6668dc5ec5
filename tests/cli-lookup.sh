#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-lookup.sh - every form of `smtpref TERM` on the built binary
. "$top_srcdir/tests/lib.sh"

run 553
expect_status 0 "553"
expect_out '^553  ' "553 heading"
expect_out 'MAIL RCPT VRFY' "553: the commands RFC 5321 4.3.2 lists"
expect_out 'RFC 5321' "553: the RFC section"
expect_empty_err "553"

run 5xx
expect_status 0 "5xx"
for c in 500 501 502 503 504 521 530 550 551 552 553 554 555 556; do
	expect_out "^  $c  " "5xx lists $c"
done
expect_no_out '^  4[0-9][0-9]  ' "5xx lists no 4xx code"

run 45x
expect_status 0 "45x"
expect_out '^  450  ' "45x lists 450"
expect_out '^  452  ' "45x lists 452"
expect_no_out '^  421  ' "45x does not list 421"

run 5.1.1
expect_status 0 "5.1.1"
expect_out '^5\.1\.1  ' "5.1.1 heading"
expect_out '5\.X\.X' "5.1.1 names its class"
expect_out 'X\.1\.X' "5.1.1 names its subject"
expect_out '550' "5.1.1 names its basic code 550"

run X.7.1
expect_status 0 "X.7.1"
expect_out '^X\.7\.1  ' "X.7.1 heading"

run '5.7.*'
expect_status 0 "5.7.*"
expect_out '^5\.7\.X  ' "5.7.* heading"
for d in 0 1 8 26; do
	expect_out "^  5\\.7\\.$d  " "5.7.* lists 5.7.$d"
done

run 4.X.X
expect_status 0 "4.X.X"
expect_out '^  4\.1\.X' "4.X.X lists subject 4.1.X"

# Keywords are case-insensitive (RFC 5321 4.1.1.1): same output
run PIPELINING; cp "$tmp/out" "$tmp/upper"
run pipelining
expect_status 0 "pipelining"
checks=$((checks + 1))
cmp -s "$tmp/out" "$tmp/upper" || fail "pipelining and PIPELINING differ"
expect_out '^PIPELINING  EHLO keyword' "pipelining is shown as an EHLO keyword"
expect_out 'RFC 2920' "pipelining cites RFC 2920"

run MAIL
expect_status 0 "MAIL"
expect_out '^MAIL  command' "MAIL is shown as a command"
expect_out 'MAIL FROM:' "MAIL shows its syntax"
expect_out 'any command: 421 500 501' "MAIL lists the replies any command may get"

# A word that is both a verb and a keyword shows both
for w in HELP VRFY ETRN STARTTLS EXPN AUTH; do
	run "$w"
	expect_status 0 "$w"
	expect_out "^$w  command" "$w shown as a command"
	expect_out "^$w  EHLO keyword" "$w shown as a keyword"
done

run SIZE=
expect_status 0 "SIZE="
expect_out '^SIZE  MAIL parameter' "SIZE= is a MAIL parameter"
run NOTIFY=
expect_status 0 "NOTIFY="
expect_out '^NOTIFY  RCPT parameter' "NOTIFY= is a RCPT parameter"
run NOTIFY=SUCCESS,FAILURE
expect_status 0 "NOTIFY= with a value"
expect_out '^NOTIFY  RCPT parameter' "NOTIFY=SUCCESS,FAILURE"
run SMTPUTF8=
expect_status 0 "SMTPUTF8="
expect_out '^SMTPUTF8  MAIL parameter' "SMTPUTF8= for MAIL"
expect_out '^SMTPUTF8  VRFY EXPN parameter' "SMTPUTF8= for VRFY and EXPN"

# A pasted reply line: code, enhanced code, agreement
run '550 5.1.1 <bob@example.org>: Recipient address rejected'
expect_status 0 "pasted 550 5.1.1"
expect_out '^Reply line' "reply line heading"
expect_out '^550  ' "the 550 entry"
expect_out '^5\.1\.1  ' "the 5.1.1 entry"
expect_no_out 'disagree' "550 and 5.1.1 agree"

run '250 5.1.1 odd'
expect_status 0 "pasted 250 5.1.1"
expect_out 'disagree' "250 with 5.1.1 disagree"

run '550 5.7.1 Service unavailable; client host blocked'
expect_status 0 "pasted 550 5.7.1"
expect_out '^5\.7\.1  ' "5.7.1 entry"

run '451-4.7.1 Greylisted'
expect_status 0 "pasted continuation line"
expect_out 'continuation' "a continuation line is called so"

run '250-SIZE 10240000'
expect_status 0 "EHLO SIZE line"
expect_out '^EHLO reply line' "EHLO line heading"
expect_out '^SIZE  EHLO keyword' "the SIZE keyword entry"
expect_out '10240000 octets' "the SIZE limit"

run '250 AUTH PLAIN LOGIN'
expect_status 0 "EHLO AUTH line"
expect_out '^AUTH  EHLO keyword' "the AUTH keyword entry"

run '250-auth=login'
expect_status 0 "EHLO AUTH=LOGIN line"
expect_out '^AUTH=LOGIN  EHLO keyword' "AUTH=LOGIN, a keyword of the wild"

# Several terms at once, in order
run 421 5.2.2 DSN
expect_status 0 "three terms"
checks=$((checks + 1))
grep -nE '^(421|5\.2\.2|DSN)  ' "$tmp/out" | cut -d: -f1 | tr '\n' ' ' |
	awk '{ exit !($1 < $2 && $2 < $3) }' || fail "three terms not in order"

# Unknown terms: stderr, exit 1, suggestions, nothing on stdout
run 559
expect_status 1 "559"
expect_empty_out "559"
expect_err 'did you mean 550' "559 suggests 550"

run PIPELINNG
expect_status 1 "PIPELINNG"
expect_err 'did you mean PIPELINING' "PIPELINNG suggests PIPELINING"

run 5.1.99
expect_status 1 "5.1.99"
expect_err 'Addressing' "an unknown detail code is read by its subject"

run 553 NOSUCHTHING
expect_status 1 "a found and a missing term"
expect_out '^553  ' "the found term is still shown"

run '650 Not a reply'
expect_status 1 "a reply line out of range"
expect_err 'out of range' "names the problem"

run -q 5xx 553
expect_status 0 "quiet"
expect_out '^553  ' "quiet 553"

finish
