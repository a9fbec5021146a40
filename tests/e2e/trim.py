#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/trim.py: cuts a real ppc64 ELF vmcore down to the pages that matter, for fixtures.

It owns the choice of what a small sample of a real dump keeps, and writing it as a valid
ELF vmcore (same ELF header fields, the original VMCOREINFO note, fewer PT_LOADs, p_vaddr
in the linear map, p_memsz == p_filesz so that everything else is a hole, i.e. "not in
the dump", never zeros).  Kept, each as whole pages of the dump's page size:
  - vmemmap_list (the head), every vmemmap_backing entry, mmu_vmemmap_psize and all of
    mmu_psize_defs: what libkdumpfile itself reads when it opens a Linux/ppc64 dump (its
    addrxlat VMEMMAP lookup table is built from vmemmap_list) and what the tools walk;
  - every vmemmap backing block [phys, phys + block size): all struct pages;
  - init_uts_ns, the kallsyms tables (from the lowest to the end of the highest of
    kallsyms_offsets, _relative_base, _num_syms, _names, _token_table, _token_index:
    6.1 emits token_index last, 6.12 offsets and relative_base after it);
  - cur_cpu_spec's pointer and the struct it points to, where VMCOREINFO names them
    (6.12: OFFSET(cpu_spec.mmu_features), how a tool may tell radix from hash);
  - SPARSEMEM's mem_section: the whole root array (LENGTH(mem_section) pointers) and
    every root it points to, whole (every struct mem_section of every present root);
  - memory the dump holds that the kernel does not manage (PT_LOAD ranges no present
    mem_section covers, e.g. a VGA's video RAM): the first --unmanaged-max bytes (default
    16 MiB) of each such range, at its own physical address;
  - on radix, swapper_pg_dir, every page-table page on the way to each vmemmap block,
    every page-table page oracle.py's walk of the whole vmemmap range reads, the memory
    every vmemmap leaf maps (all struct pages: on 6.12 radix, which keeps no vmemmap_list,
    the only map of them), and the tables on the way to the linear-map entry that maps
    swapper_pg_dir itself;
  - any --keep PHYS:SIZE ranges given, and every range a --keep-trace file (readtrace.c's
    READTRACE_OUT: what a program read through libkdumpfile's kdump_read) says was read
    by physical address.
Memory is read with oracle.py's own ELF reader (no project code).  The output lists what
was kept and why on stderr (and as JSON with --manifest).
"""

import argparse
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402


class Keep:
	def __init__(self, page_size):
		self.ps = page_size
		self.pages = {}			# page-aligned phys -> set of reasons

	def add(self, phys, size, why):
		if size <= 0:
			return
		first = phys - phys % self.ps
		last = phys + size - 1
		for p in range(first, last - last % self.ps + 1, self.ps):
			self.pages.setdefault(p, set()).add(why)

	def ranges(self):
		"""Sorted, merged [start, end) runs of kept pages, with their reasons."""
		out = []
		for p in sorted(self.pages):
			if out and out[-1][1] == p:
				out[-1][1] = p + self.ps
				out[-1][2] |= self.pages[p]
			else:
				out.append([p, p + self.ps, set(self.pages[p])])
		return out


def kva(orc, name):
	return int(orc.vmci['SYMBOL(%s)' % name], 16)


def collect(elf, orc, mmu, extra, kallsyms=True, unmanaged_max=16 << 20):
	k = Keep(orc.page_size)
	# What libkdumpfile reads when it opens the dump with ostype linux, and what the
	# vmemmap walkers read.
	if orc.has_list:
		k.add(orc.pa(orc.sym_list), 8, 'vmemmap_list')
	for b in orc.blocks:
		k.add(orc.pa(b['entry']), orc.vb_size, 'vmemmap_backing entries')
	k.add(orc.pa(orc.sym_psize), 4, 'mmu_vmemmap_psize')
	k.add(orc.pa(orc.sym_defs), 16 * orc.psize_def_size, 'mmu_psize_defs')
	for b in orc.blocks:
		k.add(b['phys'], orc.block_size, 'vmemmap backing blocks (struct pages)')
	if 'SYMBOL(init_uts_ns)' in orc.vmci:
		k.add(orc.pa(kva(orc, 'init_uts_ns')), 512, 'init_uts_ns')
	if kallsyms and 'SYMBOL(kallsyms_token_index)' in orc.vmci:
		names = [n for n in ('kallsyms_offsets', 'kallsyms_relative_base', 'kallsyms_num_syms',
				     'kallsyms_names', 'kallsyms_token_table', 'kallsyms_token_index')
			 if 'SYMBOL(%s)' % n in orc.vmci]
		lo = min(kva(orc, n) for n in names)
		# The end of the highest table: kallsyms_token_index is 256 u16; the offsets are
		# kallsyms_num_syms (an unsigned int) ints; relative_base is one long.
		ends = [kva(orc, 'kallsyms_token_index') + 256 * 2]
		if 'kallsyms_num_syms' in names and 'kallsyms_offsets' in names:
			nsyms = orc.u32(orc.pa(kva(orc, 'kallsyms_num_syms')))
			if nsyms > 1 << 22:
				raise oracle.DumpError('kallsyms_num_syms %d: implausible' % nsyms)
			ends.append(kva(orc, 'kallsyms_offsets') + 4 * nsyms)
		for n in ('kallsyms_relative_base', 'kallsyms_num_syms'):
			if n in names:
				ends.append(kva(orc, n) + 8)
		hi = max(ends)
		if hi - lo > 64 << 20:
			raise oracle.DumpError('kallsyms tables span %d bytes: implausible' % (hi - lo))
		k.add(orc.pa(lo), hi - lo, 'kallsyms tables')
	if 'SYMBOL(mem_section)' in orc.vmci:
		orc.mem_sections()
		# The root array, where the source holds it (a sample may hold only part).
		start, size = orc.ms_root_array
		for p in range(start - start % orc.page_size, start + size, orc.page_size):
			try:
				elf.read(p, orc.page_size)
			except oracle.DumpError:
				continue
			lo, hi = max(p, start), min(p + orc.page_size, start + size)
			k.add(lo, hi - lo, 'mem_section root array')
		for root in orc.ms_roots.values():
			k.add(root, orc.ms_root_size, 'mem_section roots (struct mem_section)')
		for r in orc.unmanaged() or []:
			lo, hi = int(r['start'], 16), int(r['end'], 16)
			k.add(lo, min(hi - lo, unmanaged_max),
			      'memory the kernel does not manage (no present mem_section): 0x%x-0x%x' % (lo, hi))
	if 'SYMBOL(cur_cpu_spec)' in orc.vmci and 'OFFSET(cpu_spec.mmu_features)' in orc.vmci:
		k.add(orc.pa(kva(orc, 'cur_cpu_spec')), 8, 'cur_cpu_spec')
		spec = orc.u64(orc.pa(kva(orc, 'cur_cpu_spec')))
		k.add(orc.pa(spec), int(orc.vmci['OFFSET(cpu_spec.mmu_features)']) + 8,
		      'struct cpu_spec (cpu_features, mmu_features)')
	if mmu == 'radix':
		pgd = orc.pa(kva(orc, 'swapper_pg_dir'))
		k.add(pgd, 8 << 13, 'swapper_pg_dir')
		for b in orc.blocks:
			for table, size in radix_tables(orc, b['virt']):
				k.add(table, size, 'radix page tables (vmemmap)')
		if orc.leaves is None:
			orc.set_mmu(mmu)
		for table, size in orc.tables_read:
			k.add(table, size, 'radix page tables (vmemmap)')
		if not orc.blocks:
			for lf in orc.leaves:
				k.add(lf['phys'], lf['size'], 'vmemmap page-table leaves (struct pages)')
		# Tools decide "radix" by translating swapper_pg_dir's own linear-map address
		# through the tables: keep the walk (and the leaf) that maps it.
		for table, size in radix_tables(orc, kva(orc, 'swapper_pg_dir')):
			k.add(table, size, 'radix page tables (linear map of swapper_pg_dir)')
	for phys, size, *why in extra:
		k.add(phys, size, why[0] if why else '--keep')
	return k


def radix_tables(orc, va):
	"""The page-table pages (phys, size) a radix walk of va reads below swapper_pg_dir."""
	out = []
	table = orc.pa(kva(orc, 'swapper_pg_dir'))
	ea = va & ((1 << 52) - 1)
	for shift, bits in oracle.RADIX_GEOMETRY[orc.page_size]:
		out.append((table, 8 << bits))
		e = struct.unpack('>Q', orc.rd.read(table + 8 * ((ea >> shift) & ((1 << bits) - 1)), 8))[0]
		if not e & oracle._PAGE_PRESENT or e & oracle._PAGE_PTE:
			break
		table = e & ~oracle.PXD_MASKED_BITS
	return out


def write_elf(elf, keep, out_path):
	"""ELF header as in the source, PT_NOTE with the source's VMCOREINFO note, PT_LOADs."""
	bo = elf.bo
	runs = keep.ranges()
	# Every kept page must be in the source dump: a sample never invents memory.
	for start, end, _ in runs:
		elf.read(start, 1)
		elf.read(end - 1, 1)
	note = None
	for off, sz in elf.notes:
		elf.f.seek(off)
		data = elf.f.read(sz)
		if b'VMCOREINFO\0' in data:
			note = data
	if note is None:
		raise oracle.DumpError('no VMCOREINFO note to copy')
	phnum = 1 + len(runs)
	note_off = 64 + 56 * phnum
	data_off = (note_off + len(note) + 4095) & ~4095
	elf.f.seek(0)
	eh = bytearray(elf.f.read(64))
	struct.pack_into(bo + 'QQQ', eh, 24, 0, 64, 0)		# e_entry, e_phoff, e_shoff
	struct.pack_into(bo + 'HHHHH', eh, 54, 56, phnum, 0, 0, 0)
	phdrs = [struct.pack(bo + 'IIQQQQQQ', 4, 0, note_off, 0, 0, len(note), len(note), 4)]
	off = data_off
	for start, end, _ in runs:
		phdrs.append(struct.pack(bo + 'IIQQQQQQ', 1, 7, off, oracle.PAGE_OFFSET | start, start,
					 end - start, end - start, 0))
		off += end - start
	tmp = out_path + '.tmp'
	with open(tmp, 'wb') as f:
		f.write(eh)
		f.write(b''.join(phdrs))
		f.write(note)
		f.write(b'\0' * (data_off - note_off - len(note)))
		for start, end, _ in runs:
			pos = start
			while pos < end:
				n = min(end - pos, 4 << 20)
				f.write(elf.read(pos, n))
				pos += n
	os.replace(tmp, out_path)
	return runs


def parse_trace(path, why):
	"""The (phys, size, why) ranges readtrace.c recorded: the bytes each kdump_read of
	KDUMP_KPHYSADDR (address space 0) returned.  A read of another address space would
	be translated by libkdumpfile, which these tools never ask for: refused."""
	out = []
	with open(path) as f:
		for n, line in enumerate(f, 1):
			try:
				as_, addr, _, got, _ = line.split()
				as_, addr, got = int(as_), int(addr, 16), int(got)
			except ValueError:
				raise ValueError('%s:%d: not a readtrace line: %r' % (path, n, line))
			if as_ != 0:
				raise ValueError('%s:%d: a read of address space %d, not physical' % (path, n, as_))
			if got:
				out.append((addr, got, why))
	return out


def parse_keep(text):
	phys, size = text.split(':')
	return int(phys, 0), int(size, 0)


def main():
	ap = argparse.ArgumentParser(description='Keep only the pages of a ppc64 ELF vmcore that the tests need.')
	ap.add_argument('input')
	ap.add_argument('output')
	ap.add_argument('--keep', action='append', type=parse_keep, default=[], metavar='PHYS:SIZE')
	ap.add_argument('--keep-trace', action='append', default=[], metavar='FILE[:WHY]',
			help='keep what a readtrace.c trace says was read (WHY: the reason to list)')
	ap.add_argument('--no-kallsyms', action='store_true', help='leave the kallsyms tables out')
	ap.add_argument('--mmu', choices=('auto', 'hash', 'radix'), default='auto')
	ap.add_argument('--unmanaged-max', type=lambda t: int(t, 0), default=16 << 20, metavar='BYTES',
			help='keep at most this much of each range the kernel does not manage (default 16 MiB)')
	ap.add_argument('--manifest', help='write what was kept, and why, as JSON here')
	args = ap.parse_args()
	try:
		elf = oracle.ElfFile(args.input)
		if elf.truncated:
			raise oracle.DumpError('the input is truncated')
		orc = oracle.Oracle(elf)
		orc.vmemmap()
		mmu, _ = orc.decide_mmu(args.mmu, args.input)
		orc.set_mmu(mmu)
		extra = list(args.keep)
		for t in args.keep_trace:
			path, _, why = t.partition(':')
			extra += parse_trace(path, why or 'read by %s' % os.path.basename(path))
		keep = collect(elf, orc, mmu, extra, not args.no_kallsyms, args.unmanaged_max)
		runs = write_elf(elf, keep, args.output)
	except (oracle.DumpError, OSError, ValueError) as e:
		print('trim.py: %s' % e, file=sys.stderr)
		return 1
	total = sum(e - s for s, e, _ in runs)
	for s, e, why in runs:
		print('trim.py: keep 0x%x-0x%x (%d KiB): %s' % (s, e, (e - s) >> 10, ', '.join(sorted(why))),
		      file=sys.stderr)
	print('trim.py: %s: %d PT_LOADs, %d KiB of memory (mmu %s)' % (args.output, len(runs), total >> 10, mmu),
	      file=sys.stderr)
	if args.manifest:
		with open(args.manifest, 'w') as f:
			json.dump({'source': os.path.basename(args.input), 'mmu': mmu,
				   'kept': [{'start': '0x%x' % s, 'end': '0x%x' % e, 'why': sorted(w)}
					    for s, e, w in runs]}, f, indent=1)
	return 0


if __name__ == '__main__':
	sys.exit(main())
