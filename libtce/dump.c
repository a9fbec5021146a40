/*
 * The dump layer: the only file that opens dumps and reads their bytes.  It opens a
 * vmcore with libkdumpfile, refuses what is not ppc64 Linux, notes which physical ranges
 * an ELF file really holds (libkdumpfile reads a file cut short as zeros, so we compare
 * every PT_LOAD with the file size ourselves), and reads by physical or kernel virtual
 * address.  Kernel virtual addresses are translated by libkdumpfile's addrxlat system,
 * into which xlat.c installs our translations: one path for every read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "priv.h"

int tce_set_err(struct tce_dump *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (d) {
		va_start(ap, fmt);
		vsnprintf(d->err, sizeof(d->err), fmt, ap);
		va_end(ap);
	}
	return err > 0 ? -err : err;
}

const char *tce_errmsg(const struct tce_dump *d)
{
	return d ? d->err : "out of memory";
}

const char *tce_strerror(int err)
{
	static const char *const names[] = {
		[TCE_OK] = "ok",
		[TCE_ENOMEM] = "out of memory",
		[TCE_EIO] = "cannot read file",
		[TCE_EFORMAT] = "not a dump",
		[TCE_EUNSUPP] = "unsupported dump",
		[TCE_ENODATA] = "not in the dump",
		[TCE_ENOXLAT] = "no translation",
		[TCE_ENOENT] = "unknown",
		[TCE_ECORRUPT] = "corrupt dump",
		[TCE_EINVAL] = "invalid argument",
	};

	if (err < 0)
		err = -err;
	if ((size_t)err >= ARRAY_SIZE(names) || !names[err])
		return "unknown error";
	return names[err];
}

enum tce_byteorder tce_dump_byteorder(const struct tce_dump *d)
{
	return d->bo;
}

bool tce_phys_in_dump(struct tce_dump *d, uint64_t phys, uint64_t len)
{
	uint64_t end = phys + len, a;
	unsigned i;

	if (len == 0)
		return true;
	if (end < phys)
		return false;
	if (d->ranges) {
		/* every byte must be in some range's available part */
		while (phys < end) {
			bool found = false;

			for (i = 0; i < d->nranges; i++) {
				const struct phys_range *r = &d->ranges[i];

				if (phys >= r->start && phys < r->start + r->avail) {
					phys = r->start + r->avail;
					found = true;
					break;
				}
			}
			if (!found)
				return false;
		}
		return true;
	}
	/* other formats: probe one byte of every page */
	for (a = phys & ~(d->page_size - 1); a < end; a += d->page_size) {
		unsigned char b;
		size_t sz = 1;

		if (kdump_read(d->kd, KDUMP_KPHYSADDR, a < phys ? phys : a, &b, &sz) !=
		    KDUMP_OK)
			return false;
	}
	return true;
}

/* Notes a PT_LOAD: which part of its memory the file really holds. */
static void add_range(struct tce_dump *d, const GElf_Phdr *ph)
{
	struct phys_range *r = &d->ranges[d->nranges++];
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
static int scan_elf(struct tce_dump *d)
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
	    elf_getphdrnum(elf, &n) != 0 ||
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

static const char *kd_string(kdump_ctx_t *kd, const char *key)
{
	const char *s = NULL;

	if (kdump_get_string_attr(kd, key, &s) != KDUMP_OK)
		return NULL;
	return s;
}

static int check_ppc64_linux(struct tce_dump *d)
{
	kdump_attr_t attr;
	kdump_num_t num;
	int ret;

	d->format = kd_string(d->kd, "file.format");
	if (!d->format)
		d->format = "unknown";
	d->arch = kd_string(d->kd, "arch.name");
	if (!d->arch)
		return tce_set_err(d, TCE_EUNSUPP,
				   "%s: %s dump names no architecture (a QEMU kdump file? "
				   "make it with makedumpfile from an ELF dump)",
				   d->path, d->format);
	if (strcmp(d->arch, "ppc64") != 0)
		return tce_set_err(d, TCE_EUNSUPP, "%s: not a ppc64 dump (architecture %s)",
				   d->path, d->arch);
	if (kdump_get_number_attr(d->kd, "arch.byte_order", &num) != KDUMP_OK)
		return tce_set_err(d, TCE_EUNSUPP, "%s: byte order unknown: %s", d->path,
				   kdump_get_err(d->kd));
	d->bo = num == KDUMP_BIG_ENDIAN ? TCE_BE : TCE_LE;

	if (kdump_get_attr(d->kd, "linux.vmcoreinfo.raw", &attr) != KDUMP_OK ||
	    attr.type != KDUMP_BLOB)
		return tce_set_err(d, TCE_EUNSUPP,
				   "%s: no VMCOREINFO: not a Linux kernel dump, or a QEMU "
				   "dump-guest-memory file that still needs its VMCOREINFO note",
				   d->path);
	ret = tce_vmci_parse(d, kdump_blob_pin(attr.val.blob),
			     kdump_blob_size(attr.val.blob));
	kdump_blob_unpin(attr.val.blob);
	if (ret)
		return ret;
	if (!tce_vmcoreinfo(d, "OSRELEASE"))
		return tce_set_err(d, TCE_EUNSUPP,
				   "%s: VMCOREINFO has no OSRELEASE: not a Linux kernel dump",
				   d->path);

	/* PAGESIZE from VMCOREINFO is what the kernel used; libkdumpfile agrees or
	 * falls back to it */
	{
		const char *ps = tce_vmcoreinfo(d, "PAGESIZE");
		char *end;
		unsigned long long v = ps ? strtoull(ps, &end, 10) : 0;

		if (!ps || *end || (v != 4096 && v != 65536))
			return tce_set_err(d, TCE_EUNSUPP,
					   "%s: VMCOREINFO PAGESIZE=%s is not 4096 or 65536",
					   d->path, ps ? ps : "(missing)");
		d->page_size = v;
		d->page_shift = v == 4096 ? 12 : 16;
	}
	return 0;
}

int tce_dump_open_fd(int fd, const char *name, struct tce_dump **out)
{
	struct tce_dump *d;
	struct stat st;
	kdump_status ks;
	int ret;

	*out = d = calloc(1, sizeof(*d));
	if (!d)
		return -TCE_ENOMEM;
	d->fd = -1;
	d->path = strdup(name ? name : "(fd)");
	if (!d->path)
		return tce_set_err(d, TCE_ENOMEM, "out of memory");
	d->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (d->fd < 0)
		return tce_set_err(d, TCE_EIO, "%s: %s", d->path, strerror(errno));
	if (fstat(d->fd, &st) != 0)
		return tce_set_err(d, TCE_EIO, "%s: %s", d->path, strerror(errno));
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return tce_set_err(d, TCE_EIO, "%s: not a regular file", d->path);
	d->file_size = st.st_size;
	ret = scan_elf(d);
	if (ret)
		return ret;

	d->kd = kdump_new();
	if (!d->kd)
		return tce_set_err(d, TCE_ENOMEM, "cannot allocate a libkdumpfile context");
	ks = kdump_open_fd(d->kd, d->fd);
	if (ks != KDUMP_OK) {
		int err = ks == KDUMP_ERR_SYSTEM ? TCE_EIO : TCE_EFORMAT;

		return tce_set_err(d, err, "%s: not a dump libkdumpfile can open: %s",
				   d->path, kdump_get_err(d->kd));
	}
	ret = check_ppc64_linux(d);
	if (ret)
		return ret;
	ret = tce_xlat_install_direct(d);
	if (ret)
		return ret;
	d->err[0] = '\0';
	return 0;
}

int tce_dump_open(const char *path, struct tce_dump **out)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		struct tce_dump *d = calloc(1, sizeof(*d));

		*out = d;
		if (!d)
			return -TCE_ENOMEM;
		d->fd = -1;
		return tce_set_err(d, TCE_EIO, "%s: %s", path, strerror(errno));
	}
	ret = tce_dump_open_fd(fd, path, out);
	close(fd);
	return ret;
}

void tce_dump_close(struct tce_dump *d)
{
	if (!d)
		return;
	tce_vmemmap_free(d);
	tce_pgt_free(d);
	if (d->axsys)
		addrxlat_sys_decref(d->axsys);
	if (d->axctx)
		addrxlat_ctx_decref(d->axctx);
	if (d->kd)
		kdump_free(d->kd);
	if (d->fd >= 0)
		close(d->fd);
	tce_vmci_free(d);
	free(d->ranges);
	free(d->path);
	free(d);
}

int tce_kvtop(struct tce_dump *d, uint64_t kva, uint64_t *phys)
{
	addrxlat_fulladdr_t fa = { .addr = kva, .as = ADDRXLAT_KVADDR };
	addrxlat_status st;

	if (!d->axsys)
		return tce_set_err(d, TCE_ENOXLAT, "no translation system");
	st = addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, d->axctx, d->axsys);
	if (st != ADDRXLAT_OK) {
		int err = st == ADDRXLAT_ERR_NODATA ? TCE_ENODATA : TCE_ENOXLAT;

		tce_set_err(d, err, "0x%llx: %s", (unsigned long long)kva,
			    addrxlat_ctx_get_err(d->axctx));
		addrxlat_ctx_clear_err(d->axctx);
		return -err;
	}
	*phys = fa.addr;
	return 0;
}

static int read_phys(struct tce_dump *d, uint64_t addr, void *buf, size_t len)
{
	size_t got = len;
	kdump_status ks;

	if (d->ranges && !tce_phys_in_dump(d, addr, len))
		return tce_set_err(d, TCE_ENODATA, "physical 0x%llx+%zu is not in the dump",
				   (unsigned long long)addr, len);
	ks = kdump_read(d->kd, KDUMP_KPHYSADDR, addr, buf, &got);
	if (ks != KDUMP_OK || got != len) {
		int err = ks == KDUMP_ERR_SYSTEM ? TCE_EIO : TCE_ENODATA;

		tce_set_err(d, err, "physical 0x%llx+%zu is not in the dump: %s",
			    (unsigned long long)addr, len, kdump_get_err(d->kd));
		kdump_clear_err(d->kd);
		return -err;
	}
	return 0;
}

int tce_read(struct tce_dump *d, enum tce_addrspace as, uint64_t addr, void *buf,
	     size_t len)
{
	unsigned char *p = buf;

	if (as == TCE_PHYS)
		return read_phys(d, addr, buf, len);
	if (as != TCE_KVADDR)
		return tce_set_err(d, TCE_EINVAL, "bad address space %d", (int)as);
	/* translate page by page: a virtual range need not be physically contiguous */
	while (len) {
		uint64_t phys, chunk = d->page_size - (addr & (d->page_size - 1));
		int ret;

		if (chunk > len)
			chunk = len;
		ret = tce_kvtop(d, addr, &phys);
		if (ret)
			return ret;
		ret = read_phys(d, phys, p, chunk);
		if (ret)
			return ret;
		addr += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

int tce_read_u64(struct tce_dump *d, enum tce_addrspace as, uint64_t addr,
		 enum tce_byteorder bo, uint64_t *val)
{
	unsigned char b[8];
	int ret = tce_read(d, as, addr, b, sizeof(b));

	if (!ret)
		*val = tce_bo64(b, bo);
	return ret;
}

int tce_read_u32(struct tce_dump *d, enum tce_addrspace as, uint64_t addr,
		 enum tce_byteorder bo, uint32_t *val)
{
	unsigned char b[4];
	int ret = tce_read(d, as, addr, b, sizeof(b));

	if (!ret)
		*val = tce_bo32(b, bo);
	return ret;
}

int tce_dump_info(struct tce_dump *d, struct tce_dump_info *info)
{
	static const char *const page_keys[] = {
		"flags", "_refcount", "_mapcount", "compound_head",
	};
	static const char *const vmemmap_syms[] = {
		"vmemmap_list", "mmu_vmemmap_psize", "mmu_psize_defs",
	};
	uint64_t v;
	size_t i;

	memset(info, 0, sizeof(*info));
	info->path = d->path;
	info->format = d->format;
	info->arch = d->arch;
	info->release = tce_vmcoreinfo(d, "OSRELEASE");
	info->byte_order = d->bo;
	info->page_size = d->page_size;
	info->file_size = d->file_size;
	info->truncated = d->truncated;
	info->truncated_bytes = d->truncated_bytes;
	info->phys_bytes = d->phys_bytes;
	info->phys_end = d->phys_end;
	info->nranges = d->nranges;
	info->has_vmcoreinfo = d->nvmci > 0;
	info->vmcoreinfo_lines = d->nvmci;

	info->page_layout_known = tce_vmcoreinfo_size(d, "page", &v) == 0;
	for (i = 0; i < ARRAY_SIZE(page_keys); i++)
		if (tce_vmcoreinfo_offset(d, "page", page_keys[i], &v) != 0)
			info->page_layout_known = false;
	info->vmemmap_known = tce_vmcoreinfo_size(d, "vmemmap_backing", &v) == 0 &&
			      tce_vmcoreinfo_offset(d, "mmu_psize_def", "shift", &v) == 0;
	for (i = 0; i < ARRAY_SIZE(vmemmap_syms); i++)
		if (tce_vmcoreinfo_symbol(d, vmemmap_syms[i], &v) != 0)
			info->vmemmap_known = false;

	/* the MMU: radix maps the vmemmap in swapper_pg_dir, hash does not */
	info->mmu = TCE_MMU_UNKNOWN;
	if (d->vm_loaded && d->vm_status == 0)
		info->mmu = d->pgt_ok ? TCE_MMU_RADIX : TCE_MMU_HASH;
	return 0;
}
