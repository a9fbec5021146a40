#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/cli/test-live.sh: live mode (/proc/kcore) as far as a machine without a ppc64 kernel
# can test it; tests/e2e/live-kcore.sh runs it for real inside a powernv guest.
#  - The real sample with KVM tables (sample-d13-pnv-kvm: Debian 13's kernel, BTF in
#    memory) rewritten in the shape of a running kernel's /proc/kcore by kcore-shape.py
#    (CORE notes before VMCOREINFO, data at the virtual address's offset, the vmalloc and
#    vmemmap segments with no physical address): info counts those segments and the
#    same physical ranges; tables, entries and check give exactly the JSON of the vmcore.
#    A segment with no physical address that is not kcore's (p_paddr not all ones, so
#    its range wraps) is still refused: exit 3, one line.
#  - check --samples: on a file that does not change every finding is seen in every
#    sample and none is a race; on a dump path that changes between samples (a symlink
#    swapped to a copy with one KVM entry cleared, as soon as inotify says the first
#    sample opened its file: each sample opens the path afresh, as each sample of
#    /proc/kcore does) the finding about that entry is a race seen in 1 of 2 samples and
#    does not fail the run (JSON and JUnit), while the same run on the unchanged file
#    fails.  A later sample decides again only the first one's findings, from what each
#    was decided from: swapped to a copy where another entry of that table now maps no
#    memslot (a finding a whole check of the copy gives), every finding shows again, none
#    is a race, the run fails, and the new one is neither listed nor counted (that entry
#    is not read again); the other way round (the entry cleared in the first sample) no
#    finding is invented.  --samples 0 and 101: exit 2, one line.
#  - Permission: as an unprivileged user (setpriv, when run as root), a procfs file it may
#    not read (/proc/1/environ, as /proc/kcore is to any user but root) gives exit 3 and
#    one line saying a running kernel needs root; a regular file it may not read gives
#    exit 3 and one line without that hint.
set -uo pipefail

srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
FIX="$srcdir/tests/fixtures"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "test-live.sh: SKIP: no python3"; exit 77; }
command -v xz >/dev/null || { echo "test-live.sh: SKIP: no xz"; exit 77; }
TCE=${TCE_INSPECT:-$(pwd)/cli/tce-inspect}
[ -x "$TCE" ] || { echo "test-live.sh: FAIL: no tce-inspect at $TCE"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
T=(--no-debuginfod --debug-dir /nonexistent)

xz -dc "$FIX/sample-d13-pnv-kvm.elf.xz" >"$tmp/a.elf"
"$PY" "$srcdir/tests/cli/kcore-shape.py" "$tmp/a.elf" "$tmp/a.kcore" || { echo "FAIL: kcore-shape.py"; exit 1; }

# ---- the kcore shape reads as the vmcore does
"$TCE" info --format json "${T[@]}" "$tmp/a.elf" >"$tmp/info-elf.json" || bad "info on the vmcore"
"$TCE" info --format json "${T[@]}" "$tmp/a.kcore" >"$tmp/info-kcore.json" || bad "info on the kcore shape"
"$PY" - "$tmp/info-elf.json" "$tmp/info-kcore.json" <<'EOF' && ok "info: kcore's virtual-only segments counted, the same physical ranges" || bad "info"
import json, sys
e, k = (json.load(open(p)) for p in sys.argv[1:3])
assert e['virt_segments'] == 0 and e['live'] is False, e
# vmalloc plus one vmemmap segment per RAM range
assert k['virt_segments'] == 1 + k['ranges'], k
assert k['live'] is False, k    # a regular file, not procfs
for f in ('ranges', 'phys_bytes', 'phys_end', 'release', 'mmu', 'page_size'):
	assert e[f] == k[f], (f, e[f], k[f])
EOF
for cmd in tables entries check; do
	"$TCE" $cmd --format json "${T[@]}" "$tmp/a.elf" 2>&1 | sed "s|$tmp/a.elf|DUMP|g" >"$tmp/$cmd-elf.json"
	"$TCE" $cmd --format json "${T[@]}" "$tmp/a.kcore" 2>&1 | sed "s|$tmp/a.kcore|DUMP|g" >"$tmp/$cmd-kcore.json"
	if [ -s "$tmp/$cmd-elf.json" ] && cmp -s "$tmp/$cmd-elf.json" "$tmp/$cmd-kcore.json"; then
		ok "$cmd: the same JSON on the kcore shape ($(wc -c <"$tmp/$cmd-elf.json") bytes)"
	else
		bad "$cmd differs on the kcore shape"
		diff "$tmp/$cmd-elf.json" "$tmp/$cmd-kcore.json" | head -n 10
	fi
done
# a segment whose p_paddr is not all ones but wraps: refused, as before
"$PY" - "$tmp/a.kcore" "$tmp/wrap.kcore" <<'EOF'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read(1 << 20))
phnum, = struct.unpack_from('<H', d, 0x38)
for i in range(phnum):
	o = 64 + 56 * i
	if struct.unpack_from('<I', d, o)[0] == 1 and struct.unpack_from('<Q', d, o + 24)[0] == 2**64 - 1:
		struct.pack_into('<Q', d, o + 24, 2**64 - 2)
		break
with open(sys.argv[2], 'wb') as f:
	f.write(d)
EOF
rc=0
"$TCE" info "${T[@]}" "$tmp/wrap.kcore" >/dev/null 2>"$tmp/wrap.err" || rc=$?
if [ $rc -eq 3 ] && [ "$(wc -l <"$tmp/wrap.err")" -eq 1 ] && grep -q 'corrupt program header' "$tmp/wrap.err"; then
	ok "p_paddr 0xfffffffffffffffe (wraps): exit 3, $(cat "$tmp/wrap.err")"
else
	bad "a wrapping p_paddr: exit $rc, $(cat "$tmp/wrap.err")"
fi

# ---- --samples
"$TCE" check --samples 3 --format json "${T[@]}" "$tmp/a.kcore" >"$tmp/s3.json"
echo "exit $?" >"$tmp/s3.rc"
"$PY" - "$tmp/s3.json" <<'EOF' && ok "--samples 3 on an unchanging file: every finding in 3 of 3, no race" || bad "--samples 3 on an unchanging file"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['samples'] == 3 and d['live'] is False, d['samples']
assert d['findings'], 'the sample has findings'
for f in d['findings']:
	assert f['samples_seen'] == 3 and f['race'] is False, f
assert d['summary']['races'] == 0 and d['summary']['later_sample_only'] == 0, d['summary']
EOF
for n in 0 101; do
	rc=0
	"$TCE" check --samples $n "${T[@]}" "$tmp/a.kcore" >/dev/null 2>"$tmp/sn.err" || rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/sn.err")" -eq 1 ] && ok "--samples $n: exit 2, $(cat "$tmp/sn.err")" ||
		bad "--samples $n: exit $rc, $(cat "$tmp/sn.err")"
done

# b: a copy whose KVM entry at liobn 0x80000003, bus 0x80f000000 (a guest address in no
# memslot: kvm-tables.c writes it so) is cleared
KEY='kvm:pid=151:liobn=0x80000003:bus=0x80f000000'
"$PY" - "$tmp/a.elf" "$tmp/b.elf" <<'EOF' || { echo "FAIL: cannot make b"; exit 1; }
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
raw = struct.pack('<Q', 0x7f000000003)     # gpa 0x7f000000000 | read | write
assert d.count(raw) == 1, d.count(raw)
i = d.find(raw)
d[i:i + 8] = bytes(8)
open(sys.argv[2], 'wb').write(d)
EOF
"$PY" "$srcdir/tests/cli/kcore-shape.py" "$tmp/b.elf" "$tmp/b.kcore"
# c: a copy whose entry at the same LIOBN's bus 0x75000000 (guest page 0x101000000,
# read-only) maps guest address 0x7f100000000, in no memslot
KEYC='kvm:pid=151:liobn=0x80000003:bus=0x75000000'
"$PY" - "$tmp/a.elf" "$tmp/c.elf" <<'EOF' || { echo "FAIL: cannot make c"; exit 1; }
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
raw = struct.pack('<Q', 0x101000001)
assert d.count(raw) == 1, d.count(raw)
i = d.find(raw)
d[i:i + 8] = struct.pack('<Q', 0x7f100000001)
open(sys.argv[2], 'wb').write(d)
EOF
"$PY" "$srcdir/tests/cli/kcore-shape.py" "$tmp/c.elf" "$tmp/c.kcore"
rm -f "$tmp/a.elf" "$tmp/b.elf" "$tmp/c.elf"
"$TCE" check --format json "${T[@]}" "$tmp/c.kcore" >"$tmp/c.json"
"$PY" - "$tmp/c.json" "$KEYC" <<'EOF' || bad "check on c: no finding at $KEYC"
import json, sys
d = json.load(open(sys.argv[1]))
assert [f['id'] for f in d['findings'] if f['key'] == sys.argv[2]] == ['TCE-KVM-NO-MEMSLOT']
EOF
# the other 16 findings as a baseline: what is left fails at --fail-on warning
"$PY" - "$tmp/s3.json" "$tmp/base.json" "$KEY" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
n = len(d['findings'])
d['findings'] = [f for f in d['findings'] if f['key'] != sys.argv[3]]
assert len(d['findings']) == n - 1, 'the sample has the finding'
json.dump(d, open(sys.argv[2], 'w'))
EOF

# Runs check --samples 2 on $tmp/dump, a symlink to $1 swapped to $2 as soon as the first
# sample opens $1; the output (--format ${3:-json}) in $tmp/swap.json, the exit status in rc.
swap_check() {
	ln -sfn "$1" "$tmp/dump"
	"$PY" "$srcdir/tests/cli/swap-on-open.py" "$1" "$2" "$tmp/dump" "$tmp/ready" &
	local pid=$! i=0
	while [ ! -e "$tmp/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	rc=0
	"$TCE" check --samples 2 --fail-on warning --baseline "$tmp/base.json" --format "${3:-json}" \
		"${T[@]}" "$tmp/dump" >"$tmp/swap.json" 2>"$tmp/swap.err" || rc=$?
	wait $pid
	rm -f "$tmp/ready"
}
rc=0
"$TCE" check --samples 2 --fail-on warning --baseline "$tmp/base.json" "${T[@]}" "$tmp/a.kcore" \
	>/dev/null 2>&1 || rc=$?
[ $rc -eq 1 ] && ok "unchanging file, the finding not baselined: exit 1" ||
	bad "unchanging file, the finding not baselined: exit $rc"
swap_check "$tmp/a.kcore" "$tmp/b.kcore"
"$PY" - "$tmp/swap.json" "$KEY" <<'EOF' && [ $rc -eq 0 ] && ok "changed between samples: a race in 1 of 2, exit 0" || bad "changed between samples (exit $rc): $(cat "$tmp/swap.err")"
import json, sys
d = json.load(open(sys.argv[1]))
races = [f for f in d['findings'] if f['race']]
assert [f['key'] for f in races] == [sys.argv[2]], races
assert races[0]['samples_seen'] == 1 and not races[0]['baselined'], races
assert all(f['samples_seen'] == 2 for f in d['findings'] if not f['race'])
assert d['summary']['races'] == 1 and d['summary']['exit_status'] == 0, d['summary']
EOF
swap_check "$tmp/a.kcore" "$tmp/c.kcore"
"$PY" - "$tmp/swap.json" "$KEY" "$KEYC" <<'EOF' && [ $rc -eq 1 ] && ok "another entry changed between samples: every finding in 2 of 2, the new one not read, exit 1" || bad "another entry changed between samples (exit $rc): $(cat "$tmp/swap.err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['findings'] and all(f['samples_seen'] == 2 and not f['race'] for f in d['findings'])
keys = [f['key'] for f in d['findings']]
assert sys.argv[2] in keys and sys.argv[3] not in keys, keys
assert d['summary']['races'] == 0 and d['summary']['later_sample_only'] == 0, d['summary']
EOF
swap_check "$tmp/b.kcore" "$tmp/a.kcore"
"$PY" - "$tmp/swap.json" "$KEY" <<'EOF' && [ $rc -eq 0 ] && ok "appeared in the second sample: not invented, exit 0" || bad "appeared in the second sample (exit $rc): $(cat "$tmp/swap.err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert sys.argv[2] not in [f['key'] for f in d['findings']]
assert all(f['samples_seen'] == 2 for f in d['findings'])
assert d['summary']['later_sample_only'] == 0 and d['summary']['races'] == 0, d['summary']
EOF
cp "$tmp/swap.json" "$tmp/swap-later.json"
# JUnit: the race is in the testcase's system-out, marked, and fails nothing
swap_check "$tmp/a.kcore" "$tmp/b.kcore" junit
if [ $rc -eq 0 ] && grep -q "TCE-KVM-NO-MEMSLOT \[$KEY\]: .*(race)" "$tmp/swap.json" &&
	! grep -q '<failure' "$tmp/swap.json"; then
	ok "JUnit: the race marked, no failure, exit 0"
else
	bad "JUnit with a race (exit $rc)"
fi
"$TCE" check --samples 2 "${T[@]}" "$tmp/a.kcore" >"$tmp/s2.txt"
grep -q '^samples:  2; 0 findings did not show' "$tmp/s2.txt" &&
	ok "text: the samples line" || bad "text: no samples line"

# the documents follow doc/tce-inspect.schema.json (where python3-jsonschema is installed)
"$PY" - "$srcdir/doc/tce-inspect.schema.json" "$tmp/info-kcore.json" "$tmp/s3.json" "$tmp/swap-later.json" <<'EOF' && ok "info and check --samples JSON follow the schema" || bad "JSON not as the schema says"
import json, sys
try:
	import jsonschema
except ImportError:
	sys.exit(0)
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
for p in sys.argv[2:]:
	e = jsonschema.exceptions.best_match(v.iter_errors(json.load(open(p))))
	if e is not None:
		sys.exit('%s: %s at %s' % (p, e.message[:200], '/'.join(map(str, e.absolute_path))))
EOF

# ---- permission
as_user=()
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if [ "$(id -u)" -eq 0 ] && [ ${#as_user[@]} -eq 0 ]; then
	echo "skip: permission checks (root without setpriv)"
elif ! "${as_user[@]}" "$TCE" --version >/dev/null 2>&1; then
	echo "skip: permission checks (the unprivileged user cannot run $TCE)"
else
	rc=0
	"${as_user[@]}" "$TCE" info /proc/1/environ >/dev/null 2>"$tmp/perm.err" || rc=$?
	if [ $rc -eq 3 ] && [ "$(wc -l <"$tmp/perm.err")" -eq 1 ] &&
		grep -q 'Permission denied: reading a running kernel needs root' "$tmp/perm.err"; then
		ok "procfs, no permission: exit 3, $(cat "$tmp/perm.err")"
	else
		bad "procfs, no permission: exit $rc, $(cat "$tmp/perm.err")"
	fi
	# mode 0: unreadable to its owner too, when the suite runs as a user
	install -m 000 /dev/null "$tmp/private.kcore"
	chmod 755 "$tmp"
	rc=0
	"${as_user[@]}" "$TCE" info "$tmp/private.kcore" >/dev/null 2>"$tmp/perm2.err" || rc=$?
	if [ $rc -eq 3 ] && [ "$(wc -l <"$tmp/perm2.err")" -eq 1 ] &&
		grep -q 'Permission denied$' "$tmp/perm2.err"; then
		ok "a regular file, no permission: exit 3, $(cat "$tmp/perm2.err")"
	else
		bad "a regular file, no permission: exit $rc, $(cat "$tmp/perm2.err")"
	fi
fi
exit $fail
