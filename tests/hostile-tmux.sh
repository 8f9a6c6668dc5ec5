#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# hostile-tmux.sh - the shell's history on a real terminal, with a file
# planted where it keeps it (issue 14): a FIFO does not hang the shell, a
# symbolic link is not written through, and a credential typed with tabs
# stays out of it
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/tmux-lib.sh"
# the shell's prompt (smtp>) ends with ">"
tmux_prompt='*>'

state=$tmp/state/smtpref
mkdir -p "$state" "$tmp/home"

# start - open the shell in a fresh terminal; when it exits, the pane
# shows EXIT=status and stays
start() {
	tmux_open 200x30 \
		"HOME='$tmp/home' XDG_STATE_HOME='$tmp/state' TERM=${TERM_FOR_TEST:-xterm-256color} \
		SMTPREF_LIBEXECDIR='$SMTPREF_LIBEXECDIR' '$SMTPREF' shell --persona submission 2>&1; echo EXIT=\$?; sleep 60"
}

# a FIFO as the history: the shell starts at once and says why it keeps
# no history
mkfifo "$state/history"
start
wait_for 'history not kept: .*history is a FIFO, not a regular file' "a FIFO history is refused"
wait_for '^smtp>' "the shell starts anyway"
keys C-d
wait_for '^EXIT=0' "and leaves"
rm -f "$state/history"

# a symbolic link as the history: never written through
printf 'precious\n' >"$tmp/victim"
ln -s "$tmp/victim" "$state/history"
start
wait_for 'history not kept: .*history is a symbolic link' "a linked history is refused"
wait_for '^smtp>' "the shell starts anyway"
type_line 'NOOP'
wait_for '^250 ' "the shell works"
keys C-d
wait_for '^EXIT=0' "and leaves"
checks=$((checks + 1))
[ "$(cat "$tmp/victim")" = precious ] || fail "the file behind the linked history was written"
rm -f "$state/history"

# AUTH with tabs: the credential never reaches the history file
start
wait_for '^smtp>' "the shell starts"
type_line 'EHLO client.example'
type_line 'STARTTLS'
type_line 'EHLO client.example'
# a tab typed as itself (C-v Tab; Tab alone completes)
tm send-keys -t 0 -l 'AUTH PLAIN'
keys C-v Tab
tm send-keys -t 0 -l 'AGFsaWNlAHdvbmRlcmxhbmQ='
keys Enter
wait_for '^50[14] ' "the simulated server answers it (RFC 4954 4 wants SP)"
type_line 'NOOP'
keys C-d
wait_for '^EXIT=0' "leaves"
checks=$((checks + 1))
grep -q '^NOOP$' "$state/history" || fail "the history is kept"
checks=$((checks + 1))
grep -q 'AGFsaWNlAHdvbmRlcmxhbmQ=' "$state/history" && fail "the credential is in the history"

finish
