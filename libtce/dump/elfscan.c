// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ELF dumps, before libkdumpfile sees them: their headers are checked with libelf (a
 * header that points outside the file makes libkdumpfile 0.5.1 read wild memory), and
 * their PT_LOADs noted with what the file really holds (libkdumpfile reads a file cut
 * short as zeros; we call that "not in the dump").
 */
#include "config.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump/dump-priv.h"

/* Notes a PT_LOAD: which part of its memory the file really holds. */
static void add_range(struct tce_dump *d, const GElf_Phdr *ph)
{
	struct tce_phys_range *r = &d->ranges[d->nranges++];
	uint64_t avail = ph->p_filesz;

	if (ph->p_offset >= d->file_size)
		avail = 0;
	else if (ph->p_offset + ph->p_filesz > d->file_size)
		avail = d->file_size - ph->p_offset;
	if (avail < ph->p_filesz) {
		d->truncated = true;
		d->truncated_bytes += ph->p_filesz - avail;
	}
	r->start = ph->p_paddr;
	r->size = ph->p_memsz;
	r->avail = avail;
	d->phys_bytes += avail;
	if (ph->p_paddr + ph->p_memsz > d->phys_end)
		d->phys_end = ph->p_paddr + ph->p_memsz;
}

/*
 * One pass over an ELF file's headers with libelf, before libkdumpfile sees it.
 * libkdumpfile 0.5.1 trusts ELF headers: a section header table or a note that lies
 * outside the file makes kdump_open_fd() read wild memory (found by mutating the real
 * sample), so such a file is refused with one line.  The same pass notes which physical
 * ranges the file really holds: libkdumpfile reads a file cut short as zeros.  PT_LOAD
 * data past the end is not an error, it is a truncated dump.  Not an ELF file: nothing
 * to do, reads are probed.
 */
int tce_elf_scan(struct tce_dump *d)
{
	unsigned char ident[EI_NIDENT];
	GElf_Ehdr eh;
	Elf *elf = NULL;
	size_t n, i;
	int ret = 0;

	if (pread(d->fd, ident, sizeof(ident), 0) != (ssize_t)sizeof(ident) ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0)
		return 0;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return tce_set_err(d, TCE_EIO, "libelf: %s", elf_errmsg(-1));
	if (ident[EI_CLASS] != ELFCLASS64)
		return tce_set_err(d, TCE_EUNSUPP, "%s: a 32-bit ELF file is not a ppc64 dump",
				   d->path);
	elf = elf_begin(d->fd, ELF_C_READ_MMAP, NULL);
	if (!elf || !gelf_getehdr(elf, &eh)) {
		ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt ELF header: %s", d->path,
				  elf_errmsg(-1));
		goto out;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > d->file_size ||
	    elf_getphdrnum(elf, &n) != 0 || (eh.e_phnum != PN_XNUM && n != eh.e_phnum) ||
	    n > (d->file_size - eh.e_phoff) / sizeof(Elf64_Phdr)) {
		ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt ELF header: the program "
				  "headers lie outside the file", d->path);
		goto out;
	}
	if ((eh.e_shoff || eh.e_shnum) &&
	    (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > d->file_size ||
	     (eh.e_shnum ? eh.e_shnum : 1) > (d->file_size - eh.e_shoff) / sizeof(Elf64_Shdr))) {
		ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt ELF header: the section "
				  "headers lie outside the file", d->path);
		goto out;
	}
	d->ranges = calloc(n ? n : 1, sizeof(*d->ranges));
	if (!d->ranges) {
		ret = tce_set_err(d, TCE_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;
		Elf_Data *data;
		GElf_Nhdr nh;
		size_t off = 0, name, desc, next;

		if (!gelf_getphdr(elf, i, &ph)) {
			ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt program header %zu",
					  d->path, i);
			goto out;
		}
		if (ph.p_offset + ph.p_filesz < ph.p_offset ||
		    ph.p_paddr + ph.p_memsz < ph.p_paddr ||
		    (ph.p_type == PT_LOAD && ph.p_filesz > ph.p_memsz)) {
			ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt program header %zu "
					  "(its ranges wrap or its file size exceeds its memory "
					  "size)", d->path, i);
			goto out;
		}
		if (ph.p_type == PT_LOAD && ph.p_memsz)
			add_range(d, &ph);
		if (ph.p_type != PT_NOTE)
			continue;
		if (ph.p_offset > d->file_size || ph.p_filesz > d->file_size - ph.p_offset) {
			ret = tce_set_err(d, TCE_EFORMAT, "%s: the notes (program header %zu) "
					  "lie outside the file", d->path, i);
			goto out;
		}
		data = elf_getdata_rawchunk(elf, ph.p_offset, ph.p_filesz, ELF_T_NHDR);
		if (!data && ph.p_filesz) {
			ret = tce_set_err(d, TCE_EFORMAT, "%s: unreadable notes: %s", d->path,
					  elf_errmsg(-1));
			goto out;
		}
		while (data && off < data->d_size) {
			next = gelf_getnote(data, off, &nh, &name, &desc);
			if (!next || next <= off) {
				ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt note at file "
						  "offset 0x%llx", d->path,
						  (unsigned long long)(ph.p_offset + off));
				goto out;
			}
			off = next;
		}
	}
out:
	if (elf)
		elf_end(elf);
	return ret;
}
