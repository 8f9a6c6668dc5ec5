# layers.sh - the layers of src/ (doc/DESIGN.md) hold: each folder includes
# only from itself and the folders below it, every project header is
# named with its folder, and no include forms a cycle between folders.
#
#   cli -> term -> console -> (net, lesson) -> core
#   report (bounces, logs, transcripts read) uses core; console, term and
#   cli may use it
. "$top_srcdir/tests/lib.sh"

cd "$top_srcdir/src" || exit 99

# allowed LAYER - the folders LAYER may include from
allowed() {
	case $1 in
	core) echo "core" ;;
	lesson) echo "lesson core" ;;
	net) echo "net core" ;;
	report) echo "report core" ;;
	console) echo "console lesson net report core" ;;
	term) echo "term console lesson net report core" ;;
	cli) echo "cli term console lesson net report core" ;;
	*) echo "" ;;
	esac
}

layers="core lesson net report console term cli"
for f in $(find . -name '*.[ch]' ! -name 'ref-tables.c' | sed 's|^\./||' | sort); do
	layer=${f%%/*}
	checks=$((checks + 1))
	case " $layers " in
	*" $layer "*) ;;
	*) fail "$f: not in a layer's folder ($layers)"; continue ;;
	esac
	ok=$(allowed "$layer")
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
	while IFS= read -r hit; do
		line=${hit%%:*}
		inc=$(printf '%s\n' "$hit" | sed 's/.*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/')
		[ "$inc" = config.h ] && continue
		case $inc in
		*/*) ;;
		*) echo "src/$f:$line: \"$inc\" names no folder (write \"LAYER/$inc\")"; continue ;;
		esac
		dir=${inc%%/*}
		case " $ok " in
		*" $dir "*) ;;
		*) echo "src/$f:$line: $layer may not include $inc (it may use: $ok)" ;;
		esac
	done >"$tmp/bad"
	if [ -s "$tmp/bad" ]; then
		fail "$(cat "$tmp/bad")"
	fi
done

finish
