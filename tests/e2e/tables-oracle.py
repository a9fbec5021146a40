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
PT_LOADs carry linear-map p_vaddr (tce-inspect repair does that for QEMU's dumps).  No project code is used.

KVM guest-view tables: drgn 0.0.22 cannot translate vmalloc or module addresses itself, so
it cannot even load kvm.ko's debug file (it reads the module list).  This file gives it a
memory segment over 0xc008000000000000.. that walks the kernel page tables at swapper_pg_dir
(book3s64, by MMU and the dump's page size: 64K radix 13/9/9/5, hash 8/10/10/8, 4K radix
13/9/9/9, hash 9/9/7/9 index bits; big-endian entries;
--mmu, default the guest's MMU in mkdump.sh's meta.json), then loads kvm.ko and kvm-hv.ko
from the debug tree (KVM built into the vmlinux: the vmlinux's vm_list) and follows
vm_list -> struct kvm -> memslots[0]'s gfn_tree (struct kvm_memory_slot) and
arch.spapr_tce_tables (struct kvmppc_spapr_tce_table):
liobn, page_shift, offset, size, pages[] (struct page pointers -> pfns: vmemmap base
0xc00c000000000000), each allocated page's entries (little-endian; non-zero ones listed),
and behind each entry's gpa the memslot, the VMM's address and its page in the VMM's page
tables (kvm->mm->pgd), as tce-inspect must find it.  Debian's 6.1 has no KALLSYMS_ALL: a
module's kallsyms in memory hold its code symbols only (the output says which types), so
vm_list comes from the debug file, relocated by drgn from the module's sections.

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
  kvm      address (struct kvm) mm pgd (the VMM's page tables, physical) memslots tables
  kvmslot  kvm address id (decimal) base_gfn npages ua (userspace_addr)
  kvmtable kvm address liobn page_shift (decimal) offset size allocated (decimal: non-NULL
           pages[]) nonzero (decimal: non-zero entries) listed (decimal: kvmentry lines,
           at most --kvm-entries-max) missing (decimal: pages the dump lacks)
  kvmpage  table liobn page (decimal: index in pages[]) pfn
  kvmattach table liobn hw (a hardware table VFIO attached to the LIOBN: stt->iommu_tables
           -> struct kvmppc_spapr_tce_iommu_table -> tbl, in list order)
  kvmentry table liobn index (position in the table) bus ((offset + index) << page_shift)
           raw gpa slot (decimal, or none) ua (or none) host (the host pfn, "absent": not
           in the VMM's page tables, "none": no memslot, "unknown": not in the dump)
  end      phbs tables entries vms kvm_tables kvm_entries (all decimal)
--keep-out FILE writes every physical 64K page read (page tables, module list, the KVM and
hardware structures, table pages), with why, as JSON: what a trimmed sample must keep.
A table shared by several PEs is listed once, under the first.  Exit status: 0, 1 when drgn
cannot read the dump or the structures, 2 on usage errors.
"""

import argparse
import os
import struct
import subprocess
import sys

PAGE_OFFSET = 0xc000000000000000
TCE_PCI_READ = 1
TCE_PCI_WRITE = 2
MAX_PHBS = 256
MAX_PES = 1 << 16
MAX_LEVEL_PAGES = 1 << 20	# a bound on the walk: 2^20 level pages of 64K is 64 GiB


class OracleError(Exception):
	pass


# Linux page tables of book3s64 (arch/powerpc/include/asm/book3s/64/radix-64k.h,
# hash-64k.h, radix-4k.h, hash-4k.h), by MMU and base page size (the dump's PAGESIZE):
# (shift, index bits) of PGD, PUD, PMD, PTE.  Entries are big-endian in either MMU; a
# directory entry holds the next table's physical address under PXD_MASKED_BITS, a leaf has
# _PAGE_PTE; the real address is entry & PTE_RPN_MASK.
GEOMETRY = {
	('radix', 1 << 16): ((39, 13), (30, 9), (21, 9), (16, 5)),
	('hash', 1 << 16): ((44, 8), (34, 10), (24, 10), (16, 8)),
	('radix', 1 << 12): ((39, 13), (30, 9), (21, 9), (12, 9)),
	('hash', 1 << 12): ((37, 9), (28, 9), (21, 7), (12, 9)),
}
MMUS = ('radix', 'hash')
_PAGE_PRESENT = 1 << 63
_PAGE_PTE = 1 << 62
PXD_MASKED_BITS = 0xc0000000000000ff
PTE_RPN_MASK = (1 << 53) - 1
# The layout of the dump's kernel, set by main() from its VMCOREINFO: 64K pages (6.1's
# defaults: vmalloc, I/O, then the vmemmap at 0xc00c...) unless PAGESIZE,
# NUMBER(VMALLOC_START) and SYMBOL(vmemmap) (6.12) say otherwise; hash with 4K pages puts
# vmalloc at 0xc0003d0000000000 and the vmemmap at 0xc0003f0000000000.
VMALLOC_START = 0xc008000000000000
VMEMMAP_START = 0xc00c000000000000
HOST_PAGE = 1 << 16


class Memory:
	"""Physical reads of the dump, and kernel-virtual reads drgn 0.0.22 cannot do itself:
	vmalloc and module addresses (and the vmemmap) through the kernel page tables
	(swapper_pg_dir), given to drgn as a memory segment so that its objects, and its
	loading of the modules' debug files (which reads the module list), work there too.
	Every physical page read is remembered with why (--keep-out), and so is every read
	drgn makes of the linear map, which gets a segment of its own for that."""

	def __init__(self, prog, mmu):
		import drgn
		self.drgn = drgn
		self.prog = prog
		self.mmu = mmu
		if (mmu, HOST_PAGE) not in GEOMETRY:
			raise OracleError('no page-table geometry for %s with %d-byte pages' % (mmu, HOST_PAGE))
		self.geometry = GEOMETRY[(mmu, HOST_PAGE)]
		self.pages = {}
		self.why = 'structures'
		self.root = prog.symbol('swapper_pg_dir').address - PAGE_OFFSET

	def phys(self, pa, size, why=None):
		data = self.prog.read(pa, size, True)
		for p in range(pa - pa % HOST_PAGE, pa + size, HOST_PAGE):
			self.pages.setdefault(p, set()).add(why or self.why)
		return data

	def translate(self, va, root=None):
		"""The physical address behind va in the page tables at root (default the
		kernel's), or None where nothing is mapped."""
		table = self.root if root is None else root
		ea = va & ((1 << 52) - 1)
		for level, (shift, bits) in enumerate(self.geometry):
			e = struct.unpack('>Q', self.phys(table + 8 * ((ea >> shift) & ((1 << bits) - 1)), 8,
							  'page tables'))[0]
			if not e & _PAGE_PRESENT:
				return None
			if e & _PAGE_PTE or level == len(self.geometry) - 1:
				return (e & PTE_RPN_MASK & ~((1 << shift) - 1)) | (va & ((1 << shift) - 1))
			table = e & ~PXD_MASKED_BITS
		return None

	def _read_mapped(self, address, count, offset, physical):
		out = b''
		while count:
			n = min(count, HOST_PAGE - address % HOST_PAGE)
			pa = self.translate(address)
			if pa is None:
				raise self.drgn.FaultError('no page-table mapping', address)
			out += self.phys(pa, n)
			address += n
			count -= n
		return out

	def _read_linear(self, address, count, offset, physical):
		return self.phys(address - PAGE_OFFSET, count)

	def install(self):
		# Later segments take precedence over the core dump's own.
		self.prog.add_memory_segment(PAGE_OFFSET, 1 << 50, self._read_linear)
		self.prog.add_memory_segment(VMALLOC_START, 1 << 50, self._read_mapped)


def decide_mmu(dump, want):
	"""The MMU: --mmu, else the guest's /proc/cpuinfo as mkdump.sh's meta.json recorded it."""
	import json
	import os
	if want != 'auto':
		return want
	for name in ('meta.json', 'work/guest.json'):
		p = os.path.join(os.path.dirname(os.path.abspath(dump)), name)
		try:
			with open(p) as f:
				mmu = json.load(f).get('guest', {}).get('mmu', '').lower()
		except (OSError, ValueError):
			continue
		if mmu in MMUS:
			return mmu
	raise OracleError('cannot tell the MMU (no meta.json beside the dump): give --mmu radix|hash')


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
	seen_tables = {}	# address -> its record: a table several PEs hold is listed once
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
				if not t.value_():
					continue
				if t.value_() in seen_tables:
					# VFIO attaches a container's tables to every group in it:
					# the PEs after the first, in the order they were found
					seen_tables[t.value_()]['shared'].append((rec['phb'], pe_number))
					continue
				entries, stats, levels, level_size = walk_table(prog, t, errors)
				rec['tables'].append({
					'pe': pe_number, 'address': t.value_(), 'it_index': t.it_index.value_(),
					'it_offset': t.it_offset.value_(), 'it_size': t.it_size.value_(),
					'it_page_shift': t.it_page_shift.value_(), 'levels': levels,
					'level_size': level_size, 'it_base': t.it_base.value_(),
					'entries': entries, 'stats': stats, 'shared': []})
				seen_tables[t.value_()] = rec['tables'][-1]
		rec['pes'] = pes
		phbs.append(rec)
	return phbs, errors


def find_module(prog, name):
	"""The struct module of a loaded module, or None; with what its in-memory kallsyms hold
	(Debian's 6.1 has no CONFIG_KALLSYMS_ALL: a module's core kallsyms keep its code symbols
	only, so vm_list cannot be found there, only through the debug file's sections, which
	drgn relocates by the module's section addresses)."""
	import collections
	from drgn.helpers.linux.list import list_for_each_entry
	for mod in list_for_each_entry('struct module', prog['modules'].address_of_(), 'list'):
		if mod.name.string_().decode() != name:
			continue
		ks = mod.kallsyms
		n = ks.num_symtab.value_()
		if n > 1 << 20:
			raise OracleError('module %s: %d symbols: implausible' % (name, n))
		types = collections.Counter(chr(c) for c in prog.read(ks.typetab.value_(), n))
		return mod, types
	return None, None


def builtin_vm_list(prog):
	"""vm_list's address when KVM is built into the vmlinux (CONFIG_KVM_BOOK3S_64=y, as the
	project's patched kernel has it), else 0."""
	try:
		sym = prog.symbol('vm_list')
	except LookupError:
		return 0
	return sym.address if sym.address >= PAGE_OFFSET else 0


def module_base(mod):
	"""Where a module's code starts: 6.1's core_layout.base, 6.12's mem[MOD_TEXT].base."""
	try:
		return mod.core_layout.base.value_()
	except AttributeError:
		return mod.mem[0].base.value_()


def module_symbol(prog, mod, ko, name):
	"""The address of a module's symbol: its value in the module's debug file (readelf) plus
	the address the dump's struct module records for its section (sect_attrs).  drgn 0.0.22
	relocates a module's debug file itself only for the core_layout of 6.1; it knows nothing
	of 6.4's mem[] and leaves a 6.12 module's symbols at their unrelocated values."""
	import re
	import subprocess
	secs = {}
	for ln in subprocess.run(['readelf', '-SW', ko], check=True, capture_output=True,
				 text=True).stdout.splitlines():
		m = re.match(r'\s*\[\s*(\d+)\]\s+(\S+)', ln)
		if m:
			secs[m.group(1)] = m.group(2)
	sym = None
	for ln in subprocess.run(['readelf', '-sW', ko], check=True, capture_output=True,
				 text=True).stdout.splitlines():
		f = ln.split()
		if len(f) == 8 and f[7] == name and f[6].isdigit():
			sym = (int(f[1], 16), secs.get(f[6]))
			break
	if sym is None or sym[1] is None:
		raise OracleError('%s: no symbol %s in a section' % (ko, name))
	attrs = mod.sect_attrs
	n = attrs.nsections.value_()
	if n > 1 << 12:
		raise OracleError('module %s: %d sections: implausible' % (mod.name.string_().decode(), n))
	for i in range(n):
		a = attrs.attrs[i]
		if a.battr.attr.name.string_().decode() == sym[1]:
			return a.address.value_() + sym[0]
	raise OracleError('module %s: no section %s in sect_attrs' % (mod.name.string_().decode(), sym[1]))


def set_layout(dump):
	"""HOST_PAGE, VMALLOC_START and VMEMMAP_START from the dump's VMCOREINFO."""
	global HOST_PAGE, VMALLOC_START, VMEMMAP_START
	import subprocess
	here = os.path.dirname(os.path.abspath(__file__))
	out = subprocess.run([sys.executable, os.path.join(here, 'vmcoreinfo.py'), '-k', 'PAGESIZE',
			      '-k', 'NUMBER(VMALLOC_START)', '-k', 'SYMBOL(vmemmap)', dump],
			     check=True, capture_output=True, text=True).stdout.split()
	if len(out) < 4 or out[1] == '-':
		raise OracleError('no PAGESIZE in the VMCOREINFO of %s' % dump)
	HOST_PAGE = int(out[1])
	if out[2] != '-':
		VMALLOC_START = int(out[2], 0)
	if out[3] != '-':
		VMEMMAP_START = int(out[3], 16)


def drgn_object(prog, type_, address):
	import drgn
	return drgn.Object(prog, type_, address=address)


def read_kvm(prog, mem, max_entries, vm_list):
	"""Every VM on kvm.ko's vm_list: its memslots (gfn_tree of address space 0) and its
	guest-view TCE tables (arch.spapr_tce_tables), each table's pages[] and entries, and
	for each entry the host page behind it through the memslot and the VMM's page tables
	(kvm->mm->pgd)."""
	import drgn
	from drgn.helpers.linux.list import list_for_each_entry
	from drgn.helpers.linux.rbtree import rbtree_inorder_for_each_entry
	vms = []
	mem.why = 'kvm structures'
	page_size = drgn.sizeof(prog.type("struct page"))
	head = drgn.Object(prog, 'struct list_head *', value=vm_list)
	for n, kvm in enumerate(list_for_each_entry('struct kvm', head, 'vm_list')):
		if n > 64:
			raise OracleError('more than 64 VMs on vm_list')
		root = kvm.mm.pgd.value_() - PAGE_OFFSET
		slots = []
		ms = kvm.memslots[0]
		idx = ms.node_idx.value_()
		for slot in rbtree_inorder_for_each_entry('struct kvm_memory_slot', ms.gfn_tree.address_of_(),
							  'gfn_node[%d]' % idx):
			slots.append({'id': slot.id.value_(), 'base_gfn': slot.base_gfn.value_(),
				      'npages': slot.npages.value_(), 'ua': slot.userspace_addr.value_(),
				      'address': slot.value_()})
			if len(slots) > 4096:
				raise OracleError('more than 4096 memslots')
		tables = []
		for stt in list_for_each_entry('struct kvmppc_spapr_tce_table',
					       kvm.arch.spapr_tce_tables.address_of_(), 'list'):
			if len(tables) > 4096:
				raise OracleError('more than 4096 TCE tables')
			t = {'address': stt.value_(), 'liobn': stt.liobn.value_(),
			     'page_shift': stt.page_shift.value_(), 'offset': stt.offset.value_(),
			     'size': stt.size.value_(), 'pages': [], 'entries': [], 'nonzero': 0,
			     'missing': 0, 'attached': []}
			for stit in list_for_each_entry('struct kvmppc_spapr_tce_iommu_table',
							stt.iommu_tables.address_of_(), 'next'):
				if len(t['attached']) > 64:
					raise OracleError('table 0x%x: more than 64 attached tables' % t['address'])
				t['attached'].append(stit.tbl.value_())
			npages = (t['size'] * 8 + HOST_PAGE - 1) // HOST_PAGE
			if npages > 1 << 20:
				raise OracleError('table 0x%x: %d pages: implausible' % (t['address'], npages))
			ptrs = struct.unpack('<%dQ' % npages, prog.read(stt.pages.address_, 8 * npages))
			for i, ptr in enumerate(ptrs):
				if not ptr:
					continue
				pfn = (ptr - VMEMMAP_START) // page_size
				t['pages'].append((i, pfn))
				try:
					data = mem.phys(pfn * HOST_PAGE, HOST_PAGE, 'KVM TCE pages')
				except drgn.FaultError:
					t['missing'] += 1
					continue
				for j, raw in enumerate(struct.unpack('<%dQ' % (HOST_PAGE // 8), data)):
					if not raw:
						continue
					t['nonzero'] += 1
					if t['nonzero'] > max_entries:
						continue
					t['entries'].append(kvm_entry(mem, t, slots, root, i * HOST_PAGE // 8 + j, raw))
			tables.append(t)
		vms.append({'address': kvm.value_(), 'mm': kvm.mm.value_(), 'pgd': root,
			    'slots': slots, 'tables': tables})
	return vms


def kvm_entry(mem, t, slots, root, idx, raw):
	import drgn
	gpa = raw & ~(TCE_PCI_READ | TCE_PCI_WRITE)
	e = {'index': idx, 'raw': raw, 'gpa': gpa, 'bus': (t['offset'] + idx) << t['page_shift'],
	     'slot': None, 'ua': None, 'host': 'none'}
	gfn = gpa // HOST_PAGE
	for s in slots:
		if s['base_gfn'] <= gfn < s['base_gfn'] + s['npages']:
			e['slot'] = s['id']
			e['ua'] = s['ua'] + (gfn - s['base_gfn']) * HOST_PAGE + gpa % HOST_PAGE
			try:
				pa = mem.translate(e['ua'], root)
			except drgn.FaultError:
				e['host'] = 'unknown'
				break
			e['host'] = 'absent' if pa is None else '0x%x' % (pa // HOST_PAGE)
			break
	return e


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('dump', help="an ELF vmcore (QEMU's repaired) or a kdump-compressed one")
	ap.add_argument('--debug-dir', help='DIR/boot/vmlinux-RELEASE is the vmlinux (fetch-debug.sh\'s usr/lib/debug)')
	ap.add_argument('--vmlinux', help='the vmlinux with DWARF (instead of --debug-dir)')
	ap.add_argument('-o', '--output', help='where to write (default stdout)')
	ap.add_argument('--mmu', choices=('auto', 'radix', 'hash'), default='auto',
			help='the MMU whose page tables map vmalloc (default: meta.json beside the dump)')
	ap.add_argument('--kvm-entries-max', type=int, default=100000,
			help='list at most this many entries of a KVM table (all are counted)')
	ap.add_argument('--keep-out', help='write the physical pages read, and why, as JSON here')
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
		set_layout(args.dump)
		mem = Memory(prog, decide_mmu(args.dump, args.mmu))
		mem.install()
		mem.why = 'hardware TCE structures'
		phbs, errors = read_tables(prog)
		vms, kvm_note, kvm_mod, vm_list = [], None, None, 0
		mods = [os.path.join(os.path.dirname(os.path.dirname(vmlinux)), 'lib', 'modules',
				     os.path.basename(vmlinux)[len('vmlinux-'):], 'kernel', 'arch', 'powerpc',
				     'kvm', m) for m in ('kvm.ko', 'kvm-hv.ko')]
		mods = [m for m in mods if os.path.exists(m)]
		mem.why = 'module list'
		kvm_mod, kvm_syms = find_module(prog, 'kvm')
		builtin = kvm_mod is None and builtin_vm_list(prog)
		if builtin:
			vm_list = builtin
			kvm_note = None
			vms = read_kvm(prog, mem, args.kvm_entries_max, vm_list)
		elif kvm_mod is None:
			kvm_note = 'kvm.ko is not loaded'
		elif not mods:
			kvm_note = 'no debug file of kvm.ko beside the vmlinux'
		else:
			try:
				prog.load_debug_info(mods)
			except drgn.MissingDebugInfoError as e:
				# Other modules' debug files are not asked for; kvm's must be there.
				if 'kvm' in str(e).split('kernel modules')[0]:
					raise
			kvm_ko = [m for m in mods if m.endswith('/kvm.ko')]
			if not kvm_ko:
				raise OracleError('no debug file of kvm.ko beside the vmlinux')
			vm_list = module_symbol(prog, kvm_mod, kvm_ko[0], 'vm_list')
			drgn_vm_list = prog.object('vm_list').address_
			if drgn_vm_list >= PAGE_OFFSET and drgn_vm_list != vm_list:
				raise OracleError('vm_list: drgn relocates it to 0x%x, the sections say 0x%x'
						  % (drgn_vm_list, vm_list))
			vms = read_kvm(prog, mem, args.kvm_entries_max, vm_list)
	except (drgn.FaultError, drgn.MissingDebugInfoError, LookupError, OracleError, OSError, ValueError,
		subprocess.CalledProcessError) as e:
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
			# shared=PHB:PE,...: the other PEs that hold it (none: no field)
			shared = ''.join(' shared=' + ','.join('%d:%d' % x for x in t['shared'])
					 for _ in t['shared'][:1])
			print('table phb=%d pe=%d address=0x%x %s it_base=0x%x valid=%d levels_present=%d levels_missing=%d%s'
			      % (p['phb'], t['pe'], t['address'], common, t['it_base'], len(t['entries']),
				 t['stats']['present'], t['stats']['missing'], shared), file=out)
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
	nkvm = nkvme = 0
	if kvm_note:
		print('# no KVM guest-view tables read: %s' % kvm_note, file=out)
	if kvm_mod is None and vm_list:
		print('# KVM built into the vmlinux: vm_list at 0x%x' % vm_list, file=out)
	if kvm_mod is not None:
		print('# kvm.ko at 0x%x (struct module 0x%x), vm_list at 0x%x; its kallsyms in memory: %s'
		      % (module_base(kvm_mod), kvm_mod.value_(),
			 vm_list if vms or not kvm_note else 0,
			 ' '.join('%s:%d' % kv for kv in sorted(kvm_syms.items()))), file=out)
	for vm in vms:
		print('kvm address=0x%x mm=0x%x pgd=0x%x memslots=%d tables=%d'
		      % (vm['address'], vm['mm'], vm['pgd'], len(vm['slots']), len(vm['tables'])), file=out)
		for sl in vm['slots']:
			print('kvmslot kvm=0x%x address=0x%x id=%d base_gfn=0x%x npages=0x%x ua=0x%x'
			      % (vm['address'], sl['address'], sl['id'], sl['base_gfn'], sl['npages'], sl['ua']),
			      file=out)
		for t in vm['tables']:
			nkvm += 1
			print('kvmtable kvm=0x%x address=0x%x liobn=0x%x page_shift=%d offset=0x%x size=0x%x'
			      ' allocated=%d nonzero=%d listed=%d missing=%d'
			      % (vm['address'], t['address'], t['liobn'], t['page_shift'], t['offset'], t['size'],
				 len(t['pages']), t['nonzero'], len(t['entries']), t['missing']), file=out)
			for hw in t['attached']:
				print('kvmattach table=0x%x liobn=0x%x hw=0x%x' % (t['address'], t['liobn'], hw),
				      file=out)
			for i, pfn in t['pages']:
				print('kvmpage table=0x%x liobn=0x%x page=%d pfn=0x%x' % (t['address'], t['liobn'], i, pfn),
				      file=out)
			for e in t['entries']:
				nkvme += 1
				print('kvmentry table=0x%x liobn=0x%x index=0x%x bus=0x%x raw=0x%x gpa=0x%x slot=%s ua=%s host=%s'
				      % (t['address'], t['liobn'], e['index'], e['bus'], e['raw'], e['gpa'],
					 'none' if e['slot'] is None else e['slot'],
					 'none' if e['ua'] is None else '0x%x' % e['ua'], e['host']), file=out)
	print('end phbs=%d tables=%d entries=%d vms=%d kvm_tables=%d kvm_entries=%d'
	      % (len(phbs), ntables, nentries, len(vms), nkvm, nkvme), file=out)
	if args.keep_out:
		import json
		with open(args.keep_out, 'w') as f:
			json.dump([{'phys': '0x%x' % p, 'size': HOST_PAGE, 'why': sorted(w)}
				   for p, w in sorted(mem.pages.items())], f, indent=1)
	if out is not sys.stdout:
		out.close()
	for e in errors:
		print('tables-oracle.py: warning: %s' % e, file=sys.stderr)
	print('tables-oracle.py: %d PHBs, %d tables, %d valid entries; %d VMs, %d KVM tables, %d entries listed'
	      % (len(phbs), ntables, nentries, len(vms), nkvm, nkvme), file=sys.stderr)
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
