#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/scale-drgn.py VMCORE VMLINUX|--debug-dir DIR: THE COMPARISON BASELINE of `make bench-scale`.

Issue 16, deliverable 3c: the checks `tce-inspect check` makes of a host's TCE tables,
written as a competent user of drgn 0.0.22 (python3-drgn, Debian 12) would write them, so
that bench/scale-bench.sh can time tce-inspect against what one would otherwise run.  It
is a baseline to measure against, not a second implementation to trust: it knows only
the kernels the project's dumps come from (ppc64 6.1, 64-bit, book3s64 page tables).

What it reads, with drgn's objects for the structures and prog.read() in bulk for the
tables:
  - powernv hardware tables: hose_list -> pci_controller -> pnv_phb -> ioda.pe_list ->
    table_group.tables[] (each table once), its levels as pnv_tce() lays them out
    (it_base, it_indirect_levels, it_level_size, big-endian entries, a zero indirect
    entry is an unpopulated part); a leaf entry with TCE_PCI_READ or TCE_PCI_WRITE is
    valid and maps host physical memory;
  - KVM guest-view tables: vm_list -> kvm -> arch.spapr_tce_tables ->
    kvmppc_spapr_tce_table.pages[] (struct page pointers to the pages of entries, in the
    dump's byte order); an entry's guest address goes through the VM's memslots
    (memslots[0]'s gfn_tree) to the VMM's address and through the VMM's page tables
    (kvm->mm->pgd) to the host page;
  - struct pages by physical address through its own vmemmap translation: drgn 0.0.22
    cannot translate a vmemmap address on ppc64 (FIELD-NOTES section 6), so the script
    walks vmemmap_list (block size 1 << mmu_psize_defs[mmu_vmemmap_psize].shift) into a
    dict block -> physical address, as a drgn user has to.

drgn 0.0.22 cannot read vmalloc or module addresses on ppc64 either: tests/e2e/
tables-oracle.py, the project's drgn reader of real dumps, gives it a memory segment that
walks the kernel page tables, loads kvm.ko's debug file and relocates vm_list from the
module's sect_attrs; this script imports it for that (Memory, find_module,
module_symbol) and for the page-table walk of the VMM's tables, so the two readers share
one translation.  The MMU (which page-table geometry) is --mmu, else NUMBER(RADIX_MMU) in
VMCOREINFO, else meta.json beside the dump (tests/e2e/mkdump.sh), else the forge's
manifest beside it.

The rules, as libtce/rules/ states them:
  TCE-DMA-FREED       a valid entry's host page is free: PageBuddy or PageOffline
                      (page types in _mapcount/page_type, the values VMCOREINFO's
                      PAGE_BUDDY_MAPCOUNT_VALUE and PAGE_OFFLINE_MAPCOUNT_VALUE give),
                      PG_hwpoison, _refcount <= 0 (a tail page: its head's); a page
                      after the first of consecutive entries on consecutive pages whose
                      first page is referenced and aligned to the block spanning it is
                      one high-order allocation, not freed (as the rule says);
  TCE-ITMAP-CLEAR     a valid entry of a kernel DMA-API table (powernv, not attached to
                      a VM, it_map set, it_userspace NULL) whose it_map bit is clear;
  TCE-KVM-NO-MEMSLOT  a guest-view entry whose guest address is in no memslot;
  TCE-KVM-HW-MISMATCH a guest-view entry whose attached hardware table (the VFIO table
                      on its LIOBN's iommu_tables) maps another page at its bus address;
  TCE-ENTRY-NO-PAGE   a valid entry's host page has no struct page (no vmemmap block:
                      tce-inspect asks mem_section, this script the vmemmap).
The vmemmap rules, reserved bits and ranges, levels and VFIO's bookkeeping are not
checked here.

Output: a comment line, then one line the bench shows: entries walked (by kind), struct
pages read, findings per rule, the seconds it took.  --findings also lists every finding
as "RULE KEY pfn=PFN" (KEY as tce-inspect's: the table's semantic key and the bus
address), for comparing with `tce-inspect check`.  Exit status 0, 1 when drgn cannot read
the dump or its structures (one line on stderr says why), 2 on usage errors.
"""

import argparse
import importlib.util
import os
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.join(HERE, '..', 'tests', 'e2e')
PAGE_OFFSET = 0xc000000000000000
TCE_RW = 3               # TCE_PCI_READ | TCE_PCI_WRITE
MAX_ORDER_CAP = 13       # as libtce/rules/dma-freed.c: the largest buddy allocation
RULES = ('TCE-DMA-FREED', 'TCE-ITMAP-CLEAR', 'TCE-KVM-NO-MEMSLOT', 'TCE-KVM-HW-MISMATCH',
	 'TCE-ENTRY-NO-PAGE')


class Fail(Exception):
	pass


def load(name, path):
	spec = importlib.util.spec_from_file_location(name, path)
	mod = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(mod)
	return mod


oracle = load('tables_oracle', os.path.join(E2E, 'tables-oracle.py'))
vmcoreinfo = load('vmcoreinfo', os.path.join(E2E, 'vmcoreinfo.py'))


class Memory(oracle.Memory):
	"""tables-oracle.py's translation, without its record of every page read (--keep-out):
	a bench has no use for it."""

	def phys(self, pa, size, why=None):
		return self.prog.read(pa, size, True)


def page_type(v):
	"""(mask, value) testing a page type in _mapcount, from its VMCOREINFO value: before
	6.11 one bit cleared below 0xf0000000 (PageBuddy: -129), since 6.11 the top byte."""
	v &= 0xffffffff
	cleared = ~v & 0x0fffffff
	if v & 0x00ffffff == 0 and v >> 24 not in (0, 0xff):
		return 0xff000000, v
	if v & 0xf0000000 == 0xf0000000 and cleared and not cleared & (cleared - 1):
		return 0xf0000000 | cleared, 0xf0000000
	return 0xffffffff, v


def decide_mmu(dump, want, info):
	if want:
		return want
	if 'NUMBER(RADIX_MMU)' in info:
		return 'radix' if int(info['NUMBER(RADIX_MMU)']) else 'hash'
	try:
		return oracle.decide_mmu(dump, 'auto')
	except oracle.OracleError:
		pass
	try:
		with open(os.path.join(os.path.dirname(os.path.abspath(dump)), 'manifest')) as f:
			for line in f:
				if line.startswith('# mmu '):
					return line.split()[2]
	except OSError:
		pass
	raise Fail('cannot tell the MMU from the dump or beside it: give --mmu radix|hash')


class Pages:
	"""struct pages by pfn, through vmemmap_list: each read once (entries share pages)."""

	def __init__(self, prog, info, little):
		import drgn
		self.prog = prog
		self.psize = int(info['SIZE(page)'])
		self.vmemmap = prog['vmemmap'].value_()
		shift = prog['mmu_psize_defs'][prog['mmu_vmemmap_psize']].shift.value_()
		self.bshift = shift
		self.blocks = {}
		vb = prog['vmemmap_list']
		n = 0
		while vb.value_():
			n += 1
			if n > 1 << 24:
				raise Fail('vmemmap_list: more than 2^24 entries (a cycle?)')
			self.blocks.setdefault((vb.virt_addr.value_() - self.vmemmap) >> shift,
					       vb.phys.value_())
			vb = vb.list
		page = prog.type('struct page')
		off = {m: drgn.offsetof(page, m) for m in ('flags', '_refcount', '_mapcount',
							  'compound_head')}
		e = '<' if little else '>'
		self.fields = [(struct.Struct(e + 'Q'), off['flags']),
			       (struct.Struct(e + 'i'), off['_refcount']),
			       (struct.Struct(e + 'I'), off['_mapcount']),
			       (struct.Struct(e + 'Q'), off['compound_head'])]
		self.types = []
		for rule, item in (('buddy', 'PAGE_BUDDY_MAPCOUNT_VALUE'),
				   ('offline', 'PAGE_OFFLINE_MAPCOUNT_VALUE')):
			if 'NUMBER(%s)' % item in info:
				self.types.append((rule, page_type(int(info['NUMBER(%s)' % item]))))
		self.hwpoison = 1 << int(info['NUMBER(PG_hwpoison)']) if 'NUMBER(PG_hwpoison)' in info else 0
		self.memo = {}
		self.read = 0

	def phys(self, pfn):
		va = pfn * self.psize
		base = self.blocks.get(va >> self.bshift)
		if base is None:
			return None
		return base + (va & ((1 << self.bshift) - 1))

	def get(self, pfn):
		"""(refcount, why free or None, head pfn or None), or None: no struct page."""
		p = self.memo.get(pfn, False)
		if p is not False:
			return p
		pa = self.phys(pfn)
		if pa is None:
			self.memo[pfn] = None
			return None
		end = (1 << self.bshift) - (pa & ((1 << self.bshift) - 1))
		if end >= self.psize:
			data = self.prog.read(pa, self.psize, True)
		else:
			# split between two blocks: the rest from the next one
			nxt = self.phys(pfn + end // self.psize + 1)
			if nxt is None:
				self.memo[pfn] = None
				return None
			data = self.prog.read(pa, end, True) + \
				self.prog.read(nxt - (self.psize - end), self.psize - end, True)
		self.read += 1
		(fl, fo), (rc, ro), (mc, mo), (ch, co) = self.fields
		flags = fl.unpack_from(data, fo)[0]
		refcount = rc.unpack_from(data, ro)[0]
		mapcount = mc.unpack_from(data, mo)[0]
		head = ch.unpack_from(data, co)[0]
		free = None
		for name, (mask, value) in self.types:
			if mapcount & mask == value:
				free = name
		if free is None and flags & self.hwpoison:
			free = 'hwpoison'
		head_pfn = None
		if head & 1:
			h = head - 1
			if h >= self.vmemmap and (h - self.vmemmap) % self.psize == 0:
				head_pfn = (h - self.vmemmap) // self.psize
			else:
				head_pfn = -1
		p = (refcount, free, head_pfn)
		self.memo[pfn] = p
		return p


class Checker:
	def __init__(self, pages, listing):
		self.pages = pages
		self.findings = dict.fromkeys(RULES, 0)
		self.undecided = 0
		self.listing = listing
		self.entries = {'iommu': 0, 'kvm': 0}
		self.not_present = 0

	def finding(self, rule, key, bus, pfn):
		self.findings[rule] += 1
		if self.listing is not None:
			self.listing.append('%s %s:bus=0x%x pfn=%s' % (rule, key, bus,
							       'none' if pfn is None else '0x%x' % pfn))

	def table(self):
		self.run = None		# (index, pfn, first page or None) of the last entry

	def page(self, key, index, bus, pfn):
		"""TCE-DMA-FREED and TCE-ENTRY-NO-PAGE for a valid entry's host page."""
		pg = self.pages.get(pfn)
		run = self.run
		first = None
		if run and index == run[0] + 1 and pfn == run[1] + 1:
			first = run[2]
			self.run = (index, pfn, first)
		else:
			self.run = (index, pfn, (pfn, pg) if pg else None)
		if pg is None:
			self.finding('TCE-ENTRY-NO-PAGE', key, bus, pfn)
			return
		refcount, free, head = pg
		if free:
			self.finding('TCE-DMA-FREED', key, bus, pfn)
			return
		if head is not None:
			hp = self.pages.get(head) if head >= 0 else None
			if hp is None:
				self.undecided += 1
			elif hp[0] <= 0:
				self.finding('TCE-DMA-FREED', key, bus, pfn)
			return
		if refcount > 0:
			return
		if first and first[1][0] > 0 and first[1][1] != 'buddy':
			span = pfn - first[0] + 1
			block = 1
			while block < span and block < 1 << MAX_ORDER_CAP:
				block <<= 1
			if block >= span and not first[0] & (block - 1):
				return
		self.finding('TCE-DMA-FREED', key, bus, pfn)

	def no_host(self):
		self.run = None


def levels_of(prog, tbl):
	"""The leaves of a hardware table: (first idx, tuple of entries) a leaf level."""
	levels = tbl.it_indirect_levels.value_() + 1
	size = tbl.it_level_size.value_()
	if size <= 0 or size & (size - 1) or size > 1 << 24 or levels > 5:
		raise Fail('iommu_table 0x%x: it_level_size %d, %d levels: implausible'
			   % (tbl.value_(), size, levels))
	fmt = struct.Struct('>%dQ' % size)

	def walk(pa, depth, base):
		try:
			entries = fmt.unpack(prog.read(pa, 8 * size, True))
		except Exception:		# a level the dump lacks: its entries are unknown
			return
		if depth == levels - 1:
			yield base, entries
			return
		span = size ** (levels - 1 - depth)
		for n, e in enumerate(entries):
			if e:
				yield from walk(e & ~TCE_RW, depth + 1, base + n * span)

	yield from walk(tbl.it_base.value_() - PAGE_OFFSET, 0, 0)


class HwLookup:
	"""An attached hardware table's entry by position, its leaf levels read on demand
	(a guest view's entries come in order: the last leaf is nearly always the one)."""

	def __init__(self, prog, tbl):
		self.prog = prog
		self.levels = tbl.it_indirect_levels.value_() + 1
		self.size = tbl.it_level_size.value_()
		self.offset = tbl.it_offset.value_()
		self.entries = tbl.it_size.value_()
		self.shift = tbl.it_page_shift.value_()
		self.base = tbl.it_base.value_() - PAGE_OFFSET
		self.fmt = struct.Struct('>%dQ' % self.size)
		self.leaf_no = None
		self.leaf = None

	def get(self, pos):
		no = pos // self.size
		if no != self.leaf_no:
			self.leaf_no = no
			self.leaf = None
			pa = self.base
			for depth in range(self.levels - 1):
				span = self.size ** (self.levels - 1 - depth)
				e = struct.unpack('>Q', self.prog.read(pa + 8 * (pos // span % self.size), 8,
								 True))[0]
				if not e:
					pa = None
					break
				pa = e & ~TCE_RW
			if pa is not None:
				self.leaf = self.fmt.unpack(self.prog.read(pa, 8 * self.size, True))
		return self.leaf[pos % self.size] if self.leaf else 0


def hardware_tables(prog, chk, attached):
	import drgn
	from drgn.helpers.linux.list import list_for_each_entry
	seen = set()
	little = prog.platform.flags & drgn.PlatformFlags.IS_LITTLE_ENDIAN
	for hose in list_for_each_entry('struct pci_controller', prog['hose_list'].address_of_(),
					'list_node'):
		phb = drgn.cast('struct pnv_phb *', hose.private_data)
		phb_no = hose.global_number.value_()
		for pe in list_for_each_entry('struct pnv_ioda_pe', phb.ioda.pe_list.address_of_(), 'list'):
			for tbl in pe.table_group.tables:
				addr = tbl.value_()
				if not addr or addr in seen:
					continue
				seen.add(addr)
				offset = tbl.it_offset.value_()
				shift = tbl.it_page_shift.value_()
				window = offset << shift
				key = 'iommu:phb=%d:pe=0x%x:window=0x%x' % (phb_no, pe.pe_number.value_(), window)
				try:
					userspace = tbl.it_userspace.value_()
				except AttributeError:
					userspace = None
				# the kernel's DMA API's tables keep it_map; VFIO's do not
				it_map = 0
				if addr not in attached and userspace == 0:
					it_map = tbl.it_map.value_()
				hardware_table(chk, key, tbl, offset, shift, it_map, little)


def hardware_table(chk, key, tbl, offset, shift, it_map, little):
	prog = tbl.prog_
	mask = ~((1 << shift) - 1)
	host_shift = chk.pages.page_shift
	it_size = tbl.it_size.value_()
	chk.table()
	page = chk.page
	n = 0
	for base, leaf in levels_of(prog, tbl):
		bitmap = None
		if it_map and base < it_size:
			# the words of it_map for this leaf's entries (the bitmap of a window's
			# unused part may be memory the dump does not hold)
			w0 = base >> 6
			w1 = (min(base + len(leaf), it_size) + 63) >> 6
			try:
				bitmap = prog.read(it_map + 8 * w0, 8 * (w1 - w0))
			except Exception:	# drgn's fault, or the vmalloc segment's
				bitmap = None
		for i, raw in enumerate(leaf):
			if not raw & TCE_RW:
				continue
			n += 1
			idx = base + i
			index = offset + idx
			bus = index << shift
			if it_map:
				b = idx - (w0 << 6)
				b = b >> 3 if little else (b >> 6 << 3) + 7 - ((b & 63) >> 3)
				if bitmap is None or b >= len(bitmap):
					chk.undecided += 1
				elif not bitmap[b] >> (idx & 7) & 1:
					chk.finding('TCE-ITMAP-CLEAR', key, bus, (raw & mask) >> host_shift)
			page(key, index, bus, (raw & mask) >> host_shift)
	chk.entries['iommu'] += n


def find_vm_list(prog, mem, vmlinux):
	"""vm_list's address, or (0, why): in the vmlinux (KVM built in, the forge), else kvm.ko
	loaded in the dump with its debug file beside the vmlinux (Debian's -dbg tree), as
	tables-oracle.py finds it."""
	import drgn
	# KVM built in: the variable's DWARF location (the forge's symbol table gets a bias
	# from drgn, so not prog.symbol())
	try:
		a = prog['vm_list'].address_
		if a >= PAGE_OFFSET and a < oracle.VMALLOC_START:
			return a, None
	except KeyError:
		pass
	mod, _ = oracle.find_module(prog, 'kvm')
	if mod is None:
		return 0, 'no KVM (no kvm module, no vm_list in the vmlinux)'
	rel = os.path.basename(vmlinux)[len('vmlinux-'):]
	kdir = os.path.join(os.path.dirname(os.path.dirname(vmlinux)), 'lib', 'modules', rel,
			    'kernel', 'arch', 'powerpc', 'kvm')
	mods = [os.path.join(kdir, m) for m in ('kvm.ko', 'kvm-hv.ko')]
	mods = [m for m in mods if os.path.exists(m)]
	if not mods or not mods[0].endswith('/kvm.ko'):
		return 0, 'kvm.ko is loaded but its debug file is not beside the vmlinux (%s)' % kdir
	try:
		prog.load_debug_info(mods)
	except drgn.MissingDebugInfoError as e:
		if 'kvm' in str(e).split('kernel modules')[0]:
			raise
	return oracle.module_symbol(prog, mod, mods[0], 'vm_list'), None


def kvm_tables(prog, mem, chk, vm_list, page_shift):
	"""Every VM's guest-view tables; returns {hardware table address: liobn} of the tables
	attached to them, and does the tables' entries only when chk is given."""
	import drgn
	from drgn.helpers.linux.list import list_for_each_entry
	from drgn.helpers.linux.rbtree import rbtree_inorder_for_each_entry
	little = prog.platform.flags & drgn.PlatformFlags.IS_LITTLE_ENDIAN
	head = drgn.Object(prog, 'struct list_head *', value=vm_list)
	attached = {}
	psize = chk.pages.psize if chk else 0
	vmemmap = chk.pages.vmemmap if chk else 0
	hpage = 1 << page_shift
	per = hpage // 8
	efmt = struct.Struct(('<' if little else '>') + '%dQ' % per)
	for kvm in list_for_each_entry('struct kvm', head, 'vm_list'):
		stts = list(list_for_each_entry('struct kvmppc_spapr_tce_table',
						kvm.arch.spapr_tce_tables.address_of_(), 'list'))
		for stt in stts:
			for stit in list_for_each_entry('struct kvmppc_spapr_tce_iommu_table',
							stt.iommu_tables.address_of_(), 'next'):
				attached.setdefault(stit.tbl.value_(), stt.liobn.value_())
		if chk is None:
			continue
		root = kvm.mm.pgd.value_() - PAGE_OFFSET
		ms = kvm.memslots[0]
		slots = sorted((s.base_gfn.value_(), s.npages.value_(), s.userspace_addr.value_())
			       for s in rbtree_inorder_for_each_entry(
				       'struct kvm_memory_slot', ms.gfn_tree.address_of_(),
				       'gfn_node[%d]' % ms.node_idx.value_()))
		for stt in stts:
			liobn = stt.liobn.value_()
			# a VM by its VMM's pid, as check names one started without -name
			key = 'kvm:pid=%d:liobn=0x%x' % (kvm.userspace_pid.value_(), liobn)
			shift = stt.page_shift.value_()
			offset = stt.offset.value_()
			size = stt.size.value_()
			hw = [HwLookup(prog, t) for t in
			      (stit.tbl for stit in list_for_each_entry(
				      'struct kvmppc_spapr_tce_iommu_table',
				      stt.iommu_tables.address_of_(), 'next'))]
			npages = (size * 8 + hpage - 1) // hpage
			ptrs = struct.unpack(('<' if little else '>') + '%dQ' % npages,
					     prog.read(stt.pages.address_, 8 * npages))
			kvm_table(chk, mem, key, shift, offset, size, ptrs, slots, root, hw,
				  psize, vmemmap, page_shift, efmt, per)
	return attached


def kvm_table(chk, mem, key, shift, offset, size, ptrs, slots, root, hw, psize, vmemmap,
	      page_shift, efmt, per):
	prog = mem.prog
	mask = ~((1 << shift) - 1)
	hmask = (1 << page_shift) - 1
	host = {}		# the VMM's page -> host physical page, or None
	last = None		# the memslot of the last entry
	chk.table()
	page = chk.page
	n = 0
	for p, ptr in enumerate(ptrs):
		if not ptr:
			continue
		data = efmt.unpack(prog.read((ptr - vmemmap) // psize << page_shift, per * 8, True))
		for i, raw in enumerate(data):
			if not raw & TCE_RW:
				continue
			pos = p * per + i
			if pos >= size:
				break
			n += 1
			index = offset + pos
			bus = index << shift
			gpa = raw & mask
			gfn = gpa >> page_shift
			if last is None or not last[0] <= gfn < last[0] + last[1]:
				last = None
				for s in slots:
					if s[0] <= gfn < s[0] + s[1]:
						last = s
						break
				if last is None:
					chk.finding('TCE-KVM-NO-MEMSLOT', key, bus, None)
					chk.no_host()
					continue
			ua = last[2] + ((gfn - last[0]) << page_shift)
			pa = host.get(ua, False)
			if pa is False:
				pa = mem.translate(ua, root)
				host[ua] = pa = None if pa is None else pa & ~hmask
			if pa is None:
				chk.not_present += 1
				chk.no_host()
				continue
			phys = pa | (gpa & hmask)
			for h in hw:
				idx = bus >> h.shift
				if not h.offset <= idx < h.offset + h.entries:
					continue
				r = h.get(idx - h.offset)
				hm = ~((1 << h.shift) - 1)
				if not r & TCE_RW or r & hm != phys & hm:
					chk.finding('TCE-KVM-HW-MISMATCH', key, bus, pa >> page_shift)
					break
			page(key, index, bus, pa >> page_shift)
	chk.entries['kvm'] += n


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('vmcore', help='an ELF vmcore of a ppc64 6.1 host')
	ap.add_argument('vmlinux', nargs='?', help='its vmlinux with DWARF (for Debian\'s, the -dbg '
			'tree\'s boot/vmlinux-REL: kvm.ko\'s debug file is looked for beside it)')
	ap.add_argument('--debug-dir', help='a debug tree (usr/lib/debug): the vmlinux is '
			'DIR/boot/vmlinux-OSRELEASE')
	ap.add_argument('--mmu', choices=('radix', 'hash'), help='the MMU (default: from the dump)')
	ap.add_argument('--findings', action='store_true', help='list every finding')
	args = ap.parse_args()
	if bool(args.vmlinux) == bool(args.debug_dir):
		ap.error('give the vmlinux or --debug-dir')
	t0 = time.monotonic()
	try:
		import drgn
	except ImportError as e:
		print('scale-drgn.py: no drgn (apt-get install python3-drgn): %s' % e, file=sys.stderr)
		return 1
	listing = [] if args.findings else None
	try:
		text = vmcoreinfo.vmcoreinfo(args.vmcore)
		if text is None:
			raise Fail('no VMCOREINFO in the dump')
		info = vmcoreinfo.parse(text)
		if args.debug_dir:
			args.vmlinux = os.path.join(args.debug_dir, 'boot', 'vmlinux-%s' % info['OSRELEASE'])
		page_shift = int(info['PAGESIZE']).bit_length() - 1
		oracle.HOST_PAGE = 1 << page_shift
		if 'NUMBER(VMALLOC_START)' in info:
			oracle.VMALLOC_START = int(info['NUMBER(VMALLOC_START)'], 0)
		prog = drgn.Program()
		prog.set_core_dump(args.vmcore)
		prog.load_debug_info([args.vmlinux])
		mem = Memory(prog, decide_mmu(args.vmcore, args.mmu, info))
		if 'SYMBOL(swapper_pg_dir)' in info:
			mem.root = int(info['SYMBOL(swapper_pg_dir)'], 16) - PAGE_OFFSET
		mem.install()
		little = bool(prog.platform.flags & drgn.PlatformFlags.IS_LITTLE_ENDIAN)
		pages = Pages(prog, info, little)
		pages.page_shift = page_shift
		chk = Checker(pages, listing)
		vm_list, no_kvm = find_vm_list(prog, mem, args.vmlinux)
		attached = kvm_tables(prog, mem, None, vm_list, page_shift) if vm_list else {}
		hardware_tables(prog, chk, attached)
		if vm_list:
			kvm_tables(prog, mem, chk, vm_list, page_shift)
	except Exception as e:		# a fault inside a memory segment's reader is an Exception
		print('scale-drgn.py: %s: %s' % (args.vmcore, e), file=sys.stderr)
		return 1
	for line in listing or ():
		print(line)
	print('# scale-drgn.py: THE COMPARISON BASELINE (drgn %s, own vmemmap_list translation)%s'
	      % (drgn.__version__, '; ' + no_kvm if no_kvm else ''))
	print('entries %d (iommu %d, kvm %d) pages_read %d findings %s%s not_in_vmm %d %.1fs'
	      % (sum(chk.entries.values()), chk.entries['iommu'], chk.entries['kvm'], pages.read,
		 ' '.join('%s=%d' % kv for kv in chk.findings.items()),
		 ' undecided %d' % chk.undecided if chk.undecided else '', chk.not_present,
		 time.monotonic() - t0))
	return 0


if __name__ == '__main__':
	sys.exit(main())
