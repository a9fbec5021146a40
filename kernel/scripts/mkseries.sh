#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/scripts/mkseries.sh: makes the patch series in kernel/patches from
# its one source of truth: each new file comes from kernel/src or
# kernel/kunit byte for byte, each change to an existing file from
# kernel/series/NNNN.diff, each commit message from kernel/series/NNNN.msg.
# The commits are made on the pristine 6.1 tree with fixed identities and
# dates and exported with `git format-patch --zero-commit`, so the same
# sources always give the same bytes.
#
# usage: mkseries.sh KERNEL_SRCDIR OUTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

ksrc=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
repo=$(pristine_repo)
work="$TCE_KCACHE/series-work"

if [ ! -e "$work/.git" ]; then
	rm -rf "$work"
	git -C "$repo" worktree prune
	git -C "$repo" worktree add -q --detach "$work" pristine
fi
git -C "$work" checkout -q --detach pristine
git -C "$work" reset -q --hard pristine
git -C "$work" clean -q -f -d -x

for msg in "$ksrc"/series/[0-9][0-9][0-9][0-9].msg; do
	n=${msg%.msg}
	if [ -s "$n.diff" ]; then
		git -C "$work" apply --whitespace=error-all "$n.diff"
	fi
	if [ -f "$n.files" ]; then
		while read -r f; do
			[ -n "$f" ] || continue
			if [ -f "$ksrc/src/$f" ]; then
				from="$ksrc/src/$f"
			elif [ -f "$ksrc/kunit/$f" ]; then
				from="$ksrc/kunit/$f"
			else
				die "$n.files: $f is in neither kernel/src nor kernel/kunit"
			fi
			mkdir -p "$work/$(dirname "$f")"
			cp "$from" "$work/$f"
			# Debian's tree ignores everything at the top level.
			git -C "$work" add -f "$f"
		done < "$n.files"
	fi
	git -C "$work" add -u
	git -C "$work" commit -q -F "$msg"
done

mkdir -p "$out"
rm -f "$out"/[0-9][0-9][0-9][0-9]-*.patch
git -C "$work" format-patch -q --zero-commit --no-signature -o "$out" pristine..HEAD
(cd "$out" && ls [0-9][0-9][0-9][0-9]-*.patch) > "$out/series"
note "series of $(wc -l < "$out/series") patches in $out"
