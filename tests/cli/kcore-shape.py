#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/cli/kcore-shape.py IN OUT: rewrites an ELF ppc64 vmcore in the shape of a running
kernel's /proc/kcore (Linux 6.1's fs/proc/kcore.c), holding the same memory.

What /proc/kcore looks like and a vmcore does not: the notes are "CORE" NT_PRSTATUS,
NT_PRPSINFO (fname "vmlinux") and NT_TASKSTRUCT (the reading task's task_struct) before
the VMCOREINFO note; the data of every PT_LOAD lies at its *virtual* address's offset from
PAGE_OFFSET (kc_vaddr_to_offset(), plus the page-aligned header length), so the file is
as long as the kernel's address space and sparse; and besides the linear map's RAM
segments (p_paddr = __pa(p_vaddr)) it has segments with no physical address at all
(p_paddr = -1): the vmalloc area (first, as proc_kcore_init() adds it) and the vmemmap
of each RAM range (after them, as kcore_ram_list() adds them).  Those lie past the end
of this file (the real kcore's length covers them; a file here cannot be 2^51 bytes
long), as nothing reads them: libtce translates vmalloc and vmemmap addresses itself.
Only the Python standard library is used.
"""

import struct
import sys

PAGE_OFFSET = 0xc000000000000000
VMALLOC_START = 0xc008000000000000
VMALLOC_SIZE = 0x0004000000000000
VMEMMAP_START = 0xc00c000000000000
PT_LOAD, PT_NOTE = 1, 4
NT_PRSTATUS, NT_PRPSINFO, NT_TASKSTRUCT = 1, 3, 4
PRSTATUS_SIZE = 504        # struct elf_prstatus, ppc64 (ELF_NGREG 48)
TASKSTRUCT_SIZE = 9856     # about a 6.1 ppc64 task_struct; its contents do not matter


def main():
	src, dst = sys.argv[1:3]
	with open(src, 'rb') as f:
		data = f.read()
	if data[:4] != b'\x7fELF' or data[4] != 2:
		sys.exit('kcore-shape.py: %s is not a 64-bit ELF file' % src)
	e = '<' if data[5] == 1 else '>'
	phoff, = struct.unpack_from(e + 'Q', data, 0x20)
	phnum, = struct.unpack_from(e + 'H', data, 0x38)
	loads, vmcoreinfo, pagesize = [], None, 65536
	for i in range(phnum):
		p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align = \
			struct.unpack_from(e + 'IIQQQQQQ', data, phoff + 56 * i)
		if p_type == PT_LOAD:
			loads.append((p_paddr, p_offset, p_filesz, p_memsz))
		elif p_type == PT_NOTE:
			pos, end = p_offset, p_offset + p_filesz
			while pos + 12 <= end:
				namesz, descsz, ntype = struct.unpack_from(e + 'III', data, pos)
				name = data[pos + 12:pos + 12 + namesz].rstrip(b'\0')
				desc = pos + 12 + (namesz + 3 & ~3)
				if name == b'VMCOREINFO':
					vmcoreinfo = data[desc:desc + descsz]
				pos = desc + (descsz + 3 & ~3)
	if vmcoreinfo is None:
		sys.exit('kcore-shape.py: %s has no VMCOREINFO note' % src)
	for line in vmcoreinfo.decode('ascii', 'replace').splitlines():
		if line.startswith('PAGESIZE='):
			pagesize = int(line.split('=', 1)[1])

	def note(name, ntype, desc):
		n = name + b'\0'
		return (struct.pack(e + 'III', len(n), len(desc), ntype) +
			n.ljust(len(n) + 3 & ~3, b'\0') + desc.ljust(len(desc) + 3 & ~3, b'\0'))

	prpsinfo = bytearray(136)
	prpsinfo[40:48] = b'vmlinux\0'
	notes = (note(b'CORE', NT_PRSTATUS, bytes(PRSTATUS_SIZE)) +
		 note(b'CORE', NT_PRPSINFO, bytes(prpsinfo)) +
		 note(b'CORE', NT_TASKSTRUCT, bytes(TASKSTRUCT_SIZE)) +
		 note(b'VMCOREINFO', 0, vmcoreinfo))
	# vmalloc, then every RAM range and its vmemmap (struct page of 64 bytes a pfn)
	segs = [(VMALLOC_START, 0xffffffffffffffff, VMALLOC_SIZE, VMALLOC_SIZE, None)]
	for paddr, off, filesz, memsz in loads:
		segs.append((PAGE_OFFSET | paddr, paddr, filesz, memsz, off))
	for paddr, off, filesz, memsz in loads:
		first = VMEMMAP_START + (paddr // pagesize) * 64
		last = VMEMMAP_START + ((paddr + memsz + pagesize - 1) // pagesize) * 64
		start = first & ~(pagesize - 1)
		size = (last - start + pagesize - 1) & ~(pagesize - 1)
		segs.append((start, 0xffffffffffffffff, size, size, None))
	nph = 1 + len(segs)
	hdr_len = 64 + 56 * nph
	data_offset = (hdr_len + len(notes) + pagesize - 1) & ~(pagesize - 1)
	ehdr = bytearray(data[:64])
	struct.pack_into(e + 'Q', ehdr, 0x20, 64)               # e_phoff
	struct.pack_into(e + 'Q', ehdr, 0x28, 0)                # e_shoff
	struct.pack_into(e + 'HHHHHH', ehdr, 0x34, 64, 56, nph, 64, 0, 0)
	ph = struct.pack(e + 'IIQQQQQQ', PT_NOTE, 0, hdr_len, 0, 0, len(notes), 0, 0)
	end = data_offset
	for vaddr, paddr, filesz, memsz, _ in segs:
		off = vaddr - PAGE_OFFSET + data_offset
		ph += struct.pack(e + 'IIQQQQQQ', PT_LOAD, 7, off, vaddr, paddr, filesz, memsz,
				  pagesize)
	with open(dst, 'wb') as f:
		f.write(bytes(ehdr) + ph + notes)
		for vaddr, paddr, filesz, memsz, srcoff in segs:
			if srcoff is None:
				continue
			off = vaddr - PAGE_OFFSET + data_offset
			f.seek(off)
			# only what the source holds: the rest stays a hole (zeros, as kcore
			# reads memory nobody wrote)
			chunk = data[srcoff:srcoff + filesz]
			step = 1 << 20
			for i in range(0, len(chunk), step):
				piece = chunk[i:i + step]
				if piece.count(0) == len(piece):
					continue
				f.seek(off + i)
				f.write(piece)
			end = max(end, off + filesz)
		f.truncate(end)


if __name__ == '__main__':
	main()
