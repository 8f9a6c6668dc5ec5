#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# completion.sh - the bash completion offers subcommands, options, tables
# and terms (tests/completion-cases, the cases the zsh and fish
# completions meet too); the command table they are written from
# (completion/commands) holds every option and subcommand each --help
# shows, and no other; the generator refuses a broken table
. "$top_srcdir/tests/lib.sh"

bc=/usr/share/bash-completion/bash_completion
command -v bash >/dev/null 2>&1 || { echo "bash is needed" >&2; exit 99; }
[ -f "$bc" ] || { echo "bash-completion is needed (Debian: bash-completion)" >&2; exit 99; }
comp=$top_builddir/completion/smtpref
[ -f "$comp" ] || { echo "$comp is not built (make)" >&2; exit 99; }
mkdir "$tmp/bin"
ln -s "$SMTPREF" "$tmp/bin/smtpref"

# complete LINE... - for each LINE, what the completion offers for its
# last word: "LINE<TAB>WORD" lines in $tmp/out.  One bash for them all:
# loading bash-completion takes longer than completing.
complete_lines() {
	PATH="$tmp/bin:$PATH" bash -c '
		. "$1"; . "$2"; shift 2
		for line; do
			read -ra COMP_WORDS <<<"$line"
			[[ $line == *" " ]] && COMP_WORDS+=("")
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMP_LINE=$line; COMP_POINT=${#COMP_LINE}
			COMPREPLY=()
			_smtpref smtpref "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
			for w in "${COMPREPLY[@]}"; do printf "%s\t%s\n" "$line" "$w"; done
		done' sh "$bc" "$comp" "$@" >"$tmp/out" 2>"$tmp/err"
}

# the cases, each "EXPECTED | LINE | WHAT"
grep -v '^#' "$top_srcdir/tests/completion-cases" |
	sed 's/ *| */|/g; s/^ *//; s/ *$//' >"$tmp/cases"
while IFS='|' read -r want line what; do
	set -- "$@" "$line"
done <"$tmp/cases"
complete_lines "$@" "smtpref lesson " "smtpref connect --save " "smtpref lesson run "
cp "$tmp/out" "$tmp/offered"
while IFS='|' read -r want line what; do
	checks=$((checks + 1))
	case $want in
	!*) grep -qxF -- "$line	${want#!}" "$tmp/offered" &&
		fail "bash: $what: '$line' offers ${want#!}" ;;
	*) grep -qxF -- "$line	$want" "$tmp/offered" ||
		fail "bash: $what: '$line' does not offer $want: $(grep -F -- "$line	" "$tmp/offered" | cut -f2 | tr '\n' ' ' | head -c 200)" ;;
	esac
done <"$tmp/cases"

# An empty word after a subcommand offers its operands, and after --opt
# the option's argument.
grep -Fx "smtpref lesson 	run" "$tmp/offered" >"$tmp/out"
expect_out 'run$' "the lesson subcommands after 'lesson '"
grep -F "smtpref connect --save 	" "$tmp/offered" >"$tmp/out"
expect_no_out '	--' "after --save, a file, not an option"
grep -F "smtpref lesson run 	" "$tmp/offered" >"$tmp/out"
expect_out '	34-server-greylisting$' "every lesson's name after run"
expect_no_out '	==' "the part headings of lesson list are no lesson names"

# ---- the table holds what each --help shows ----------------------------
# opts_of_help - the options of a --help's option lines, one a line
opts_of_help() {
	sed -n 's/^ \{1,8\}\(-[-A-Za-z0-9][^ ,]*\(, -[-A-Za-z0-9][^ ,]*\)*\).*/\1/p' |
		tr ',' '\n' | sed 's/^ *//; s/[=[].*//; s/ .*//' | grep -E '^-' | sort -u
}
# opts_of_table CONTEXT... - the options the table gives those contexts
# and the subcommands below them (lesson: lesson/run, lesson/list...)
opts_of_table() {
	for ctx in "$@"; do
		awk -v c="$ctx" '!/^#/ && NF >= 4 {
			n = split($1, cs, ",")
			for (i = 1; i <= n; i++)
				if ((cs[i] == c || index(cs[i], c "/") == 1) && $2 ~ /^-/) {
					m = split($2, o, ",")
					for (j = 1; j <= m; j++) print o[j]
				}
		}' "$top_srcdir/completion/commands"
	done | sort -u
}
# same WHAT FILE1 FILE2
same() {
	checks=$((checks + 1))
	if ! cmp -s "$2" "$3"; then
		fail "$1: completion/commands and --help differ: $(diff "$2" "$3" | grep '^[<>]' | tr '\n' ' ')"
	fi
}
"$SMTPREF" --help | opts_of_help >"$tmp/help"
opts_of_table smtpref >"$tmp/table"
same "smtpref" "$tmp/table" "$tmp/help"
for sub in simulate shell tui connect; do
	"$SMTPREF" $sub --help | opts_of_help >"$tmp/help"
	opts_of_table $sub >"$tmp/table"
	same "smtpref $sub" "$tmp/table" "$tmp/help"
done
"$SMTPREF" lesson --help | opts_of_help >"$tmp/help"
opts_of_table lesson >"$tmp/table"
same "smtpref lesson" "$tmp/table" "$tmp/help"
# the subcommands: those the usage lines name
"$SMTPREF" --help | sed -n 's/^ *\(Usage: \)\{0,1\}smtpref \(\[OPTION\]\.\.\. \)\{0,1\}\([a-z][a-z]*\).*/\3/p' | sort -u >"$tmp/help"
awk '$1 == "smtpref" && $2 ~ /^[a-z]/ { print $2 }' "$top_srcdir/completion/commands" | sort -u >"$tmp/table"
same "the subcommands" "$tmp/table" "$tmp/help"
"$SMTPREF" lesson --help | sed -n 's/^ *\(Usage: \)\{0,1\}smtpref lesson \([a-z][a-z]*\).*/\2/p' | sort -u >"$tmp/help"
awk '$1 == "lesson" && $2 ~ /^[a-z]/ { print $2 }' "$top_srcdir/completion/commands" | sort -u >"$tmp/table"
same "the lesson subcommands" "$tmp/table" "$tmp/help"

# ---- the generator refuses a broken table, naming the line ---------------
gen() {
	(cd "$top_srcdir" && LC_ALL=C awk -v shell=bash -v template=completion/smtpref.bash.in \
		-f build-aux/gencomp.awk "$tmp/commands" data/personas.rec) >"$tmp/out" 2>"$tmp/err"
	status=$?
}
printf 'smtpref --x  colour  a bad type\n' >"$tmp/commands"
gen
expect_status 1 "an unknown argument type"
expect_err "commands:1: unknown argument type 'colour'" "names the line and the type"
printf 'smtpref x - x\nsmtpref --y - y\nnowhere --z - z\nsmtpref --y - again\n' >"$tmp/commands"
gen
expect_status 1 "a context that is no subcommand, a repeated option"
expect_err "commands:4: smtpref --y is already on line 2" "a repeated option"
expect_err "commands:3: context nowhere is no subcommand" "an undeclared context"
expect_empty_out "nothing is written when the table is broken"

finish
