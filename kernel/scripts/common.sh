# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# kernel/scripts/common.sh: the cache layout and tree helpers shared by every
# script that touches a Linux tree.  Everything big (the unpacked 6.1 source,
# work trees, object directories, QEMU images) lives in the user's cache, keyed
# so that a second run reuses it, never in the repository.

set -eu

: "${KERNEL_CACHE:=}"
: "${TCE_KCACHE:=${KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/kernel}}"
# The build tree tree.sh makes and build.sh builds, and the tree git am runs
# in (worktrees of the pristine repository): a caller that must not share
# them (tests/e2e/patched-kernel.sh) gives its own.
: "${TCE_KTREE:=$TCE_KCACHE/dev}"
: "${TCE_KAM:=$TCE_KCACHE/am}"
# LINUX_SRC: a 6.1 source tarball or an unpacked 6.1 tree (configure's
# --with-linux); Debian's linux-source-6.1 by default.
: "${LINUX_SRC:=/usr/src/linux-source-6.1.tar.xz}"
[ -n "$LINUX_SRC" ] || LINUX_SRC=/usr/src/linux-source-6.1.tar.xz
: "${ARCH:=powerpc}"
: "${CROSS_COMPILE:=powerpc64le-linux-gnu-}"
[ -n "$CROSS_COMPILE" ] || CROSS_COMPILE=powerpc64le-linux-gnu-
export ARCH CROSS_COMPILE
# The machine is shared: kernel builds run niced, two jobs unless told.
: "${KERNEL_JOBS:=2}"
KJOBS=$KERNEL_JOBS
KNICE="nice -n 10"

# Fixed dates make every generated commit, and so every generated patch
# file, byte-identical from one run to the next.  Identities are not fixed
# here: mkseries.sh takes the sender's from git config (see there); the
# work trees' own commits (tree.sh, the pristine repository) use this one.
GIT_AUTHOR_NAME="tce-inspect build"
GIT_AUTHOR_EMAIL="build@tce-inspect.invalid"
GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME"
GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
GIT_AUTHOR_DATE="2025-01-01T00:00:00Z"
GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE

die() {
	echo "$0: $*" >&2
	exit 1
}

note() {
	echo "[kernel] $*" >&2
}

# The source's version, read without unpacking a tarball twice.
linux_version() {
	if [ -d "$LINUX_SRC" ]; then
		mk="$LINUX_SRC/Makefile"
		v=$(sed -n 's/^VERSION = //p' "$mk")
		p=$(sed -n 's/^PATCHLEVEL = //p' "$mk")
		s=$(sed -n 's/^SUBLEVEL = //p' "$mk")
		echo "$v.$p.$s"
	elif [ -f "$LINUX_SRC" ]; then
		# Only the top-level Makefile: its directory is the first entry.
		top=$(tar -tf "$LINUX_SRC" 2>/dev/null | head -n 1 | cut -d/ -f1)
		tar -xOf "$LINUX_SRC" "$top/Makefile" |
			awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3} END{print v"."p"."s}'
	else
		die "no Linux source at $LINUX_SRC (install linux-source-6.1 or use --with-linux=DIR)"
	fi
}

# pristine_repo: prints the git repository holding the untouched source, with
# the tag "pristine"; creates it on first use.
pristine_repo() {
	ver=$(linux_version)
	case "$ver" in
	6.1.*) ;;
	*) die "$LINUX_SRC is Linux $ver, not 6.1" ;;
	esac
	repo="$TCE_KCACHE/linux-$ver"
	if git -C "$repo" rev-parse -q --verify pristine >/dev/null 2>&1; then
		echo "$repo"
		return
	fi
	note "creating the pristine $ver repository in $repo (once)"
	rm -rf "$repo.tmp"
	mkdir -p "$repo.tmp"
	if [ -d "$LINUX_SRC" ]; then
		(cd "$LINUX_SRC" && tar --exclude=.git -cf - .) | tar -C "$repo.tmp" -xf -
	else
		tar -C "$repo.tmp" --strip-components=1 -xf "$LINUX_SRC"
	fi
	git -C "$repo.tmp" init -q
	git -C "$repo.tmp" config core.autocrlf false
	git -C "$repo.tmp" config gc.auto 0
	git -C "$repo.tmp" add -A -f .
	git -C "$repo.tmp" commit -q -m "Linux $ver (pristine)"
	git -C "$repo.tmp" tag pristine
	rm -rf "$repo"
	mv "$repo.tmp" "$repo"
	echo "$repo"
}

# A hash of the files named (or of stdin with "-"), used as a cache key.
hash_files() {
	cat "$@" | sha256sum | cut -c1-16
}
