#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-listen.sh - smtpref listen with real clients on loopback
#
# Clients (Debian packages, installed by the README's quick start):
# swaks (plain, STARTTLS, implicit TLS, pipelining, AUTH), curl, Python's
# smtplib (/usr/bin/python3), Postfix's smtp-source, and the scripted
# clients of tests/peers/clients.py (bare LF, two sessions at once, and
# hostile ones: 1 MiB lines, endless RCPTs, a client that never reads,
# 1000 idle connections).  smtpref listen runs on a free port of
# 127.0.0.1 and is stopped by its PID; every check of a hostile client
# also checks that another client is still served.
. "$top_srcdir/tests/lib.sh"

PY=/usr/bin/python3
peers="$top_srcdir/tests/peers"
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
. "$peers/lib.sh"
need_smtp_sink
need swaks curl jq /usr/sbin/smtp-source "$PY" timeout
watchdog 300

# listen_start NAME ARG... - smtpref listen on a free port of 127.0.0.1
# (the next of $portpool), its output in $tmp/NAME.out and .err, started
# in the background: every listener of this test starts at once, at the
# top.  listen_use NAME waits until it is ready and sets $port and $lpid.
# It is ready when it says where it listens (a probe would be a session).
port_pool 11
listen_start() {
	name=$1
	shift
	nextport
	COLUMNS=500 "$SMTPREF" listen --color=never --port "$port" \
		--listen 127.0.0.1 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pids="$pids $!"
	eval "lpid_$name=\$! lport_$name=\$port"
}
listen_use() {
	name=$1
	eval "lpid=\$lpid_$name port=\$lport_$name"
	i=0
	until said "smtpref listen: listening on 127.0.0.1:$port" "$tmp/$name.err"; do
		i=$((i + 1))
		if [ $i -gt 500 ] || ! kill -0 "$lpid" 2>/dev/null; then
			echo "FAIL: smtpref listen ($name) did not start: $(head -c 500 "$tmp/$name.err")" >&2
			exit 1
		fi
		sleep 0.02
	done
}

# said LINE FILE - FILE has the line LINE, alone or then a space and more
# (read by the shell: a grep a look cost a fork and an exec)
said() {
	while IFS= read -r said_l; do
		case $said_l in "$1" | "$1 "*) return 0 ;; esac
	done <"$2"
	return 1
}

# stop_listen - SIGTERM, as a user stops it; $status is its exit status
stop_listen() {
	kill -TERM "$lpid"
	wait "$lpid"
	status=$?
}

# sw ARG... - swaks to $port (each reply 30 s at most: its --timeout)
sw() {
	swaks --server "127.0.0.1:$port" --helo client.example.com \
		--from bob@example.com --to alice@example.org "$@" >"${swaks_out:-$tmp/swaks}" 2>&1
	swaks_status=$?
}

# ---- the listeners of every section below, started at once ----------------
listen_start plain --maildir "$tmp/md"
listen_start tls --maildir "$tmp/md2"
listen_start clear --persona exchange
nextport
tport=$port
listen_start implicit --tls-port "$tport"
listen_start others --maildir "$tmp/md3"
listen_start json --json
listen_start faults --fault RCPT:452:4.5.3 --timeout 1 --quiet
listen_start hostile --timeout 2 --quiet
listen_start busy

# clients NAME STEP... - the clients of tests/peers/clients.py that STEPS
# name (@OUT MODE ARG..., or &OUT MODE ARG... for one that runs alongside
# the next ones), in one Python in the background, to $port; what happens
# comes on file descriptor 4 (through the FIFO $tmp/NAME.events), read by
# next_event.  clients_end waits for them to end.
clients() {
	mkfifo "$tmp/$1.events" || exit 99
	events=$tmp/$1.events
	shift
	"$PY" "$peers/clients.py" "$port" "$@" >"$events" 2>>"$tmp/clients.err" &
	cpid=$!
	pids="$pids $cpid"
	exec 4<"$events"
}
clients_end() {
	wait "$cpid"
	exec 4<&-
}

# next_event PATTERN - until the clients tell an event PATTERN matches (a
# case pattern); false when they end first
next_event() {
	while IFS= read -r ev <&4; do
		# shellcheck disable=SC2254
		case $ev in $1) return 0 ;; esac
	done
	return 1
}

# ran OUT WHAT - the client whose output is OUT exited 0
ran() {
	st=
	[ -f "$1.status" ] && read -r st <"$1.status"
	[ "$st" = 0 ] || fail "$2: exit ${st:-?}: $(cat "$1")"
}

# ---- the hostile clients, first (checked below): the client that never
# reads is cut off after the listener's --timeout of 2 s, which the
# sections before its checks fill.  It starts first, and the others are
# served meanwhile, one after the other; then 1000 idle ones, next to
# which swaks is still served.
listen_use hostile
clients hostile "&$tmp/noread" noread 20 "@$tmp/longline" longline "@$tmp/longdata" longdata \
	"@$tmp/rcpts" rcpts 20000 "&$tmp/idle" idle 1000 4
hostile_clients=$cpid
(
	trap - TERM
	next_event "$tmp/idle: *"
	while read -r k v _; do
		[ "$k" = VmRSS: ] && echo "$v" >"$tmp/rss"
	done <"/proc/$lpid/status"
	swaks_out=$tmp/swaks-hostile
	sw
	echo "$swaks_status" >"$tmp/swaks-hostile.status"
	# (its end may have come while the idle ones were awaited)
	[ -f "$tmp/noread.status" ] || next_event "$tmp/noread ended *"
	# the idle ones have stayed open through all that: they may go now,
	# without waiting for the end of their 4 s
	kill "$hostile_clients" 2>/dev/null
) &
hostile=$!
pids="$pids $hostile"
exec 4<&-

# the silent client of the faults section: it waits out their --timeout
# of 1 s while the sections before run
listen_use faults
"$PY" "$peers/clients.py" "$port" "@$tmp/silent" silent >/dev/null 2>&1 &
silent=$!
pids="$pids $silent"

# ---- swaks, plain: the message arrives intact, the client has no fault ----
printf 'first line\n.a line that starts with a dot\nlast line\n' >"$tmp/body"
listen_use plain
sw --body @"$tmp/body" --h-Subject "plain"
[ "$swaks_status" -eq 0 ] || fail "swaks, plain: exit $swaks_status: $(tail -5 "$tmp/swaks")"
stop_listen
expect_status 0 "listen stopped by SIGTERM"
expect_file "$tmp/plain.out" '^\[1\]  -> EHLO client\.example\.com$' "the client's lines are shown"
expect_file "$tmp/plain.out" '^\[1\] <-  250 2\.0\.0 OK' "the replies are shown"
expect_file "$tmp/plain.out" '^\[1\]   why ' "each reply is explained"
expect_file "$tmp/plain.out" '^\[1\] verdict: no findings' "a conforming client gets no finding"
expect_file "$tmp/plain.out" '^=== stopped after 1 session .*1 message accepted \(1 kept in ' "the summary"
set -- "$tmp"/md/new/*
checks=$((checks + 1))
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
	fail "one message in the Maildir's new/, found: $(ls "$tmp/md/new" "$tmp/md/tmp")"
else
	expect_file "$1" '^Return-Path: <bob@example\.com>$' "the message's Return-Path"
	expect_file "$1" '^Received: from client\.example\.com \(\[127\.0\.0\.1\]\)$' "its Received: line"
	expect_file "$1" 'with ESMTP$' "RFC 3848's protocol name"
	checks=$((checks + 1))
	sed -n '/^$/,$p' "$1" | sed 1d | head -n 3 | cmp -s - "$tmp/body" ||
		fail "the body in the Maildir is not the one sent (dot-stuffing undone): $(sed -n '/^$/,$p' "$1")"
	expect_no_file "$1" "$(printf '\r')" "Maildir lines end in LF"
fi
checks=$((checks + 1))
[ -z "$(ls "$tmp/md/tmp")" ] || fail "tmp/ is left with $(ls "$tmp/md/tmp")"

# ---- swaks: STARTTLS, pipelining, AUTH -------------------------------------
listen_use tls
expect_file "$tmp/tls.err" 'throwaway self-signed certificate' "the throwaway certificate is said on stderr"
sw -tls --h-Subject tls
[ "$swaks_status" -eq 0 ] || fail "swaks -tls: exit $swaks_status: $(tail -5 "$tmp/swaks")"
sw --pipeline --h-Subject pipelined
[ "$swaks_status" -eq 0 ] || fail "swaks --pipeline: exit $swaks_status"
sw -tls -a PLAIN -au alice@example.org -ap wonderland --to bob@elsewhere.example
[ "$swaks_status" -eq 0 ] || fail "swaks AUTH PLAIN: exit $swaks_status: $(tail -5 "$tmp/swaks")"
expect_file "$tmp/swaks" '235 2\.7\.0' "AUTH PLAIN against the world's accounts"
sw -tls -a CRAM-MD5 -au alice@example.org -ap wonderland --quit-after AUTH
expect_file "$tmp/swaks" '235 2\.7\.0' "AUTH CRAM-MD5"
sw -tls -a LOGIN -au alice@example.org -ap wrong --quit-after AUTH
expect_file "$tmp/swaks" '535 5\.7\.8' "a wrong password gets 535"
stop_listen
expect_file "$tmp/tls.out" '^\[1\]   tls      TLS is on: TLS' "the handshake is reported"
expect_file "$tmp/tls.out" '^\[1\]  ~> EHLO' "lines under TLS are marked ~>"
expect_file "$tmp/tls.out" '^\[2\] verdict: no findings' "swaks --pipeline pipelines where RFC 2920 allows"
expect_file "$tmp/tls.out" '^\[3\] .*\*\*\* \(a credential: not shown\)' "the credential is redacted"
expect_no_file "$tmp/tls.out" 'AGFsaWNlQGV4YW1wbGUub3JnAHdvbmRlcmxhbmQ' "no credential is shown"
expect_file "$tmp/tls.out" '3 messages accepted \(3 kept' "every message kept"

# ---- AUTH in clear, a persona that allows it -------------------------------
listen_use clear
sw -a LOGIN -au alice@example.org -ap wonderland --quit-after AUTH
stop_listen
expect_file "$tmp/clear.out" '^\[1\]   auth-in-clear: .*RFC 4954 4' "AUTH LOGIN without TLS is a finding"

# ---- implicit TLS ----------------------------------------------------------
listen_use implicit
expect_file "$tmp/implicit.err" "listening on 127\.0\.0\.1:$tport with implicit TLS" "the TLS port is announced"
swaks --server "127.0.0.1:$tport" --tlsc --helo client.example.com \
	--from bob@example.com --to alice@example.org >"$tmp/swaks" 2>&1 ||
	fail "swaks --tlsc: $(tail -5 "$tmp/swaks")"
stop_listen
expect_file "$tmp/implicit.out" '^\[1\] === a client connects .*\(implicit TLS\)' "an implicit TLS session"
expect_file "$tmp/implicit.out" '^\[1\] <~  220 ' "the greeting comes under TLS"

# ---- curl, Python's smtplib, smtp-source -----------------------------------
printf 'Subject: from curl\n\nHello from curl.\n' >"$tmp/curl.txt"
listen_use others
curl -s --max-time 30 --crlf "smtp://127.0.0.1:$port/client.example.com" \
	--mail-from bob@example.com --mail-rcpt alice@example.org \
	--upload-file "$tmp/curl.txt" || fail "curl --crlf failed"
curl -s --max-time 30 "smtp://127.0.0.1:$port/client.example.com" \
	--mail-from bob@example.com --mail-rcpt alice@example.org \
	--upload-file "$tmp/curl.txt" || fail "curl failed"
"$PY" "$peers/clients.py" "$port" "@$tmp/py" smtplib alice@example.org \
	"@$tmp/bdat" bdat >/dev/null 2>>"$tmp/clients.err"
ran "$tmp/py" smtplib
ran "$tmp/bdat" bdat
timeout 60 /usr/sbin/smtp-source -s 2 -m 10 -l 500 -f bob@example.com \
	-t alice@example.org -M client.example.com "127.0.0.1:$port" 2>"$tmp/source" ||
	fail "smtp-source: $(cat "$tmp/source")"
stop_listen
expect_file "$tmp/others.out" '^\[1\] verdict: no findings' "curl --crlf keeps every rule"
expect_file "$tmp/others.out" '^\[2\]   bare-lf: .*RFC 5321 2\.3\.8' "curl sends a file's bare LFs as they are"
expect_file "$tmp/others.out" '^\[3\] verdict: no findings' "smtplib keeps every rule"
expect_file "$tmp/others.out" '14 messages accepted \(14 kept' "curl, smtplib, BDAT and smtp-source's 10 messages"
checks=$((checks + 1))
[ "$(ls "$tmp/md3/new" | wc -l)" -eq 14 ] || fail "14 messages in the Maildir, found $(ls "$tmp/md3/new" | wc -l)"
checks=$((checks + 1))
[ -z "$(ls "$tmp/md3/tmp")" ] || fail "the message RSET dropped is left in tmp/"
checks=$((checks + 1))
f=$(grep -l '^Subject: chunks$' "$tmp"/md3/new/* 2>/dev/null)
if [ -z "$f" ]; then
	fail "the BDAT message is not in the Maildir"
else
	[ "$(sed -n '/^Subject: chunks$/,$p' "$f")" = "$(printf 'Subject: chunks\n\nA.dot stays\nend')" ] ||
		fail "the BDAT message, chunks joined and CRLF made LF: $(cat "$f")"
fi
checks=$((checks + 1))
grep -l 'Hello from Python\.' "$tmp"/md3/new/* >/dev/null 2>&1 || fail "smtplib's message is not in the Maildir"

# ---- a bare-LF client, two clients at once, JSON Lines ---------------------
listen_use json
"$PY" "$peers/clients.py" "$port" "@$tmp/barelf" barelf "@$tmp/two" two \
	>/dev/null 2>>"$tmp/clients.err"
ran "$tmp/barelf" barelf
ran "$tmp/two" two
stop_listen
# the JSON Lines, checked in the one jq of jq_checks at the end
jq_snap "$tmp/json.out"
jq_check . "--json: JSON Lines"
jq_check -s '[.[] | select(.event == "close" and .session == 1) | .findings[].finding] == ["bare-lf"]' \
	"the bare-LF client gets exactly its finding"
jq_check -s '[.[] | select(.event == "close" and .session == 1) | .findings[0].section] == ["RFC 5321 2.3.8"]' \
	"the bare-LF finding names RFC 5321 2.3.8"
# each session's lines are its own client's: a's session and b's, each
# the one session that sent its EHLO
jq_check -s '[.[] | select(.event == "sent" and .text == "EHLO a.example.com") | .session] as $a
	| [.[] | select(.event == "sent" and .text == "EHLO b.example.com") | .session] as $b
	| ($a | length) == 1 and ($b | length) == 1 and $a != $b' "two clients at once get two sessions"
jq_check -s '[.[] | select(.event == "sent" and .text == "EHLO a.example.com") | .session] as [$a]
	| [.[] | select(.session == $a and .event == "sent") | .text]
	== ["EHLO a.example.com", "MAIL FROM:<a@example.com>", "RCPT TO:<alice@example.org>", "QUIT"]' \
	"client a's session has only client a's lines"
jq_check -s '[.[] | select(.event == "sent" and .text == "EHLO b.example.com") | .session] as [$b]
	| [.[] | select(.session == $b and .event == "sent") | .text]
	== ["EHLO b.example.com", "MAIL FROM:<b@example.com>", "RCPT TO:<bob@example.org>", "QUIT"]' \
	"client b's session has only client b's lines"
jq_check -s '[.[] | select(.event == "sent" and .text == "EHLO b.example.com") | .session] as [$b]
	| $b != null and ([.[] | select(.session == $b and .event == "received") | .text | select(test("a@example"))] == [])' \
	"client b's session got none of a's replies"
jq_check 'select(.event == "summary") | .sessions == 3 and .findings["bare-lf"] == 1' "the JSON summary"

# ---- faults, timeouts, SIGTERM ---------------------------------------------
listen_use faults
sw
expect_file "$tmp/swaks" '<\*\* 452 4\.5\.3' "--fault RCPT:452:4.5.3"
# the silent client started at the top
wait "$silent"
expect_file "$tmp/silent" '^421 .*timeout' "a silent client gets 421 after --timeout (RFC 5321 4.5.3.2.7)"
clients wait "@$tmp/wait" wait
next_event "$tmp/wait: greeted"
stop_listen
clients_end
expect_status 0 "SIGTERM with a session open"
expect_file "$tmp/wait" '^421 ' "an open session is told 421 when smtpref stops"
expect_file "$tmp/faults.out" 'silent: .*RFC 5321 4\.5\.3\.2\.7' "the silent client's finding"
expect_no_file "$tmp/faults.out" ' -> |<-  ' "--quiet shows no transcript"

# ---- hostile clients: bounded, no crash, others still served ---------------
# (they started at the top)
listen_use hostile
wait "$hostile"
wait "$hostile_clients"
expect_file "$tmp/longline" '^500 5\.5\.6 ' "a command line of 1 MiB gets 500 (RFC 5321 4.5.3.1.4)"
expect_file "$tmp/longdata" '^500 5\.5\.6 ' "a message line of 1 MiB gets 500 (RFC 5321 4.5.3.1.6)"
ran "$tmp/rcpts" "20000 RCPTs"
expect_file "$tmp/idle" '^1000 greeted$' "1000 idle connections are all greeted"
st=
[ -f "$tmp/swaks-hostile.status" ] && read -r st <"$tmp/swaks-hostile.status"
[ "$st" = 0 ] || fail "a client is still served next to 1000 idle ones and one that never reads: $(tail -3 "$tmp/swaks-hostile")"
expect_file "$tmp/noread" '^closed by the server' "a client that never reads is disconnected"
rss=
[ -f "$tmp/rss" ] && read -r rss <"$tmp/rss"
checks=$((checks + 1))
# about 35 kB a session; ASan doubles it: 1000 sessions stay far below
[ "${rss:-300000}" -lt 300000 ] || fail "1000 idle sessions hold ${rss:-?} kB"
kill -0 "$lpid" 2>/dev/null || fail "smtpref listen died under hostile clients"
stop_listen
expect_status 0 "listen after hostile clients"
expect_file "$tmp/hostile.out" 'long-line' "the long lines are findings"
expect_file "$tmp/hostile.out" 'stopped reading its replies' "the client that never reads is named"

# ---- usage and setup errors ------------------------------------------------
run listen --port 70000
expect_status 2 "--port out of range"
expect_err '--port takes a number' "--port's message"
run listen --fault RCPT:3:250
expect_status 2 "--fault with a 2xx code"
run listen --fault RCPT:3:452:5.1.1
expect_status 2 "--fault with an enhanced code of the wrong class"
run listen --persona nosuch
expect_status 2 "an unknown persona"
run listen --key "$tmp/k"
expect_status 2 "--key without --cert"
nextport
run listen --port "$port" --listen 127.0.0.1 --cert "$tmp/nosuch.pem"
expect_status 3 "a certificate that cannot be read"
expect_err 'cannot read the certificate' "the certificate's message"
run listen --help
expect_status 0 "--help"
expect_out '^Usage: smtpref listen' "--help's usage line"
listen_use busy
run listen --port "$port" --listen 127.0.0.1
expect_status 3 "a port already in use"
expect_err "cannot listen on 127\.0\.0\.1 port $port" "the port's message"
stop_listen

jq_checks
finish
