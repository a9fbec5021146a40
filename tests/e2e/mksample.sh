#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/mksample.sh [NAME]: remakes tests/fixtures/sample-NAME.elf.xz and its ground
# truth sample-NAME.json from the real dump mkdump.sh makes (default NAME: hash-hotplug;
# the radix sample is NAME=radix, the one with a VGA's video RAM NAME=hash-vga).
# It owns the recipe of the repo's small real sample: trim.py keeps the pages that matter,
# and the sample is accepted only if oracle.py gives the same answer for the full dump and
# for the sample (every vmemmap block, every struct page the blocks hold, every present
# memory section and the PT_LOAD ranges no section covers) and if
# libkdumpfile (kdumpcheck) reads the sample the same way (check-sample.sh).  The .xz must
# stay under 3 MB.
set -euo pipefail

NAME=${1:-hash-hotplug}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
FIX="$TOP/tests/fixtures"
PY=/usr/bin/python3
KDUMPCHECK=${KDUMPCHECK:-$TOP/tests/e2e/kdumpcheck}

# FULL_DUMP=PATH: trim this full dump (e.g. a cached dumps/NAME/vmcore.elf) instead of
# asking mkdump.sh for it (mkdump.sh remakes the dump whenever its key changes).
if [ -n "${FULL_DUMP:-}" ]; then
	full=$FULL_DUMP
else
	full=$("$HERE/mkdump.sh" "$NAME")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" "$HERE/trim.py" --manifest "$tmp/manifest.json" "$full" "$tmp/sample-$NAME.elf"

# Same answer from the full dump and from the sample, for all struct pages.
"$PY" "$HERE/oracle.py" --all "$full" >"$tmp/full.json"
"$PY" "$HERE/oracle.py" --all "$tmp/sample-$NAME.elf" >"$tmp/sample.json"
"$PY" - "$tmp/full.json" "$tmp/sample.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a['blocks'] == b['blocks'], 'blocks differ between the full dump and the sample'
assert a['pages'] == b['pages'], 'struct pages differ between the full dump and the sample'
# The memory the kernel manages (every present section, every root, no root missing) and
# the memory it does not (kept whole up to trim.py's --unmanaged-max).
assert a['mem_section'] == b['mem_section'], 'mem_section differs between the full dump and the sample'
assert a['sections'] == b['sections'], 'present sections differ between the full dump and the sample'
assert a['unmanaged'] == b['unmanaged'], 'unmanaged PT_LOAD ranges differ between the full dump and the sample'
print('mksample.sh: full dump and sample agree on %d blocks, %d struct pages, %d present sections'
      ' and %d unmanaged ranges' % (len(a['blocks']), len(a['pages']), len(a['sections']),
				    len(a['unmanaged'] or [])))
EOF

"$PY" "$HERE/oracle.py" -o "$tmp/sample-$NAME.json" "$tmp/sample-$NAME.elf"
xz -9e -T1 -c "$tmp/sample-$NAME.elf" >"$tmp/sample-$NAME.elf.xz"
size=$(stat -c %s "$tmp/sample-$NAME.elf.xz")
[ "$size" -lt $((3 << 20)) ] || { echo "mksample.sh: sample is $size bytes, over 3 MB" >&2; exit 1; }
[ -x "$KDUMPCHECK" ] || make -C "$TOP" tests/e2e/kdumpcheck
srcdir=$TOP KDUMPCHECK=$KDUMPCHECK "$HERE/check-sample.sh" "$tmp/sample-$NAME.elf.xz" "$tmp/sample-$NAME.json"
mkdir -p "$FIX"
cp "$tmp/sample-$NAME.elf.xz" "$tmp/sample-$NAME.json" "$FIX/"
cp "$tmp/manifest.json" "$FIX/sample-$NAME.kept.json"
echo "mksample.sh: wrote $FIX/sample-$NAME.elf.xz ($size bytes), sample-$NAME.json, sample-$NAME.kept.json"
