#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/tests/test-series.sh: the series in kernel/patches is what its
# sources say, so that the host tests test the code that ships: every file
# a patch adds is byte-identical to its copy in kernel/src or kernel/kunit,
# every source file there is added by some patch, and the changes each
# patch makes to existing files are exactly kernel/series/NNNN.diff.
# Needs no kernel tree.  Prints TAP.
set -eu
d=${KERNEL_SRCDIR:-$(dirname "$0")/..}
d=$(cd "$d" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	fail=1
}

# The added file $2 as patch $1 has it.
added() {
	awk -v want="$2" '
		/^diff --git / { infile = ($3 == "a/" want); newf = 0; hunk = 0; next }
		infile && /^new file mode/ { newf = 1; next }
		infile && newf && /^@@ / { hunk = 1; next }
		infile && hunk && /^\+/ { print substr($0, 2); next }
		{ hunk = 0 }
	' "$1"
}

# The +/- lines of a diff, for files other than those listed in $2.
changes() {
	awk -v skip="$2" '
		BEGIN { while ((getline l < skip) > 0) s["a/" l] = 1 }
		/^diff --git / { keep = !($3 in s); next }
		/^(\+\+\+|---) / { next }
		keep && /^[-+]/ { print }
	' "$1"
}

all_files="$tmp/all"
: > "$all_files"
for msg in "$d"/series/[0-9][0-9][0-9][0-9].msg; do
	num=$(basename "$msg" .msg)
	patch=$(ls "$d"/patches/"$num"-*.patch 2>/dev/null | head -n 1)
	if [ -z "$patch" ]; then
		not_ok "patch $num exists"
		continue
	fi
	ok "patch $num exists: $(basename "$patch")"
	files="$d/series/$num.files"
	if [ ! -f "$files" ]; then
		: > "$tmp/none"
		files="$tmp/none"
	fi
	cat "$files" >> "$all_files"
	while read -r f; do
		[ -n "$f" ] || continue
		src="$d/src/$f"
		[ -f "$src" ] || src="$d/kunit/$f"
		added "$patch" "$f" > "$tmp/got"
		if [ -f "$src" ] && cmp -s "$tmp/got" "$src"; then
			ok "$num adds $f byte for byte"
		else
			not_ok "$num adds $f byte for byte"
			diff "$src" "$tmp/got" | head -n 10 | sed 's/^/# /'
		fi
	done < "$files"
	changes "$patch" "$files" > "$tmp/p"
	changes "$d/series/$num.diff" "$files" > "$tmp/s"
	if cmp -s "$tmp/p" "$tmp/s"; then
		ok "$num changes existing files exactly as series/$num.diff"
	else
		not_ok "$num changes existing files exactly as series/$num.diff"
		diff "$tmp/s" "$tmp/p" | head -n 10 | sed 's/^/# /'
	fi
done

# Every file of kernel/src and kernel/kunit ships.  An in-tree build (configure
# run in the source directory) leaves its objects, dependency files and
# stamps beside these sources: they are not sources.
for top in src kunit; do
	for f in $(cd "$d/$top" && find . \( -name .deps -o -name .libs \) -prune -o \
		-type f ! -name .dirstamp ! -name '*.o' ! -name '*.obj' \
		! -name '*.lo' ! -name '*.gcno' ! -name '*.gcda' -print |
		sed 's#^\./##' | sort); do
		if grep -qx "$f" "$all_files"; then
			ok "$top/$f is in the series"
		else
			not_ok "$top/$f is in the series"
		fi
	done
done

# The pristine files the host tests build the series' hunks into
# (tests/shipped.sh) are Linux 6.1's: checked against the pristine 6.1
# repository the kernel targets keep in the cache, when there is one.
cache=${KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/kernel}
pristine=$(ls -d "$cache"/linux-6.1.* 2>/dev/null | head -n 1 || true)
for f in $(cd "$d/tests/linux-6.1" && find . -type f | sed 's#^\./##' | sort); do
	if [ -n "$pristine" ] && [ -f "$pristine/$f" ]; then
		if cmp -s "$d/tests/linux-6.1/$f" "$pristine/$f"; then
			ok "tests/linux-6.1/$f is $(basename "$pristine")'s"
		else
			not_ok "tests/linux-6.1/$f is $(basename "$pristine")'s"
		fi
	else
		ok "tests/linux-6.1/$f # SKIP no pristine 6.1 tree in $cache"
	fi
done

echo "1..$n"
exit $fail
