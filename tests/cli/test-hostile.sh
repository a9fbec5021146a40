#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-hostile.sh [N] [SEED]: tce-inspect on hostile dumps, with a fixed seed
# so that a failure reproduces.  First the shapes of the defects an attack found
# (issue 17), each made afresh from the real sample with values drawn from SEED, never
# one file's bytes: kdump-compressed copies (tests/forge/mkdiskdump) cut short, or
# whose page descriptors, bitmap, block size, sub-header or notes lie, and the
# flattened format; ELF files whose program headers lie past the end, with a second
# PT_LOAD for memory whose data the file lacks, with a VMCOREINFO too big, too long,
# too deep, with an absurd PAGESIZE, a key that starts with '.' or holds a NUL (also
# kdump-compressed), with OFFSET()s near 2^64, with a vmemmap block in the linear map,
# with page tables linked from every entry above them.  Each must end with its documented status and one error line,
# never read zeros or the wrong bytes as data.  Then N copies of the sample with random
# bytes overwritten (headers, notes, memory; some cut short): every run must end (60 s
# at most), exit 0, 1 or 3, print exactly one line on stderr when it exits 3, and
# never trip the sanitizers (whose exit status is 99 here, never a documented one).
# Prints "N passed, N failed".
set -uo pipefail

TCE=${TCE_INSPECT:-cli/tce-inspect}
FORGE=${TCE_FORGE:-tests/forge/tce-forge}
MKDD=${TCE_MKDISKDUMP:-$(dirname "$FORGE")/mkdiskdump}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
N=${1:-40}
SEED=${2:-20261126}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# libkdumpfile's own leaks on corrupt notes are not ours to fix (see the file)
export LSAN_OPTIONS="suppressions=$srcdir/tests/cli/lsan-libkdumpfile.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# a sanitizer's report is never a documented exit status (also set by make check)
case ${ASAN_OPTIONS:-} in *exitcode=*) ;; *) export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99" ;; esac
case ${UBSAN_OPTIONS:-} in *exitcode=*) ;; *) export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=99" ;; esac
case ${LSAN_OPTIONS:-} in *exitcode=*) ;; *) export LSAN_OPTIONS="$LSAN_OPTIONS:exitcode=99" ;; esac
xz -dc "$srcdir/tests/fixtures/sample-hash-hotplug.elf.xz" >"$tmp/sample"

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $* (seed $SEED)"; }

# run WHAT STATUSES CMD...: the statuses allowed; one stderr line on 3; no sanitizer
# report; ends within 60 s.  Leaves the status in $rc, the output in $tmp/out, $tmp/err.
run() {
	local what=$1 want=$2 why=
	shift 2
	timeout 60 "$TCE" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	case " $want " in
	*" $rc "*) ;;
	*) case $rc in
	   124) why="did not end in 60 s" ;;
	   99) why="sanitizer (exit 99)" ;;
	   *) why="exit $rc, want one of: $want" ;;
	   esac ;;
	esac
	[ -z "$why" ] && [ "$rc" = 3 ] && [ "$(wc -l <"$tmp/err")" != 1 ] &&
		why="exit 3 with $(wc -l <"$tmp/err") stderr lines"
	grep -qE "Sanitizer|runtime error" "$tmp/err" &&
		why="sanitizer: $(grep -m1 -E 'ERROR|runtime error' "$tmp/err")"
	if [ -z "$why" ]; then ok; return 0; fi
	bad "$what: $why: $(head -c 300 "$tmp/err" | head -1)"
	return 1
}

# refused WHAT REGEX CMD...: exit 3, its one line matching REGEX
refused() {
	local what=$1 re=$2
	shift 2
	run "$what" 3 "$@" || return
	if grep -qE -- "$re" "$tmp/err"; then ok; else bad "$what: '$(cat "$tmp/err")' does not match /$re/"; fi
}

# all three commands on a file that must be refused at open
refused3() {
	local what=$1 re=$2 f=$3
	refused "$what: info" "$re" info "$f"
	refused "$what: vmemmap" "$re" vmemmap --format json "$f"
	refused "$what: page" "$re" page "$f" 0x10 0x5000
}

"$TCE" vmemmap --format json "$tmp/sample" >"$tmp/orig.json"
"$TCE" page --format json "$tmp/sample" 0x10 0x5000 0x6fff >"$tmp/orig-page.json"

# ---------------------------------------------------------------- the shapes, ELF
# Written by one Python program: each file, and a facts file the shell reads.
"$PY" - "$tmp" "$SEED" <<'PYEOF' || bad "making the ELF shapes"
import json, random, struct, sys
tmp, seed = sys.argv[1], int(sys.argv[2])
rnd = random.Random(seed)
src = bytes(open(tmp + '/sample', 'rb').read())
K = 0xc000000000000000

def phdrs(d):
    phoff, = struct.unpack_from('<Q', d, 32)
    phnum, = struct.unpack_from('<H', d, 56)
    return phoff, [list(struct.unpack_from('<IIQQQQQQ', d, phoff + 56 * i)) for i in range(phnum)]

def with_phdrs(d, ph):
    # a new program header table at the end of the file
    d = bytearray(d)
    off = len(d)
    for p in ph:
        d += struct.pack('<IIQQQQQQ', *p)
    struct.pack_into('<Q', d, 32, off)
    struct.pack_into('<H', d, 56, len(ph))
    return d

def vmcoreinfo(d):
    for p in phdrs(d)[1]:
        if p[0] == 4:
            o = p[2]
            nsz, dsz, _ = struct.unpack_from('<III', d, o)
            do = o + 12 + ((nsz + 3) & ~3)
            return d[do:do + dsz].decode()

def set_vmcoreinfo(d, text):
    # the note rewritten at the end of the file
    _, ph = phdrs(d)
    desc = text.encode()
    note = struct.pack('<III', 11, len(desc), 0) + b'VMCOREINFO\0\0' + desc + b'\0' * (-len(desc) % 4)
    d = bytearray(d)
    off = len(d)
    d += note
    for p in ph:
        if p[0] == 4:
            p[2], p[5], p[6] = off, len(note), len(note)
    return with_phdrs(d, ph)

def key(text, k, v):
    lines = [l for l in text.split('\n') if not l.startswith(k + '=')]
    lines.insert(rnd.randrange(1, len(lines)), k + '=' + v)
    return '\n'.join(lines)

def write(name, d):
    open('%s/%s' % (tmp, name), 'wb').write(d)

vmci = vmcoreinfo(src)
facts = {}
sym = {l.split('=')[0]: l.split('=')[1] for l in vmci.split('\n') if '=' in l}
facts['psize_phys'] = hex(int(sym['SYMBOL(mmu_vmemmap_psize)'], 16) - K)

# program headers that end past the file: libelf counts none for PN_XNUM without
# sections, libkdumpfile reads 65535
d = bytearray(src)
struct.pack_into('<Q', d, 32, len(d) - rnd.randrange(1, 56))
struct.pack_into('<H', d, 56, 0xffff)
write('phoff-xnum', d)
d = bytearray(src)
struct.pack_into('<Q', d, 32, len(d) - rnd.randrange(1, 56 * 13))
write('phoff-end', d)
# section headers (a vmcore has none; libkdumpfile acts on Xen sections)
d = bytearray(src) + bytearray(64 * 3)
struct.pack_into('<Q', d, 40, len(src))
struct.pack_into('<HHH', d, 58, 64, 3, 0)
write('sections', d)

# a second PT_LOAD for memory another one holds, its data past the end, placed first
phoff, ph = phdrs(src)
loads = [i for i, p in enumerate(ph) if p[0] == 1]
i = rnd.choice(loads)
ghost = list(ph[i])
ghost[2] = len(src) + rnd.randrange(1, 1 << 30)
ph2 = ph[:loads[0]] + [ghost] + ph[loads[0]:]
write('ghost-load', with_phdrs(src, ph2))
# every range doubled that way: nothing left to read but zeros
ph2 = [p for p in ph if p[0] != 1] + [[1, p[1], len(src) + 4096, p[3], p[4], p[5], p[6], p[7]] for p in ph if p[0] == 1] + [p for p in ph if p[0] == 1]
write('ghost-loads', with_phdrs(src, ph2))

# VMCOREINFO: too many lines, too big, too deep, an absurd PAGESIZE
nl = rnd.randrange(4097, 300000)
write('vmci-lines', set_vmcoreinfo(src, vmci + ''.join('K%d=%d\n' % (n, n) for n in range(nl))))
write('vmci-bytes', set_vmcoreinfo(src, key(vmci, 'BUILD-ID', 'f' * rnd.randrange(65536, 200000))))
write('vmci-deep', set_vmcoreinfo(src, vmci + 'a.' * rnd.randrange(200, 30000) + 'b=1\n'))
ps = rnd.choice([0, 512, 2048, 8192, 131072, 1 << 24, 1 << 31, 1 << rnd.randrange(32, 64), 12345])
write('vmci-pagesize', set_vmcoreinfo(src, key(vmci, 'PAGESIZE', str(ps))))
write('vmci-pagesize-noeq', set_vmcoreinfo(src, vmci + 'PAGESIZE\n'))
write('vmci-pagesize-dot', set_vmcoreinfo(src, vmci + '.PAGESIZE=%d\n' % ps))
# a key that starts with '.' (libkdumpfile 0.5.1 crashes on one), anywhere
dot = rnd.choice(['.', '..', '.PAGESIZE=65536', '.OSRELEASE=6.1', '.%x=%d' % (rnd.randrange(1 << 32), rnd.randrange(99)), '..SYMBOL(vmemmap)=c00c000000000000'])
lines = vmci.split('\n')
lines.insert(rnd.randrange(1, len(lines)), dot)
write('vmci-dot-key', set_vmcoreinfo(src, '\n'.join(lines)))
# a NUL in a key: libkdumpfile reads the key up to it ("PAGESIZE\0.." without '=' set a
# page size of 0, and a kdump-compressed file's reader asked for 2^63 bytes)
k = rnd.choice(['PAGESIZE', 'OSRELEASE', 'SYMBOL(vmemmap_list)', 'SIZE(page)'])
nul = k + '\0' * rnd.randrange(1, 5) + rnd.choice(['', '36', 'x=4096', '=65536'])
lines = vmci.split('\n')
lines.insert(rnd.randrange(1, len(lines)), nul)
write('vmci-nul-key', set_vmcoreinfo(src, '\n'.join(lines)))
# a Xen note beside it
d = set_vmcoreinfo(src, vmci)
_, ph = phdrs(d)
xen = struct.pack('<III', 10, 32, 0x2000001) + b'.note.Xen\0\0\0' + struct.pack('<QQQQ', 0, 0, 0, 1 << 40)
for p in ph:
    if p[0] == 4:
        note = bytes(d[p[2]:p[2] + p[5]]) + xen
        p[2], p[5], p[6] = len(d), len(note), len(note)
        d += note
write('vmci-xen', with_phdrs(d, ph))

# OFFSET() near 2^64: every field the vmemmap walk and a struct page read use
for f in ['vmemmap_backing.list', 'vmemmap_backing.phys', 'vmemmap_backing.virt_addr',
          'page.flags', 'page._refcount', 'page._mapcount', 'page.compound_head',
          'page.mapping', 'page.private', 'page.compound_order', 'mmu_psize_def.shift',
          'mem_section.section_mem_map']:
    v = (1 << 64) - rnd.randrange(1, 64)
    write('offset-' + f, set_vmcoreinfo(src, key(vmci, 'OFFSET(%s)' % f, str(v))))

# SYMBOL(mem_section) 2 bytes short of a page's end: no kernel's, and the root array's
# page-by-page read once found no whole pointer there and never moved on (fuzz-pgtable)
ms = int(sym['SYMBOL(mem_section)'], 16)
write('mem-section-misaligned',
      set_vmcoreinfo(src, key(vmci, 'SYMBOL(mem_section)', '%x' % ((ms | 0xffff) - 1))))

# a vmemmap block whose virt_addr lies in the linear map, over memory the dump holds,
# as the only block and with no mem_section (so the base comes from the blocks)
blocks = json.load(open(tmp + '/orig.json'))['vmemmap']['blocks']
def foff(d, phys):
    for p in phdrs(d)[1]:
        if p[0] == 1 and p[4] <= phys < p[4] + p[5]:
            return p[2] + phys - p[4]
loadp = [p for p in phdrs(src)[1] if p[0] == 1]
p = rnd.choice(loadp)
lin = p[4] + rnd.randrange(0, p[5] // 0x10000) * 0x10000
d = bytearray(src)
e = foff(d, int(blocks[0]['entry'], 16) - K)
struct.pack_into('<QQQ', d, e, 0, int(blocks[0]['phys'], 16), K + lin)
d = set_vmcoreinfo(d, '\n'.join(l for l in vmci.split('\n') if 'mem_section' not in l))
write('linear-block', d)
facts['linear_pfn'] = hex(lin // int(sym['SIZE(page)']))

with open(tmp + '/facts', 'w') as f:
    for k, v in facts.items():
        f.write('%s=%s\n' % (k, v))
PYEOF
# shellcheck disable=SC1091
. "$tmp/facts"

refused3 "e_phoff near the end, PN_XNUM" "program headers lie outside" "$tmp/phoff-xnum"
refused3 "e_phoff near the end" "program headers lie outside|corrupt program header" "$tmp/phoff-end"
refused3 "section headers" "sections: a vmcore has none" "$tmp/sections"
refused3 "a PT_LOAD past the end before the real one" "two PT_LOADs hold physical" "$tmp/ghost-load"
refused3 "every PT_LOAD doubled past the end" "two PT_LOADs hold physical" "$tmp/ghost-loads"
refused3 "VMCOREINFO of thousands of lines" "VMCOREINFO (has more than [0-9]+ lines|of [0-9]+ bytes)" "$tmp/vmci-lines"
refused3 "VMCOREINFO over 64 KiB" "VMCOREINFO of [0-9]+ bytes" "$tmp/vmci-bytes"
refused3 "VMCOREINFO key thousands of levels deep" "VMCOREINFO (line [0-9]+ has a key of|of [0-9]+ bytes)" "$tmp/vmci-deep"
refused3 "PAGESIZE absurd" "PAGESIZE=[0-9]* is not 4096 or 65536" "$tmp/vmci-pagesize"
refused3 "PAGESIZE without a value" "PAGESIZE= is not" "$tmp/vmci-pagesize-noeq"
refused3 "PAGESIZE with a leading dot" "a key that starts with '\\.'" "$tmp/vmci-pagesize-dot"
refused3 "a VMCOREINFO key that starts with '.'" "VMCOREINFO line [0-9]+ has a key that starts with '\\.'" "$tmp/vmci-dot-key"
refused3 "a NUL in a VMCOREINFO key" "VMCOREINFO line [0-9]+ has a NUL byte in its key" "$tmp/vmci-nul-key"
"$MKDD" "$tmp/vmci-nul-key" "$tmp/kd-nul-key" || bad "mkdiskdump vmci-nul-key"
refused3 "a NUL in a VMCOREINFO key, kdump-compressed" "VMCOREINFO line [0-9]+ has a NUL byte in its key" "$tmp/kd-nul-key"
refused3 "a Xen note" "Xen note: not a ppc64 Linux dump" "$tmp/vmci-xen"
run "SYMBOL(mem_section) not pointer-aligned" "0 1" check "$tmp/mem-section-misaligned"
grep -q "SYMBOL(mem_section)=0x[0-9a-f]*fffe is not aligned to a pointer" "$tmp/out" && ok ||
	bad "SYMBOL(mem_section) not pointer-aligned: $(grep -m1 mem_section "$tmp/out")"
for f in "$tmp"/offset-*; do
	n=${f##*/}
	run "$n: vmemmap" "0 1 3" vmemmap --format json "$f"
	run "$n: page" "0 1 3" page "$f" 0x10 0x5000 0x6fff
	# a field that does not fit is unknown: never a value read from outside the struct
	case $n in offset-page.*)
		if "$PY" - "$tmp/out" "$tmp/orig-page.json" "${n#offset-page.}" <<'PYEOF'; then ok; else bad "$n: page"; fi
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(0)     # refused: fine
field = {'_refcount': 'refcount', '_mapcount': 'mapcount'}.get(sys.argv[3], sys.argv[3])
for p in j.get('pages', []):
    if field in p and p[field] is not None and field in ('flags', 'refcount', 'mapcount', 'compound_head', 'mapping', 'private'):
        sys.exit('%s of pfn %s given as %r from an impossible offset' % (field, p.get('pfn'), p[field]))
PYEOF
	esac
done
# the linear-map block: its struct pages are never read through the linear map
run "a vmemmap block in the linear map: page" "1 3" page "$tmp/linear-block" "$linear_pfn"
if ! grep -q "_refcount" "$tmp/out"; then ok; else bad "a vmemmap block in the linear map: page $linear_pfn printed fields read through the linear map"; fi
# and the entry itself is a finding that names it (the clean dumps of test-cli.sh raise none)
run "a vmemmap block in the linear map: vmemmap" "1" vmemmap "$tmp/linear-block"
if grep -q "TCE-VMEMMAP-NOT-VMEMMAP \[entry:0\].*in the linear map" "$tmp/out"; then ok; else bad "a vmemmap block in the linear map: no TCE-VMEMMAP-NOT-VMEMMAP for entry 0"; fi

# mem_section roots that alternate between none and unreadable (a gap each): walked in
# linear time, not quadratic (a forge dump, whose 4K pages make 2^19 roots)
"$FORGE" -p 4k clean "$tmp/forge4k" >/dev/null || bad "tce-forge -p 4k clean"
"$PY" - "$tmp/forge4k" "$tmp/roots" "$SEED" <<'PYEOF' || bad "making the mem_section shape"
import random, struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
rnd = random.Random(int(sys.argv[3]))
K = 0xc000000000000000
phoff, = struct.unpack_from('<Q', d, 32)
ph = [struct.unpack_from('<IIQQQQQQ', d, phoff + 56 * i) for i in range(struct.unpack_from('<H', d, 56)[0])]
note = [p for p in ph if p[0] == 4][0]
text = d[note[2]:note[2] + note[5]].decode('latin-1')
sym = int(text.split('SYMBOL(mem_section)=')[1].split()[0], 16) - K
nroots = int(text.split('LENGTH(mem_section)=')[1].split()[0])
step = rnd.choice([2, 3])
for p in ph:
    if p[0] != 1:
        continue
    for r in range(0, nroots, step):
        a = sym + 8 * r
        if p[4] <= a < p[4] + p[5]:
            struct.pack_into('<Q', d, p[2] + a - p[4], K + (1 << 44) + rnd.randrange(1 << 30) * 8)
open(sys.argv[2], 'wb').write(d)
PYEOF
run "mem_section roots alternately unreadable: vmemmap" "0 1" vmemmap --format json "$tmp/roots"

# radix page tables whose PUD, PMD and PTE pages are each linked from every entry
# above them: three pages describe a hundred million leaves (7 GB and most of a minute
# before the walk refused a table linked twice); 6.12's shape, where the page tables
# are the vmemmap's only map
"$FORGE" -r -p 4k --kernel 6.12 clean "$tmp/r612" >/dev/null || bad "tce-forge -r -p 4k --kernel 6.12 clean"
"$PY" - "$tmp/r612" "$tmp/dag" "$SEED" <<'PYEOF' || bad "making the page-table shape"
import random, struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
rnd = random.Random(int(sys.argv[3]))
K = 0xc000000000000000
phoff, = struct.unpack_from('<Q', d, 32)
ph = [struct.unpack_from('<IIQQQQQQ', d, phoff + 56 * i) for i in range(struct.unpack_from('<H', d, 56)[0])]
note = [p for p in ph if p[0] == 4][0]
text = d[note[2]:note[2] + note[5]].decode('latin-1')
pgd = int(text.split('SYMBOL(swapper_pg_dir)=')[1].split()[0], 16) - K
def foff(phys):
    return [p[2] + phys - p[4] for p in ph if p[0] == 1 and p[4] <= phys < p[4] + p[5]][0]
rd = lambda a: struct.unpack_from('>Q', d, foff(a))[0]
def wr(a, v): struct.pack_into('>Q', d, foff(a), v)
i0 = (0xc00c000000000000 >> 39) & 0x1fff
e = rd(pgd + 8 * i0)
pud = e & 0x0fffffffffffff00
pmd = [x for x in (rd(pud + 8 * i) for i in range(512)) if x >> 63][0] & 0x0fffffffffffff00
# a free page for the PTE table: the last of the kernel data's PT_LOAD
pte = [p[4] + p[5] - 4096 for p in ph if p[0] == 1 and p[4] <= pmd < p[4] + p[5]][0]
assert not any(d[foff(pte):foff(pte) + 4096])
for i in range(rnd.randrange(1, 9)):
    wr(pgd + 8 * (i0 + i), e)
for i in range(512):
    wr(pud + 8 * i, pmd | 1 << 63 | 9)
    wr(pmd + 8 * i, pte | 1 << 63 | 9)
    wr(pte + 8 * i, 1 << 63 | 1 << 62 | rnd.randrange(1 << 20) << 12 | 0x8e)
open(sys.argv[2], 'wb').write(d)
PYEOF
run "page tables linked from every entry: vmemmap" 1 vmemmap "$tmp/dag"
if grep -q "TCE-VMEMMAP-NO-XLAT.*page table at 0x[0-9a-f]* is linked twice" "$tmp/out"; then ok; else bad "page tables linked from every entry: no TCE-VMEMMAP-NO-XLAT naming the table linked twice"; fi
run "page tables linked from every entry: page" "1 3" page "$tmp/dag" 0x100 0x7fff

# a page-table page makedumpfile left out loses its own entries only, not the walk: the
# real 6.12 radix sample (its page tables are the vmemmap's only map) with one 2M leaf
# of the vmemmap's PMD turned into a PTE table of 512 4K leaves to the same memory, as
# the kernel maps the vmemmap when a 2M page cannot be had, in a page of its own; then
# kdump-compressed with that page excluded, and with the PMD table's page excluded
xz -dc "$srcdir/tests/fixtures/sample-d13-radix.elf.xz" >"$tmp/r612"
"$PY" - "$tmp/r612" "$tmp/r612-pte" "$SEED" >"$tmp/pte-facts" <<'PYEOF' || bad "making the PTE-table shape"
import random, struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
rnd = random.Random(int(sys.argv[3]))
K = 0xc000000000000000
phoff, = struct.unpack_from('<Q', d, 32)
ph = [list(struct.unpack_from('<IIQQQQQQ', d, phoff + 56 * i)) for i in range(struct.unpack_from('<H', d, 56)[0])]
note = [p for p in ph if p[0] == 4][0]
text = d[note[2]:note[2] + note[5]].decode('latin-1')
val = lambda k: int(text.split(k + '=')[1].split()[0], 16)
pgd, vmemmap = val('SYMBOL(swapper_pg_dir)') - K, val('SYMBOL(vmemmap)')
loads = [p for p in ph if p[0] == 1]
foff = lambda a: [p[2] + a - p[4] for p in loads if p[4] <= a < p[4] + p[5]][0]
rd = lambda a: struct.unpack_from('>Q', d, foff(a))[0]
def wr(a, v): struct.pack_into('>Q', d, foff(a), v)
# 4K radix: PGD 13 bits at 39, PUD 9 at 30, PMD 9 at 21
pud = rd(pgd + 8 * ((vmemmap >> 39) & 0x1fff)) & 0x0fffffffffffff00
pmd = rd(pud + 8 * ((vmemmap >> 30) & 0x1ff)) & 0x0fffffffffffff00
leaves = [i for i in range(512) if rd(pmd + 8 * i) >> 62 == 3]
i = rnd.choice(leaves)
leaf = rd(pmd + 8 * i)
rpn = leaf & 0x00fffffffffff000
# a page no PT_LOAD holds, below the end of RAM
pte = rnd.choice([a for a in range(0x1000000, 0x40000000, 0x1000)
                  if not any(p[4] <= a < p[4] + p[5] for p in loads)][:4096])
wr(pmd + 8 * i, 1 << 63 | pte | 9)
at = len(d)
d += b''.join(struct.pack('>Q', leaf - rpn + rpn + j * 4096) for j in range(512))
ph.append([1, 7, at, K + pte, pte, 4096, 4096, 0])
phoff = len(d)
for p in ph:
    d += struct.pack('<IIQQQQQQ', *p)
struct.pack_into('<Q', d, 32, phoff)
struct.pack_into('<H', d, 56, len(ph))
open(sys.argv[2], 'wb').write(d)
ps = int(text.split('SIZE(page)=')[1].split()[0])
first = i * 0x200000 // ps
print('pte=0x%x pmd=0x%x first=0x%x last=0x%x other=0x%x pgd=0x%x' %
      (pte, pmd, first, first + 0x200000 // ps - 1, rnd.choice([x for x in leaves if x != i]) * 0x200000 // ps, pgd))
PYEOF
# shellcheck disable=SC1091
. "$tmp/pte-facts"
run "a vmemmap leaf as a PTE table: vmemmap" 0 vmemmap "$tmp/r612-pte"
grep -q "^struct pages: *read through page-tables" "$tmp/out" && ok || bad "a vmemmap leaf as a PTE table: not read through the page tables"
run "a vmemmap leaf as a PTE table: page" 0 page --format json "$tmp/r612-pte" "$first" "$last" "$other"
cp "$tmp/out" "$tmp/pte-page.json"
"$MKDD" --exclude "$pte" "$tmp/r612-pte" "$tmp/kd-pte" || bad "mkdiskdump --exclude $pte"
run "the PTE table's page excluded: vmemmap" 0 vmemmap --format json "$tmp/kd-pte"
want="the radix page tables over the struct pages of $((last - first + 1)) pfns are not in the dump (physical $pte is not in the dump: makedumpfile excluded its page)"
got=$(jq -r '.rules[] | select(.id == "TCE-VMEMMAP-UNCOVERED") | .outcome + ": " + .reason' "$tmp/out")
[ "$got" = "unknown: $want" ] && ok || bad "the PTE table's page excluded: TCE-VMEMMAP-UNCOVERED '$got', want 'unknown: $want'"
[ "$(jq -r .vmemmap.source "$tmp/out")" = page-tables ] && ok || bad "the PTE table's page excluded: source $(jq -r .vmemmap.source "$tmp/out")"
run "the PTE table's page excluded: page" 1 page --format json "$tmp/kd-pte" "$first" "$last" "$other"
"$PY" - "$tmp/out" "$tmp/pte-page.json" "$pte" <<'PYEOF' && ok || bad "the PTE table's page excluded: page"
import json, sys
got, elf = (json.load(open(f))['pages'] for f in sys.argv[1:3])
pte = int(sys.argv[3], 16)
for g in got[:2]:
    # not read, and the reason names the entry in the page left out
    assert g['flags'] is None and g['refcount'] is None, g
    why = g['error'].split(': physical ')[-1].split(' ', 1)
    assert pte <= int(why[0], 16) < pte + 4096, g['error']
    assert why[1] == 'is not in the dump: makedumpfile excluded its page', g['error']
assert got[2] == elf[2], (got[2], elf[2])
PYEOF
"$MKDD" --exclude "$pmd" "$tmp/r612-pte" "$tmp/kd-pmd" || bad "mkdiskdump --exclude $pmd"
run "the PMD table's page excluded: vmemmap" 1 vmemmap "$tmp/kd-pmd"
grep -q "TCE-VMEMMAP-NO-XLAT.*the radix page tables over the vmemmap cannot be read (their pages are not in the dump: physical $pmd is not in the dump: makedumpfile excluded its page)" "$tmp/out" &&
	ok || bad "the PMD table's page excluded: $(grep -m1 NO-XLAT "$tmp/out")"
# the PGD's first page left out (as Debian 13's makedumpfile leaves pages of a 4K PGD
# out): the entry that maps swapper_pg_dir itself is not in the dump, so the tables do
# not show they are radix, but the kernel says so (NUMBER(RADIX_MMU)=1) and the
# vmemmap's entry lies in another page of the PGD: read through the page tables as before
"$MKDD" --exclude "$pgd" "$tmp/r612-pte" "$tmp/kd-pgd" || bad "mkdiskdump --exclude $pgd"
run "the PGD's first page excluded: vmemmap" 0 vmemmap "$tmp/kd-pgd"
grep -q "^struct pages: *read through page-tables" "$tmp/out" && ok ||
	bad "the PGD's first page excluded: $(grep -m1 "^struct pages" "$tmp/out")"
run "the PGD's first page excluded: page" 0 page --format json "$tmp/kd-pgd" "$first" "$last" "$other"
cmp -s <(jq -c .pages "$tmp/out") <(jq -c .pages "$tmp/pte-page.json") && ok ||
	bad "the PGD's first page excluded: page: not the struct pages of the ELF dump"

# SYMBOL(swapper_pg_dir) that is no number (a mutation campaign's "-1" padded with
# spaces: the walk once started from what the failed parse left, an address whose
# entries straddle pages, and went back and forth between two of them for ever), and one
# not aligned to an entry, outside the dump: the page tables are unknown, said why
"$PY" - "$tmp/r612" "$tmp/pgd-nan" "$tmp/pgd-odd" <<'PYEOF' || bad "making the swapper_pg_dir shapes"
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
key = b'SYMBOL(swapper_pg_dir)='
i = d.find(key) + len(key)
j = d.find(b'\n', i)
for out, val in ((sys.argv[2], b'-1'.ljust(j - i)), (sys.argv[3], b'c0000fffff000004'.rjust(j - i, b'0'))):
    e = bytearray(d)
    e[i:j] = val
    open(out, 'wb').write(e)
PYEOF
for s in nan odd; do
	run "swapper_pg_dir $s: vmemmap" "0 1" vmemmap "$tmp/pgd-$s"
	case $s in
	nan) want="SYMBOL(swapper_pg_dir)=-1 *is not a number" ;;
	odd) want="(0xc0000fffff000004) is not aligned to the 8 bytes of an entry" ;;
	esac
	grep -q "^struct pages: .*radix page tables cannot be read (VMCOREINFO.*$want" "$tmp/out" &&
		ok || bad "swapper_pg_dir $s: $(grep -m1 "^struct pages" "$tmp/out")"
	run "swapper_pg_dir $s: page" "0 1" page --format json "$tmp/pgd-$s" 0x10 0x5000
	run "swapper_pg_dir $s: info" "0 1" info --format json "$tmp/pgd-$s"
done

# every source of tables failing at once is still one line on stderr (exit 3 promises
# one): the real 6.12 KVM sample (BTF, no debug file) with the modules list's head and
# hose_list pointing where the dump holds nothing
xz -dc "$srcdir/tests/fixtures/sample-d13-pnv-kvm.elf.xz" >"$tmp/pk"
"$TCE" types "$tmp/pk" modules hose_list >"$tmp/pk-types" || bad "types modules hose_list"
"$PY" - "$tmp/pk" "$tmp/pk-types" "$SEED" >"$tmp/pk-facts" <<'PYEOF' || bad "making the two-lists shape"
import random, struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
rnd = random.Random(int(sys.argv[3]))
K = 0xc000000000000000
sym = {l.split()[0]: int(l.split()[1], 16) for l in open(sys.argv[2]) if l.split()[1:2] and l.split()[1].startswith('0x')}
phoff, = struct.unpack_from('<Q', d, 32)
ph = [struct.unpack_from('<IIQQQQQQ', d, phoff + 56 * i) for i in range(struct.unpack_from('<H', d, 56)[0])]
loads = [p for p in ph if p[0] == 1]
foff = lambda a: [p[2] + a - p[4] for p in loads if p[4] <= a < p[4] + p[5]][0]
# a linear address past the end of RAM, 16-byte aligned
nowhere = K + (1 << 40) + rnd.randrange(1 << 30) * 16
for s in ('modules', 'hose_list'):
    struct.pack_into('<Q', d, foff(sym[s] - K), nowhere)
open(sys.argv[1] + '-lists', 'wb').write(d)
print('nowhere=0x%x' % nowhere)
PYEOF
# shellcheck disable=SC1091
. "$tmp/pk-facts"
for c in tables entries; do
	refused "the modules list and hose_list lead nowhere: $c" \
		"^tce-inspect: $tmp/pk-lists: kvm tables cannot be searched: whether kvm.ko is loaded: .*; powernv tables: the search stopped early: hose_list: .* is not mapped; pseries tables: the search stopped early: hose_list: ${nowhere}: $nowhere is not mapped$" \
		$c "$tmp/pk-lists"
done

# ---------------------------------------------------------------- the shapes, kdump-compressed
RANDOM=$SEED
mkdd() { # NAME MKDISKDUMP-OPTIONS...
	local name=$1
	shift
	"$MKDD" "$@" "$tmp/sample" "$tmp/$name" || bad "mkdiskdump $name $*"
}
mkdd kd-ok
run "kdump-compressed: info" 0 info "$tmp/kd-ok"
run "kdump-compressed: vmemmap" "0 1" vmemmap --format json "$tmp/kd-ok"
cp "$tmp/out" "$tmp/kd.json"
"$PY" - "$tmp/kd.json" "$tmp/orig.json" <<'PYEOF' && ok || bad "kdump-compressed: not the blocks of the ELF dump it was made from"
import json, sys
a, b = (json.load(open(f))['vmemmap']['blocks'] for f in sys.argv[1:])
assert a == b, (len(a), len(b))
PYEOF
run "kdump-compressed: page" "0 1" page --format json "$tmp/kd-ok" 0x10 0x5000 0x6fff
cmp -s <("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"])' "$tmp/out") \
	<("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"])' "$tmp/orig-page.json") &&
	ok || bad "kdump-compressed: page: not the struct pages of the ELF dump"

size=$(stat -c %s "$tmp/kd-ok")
# cut short: inside the header, the sub-header, the bitmap, the descriptors, the pages
for cut in $((RANDOM % 464)) $((65536 + RANDOM % 100)) $((131072 + RANDOM % 65536)) \
	$((262144 + RANDOM % 1000)) $((size - 1 - RANDOM % (size - 300000))); do
	mkdd kd-cut --cut "$cut"
	for c in info "vmemmap --format json" page; do
		args=($c)
		[ "$c" = page ] && args+=(--format json "$tmp/kd-cut" 0x10 0x5000) || args+=("$tmp/kd-cut")
		run "kdump-compressed cut at $cut: ${args[0]}" "0 1 3" "${args[@]}"
	done
done
# a page descriptor that lies: the page holding mmu_vmemmap_psize (read by every walk)
for pd in "offset=eof" "offset=$((size - RANDOM % 4096))" "size=0x1000000" \
	"size=$((65536 + RANDOM)) --set pd.@$psize_phys.flags=1" "offset=0xfffffffffffff000" \
	"size=$((RANDOM % 65536))"; do
	# shellcheck disable=SC2086
	mkdd kd-pd --set pd.@$psize_phys.$pd
	run "page descriptor $pd: vmemmap" 1 vmemmap --format json "$tmp/kd-pd"
	refused "page descriptor $pd: page" "not in the dump" page "$tmp/kd-pd" 0x10
done
mkdd kd-pd --set pd.all.offset=eof
refused "every page descriptor past the end: page" "not in the dump" page "$tmp/kd-pd" 0x10
mkdd kd-pd --set pd.last.offset=eof
run "the last page descriptor past the end: vmemmap" "0 1" vmemmap "$tmp/kd-pd"
# headers that lie
mkdd kd-h --set header.bitmap_blocks=$((4 + RANDOM * 64))
refused3 "a bitmap larger than the file" "bitmap lies outside the file" "$tmp/kd-h"
mkdd kd-h --set header.bitmap_blocks=$((0x80000000 + RANDOM))
refused3 "a bitmap of 2^31 blocks" "corrupt kdump-compressed file" "$tmp/kd-h"
mkdd kd-h --set header.block_size=$((1 << (RANDOM % 12)))
refused3 "a block size below 4096" "corrupt kdump-compressed file|not a ppc64 page size" "$tmp/kd-h"
mkdd kd-h --set header.block_size=$((1 << (17 + RANDOM % 2)))
refused3 "a block size of 128 or 256 KiB" "not a ppc64 page size" "$tmp/kd-h"
mkdd kd-h --set header.sub_hdr_size=$((0x80000000 + RANDOM))
refused3 "a negative sub-header size" "corrupt kdump-compressed file" "$tmp/kd-h"
mkdd kd-h --set header.version=$((RANDOM % 2 ? 0 : 0xffffffff))
refused3 "header version 0 or negative" "header version below 1" "$tmp/kd-h"
mkdd kd-h --set sub.size_note=$((size + RANDOM))
refused3 "notes past the end" "notes lie outside the file" "$tmp/kd-h"
mkdd kd-h --set sub.offset_note=eof
refused3 "notes at the end" "notes lie outside the file" "$tmp/kd-h"
mkdd kd-h --set header.version=3 --set sub.size_vmcoreinfo=$((size * 2 + RANDOM))
refused3 "VMCOREINFO past the end" "VMCOREINFO lies outside the file" "$tmp/kd-h"
mkdd kd-h --set header.version=3 --set sub.size_vmcoreinfo=0
refused3 "an empty VMCOREINFO" "no VMCOREINFO" "$tmp/kd-h"
mkdd kd-h --set sub.split=1
refused3 "one part of a split dump" "split dump" "$tmp/kd-h"
mkdd kd-h --set sub.max_mapnr_64=$((RANDOM % 2 ? 1 : -1))
run "max_mapnr_64 1 or 2^64-1: vmemmap" "0 1" vmemmap --format json "$tmp/kd-h"
run "max_mapnr_64 1 or 2^64-1: page" "0 1 3" page "$tmp/kd-h" 0x10
mkdd kd-h --set flat=1
refused3 "the flattened format" "flattened makedumpfile file" "$tmp/kd-h"
# VMCOREINFO's PAGESIZE must be the block size (libkdumpfile would switch to it)
"$MKDD" "$tmp/sample" "$tmp/kd-h" && "$PY" - "$tmp/kd-h" <<'PYEOF' || bad "making kd-h"
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
i = d.find(b'PAGESIZE=65536\n')
d[i:i + 15] = b'PAGESIZE=4096\n\n'
open(sys.argv[1], 'wb').write(d)
PYEOF
refused3 "VMCOREINFO PAGESIZE not the block size" "PAGESIZE=4096 but blocks of 65536" "$tmp/kd-h"

# ---------------------------------------------------------------- random mutations
"$PY" - "$tmp/sample" "$tmp" "$N" "$SEED" <<'PYEOF'
import random, sys
src = open(sys.argv[1], 'rb').read()
out, n, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(seed)
for i in range(n):
    b = bytearray(src)
    for _ in range(rnd.choice([1, 2, 8, 64])):
        # headers and notes are where parsers break; memory is where walks do
        pos = rnd.randrange(0, 4096) if rnd.random() < 0.4 else rnd.randrange(len(b))
        b[pos] = rnd.randrange(256)
    if rnd.random() < 0.1:
        b = b[:rnd.randrange(len(b))]
    open('%s/m%03d' % (out, i), 'wb').write(b)
PYEOF

for f in "$tmp"/m[0-9]*; do
	for cmd in "vmemmap --format json" "page --format json" info; do
		args=($cmd)
		if [ "${args[0]}" = page ]; then args=(page "$f" 0x10 0x5000 0x6fff); else args+=("$f"); fi
		run "$(basename "$f") ${args[0]}" "0 1 3" "${args[@]}"
	done
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
