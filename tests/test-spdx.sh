#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/test-spdx.sh: every source file carries its licence as an SPDX line, first
# (after a shebang), and the licence is the one README.md's "Licence" section gives its
# place: libtce/ LGPL-2.1-or-later; kernel/src and kernel/kunit (kernel code, in the
# series) GPL-2.0; the rest of kernel/ GPL-2.0-only; everything else GPL-2.0-or-later.
# Source files are those with a source extension or a shebang: the tracked ones in a
# git checkout, else (a release tarball) those under $srcdir that no build made.
# Data (tests/fixtures) and the generated series (kernel/patches) carry no comments.
set -eu
top=$(cd "${srcdir:-$(dirname "$0")/..}" && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The licence a file must carry, by where it is.
want() {
	case "$1" in
	libtce/*) echo LGPL-2.1-or-later ;;
	kernel/src/* | kernel/kunit/*) echo GPL-2.0 ;;
	kernel/*) echo GPL-2.0-only ;;
	*) echo GPL-2.0-or-later ;;
	esac
}

is_source() {
	case "$1" in
	kernel/patches/* | kernel/series/* | tests/fixtures/*) return 1 ;;
	*.c | *.h | *.S | *.py | *.sh | *.am | *.inc | *.ac | *.in | *.frag | *.1 | \
	*.map | *.supp | *.config) return 0 ;;
	esac
	[ "$(head -c 2 "$2" 2>/dev/null)" = "#!" ]
}

# check REL PATH: prints what is wrong with the SPDX line of PATH (REL in the tree).
check() {
	first=$(head -n 1 "$2")
	case "$first" in
	'#!'*) line=$(sed -n 2p "$2") ;;
	*) line=$first ;;
	esac
	case "$line" in
	*SPDX-License-Identifier:*) ;;
	*) echo "$1: no SPDX-License-Identifier line first (after a shebang)"; return ;;
	esac
	got=$(echo "$line" | sed 's/.*SPDX-License-Identifier: *\([^ ]*\).*/\1/')
	w=$(want "$1")
	[ "$got" = "$w" ] || echo "$1: SPDX-License-Identifier $got, expected $w"
}

# The checker itself flags a file without the line and one with the wrong licence.
printf '/*\n * no licence\n */\n' > "$tmp/bad.c"
printf '#!/bin/sh\n# SPDX-License-Identifier: GPL-2.0-or-later\n' > "$tmp/good.sh"
printf '// SPDX-License-Identifier: GPL-2.0-or-later\n' > "$tmp/wrong.c"
if [ -z "$(check x.c "$tmp/bad.c")" ] || [ -n "$(check x.sh "$tmp/good.sh")" ] ||
   [ -z "$(check libtce/x.c "$tmp/wrong.c")" ]; then
	echo "test-spdx.sh: the checker itself is broken" >&2
	exit 99
fi

if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
	git -C "$top" ls-files > "$tmp/files"
	from="git ls-files"
else
	# A tarball, perhaps with a build inside it (in-tree, or distcheck's _build):
	# skip what autotools and builds make.
	(cd "$top" && find . \
		\( -name autom4te.cache -o -name build-aux -o -name m4 -o -name .deps \
		   -o -name .libs -o -name _build -o -name _inst \) -prune -o \
		-type f ! -name config.h ! -name config.h.in ! -name Makefile.in \
		! -name configure ! -name config.status ! -name libtool \
		! -name aclocal.m4 -print) | sed 's#^\./##' | sort > "$tmp/found"
	# and any other build tree below the source (./configure run in a subdirectory)
	grep '/config\.status$' "$tmp/found" | sed 's#config\.status$##' > "$tmp/builds" || true
	if [ -s "$tmp/builds" ]; then
		grep -v -F -f "$tmp/builds" "$tmp/found" > "$tmp/files" || true
	else
		cp "$tmp/found" "$tmp/files"
	fi
	from="find $top"
fi

n=0
: > "$tmp/bad"
while IFS= read -r f; do
	[ -f "$top/$f" ] || continue
	is_source "$f" "$top/$f" || continue
	n=$((n + 1))
	check "$f" "$top/$f" >> "$tmp/bad"
done < "$tmp/files"

if [ -s "$tmp/bad" ]; then
	cat "$tmp/bad"
	echo "test-spdx.sh: $(wc -l < "$tmp/bad") of $n source files ($from) lack the right SPDX line"
	exit 1
fi
echo "test-spdx.sh: $n source files ($from), each with its SPDX line"
