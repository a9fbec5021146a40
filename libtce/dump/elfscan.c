// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ELF dumps, before libkdumpfile sees them: their headers are checked with libelf (a
 * header that points outside the file makes libkdumpfile 0.5.1 read wild memory), and
 * their PT_LOADs noted with what the file really holds (libkdumpfile reads a file cut
 * short as zeros; we call that "not in the dump").
 */
#include "config.h"

#include <gelf.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump/dump-priv.h"

/* Notes a PT_LOAD: which part of its memory the file really holds. */
static void add_range(struct tce_dump *d, const GElf_Phdr *ph)
{
	struct tce_phys_range *r = &d->ranges[d->nranges];
	uint64_t avail = ph->p_filesz;

	d->range_off[d->nranges++] = ph->p_offset;

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
 * The ranges by physical address: d->range_sorted lists those whose file holds some of
 * their memory (avail > 0), in ascending order, for a binary search at every read
 * (tce_range_from()).  makedumpfile -E writes a PT_LOAD for each run of pages it kept:
 * tens of thousands on a big host, where a search from the first, at each block read,
 * made a check of the forge's 16M profile cut into 18,920 PT_LOADs 3.5x slower.
 * PT_LOADs that describe the same physical memory are refused: libkdumpfile reads
 * whichever it sorted first, which may be one whose data the file lacks; so no two
 * ranges overlap, and their ends ascend with their starts.
 */
struct range_key {
	uint64_t start;
	unsigned i;
};

static int cmp_key(const void *a, const void *b)
{
	const struct range_key *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int index_ranges(struct tce_dump *d)
{
	struct range_key *k;
	unsigned i, n = 0;

	k = malloc((d->nranges ? d->nranges : 1) * sizeof(*k));
	d->range_sorted = malloc((d->nranges ? d->nranges : 1) * sizeof(*d->range_sorted));
	if (!k || !d->range_sorted) {
		free(k);
		return tce_set_err(d, TCE_ENOMEM, "out of memory");
	}
	for (i = 0; i < d->nranges; i++)
		k[i] = (struct range_key){ .start = d->ranges[i].start, .i = i };
	qsort(k, d->nranges, sizeof(*k), cmp_key);
	for (i = 0; i < d->nranges; i++) {
		const struct tce_phys_range *r = &d->ranges[k[i].i];

		if (i && r->start - d->ranges[k[i - 1].i].start < d->ranges[k[i - 1].i].size) {
			tce_set_err(d, TCE_EFORMAT, "%s: corrupt ELF header: two PT_LOADs hold "
				    "physical 0x%llx (which one the file means is ambiguous)",
				    d->path, (unsigned long long)r->start);
			free(k);
			return -TCE_EFORMAT;
		}
		if (r->avail)
			d->range_sorted[n++] = k[i].i;
	}
	d->nsorted = n;
	free(k);
	return 0;
}

const struct tce_phys_range *tce_range_from(struct tce_dump *d, uint64_t phys)
{
	unsigned lo = 0, hi = d->nsorted;

	/* most reads fall in the range the last one did */
	if (d->range_hint < d->nsorted) {
		const struct tce_phys_range *r = &d->ranges[d->range_sorted[d->range_hint]];

		if (r->start <= phys && phys - r->start < r->avail)
			return r;
	}
	/* the first whose available part ends above phys */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		const struct tce_phys_range *r = &d->ranges[d->range_sorted[mid]];

		if (r->start > phys || phys - r->start < r->avail)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == d->nsorted)
		return NULL;
	d->range_hint = lo;
	return &d->ranges[d->range_sorted[lo]];
}

const struct tce_phys_range *tce_range_at(struct tce_dump *d, uint64_t phys)
{
	const struct tce_phys_range *r = tce_range_from(d, phys);

	return r && r->start <= phys ? r : NULL;
}

/*
 * The program and section header counts as libkdumpfile 0.5.1 takes them (init_elf64):
 * e_phnum, e_shnum, or from section 0 when e_phnum is PN_XNUM or e_shnum is 0 and
 * there is a section header table.  libelf may count differently (it says 0 program
 * headers for a PN_XNUM header without sections, where libkdumpfile reads 65535).
 */
static int lkf_counts(struct tce_dump *d, const GElf_Ehdr *eh, bool be, uint64_t *phnum,
		      uint64_t *shnum)
{
	unsigned char sh[sizeof(Elf64_Shdr)];

	*phnum = eh->e_phnum;
	*shnum = eh->e_shnum;
	if (!eh->e_shoff || (eh->e_shnum && eh->e_phnum != PN_XNUM))
		return 0;
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > d->file_size ||
	    d->file_size - eh->e_shoff < sizeof(sh) ||
	    pread(d->fd, sh, sizeof(sh), eh->e_shoff) != (ssize_t)sizeof(sh))
		return tce_set_err(d, TCE_EFORMAT, "%s: corrupt ELF header: the section "
				   "headers lie outside the file", d->path);
	if (!*shnum)
		*shnum = tce_get64(sh + offsetof(Elf64_Shdr, sh_size), be);
	if (*shnum && eh->e_phnum == PN_XNUM)
		*phnum = tce_get32(sh + offsetof(Elf64_Shdr, sh_info), be);
	return 0;
}

/*
 * QEMU 7.2's dump-guest-memory writes two sections: the null one and the section
 * names (SHT_STRTAB ".shstrtab", at the end of the file), nothing else.  It writes
 * their headers in its host's byte order, whatever the file's: a big-endian file made
 * on x86 has them little-endian (libelf reads them as the file says, garbage then).
 * Read so, the section header table is QEMU's all the same, but libkdumpfile 0.5.1
 * must not see it (it allocates what sh_size says: defect 9 in
 * doc/libkdumpfile-defects.md): d->qemu_shdr_swapped says so, and qemu.c reads such a
 * file itself.
 */
static bool qemu_sections(struct tce_dump *d, Elf *elf, const GElf_Ehdr *eh,
			  uint64_t shnum, bool be)
{
	Elf_Scn *scn = elf_getscn(elf, 1);
	unsigned char sh[sizeof(Elf64_Shdr)], names[64];
	uint64_t off, size, name;
	const char *s;
	GElf_Shdr gsh;

	if (shnum != 2 || eh->e_shstrndx != 1)
		return false;
	if (scn && gelf_getshdr(scn, &gsh) && gsh.sh_type == SHT_STRTAB &&
	    gsh.sh_size <= sizeof(names)) {
		s = elf_strptr(elf, 1, gsh.sh_name);
		if (s && !strcmp(s, ".shstrtab"))
			return true;
	}
	/* the other byte order: every field checked here, libelf having read garbage */
	if (tce_file_read(d, sh, sizeof(sh), eh->e_shoff + sizeof(sh))) {
		tce_clear_err(d);
		return false;
	}
	off = tce_get64(sh + offsetof(Elf64_Shdr, sh_offset), !be);
	size = tce_get64(sh + offsetof(Elf64_Shdr, sh_size), !be);
	name = tce_get32(sh + offsetof(Elf64_Shdr, sh_name), !be);
	if (tce_get32(sh + offsetof(Elf64_Shdr, sh_type), !be) != SHT_STRTAB ||
	    !size || size > sizeof(names) || off > d->file_size || size > d->file_size - off ||
	    name + sizeof(".shstrtab") > size)
		return false;
	if (tce_file_read(d, names, size, off)) {
		tce_clear_err(d);
		return false;
	}
	if (memcmp(names + name, ".shstrtab", sizeof(".shstrtab")))
		return false;
	d->qemu_shdr_swapped = true;
	return true;
}

/*
 * One pass over an ELF file's headers with libelf, before libkdumpfile sees it.
 * libkdumpfile 0.5.1 trusts ELF headers: program or section headers, or a note, that
 * lie outside the file make kdump_open_fd() read wild memory (found by mutating the
 * real sample), so such a file is refused with one line; so are section headers
 * (a vmcore has none; libkdumpfile would act on Xen sections' contents) and notes it
 * would act on without a bound (notescan.c).  The same pass notes which physical
 * ranges the file really holds: libkdumpfile reads a file cut short as zeros.
 * PT_LOAD data past the end is not an error, it is a truncated dump; two PT_LOADs
 * for the same memory are.  A PT_LOAD whose p_paddr is all ones describes kernel
 * virtual memory only (/proc/kcore's vmalloc and vmemmap segments): it is no physical
 * range, and reads never go through it (libtce translates kernel virtual addresses
 * itself and reads the physical pages).  Not an ELF file: nothing to do, reads are
 * probed.
 */
int tce_elf_scan(struct tce_dump *d)
{
	unsigned char ident[EI_NIDENT];
	GElf_Ehdr eh;
	Elf *elf = NULL;
	uint64_t phnum, shnum, pagesize;
	size_t n, i;
	bool be;
	int ret = 0;

	if (pread(d->fd, ident, sizeof(ident), 0) != (ssize_t)sizeof(ident) ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0)
		return 0;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return tce_set_err(d, TCE_EIO, "libelf: %s", elf_errmsg(-1));
	if (ident[EI_CLASS] != ELFCLASS64)
		return tce_set_err(d, TCE_EUNSUPP, "%s: a 32-bit ELF file is not a ppc64 dump",
				   d->path);
	be = ident[EI_DATA] == ELFDATA2MSB;
	elf = elf_begin(d->fd, ELF_C_READ_MMAP, NULL);
	if (!elf || !gelf_getehdr(elf, &eh)) {
		ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt ELF header: %s", d->path,
				  elf_errmsg(-1));
		goto out;
	}
	/* an executable or a library: say what the file is not, as dump.c does */
	if (eh.e_type != ET_CORE) {
		ret = tce_set_err(d, TCE_EFORMAT, "%s: not a vmcore (an ELF file, but no core "
				  "dump)", d->path);
		goto out;
	}
	ret = lkf_counts(d, &eh, be, &phnum, &shnum);
	if (ret)
		goto out;
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > d->file_size ||
	    phnum > (d->file_size - eh.e_phoff) / sizeof(Elf64_Phdr) ||
	    elf_getphdrnum(elf, &n) != 0 || n != phnum) {
		ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt ELF header: the program "
				  "headers lie outside the file", d->path);
		goto out;
	}
	if ((eh.e_shoff || shnum) &&
	    (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > d->file_size ||
	     (shnum ? shnum : 1) > (d->file_size - eh.e_shoff) / sizeof(Elf64_Shdr))) {
		ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt ELF header: the section "
				  "headers lie outside the file", d->path);
		goto out;
	}
	/* section 0 only carries the PN_XNUM counts; QEMU 7.2's dump-guest-memory adds
	 * its section names (qemu.c) */
	if (shnum > 1 && !qemu_sections(d, elf, &eh, shnum, be)) {
		ret = tce_set_err(d, TCE_EFORMAT, "%s: an ELF file with %llu sections: a "
				  "vmcore has none", d->path, (unsigned long long)shnum);
		goto out;
	}
	d->elf_machine = eh.e_machine;
	d->ranges = calloc(n ? n : 1, sizeof(*d->ranges));
	d->range_off = calloc(n ? n : 1, sizeof(*d->range_off));
	if (!d->ranges || !d->range_off) {
		ret = tce_set_err(d, TCE_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;
		Elf_Data *data;
		bool virt_only;

		if (!gelf_getphdr(elf, i, &ph)) {
			ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt program header %zu",
					  d->path, i);
			goto out;
		}
		/* /proc/kcore gives vmalloc and vmemmap by virtual address only:
		 * p_paddr all ones (fs/proc/kcore.c), as libkdumpfile takes it too */
		virt_only = ph.p_type == PT_LOAD && ph.p_paddr == UINT64_MAX;
		if (ph.p_offset + ph.p_filesz < ph.p_offset ||
		    (!virt_only && ph.p_paddr + ph.p_memsz < ph.p_paddr) ||
		    (ph.p_type == PT_LOAD && ph.p_filesz > ph.p_memsz)) {
			ret = tce_set_err(d, TCE_EFORMAT, "%s: corrupt program header %zu "
					  "(its ranges wrap or its file size exceeds its memory "
					  "size)", d->path, i);
			goto out;
		}
		if (virt_only)
			d->virt_segments++;
		else if (ph.p_type == PT_LOAD && ph.p_memsz)
			add_range(d, &ph);
		if (ph.p_type != PT_NOTE)
			continue;
		if (ph.p_offset > d->file_size || ph.p_filesz > d->file_size - ph.p_offset) {
			ret = tce_set_err(d, TCE_EFORMAT, "%s: the notes (program header %zu) "
					  "lie outside the file", d->path, i);
			goto out;
		}
		if (!ph.p_filesz)
			continue;
		data = elf_getdata_rawchunk(elf, ph.p_offset, ph.p_filesz, ELF_T_BYTE);
		if (!data) {
			ret = tce_set_err(d, TCE_EFORMAT, "%s: unreadable notes: %s", d->path,
					  elf_errmsg(-1));
			goto out;
		}
		ret = tce_notes_check(d, data->d_buf, data->d_size, be, ph.p_offset,
				      &pagesize);
		if (ret)
			goto out;
	}
	ret = index_ranges(d);
out:
	if (elf)
		elf_end(elf);
	return ret;
}

int tce_elf_read(struct tce_dump *d, uint64_t addr, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		const struct tce_phys_range *r = tce_range_at(d, addr);
		uint64_t in, chunk;
		int ret;

		/* avail: what the file holds of the range (add_range()) */
		if (!r)
			return -TCE_ENODATA;
		in = addr - r->start;
		chunk = r->avail - in;
		if (chunk > len)
			chunk = len;
		ret = tce_file_read(d, p, chunk, d->range_off[r - d->ranges] + in);
		if (ret) {
			tce_clear_err(d);
			return ret;
		}
		p += chunk;
		addr += chunk;
		len -= chunk;
	}
	return 0;
}
