# SPDX-License-Identifier: GPL-3.0-or-later
# completion-verdicts.awk - the cases of tests/completion-cases against
# what a shell's completion offered, one awk for them all (a grep a case
# cost a fork and an exec each).  Files: the offered lines ("LINE<TAB>
# CANDIDATE"), then the cases ("EXPECTED | LINE | WHAT": holds when
# "LINE<TAB>EXPECTED" is offered; "!EXPECTED | ...": when it is not).
# -v shell=NAME names the shell in the messages.  Prints a verdict a
# case, for lib.sh's tally: "ok", or "FAIL MESSAGE", which says what is
# offered for LINE when it lacks EXPECTED.
FNR == NR { offered[$0] = 1; lines[++n] = $0; next }
{
	i = index($0, "|")
	want = substr($0, 1, i - 1)
	rest = substr($0, i + 1)
	i = index(rest, "|")
	line = substr(rest, 1, i - 1)
	what = substr(rest, i + 1)
	if (want ~ /^!/) {
		if ((line "\t" substr(want, 2)) in offered)
			print "FAIL " shell ": " what ": \047" line "\047 offers " substr(want, 2)
		else
			print "ok"
	} else if ((line "\t" want) in offered)
		print "ok"
	else {
		got = ""
		for (k = 1; k <= n; k++)
			if (index(lines[k], line "\t")) {
				split(lines[k], f, "\t")
				got = got f[2] " "
			}
		print "FAIL " shell ": " what ": \047" line "\047 does not offer " want ": " substr(got, 1, 200)
	}
}
