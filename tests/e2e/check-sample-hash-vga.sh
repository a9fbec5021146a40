#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/check-sample-hash-vga.sh: check-sample.sh on the repo's VGA sample
# (tests/fixtures/sample-hash-vga.elf.xz against sample-hash-vga.json): a hash-MMU dump of
# a pseries guest with QEMU's standard VGA, whose 16 MiB of video RAM the dump holds as a
# PT_LOAD that no present mem_section covers (memory the kernel does not manage).  Besides
# what check-sample.sh checks (libkdumpfile reads the same blocks, struct pages, present
# sections and that memory as the ground truth), the ground truth must still list such a
# range: it is what this sample is for.  Run by `make check`.
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
export srcdir
TRUTH="$srcdir/tests/fixtures/sample-hash-vga.json"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "check-sample-hash-vga.sh: SKIP: no python3"; exit 77; }
"$PY" - "$TRUTH" <<'PYEOF' || exit 1
import json, sys
t = json.load(open(sys.argv[1]))
um = t.get('unmanaged') or []
if not um or not t.get('sections'):
	sys.exit('check-sample-hash-vga.sh: the ground truth lists no unmanaged range or no sections')
ps = t['page_size']
for r in um:
	lo, hi = int(r['start'], 16) // ps, int(r['end'], 16) // ps
	for s in t['sections']:
		if s['pfn_start'] < hi and lo < s['pfn_end']:
			sys.exit('check-sample-hash-vga.sh: present section %d covers unmanaged %s-%s'
				 % (s['nr'], r['start'], r['end']))
print('check-sample-hash-vga.sh: unmanaged %s' % ', '.join('%s-%s' % (r['start'], r['end']) for r in um))
PYEOF
exec "$srcdir/tests/e2e/check-sample.sh" "$srcdir/tests/fixtures/sample-hash-vga.elf.xz" "$TRUTH"
