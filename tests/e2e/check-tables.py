#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/check-tables.py: tce-inspect's TCE tables against the ground truth of a real dump.

Usage: check-tables.py [options] DUMP-DIR TCE_INSPECT

It owns the end-to-end check of `tce-inspect tables` and `tce-inspect entries` on the dumps
mkdump.sh makes with TCE tables in them (pnv-kvm, pnv-kvm-16m, pnv8-kvm, pnv8-hcall,
pnv8-hcall-patched, pnv-nic and their .kdump forms).  DUMP-DIR holds the dumps (vmcore.elf,
vmcore.kdump, vmcore-d1.kdump: each one present is checked) and the truth, which never
comes from tce-inspect:
  truth.txt     of the KVM recipes: what kvm-tables.c (kvm-hcall.c: a guest's hcalls wrote
                the tables) printed in the guest (its header has the format); of pnv-nic:
                what tables-oracle.py (drgn) read from the dump;
  drgn-truth.txt of the KVM recipes: tables-oracle.py's reading of the dump (the hardware
                side, and kvm.ko's vm_list: every VM's memslots and guest-view tables,
                and the hardware tables on each LIOBN's stt->iommu_tables).
With VFIO groups attached to LIOBNs (pnv8-kvm-vfio-patched: kvm-vfio.c's group, window,
attach and hwentry lines), step 0 also finds each attached window among drgn's hardware
tables (its PHB is the group's PCI domain, its bus start and page size the window's),
requires drgn's stt->iommu_tables of each LIOBN to hold exactly those tables, and each
such table's valid entries to be exactly the hwentry lines (bus, raw: the host address
/proc/self/pagemap gave); step 2 requires `tables` to name each one's attached_liobn (and
none for the others).
First the two truths against each other (tables, stt->pages[] against the guest's pagemap
of its table mmaps, entries, host pfns).  Then two steps per dump:
 1. The truth against the dump's bytes, read by oracle.py's own ELF / diskdump reader (no
    project code): every table page kvm-tables.c touched (tcepage pfn) holds exactly the
    entries the truth lists, little-endian, and zeros elsewhere; every touched memslot page
    (hostpage pfn) starts with its marker (0x5443455041474500 ^ gpa, little-endian); every
    hardware table's level pages hold its entries (big-endian), and the pages they point
    at are in the dump.  In an ELF dump all of it
    must be there (but for the memslots' pages in a --sample); in a kdump-compressed one
    pages makedumpfile left out are counted per kind (-d 31 drops user pages: the memslots'
    pages) and reported, not failed.
 2. tce-inspect: `TCE_INSPECT tables --format json [--debug-dir D] DUMP` and `TCE_INSPECT
    entries --format json [--debug-dir D] DUMP`, exit status 0 or 1, compared with the truth:
    every KVM table (by liobn: address as drgn found it, page_shift, offset, entries = size,
    valid) and hardware table
    (by address: it_index, phb, pe, it_offset, it_size, page shift, levels, level size,
    valid), no table the truth does not have; every valid entry (by table and bus address:
    raw, target, read, write; KVM: host_pfn, host ("present", "not-present", "no-memslot"),
    memslot and hva from the guest's pagemap and memslots; iommu: host_pfn = target's pfn)
    and no other.  Extra keys are ignored.  An entry
    whose page the dump lacks (kdump) may be reported as unknown.
    In a kdump-compressed dump, what tce-inspect says it could not read because
    "physical 0x... is not in the dump" is accepted where oracle.py's reader confirms
    that every such page is indeed missing (and failed where one is there): a table whose
    structure is unreadable (no id), KVM tables past a list cut short (the kvm source
    "partial"), a KVM table's entries in table pages the dump lacks (counted unknown, and
    not listed), and an entry whose host page is unknown because the VMM's page tables
    are missing (Debian 13's makedumpfile leaves such pages out even at -d 1).
 --verify-only does step 1 alone; without a `tables` command in TCE_INSPECT (it is being
written) step 2 is skipped with a message, exit 77 if nothing else was checked.
--no-debug-files: tce-inspect with no debug file at all (--debug-dir /nonexistent
--no-debuginfod): kallsyms and the BTF a CONFIG_DEBUG_INFO_BTF kernel (Debian 13's) keeps in
memory; its answers must agree with the truth as above, or it must exit 3 with one line
saying what is unknown (never a guess); which of the two is printed.  A kdump-compressed
dump that lacks pages the search needs (makedumpfile left them out) may make tce-inspect
exit 3 with a line per source saying which page is not in the dump; that is printed, not
failed.  --require-answers: that exit 3 fails too (a dump, or a sample, known to hold all
tce-inspect needs without debug files: Debian 13's).
--entries-max N (default 100000): with a table of more valid entries (pnv-kvm-16m's 16M),
`entries` runs table by table (--table ADDR), the big table in three slices of N entries
(--range: its first, middle and last), each of which must be complete.
Exit status: 0 all agree, 1 a difference (each printed as FAIL: ...), 2 usage, 77 skipped.
"""

import argparse
import json
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

MARKER = 0x5443455041474500
LINEAR = 0xc000000000000000	# the kernel's linear map, at physical 0
# What the guest saw behind an entry's gpa, and the words tce-inspect may use for it: a pfn
# (any other value) is "present"; no page in the VMM's page tables is "not-present" (the
# provisional JSON said "absent"); no memslot is "no-memslot" ("absent" or "unknown" in the
# provisional JSON).
HOST_WORDS = {'absent': ('not-present', 'absent'), 'none': ('no-memslot', 'absent', 'unknown')}
HOST_PAGE = 1 << 16	# the dump's PAGESIZE (VMCOREINFO): main() sets it per DUMP-DIR
TCE_RW = 3


def parse_kv(line):
	kind, _, rest = line.partition(' ')
	return kind, dict(p.split('=', 1) for p in rest.split() if '=' in p)


def num(v):
	return int(v, 0)


class Truth:
	"""truth.txt (+ hw-truth.txt) of one dump directory."""

	def __init__(self, d):
		self.kvm_tables = {}		# liobn -> table dict
		self.kvm_entries = {}		# (liobn, bus) -> entry dict
		self.fills = []
		self.tcepages = []		# (liobn, page, pfn)
		self.hostpages = {}		# gpa -> (pfn or None)
		self.hw_tables = {}		# address -> table dict
		self.hw_entries = {}		# (address, bus) -> entry dict
		self.hw_levels = []
		self.hw_unread = set()   # (table, bus) of hw_entries whose leaf the dump lacks
		self.kvm_absent = {}     # liobn -> pages of its table the dump lacks (kdump)
		self.memslots = []
		self.ready = False
		# drgn's own reading of kvm.ko's structures (tables-oracle.py): liobn -> table,
		# (liobn, page) -> pfn, (liobn, bus) -> entry
		self.drgn_kvm_tables = {}
		self.drgn_kvm_pages = {}
		self.drgn_kvm_entries = {}
		# kvm-vfio.c's VFIO groups attached to LIOBNs: group n -> its PCI domain (the
		# PHB), (group, window) -> window, [(liobn, group, window)], (group, window) ->
		# {bus: raw}; drgn's stt->iommu_tables: liobn -> [hardware table]
		self.groups = {}
		self.windows = {}
		self.attach = []
		self.hw_expect = {}
		self.drgn_attach = {}
		for name in ('truth.txt', 'drgn-truth.txt'):
			for p in (os.path.join(d, name), os.path.join(d, name + '.xz')):
				if os.path.exists(p):
					self._read(p)
					break
		if not self.kvm_tables and not self.hw_tables and not self.hw_levels:
			if not any(os.path.exists(os.path.join(d, n)) for n in ('truth.txt', 'truth.txt.xz')):
				raise SystemExit('check-tables.py: no truth.txt in %s' % d)

	def _read(self, path):
		import lzma
		with (lzma.open(path, 'rt') if path.endswith('.xz') else open(path)) as f:
			for line in f:
				line = line.strip()
				if not line or line.startswith('#'):
					continue
				if line == 'READY':
					self.ready = True
					continue
				kind, kv = parse_kv(line)
				if kind == 'memslot':
					self.memslots.append({k: num(v) if k != 'touched' else v for k, v in kv.items()})
				elif kind == 'hostpage':
					self.hostpages[num(kv['gpa'])] = None if kv['pfn'] == 'absent' else num(kv['pfn'])
				elif kind == 'table' and 'liobn' in kv:
					t = {k: num(v) for k, v in kv.items()}
					t['valid'] = 0
					self.kvm_tables[t['liobn']] = t
				elif kind == 'tcepage':
					self.tcepages.append((num(kv['liobn']), num(kv['page']), num(kv['pfn'])))
				elif kind == 'entry' and 'liobn' in kv:
					e = dict(kv)
					for k in ('liobn', 'index', 'bus', 'raw', 'gpa'):
						e[k] = num(kv[k])
					self.kvm_entries[(e['liobn'], e['bus'])] = e
					self.kvm_tables[e['liobn']]['valid'] += 1
				elif kind == 'fill':
					f_ = {k: num(v) for k, v in kv.items() if k != 'perm'}
					self.fills.append(f_)
					self.kvm_tables[f_['liobn']]['valid'] += f_['count']
				elif kind == 'kvmtable':
					t = {k: num(v) for k, v in kv.items()}
					self.drgn_kvm_tables[t['liobn']] = t
				elif kind == 'kvmpage':
					self.drgn_kvm_pages[(num(kv['liobn']), num(kv['page']))] = num(kv['pfn'])
				elif kind == 'kvmentry':
					e = dict(kv)
					for k in ('liobn', 'index', 'bus', 'raw', 'gpa'):
						e[k] = num(kv[k])
					self.drgn_kvm_entries[(e['liobn'], e['bus'])] = e
				elif kind == 'group' and 'n' in kv:
					self.groups[int(kv['n'])] = int(kv['dev'].split(':')[0], 16)
				elif kind == 'window' and 'group' in kv:
					# kvm-vfio.c's (vfio-tables.c's name containers, and are not read)
					self.windows[(int(kv['group']), int(kv['num']))] = {
						k: num(v) for k, v in kv.items()}
				elif kind == 'attach':
					self.attach.append((num(kv['liobn']), int(kv['group']), int(kv['window'])))
				elif kind == 'hwentry':
					self.hw_expect.setdefault((int(kv['group']), int(kv['window'])), {})[
						num(kv['bus'])] = num(kv['raw'])
				elif kind == 'kvmattach':
					self.drgn_attach.setdefault(num(kv['liobn']), []).append(num(kv['hw']))
				elif kind == 'table' and 'address' in kv:
					# shared=PHB:PE,...: the other PEs that hold it, in the
					# order found
					shared = kv.pop('shared', '')
					t = {k: num(v) for k, v in kv.items()}
					t['shared'] = [tuple(int(x) for x in p.split(':'))
						       for p in shared.split(',') if p]
					self.hw_tables[t['address']] = t
				elif kind == 'level':
					self.hw_levels.append({k: num(v) for k, v in kv.items()})
				elif kind == 'entry' and 'table' in kv:
					e = {k: num(v) for k, v in kv.items()}
					self.hw_entries[(e['table'], e['bus'])] = e

	def valid_in_pages(self, liobn, pages, per_page):
		"""Valid entries of KVM table liobn in its table pages pages."""
		n = sum(1 for (lb, _), e in self.kvm_entries.items()
			if lb == liobn and e['index'] // per_page in pages)
		for f in self.fills:
			if f['liobn'] != liobn:
				continue
			for pg in pages:
				lo, hi = max(f['first'], pg * per_page), min(f['first'] + f['count'], (pg + 1) * per_page)
				n += max(0, hi - lo)
		return n

	def fill_raw(self, liobn, idx):
		for f in self.fills:
			if f['liobn'] == liobn and f['first'] <= idx < f['first'] + f['count']:
				i = idx - f['first']
				return (f['gpa_base'] + (i % f['gpa_mod']) * f['gpa_step']) | (1 + i % 3)
		return None


class Report:
	def __init__(self):
		self.fails = []
		self.notes = []

	def fail(self, msg):
		self.fails.append(msg)

	def note(self, msg):
		self.notes.append(msg)
		print('check-tables.py: %s' % msg)


# ---- step 0: the guest's truth against drgn's reading ---------------------------------------

def cross_check(truth, rep):
	"""What kvm-tables.c printed in the guest against what tables-oracle.py read from the
	dump through kvm.ko's vm_list: the same tables, the same pages[] (the guest's pagemap of
	the table mmap against stt->pages[]), the same entries and host pages."""
	if not truth.kvm_tables or not truth.drgn_kvm_tables:
		return
	n = 0
	for liobn, t in truth.kvm_tables.items():
		d = truth.drgn_kvm_tables.get(liobn)
		if d is None:
			rep.fail('drgn: no KVM table liobn 0x%x on vm_list' % liobn)
			continue
		for k in ('page_shift', 'offset', 'size'):
			if d[k] != t[k]:
				rep.fail('drgn: liobn 0x%x %s 0x%x, the guest made 0x%x' % (liobn, k, d[k], t[k]))
		if d['nonzero'] != t['valid']:
			rep.fail('drgn: liobn 0x%x has %d non-zero entries, the guest wrote %d' % (liobn, d['nonzero'], t['valid']))
	for liobn in set(truth.drgn_kvm_tables) - set(truth.kvm_tables):
		rep.fail('drgn: KVM table liobn 0x%x the guest did not make' % liobn)
	guest_pages = {(lb, pg): pfn for lb, pg, pfn in truth.tcepages}
	if guest_pages != truth.drgn_kvm_pages:
		rep.fail('drgn: stt->pages[] differ from the guest\'s pagemap of the table mmaps: %s'
			 % sorted(set(guest_pages.items()) ^ set(truth.drgn_kvm_pages.items()))[:6])
	for key, e in truth.kvm_entries.items():
		d = truth.drgn_kvm_entries.get(key)
		if d is None:
			if truth.drgn_kvm_tables[key[0]]['listed'] < truth.drgn_kvm_tables[key[0]]['nonzero']:
				continue		# drgn listed only the first entries of a big table
			rep.fail('drgn: no entry liobn 0x%x bus 0x%x' % key)
			continue
		n += 1
		want_host = 'none' if e['slot'] == 'none' else e['pfn']
		if (d['index'], d['raw'], d['gpa'], d['host']) != (e['index'], e['raw'], e['gpa'], want_host):
			rep.fail('drgn: liobn 0x%x bus 0x%x: index 0x%x raw 0x%x gpa 0x%x host %s; the guest: '
				 'index 0x%x raw 0x%x gpa 0x%x pfn %s' % (key + (d['index'], d['raw'], d['gpa'], d['host'],
				 e['index'], e['raw'], e['gpa'], e['pfn'])))
	for key in set(truth.drgn_kvm_entries) - set(truth.kvm_entries):
		d = truth.drgn_kvm_entries[key]
		if truth.fill_raw(key[0], d['index']) != d['raw']:
			rep.fail('drgn: entry liobn 0x%x bus 0x%x the guest did not write' % key)
	rep.note('the guest\'s truth and drgn\'s reading of vm_list agree on %d tables, %d table pages, %d entries'
		 % (len(truth.drgn_kvm_tables), len(truth.drgn_kvm_pages), n) if not rep.fails else
		 'the guest\'s truth and drgn\'s reading of vm_list differ')


def attach_check(truth, rep):
	"""kvm-vfio.c's attached windows against drgn's hardware tables and stt->iommu_tables:
	sets truth.attached (hardware table address -> liobn) for step 2."""
	truth.attached = {}
	for liobn, hws in truth.drgn_attach.items():
		for hw in hws:
			truth.attached[hw] = liobn
	if not truth.attach:
		return
	want = {}
	for liobn, g, w in truth.attach:
		win = truth.windows[(g, w)]
		found = [a for a, t in truth.hw_tables.items() if t['phb'] == truth.groups[g] and
			 t['it_offset'] << t['it_page_shift'] == win['start'] and
			 t['it_page_shift'] == win['page_shift']]
		if len(found) != 1:
			rep.fail('attach: group %d window %d (PHB %d, bus 0x%x, page shift %d): %d hardware '
				 'tables in drgn\'s reading' % (g, w, truth.groups[g], win['start'],
								 win['page_shift'], len(found)))
			continue
		t = truth.hw_tables[found[0]]
		if t['levels'] != win['levels']:
			rep.fail('attach: table 0x%x has %d levels, the window was made with %d'
				 % (found[0], t['levels'], win['levels']))
		want.setdefault(liobn, []).append(found[0])
		got = {bus: e['raw'] for (a, bus), e in truth.hw_entries.items() if a == found[0]}
		exp = truth.hw_expect.get((g, w), {})
		if got != exp:
			diff = sorted(set(got.items()) ^ set(exp.items()))
			rep.fail('attach: table 0x%x (liobn 0x%x, group %d window %d): %d valid entries, the '
				 'guest\'s truth %d; they differ at %s' % (found[0], liobn, g, w, len(got),
				 len(exp), ', '.join('bus 0x%x raw 0x%x' % x for x in diff[:4])))
	for liobn in set(want) | set(truth.drgn_attach) | set(truth.kvm_tables):
		if sorted(want.get(liobn, [])) != sorted(truth.drgn_attach.get(liobn, [])):
			rep.fail('attach: liobn 0x%x: drgn\'s stt->iommu_tables hold %s, the guest attached %s'
				 % (liobn, ['0x%x' % a for a in truth.drgn_attach.get(liobn, [])],
				    ['0x%x' % a for a in want.get(liobn, [])]))
	if not rep.fails:
		rep.note('%d attached windows found, their %d entries the guest\'s hwentry lines; '
			 'stt->iommu_tables as attached' % (len(truth.attach),
			 sum(len(v) for v in truth.hw_expect.values())))


# ---- step 1: the truth against the dump's bytes --------------------------------------------

def verify_truth(dump, truth, rep, sample=False):
	rd, _, _ = oracle.open_dump(dump, 'own')
	elf = isinstance(rd, oracle.ElfFile)
	what = 'ELF' if elf else 'kdump-compressed'
	counts = {}
	truth.hw_unread = set()          # this dump's
	truth.kvm_absent = {}

	def count(kind, ok):
		c = counts.setdefault(kind, [0, 0])
		c[0 if ok else 1] += 1

	def read(kind, phys, size):
		try:
			data = rd.read(phys, size)
		except oracle.DumpError as e:
			count(kind, False)
			if elf and not (sample and kind.startswith('memslot')):
				rep.fail('%s: %s at 0x%x not in the ELF dump: %s' % (dump, kind, phys, e))
			return None
		count(kind, True)
		return data

	per_page = HOST_PAGE // 8
	by_index = {}
	for (liobn, _), e in truth.kvm_entries.items():
		by_index.setdefault(liobn, {})[e['index']] = e['raw']
	for liobn, page, pfn in truth.tcepages:
		data = read('KVM table pages', pfn * HOST_PAGE, HOST_PAGE)
		if data is None:
			truth.kvm_absent.setdefault(liobn, set()).add(page)
			continue
		vals = struct.unpack('<%dQ' % per_page, data)
		first = page * per_page
		fill = [f for f in truth.fills if f['liobn'] == liobn]
		if fill:
			f = fill[0]
			want = [0 if not f['first'] <= first + i < f['first'] + f['count'] else
				(f['gpa_base'] + ((first + i - f['first']) % f['gpa_mod']) * f['gpa_step'])
				| (1 + (first + i - f['first']) % 3) for i in range(per_page)]
		else:
			want = [0] * per_page
		for idx, raw in by_index.get(liobn, {}).items():
			if first <= idx < first + per_page:
				want[idx - first] = raw
		if list(vals) != want:
			diff = [i for i in range(per_page) if vals[i] != want[i]]
			for i in diff[:3]:
				rep.fail('%s: liobn 0x%x entry 0x%x (pfn 0x%x) holds 0x%x, the truth says 0x%x'
					 % (dump, liobn, first + i, pfn, vals[i], want[i]))
	for gpa, pfn in truth.hostpages.items():
		if pfn is None:
			continue
		data = read('memslot pages (user)', pfn * HOST_PAGE, 8)
		if data is not None and struct.unpack('<Q', data)[0] != MARKER ^ gpa:
			rep.fail('%s: host pfn 0x%x of gpa 0x%x lacks its marker' % (dump, pfn, gpa))
	levels = {}
	unread = set()
	for lv in truth.hw_levels:
		data = read('hardware table levels', lv['phys'], lv['size'])
		key = (lv['table'], lv['depth'], lv['idx'])
		if data is not None:
			levels[key] = struct.unpack('>%dQ' % (lv['size'] // 8), data)
		else:
			unread.add(key)
	for key, e in truth.hw_entries.items():
		table = key[0]
		read('hardware DMA target pages', e['raw'] & ~((1 << e['it_page_shift']) - 1), 8)
		leaf = e['levels'] - 1
		base = e['idx'] - e['idx'] % e['level_size']
		vals = levels.get((table, leaf, base))
		if vals is None:
			# a kdump that lacks the entry's leaf level: the tool can only say unknown
			if (table, leaf, base) in unread:
				truth.hw_unread.add(key)
			continue
		if vals[e['idx'] - base] != e['raw']:
			rep.fail('%s: table 0x%x idx 0x%x holds 0x%x, the truth says 0x%x'
				 % (dump, table, e['idx'], vals[e['idx'] - base], e['raw']))
	for kind, (ok, missing) in sorted(counts.items()):
		rep.note('%s (%s): %s: %d pages in the dump, %d not' % (os.path.basename(dump), what, kind, ok, missing))
	return counts


# ---- step 2: tce-inspect -------------------------------------------------------------------

class ToolExit(RuntimeError):
	"""tce-inspect exited 2 or more: its status and what it said."""

	def __init__(self, msg, rc, stderr):
		super().__init__(msg)
		self.rc = rc
		self.stderr = stderr


def run_tool(tce, cmd, dump, extra):
	argv = [tce, cmd, '--format', 'json'] + extra + [dump]
	p = subprocess.run(argv, capture_output=True, text=True)
	if p.returncode > 1:
		raise ToolExit('%s exited %d: %s' % (' '.join(argv), p.returncode, p.stderr.strip()[-2000:]),
			       p.returncode, p.stderr)
	try:
		return json.loads(p.stdout)
	except ValueError as e:
		raise RuntimeError('%s: output is not JSON: %s' % (' '.join(argv), e))


def tool_has(tce, cmd):
	p = subprocess.run([tce, cmd, '--help'], capture_output=True, text=True)
	return p.returncode == 0, p.stdout


def hexnum(v):
	if v is None or isinstance(v, bool):
		return v
	if isinstance(v, int):
		return v
	return int(v, 0)


PHYS_ABSENT = re.compile(r'physical (0x[0-9a-f]+) is not in the dump')


def lacks(rd, text):
	"""The physical addresses text says are not in the dump, each confirmed missing by
	oracle.py's own reader rd; None when text claims none, when rd is None (an ELF dump,
	which lacks nothing the truth needs) or when the dump holds one of them."""
	addrs = [int(a, 16) for a in PHYS_ABSENT.findall(text or '')]
	if rd is None or not addrs:
		return None
	for a in addrs:
		try:
			rd.read(a, 1)
			return None
		except oracle.DumpError:
			pass
	return addrs


class Gone:
	"""What a kdump-compressed dump was confirmed to lack whole: KVM tables (by liobn)
	unread or not reached, hardware tables unread."""

	def __init__(self):
		self.kvm = set()
		self.hw = set()


def slots_absent(rd, t, want, absent):
	"""absent (the table pages of the KVM table t, want in the truth, that the kdump rd
	lacks), grown by those whose pages[] slot it lacks: pages[] (t's base, in the linear
	map: stt is kmalloc'ed) read page by page by oracle.py's reader."""
	base = hexnum(t.get('base'))
	per_page = HOST_PAGE // 8
	npages = (want['size'] + per_page - 1) // per_page
	if rd is None or base is None or base < LINEAR or not npages:
		return absent
	phys = base - LINEAR
	for pg in range(phys // HOST_PAGE, (phys + 8 * npages - 1) // HOST_PAGE + 1):
		try:
			rd.read(pg * HOST_PAGE, 1)
			continue
		except oracle.DumpError:
			pass
		lo = max(0, (pg * HOST_PAGE - phys) // 8)
		hi = min(npages, ((pg + 1) * HOST_PAGE - phys + 7) // 8)
		absent.update(range(lo, hi))
	return absent


def check_tables(dump, truth, got, rep, rd=None):
	"""The tables against the truth; rd: oracle.py's reader of a kdump-compressed dump,
	against which each claim that a page is not in the dump is checked.  What it lacks
	whole, for check_entries()."""
	seen_kvm, seen_hw = set(), set()
	gone = Gone()
	per_page = HOST_PAGE // 8
	for t in got.get('tables', []):
		kind = t.get('kind')
		addr = hexnum(t.get('address'))
		ident = hexnum(t.get('id'))
		if t.get('error') is not None:
			# its structure could not be read (so no id): a kdump may lack its page
			liobn = next((lb for lb, d in truth.drgn_kvm_tables.items() if d['address'] == addr),
				     None)
			known = liobn is not None if kind == 'kvm' else addr in truth.hw_tables
			what = 'KVM table liobn 0x%x' % liobn if kind == 'kvm' and known else \
			       '%s table at 0x%x' % (kind, addr or 0)
			if known and lacks(rd, t['error']):
				rep.note('%s: tables: %s unreadable, its page is not in the dump (checked): %s'
					 % (os.path.basename(dump), what, t['error']))
				if kind == 'kvm':
					seen_kvm.add(liobn)
					gone.kvm.add(liobn)
				else:
					seen_hw.add(addr)
					gone.hw.add(addr)
			else:
				rep.fail('%s: tables: %s unreadable: %s' % (dump, what, t['error']))
			continue
		if kind == 'kvm':
			want = truth.kvm_tables.get(ident)
			if want is None:
				rep.fail('%s: tables: KVM table liobn 0x%x (at 0x%x) is not in the truth' % (dump, ident, addr or 0))
				continue
			seen_kvm.add(ident)
			if ident in truth.drgn_kvm_tables and addr != truth.drgn_kvm_tables[ident]['address']:
				rep.fail('%s: tables: KVM table liobn 0x%x at 0x%x, drgn found it at 0x%x'
					 % (dump, ident, addr or 0, truth.drgn_kvm_tables[ident]['address']))
			label = 'KVM table liobn 0x%x' % ident
			# entries in table pages the kdump lacks, or whose pages[] slots it lacks:
			# not valid, but unknown
			valid = want['valid']
			absent = slots_absent(rd, t, want, truth.kvm_absent.setdefault(ident, set()))
			lost = truth.valid_in_pages(ident, absent, per_page) if absent else 0
			if lost and hexnum(t.get('valid')) == valid - lost and \
			   (hexnum(t.get('unknown')) or 0) >= lost:
				valid -= lost
				rep.note('%s: tables: %s: %d valid entries in %d table pages the dump lacks '
					 '(or their pages[] slots), counted unknown'
					 % (os.path.basename(dump), label, lost, len(absent)))
			pairs = [('page_shift', want['page_shift']), ('offset', want['offset']),
				 ('entries', want['size']), ('valid', valid), ('phb', None), ('pe', None)]
		elif kind == 'iommu':
			want = truth.hw_tables.get(addr)
			if want is None:
				rep.fail('%s: tables: hardware table at 0x%x is not in the truth' % (dump, addr or 0))
				continue
			seen_hw.add(addr)
			if truth.drgn_attach and hexnum(t.get('attached_liobn')) != truth.attached.get(addr):
				rep.fail('%s: tables: hardware table 0x%x attached_liobn %r, stt->iommu_tables say %s'
					 % (dump, addr, t.get('attached_liobn'),
					    '0x%x' % truth.attached[addr] if addr in truth.attached else 'none'))
			label = 'hardware table 0x%x' % addr
			# entries under a leaf the kdump lacks: not valid, but at most unknown
			valid = want['valid']
			lacked = sum(1 for k in truth.hw_unread if k[0] == addr)
			if lacked and hexnum(t.get('valid')) == valid - lacked and \
			   (hexnum(t.get('unknown')) or 0) >= lacked:
				valid -= lacked
				rep.note('%s: tables: %s: %d valid entries under leaves the dump lacks, '
					 'counted unknown' % (dump, label, lacked))
			pairs = [('id', want['it_index']), ('phb', want['phb']), ('pe', want['pe']),
				 ('offset', want['it_offset']), ('entries', want['it_size']),
				 ('page_shift', want['it_page_shift']), ('levels', want['levels']),
				 ('level_size', want['level_size']), ('valid', valid)]
			# the PEs after the first that hold it (a VFIO container's tables are
			# every group's): named by the path the tool found it by, in order
			also = ['also PHB %d -> PE 0x%x ->' % x for x in want['shared']]
			found = t.get('found') or ''
			if [a for a in also if a in found] != also or \
			   found.count('; also ') != len(also):
				rep.fail('%s: tables: hardware table 0x%x found %r, the truth says it is '
					 'shared by %r' % (dump, addr, found, want['shared']))
		else:
			rep.fail('%s: tables: unknown kind %r' % (dump, kind))
			continue
		for k, v in pairs:
			if k not in t:
				rep.fail('%s: tables: %s has no %r' % (dump, label, k))
			elif hexnum(t[k]) != v:
				rep.fail('%s: tables: %s %s = %r, the truth says %r' % (dump, label, k, t[k], v))
	kvm_src = (got.get('sources') or {}).get('kvm') or {}
	cut = kvm_src.get('status') == 'partial' and lacks(rd, kvm_src.get('why'))
	for liobn in sorted(set(truth.kvm_tables) - seen_kvm):
		if cut:
			# the list was cut where the dump lacks a page: what lies past it is not found
			rep.note('%s: tables: KVM table liobn 0x%x not reached: %s (checked)'
				 % (os.path.basename(dump), liobn, kvm_src['why']))
			gone.kvm.add(liobn)
		else:
			rep.fail('%s: tables: KVM table liobn 0x%x missing' % (dump, liobn))
	for addr in set(truth.hw_tables) - seen_hw:
		rep.fail('%s: tables: hardware table 0x%x missing' % (dump, addr))
	rep.note('%s: tables: %d KVM and %d hardware tables compared' % (os.path.basename(dump), len(seen_kvm), len(seen_hw)))
	return gone


def check_entries(dump, truth, got, rep, skip_liobns, kdump, rd=None, gone=None):
	seen = set()
	index_forms = set()
	nbad = 0
	lacked = 0
	gone = gone or Gone()
	per_page = HOST_PAGE // 8

	def bad(msg):
		nonlocal nbad
		nbad += 1
		if nbad <= 30:
			rep.fail('%s: entries: %s' % (dump, msg))

	for e in got.get('entries', []):
		kind = e.get('kind')
		bus = hexnum(e.get('bus'))
		raw = hexnum(e.get('raw'))
		if kind == 'kvm':
			liobn = hexnum(e.get('id'))
			if liobn in skip_liobns:
				want = truth.fill_raw(liobn, ((bus >> truth.kvm_tables[liobn]['page_shift'])
							     - truth.kvm_tables[liobn]['offset']))
				if want != raw:
					bad('liobn 0x%x bus 0x%x raw 0x%x, the fill gives %r' % (liobn, bus, raw, want))
				continue
			w = truth.kvm_entries.get((liobn, bus))
			label = 'liobn 0x%x bus 0x%x' % (liobn, bus)
			if w is None:
				bad('%s (raw 0x%x) is not a valid entry in the truth' % (label, raw))
				continue
			seen.add(('kvm', liobn, bus))
			t = truth.kvm_tables[liobn]
			idx = hexnum(e.get('index'))
			if idx == w['index']:
				index_forms.add('position in the table')
			elif idx == w['index'] + t['offset']:
				index_forms.add('window offset + position')
			else:
				bad('%s index %r, the truth says 0x%x (or 0x%x with the offset)'
				    % (label, e.get('index'), w['index'], w['index'] + t['offset']))
			want_target = w['gpa']
			want_pfn = None if w['pfn'] in ('absent', 'none') else int(w['pfn'], 0)
			# the VMM's page tables the kdump lacks (checked): the host page unknown
			vmm_lacked = e.get('host') == 'unknown' and lacks(rd, e.get('host_why'))
			if vmm_lacked:
				lacked += 1
			elif e.get('host_pfn') is not None and want_pfn is None:
				bad('%s host_pfn %r, the guest saw %s' % (label, e.get('host_pfn'), w['pfn']))
			elif want_pfn is not None and hexnum(e.get('host_pfn')) != want_pfn:
				bad('%s host_pfn %r, the guest saw 0x%x' % (label, e.get('host_pfn'), want_pfn))
			host = e.get('host')
			ok_host = HOST_WORDS.get(w['pfn'], ('present',))
			if host not in ok_host and not vmm_lacked:
				bad('%s host %r, want one of %s (the guest saw pfn %s)' % (label, host, ok_host, w['pfn']))
			if 'memslot' in e:
				want_slot = None if w['slot'] == 'none' else int(w['slot'])
				if e['memslot'] != want_slot:
					bad('%s memslot %r, the guest\'s is %r' % (label, e['memslot'], want_slot))
			if 'hva' in e:
				want_hva = None if w['ua'] == 'none' else int(w['ua'], 0)
				if hexnum(e['hva']) != want_hva:
					bad('%s hva %r, the guest\'s address is %r' % (label, e['hva'], w['ua']))
		elif kind == 'iommu':
			table = hexnum(e.get('table'))
			w = truth.hw_entries.get((table, bus))
			label = 'table 0x%x bus 0x%x' % (table or 0, bus)
			if w is None:
				bad('%s (raw 0x%x) is not a valid entry in the truth' % (label, raw))
				continue
			seen.add(('iommu', table, bus))
			if hexnum(e.get('id')) != w['it_index']:
				bad('%s id %r, it_index is 0x%x' % (label, e.get('id'), w['it_index']))
			idx = hexnum(e.get('index'))
			if idx == w['index']:
				index_forms.add('it_offset + position')
			elif idx == w['idx']:
				index_forms.add('position in the table')
			else:
				bad('%s index %r, the truth says 0x%x' % (label, e.get('index'), w['index']))
			want_target = w['raw'] & ~((1 << 12) - 1)
			if e.get('host_pfn') is not None and hexnum(e['host_pfn']) != want_target // HOST_PAGE:
				bad('%s host_pfn %r, the entry points at pfn 0x%x' % (label, e['host_pfn'], want_target // HOST_PAGE))
		else:
			bad('unknown kind %r' % kind)
			continue
		if raw != w['raw']:
			bad('%s raw 0x%x, the truth says 0x%x' % (label, raw, w['raw']))
		target = hexnum(e.get('target'))
		if target not in (want_target, w['raw'] & ~TCE_RW):
			bad('%s target %r, want 0x%x' % (label, e.get('target'), want_target))
		if bool(e.get('read')) != bool(w['raw'] & 1) or bool(e.get('write')) != bool(w['raw'] & 2):
			bad('%s read/write %r/%r, raw 0x%x' % (label, e.get('read'), e.get('write'), w['raw']))
	missing = [k for k, w in truth.kvm_entries.items() if ('kvm',) + k not in seen and
		   k[0] not in skip_liobns and k[0] not in gone.kvm and
		   w['index'] // per_page not in truth.kvm_absent.get(k[0], ())]
	missing += [k for k in truth.hw_entries if ('iommu',) + k not in seen and
		    k not in truth.hw_unread and k[0] not in gone.hw]
	if lacked:
		rep.note('%s: entries: %d with their host page unknown where the VMM\'s page tables '
			 'are not in the dump (checked)' % (os.path.basename(dump), lacked))
	if gone.kvm or gone.hw:
		rep.note('%s: entries: not compared, the dump lacks their tables: %s'
			 % (os.path.basename(dump), ', '.join(['liobn 0x%x' % x for x in sorted(gone.kvm)] +
							      ['table 0x%x' % x for x in sorted(gone.hw)])))
	if missing:
		bad('%d valid entries of the truth missing, e.g. %s' % (len(missing),
		    ', '.join('0x%x bus 0x%x' % k for k in missing[:5])))
	rep.note('%s: entries: %d compared (index given as %s)%s' % (
		os.path.basename(dump), len(seen), ' and '.join(sorted(index_forms)) or '-',
		'; in slices against the fill: ' + ', '.join('0x%x' % x for x in sorted(skip_liobns))
		if skip_liobns else ''))


def entries_sliced(args, dump, extra, truth, tables, big, rep):
	"""`entries` table by table (--table), a table of more than --entries-max entries in
	three slices of that many (--range: its first, middle and last entries), each slice
	required to be complete (every entry of such a table is written)."""
	out = []
	per_page = HOST_PAGE // 8
	for t in tables.get('tables', []):
		if t.get('error') is not None:
			continue        # no structure, no entries (check_tables() judged it)
		argv = extra + ['--table', t['address']]
		liobn = hexnum(t.get('id'))
		if t.get('kind') != 'kvm' or liobn not in big:
			out += run_tool(args.tce_inspect, 'entries', dump, argv).get('entries', [])
			continue
		want = truth.kvm_tables[liobn]
		n = min(args.entries_max, want['size'])
		for first in (0, (want['size'] - n) // 2, want['size'] - n):
			lo = (want['offset'] + first) << want['page_shift']
			hi = ((want['offset'] + first + n) << want['page_shift']) - 1
			got = run_tool(args.tce_inspect, 'entries', dump, argv + ['--range', '0x%x-0x%x' % (lo, hi)])
			got = [e for e in got.get('entries', []) if hexnum(e.get('id')) == liobn]
			# those in table pages the kdump lacks are unknown, not listed
			absent = truth.kvm_absent.get(liobn, ())
			lost = sum(1 for i in range(first, first + n) if i // per_page in absent) \
				if absent else 0
			if len(got) != n - lost:
				rep.fail('%s: entries: liobn 0x%x bus 0x%x-0x%x: %d entries, the fill wrote %d%s'
					 % (dump, liobn, lo, hi, len(got), n,
					    ' (%d in table pages the dump lacks)' % lost if lost else ''))
			elif lost:
				rep.note('%s: entries: liobn 0x%x bus 0x%x-0x%x: %d entries, %d more in table '
					 'pages the dump lacks' % (os.path.basename(dump), liobn, lo, hi, len(got),
								   lost))
			out += got
		rep.note('%s: entries: liobn 0x%x checked in 3 slices of %d entries' % (os.path.basename(dump), liobn, n))
	return {'entries': out}


def vmcoreinfo_value(dump, key):
	out = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
			      'vmcoreinfo.py'), '-k', key, dump], capture_output=True, text=True).stdout.split()
	return out[1] if len(out) >= 2 and out[1] != '-' else None


def debug_dir_for(dump):
	cache = os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache')
	out = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
			      'vmcoreinfo.py'), '-k', 'OSRELEASE', dump], capture_output=True, text=True).stdout.split()
	if len(out) >= 2:
		d = os.path.join(cache, 'tce-inspect', 'debug', 'trees', out[1], 'usr', 'lib', 'debug')
		if os.path.isdir(d):
			return d
	return None


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('dir')
	ap.add_argument('tce_inspect', nargs='?')
	ap.add_argument('--debug-dir', help='default: the cached fetch-debug.sh tree of the dump\'s release')
	ap.add_argument('--verify-only', action='store_true', help='check the truth against the dump only')
	ap.add_argument('--sample', action='store_true',
			help='a trimmed sample (trim.py): the memslots\' own pages may be left out')
	ap.add_argument('--entries-max', type=int, default=100000)
	ap.add_argument('--dump', action='append', help='check only this file of DIR (repeatable)')
	ap.add_argument('--no-debuginfod', action='store_true', help='pass --no-debuginfod to TCE_INSPECT')
	ap.add_argument('--vmlinux', help='pass -s VMLINUX to TCE_INSPECT (a kernel of our own build, '
			'e2e/patched-kernel.sh\'s: meta.json\'s "vmlinux")')
	ap.add_argument('--no-debug-files', action='store_true',
			help='no debug file at all (--debug-dir /nonexistent --no-debuginfod): what the '
			'dump alone gives (kallsyms, BTF in memory) must agree with the truth, or '
			'tce-inspect must exit 3 with one line saying what is unknown')
	ap.add_argument('--require-answers', action='store_true',
			help='tce-inspect exiting 3 (something unknown) is a failure, never a note')
	args = ap.parse_args()
	if not args.verify_only and not args.tce_inspect:
		ap.error('TCE_INSPECT is needed (or --verify-only)')
	truth = Truth(args.dir)
	dumps = [os.path.join(args.dir, n) for n in (args.dump or ('vmcore.elf', 'vmcore.kdump', 'vmcore-d1.kdump'))
		 if os.path.exists(os.path.join(args.dir, n))]
	if not dumps:
		print('check-tables.py: no dump in %s' % args.dir, file=sys.stderr)
		return 2
	global HOST_PAGE
	page = vmcoreinfo_value(dumps[0], 'PAGESIZE')
	if page is None:
		print('check-tables.py: %s: no PAGESIZE in its VMCOREINFO' % dumps[0], file=sys.stderr)
		return 2
	HOST_PAGE = int(page)
	rep = Report()
	cross_check(truth, rep)
	attach_check(truth, rep)
	skipped = False
	big = {lb for lb, t in truth.kvm_tables.items() if t['valid'] > args.entries_max}
	if not args.verify_only:
		has_tables, _ = tool_has(args.tce_inspect, 'tables')
		has_entries, entries_help = tool_has(args.tce_inspect, 'entries')
		if not has_tables or not has_entries:
			rep.note('SKIP: %s has no tables/entries command yet' % args.tce_inspect)
			skipped = True
	for dump in dumps:
		kdump = not dump.endswith('.elf')
		try:
			verify_truth(dump, truth, rep, args.sample)
		except oracle.DumpError as e:
			rep.fail('%s: cannot read: %s' % (dump, e))
			continue
		if args.verify_only or skipped:
			continue
		dd = '/nonexistent' if args.no_debug_files else args.debug_dir or debug_dir_for(dump)
		extra = (['--debug-dir', dd] if dd else []) + (['-s', args.vmlinux] if args.vmlinux else []) + \
			(['--no-debuginfod'] if args.no_debuginfod or args.no_debug_files else [])
		rd = oracle.open_dump(dump, 'own')[0] if kdump else None
		try:
			tables = run_tool(args.tce_inspect, 'tables', dump, extra)
			gone = check_tables(dump, truth, tables, rep, rd)
			if not big:
				got = run_tool(args.tce_inspect, 'entries', dump, extra)
			elif '--table' in entries_help and '--range' in entries_help:
				got = entries_sliced(args, dump, extra, truth, tables, big, rep)
			else:
				rep.note('%s: entries not run: tables of more than %d entries (%s), and entries '
					 'takes no --table and --range' % (os.path.basename(dump), args.entries_max,
									   ', '.join('0x%x' % b for b in big)))
				continue
			check_entries(dump, truth, got, rep, big, kdump, rd, gone)
		except ToolExit as e:
			lines = e.stderr.strip().splitlines()
			one = lines[0] if e.rc == 3 and len(lines) == 1 else ''
			if args.require_answers:
				rep.fail(str(e))
			elif args.no_debug_files and (' is unknown (' in one or
						    "without the kernel's type information" in one):
				rep.note('%s: without debug files tce-inspect says (exit 3): %s'
					 % (os.path.basename(dump), one))
			elif kdump and e.rc == 3 and lines and all(re.search(r'physical 0x[0-9a-f]+ is not', ln)
								  for ln in lines):
				# makedumpfile left out pages the search needs (Debian 13's 1.7.6 drops
				# non-zero kernel pages of 4K radix dumps even at -d 1)
				rep.note('%s: the kdump lacks what the search needs; tce-inspect says (exit 3): %s'
					 % (os.path.basename(dump), ' | '.join(lines)))
			else:
				rep.fail(str(e))
		except RuntimeError as e:
			rep.fail(str(e))
	for f in rep.fails:
		print('FAIL: %s' % f)
	print('check-tables.py: %s: %s' % (args.dir, '%d failures' % len(rep.fails) if rep.fails else 'ok'))
	if rep.fails:
		return 1
	return 77 if skipped and not args.verify_only else 0


if __name__ == '__main__':
	sys.exit(main())
