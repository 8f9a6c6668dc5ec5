# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh - starting and stopping test peers on 127.0.0.1 (sourced after
# tests/lib.sh; PY is Debian's python3, pids collects what to stop;
# launch_at for peers given a port, launch and portof for peers that
# write theirs), a watchdog for the tests that use them, and JSON checks
# made in one jq

# free_port - a port of 127.0.0.1 nobody listens on (for a moment)
free_port() {
	free_ports 1
}

# free_ports N - N different such ports, one a line (one Python for all).
# A port given here stays free until its peer listens on it, later: in
# between, nothing else may take it.  So the ports come from below the
# system's ephemeral range (which it hands out to any program that binds
# port 0 or connects, as other tests running beside this one do all the
# time), and are written with their expiry in a ledger that every test
# reads under a lock, so two tests never get the same one.
free_ports() {
	"$PY" - "$1" "${TMPDIR:-/tmp}/smtpref-test-ports" <<'EOF'
import fcntl, os, random, socket, sys, time
n, ledger = int(sys.argv[1]), sys.argv[2]
try:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low = int(f.read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768
first = max(1024, low - 16384)
now = time.time()

def bindable(port):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()

def system_ports(count):
    # no room below the ephemeral range: the system chooses
    socks = [socket.socket() for _ in range(count)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports

if low - first < 1024:
    print("\n".join(map(str, system_ports(n))))
    sys.exit(0)

def choose(held):
    ports = []
    for _ in range(20 * (low - first)):
        if len(ports) == n:
            return ports
        port = random.randrange(first, low)
        if port not in held and port not in ports and bindable(port):
            ports.append(port)
    # (the range is all taken) the system chooses
    return ports + system_ports(n - len(ports))

try:
    fd = os.open(ledger, os.O_RDWR | os.O_CREAT, 0o666)
except OSError:
    # (another user's ledger) the range alone keeps the others away
    ports = choose({})
else:
    with os.fdopen(fd, "r+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        held = {}
        for line in f:
            parts = line.split()
            try:
                if len(parts) == 2 and float(parts[1]) > now:
                    held[int(parts[0])] = parts[1]
            except ValueError:
                pass
        ports = choose(held)
        for port in ports:
            held[port] = "%.0f" % (now + 600)
        f.seek(0)
        f.truncate()
        f.write("".join("%d %s\n" % kv for kv in sorted(held.items())))
print("\n".join(map(str, ports)))
EOF
}

# port_pool N - N ports of free_ports (one Python), handed out in turn by
# nextport into $port
port_pool() {
	# shellcheck disable=SC2046
	portpool="$(echo $(free_ports "$1")) "
}
nextport() {
	port=${portpool%% *}
	portpool=${portpool#* }
}

# wait_port PORT... - until something listens on each (10 s at most:
# many may be starting at once on a busy machine);
# prints the ports nobody listens on when it fails
wait_port() {
	"$PY" - "$@" <<'EOF'
import socket, sys, time
end = time.monotonic() + 10
ports = [int(p) for p in sys.argv[1:]]
while ports and time.monotonic() < end:
    for p in list(ports):
        try:
            socket.create_connection(("127.0.0.1", p), 0.5).close()
            ports.remove(p)
        except OSError:
            pass
    if ports:
        time.sleep(0.02)
print(" ".join(str(p) for p in ports))
sys.exit(1 if ports else 0)
EOF
}

# start_at NAME PORT CMD... - run a peer that listens on PORT; sets $pid
start_at() {
	launch_at "$@"
	ready
}

# launch_at NAME PORT CMD... - start a peer that will listen on PORT, and
# go on without waiting (several start at once); sets $pid.  ready waits.
launched=
launch_at() {
	name=$1
	port=$2
	shift 2
	"$@" >"$tmp/$name.log" 2>&1 &
	pid=$!
	pids="$pids $pid"
	launched="$launched $name:$port"
}

# ready - until every peer launch_at started listens
ready() {
	ps=
	for np in $launched; do
		ps="$ps ${np##*:}"
	done
	# shellcheck disable=SC2086
	if ! down=$(wait_port $ps); then
		for np in $launched; do
			case " $down " in *" ${np##*:} "*)
				echo "FAIL: the peer ${np%:*} did not listen on ${np##*:}: $(head -c 500 "$tmp/${np%:*}.log")" >&2 ;;
			esac
		done
		exit 1
	fi
	launched=
}

stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# launch NAME CMD... - start a peer that writes its ports to
# $tmp/NAME.port, and go on without waiting; portof waits for them
launch() {
	name=$1
	shift
	rm -f "$tmp/$name.port"
	"$@" >"$tmp/$name.log" 2>&1 &
	pids="$pids $!"
}

# portof NAME [N] - the Nth port (the first by default) that the peer
# NAME wrote, once it has; sets $port
portof() {
	i=0
	while [ ! -s "$tmp/$1.port" ] && [ $i -lt 250 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	# its Nth line, read by the shell
	port=
	pk=0
	while [ -z "$port" ] && read -r pl; do
		pk=$((pk + 1))
		[ "$pk" -eq "${2:-1}" ] && port=$pl
	done 2>/dev/null <"$tmp/$1.port"
	[ -n "$port" ] && return
	# (aiosmtpd is looked for here, not by a Python of its own at the top)
	case $(head -c 2000 "$tmp/$1.log") in *"No module named 'aiosmtpd'"*)
		echo "FAIL: test peers missing: aiosmtpd (python3-aiosmtpd); install them as README's quick start does" >&2
		exit 1 ;;
	esac
	echo "FAIL: the peer $1 did not start: $(head -c 500 "$tmp/$1.log")" >&2
	exit 1
}

# now - $now is the time since the system started, in hundredths of a
# second (/proc/uptime, read by the shell: no process)
now() {
	read -r now _ </proc/uptime
	now=$((${now%.*} * 100 + 1${now#*.} - 100))
}

# spawn NAME ARGS... - smtpref connect ARGS (COLUMNS=500, --color=never)
# in the background, for a session that waits on a slow server or out a
# timeout while the others run; standard input from $tmp/NAME.in (none
# when there is no such file).  reap NAME waits for it and makes its
# output $tmp/out and $tmp/err, its $status and its $elapsed (tenths of
# a second).
spawn() {
	name=$1
	shift
	[ -f "$tmp/$name.in" ] || : >"$tmp/$name.in"
	(
		trap - TERM
		now
		t0=$now
		COLUMNS=500 "$SMTPREF" connect --color=never "$@" <"$tmp/$name.in" \
			>"$tmp/$name.out" 2>"$tmp/$name.err"
		st=$?
		now
		echo "$st $(((now - t0) / 10))" >"$tmp/$name.status"
	) &
	pids="$pids $!"
	eval "spawned_$name=\$!"
}
reap() {
	eval "wait \"\$spawned_$1\""
	cp "$tmp/$1.out" "$tmp/out"
	cp "$tmp/$1.err" "$tmp/err"
	read -r status elapsed <"$tmp/$1.status"
}

# watchdog SECONDS - should the test still run after SECONDS (a client or
# a peer that hangs), say so and stop every process it started, by the
# PIDs Linux lists as the children of the test and of theirs: the command
# it waits for ends, and the test then fails (SIGTERM: exit 1, and its
# EXIT trap cleans up).  One watchdog a test, where a `timeout` around
# each command cost a fork and an exec each.  It is stopped with the
# peers ($pids); a test that has one waits for PIDs, never for all (a
# bare `wait`), and its subshells in the background say `trap - TERM`.
watchdog() {
	# shellcheck disable=SC2016
	sh -c 'trap "kill \$s 2>/dev/null; exit 0" TERM
		sleep "$2" &
		s=$!
		wait "$s" || exit 0
		echo "FAIL: the test still runs after $2 s: every process it started is stopped" >&2
		all=
		todo=$1
		while [ -n "$todo" ]; do
			next=
			for p in $todo; do
				for c in $(cat "/proc/$p/task/$p/children" 2>/dev/null); do
					[ "$c" = $$ ] && continue
					all="$all $c"
					next="$next $c"
				done
			done
			todo=$next
		done
		kill -TERM "$1" $all 2>/dev/null' watchdog "$$" "$1" &
	pids="$pids $!"
	trap 'echo "FAIL: stopped by SIGTERM" >&2; exit 1' TERM
}

# need PROGRAM... - every one is there (on PATH, or an executable path),
# or the test fails saying which is missing
need() {
	for n in "$@"; do
		command -v "$n" >/dev/null 2>&1 || [ -x "$n" ] || {
			echo "FAIL: $n is needed for this test (see README's quick start)" >&2
			exit 1
		}
	done
}

# need_smtp_sink - Postfix's smtp-sink is there, or the test fails saying
# how to get it.  The postfix package replaces any other mail server, so
# where it is not wanted, SMTPREF_TEST_NO_SMTP_SINK=1 skips the tests
# that need it, saying so.
need_smtp_sink() {
	[ -n "${SMTPREF_TEST_NO_SMTP_SINK:-}" ] &&
		skip "it needs Postfix's smtp-sink, and SMTPREF_TEST_NO_SMTP_SINK is set"
	[ -x /usr/sbin/smtp-sink ] || {
		echo "FAIL: Postfix's smtp-sink (/usr/sbin/smtp-sink, Debian: postfix) is needed for this test; postfix replaces any other mail server: where that is not wanted, set SMTPREF_TEST_NO_SMTP_SINK=1 to skip the tests that need it (README)" >&2
		exit 1
	}
}

# launch_sink NAME PORT [OPTION...] - Postfix's smtp-sink on 127.0.0.1:PORT
# (as nobody when run as root, which smtp-sink wants), with the options
# given, started as launch_at starts a peer (ready waits for it)
sink_user=
sink_asked=
launch_sink() {
	if [ -z "$sink_asked" ]; then
		sink_asked=1
		[ "$(id -u)" -ne 0 ] || sink_user="-u nobody"
	fi
	name=$1
	port=$2
	shift 2
	# shellcheck disable=SC2086
	launch_at "$name" "$port" /usr/sbin/smtp-sink $sink_user "$@" "127.0.0.1:$port" 10
}

# start_smtp_sink [OPTION...] - launch_sink on a free port, and ready; sets
# port and pid
start_smtp_sink() {
	launch_sink smtp-sink "$(free_port)" "$@"
	ready
}

# ---- JSON checks, batched --------------------------------------------------
# Each jq costs a test some 20 ms of CPU: the checks of a test's JSON are
# queued and made by one jq, jq_checks, which the test calls before
# finish (cli-json and cli-explain source this file for them alone).

# jq_next - a new snapshot, $tmp/jq/$jq_snap, for the jq_check calls
# after it to look at
jq_snap=0
jq_next() {
	if [ "$jq_snap" -eq 0 ]; then
		mkdir "$tmp/jq" || exit 99
	fi
	jq_snap=$((jq_snap + 1))
}

# jq_snap FILE - the JSON that the jq_check calls after it look at: FILE
# as it is now (a copy: FILE may be written again before jq_checks)
jq_snap() {
	jq_next
	cp "$1" "$tmp/jq/$jq_snap" || exit 99
}

# jrun ARGS... - run smtpref as lib.sh's run does, its stdout straight
# into the JSON that the jq_check calls after it look at (not $tmp/out:
# a copy a run cost a process)
jrun() {
	jq_next
	"$SMTPREF" "$@" >"$tmp/jq/$jq_snap" 2>"$tmp/err"
	status=$?
}

# jq_check [-s] FILTER DESCRIPTION - FILTER holds for the JSON of the last
# jq_snap, as `jq -e FILTER FILE` would say (`jq -e -s` with -s): no
# error, and its last output neither false nor null.  jq_checks makes
# the checks queued so far.
jq_n=0
jq_prog=
jq_check() {
	jq_s=
	if [ "$1" = -s ]; then
		jq_s=-s
		shift
	fi
	checks=$((checks + 1))
	jq_n=$((jq_n + 1))
	eval "jq_file_$jq_n=\$jq_snap jq_slurp_$jq_n=\$jq_s jq_filter_$jq_n=\$1 jq_what_$jq_n=\$2"
	if [ -n "$jq_s" ]; then
		jq_prog="$jq_prog
, jq_check($jq_n; [\$jq_in[\"$jq_snap\"] // []]; $1)"
	else
		jq_prog="$jq_prog
, jq_check($jq_n; \$jq_in[\"$jq_snap\"] // []; $1)"
	fi
}

# jq_checks - make the checks jq_check queued, in one jq; should that jq
# fail (a file that is no JSON, a filter that does not compile), each
# check on its own, as jq -e says it
jq_checks() {
	[ "$jq_n" -gt 0 ] || return 0
	if jq -n -r '
def jq_check($n; $vals; cond):
	try ([$vals[] | cond] |
		if length == 0 then "\($n)\t(no output)"
		elif last == false or last == null then "\($n)\t\(last | tojson | .[:300])"
		else empty end)
	catch "\($n)\t\(tostring | gsub("\n"; " "))";
(reduce inputs as $v ({}; .[input_filename | sub(".*/"; "")] += [$v])) as $jq_in
| empty'"$jq_prog" "$tmp"/jq/* >"$tmp/jq.result" 2>&1; then
		while IFS='	' read -r jq_i jq_r; do
			eval "jq_f=\$jq_filter_$jq_i jq_w=\$jq_what_$jq_i jq_j=\$jq_file_$jq_i"
			fail "$jq_w: jq '$jq_f' gave: $jq_r (the JSON: $(head -c 300 "$tmp/jq/$jq_j"))"
		done <"$tmp/jq.result"
	else
		jq_i=0
		while [ "$jq_i" -lt "$jq_n" ]; do
			jq_i=$((jq_i + 1))
			eval "jq_f=\$jq_filter_$jq_i jq_w=\$jq_what_$jq_i jq_s=\$jq_slurp_$jq_i jq_j=\$jq_file_$jq_i"
			# shellcheck disable=SC2086
			jq_r=$(jq -e $jq_s "$jq_f" "$tmp/jq/$jq_j" 2>&1) ||
				fail "$jq_w: jq '$jq_f' gave: $jq_r (the JSON: $(head -c 300 "$tmp/jq/$jq_j"))"
		done
	fi
	jq_n=0
	jq_prog=
}
