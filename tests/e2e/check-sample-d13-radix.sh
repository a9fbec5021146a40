#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/check-sample-d13-radix.sh: check-sample.sh on the repo's Debian 13 sample
# (tests/fixtures/sample-d13-radix.elf.xz against sample-d13-radix.json): Linux 6.12, 4K
# pages, radix, whose vmemmap_list is empty and whose vmemmap only the kernel page tables
# map.  Besides what check-sample.sh checks (libkdumpfile reads the same present sections and
# the same struct pages at the oracle's page-table translations, oracle.py gives the recorded
# answer again), the ground truth must still be that shape: no blocks, 4K pages, radix
# according to VMCOREINFO, page-table leaves mapping every present section's struct pages.
# Run by `make check`; it does not run tce-inspect (run-real.sh does).
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
export srcdir
TRUTH="$srcdir/tests/fixtures/sample-d13-radix.json"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "check-sample-d13-radix.sh: SKIP: no python3"; exit 77; }
"$PY" - "$TRUTH" <<'PYEOF' || exit 1
import json, sys
t = json.load(open(sys.argv[1]))
bad = []
if t['blocks'] or t['block_size'] is not None:
	bad.append('the ground truth has vmemmap_list blocks')
if t['page_size'] != 4096 or t['mmu'] != 'radix' or t['radix_mmu_vmcoreinfo'] != 1:
	bad.append('not a 4K radix dump by VMCOREINFO (page_size %r, mmu %r, RADIX_MMU %r)'
		   % (t['page_size'], t['mmu'], t['radix_mmu_vmcoreinfo']))
pgt = t.get('vmemmap_pgtable') or {}
leaves = pgt.get('leaves') or []
if not leaves or pgt.get('tables_not_in_dump'):
	bad.append('no page-table leaves, or tables missing')
sps, base = t['struct_page_size'], int(t['vmemmap_base'], 16)
for s in t['sections']:
	for pfn in (s['pfn_start'], s['pfn_end'] - 1):
		va = base + pfn * sps
		if not any(int(l['virt'], 16) <= va and va + sps <= int(l['virt'], 16) + l['size'] for l in leaves):
			bad.append('no leaf maps the struct page of pfn 0x%x (section %d)' % (pfn, s['nr']))
if any('error' in p for p in t['pages']):
	bad.append('sampled struct pages the oracle cannot read')
for b in bad[:10]:
	print('check-sample-d13-radix.sh: FAIL: %s' % b)
if bad:
	sys.exit(1)
print('check-sample-d13-radix.sh: %s, %d leaves (%s), %d sections, %d pages' % (
	t['osrelease'], len(leaves), pgt['leaf_sizes'], len(t['sections']), len(t['pages'])))
PYEOF
exec "$srcdir/tests/e2e/check-sample.sh" "$srcdir/tests/fixtures/sample-d13-radix.elf.xz" "$TRUTH"
