# SPDX-License-Identifier: GPL-3.0-or-later
# gentables.awk - turn data/*.rec into C tables, validating every record
#
# Usage: awk -f build-aux/gentables.awk data/*.rec > ref-tables.c
#
# Runs under any POSIX awk (mawk, gawk, busybox awk); run it with LC_ALL=C
# so that string comparisons are byte comparisons.  The record format and
# each file's fields are described in data/README.md.  Every problem is
# reported as "file:line: message" on stderr and makes the exit status 1,
# after all files have been read, so one run shows every error.

function err(file, line, msg) {
	printf "%s:%d: %s\n", file, line, msg > "/dev/stderr"
	nerr++
}

# schema - declare a table: its file, C struct, key field and fields.
# A field spec is NAME, NAME* (required), with a type after a colon:
# str (default), list, int (key code), codes (list of reply codes),
# verbs (list of verbs, CONNECT, DATA-END, ANY), enh (list of enhanced
# codes), kws (list of keywords), kw (one keyword or -), enables.
function schema(base, ctype, spec,    n, i, f, t, req) {
	tables[base] = 1
	tctype[base] = ctype
	n = split(spec, parts, " ")
	tnf[base] = n
	for (i = 1; i <= n; i++) {
		f = parts[i]; t = "str"
		if (index(f, ":")) { t = substr(f, index(f, ":") + 1); f = substr(f, 1, index(f, ":") - 1) }
		req = 0
		if (substr(f, length(f)) == "*") { req = 1; f = substr(f, 1, length(f) - 1) }
		tfield[base, i] = f
		ttype[base, i] = t
		treq[base, i] = req
		tidx[base, f] = i
	}
	tkey[base] = tfield[base, 1]
	nrec[base] = 0
}

function basename(path,    b) {
	b = path
	sub(/^.*\//, "", b)
	return b
}

function trim(s) {
	sub(/^[ ]+/, "", s)
	sub(/[ ]+$/, "", s)
	return s
}

BEGIN {
	nerr = 0
	schema("reply-classes.rec", "ref_class",
	    "Digit* Name* Meaning* Section*")
	schema("reply-codes.rec", "ref_code",
	    "Code*:int Text* Origin* Section* Commands*:verbs Ext-commands*:verbs Enhanced*:enh Summary* When* Causes* Action* Note")
	schema("enhanced-codes.rec", "ref_enhanced",
	    "Code*:enhkey Title* Basic*:codes Section* Summary* Explanation* Action Note")
	schema("keywords.rec", "ref_keyword",
	    "Keyword*:kwkey Origin*:origin Status*:kwstatus Source* Section* Parameters* Enables*:enables Summary* Explanation* Warning Note")
	schema("commands.rec", "ref_command",
	    "Verb*:verbkey Status*:cmdstatus Section* Keyword*:kw Phases*:phases Pipelining*:pipelining Syntax* Success*:codes Intermediate*:codes Errors*:codes Summary* Explanation* Example* Note")
	schema("params.rec", "ref_param",
	    "Param*:paramkey Commands*:verbs Keyword*:kws Section* Syntax* Value* Errors*:codes Summary* Explanation* Example* Note")
	schema("personas.rec", "ref_persona",
	    "Name*:namekey Summary* Explanation* Hostname* Greeting*:int Banner* Ehlo*:ehlo Keywords*:kws Keywords-tls:kws Size:num Auth-mechs:mechs Auth-policy*:authpolicy Tls-policy*:tlspolicy Plain-auth*:plainauth Max-rcpt*:num Rcpt-overflow*:int Vrfy*:vrfy Expn*:onoff Bare-lf*:barelf Greylist*:onoff Error-limit*:num Spool:num By-min:num Queue-delay:num Greylist-delay:num Empty-data:emptydata Note")
	schema("scenarios.rec", "ref_scenario",
	    "Name*:namekey Summary* Explanation* Helo* From* To*:addrs Body* Options*:scenopts Persona*:persona User Password Note")
	schema("world.rec", "ref_world",
	    "Address*:addrkey Kind*:worldkind Name Target Members:addrs Password Auth:acctauth Queue:num Note")
	schema("rules.rec", "ref_rule", "Rule*:rulekey Section*")
	schema("hints.rec", "ref_hint", "Rule*:rule Verb:verb Hint* Try")
	schema("meanings.rec", "ref_meaning", "Verb*:verb Code*:codeorclass Meaning* Section*")
	schema("reasons.rec", "ref_reason",
	    "Reason*:reasonkey Origin*:reasonorigin Summary* Explanation* Action* Retry*:retry Status*:enhx Codes*:enhcodes Section* Note")
	schema("bounce-texts.rec", "ref_btext",
	    "Text*:textkey Reason*:reason Who* Source* Example*:example Hosts:hosts Advice Note")
	classorder = "2xx 3xx 4xx 5xx x0x x1x x2x x3x x4x x5x"
	nclass = split(classorder, classlist, " ")
	for (i = 1; i <= nclass; i++) classrank[classlist[i]] = i
	okstatus["kwstatus"] = " current experimental obsolete historic vendor "
	okstatus["cmdstatus"] = " required optional extension obsolete lmtp vendor "
	okstatus["origin"] = " iana wild "
	okstatus["pipelining"] = " anywhere last "
	okphase = " greeted ready mail rcpt bdat "
	okstatus["ehlo"] = " accept reject hangup "
	okstatus["authpolicy"] = " none relay always "
	okstatus["tlspolicy"] = " optional required "
	okstatus["plainauth"] = " any tls "
	okstatus["vrfy"] = " verify cannot off "
	okstatus["onoff"] = " on off "
	okstatus["barelf"] = " accept reject "
	okstatus["emptydata"] = " refuse accept "
	okstatus["worldkind"] = " local relay nullmx node node-broken user forward moved full busy disabled list ambiguous reserved blocked "
	okstatus["acctauth"] = " ok transition tempfail strong "
	okstatus["reasonorigin"] = " sisimai smtpref "
	okstatus["retry"] = " never fix-first later none "
	okmech = " PLAIN LOGIN CRAM-MD5 "
	okscen = " pipelining starttls auth bdat helo-only 8bit smtputf8 size dsn "
	maxlen = 4000
	file = ""
}

# A new input file: close the record of the previous one.
FNR == 1 {
	if (file != "") endrecord()
	endfile()
	file = FILENAME
	base = basename(FILENAME)
	if (!(base in tables)) {
		err(file, 1, "unknown table file (expected one of the files in data/README.md)")
		base = ""
	} else if (base in seenfile) {
		err(file, 1, "table file given twice")
		base = ""
	}
	if (base != "") { seenfile[base] = 1; order[++nfiles] = base }
	inrec = 0
	lastfield = ""
	prevkey = ""
}

base == "" { next }

{
	line = $0
	sub(/\r$/, "", line)
	if (index(line, "\t")) { err(file, FNR, "tab character (use spaces)"); next }
	if (line ~ /[ ]$/) err(file, FNR, "trailing white space")
}

line ~ /^#/ { next }

line ~ /^[ ]*$/ { endrecord(); next }

line ~ /^\+( |$)/ {
	if (!inrec || lastfield == "") { err(file, FNR, "continuation line outside a field"); next }
	cont = (length(line) > 2) ? substr(line, 3) : ""
	rec[lastfield] = rec[lastfield] "\n" cont
	next
}

{
	c = index(line, ":")
	if (c < 2 || substr(line, c + 1, 1) != " " || substr(line, 1, c - 1) !~ /^[A-Z][A-Za-z-]*$/) {
		err(file, FNR, "expected 'Field: value', '+ continuation', a comment or a blank line")
		next
	}
	f = substr(line, 1, c - 1)
	v = trim(substr(line, c + 2))
	if (!inrec) { startrecord() }
	if (!((base, f) in tidx)) { err(file, FNR, "unknown field '" f "' in " base); lastfield = ""; next }
	if (f in rec) { err(file, FNR, "field '" f "' given twice in one record"); lastfield = ""; next }
	if (v == "") { err(file, FNR, "empty value for field '" f "'"); lastfield = ""; next }
	rec[f] = v
	recline[f] = FNR
	lastfield = f
}

function startrecord(    k) {
	for (k in rec) delete rec[k]
	for (k in recline) delete recline[k]
	inrec = 1
	recstart = FNR
}

function endfile() {
	inrec = 0
}

# endrecord - validate the record just read and store it for output
function endrecord(    i, f, t, v, n, r, key, sk) {
	if (!inrec) return
	inrec = 0
	lastfield = ""
	n = ++nrec[base]
	r = base SUBSEP n
	for (i = 1; i <= tnf[base]; i++) {
		f = tfield[base, i]; t = ttype[base, i]
		if (!(f in rec)) {
			if (treq[base, i]) err(file, recstart, "record has no '" f "' field")
			continue
		}
		v = rec[f]
		if (length(v) > maxlen) err(file, recline[f], "value of '" f "' is longer than " maxlen " bytes")
		checkvalue(t, f, v, recline[f])
		val[r, i] = v
		has[r, i] = 1
	}
	key = (tkey[base] in rec) ? rec[tkey[base]] : ""
	if (key == "") return
	if (base == "params.rec" && ("Commands" in rec)) key = key " " rec["Commands"]
	if (base == "hints.rec" && ("Verb" in rec)) key = key " " rec["Verb"]
	if (base == "meanings.rec" && ("Code" in rec)) key = key " " rec["Code"]
	if (base == "bounce-texts.rec" && ("Hosts" in rec)) key = key " " rec["Hosts"]
	if ((base, key) in keyline) {
		err(file, recstart, "duplicate key '" key "' (first at line " keyline[base, key] ")")
		return
	}
	keyline[base, key] = recstart
	sk = sortkey(base, key)
	if (prevkey != "" && sk <= prevkey)
		err(file, recstart, "'" key "' is out of order (records are sorted by key)")
	prevkey = sk
	if (base == "reply-codes.rec") havecode[key] = 1
	if (base == "enhanced-codes.rec") haveenh[key] = 1
	if (base == "keywords.rec") havekw[key] = 1
	if (base == "commands.rec") haveverb[key] = 1
	if (base == "params.rec") haveparam[rec["Param"]] = 1
	if (base == "personas.rec") havepersona[key] = 1
	if (base == "rules.rec") haverule[key] = 1
	if (base == "reasons.rec") havereason[key] = 1
	if (base == "bounce-texts.rec") checkexample(rec["Text"], ("Example" in rec) ? rec["Example"] : "", recline["Example"])
	if (base == "reply-classes.rec" && !(key in classrank))
		err(file, recstart, "unknown digit '" key "' (expected one of: " classorder ")")
}

function pad(n) { return sprintf("%04d", n) }

# sortkey - a string that sorts records the way the tables must be sorted
function sortkey(b, key,    p) {
	if (b == "reply-codes.rec") return pad(key + 0)
	if (b == "reply-classes.rec") return pad(classrank[key] + 0)
	if (b == "enhanced-codes.rec") {
		split(key, p, ".")
		if (p[2] == "X") return "0" pad(p[1] + 0)
		if (p[3] == "X") return "1" pad(p[2] + 0)
		return "2" pad(p[2] + 0) pad(p[3] + 0)
	}
	return key
}

# pending - remember a cross-reference, checked once every file is read
function pending(kind, v, line) {
	npend++
	pkind[npend] = kind; pval[npend] = v; pfile[npend] = file; pline[npend] = line
}

function checkvalue(t, f, v, line,    n, i, w, items) {
	if (t == "str") return
	if (t == "int") {
		if (v !~ /^[0-9][0-9][0-9]$/) { err(file, line, "'" v "' is not a three-digit reply code"); return }
		if (v !~ /^[2-5][0-5][0-9]$/) err(file, line, "reply code " v " is out of range (RFC 5321 4.2: 2-5, 0-5, 0-9)")
		return
	}
	if (t == "enhkey") {
		if (v !~ /^([245]\.X\.X|X\.(0|[1-9][0-9]?[0-9]?)\.X|X\.(0|[1-9][0-9]?[0-9]?)\.(0|[1-9][0-9]?[0-9]?))$/)
			err(file, line, "'" v "' is not an enhanced code key (2.X.X, X.1.X or X.1.1)")
		return
	}
	if (t == "kwkey") {
		if (v !~ /^[A-Z0-9][A-Z0-9-]*(=[A-Z0-9-]+)?$/) err(file, line, "'" v "' is not an upper-case EHLO keyword")
		return
	}
	if (t == "verbkey" || t == "paramkey") {
		if (v !~ /^[A-Z0-9][A-Z0-9-]*$/) err(file, line, "'" v "' is not an upper-case name")
		return
	}
	if (t == "rulekey") {
		if (v !~ /^[a-z0-9][a-z0-9-]*$/) err(file, line, "'" v "' is not a lower-case rule name")
		return
	}
	if (t == "namekey") {
		if (v !~ /^[a-z][a-z0-9-]*$/) err(file, line, "'" v "' is not a lower-case name")
		return
	}
	if (t == "addrkey") {
		if (v !~ /^([a-z0-9.+_-]+@)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/)
			err(file, line, "'" v "' is not a lower-case domain or local@domain")
		return
	}
	if (t == "persona") {
		pending("persona", v, line)
		return
	}
	if (t == "rule") {
		pending("rule", v, line)
		return
	}
	if (t == "verb") {
		if (v != "CONNECT" && v != "DATA-END" && v != "ANY") pending("verb", v, line)
		return
	}
	if (t == "codeorclass") {
		if (v ~ /^[2-5]xx$/) return
		if (v !~ /^[2-5][0-5][0-9]$/) err(file, line, "'" v "' is neither a reply code nor a class (2xx to 5xx)")
		else pending("code", v, line)
		return
	}
	if (t == "reasonkey") {
		if (v !~ /^[a-z]+$/) err(file, line, "'" v "' is not a lower-case reason name")
		return
	}
	if (t == "reason") {
		pending("reason", v, line)
		return
	}
	if (t == "enhx") {
		if (v != "-" && v !~ /^X\.[0-9]+\.[0-9]+$/) err(file, line, "'" v "' is not an enhanced code (X.1.1 form) or -")
		return
	}
	if (t == "textkey") {
		if (v ~ /[A-Z]/) err(file, line, "the text to look for is written in lower case (it is matched ignoring case)")
		if (v ~ /^\*|\*$|\*\*/) err(file, line, "a '*' stands between two pieces of text, never at an end or twice")
		if (length(v) < 4) err(file, line, "'" v "' is too short to tell one reply from another")
		return
	}
	if (t == "example") {
		if (v !~ /^[2-5][0-5][0-9]([ -]|$)/) err(file, line, "the example is a reply line as a server sends it: a code, then a space or '-'")
		return
	}
	if (t == "num") {
		if (v !~ /^[0-9]+$/ || length(v) > 12) err(file, line, "'" v "' is not a number")
		return
	}
	if (t in okstatus) {
		if (index(okstatus[t], " " v " ") == 0) err(file, line, "'" v "' is not one of:" okstatus[t])
		return
	}
	if (t == "kw") {
		if (v != "-") pending("kw", v, line)
		return
	}
	# the rest are lists
	if (v == "-") return
	if (v !~ /^[^ ]+( [^ ]+)*$/) { err(file, line, "list items are separated by single spaces"); return }
	n = split(v, items, " ")
	for (i = 1; i <= n; i++) {
		w = items[i]
		if (t == "codes") {
			if (w !~ /^[2-5][0-5][0-9]$/) err(file, line, "'" w "' is not a reply code")
			else pending("code", w, line)
		} else if (t == "verbs") {
			if (w != "CONNECT" && w != "DATA-END" && w != "ANY") pending("verb", w, line)
		} else if (t == "phases") {
			if (index(okphase, " " w " ") == 0) err(file, line, "'" w "' is not a phase (one of:" okphase ")")
		} else if (t == "enh") {
			if (w !~ /^X\.[0-9]+\.[0-9]+$/) err(file, line, "'" w "' is not an enhanced code (X.1.1 form)")
			else pending("enh", w, line)
		} else if (t == "kws") {
			pending("kw", w, line)
		} else if (t == "scenopts") {
			if (index(okscen, " " w " ") == 0) err(file, line, "'" w "' is not a scenario option (one of:" okscen ")")
		} else if (t == "mechs") {
			if (index(okmech, " " w " ") == 0) err(file, line, "'" w "' is not a mechanism (one of:" okmech ")")
		} else if (t == "addrs") {
			if (w !~ /^[a-z0-9.+_-]+@[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/) err(file, line, "'" w "' is not a lower-case local@domain")
		} else if (t == "enhcodes") {
			if (w !~ /^X\.[0-9]+\.[0-9]+$/) err(file, line, "'" w "' is not an enhanced code (X.1.1 form)")
			else if (w in enhreason) err(file, line, "enhanced code " w " already means " enhreason[w])
			else { enhreason[w] = rec["Reason"]; enhorder[++nenhreason] = w }
		} else if (t == "hosts") {
			if (w !~ /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/) err(file, line, "'" w "' is not a lower-case domain")
		} else if (t == "enables") {
			if (w ~ /^verb:/) pending("verb", substr(w, 6), line)
			else if (w ~ /^param:/) pending("param", substr(w, 7), line)
			else err(file, line, "'" w "' is neither verb:NAME nor param:NAME")
		}
	}
}

# squeeze - s in lower case with every run of white space made one space:
# how the program compares a server's text with the table's (report/)
function squeeze(s) {
	s = tolower(s)
	gsub(/[ \t\n]+/, " ", s)
	return s
}

# checkexample - a bounce text's example must hold the text, piece by
# piece in order; the pair of codes it carries is one seen in practice
function checkexample(text, ex, line,    n, i, pieces, hay, at, code, rest, q, key) {
	if (text == "" || ex == "") return
	hay = squeeze(ex)
	n = split(text, pieces, "*")
	for (i = 1; i <= n; i++) {
		at = index(hay, pieces[i])
		if (at == 0) {
			err(file, line, "the example does not contain '" pieces[i] "' (the text to look for, in order)")
			return
		}
		hay = substr(hay, at + length(pieces[i]))
	}
	code = substr(ex, 1, 3)
	rest = substr(ex, 5)
	if (match(rest, /^[245]\.[0-9]+\.[0-9]+/)) {
		split(substr(rest, 1, RLENGTH), q, ".")
		if (q[1] == substr(code, 1, 1)) {
			key = sprintf("%03d%04d%04d", code + 0, q[2] + 0, q[3] + 0)
			if (!(key in seenpair)) { seenpair[key] = 1; seenkeys[++nseen] = key }
		}
	}
}

# sortkeys - sort keys[1..n] in place (string order; n is small)
function sortkeys(keys, n,    i, j, v) {
	for (i = 2; i <= n; i++) {
		v = keys[i]
		for (j = i - 1; j >= 1 && keys[j] > v; j--) keys[j + 1] = keys[j]
		keys[j + 1] = v
	}
}

# cstr - a C string literal for s
function cstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	gsub(/\n/, "\\n", s)
	gsub(/\?\?/, "?\\?", s)
	return "\"" s "\""
}

END {
	if (file != "") endrecord()
	for (b in tables)
		if (!(b in seenfile)) err(b, 0, "table file missing from the command line")
	for (i = 1; i <= npend; i++) {
		k = pkind[i]; v = pval[i]
		if (k == "code" && !(v in havecode)) err(pfile[i], pline[i], "reply code " v " is not in reply-codes.rec")
		if (k == "verb" && !(v in haveverb)) err(pfile[i], pline[i], "verb " v " is not in commands.rec")
		if (k == "enh" && !(v in haveenh)) err(pfile[i], pline[i], "enhanced code " v " is not in enhanced-codes.rec")
		if (k == "kw" && !(v in havekw)) err(pfile[i], pline[i], "keyword " v " is not in keywords.rec")
		if (k == "param" && !(v in haveparam)) err(pfile[i], pline[i], "parameter " v " is not in params.rec")
		if (k == "persona" && !(v in havepersona)) err(pfile[i], pline[i], "persona " v " is not in personas.rec")
		if (k == "rule" && !(v in haverule)) err(pfile[i], pline[i], "rule " v " is not in rules.rec (the simulated server has no such rule)")
		if (k == "reason" && !(v in havereason)) err(pfile[i], pline[i], "reason " v " is not in reasons.rec")
	}
	if (nerr) {
		printf "gentables: %d error(s)\n", nerr > "/dev/stderr"
		exit 1
	}
	print "/* Generated by build-aux/gentables.awk from the files in data/: do not edit. */"
	print "#include <stddef.h>"
	print "#include \"core/ref.h\""
	for (fi = 1; fi <= nfiles; fi++) {
		b = order[fi]
		name = tctype[b]
		print ""
		printf "const struct %s %s_table[] = {\n", name, name
		for (n = 1; n <= nrec[b]; n++) {
			r = b SUBSEP n
			line = "\t{ "
			if (b == "enhanced-codes.rec") {
				split(val[r, 1], p, ".")
				if (p[2] == "X") line = line "REF_ENH_CLASS, " p[1] ", 0, "
				else if (p[3] == "X") line = line "REF_ENH_SUBJECT, " p[2] ", 0, "
				else line = line "REF_ENH_DETAIL, " p[2] ", " p[3] ", "
			}
			for (i = 1; i <= tnf[b]; i++) {
				if (i > 1) line = line ", "
				t = ttype[b, i]
				if (!((r, i) in has)) line = line ((t == "num") ? "-1" : "NULL")
				else if (t == "int" || t == "num") line = line (val[r, i] + 0)
				else if (val[r, i] == "-") line = line "\"\""
				else line = line cstr(val[r, i])
			}
			print line " },"
		}
		print "};"
		printf "const size_t %s_count = %d;\n", name, nrec[b]
	}
	# the pairs of codes the examples of bounce-texts.rec show in use
	sortkeys(seenkeys, nseen)
	print ""
	print "const struct ref_pair ref_pair_seen_table[] = {"
	for (i = 1; i <= nseen; i++)
		printf "\t{ %d, %d, %d },\n", substr(seenkeys[i], 1, 3) + 0, substr(seenkeys[i], 4, 4) + 0, substr(seenkeys[i], 8, 4) + 0
	print "};"
	printf "const size_t ref_pair_seen_count = %d;\n", nseen
	# the reason each enhanced code of reasons.rec stands for, by code
	for (i = 1; i <= nenhreason; i++) {
		split(enhorder[i], p, ".")
		ekeys[i] = sprintf("%04d%04d", p[2] + 0, p[3] + 0) " " enhreason[enhorder[i]]
	}
	sortkeys(ekeys, nenhreason)
	print ""
	print "const struct ref_enh_reason ref_enh_reason_table[] = {"
	for (i = 1; i <= nenhreason; i++)
		printf "\t{ %d, %d, %s },\n", substr(ekeys[i], 1, 4) + 0, substr(ekeys[i], 5, 4) + 0, cstr(substr(ekeys[i], 10))
	print "};"
	printf "const size_t ref_enh_reason_count = %d;\n", nenhreason
}
