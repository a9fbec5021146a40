#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/e2e/check-sample-d13-pnv-kvm.sh: the repository's sample with real KVM TCE tables
# that tce-inspect reads with NO debug file (tests/fixtures/sample-d13-pnv-kvm.elf.xz,
# trimmed from mkdump.sh d13-pnv-kvm by mksample.sh: Debian 13's 6.12 kernel, whose BTF
# and kvm.ko's split BTF are in the dump's memory, its symbols in kallsyms) and its two
# truths (sample-d13-pnv-kvm.truth.txt.xz, what kvm-tables.c printed in the guest;
# sample-d13-pnv-kvm.drgn-truth.txt.xz, what tables-oracle.py read with drgn and Debian's
# debug files).  Run by `make check`, on every machine:
#  - check-sample.sh on the sample (libkdumpfile and oracle.py against
#    sample-d13-pnv-kvm.json);
#  - check-tables.py --sample --no-debug-files --require-answers: the two truths agree,
#    every table page they name is in the sample and holds their entries, and tce-inspect
#    tables and entries (--debug-dir /nonexistent --no-debuginfod) give every table and
#    every valid entry (raw, target, permissions, memslot, hva, host pfn or why there is
#    none) and nothing else; exit 3 ("unknown") is a failure here;
#  - tce-inspect check --strict, no debug file: exit 0, no rule unknown, no error, and the
#    findings above info are exactly the entries the guest wrote to a guest address in no
#    memslot (TCE-KVM-NO-MEMSLOT, warning: kvm-tables.c writes 17 on purpose), each once.
# TCE_INSPECT names the binary (default: the build tree's cli/tce-inspect).
set -euo pipefail

srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
export srcdir
E2E="$srcdir/tests/e2e"
FIX="$srcdir/tests/fixtures"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "check-sample-d13-pnv-kvm.sh: SKIP: no python3"; exit 77; }
command -v xz >/dev/null || { echo "check-sample-d13-pnv-kvm.sh: SKIP: no xz"; exit 77; }
TCE=${TCE_INSPECT:-$(pwd)/cli/tce-inspect}
[ -x "$TCE" ] || { echo "check-sample-d13-pnv-kvm.sh: FAIL: no tce-inspect at $TCE (build it, or set TCE_INSPECT)"; exit 1; }

"$E2E/check-sample.sh" "$FIX/sample-d13-pnv-kvm.elf.xz" "$FIX/sample-d13-pnv-kvm.json"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xz -dc "$FIX/sample-d13-pnv-kvm.elf.xz" >"$tmp/vmcore.elf"
cp "$FIX/sample-d13-pnv-kvm.truth.txt.xz" "$tmp/truth.txt.xz"
cp "$FIX/sample-d13-pnv-kvm.drgn-truth.txt.xz" "$tmp/drgn-truth.txt.xz"
"$PY" "$E2E/check-tables.py" --sample --no-debug-files --require-answers "$tmp" "$TCE"

rc=0
"$TCE" check --strict --format json --debug-dir /nonexistent --no-debuginfod "$tmp/vmcore.elf" \
	>"$tmp/check.json" 2>"$tmp/check.err" || rc=$?
if [ "$rc" -ne 0 ]; then
	echo "check-sample-d13-pnv-kvm.sh: FAIL: tce-inspect check --strict exited $rc:"
	cat "$tmp/check.err"
	exit 1
fi
"$PY" - "$tmp/check.json" "$tmp/truth.txt.xz" <<'PYEOF'
import json, lzma, sys
got = json.load(open(sys.argv[1]))
# What the guest wrote to no memslot (kvm-tables.c: "entry liobn=.. bus=.. slot=none").
want = set()
pid = None
with lzma.open(sys.argv[2], 'rt') as f:
	for line in f:
		kind, _, rest = line.strip().partition(' ')
		kv = dict(p.split('=', 1) for p in rest.split() if '=' in p)
		# keys name the VM by its VMM's pid (kvm-tables.c runs without -name)
		if kind == 'kvm':
			pid = int(kv['pid'], 0)
		if kind == 'entry' and 'liobn' in kv and kv.get('slot') == 'none':
			want.add('kvm:pid=%d:liobn=0x%x:bus=0x%x' % (pid, int(kv['liobn'], 0),
								    int(kv['bus'], 0)))
bad = []
if not want:
	bad.append('the truth has no entry in no memslot: not the recorded guest')
seen = []
for f in got['findings']:
	if f['severity'] == 'info':
		continue
	if f['id'] == 'TCE-KVM-NO-MEMSLOT' and f['severity'] == 'warning' and f['key'] in want:
		seen.append(f['key'])
	else:
		bad.append('finding %s (%s) %s: %s' % (f['id'], f['severity'], f['key'], f['message']))
if sorted(seen) != sorted(want):
	bad.append('TCE-KVM-NO-MEMSLOT named %d entries (%d distinct), the guest wrote %d to no memslot; missing: %s'
		   % (len(seen), len(set(seen)), len(want), sorted(want - set(seen))[:4]))
s = got['summary']
if s['unknown'] or s['exit_status'] != 0:
	bad.append('summary %r: a rule could not decide, or the status is not 0' % s)
unknown = [o for o in got['outcomes'] if o.get('outcome') == 'unknown'] if 'outcomes' in got else []
for o in unknown:
	bad.append('rule %s unknown: %s' % (o.get('id'), o.get('reason')))
for b in bad[:20]:
	print('check-sample-d13-pnv-kvm.sh: FAIL: check: %s' % b)
if bad:
	sys.exit(1)
print('check-sample-d13-pnv-kvm.sh: check: exit 0, %d rules pass, %d fail, 0 unknown; the %d findings above info '
      'are the %d entries the guest wrote to no memslot' % (s['pass'], s['fail'], len(seen), len(want)))
PYEOF
