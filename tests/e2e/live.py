#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/live.py: tce-inspect on a running kernel's /proc/kcore inside a powernv guest.

`live.py run`: boots a QEMU powernv9 guest (guest.py's Guest: TCG, hypervisor mode, radix)
whose NIC (an e1000e on the first PHB, the IOMMU bypass off: iommu=nobypass) maps its
buffers through a real two-level hardware TCE table, loads kvm.ko and kvm-hv.ko, and
starts kvm-tables (a VM with memslots and KVM guest-view tables, whose ground truth it
prints before it waits: kvm-tables.c), as mkdump.sh's pnv-nic and pnv-kvm recipes do, in
one guest.  Then, with all of it live, the cross-built tce-inspect the initramfs carries
(live-kcore.sh) runs on /proc/kcore as root: info, vmemmap, tables, entries and check
--samples 2 (Debian's debug files of the running kernel in /usr/lib/debug, where a host
with linux-image-REL-dbg installed has them), and info as an unprivileged user (runas.c).
Every output comes back through the console (gzip | base64), with its exit status and
time.  Last, the guest is stopped and dumped (dump-guest-memory) for the hardware side's
truth, which tables-oracle.py (drgn) reads from that dump.

`live.py compare DIR`: the live answers against the truths in DIR: truth.txt (what
kvm-tables printed in the guest) and drgn-truth.txt (drgn's reading of the dump taken
right after: the NIC's table, and kvm.ko's tables again), with check-tables.py's own
comparisons (every table and every valid entry, nothing else); check's findings above
info must be exactly the entries kvm-tables wrote to a guest address in no memslot, each
seen in both samples (no race: nothing changes those tables while they are read); info
must say live, name /proc/kcore's segments with no physical address and its VMCOREINFO;
the unprivileged run must exit 3 with one line saying a running kernel needs root.
Only the Python standard library is used (drgn runs in tables-oracle.py, not here).
"""

import argparse
import base64
import gzip
import importlib.util
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guest as G  # noqa: E402

RECIPE = {
	'kind': 'qemu',
	'machine': 'powernv9', 'memory': '2G',
	'append': 'iommu=nobypass',
	'defaults': True,
	'qemu': ['-netdev', 'user,id=n0,restrict=on', '-device', 'e1000e,netdev=n0,bus=pcie.0,romfile='],
	'setup': G.KVM_SETUP + G.RECIPES['pnv-nic']['setup'],
	'truth': {'command': '/bin/kvm-tables', 'timeout': 300},
}

TCE = '/usr/local/bin/tce-inspect'
# name -> the command (its stdout is the output kept)
COMMANDS = [
	('info', TCE + ' info --format json --no-debuginfod /proc/kcore'),
	('vmemmap', TCE + ' vmemmap --format json /proc/kcore'),
	('tables', TCE + ' tables --format json --no-debuginfod /proc/kcore'),
	('entries', TCE + ' entries --format json --no-debuginfod /proc/kcore'),
	('check', TCE + ' check --samples 2 --format json --no-debuginfod /proc/kcore'),
	# busybox's setpriv cannot change the user: runas.c
	('nonroot', '/bin/runas 65534 ' + TCE + ' info --no-debuginfod /proc/kcore'),
]


def fetch(g, path, timeout):
	"""A guest file's bytes, through the console as gzip | base64."""
	text = g.sh('gzip -c %s | base64' % path, timeout=timeout)
	return gzip.decompress(base64.b64decode(''.join(text.split())))


def run(args):
	argv = G.qemu_argv(RECIPE, args.kernel, args.initrd, None)
	meta = {'recipe': RECIPE, 'qemu': ' '.join(argv), 'seconds': {}, 'steps': [], 'runs': {}}
	os.makedirs(args.workdir, exist_ok=True)
	ns = argparse.Namespace(step_timeout=args.step_timeout, truth=os.path.join(args.out, 'truth.txt'))
	t_all = time.monotonic()
	with G.Guest(args.workdir, argv, os.path.join(args.workdir, 'console.log')) as g:
		t0 = time.monotonic()
		info = G.boot(g, args.boot_timeout)
		meta['seconds']['boot'] = round(time.monotonic() - t0, 1)
		meta['guest'] = info
		G.log('booted in %.1fs: %s, %s' % (meta['seconds']['boot'], info.get('uname'), info.get('mmu')))
		G.run_setup(g, meta, RECIPE, ns)
		G.run_truth(g, meta, RECIPE['truth'], ns)
		meta['kcore'] = g.sh('id -u; ls -l /proc/kcore; head -c 64 /proc/kcore | base64')
		for name, cmd in COMMANDS:
			t0 = time.monotonic()
			rc = g.sh('%s >/tmp/%s.out 2>/tmp/%s.err; echo $?' % (cmd, name, name),
				  timeout=args.run_timeout)
			secs = round(time.monotonic() - t0, 1)
			out = fetch(g, '/tmp/%s.out' % name, args.run_timeout)
			err = fetch(g, '/tmp/%s.err' % name, args.run_timeout)
			with open(os.path.join(args.out, 'live-%s.out' % name), 'wb') as f:
				f.write(out)
			with open(os.path.join(args.out, 'live-%s.err' % name), 'wb') as f:
				f.write(err)
			meta['runs'][name] = {'command': cmd, 'exit': int(rc.strip().splitlines()[-1]),
					      'seconds': secs, 'stdout_bytes': len(out)}
			G.log('%s: exit %s in %.1fs, %d bytes' % (name, meta['runs'][name]['exit'], secs, len(out)))
		# the state tce-inspect read, for drgn: the guest stopped and dumped now
		g.sh('sync')
		t0 = time.monotonic()
		g.qmp.cmd('stop')
		g.qmp.cmd('dump-guest-memory', timeout=args.dump_timeout, paging=False,
			  protocol='file:' + os.path.join(args.out, 'vmcore.raw'))
		meta['seconds']['dump'] = round(time.monotonic() - t0, 1)
	meta['seconds']['total'] = round(time.monotonic() - t_all, 1)
	with open(os.path.join(args.out, 'live-meta.json'), 'w') as f:
		json.dump(meta, f, indent=1, sort_keys=True)
	return 0


def load_check_tables():
	spec = importlib.util.spec_from_file_location('check_tables', os.path.join(HERE, 'check-tables.py'))
	m = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(m)
	return m


def compare(args):
	d = args.dir
	ct = load_check_tables()
	meta = json.load(open(os.path.join(d, 'live-meta.json')))
	runs = meta['runs']

	class Report(ct.Report):
		def note(self, msg):
			self.notes.append(msg)
			print('live.py: %s' % msg)

	rep = Report()

	def out(name):
		return open(os.path.join(d, 'live-%s.out' % name), 'rb').read().decode()

	def err(name):
		return open(os.path.join(d, 'live-%s.err' % name), 'rb').read().decode()

	def doc(name, ok=(0,)):
		if runs[name]['exit'] not in ok:
			rep.fail('%s: exit %d: %s' % (name, runs[name]['exit'], err(name).strip()[:500]))
			return None
		return json.loads(out(name))

	info = doc('info')
	if info:
		if info.get('live') is not True:
			rep.fail('info: live is %r on /proc/kcore' % info.get('live'))
		if not info.get('virt_segments'):
			rep.fail('info: no segment without a physical address (kcore has vmalloc and vmemmap ones)')
		if not info['types'].get('vmcoreinfo') or not info['types'].get('dwarf'):
			rep.fail('info: VMCOREINFO %r, DWARF %r' % (info['types'].get('vmcoreinfo'), info['types'].get('dwarf')))
		if info.get('release') != meta['guest'].get('uname'):
			rep.fail('info: release %r, the guest runs %r' % (info.get('release'), meta['guest'].get('uname')))
		rep.note('info: live, %s, %s, %d physical ranges, %d virtual-only segments, VMCOREINFO %d lines, DWARF %s'
			 % (info.get('release'), info.get('mmu'), info.get('ranges', 0), info['virt_segments'],
			    info['types']['vmcoreinfo_lines'], info['types']['dwarf_path']))
	vm = doc('vmemmap', (0, 1))
	if vm is not None:
		blocks = vm.get('blocks') or vm.get('vmemmap', {}).get('blocks') or []
		rep.note('vmemmap: exit %d, %d blocks' % (runs['vmemmap']['exit'], len(blocks)))
	truth = ct.Truth(d)
	ct.HOST_PAGE = 65536
	ct.cross_check(truth, rep)
	tables = doc('tables')
	if tables is not None:
		ct.check_tables('/proc/kcore', truth, tables, rep)
		if not truth.hw_tables:
			rep.fail('drgn found no hardware table in the dump: the NIC did not map through one')
	entries = doc('entries')
	if entries is not None:
		ct.check_entries('/proc/kcore', truth, entries, rep, set(), False)
		n_hw = sum(1 for e in entries['entries'] if e['kind'] == 'iommu')
		n_kvm = sum(1 for e in entries['entries'] if e['kind'] == 'kvm')
		rep.note('entries: %d KVM and %d hardware entries live' % (n_kvm, n_hw))
		if not n_hw or not n_kvm:
			rep.fail('entries: want both kinds live, got %d KVM and %d hardware' % (n_kvm, n_hw))
	check = doc('check', (0, 1))
	if check is not None:
		want = set()
		pid = None
		for line in open(os.path.join(d, 'truth.txt')):
			kind, kv = ct.parse_kv(line.strip())
			if kind == 'kvm':
				pid = int(kv['pid'])
			elif kind == 'entry' and kv.get('slot') == 'none':
				want.add('kvm:pid=%d:liobn=%s:bus=%s' % (pid, kv['liobn'], kv['bus']))
		got = [f for f in check['findings'] if f['severity'] != 'info']
		keys = [f['key'] for f in got]
		if sorted(keys) != sorted(want) or any(f['id'] != 'TCE-KVM-NO-MEMSLOT' for f in got):
			rep.fail('check: findings above info %s, want TCE-KVM-NO-MEMSLOT for %s'
				 % (sorted((f['id'], f['key']) for f in got)[:10], sorted(want)[:10]))
		if check.get('samples') != 2 or check.get('live') is not True:
			rep.fail('check: samples %r, live %r' % (check.get('samples'), check.get('live')))
		races = [f for f in check['findings'] if f.get('race')]
		if races:
			rep.fail('check: races on tables nothing changes: %s' % [(f['id'], f['key']) for f in races][:5])
		rep.note('check: exit %d, %d findings (%d above info, as the guest wrote), %d races, %s'
			 % (runs['check']['exit'], len(check['findings']), len(got), len(races),
			    ', '.join('%s %s' % (o['id'], o['outcome']) for o in check['outcomes']
				      if o['outcome'] == 'unknown') or 'no rule unknown'))
	nr = runs['nonroot']
	lines = err('nonroot').strip().splitlines()
	if nr['exit'] != 3 or len(lines) != 1 or 'needs root' not in lines[0]:
		rep.fail('as nobody: exit %d, %r' % (nr['exit'], lines))
	else:
		rep.note('as nobody: exit 3, %s' % lines[0])
	for name, r in runs.items():
		rep.note('%s: %.1f s in the guest (TCG)' % (name, r['seconds']))
	for f in rep.fails:
		print('FAIL: %s' % f)
	print('live.py: %s' % ('%d failures' % len(rep.fails) if rep.fails else 'ok'))
	return 1 if rep.fails else 0


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	sub = ap.add_subparsers(dest='what', required=True)
	r = sub.add_parser('run')
	r.add_argument('--kernel', required=True)
	r.add_argument('--initrd', required=True)
	r.add_argument('--workdir', required=True)
	r.add_argument('--out', required=True, help='directory for truth.txt, live-*.out/err, live-meta.json, vmcore.raw')
	r.add_argument('--boot-timeout', type=int, default=900)
	r.add_argument('--step-timeout', type=int, default=180)
	r.add_argument('--run-timeout', type=int, default=1800)
	r.add_argument('--dump-timeout', type=int, default=600)
	c = sub.add_parser('compare')
	c.add_argument('dir')
	args = ap.parse_args()
	try:
		return run(args) if args.what == 'run' else compare(args)
	except G.GuestError as e:
		G.log('error: %s' % e)
		return 1


if __name__ == '__main__':
	sys.exit(main())
