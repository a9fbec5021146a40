#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/check-sample.sh [SAMPLE.elf[.xz] GROUND-TRUTH.json]: checks that a small real
# dump in tests/fixtures is still what its ground truth says, with readers that are not
# tce-inspect: libkdumpfile (kdumpcheck, the library tce-inspect is built on) must open it
# (ppc64, little-endian, 64K pages, the release) and read the same vmemmap_list, struct
# pages and present memory sections (mem_section) as the recorded oracle output; oracle.py
# (drgn, or its own ELF reader) must give the recorded answer again (which includes the
# PT_LOAD ranges no present section covers); and compare.py must accept the truth and
# catch corruptions of it (its self-test).  Run by `make check`; exits 77 (skip) only when python3 or xz is
# missing.  It does not run tce-inspect: tests/e2e/run-real.sh does that.
set -euo pipefail

srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
E2E="$srcdir/tests/e2e"
SAMPLE=${1:-$srcdir/tests/fixtures/sample-hash-hotplug.elf.xz}
TRUTH=${2:-$srcdir/tests/fixtures/sample-hash-hotplug.json}
KDUMPCHECK=${KDUMPCHECK:-tests/e2e/kdumpcheck}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "check-sample.sh: SKIP: no python3"; exit 77; }
command -v xz >/dev/null || { echo "check-sample.sh: SKIP: no xz"; exit 77; }
[ -x "$KDUMPCHECK" ] || { echo "check-sample.sh: $KDUMPCHECK not built (make tests/e2e/kdumpcheck)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case "$SAMPLE" in
*.xz) xz -dc "$SAMPLE" >"$tmp/sample.elf" ;;
*) cp "$SAMPLE" "$tmp/sample.elf" ;;
esac

# The pfns of the ground truth, and the first and last 8 bytes of every range the dump
# holds that the kernel does not manage (libkdumpfile must read them as the oracle does).
# Without a vmemmap_list (6.12 radix) libkdumpfile has no translation of its own: kdumpcheck
# reads each struct page at the oracle's address (PFN@PHYS).
pfns=$("$PY" -c 'import json,sys; print(" ".join(str(p["pfn"]) for p in json.load(open(sys.argv[1]))["pages"]))' "$TRUTH")
kdpfns=$("$PY" -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(" ".join(str(p["pfn"]) if t["blocks"] or not p.get("phys") else "%d@%s" % (p["pfn"], p["phys"])
	       for p in t["pages"]))' "$TRUTH")
reads=$("$PY" -c '
import json, sys
for r in json.load(open(sys.argv[1])).get("unmanaged") or []:
	print("phys=%s phys=0x%x" % (r["start"], int(r["end"], 16) - 8))' "$TRUTH")
# shellcheck disable=SC2086
"$KDUMPCHECK" "$tmp/sample.elf" $kdpfns $reads >"$tmp/kdumpcheck.json"
# shellcheck disable=SC2086
"$PY" "$E2E/oracle.py" "$tmp/sample.elf" $pfns >"$tmp/oracle.json"

pass=0
fail=0
"$PY" - "$TRUTH" "$tmp/kdumpcheck.json" "$tmp/oracle.json" "$tmp/sample.elf" "$E2E" <<'EOF' && pass=$((pass + 1)) || fail=$((fail + 1))
import json, struct, sys
truth, kd, orc = (json.load(open(p)) for p in sys.argv[1:4])
sys.path.insert(0, sys.argv[5])
import oracle
bad = []
a = kd['attributes']
want = {'arch.name': 'ppc64', 'arch.byte_order': 1, 'arch.page_size': truth['page_size'],
	'linux.uts.release': truth['osrelease'], 'file.format': 'elf'}
for k, v in want.items():
	if a.get(k) != v:
		bad.append('libkdumpfile %s = %r, want %r' % (k, a.get(k), v))
for k in ('block_size', 'struct_page_size', 'blocks'):
	if k == 'block_size' and truth[k] is None:
		continue			# no vmemmap_list, no block size
	if kd[k] != truth[k]:
		bad.append('libkdumpfile %s differs from the ground truth' % k)
tp = {p['pfn']: p for p in truth['pages']}
for p in kd['pages']:
	t = tp[p['pfn']]
	for k in ('phys', 'flags', 'refcount', 'mapcount', 'compound_head'):
		if p.get(k) != t.get(k):
			bad.append('libkdumpfile pfn %d %s = %r, truth %r' % (p['pfn'], k, p.get(k), t.get(k)))
# SPARSEMEM: libkdumpfile reads the same present sections and the same roots (recorded
# truths made before "sections" existed have none to compare).
if 'sections' in truth:
	ms = truth['mem_section']
	if kd.get('sections') != truth['sections']:
		bad.append('libkdumpfile present sections differ from the ground truth')
	for k in ('roots_present', 'roots_not_in_dump', 'root_pages_not_in_dump'):
		if kd.get(k) != ms[k]:
			bad.append('libkdumpfile mem_section %s = %r, truth %r' % (k, kd.get(k), ms[k]))
# Memory the kernel does not manage is still in the dump: libkdumpfile reads it as
# oracle.py's own ELF reader does.
elf = oracle.ElfFile(sys.argv[4])
want = [int(a, 0) for r in truth.get('unmanaged') or []
	for a in (r['start'], '0x%x' % (int(r['end'], 16) - 8))]
got = {int(p['addr'], 16): p for p in kd.get('phys', [])}
for a in want:
	try:
		v = '0x%x' % struct.unpack(elf.bo + 'Q', elf.read(a, 8))[0]
	except oracle.DumpError as e:
		v = 'nothing (%s)' % e
	if a not in got or got[a].get('value') != v:
		bad.append('libkdumpfile reads unmanaged 0x%x as %r, the file holds %s' % (a, got.get(a), v))
same = lambda d: {k: v for k, v in d.items() if k not in ('dump', 'reader', 'reader_note', 'mmu_from')}
if same(orc) != same(truth):
	bad.append('oracle.py on the sample no longer gives the recorded ground truth')
for b in bad[:20]:
	print('FAIL: %s' % b)
print('check-sample: %d blocks, %d pages, %d sections: %s' % (len(kd['blocks']), len(kd['pages']),
      len(kd.get('sections', [])),
      'same as the ground truth' if not bad else '%d differences' % len(bad)))
sys.exit(1 if bad else 0)
EOF
"$PY" "$E2E/compare.py" --self-test "$TRUTH" && pass=$((pass + 1)) || fail=$((fail + 1))
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
