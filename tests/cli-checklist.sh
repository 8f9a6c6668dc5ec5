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

# present KIND KEY LISTFILE
present() {
	checks=$((checks + 1))
	grep -qxF -- "$2" "$3" || fail "$1 $2 from the checklist is missing"
}

"$SMTPREF" --json list codes | jq -r '.items[].code' >"$tmp/codes"
for k in $(keys "$dir/reply-codes.tsv" 1); do present "reply code" "$k" "$tmp/codes"; done

"$SMTPREF" --json list enhanced | jq -r '.items[].code' >"$tmp/enh"
for k in $(keys "$dir/enhanced-status-codes.tsv" 2); do
	# the checklist writes class and subject rows as 2.XXX.YYY, X.1.YYY
	k=$(printf '%s' "$k" | sed 's/XXX/X/; s/YYY/X/')
	present "enhanced code" "$k" "$tmp/enh"
done

"$SMTPREF" --json list keywords | jq -r '.items[].keyword' >"$tmp/kw"
for k in $(keys "$dir/ehlo-keywords.tsv" 1); do present "EHLO keyword" "$k" "$tmp/kw"; done
# the keywords issue 2 names one by one
for k in 8BITMIME ATRN AUTH AUTH=LOGIN BINARYMIME CHECKPOINT CHUNKING DSN \
	ENHANCEDSTATUSCODES ENHANGEDSTATUSCODES ETRN EXPN HELP ONEX PIPELINING \
	RSET SAML SEND SIZE SOML TIME TLS TURN VERB VRFY X-EXPS X-EXPS=LOGIN \
	X-LINK2STATE X-RCPTLIMIT X-TURNME XADR XAUD XDSN XEXCH50 XGEN XONE XQUE \
	XREMOTEQUEUE XSTA XTRN XUSR XVRB STARTTLS DELIVERBY SMTPUTF8 REQUIRETLS \
	MT-PRIORITY FUTURERELEASE LIMITS; do
	present "EHLO keyword" "$k" "$tmp/kw"
done
# each is marked as registered or seen in the wild, as the checklist says
"$SMTPREF" --json list keywords | jq -r '.items[] | .keyword + " " + .origin' >"$tmp/kworigin"
tail -n +2 "$dir/ehlo-keywords.tsv" | cut -f1,2 | while IFS="$(printf '\t')" read -r k src; do
	case "$src" in IANA*) o=iana ;; *) o=wild ;; esac
	grep -qxF "$k $o" "$tmp/kworigin" || echo "$k"
done >"$tmp/badorigin"
checks=$((checks + 1))
[ -s "$tmp/badorigin" ] && fail "keywords marked with the wrong origin: $(tr '\n' ' ' <"$tmp/badorigin")"

"$SMTPREF" --json list commands | jq -r '.items[].verb' >"$tmp/verbs"
for k in $(keys "$dir/commands.tsv" 1); do present "command" "$k" "$tmp/verbs"; done

"$SMTPREF" --json list params | jq -r '.items[] | .param + " " + (.commands | join(" "))' >"$tmp/params"
tail -n +2 "$dir/mail-rcpt-params.tsv" | cut -f1,2 | tr '\t' ' ' | tr -d '\r' | while read -r line; do
	grep -qxF -- "$line" "$tmp/params" || echo "$line"
done >"$tmp/missing"
checks=$((checks + 1))
[ -s "$tmp/missing" ] && fail "parameters missing: $(tr '\n' ';' <"$tmp/missing")"

finish
