#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# shell-listen.sh - smtpref shell --listen: the learner as the server of a
# real client on 127.0.0.1 (swaks, Python's smtplib), the replies read
# from a script, then typed on a terminal (tmux)
. "$top_srcdir/tests/lib.sh"

PY=/usr/bin/python3
peers="$top_srcdir/tests/peers"
pids=
. "$peers/lib.sh"
need swaks "$PY" timeout

# serve PORT - smtpref shell --listen PORT with the replies of $tmp/replies,
# in the background; output in $tmp/shell, status in $tmp/status
serve() {
	p=$1
	shift
	# (the session before left its output there: no stale "Waiting on")
	rm -f "$tmp/shell"
	(COLUMNS=500 timeout 60 "$SMTPREF" shell --color=never --listen "$p" "$@" \
		<"$tmp/replies" >"$tmp/shell" 2>&1; echo $? >"$tmp/status") &
	served=$!
	pids="$pids $served"
	i=0
	while ! file_has "$tmp/shell" "Waiting on 127\\.0\\.0\\.1:$p " && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

# done_status - until the shell of serve ends; its exit status in $status
done_status() {
	wait "$served"
	status=none
	read -r status <"$tmp/status"
	rm -f "$tmp/status"
}

# ---- a script answers swaks; a wrong reply gets its findings ---------------
cat >"$tmp/replies" <<'R'
220 mx.example.org ESMTP
250-mx.example.org
250 PIPELINING
250 2.1.0 ok
250 2.1.5 ok
354 go ahead
250 2.0.0 queued
221 2.0.0 bye
R
# the ports of the sections below, from one Python
port_pool 5
nextport
serve "$port"
timeout 30 swaks --server "127.0.0.1:$port" --helo client.example.com \
	--from bob@example.com --to nobody@example.org >"$tmp/swaks" 2>&1 ||
	fail "swaks against the learner's replies: $(tail -5 "$tmp/swaks")"
done_status
[ "$status" = 0 ] || fail "a session the learner ends with 221: exit $status"
checks=$((checks + 1))
expect_file "$tmp/shell" '^RCPT TO:<nobody@example\.org>$' "the client's lines are shown"
expect_file "$tmp/shell" 'expected +A conforming server would answer 550 5\.1\.1' "a reply the persona would not give is a finding"
expect_file "$tmp/swaks" '<-  250 2\.0\.0 queued' "the learner's replies reach the client"
expect_file "$tmp/swaks" '<-  221 2\.0\.0 bye' "and the last one"
expect_file "$tmp/shell" 'The session is over' "the end is said"

# ---- STARTTLS for real; a code RFC 5321 does not allow ---------------------
cat >"$tmp/replies" <<'R'
220 mx.example.org ESMTP
250-mx.example.org
250 STARTTLS
220 2.0.0 go ahead
250-mx.example.org
250 PIPELINING
354 nonsense
221 bye
R
nextport
serve "$port"
timeout 30 swaks --server "127.0.0.1:$port" -tls --helo client.example.com \
	--from bob@example.com --to alice@example.org >"$tmp/swaks" 2>&1
done_status
expect_file "$tmp/shell" 'TLS is on: TLS' "a 220 to STARTTLS starts TLS"
expect_file "$tmp/swaks" '^ ~> MAIL FROM:<bob@example\.com>' "the client goes on under TLS"
expect_file "$tmp/shell" '354 is not a reply RFC 5321 allows to MAIL' "a code not allowed for the command"

# ---- usage ---------------------------------------------------------------------
run shell --listen 0
expect_status 2 "--listen 0"
run shell --role client --listen 2525
expect_status 2 "--listen with --role client"
expect_err 'excludes --role client' "--listen's message"
run shell --scenario plain --listen 2525
expect_status 2 "--listen with --scenario"
nextport
start_at blocker "$port" "$PY" -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(60)' "$port"
printf '220 hi\n' | "$SMTPREF" shell --listen "$port" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 3 "a port in use"
expect_err "cannot listen on 127\.0\.0\.1:$port" "the port's message"
stop "$pid"

# ---- on a terminal: the learner types, the client waits --------------------
. "$top_srcdir/tests/tmux-lib.sh"
screen_history=1
# the shell's prompt ("reply (...)>") ends with ">"
tmux_prompt='*>'
tmux_cleanup='for p in $pids; do kill "$p" 2>/dev/null; done'
nextport
tmux_open 100x40 "HOME='$tmp/home' XDG_STATE_HOME='$tmp/state' TERM=xterm-256color \
	SMTPREF_LIBEXECDIR='$SMTPREF_LIBEXECDIR' '$SMTPREF' shell --listen $port; echo EXIT=\$?; sleep 60"
wait_for 'Waiting on 127\.0\.0\.1' "the shell waits for a client"
wait_for 'reply \(waiting for a client to connect\)>' "the prompt says what it waits for"
type_line '220 mx.example.org ESMTP'
wait_for 'Nothing to answer yet' "a greeting typed before the client came waits"
timeout 60 "$PY" "$peers/clients.py" "$port" ehlo >"$tmp/py" 2>&1 &
client=$!
pids="$pids $client"
wait_for '^ehlo py\.example\.com' "the client's EHLO, once the greeting went out"
type_line '250 mx.example.org'
wait_for '^quit' "the client's QUIT (smtplib writes lower case)"
type_line '221 bye'
wait_for 'The session is over' "the end"
wait "$client"
expect_file "$tmp/py" '^EHLO 250$' "the client got the typed 250"
expect_file "$tmp/py" '^QUIT 221$' "and the 221"
keys C-d
wait_for '^EXIT=0' "the shell leaves with 0 after a session ended with 221"

# ---- the full-screen view: the same, with the real client in its panes ------
# (keys go to the full-screen view whenever they come)
tmux_prompt=
nextport
rm -f "$tmp/py"
tmux_open 120x40 "HOME='$tmp/home' XDG_STATE_HOME='$tmp/state' TERM=xterm-256color \
	SMTPREF_LIBEXECDIR='$SMTPREF_LIBEXECDIR' '$SMTPREF' tui --listen $port --persona strict; echo EXIT=\$?; sleep 60"
wait_for 'real client: none yet \(strict\)' "the status line names the peer and the persona"
type_line '220 mx.example.org ESMTP'
timeout 60 "$PY" "$peers/clients.py" "$port" ehlo >"$tmp/py" 2>&1 &
client=$!
pids="$pids $client"
wait_for '-> ehlo py\.example\.com' "the client's EHLO in the transcript"
type_line '250 mx.example.org'
wait_for '-> quit' "its QUIT"
type_line '221 bye'
wait "$client"
expect_file "$tmp/py" '^QUIT 221$' "the client got the replies typed in the TUI"
keys C-d
wait_for '^EXIT=0' "the TUI leaves with 0"

finish
