#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# completion-zsh-tmux.sh - the zsh completion offers what the bash one
# does: zsh with compinit in a scratch ZDOTDIR, on a terminal that tmux
# types into (the cases of tests/completion-cases, then Tab)
. "$top_srcdir/tests/lib.sh"

command -v zsh >/dev/null 2>&1 || skip "zsh is not installed (Debian: zsh)"
. "$top_srcdir/tests/tmux-lib.sh"
comp=$top_builddir/completion/_smtpref
[ -f "$comp" ] || { echo "$comp is not built (make)" >&2; exit 99; }
mkdir "$tmp/bin" "$tmp/zdot" "$tmp/fpath"
ln -s "$SMTPREF" "$tmp/bin/smtpref"
cp "$comp" "$tmp/fpath/_smtpref"
cat >"$tmp/zdot/.zshrc" <<EOF
PS1='zsh> '
# only the functions completion needs: compinit then reads a few
# hundred files, not every completion of the system
fpath=('$tmp/fpath' \${(M)fpath:#*/functions/Completion(|/Base|/Unix|/Zsh)})
autoload -U compinit
compinit -u -D
unsetopt beep
EOF

tmux_open 160x50 "ZDOTDIR='$tmp/zdot' HOME='$tmp/home' PATH='$tmp/bin:$PATH' TERM=xterm-256color zsh -i"
wait_for '^zsh>' "zsh starts with compinit"

# shown WORD - the screen shows WORD as a candidate (a word of its own,
# or a --opt=WORD, with no letter after it)
# each case's WORD as an ERE (its . [ \ * ^ $ escaped) first: one awk
# for all, not a sed for each
grep -v '^#' "$top_srcdir/tests/completion-cases" |
	sed 's/ *| */|/g; s/^ *//; s/ *$//' |
	awk -F'|' '{
		p = ""
		for (i = 1; i <= length($1); i++) {
			c = substr($1, i, 1)
			p = p (index(".[\\*^$", c) ? "\\" : "") c
		}
		print p "|" $0
	}' >"$tmp/cases"
while IFS='|' read -r pat want line what; do
	case $want in !*) continue ;; esac
	# a fresh line on a clear screen, then the line and Tab (typed ahead:
	# zsh reads them in order)
	tm send-keys -t 0 C-u C-l
	wait_for '^zsh>$' "zsh: a clear screen before '$line'"
	tm send-keys -t 0 -l "$line" \; send-keys -t 0 Tab
	wait_for "(^|[ =])$pat( |\$)" "zsh: $what: '$line' offers $want"
done <"$tmp/cases"

finish
