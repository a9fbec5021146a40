#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/scripts/build.sh: cross-builds the patched tree for one config in
# $TCE_KCACHE/build/NAME, skipping the build when the key (config inputs,
# series commit, compiler) is what the last good build had.  NAME is
# "kunit" (ppc64le_guest_defconfig + FRAGMENT: KVM-HV built in, the KUnit
# suites as modules), "kunit-SOMETHING" (ppc64le_guest_defconfig + FRAGMENT,
# vmlinux only: e.g. tests/e2e/patched-kernel.sh's kunit-dwarf) or a
# defconfig name such as ppc64le_defconfig.
#
# usage: build.sh NAME [FRAGMENT]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

name=$1
frag=${2:-}
tree="$TCE_KTREE"
out="$TCE_KCACHE/build/$name"
[ -e "$tree/.git" ] || die "no build tree: run tree.sh (make -C kernel tree)"
command -v "${CROSS_COMPILE}gcc" >/dev/null ||
	die "${CROSS_COMPILE}gcc not found (apt-get install gcc-powerpc64le-linux-gnu)"

case "$name" in
kunit|kunit-*) defconfig=ppc64le_guest_defconfig ;;
*) defconfig=$name ;;
esac
head=$(git -C "$tree" rev-parse HEAD)
key=$( { echo "$defconfig $head"; "${CROSS_COMPILE}gcc" --version | head -n 1;
	 [ -z "$frag" ] || cat "$frag"; } | sha256sum | cut -c1-16)
if [ -f "$out/.tce-key" ] && [ "$(cat "$out/.tce-key")" = "$key" ] &&
   [ -f "$out/vmlinux" ]; then
	note "$name: cached build $key in $out"
	exit 0
fi
rm -f "$out/.tce-key"
mkdir -p "$out"
jobs=$KJOBS
kmake() {
	$KNICE make -C "$tree" O="$out" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" "$@"
}

cfgkey=$( { echo "$defconfig"; [ -z "$frag" ] || cat "$frag"; } | sha256sum)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.tce-cfgkey" 2>/dev/null)" != "$cfgkey" ]; then
	kmake -s "$defconfig"
	if [ -n "$frag" ]; then
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" \
			"$out/.config" "$frag" >/dev/null
	fi
	echo "$cfgkey" > "$out/.tce-cfgkey"
fi
kmake -s olddefconfig
if [ -n "$frag" ]; then
	# Every symbol the fragment sets must have survived olddefconfig.
	grep '^CONFIG_' "$frag" | while IFS= read -r l; do
		sym=${l%%=*}
		val=${l#*=}
		case "$val" in
		n) grep -q "^# $sym is not set" "$out/.config" ||
			! grep -q "^$sym=" "$out/.config" ||
			die "$sym should be unset" ;;
		*) grep -qx "$l" "$out/.config" || die "$l did not stick" ;;
		esac
	done
fi

note "$name: building in $out ($jobs jobs, log in $out/build.log)"
targets="vmlinux"
case "$name" in
kunit)
	targets="vmlinux modules_prepare"
	;;
esac
# shellcheck disable=SC2086
kmake -j"$jobs" $targets > "$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log"; die "$name: build failed"; }
if [ "$name" = kunit ]; then
	kmake -j"$jobs" arch/powerpc/mm/realmode_page_test.ko \
		arch/powerpc/kvm/book3s_64_vio_hv_test.ko >> "$out/build.log" 2>&1 ||
		{ tail -n 30 "$out/build.log"; die "$name: test modules failed"; }
fi
if grep -q '^CONFIG_KVM_BOOK3S_64_HV=m' "$out/.config"; then
	# The KVM modules hold the virtual-mode side of the series: link them
	# (modpost checks what they use from the built-in side).
	kmake -j"$jobs" arch/powerpc/kvm/kvm.ko arch/powerpc/kvm/kvm-hv.ko \
		>> "$out/build.log" 2>&1 ||
		{ tail -n 30 "$out/build.log"; die "$name: KVM modules failed"; }
fi
if grep -n 'warning:' "$out/build.log" | grep -E 'realmode_page|book3s_64_vio_hv|init_64|book3s_hv\.c|book3s_hv_rmhandlers'; then
	die "$name: the series' files build with warnings"
fi
echo "$key" > "$out/.tce-key"
note "$name: built $(ls -l "$out/vmlinux" | awk '{print $5}') bytes of vmlinux"
