#!/bin/sh
# completion.sh - the bash completion offers subcommands, tables and terms
. "$top_srcdir/tests/lib.sh"

bc=/usr/share/bash-completion/bash_completion
command -v bash >/dev/null 2>&1 || { echo "bash is needed" >&2; exit 99; }
[ -f "$bc" ] || { echo "bash-completion is needed (Debian: bash-completion)" >&2; exit 99; }
mkdir "$tmp/bin"
ln -s "$SMTPREF" "$tmp/bin/smtpref"

# complete WORDS... - what the completion offers for the last word
complete_words() {
	PATH="$tmp/bin:$PATH" bash -c '
		. "$1"; . "$2"; shift 2
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_smtpref smtpref "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$bc" "$top_srcdir/completion/smtpref" "$@" >"$tmp/out" 2>"$tmp/err"
}

complete_words smtpref pipe
expect_out '^PIPELINING$' "a keyword, typed in lower case"
complete_words smtpref li
expect_out '^list$' "the list subcommand"
complete_words smtpref list en
expect_out '^enhanced$' "a table after list"
complete_words smtpref 55
expect_out '^553$' "a reply code"
complete_words smtpref 553 STARTT
expect_out '^STARTTLS$' "a command as a later term"
complete_words smtpref --js
expect_out '^--json$' "an option"
complete_words smtpref sim
expect_out '^simulate$' "the simulate subcommand"
complete_words smtpref sh
expect_out '^shell$' "the shell subcommand"
complete_words smtpref shell --no
expect_out '^--no-hints$' "the shell's own options"
complete_words smtpref shell --persona gr
expect_out '^greylist$' "the shell's --persona takes a persona"
complete_words smtpref connect --star
expect_out '^--starttls$' "connect's own options"
complete_words smtpref connect --tu
expect_out '^--tui$' "connect's --tui"
complete_words smtpref connect --quit-a
expect_out '^--quit-after$' "the one-line client's options"
complete_words smtpref connect --to bob@example.org --quit-after R
expect_out '^RCPT$' "--quit-after's steps"
complete_words smtpref tui --les
expect_out '^--lesson$' "the TUI's --lesson"
complete_words smtpref tui --lesson 01
expect_out '^01-greeting$' "a lesson's name after --lesson"
complete_words smtpref tui --conn
expect_out '^--connect$' "the TUI's --connect"
complete_words smtpref tui --connect 127.0.0.1 --star
expect_out '^--starttls$' "connect's options after tui --connect"
complete_words smtpref shell --connect 127.0.0.1 --no-p
expect_out '^--no-pipelining$' "connect's options after shell --connect"
complete_words smtpref tui --no
expect_out '^--no-hints$' "the TUI's own options without --connect"
complete_words smtpref simulate --persona rf
expect_out '^rfc821$' "a persona after --persona"
complete_words smtpref simulate --pers
expect_out '^--persona$' "simulate's own options"
complete_words smtpref list pers
expect_out '^personas$' "personas after list"
complete_words smtpref les
expect_out '^lesson$' "the lesson subcommand"
complete_words smtpref lis
expect_out '^listen$' "the listen subcommand"
complete_words smtpref listen --mail
expect_out '^--maildir$' "listen's own options"
complete_words smtpref listen --persona su
expect_out '^submission$' "a persona after listen --persona"
complete_words smtpref listen --fault rc
expect_out '^RCPT:$' "a verb after --fault"
complete_words smtpref shell --lis
expect_out '^--listen$' "the shell's --listen"
complete_words smtpref lesson rec
expect_out '^receipt$' "a lesson subcommand"
complete_words smtpref lesson run 03
expect_out '^03-mail-transaction$' "a lesson's name after run"
complete_words smtpref lesson run --exp
expect_out '^--explain=$' "lesson run's own options"
complete_words smtpref exp
expect_out '^explain$' "the explain subcommand"
complete_words smtpref explain --js
expect_out '^--json$' "explain's own options"
complete_words smtpref list rea
expect_out '^reasons$' "reasons after list"
complete_words smtpref lesson verify --key
expect_out '^--key-file$' "verify's own options"
complete_words smtpref lesson cov
expect_out '^coverage$' "the coverage subcommand"
complete_words smtpref lesson coverage --st
expect_out '^--steps$' "coverage's own options"
complete_words smtpref lesson run ''
expect_out '^34-server-greylisting$' "every lesson's name after run"
expect_no_out '^==' "the part headings of lesson list are no lesson names"
finish
