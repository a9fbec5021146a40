#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/check-diff.py DIR TCE_INSPECT: `tce-inspect diff` of two real dumps of one
running guest against the guest's own truth.  DIR is mkdump.sh's pnv-kvm-change: vmcore.elf
and truth.txt before kvm-tables --change changed its tables, vmcore-after.elf and
truth-after.txt after (kvm-tables.c's line format).  From the two truths alone it works out
which KVM tables went away, appeared or stayed (keyed kvm:pid=PID:liobn=LIOBN: the program
is no QEMU, so its VM has no -name) and, bus address by bus address, which entries were
mapped, unmapped, remapped (another gpa) or changed (the same gpa, other permissions);
diff's JSON must list exactly those, with the raw entries the truth gives and, where the
guest's pagemap gave one, the host pfn behind each gpa; every other table unchanged; no
finding appeared or went away but at a bus address that changed; the exit status the
summary gives; and the text's summary counts the same.  Exit 0 pass, 1 fail, 77 when DIR
lacks the dumps (mkdump.sh pnv-kvm-change makes them).
"""
import json
import os
import re
import subprocess
import sys


def parse(path):
	"""pid, {liobn: (page_shift, offset, size)}, {(liobn, bus): (raw, gpa, pfn)}"""
	pid, tables, entries = None, {}, {}
	for line in open(path):
		kind, _, rest = line.strip().partition(' ')
		kv = dict(f.split('=', 1) for f in rest.split() if '=' in f)
		if kind in ('kvm', 'AFTER'):
			pid = int(kv['pid'])
		elif kind == 'table':
			tables[int(kv['liobn'], 16)] = (int(kv['page_shift']), int(kv['offset'], 16),
							int(kv['size'], 16))
		elif kind == 'entry':
			pfn = kv.get('pfn', 'none')
			entries[(int(kv['liobn'], 16), int(kv['bus'], 16))] = (
				int(kv['raw'], 16), int(kv['gpa'], 16),
				int(pfn, 16) if pfn.startswith('0x') else None)
		elif kind == 'fill':
			raise SystemExit('check-diff.py: %s has a fill line (--big): not this recipe' % path)
	return pid, tables, entries


def main():
	if len(sys.argv) != 3:
		print(__doc__, file=sys.stderr)
		return 2
	d, tce = sys.argv[1], sys.argv[2]
	old, new = os.path.join(d, 'vmcore.elf'), os.path.join(d, 'vmcore-after.elf')
	for f in (old, new, os.path.join(d, 'truth.txt'), os.path.join(d, 'truth-after.txt')):
		if not os.path.exists(f):
			print('SKIP: %s is not there (tests/e2e/mkdump.sh pnv-kvm-change makes it)' % f)
			return 77
	meta = json.load(open(os.path.join(d, 'meta.json')))
	types = ['--debug-dir', os.path.join(meta['debug_tree'], 'usr/lib/debug')]
	pid0, t0, e0 = parse(os.path.join(d, 'truth.txt'))
	pid1, t1, e1 = parse(os.path.join(d, 'truth-after.txt'))
	fails = []

	def check(cond, what):
		if not cond:
			fails.append(what)

	check(pid0 == pid1, 'the truth program is one process: pid %s, then %s' % (pid0, pid1))
	key = lambda liobn: 'kvm:pid=%d:liobn=0x%x' % (pid0, liobn)

	# what the truths say changed
	want_status = {}
	for liobn in set(t0) | set(t1):
		want_status[key(liobn)] = ('both' if liobn in t0 and liobn in t1 else
					   'went_away' if liobn in t0 else 'appeared')
	want = {}
	for (liobn, bus) in set(e0) | set(e1):
		a, b = e0.get((liobn, bus)), e1.get((liobn, bus))
		if a and b and a[0] == b[0]:
			continue
		change = ('mapped' if not a else 'unmapped' if not b else
			  'remapped' if a[1] != b[1] else 'changed')
		want.setdefault(key(liobn), {})[bus] = (change, a, b)

	r = subprocess.run([tce, 'diff', '-f', 'json'] + types + [old, new],
			   capture_output=True, text=True, timeout=1800)
	if r.returncode not in (0, 1):
		print('FAIL: tce-inspect diff exited %d: %s' % (r.returncode, r.stderr.strip()))
		return 1
	doc = json.loads(r.stdout)
	got = {t['key']: t for t in doc['tables']}
	for k, st in sorted(want_status.items()):
		check(k in got and got[k]['status'] == st, '%s: %s, the truth says %s'
		      % (k, got[k]['status'] if k in got else 'not listed', st))
	changed_buses = set()
	for k, t in sorted(got.items()):
		if not k.startswith('kvm:pid=%d:' % pid0):
			check(t['status'] == 'both' and not t['changes'],
			      '%s: a table the guest did not touch: %s, %d changes'
			      % (k, t['status'], len(t['changes'])))
			continue
		exp = want.get(k, {})
		seen = {}
		for c in t['changes']:
			bus = int(c['bus'], 16)
			changed_buses.add((k, bus))
			seen[bus] = c
		check(sorted(seen) == sorted(exp), '%s: changes at %d bus addresses, the truth '
		      'has %d (%s)' % (k, len(seen), len(exp),
				       sorted(set(seen) ^ set(exp))[:4]))
		for bus, (change, a, b) in sorted(exp.items()):
			c = seen.get(bus)
			if not c:
				continue
			check(c['change'] == change, '%s bus 0x%x: %s, the truth says %s'
			      % (k, bus, c['change'], change))
			for side, truth in (('old', a), ('new', b)):
				e = c[side]
				if truth is None:
					check(e is None, '%s bus 0x%x: an %s entry the truth lacks' % (k, bus, side))
					continue
				check(e is not None and int(e['raw'], 16) == truth[0] and
				      int(e['target'], 16) == truth[1],
				      '%s bus 0x%x: %s entry %s, the truth says raw 0x%x'
				      % (k, bus, side, e, truth[0]))
				if e is not None and truth[2] is not None:
					check(e['host'] == 'present' and
					      int(e['host_pfn'], 16) == truth[2],
					      '%s bus 0x%x: %s host pfn %s, the guest\'s pagemap says 0x%x'
					      % (k, bus, side, e['host_pfn'], truth[2]))
	n = {c: sum(1 for t in want.values() for x in t.values() if x[0] == c)
	     for c in ('mapped', 'unmapped', 'remapped', 'changed')}
	s = doc['summary']
	for c in n:
		check(s[c] == n[c], 'summary: %d %s, the truth %d' % (s[c], c, n[c]))
	check(s['unknown'] == 0, 'summary: %d unknown' % s['unknown'])
	for f in doc['findings_appeared'] + doc['findings_went_away']:
		m = re.match(r'(kvm:.*):bus=0x([0-9a-f]+)$', f['key'])
		check(m and (m.group(1), int(m.group(2), 16)) in changed_buses,
		      'finding %s [%s] appeared or went away where nothing changed' % (f['id'], f['key']))
	check(r.returncode == s['exit_status'], 'exit %d, the summary says %d'
	      % (r.returncode, s['exit_status']))
	# the text's summary: the same counts
	r2 = subprocess.run([tce, 'diff'] + types + [old, new], capture_output=True, text=True,
			    timeout=1800)
	line = 'entries:  %d mapped, %d unmapped, %d remapped, %d changed, 0 unknown;' % (
		n['mapped'], n['unmapped'], n['remapped'], n['changed'])
	check(r2.returncode == r.returncode and line in r2.stdout,
	      'text: exit %d, no line "%s"' % (r2.returncode, line))
	for f in fails:
		print('FAIL: %s' % f)
	print('%s: %d tables (%d went away, %d appeared), %d entries changed: %s'
	      % (d, len(want_status), sum(v == 'went_away' for v in want_status.values()),
		 sum(v == 'appeared' for v in want_status.values()), sum(n.values()),
		 'FAIL' if fails else 'pass'))
	return 1 if fails else 0


if __name__ == '__main__':
	sys.exit(main())
