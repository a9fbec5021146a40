#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-corrupt-real.sh: the real sample with its vmemmap_list corrupted the
# three ways a crash (or a bad tool) leaves it: relinked out of order, made cyclic, cut
# by a pointer into memory the dump lacks.  Each copy must raise its finding, end, and
# keep every block it can still reach.  Prints "N passed, N failed".
set -uo pipefail

TCE=${TCE_INSPECT:-cli/tce-inspect}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xz -dc "$srcdir/tests/fixtures/sample-hash-hotplug.elf.xz" >"$tmp/sample"
"$TCE" vmemmap --format json "$tmp/sample" >"$tmp/orig.json"

# The copies are patched through the ELF program headers (file offset of a physical
# address) with the entry addresses tce-inspect listed; the expected outcome is checked
# on what tce-inspect then says.
"$PY" - "$tmp" <<'PYEOF'
import json, struct, sys
tmp = sys.argv[1]
data = bytearray(open(tmp + '/sample', 'rb').read())
phoff, = struct.unpack_from('<Q', data, 32)
phnum, = struct.unpack_from('<H', data, 56)
loads = []
for i in range(phnum):
    t, _, off, _, pa, fs, _, _ = struct.unpack_from('<IIQQQQQQ', data, phoff + 56 * i)
    if t == 1:
        loads.append((pa, fs, off))
def foff(phys):
    for pa, fs, off in loads:
        if pa <= phys < pa + fs:
            return off + phys - pa
    raise KeyError(hex(phys))
K = 0xc000000000000000
ent = [int(b['entry'], 16) for b in json.load(open(tmp + '/orig.json'))['vmemmap']['blocks']]
def copy(name, links):
    d = bytearray(data)
    for frm, to in links:
        struct.pack_into('<Q', d, foff(ent[frm] - K), to)   # list is at offset 0
    open('%s/%s' % (tmp, name), 'wb').write(d)
copy('cycle', [(len(ent) - 1, ent[2])])
copy('cut', [(10, K + 0x10000000)])
copy('reorder', [(4, ent[6]), (6, ent[5]), (5, ent[7])])
PYEOF

pass=0
fail=0
check() { # name python-assertion-on-json
	local name=$1 rc
	timeout 60 "$TCE" vmemmap --format json "$tmp/$name" >"$tmp/$name.json" 2>"$tmp/err"
	rc=$?
	if [ $rc -gt 1 ]; then
		fail=$((fail + 1)); echo "FAIL: $name: exit $rc: $(head -1 "$tmp/err")"; return
	fi
	if "$PY" - "$tmp/$name.json" "$tmp/orig.json" <<PYEOF; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
import json, sys
j = json.load(open(sys.argv[1])); o = json.load(open(sys.argv[2]))
ids = [f['id'] for f in j['findings']]
blocks = j['vmemmap']['blocks']; orig = o['vmemmap']['blocks']
$2
PYEOF
}
check cycle "assert ids.count('TCE-VMEMMAP-CYCLE') == 1, ids
assert not j['vmemmap']['complete']
assert len(blocks) == len(orig)"
check cut "assert ids.count('TCE-VMEMMAP-TRUNCATED') == 1, ids
assert 'TCE-VMEMMAP-UNCOVERED' in ids, ids
assert [b['virt'] for b in blocks] == [b['virt'] for b in orig[:11]]"
check reorder "assert ids.count('TCE-VMEMMAP-UNORDERED') == 2, ids
assert 'TCE-VMEMMAP-CYCLE' not in ids and 'TCE-VMEMMAP-XLAT-MISMATCH' not in ids, ids
assert sorted(b['virt'] for b in blocks) == sorted(b['virt'] for b in orig)"
check sample "assert 'TCE-VMEMMAP-CYCLE' not in ids and 'TCE-VMEMMAP-TRUNCATED' not in ids, ids
assert ids.count('TCE-VMEMMAP-UNORDERED') == 1, ids"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
