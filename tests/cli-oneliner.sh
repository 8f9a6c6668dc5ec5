#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-oneliner.sh - smtpref connect as a one-line test client (swaks'
# options), against real servers on loopback
#
# Peers (Debian packages, as for tests/cli-connect.sh): aiosmtpd
# (python3-aiosmtpd) delivering to a Maildir, with STARTTLS, with AUTH,
# and with a handler that refuses some recipients and is slow with one
# (tests/peers/picky.py), all served by tests/peers/submission.py; Postfix's
# smtp-sink refusing one step at a time (-f, -r) and slow at DATA (-w 2);
# the silent server of tests/peers/hostile.py; the DNS responder of
# tests/peers/dns.py.  Each listens on a free port of 127.0.0.1 and is
# stopped by its PID.  Timings are checked loosely: a 3 s delay as at
# least 2 s.
. "$top_srcdir/tests/lib.sh"

PY=/usr/bin/python3
peers="$top_srcdir/tests/peers"
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$peers/lib.sh"
need_smtp_sink
need "$PY" openssl jq


# one ARGS... - smtpref connect with the one-liner's ARGS, standard input
# from $tmp/in (empty unless a test writes it); each reply it waits for
# 30 s at most (connect's --timeout), the whole test 300 s (watchdog)
: >"$tmp/in"
one() {
	COLUMNS=500 "$SMTPREF" connect --color=never --helo client.example.org "$@" \
		<"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	status=$?
	json_new=1
}

# expect_json FILTER DESCRIPTION - jq -e FILTER holds for the $tmp/out of
# the last one (a copy of it): the checks are made together, by
# jq_checks at the end, in one jq
expect_json() {
	if [ -n "$json_new" ]; then
		jq_snap "$tmp/out"
		json_new=
	fi
	jq_check "$1" "$2"
}

# newest DIR - the newest message of a Maildir
newest() {
	ls -t "$1"/new/* 2>/dev/null | head -n 1
}

F="--from ann@example.org"

watchdog 300

# ---- the peers, all started at once: each start costs a Python or an
# smtp-sink a few tenths of a second, and they start while the usage
# errors below are checked; each is stopped at the end.  Those given a
# port of free_ports listen before any peer that asks the system for a
# port starts (further below), or the system could give it one of theirs.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	-nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
	-subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	>"$tmp/openssl.log" 2>&1 || { echo "FAIL: openssl: $(head -c 300 "$tmp/openssl.log")" >&2; exit 1; }
# shellcheck disable=SC2046
set -- $(free_ports 14)
aio_port=$1 picky_port=$2 tls_port=$3 plain_port=$4 sink_port=$5 slow_sink_port=$6 sink8_port=$7
# one where nobody listens
nobody=${14}
# smtp-sink refusing one step: the options, the port, and (sink) the
# one-liner to it
sinks="-f,CONNECT:$8 -f,EHLO,HELO:$9 -f,MAIL:${10} -r,RCPT:${11} -f,DATA:${12} -f,.:${13}"
# the aiosmtpd servers, one Python for all: plain, the picky handler,
# STARTTLS, another plain one, and (on ports the system chooses, once the
# others listen) submission with AUTH and with implicit TLS
launch aiosmtpd "$PY" "$peers/submission.py" "$tmp/aiosmtpd.port" \
	"$tmp/cert.pem" "$tmp/key.pem" alice 'pass word' \
	"mailbox:$aio_port:$tmp/maildir" "picky:$picky_port:$tmp/maildir-picky" \
	"starttls:$tls_port:$tmp/maildir-tls" "mailbox:$plain_port:$tmp/maildir-plain" \
	"submission:0:$tmp/maildir-sub" "implicit:0:$tmp/maildir-465"
launch_sink smtp-sink "$sink_port"
launch_sink smtp-sink-w "$slow_sink_port" -w 2
launch_sink smtp-sink-8 "$sink8_port" -8
for s in $sinks; do
	# the option, and its commands ("-f,EHLO,HELO": -f EHLO,HELO)
	o=${s%%:*}
	launch_sink "smtp-sink$o" "${s##*:}" "${o%%,*}" "${o#*,}"
done

# ---- usage errors: 2, and what is wrong ---------------------------------
one $F
expect_status 2 "no --to and no server"
expect_err "who gets the message" "says what is missing"
one $F --to 'not an address' --server 127.0.0.1
expect_status 2 "a bad --to"
expect_err "not an address" "says why"
one $F --to bob@example.org --data @/dev/null --body hi --server 127.0.0.1
expect_status 2 "--data with --body"
one $F --to bob@example.org --auth --server 127.0.0.1
expect_status 2 "--auth without --auth-user"
expect_err "--auth-user" "names it"
one $F --to bob@example.org --auth-user a --auth-password secret --server 127.0.0.1
expect_status 2 "a password on the command line"
expect_err "never taken on the command line" "says why"
one $F --to bob@example.org --quit-after LATER --server 127.0.0.1
expect_status 2 "a bad --quit-after"
one $F --to bob@example.org --header 'no colon' --server 127.0.0.1
expect_status 2 "a bad --header"
one $F --to bob@example.org --attach @"$tmp/nothing-here" --server 127.0.0.1
expect_status 2 "an attachment that cannot be read"
expect_err "nothing-here" "names the file"
one $F --to bob@example.org --tui 127.0.0.1
expect_status 2 "--tui with --to"
one --help
expect_status 0 "--help"
for code in 3 4 5 21 22 23 24 25 26 28 29; do
	expect_out "^ *$code  " "--help lists exit status $code"
done
expect_out "--quit-after" "--help lists the one-liner's options"

# ---- could not connect: 3 -------------------------------------------------
one $F --to bob@example.org --server "127.0.0.1:$nobody"
expect_status 3 "nobody listens"
expect_out 'result: could not connect \(exit status 3\)' "the verdict says so"

# ---- the slow servers' sessions go on in the background --------------------
# They are checked after the sections that need no waiting, by when they
# have ended.
ready
portof aiosmtpd
# the peers that ask the system for a port
# the silent server and the DNS responder, one Python for both (ports 1, 2)
launch hostile "$PY" "$peers/hostile.py" silent,dns "$tmp/hostile.port"
spawn picky_slow --helo client.example.org $F --to bob@example.org,nobody@example.org --to later@example.org,slow@example.org \
	--server "127.0.0.1:$picky_port"
spawn sink_w --helo client.example.org $F --to bob@example.org --server "127.0.0.1:$slow_sink_port"
portof hostile 1
spawn silent --helo client.example.org $F --to bob@example.org --server "127.0.0.1:$port" --timeout 2

# ---- aiosmtpd: a real message, delivered -----------------------------------
p=$aio_port
one $F --to bob@example.org --server "127.0.0.1:$p" --save "$tmp/saved"
expect_status 0 "delivered"
expect_out '^ -> MAIL FROM:<ann@example\.org>$' "MAIL built from --from"
expect_out '^ -> RCPT TO:<bob@example\.org>$' "RCPT built from --to"
expect_out '^<-  250 .* \(\+[0-9]+ ms\)$' "each reply with its latency"
expect_out '^=== result: delivered \(exit status 0\)' "the verdict"
expect_out '^=== session: [0-9]+ ms with 127\.0\.0\.1' "the whole session's time"
expect_out '^=== recipients: 1 of 1 accepted' "the recipients"
expect_file "$tmp/saved" '^ -> DATA$' "--save keeps the transcript"
expect_file "$tmp/saved" '^=== result: delivered' "and the verdict"
expect_no_file "$tmp/saved" ' ms\)$' "the saved transcript has no latencies (it can be replayed)"
msg=$(newest "$tmp/maildir")
checks=$((checks + 1))
[ -n "$msg" ] || fail "no message in the Maildir"
for h in Date Message-ID From To Subject; do
	expect_file "$msg" "^$h: " "the $h header added (RFC 5322 3.6)"
done
expect_file "$msg" '^Date: [A-Z][a-z][a-z], [0-9]{2} [A-Z][a-z][a-z] [0-9]{4} [0-9:]{8} [-+][0-9]{4}$' "Date in RFC 5322 3.3 form"
expect_file "$msg" '^Message-ID: <[^@]+@client\.example\.org>$' "Message-ID on the EHLO name"

# the user's headers replace smtpref's; the body arrives as given,
# lone dots and ':' lines included (they are text, not the end or a
# meta-command)
rm -f "$tmp"/maildir/new/*
one $F --to bob@example.org --server "127.0.0.1:$p" --header 'Subject: mine' \
	--header 'X-Test: yes' --body "$(printf 'hello\n.\n:quit\n.dot\nend')"
expect_status 0 "headers and body"
expect_out '^ -> \.\.dot$' "a leading dot is stuffed"
msg=$(newest "$tmp/maildir")
expect_file "$msg" '^Subject: mine$' "--header replaces Subject"
expect_no_file "$msg" '^Subject: smtpref' "no second Subject"
expect_file "$msg" '^X-Test: yes$' "--header adds a header"
# the body, as Python's email parser reads it, is checked with --attach's
# message below (one Python for both): the message is kept till then
ln "$msg" "$tmp/body.eml"

# --body - reads standard input; --data sends a message as it is
printf 'from stdin\n' >"$tmp/in"
rm -f "$tmp"/maildir/new/*
one $F --to bob@example.org --server "127.0.0.1:$p" --body - -q
expect_status 0 "--body -"
expect_file "$(newest "$tmp/maildir")" '^from stdin$' "the body from standard input"
: >"$tmp/in"
printf 'Subject: as is\r\nX-Raw: 1\r\n\r\nraw body\r\n' >"$tmp/raw.eml"
rm -f "$tmp"/maildir/new/*
one $F --to bob@example.org --server "127.0.0.1:$p" --data @"$tmp/raw.eml" -q
expect_status 0 "--data"
msg=$(newest "$tmp/maildir")
expect_file "$msg" '^X-Raw: 1$' "--data: the message's own headers"
expect_no_file "$msg" '^(Date|Message-ID):' "--data: nothing added"

# -q: the verdict alone; --json: the summary alone
one $F --to bob@example.org --server "127.0.0.1:$p" -q
expect_status 0 "-q"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "-q prints one line, not $(wc -l <"$tmp/out")"
expect_out '^=== result: delivered \(exit status 0\)' "-q: the verdict"
one $F --to bob@example.org --server "127.0.0.1:$p" --json
expect_status 0 "--json"
expect_json '.smtpref_json == 1 and .status == 0 and .result == "delivered"' "--json: the verdict"
expect_json '[.steps[].command] == ["CONNECT","EHLO","MAIL","RCPT","DATA","DATA-END","QUIT"]' "--json: the steps in order"
expect_json 'all(.steps[]; .ms >= 0 and .answered)' "--json: each step's latency"
expect_json '.recipients == [.recipients[0]] and .recipients[0].accepted and .recipients[0].code == 250' "--json: the recipient"
expect_json '.message.headers_added == 5 and .tls.on == false and (.session_ms | type) == "number"' "--json: message, TLS, timing"
# --explain=brief: one line a reply
one $F --to bob@example.org --server "127.0.0.1:$p" --explain=brief
expect_status 0 "--explain=brief"
awk '/^<-  / { r++ } /^     # / { e++ } END { exit !(e <= r && e > 0) }' "$tmp/out" ||
	fail "--explain=brief: at most one explanation a reply"
checks=$((checks + 1))

# --quit-after: QUIT at that step, and nothing after it
n0=$(ls "$tmp"/maildir/new | wc -l)
one $F --to bob@example.org --server "127.0.0.1:$p" --quit-after RCPT
expect_status 0 "--quit-after RCPT"
expect_out '^ -> RCPT TO:<bob@example\.org>$' "RCPT sent"
expect_no_out '^ -> DATA' "--quit-after RCPT sends no DATA"
expect_out '^ -> QUIT$' "it says QUIT"
expect_out 'stopped after RCPT' "the verdict says why it stopped"
checks=$((checks + 1))
[ "$(ls "$tmp"/maildir/new | wc -l)" -eq "$n0" ] || fail "--quit-after RCPT delivered a message"
one $F --server "127.0.0.1:$p" --quit-after MAIL
expect_status 0 "--quit-after MAIL needs no --to"
expect_no_out '^ -> RCPT' "--quit-after MAIL sends no RCPT"
one --server "127.0.0.1:$p" --quit-after EHLO
expect_status 0 "--quit-after EHLO"
expect_no_out '^ -> MAIL' "--quit-after EHLO sends no MAIL"
one --server "127.0.0.1:$p" --quit-after CONNECT
expect_status 0 "--quit-after CONNECT"
expect_no_out '^ -> EHLO' "--quit-after CONNECT sends no EHLO"
expect_out '^ -> QUIT$' "--quit-after CONNECT says QUIT after the greeting"

# --attach: a MIME message Python's email parser reads back whole
printf 'name,count\nbob,1\n' >"$tmp/list.csv"
head -c 5000 /dev/urandom >"$tmp/blob.png"
rm -f "$tmp"/maildir/new/*
one $F --to bob@example.org --server "127.0.0.1:$p" --body 'see attached' \
	--attach @"$tmp/list.csv" --attach "$tmp/blob.png" -q
expect_status 0 "--attach"
"$PY" - "$tmp/body.eml" "$tmp/body" "$(newest "$tmp/maildir")" "$tmp/list.csv" "$tmp/blob.png" \
	>"$tmp/mime" 2>&1 <<'EOF'
import email, email.policy, sys
def parse(path):
    return email.message_from_binary_file(open(path, 'rb'), policy=email.policy.default)
# the body of the headers and body section, into its own file
with open(sys.argv[2], "w") as f:
    try:
        print(repr(parse(sys.argv[1]).get_content()), file=f)
    except Exception as e:
        print("cannot read it: %r" % e, file=f)
del sys.argv[1:3]
m = parse(sys.argv[1])
assert m.is_multipart() and m.get_content_type() == "multipart/mixed", m.get_content_type()
assert not m.defects, m.defects
parts = list(m.iter_parts())
assert [p.get_content_type() for p in parts] == ["text/plain", "text/csv", "image/png"], parts
assert parts[0].get_content().strip() == "see attached"
for p, path in zip(parts[1:], sys.argv[2:]):
    assert not p.defects, p.defects
    assert p.get_filename() == path.rsplit("/", 1)[1], p.get_filename()
    assert p.get_content_disposition() == "attachment"
    data = p.get_payload(decode=True)
    assert data == open(path, "rb").read(), "content differs"
print("ok")
EOF
expect_file "$tmp/mime" '^ok$' "--attach: a valid MIME message, attachments whole (Python's email parser: $(tail -n 1 "$tmp/mime"))"
expect_file "$tmp/body" "^'hello\\\\n\\.\\\\n:quit\\\\n\\.dot\\\\nend\\\\n'$" "the body arrives whole"

# ---- smtp-sink: each refused step has its exit status -----------------------
# sink OPTION... - the one-liner to the smtp-sink started with the options
sink() {
	want=$(echo "$*" | tr ' ' ,)
	for s in $sinks; do
		[ "${s%%:*}" = "$want" ] && port=${s##*:}
	done
	one $F --to bob@example.org,eve@example.org --server "127.0.0.1:$port"
}
sink -f CONNECT
expect_status 21 "greeting refused"
expect_no_out '^ -> EHLO' "no EHLO after a refusing greeting"
sink -f EHLO,HELO
expect_status 22 "EHLO and HELO refused"
expect_out '^ -> HELO ' "HELO after EHLO"
sink -f MAIL
expect_status 23 "sender refused"
expect_no_out '^ -> RCPT' "no RCPT after a refused MAIL"
sink -r RCPT
expect_status 24 "every RCPT refused for now"
expect_out '^=== recipients: 0 of 2 accepted' "the partial-recipient report"
expect_out '^    deferred  bob@example\.org: 4[0-9][0-9] ' "each recipient, deferred"
expect_out '^    deferred  eve@example\.org: 4[0-9][0-9] ' "the other too"
sink -f DATA
expect_status 25 "DATA refused"
expect_out 'result: DATA refused \(exit status 25\): DATA got 5[0-9][0-9]' "the verdict names DATA's reply"
expect_no_out '^ -> Subject:' "the message is not sent"
sink -f .
expect_status 26 "message refused after the dot"
# PIPELINING: the envelope as one group
port=$sink_port
one $F --to bob@example.org,eve@example.org --server "127.0.0.1:$port" --pipeline
expect_status 0 "--pipeline"
expect_out 'these 4 commands go in one write' "MAIL, RCPT, RCPT and DATA in one group"
one $F --to bob@example.org --server "127.0.0.1:$port" --pipeline --quit-after RCPT
expect_status 0 "--pipeline --quit-after RCPT"
expect_out 'these 3 commands go in one write' "MAIL, RCPT and QUIT in one group"
expect_no_out '^ -> DATA' "no DATA"
# no 8BITMIME: an 8-bit body is not sent
one $F --to bob@example.org --server "127.0.0.1:$sink8_port" --body 'grüße'
expect_status 5 "8-bit body, no 8BITMIME"
expect_err '8BITMIME' "says why"
expect_no_out '^ -> MAIL' "nothing sent"

# ---- STARTTLS (aiosmtpd), implicit TLS and AUTH (submission.py) ------------
p=$tls_port
one $F --to bob@example.org --server "127.0.0.1:$p" --tls
expect_status 29 "--tls with a certificate that does not verify"
expect_out 'result: TLS failed \(exit status 29\)' "the verdict"
SSL_CERT_FILE="$tmp/cert.pem"
export SSL_CERT_FILE
one $F --to bob@example.org --server "127.0.0.1:$p" --tls
expect_status 0 "--tls: STARTTLS, then the message"
expect_out '^ -> STARTTLS$' "STARTTLS sent"
expect_out '^ ~> MAIL FROM:<ann@example\.org>' "the transaction under TLS"
expect_file "$(newest "$tmp/maildir-tls")" '^From: ann@example\.org$' "delivered under TLS"
one $F --to bob@example.org --server "127.0.0.1:$p" --tls --json
expect_json '.tls.on and .tls.verified and (.tls.protocol | test("^TLSv1\\.[23]$")) and (.tls.cipher | length > 0)' "--json: the TLS summary"
one --server "127.0.0.1:$p" --tls --quit-after TLS
expect_status 0 "--quit-after TLS"
expect_no_out 'MAIL FROM' "nothing after TLS"
unset SSL_CERT_FILE
# --tls-optional: in clear when the server offers no STARTTLS
p=$plain_port
one $F --to bob@example.org --server "127.0.0.1:$p" --tls-optional
expect_status 0 "--tls-optional without STARTTLS"
expect_out 'goes on in clear' "says so"
one $F --to bob@example.org --server "127.0.0.1:$p" --tls
expect_status 29 "--tls without STARTTLS"

portof aiosmtpd 5
SSL_CERT_FILE="$tmp/cert.pem"
export SSL_CERT_FILE
printf 'pass word\n' >"$tmp/pw"
chmod 600 "$tmp/pw"
one --from alice@example.org --to bob@example.org --server "127.0.0.1:$port" --tls \
	--auth --auth-user alice --auth-password-file "$tmp/pw"
expect_status 0 "AUTH with --auth-password-file"
expect_out '^ ~> AUTH PLAIN \*\*\*\*$' "AUTH PLAIN, redacted"
expect_out '^<~  235 ' "logged in"
expect_no_out 'pass word' "no password on the screen"
expect_empty_err "AUTH with --auth-password-file"
SMTPREF_PASSWORD='wrong' one --from alice@example.org --to bob@example.org \
	--server "127.0.0.1:$port" --tls --auth=LOGIN --auth-user alice
expect_status 28 "a wrong password"
expect_out '^ ~> AUTH LOGIN$' "--auth=LOGIN"
chmod 644 "$tmp/pw"
one --from alice@example.org --to bob@example.org --server "127.0.0.1:$port" \
	--auth --auth-user alice --auth-password-file "$tmp/pw"
expect_status 28 "AUTH without TLS"
expect_err 'can be read by other users' "a password file others can read"
expect_err 'AUTH not sent: TLS is not on' "AUTH is not sent in clear"
expect_no_out '^ -> AUTH' "nothing sent"
unset SSL_CERT_FILE
portof aiosmtpd 6
one $F --to bob@example.org --server "127.0.0.1:$port" --tls-on-connect --insecure -q
expect_status 0 "--tls-on-connect"

# ---- aiosmtpd that refuses some recipients and is slow with one ------------
p=$picky_port
reap picky_slow
expect_status 0 "some recipients refused: the message still goes to the others"
expect_out '^=== recipients: 2 of 4 accepted' "the recipients counted"
expect_out '^    accepted  bob@example\.org: 250 ' "an accepted recipient"
expect_out '^    refused   nobody@example\.org: 550 5\.1\.1 ' "a recipient refused for good"
expect_out '^    deferred  later@example\.org: 450 4\.2\.0 ' "a recipient refused for now"
expect_out 'for 2 of 4 recipients' "the verdict says for whom"
expect_out 'reply to RCPT took 2\.[0-9] s: .*tarpitting' "a slow RCPT is pointed out"
# the message of that session (the only one yet: the sessions below wait
# for it)
expect_file "$(newest "$tmp/maildir-picky")" '^To: bob@example\.org, nobody@example\.org, later@example\.org,' "To: names them all"
one $F --to bob@example.org,nobody@example.org,later@example.org --server "127.0.0.1:$p" --json
expect_json '[.recipients[] | [.address, .accepted, .code]] == [["bob@example.org",true,250],["nobody@example.org",false,550],["later@example.org",false,450]]' "--json: each recipient"
expect_json '.recipients_accepted == 1 and .status == 0' "--json: the count"
one $F --to nobody@example.org,nobody2@example.org --server "127.0.0.1:$p"
expect_status 24 "no recipient accepted"
expect_no_out '^ -> DATA' "no DATA without a recipient"
expect_out 'result: no recipient accepted \(exit status 24\)' "the verdict"
# UTF-8: SMTPUTF8 and 8BITMIME declared when the content needs them
one $F --to 'bjørn@example.org' --server "127.0.0.1:$p" --body 'grüße'
expect_status 0 "UTF-8 address and body"
expect_out '^ -> MAIL FROM:<ann@example\.org> BODY=8BITMIME SMTPUTF8$' "8BITMIME and SMTPUTF8 declared"
expect_file "$(newest "$tmp/maildir-picky")" '^Content-Type: text/plain; charset=utf-8$' "the body's charset"
one $F --to bob@example.org --server "127.0.0.1:$p" --body 'plain ascii'
expect_out '^ -> MAIL FROM:<ann@example\.org>$' "nothing declared for ASCII"

# ---- smtp-sink slow at DATA (-w 2): the latency shows it, in the
# transcript and in JSON
reap sink_w
expect_status 0 "smtp-sink -w 2"
expect_out '^<-  354 .* \(\+[0-9]{4,} ms\)$' "DATA's latency in the transcript"
expect_no_out 'tarpit' "DATA is not where servers tarpit"
ms=$(sed -n 's/^<-  354 .* (+\([0-9]*\) ms)$/\1/p' "$tmp/out")
checks=$((checks + 1))
[ "${ms:-0}" -ge 1500 ] || fail "DATA took about 2 s, not ${ms:-?} ms"

# ---- a server that never greets: 4 -----------------------------------------
reap silent
expect_status 4 "no greeting within --timeout"
expect_out 'result: timeout \(exit status 4\)' "the verdict"

# ---- no server: the recipient domain's MX, in order -------------------------
portof hostile 2
SMTPREF_NAMESERVER="127.0.0.1:$port"
export SMTPREF_NAMESERVER
port=$sink_port
one $F --to bob@multi.test --port "$port" --quit-after RCPT
expect_status 0 "the MX of the recipient's domain"
expect_out 'preference 10: a\.multi\.test' "the MX list"
expect_out 'trying the next MX' "the first cannot be reached"
expect_out 'b\.multi\.test \(preference 20\) answered' "which one answered"
one $F --to bob@multi.test --port "$port" --quit-after RCPT --json
expect_json '.server.host == "b.multi.test" and .server.mx_of == "multi.test"' "--json: which MX"
one $F --to bob@nullmx.test --json
expect_status 1 "a null MX"
expect_json '.status == 1 and (.reason | test("null MX"))' "--json: why"
unset SMTPREF_NAMESERVER

jq_checks
finish
