#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/test-scripts.sh: every shell and Python script of the tree parses (bash -n,
# python3's compile()).  Most of them drive QEMU guests and real dumps (tests/e2e,
# bench, fuzz) that `make check` does not run: a syntax error there would otherwise be
# found only by the next person to make a dump.  The checker itself must refuse a
# broken script of each kind.  Scripts are the tracked files (git checkout) or those of
# the release tarball, by extension or shebang.
set -eu
top=$(cd "${srcdir:-$(dirname "$0")/..}" && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3

# kind PATH: sh, py or nothing
kind() {
	case "$1" in
	tests/fixtures/* | kernel/patches/* | kernel/series/*) return 0 ;;
	*.py) echo py; return 0 ;;
	*.sh) echo sh; return 0 ;;
	esac
	case "$(head -n 1 "$2" 2>/dev/null)" in
	'#!'*python*) echo py ;;
	'#!'*sh) echo sh ;;
	esac
}

# parse KIND PATH: prints why PATH does not parse
parse() {
	case "$1" in
	sh) bash -n "$2" 2>&1 | head -n 3 ;;
	py) "$PY" -c 'import sys; src = open(sys.argv[1], "rb").read(); compile(src, sys.argv[1], "exec")' \
		"$2" 2>&1 | tail -n 1 ;;
	esac
}

printf '#!/bin/bash\nif true; then\n' >"$tmp/bad.sh"
printf "x = 'it's'\n" >"$tmp/bad.py"
printf '#!/bin/sh\necho ok\n' >"$tmp/good.sh"
if [ -z "$(parse sh "$tmp/bad.sh")" ] || [ -z "$(parse py "$tmp/bad.py")" ] ||
   [ -n "$(parse sh "$tmp/good.sh")" ]; then
	echo "test-scripts.sh: the checker itself is broken" >&2
	exit 99
fi
[ -x "$PY" ] || { echo "test-scripts.sh: SKIP: no python3"; exit 77; }

if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
	git -C "$top" ls-files >"$tmp/files"
else
	(cd "$top" && find . \( -name autom4te.cache -o -name _build -o -name _inst \) -prune -o \
		-type f -print | sed 's|^\./||') >"$tmp/files"
fi
n=0
bad=0
while read -r f; do
	[ -f "$top/$f" ] || continue
	k=$(kind "$f" "$top/$f")
	[ -n "$k" ] || continue
	n=$((n + 1))
	why=$(parse "$k" "$top/$f")
	if [ -n "$why" ]; then
		echo "$f: does not parse: $why"
		bad=$((bad + 1))
	fi
done <"$tmp/files"
echo "test-scripts.sh: $n scripts, $bad that do not parse"
[ "$bad" -eq 0 ] && [ "$n" -gt 0 ]
