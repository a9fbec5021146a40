#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz/mktemplates.sh DIR: the fuzz targets' templates (fuzz/harness.h): forge dumps
# of both kernel shapes (6.1, 6.12), both MMUs, both page sizes and byte orders, in
# the states the walks care about (clean, after hotplug, faulted), the real samples
# of tests/fixtures, and kdump-compressed copies of some of each (tests/forge/
# mkdiskdump).  Their names fix their order, which an input's first byte indexes.
# The table templates (t-*: KVM hosts, powernv machines and VFIO users of both shapes, byte orders
# and MMUs) come with sidecars: NAME.vmlinux (their DWARF) and NAME.facts (the
# forge's facts: where the structures are); those with KVM as modules (tm-*) with
# NAME.vmlinux and NAME.modules (a debug tree of the modules' .ko).
# Uses $TCE_FORGE, $TCE_MKDISKDUMP (default: the build tree's) and $srcdir.
set -eu
dir=$1
FORGE=${TCE_FORGE:-tests/forge/tce-forge}
MKDD=${TCE_MKDISKDUMP:-$(dirname "$FORGE")/mkdiskdump}
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
mkdir -p "$dir.tmp"
trap 'rm -rf "$dir.tmp"' EXIT
forge() { # NAME SCENARIO OPTIONS...
	name=$1 scen=$2
	shift 2
	"$FORGE" "$@" "$scen" "$dir.tmp/$name" >/dev/null
}
forge f61-64k-clean clean
forge f61-64k-hotplug hotplug
forge f61-64k-straddle straddle
forge f61-64k-be-hotplug hotplug -e be
forge f61-4k-clean clean -p 4k
forge f61-radix-64k-clean clean -r
forge f61-radix-64k-pgtable-mismatch pgtable-mismatch -r
forge f61-radix-4k-hotplug hotplug -r -p 4k
forge f612-radix-64k-clean clean --kernel 6.12 -r
forge f612-radix-4k-hotplug hotplug --kernel 6.12 -r -p 4k
forge f612-radix-64k-be-pgtable-hole pgtable-hole --kernel 6.12 -r -e be
forge f612-hash-4k-clean clean --kernel 6.12 -p 4k
forge f612-hash-64k-hotplug hotplug --kernel 6.12
tables() { # NAME SCENARIO OPTIONS...
	name=$1 scen=$2
	shift 2
	"$FORGE" -v -V "$dir.tmp/$name.vmlinux" "$@" "$scen" "$dir.tmp/$name" \
		>"$dir.tmp/$name.facts"
}
tables t-kvm61-64k-hash-le kvm-tables
tables t-kvm61-64k-hash-be kvm-tables -e be
tables t-kvm61-64k-radix-be kvm-tables -r -e be
tables t-kvm612-4k-radix-le kvm-tables --kernel 6.12 -r -p 4k
tables t-kvm612-4k-hash-be kvm-tables --kernel 6.12 -p 4k -e be
tables t-pnv61-64k-hash-le powernv-tables
tables t-pnv61-64k-radix-be powernv-tables -r -e be
tables t-pnv612-4k-radix-le powernv-tables --kernel 6.12 -r -p 4k
tables t-pnv612-64k-hash-be powernv-tables --kernel 6.12 -e be
tables t-vfio61-64k-radix-le vfio-tables -r
tables t-vfio612-4k-radix-be vfio-tables --kernel 6.12 -r -p 4k -e be
# type information from dump memory (ty-*): kallsyms of every symbol and the BTF
# between __start_BTF and __stop_BTF, no sidecar (fuzz-types); kallsyms of text alone
# has no __start_BTF.  BTF needs pahole besides the cross compiler: without it, none.
types() { # NAME SCENARIO OPTIONS...
	name=$1 scen=$2
	shift 2
	if ! "$FORGE" "$@" "$scen" "$dir.tmp/$name" >/dev/null 2>"$dir.tmp/err"; then
		echo "fuzz templates: no $name: $(head -1 "$dir.tmp/err")" >&2
		rm -f "$dir.tmp/$name"
	fi
}
types ty-kvm61-64k-hash-le kvm-tables -K all -B
types ty-kvm612-4k-radix-be kvm-tables --kernel 6.12 -r -p 4k -e be -K all -B
types ty-pnv61-64k-radix-be powernv-tables -r -e be -K all -B
types ty-vfio612-4k-radix-le vfio-tables --kernel 6.12 -r -p 4k -K all -B
types ty-hotplug61-64k-le hotplug -K all -B
types ty-kvm61-text kvm-tables -K text
rm -f "$dir.tmp/err"
# KVM built as modules (tm-*): NAME.vmlinux and NAME.modules, a debug tree of their .ko
modular() { # NAME OPTIONS...
	name=$1
	shift
	"$FORGE" -V "$dir.tmp/$name.vmlinux" --modules-tree "$dir.tmp/$name.modules" "$@" \
		kvm-modular "$dir.tmp/$name" >/dev/null
}
modular tm-kvmmod61-64k-radix-le -r
modular tm-kvmmod612-4k-radix-be --kernel 6.12 -r -p 4k -e be
for s in hash-hotplug hash-vga radix; do
	xz -dc "$srcdir/tests/fixtures/sample-$s.elf.xz" >"$dir.tmp/s-$s"
done
# QEMU's dump-guest-memory form of a guest (headers in the wrong byte order, no
# VMCOREINFO note): opening one repairs it in memory (libtce/dump/qemu.c), the note
# searched for in guest memory; ELF and the -z (kdump-compressed) form, as makedumpfile
# -R makes it and flattened as QEMU writes it (libtce/dump/flat.c lays it out first)
forge q-f61-64k-hotplug hotplug --qemu
forge q-f61-64k-be-hotplug hotplug --qemu -e be
forge q-f61-4k-hotplug hotplug --qemu -p 4k
"$MKDD" --qemu "$dir.tmp/q-f61-64k-hotplug" "$dir.tmp/kd-q-f61-64k-hotplug" >/dev/null
"$MKDD" --qemu --flatten "$dir.tmp/q-f61-64k-be-hotplug" "$dir.tmp/fl-q-f61-64k-be-hotplug" >/dev/null
"$MKDD" "$dir.tmp/f61-64k-clean" "$dir.tmp/kd-f61-64k-clean"
"$MKDD" "$dir.tmp/f612-radix-4k-hotplug" "$dir.tmp/kd-f612-radix-4k-hotplug"
"$MKDD" "$dir.tmp/s-hash-hotplug" "$dir.tmp/kd-s-hash-hotplug"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
trap - EXIT
