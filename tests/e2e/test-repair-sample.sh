#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/test-repair-sample.sh: tce-inspect repair on real data without booting
# anything.  From the repo's real sample it rebuilds the faults QEMU 7.2's
# dump-guest-memory has on ppc64 pseries (ELF and program headers big-endian for a
# little-endian guest, a PT_NOTE of QEMU's own CORE notes instead of VMCOREINFO, p_vaddr
# = p_paddr), with the VMCOREINFO note in guest memory as the kernel keeps it (a page of
# its own); then tce-inspect repair must find that note by itself and write a dump that
# libkdumpfile (kdumpcheck) and oracle.py read exactly as the ground truth, leave its
# input alone, and refuse the same file without the note with one line and exit 3.
set -euo pipefail

srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
E2E="$srcdir/tests/e2e"
FIX="$srcdir/tests/fixtures"
TCE=${TCE_INSPECT:-cli/tce-inspect}
KDUMPCHECK=${KDUMPCHECK:-tests/e2e/kdumpcheck}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "test-repair-sample.sh: SKIP: no python3"; exit 77; }
command -v xz >/dev/null || { echo "test-repair-sample.sh: SKIP: no xz"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xz -dc "$FIX/sample-hash-hotplug.elf.xz" >"$tmp/fixed.elf"

# Make the QEMU-style file; prints the note's guest physical address and buffer size, and
# the address of some other memory in the dump.
addr=$("$PY" - "$tmp/fixed.elf" "$tmp/qemu.elf" <<'EOF'
import struct, sys
src, dst = sys.argv[1:3]
data = open(src, 'rb').read()
ph = []
phoff, = struct.unpack_from('<Q', data, 32)
phnum, = struct.unpack_from('<H', data, 56)
for i in range(phnum):
	ph.append(list(struct.unpack_from('<IIQQQQQQ', data, phoff + 56 * i)))
note = [p for p in ph if p[0] == 4][0]
vmci = data[note[2]:note[2] + note[5]]
loads = [p for p in ph if p[0] == 1]
# The note lives in a page of guest memory above everything else, as in the guest.
paddr = max(p[4] + p[5] for p in loads) + 0x10000
page = vmci + b'\0' * (0x20000 - len(vmci))	# the kernel's buffer is 0x10024 bytes
# QEMU's CORE notes of one CPU, big-endian: PRSTATUS, FPREGSET, VMX, VSX
core = b''.join(struct.pack('>III', 5, n, t) + b'CORE\0\0\0\0' + b'\0' * n
		for t, n in ((1, 504), (2, 264), (0x100, 544), (0x102, 256)))
body = bytearray(data)
core_off = len(body)
body += core
load_off = (len(body) + 0xffff) & ~0xffff
body += b'\0' * (load_off - len(body)) + page
out = [[4, 0, core_off, 0, 0, len(core), len(core), 0]]
for p in loads:
	out.append([1, 7, p[2], p[4], p[4], p[5], p[6], 0])		# p_vaddr = p_paddr
out.append([1, 7, load_off, paddr, paddr, len(page), len(page), 0])
hdr = bytearray(body[:64])
hdr[5] = 2							# ELFDATA2MSB
e = struct.unpack_from('<HHIQQQIHHHHHH', data, 16)
struct.pack_into('>HHIQQQIHHHHHH', hdr, 16, e[0], e[1], e[2], e[3], 64, 0, e[6], e[7], 56,
		 len(out), 0, 0, 0)
body[:64] = hdr
if 64 + 56 * len(out) > min(p[2] for p in out):
	sys.exit('no room for the program headers')
for i, p in enumerate(out):
	struct.pack_into('>IIQQQQQQ', body, 64 + 56 * i, *p)
open(dst, 'wb').write(body)
print('%x %x %x' % (paddr, 0x10024, loads[0][4]))
EOF
)
read -r note_addr note_size data_addr <<<"$addr"

pass=0
fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL: $1"; fail=$((fail + 1)); }

cp "$tmp/qemu.elf" "$tmp/in.elf"
if "$TCE" repair "$tmp/in.elf" "$tmp/work.elf" >"$tmp/out" 2>&1 &&
	grep -q "headers big-endian for a little-endian guest; no VMCOREINFO, the kernel's note ([0-9]* bytes) taken from guest physical 0x$note_addr;" "$tmp/out"; then
	ok "repair finds the note and repairs a QEMU-style dump ($(cat "$tmp/out"))"
else
	ko "repair failed: $(cat "$tmp/out")"
fi
cmp -s "$tmp/qemu.elf" "$tmp/in.elf" && ok "repair leaves its input alone" || ko "repair wrote its input"
pfns=$("$PY" -c 'import json,sys; print(" ".join(str(p["pfn"]) for p in json.load(open(sys.argv[1]))["pages"]))' "$FIX/sample-hash-hotplug.json")
# shellcheck disable=SC2086
"$PY" "$E2E/oracle.py" --reader own "$tmp/work.elf" $pfns >"$tmp/oracle.json"
# shellcheck disable=SC2086
"$KDUMPCHECK" "$tmp/work.elf" $pfns >"$tmp/kd.json"
if "$PY" - "$FIX/sample-hash-hotplug.json" "$tmp/oracle.json" "$tmp/kd.json" <<'EOF'
import json, sys
t, o, k = (json.load(open(p)) for p in sys.argv[1:4])
assert o['blocks'] == t['blocks'] and o['pages'] == t['pages'], 'oracle differs'
assert k['attributes']['arch.byte_order'] == 1 and k['attributes']['arch.name'] == 'ppc64', k['attributes']
assert k['blocks'] == t['blocks'], 'libkdumpfile blocks differ'
assert [p['flags'] for p in k['pages']] == [p['flags'] for p in t['pages']], 'libkdumpfile pages differ'
EOF
then
	ok "the fixed dump reads as the ground truth (oracle.py, libkdumpfile)"
else
	ko "the fixed dump does not read as the ground truth"
fi
"$PY" - "$tmp/work.elf" <<'EOF' && ok "p_vaddr in the linear map, program headers at 64" || ko "headers not as /proc/vmcore has them"
import struct, sys
d = open(sys.argv[1], 'rb').read(4096)
assert d[5] == 1 and struct.unpack_from('<Q', d, 32)[0] == 64
n = struct.unpack_from('<H', d, 56)[0]
ph = [struct.unpack_from('<IIQQQQQQ', d, 64 + 56 * i) for i in range(n)]
assert sum(p[0] == 4 for p in ph) == 1
assert all(p[3] == 0xc000000000000000 | p[4] for p in ph if p[0] == 1)
EOF

if "$TCE" repair "$tmp/work.elf" "$tmp/again.elf" 2>"$tmp/err" && [ ! -e "$tmp/again.elf" ] &&
	grep -q 'nothing to repair' "$tmp/err"; then
	ok "a repaired dump needs no repair"
else
	ko "repair of a repaired dump: $(cat "$tmp/err")"
fi

# the same QEMU-style file without the note in guest memory: refused, with one line
"$PY" - "$tmp/qemu.elf" "$tmp/bad.elf" "$note_addr" <<'EOF'
import struct, sys
src, dst, addr = sys.argv[1], sys.argv[2], int(sys.argv[3], 16)
d = bytearray(open(src, 'rb').read())
n, = struct.unpack_from('>H', d, 56)
for i in range(n):
	t, _, off, _, pa, fsz = struct.unpack_from('>IIQQQQ', d, 64 + 56 * i)
	if t == 1 and pa <= addr < pa + fsz:
		d[off + addr - pa:off + addr - pa + 24] = b'\0' * 24
open(dst, 'wb').write(d)
EOF
rc=0
"$TCE" repair "$tmp/bad.elf" "$tmp/bad-out.elf" >"$tmp/out" 2>"$tmp/err" || rc=$?
if [ "$rc" -eq 3 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -e "$tmp/bad-out.elf" ] &&
	grep -q "none of its guest memory holds the kernel's VMCOREINFO note" "$tmp/err"; then
	ok "no note in guest memory: refused ($(cat "$tmp/err"))"
else
	ko "no note in guest memory: exit $rc, stderr: $(cat "$tmp/err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
