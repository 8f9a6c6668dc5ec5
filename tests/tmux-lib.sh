# SPDX-License-Identifier: GPL-3.0-or-later
# tmux-lib.sh - driving smtpref on a real terminal, as a person would:
# tmux types the keys (send-keys) and reads the screen (capture-pane).
# Sourced after tests/lib.sh.  A test has a tmux server of its own; each
# terminal is a session of it, the one before closed; at exit the server
# is stopped, then tmux_cleanup (if set) runs.
#
# Nothing here sleeps for a fixed time: every helper polls the screen
# until what it waits for is there, up to a deadline (tmux_deadline
# seconds, 10 by default; a failure is the only thing that waits it out).
#
#   tmux_open 80x24 'COMMAND'        a fresh terminal running COMMAND
#   wait_for PATTERN DESCRIPTION     until the screen matches (a check)
#   wait_gone PATTERN DESCRIPTION    until it no longer does (a check)
#   tmux_wait for|gone|top PATTERN   the same, or until the first row
#                                    matches (top): 0, or 1 at the deadline
#   keys KEY...                      send keys, until the terminal shows
#                                    that they were read
#   type_line TEXT                   TEXT, then Enter, the same way
#   paste TEXT                       a terminal paste (bracketed)
#   at_prompt                        until the line editor waits for a
#                                    line (tmux_prompt: its case pattern;
#                                    set, type_line, Ctrl-D and paste
#                                    wait for it)
#   screen                           what the terminal shows
#
# Starting a process costs more than anything else these tests do, so
# the test talks to tmux through one client in control mode (tmux -C),
# started with the first terminal: a command is a line written to it, its
# output the block it answers with.  A look at the terminal is one line,
# which also waits before it when it is not the first (run-shell -d),
# tells the time (%s) and matches the pattern itself (list-panes -F
# '#{C/r:...}', the extended regular expression of grep -E, tried on each
# row of the screen with its trailing spaces dropped, as capture-pane
# shows them).  What is read back is small: the shell reads a pipe a
# byte a system call, so whole screens go to files that tmux writes
# (save-buffer), where tests/ematch (lib.sh) compares them, to see that
# keys showed, and searches them: with screen_history set, a pattern not
# on the screen is looked for in the lines scrolled off too.

command -v tmux >/dev/null 2>&1 || {
	echo "FAIL: tmux is needed for this test (Debian: apt-get install tmux)" >&2
	exit 1
}

tmux_n=0
tmux_deadline=${tmux_deadline:-10}
sock="smtpref-$$"
tmux_nl='
'
# keys sent, the terminal not yet seen to change: what it showed before
tmux_pending=
tmux_before=
# the control client: its input (written on fd 7) and output (read on
# fd 8) are fifos; its PID once it runs
tmux_ctl=
tmux_call_n=0
trap 'tmux_stop; eval "${tmux_cleanup:-:}"; rm -rf "$tmp"' EXIT

# tmux_quote ARG - ARG as tmux's command parser reads it back, in $tmux_q:
# in single quotes (a quote in it as \'), or, when it holds a newline,
# in double quotes with \ " $ escaped and the newline as \n
tmux_dq_special='[\\"$'"$tmux_nl"']'
tmux_quote() {
	tmux_in=$1
	tmux_q=
	case $tmux_in in
	*"$tmux_nl"*)
		while :; do
			case $tmux_in in
			*$tmux_dq_special*)
				tmux_head=${tmux_in%%$tmux_dq_special*}
				tmux_in=${tmux_in#"$tmux_head"}
				tmux_rest=${tmux_in#?}
				tmux_c=${tmux_in%"$tmux_rest"}
				[ "$tmux_c" = "$tmux_nl" ] && tmux_c=n
				tmux_q="$tmux_q$tmux_head\\$tmux_c"
				tmux_in=$tmux_rest ;;
			*)	tmux_q="\"$tmux_q$tmux_in\""
				return ;;
			esac
		done ;;
	*\'*)
		while :; do
			case $tmux_in in
			*\'*)
				tmux_q="$tmux_q'${tmux_in%%\'*}'\\'"
				tmux_in=${tmux_in#*\'} ;;
			*)	tmux_q="$tmux_q'$tmux_in'"
				return ;;
			esac
		done ;;
	*)	tmux_q="'$tmux_in'" ;;
	esac
}

# tmux_call TMUX-COMMAND... - one command line (commands apart with ';',
# as on tmux's command line) to the control client: the output in
# $tmux_reply (each line with its newline), what tmux refused with in
# $tmux_error; 1 when it refused a command, 2 when tmux is gone.  Each
# command answers with a block (%begin ... %end, or %error); those after
# a refused one are not run, and a line tmux cannot parse answers with
# one block, so a second line asks for a mark: the blocks before the
# mark are the answer.
tmux_call() {
	if [ -z "$tmux_ctl" ]; then
		tmux_reply=
		tmux_error="no terminal is open$tmux_nl"
		return 2
	fi
	tmux_line=
	for tmux_arg; do
		case $tmux_arg in
		\;) tmux_line="$tmux_line ;" ;;
		*) tmux_quote "$tmux_arg"
			tmux_line="$tmux_line $tmux_q" ;;
		esac
	done
	tmux_call_n=$((tmux_call_n + 1))
	tmux_mark="tmux-lib mark $tmux_call_n"
	printf '%s\n%s\n' "$tmux_line" "display-message -p '$tmux_mark'" >&7
	tmux_reply=
	tmux_error=
	tmux_refused=
	while IFS= read -r tmux_l; do
		case $tmux_l in
		'%begin '*) ;;
		*) continue ;;	# a notification
		esac
		tmux_tag=${tmux_l#%begin }
		tmux_block=
		tmux_bad=
		while IFS= read -r tmux_l; do
			case $tmux_l in
			"%end $tmux_tag") break ;;
			"%error $tmux_tag") tmux_bad=1
				break ;;
			esac
			tmux_block="$tmux_block$tmux_l$tmux_nl"
		done
		if [ -n "$tmux_bad" ]; then
			tmux_error="$tmux_error$tmux_block"
			tmux_refused=1
		elif [ "$tmux_block" = "$tmux_mark$tmux_nl" ]; then
			[ -z "$tmux_refused" ] || return 1
			return 0
		else
			tmux_reply="$tmux_reply$tmux_block"
		fi
	done <&8
	tmux_error="tmux is gone$tmux_nl"
	return 2
}

# tmux_raw TMUX-COMMAND... - as the tmux program would do it: the output
# on stdout, what tmux refused with on stderr, and 1 then
tmux_raw() {
	if [ -z "$tmux_ctl" ]; then
		tmux -L "$sock" "$@"
		return
	fi
	case $1 in kill-server)
		tmux_stop
		return 0 ;;
	esac
	tmux_call "$@"
	tmux_rc=$?
	printf '%s' "$tmux_reply"
	[ "$tmux_rc" -eq 0 ] || printf '%s' "$tmux_error" >&2
	return "$tmux_rc"
}
tm() { tmux_settle; tmux_raw "$@"; }

# tmux_stop - the control client and the server stopped
tmux_stop() {
	if [ -n "$tmux_ctl" ]; then
		# (it is read to its end: the server waits until what it has for
		# the control client is read before it exits)
		printf 'kill-server\n' >&7
		while read -r tmux_l; do :; done <&8
		exec 7>&- 8<&-
		tmux_ctl=
	fi
	tmux -L "$sock" kill-server 2>/dev/null
}

# tmux_open COLSxLINES COMMAND - a fresh terminal of that size running
# COMMAND (one shell command line); the control client moves to it
# before the one it had is closed
tmux_open() {
	tmux_pending=
	tmux_n=$((tmux_n + 1))
	if [ -n "$tmux_ctl" ]; then
		tmux_call new-session -d -s "t$tmux_n" -x "${1%x*}" -y "${1#*x}" "$2" \; \
			switch-client -t "t$tmux_n" \; kill-session -t "t$((tmux_n - 1))" ||
			printf 'tmux: %s' "$tmux_error" >&2
		return
	fi
	# the server outlives the sessions it holds (exit-empty off), and a
	# terminal whose program ended stays, as it was, until the next one
	# opens (remain-on-exit): the control client stays on it
	tmux -L "$sock" -f /dev/null set-option -g exit-empty off \; \
		set-option -g remain-on-exit on \; \
		set-option -g history-limit 5000 \; \
		new-session -d -s "t$tmux_n" -x "${1%x*}" -y "${1#*x}" "$2" >/dev/null || return
	mkfifo "$tmp/tmux-in" "$tmp/tmux-out" || return
	# the terminals keep their sizes (ignore-size), and what they draw is
	# not sent to the client (no-output)
	tmux -L "$sock" -C attach-session -f no-output,ignore-size -t "t$tmux_n" \
		<"$tmp/tmux-in" >"$tmp/tmux-out" 2>/dev/null &
	tmux_ctl=$!
	# fd 7 is open for reading too: were the client gone, a line written
	# to it would wait there, not kill the test (SIGPIPE)
	exec 7<>"$tmp/tmux-in" 8<"$tmp/tmux-out"
	tmux_call display-message -p ok && return
	# (attach-session -f and #{C/r:} came with tmux 3.2)
	echo "FAIL: tmux's control mode did not start ($(tmux -V 2>&1); tmux 3.2 or later is needed): $tmux_error" >&2
	exit 1
}

# screen - what the terminal shows; with screen_history set, the lines
# scrolled off too.  capture-pane drops trailing spaces, so patterns
# never end in one.  (tmux writes it to a file: the shell reads a pipe a
# byte a system call.)
screen() {
	tmux_settle
	if [ -z "$tmux_ctl" ]; then
		tmux_raw capture-pane -p ${screen_history:+-S - -E -} -t 0
		return
	fi
	tmux_capture "$tmp/tmux-screen" ${screen_history:+-S - -E -} || return
	cat "$tmp/tmux-screen"
}

# tmux_capture FILE [-S - -E -] - the screen (or all of it) into FILE,
# by tmux
tmux_capture() {
	tmux_capture_to=$1
	shift
	tmux_call capture-pane -t 0 "$@" -b tmux-lib \; \
		save-buffer -b tmux-lib "$tmux_capture_to" || {
		printf '%s' "$tmux_error" >&2
		return 1
	}
}

# tmux_format TEXT - TEXT as it must be written inside #{C/r:...} in a
# format of list-panes -F (which, unlike display-message, leaves %
# alone): # } , escaped with a #
tmux_special='[#},]'
tmux_format() {
	tmux_in=$1
	tmux_format=
	while :; do
		case $tmux_in in
		*$tmux_special*)
			tmux_head=${tmux_in%%$tmux_special*}
			tmux_in=${tmux_in#"$tmux_head"}
			tmux_rest=${tmux_in#?}
			tmux_format="$tmux_format$tmux_head#${tmux_in%"$tmux_rest"}"
			tmux_in=$tmux_rest ;;
		*)	tmux_format=$tmux_format$tmux_in
			return ;;
		esac
	done
}

# tmux_state [TMUX-COMMAND...] - where the cursor is (in $tmux_reply) and
# the screen (in the file $tmp/tmux-before, written by tmux), from one
# line to tmux; then the command, with nothing drawn in between
tmux_state() {
	if [ $# -gt 0 ]; then
		set -- \; "$@"
	fi
	tmux_call display-message -p -t 0 '#{cursor_x},#{cursor_y}' \; \
		capture-pane -t 0 -b tmux-lib \; \
		save-buffer -b tmux-lib "$tmp/tmux-before" "$@" ||
		printf '%s' "$tmux_error" >&2
}

# tmux_nap_next - the pause before the next look at the terminal: none
# before the first, then 5, 10, 20 and at most 50 ms
tmux_nap_next() {
	case $tmux_nap in
	'') tmux_nap=0.005 ;;
	0.005) tmux_nap=0.01 ;;
	0.01) tmux_nap=0.02 ;;
	*) tmux_nap=0.05 ;;
	esac
}

# tmux_wait for|gone|top|settle PATTERN - poll the terminal until PATTERN
# matches a row of it (for), none (gone), its first row (top); 0, or 1
# when the deadline passes, 2 when tmux cannot search for PATTERN.  Keys
# sent are seen first: until the terminal shows something else than
# before them (for 2 s at most: input that shows nothing), the pattern
# is not looked at; settle waits for that alone.
tmux_wait() {
	tmux_mode=$1
	tmux_pat=$2
	tmux_format "$2"
	tmux_fmt="#{C/r:($tmux_format)|^} #{C/r:$tmux_format} #{history_size}"
	tmux_nap=
	tmux_end=
	tmux_clean=-1	# a history this long was grepped: no match in it
	while :; do
		# after the nap, the time and the pattern first, then (keys
		# pending) the cursor and the screen, as tmux_state has them
		set -- display-message -p -t 0 '%s' \; list-panes -t 0 -F "$tmux_fmt"
		[ -z "$tmux_nap" ] || set -- run-shell -d "$tmux_nap" \; "$@"
		[ -z "$tmux_pending" ] ||
			set -- "$@" \; display-message -p -t 0 '#{cursor_x},#{cursor_y}' \; \
				capture-pane -t 0 -b tmux-lib \; \
				save-buffer -b tmux-lib "$tmp/tmux-now"
		tmux_call "$@" || printf '%s' "$tmux_error" >&2
		tmux_out=$tmux_reply
		tmux_now=${tmux_out%%"$tmux_nl"*}
		tmux_out=${tmux_out#"$tmux_now"}
		tmux_out=${tmux_out#"$tmux_nl"}
		tmux_look=${tmux_out%%"$tmux_nl"*}
		tmux_out=${tmux_out#"$tmux_look"}
		tmux_out=${tmux_out#"$tmux_nl"}
		tmux_valid=${tmux_look%% *}
		tmux_look=${tmux_look#* }
		tmux_hit=${tmux_look%% *}
		tmux_hs=${tmux_look#* }
		case $tmux_now in
		''|*[!0-9]*) echo "tmux is gone (it answered '$tmux_now')" >&2
			return 1 ;;
		esac
		[ -n "$tmux_end" ] || tmux_end=$((tmux_now + tmux_deadline))
		if [ -n "$tmux_pending" ]; then
			[ -n "$tmux_since" ] || tmux_since=$tmux_now
			if [ "$tmux_out" != "$tmux_before" ] ||
				! file_same "$tmp/tmux-before" "$tmp/tmux-now" ||
				[ "$tmux_now" -ge $((tmux_since + 2)) ]; then
				tmux_pending=
				tmux_end=$((tmux_now + tmux_deadline))
			fi
		fi
		if [ -z "$tmux_pending" ]; then
			case $tmux_mode in settle) return 0 ;; esac
			case $tmux_valid in
			''|0) echo "tmux cannot search the screen for /$tmux_pat/ (#{C/r:...})" >&2
				return 2 ;;
			esac
			case $tmux_mode in
			for)	[ "$tmux_hit" -ne 0 ] && return 0
				tmux_history && return 0 ;;
			gone)	[ "$tmux_hit" -eq 0 ] && ! tmux_history && return 0 ;;
			top)	[ "$tmux_hit" -eq 1 ] && return 0 ;;
			esac
		fi
		[ "$tmux_now" -lt "$tmux_end" ] || return 1
		tmux_nap_next
	done
}

# tmux_history - with screen_history, the pattern of tmux_wait is in the
# lines scrolled off (or on the screen), when lines scrolled off since it
# was last looked for there.  (While the history is shorter than
# history-limit, it only grows.)
tmux_history() {
	[ -n "${screen_history:-}" ] && [ "$tmux_hs" -gt 0 ] &&
		[ "$tmux_hs" -ne "$tmux_clean" ] || return 1
	tmux_capture "$tmp/tmux-screen" -S - -E - || return 1
	file_has "$tmp/tmux-screen" "$tmux_pat" && return 0
	tmux_clean=$tmux_hs
	return 1
}

# tmux_settle - until keys sent show (2 s at most, silently)
tmux_settle() {
	[ -z "$tmux_pending" ] || tmux_wait settle '^' || :
}

# wait_for PATTERN DESCRIPTION - until the screen matches
wait_for() {
	checks=$((checks + 1))
	tmux_wait for "$1" && return 0
	fail "$2: the screen lacks /$1/"
	screen | tail -n 20 >&2
	return 1
}

# wait_gone PATTERN DESCRIPTION - until the screen no longer matches
wait_gone() {
	checks=$((checks + 1))
	tmux_wait gone "$1" && return 0
	fail "$2: the screen has /$1/"
	return 1
}

# lacks PATTERN DESCRIPTION - the screen does not match (a drawing in
# progress is given until the deadline to finish)
lacks() { wait_gone "$@"; }

# tmux_sent BEFORE - keys went out when the terminal showed BEFORE: the
# next look at it waits until it shows something else
tmux_sent() {
	tmux_before=$1
	tmux_pending=1
	tmux_since=
}

# at_prompt - until the line editor waits for a line: the row of the
# cursor matches the case pattern $tmux_prompt and nothing is typed after
# it (0, or 1 at the deadline).  Between two lines the terminal is not in
# the line editor's hands: a Ctrl-D typed then is lost and a paste is not
# bracketed, as on any terminal, so a person waits for the prompt.
at_prompt() {
	tmux_settle
	tmux_nap=
	tmux_end=
	while :; do
		set -- display-message -p -t 0 '%s #{cursor_x} #{cursor_y}'
		[ -z "$tmux_nap" ] || set -- run-shell -d "$tmux_nap" \; "$@"
		tmux_call "$@" || return 1
		read -r tmux_now tmux_cx tmux_cy <<EOF
$tmux_reply
EOF
		tmux_call capture-pane -p -t 0 -S "$tmux_cy" -E "$tmux_cy" || return 1
		tmux_row=${tmux_reply%"$tmux_nl"}
		# shellcheck disable=SC2254
		case $tmux_row in $tmux_prompt)
			[ "${#tmux_row}" -lt "$tmux_cx" ] && return 0 ;;
		esac
		[ -n "$tmux_end" ] || tmux_end=$((tmux_now + tmux_deadline))
		[ "$tmux_now" -lt "$tmux_end" ] || return 1
		tmux_nap_next
	done
}

# tmux_ready WHAT - before WHAT is typed: with $tmux_prompt set, until
# the prompt (said on stderr when it does not come), else until keys
# sent before show
tmux_ready() {
	if [ -n "${tmux_prompt:-}" ]; then
		at_prompt || echo "tmux-lib: no prompt for $1" >&2
	else
		tmux_settle
	fi
}

# keys KEY... - as tmux send-keys takes them (Enter, Tab, C-c, Up, F1);
# Ctrl-D alone at the prompt (tmux_ready)
keys() {
	case $* in
	C-d) tmux_ready Ctrl-D ;;
	*) tmux_settle ;;
	esac
	tmux_state send-keys -t 0 "$@"
	tmux_sent "$tmux_reply"
}

# type_line TEXT - typed as is, then Enter, at the prompt (tmux_ready:
# typed while the line before is being taken, the terminal itself would
# echo it, and the line editor show it again)
type_line() {
	tmux_ready "'$1'"
	case $1 in
	'') tmux_state send-keys -t 0 Enter ;;
	*) tmux_state send-keys -t 0 -l "$1" \; send-keys -t 0 Enter ;;
	esac
	tmux_sent "$tmux_reply"
}

# paste TEXT - as a terminal pastes it (bracketed, when the program
# asked), at the prompt (tmux_ready)
paste() {
	tmux_ready "the paste"
	tmux_state set-buffer -- "$1" \; paste-buffer -p -t 0
	tmux_sent "$tmux_reply"
}

# tmux_pid - the smtpref-interactive running in the terminal
tmux_pid() { pgrep -P "$(tm list-panes -t 0 -F '#{pane_pid}')" -f smtpref-interactive; }
