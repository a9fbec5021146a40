#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/scripts/check-qemu.sh: runs the KUnit suites of the series in the
# booted kernel (build.sh kunit) under QEMU pseries, once with the hash MMU
# (POWER8, disable_radix: 64K vmemmap blocks, where hot-remove reorders
# vmemmap_list) and once with radix (POWER9, 2M blocks), after memory
# hot-add/remove, and fails on any KTAP failure; then boots the same kernel
# as a POWER8 powernv host, runs the same KUnit suites there (the real-mode
# hcall table is live on powernv, never on pseries) and counts the
# H_PUT_TCE of a KVM-HV guest that complete in real mode.  Logs in $TCE_KCACHE/qemu.
#
# usage: check-qemu.sh QEMUDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

qdir=$(cd "$1" && pwd)
out="$TCE_KCACHE/build/kunit"
work="$TCE_KCACHE/qemu"
: "${QEMU:=}"
[ -n "$QEMU" ] || QEMU=$(command -v qemu-system-ppc64 || true)
[ -n "$QEMU" ] || die "qemu-system-ppc64 not found (apt-get install qemu-system-ppc)"
: "${PYTHON3:=}"
[ -n "$PYTHON3" ] || PYTHON3=python3
[ -f "$out/vmlinux" ] || die "no KUnit kernel: run build.sh kunit first"
mkdir -p "$work"

"${CROSS_COMPILE}gcc" -static -O2 -Wall -Werror -o "$work/init" "$qdir/init.c" ||
	die "cannot build the static ppc64le init (apt-get install libc6-dev-ppc64el-cross)"

rc=0
for mode in hash radix; do
	extra=
	[ "$mode" = hash ] && extra=--expect-inversions
	# shellcheck disable=SC2086
	"$PYTHON3" "$qdir/run-kunit.py" --qemu "$QEMU" --mode "$mode" \
		--kernel "$out/vmlinux" --init "$work/init" \
		--module "$out/arch/powerpc/mm/realmode_page_test.ko" \
		--module "$out/arch/powerpc/kvm/book3s_64_vio_hv_test.ko" \
		--workdir "$work" $extra || rc=1
done
[ "$rc" = 0 ] || die "KUnit under QEMU failed (console logs in $work)"
note "KUnit under QEMU: hash and radix passed"

# The fast path itself: a POWER8 powernv host running a KVM-HV guest.
"${CROSS_COMPILE}gcc" -static -O2 -Wall -Werror -o "$work/rm-hcall" "$qdir/rm-hcall.c" ||
	die "cannot build rm-hcall"
"$PYTHON3" "$qdir/run-rm-hcall.py" --qemu "$QEMU" --kernel "$out/vmlinux" \
	--init "$work/rm-hcall" --workdir "$work" \
	--module "$out/arch/powerpc/mm/realmode_page_test.ko" \
	--module "$out/arch/powerpc/kvm/book3s_64_vio_hv_test.ko" ||
	die "real-mode H_PUT_TCE under powernv8 KVM-HV failed (log in $work)"
