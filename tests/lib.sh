# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh - helpers for the end-to-end tests (sourced, POSIX sh)
#
# SMTPREF is the binary under test (set by make check); top_srcdir the
# source tree.  Each check prints what it expected on failure, and the
# test's exit status is 1 when a check failed, 0 when all passed, 77
# (skip, with the reason) when it cannot run here.

: "${SMTPREF:?SMTPREF must name the smtpref binary}"
failures=0
checks=0
# The temporary directory is on /dev/shm when it can be (TMPDIR unset,
# /dev/shm a directory we may write and run programs from): the lesson
# progress, receipts and Maildirs a test writes are saved with fsync,
# which on a busy disk costs tenths of a second each time and nothing
# on tmpfs; the files and what the tests check of them are the same.
tmp=
# A small /dev/shm (a container's is often 64 MiB) is left alone: the
# tests that write large inputs would fill it; so is one mounted noexec.
# Its size is the tmpfs's size= (none: half the memory, the default).
# (Read by the shell: every test starts here, and a process costs more
# than the rest of it.)
shm_exec=
shm_size=
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
	[ -r /proc/self/mountinfo ]; then
	# the last mount on /dev/shm is the one in use; after " - ", the
	# file system's type, its source and its options
	while read -r _ _ _ _ shm_mnt shm_opts shm_rest; do
		[ "$shm_mnt" = /dev/shm ] || continue
		case ,$shm_opts, in
		*,noexec,*) shm_exec= ;;
		*) shm_exec=1 ;;
		esac
		shm_size=big
		case ,${shm_rest##* }, in
		*,size=*)
			shm_size=${shm_rest##*size=}
			shm_size=${shm_size%%[!0-9]*} ;;
		esac
	done </proc/self/mountinfo
fi
# (in KiB: 1 GiB at least)
[ -n "$shm_exec" ] || shm_size=
case $shm_size in
big) shm_size=1048576 ;;
''|*[!0-9]*) shm_size=0 ;;
esac
tmp_base=${TMPDIR:-/tmp}
[ "$shm_size" -lt 1048576 ] || tmp_base=/dev/shm
# named for the test's process, with its home in one mkdir (mktemp when
# a directory of that name was left behind)
tmp=$tmp_base/smtpref-test.$$
if ! mkdir -m 0700 "$tmp" "$tmp/home" 2>/dev/null; then
	tmp=$(mktemp -d "$tmp_base/smtpref-test.XXXXXX") && mkdir "$tmp/home" || exit 99
fi
trap 'rm -rf "$tmp"' EXIT

# A home of its own: a test reads nothing of the user's (history, lesson
# progress, the first-run marker) and writes nothing there, and tests run
# side by side (make -j) share no file.
HOME=$tmp/home
XDG_STATE_HOME=$tmp/state
XDG_CONFIG_HOME=$tmp/config
export HOME XDG_STATE_HOME XDG_CONFIG_HOME

# skip REASON - this test cannot run here: the reason goes into the test
# summary (build-aux/test-driver-reason shows "SKIP: test (REASON)")
skip() {
	printf 'SKIP: %s\n' "$*" >&2
	exit 77
}

fail() {
	failures=$((failures + 1))
	printf 'FAIL: %s\n' "$*" >&2
}

# run ARGS... - run smtpref, leaving stdout in $tmp/out, stderr in
# $tmp/err and the exit status in $status
run() {
	"$SMTPREF" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# expect_status N DESCRIPTION
expect_status() {
	checks=$((checks + 1))
	[ "$status" -eq "$1" ] || fail "$2: exit status $status, expected $1 (stderr: $(head -c 300 "$tmp/err"))"
}

# file_has FILE PATTERN - FILE has a line that matches the extended regular
# expression PATTERN, as grep -Eq says: 0, 1 when none does, 2 when it
# cannot tell (the reason in $ematch_why).  A grep a check would cost a
# process, more than the check: one tests/ematch a test (started at the
# first check, on fds 5 and 6) answers them all; without it, grep.
ematch_pid=
ematch_why=
file_has() {
	ematch_why="grep could not tell"
	case $2 in *'
'*)	# (as grep reads it: one pattern a line)
		grep -Eq -- "$2" "$1"
		return ;;
	esac
	ematch match "$1" "$2" && return
	case $? in
	3) grep -Eq -- "$2" "$1" ;;
	*) return $? ;;
	esac
}

# file_same FILE1 FILE2 - the two files hold the same bytes, as cmp -s
# says: 0, 1 when they differ, 2 when it cannot tell ($ematch_why)
file_same() {
	ematch_why="cmp could not tell"
	ematch same "$1" "$2" && return
	case $? in
	3) cmp -s -- "$1" "$2" ;;
	*) return $? ;;
	esac
}

# ematch VERB ARG1 ARG2 - a request to tests/ematch (started at the first):
# its answer 0, 1 or 2 (the reason in $ematch_why), or 3 when it is not
# there (a test run by hand outside the build)
ematch() {
	if [ -z "$ematch_pid" ]; then
		if [ -x "${top_builddir:-/nonexistent}/tests/ematch" ] &&
			mkfifo "$tmp/ematch-in" "$tmp/ematch-out"; then
			"$top_builddir/tests/ematch" <"$tmp/ematch-in" >"$tmp/ematch-out" &
			ematch_pid=$!
			exec 5>"$tmp/ematch-in" 6<"$tmp/ematch-out"
		else
			ematch_pid=none
		fi
	fi
	[ "$ematch_pid" != none ] || return 3
	printf '%s\n%s\n%s\n' "$1" "$2" "$3" >&5
	if ! IFS= read -r ematch_answer <&6; then
		ematch_why="tests/ematch is gone"
		return 2
	fi
	case $ematch_answer in
	0) return 0 ;;
	1) return 1 ;;
	esac
	ematch_why=${ematch_answer#2 }
	return 2
}

# expect_out PATTERN DESCRIPTION - stdout matches the extended regexp
expect_out() {
	expect_file "$tmp/out" "$1" "$2" stdout
}

expect_no_out() {
	expect_no_file "$tmp/out" "$1" "$2" stdout
}

expect_err() {
	checks=$((checks + 1))
	file_has "$tmp/err" "$1" && return
	case $? in
	1) fail "$2: stderr lacks /$1/ (stderr: $(head -c 300 "$tmp/err"))" ;;
	*) fail "$2: cannot look for /$1/ in stderr: $ematch_why" ;;
	esac
}

# expect_file FILE PATTERN DESCRIPTION - FILE has a line matching the
# extended regexp; expect_no_file: it has none (a fourth argument names
# FILE in the message)
expect_file() {
	checks=$((checks + 1))
	file_has "$1" "$2" && return
	case $? in
	1) fail "$3: ${4:-$1} lacks /$2/" ;;
	*) fail "$3: cannot look for /$2/ in ${4:-$1}: $ematch_why" ;;
	esac
}

expect_no_file() {
	checks=$((checks + 1))
	file_has "$1" "$2"
	case $? in
	0) fail "$3: ${4:-$1} has /$2/" ;;
	1) ;;
	*) fail "$3: cannot look for /$2/ in ${4:-$1}: $ematch_why" ;;
	esac
}

expect_empty_out() {
	checks=$((checks + 1))
	[ -s "$tmp/out" ] && fail "$2: stdout is not empty"
}

expect_empty_err() {
	checks=$((checks + 1))
	[ -s "$tmp/err" ] && fail "$1: stderr is not empty: $(head -c 300 "$tmp/err")"
}

# tally FILE - one check a line of FILE, as one program that checked many
# things at once wrote them (a process a check costs more than the
# check): "ok WHAT" passed, "FAIL WHAT" failed and says what
tally() {
	while IFS= read -r tally_line; do
		checks=$((checks + 1))
		case $tally_line in
		FAIL\ *) fail "${tally_line#FAIL }" ;;
		esac
	done <"$1"
}

finish() {
	printf '%d checks, %d failed\n' "$checks" "$failures"
	[ "$failures" -eq 0 ] && exit 0
	exit 1
}
