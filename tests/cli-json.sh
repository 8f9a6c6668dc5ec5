#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-json.sh - the documented --json shapes, checked with jq
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/peers/lib.sh"

command -v jq >/dev/null 2>&1 || { echo "jq is needed (Debian: jq)" >&2; exit 99; }

# jrun ARGS... runs, and each jq_check FILTER DESCRIPTION after it must
# hold for its stdout (jq_check -s: for the array of the JSON Lines it
# printed); jq_checks at the end makes them all in one jq

jrun --json 553
expect_status 0 "--json 553"
jq_check '.smtpref_json == 1' "version key"
jq_check '.terms | length == 1' "one term"
jq_check '.terms[0].term == "553" and .terms[0].kind == "reply-code" and .terms[0].found' "term, kind, found"
jq_check '.terms[0].results[0] | .type == "reply-code" and .code == 553' "type and code"
jq_check '.terms[0].results[0] | (.text|type) == "string" and (.summary|type) == "string"' "text and summary"
jq_check '.terms[0].results[0] | .class.digit == "5xx" and .category.digit == "x5x"' "class and category"
jq_check '.terms[0].results[0] | (.commands|index("MAIL")) != null and (.commands|index("RCPT")) != null' "commands array"
jq_check '.terms[0].results[0] | has("when") and has("causes") and has("action") and has("enhanced") and has("section") and has("note") and has("extension_commands")' "every key present"

jrun --json 5.1.1 X.2.2
jq_check '.terms[0].results[0] | .type == "enhanced-code" and .code == "5.1.1" and .class.code == "5.X.X" and .subject.code == "X.1.X" and .detail.code == "X.1.1"' "enhanced code shape"
jq_check '.terms[0].results[0].detail.basic_codes | index("550") != null' "basic codes"
jq_check '.terms[1].results[0] | .code == "X.2.2" and .class == null' "no class for X.2.2"

jrun --json 5xx
jq_check '.terms[0].results[0] | .type == "code-range" and .pattern == "5xx" and (.codes | length) >= 14 and .category == null' "range shape"

jrun --json '5.7.*'
jq_check '.terms[0].results[0] | .type == "enhanced-subject" and (.codes | map(.code) | index("5.7.1")) != null' "subject shape"

jrun --json help
jq_check '.terms[0].kind == "word" and (.terms[0].results | map(.type)) == ["command", "keyword"]' "HELP is a command and a keyword"
jq_check '.terms[0].results[0] | .verb == "HELP" and (.any_command == ["421", "500", "501"])' "command shape"
jq_check '.terms[0].results[0] | .pipelining == "last" and (.phases | index("greeted")) != null' "HELP may be sent at any time, last in a group"
jq_check '.terms[0].results[1] | .keyword == "HELP" and (.origin == "iana" or .origin == "wild") and (.enables|type) == "array"' "keyword shape"

jrun --json MAIL RCPT DATA
jq_check '[.terms[].results[0].phases] == [["ready"], ["mail", "rcpt"], ["rcpt"]]' "transaction verbs by phase (RFC 5321 3.3)"
jq_check '[.terms[].results[0].pipelining] == ["anywhere", "anywhere", "last"]' "RFC 2920 3.1 positions"

jrun --json NOTIFY=
jq_check '.terms[0].results[0] | .type == "parameter" and .param == "NOTIFY" and .commands == ["RCPT"] and .keywords == ["DSN"]' "parameter shape"

jrun --json '550 5.1.1 <bob@example.org>: Recipient address rejected'
jq_check '.terms[0].kind == "reply-line"' "reply-line kind"
jq_check '.terms[0].results[0] | .type == "reply-line" and .code == 550 and .enhanced == "5.1.1" and .last_line == true' "reply line fields"
jq_check '.terms[0].results[0] | .text == "<bob@example.org>: Recipient address rejected"' "text after the codes"
jq_check '.terms[0].results[0] | .reply[0].code == 550 and .enhanced_code[0].code == "5.1.1"' "nested entries"

jrun --json '250-SIZE 10240000'
jq_check '.terms[0].results[0] | .type == "ehlo-line" and .keyword == "SIZE" and .parameters == ["10240000"] and .last_line == false' "ehlo line shape"
jq_check '.terms[0].results[0].info[0].type == "keyword"' "ehlo line keyword entry"

jrun --json NOSUCHTHING 553
expect_status 1 "--json with a missing term"
jq_check '.terms[0].found == false and .terms[0].results == [] and (.terms[0].suggestions|type) == "array"' "missing term"
jq_check '.terms[1].found == true' "found term after a missing one"

jrun --json 559
jq_check '.terms[0].suggestions | index("550") != null' "suggestions in JSON"

for t in codes enhanced keywords commands params; do
	jrun --json list "$t"
	expect_status 0 "--json list $t"
	jq_check ".list == \"$t\" and (.items | length) > 20 and (.items | all(has(\"type\")))" "list $t shape"
done

jrun --json search greylist
jq_check '(.search == ["greylist"]) and (.results | length) > 0' "search shape"

# Bytes that are not UTF-8 in a pasted line still give valid JSON
jrun --json "$(printf '550 5.7.1 bad \377 byte')"
jq_check '.terms[0].results[0].text | contains("\ufffd")' "invalid UTF-8 replaced"

jq_checks
finish
