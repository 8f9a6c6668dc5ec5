# SPDX-License-Identifier: GPL-3.0-or-later
# lesson-answers.awk - the model answers of a lesson file, in file order,
# one input line each, as a learner would type them to smtpref lesson
# run; a pipelined step's lines end with an empty line (the runner sends
# a group on an empty line).  For lessons without goto.
#
# With -v dir=DIR, for any number of lesson files: the answers of each
# go to DIR/NAME.in, and the names of those without goto are printed,
# one a line (an awk for the whole curriculum, not one a lesson).
FNR == 1 {
	if (NR > 1)
		next_file()
	name = FILENAME
	sub(/.*\//, "", name)
	sub(/\.lesson$/, "", name)
	dest = dir == "" ? "/dev/stdout" : dir "/" name ".in"
	printf "" > dest
	branches = 0
}
/^goto/ { branches = 1 }
function flush() {
	if (n) {
		for (i = 1; i <= n; i++)
			print ans[i] > dest
		if (piped)
			print "" > dest
	}
	n = 0; piped = 0; inans = 0; blanks = 0
}
# the end of a file: its last answers, and its name when it has no goto
function next_file() {
	flush()
	if (dir != "") {
		close(dest)
		if (!branches)
			print name
	}
}
/^(say|send|reply|ask|set|fault|label|goto|summary)(:|[ \t]|$)/ { flush(); next }
/^pipelined:[ \t]*yes/ { piped = 1; inans = 0; next }
/^answer:/ {
	inans = 1
	v = $0; sub(/^answer:[ \t]?/, "", v)
	if (v != "") ans[++n] = v
	next
}
inans && /^$/ { blanks++; next }
inans && /^[ \t]/ {
	while (blanks > 0) { ans[++n] = ""; blanks-- }
	v = $0; sub(/^  /, "", v)
	ans[++n] = v
	next
}
/^[a-z]/ { inans = 0; blanks = 0 }
END { if (NR > 0) next_file() }
