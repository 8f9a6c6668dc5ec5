# SPDX-License-Identifier: GPL-3.0-or-later
# gencomp.awk - write a shell's completion for smtpref from
# completion/commands and the data tables, checking the command table
#
# Usage: awk -v shell=bash|zsh|fish -v template=completion/smtpref.bash.in \
#            -f build-aux/gencomp.awk completion/commands \
#            data/personas.rec data/scenarios.rec data/reply-codes.rec \
#            data/keywords.rec data/commands.rec > completion/smtpref
#
# The template is the shell's completion code; its line @TABLE@ becomes
# the table, one row a line, fields separated by tabs:
#
#   CONTEXT  sub      NAME  -      -     DESCRIPTION   a subcommand
#   CONTEXT  opt      LONG  SHORT  ARG   DESCRIPTION   an option (- for none)
#   CONTEXT  operand  -     -      TYPE  DESCRIPTION   what the operands are
#   TYPE     value    WORD  -      -     DESCRIPTION   persona, scenario, term
#
# with ARG and TYPE as completion/commands describes them.  The three
# templates read the same rows the same way.  Runs under any POSIX awk;
# every problem is reported as "file:line: message" on stderr, and the
# exit status is then 1 (nothing is written).

function err(line, msg) {
	printf "%s:%d: %s\n", cmdfile, line, msg > "/dev/stderr"
	nerr++
}

function basename(path,    b) {
	b = path
	sub(/^.*\//, "", b)
	return b
}

# short_desc - the first sentence of a summary, at most 60 characters
function short_desc(s) {
	sub(/\. .*$/, "", s)
	sub(/\.$/, "", s)
	if (length(s) > 60) {
		s = substr(s, 1, 57)
		sub(/ [^ ]*$/, "", s)
		s = s "..."
	}
	return s
}

# valid_type - TYPE is one completion/commands knows
function valid_type(t) {
	if (t ~ /^(persona|scenario|term|lesson|file|dir|host|text)$/)
		return 1
	if (t ~ /^file:[A-Za-z0-9]+$/)
		return 1
	return t ~ /^[a-z0-9][a-z0-9-]*(,[a-z0-9][a-z0-9-]*)+$/
}

function row(ctx, kind, long, short, arg, desc) {
	rows[++nrows] = ctx "\t" kind "\t" long "\t" short "\t" arg "\t" desc
}

# ---- completion/commands ---------------------------------------------------

FNR == 1 {
	file = basename(FILENAME)
	if (file == "commands")
		cmdfile = FILENAME
}

file == "commands" && /^[ \t]*(#|$)/ { next }

file == "commands" {
	if (NF < 4) {
		err(FNR, "a line is CONTEXT WORD ARGUMENT DESCRIPTION")
		next
	}
	nctx = split($1, ctxs, ",")
	word = $2
	arg = $3
	desc = $0
	for (i = 1; i <= 3; i++)
		sub(/^[ \t]*[^ \t]+[ \t]+/, "", desc)
	for (c = 1; c <= nctx; c++) {
		ctx = ctxs[c]
		if (ctx !~ /^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)*$/) {
			err(FNR, "bad context '" ctx "'")
			continue
		}
		used[ctx] = FNR
		if (word == "@") {
			if (!valid_type(arg))
				err(FNR, "unknown operand type '" arg "'")
			else if ((ctx, "@") in seen)
				err(FNR, ctx "'s operands are already described on line " seen[ctx, "@"])
			else {
				seen[ctx, "@"] = FNR
				row(ctx, "operand", "-", "-", arg, desc)
			}
		} else if (word ~ /^[a-z][a-z0-9-]*$/) {
			if (arg != "-")
				err(FNR, "a subcommand takes no argument here (write -)")
			sub_ctx = ctx == "smtpref" ? word : ctx "/" word
			if (sub_ctx in declared)
				err(FNR, "subcommand " sub_ctx " declared twice")
			declared[sub_ctx] = FNR
			row(ctx, "sub", word, "-", "-", desc)
		} else if (word ~ /^(-[A-Za-z0-9],)?--[a-z][a-z0-9-]*$/ || word ~ /^-[A-Za-z0-9]$/) {
			long = word; short = "-"
			if (word ~ /^-[A-Za-z0-9],/) {
				short = substr(word, 1, 2)
				long = substr(word, 4)
			} else if (word ~ /^-[A-Za-z0-9]$/) {
				short = word
				long = "-"
			}
			if (arg == "-" || substr(arg, 1, 1) == ">")
				;
			else if (arg ~ /^\[.*\]$/) {
				if (!valid_type(substr(arg, 2, length(arg) - 2)))
					err(FNR, "unknown argument type '" arg "'")
			} else if (!valid_type(arg))
				err(FNR, "unknown argument type '" arg "'")
			if (substr(arg, 1, 1) == ">")
				switches[FNR] = substr(arg, 2)
			if (long != "-" && (ctx, long) in seen)
				err(FNR, ctx " " long " is already on line " seen[ctx, long])
			if (short != "-" && (ctx, short) in seen)
				err(FNR, ctx " " short " is already on line " seen[ctx, short])
			if (long != "-")
				seen[ctx, long] = FNR
			if (short != "-")
				seen[ctx, short] = FNR
			row(ctx, "opt", long, short, arg, desc)
		} else
			err(FNR, "bad word '" word "' (a subcommand, -x, --long, -x,--long or @)")
	}
	next
}

# ---- the data tables: the names that complete, with their summaries ------

/^[A-Z][A-Za-z-]*: / {
	field = $1
	sub(/:$/, "", field)
	value = $0
	sub(/^[^:]*: /, "", value)
	if ((file == "personas.rec" || file == "scenarios.rec") && field == "Name")
		key = value
	else if (file == "reply-codes.rec" && field == "Code")
		key = value
	else if (file == "keywords.rec" && field == "Keyword")
		key = value
	else if (file == "commands.rec" && field == "Verb")
		key = value
	else if (field == "Summary" && key != "") {
		type = file == "personas.rec" ? "persona" : file == "scenarios.rec" ? "scenario" : "term"
		if (!((type, key) in valued)) {
			valued[type, key] = 1
			row(type, "value", key, "-", "-", short_desc(value))
		}
		key = ""
	}
	next
}

/^$/ { key = "" }

# ---- the shell's syntax ----------------------------------------------------

# quote - s as a single-quoted word of the shell
function quote(s) {
	if (shell == "fish") {
		gsub(/\\/, "\\\\", s)
		gsub(/'/, "\\'", s)
		return "'" s "'"
	}
	gsub(/'/, "'\\''", s)
	return "'" s "'"
}

END {
	if (shell !~ /^(bash|zsh|fish)$/) {
		print "gencomp.awk: -v shell= must be bash, zsh or fish" > "/dev/stderr"
		exit 1
	}
	for (ctx in used)
		if (ctx != "smtpref" && !(ctx in declared))
			err(used[ctx], "context " ctx " is no subcommand (declare it: PARENT NAME - DESCRIPTION)")
	for (l in switches)
		if (!(switches[l] in declared))
			err(l, ">" switches[l] " names no subcommand")
	if (nerr)
		exit 1
	table = ""
	for (i = 1; i <= nrows; i++)
		table = table rows[i] "\n"
	while ((getline line < template) > 0) {
		if (line == "@TABLE@") {
			if (shell == "fish")
				print "set -g __smtpref_table " quote(table)
			else
				print "_smtpref_table=" quote(table)
		} else
			print line
	}
	close(template)
}
