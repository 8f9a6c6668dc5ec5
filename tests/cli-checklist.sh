#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-checklist.sh - every entry of the reference checklists is in the
# embedded tables.  The checklists live beside the repository
# (../shared/reference, or $SMTPREF_CHECKLIST); when they are absent, as
# in a release tarball, the test is skipped, unless SMTPREF_CHECKLIST was
# given, in which case a missing directory is a failure.
. "$top_srcdir/tests/lib.sh"

dir=${SMTPREF_CHECKLIST:-$top_srcdir/../shared/reference}
if [ ! -f "$dir/reply-codes.tsv" ]; then
	[ -n "${SMTPREF_CHECKLIST:-}" ] && { echo "no checklist in $dir" >&2; exit 1; }
	skip "the reference checklists are not in $dir (set SMTPREF_CHECKLIST)"
fi

# keys FILE COLUMN - the first column of a checklist, header skipped
keys() {
	tail -n +2 "$1" | cut -f"$2" | tr -d '\r' | grep -v '^$'
}

# present KIND LISTFILE KEY... - each KEY is a line of LISTFILE, one check
# a key, one awk for them all
present() {
	kind=$1 list=$2
	shift 2
	checks=$((checks + $#))
	printf '%s\n' "$@" | awk 'FNR == NR { have[$0] = 1; next } !($0 in have)' "$list" - >"$tmp/absent"
	while IFS= read -r k; do
		fail "$kind $k from the checklist is missing"
	done <"$tmp/absent"
}

"$SMTPREF" --json list codes | jq -r '.items[].code' >"$tmp/codes"
# shellcheck disable=SC2046
present "reply code" "$tmp/codes" $(keys "$dir/reply-codes.tsv" 1)

"$SMTPREF" --json list enhanced | jq -r '.items[].code' >"$tmp/enh"
# the checklist writes class and subject rows as 2.XXX.YYY, X.1.YYY
# shellcheck disable=SC2046
present "enhanced code" "$tmp/enh" $(keys "$dir/enhanced-status-codes.tsv" 2 | sed 's/XXX/X/; s/YYY/X/')

"$SMTPREF" --json list keywords | jq -r '.items[].keyword' >"$tmp/kw"
# shellcheck disable=SC2046
present "EHLO keyword" "$tmp/kw" $(keys "$dir/ehlo-keywords.tsv" 1)
# the keywords issue 2 names one by one
present "EHLO keyword" "$tmp/kw" 8BITMIME ATRN AUTH AUTH=LOGIN BINARYMIME CHECKPOINT CHUNKING DSN \
	ENHANCEDSTATUSCODES ENHANGEDSTATUSCODES ETRN EXPN HELP ONEX PIPELINING \
	RSET SAML SEND SIZE SOML TIME TLS TURN VERB VRFY X-EXPS X-EXPS=LOGIN \
	X-LINK2STATE X-RCPTLIMIT X-TURNME XADR XAUD XDSN XEXCH50 XGEN XONE XQUE \
	XREMOTEQUEUE XSTA XTRN XUSR XVRB STARTTLS DELIVERBY SMTPUTF8 REQUIRETLS \
	MT-PRIORITY FUTURERELEASE LIMITS
# each is marked as registered or seen in the wild, as the checklist says
"$SMTPREF" --json list keywords | jq -r '.items[] | .keyword + " " + .origin' >"$tmp/kworigin"
tail -n +2 "$dir/ehlo-keywords.tsv" | tr -d '\r' | awk -F '\t' '
	FNR == NR { have[$0] = 1; next }
	{ o = $2 ~ /^IANA/ ? "iana" : "wild"; if (!(($1 " " o) in have)) print $1 }' "$tmp/kworigin" - >"$tmp/badorigin"
checks=$((checks + 1))
[ -s "$tmp/badorigin" ] && fail "keywords marked with the wrong origin: $(tr '\n' ' ' <"$tmp/badorigin")"

"$SMTPREF" --json list commands | jq -r '.items[].verb' >"$tmp/verbs"
# shellcheck disable=SC2046
present "command" "$tmp/verbs" $(keys "$dir/commands.tsv" 1)

"$SMTPREF" --json list params | jq -r '.items[] | .param + " " + (.commands | join(" "))' >"$tmp/params"
tail -n +2 "$dir/mail-rcpt-params.tsv" | cut -f1,2 | tr '\t' ' ' | tr -d '\r' |
	awk 'FNR == NR { have[$0] = 1; next } $0 != "" && !($0 in have)' "$tmp/params" - >"$tmp/missing"
checks=$((checks + 1))
[ -s "$tmp/missing" ] && fail "parameters missing: $(tr '\n' ';' <"$tmp/missing")"

finish
