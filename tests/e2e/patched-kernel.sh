#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/patched-kernel.sh: builds (once) the project's patched Linux 6.1 (kernel/patches,
# the real-mode H_PUT_TCE / H_PUT_TCE_INDIRECT / H_STUFF_TCE handlers, applied on Debian's
# linux-source-6.1 by kernel/scripts/tree.sh) with DWARF, and prints the path of its vmlinux.
# It is the kernel of mkdump.sh's pnv8-hcall-patched and pnv-vfio-patched recipes: the
# config is the one the kernel part's own demonstration boots (kernel/qemu/kunit.config on
# ppc64le_guest_defconfig: KVM-HV, VFIO, vfio-pci and e1000e built in, 64K pages), with the
# toolchain's DWARF instead of no debug information, so that tce-inspect can read the dump
# with -s VMLINUX.
#
# The series is PATCHES (default kernel/patches: a directory with a series file), applied by
# tree.sh in trees of this script's own (TCE_KCACHE/e2e-am, e2e-dev), never the kernel part's
# dev tree, which its own targets move.  The build is kernel/scripts/build.sh's, as NAME
# kunit-dwarf: in ${TCE_KCACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/kernel}/build/
# kunit-dwarf, keyed by the series commit, the compiler and the fragment, niced,
# KERNEL_JOBS (default 2) jobs; a second run with the same key only prints the path: when the
# series (its series file and patches), kunit.config, this script and the cross compiler are
# what the last good build was made from (kunit-dwarf.inputs beside the build, with the
# build's key) neither git am nor make runs again.  QEMU's powernv loads at most 128 MiB
# of kernel: VMLINUX.boot beside it is a copy without the DWARF (objcopy --strip-debug keeps
# the build id), the one to boot.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
KSCRIPTS="$HERE/../../kernel/scripts"
: "${TCE_KCACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/kernel}"
: "${PATCHES:=$HERE/../../kernel/patches}"
TCE_KTREE="$TCE_KCACHE/e2e-dev"
TCE_KAM="$TCE_KCACHE/e2e-am"
export TCE_KCACHE TCE_KTREE TCE_KAM
die() { printf 'patched-kernel.sh: error: %s\n' "$*" >&2; exit 1; }
command -v powerpc64le-linux-gnu-objcopy >/dev/null || die "no powerpc64le-linux-gnu-objcopy (apt-get install binutils-powerpc64le-linux-gnu)"

vml="$TCE_KCACHE/build/kunit-dwarf/vmlinux"
# What the build is made from; with the build's key after it in kunit-dwarf.inputs once
# the build is done.  The same inputs give the same tree (tree.sh's git am has fixed
# identities and dates) and the same build.
inputs=$( {
	cat "$PATCHES/series"
	while read -r p; do cat "$PATCHES/$p"; done <"$PATCHES/series"
	cat "$HERE/../../kernel/qemu/kunit.config" "$HERE/patched-kernel.sh"
	powerpc64le-linux-gnu-gcc --version 2>/dev/null | head -n 1
} | sha256sum | cut -c1-16)
stamp="$TCE_KCACHE/build/kunit-dwarf.inputs"
bkey=$(cat "$TCE_KCACHE/build/kunit-dwarf/.tce-key" 2>/dev/null || true)
if [ -f "$stamp" ] && [ -f "$vml" ] && [ -f "$vml.boot" ] && [ ! "$vml.boot" -ot "$vml" ] &&
	[ "$(cat "$stamp")" = "$inputs $bkey" ]; then
	echo "patched-kernel.sh: cached build $bkey (inputs $inputs)" >&2
	echo "$vml"
	exit 0
fi
rm -f "$stamp"

# The tree: the series applied with git am (the tree moves only when the series changed).
"$KSCRIPTS/tree.sh" "$PATCHES" >/dev/null || die "tree.sh $PATCHES failed"
# The fragment: kunit.config, DWARF instead of none.
frag="$TCE_KCACHE/build/kunit-dwarf.config"
mkdir -p "$TCE_KCACHE/build"
{
	grep -v '^CONFIG_DEBUG_INFO_NONE=' "$HERE/../../kernel/qemu/kunit.config"
	echo 'CONFIG_DEBUG_INFO_NONE=n'
	echo 'CONFIG_DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT=y'
	echo 'CONFIG_DEBUG_INFO_REDUCED=n'
} >"$frag.tmp"
mv "$frag.tmp" "$frag"
"$KSCRIPTS/build.sh" kunit-dwarf "$frag" >&2 || die "build.sh kunit-dwarf failed"
[ -f "$vml" ] || die "no $vml after the build"
if [ ! -f "$vml.boot" ] || [ "$vml.boot" -ot "$vml" ]; then
	powerpc64le-linux-gnu-objcopy --strip-debug "$vml" "$vml.boot.tmp"
	mv "$vml.boot.tmp" "$vml.boot"
fi
echo "$inputs $(cat "$TCE_KCACHE/build/kunit-dwarf/.tce-key")" >"$stamp"
echo "$vml"
