#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/tables-oracle.py: the powernv hardware TCE tables of a ppc64 vmcore, read by drgn.

It owns the independent reading of a powernv (bare-metal, IODA2) kernel's IOMMU tables for
tce-inspect's tests: drgn 0.0.22 (python3-drgn) with the kernel's DWARF (the -dbg vmlinux
fetch-debug.sh lays out) follows hose_list -> struct pci_controller -> private_data (struct
pnv_phb) -> ioda.pe_list (struct pnv_ioda_pe, in creation order; ioda.pe_array is checked to
hold each of them) -> table_group.tables[] (struct iommu_table) and walks each table the way
arch/powerpc/platforms/powernv/pci-ioda-tce.c's pnv_tce() does: it_base is the first level,
it_indirect_levels indirect levels above the leaves, it_level_size entries a level, entries
big-endian; an indirect entry of 0 means "not allocated", otherwise the next level is at
__va(entry & ~(TCE_PCI_READ | TCE_PCI_WRITE)); a leaf entry is valid when it has read or
write permission.  A leaf's position is idx, its entry index it_offset + idx, its bus address
index << it_page_shift.  All of it lives in the linear map, which drgn reads once the dump's
PT_LOADs carry linear-map p_vaddr (fixdump does that).  No project code is used.

Output (-o FILE, default stdout), one record a line, "KIND key=value ...", numbers in hex
with 0x unless said:
  # comment lines (the dump, drgn's version, the vmlinux)
  phb      phb (hose->global_number, decimal) opal_id total_pe (decimal) pes (decimal: PEs on
           pe_list) address (the struct pnv_phb)
  table    phb pe (decimal) address (the struct iommu_table) it_index it_offset it_size
           it_page_shift (decimal) levels (it_indirect_levels + 1, decimal) level_size
           (decimal) it_base valid (decimal: valid leaf entries) levels_present (decimal:
           level pages found, the first included) levels_missing (decimal: indirect entries
           whose level the dump lacks)
  level    table depth (decimal: 0 is it_base) idx (the first leaf position under it)
           address (its linear-map address) phys size (bytes)
  entry    phb pe table it_index it_offset it_size it_page_shift levels level_size
           index (it_offset + idx) idx bus raw (the entry's value, read big-endian)
  end      phbs tables entries (all decimal)
A table shared by several PEs is listed once, under the first.  Exit status: 0, 1 when drgn
cannot read the dump or the structures, 2 on usage errors.
"""

import argparse
import struct
import sys

PAGE_OFFSET = 0xc000000000000000
TCE_PCI_READ = 1
TCE_PCI_WRITE = 2
MAX_PHBS = 256
MAX_PES = 1 << 16
MAX_LEVEL_PAGES = 1 << 20	# a bound on the walk: 2^20 level pages of 64K is 64 GiB


class OracleError(Exception):
	pass


def walk_table(prog, tbl, errors):
	"""Yield (idx, raw) for every valid leaf entry; count the levels seen and missing."""
	import drgn
	levels = tbl.it_indirect_levels.value_() + 1
	level_size = tbl.it_level_size.value_()
	it_size = tbl.it_size.value_()
	if level_size <= 0 or level_size & (level_size - 1) or levels > 5:
		raise OracleError('table 0x%x: it_level_size %d, it_indirect_levels %d: implausible'
				  % (tbl.value_(), level_size, levels - 1))
	stats = {'present': 0, 'missing': 0}
	budget = [MAX_LEVEL_PAGES]
	level_pages = []

	def read_level(va, depth, base):
		budget[0] -= 1
		if budget[0] < 0:
			raise OracleError('table 0x%x: more than %d level pages' % (tbl.value_(), MAX_LEVEL_PAGES))
		try:
			data = prog.read(va, 8 * level_size)
		except drgn.FaultError as e:
			stats['missing'] += 1
			errors.append('table 0x%x: level at 0x%x not in the dump (%s)' % (tbl.value_(), va, e))
			return None
		stats['present'] += 1
		level_pages.append((depth, base, va))
		return struct.unpack('>%dQ' % level_size, data)

	def walk(va, depth, base):
		entries = read_level(va, depth, base)
		if entries is None:
			return
		span = level_size ** (levels - 1 - depth)	# leaf entries under one entry here
		for n, e in enumerate(entries):
			if not e:
				continue
			idx = base + n * span
			if depth == levels - 1:
				if e & (TCE_PCI_READ | TCE_PCI_WRITE):
					if idx >= it_size:
						errors.append('table 0x%x: valid entry at idx 0x%x beyond it_size 0x%x'
							      % (tbl.value_(), idx, it_size))
					yield idx, e
			else:
				if idx >= it_size:
					errors.append('table 0x%x: indirect entry at depth %d for idx 0x%x beyond it_size'
						      % (tbl.value_(), depth, idx))
					continue
				yield from walk(PAGE_OFFSET | (e & ~(TCE_PCI_READ | TCE_PCI_WRITE)),
						depth + 1, idx)

	out = list(walk(tbl.it_base.value_(), 0, 0))
	stats['pages'] = level_pages
	return out, stats, levels, level_size


def read_tables(prog):
	import drgn
	from drgn.helpers.linux.list import list_for_each_entry
	phbs = []
	seen_tables = set()
	errors = []
	hoses = list_for_each_entry('struct pci_controller', prog['hose_list'].address_of_(), 'list_node')
	for n, hose in enumerate(hoses):
		if n >= MAX_PHBS:
			raise OracleError('more than %d PCI controllers on hose_list' % MAX_PHBS)
		phb = drgn.cast('struct pnv_phb *', hose.private_data)
		rec = {'phb': hose.global_number.value_(), 'opal_id': phb.opal_id.value_(),
		       'total_pe': phb.ioda.total_pe_num.value_(), 'address': phb.value_(), 'tables': []}
		pe_array = phb.ioda.pe_array.value_()
		pe_size = drgn.sizeof(prog.type('struct pnv_ioda_pe'))
		pes = 0
		for pe in list_for_each_entry('struct pnv_ioda_pe', phb.ioda.pe_list.address_of_(), 'list'):
			pes += 1
			if pes > MAX_PES:
				raise OracleError('PHB %d: more than %d PEs on pe_list' % (rec['phb'], MAX_PES))
			pe_number = pe.pe_number.value_()
			if pe.value_() != pe_array + pe_number * pe_size:
				errors.append('PHB %d: PE %d on pe_list is not pe_array[%d]'
					      % (rec['phb'], pe_number, pe_number))
			for t in pe.table_group.tables:
				if not t.value_() or t.value_() in seen_tables:
					continue
				seen_tables.add(t.value_())
				entries, stats, levels, level_size = walk_table(prog, t, errors)
				rec['tables'].append({
					'pe': pe_number, 'address': t.value_(), 'it_index': t.it_index.value_(),
					'it_offset': t.it_offset.value_(), 'it_size': t.it_size.value_(),
					'it_page_shift': t.it_page_shift.value_(), 'levels': levels,
					'level_size': level_size, 'it_base': t.it_base.value_(),
					'entries': entries, 'stats': stats})
		rec['pes'] = pes
		phbs.append(rec)
	return phbs, errors


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('dump', help='an ELF vmcore (fixdump-ed) or a kdump-compressed one')
	ap.add_argument('--debug-dir', help='DIR/boot/vmlinux-RELEASE is the vmlinux (fetch-debug.sh\'s usr/lib/debug)')
	ap.add_argument('--vmlinux', help='the vmlinux with DWARF (instead of --debug-dir)')
	ap.add_argument('-o', '--output', help='where to write (default stdout)')
	args = ap.parse_args()
	try:
		import drgn
	except ImportError as e:
		print('tables-oracle.py: no drgn (apt-get install python3-drgn): %s' % e, file=sys.stderr)
		return 1
	try:
		prog = drgn.Program()
		prog.set_core_dump(args.dump)
		vmlinux = args.vmlinux
		if not vmlinux:
			if not args.debug_dir:
				print('tables-oracle.py: --debug-dir or --vmlinux is needed', file=sys.stderr)
				return 2
			rel = read_release(args.dump)
			vmlinux = '%s/boot/vmlinux-%s' % (args.debug_dir, rel)
		prog.load_debug_info([vmlinux])
		phbs, errors = read_tables(prog)
	except (drgn.FaultError, drgn.MissingDebugInfoError, LookupError, OracleError, OSError, ValueError) as e:
		print('tables-oracle.py: %s: %s' % (args.dump, e), file=sys.stderr)
		return 1
	out = open(args.output, 'w') if args.output else sys.stdout
	print('# tables-oracle.py %s (drgn %s, %s)' % (args.dump, drgn.__version__, vmlinux), file=out)
	ntables = nentries = 0
	for p in phbs:
		print('phb phb=%d opal_id=0x%x total_pe=%d pes=%d address=0x%x'
		      % (p['phb'], p['opal_id'], p['total_pe'], p['pes'], p['address']), file=out)
		for t in p['tables']:
			ntables += 1
			common = ('it_index=0x%x it_offset=0x%x it_size=0x%x it_page_shift=%d levels=%d level_size=%d'
				  % (t['it_index'], t['it_offset'], t['it_size'], t['it_page_shift'],
				     t['levels'], t['level_size']))
			print('table phb=%d pe=%d address=0x%x %s it_base=0x%x valid=%d levels_present=%d levels_missing=%d'
			      % (p['phb'], t['pe'], t['address'], common, t['it_base'], len(t['entries']),
				 t['stats']['present'], t['stats']['missing']), file=out)
			for depth, base, va in t['stats']['pages']:
				print('level table=0x%x depth=%d idx=0x%x address=0x%x phys=0x%x size=0x%x'
				      % (t['address'], depth, base, va, va - PAGE_OFFSET, 8 * t['level_size']),
				      file=out)
			for idx, raw in t['entries']:
				nentries += 1
				index = t['it_offset'] + idx
				print('entry phb=%d pe=%d table=0x%x %s index=0x%x idx=0x%x bus=0x%x raw=0x%x'
				      % (p['phb'], t['pe'], t['address'], common, index, idx,
					 index << t['it_page_shift'], raw), file=out)
	print('end phbs=%d tables=%d entries=%d' % (len(phbs), ntables, nentries), file=out)
	if out is not sys.stdout:
		out.close()
	for e in errors:
		print('tables-oracle.py: warning: %s' % e, file=sys.stderr)
	print('tables-oracle.py: %d PHBs, %d tables, %d valid entries' % (len(phbs), ntables, nentries),
	      file=sys.stderr)
	return 0


def read_release(path):
	"""OSRELEASE from the dump's VMCOREINFO (vmcoreinfo.py, beside this file)."""
	import os
	import subprocess
	here = os.path.dirname(os.path.abspath(__file__))
	out = subprocess.run([sys.executable, os.path.join(here, 'vmcoreinfo.py'), '-k', 'OSRELEASE', path],
			     check=True, capture_output=True, text=True).stdout.split()
	if len(out) < 2 or out[1] == '-':
		raise OracleError('no OSRELEASE in the VMCOREINFO of %s' % path)
	return out[1]


if __name__ == '__main__':
	sys.exit(main())
