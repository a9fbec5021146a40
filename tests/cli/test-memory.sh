#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-memory.sh [N]: memory does not grow with the output.  A forge dump
# whose vmemmap_list has N entries (default 200000; a corrupt list can claim
# millions): `vmemmap --format json` must list every block, in order, in a valid
# document, and peak at no more memory than the text listing (the model itself), give
# or take 10% and 16 MiB; it peaked at 1.44 GB for a million entries when the blocks
# were json-c objects (issue 17).  Prints "N passed, N failed".
set -uo pipefail

TCE=${TCE_INSPECT:-cli/tce-inspect}
FORGE=${TCE_FORGE:-tests/forge/tce-forge}
N=${1:-200000}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$FORGE" clean "$tmp/clean" >/dev/null || { echo "FAIL: tce-forge clean"; exit 1; }
"$PY" - "$TCE" "$tmp" "$N" <<'PYEOF'
import json, os, struct, subprocess, sys
tce, tmp, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
K = 0xc000000000000000
BS = 0x10000
VBASE = 0xc00c000000000000

# the forge's dump (6.1, hash, 64K, LE) with vmemmap_list replaced by n entries in
# descending order, in a PT_LOAD of their own at 64 GiB; the backing is not in the
# dump (findings capped at 256 and one)
d = bytearray(open(tmp + '/clean', 'rb').read())
phoff, = struct.unpack_from('<Q', d, 32)
phnum, = struct.unpack_from('<H', d, 56)
ph = [list(struct.unpack_from('<IIQQQQQQ', d, phoff + 56 * i)) for i in range(phnum)]
note = [p for p in ph if p[0] == 4][0]
text = d[note[2]:note[2] + note[5]].decode('latin-1')
def val(key, base=16):
    return int(text.split(key + '=')[1].split()[0], base)
esz = val('SIZE(vmemmap_backing)', 10)
ol, op, ov = (val('OFFSET(vmemmap_backing.%s)' % f, 10) for f in ('list', 'phys', 'virt_addr'))
def foff(phys):
    for p in ph:
        if p[0] == 1 and p[4] <= phys < p[4] + p[5]:
            return p[2] + phys - p[4]
    raise KeyError(hex(phys))
region = 64 << 30
ents = bytearray(n * esz)
for i in range(n):
    o = i * esz
    struct.pack_into('<Q', ents, o + ol, K + region + (i + 1) * esz if i + 1 < n else 0)
    struct.pack_into('<Q', ents, o + op, (1 << 40) + (n - 1 - i) * BS)
    struct.pack_into('<Q', ents, o + ov, VBASE + (n - 1 - i) * BS)
struct.pack_into('<Q', d, foff(val('SYMBOL(vmemmap_list)') - K), K + region)
off = (len(d) + 0xffff) & ~0xffff
d += bytes(off - len(d)) + ents
ph.append([1, 7, off, K + region, region, len(ents), len(ents), 0x10000])
phoff = len(d)
for p in ph:
    d += struct.pack('<IIQQQQQQ', *p)
struct.pack_into('<Q', d, 32, phoff)
struct.pack_into('<H', d, 56, len(ph))
dump = tmp + '/biglist'
open(dump, 'wb').write(d)
del d, ents

passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print('FAIL: ' + what)

def run(args, out):
    # the peak resident memory of this one process (KiB), and its status
    with open(out, 'wb') as f:
        p = subprocess.Popen([tce] + args, stdout=f, stderr=subprocess.PIPE)
        _, status, ru = os.wait4(p.pid, 0)
    err = p.stderr.read().decode(errors='replace')
    p.stderr.close()
    return os.waitstatus_to_exitcode(status), ru.ru_maxrss, err

rc, text_kb, err = run(['vmemmap', dump], tmp + '/text')
check(rc == 1, 'vmemmap: exit %d (want 1: the backing is not in the dump): %s' % (rc, err[:300]))
rc, json_kb, err = run(['vmemmap', '--format', 'json', dump], tmp + '/json')
check(rc == 1, 'vmemmap --format json: exit %d (want 1): %s' % (rc, err[:300]))
print('%d entries: text %d KiB, json %d KiB at their peaks' % (n, text_kb, json_kb))
check(json_kb <= text_kb * 1.1 + 16384,
      'vmemmap --format json peaked at %d KiB, the text listing at %d KiB' % (json_kb, text_kb))
try:
    j = json.load(open(tmp + '/json'))
    v = j['vmemmap']
    blocks = v['blocks']
    check(v['nblocks'] == n and len(blocks) == n,
          'nblocks %s, %d blocks listed, want %d' % (v['nblocks'], len(blocks), n))
    check(v['complete'] and v['ordered'], 'complete %s, ordered %s' % (v['complete'], v['ordered']))
    bad = [i for i, b in enumerate(blocks)
           if b != {'index': i, 'entry': hex(K + region + i * esz),
                    'virt': hex(VBASE + (n - 1 - i) * BS),
                    'phys': hex((1 << 40) + (n - 1 - i) * BS)}]
    check(not bad, 'blocks not as the list has them, first at %s' % bad[:1])
    # the memory at 64 GiB is in no mem_section: unmanaged, an info finding
    ids = [f['id'] for f in j['findings']]
    check(set(ids) == {'TCE-VMEMMAP-BACKING-MISSING', 'TCE-DUMP-UNMANAGED'},
          'findings %s' % sorted(set(ids)))
    check(ids.count('TCE-VMEMMAP-BACKING-MISSING') == 257,
          '%d TCE-VMEMMAP-BACKING-MISSING findings: the cap is 256 and one that counts '
          'the rest' % ids.count('TCE-VMEMMAP-BACKING-MISSING'))
except (ValueError, KeyError, TypeError) as e:
    check(False, 'vmemmap --format json: not the document: %r' % e)
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
PYEOF
