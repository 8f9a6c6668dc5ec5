#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-explain.sh - smtpref explain end to end: each kind of input it
# reads, the verdict it gives, its --json (checked with jq), and inputs
# that are not reports.  The bounces in tests/explain/ come from the
# Sisimai project's public corpus (BSD licence: tests/explain/LICENSE.sisimai).
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/peers/lib.sh"

command -v jq >/dev/null 2>&1 || { echo "jq is needed (Debian: jq)" >&2; exit 99; }
d=$top_srcdir/tests/explain
# wide enough that no verdict line is wrapped
COLUMNS=400
export COLUMNS

# jrun ARGS... runs, and each jq_check FILTER DESCRIPTION after it must
# hold for its stdout (jq_check -s: for the array of the JSON Lines it
# printed); jq_checks at the end makes them all in one jq

# ---- a DSN (RFC 3464): two recipients, the verdict first
run explain "$d/lhost-postfix-02.eml"
expect_status 0 "a Postfix DSN"
expect_out '^filtered@example\.co\.jp: the address does not exist \(userunknown\)' "the first line: address, reason in words, reason name"
expect_out 'Refused by: +mx\.example\.co\.jp, at RCPT TO' "who refused it, at which command"
expect_out 'Permanent: +yes \(550 5\.2\.1\)' "permanent, with the codes"
expect_out 'What to do: ' "what to do"
expect_out 'codes alone would say suspend' "the text wins over the code, and it says so"
expect_out '^userunknown@example\.co\.jp: ' "the second recipient, in the report's order"
checks=$((checks + 1))
# one verdict line for the recipient, and before the first "Server said"
awk '/^filtered@/ { n++; v = NR } /Server said/ && !s { s = NR }
	END { exit !(n == 1 && v < s) }' "$tmp/out" ||
	fail "the verdict comes before the details"

jrun explain --json "$d/lhost-postfix-02.eml"
jq_check '.smtpref_json == 1 and .kind == "dsn" and (.file | endswith("lhost-postfix-02.eml"))' "file and kind"
jq_check '[.recipients[].address] == ["filtered@example.co.jp", "userunknown@example.co.jp"]' "recipients in the order of the report"
jq_check '.recipients[0] | .status == "5.2.1" and .reply_code == 550 and .command == "RCPT" and .remote_mta == "mx.example.co.jp"' "status, reply code, command, remote MTA"
jq_check '.recipients[0] | .action == "failed" and .reason == "userunknown" and .permanent == true and .retry == "never"' "action, reason, permanent, retry"
jq_check '.recipients[0] | (.diagnostic | startswith("550 5.2.1 <filtered@example.co.jp>")) and .codes_say == "suspend" and .rule == "text"' "diagnostic, and what the codes alone say"
jq_check '.recipients[0] | (keys | sort) == (["action","address","advice","codes_say","command","diagnostic","line","message","permanent","reason","remote_mta","reply_code","retry","rule","status","status_derived","summary","text"] | sort)' "every key of the documented shape"
jq_check '.recipients[0].text | .match == "user unknown" and (.who | type) == "string" and (.source | type) == "string"' "the text that decided, with its provenance"
jq_check '.messages == 1 and .looks_like == null and .notes == []' "the input's summary"

# ---- each kind of bounce text: Exim, Microsoft 365 (quoted-printable),
# Barracuda (base64), CR CR LF line ends (DragonFly), a Sendmail
# transcript that says the refusal came at DATA, qmail's sender refused
jrun explain --json "$d/lhost-exim-02.eml" "$d/lhost-office365-01.eml" \
	"$d/lhost-barracuda-01.eml" "$d/lhost-dragonfly-01.eml" \
	"$d/lhost-sendmail-02.eml" "$d/lhost-qmail-03.eml" "$d/rhost-google-01.eml"
expect_status 0 "seven bounces"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/jq/$jq_snap")" -eq 7 ] || fail "JSON Lines: one object a line for seven files"
jq_check -s '.[0] | .kind == "bounce" and ([.recipients[] | .status + " " + (.reply_code|tostring) + " " + .reason] == ["5.1.1 550 userunknown", "5.2.1 550 userunknown"])' "Exim's prose bounce, two recipients"
jq_check -s '.[0].recipients[0].command == "RCPT" and .[0].recipients[0].remote_mta == "mx.example.jp"' "Exim: after RCPT TO, the host"
jq_check -s '.[1].recipients[0] | .address == "kijitora@example.com" and .status == "5.1.10" and .reply_code == 550 and .reason == "userunknown"' "quoted-printable (Microsoft 365)"
jq_check -s '.[2].recipients[0] | .status == "5.7.1" and .reason == "spamdetected"' "a base64 part (Barracuda)"
jq_check -s '.[3].recipients[0] | .status == "5.7.26" and .reason == "authfailure" and .command == "DATA" and (.diagnostic | test("550-5.7.26") | not)' "CR CR LF line ends, a multi-line reply made one"
jq_check -s '.[4].recipients | map(.reason) == ["userunknown", "filtered"] and .[1].command == "DATA"' "refused at DATA: a filter, unless the code says 5.1.1"
jq_check -s '.[5].recipients[0] | .reason == "rejected" and .command == "MAIL"' "qmail: the sender was rejected"
jq_check -s '.[6].recipients[0] | .reason == "suspend" and .status == "5.2.1"' "Gmail: a disabled account"

# ---- an mbox of several messages
for f in lhost-postfix-02.eml lhost-exim-02.eml rhost-google-01.eml; do
	printf 'From MAILER-DAEMON Thu Apr 29 23:34:45 2021\n'
	sed 's/^From />From /' "$d/$f"
	printf '\n'
done >"$tmp/three.mbox"
jrun explain --json "$tmp/three.mbox"
jq_check '(.recipients | length) == 5 and .messages == 3' "an mbox: every message's recipients"
jq_check '[.recipients[].message] == [1, 1, 2, 2, 3]' "each recipient names its message"

# ---- newline conventions give the same answers
tr '\n' '\r' <"$d/lhost-exim-02.eml" >"$tmp/cr.eml"
sed 's/$/\r/' "$d/lhost-exim-02.eml" >"$tmp/crlf.eml"
# the three answers, LF's first, as JSON Lines: their recipients compared
# as jq -c prints them
"$SMTPREF" explain --json "$d/lhost-exim-02.eml" >"$tmp/nl.json"
for f in cr crlf; do
	"$SMTPREF" explain --json "$tmp/$f.eml" >>"$tmp/nl.json"
done
jq_snap "$tmp/nl.json"
jq_check -s 'length == 3 and (.[1].recipients | tojson) == (.[0].recipients | tojson)' "cr line ends read as LF ones"
jq_check -s 'length == 3 and (.[2].recipients | tojson) == (.[0].recipients | tojson)' "crlf line ends read as LF ones"

# ---- standard input
"$SMTPREF" explain --json - <"$d/lhost-exim-02.eml" >"$tmp/out" 2>"$tmp/err"
jq_snap "$tmp/out"
jq_check '.file == "-" and (.recipients | length) == 2' "- reads standard input"
"$SMTPREF" explain --json <"$d/lhost-exim-02.eml" >"$tmp/out" 2>"$tmp/err"
jq_snap "$tmp/out"
jq_check '(.recipients | length) == 2' "no file reads standard input"

# ---- an automatic reply and a bounce that expired
jrun explain --json "$d/rfc3834-01.eml" "$d/lhost-v5sendmail-01.eml"
jq_check -s '.[0].recipients[0] | .reason == "vacation" and .status == null and .permanent == false and .retry == "none"' "an RFC 3834 auto-reply is no failure"
jq_check -s '.[1].recipients[0] | .reason == "expired" and .reply_code == 421 and .permanent == false and .retry == "later"' "a final report of a 4xx: expired"

# ---- log lines: Postfix (the line from issue 15), Exim, Sendmail
line='Jan 12 10:15:02 mail postfix/smtp[2220]: 4F9D195432: to=<bob@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.1] said: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command))'
run "$line"
expect_status 0 "smtpref TERM with a Postfix log line"
expect_out '^bob@example\.org: the address does not exist \(userunknown\)' "the log line's recipient and reason"
expect_out 'Refused by: +mx\.example\.org, at RCPT TO' "the log line's host and command"
jrun --json "$line"
jq_check '.terms[0].kind == "report" and .terms[0].found == true' "smtpref TERM hands a log line to explain"
jq_check '.terms[0].results[0].recipients[0] | .address == "bob@example.org" and .status == "5.1.1" and .reply_code == 550 and .command == "RCPT" and .reason == "userunknown"' "the log line's record"
jrun explain --json - <<EOF
... status=bounced (host mx.example.org[192.0.2.1] said: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command))
EOF
jq_check '.kind == "log" and .recipients[0].address == "bob@example.org" and .recipients[0].reason == "userunknown"' "a Postfix line quoted from status= on"

jrun explain --json "$d/postfix.log" "$d/exim.log" "$d/sendmail.log"
jq_check -s 'map(.kind) == ["log", "log", "log"]' "three logs"
jq_check -s '.[0].recipients | map(.address + " " + .reason + " " + .retry) == ["bob@example.org userunknown never", "carol@example.net greylisted automatic", "dave@elsewhere.example norelaying fix-first"]' "Postfix: grouped by queue id, a deferral, a refusal of this server"
jq_check -s '.[0].recipients | map(.message) == [1, 1, 2]' "Postfix: one group per queue id"
jq_check -s '.[1].recipients | map(.address + " " + .action + " " + .reason) == ["bob@example.org failed userunknown", "carol@example.net delayed greylisted", "erin@example.com delivered delivered"]' "Exim: **, == and =>"
jq_check -s '.[2].recipients | map(.address + " " + .status + " " + .reason) == ["bob@example.org 5.1.1 userunknown", "carol@example.net 4.7.1 greylisted"]' "Sendmail: stat= and dsn="
run explain "$d/postfix.log"
expect_out 'queue id 4F9D195432, from alice@example\.com' "a log group names its queue id and sender"

# ---- transcripts: swaks, curl -v, openssl s_client, smtpref's own
jrun explain --json "$d/swaks.txt" "$d/curl.txt" "$d/sclient.txt"
jq_check -s 'map(.kind) == ["transcript", "transcript", "transcript"]' "three transcripts"
jq_check -s '.[0].recipients[0] | .address == "bob@example.org" and .command == "RCPT" and .reason == "userunknown" and .remote_mta == "mx.example.org"' "swaks: the RCPT refused"
jq_check -s '.[1].recipients[0] | .address == "bob@example.org" and .command == "DATA" and .reason == "spamdetected"' "curl -v: refused after the data, for the accepted recipient"
jq_check -s '.[2].recipients[0] | .address == "bob@example.org" and .status == "4.2.2" and .reason == "mailboxfull" and .retry == "automatic"' "openssl s_client: a temporary refusal"
if [ -x "${SMTPREF_LIBEXECDIR:-}/smtpref-interactive" ]; then
	printf 'EHLO me.example\nMAIL FROM:<me@example.com>\nRCPT TO:<nobody@example.org>\nRCPT TO:<alice@example.org>\nDATA\nSubject: hi\n\nhello\n.\n:save %s\nQUIT\n' "$tmp/own.txt" |
		"$SMTPREF" shell --explain=off >/dev/null 2>&1
	jrun explain --json "$tmp/own.txt"
	jq_check '.kind == "transcript" and (.recipients | map(.address + " " + .reason)) == ["nobody@example.org userunknown", "alice@example.org delivered"]' "smtpref's own saved transcript"
fi

# ---- a reply block and a Diagnostic-Code line
jrun explain --json "$d/reply.txt" "$d/diag.txt"
jq_check -s '.[0] | .kind == "reply" and .recipients[0].address == null and .recipients[0].status == "5.7.26" and .recipients[0].reason == "authfailure"' "a multi-line reply block"
jq_check -s '.[0].recipients[0].diagnostic | test("550-") | not' "the block's lines made one text"
jq_check -s '.[1] | .kind == "dsn" and .recipients[0].reply_code == 550 and .recipients[0].reason == "userunknown"' "a Diagnostic-Code: line"
jrun --json 'Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: User unknown'
jq_check '.terms[0].kind == "report" and .terms[0].results[0].recipients[0].status == "5.1.1"' "smtpref TERM hands a Diagnostic-Code line to explain"

# ---- smtpref TERM: a pasted reply's verdict comes first, its text wins
run "451 4.7.1 Greylisted, please try again later"
expect_status 0 "a greylisting reply"
expect_out '^This reply: greylisting' "the verdict first: greylisting, not a local error"
expect_out 'retries by itself' "temporary: retried by the sending server"
checks=$((checks + 1))
# each line once, in that order
awk '/^This reply/ { a++; la = NR } /^4\.7\.1 / { b++; lb = NR } /^451 / { c++; lc = NR }
	END { exit !(a == 1 && b == 1 && c == 1 && la < lb && lb < lc) }' "$tmp/out" ||
	fail "the verdict, then the enhanced code, then the reply code's generic text"
jrun --json "451 4.7.1 Greylisted, please try again later"
jq_check '.terms[0].kind == "reply-line" and .terms[0].results[0].verdict.reason == "greylisted" and .terms[0].results[0].verdict.codes_say == "securityerror"' "the reply line's verdict in JSON"

# ---- the pair notes: registered, seen in practice, and errors apart
run "554 5.7.1 <bob@example.org>: Relay access denied"
expect_out 'not a registered pair.*seen in practice' "554 5.7.1: seen in practice"
expect_no_out 'Error' "554 5.7.1 is no error"
for pair in "421 4.7.0 Try again later, closing connection" "452 4.2.2 Mailbox full"; do
	run "$pair"
	expect_out 'seen in practice' "${pair%% *} ${pair#* }: seen in practice"
done
run "550 5.1.1 <bob@example.org>: User unknown"
expect_out 'a registered pair' "550 5.1.1: registered"
run "250 5.1.1 strange"
expect_out 'Error: the codes disagree' "250 with 5.1.1: the only error, a class mismatch"

# ---- bad input: large, deep, cut short; read in bounded memory (the
# suite also runs under AddressSanitizer)
awk 'BEGIN {
	printf "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
	printf "Content-Type: multipart/report; report-type=delivery-status; boundary=\"X\"\n\n"
	printf "--X\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
	for (i = 0; i < 20000; i++)
		printf "Final-Recipient: rfc822; u%d@example.org\nAction: failed\nStatus: 5.1.1\n\n", i
	print "--X--" }' >"$tmp/many.eml"
jrun explain --json "$tmp/many.eml"
expect_status 0 "a report of 20,000 recipients"
jq_check '(.recipients | length) == 20000 and .recipients[19999].address == "u19999@example.org"' "every recipient of a large DSN, in order"
awk 'BEGIN {
	printf "From: MAILER-DAEMON@example.org\nSubject: deep\nMIME-Version: 1.0\n"
	for (i = 0; i < 3000; i++)
		printf "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i
	printf "Content-Type: text/plain\n\n<bob@example.org>: 550 5.1.1 User unknown\n" }' >"$tmp/deep.eml"
run explain "$tmp/deep.eml"
expect_status 1 "MIME nested 3000 deep"
expect_err 'nested more than 12 deep' "the depth cut is said"
{
	sed -n '1,/^Content-Transfer-Encoding: base64/p' "$d/lhost-barracuda-01.eml"
	printf '
CllvdXIgbWVzc2FnZSB0bzoga2lqaXRvcmFAZXhhbXBsZS5vcmcKd2FzIGJsb2Nr
'
} >"$tmp/cut.eml"
jrun explain --json "$tmp/cut.eml"
jq_check '.recipients[0].address == "kijitora@example.org"' "a message cut short in its base64 part: what it holds is read"
{
	printf 'Subject: Undelivered\n\n'
	head -c 3000000 /dev/zero | tr '\0' 'x'
	printf '\n<bob@example.org>: 550 5.1.1 User unknown\n'
} >"$tmp/long.eml"
jrun explain --json "$tmp/long.eml"
jq_check '.recipients[0].reason == "userunknown" and (.notes | length) == 1' "a 3 MB line is read in pieces, and said"

# a server's words cannot drive the terminal: control octets are shown
printf 'Final-Recipient: rfc822; bob@example.org\nAction: failed\nDiagnostic-Code: smtp; 550 5.1.1 evil \033]0;title\007 \033[31mred\n' >"$tmp/evil.txt"
run explain "$tmp/evil.txt"
checks=$((checks + 1))
grep -q "$(printf '\033')" "$tmp/out" && fail "an escape octet reached the terminal"
expect_out 'evil \\x1b\]0;title\\x07' "control octets shown as \\xHH"

# ---- not reports: said what they look like, exit 1
printf 'From: alice@example.com\nTo: bob@example.org\nSubject: lunch?\n\nShall we?\n' >"$tmp/plain.eml"
run explain "$tmp/plain.eml"
expect_status 1 "an ordinary message"
expect_err 'plain\.eml: not a bounce.*an ordinary email message' "says what it looks like instead"
head -c 3000 /dev/urandom >"$tmp/random.bin"
printf '%%PDF-1.4\n\0\0binary' >"$tmp/doc.pdf"
jrun explain --json "$tmp/random.bin" "$tmp/doc.pdf"
expect_status 1 "binary inputs"
expect_err 'random\.bin: .*binary data' "binary data named"
expect_err 'doc\.pdf: .*a PDF document' "a PDF named"
jq_check -s 'map(.recipients) == [[], []] and (.[1].looks_like | test("PDF"))' "JSON says it too"
# an Exim log line that ends at its flag ("=>", "**", "<=") has nothing
# after it: read as empty, never one octet past the line (fuzz_report
# found it; CI runs this under UndefinedBehaviorSanitizer)
printf '2024-01-12 10:15:02 1rO8Xy-0003kd-Gh =>\n2024-01-12 10:15:02 1rO8Xy-0003kd-Gh **\n2024-01-12 10:15:02 1rO8Xy-0003kd-Gh <=\n' >"$tmp/exim-cut.log"
run explain "$tmp/exim-cut.log"
checks=$((checks + 1))
[ "$status" -le 1 ] || fail "an Exim line cut after its flag: exit $status: $(head -c 300 "$tmp/err")"
# an endless binary input ends as soon as it is known to be binary
timeout 30 "$SMTPREF" explain /dev/zero >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 1 "/dev/zero ends"
expect_err '/dev/zero: .*binary data' "/dev/zero is binary data"
: >"$tmp/empty"
run explain "$tmp/empty"
expect_err 'empty' "an empty file"
run explain "$tmp/nonexistent"
expect_status 1 "a missing file"
expect_err 'nonexistent: No such file' "a missing file named"
run explain "$tmp"
expect_err 'is a directory' "a directory"
run explain --nosuch
expect_status 2 "an unknown option"
run explain --help
expect_status 0 "--help"
expect_out 'Usage: smtpref explain' "--help"

jq_checks
finish
