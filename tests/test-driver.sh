#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# test-driver.sh - the test driver says why a test skipped, and stops a
# test that hangs at its deadline with a failure that says so
. "$top_srcdir/tests/lib.sh"

driver=$top_srcdir/build-aux/test-driver-reason

# drive NAME SCRIPT - the driver runs SCRIPT; its summary line in $tmp/out
drive() {
	printf '%s\n' "$2" >"$tmp/$1.sh"
	/bin/sh "$driver" --test-name "$1" --log-file "$tmp/$1.log" \
		--trs-file "$tmp/$1.trs" -- /bin/sh "$tmp/$1.sh" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

drive passes 'exit 0'
expect_out '^PASS: passes$' "a passing test"
expect_file "$tmp/passes.trs" '^:test-result: PASS$' "a passing test: its .trs"

drive skips 'echo "SKIP: swaks is not installed" >&2; exit 77'
expect_out '^SKIP: skips \(swaks is not installed\)$' "a skipped test names its reason"

drive fails 'exit 1'
expect_out '^FAIL: fails$' "a failing test"

SMTPREF_TEST_DEADLINE=0.1 drive hangs 'sleep 60'
expect_out '^FAIL: hangs \(stopped after 0\.1 s: the test hung\)$' "a test that hangs is stopped at its deadline (a fraction of a second)"
expect_file "$tmp/hangs.log" '^FAIL hangs .* in [0-9]+\.[0-9][0-9] s$' "its log says how long it ran"
expect_file "$tmp/hangs.trs" '^:test-result: FAIL$' "a hung test: its .trs"

SMTPREF_TEST_DEADLINE=soon drive bad 'exit 0'
expect_status 2 "a deadline that is not a number"
expect_err 'SMTPREF_TEST_DEADLINE must be a number' "a deadline that is not a number is named"
SMTPREF_TEST_DEADLINE=1.2.3 drive bad 'exit 0'
expect_status 2 "a deadline with two dots"
SMTPREF_TEST_DEADLINE=0.0 drive none 'exit 0'
expect_out '^PASS: none$' "a deadline of 0.0 is none"

finish
