#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kernel/scripts/check-vfio.sh: boots the KUnit kernel (build.sh kunit,
# which has VFIO and vfio-pci built in) as a powernv9 machine with an e1000e
# and runs qemu/vfio-spapr.c as /init: a SPAPR TCE v2 container, memory
# preregistered and mapped through the default window and a 64K-page DDW.
# On a series without the powerpc iommu_ops backport, set
# VFIO_EXPECT_NO_GROUP=1: the run then checks that vfio-pci cannot take the
# device (FIELD-NOTES section 8).  Log in $TCE_KCACHE/qemu.
#
# usage: check-vfio.sh QEMUDIR
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
grep -q '^CONFIG_VFIO_PCI=y' "$out/.config" || die "the KUnit kernel has no vfio-pci"
mkdir -p "$work"
"${CROSS_COMPILE}gcc" -static -O2 -Wall -Werror -o "$work/vfio-spapr" \
	"$qdir/vfio-spapr.c" || die "cannot build vfio-spapr"
expect=
[ "${VFIO_EXPECT_NO_GROUP:-0}" = 1 ] && expect=--expect-no-group
# shellcheck disable=SC2086
"$PYTHON3" "$qdir/run-vfio.py" --qemu "$QEMU" --kernel "$out/vmlinux" \
	--init "$work/vfio-spapr" --workdir "$work" $expect ||
	die "VFIO on powernv failed (log in $work/console-vfio.log)"
