# SPDX-License-Identifier: GPL-3.0-or-later
# lesson-answers.awk - the model answers of a lesson file, in file order,
# one input line each, as a learner would type them to smtpref lesson
# run; a pipelined step's lines end with an empty line (the runner sends
# a group on an empty line).  For lessons without goto.
function flush() {
	if (n) {
		for (i = 1; i <= n; i++)
			print ans[i]
		if (piped)
			print ""
	}
	n = 0; piped = 0; inans = 0; blanks = 0
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
END { flush() }
