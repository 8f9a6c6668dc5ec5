# SPDX-License-Identifier: GPL-3.0-or-later
# layers.sh - the layers of src/ (doc/DESIGN.md) hold: each folder includes
# only from itself and the folders below it, every project header is
# named with its folder, and no include forms a cycle between folders.
#
#   cli -> term -> console -> (net, lesson) -> core
#   report (bounces, logs, transcripts read) uses core; console, term and
#   cli may use it
. "$top_srcdir/tests/lib.sh"

cd "$top_srcdir/src" || exit 99

layers="core lesson net report console term cli"
find . -name '*.[ch]' ! -name 'ref-tables.c' | sed 's|^\./||' | sort >"$tmp/files"
# every include that breaks the rules, as "FILE<TAB>src/FILE:LINE: why";
# one awk for the whole tree, not a process per line
# shellcheck disable=SC2046
awk -v layers="$layers" '
BEGIN {
	n = split(layers, l, " ")
	for (i = 1; i <= n; i++)
		known[l[i]] = 1
}
FNR == 1 { layer = FILENAME; sub(/\/.*/, "", layer) }
/^[[:space:]]*#[[:space:]]*include[[:space:]]*"/ {
	inc = $0
	sub(/^[^"]*"/, "", inc)
	sub(/".*/, "", inc)
	if (inc == "config.h" || !(layer in known))
		next
	if (index(inc, "/") == 0) {
		printf "%s\tsrc/%s:%d: \"%s\" names no folder (write \"LAYER/%s\")\n", FILENAME, FILENAME, FNR, inc, inc
		next
	}
	dir = inc
	sub(/\/.*/, "", dir)
	if (index(" " allowed(layer) " ", " " dir " ") == 0)
		printf "%s\tsrc/%s:%d: %s may not include %s (it may use: %s)\n", FILENAME, FILENAME, FNR, layer, inc, allowed(layer)
}
function allowed(x) {
	if (x == "core") return "core"
	if (x == "lesson") return "lesson core"
	if (x == "net") return "net core"
	if (x == "report") return "report core"
	if (x == "console") return "console lesson net report core"
	if (x == "term") return "term console lesson net report core"
	if (x == "cli") return "cli term console lesson net report core"
	return ""
}' $(cat "$tmp/files") >"$tmp/bad"
while IFS= read -r f; do
	layer=${f%%/*}
	checks=$((checks + 1))
	case " $layers " in
	*" $layer "*) ;;
	*) fail "$f: not in a layer's folder ($layers)"; continue ;;
	esac
	[ -s "$tmp/bad" ] || continue
	grep "^$f	" "$tmp/bad" | cut -f 2- >"$tmp/why"
	[ -s "$tmp/why" ] && fail "$(cat "$tmp/why")"
done <"$tmp/files"

finish
