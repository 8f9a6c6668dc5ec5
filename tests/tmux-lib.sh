# SPDX-License-Identifier: GPL-3.0-or-later
# tmux-lib.sh - driving smtpref on a real terminal, as a person would:
# tmux types the keys (send-keys) and reads the screen (capture-pane).
# Sourced after tests/lib.sh.  Each terminal gets a tmux server of its
# own; at exit the last one is stopped, then tmux_cleanup (if set) runs.
#
# Nothing here sleeps for a fixed time: every helper polls the screen
# until what it waits for is there, up to a deadline (tmux_deadline
# seconds, 10 by default; a failure is the only thing that waits it out).
#
#   tmux_open 80x24 'COMMAND'        a fresh terminal running COMMAND
#   wait_for PATTERN DESCRIPTION     until the screen matches (a check)
#   wait_gone PATTERN DESCRIPTION    until it no longer does (a check)
#   poll COMMAND...                  until COMMAND succeeds: 0, or 1
#   poll_within SECONDS COMMAND...   the same, with a deadline of its own
#   keys KEY...                      send keys, until the terminal shows
#                                    that they were read
#   type_line TEXT                   TEXT, then Enter, the same way
#   paste TEXT                       a terminal paste (bracketed)
#   screen                           what the terminal shows

command -v tmux >/dev/null 2>&1 || {
	echo "FAIL: tmux is needed for this test (Debian: apt-get install tmux)" >&2
	exit 1
}

tmux_n=0
tmux_deadline=${tmux_deadline:-10}
sock="smtpref-$$-$tmux_n"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; eval "${tmux_cleanup:-:}"; rm -rf "$tmp"' EXIT

# tmux_open COLSxLINES COMMAND - a fresh terminal of that size running
# COMMAND (one shell command line)
tmux_open() {
	tm kill-server 2>/dev/null
	tmux_n=$((tmux_n + 1))
	sock="smtpref-$$-$tmux_n"
	tm -f /dev/null new-session -d -x "${1%x*}" -y "${1#*x}" "$2" \; \
		set-option -g history-limit 5000 >/dev/null
}

# screen - what the terminal shows; with screen_history set, the lines
# scrolled off too.  capture-pane drops trailing spaces, so patterns
# never end in one.
screen() {
	if [ -n "${screen_history:-}" ]; then
		tm capture-pane -p -S - -E - -t 0
	else
		tm capture-pane -p -t 0
	fi
}

# poll COMMAND... - run COMMAND until it succeeds (0) or the deadline
# passes (1); the first tries come within milliseconds, then every 50 ms
poll() { poll_within "$tmux_deadline" "$@"; }

poll_within() {
	poll_secs=$1
	shift
	poll_nap=0.005
	while :; do
		"$@" && return 0
		case $poll_nap in
		0.005) poll_nap=0.01 ;;
		0.01) poll_nap=0.02 ;;
		0.02) poll_nap=0.05 poll_end=$(($(date +%s) + poll_secs)) ;;
		*) [ "$(date +%s)" -lt "$poll_end" ] || return 1 ;;
		esac
		sleep "$poll_nap"
	done
}

screen_matches() { screen | grep -Eq -- "$1"; }
screen_misses() { ! screen | grep -Eq -- "$1"; }

# wait_for PATTERN DESCRIPTION - until the screen matches
wait_for() {
	checks=$((checks + 1))
	poll screen_matches "$1" && return 0
	fail "$2: the screen lacks /$1/"
	screen | tail -n 20 >&2
	return 1
}

# wait_gone PATTERN DESCRIPTION - until the screen no longer matches
wait_gone() {
	checks=$((checks + 1))
	poll screen_misses "$1" && return 0
	fail "$2: the screen has /$1/"
	return 1
}

# lacks PATTERN DESCRIPTION - the screen does not match (a drawing in
# progress is given until the deadline to finish)
lacks() { wait_gone "$@"; }

# terminal_state [TMUX-COMMAND...] - where the cursor is and the screen,
# in one call to tmux; then the command, with nothing drawn in between
terminal_state() {
	if [ $# -gt 0 ]; then
		tm display-message -p -t 0 '#{cursor_x},#{cursor_y}' \; capture-pane -p -t 0 \; "$@"
	else
		tm display-message -p -t 0 '#{cursor_x},#{cursor_y}' \; capture-pane -p -t 0
	fi
}

# changed BEFORE - the terminal no longer shows BEFORE
changed() { [ "$(terminal_state)" != "$1" ]; }

# settle BEFORE - until the terminal shows something else than BEFORE:
# the program read what was sent (it echoed it, or answered).  Input that
# shows nothing (a key the program ignores) waits 2 s at most, silently.
settle() { poll_within 2 changed "$1" || :; }

# keys KEY... - as tmux send-keys takes them (Enter, Tab, C-c, Up, F1)
keys() {
	case "$*" in
	*\;*)	# tmux would read a trailing ';' as a command separator
		keys_before=$(terminal_state)
		tm send-keys -t 0 "$@" ;;
	*)	keys_before=$(terminal_state send-keys -t 0 "$@") ;;
	esac
	settle "$keys_before"
}

# type_line TEXT - typed as is, then Enter
type_line() {
	case $1 in
	'') keys Enter ;;
	*\;*)	keys_before=$(terminal_state)
		tm send-keys -t 0 -l "$1"
		tm send-keys -t 0 Enter
		settle "$keys_before" ;;
	*)	keys_before=$(terminal_state send-keys -t 0 -l "$1" \; send-keys -t 0 Enter)
		settle "$keys_before" ;;
	esac
}

# paste TEXT - as a terminal pastes it (bracketed, when the program asked)
paste() {
	keys_before=$(terminal_state)
	printf '%s' "$1" | tm load-buffer -
	tm paste-buffer -p -t 0
	settle "$keys_before"
}

# tmux_pid - the smtpref-interactive running in the terminal
tmux_pid() { pgrep -P "$(tm list-panes -t 0 -F '#{pane_pid}')" -f smtpref-interactive; }
