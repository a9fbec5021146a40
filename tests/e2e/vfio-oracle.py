#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/vfio-oracle.py: the VFIO side of a powernv vmcore, read by drgn, checked against the host's truth.

It owns the independent reading of what the SPAPR TCE v2 IOMMU leaves in a powernv (IODA2)
kernel for tce-inspect's tests, and its comparison with what vfio-tables.c printed in the
host (mkdump.sh's d13-pnv-vfio recipes, truth.txt).  drgn 0.0.22 (python3-drgn) with the
kernel's DWARF (fetch-debug.sh's tree) reads:
- every hardware table tables-oracle.py finds (hose_list -> PHB -> PE -> table_group.tables[])
  that has an it_userspace, the PEs and IOMMU groups it is linked to (it_group_list ->
  struct iommu_table_group_link -> table_group -> container_of struct pnv_ioda_pe, and
  table_group->group->id), its valid hardware entries (tables-oracle.py's walk) and its
  it_userspace mirror, walked like the hardware table (pnv_tce(tbl, true, ...): the same
  levels and level size, indirect entries __pa(level) | 3 big-endian, leaves the userspace
  address, big-endian, 0 where unset);
- the process that made them (the task whose comm is --comm, default vfio-tables):
  mm->context.iommu_group_mem_list (struct mm_iommu_table_group_mem_t: ua, entries, used,
  mapped, pageshift, dev_hpa, hpas[], a vzalloc()ed array read through the kernel page
  tables: tables-oracle.py's translation, which covers vmalloc and, on radix, the vmemmap;
  on hash vmemmap_list maps the vmemmap), the
  page behind each of the region's pages in the process's page tables (mm->pgd), and the
  struct page (folio) of each: _refcount, _mapcount, whether it is a large folio's page,
  its folio's order and _pincount.
No project code is used beyond tables-oracle.py (also an oracle).

Output (-o FILE, default stdout), one record a line, "KIND key=value ...", numbers in hex
with 0x unless said:
  # comment lines
  vfiotable address phb (decimal) pe groups (decimal, comma-separated; PHB:PE in pes)
           pes it_offset it_size it_page_shift (decimal) levels (decimal) level_size
           (decimal) it_base it_userspace valid (decimal: valid hardware entries) uas
           (decimal: non-zero it_userspace leaves) uslevels (decimal: it_userspace level
           pages, the first included) hwlevels (decimal: the hardware table's)
  uslevel  table depth (decimal) idx address phys hw (yes: the hardware table has its level
           for the same entries too; no: it_userspace only, as a refused mapping leaves it)
  vfioentry table index bus raw (the hardware entry, 0 when none) ua (it_userspace's, 0
           when none) region (the registered region holding ua, or none) hpa (what that
           region's hpas[] gives for ua, or none)
  region   mem (the struct's address) ua entries pageshift (decimal) used (decimal) mapped
           (decimal) dev_hpa hpas (the array's address) pinned (decimal: pages whose pin is
           seen, below) uas (decimal: it_userspace leaves pointing into it)
  pin      region ua hpa (hpas[i]) pte (the pfn in the process's page tables, or absent)
           refcount (decimal) mapcount (decimal) large (0/1) order (decimal, the folio's)
           pincount (decimal: the folio's _pincount, large folios only, else -) pinned
           (0/1: refcount >= GUP_PIN_COUNTING_BIAS for a small folio, _pincount > 0 for a
           large one)
  end      tables entries regions pins (decimal)
With --truth FILE it then compares (every region, page, window and entry of the truth
against the reading, and every VFIO hardware entry and it_userspace leaf of the dump
against the truth; mapped = 1 + TCEs into the region, pages of registered regions pinned,
pages of unregistered ones (struct page by the truth's pfn) not) and prints "agree: ..." or each disagreement; exit status 1 when
they disagree.  --keep-out FILE writes the physical pages read, as tables-oracle.py's.
Exit status: 0, 1 (cannot read, or disagrees), 2 usage.
"""

import argparse
import importlib.util
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('tables_oracle', os.path.join(HERE, 'tables-oracle.py'))
to = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(to)

PAGE_OFFSET = to.PAGE_OFFSET
TCE_RW = to.TCE_PCI_READ | to.TCE_PCI_WRITE
GUP_PIN_COUNTING_BIAS = 1 << 10		# include/linux/mm.h: a macro, not in DWARF
MAX_REGIONS = 4096
MAX_TASKS = 1 << 16


class OracleError(Exception):
	pass


def walk_userspace(prog, tbl, mem, levels, level_size):
	"""Yield (idx, ua) for every non-zero it_userspace leaf; list the level pages."""
	import drgn
	it_size = tbl.it_size.value_()
	pages = []
	budget = [to.MAX_LEVEL_PAGES]

	def walk(va, depth, base):
		budget[0] -= 1
		if budget[0] < 0:
			raise OracleError('table 0x%x: it_userspace has more than %d level pages'
					  % (tbl.value_(), to.MAX_LEVEL_PAGES))
		try:
			data = mem.phys(va - PAGE_OFFSET, 8 * level_size, 'it_userspace')
		except drgn.FaultError as e:
			raise OracleError('table 0x%x: it_userspace level at 0x%x not in the dump (%s)'
					  % (tbl.value_(), va, e))
		pages.append((depth, base, va))
		span = level_size ** (levels - 1 - depth)
		for n, e in enumerate(struct.unpack('>%dQ' % level_size, data)):
			if not e:
				continue
			idx = base + n * span
			if depth == levels - 1:
				yield idx, e
			elif idx < it_size:
				yield from walk(PAGE_OFFSET | (e & ~TCE_RW), depth + 1, idx)

	out = list(walk(tbl.it_userspace.value_(), 0, 0))
	return out, pages


def table_links(prog, tbl):
	"""[(phb, pe, group id)] of the PEs an iommu_table is linked to (it_group_list)."""
	import drgn
	from drgn.helpers.linux.list import list_for_each_entry
	out = []
	for n, link in enumerate(list_for_each_entry('struct iommu_table_group_link',
						      tbl.it_group_list.address_of_(), 'next')):
		if n > 64:
			raise OracleError('table 0x%x: more than 64 group links' % tbl.value_())
		pe = drgn.container_of(link.table_group, 'struct pnv_ioda_pe', 'table_group')
		grp = link.table_group.group
		out.append((pe.phb.hose.global_number.value_(), pe.pe_number.value_(),
			    grp.id.value_() if grp.value_() else -1))
	return out


def vmemmap_reader(prog, mem):
	"""A drgn segment reader for the vmemmap of a hash kernel: there bolted hash entries map
	it, not the kernel page tables, and vmemmap_list (struct vmemmap_backing: virt_addr,
	phys; blocks of mmu_psize_defs[mmu_vmemmap_psize].shift) is its only map."""
	import drgn
	size = 1 << prog['mmu_psize_defs'][prog['mmu_vmemmap_psize']].shift.value_()
	blocks = {}
	node = prog['vmemmap_list']
	while node.value_():
		if len(blocks) > 1 << 22:
			raise OracleError('vmemmap_list: more than %d blocks' % (1 << 22))
		blocks[node.virt_addr.value_()] = node.phys.value_()
		node = node.list

	def read(address, count, offset, physical):
		out = b''
		while count:
			base = address & ~(size - 1)
			n = min(count, base + size - address)
			if base not in blocks:
				raise drgn.FaultError('no vmemmap_list block', address)
			out += mem.phys(blocks[base] + address - base, n, 'struct pages')
			address += n
			count -= n
		return out
	return read


def find_task(prog, comm):
	from drgn.helpers.linux.list import list_for_each_entry
	init = prog['init_task']
	for n, task in enumerate(list_for_each_entry('struct task_struct', init.tasks.address_of_(), 'tasks')):
		if n > MAX_TASKS:
			raise OracleError('more than %d tasks' % MAX_TASKS)
		if task.comm.string_().decode(errors='replace') == comm and task.mm.value_():
			return task
	raise OracleError('no task %r with an mm in the dump' % comm)


def read_page(prog, pfn):
	"""(refcount, mapcount, large, order, pincount) of pfn's struct page, read through the
	kernel page tables' vmemmap (6.12 radix keeps no vmemmap_list)."""
	import drgn
	page = drgn.Object(prog, 'struct page',
			   address=to.VMEMMAP_START + pfn * drgn.sizeof(prog.type('struct page')))
	ref = page._refcount.counter.value_()
	mapcount = page._mapcount.counter.value_() + 1
	head = page.compound_head.value_()
	head_addr = head - 1 if head & 1 else page.address_
	folio = drgn.Object(prog, 'struct folio', address=head_addr)
	flags = folio.flags.value_()
	pg_head = prog.constant('PG_head').value_()
	large = bool(flags & (1 << pg_head))
	if not large:
		return ref, mapcount, False, 0, None
	order = folio._flags_1.value_() & 0xff
	pincount = folio._pincount.counter.value_()
	ref = folio._refcount.counter.value_()
	return ref, mapcount, True, order, pincount


def read_regions(prog, mem, task, page_size):
	from drgn.helpers.linux.list import list_for_each_entry
	mm = task.mm
	root = mm.pgd.value_() - PAGE_OFFSET
	regions = []
	for m in list_for_each_entry('struct mm_iommu_table_group_mem_t',
				     mm.context.iommu_group_mem_list.address_of_(), 'next'):
		if len(regions) >= MAX_REGIONS:
			raise OracleError('more than %d preregistered regions' % MAX_REGIONS)
		r = {'mem': m.value_(), 'ua': m.ua.value_(), 'entries': m.entries.value_(),
		     'pageshift': m.pageshift.value_(), 'used': m.used.value_(),
		     'mapped': m.mapped.counter.value_(), 'dev_hpa': m.dev_hpa.value_(),
		     'hpas': m.hpas.value_(), 'pins': []}
		if r['entries'] > 1 << 24:
			raise OracleError('region at 0x%x: %d entries: implausible' % (r['ua'], r['entries']))
		if r['hpas']:
			mem.why = 'prereg hpas'
			raw = prog.read(r['hpas'], 8 * r['entries'])
			hpas = struct.unpack('<%dQ' % r['entries'], raw)
			for i, hpa in enumerate(hpas):
				ua = r['ua'] + i * page_size
				mem.why = 'process page tables'
				pa = mem.translate(ua, root)
				pfn = hpa // page_size
				mem.why = 'struct pages'
				ref, mapc, large, order, pinc = read_page(prog, pfn)
				pinned = (pinc or 0) > 0 if large else ref >= GUP_PIN_COUNTING_BIAS
				r['pins'].append({'ua': ua, 'hpa': hpa, 'pte': None if pa is None else pa // page_size,
						  'refcount': ref, 'mapcount': mapc, 'large': large, 'order': order,
						  'pincount': pinc, 'pinned': pinned})
		regions.append(r)
	return regions, root


def read_vfio_tables(prog, mem, phbs):
	import drgn
	tables = []
	for p in phbs:
		for t in p['tables']:
			tbl = drgn.Object(prog, 'struct iommu_table', address=t['address'])
			if not tbl.it_userspace.value_():
				continue
			mem.why = 'it_userspace'
			uas, pages = walk_userspace(prog, tbl, mem, t['levels'], t['level_size'])
			tables.append({'t': t, 'phb': p['phb'], 'links': table_links(prog, tbl),
				       'it_userspace': tbl.it_userspace.value_(),
				       'hw': {t['it_offset'] + idx: raw for idx, raw in t['entries']},
				       'ua': {t['it_offset'] + idx: ua for idx, ua in uas}, 'uspages': pages})
	return tables


def region_of(regions, ua, page_size):
	for r in regions:
		if r['ua'] <= ua < r['ua'] + r['entries'] * page_size:
			return r
	return None


def hpa_of(r, ua, page_size):
	"""mm_iommu_ua_to_hpa(): hpas[entry] & ~0xfff | the offset in the page."""
	i = (ua - r['ua']) // page_size
	return (r['pins'][i]['hpa'] & ~0xfff) | (ua % page_size)


def parse_truth(path):
	recs = []
	with open(path) as f:
		for ln in f:
			parts = ln.split()
			if not parts or '=' in parts[0]:
				continue
			kv = {}
			for p in parts[1:]:
				if '=' in p:
					k, v = p.split('=', 1)
					kv[k] = v
			recs.append((parts[0], kv))
	return recs


def num(v):
	return int(v, 0)


def compare(truth, tables, regions, page_size, page_info):
	"""Return (disagreements, counts)."""
	bad = []
	recs = parse_truth(truth)
	conts = {num(kv['id']): sorted(int(g) for g in kv['groups'].split(','))
		 for k, kv in recs if k == 'container'}
	by_ua = {r['ua']: r for r in regions}
	n = {'regions': 0, 'pages': 0, 'windows': 0, 'entries': 0}
	# Regions: registered ones with the kernel's used and mapped; gone ones absent.
	for k, kv in recs:
		if k != 'region':
			continue
		n['regions'] += 1
		ua = num(kv['ua'])
		r = by_ua.get(ua)
		if kv['state'] != 'registered':
			if r:
				bad.append('region %s (0x%x): %s, but on the mm list' % (kv['name'], ua, kv['state']))
			continue
		if not r:
			bad.append('region %s (0x%x): not on the mm list' % (kv['name'], ua))
			continue
		for key, tk in (('entries', 'entries'), ('used', 'used'), ('mapped', 'mapped')):
			if r[key] != num(kv[tk]):
				bad.append('region %s: %s %d in the dump, %d in the truth' % (kv['name'], key, r[key], num(kv[tk])))
		if r['dev_hpa'] != (1 << 64) - 1:
			bad.append('region %s: dev_hpa 0x%x, not MM_IOMMU_TABLE_INVALID_HPA' % (kv['name'], r['dev_hpa']))
	if len(by_ua) != len([1 for k, kv in recs if k == 'region' and kv['state'] == 'registered']):
		bad.append('%d regions on the mm list, the truth has %d registered'
			   % (len(by_ua), len([1 for k, kv in recs if k == 'region' and kv['state'] == 'registered'])))
	states = {kv['name']: kv['state'] for k, kv in recs if k == 'region'}
	# Pages: hpas[] and the process's page tables give the pagemap pfn; pins as the state says.
	for k, kv in recs:
		if k != 'page':
			continue
		n['pages'] += 1
		ua, pfn = num(kv['ua']), num(kv['pfn'])
		r = region_of(regions, ua, page_size)
		if states.get(kv['region']) != 'registered':
			if r:
				bad.append('page 0x%x of an unregistered region is in a registered one' % ua)
			ref, _, large, _, pinc = page_info(pfn)
			if (pinc or 0) > 0 if large else ref >= GUP_PIN_COUNTING_BIAS:
				bad.append('page 0x%x (pfn 0x%x) of an unregistered region pinned (refcount %d, pincount %s)'
					   % (ua, pfn, ref, pinc))
			continue
		if not r:
			bad.append('page 0x%x (%s): in no registered region' % (ua, kv['region']))
			continue
		p = r['pins'][(ua - r['ua']) // page_size]
		if p['hpa'] // page_size != pfn or p['hpa'] % page_size:
			bad.append('page 0x%x: hpas[] 0x%x, pagemap pfn 0x%x' % (ua, p['hpa'], pfn))
		if p['pte'] != pfn:
			bad.append('page 0x%x: the page tables say pfn %s, pagemap 0x%x'
				   % (ua, 'absent' if p['pte'] is None else '0x%x' % p['pte'], pfn))
		if not p['pinned']:
			bad.append('page 0x%x (pfn 0x%x): registered but not pinned (refcount %d, pincount %s)'
				   % (ua, pfn, p['refcount'], p['pincount']))
	# Windows: one VFIO table each, with the container's groups.
	want = {}
	for k, kv in recs:
		if k != 'window':
			continue
		n['windows'] += 1
		c, w = num(kv['container']), num(kv['num'])
		shift = num(kv['page_shift'])
		found = [t for t in tables
			 if sorted(g for _, _, g in t['links']) == conts[c]
			 and t['t']['it_offset'] << t['t']['it_page_shift'] == num(kv['start'])
			 and t['t']['it_page_shift'] == shift]
		if len(found) != 1:
			bad.append('window %d/%d: %d VFIO tables with groups %s, start %s, page shift %d'
				   % (c, w, len(found), conts[c], kv['start'], shift))
			continue
		t = found[0]
		if t['t']['levels'] != num(kv['levels']) or t['t']['it_size'] != num(kv['entries']):
			bad.append('window %d/%d: levels %d size 0x%x in the dump, %s and %s in the truth'
				   % (c, w, t['t']['levels'], t['t']['it_size'], kv['levels'], kv['entries']))
		want[(c, w)] = (t, {})
	# Entries: hardware entry and it_userspace leaf at each index; nothing else in the tables.
	for k, kv in recs:
		if k != 'entry':
			continue
		n['entries'] += 1
		key = (num(kv['container']), num(kv['num']))
		if key not in want:
			continue
		t, seen = want[key]
		idx, ua, raw = num(kv['index']), num(kv['ua']), num(kv['raw'])
		seen[idx] = True
		if t['hw'].get(idx) != raw:
			bad.append('entry %d/%d index 0x%x: hardware 0x%x, truth 0x%x'
				   % (key + (idx, t['hw'].get(idx, 0), raw)))
		if t['ua'].get(idx) != ua:
			bad.append('entry %d/%d index 0x%x: it_userspace 0x%x, truth 0x%x'
				   % (key + (idx, t['ua'].get(idx, 0), ua)))
		r = region_of(regions, ua, page_size)
		if r is None or hpa_of(r, ua, page_size) | (raw & TCE_RW) != raw:
			bad.append('entry %d/%d index 0x%x: the region of ua 0x%x gives hpa %s, the entry is 0x%x'
				   % (key + (idx, ua, 'none' if r is None else '0x%x' % hpa_of(r, ua, page_size), raw)))
	for (c, w), (t, seen) in want.items():
		for idx in sorted(set(t['hw']) | set(t['ua'])):
			if idx not in seen:
				bad.append('window %d/%d index 0x%x: hardware 0x%x, it_userspace 0x%x, not in the truth'
					   % (c, w, idx, t['hw'].get(idx, 0), t['ua'].get(idx, 0)))
	# mapped = 1 + TCEs into the region, counted in the dump alone.
	for r in regions:
		uas = sum(1 for t in tables for ua in t['ua'].values()
			  if r['ua'] <= ua < r['ua'] + r['entries'] * page_size)
		r['uas'] = uas
		if r['mapped'] != 1 + uas:
			bad.append('region 0x%x: mapped %d, but %d it_userspace leaves point into it'
				   % (r['ua'], r['mapped'], uas))
	if len(want) != len(tables):
		bad.append('%d VFIO tables in the dump, %d windows in the truth' % (len(tables), len(want)))
	return bad, n


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('dump', help="an ELF vmcore (QEMU's repaired) or a kdump-compressed one")
	ap.add_argument('--debug-dir', help="DIR/boot/vmlinux-RELEASE is the vmlinux (fetch-debug.sh's usr/lib/debug)")
	ap.add_argument('--vmlinux', help='the vmlinux with DWARF (instead of --debug-dir)')
	ap.add_argument('--mmu', choices=('auto', 'radix', 'hash'), default='auto')
	ap.add_argument('--comm', default='vfio-tables', help='the process holding the containers')
	ap.add_argument('--truth', help="vfio-tables' output (truth.txt) to compare with")
	ap.add_argument('-o', '--output')
	ap.add_argument('--keep-out')
	args = ap.parse_args()
	try:
		import drgn
	except ImportError as e:
		print('vfio-oracle.py: no drgn (apt-get install python3-drgn): %s' % e, file=sys.stderr)
		return 1
	if not args.vmlinux and not args.debug_dir:
		print('vfio-oracle.py: --debug-dir or --vmlinux is needed', file=sys.stderr)
		return 2
	try:
		prog = drgn.Program()
		prog.set_core_dump(args.dump)
		vmlinux = args.vmlinux or '%s/boot/vmlinux-%s' % (args.debug_dir, to.read_release(args.dump))
		prog.load_debug_info([vmlinux])
		to.set_layout(args.dump)
		page_size = to.HOST_PAGE
		mmu = to.decide_mmu(args.dump, args.mmu)
		mem = to.Memory(prog, mmu)
		mem.install()
		prog.add_memory_segment(to.VMEMMAP_START, 1 << 50,
					vmemmap_reader(prog, mem) if mmu == 'hash' else mem._read_mapped)
		mem.why = 'hardware TCE structures'
		phbs, errors = to.read_tables(prog)
		tables = read_vfio_tables(prog, mem, phbs)
		task = find_task(prog, args.comm)
		mem.why = 'prereg regions'
		regions, pgd = read_regions(prog, mem, task, page_size)
		bad, counts = compare(args.truth, tables, regions, page_size,
					    lambda pfn: read_page(prog, pfn)) if args.truth else ([], None)
	except (drgn.FaultError, LookupError, OracleError, to.OracleError, OSError, ValueError) as e:
		print('vfio-oracle.py: %s: %s' % (args.dump, e), file=sys.stderr)
		return 1
	out = open(args.output, 'w') if args.output else sys.stdout
	print('# vfio-oracle.py %s (drgn %s, %s)' % (args.dump, drgn.__version__, vmlinux), file=out)
	print('# task %s pid %d mm 0x%x pgd 0x%x; page size %d' % (args.comm, task.pid.value_(), task.mm.value_(),
								    pgd, page_size), file=out)
	nent = 0
	for t in tables:
		tt = t['t']
		print('vfiotable address=0x%x phb=%d groups=%s pes=%s it_offset=0x%x it_size=0x%x it_page_shift=%d'
		      ' levels=%d level_size=%d it_base=0x%x it_userspace=0x%x valid=%d uas=%d uslevels=%d hwlevels=%d'
		      % (tt['address'], t['phb'], ','.join(str(g) for _, _, g in t['links']),
			 ','.join('%d:0x%x' % (p, e) for p, e, _ in t['links']), tt['it_offset'], tt['it_size'],
			 tt['it_page_shift'], tt['levels'], tt['level_size'], tt['it_base'], t['it_userspace'],
			 len(t['hw']), len(t['ua']), len(t['uspages']), len(tt['stats']['pages'])), file=out)
		hwlevels = {(depth, base) for depth, base, _ in tt['stats']['pages']}
		for depth, base, va in t['uspages']:
			print('uslevel table=0x%x depth=%d idx=0x%x address=0x%x phys=0x%x hw=%s'
			      % (tt['address'], depth, base, va, va - PAGE_OFFSET,
				 'yes' if (depth, base) in hwlevels else 'no'), file=out)
		for idx in sorted(set(t['hw']) | set(t['ua'])):
			nent += 1
			ua = t['ua'].get(idx, 0)
			r = region_of(regions, ua, page_size) if ua else None
			print('vfioentry table=0x%x index=0x%x bus=0x%x raw=0x%x ua=0x%x region=%s hpa=%s'
			      % (tt['address'], idx, idx << tt['it_page_shift'], t['hw'].get(idx, 0), ua,
				 '0x%x' % r['ua'] if r else 'none', '0x%x' % hpa_of(r, ua, page_size) if r else 'none'),
			      file=out)
	npins = 0
	for r in regions:
		if 'uas' not in r:
			r['uas'] = sum(1 for t in tables for ua in t['ua'].values()
				       if r['ua'] <= ua < r['ua'] + r['entries'] * page_size)
		print('region mem=0x%x ua=0x%x entries=0x%x pageshift=%d used=%d mapped=%d dev_hpa=0x%x hpas=0x%x'
		      ' pinned=%d uas=%d' % (r['mem'], r['ua'], r['entries'], r['pageshift'], r['used'], r['mapped'],
					      r['dev_hpa'], r['hpas'], sum(p['pinned'] for p in r['pins']), r['uas']),
		      file=out)
		for p in r['pins']:
			npins += 1
			print('pin region=0x%x ua=0x%x hpa=0x%x pte=%s refcount=%d mapcount=%d large=%d order=%d'
			      ' pincount=%s pinned=%d'
			      % (r['ua'], p['ua'], p['hpa'], 'absent' if p['pte'] is None else '0x%x' % p['pte'],
				 p['refcount'], p['mapcount'], p['large'], p['order'],
				 '-' if p['pincount'] is None else p['pincount'], p['pinned']), file=out)
	print('end tables=%d entries=%d regions=%d pins=%d' % (len(tables), nent, len(regions), npins), file=out)
	if out is not sys.stdout:
		out.close()
	if args.keep_out:
		import json
		with open(args.keep_out, 'w') as f:
			json.dump([{'phys': '0x%x' % p, 'size': to.HOST_PAGE, 'why': sorted(w)}
				   for p, w in sorted(mem.pages.items())], f, indent=1)
	for e in errors:
		print('vfio-oracle.py: warning: %s' % e, file=sys.stderr)
	print('vfio-oracle.py: %d VFIO tables, %d entries, %d regions, %d pages'
	      % (len(tables), nent, len(regions), npins), file=sys.stderr)
	if counts is not None:
		for b in bad:
			print('vfio-oracle.py: disagree: %s' % b, file=sys.stderr)
		if bad:
			print('vfio-oracle.py: %d disagreements with %s' % (len(bad), args.truth), file=sys.stderr)
			return 1
		print('vfio-oracle.py: agree: %d regions, %d pages, %d windows, %d entries of %s'
		      % (counts['regions'], counts['pages'], counts['windows'], counts['entries'], args.truth),
		      file=sys.stderr)
	return 0


if __name__ == '__main__':
	sys.exit(main())
