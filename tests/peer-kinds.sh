# SPDX-License-Identifier: GPL-3.0-or-later
# peer-kinds.sh - the console and the front ends talk to every peer the
# same way (core/peer.h): outside the peers' own files, nothing asks
# which kind of peer it has, or reaches past the interface into a kind's
# machines (doc/DESIGN.md, "One peer").
. "$top_srcdir/tests/lib.sh"

cd "$top_srcdir/src" || exit 99

# The peers: the files that implement core/peer.h.
peers="core/session.c core/session.h net/realpeer.c net/realpeer.h console/replay.c console/lessonpeer.c"

# offenders PATTERN FILE... - the lines of the files matching PATTERN
offenders() {
	pattern=$1
	shift
	grep -nE -- "$pattern" "$@" /dev/null 2>/dev/null
}

others=$(find . -name '*.[ch]' ! -name 'ref-tables.c' | sed 's|^\./||' | sort)
outside=
for f in $others; do
	case " $peers " in
	*" $f "*) ;;
	*) outside="$outside $f" ;;
	esac
done

# 1. A kind is never compared or looked into.
checks=$((checks + 1))
hits=$(offenders '(->|\.)ops *[!=]=|session_of *\(' $outside)
[ -z "$hits" ] || fail "a peer's kind is asked outside the peers: $hits"

# 2. The console and the front ends call no kind's machines: the lesson's
# tutor, a connection, the simulated session's or the core's machines.
front=
for f in $outside; do
	case $f in
	console/*|term/*) front="$front $f" ;;
	esac
done
checks=$((checks + 1))
hits=$(offenders '\b(tutor|conn|realpeer)_[a-z_]+ *\(' $front)
[ -z "$hits" ] || fail "the console or a front end reaches past the peer: $hits"
checks=$((checks + 1))
hits=$(offenders '\b(server_phase|client_phase|session_(mode|server|client|input|pipeline|restart|fault|end|tls|level|role|last)) *\(' $front)
[ -z "$hits" ] || fail "the console or a front end asks a machine instead of the peer: $hits"

finish
