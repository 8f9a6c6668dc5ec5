#!/bin/sh
# listen.sh - smtpref listen against Postfix's smtp-sink and aiosmtpd
#
# Postfix's smtp-source sends the same mail to each server, on 127.0.0.1,
# in the same run: 20 sessions at once, messages of 1000 octets, first a
# new connection for each message, then (-d) the connections reused.  It
# reports messages per second (the best of ROUNDS rounds, the servers
# taking turns, so that a busy machine hurts them alike), the CPU time
# each server used per message, and the ratios.  aiosmtpd gets fewer
# messages (it is far slower); its rate is what counts.  Then each server
# holds IDLE connections that were opened and left silent: its peak
# resident memory, and what each connection added.
#
# smtpref listen runs with --quiet: no transcripts, no explanations, no
# Maildir (the messages are counted and dropped, as smtp-sink and
# aiosmtpd's Sink do).  Its CPU a message includes the few microseconds
# it looks for more work before it sleeps (net/listener.c, spin()).
# Usage: bench/listen.sh SMTPREF (the smtpref
# binary; smtpref-interactive must be beside it or in SMTPREF_LIBEXECDIR).
set -u

SMTPREF=${1:?usage: bench/listen.sh path/to/smtpref}
PY=/usr/bin/python3
MESSAGES=${MESSAGES:-20000}
AIO_MESSAGES=${AIO_MESSAGES:-2000}
ROUNDS=${ROUNDS:-3}
IDLE=${IDLE:-1000}
: "${SMTPREF_LIBEXECDIR:=$(dirname "$SMTPREF")}"
export SMTPREF_LIBEXECDIR

for p in /usr/sbin/smtp-source /usr/sbin/smtp-sink "$PY"; do
	[ -x "$p" ] || { echo "bench/listen.sh: $p is needed (README's quick start installs it)" >&2; exit 1; }
done
"$PY" -c 'import aiosmtpd' 2>/dev/null || { echo "bench/listen.sh: python3-aiosmtpd is needed" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpref-bench.XXXXXX") || exit 1
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
	"$PY" - "$1" <<'EOF'
import socket, sys, time
end = time.monotonic() + 10
while time.monotonic() < end:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
EOF
}

now() {
	"$PY" -c 'import time; print("%.6f" % time.monotonic())'
}

# cpu PID - user + system seconds the process has used
cpu() {
	"$PY" - "$1" <<'EOF'
import os, sys
f = open("/proc/%s/stat" % sys.argv[1]).read().rsplit(")", 1)[1].split()
print("%.4f" % ((int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")))
EOF
}

# start NAME CMD... - a server on $port (set before), its pid in $pid
start() {
	name=$1
	shift
	"$@" >"$tmp/$name.log" 2>&1 &
	pid=$!
	pids="$pids $pid"
	wait_port "$port" || { echo "bench/listen.sh: $name did not start: $(head -c 300 "$tmp/$name.log")" >&2; exit 1; }
}

user=
[ "$(id -u)" -eq 0 ] && user="-u nobody"

start_server() {
	port=$(free_port)
	case $1 in
	listen) start listen "$SMTPREF" listen --quiet --port "$port" --listen 127.0.0.1 ;;
	# shellcheck disable=SC2086
	sink) start sink /usr/sbin/smtp-sink $user "127.0.0.1:$port" 256 ;;
	aiosmtpd) start aiosmtpd "$PY" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Sink ;;
	esac
}

stop_server() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# source MSGS [-d] - smtp-source at $port; prints "rate cpu_per_msg_us"
source_run() {
	msgs=$1
	shift
	c0=$(cpu "$pid")
	t0=$(now)
	/usr/sbin/smtp-source "$@" -s 20 -m "$msgs" -l 1000 -f bob@example.com \
		-t alice@example.org -M client.example.com "127.0.0.1:$port" \
		>"$tmp/source.log" 2>&1 || { echo "bench/listen.sh: smtp-source failed: $(head -c 300 "$tmp/source.log")" >&2; exit 1; }
	t1=$(now)
	c1=$(cpu "$pid")
	"$PY" -c "import sys; m=$msgs; print('%.0f %.1f' % (m / ($t1 - $t0), ($c1 - $c0) * 1e6 / m))"
}

best() {	# best RATE of "rate cpu" lines on stdin: "rate cpu"
	sort -n -r | head -n 1
}

echo "== messages per second: smtp-source -s 20 -m $MESSAGES -l 1000 (aiosmtpd: -m $AIO_MESSAGES); best of $ROUNDS rounds"
for mode in new reused; do
	flag=
	[ "$mode" = reused ] && flag=-d
	: >"$tmp/listen.$mode"
	: >"$tmp/sink.$mode"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		for server in listen sink; do
			start_server $server
			source_run "$MESSAGES" $flag >>"$tmp/$server.$mode"
			stop_server
		done
		r=$((r + 1))
	done
	start_server aiosmtpd
	source_run "$AIO_MESSAGES" $flag >"$tmp/aiosmtpd.$mode"
	stop_server
	set -- $(best <"$tmp/listen.$mode")
	l_rate=$1 l_cpu=$2
	set -- $(best <"$tmp/sink.$mode")
	s_rate=$1 s_cpu=$2
	set -- $(cat "$tmp/aiosmtpd.$mode")
	a_rate=$1 a_cpu=$2
	label="a connection for each message"
	[ "$mode" = reused ] && label="connections reused (-d)"
	"$PY" - "$label" "$l_rate" "$l_cpu" "$s_rate" "$s_cpu" "$a_rate" "$a_cpu" <<'EOF'
import sys
label, lr, lc, sr, sc, ar, ac = sys.argv[1], *map(float, sys.argv[2:])
print("%s:" % label)
print("  smtpref listen  %8.0f msg/s  %6.1f us CPU/msg" % (lr, lc))
print("  smtp-sink       %8.0f msg/s  %6.1f us CPU/msg" % (sr, sc))
print("  aiosmtpd        %8.0f msg/s  %6.1f us CPU/msg" % (ar, ac))
print("  listen/smtp-sink %.2fx the rate, %.2fx the CPU; listen/aiosmtpd %.1fx the rate, %.1fx less CPU"
      % (lr / sr, lc / sc, lr / ar, ac / lc))
# smtp-sink does nothing with what it reads: its rate is what smtp-source
# can send on this machine, the most any server here can show
print("  smtp-sink/aiosmtpd %.1fx the rate: the most smtp-source lets a server show here" % (sr / ar))
EOF
done

# ---- memory with idle connections ----------------------------------------
cat >"$tmp/idle.py" <<'EOF'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
cs = []
for i in range(n):
    c = socket.create_connection(("127.0.0.1", port), 10)
    cs.append(c)
for c in cs:
    c.settimeout(10)
    c.recv(512)	# the greeting: the session is open
print("open", flush=True)
sys.stdin.read()
EOF

rss() {	# kB: resident now, and the peak
	awk '/^VmRSS/ {r = $2} /^VmHWM/ {h = $2} END {print r, h}' "/proc/$1/status"
}

echo "== memory: $IDLE connections opened and left idle"
for server in listen sink aiosmtpd; do
	start_server $server
	set -- $(rss "$pid")
	before=$1
	mkfifo "$tmp/hold"
	"$PY" "$tmp/idle.py" "$port" "$IDLE" <"$tmp/hold" >"$tmp/idle.log" 2>&1 &
	holder=$!
	exec 9>"$tmp/hold"
	i=0
	while ! grep -q open "$tmp/idle.log" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	set -- $(rss "$pid")
	"$PY" -c "print('  %-15s %7d kB before, %7d kB with them (peak %d kB): %.1f kB a connection' % ('$server', $before, $1, $2, ($1 - $before) / $IDLE))"
	exec 9>&-
	wait "$holder" 2>/dev/null
	rm -f "$tmp/hold"
	stop_server
done
exit 0
