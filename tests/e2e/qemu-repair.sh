#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/qemu-repair.sh RAW OUT VMCOREINFO_ADDR: makes QEMU's dump-guest-memory file
# RAW the ELF vmcore OUT with `tce-inspect repair` (TCE_INSPECT names the binary, else
# tce-inspect on PATH), which finds the guest's VMCOREINFO note in guest memory by
# itself: it must be the one at VMCOREINFO_ADDR (hexadecimal, as the guest's
# /sys/kernel/vmcoreinfo printed it), else this fails.  RAW is not kept whole (a second
# copy of guest memory): what repair rewrote is, as OUT's name with .qemu-head for .elf
# (RAW up to its first PT_LOAD's data; vmcore.elf: vmcore.qemu-head) and .qemu-size
# (RAW's size in bytes), so that check-qemu-raw.sh can lay the raw file out again from
# OUT.  Used by mkdump.sh
# and btf-kernel.sh; both key their dumps by this file and libtce/dump/qemu.c.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 RAW OUT VMCOREINFO_ADDR" >&2; exit 2; }
raw=$1 out=$2 addr=$3
base=${out%.elf}
TCE=${TCE_INSPECT:-$(command -v tce-inspect || true)}
[ -n "$TCE" ] && [ -x "$TCE" ] ||
	{ echo "qemu-repair.sh: no tce-inspect: build it and set TCE_INSPECT" >&2; exit 1; }
# RAW's first bytes, up to its first PT_LOAD's data (ELF header, program headers, QEMU's
# notes: all that repair rewrites in place)
head=$(/usr/bin/python3 - "$raw" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read(1 << 20)
e = '<' if d[5] == 1 else '>'
phoff, = struct.unpack_from(e + 'Q', d, 32)
phnum, = struct.unpack_from(e + 'H', d, 56)
offs = [struct.unpack_from(e + 'IIQ', d, phoff + 56 * i) for i in range(phnum)]
print(min(o for t, _, o in offs if t == 1))
PY
)
line=$("$TCE" repair "$raw" "$out.tmp") || { rm -f "$out.tmp"; exit 1; }
echo "qemu-repair.sh: $line" >&2
want=$(printf '0x%x' "$((16#${addr#0x}))")
case "$line" in
*"taken from guest physical $want;"*) ;;
*) rm -f "$out.tmp"
   echo "qemu-repair.sh: tce-inspect found another note than the guest's at $want" >&2
   exit 1 ;;
esac
head -c "$head" "$raw" >"$base.qemu-head"
stat -c %s "$raw" >"$base.qemu-size"
mv "$out.tmp" "$out"
rm -f "$raw"
