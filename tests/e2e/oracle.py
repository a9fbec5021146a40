#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/oracle.py: an independent reader of ppc64 vmcores, the ground truth for tce-inspect.

It owns the answer to "what do vmemmap_list, the vmemmap page tables and these struct
pages hold in this dump", for Linux 6.1 and 6.12, 4K and 64K pages, hash and radix,
computed without any project code: raw physical reads come from drgn 0.0.22 (python3-drgn:
`Program.set_core_dump()` then `Program.read(addr, size, True)`; no vmlinux needed), or,
where drgn cannot open the file or cannot read it (drgn reads kdump-compressed files through
libkdumpfile, which fails physical reads of 4K-page ppc64), from this file's own ELF or
diskdump (kdump-compressed) reader.  VMCOREINFO is parsed here from the dump (ELF PT_NOTE or
the diskdump header).  vmemmap_list is walked through the linear map (phys = kva -
0xc000000000000000), bounded and cycle-checked; its block size is 1 <<
mmu_psize_defs[mmu_vmemmap_psize].shift.  A pfn's struct page is translated by the
hot-remove-safe rule (the one entry whose [virt, virt + block_size) holds the whole struct
page), and, for comparison, by the 2013 seed's rule (the first entry with virt <= va).
On radix the vmemmap's mappings are read from the kernel page tables at swapper_pg_dir by a
walk written here from the 6.12 headers (book3s/64/radix-4k.h, radix-64k.h, pgtable.h):
entries big-endian, PGD 13 / PUD 9 / PMD 9 / PTE 9 (4K) or 5 (64K) index bits, leaves at
PUD, PMD or PTE level (_PAGE_PTE), a non-leaf entry's next-level size checked against that
geometry; on 6.12 radix, whose vmemmap_list is empty, that walk is the only translation.
The MMU: the --mmu option, else 6.12's NUMBER(RADIX_MMU) (checked against the guest's
/proc/cpuinfo in mkdump.sh's meta.json when that lies beside the dump), else meta.json, else
a probe of the page tables.  The vmemmap base is the kernel headers' *_VMEMMAP_START for
that MMU and page size (0xc00c000000000000; hash with 4K pages 0xc0003f0000000000), checked
against 6.12's SYMBOL(vmemmap) and the lowest vmemmap_list block.
The memory the kernel manages is read from SPARSEMEM's mem_section as VMCOREINFO describes
it (SYMBOL(mem_section) = the root array, LENGTH = NR_SECTION_ROOTS, SIZE, OFFSET of
section_mem_map, SECTION_SIZE_BITS): every present section, and the dump's PT_LOADs (of an
ELF dump) that no present section covers, i.e. memory the dump holds that the kernel does
not manage (device memory such as a VGA's video RAM).
Output is JSON on stdout; see main() for the options.  Exit status: 0, 1 on a dump this
cannot read (with one line on stderr), 2 on usage errors.

The JSON (addresses are "0x..." strings):
  dump, reader ("drgn", "elffile", "diskdump"), reader_note (why not drgn, if so),
  osrelease (VMCOREINFO's OSRELEASE)
  mmu ("radix" | "hash"), mmu_from ("option" | "vmcoreinfo" | "meta.json" | "probe"),
  radix_mmu_vmcoreinfo (NUMBER(RADIX_MMU): 1, 0, or null where VMCOREINFO lacks it, 6.1)
  page_size (PAGESIZE), struct_page_size (SIZE(page))
  block_size (the vmemmap_list block size; null when the list is empty, as on 6.12 radix,
      whose mmu_vmemmap_psize keeps its unused MMU_PAGE_4K default),
  vmemmap_psize_shift (mmu_psize_defs[mmu_vmemmap_psize].shift as read), mmu_vmemmap_psize
  vmemmap_base (from the headers, see above), vmemmap_symbol (SYMBOL(vmemmap) or null)
  vmemmap_from ("vmemmap_list" | "pgtable" | null): where each page's "phys" comes from
  descending, inversions (list indices i where entry i+1 is not lower than entry i)
  blocks: vmemmap_list in list order, [{entry, virt, phys}] ([] when the list is empty)
  vmemmap_pgtable: null on hash; on radix {root (swapper_pg_dir), geometry [{level, shift,
      index_bits}], leaf_sizes {size: count}, leaves [{virt, phys, size, level ("pud" |
      "pmd" | "pte")}] in address order over [vmemmap base, + 2^49), tables_not_in_dump
      [{level, table, entries [first, last]}] (table entries a trimmed or kdump-compressed
      dump lacks: what they map is unknown)}
  page_type_form: how VMCOREINFO's PAGE_*_MAPCOUNT_VALUE numbers are to be read:
      "base-and-bit" (6.1: PageType() = (page_type & (0xf0000000 | ~value)) == 0xf0000000)
      or "top-byte" (6.12: page_type >> 24 == value >> 24); page_type_values {name: value}
  pages: the sampled pfns (default: first, middle and last struct page of every vmemmap
      block; without a vmemmap_list, of every page-table leaf and of every present memory
      section), each {pfn, virt (its struct page's vmemmap address), phys (its physical
      address: by the hot-remove-safe rule, or through the page tables when there is no
      list; null if none), seed2013 (the seed's rule; null without a list), pgtable (radix
      only: the page-table translation), and, when readable: flags, refcount (raw
      _refcount), mapcount (raw _mapcount, the word 6.12 calls page_type too), page_type
      (the type the kernel's rule gives that word: "buddy", "offline", "slab", "hugetlb"
      or null), compound_head; else error (why there is no answer)}
  mem_section, sections, unmanaged: SPARSEMEM, see mem_sections() and unmanaged().
"""

import argparse
import bisect
import json
import os
import struct
import sys
import zlib

PAGE_OFFSET = 0xc000000000000000
# Where the vmemmap starts (arch/powerpc/include/asm/book3s/64/{radix,hash,hash-4k,hash-64k}.h,
# 6.1 and 6.12 alike): *_VMEMMAP_START = *_KERN_VIRT_START + 2 * *_KERN_MAP_SIZE (vmalloc,
# then I/O, then the vmemmap).  Radix: 0xc008000000000000 + 2 * 2^49 with either page size.
# Hash 64K: the same (H_KERN_MAP_SIZE = 1 << MAX_EA_BITS_PER_CONTEXT = 2^49).  Hash 4K:
# H_KERN_VIRT_START 0xc0003d0000000000 + 2 * 2^40 (REGION_SHIFT 40).  Checked against
# SYMBOL(vmemmap) where VMCOREINFO has it (6.12) and against the lowest vmemmap_list block.
VMEMMAP_BASE_64K = 0xc00c000000000000
VMEMMAP_BASE = {('radix', 65536): 0xc00c000000000000, ('hash', 65536): 0xc00c000000000000,
		('radix', 4096): 0xc00c000000000000, ('hash', 4096): 0xc0003f0000000000}
VMEMMAP_SIZE = 1 << 49			# RADIX_VMEMMAP_SIZE: the range the page-table walk covers
# The radix tree (radix-4k.h, radix-64k.h): index bits of PGD, PUD, PMD, PTE, and the
# shift of each level (PAGE_SHIFT + the index bits below it).  The effective address is
# the low 52 bits (RADIX_PGTABLE_EADDR_SIZE = 13 + 9 + 9 + 9 + 12 = 13 + 9 + 9 + 5 + 16).
RADIX_GEOMETRY = {
	4096: ((39, 13), (30, 9), (21, 9), (12, 9)),
	65536: ((39, 13), (30, 9), (21, 9), (16, 5)),
}
RADIX_LEVELS = ('pgd', 'pud', 'pmd', 'pte')
# Page-table entries are big-endian whatever the kernel's byte order
# (book3s/64/pgtable.h: _PAGE_PRESENT, _PAGE_PTE; a non-leaf entry points to the next
# table at (entry & ~PxD_MASKED_BITS) with the next level's index size in its low 5 bits
# (RADIX_PxD_VAL_BITS); a leaf's real address is entry & PTE_RPN_MASK, PTE_RPN_MASK =
# ((1 << _PAGE_PA_MAX) - 1) & PAGE_MASK, _PAGE_PA_MAX = 53).
_PAGE_PRESENT = 1 << 63
_PAGE_PTE = 1 << 62
PXD_MASKED_BITS = 0xc0000000000000ff
PAGE_PA_MAX = 53
RADIX_NLS_MASK = 0x1f
MAX_LEAVES = 1 << 22
# struct page's page_type (the union with _mapcount).  6.1 (include/linux/page-flags.h):
# PageType(page, flag) = (page_type & (PAGE_TYPE_BASE | flag)) == PAGE_TYPE_BASE with
# PAGE_TYPE_BASE 0xf0000000, and VMCOREINFO's PAGE_BUDDY_MAPCOUNT_VALUE = ~PG_buddy (-129).
# 6.12: the type is the top byte, PAGE_TYPE_OPS: (page_type >> 24) == PGTY_x, and
# VMCOREINFO's PAGE_*_MAPCOUNT_VALUE = PGTY_x << 24 (buddy 0xf0, offline 0xf1, hugetlb
# 0xf4, slab 0xf5).  Which rule applies is read from the dump: a value whose low 24 bits are
# zero is the 6.12 form.
PAGE_TYPE_BASE_61 = 0xf0000000
PAGE_TYPES = ('BUDDY', 'OFFLINE', 'SLAB', 'HUGETLB')
MAX_ENTRIES = 1 << 20
# section_mem_map's low flag bits (include/linux/mmzone.h, stable since 2.6 for the first
# two, 5.3 for the third; makedumpfile reads them too).
SECTION_MARKED_PRESENT = 1 << 0
SECTION_HAS_MEM_MAP = 1 << 1
SECTION_IS_ONLINE = 1 << 2
# The flag bits in section_mem_map number 4 to 6 depending on the version and config
# (SECTION_MAP_LAST_BIT); the encoded mem_map (mem_map - the section's first pfn, which on
# SPARSEMEM_VMEMMAP is the vmemmap base) is aligned far beyond them.  Clear 8 bits.
SECTION_FLAGS_MASK = 0xff
MAX_SECTION_ROOTS = 1 << 24


class DumpError(Exception):
	pass


# ------------------------------------------------------------------------------------------
# Readers.  Each gives read(paddr, size) -> bytes or raises DumpError("not in dump"),
# vmcoreinfo_raw() -> bytes, and byte order.

class ElfFile:
	"""A 64-bit ELF vmcore: PT_LOADs (by physical address) and the VMCOREINFO note."""

	def __init__(self, path):
		self.path = path
		self.f = open(path, 'rb')
		self.size = os.fstat(self.f.fileno()).st_size
		ident = self.f.read(16)
		if ident[:4] != b'\x7fELF':
			raise DumpError('not an ELF file')
		if ident[4] != 2:
			raise DumpError('not a 64-bit ELF file')
		self.bo = '<' if ident[5] == 1 else '>'
		self.f.seek(0)
		eh = self.f.read(64)
		(e_type, e_machine, _, _, e_phoff, _, _, _, e_phentsize, e_phnum, _, _, _) = \
			struct.unpack(self.bo + 'HHIQQQIHHHHHH', eh[16:64])
		if e_type != 4:
			raise DumpError('not an ELF core file')
		if e_phentsize != 56:
			raise DumpError('bad e_phentsize %d' % e_phentsize)
		self.machine = e_machine
		self.loads = []
		self.notes = []
		self.f.seek(e_phoff)
		raw = self.f.read(56 * e_phnum)
		for i in range(e_phnum):
			(p_type, _, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, _) = \
				struct.unpack(self.bo + 'IIQQQQQQ', raw[56 * i:56 * i + 56])
			if p_type == 1:
				self.loads.append((p_paddr, p_filesz, p_offset, p_vaddr, p_memsz))
			elif p_type == 4:
				self.notes.append((p_offset, p_filesz))
		self.loads.sort()
		self.truncated = [ld for ld in self.loads if ld[2] + ld[1] > self.size]

	def read(self, paddr, size):
		out = b''
		while size:
			for (pa, fsz, off, _, _) in self.loads:
				if pa <= paddr < pa + fsz:
					break
			else:
				raise DumpError('physical 0x%x is not in the dump' % paddr)
			n = min(size, pa + fsz - paddr)
			if off + (paddr - pa) + n > self.size:
				# libkdumpfile reads past the end of a cut-short file as zeros;
				# the oracle says what is true: the bytes are not there.
				raise DumpError('physical 0x%x is past the end of a truncated file' % paddr)
			self.f.seek(off + paddr - pa)
			out += self.f.read(n)
			paddr += n
			size -= n
		return out

	def vmcoreinfo_raw(self):
		for off, sz in self.notes:
			self.f.seek(off)
			data = self.f.read(sz)
			pos = 0
			while pos + 12 <= len(data):
				namesz, descsz, _ = struct.unpack(self.bo + 'III', data[pos:pos + 12])
				name = data[pos + 12:pos + 12 + namesz].rstrip(b'\0')
				dpos = pos + 12 + ((namesz + 3) & ~3)
				if name == b'VMCOREINFO':
					return data[dpos:dpos + descsz]
				if namesz == 0 and descsz == 0:
					break
				pos = dpos + ((descsz + 3) & ~3)
		raise DumpError('no VMCOREINFO note in the ELF file')


class DiskDump:
	"""makedumpfile's kdump-compressed format (KDUMP signature, header version >= 6)."""

	def __init__(self, path):
		self.path = path
		self.f = open(path, 'rb')
		self.size = os.fstat(self.f.fileno()).st_size
		hdr = self.f.read(4096)
		if hdr[:8] != b'KDUMP   ':
			if hdr[:12] == b'makedumpfile':
				raise DumpError('flattened makedumpfile format: run makedumpfile -R first')
			raise DumpError('not a kdump-compressed file')
		machine = hdr[12 + 65 * 4:12 + 65 * 5].rstrip(b'\0').decode()
		self.machine_name = machine
		# struct disk_dump_header: the utsname (6 x 65 bytes) follows signature and
		# header_version; the rest of the fields are 4-byte ints after padding.
		self.bo = '<' if machine in ('ppc64le', 'x86_64', 'aarch64') else '>'
		off = 8 + 4 + 6 * 65
		off = (off + 7) & ~7			# struct timeval is 8-aligned
		off += 16
		(status, block_size, sub_hdr_size, bitmap_blocks, max_mapnr, total_ram_blocks,
		 device_blocks, written_blocks, current_cpu, nr_cpus) = \
			struct.unpack(self.bo + 'iiiIIIIIii', hdr[off:off + 40])
		self.block_size = block_size
		self.sub_hdr_size = sub_hdr_size
		self.bitmap_blocks = bitmap_blocks
		self.status = status
		self.f.seek(block_size)
		sub = self.f.read(sub_hdr_size * block_size)
		# struct kdump_sub_header (version >= 6)
		(phys_base, dump_level, split, start_pfn, end_pfn, off_vmcoreinfo, size_vmcoreinfo,
		 off_note, size_note, off_eraseinfo, size_eraseinfo, start_pfn_64, end_pfn_64,
		 max_mapnr_64) = struct.unpack(self.bo + 'QiiQQQQQQQQQQQ', sub[:104])
		self.max_mapnr = max_mapnr_64 or max_mapnr
		self.off_vmcoreinfo = off_vmcoreinfo
		self.size_vmcoreinfo = size_vmcoreinfo
		bm_off = block_size * (1 + sub_hdr_size)
		bm_len = bitmap_blocks * block_size
		self.f.seek(bm_off)
		bitmaps = self.f.read(bm_len)
		half = bm_len // 2
		self.bitmap2 = bitmaps[half:]		# pages that are in the dump
		self.desc_off = bm_off + bm_len
		# rank: number of dumpable pages before pfn, by 64-bit words, for descriptor index
		self.rank = []
		count = 0
		for i in range(0, len(self.bitmap2), 8):
			self.rank.append(count)
			count += bin(int.from_bytes(self.bitmap2[i:i + 8], 'little')).count('1')
		self.page_size = block_size
		self.cache = {}

	def _is_dumpable(self, pfn):
		byte = pfn >> 3
		return byte < len(self.bitmap2) and (self.bitmap2[byte] >> (pfn & 7)) & 1

	def _page(self, pfn):
		if pfn in self.cache:
			return self.cache[pfn]
		if pfn >= self.max_mapnr:
			raise DumpError('pfn 0x%x is beyond the dump (max_mapnr 0x%x)' % (pfn, self.max_mapnr))
		if not self._is_dumpable(pfn):
			raise DumpError('pfn 0x%x is excluded from the dump' % pfn)
		word = pfn >> 6
		idx = self.rank[word]
		bits = int.from_bytes(self.bitmap2[word * 8:word * 8 + 8], 'little')
		idx += bin(bits & ((1 << (pfn & 63)) - 1)).count('1')
		self.f.seek(self.desc_off + 24 * idx)
		offset, size, flags, _ = struct.unpack(self.bo + 'qIIQ', self.f.read(24))
		self.f.seek(offset)
		data = self.f.read(size)
		if flags & 1:				# DUMP_DH_COMPRESSED_ZLIB
			data = zlib.decompress(data)
		elif flags & (0x2 | 0x4 | 0x20):	# LZO, snappy, zstd
			raise DumpError('pfn 0x%x: compression 0x%x is not supported here (use -c)'
					% (pfn, flags))
		if len(data) != self.page_size:
			raise DumpError('pfn 0x%x: page of %d bytes' % (pfn, len(data)))
		if len(self.cache) > 4096:
			self.cache.clear()
		self.cache[pfn] = data
		return data

	def read(self, paddr, size):
		out = b''
		while size:
			pfn, off = divmod(paddr, self.page_size)
			n = min(size, self.page_size - off)
			out += self._page(pfn)[off:off + n]
			paddr += n
			size -= n
		return out

	def vmcoreinfo_raw(self):
		if not self.size_vmcoreinfo:
			raise DumpError('no VMCOREINFO in the kdump-compressed header')
		self.f.seek(self.off_vmcoreinfo)
		return self.f.read(self.size_vmcoreinfo)


class DrgnReader:
	"""Raw physical reads through drgn; VMCOREINFO from our own parser."""

	def __init__(self, path, meta):
		import drgn
		self.drgn = drgn
		self.prog = drgn.Program()
		self.prog.set_core_dump(path)
		self.meta = meta
		self.bo = '<' if self.prog.platform.flags & drgn.PlatformFlags.IS_LITTLE_ENDIAN else '>'

	def read(self, paddr, size):
		try:
			return self.prog.read(paddr, size, True)
		except self.drgn.FaultError as e:
			raise DumpError('physical 0x%x is not in the dump (%s)' % (paddr, e))

	def vmcoreinfo_raw(self):
		return self.meta.vmcoreinfo_raw()


def open_dump(path, reader):
	"""Return (reader object, name of the reader, why drgn was not used or None)."""
	with open(path, 'rb') as f:
		magic = f.read(12)
	if magic[:4] == b'\x7fELF':
		meta = ElfFile(path)
	elif magic[:8] == b'KDUMP   ' or magic == b'makedumpfile':
		meta = DiskDump(path)
	else:
		raise DumpError('unknown dump format')
	if reader in ('drgn', 'auto'):
		try:
			rd = DrgnReader(path, meta)
		except Exception as e:		# ImportError, drgn.FileFormatError, ...
			if reader == 'drgn':
				raise DumpError('drgn cannot open it: %s' % e)
			return meta, meta.__class__.__name__.lower(), 'drgn: %s' % e
		# drgn reads kdump-compressed files through libkdumpfile, whose physical reads
		# fail on 4K-page ppc64 ("Unsupported page shift: 12", libkdumpfile 0.5.1): probe
		# one word the dump must hold (mmu_vmemmap_psize), and where drgn cannot read
		# what our own reader can, use ours.
		if reader == 'auto':
			try:
				probe = int(parse_vmcoreinfo(meta.vmcoreinfo_raw())['SYMBOL(mmu_vmemmap_psize)'], 16)
				probe -= PAGE_OFFSET
			except (KeyError, ValueError, DumpError):
				probe = None
			if probe is not None:
				try:
					rd.read(probe, 4)
				except DumpError as e:
					try:
						meta.read(probe, 4)
					except DumpError:
						pass
					else:
						return meta, meta.__class__.__name__.lower(), 'drgn: %s' % e
		return rd, 'drgn', None
	return meta, meta.__class__.__name__.lower(), None


# ------------------------------------------------------------------------------------------

def parse_vmcoreinfo(raw):
	info = {}
	for line in raw.decode('ascii', 'replace').split('\n'):
		if '=' in line:
			k, v = line.split('=', 1)
			info[k] = v
	return info


class Oracle:
	def __init__(self, rd):
		self.rd = rd
		self.bo = rd.bo
		self.vmci = parse_vmcoreinfo(rd.vmcoreinfo_raw())
		v = self.vmci
		try:
			self.page_size = int(v['PAGESIZE'])
			self.sps = int(v['SIZE(page)'])
			self.off = {f: int(v['OFFSET(page.%s)' % f]) for f in
				    ('flags', '_refcount', '_mapcount', 'compound_head')}
			self.psize_def_size = int(v['SIZE(mmu_psize_def)'])
			self.psize_shift_off = int(v['OFFSET(mmu_psize_def.shift)'])
			self.sym_psize = int(v['SYMBOL(mmu_vmemmap_psize)'], 16)
			self.sym_defs = int(v['SYMBOL(mmu_psize_defs)'], 16)
			# vmemmap_list: exported by kernels with the hash MMU built in
			# (CONFIG_PPC_64S_HASH_MMU: 6.1 and 6.12 alike); 6.12 radix leaves it empty.
			self.has_list = 'SYMBOL(vmemmap_list)' in v
			if self.has_list:
				self.vb_size = int(v['SIZE(vmemmap_backing)'])
				self.vb_list = int(v['OFFSET(vmemmap_backing.list)'])
				self.vb_phys = int(v['OFFSET(vmemmap_backing.phys)'])
				self.vb_virt = int(v['OFFSET(vmemmap_backing.virt_addr)'])
				self.sym_list = int(v['SYMBOL(vmemmap_list)'], 16)
		except KeyError as e:
			raise DumpError('VMCOREINFO lacks %s' % e)
		except ValueError as e:
			raise DumpError('VMCOREINFO: bad item: %s' % e)
		if self.page_size not in RADIX_GEOMETRY:
			raise DumpError('PAGESIZE %d: neither 4K nor 64K' % self.page_size)
		self.page_shift = self.page_size.bit_length() - 1
		self.kernel_offset = int(v.get('KERNELOFFSET', '0'), 16)
		# 6.12 says where the vmemmap is (SYMBOL(vmemmap)) and which MMU ran
		# (NUMBER(RADIX_MMU) = early_radix_enabled()); 6.1 says neither.
		self.vmemmap_sym = int(v['SYMBOL(vmemmap)'], 16) if 'SYMBOL(vmemmap)' in v else None
		self.radix_number = int(v['NUMBER(RADIX_MMU)']) if 'NUMBER(RADIX_MMU)' in v else None
		self.type_values = {}
		for t in PAGE_TYPES:
			k = 'NUMBER(PAGE_%s_MAPCOUNT_VALUE)' % t
			if k in v:
				self.type_values[t.lower()] = int(v[k]) & 0xffffffff
		self.type_form = None
		if self.type_values:
			top = all(x & 0xffffff == 0 for x in self.type_values.values())
			self.type_form = 'top-byte' if top else 'base-and-bit'
		self.blocks = []
		self.leaves = None
		self.mmu = None

	def pa(self, kva):
		if kva < PAGE_OFFSET or kva >= PAGE_OFFSET + (1 << 52):
			raise DumpError('0x%x is not a linear-map address' % kva)
		return kva - PAGE_OFFSET

	def u64(self, pa):
		return struct.unpack(self.bo + 'Q', self.rd.read(pa, 8))[0]

	def s32(self, pa):
		return struct.unpack(self.bo + 'i', self.rd.read(pa, 4))[0]

	def u32(self, pa):
		return struct.unpack(self.bo + 'I', self.rd.read(pa, 4))[0]

	def vmemmap(self):
		"""vmemmap_list in list order, and the vmemmap page size it is made of."""
		self.psize = self.s32(self.pa(self.sym_psize))
		if not 0 <= self.psize < 16:
			raise DumpError('mmu_vmemmap_psize %d is out of range' % self.psize)
		self.shift = self.u32(self.pa(self.sym_defs) + self.psize * self.psize_def_size +
				      self.psize_shift_off)
		if not 12 <= self.shift <= 34:
			raise DumpError('vmemmap page shift %d is not plausible' % self.shift)
		self.block_size = 1 << self.shift
		blocks = []
		seen = set()
		entry = self.u64(self.pa(self.sym_list)) if self.has_list else 0
		while entry:
			if entry in seen:
				raise DumpError('vmemmap_list has a cycle at entry 0x%x' % entry)
			if len(blocks) >= MAX_ENTRIES:
				raise DumpError('vmemmap_list has more than %d entries' % MAX_ENTRIES)
			seen.add(entry)
			raw = self.rd.read(self.pa(entry), self.vb_size)
			nxt = struct.unpack_from(self.bo + 'Q', raw, self.vb_list)[0]
			phys = struct.unpack_from(self.bo + 'Q', raw, self.vb_phys)[0]
			virt = struct.unpack_from(self.bo + 'Q', raw, self.vb_virt)[0]
			blocks.append({'entry': entry, 'virt': virt, 'phys': phys})
			entry = nxt
		self.blocks = blocks
		# Lookups: blocks by virt // block_size (the hot-remove-safe rule), and the
		# running minimum of virt in list order (the seed's "first entry with virt <= va"
		# is the first index whose running minimum is <= va).
		self.by_slot = {}
		for i, b in enumerate(blocks):
			self.by_slot.setdefault(b['virt'] // self.block_size, []).append(i)
		self.prefix_min = []
		m = None
		for b in blocks:
			m = b['virt'] if m is None else min(m, b['virt'])
			self.prefix_min.append(m)
		return blocks

	def decide_mmu(self, mmu='auto', path=None):
		"""(mmu, how): the --mmu option; else NUMBER(RADIX_MMU) (6.12's VMCOREINFO), which
		must agree with the guest's /proc/cpuinfo where mkdump.sh kept it (meta.json);
		else meta.json; else a probe of the page tables."""
		if mmu != 'auto':
			return mmu, 'option'
		meta, _ = mmu_from_meta(path) if path else ('auto', None)
		if self.radix_number is not None:
			vm = 'radix' if self.radix_number else 'hash'
			if meta != 'auto' and meta != vm:
				raise DumpError('VMCOREINFO says NUMBER(RADIX_MMU)=%d but the guest said %s'
						% (self.radix_number, meta))
			return vm, 'vmcoreinfo'
		if meta != 'auto':
			return meta, 'meta.json'
		# Radix maps the vmemmap in swapper_pg_dir, hash does not (bolted HPTEs only):
		# with a list, the walk of its lowest block must land on that block's phys;
		# without one, the radix vmemmap base must be mapped.
		if self.blocks:
			low = min(self.blocks, key=lambda b: b['virt'])
			return ('radix' if self.radix_pgtable(low['virt']) == low['phys'] else 'hash'), 'probe'
		base = VMEMMAP_BASE[('radix', self.page_size)]
		return ('radix' if self.radix_pgtable(base) is not None else 'hash'), 'probe'

	def set_mmu(self, mmu):
		self.mmu = mmu
		self.vmemmap_base = VMEMMAP_BASE[(mmu, self.page_size)]
		if self.vmemmap_sym is not None and self.vmemmap_sym != self.vmemmap_base:
			raise DumpError('SYMBOL(vmemmap) 0x%x is not the %s vmemmap base 0x%x of %dK pages'
					% (self.vmemmap_sym, mmu, self.vmemmap_base, self.page_size >> 10))
		# The lowest block maps pfn 0 (ppc64 memory starts at 0): it must be the base.
		if self.blocks and min(b['virt'] for b in self.blocks) != self.vmemmap_base:
			raise DumpError('lowest vmemmap block 0x%x is not the vmemmap base 0x%x' %
					(min(b['virt'] for b in self.blocks), self.vmemmap_base))
		if mmu == 'radix':
			self.radix_leaves()

	def mem_sections(self):
		"""The present memory sections: (parameters, [section, ...]).  Root pointers the
		dump does not hold are listed as roots_not_in_dump (index ranges), roots whose
		array of struct mem_section it does not hold as root_pages_not_in_dump (indices):
		their sections are unknown, never guessed."""
		v = self.vmci
		try:
			root_array = self.pa(int(v['SYMBOL(mem_section)'], 16))
			nr_roots = int(v['LENGTH(mem_section)'])
			ms_size = int(v['SIZE(mem_section)'])
			map_off = int(v['OFFSET(mem_section.section_mem_map)'])
			size_bits = int(v['NUMBER(SECTION_SIZE_BITS)'])
		except KeyError as e:
			raise DumpError('VMCOREINFO lacks %s' % e)
		except ValueError as e:
			raise DumpError('VMCOREINFO: bad mem_section item: %s' % e)
		page_shift = self.page_size.bit_length() - 1
		if self.page_size != 1 << page_shift:
			raise DumpError('PAGESIZE %d is not a power of two' % self.page_size)
		if not 0 < nr_roots <= MAX_SECTION_ROOTS or not 8 <= ms_size <= self.page_size \
		   or not 0 <= map_off <= ms_size - 8 or not page_shift <= size_bits < 64:
			raise DumpError('implausible mem_section items in VMCOREINFO')
		# SPARSEMEM_EXTREME: each root is a page-sized array of struct mem_section.
		per_root = self.page_size // ms_size
		pfn_shift = size_bits - page_shift
		params = {'root_array': '0x%x' % (PAGE_OFFSET + root_array), 'nr_roots': nr_roots,
			  'sections_per_root': per_root, 'struct_size': ms_size,
			  'section_size_bits': size_bits, 'pfns_per_section': 1 << pfn_shift}
		if 'NUMBER(MAX_PHYSMEM_BITS)' in v:
			params['max_physmem_bits'] = int(v['NUMBER(MAX_PHYSMEM_BITS)'])
		# The root array, a page at a time: a sample may hold only part of it.
		roots = [None] * nr_roots
		pos, end = root_array, root_array + 8 * nr_roots
		while pos < end:
			n = min(end - pos, self.page_size - pos % self.page_size)
			try:
				raw = self.rd.read(pos, n)
			except DumpError:
				pos += n
				continue
			first = (pos - root_array) // 8
			for i in range(n // 8):
				roots[first + i] = struct.unpack_from(self.bo + 'Q', raw, 8 * i)[0]
			pos += n
		missing = []
		for i, r in enumerate(roots):
			if r is None:
				if missing and missing[-1][1] == i - 1:
					missing[-1][1] = i
				else:
					missing.append([i, i])
		params['roots_present'] = [i for i, r in enumerate(roots) if r]
		params['roots_not_in_dump'] = missing
		params['root_pages_not_in_dump'] = []
		sections = []
		for i in params['roots_present']:
			try:
				raw = self.rd.read(self.pa(roots[i]), per_root * ms_size)
			except DumpError:
				params['root_pages_not_in_dump'].append(i)
				continue
			for j in range(per_root):
				m = struct.unpack_from(self.bo + 'Q', raw, j * ms_size + map_off)[0]
				if not m & SECTION_MARKED_PRESENT:
					continue
				nr = i * per_root + j
				has_map = bool(m & SECTION_HAS_MEM_MAP)
				sections.append({
					'nr': nr,
					'pfn_start': nr << pfn_shift, 'pfn_end': (nr + 1) << pfn_shift,
					'has_mem_map': has_map, 'online': bool(m & SECTION_IS_ONLINE),
					'section_mem_map': '0x%x' % m,
					'mem_map': '0x%x' % (m & ~SECTION_FLAGS_MASK) if has_map else None})
		self.page_shift = page_shift
		self.sections = sections
		self.ms_root_array = (root_array, 8 * nr_roots)
		self.ms_roots = {i: self.pa(roots[i]) for i in params['roots_present']
				 if i not in params['root_pages_not_in_dump']}
		self.ms_root_size = per_root * ms_size
		self.ms_section_bits = size_bits
		self.ms_per_root = per_root
		self.ms_unknown_roots = set(params['root_pages_not_in_dump'])
		for a, b in missing:
			self.ms_unknown_roots.update(range(a, b + 1))
		return params, sections


	def unmanaged(self):
		"""PT_LOAD ranges [start, end) of an ELF dump that the kernel does not manage: no
		present section covers them, and the dump holds the root that says so (a range
		whose section lies in a root the dump lacks is unknown, not unmanaged)."""
		elf = self.rd if isinstance(self.rd, ElfFile) else getattr(self.rd, 'meta', None)
		if not isinstance(elf, ElfFile):
			return None
		bits = self.ms_section_bits
		present = {s['nr'] for s in self.sections}
		out = []
		for (pa, fsz, _, _, _) in elf.loads:
			pos, end = pa, pa + fsz
			while pos < end:
				nr = pos >> bits
				stop = min(end, (nr + 1) << bits)
				if nr not in present and nr // self.ms_per_root not in self.ms_unknown_roots:
					if out and out[-1][1] == pos:
						out[-1][1] = stop
					else:
						out.append([pos, stop])
				pos = stop
		return [{'start': '0x%x' % a, 'end': '0x%x' % b, 'size': b - a} for a, b in out]


	def inversions(self):
		"""Indices i where entry i+1 does not have a lower virt than entry i."""
		return [i for i in range(len(self.blocks) - 1)
			if self.blocks[i + 1]['virt'] >= self.blocks[i]['virt']]


	# ---- radix page tables (geometry from radix-4k.h / radix-64k.h)

	def pte_rpn_mask(self):
		return ((1 << PAGE_PA_MAX) - 1) & ~(self.page_size - 1)

	def swapper(self):
		if 'SYMBOL(swapper_pg_dir)' not in self.vmci:
			raise DumpError('VMCOREINFO lacks SYMBOL(swapper_pg_dir)')
		return self.pa(int(self.vmci['SYMBOL(swapper_pg_dir)'], 16))

	def entry(self, table, idx):
		return struct.unpack('>Q', self.rd.read(table + 8 * idx, 8))[0]

	def radix_pgtable(self, va):
		"""One walk of va from swapper_pg_dir: its physical address, or None."""
		try:
			table = self.swapper()
		except DumpError:
			return None
		geo = RADIX_GEOMETRY[self.page_size]
		ea = va & ((1 << 52) - 1)
		for level, (shift, bits) in enumerate(geo):
			idx = (ea >> shift) & ((1 << bits) - 1)
			try:
				e = self.entry(table, idx)
			except DumpError:
				return None
			if not e & _PAGE_PRESENT:
				return None
			if e & _PAGE_PTE:
				rpn = e & self.pte_rpn_mask() & ~((1 << shift) - 1)
				return rpn | (ea & ((1 << shift) - 1))
			if level == len(geo) - 1:
				return None			# a PTE without _PAGE_PTE
			table = e & ~PXD_MASKED_BITS
		return None

	def radix_leaves(self):
		"""Every leaf mapping of [vmemmap base, + RADIX_VMEMMAP_SIZE) in swapper_pg_dir,
		in address order: {'virt', 'phys', 'size', 'level'}.  A non-leaf entry's low
		bits (the next level's index size) must match the geometry; a table the dump
		does not hold is listed in self.tables_not_in_dump, never guessed."""
		geo = RADIX_GEOMETRY[self.page_size]
		root = self.swapper()
		mask = self.pte_rpn_mask()
		leaves = []
		self.tables_not_in_dump = []
		self.tables_read = []			# (phys, bytes) of every table read
		self.nls_seen = {}
		start = self.vmemmap_base & ((1 << 52) - 1)
		end = start + VMEMMAP_SIZE

		def walk(table, level, base):
			shift, bits = geo[level]
			lo = max(0, (start - base) >> shift) if start > base else 0
			hi = min(1 << bits, -(-(end - base) >> shift))
			if lo >= hi:
				return
			# A page at a time: a kdump-compressed dump leaves out zero pages (-d 1), so
			# part of a table may be missing; its entries are unknown, the rest known.
			entries = {}
			pos = lo
			while pos < hi:
				a = table + 8 * pos
				n = min(hi - pos, (self.page_size - a % self.page_size) // 8)
				try:
					raw = self.rd.read(a, 8 * n)
					self.tables_read.append((a, 8 * n))
					for i in range(n):
						entries[pos + i] = struct.unpack_from('>Q', raw, 8 * i)[0]
				except DumpError:
					self.tables_not_in_dump.append({'level': RADIX_LEVELS[level], 'table': '0x%x' % table,
									'entries': [pos, pos + n - 1]})
				pos += n
			for idx in sorted(entries):
				e = entries[idx]
				if not e & _PAGE_PRESENT:
					continue
				ea = base + (idx << shift)
				if e & _PAGE_PTE:
					if len(leaves) >= MAX_LEAVES:
						raise DumpError('more than %d vmemmap leaves' % MAX_LEAVES)
					leaves.append({'virt': ea | (self.vmemmap_base & ~((1 << 52) - 1)),
						       'phys': e & mask & ~((1 << shift) - 1),
						       'size': 1 << shift, 'level': RADIX_LEVELS[level]})
					continue
				if level == len(geo) - 1:
					raise DumpError('PTE 0x%x at 0x%x without _PAGE_PTE' % (e, ea))
				nls = e & RADIX_NLS_MASK
				key = RADIX_LEVELS[level]
				self.nls_seen.setdefault(key, set()).add(nls)
				if nls != geo[level + 1][1]:
					raise DumpError('%s entry 0x%x: next level size %d, the %dK geometry says %d'
							% (key, e, nls, self.page_size >> 10, geo[level + 1][1]))
				walk(e & ~PXD_MASKED_BITS, level + 1, ea)

		walk(root, 0, 0)
		self.leaves = leaves
		self.leaf_virts = [lf['virt'] for lf in leaves]
		return leaves

	def leaf_translate(self, va):
		"""va through the leaves found by radix_leaves(): the whole struct page must lie
		in one leaf (struct pages never straddle a vmemmap mapping)."""
		i = bisect.bisect_right(self.leaf_virts, va) - 1
		if i < 0:
			return None
		lf = self.leaves[i]
		if va + self.sps > lf['virt'] + lf['size']:
			return None
		return lf['phys'] + va - lf['virt']

	# ---- vmemmap_list translations

	def walk(self, va):
		"""Hot-remove-safe: the one entry that holds the whole struct page."""
		slot = va // self.block_size
		hits = [self.blocks[i] for s in (slot - 1, slot) for i in self.by_slot.get(s, ())
			if self.blocks[i]['virt'] <= va and
			va + self.sps <= self.blocks[i]['virt'] + self.block_size]
		if len(hits) > 1:
			raise DumpError('vmemmap address 0x%x is in %d blocks' % (va, len(hits)))
		return hits[0]['phys'] + va - hits[0]['virt'] if hits else None

	def seed2013(self, va):
		"""The 2013 seed: the first entry with virt <= va; NULL if the page straddles it."""
		i = bisect_first_le(self.prefix_min, va)
		if i is None:
			return None
		b = self.blocks[i]
		if va + self.sps > b['virt'] + self.block_size:
			return None
		return b['phys'] + va - b['virt']

	def page_type(self, raw_mapcount):
		"""The page type the kernel's own rule gives for this page_type/_mapcount word
		(6.1: PageType(); 6.12: PAGE_TYPE_OPS), from VMCOREINFO's values; None if none."""
		pt = raw_mapcount & 0xffffffff
		for name, value in sorted(self.type_values.items()):
			if self.type_form == 'top-byte':
				if pt >> 24 == value >> 24:
					return name
			else:
				flag = ~value & 0xffffffff
				if pt & (PAGE_TYPE_BASE_61 | flag) == PAGE_TYPE_BASE_61:
					return name
		return None

	def page(self, pfn):
		va = self.vmemmap_base + pfn * self.sps
		out = {'pfn': pfn, 'virt': '0x%x' % va}
		if self.blocks:
			phys = self.walk(va)
			out['phys'] = hx(phys)
			out['seed2013'] = hx(self.seed2013(va))
			if self.mmu == 'radix':
				out['pgtable'] = hx(self.leaf_translate(va))
		elif self.mmu == 'radix':
			phys = self.leaf_translate(va)
			out['phys'] = hx(phys)
			out['seed2013'] = None
			out['pgtable'] = hx(phys)
		else:
			phys = None
			out['phys'] = None
			out['seed2013'] = None
		if phys is None:
			out['error'] = ('no vmemmap block holds the whole struct page' if self.blocks else
					'no page-table leaf maps the whole struct page' if self.mmu == 'radix' else
					'hash MMU and an empty vmemmap_list: no translation')
			return out
		try:
			raw = self.rd.read(phys, self.sps)
		except DumpError as e:
			out['error'] = str(e)
			return out
		o = self.off
		out['flags'] = '0x%x' % struct.unpack_from(self.bo + 'Q', raw, o['flags'])[0]
		out['refcount'] = struct.unpack_from(self.bo + 'i', raw, o['_refcount'])[0]
		out['mapcount'] = struct.unpack_from(self.bo + 'i', raw, o['_mapcount'])[0]
		out['page_type'] = self.page_type(out['mapcount'])
		out['compound_head'] = '0x%x' % struct.unpack_from(self.bo + 'Q', raw, o['compound_head'])[0]
		return out


def bisect_first_le(seq, x):
	"""The first index of a non-increasing seq whose value is <= x, or None."""
	lo, hi = 0, len(seq)
	while lo < hi:
		mid = (lo + hi) // 2
		if seq[mid] <= x:
			hi = mid
		else:
			lo = mid + 1
	return lo if lo < len(seq) else None


def hx(v):
	return None if v is None else '0x%x' % v


def mmu_from_meta(path):
	"""('radix'|'hash', 'meta.json') from mkdump.sh's record of the guest, else ('auto', None)."""
	try:
		with open(os.path.join(os.path.dirname(os.path.abspath(path)), 'meta.json')) as f:
			m = json.load(f)['guest']['mmu'].lower()
	except (OSError, ValueError, KeyError, TypeError, AttributeError):
		return 'auto', None
	return (m, 'meta.json') if m in ('radix', 'hash') else ('auto', None)


def default_pfns(orc):
	"""A small, deterministic set of pfns.  With a vmemmap_list: the first, middle and last
	struct page each block holds (it depends on vmemmap_list only, so a trimmed copy of a
	dump gets the same set as the full dump).  Without one (6.12 radix): the first, middle
	and last struct page each vmemmap page-table leaf holds, and the first, middle and last
	pfn of every present memory section (page tables and mem_section, both kept whole by
	trim.py)."""
	pfns = set()
	if orc.blocks:
		per_block = orc.block_size // orc.sps
		for b in orc.blocks:
			first = -(-(b['virt'] - orc.vmemmap_base) // orc.sps)
			pfns.update((first, first + per_block // 2, first + per_block - 1))
		return sorted(p for p in pfns if p >= 0)
	for lo, hi in leaf_pfn_ranges(orc):
		pfns.update((lo, lo + (hi - lo) // 2, hi - 1))
	for sec in orc.sections:
		lo, hi = sec['pfn_start'], sec['pfn_end']
		pfns.update((lo, lo + (hi - lo) // 2, hi - 1))
	return sorted(p for p in pfns if p >= 0)


def leaf_pfn_ranges(orc):
	"""[lo, hi) pfn ranges whose struct pages lie wholly in one vmemmap page-table leaf."""
	out = []
	for lf in orc.leaves or []:
		lo = -(-(lf['virt'] - orc.vmemmap_base) // orc.sps)
		hi = (lf['virt'] + lf['size'] - orc.vmemmap_base) // orc.sps
		if hi > lo >= 0:
			out.append((lo, hi))
	return out


def parse_pfn_list(text):
	out = []
	for tok in text.replace(',', ' ').split():
		if '-' in tok:
			a, b = tok.split('-', 1)
			out.extend(range(int(a, 0), int(b, 0) + 1))
		else:
			out.append(int(tok, 0))
	return out


def build(path, pfns=None, all_pages=False, reader='auto', mmu='auto'):
	rd, name, why = open_dump(path, reader)
	orc = Oracle(rd)
	orc.vmemmap()
	# Which MMU: see Oracle.decide_mmu (the option, 6.12's NUMBER(RADIX_MMU) checked
	# against the guest's own answer in meta.json, meta.json, a page-table probe).  The page
	# size is no guide: QEMU's powernv9 runs radix with 64K vmemmap pages.
	mmu, how = orc.decide_mmu(mmu, path)
	orc.set_mmu(mmu)
	ms_params, sections = orc.mem_sections()
	if all_pages:
		pfns = set()
		if orc.blocks:
			per_block = orc.block_size // orc.sps
			for b in orc.blocks:
				first = -(-(b['virt'] - orc.vmemmap_base) // orc.sps)
				pfns.update(range(first, first + per_block))
		else:
			for lo, hi in leaf_pfn_ranges(orc):
				pfns.update(range(lo, hi))
		pfns = sorted(p for p in pfns if p >= 0)
	elif pfns is None:
		pfns = default_pfns(orc)
	result = {
		'dump': os.path.basename(path),
		'reader': name,
		'osrelease': orc.vmci.get('OSRELEASE'),
		'mmu': mmu,
		'mmu_from': how,
		'radix_mmu_vmcoreinfo': orc.radix_number,
		'page_size': orc.page_size,
		# The vmemmap_list block size; none without blocks (6.12 radix leaves
		# mmu_vmemmap_psize at its MMU_PAGE_4K default, which maps nothing).
		'block_size': orc.block_size if orc.blocks else None,
		'vmemmap_psize_shift': orc.shift,
		'struct_page_size': orc.sps,
		'vmemmap_base': '0x%x' % orc.vmemmap_base,
		'vmemmap_symbol': hx(orc.vmemmap_sym),
		'mmu_vmemmap_psize': orc.psize,
		'vmemmap_from': 'vmemmap_list' if orc.blocks else 'pgtable' if mmu == 'radix' else None,
		'descending': not orc.inversions(),
		'inversions': orc.inversions(),
		'blocks': [{'entry': '0x%x' % b['entry'], 'virt': '0x%x' % b['virt'],
			    'phys': '0x%x' % b['phys']} for b in orc.blocks],
		'vmemmap_pgtable': pgtable_summary(orc),
		'page_type_form': orc.type_form,
		'page_type_values': {k: '0x%x' % v for k, v in sorted(orc.type_values.items())},
		'pages': [orc.page(p) for p in pfns],
	}
	result['mem_section'], result['sections'] = ms_params, sections
	result['unmanaged'] = orc.unmanaged()
	if why:
		result['reader_note'] = why
	return result


def pgtable_summary(orc):
	"""The radix page-table reading of the vmemmap (None on hash)."""
	if orc.mmu != 'radix':
		return None
	sizes = {}
	for lf in orc.leaves:
		sizes[str(lf['size'])] = sizes.get(str(lf['size']), 0) + 1
	return {
		'root': '0x%x' % (PAGE_OFFSET + orc.swapper()),
		'geometry': [{'level': RADIX_LEVELS[i], 'shift': sh, 'index_bits': bits}
			     for i, (sh, bits) in enumerate(RADIX_GEOMETRY[orc.page_size])],
		'leaf_sizes': sizes,
		'leaves': [{'virt': '0x%x' % lf['virt'], 'phys': '0x%x' % lf['phys'], 'size': lf['size'],
			    'level': lf['level']} for lf in orc.leaves],
		'tables_not_in_dump': orc.tables_not_in_dump,
	}


def main():
	ap = argparse.ArgumentParser(description='Independent ground truth for vmemmap_list and struct pages of a ppc64 vmcore.')
	ap.add_argument('dump')
	ap.add_argument('pfns', nargs='*', help='pfns (decimal or 0x), or ranges A-B; default: a sample touching every block')
	ap.add_argument('--all', action='store_true', help='every struct page the vmemmap blocks hold')
	ap.add_argument('--reader', choices=('auto', 'drgn', 'own'), default='auto',
			help='auto: drgn where it opens the file, else (and with own) our own ELF or diskdump reader')
	ap.add_argument('--mmu', choices=('auto', 'hash', 'radix'), default='auto',
			help='auto: the guest\'s own answer from meta.json beside the dump, else a probe')
	ap.add_argument('-o', '--output', help='write here instead of stdout')
	args = ap.parse_args()
	pfns = parse_pfn_list(' '.join(args.pfns)) if args.pfns else None
	try:
		res = build(args.dump, pfns, args.all, args.reader, args.mmu)
	except (DumpError, OSError) as e:
		print('oracle.py: %s: %s' % (args.dump, e), file=sys.stderr)
		return 1
	text = json.dumps(res, indent=1) + '\n'
	if args.output:
		with open(args.output, 'w') as f:
			f.write(text)
	else:
		sys.stdout.write(text)
	return 0


if __name__ == '__main__':
	sys.exit(main())
