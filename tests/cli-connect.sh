#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-connect.sh - smtpref connect against real servers on loopback
#
# Peers (Debian packages, installed by .ci/run through the README's quick
# start): aiosmtpd (python3-aiosmtpd), plain, with STARTTLS, and with
# AUTH; Postfix's smtp-sink (postfix, its daemon left off); openssl for a
# throwaway certificate; and the scripted servers of tests/peers/.  Each
# listens on a free port of 127.0.0.1 and is stopped by its PID; each
# also exits by itself after a minute.  A missing peer fails the test.
#
# OpenSMTPD is not among them: Debian's opensmtpd package conflicts with
# postfix (both provide mail-transport-agent), which we need for
# smtp-sink, and smtpd refuses to run without root privileges and its
# own system users (privilege separation), so it cannot run here as an
# unprivileged foreground test peer.
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

# ---- the peers must be there --------------------------------------------
[ -n "${SMTPREF_TEST_NO_SMTP_SINK:-}" ] &&
	skip "it needs Postfix's smtp-sink, and SMTPREF_TEST_NO_SMTP_SINK is set"
missing=
[ -x "$PY" ] || missing="$missing /usr/bin/python3 (python3)"
# (aiosmtpd is looked for when its peer does not start: portof)
[ -x /usr/sbin/smtp-sink ] || missing="$missing /usr/sbin/smtp-sink (postfix, or SMTPREF_TEST_NO_SMTP_SINK=1 to skip this test)"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl (openssl)"
[ -r /proc/uptime ] || missing="$missing /proc/uptime (Linux)"
if [ -n "$missing" ]; then
	echo "FAIL: test peers missing:$missing; install them as README's quick start does" >&2
	exit 1
fi
if ! "$SMTPREF" connect --help >/dev/null 2>&1; then
	echo "FAIL: smtpref connect --help fails: $("$SMTPREF" connect --help 2>&1 | head -n 3)" >&2
	exit 1
fi

# ---- helpers ---------------------------------------------------------------

. "$peers/lib.sh"


# conn ARGS... - smtpref connect with $tmp/in on stdin; each reply it
# waits for 30 s at most (connect's --timeout), the whole test 300 s
# (watchdog)
conn() {
	COLUMNS=500 "$SMTPREF" connect --color=never "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# timed_conn ARGS... - conn, and $elapsed is how long it took, in tenths
# of a second
timed_conn() {
	now
	t0=$now
	conn "$@"
	now
	elapsed=$(((now - t0) / 10))
}

expect_within() {
	checks=$((checks + 1))
	[ "$elapsed" -le "$1" ] || fail "$2: took $elapsed tenths of a second, more than $1"
}

H="--helo client.example.org"
watchdog 300

# ---- the peers, all started at once: each start costs a Python or an
# smtp-sink a few tenths of a second, and they start while the usage
# errors below are checked; each is stopped at the end.  Those given a
# port of free_ports listen before any peer that asks the system for a
# port starts (further below), or the system could give it one of theirs.
if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	-nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
	-subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	>"$tmp/openssl.log" 2>&1; then
	echo "FAIL: openssl cannot make a certificate: $(head -c 300 "$tmp/openssl.log")" >&2
	exit 1
fi
# for the escapes of issue 14, below: escapes in the certificate's names
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$tmp/esc-key.pem" \
	-out "$tmp/esc-cert.pem" -days 2 -subj "/CN=esc.example/O=$(printf 'a\033[2Jb')" \
	-addext "subjectAltName=DNS:$(printf 'x\033]0;pwned\007.example'),DNS:$(printf 'www.bank.example\015evil')" \
	>/dev/null 2>&1 || { echo "FAIL: openssl cannot make the test certificate" >&2; exit 1; }
# shellcheck disable=SC2046
set -- $(free_ports 8)
aio_port=$1 tls_port=$2 sink_port=$3 sink_r_port=$4 sink_f_port=$5 sink_q_port=$6 sink_mx_port=$7
# one where nobody listens
nobody=$8
# the aiosmtpd servers, one Python for all: plain, STARTTLS, and (on
# ports the system chooses, once the others listen) submission with AUTH
# and with implicit TLS
launch aiosmtpd "$PY" "$peers/submission.py" "$tmp/aiosmtpd.port" \
	"$tmp/cert.pem" "$tmp/key.pem" alice 'pass word' \
	"mailbox:$aio_port:$tmp/maildir" "starttls:$tls_port:$tmp/maildir-tls" \
	"submission:0:$tmp/maildir-sub" "implicit:0:$tmp/maildir-465"
launch_sink smtp-sink "$sink_port"
# error replies: smtp-sink -r (4xx) and -f (5xx)
launch_sink smtp-sink-r "$sink_r_port" -r RCPT
launch_sink smtp-sink-f "$sink_f_port" -f MAIL
launch_sink smtp-sink-q "$sink_q_port" -q EHLO
launch_sink smtp-sink-mx "$sink_mx_port"

# hport MODE [NTH] - the port of hostile.py's MODE (of its NTH, 1 by
# default, when it serves it more than once); sets $port
hport() {
	n=0
	k=${2:-1}
	for m in $hmodes; do
		n=$((n + 1))
		if [ "$m" = "$1" ]; then
			k=$((k - 1))
			[ "$k" -eq 0 ] && break
		fi
	done
	portof hostile "$n"
}

# ---- usage errors: exit 2, a message naming the problem ---------------------
: >"$tmp/in"
conn
expect_status 2 "no host"
expect_err "which server" "says what is missing"
conn $H 127.0.0.1 70000
expect_status 2 "port out of range"
expect_err "PORT must be a number.*70000" "names the port"
conn --timeout 0 127.0.0.1
expect_status 2 "zero timeout"
expect_err "--timeout.*0" "names the timeout"
conn --tls-on-connect --starttls 127.0.0.1
expect_status 2 "--tls-on-connect with --starttls"
expect_err "exclude each other" "says why"
conn --tls-optional --tls 127.0.0.1
expect_status 2 "--tls-optional with --tls"
conn --no-ehlo --starttls 127.0.0.1
expect_status 2 "--no-ehlo with --starttls"
conn --frobnicate 127.0.0.1
expect_status 2 "unknown option"
expect_err "frobnicate" "names the option"
conn --help
expect_status 0 "--help"
expect_out "Usage: smtpref connect" "--help prints the usage"
expect_out "--tui" "--help names --tui"
# the full-screen view needs a terminal, and shows everything itself
conn --tui $H 127.0.0.1
expect_status 2 "--tui without a terminal"
expect_err "terminal" "--tui without a terminal says why"
expect_empty_out "--tui without a terminal sends nothing"
conn --tui --save "$tmp/never" $H 127.0.0.1
expect_status 2 "--tui with --save"
expect_err "--save" "names --save"
conn --tui -q $H 127.0.0.1
expect_status 2 "--tui with --quiet"
expect_err "--quiet" "names --quiet"
"$SMTPREF" tui --connect $H 127.0.0.1 <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 2 "tui --connect without a terminal"
expect_err "terminal" "tui --connect without a terminal says why"
"$SMTPREF" tui --connect --role server 127.0.0.1 <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 2 "tui --connect takes connect's options, not the shell's"
expect_err "--role" "names the option"

# ---- network failures: exit 3 ----------------------------------------------
conn $H 127.0.0.1 "$nobody"
expect_status 3 "connection refused"
expect_err "cannot connect to 127.0.0.1 port $nobody" "names the address"
conn $H -6 127.0.0.1 25
expect_status 3 "-6 with an IPv4 literal"
expect_err "IPv4 address" "says why"

# ---- aiosmtpd, plain: a message must arrive ----------------------------------
ready
portof aiosmtpd
# the peers that ask the system for a port
# the scripted servers of tests/peers/hostile.py and its DNS responder,
# one process for all modes, a port each (hport MODE); escapes twice, for
# the shell and for the one-line client, with the certificate whose names
# hold escapes
hmodes="silent drip long-line many-lines bad-code mixed mid-close unsolicited sloppy ehlo-reject ehlo-hangup inject escapes escapes dns"
hlist=
for m in $hmodes; do
	hlist=${hlist:+$hlist,}$m
done
launch hostile "$PY" "$peers/hostile.py" "$hlist" "$tmp/hostile.port" \
	"$tmp/cert.pem" "$tmp/key.pem" "$tmp/esc-cert.pem" "$tmp/esc-key.pem"
# the hostile servers that make the client wait out its timeout start
# now, and are checked with the others below
for m in silent drip; do
	hport $m
	printf 'MAIL FROM:<ann@example.org>\nQUIT\n' >"$tmp/$m.in"
	spawn $m $H --timeout 1 --insecure 127.0.0.1 "$port"
done
p=$aio_port
printf 'MAIL FROM:<ann@example.org>\nRCPT TO:<bob@example.org>\nDATA\nSubject: smtpref test\n\n.starts with a dot\nR is just text\nQ too\nx\r.\ry\n.\nQUIT\n' >"$tmp/in"
conn $H --save "$tmp/saved" 127.0.0.1 "$p"
expect_status 0 "aiosmtpd: a session that ends with 221"
expect_out '^ -> EHLO client\.example\.org$' "EHLO sent by default"
expect_out '^<-  250-8BITMIME' "the EHLO reply"
expect_out '# keyword: 8BITMIME' "EHLO broken down keyword by keyword"
expect_out '^ -> \.\.starts with a dot$' "the dot-stuffed line"
expect_out 'dot-stuffing' "the user is told about dot-stuffing"
expect_out '^ -> R is just text$' "R is only text"
expect_out '# state: after the final dot' "explained in context"
expect_out '^<-  250 .* \(\+[0-9]+ ms\)$' "each reply with its latency"
expect_out '^=== the session took [0-9]+ ms; the slowest reply' "the whole session's time"
expect_empty_err "aiosmtpd session"
msg=$(ls "$tmp/maildir/new/"* 2>/dev/null | head -n 1)
checks=$((checks + 1))
[ -n "$msg" ] || fail "aiosmtpd: no message arrived in the Maildir"
if [ -n "$msg" ]; then
	expect_file "$msg" '^Subject: smtpref test' "the message's header arrived"
	expect_file "$msg" '^\.starts with a dot$' "the server removed the stuffed dot"
	expect_file "$msg" '^Q too$' "the whole body arrived"
	# a CR inside a line breaks it, and a dot between two is text
	expect_file "$msg" '^\.$' "a lone dot between CRs is text, stuffed"
	expect_file "$msg" '^y$' "and what follows it is still the message"
fi
expect_file "$tmp/saved" '^ -> MAIL FROM:<ann@example\.org>$' "saved: sent lines"
expect_file "$tmp/saved" '^<-  250 ' "saved: received lines"
expect_file "$tmp/saved" '^=== connected to' "saved: notes"
expect_no_file "$tmp/saved" '# ' "saved: no explanations"

# shell --connect is smtpref connect: without a terminal, the lines read
printf 'NOOP\nQUIT\n' >"$tmp/in"
COLUMNS=500 "$SMTPREF" shell --connect 127.0.0.1 "$p" --color=never $H \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "shell --connect: a session that ends with 221"
expect_out '^ -> NOOP$' "shell --connect: sends the lines read"
expect_out '^<-  221 ' "shell --connect: and QUIT's reply"
COLUMNS=500 "$SMTPREF" shell --connect=127.0.0.1 "$p" --color=never -q $H \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "shell --connect=HOST"
expect_out '^<-  221 ' "shell --connect=HOST: QUIT's reply"
expect_no_out '# ' "shell --connect=HOST: connect's --quiet applies"

# The meta-commands work in piped connect as in the shell: it is the
# same console.  A 503 is a sequence error after any command.
printf 'RCPT TO:<bob@example.org>\n:state\n:explain 503\n:explain brief\nNOOP\n:frobnicate\nQUIT\n' >"$tmp/in"
conn $H 127.0.0.1 "$p"
expect_status 0 "meta-commands in piped connect: the session still ends with 221"
expect_out '^<-  503 ' "RCPT before MAIL gets 503"
expect_out '# state: after RCPT: A sequence error' "the 503 explained as a sequence error, not a refused recipient"
expect_no_out 'refused for good' "not as a recipient refused for good"
expect_out '# state: You are the client of the real server 127\.0\.0\.1' ":state in piped connect"
expect_out '# ref: .*503' ":explain 503 in piped connect shows the reference"
expect_out '=== Explanations are brief now' ":explain brief is taken"
expect_err 'no meta-command .:frobnicate.' "an unknown meta-command is named"
# after ":explain brief", one line a reply: NOOP's 250 gets no code line
awk '/^ -> NOOP$/ { n = 1; next } n && /^ -> / { exit } n && /# / { c++ } END { print c + 0 }' "$tmp/out" >"$tmp/n"
checks=$((checks + 1))
[ "$(cat "$tmp/n")" -eq 1 ] || fail ":explain brief: one explanation line for NOOP's reply, not $(cat "$tmp/n")"

# --explain=brief from the start: one line a reply; off: none
printf 'NOOP\nQUIT\n' >"$tmp/in"
conn $H --explain=brief 127.0.0.1 "$p"
expect_status 0 "--explain=brief"
expect_out '# state: after EHLO' "--explain=brief: what the reply means"
expect_no_out '# keyword: ' "--explain=brief: no keyword by keyword"
expect_no_out '# code: 220' "--explain=brief: no code line where the meaning says it"
conn $H --explain=off 127.0.0.1 "$p"
expect_status 0 "--explain=off"
expect_no_out '# ' "--explain=off: no explanation"
conn $H --explain=loud 127.0.0.1 "$p"
expect_status 2 "--explain with a bad level"
expect_err 'loud' "names the bad level"

# --quiet: only the wire
conn -q $H 127.0.0.1 "$p"
expect_status 0 "aiosmtpd --quiet"
checks=$((checks + 1))
grep -vqE '^( -> |<-  )' "$tmp/out" && fail "--quiet prints only sent and received lines"

# input ending before QUIT: exit 1, connection closed
printf 'NOOP\n' >"$tmp/in"
conn $H 127.0.0.1 "$p"
expect_status 1 "input ends before QUIT"
expect_out "input ended before QUIT" "says so"

# a refused RCPT explained in context, then DATA without 354: no body sent
printf 'MAIL FROM:<ann@example.org>\nDATA\nSubject: lost\n\nbody\n.\nQUIT\n' >"$tmp/in"
conn $H --no-pipelining 127.0.0.1 "$p"
expect_status 0 "DATA refused"
expect_out '^<-  503 ' "DATA without RCPT gets 503"
expect_out 'are not sent' "the body is not sent as commands"
expect_no_out '^ -> body$' "no body line on the wire"

# ---- aiosmtpd with STARTTLS, a throwaway certificate ----------------------
p=$tls_port
printf 'QUIT\n' >"$tmp/in"
conn $H --starttls 127.0.0.1 "$p"
expect_status 29 "a self-signed certificate does not verify: TLS failed"
expect_err "certificate did not verify: self-signed" "says why"
expect_err "--insecure" "and what would go on"
conn $H --starttls --insecure --save "$tmp/saved-tls" 127.0.0.1 "$p"
expect_status 0 "--insecure goes on"
expect_out '^\*\*\* insecure: the certificate did NOT verify' "clearly flagged"
expect_out '^ ~> EHLO' "EHLO again under TLS, marked ~>"
expect_out '^<~  221 ' "replies under TLS marked <~"
expect_out 'TLS is on: TLSv1\.[23], cipher ' "protocol and cipher"
expect_out 'extensions changed: .*gone STARTTLS' "the extension list changed"
expect_file "$tmp/saved-tls" '^ ~> QUIT$' "saved: TLS lines with ~>"
SSL_CERT_FILE="$tmp/cert.pem"
export SSL_CERT_FILE
conn $H --starttls 127.0.0.1 "$p"
expect_status 0 "a certificate the trust store holds verifies"
expect_out 'certificate verified for 127\.0\.0\.1' "says so"
expect_no_out 'insecure' "no warning"
# STARTTLS typed: the handshake runs and the user is reminded of EHLO
printf 'STARTTLS\nEHLO client.example.org\nQUIT\n' >"$tmp/in"
conn $H 127.0.0.1 "$p"
expect_status 0 "STARTTLS typed"
expect_out 'send EHLO again' "the reminder"
expect_out '^ ~> EHLO client' "the user's EHLO under TLS"
unset SSL_CERT_FILE

# ---- aiosmtpd submission with AUTH (tests/peers/submission.py) -------------
portof aiosmtpd 3
printf ':auth plain alice\nQUIT\n' >"$tmp/in"
SMTPREF_PASSWORD='pass word' conn $H 127.0.0.1 "$port"
expect_status 0 "AUTH refused without TLS, the session goes on"
expect_err "TLS is not on" "refuses to send credentials in clear"
expect_no_out '^ -> AUTH' "nothing sent"
export SSL_CERT_FILE="$tmp/cert.pem"
secret64=$(printf '\0alice\0pass word' | base64)
printf ':auth plain alice\nMAIL FROM:<alice@example.org>\nRCPT TO:<bob@example.org>\nDATA\nSubject: submitted\n\nhello\n.\nQUIT\n' >"$tmp/in"
SMTPREF_PASSWORD='pass word' conn $H --starttls --save "$tmp/saved-auth" 127.0.0.1 "$port"
expect_status 0 "AUTH PLAIN under TLS"
expect_out '^ ~> AUTH PLAIN \*\*\*\*$' "the credentials are redacted"
expect_out '^<~  235 ' "logged in"
expect_no_out 'pass word' "no password on stdout"
expect_no_out "$secret64" "no base64 of it on stdout"
expect_no_file "$tmp/saved-auth" "pass word|$secret64" "nor in the saved transcript"
msg=$(ls "$tmp/maildir-sub/new/"* 2>/dev/null | head -n 1)
checks=$((checks + 1))
[ -n "$msg" ] && grep -q '^Subject: submitted' "$msg" ||
	fail "the submitted message did not arrive"
printf ':auth login alice\nQUIT\n' >"$tmp/in"
SMTPREF_PASSWORD='pass word' conn $H --starttls 127.0.0.1 "$port"
expect_status 0 "AUTH LOGIN under TLS"
expect_out 'decodes to "Password' "the challenge decoded"
expect_out '^ ~> \*\*\*\*$' "the password line redacted"
expect_no_out "$(printf 'pass word' | base64)" "no base64 password"
SMTPREF_PASSWORD='wrong' conn $H --starttls 127.0.0.1 "$port"
expect_out '^<~  535 ' "a wrong password gets 535"
# typed with a tab before the credential, which aiosmtpd accepts (it
# splits on any whitespace): redacted all the same (issue 14)
printf 'AUTH PLAIN\t%s\nQUIT\n' "$secret64" >"$tmp/in"
conn $H --starttls --save "$tmp/saved-tab" 127.0.0.1 "$port"
expect_status 0 "AUTH PLAIN<TAB>response under TLS"
expect_out '^<~  235 ' "the server took the tab-separated credential"
expect_out '^ ~> AUTH PLAIN \*\*\*' "it is redacted on screen"
expect_no_out "$secret64" "the base64 is not on stdout"
expect_no_file "$tmp/saved-tab" "$secret64" "nor in the saved transcript"
unset SSL_CERT_FILE
# implicit TLS (port 465 style)
portof aiosmtpd 4
printf 'QUIT\n' >"$tmp/in"
conn $H --tls-on-connect --insecure 127.0.0.1 "$port"
expect_status 0 "implicit TLS"
expect_out '^<~  220 ' "the greeting already under TLS"
# --tls was implicit TLS before it became swaks' STARTTLS: on port 465,
# where STARTTLS cannot be, it still is (nothing listens there)
conn $H --tls --timeout 2 127.0.0.1 465
expect_out 'port 465 .*--tls there starts TLS before the greeting' "--tls on port 465 is implicit TLS"

# ---- Postfix's smtp-sink: error replies and pipelining ---------------------
p=$sink_port
printf 'MAIL FROM:<ann@example.org>\nRCPT TO:<bob@example.org>\nRCPT TO:<eve@example.org>\nDATA\nSubject: x\n\nbody\n.\nQUIT\n' >"$tmp/in"
conn $H 127.0.0.1 "$p"
expect_status 0 "smtp-sink session"
expect_out 'these 4 commands go in one write' "a pipelined group"
checks=$((checks + 1))
[ "$(grep -E '^(<-  [0-9]|     # state: after)' "$tmp/out" | sed -n '/after EHLO/,$p' | grep -c 'state: after \(MAIL\|RCPT\|DATA\)')" -eq 4 ] ||
	fail "each of the 4 replies matched to its command"
expect_out '^<-  354 ' "DATA's 354 after the group"
expect_out '^ -> body$' "then the message"
conn --no-pipelining $H 127.0.0.1 "$p"
expect_no_out 'in one write' "--no-pipelining sends one by one"
# error replies: smtp-sink -r (4xx) and -f (5xx)
p=$sink_r_port
printf 'MAIL FROM:<ann@example.org>\nRCPT TO:<bob@example.org>\nDATA\nSubject: x\n\nbody\n.\nQUIT\n' >"$tmp/in"
conn $H 127.0.0.1 "$p"
expect_status 0 "smtp-sink -r RCPT"
expect_out '^<-  4[0-9][0-9] ' "RCPT refused for now"
expect_out '# state: after RCPT: This recipient is refused for now' "the 4xx explained as an answer to RCPT"
expect_out '^<-  503 ' "DATA without a recipient"
expect_out 'are not sent' "the message is not sent as commands"
expect_no_out '^ -> body$' "no body line on the wire"
p=$sink_f_port
printf 'MAIL FROM:<ann@example.org>\nQUIT\n' >"$tmp/in"
conn $H 127.0.0.1 "$p"
expect_out '^<-  5[0-9][0-9] ' "MAIL refused for good"
expect_out '# state: after MAIL: .*Nothing changed in the session' "explained as an answer to MAIL (smtp-sink refuses with 500)"
p=$sink_q_port
printf 'QUIT\n' >"$tmp/in"
conn $H 127.0.0.1 "$p"
expect_status 0 "smtp-sink hanging up on EHLO"
expect_out 'connects again and sends HELO' "reconnects with HELO"

# ---- hostile servers (tests/peers/hostile.py): bounded time, clear end -----
# hostile MODE STATUS STDERR-PATTERN TENTHS - with a timeout of 1 s:
# drip sends an octet every quarter second, so only a timeout for the
# whole reply, not one for each read, ends it
# (silent and drip were spawned above, with the same input and options)
hostile() {
	case $1 in
	silent|drip) reap "$1" ;;
	*)	hport "$1"
		timed_conn $H --timeout 1 --insecure 127.0.0.1 "$port" ;;
	esac
	expect_status "$2" "hostile $1"
	expect_err "$3" "hostile $1: the message"
	expect_within "$4" "hostile $1"
}
printf 'MAIL FROM:<ann@example.org>\nQUIT\n' >"$tmp/in"
hostile silent 4 "no complete reply to the connection \(no greeting\) within 1 s" 50
hostile drip 4 "no complete reply .* within 1 s" 50
hostile long-line 1 "longer than 2048 octets" 50
hostile many-lines 1 "more than 512 lines" 50
hostile bad-code 1 "not a reply .*2a0 hello" 50
hostile mixed 1 "different codes" 50
hostile mid-close 3 "middle of a reply" 50
hostile unsolicited 1 "nobody asked" 50

hport sloppy
printf 'MAIL FROM:<ann@example.org>\nRCPT TO:<bob@example.org>\nQUIT\n' >"$tmp/in"
conn $H 127.0.0.1 "$port"
expect_status 0 "sloppy server"
expect_out '^\*\*\* bad: .*bare LF' "bare LF pointed out"
expect_out '^\*\*\* enhanced: .*5\.1\.0 does not match the reply code 250' "enhanced class pointed out"
expect_out '^\*\*\* code: 354 is not a reply RFC 5321 allows to RCPT' "a code not allowed for RCPT"

hport ehlo-reject
printf 'QUIT\n' >"$tmp/in"
conn $H 127.0.0.1 "$port"
expect_status 0 "EHLO refused"
expect_out 'falls back to HELO' "the fallback explained"
expect_out '^ -> HELO client\.example\.org$' "HELO sent"

hport ehlo-hangup
conn $H 127.0.0.1 "$port"
expect_status 0 "hang-up on EHLO"
expect_out 'closed the connection when it got EHLO' "the user is told why"
expect_out '^ -> HELO client\.example\.org$' "HELO on the new connection"

hport inject
printf 'STARTTLS\nEHLO client.example.org\nQUIT\n' >"$tmp/in"
conn $H --insecure 127.0.0.1 "$port"
expect_status 0 "STARTTLS response injection"
expect_out '^\*\*\* injection: 36 octets came after the 220' "the injected octets reported"
expect_out '^<~  250 AUTH PLAIN \(\+[0-9]+ ms\)$' "the real reply under TLS is read"
expect_no_out '^<~  250 AUTH LOGIN' "the injected reply is never read as one"

# ---- terminal escapes from a server never reach the terminal raw ---------
# (issue 14) in its greeting, its EHLO keyword lines (the "not a keyword
# line" finding quotes them), its replies and its certificate's names:
# through cat -v, no ESC (^[), BEL (^G), CR (^M) or C1 control (M-^[)
hport escapes 1
printf 'MAIL FROM:<ann@example.org>\nSTARTTLS\nEHLO client.example.org\nNOOP\nQUIT\n' >"$tmp/in"
conn $H --insecure 127.0.0.1 "$port"
expect_status 0 "a server sending escapes"
cat -v "$tmp/out" "$tmp/err" >"$tmp/seen"
checks=$((checks + 1))
if grep -n -e '\^\[' -e '\^G' -e '\^M' -e 'M-\^' "$tmp/seen" >"$tmp/raw"; then
	fail "raw control characters reached the terminal: $(head -c 600 "$tmp/raw")"
fi
expect_out 'X-\\x1b\]0;pwned\\x07.*is not a keyword line' "the EHLO finding shows the escape"
expect_out 'x\\x1b\]0;pwned\\x07\.example' "the certificate's name shows the escape"
expect_out '^<-  250 ok\\x1b\[2J\\x07 bad\\x0dgenuine( \(\+[0-9]+ ms\))?$' "a reply shows its escapes and its CR"
# the one-line client quotes the refusing reply in its verdict: escaped too
hport escapes 2
: >"$tmp/in"
conn $H --insecure --tls-optional --server "127.0.0.1:$port" --from ann@example.org --to bob@example.org
expect_status 25 "the one-liner refused at DATA by a server sending escapes"
cat -v "$tmp/out" "$tmp/err" >"$tmp/seen"
checks=$((checks + 1))
if grep -n -e '\^\[' -e '\^G' -e '\^M' -e 'M-\^' "$tmp/seen" >"$tmp/raw"; then
	fail "one-liner: raw control characters reached the terminal: $(head -c 600 "$tmp/raw")"
fi
expect_out 'DATA got 250 ok\\x1b\]0;pwned\\x07' "the verdict quotes the reply escaped"

# ---- MX lookup through a DNS responder on loopback --------------------------
hport dns
SMTPREF_NAMESERVER="127.0.0.1:$port"
export SMTPREF_NAMESERVER
p=$sink_mx_port
printf 'QUIT\n' >"$tmp/in"
conn $H --mx multi.test "$p"
expect_status 0 "MX: the second MX answers"
expect_out '^=== preference 10: a\.multi\.test$' "MX records shown"
checks=$((checks + 1))
[ "$(grep '^=== preference' "$tmp/out" | tr '\n' ' ')" = "=== preference 10: a.multi.test === preference 20: b.multi.test " ] ||
	fail "MX: ordered by preference"
expect_out 'trying the next MX' "the first MX cannot be reached"
expect_out '^=== connected to b\.multi\.test \(127\.0\.0\.1\)' "the next MX is used"
conn $H --mx implicit.test "$p"
expect_status 0 "MX: the implicit MX"
expect_out 'implicit MX' "explained"
conn $H --mx nullmx.test "$p"
expect_status 1 "null MX"
expect_err "null MX.*RFC 7505" "says the domain takes no mail"
conn $H --mx nosuch.test "$p"
expect_status 3 "NXDOMAIN"
expect_err "nosuch\.test does not exist" "says so"
conn $H nosuch.test "$p"
expect_status 3 "an unresolvable host"
expect_err "cannot resolve nosuch\.test" "names it"
unset SMTPREF_NAMESERVER

echo "note: OpenSMTPD is not tested (see the head of this file): its package conflicts with postfix, and smtpd needs root"
finish
