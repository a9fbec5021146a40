#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/scripts/tree.sh: applies kernel/patches with `git am` to the
# pristine 6.1 tree (proving that the series applies) and moves the build
# tree ($TCE_KTREE, by default $TCE_KCACHE/dev) to the result, touching only
# the files that differ so that object directories stay incremental.  Prints
# the build tree.
#
# usage: tree.sh PATCHDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

patches=$(cd "$1" && pwd)
repo=$(pristine_repo)
am="$TCE_KAM"
tree="$TCE_KTREE"

if [ ! -e "$am/.git" ]; then
	rm -rf "$am"
	git -C "$repo" worktree prune
	git -C "$repo" worktree add -q --detach "$am" pristine
fi
git -C "$am" am --abort >/dev/null 2>&1 || true
git -C "$am" checkout -q --detach pristine
git -C "$am" reset -q --hard pristine
git -C "$am" clean -q -f -d -x
set --
while read -r p; do
	set -- "$@" "$patches/$p"
done < "$patches/series"
git -C "$am" am -q "$@" || die "the series does not apply with git am"
head=$(git -C "$am" rev-parse HEAD)
note "git am: $# patches applied on pristine $(linux_version) -> $head"

if [ ! -e "$tree/.git" ]; then
	git -C "$repo" worktree prune
	git -C "$repo" worktree add -q --detach "$tree" "$head"
elif [ "$(git -C "$tree" rev-parse HEAD)" != "$head" ]; then
	if ! git -C "$tree" diff --quiet HEAD; then
		# Edited in place (development): fine if it already is $head.
		git -C "$tree" reset -q --soft "$head"
		git -C "$tree" reset -q
		git -C "$tree" diff --quiet ||
			die "$tree has local changes that are not the series"
	else
		git -C "$tree" checkout -q --detach "$head"
	fi
fi
git -C "$tree" diff --quiet HEAD || die "$tree is not clean"
echo "$tree"
