#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/scripts/warncheck.sh: "no new warnings with W=1".  Rebuilds with
# W=1 every object made from a C or assembly file that the series adds or
# changes, in the patched tree and, with the same config, in the pristine
# tree, and fails on any warning of the patched build that the pristine
# build does not have (compared without line numbers).  Files the series
# adds have no baseline: all their warnings are new.
#
# usage: warncheck.sh NAME [FRAGMENT]   (after build.sh NAME, or alone)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

name=$1
frag=${2:-}
tree="$TCE_KCACHE/dev"
out="$TCE_KCACHE/build/$name"
pout="$TCE_KCACHE/build/$name-pristine"
pristine="$TCE_KCACHE/am"
repo=$(pristine_repo)
# (sh has no locals: these names must not clash with the loop below)
kmake() {
	_kdir=$1
	_kout=$2
	shift 2
	$KNICE make -C "$_kdir" O="$_kout" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" "$@"
}
if [ ! -f "$out/.config" ]; then
	# No full build (yet): configure and prepare, enough for single objects.
	case "$name" in
	kunit) defconfig=ppc64le_guest_defconfig ;;
	*) defconfig=$name ;;
	esac
	mkdir -p "$out"
	kmake "$tree" "$out" -s "$defconfig"
	if [ -n "$frag" ]; then
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" \
			"$out/.config" "$frag" >/dev/null
	fi
	kmake "$tree" "$out" -s olddefconfig
fi
kmake "$tree" "$out" -s -j"$KJOBS" prepare > "$out/prepare.log" 2>&1 ||
	{ tail "$out/prepare.log"; die "prepare failed"; }

objs=$(git -C "$tree" diff --name-only pristine HEAD -- '*.c' '*.S' |
	sed 's/\.[cS]$/.o/')
[ -n "$objs" ] || die "the series touches no C or assembly file"

# The pristine side: the same config in a pristine tree.
git -C "$pristine" am --abort >/dev/null 2>&1 || true
git -C "$pristine" checkout -q --detach pristine
git -C "$pristine" reset -q --hard pristine
mkdir -p "$pout"
cp "$out/.config" "$pout/.config"
kmake "$pristine" "$pout" -s olddefconfig
kmake "$pristine" "$pout" -s -j"$KJOBS" prepare > "$pout/prepare.log" 2>&1 ||
	{ tail "$pout/prepare.log"; die "pristine prepare failed"; }

# Compiler warnings about kernel files (not, say, bison's about genksyms).
norm() {
	grep -E '\.[chS]:[0-9]+(:[0-9]+)?: warning:' |
		sed -E "s#^($tree|$pristine)/##; s#:[0-9]+:[0-9]+:#:#; s#:[0-9]+:#:#" |
		sort -u
}

: > "$out/w1.log"
: > "$pout/w1.log"
for o in $objs; do
	# Warnings are printed only when an object is compiled: always compile.
	rm -f "$out/$o" "$pout/$o"
	kmake "$tree" "$out" W=1 "$o" >> "$out/w1.log" 2>&1 ||
		{ tail "$out/w1.log"; die "W=1 build of $o failed"; }
	if [ -e "$pristine/${o%.o}.c" ] || [ -e "$pristine/${o%.o}.S" ]; then
		kmake "$pristine" "$pout" W=1 "$o" >> "$pout/w1.log" 2>&1 ||
			{ tail "$pout/w1.log"; die "pristine W=1 build of $o failed"; }
	fi
done
norm < "$out/w1.log" > "$out/w1.warnings"
norm < "$pout/w1.log" > "$pout/w1.warnings"
new=$(comm -23 "$out/w1.warnings" "$pout/w1.warnings")
echo "$name: W=1 over the $(echo "$objs" | wc -w) objects the series touches: $(wc -l < "$out/w1.warnings") warnings patched, $(wc -l < "$pout/w1.warnings") pristine"
if [ -n "$new" ]; then
	echo "$new"
	die "$name: the series adds W=1 warnings"
fi
note "$name: no new W=1 warnings"
