# tmux-lib.sh - driving smtpref on a real terminal, as a person would:
# tmux types the keys (send-keys) and reads the screen (capture-pane).
# Sourced after tests/lib.sh.  Each terminal gets a tmux server of its
# own; at exit the last one is stopped, then tmux_cleanup (if set) runs.

command -v tmux >/dev/null 2>&1 || {
	echo "FAIL: tmux is needed for this test (Debian: apt-get install tmux)" >&2
	exit 1
}

tmux_n=0
sock="smtpref-$$-$tmux_n"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; eval "${tmux_cleanup:-:}"; rm -rf "$tmp"' EXIT

# tmux_open COLSxLINES COMMAND - a fresh terminal of that size running
# COMMAND (one shell command line)
tmux_open() {
	tm kill-server 2>/dev/null
	tmux_n=$((tmux_n + 1))
	sock="smtpref-$$-$tmux_n"
	tm -f /dev/null new-session -d -x "${1%x*}" -y "${1#*x}" "$2"
	tm set-option -g history-limit 5000 >/dev/null
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

# wait_for PATTERN DESCRIPTION - until the screen matches (10 s at most)
wait_for() {
	checks=$((checks + 1))
	i=0
	while [ $i -lt 100 ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "$2: the screen lacks /$1/"
	screen | tail -n 20 >&2
	return 1
}

# lacks PATTERN DESCRIPTION - the screen does not match, now
lacks() {
	checks=$((checks + 1))
	screen | grep -Eq -- "$1" && fail "$2: the screen has /$1/"
}

# keys KEY... - as tmux send-keys takes them (Enter, Tab, C-c, Up, F1)
keys() { tm send-keys -t 0 "$@"; sleep 0.15; }

# type_line TEXT - typed as is, then Enter
type_line() { tm send-keys -t 0 -l "$1"; tm send-keys -t 0 Enter; sleep 0.2; }

# tmux_pid - the smtpref-interactive running in the terminal
tmux_pid() { pgrep -P "$(tm list-panes -t 0 -F '#{pane_pid}')" -f smtpref-interactive; }
