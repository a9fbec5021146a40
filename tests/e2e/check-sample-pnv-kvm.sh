#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/check-sample-pnv-kvm.sh: the repository's sample with real KVM TCE tables
# (tests/fixtures/sample-pnv-kvm.elf.xz, trimmed from mkdump.sh pnv-kvm by mksample.sh) and
# its two truths (sample-pnv-kvm.truth.txt.xz, what kvm-tables.c printed in the guest;
# sample-pnv-kvm.drgn-truth.txt.xz, what tables-oracle.py read with drgn).  Run by `make
# check`.  Always: check-sample.sh on the sample (libkdumpfile and oracle.py against
# sample-pnv-kvm.json) and check-tables.py --verify-only --sample (the two truths agree,
# every table page they name is in the sample and holds their entries).  Then, when
# tce-inspect (TCE_INSPECT, default the build tree's) and Debian's 6.1 debug files are here
# (DEBUG_DIR, default fetch-debug.sh's tree in the cache: the vmlinux and kvm.ko DWARF
# tce-inspect needs to read struct kvm), check-tables.py on tce-inspect tables/entries;
# without them that part is skipped with a message (exit 77 only if nothing ran).
set -euo pipefail

srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
E2E="$srcdir/tests/e2e"
FIX="$srcdir/tests/fixtures"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "check-sample-pnv-kvm.sh: SKIP: no python3"; exit 77; }
command -v xz >/dev/null || { echo "check-sample-pnv-kvm.sh: SKIP: no xz"; exit 77; }

"$E2E/check-sample.sh" "$FIX/sample-pnv-kvm.elf.xz" "$FIX/sample-pnv-kvm.json"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xz -dc "$FIX/sample-pnv-kvm.elf.xz" >"$tmp/vmcore.elf"
cp "$FIX/sample-pnv-kvm.truth.txt.xz" "$tmp/truth.txt.xz"
cp "$FIX/sample-pnv-kvm.drgn-truth.txt.xz" "$tmp/drgn-truth.txt.xz"
"$PY" "$E2E/check-tables.py" --verify-only --sample "$tmp"

TCE=${TCE_INSPECT:-$(pwd)/cli/tce-inspect}
REL=6.1.0-50-powerpc64le
DEBUG_DIR=${DEBUG_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tce-inspect/debug/trees/$REL/usr/lib/debug}
if [ ! -x "$TCE" ]; then
	echo "check-sample-pnv-kvm.sh: tce-inspect part skipped: no $TCE"
elif [ ! -f "$DEBUG_DIR/boot/vmlinux-$REL" ] ||
	[ ! -f "$DEBUG_DIR/lib/modules/$REL/kernel/arch/powerpc/kvm/kvm.ko" ]; then
	echo "check-sample-pnv-kvm.sh: tce-inspect part skipped: no $REL debug files in $DEBUG_DIR (tests/e2e/fetch-debug.sh $REL lays them out)"
else
	"$PY" "$E2E/check-tables.py" --sample --debug-dir "$DEBUG_DIR" "$tmp" "$TCE"
fi
