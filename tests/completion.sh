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
# each case a check, made by one awk
awk -v shell=bash -f "$top_srcdir/tests/completion-verdicts.awk" \
	"$tmp/offered" "$tmp/cases" >"$tmp/verdicts"
tally "$tmp/verdicts"

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
# Each --help into a file, then one awk (where a pipeline of five or six
# programs a comparison cost a fork and an exec each) holds them to the
# table, a check a comparison: the options of each --help's option lines
# (1 to 8 spaces, then options separated by ", ", each as far as "=",
# "[" or a space) against those the table gives that context and the
# subcommands below it (lesson: lesson/run, lesson/list...); and the
# subcommands that the usage lines of smtpref's and lesson's --help name
# against the table's.
"$SMTPREF" --help >"$tmp/help.smtpref"
for sub in simulate shell tui connect lesson; do
	"$SMTPREF" $sub --help >"$tmp/help.$sub"
done
awk '
	function add(set, c, w) { set[c, w] = 1; words[c, w] = 1 }
	# the options of a --help line of context c
	function help_opts(c, line,   n, i, t, toks) {
		if (!match(line, /^ +-/) || RLENGTH - 1 > 8)
			return
		line = substr(line, RLENGTH)
		if (!match(line, /^-[-A-Za-z0-9][^ ,]*(, -[-A-Za-z0-9][^ ,]*)*/))
			return
		n = split(substr(line, 1, RLENGTH), toks, ",")
		for (i = 1; i <= n; i++) {
			t = toks[i]
			sub(/^ */, "", t)
			sub(/=.*/, "", t)
			sub(/\[.*/, "", t)
			sub(/ .*/, "", t)
			if (t ~ /^-/)
				add(help, c, t)
		}
	}
	# the subcommand a usage line names after "smtpref " and prefix p
	function usage_sub(c, p, line) {
		sub(/^ */, "", line)
		if (substr(line, 1, 7) == "Usage: ")
			line = substr(line, 8)
		if (substr(line, 1, length(p)) != p)
			return
		line = substr(line, length(p) + 1)
		if (p == "smtpref " && substr(line, 1, 12) == "[OPTION]... ")
			line = substr(line, 13)
		if (match(line, /^[a-z]+/))
			add(help, c, substr(line, 1, RLENGTH))
	}
	FNR == 1 && FILENAME != table {
		ctx = FILENAME
		sub(/.*\/help\./, "", ctx)
	}
	FILENAME == table {
		if (!/^#/ && NF >= 4 && $2 ~ /^-/) {
			n = split($1, cs, ",")
			for (c in contexts)
				for (i = 1; i <= n; i++)
					if (cs[i] == c || index(cs[i], c "/") == 1) {
						m = split($2, o, ",")
						for (j = 1; j <= m; j++)
							add(tbl, c, o[j])
					}
		}
		if ($1 == "smtpref" && $2 ~ /^[a-z]/)
			add(tbl, "the subcommands", $2)
		if ($1 == "lesson" && $2 ~ /^[a-z]/)
			add(tbl, "the lesson subcommands", $2)
		next
	}
	{ help_opts(ctx, $0) }
	ctx == "smtpref" { usage_sub("the subcommands", "smtpref ", $0) }
	ctx == "lesson" { usage_sub("the lesson subcommands", "smtpref lesson ", $0) }
	BEGIN {
		split("smtpref simulate shell tui connect lesson", cl, " ")
		for (i in cl)
			contexts[cl[i]] = 1
		table = ARGV[1]
	}
	END {
		for (i = 1; i <= 8; i++) {
			c = i <= 6 ? cl[i] : i == 7 ? "the subcommands" : "the lesson subcommands"
			d = ""
			for (k in words) {
				split(k, kw, SUBSEP)
				if (kw[1] != c)
					continue
				if (!((c, kw[2]) in help))
					d = d "< " kw[2] " "
				else if (!((c, kw[2]) in tbl))
					d = d "> " kw[2] " "
			}
			print (d == "" ? "ok " : "FAIL ") (i <= 6 && c != "smtpref" ? "smtpref " c : c) \
				": completion/commands and --help differ: " d
		}
	}' "$top_srcdir/completion/commands" "$tmp"/help.smtpref "$tmp"/help.simulate \
	"$tmp"/help.shell "$tmp"/help.tui "$tmp"/help.connect "$tmp"/help.lesson >"$tmp/verdicts"
tally "$tmp/verdicts"

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
