#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# build-tree-decoy.sh - a decoy smtpref installed at the configured
# directories is never what the build tree runs, and is what an installed
# copy runs.  The decoy is put where `make install` would put smtpref,
# $(pkglibexecdir) and $(pkgdatadir), in a mount namespace of this test
# alone (unshare -rm, then an overlay on the configured directories, so
# that the real files stay visible): nothing outside the test sees it.

if [ -z "${SMTPREF_DECOY_NS:-}" ]; then
	command -v unshare >/dev/null 2>&1 ||
		{ echo "SKIP: unshare (util-linux) is not installed" >&2; exit 77; }
	unshare -rm true 2>/dev/null ||
		{ echo "SKIP: this machine does not allow unshare -rm (user and mount namespaces)" >&2; exit 77; }
	SMTPREF_DECOY_NS=1 exec unshare -rm sh "$0" "$@"
fi
. "$top_srcdir/tests/lib.sh"

unset SMTPREF_LIBEXECDIR SMTPREF_LESSON_DIR SMTPREF_LESSON_PATH
: "${pkglibexecdir:?make check sets pkglibexecdir}" "${pkgdatadir:?make check sets pkgdatadir}"
builddir=$(cd "$(dirname "$SMTPREF")" && pwd)

# overlay DIR - DIR exists, and can be written, in this namespace only: an
# overlay (the real files stay visible under it) on its nearest existing
# ancestor, unless one is laid there already
overlays=
overlay() {
	case " $overlays " in
	*" $1 "*) return ;;
	esac
	for o in $overlays; do
		case $1/ in "$o"/*) mkdir -p "$1"; return ;; esac
	done
	top=$1
	while [ ! -d "$top" ]; do top=$(dirname "$top"); done
	[ "$top" = / ] && skip "the configured directory $1 has no parent but /"
	n=$(echo $overlays | wc -w)
	mkdir -p "$tmp/overlay$n/up" "$tmp/overlay$n/work"
	mount -t overlay overlay \
		-o "lowerdir=$top,upperdir=$tmp/overlay$n/up,workdir=$tmp/overlay$n/work" "$top" ||
		skip "this kernel does not allow an overlay on $top in a user namespace"
	overlays="$overlays $top"
	mkdir -p "$1"
}
overlay "$pkglibexecdir"
overlay "$pkgdatadir/lessons"

# the decoy: a fake smtpref-interactive and a lesson of its own
printf '#!/bin/sh\necho "the decoy smtpref-interactive ran"\nexit 42\n' >"$pkglibexecdir/smtpref-interactive"
chmod +x "$pkglibexecdir/smtpref-interactive"
cp "$top_srcdir/lessons/01-greeting.lesson" "$pkgdatadir/lessons/99-decoy.lesson"
# an installed smtpref: the same program, with no build tree beside it
mkdir "$tmp/installed"
cp "$SMTPREF" "$tmp/installed/smtpref"

# 1. The build tree's smtpref runs its own smtpref-interactive and lessons.
printf 'EHLO client.example\nQUIT\n' >"$tmp/session"
run shell --explain=off <"$tmp/session"
expect_status 0 "the build tree's shell, with a decoy installed"
expect_out '^221 ' "the build tree's shell runs a whole session"
expect_no_out 'decoy' "the build tree's shell is not the decoy"
run lesson list
expect_status 0 "the build tree's lesson list, with a decoy installed"
expect_out '^01-greeting ' "the build tree's lessons"
expect_no_out '99-decoy' "not the installed ones"

# 2. The installed copy uses the configured directories: the decoy.
"$tmp/installed/smtpref" shell <"$tmp/session" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 42 "the installed copy runs the installed smtpref-interactive"
expect_out 'the decoy smtpref-interactive ran' "which is the decoy"
cp "$builddir/smtpref-interactive" "$pkglibexecdir/smtpref-interactive"
"$tmp/installed/smtpref" lesson list >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "the installed copy's lesson list"
expect_out '^99-decoy ' "the installed copy lists the installed lessons"
expect_no_out '^01-greeting ' "not the build tree's"

finish
