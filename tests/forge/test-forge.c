// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Check suite for the forge: real libkdumpfile (and libelf as a second, independent
 * reader of the ELF structure) must read what the forge wrote, for both byte orders
 * and both page sizes; the kernel layer must behave like 6.1's init_64.c and radix
 * page tables; every fault and scenario must produce what it claims.  The 6.12 shape
 * (tcase kernel-6.12) is read back the same way against what 6.12's sources say:
 * VMCOREINFO's items and their order, no vmemmap_list on radix with the page tables
 * mapping every populated block, the zoo's page types and folios, mem_section.  It also pins
 * down what libkdumpfile itself does with vmemmap_list, because libtce's way of
 * opening dumps depends on it (see test_libkdumpfile_vmemmap_*).  The tcase
 * kallsyms-dwarf-tables decodes the kallsyms tables straight from the dump, checks the
 * vmlinux fk_dwarf_write() builds (build id against VMCOREINFO, symbol table, member
 * offsets in its DWARF read with libdw against the host compiler's offsetof() of the
 * same header; skipped with a message where no cross compiler is installed) and walks
 * the KVM and powernv tables through libkdumpfile against the scenarios' ground truth.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include "forge.h"
#include "scenario.h"

#include <check.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <libkdumpfile/kdumpfile.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINEAR 0xc000000000000000ULL

static char tmpdir[256];

/* An unchecked fixture runs in the runner itself: it cannot use ck_assert. */
static void make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/test-forge-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror(tmpdir);
		abort();
	}
}

static void remove_tmpdir(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static const char *tpath(const char *name)
{
	static char p[4][300];
	static int n;

	n = (n + 1) % 4;
	snprintf(p[n], sizeof(p[n]), "%s/%s-%d.vmcore", tmpdir, name, (int)getpid());
	return p[n];
}

/* The four machines every basic test runs on: _i bit 0 = BE, bit 1 = 4K pages. */
static struct fk_opts combo(int i)
{
	struct fk_opts o = {
		.endian = (i & 1) ? FORGE_BE : FORGE_LE,
		.page_shift = (i & 2) ? 12 : 16,
		.ram_bytes = 1ULL << 30,
	};
	return o;
}

static uint64_t dec(const uint8_t *b, unsigned n, enum forge_endian e)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)b[i] << (8 * (e == FORGE_LE ? i : n - 1 - i));
	return v;
}

static kdump_ctx_t *open_dump(const char *path, bool ostype)
{
	kdump_ctx_t *c = kdump_new();
	int fd = open(path, O_RDONLY);
	kdump_status st;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_ge(fd, 0);
	st = kdump_open_fd(c, fd);
	ck_assert_msg(st == KDUMP_OK, "kdump_open_fd(%s): %s", path, kdump_get_err(c));
	if (ostype) {
		st = kdump_set_string_attr(c, "addrxlat.ostype", "linux");
		ck_assert_msg(st == KDUMP_OK, "ostype: %s", kdump_get_err(c));
	}
	return c;
}

static void close_dump(kdump_ctx_t *c)
{
	kdump_free(c);
}

static kdump_status rd(kdump_ctx_t *c, kdump_addrspace_t as, uint64_t addr, void *buf,
		       size_t len)
{
	size_t got = len;
	kdump_status st = kdump_read(c, as, addr, buf, &got);

	if (st == KDUMP_OK && got != len)
		return KDUMP_ERR_EOF;
	return st;
}

static uint64_t rd64(kdump_ctx_t *c, kdump_addrspace_t as, uint64_t addr,
		     enum forge_endian e)
{
	uint8_t b[8];
	kdump_status st = rd(c, as, addr, b, 8);

	ck_assert_msg(st == KDUMP_OK, "read 0x%llx (as %d): %s",
		      (unsigned long long)addr, (int)as, kdump_get_err(c));
	return dec(b, 8, e);
}

static const char *str_attr(kdump_ctx_t *c, const char *key)
{
	const char *s = NULL;

	if (kdump_get_string_attr(c, key, &s) != KDUMP_OK)
		return NULL;
	return s;
}

static kdump_num_t num_attr(kdump_ctx_t *c, const char *key)
{
	kdump_attr_t a;

	ck_assert_msg(kdump_get_attr(c, key, &a) == KDUMP_OK, "%s: %s", key,
		      kdump_get_err(c));
	return a.val.number;
}

/* A VMCOREINFO line's value (static copy), or NULL if the dump has none. */
static const char *vline(kdump_ctx_t *c, const char *key)
{
	static char copy[4][256];
	static int n;
	char *v;

	if (kdump_vmcoreinfo_line(c, key, &v) != KDUMP_OK)
		return NULL;
	n = (n + 1) % 4;
	snprintf(copy[n], sizeof(copy[n]), "%s", v);
	free(v);
	return copy[n];
}

static struct fk *small_machine(const struct fk_opts *o, uint64_t npfns)
{
	struct fk *k = fk_new(o);

	ck_assert_ptr_nonnull(k);
	ck_assert_msg(!fk_vmemmap_populate(k, 0, npfns), "%s", forge_errmsg(fk_forge(k)));
	return k;
}

static void write_ok(struct fk *k, const char *path, const struct forge_write_opts *wo)
{
	ck_assert_msg(!fk_write_file(k, path, wo), "fk_write_file: %s",
		      forge_errmsg(fk_forge(k)));
}

/* ------------------------------------------------------------ libkdumpfile reads */

struct elf_view {
	int fd;
	Elf *e;
	GElf_Ehdr eh;
	size_t nph;
};

static void elf_open(struct elf_view *v, const char *path)
{
	elf_version(EV_CURRENT);
	v->fd = open(path, O_RDONLY);
	ck_assert_int_ge(v->fd, 0);
	v->e = elf_begin(v->fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(v->e);
	ck_assert_ptr_nonnull(gelf_getehdr(v->e, &v->eh));
	ck_assert_int_eq(elf_getphdrnum(v->e, &v->nph), 0);
}

static void elf_close(struct elf_view *v)
{
	elf_end(v->e);
	close(v->fd);
}

/* The VMCOREINFO note's text, read with libelf (a reader independent of the forge). */
static char *note_text(const char *path)
{
	struct elf_view v;
	GElf_Phdr ph;
	GElf_Nhdr nh;
	size_t name_off, desc_off;
	Elf_Data *d;
	char *text;

	elf_open(&v, path);
	ck_assert_ptr_nonnull(gelf_getphdr(v.e, 0, &ph));
	ck_assert_int_eq(ph.p_type, PT_NOTE);
	d = elf_getdata_rawchunk(v.e, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_ne(gelf_getnote(d, 0, &nh, &name_off, &desc_off), 0);
	text = strndup((const char *)d->d_buf + desc_off, nh.n_descsz);
	ck_assert_ptr_nonnull(text);
	elf_close(&v);
	return text;
}


START_TEST(test_open_attrs)
{
	struct fk_opts o = combo(_i);
	struct fk *k = small_machine(&o, 4096);
	const char *p = tpath("attrs");
	kdump_ctx_t *c;

	write_ok(k, p, NULL);
	c = open_dump(p, false);
	ck_assert_str_eq(str_attr(c, "file.format"), "elf");
	ck_assert_str_eq(str_attr(c, "arch.name"), "ppc64");
	ck_assert_int_eq(num_attr(c, "arch.byte_order"),
			 o.endian == FORGE_LE ? KDUMP_LITTLE_ENDIAN : KDUMP_BIG_ENDIAN);
	ck_assert_int_eq(num_attr(c, "arch.page_size"), 1ULL << o.page_shift);
	/* OSRELEASE is taken from VMCOREINFO at open, before any OS type is set */
	ck_assert_str_eq(str_attr(c, "linux.uts.release"), "6.1.0-forge");
	ck_assert_int_eq(kdump_set_string_attr(c, "addrxlat.ostype", "linux"), KDUMP_OK);
	/* setting the OS type reads init_uts_ns from the dump */
	ck_assert_str_eq(str_attr(c, "linux.uts.sysname"), "Linux");
	ck_assert_str_eq(str_attr(c, "linux.uts.machine"),
			 o.endian == FORGE_LE ? "ppc64le" : "ppc64");
	close_dump(c);
	fk_free(k);
}
END_TEST

START_TEST(test_vmcoreinfo)
{
	struct fk_opts o = combo(_i);
	struct fk *k = small_machine(&o, 4096);
	const char *p = tpath("vmci");
	char want[64];
	kdump_addr_t sym;
	kdump_ctx_t *c;

	write_ok(k, p, NULL);
	c = open_dump(p, true);
	snprintf(want, sizeof(want), "%llu", 1ULL << o.page_shift);
	ck_assert_str_eq(vline(c, "PAGESIZE"), want);
	/* SYMBOL values: lowercase hex, no 0x */
	snprintf(want, sizeof(want), "%llx", (unsigned long long)fk_symbol(k, "vmemmap_list"));
	ck_assert_str_eq(vline(c, "SYMBOL(vmemmap_list)"), want);
	ck_assert_int_eq(kdump_vmcoreinfo_symbol(c, "vmemmap_list", &sym), KDUMP_OK);
	ck_assert_uint_eq(sym, fk_symbol(k, "vmemmap_list"));
	ck_assert_int_eq(kdump_vmcoreinfo_symbol(c, "swapper_pg_dir", &sym), KDUMP_OK);
	ck_assert_uint_eq(sym, fk_symbol(k, "swapper_pg_dir"));
	{
		static const char *const lines[][2] = {
			{ "SIZE(page)", "64" }, { "OFFSET(page._refcount)", "52" },
			{ "OFFSET(page._mapcount)", "48" }, { "OFFSET(page.compound_head)", "8" },
			{ "OFFSET(page.compound_order)", "17" },
			{ "NUMBER(PG_head_mask)", "65536" }, { "NUMBER(PG_slab)", "9" },
			{ "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", "-129" },
			{ "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)", "-257" },
			{ "NUMBER(SECTION_SIZE_BITS)", "24" },
			{ "NUMBER(MAX_PHYSMEM_BITS)", "51" },
			{ "SIZE(vmemmap_backing)", "24" },
			{ "OFFSET(vmemmap_backing.list)", "0" },
			{ "OFFSET(vmemmap_backing.phys)", "8" },
			{ "OFFSET(vmemmap_backing.virt_addr)", "16" },
			{ "SIZE(mmu_psize_def)", "96" }, { "OFFSET(mmu_psize_def.shift)", "0" },
			{ "KERNELOFFSET", "0" }, { "OSRELEASE", "6.1.0-forge" },
		};
		size_t i;

		for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
			ck_assert_msg(vline(c, lines[i][0]), "%s missing", lines[i][0]);
			ck_assert_str_eq(vline(c, lines[i][0]), lines[i][1]);
		}
	}
	ck_assert_str_eq(vline(c, "CRASHTIME"), "1700000000");
	ck_assert_int_eq(kdump_vmcoreinfo_symbol(c, "mmu_vmemmap_psize", &sym), KDUMP_OK);
	/* mmu_psize_defs[mmu_vmemmap_psize].shift is the block shift */
	{
		uint8_t b[4];
		uint64_t defs, idx;

		ck_assert_int_eq(rd(c, KDUMP_KVADDR, sym, b, 4), KDUMP_OK);
		idx = dec(b, 4, o.endian);
		ck_assert_uint_eq(idx, 2); /* MMU_PAGE_64K */
		ck_assert_int_eq(kdump_vmcoreinfo_symbol(c, "mmu_psize_defs", &defs), KDUMP_OK);
		ck_assert_int_eq(rd(c, KDUMP_KVADDR, defs + 96 * idx, b, 4), KDUMP_OK);
		ck_assert_uint_eq(dec(b, 4, o.endian), 16);
	}
	close_dump(c);

	/* overrides replace, drop and append lines */
	ck_assert_int_eq(fk_vmcoreinfo_override(k, "SIZE(page)", "80"), 0);
	ck_assert_int_eq(fk_vmcoreinfo_override(k, "SYMBOL(vmemmap_list)", NULL), 0);
	ck_assert_int_eq(fk_vmcoreinfo_override(k, "NUMBER(FORGE_EXTRA)", "7"), 0);
	ck_assert_int_eq(forge_vmcoreinfo(fk_forge(k), "USER=%d", 3), 0);
	write_ok(k, p, NULL);
	write_ok(k, p, NULL); /* writing twice repeats nothing */
	c = open_dump(p, true);
	ck_assert_str_eq(vline(c, "SIZE(page)"), "80");
	ck_assert_ptr_null(vline(c, "SYMBOL(vmemmap_list)"));
	ck_assert_str_eq(vline(c, "NUMBER(FORGE_EXTRA)"), "7");
	ck_assert_str_eq(vline(c, "USER"), "3");
	close_dump(c);
	{
		char *text = note_text(p);

		ck_assert_ptr_nonnull(strstr(text, "USER=3\n"));
		ck_assert_ptr_null(strstr(strstr(text, "USER=3\n") + 1, "USER=3\n"));
		ck_assert_ptr_null(strstr(strstr(text, "OSRELEASE=") + 1, "OSRELEASE="));
		free(text);
	}
	fk_free(k);
}
END_TEST

START_TEST(test_reads)
{
	struct fk_opts o = combo(_i);
	struct fk *k = small_machine(&o, 4096);
	const struct fk_page_layout *l = fk_page_layout(k);
	const struct fk_page pg = { .flags = 0x0123456789abcdefULL, .refcount = 1025,
				    .mapcount = -129, .mapping = 0xc0000000deadbee0ULL,
				    .private_ = 5 };
	const char *p = tpath("reads");
	uint64_t phys, head;
	uint8_t raw[80], raw2[80];
	kdump_ctx_t *c;

	ck_assert_int_eq(fk_set_page(k, 100, &pg), 0);
	ck_assert_int_eq(fk_vmemmap_translate(k, fk_pfn_to_vmemmap(k, 100), &phys), 0);
	write_ok(k, p, NULL);
	c = open_dump(p, true);

	/* physical reads return what was written, in the dump's byte order */
	ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, phys, raw, l->size), KDUMP_OK);
	ck_assert_uint_eq(dec(raw + l->flags, 8, o.endian), pg.flags);
	ck_assert_uint_eq(dec(raw + l->refcount, 4, o.endian), 1025);
	ck_assert_uint_eq((uint32_t)dec(raw + l->mapcount, 4, o.endian), (uint32_t)-129);
	ck_assert_uint_eq(dec(raw + l->mapping, 8, o.endian), pg.mapping);
	ck_assert_uint_eq(dec(raw + l->private_, 8, o.endian), 5);
	/* the linear map reads the same bytes */
	ck_assert_int_eq(rd(c, KDUMP_KVADDR, fk_kva(phys), raw2, l->size), KDUMP_OK);
	ck_assert_mem_eq(raw, raw2, l->size);
	if (o.page_shift == 16) {
		/* KPHYSADDR goes through addrxlat, which 0.5.1 has for 64K only */
		ck_assert_int_eq(rd(c, KDUMP_KPHYSADDR, phys, raw2, l->size), KDUMP_OK);
		ck_assert_mem_eq(raw, raw2, l->size);
	}
	/* vmemmap_list's head is the newest entry */
	head = rd64(c, KDUMP_KVADDR, fk_symbol(k, "vmemmap_list"), o.endian);
	ck_assert_uint_eq(head, fk_kva(fk_vmemmap_entry_phys(k, fk_vmemmap_nentries(k) - 1)));
	/* a hole between PT_LOADs is not in the dump */
	ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, 0x1000, raw, 8), KDUMP_ERR_NODATA);
	close_dump(c);
	fk_free(k);
}
END_TEST

/* ------------------------------------------------------------ ELF structure (libelf) */

START_TEST(test_elf_layout)
{
	struct fk_opts o = combo(_i);
	struct fk *k = small_machine(&o, 4096);
	const char *p = tpath("elf");
	struct forge_write_opts wo = { 0 };
	struct elf_view v;
	GElf_Phdr ph;
	size_t i, nloads = 0;

	write_ok(k, p, NULL);
	elf_open(&v, p);
	ck_assert_int_eq(v.eh.e_ident[EI_CLASS], ELFCLASS64);
	ck_assert_int_eq(v.eh.e_ident[EI_DATA], o.endian == FORGE_LE ? ELFDATA2LSB : ELFDATA2MSB);
	ck_assert_int_eq(v.eh.e_type, ET_CORE);
	ck_assert_int_eq(v.eh.e_machine, EM_PPC64);
	ck_assert_uint_eq(v.eh.e_phoff, 64); /* makedumpfile needs them there */
	ck_assert_ptr_nonnull(gelf_getphdr(v.e, 0, &ph));
	ck_assert_int_eq(ph.p_type, PT_NOTE);
	{
		Elf_Data *d = elf_getdata_rawchunk(v.e, ph.p_offset, ph.p_filesz, ELF_T_NHDR);
		size_t name_off, desc_off, off;
		GElf_Nhdr nh;

		ck_assert_ptr_nonnull(d);
		off = gelf_getnote(d, 0, &nh, &name_off, &desc_off);
		ck_assert_uint_ne(off, 0);
		ck_assert_uint_eq(nh.n_type, 0);
		ck_assert_uint_eq(nh.n_namesz, 11);
		ck_assert_str_eq((const char *)d->d_buf + name_off, "VMCOREINFO");
		ck_assert_int_eq(strncmp((const char *)d->d_buf + desc_off, "OSRELEASE=", 10), 0);
		ck_assert_int_eq(((const char *)d->d_buf)[desc_off + nh.n_descsz - 1], '\n');
		ck_assert_uint_eq(gelf_getnote(d, off, &nh, &name_off, &desc_off), 0);
	}
	for (i = 1; i < v.nph; i++) {
		ck_assert_ptr_nonnull(gelf_getphdr(v.e, (int)i, &ph));
		ck_assert_int_eq(ph.p_type, PT_LOAD);
		ck_assert_uint_eq(ph.p_vaddr, LINEAR | ph.p_paddr);
		ck_assert_uint_eq(ph.p_filesz, ph.p_memsz);
		nloads++;
	}
	/* mem_section's roots, kernel data, and the backing taken top-down as one region */
	ck_assert_uint_eq(nloads, 3);
	elf_close(&v);

	wo.faults = FORGE_FAULT_VADDR_EQ_PADDR | FORGE_FAULT_MACHINE_X86_64;
	write_ok(k, p, &wo);
	elf_open(&v, p);
	ck_assert_int_eq(v.eh.e_machine, EM_X86_64);
	for (i = 1; i < v.nph; i++) {
		ck_assert_ptr_nonnull(gelf_getphdr(v.e, (int)i, &ph));
		ck_assert_uint_eq(ph.p_vaddr, ph.p_paddr);
	}
	elf_close(&v);

	wo.faults = FORGE_FAULT_NO_VMCOREINFO;
	write_ok(k, p, &wo);
	elf_open(&v, p);
	for (i = 0; i < v.nph; i++) {
		ck_assert_ptr_nonnull(gelf_getphdr(v.e, (int)i, &ph));
		ck_assert_int_eq(ph.p_type, PT_LOAD);
	}
	elf_close(&v);
	fk_free(k);
}
END_TEST

/* A 64 GiB+ machine in a file of a few MB: only kernel data and backing are there. */
START_TEST(test_sparse_big_machine)
{
	struct fk_opts o = { .endian = FORGE_BE, .page_shift = 16, .ram_bytes = 2ULL << 30 };
	struct fk *k = fk_new(&o);
	const char *p = tpath("sparse");
	uint64_t high = (96ULL << 30) >> 16, phys;
	const struct fk_page pg = { .refcount = 42, .mapcount = -1 };
	struct stat st;
	kdump_ctx_t *c;
	uint8_t b[4];

	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(fk_vmemmap_populate(k, 0, (2ULL << 30) >> 16), 0);
	ck_assert_int_eq(fk_vmemmap_populate(k, high, 16384), 0);
	ck_assert_int_eq(fk_set_page(k, high + 5, &pg), 0);
	ck_assert_int_eq(fk_vmemmap_translate(k, fk_pfn_to_vmemmap(k, high + 5), &phys), 0);
	write_ok(k, p, NULL);
	ck_assert_int_eq(stat(p, &st), 0);
	/* sparse: the file holds what the test wrote, kernel data and mem_section's
	 * roots (the root array of 2^27 sections alone is 256 KiB with 64K pages) */
	ck_assert_int_lt(st.st_size, 5 << 20);
	c = open_dump(p, false);
	ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, phys + fk_page_layout(k)->refcount, b, 4),
			 KDUMP_OK);
	ck_assert_uint_eq(dec(b, 4, FORGE_BE), 42);
	close_dump(c);
	fk_free(k);
}
END_TEST

/* ------------------------------------------------------------ faults */

START_TEST(test_fault_truncate)
{
	struct fk_opts o = combo(_i);
	struct fk *k = small_machine(&o, 4096);
	const char *p = tpath("trunc");
	struct forge_write_opts wo = { .truncate_bytes = 0x10000 };
	const struct fk_page pg = { .refcount = 9, .mapcount = -1 };
	uint64_t lost, kept;
	struct stat full, cut;
	kdump_ctx_t *c;
	uint8_t b[4];

	/* pfn 0's block is the highest backing, so the last bytes of the file */
	ck_assert_int_eq(fk_set_page(k, 0, &pg), 0);
	ck_assert_int_eq(fk_set_page(k, 1024, &pg), 0);
	ck_assert_int_eq(fk_vmemmap_translate(k, fk_pfn_to_vmemmap(k, 0), &lost), 0);
	ck_assert_int_eq(fk_vmemmap_translate(k, fk_pfn_to_vmemmap(k, 1024), &kept), 0);
	write_ok(k, p, NULL);
	ck_assert_int_eq(stat(p, &full), 0);
	write_ok(k, p, &wo);
	ck_assert_int_eq(stat(p, &cut), 0);
	ck_assert_int_eq(full.st_size - cut.st_size, 0x10000);

	c = open_dump(p, false);
	ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, kept + fk_page_layout(k)->refcount, b, 4),
			 KDUMP_OK);
	ck_assert_uint_eq(dec(b, 4, o.endian), 9);
	/* libkdumpfile 0.5.1 does not notice: past the end it reads zeros, "OK"
	 * (FIELD-NOTES §5) -- a reader must compare PT_LOADs with the file size */
	ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, lost + fk_page_layout(k)->refcount, b, 4),
			 KDUMP_OK);
	ck_assert_uint_eq(dec(b, 4, o.endian), 0);
	close_dump(c);

	wo.truncate_bytes = (uint64_t)full.st_size + 1;
	ck_assert_int_ne(fk_write_file(k, p, &wo), 0);
	fk_free(k);
}
END_TEST

START_TEST(test_fault_not_elf)
{
	struct fk_opts o = combo(0);
	struct fk *k = small_machine(&o, 1024);
	const struct forge_write_opts wo = { .faults = FORGE_FAULT_NOT_ELF };
	const char *p = tpath("garbage");
	kdump_ctx_t *c = kdump_new();
	int fd;

	write_ok(k, p, &wo);
	fd = open(p, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(kdump_open_fd(c, fd), KDUMP_ERR_NOTIMPL);
	kdump_free(c);
	fk_free(k);
}
END_TEST

START_TEST(test_fault_machine)
{
	struct fk_opts o = combo(0);
	struct fk *k = small_machine(&o, 1024);
	const struct forge_write_opts wo = { .faults = FORGE_FAULT_MACHINE_X86_64 };
	const char *p = tpath("x86");
	kdump_ctx_t *c;

	write_ok(k, p, &wo);
	c = open_dump(p, false);
	ck_assert_str_eq(str_attr(c, "arch.name"), "x86_64");
	close_dump(c);
	fk_free(k);
}
END_TEST

START_TEST(test_fault_no_vmcoreinfo)
{
	struct fk_opts o = combo(_i);
	struct fk *k = small_machine(&o, 1024);
	const struct forge_write_opts wo = { .faults = FORGE_FAULT_NO_VMCOREINFO };
	const char *p = tpath("novmci");
	kdump_ctx_t *c;

	write_ok(k, p, &wo);
	c = open_dump(p, true);
	ck_assert_str_eq(str_attr(c, "arch.name"), "ppc64");
	ck_assert_ptr_null(vline(c, "OSRELEASE"));
	ck_assert_ptr_null(str_attr(c, "linux.uts.release"));
	close_dump(c);
	fk_free(k);
}
END_TEST

START_TEST(test_fault_no_osrelease)
{
	struct fk_opts o = combo(_i);
	struct fk *k = small_machine(&o, 1024);
	const struct forge_write_opts wo = { .faults = FORGE_FAULT_NO_OSRELEASE };
	const char *p = tpath("noosrel");
	kdump_ctx_t *c;

	write_ok(k, p, &wo);
	c = open_dump(p, false);
	/* at open, nothing says Linux */
	ck_assert_ptr_null(str_attr(c, "linux.uts.release"));
	ck_assert_int_eq(kdump_set_string_attr(c, "addrxlat.ostype", "linux"), KDUMP_OK);
	ck_assert_ptr_null(vline(c, "OSRELEASE"));
	ck_assert_ptr_nonnull(vline(c, "PAGESIZE"));
	/* told it is Linux, libkdumpfile finds the release in init_uts_ns itself */
	ck_assert_str_eq(str_attr(c, "linux.uts.release"), "6.1.0-forge");
	close_dump(c);
	fk_free(k);
}
END_TEST

/* p_vaddr = p_paddr: linear reads then need libkdumpfile's own translation. */
START_TEST(test_fault_vaddr_eq_paddr)
{
	struct fk_opts o = combo(_i);
	struct fk *k = small_machine(&o, 1024);
	const struct forge_write_opts wo = { .faults = FORGE_FAULT_VADDR_EQ_PADDR };
	const char *p = tpath("qemu");
	uint64_t sym = fk_symbol(k, "vmemmap_list");
	kdump_ctx_t *c;
	uint8_t b[8];

	write_ok(k, p, &wo);
	c = open_dump(p, false);
	ck_assert_int_ne(rd(c, KDUMP_KVADDR, sym, b, 8), KDUMP_OK);
	ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, sym & ~LINEAR, b, 8), KDUMP_OK);
	ck_assert_int_eq(kdump_set_string_attr(c, "addrxlat.ostype", "linux"), KDUMP_OK);
	/* 0.5.1 translates the linear map for 64K pages only */
	if (o.page_shift == 16)
		ck_assert_int_eq(rd(c, KDUMP_KVADDR, sym, b, 8), KDUMP_OK);
	else
		ck_assert_int_ne(rd(c, KDUMP_KVADDR, sym, b, 8), KDUMP_OK);
	close_dump(c);
	fk_free(k);
}
END_TEST

/* ------------------------------------------------------------ kernel semantics */

/* Entry fields as the dump holds them, through libkdumpfile's linear map. */
static void entry_fields(kdump_ctx_t *c, uint64_t kva, enum forge_endian e, uint64_t *next,
			 uint64_t *phys, uint64_t *virt)
{
	*next = rd64(c, KDUMP_KVADDR, kva, e);
	*phys = rd64(c, KDUMP_KVADDR, kva + 8, e);
	*virt = rd64(c, KDUMP_KVADDR, kva + 16, e);
}

START_TEST(test_boot_list_descending)
{
	struct fk_opts o = combo(_i);
	const uint64_t npfns = 8192;
	struct fk *k = small_machine(&o, npfns);
	const uint64_t b = fk_vmemmap_block_size(k), base = fk_opts(k)->vmemmap_base;
	const char *p = tpath("boot");
	uint64_t e, next, phys, virt, prev = ~0ULL;
	const struct fk_page_layout *l = fk_page_layout(k);
	unsigned n = 0;
	kdump_ctx_t *c;
	uint8_t pg[64];

	write_ok(k, p, NULL);
	c = open_dump(p, false);
	e = rd64(c, KDUMP_KVADDR, fk_symbol(k, "vmemmap_list"), o.endian);
	while (e) {
		entry_fields(c, e, o.endian, &next, &phys, &virt);
		ck_assert_uint_lt(virt, prev);
		ck_assert_uint_eq(virt & (b - 1), 0);
		ck_assert_uint_eq(phys & (b - 1), 0);
		/* every struct page the kernel initialised: _refcount 1, _mapcount -1 */
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, phys, pg, 64), KDUMP_OK);
		ck_assert_uint_eq(dec(pg + l->refcount, 4, o.endian), 1);
		ck_assert_uint_eq((uint32_t)dec(pg + l->mapcount, 4, o.endian), 0xffffffffU);
		ck_assert_uint_eq(dec(pg + l->flags, 8, o.endian), 0);
		prev = virt;
		e = next;
		n++;
	}
	ck_assert_uint_eq(prev, base);
	ck_assert_uint_eq(n, npfns * 64 / b);
	ck_assert_int_eq(fk_vmemmap_nentries(k), (int)n);
	close_dump(c);
	fk_free(k);
}
END_TEST

/* vmemmap_list_free() / vmemmap_list_alloc(): LIFO reuse through the shared 'next'. */
START_TEST(test_hotplug_recycles)
{
	struct fk_opts o = combo(0);
	struct fk *k = small_machine(&o, 1024 * 4); /* 4 blocks of 64K */
	const uint64_t b = fk_vmemmap_block_size(k), base = fk_opts(k)->vmemmap_base;
	struct forge *f = fk_forge(k);
	uint64_t v, head;
	int i, e_low, e_high, again;

	/* hot-add 2 blocks (entries 4, 5), hot-remove them, hot-add them back */
	ck_assert_int_eq(fk_vmemmap_populate(k, 4096, 2048), 0);
	ck_assert_int_eq(fk_vmemmap_nentries(k), 6);
	e_low = 4;
	e_high = 5;
	ck_assert_int_eq(forge_get_u64(f, fk_vmemmap_entry_phys(k, e_low) + 16, &v), 0);
	ck_assert_uint_eq(v, base + 4 * b);
	ck_assert_int_eq(fk_vmemmap_depopulate(k, 4096, 2048), 0);
	/* unlinked: the head is entry 3 again, e_high's list field holds e_low (the
	 * free stack), e_low's the chunk pointer 'next' had before */
	ck_assert_int_eq(forge_get_u64(f, fk_symbol(k, "vmemmap_list") & ~LINEAR, &head), 0);
	ck_assert_uint_eq(head, fk_kva(fk_vmemmap_entry_phys(k, 3)));
	ck_assert_int_eq(forge_get_u64(f, fk_vmemmap_entry_phys(k, e_high), &v), 0);
	ck_assert_uint_eq(v, fk_kva(fk_vmemmap_entry_phys(k, e_low)));
	ck_assert_int_eq(forge_get_u64(f, fk_vmemmap_entry_phys(k, e_low), &v), 0);
	ck_assert_uint_eq(v, fk_kva(fk_vmemmap_entry_phys(k, 5)) + 24);
	/* re-add: the last freed (the higher block) is reused first, for the lower */
	again = fk_vmemmap_add(k, base + 4 * b, 0);
	ck_assert_int_eq(again, e_high);
	ck_assert_int_eq(fk_vmemmap_add(k, base + 5 * b, 0), e_low);
	ck_assert_int_eq(fk_vmemmap_nentries(k), 6);
	/* a new entry after the free stack is used up comes from the chunk again */
	ck_assert_int_eq(fk_vmemmap_add(k, base + 6 * b, 0), 6);
	ck_assert_uint_eq(fk_vmemmap_entry_phys(k, 6), fk_vmemmap_entry_phys(k, 5) + 24);
	for (i = 0; i < 7; i++)
		ck_assert_uint_ne(fk_vmemmap_entry_phys(k, i), 0);
	ck_assert_int_ne(fk_vmemmap_remove(k, base + 100 * b), 0);
	fk_free(k);
}
END_TEST

START_TEST(test_straddle_and_compound)
{
	struct fk_opts o = combo(_i);
	struct fk *k;
	const struct fk_page pg = { .flags = 0x11, .refcount = 3, .mapcount = 0,
				    .private_ = 0x1122334455667788ULL };
	struct fk_page back;
	uint64_t pfn, va, lo, hi, b;
	const struct fk_page_layout *l;
	const char *p = tpath("straddle");
	uint8_t img[56];
	kdump_ctx_t *c;

	o.struct_page_size = 56;
	k = small_machine(&o, 4096);
	l = fk_page_layout(k);
	b = fk_vmemmap_block_size(k);
	for (pfn = 0; (pfn * 56) % b + 56 <= b; pfn++)
		;
	ck_assert_int_eq(fk_set_page(k, pfn, &pg), 0);
	ck_assert_int_eq(fk_get_page(k, pfn, &back), 0);
	ck_assert_uint_eq(back.private_, pg.private_);
	ck_assert_int_eq(back.refcount, 3);
	va = fk_pfn_to_vmemmap(k, pfn);
	ck_assert_int_eq(fk_vmemmap_translate(k, va, &lo), 0);
	ck_assert_int_eq(fk_vmemmap_translate(k, (va | (b - 1)) + 1, &hi), 0);
	/* backing is top-down: the two parts are not adjacent in physical memory */
	ck_assert_uint_ne(hi, lo + (b - (va & (b - 1))));

	ck_assert_int_eq(fk_set_compound(k, 200, 3, 5), 0);
	write_ok(k, p, NULL);
	c = open_dump(p, false);
	{
		size_t first = b - (va & (b - 1));

		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, lo, img, first), KDUMP_OK);
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, hi, img + first, 56 - first),
				 KDUMP_OK);
		ck_assert_uint_eq(dec(img + l->private_, 8, o.endian), pg.private_);
		ck_assert_uint_eq(dec(img + l->refcount, 4, o.endian), 3);
	}
	{
		uint64_t ph, pt;

		ck_assert_int_eq(fk_vmemmap_translate(k, fk_pfn_to_vmemmap(k, 200), &ph), 0);
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, ph, img, 56), KDUMP_OK);
		ck_assert_uint_eq(dec(img + l->flags, 8, o.endian), 1ULL << FK_PG_HEAD);
		ck_assert_uint_eq(dec(img + l->refcount, 4, o.endian), 5);
		ck_assert_int_eq(fk_vmemmap_translate(k, fk_pfn_to_vmemmap(k, 201), &pt), 0);
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, pt, img, 56), KDUMP_OK);
		ck_assert_uint_eq(dec(img + l->compound_head, 8, o.endian),
				  fk_pfn_to_vmemmap(k, 200) | 1);
		ck_assert_uint_eq(img[l->compound_order], 3);
		ck_assert_uint_eq(img[l->compound_dtor], 1);
		ck_assert_uint_eq(dec(img + l->compound_nr, 4, o.endian), 8);
		ck_assert_uint_eq(dec(img + l->refcount, 4, o.endian), 0);
		ck_assert_int_eq(fk_vmemmap_translate(k, fk_pfn_to_vmemmap(k, 207), &pt), 0);
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, pt, img, 56), KDUMP_OK);
		ck_assert_uint_eq(dec(img + l->compound_head, 8, o.endian),
				  fk_pfn_to_vmemmap(k, 200) | 1);
		ck_assert_int_eq(fk_vmemmap_translate(k, fk_pfn_to_vmemmap(k, 208), &pt), 0);
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, pt, img, 56), KDUMP_OK);
		ck_assert_uint_eq(dec(img + l->compound_head, 8, o.endian), 0);
	}
	close_dump(c);
	/* no entry backs pfns past the populated range */
	ck_assert_int_ne(fk_set_page(k, 1ULL << 30, &pg), 0);
	fk_free(k);
}
END_TEST

/* ------------------------------------------------------------ radix page tables */

/* A walk written from the kernel's definitions (pgtable.h, radix*.h), not fk.c's. */
static int radix_walk(kdump_ctx_t *c, uint64_t pgd, unsigned page_shift, uint64_t ea,
		      uint64_t *pa, int *leaf_level)
{
	const unsigned bits[4] = { 13, 9, 9, page_shift == 16 ? 5 : 9 };
	unsigned shift[4];
	uint64_t table = pgd;
	int level;

	shift[3] = page_shift;
	shift[2] = shift[3] + bits[3];
	shift[1] = shift[2] + bits[2];
	shift[0] = shift[1] + bits[1];
	for (level = 0; level < 4; level++) {
		uint64_t idx = (ea >> shift[level]) & ((1ULL << bits[level]) - 1), ent;
		uint8_t b[8];

		if (rd(c, KDUMP_MACHPHYSADDR, table + 8 * idx, b, 8) != KDUMP_OK)
			return -1;
		ent = dec(b, 8, FORGE_BE); /* always big-endian */
		if (!(ent & 0x8000000000000000ULL))
			return -1;
		if (ent & 0x4000000000000000ULL) {
			uint64_t rpn = ent & 0x001ffffffffff000ULL & ~((1ULL << page_shift) - 1);

			ck_assert_uint_eq(ent & 0x18e, 0x18e); /* ACCESSED|DIRTY|PRIV|RW */
			*pa = rpn + (ea & ((1ULL << shift[level]) - 1));
			*leaf_level = level;
			return 0;
		}
		ck_assert_int_lt(level, 3);
		/* NLS: the next level's index bits */
		ck_assert_uint_eq(ent & 0x1f, bits[level + 1]);
		table = ent & 0x0fffffffffffff00ULL;
		ck_assert_uint_eq(table & ((8ULL << bits[level + 1]) - 1), 0);
	}
	return -1;
}

START_TEST(test_radix_tables)
{
	struct fk_opts o = combo(_i);
	struct fk *k;
	const char *p = tpath("radix");
	uint64_t pfns[] = { 0, 1, 4095, 20000, 40000, 65535 }, pa, want, pgd;
	kdump_ctx_t *c;
	size_t i;
	int leaf;

	o.radix = true;
	o.ram_bytes = 4ULL << 30;
	k = small_machine(&o, 65536);
	ck_assert_uint_eq(fk_vmemmap_block_size(k), 2 << 20);
	write_ok(k, p, NULL);
	c = open_dump(p, false);
	pgd = fk_symbol(k, "swapper_pg_dir") & ~LINEAR;
	ck_assert_uint_eq(pgd & 0xffff, 0);
	for (i = 0; i < sizeof(pfns) / sizeof(pfns[0]); i++) {
		uint64_t va = fk_pfn_to_vmemmap(k, pfns[i]);

		ck_assert_int_eq(fk_vmemmap_translate(k, va, &want), 0);
		ck_assert_int_eq(radix_walk(c, pgd, o.page_shift, va, &pa, &leaf), 0);
		ck_assert_uint_eq(pa, want);
		ck_assert_int_eq(leaf, 2); /* 2M blocks are PMD leaves */
	}
	/* the linear map, in 1G PUD leaves */
	ck_assert_int_eq(radix_walk(c, pgd, o.page_shift, LINEAR | 0x12345678, &pa, &leaf), 0);
	ck_assert_uint_eq(pa, 0x12345678);
	ck_assert_int_eq(leaf, 1);
	/* unmapped vmemmap is not present */
	ck_assert_int_ne(radix_walk(c, pgd, o.page_shift, fk_pfn_to_vmemmap(k, 1 << 24), &pa,
				    &leaf), 0);
	close_dump(c);

	/* remap one block in the page tables only: list and tables now disagree */
	{
		uint64_t va = fk_pfn_to_vmemmap(k, 40000) & ~((2ULL << 20) - 1);
		uint64_t other = fk_alloc(k, 2 << 20, 2 << 20);

		ck_assert_uint_ne(other, 0);
		ck_assert_int_eq(fk_pgtable_remap(k, va, other), 0);
		write_ok(k, p, NULL); /* rebuilt at write, remap kept */
		c = open_dump(p, false);
		ck_assert_int_eq(radix_walk(c, pgd, o.page_shift, va + 0x40, &pa, &leaf), 0);
		ck_assert_uint_eq(pa, other + 0x40);
		ck_assert_int_eq(fk_vmemmap_translate(k, va + 0x40, &want), 0);
		ck_assert_uint_ne(pa, want);
		close_dump(c);
	}
	fk_free(k);
}
END_TEST

/* 64K blocks under radix are mapped with base-page PTEs. */
START_TEST(test_radix_small_blocks)
{
	struct fk_opts o = combo(_i);
	struct fk *k;
	const char *p = tpath("radix64k");
	uint64_t pa, want, va;
	kdump_ctx_t *c;
	int leaf;

	o.radix = true;
	o.vmemmap_shift = 16;
	k = small_machine(&o, 4096);
	write_ok(k, p, NULL);
	c = open_dump(p, false);
	va = fk_pfn_to_vmemmap(k, 3000) + 8;
	ck_assert_int_eq(fk_vmemmap_translate(k, va, &want), 0);
	ck_assert_int_eq(radix_walk(c, fk_symbol(k, "swapper_pg_dir") & ~LINEAR, o.page_shift,
				    va, &pa, &leaf), 0);
	ck_assert_uint_eq(pa, want);
	ck_assert_int_eq(leaf, 3);
	close_dump(c);
	fk_free(k);
}
END_TEST

/* ------------------------------------------------------------ scenarios */

static const struct fk_opts scenario_opts[] = {
	{ .endian = FORGE_LE, .page_shift = 16 },
	{ .endian = FORGE_BE, .page_shift = 16 },
	{ .endian = FORGE_LE, .page_shift = 12 },
	{ .endian = FORGE_BE, .page_shift = 12, .struct_page_size = 80 },
	{ .endian = FORGE_LE, .page_shift = 16, .radix = true },
	{ .endian = FORGE_BE, .page_shift = 12, .radix = true },
};
#define NSCENARIO_OPTS (sizeof(scenario_opts) / sizeof(scenario_opts[0]))

/* Walks the list through libkdumpfile, at most max entries. */
static unsigned walk(kdump_ctx_t *c, const struct forge_scenario_result *r,
		     enum forge_endian e, uint64_t *virts, unsigned max, kdump_status *end)
{
	uint64_t kva = rd64(c, KDUMP_KVADDR, forge_scenario_fact(r, "vmemmap_list", 0), e);
	unsigned n = 0;
	uint8_t b[8];

	*end = KDUMP_OK;
	while (kva && n < max) {
		*end = rd(c, KDUMP_KVADDR, kva + 16, b, 8);
		if (*end != KDUMP_OK)
			break;
		virts[n++] = dec(b, 8, e);
		*end = rd(c, KDUMP_KVADDR, kva, b, 8);
		if (*end != KDUMP_OK)
			break;
		kva = dec(b, 8, e);
	}
	return n;
}

START_TEST(test_scenarios)
{
	unsigned si = (unsigned)_i / NSCENARIO_OPTS;
	const struct fk_opts *o = &scenario_opts[_i % NSCENARIO_OPTS];
	const char *name = forge_scenario_name(si);
	struct forge_scenario_result r;
	uint64_t virts[256];
	kdump_status end;
	char err[512];
	const char *p = tpath(name);
	struct stat st;
	kdump_ctx_t *c;
	unsigned n;

	ck_assert_msg(!forge_scenario_write(name, o, p, &r, err, sizeof(err)), "%s: %s",
		      name, err);
	ck_assert_int_eq(stat(p, &st), 0);
	/* 4 MiB of it is mem_section's root array with 4K pages */
	ck_assert_int_lt(st.st_size, 20 << 20);
	if (!strcmp(name, "garbage")) {
		forge_scenario_release(&r);
		return;
	}
	c = open_dump(p, false);
	if (!strcmp(name, "not-ppc64")) {
		ck_assert_str_eq(str_attr(c, "arch.name"), "x86_64");
		goto out;
	}
	ck_assert_str_eq(str_attr(c, "arch.name"), "ppc64");
	if (!strcmp(name, "no-vmcoreinfo") || !strcmp(name, "not-linux")) {
		ck_assert_ptr_null(str_attr(c, "linux.uts.release"));
		goto out;
	}
	if (!strcmp(name, "qemu-vaddr"))
		goto out;
	n = walk(c, &r, o->endian, virts, 256, &end);
	if (!strcmp(name, "cycle")) {
		/* the walk never ends by itself: the bound stops it */
		ck_assert_uint_eq(n, 256);
		ck_assert_uint_eq(virts[forge_scenario_fact(&r, "list.distinct", 0)],
				  virts[forge_scenario_fact(&r, "cycle.to_pos", 0)]);
	} else if (!strcmp(name, "truncated")) {
		ck_assert_uint_eq(n, forge_scenario_fact(&r, "truncated.pos", 0) + 1);
		ck_assert_int_ne(end, KDUMP_OK);
	} else {
		ck_assert_int_eq(end, KDUMP_OK);
		ck_assert_uint_eq(n, forge_scenario_fact(&r, "list.len", 0));
	}
	if (!strcmp(name, "hotplug")) {
		unsigned pos = (unsigned)forge_scenario_fact(&r, "inversion.pos", 0), i;

		for (i = 1; i < n; i++)
			ck_assert_msg((virts[i] > virts[i - 1]) == (i == pos),
				      "order at %u (inversion expected at %u)", i, pos);
	}
	if (!strcmp(name, "clean") || !strcmp(name, "hotplug")) {
		/* the zoo, read the way a tool must: pfn -> vmemmap -> list -> phys */
		const struct fk_page_layout *l = fk_page_layout(r.k);
		uint64_t phys;
		uint8_t b[4];

		ck_assert_int_eq(fk_vmemmap_translate(r.k, fk_pfn_to_vmemmap(r.k,
				 forge_scenario_fact(&r, "pfn.pinned", 0)), &phys), 0);
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, phys + l->refcount, b, 4), KDUMP_OK);
		ck_assert_uint_eq(dec(b, 4, o->endian), FORGE_ZOO_PINNED_REFCOUNT);
		ck_assert_int_eq(fk_vmemmap_translate(r.k, fk_pfn_to_vmemmap(r.k,
				 forge_scenario_fact(&r, "pfn.buddy", 0)), &phys), 0);
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, phys + l->mapcount, b, 4), KDUMP_OK);
		ck_assert_uint_eq((uint32_t)dec(b, 4, o->endian), (uint32_t)-129);
	}
	if (!strcmp(name, "backing-outside")) {
		uint8_t b[8];

		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR,
				    forge_scenario_fact(&r, "outside.phys", 0), b, 8),
				 KDUMP_ERR_NODATA);
	}
	if (!strcmp(name, "straddle"))
		ck_assert_uint_ne(forge_scenario_fact(&r, "block_size", 0) %
				  forge_scenario_fact(&r, "struct_page_size", 0), 0);
	if (!strcmp(name, "truncated-file")) {
		uint8_t b[8];

		ck_assert_uint_eq(forge_scenario_fact(&r, "truncate_bytes", 0),
				  forge_scenario_fact(&r, "block_size", 1));
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, forge_scenario_fact(&r, "lost.phys", 0),
				    b, 8), KDUMP_OK);
	}
	if (!strcmp(name, "pgtable-mismatch")) {
		uint64_t pa;
		int leaf;

		ck_assert_int_eq(radix_walk(c, forge_scenario_fact(&r, "swapper_pg_dir", 0) &
					    ~LINEAR, o->page_shift,
					    forge_scenario_fact(&r, "mismatch.virt", 0), &pa, &leaf),
				 0);
		ck_assert_uint_eq(pa, forge_scenario_fact(&r, "mismatch.pgtable_phys", 0));
		ck_assert_uint_ne(pa, forge_scenario_fact(&r, "mismatch.list_phys", 0));
	}
out:
	close_dump(c);
	forge_scenario_release(&r);
	unlink(p);
}
END_TEST

/* ------------------------------------------------------------ libkdumpfile itself */

/*
 * Runs fn in a child with a deadline: returns its exit status, or -1 if it had to be
 * killed (it hung).  A hang inside libkdumpfile cannot be interrupted otherwise.
 */
static int with_deadline(int (*fn)(const char *), const char *arg, unsigned seconds)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (!pid) {
		alarm(seconds);
		_exit(fn(arg));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		return -1;
	ck_assert_msg(WIFEXITED(status), "child died of signal %d", WTERMSIG(status));
	return WEXITSTATUS(status);
}

/*
 * Opens, sets the OS type and asks for the translation system (which makes
 * libkdumpfile build it, walking vmemmap_list where it can); exit 10 + the kind of
 * the VMEMMAP method it built, or 1..9 on errors.
 */
static int open_and_translate(const char *path)
{
	kdump_ctx_t *c = kdump_new();
	addrxlat_ctx_t *axc;
	addrxlat_sys_t *axs;
	int fd = open(path, O_RDONLY), kind;
	const char *clear = getenv("FORGE_TEST_CLEAR");

	if (fd < 0 || kdump_open_fd(c, fd) != KDUMP_OK)
		return 1;
	if (clear && kdump_clear_attr(c, clear) != KDUMP_OK)
		return 2;
	if (kdump_set_string_attr(c, "addrxlat.ostype", "linux") != KDUMP_OK)
		return 3;
	if (kdump_get_addrxlat(c, &axc, &axs) != KDUMP_OK)
		return 4;
	kind = addrxlat_sys_get_meth(axs, ADDRXLAT_SYS_METH_VMEMMAP)->kind;
	addrxlat_ctx_decref(axc);
	addrxlat_sys_decref(axs);
	kdump_free(c);
	return 10 + kind;
}

static void write_scenario(const char *name, const char *path)
{
	const struct fk_opts o = { .endian = FORGE_LE, .page_shift = 16 };
	struct forge_scenario_result r;
	char err[512];

	ck_assert_msg(!forge_scenario_write(name, &o, path, &r, err, sizeof(err)), "%s", err);
	forge_scenario_release(&r);
}

/*
 * What libkdumpfile does with vmemmap_list (src/addrxlat/ppc64.c, get_vmemmap_param):
 * nothing at open or when the OS type is set; it walks the list when it first builds
 * its translation system (kdump_get_addrxlat, a KPHYSADDR read of an ELF dump, a
 * KVADDR read outside the PT_LOADs' p_vaddr), with no bound and no cycle check.
 * Up to 0.5.3 the walk never happens: its OFFSET() callback looks up the struct name
 * twice (fixed by "kdumpfile: Fix the sym_offsetof callback", in 0.5.4), so
 * OFFSET(vmemmap_backing.list) is "missing" and the method silently stays NOMETH.
 * From 0.5.4 on, a cyclic list makes that first translation loop forever.
 */
START_TEST(test_libkdumpfile_vmemmap_clean)
{
	const char *p = tpath("lkdf-clean");
	int ret;

	write_scenario("clean", p);
	unsetenv("FORGE_TEST_CLEAR");
	ret = with_deadline(open_and_translate, p, 20);
#if KDUMPFILE_VERSION < KDUMPFILE_MKVER(0, 5, 4)
	ck_assert_int_eq(ret, 10 + ADDRXLAT_NOMETH);
#else
	ck_assert_int_eq(ret, 10 + ADDRXLAT_LOOKUP);
#endif
}
END_TEST

START_TEST(test_libkdumpfile_vmemmap_cycle)
{
	const char *p = tpath("lkdf-cycle");
	int ret;

	write_scenario("cycle", p);
	unsetenv("FORGE_TEST_CLEAR");
	ret = with_deadline(open_and_translate, p, 10);
#if KDUMPFILE_VERSION < KDUMPFILE_MKVER(0, 5, 4)
	ck_assert_int_eq(ret, 10 + ADDRXLAT_NOMETH);
#else
	ck_assert_int_eq(ret, -1); /* hangs */
#endif
	/* the way round for any version: without SYMBOL(vmemmap_list) there is no walk */
	setenv("FORGE_TEST_CLEAR", "linux.vmcoreinfo.SYMBOL.vmemmap_list", 1);
	ret = with_deadline(open_and_translate, p, 10);
	unsetenv("FORGE_TEST_CLEAR");
	ck_assert_int_eq(ret, 10 + ADDRXLAT_NOMETH);
}
END_TEST

START_TEST(test_libkdumpfile_vmemmap_truncated)
{
	const char *p = tpath("lkdf-trunc");
	int ret;

	/* a next pointer into memory the dump lacks is "no data": method dropped */
	write_scenario("truncated", p);
	ret = with_deadline(open_and_translate, p, 10);
	ck_assert_int_eq(ret, 10 + ADDRXLAT_NOMETH);
}
END_TEST

/* Limits of 0.5.1's ppc64 translation that libtce has to live with. */
START_TEST(test_libkdumpfile_limits)
{
	struct fk_opts o = combo(_i);
	struct fk *k = small_machine(&o, 1024);
	const char *p = tpath("limits");
	uint64_t phys;
	kdump_ctx_t *c;
	uint8_t b[8];

	ck_assert_int_eq(fk_vmemmap_translate(k, fk_pfn_to_vmemmap(k, 7), &phys), 0);
	write_ok(k, p, NULL);
	c = open_dump(p, false);
	/* an ELF dump reads MACHPHYSADDR and KVADDR (p_vaddr) directly ... */
	ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, phys, b, 8), KDUMP_OK);
	ck_assert_int_eq(rd(c, KDUMP_KVADDR, fk_kva(phys), b, 8), KDUMP_OK);
	/* ... but KPHYSADDR needs the translation system, hence the OS type */
	ck_assert_int_ne(rd(c, KDUMP_KPHYSADDR, phys, b, 8), KDUMP_OK);
	ck_assert_int_eq(kdump_set_string_attr(c, "addrxlat.ostype", "linux"), KDUMP_OK);
#if KDUMPFILE_VERSION <= KDUMPFILE_MKVER(0, 5, 4)
	/* ppc64 translation exists for 64K pages only ("Unsupported page shift") */
	if (o.page_shift == 16)
		ck_assert_int_eq(rd(c, KDUMP_KPHYSADDR, phys, b, 8), KDUMP_OK);
	else
		ck_assert_int_ne(rd(c, KDUMP_KPHYSADDR, phys, b, 8), KDUMP_OK);
	/* and no vmemmap address translates (its layout is pre-4.x) */
	ck_assert_int_ne(rd(c, KDUMP_KVADDR, fk_pfn_to_vmemmap(k, 7), b, 8), KDUMP_OK);
#endif
	close_dump(c);
	fk_free(k);
}
END_TEST

/* ------------------------------------------------------------ low layer */

START_TEST(test_low_layer)
{
	struct forge *f = forge_new(FORGE_BE);
	uint64_t v;
	uint8_t b[4];

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(forge_add_ram(f, 0x100000, 0x10000), 0);
	ck_assert_int_ne(forge_add_ram(f, 0x108000, 0x10000), 0); /* overlap */
	ck_assert_ptr_nonnull(strstr(forge_errmsg(f), "overlaps"));
	ck_assert_int_eq(forge_add_ram(f, 0x110000, 0x10000), 0);  /* adjacent: 2 loads */
	ck_assert(forge_is_ram(f, 0x10fff0, 0x20));
	ck_assert(!forge_is_ram(f, 0x11fff0, 0x20));
	ck_assert_int_eq(forge_put_u64(f, 0x10fffc, 0x0102030405060708ULL), 0); /* spans */
	ck_assert_int_eq(forge_get_u64(f, 0x10fffc, &v), 0);
	ck_assert_uint_eq(v, 0x0102030405060708ULL);
	ck_assert_int_eq(forge_read(f, 0x10fffc, b, 4), 0);
	ck_assert_uint_eq(b[0], 1); /* big-endian */
	ck_assert_int_eq(forge_put_u16(f, 0x100000, 0xabcd), 0);
	ck_assert_int_eq(forge_put_u8(f, 0x100002, 0xef), 0);
	ck_assert_int_eq(forge_put_u32(f, 0x100004, 0x11223344), 0);
	ck_assert_int_eq(forge_read(f, 0x100000, b, 4), 0);
	ck_assert_uint_eq(b[0], 0xab);
	ck_assert_uint_eq(b[2], 0xef);
	ck_assert_int_ne(forge_put_u64(f, 0x200000, 1), 0);
	ck_assert_int_ne(forge_get_u64(f, 0x11fffc, &v), 0);
	ck_assert_int_ne(forge_vmcoreinfo(f, "A=1\nB=2"), 0);
	ck_assert_int_eq(forge_endian(f), FORGE_BE);
	forge_free(f);
}
END_TEST

/* ------------------------------------------------------------ the 6.12 shape */

/* The machines the 6.12 tests run on: _i bit 0 = BE, bits 1-2 = radix 4K, radix 64K,
 * hash 4K, hash 64K. */
static struct fk_opts combo612(int i)
{
	struct fk_opts o = {
		.endian = (i & 1) ? FORGE_BE : FORGE_LE,
		.page_shift = ((i >> 1) & 1) ? 16 : 12,
		.radix = (i >> 1) < 2,
		.ram_bytes = 1ULL << 30,
		.kernel = FK_KERNEL_6_12,
	};
	return o;
}

/* The VMCOREINFO keys 6.12 writes, in its order (kernel/vmcore_info.c, then
 * arch/powerpc/kexec/vmcore_info.c), as a Debian 13 guest's note has them, without
 * what the forge leaves out (pglist_data, zone, free_area, nodemask_t, printk,
 * kallsyms, node_data, NR_FREE_PAGES); CRASHTIME is what a panic adds. */
static const char *const keys612[] = {
	"OSRELEASE", "BUILD-ID", "PAGESIZE", "SYMBOL(init_uts_ns)",
	"OFFSET(uts_namespace.name)", "SYMBOL(node_online_map)", "SYMBOL(swapper_pg_dir)",
	"SYMBOL(_stext)", "NUMBER(VMALLOC_START)", "SYMBOL(vmemmap)", "SYMBOL(mem_section)",
	"LENGTH(mem_section)", "SIZE(mem_section)", "OFFSET(mem_section.section_mem_map)",
	"NUMBER(SECTION_SIZE_BITS)", "NUMBER(MAX_PHYSMEM_BITS)", "SIZE(page)",
	"SIZE(list_head)", "OFFSET(page.flags)", "OFFSET(page._refcount)",
	"OFFSET(page.mapping)", "OFFSET(page.lru)", "OFFSET(page._mapcount)",
	"OFFSET(page.private)", "OFFSET(page.compound_head)", "OFFSET(list_head.next)",
	"OFFSET(list_head.prev)", "NUMBER(PG_lru)", "NUMBER(PG_private)",
	"NUMBER(PG_swapcache)", "NUMBER(PG_swapbacked)", "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)",
	"NUMBER(PG_hwpoison)", "NUMBER(PG_head_mask)", "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)",
	"NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)", "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)",
	"SYMBOL(vmemmap_list)", "SYMBOL(mmu_vmemmap_psize)", "SYMBOL(mmu_psize_defs)",
	"SIZE(vmemmap_backing)", "OFFSET(vmemmap_backing.list)",
	"OFFSET(vmemmap_backing.phys)", "OFFSET(vmemmap_backing.virt_addr)",
	"SIZE(mmu_psize_def)", "OFFSET(mmu_psize_def.shift)", "SYMBOL(cur_cpu_spec)",
	"OFFSET(cpu_spec.cpu_features)", "OFFSET(cpu_spec.mmu_features)",
	"NUMBER(RADIX_MMU)", "KERNELOFFSET", "CRASHTIME",
};

/* The value of key in the note's text (static copy), NULL if absent. */
static const char *note_value(const char *text, const char *key)
{
	static char v[4][128];
	static int n;
	size_t kl = strlen(key);
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > kl && !strncmp(p, key, kl) && p[kl] == '=') {
			n = (n + 1) % 4;
			snprintf(v[n], sizeof(v[n]), "%.*s", (int)(len - kl - 1), p + kl + 1);
			return v[n];
		}
		p += len + (eol ? 1 : 0);
	}
	return NULL;
}

static void assert_keys_in_order(const char *text, const char *const *keys, size_t n)
{
	const char *p = text;
	size_t i = 0;

	while (*p) {
		const char *eq = strchr(p, '='), *eol = strchr(p, '\n');

		ck_assert_ptr_nonnull(eq);
		ck_assert_ptr_nonnull(eol);
		ck_assert_msg(i < n, "extra line %.*s", (int)(eol - p), p);
		ck_assert_msg((size_t)(eq - p) == strlen(keys[i]) &&
			      !strncmp(p, keys[i], (size_t)(eq - p)),
			      "line %zu is %.*s, want %s", i, (int)(eq - p), p, keys[i]);
		i++;
		p = eol + 1;
	}
	ck_assert_uint_eq(i, n);
}

static void assert_hex_value(const char *text, const char *key, uint64_t v)
{
	char want[32];

	snprintf(want, sizeof(want), "%llx", (unsigned long long)v);
	ck_assert_msg(note_value(text, key), "%s missing", key);
	ck_assert_str_eq(note_value(text, key), want);
}

START_TEST(test_612_vmcoreinfo)
{
	struct fk_opts o = combo612(_i);
	struct fk *k = small_machine(&o, 16384);
	const char *p = tpath("vmci612");
	const bool hash4k = !o.radix && o.page_shift == 12;
	const uint64_t base = hash4k ? 0xc0003f0000000000ULL : 0xc00c000000000000ULL;
	char *text, want[64];
	kdump_ctx_t *c;
	uint64_t spec, idx, defs;
	uint8_t b[4];

	write_ok(k, p, NULL);
	text = note_text(p);
	assert_keys_in_order(text, keys612, sizeof(keys612) / sizeof(keys612[0]));
	{
		static const char *const fixed[][2] = {
			{ "OSRELEASE", "6.12.0-forge" }, { "OFFSET(uts_namespace.name)", "0" },
			{ "SYMBOL(_stext)", "c000000000000000" },
			{ "SIZE(mem_section)", "32" },
			{ "OFFSET(mem_section.section_mem_map)", "0" },
			{ "NUMBER(SECTION_SIZE_BITS)", "24" },
			{ "NUMBER(MAX_PHYSMEM_BITS)", "51" }, { "SIZE(page)", "64" },
			{ "SIZE(list_head)", "16" }, { "OFFSET(page.flags)", "0" },
			{ "OFFSET(page._refcount)", "52" }, { "OFFSET(page.mapping)", "24" },
			{ "OFFSET(page.lru)", "8" }, { "OFFSET(page._mapcount)", "48" },
			{ "OFFSET(page.private)", "40" }, { "OFFSET(page.compound_head)", "8" },
			{ "OFFSET(list_head.next)", "0" }, { "OFFSET(list_head.prev)", "8" },
			{ "NUMBER(PG_lru)", "5" }, { "NUMBER(PG_private)", "14" },
			{ "NUMBER(PG_swapcache)", "10" }, { "NUMBER(PG_swapbacked)", "17" },
			/* PGTY_slab << 24 = 0xf5000000 as an int */
			{ "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)", "-184549376" },
			{ "NUMBER(PG_hwpoison)", "20" }, { "NUMBER(PG_head_mask)", "64" },
			{ "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", "-268435456" },
			{ "NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)", "-201326592" },
			{ "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)", "-251658240" },
			{ "SIZE(vmemmap_backing)", "24" },
			{ "OFFSET(vmemmap_backing.list)", "0" },
			{ "OFFSET(vmemmap_backing.phys)", "8" },
			{ "OFFSET(vmemmap_backing.virt_addr)", "16" },
			{ "SIZE(mmu_psize_def)", "96" }, { "OFFSET(mmu_psize_def.shift)", "0" },
			{ "OFFSET(cpu_spec.cpu_features)", "16" },
			{ "OFFSET(cpu_spec.mmu_features)", "32" },
			{ "KERNELOFFSET", "0" }, { "CRASHTIME", "1700000000" },
		};
		size_t i;

		for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
			ck_assert_msg(note_value(text, fixed[i][0]), "%s missing", fixed[i][0]);
			ck_assert_str_eq(note_value(text, fixed[i][0]), fixed[i][1]);
		}
	}
	snprintf(want, sizeof(want), "%llu", 1ULL << o.page_shift);
	ck_assert_str_eq(note_value(text, "PAGESIZE"), want);
	ck_assert_str_eq(note_value(text, "NUMBER(VMALLOC_START)"),
			 hash4k ? "0xc0003d0000000000" : "0xc008000000000000");
	/* SYMBOL_ARRAY(vmemmap): the pointer's value, the base of the vmemmap */
	assert_hex_value(text, "SYMBOL(vmemmap)", base);
	ck_assert_uint_eq(fk_opts(k)->vmemmap_base, base);
	/* 2^(51-24) sections, a root a page of 32-byte sections */
	snprintf(want, sizeof(want), "%llu", (1ULL << 27) / ((1ULL << o.page_shift) / 32));
	ck_assert_str_eq(note_value(text, "LENGTH(mem_section)"), want);
	ck_assert_str_eq(note_value(text, "NUMBER(RADIX_MMU)"), o.radix ? "1" : "0");
	assert_hex_value(text, "SYMBOL(vmemmap_list)", fk_symbol(k, "vmemmap_list"));
	assert_hex_value(text, "SYMBOL(swapper_pg_dir)", fk_symbol(k, "swapper_pg_dir"));
	assert_hex_value(text, "SYMBOL(cur_cpu_spec)", fk_symbol(k, "cur_cpu_spec"));
	assert_hex_value(text, "SYMBOL(init_uts_ns)", fk_symbol(k, "init_uts_ns"));
	free(text);

	/* what the symbols point at, read with libkdumpfile */
	c = open_dump(p, true);
	ck_assert_str_eq(str_attr(c, "linux.uts.release"), "6.12.0-forge");
	spec = rd64(c, KDUMP_KVADDR, fk_symbol(k, "cur_cpu_spec"), o.endian);
	ck_assert_int_eq(rd(c, KDUMP_KVADDR, spec + 32, b, 4), KDUMP_OK);
	/* MMU_FTR_TYPE_RADIX 0x40 says which; MMU_FTR_HPTE_TABLE 0x1 is what the CPU can
	 * do (a POWER9 guest in radix has it too) */
	ck_assert_uint_eq(!!(dec(b, 4, o.endian) & 0x40), o.radix);
	if (!o.radix)
		ck_assert_uint_eq(dec(b, 4, o.endian) & 0x1, 1);
	ck_assert_int_eq(rd(c, KDUMP_KVADDR, fk_symbol(k, "mmu_vmemmap_psize"), b, 4),
			 KDUMP_OK);
	idx = dec(b, 4, o.endian);
	defs = fk_symbol(k, "mmu_psize_defs");
	ck_assert_int_eq(rd(c, KDUMP_KVADDR, defs + 96 * idx, b, 4), KDUMP_OK);
	if (o.radix) {
		/* never set on radix: MMU_PAGE_4K, whatever maps the vmemmap */
		ck_assert_uint_eq(idx, 0);
		ck_assert_uint_eq(dec(b, 4, o.endian), 12);
		ck_assert_int_eq(rd(c, KDUMP_KVADDR, defs + 96 * 7, b, 4), KDUMP_OK);
		ck_assert_uint_eq(dec(b, 4, o.endian), 21); /* MMU_PAGE_2M */
	} else {
		/* mmu_virtual_psize: the block is the base page */
		ck_assert_uint_eq(idx, o.page_shift == 12 ? 0 : 2);
		ck_assert_uint_eq(dec(b, 4, o.endian), o.page_shift);
		ck_assert_uint_eq(fk_vmemmap_block_size(k), 1ULL << o.page_shift);
	}
	close_dump(c);
	fk_free(k);
}
END_TEST

/* Walks vmemmap_list in the dump (libkdumpfile reads), at most max entries. */
static unsigned list_virts(kdump_ctx_t *c, struct fk *k, enum forge_endian e,
			   uint64_t *virts, uint64_t *physs, unsigned max)
{
	uint64_t kva = rd64(c, KDUMP_KVADDR, fk_symbol(k, "vmemmap_list"), e);
	unsigned n = 0;

	while (kva && n < max) {
		physs[n] = rd64(c, KDUMP_KVADDR, kva + 8, e);
		virts[n++] = rd64(c, KDUMP_KVADDR, kva + 16, e);
		kva = rd64(c, KDUMP_KVADDR, kva, e);
	}
	return n;
}

/* The physical address of a vmemmap address as the dump says it: the page tables for
 * 6.12 radix, the first list entry whose block holds it otherwise. -1 if neither. */
static int dump_translate(kdump_ctx_t *c, struct fk *k, uint64_t va, uint64_t *pa)
{
	const struct fk_opts *o = fk_opts(k);
	uint64_t virts[1024], physs[1024], b = fk_vmemmap_block_size(k);
	unsigned n, i;
	int leaf;

	if (o->radix && o->kernel == FK_KERNEL_6_12)
		return radix_walk(c, fk_symbol(k, "swapper_pg_dir") & ~LINEAR, o->page_shift,
				  va, pa, &leaf);
	n = list_virts(c, k, o->endian, virts, physs, 1024);
	for (i = 0; i < n; i++)
		if (va >= virts[i] && va - virts[i] < b) {
			*pa = physs[i] + (va - virts[i]);
			return 0;
		}
	return -1;
}

/* 6.12 radix: no vmemmap_list; the page tables map every block in the books. */
START_TEST(test_612_radix_pgtables)
{
	struct fk_opts o = combo612(_i & 3);
	const char *p = tpath("radix612");
	uint64_t b, base, virt, phys, pa, head, removed;
	struct fk *k;
	kdump_ctx_t *c;
	int i, leaf;

	o.vmemmap_shift = (_i & 4) ? 16 : 0; /* 64K leaves, as QEMU powernv has them */
	o.ram_bytes = 8ULL << 30;
	k = fk_new(&o);
	ck_assert_ptr_nonnull(k);
	b = fk_vmemmap_block_size(k);
	base = fk_opts(k)->vmemmap_base;
	ck_assert_uint_eq(b, (_i & 4) ? 0x10000 : 0x200000);
	/* boot: 4 blocks; hot-add 2 more; hot-remove the first of them */
	ck_assert_int_eq(fk_vmemmap_populate(k, 0, 4 * b / 64), 0);
	ck_assert_int_eq(fk_vmemmap_populate(k, 4 * b / 64, 2 * b / 64), 0);
	ck_assert_int_eq(fk_vmemmap_depopulate(k, 4 * b / 64, b / 64), 0);
	removed = base + 4 * b;
	ck_assert_int_eq(fk_vmemmap_nblocks(k), 5);
	ck_assert_int_eq(fk_vmemmap_nentries(k), 0);
	write_ok(k, p, NULL);
	c = open_dump(p, false);
	/* SYMBOL(vmemmap_list) is there and the list is empty */
	head = rd64(c, KDUMP_KVADDR, fk_symbol(k, "vmemmap_list"), o.endian);
	ck_assert_uint_eq(head, 0);
	for (i = 0; i < fk_vmemmap_nblocks(k); i++) {
		uint64_t off;

		ck_assert_int_eq(fk_vmemmap_block(k, i, &virt, &phys), 0);
		ck_assert_uint_ne(virt, removed);
		for (off = 0; off < b; off += b / 4) {
			ck_assert_int_eq(radix_walk(c, fk_symbol(k, "swapper_pg_dir") & ~LINEAR,
						    o.page_shift, virt + off + 8, &pa, &leaf), 0);
			ck_assert_uint_eq(pa, phys + off + 8);
			ck_assert_int_eq(leaf, b == 0x200000 ? 2 : 3);
		}
		ck_assert_int_eq(fk_vmemmap_translate(k, virt + 8, &pa), 0);
		ck_assert_uint_eq(pa, phys + 8);
		/* and the struct pages there are initialised ones */
		{
			uint8_t pg[64];

			ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, phys, pg, 64), KDUMP_OK);
			ck_assert_uint_eq(dec(pg + 52, 4, o.endian), 1);
			ck_assert_uint_eq((uint32_t)dec(pg + 48, 4, o.endian), 0xffffffffU);
		}
	}
	/* the removed block is gone from the page tables */
	ck_assert_int_ne(radix_walk(c, fk_symbol(k, "swapper_pg_dir") & ~LINEAR, o.page_shift,
				    removed + 8, &pa, &leaf), 0);
	ck_assert_int_ne(fk_vmemmap_translate(k, removed + 8, &pa), 0);
	close_dump(c);

	/* unmap one block, remap another, then clear the PGD: each survives rebuilds */
	ck_assert_int_eq(fk_pgtable_unmap(k, base + b), 0);
	{
		uint64_t other = fk_alloc(k, b, b);

		ck_assert_uint_ne(other, 0);
		ck_assert_int_eq(fk_pgtable_remap(k, base + 2 * b, other), 0);
		write_ok(k, p, NULL);
		c = open_dump(p, false);
		ck_assert_int_ne(radix_walk(c, fk_symbol(k, "swapper_pg_dir") & ~LINEAR,
					    o.page_shift, base + b + 8, &pa, &leaf), 0);
		ck_assert_int_ne(fk_vmemmap_translate(k, base + b + 8, &pa), 0);
		ck_assert_int_eq(radix_walk(c, fk_symbol(k, "swapper_pg_dir") & ~LINEAR,
					    o.page_shift, base + 2 * b + 8, &pa, &leaf), 0);
		ck_assert_uint_eq(pa, other + 8);
		ck_assert_int_eq(fk_vmemmap_translate(k, base + 2 * b + 8, &phys), 0);
		ck_assert_uint_eq(phys, other + 8);
		ck_assert_int_eq(radix_walk(c, fk_symbol(k, "swapper_pg_dir") & ~LINEAR,
					    o.page_shift, base + 8, &pa, &leaf), 0);
		close_dump(c);
	}
	ck_assert_int_eq(fk_pgtable_clear(k), 0);
	write_ok(k, p, NULL);
	c = open_dump(p, false);
	ck_assert_int_ne(radix_walk(c, fk_symbol(k, "swapper_pg_dir") & ~LINEAR, o.page_shift,
				    base + 8, &pa, &leaf), 0);
	ck_assert_int_ne(fk_vmemmap_translate(k, base + 8, &pa), 0);
	close_dump(c);
	fk_free(k);
}
END_TEST

/* The zoo of a 6.12 clean boot, read back raw through the dump's own translation. */
START_TEST(test_612_zoo)
{
	struct fk_opts o = combo612(_i);
	struct forge_scenario_result r;
	const char *p = tpath("zoo612");
	const uint64_t tail_mapping = 0x5deadbeef0000400ULL;
	uint8_t pg[8][64];
	char err[512];
	kdump_ctx_t *c;
	int i;

	o.ram_bytes = 0;
	ck_assert_msg(!forge_scenario_write("clean", &o, p, &r, err, sizeof(err)), "%s", err);
	ck_assert_uint_eq(forge_scenario_fact(&r, "kernel", 0), 0x60c);
	ck_assert_uint_eq(forge_scenario_fact(&r, "radix", 9), o.radix);
	c = open_dump(p, false);
#define PAGE(pfn, buf) do { \
		uint64_t pa_, want_; \
		ck_assert_int_eq(dump_translate(c, r.k, fk_pfn_to_vmemmap(r.k, pfn), &pa_), 0); \
		ck_assert_int_eq(fk_vmemmap_translate(r.k, fk_pfn_to_vmemmap(r.k, pfn), \
						      &want_), 0); \
		ck_assert_uint_eq(pa_, want_); \
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, pa_, buf, 64), KDUMP_OK); \
	} while (0)
#define U32(buf, off) ((uint32_t)dec((buf) + (off), 4, o.endian))
#define U64(buf, off) dec((buf) + (off), 8, o.endian)
	PAGE(forge_scenario_fact(&r, "pfn.buddy", 0), pg[0]);
	ck_assert_uint_eq(U32(pg[0], 48), 0xf0000000U); /* PGTY_buddy << 24 */
	ck_assert_uint_eq(U32(pg[0], 52), 0);
	ck_assert_uint_eq(U64(pg[0], 40), 0);            /* order 0 */
	PAGE(forge_scenario_fact(&r, "pfn.offline", 0), pg[0]);
	ck_assert_uint_eq(U32(pg[0], 48), 0xf1000000U);
	PAGE(forge_scenario_fact(&r, "pfn.slab", 0), pg[0]);
	ck_assert_uint_eq(U32(pg[0], 48), 0xf5000000U);
	ck_assert_uint_eq(U64(pg[0], 0), 0);             /* no PG_slab in 6.12 */
	ck_assert_uint_eq(U64(pg[0], 8), forge_scenario_fact(&r, "slab.cache", 1));
	ck_assert_uint_eq(U64(pg[0], 8) & 1, 0);
	PAGE(forge_scenario_fact(&r, "pfn.hwpoison", 0), pg[0]);
	ck_assert_uint_eq(U64(pg[0], 0), 1ULL << 20);
	PAGE(forge_scenario_fact(&r, "pfn.lru", 0), pg[0]);
	ck_assert_uint_eq(U64(pg[0], 0), (1ULL << 5) | (1ULL << 3) | (1ULL << 8));
	ck_assert_uint_eq(U32(pg[0], 48), 0);
	ck_assert_uint_ne(U64(pg[0], 24), 0);
	PAGE(forge_scenario_fact(&r, "pfn.pinned", 0), pg[0]);
	ck_assert_uint_eq(U32(pg[0], 52), 1025);
	ck_assert_uint_eq(U32(pg[0], 48), 0xffffffffU);
	/* the order-2 folio: head, first tail (order, counts), second (deferred list) */
	for (i = 0; i < 4; i++)
		PAGE(forge_scenario_fact(&r, "pfn.head", 0) + (uint64_t)i, pg[i]);
	ck_assert_uint_eq(U64(pg[0], 0), 1ULL << 6);    /* PG_head */
	ck_assert_uint_eq(U32(pg[0], 52), 1);
	ck_assert_uint_eq(U64(pg[1], 0) & 0xff, 2);      /* _flags_1 & 0xff */
	ck_assert_uint_eq(U64(pg[1], 8),
			  fk_pfn_to_vmemmap(r.k, forge_scenario_fact(&r, "pfn.head", 0)) | 1);
	ck_assert_uint_eq(U32(pg[1], 16), 0xffffffffU); /* _large_mapcount */
	ck_assert_uint_eq(U32(pg[1], 20), 0xffffffffU); /* _entire_mapcount */
	ck_assert_uint_eq(U32(pg[1], 24), 0);            /* _nr_pages_mapped */
	ck_assert_uint_eq(U32(pg[1], 28), 0);            /* _pincount */
	ck_assert_uint_eq(U32(pg[1], 32), 4);            /* _folio_nr_pages */
	ck_assert_uint_eq(U32(pg[1], 52), 0);
	ck_assert_uint_eq(U32(pg[1], 48), 0xffffffffU);
	ck_assert_uint_eq(U64(pg[2], 0), 0);
	ck_assert_uint_eq(U64(pg[2], 16),
			  fk_pfn_to_vmemmap(r.k, forge_scenario_fact(&r, "pfn.head", 0) + 2) + 16);
	ck_assert_uint_eq(U64(pg[2], 24), U64(pg[2], 16));
	ck_assert_uint_eq(U64(pg[3], 24), tail_mapping);
	ck_assert_uint_eq(U64(pg[3], 8), U64(pg[1], 8));
	ck_assert_uint_eq(U64(pg[3], 40), 0);
#undef PAGE
#undef U32
#undef U64
	close_dump(c);
	forge_scenario_release(&r);
	unlink(p);
}
END_TEST

/* mem_section in 6.12: 32-byte sections, boot ones early, hot-added ones not. */
START_TEST(test_612_mem_section)
{
	struct fk_opts o = combo612(_i);
	struct forge_scenario_result r;
	const char *p = tpath("ms612");
	uint64_t arr, per, sect_pfns, base, boot, d2, d2n;
	char err[512];
	kdump_ctx_t *c;
	kdump_addr_t sym;

	ck_assert_msg(!forge_scenario_write("hotplug", &o, p, &r, err, sizeof(err)), "%s", err);
	c = open_dump(p, true);
	ck_assert_str_eq(vline(c, "SIZE(mem_section)"), "32");
	ck_assert_int_eq(kdump_vmcoreinfo_symbol(c, "mem_section", &sym), KDUMP_OK);
	arr = sym;
	per = (1ULL << o.page_shift) / 32;
	sect_pfns = 1ULL << (24 - o.page_shift);
	base = forge_scenario_fact(&r, "vmemmap_base", 0);
	boot = forge_scenario_fact(&r, "boot_pfns", 0);
	d2 = forge_scenario_fact(&r, "hotplug.d2_pfn", 0);
	d2n = forge_scenario_fact(&r, "hotplug.d2_pfns", 0);
	{
		struct { uint64_t pfn; uint64_t flags; } want[] = {
			{ 0, 0xf },                    /* present, mem_map, online, early */
			{ boot - 1, 0xf },
			{ d2, 0x7 },                   /* hot-added: not early */
			{ d2 + d2n - 1, 0x7 },
			{ forge_scenario_fact(&r, "pfn.d3", 0), 0x7 },
		};
		size_t i;

		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			uint64_t nr = want[i].pfn / sect_pfns, root, smm;

			root = rd64(c, KDUMP_KVADDR, arr + 8 * (nr / per), o.endian);
			ck_assert_uint_ne(root, 0);
			smm = rd64(c, KDUMP_KVADDR, root + 32 * (nr % per), o.endian);
			ck_assert_msg((smm & 0x1f) == want[i].flags, "pfn 0x%llx: 0x%llx",
				      (unsigned long long)want[i].pfn, (unsigned long long)smm);
			/* SECTION_MAP_MASK (5 flag bits with ZONE_DEVICE): the vmemmap base */
			ck_assert_uint_eq(smm & ~0x1fULL, base);
			/* usage, page_ext, pad */
			ck_assert_uint_eq(rd64(c, KDUMP_KVADDR, root + 32 * (nr % per) + 16,
					       o.endian), 0);
		}
	}
	close_dump(c);
	forge_scenario_release(&r);
	unlink(p);
}
END_TEST

/* The 6.12 machines the scenarios run on. */
static const struct fk_opts scenario_opts612[] = {
	{ .endian = FORGE_LE, .page_shift = 12, .radix = true, .kernel = FK_KERNEL_6_12 },
	{ .endian = FORGE_BE, .page_shift = 16, .radix = true, .kernel = FK_KERNEL_6_12 },
	{ .endian = FORGE_LE, .page_shift = 12, .kernel = FK_KERNEL_6_12 },
	{ .endian = FORGE_BE, .page_shift = 12, .struct_page_size = 80,
	  .kernel = FK_KERNEL_6_12 },
	{ .endian = FORGE_LE, .page_shift = 16, .kernel = FK_KERNEL_6_12 },
};
#define NSCENARIO_OPTS612 (sizeof(scenario_opts612) / sizeof(scenario_opts612[0]))

START_TEST(test_612_scenarios)
{
	unsigned si = (unsigned)_i / NSCENARIO_OPTS612;
	const struct fk_opts *o = &scenario_opts612[_i % NSCENARIO_OPTS612];
	const char *name = forge_scenario_name(si);
	struct forge_scenario_result r;
	uint64_t virts[1024], physs[1024], pgd, pa, b;
	char err[512];
	const char *p = tpath(name);
	struct stat st;
	kdump_ctx_t *c;
	unsigned n;
	int i, leaf;
	bool radix;

	if (!forge_scenario_supported(si, o)) {
		/* only list faults on a list-less (radix) kernel are refused (the table
		 * scenarios have 6.12's structures too), and they say why */
		ck_assert(strcmp(name, "kvm-tables") && strcmp(name, "powernv-tables") &&
			  strcmp(name, "kvm-modular"));
		ck_assert(o->radix || !strcmp(name, "pgtable-mismatch"));
		ck_assert_int_ne(forge_scenario_build(name, o, &r, err, sizeof(err)), 0);
		ck_assert_ptr_nonnull(strstr(err, "vmemmap_list"));
		return;
	}
	ck_assert_msg(!forge_scenario_write(name, o, p, &r, err, sizeof(err)), "%s: %s",
		      name, err);
	ck_assert_int_eq(stat(p, &st), 0);
	/* 8 MiB of it is mem_section's root array with 4K pages and 32-byte sections */
	ck_assert_int_lt(st.st_size, 24 << 20);
	ck_assert_uint_eq(forge_scenario_fact(&r, "kernel", 0), 0x60c);
	radix = forge_scenario_fact(&r, "radix", 0);
	ck_assert_uint_eq(forge_scenario_fact(&r, "blocks", 0),
			  (uint64_t)fk_vmemmap_nblocks(r.k));
	if (!radix && o->page_shift == 12) {
		ck_assert_uint_eq(forge_scenario_fact(&r, "vmemmap_base", 0),
				  FK_VMEMMAP_BASE_HASH_4K);
		ck_assert_uint_eq(forge_scenario_fact(&r, "block_size", 0), 0x1000);
	}
	if (!strcmp(name, "garbage") || !strcmp(name, "not-ppc64") ||
	    !strcmp(name, "no-vmcoreinfo") || !strcmp(name, "not-linux") ||
	    !strcmp(name, "qemu-vaddr") || !strcmp(name, "cycle") ||
	    !strcmp(name, "truncated"))
		goto out_noopen;
	c = open_dump(p, false);
	b = forge_scenario_fact(&r, "block_size", 0);
	pgd = forge_scenario_fact(&r, "swapper_pg_dir", 0) & ~LINEAR;
	n = list_virts(c, r.k, o->endian, virts, physs, 1024);
	ck_assert_uint_eq(n, forge_scenario_fact(&r, "list.len", 99999));
	if (radix) {
		/* no list: the page tables map every block in the books */
		ck_assert_uint_eq(n, 0);
		ck_assert_uint_eq(forge_scenario_fact(&r, "entries_created", 1), 0);
		for (i = 0; i < fk_vmemmap_nblocks(r.k); i++) {
			uint64_t v, ph;
			int ret;

			ck_assert_int_eq(fk_vmemmap_block(r.k, i, &v, &ph), 0);
			ret = radix_walk(c, pgd, o->page_shift, v + 8, &pa, &leaf);
			if (!strcmp(name, "no-translation") ||
			    (!strcmp(name, "pgtable-hole") &&
			     v == forge_scenario_fact(&r, "hole.virt", 0))) {
				ck_assert_int_ne(ret, 0);
				continue;
			}
			ck_assert_msg(!ret, "%s: block 0x%llx unmapped", name,
				      (unsigned long long)v);
			ck_assert_uint_eq(pa, ph + 8);
			ck_assert_int_eq(leaf, 2);
		}
	}
	if (!strcmp(name, "hotplug")) {
		uint64_t d1 = forge_scenario_fact(&r, "hotplug.d1_pfn", 0);
		uint64_t d2 = forge_scenario_fact(&r, "hotplug.d2_pfn", 0);

		ck_assert_int_eq(dump_translate(c, r.k, fk_pfn_to_vmemmap(r.k, d1), &pa), 0);
		ck_assert_int_eq(dump_translate(c, r.k, fk_pfn_to_vmemmap(r.k, d2), &pa), 0);
		if (radix) {
			/* no list, so no order to break */
			ck_assert_uint_eq(forge_scenario_fact(&r, "inversion.pos", 12345), 12345);
		} else {
			unsigned pos = (unsigned)forge_scenario_fact(&r, "inversion.pos", 0);

			for (i = 1; i < (int)n; i++)
				ck_assert_msg((virts[i] > virts[i - 1]) == ((unsigned)i == pos),
					      "order at %d (inversion expected at %u)", i, pos);
		}
	}
	if (!strcmp(name, "pgtable-hole")) {
		uint64_t hv = forge_scenario_fact(&r, "hole.virt", 0);

		ck_assert(radix);
		ck_assert_int_ne(radix_walk(c, pgd, o->page_shift, hv, &pa, &leaf), 0);
		ck_assert_int_ne(radix_walk(c, pgd, o->page_shift,
					    fk_pfn_to_vmemmap(r.k,
					    forge_scenario_fact(&r, "hole.pfn_last", 0)),
					    &pa, &leaf), 0);
		ck_assert_int_eq(radix_walk(c, pgd, o->page_shift,
					    fk_pfn_to_vmemmap(r.k,
					    forge_scenario_fact(&r, "mapped.pfn", 0)),
					    &pa, &leaf), 0);
		ck_assert_int_ne(fk_vmemmap_translate(r.k, hv, &pa), 0);
		/* its backing is in the dump all the same */
		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR,
				    forge_scenario_fact(&r, "hole.phys", 0), physs, 8), KDUMP_OK);
		ck_assert_uint_ge(forge_scenario_fact(&r, "hole.sections", 0), 1);
	}
	if (!strcmp(name, "no-translation")) {
		uint8_t zero[4096], buf[4096];
		uint64_t off;

		memset(zero, 0, sizeof(zero));
		ck_assert_uint_eq(n, 0);
		ck_assert_int_ne(dump_translate(c, r.k, fk_pfn_to_vmemmap(r.k, 0), &pa), 0);
		ck_assert_int_ne(fk_vmemmap_translate(r.k, fk_pfn_to_vmemmap(r.k, 0), &pa), 0);
		for (off = 0; radix && off < 0x10000; off += sizeof(buf)) {
			ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, pgd + off, buf, sizeof(buf)),
					 KDUMP_OK);
			ck_assert_mem_eq(buf, zero, sizeof(buf));
		}
		ck_assert_uint_ne(forge_scenario_fact(&r, "sections_with_mem_map", 0), 0);
	}
	if (!strcmp(name, "truncated-file"))
		ck_assert_uint_eq(forge_scenario_fact(&r, "truncate_bytes", 0), b);
	if (!strcmp(name, "straddle"))
		ck_assert_uint_ne(b % forge_scenario_fact(&r, "struct_page_size", 0), 0);
	close_dump(c);
out_noopen:
	forge_scenario_release(&r);
	unlink(p);
}
END_TEST

/* ------------------------------------------------------------ kallsyms, DWARF, tables */

/* The 6.1 machines the table tests run on: _i bit 0 = BE, bit 1 = 4K pages, bit 2 =
 * radix. */
static struct fk_opts combo_tables(int i)
{
	struct fk_opts o = {
		.endian = (i & 1) ? FORGE_BE : FORGE_LE,
		.page_shift = (i & 2) ? 12 : 16,
		.radix = (i & 4) != 0,
	};
	return o;
}

static uint64_t rdn(kdump_ctx_t *c, uint64_t kva, unsigned n, enum forge_endian e)
{
	uint8_t b[8];
	kdump_status st = rd(c, KDUMP_KVADDR, kva, b, n);

	ck_assert_msg(st == KDUMP_OK, "read 0x%llx: %s", (unsigned long long)kva,
		      kdump_get_err(c));
	return dec(b, n, e);
}

static uint64_t sym_of(kdump_ctx_t *c, const char *name)
{
	kdump_addr_t a;

	ck_assert_msg(kdump_vmcoreinfo_symbol(c, name, &a) == KDUMP_OK, "SYMBOL(%s): %s",
		      name, kdump_get_err(c));
	return a;
}

struct kdec {
	char type;
	char name[600];
	uint64_t addr;
	unsigned lenbytes; /* 1 or 2 */
};

/*
 * Decodes symbol after symbol straight from the dump through libkdumpfile (an
 * independent reading of what kernel/kallsyms.c does): -1 where a record runs past
 * names_end or reads fail, else the number decoded (at most max).
 */
static int kallsyms_decode(kdump_ctx_t *c, enum forge_endian e, struct kdec *out,
			   unsigned max, uint64_t names_end)
{
	uint64_t names = sym_of(c, "kallsyms_names"), tt = sym_of(c, "kallsyms_token_table");
	uint64_t ti = sym_of(c, "kallsyms_token_index"), offs = sym_of(c, "kallsyms_offsets");
	uint64_t base = rdn(c, sym_of(c, "kallsyms_relative_base"), 8, e);
	uint32_t num = (uint32_t)rdn(c, sym_of(c, "kallsyms_num_syms"), 4, e);
	uint64_t off = names;
	uint16_t index[256];
	unsigned i, j;

	for (i = 0; i < 256; i++)
		index[i] = (uint16_t)rdn(c, ti + 2 * i, 2, e);
	for (i = 0; i < num && i < max; i++) {
		uint8_t lb[2], tok[0x4000];
		unsigned len, n = 0;
		bool first = true;

		if (off >= names_end || rd(c, KDUMP_KVADDR, off, lb, 1) != KDUMP_OK)
			return -1;
		len = lb[0];
		out[i].lenbytes = 1;
		if (len & 0x80) {
			if (rd(c, KDUMP_KVADDR, off + 1, lb + 1, 1) != KDUMP_OK)
				return -1;
			len = (len & 0x7f) | ((unsigned)lb[1] << 7);
			out[i].lenbytes = 2;
		}
		off += out[i].lenbytes;
		if (off + len > names_end || rd(c, KDUMP_KVADDR, off, tok, len) != KDUMP_OK)
			return -1;
		for (j = 0; j < len; j++) {
			uint64_t t = tt + index[tok[j]];
			uint8_t ch;

			for (;;) {
				ck_assert_int_eq(rd(c, KDUMP_KVADDR, t++, &ch, 1), KDUMP_OK);
				if (!ch)
					break;
				if (first) {
					out[i].type = (char)ch;
					first = false;
				} else if (n + 1 < sizeof(out[i].name)) {
					out[i].name[n++] = (char)ch;
				}
			}
		}
		out[i].name[n] = 0;
		off += len;
		out[i].addr = base + (uint32_t)rdn(c, offs + 4ULL * i, 4, e);
	}
	return (int)i;
}

/* Is (name, type, addr) one of the forge's symbols? */
static bool forge_has(struct fk *k, const char *name, char type, uint64_t addr)
{
	unsigned i;

	for (i = 0; i < fk_symbol_count(k); i++) {
		const char *n;
		uint64_t a;
		char t;

		ck_assert_int_eq(fk_symbol_get(k, i, &n, &a, &t), 0);
		if (!strcmp(n, name) && t == type && a == addr)
			return true;
	}
	return false;
}

static bool forge_has_addr(struct fk *k, const char *name, uint64_t addr)
{
	unsigned i;

	for (i = 0; i < fk_symbol_count(k); i++) {
		const char *n;
		uint64_t a;
		char t;

		ck_assert_int_eq(fk_symbol_get(k, i, &n, &a, &t), 0);
		if (!strcmp(n, name) && a == addr)
			return true;
	}
	return false;
}

START_TEST(test_kallsyms)
{
	struct fk_opts o = combo(_i & 3);
	struct fk_kallsyms_info ki;
	static struct kdec d[256];
	const char *p = tpath("ksyms");
	unsigned nrelease = 0, i, ndata = 0;
	bool text_only = _i >= 4, longname = false;
	struct fk *k;
	kdump_ctx_t *c;
	char *note;
	int n;

	if (_i >= 8)
		o.kernel = FK_KERNEL_6_12, o.radix = true;
	o.kallsyms = text_only && _i < 8 ? FK_KALLSYMS_TEXT : FK_KALLSYMS_ALL;
	k = small_machine(&o, 4096);
	/* symbols of the test's own: a data symbol, and one more "release" */
	ck_assert_int_eq(fk_symbol_add(k, "forge_test_data", fk_kva(0x2712340), 'd'), 0);
	ck_assert_int_eq(fk_symbol_add(k, "release", LINEAR + 0x500000, 't'), 0);
	ck_assert_int_ne(fk_symbol_add(k, "bad", LINEAR, 'X'), 0);
	write_ok(k, p, NULL);
	ck_assert_int_eq(fk_kallsyms_info(k, &ki), 0);
	/* VMCOREINFO: the six items after the page types, before the arch's */
	note = note_text(p);
	ck_assert_ptr_nonnull(strstr(note, "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)="));
	ck_assert(strstr(note, "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)=") <
		  strstr(note, "SYMBOL(kallsyms_names)="));
	ck_assert(strstr(note, "SYMBOL(kallsyms_relative_base)=") <
		  strstr(note, "SYMBOL(vmemmap_list)="));
	assert_hex_value(note, "SYMBOL(kallsyms_names)", ki.names);
	assert_hex_value(note, "SYMBOL(kallsyms_num_syms)", ki.num_syms);
	assert_hex_value(note, "SYMBOL(kallsyms_token_table)", ki.token_table);
	assert_hex_value(note, "SYMBOL(kallsyms_token_index)", ki.token_index);
	assert_hex_value(note, "SYMBOL(kallsyms_offsets)", ki.offsets);
	assert_hex_value(note, "SYMBOL(kallsyms_relative_base)", ki.relative_base);
	free(note);

	c = open_dump(p, true);
	n = kallsyms_decode(c, o.endian, d, 256, ki.markers);
	ck_assert_int_eq(n, (int)ki.count);
	ck_assert_uint_eq(rdn(c, ki.relative_base, 8, o.endian), LINEAR); /* _stext */
	for (i = 0; i < (unsigned)n; i++) {
		char name[600], type;
		uint64_t addr;

		ck_assert_msg(forge_has(k, d[i].name, d[i].type, d[i].addr),
			      "kallsyms %u: %c %s 0x%llx is not the forge's", i, d[i].type,
			      d[i].name, (unsigned long long)d[i].addr);
		if (i)
			ck_assert_uint_le(d[i - 1].addr, d[i].addr);
		nrelease += !strcmp(d[i].name, "release");
		ndata += d[i].type != 'T' && d[i].type != 't';
		if (strlen(d[i].name) > 400) {
			longname = true;
			ck_assert_uint_eq(d[i].lenbytes, 2);
		}
		/* the forge's own reader agrees */
		ck_assert_int_eq(fk_kallsyms_read(k, i, name, sizeof(name), &type, &addr), 0);
		ck_assert_str_eq(name, d[i].name);
		ck_assert_int_eq(type, d[i].type);
		ck_assert_uint_eq(addr, d[i].addr);
	}
	ck_assert_uint_eq(nrelease, 4);
	ck_assert(longname);
	if (text_only && _i < 8) {
		ck_assert_uint_eq(ndata, 0);
	} else {
		ck_assert_uint_gt(ndata, 5);
		/* every symbol the forge has is there */
		ck_assert_uint_eq(ki.count, fk_symbol_count(k));
	}
	/* the two-byte marker of symbol 0 is 0; seqs_of_names starts at the first name */
	ck_assert_uint_eq(rdn(c, ki.markers, 4, o.endian), 0);
	close_dump(c);

	/* faults: the count, then the stream */
	ck_assert_int_eq(fk_kallsyms_set_faults(k, FK_KALLSYMS_FAULT_COUNT), 0);
	write_ok(k, p, NULL);
	c = open_dump(p, true);
	ck_assert_uint_eq(rdn(c, sym_of(c, "kallsyms_num_syms"), 4, o.endian),
			  FK_KALLSYMS_BAD_COUNT);
	/* the symbols there are decode; a reader that trusts the count runs off the end */
	ck_assert_int_eq(kallsyms_decode(c, o.endian, d, ki.count, ki.markers), (int)ki.count);
	ck_assert_int_eq(kallsyms_decode(c, o.endian, d, 256, ki.markers), -1);
	close_dump(c);
	ck_assert_int_eq(fk_kallsyms_set_faults(k, FK_KALLSYMS_FAULT_NAMES), 0);
	write_ok(k, p, NULL);
	ck_assert_int_eq(fk_kallsyms_info(k, &ki), 0);
	c = open_dump(p, true);
	ck_assert_int_eq(kallsyms_decode(c, o.endian, d, 256, ki.markers), -1);
	ck_assert_int_eq(kallsyms_decode(c, o.endian, d, ki.faulted_index, ki.markers),
			 (int)ki.faulted_index);
	{
		char name[600], type;
		uint64_t addr;

		ck_assert_int_ne(fk_kallsyms_read(k, ki.faulted_index, name, sizeof(name), &type,
						  &addr), 0);
		ck_assert_int_eq(fk_kallsyms_read(k, ki.faulted_index - 1, name, sizeof(name),
						  &type, &addr), 0);
	}
	close_dump(c);
	fk_free(k);
	unlink(p);
}
END_TEST

/* No kallsyms and no debuginfo: the note is what it always was. */
START_TEST(test_kallsyms_off)
{
	struct fk_opts o = combo(_i);
	struct fk *k = small_machine(&o, 4096);
	const char *p = tpath("noks");
	char *note;

	write_ok(k, p, NULL);
	note = note_text(p);
	ck_assert_ptr_null(strstr(note, "kallsyms"));
	ck_assert_str_eq(note_value(note, "BUILD-ID"), "0f06e5c4e1a3b07d7c4f2e0a2c3d4b5a6e7f8091");
	ck_assert_uint_eq(fk_symbol(k, "vmemmap"), 0);
	ck_assert_uint_eq(fk_symbol(k, "_stext"), 0);
	free(note);
	ck_assert_int_ne(fk_kallsyms_info(k, &(struct fk_kallsyms_info){ 0 }), 0);
	fk_free(k);
	unlink(p);
}
END_TEST

/* ---- DWARF */

static bool dwarf_skip(struct fk *k)
{
	char why[300];

	if (fk_dwarf_available(k, why, sizeof(why)))
		return false;
	fprintf(stderr, "SKIP: the forge's DWARF: %s\n", why);
	return true;
}

/* The DIE of a named structure (first found), or false. */
static bool find_struct(Dwarf *dw, const char *name, Dwarf_Die *out)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;

		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			do {
				const char *n = dwarf_diename(&child);

				if (dwarf_tag(&child) == DW_TAG_structure_type && n &&
				    !strcmp(n, name) && !dwarf_hasattr(&child, DW_AT_declaration)) {
					*out = child;
					return true;
				}
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	return false;
}

/* The offset of a member path ("ioda.pe_list") inside a structure's DIE, or -1. */
static long member_offset(Dwarf_Die *st, const char *path)
{
	char head[64];
	const char *dot = strchr(path, '.');
	size_t n = dot ? (size_t)(dot - path) : strlen(path);
	Dwarf_Die m;

	snprintf(head, sizeof(head), "%.*s", (int)n, path);
	if (dwarf_child(st, &m))
		return -1;
	do {
		const char *name = dwarf_diename(&m);
		Dwarf_Attribute a;
		Dwarf_Word off = 0;

		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		/* union members carry no location: 0 */
		if (dwarf_attr(&m, DW_AT_data_member_location, &a) && dwarf_formudata(&a, &off))
			return -1;
		if (!name) {
			/* an anonymous struct or union: look inside */
			Dwarf_Die type;
			long sub;

			if (!dwarf_attr(&m, DW_AT_type, &a) || !dwarf_formref_die(&a, &type))
				continue;
			sub = member_offset(&type, path);
			if (sub >= 0)
				return (long)off + sub;
			continue;
		}
		if (strcmp(name, head))
			continue;
		if (!dot)
			return (long)off;
		{
			Dwarf_Die type;
			long sub;

			if (!dwarf_attr(&m, DW_AT_type, &a) || !dwarf_formref_die(&a, &type))
				return -1;
			sub = member_offset(&type, dot + 1);
			return sub < 0 ? -1 : (long)off + sub;
		}
	} while (dwarf_siblingof(&m, &m) == 0);
	return -1;
}

/* A variable's DW_OP_addr, or 0. */
static uint64_t variable_addr(Dwarf *dw, const char *name)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;

		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			do {
				const char *n = dwarf_diename(&child);
				Dwarf_Attribute a;
				Dwarf_Op *ops;
				size_t nops;

				if (dwarf_tag(&child) == DW_TAG_variable && n && !strcmp(n, name) &&
				    dwarf_attr(&child, DW_AT_location, &a) &&
				    dwarf_getlocation(&a, &ops, &nops) == 0 && nops == 1 &&
				    ops[0].atom == DW_OP_addr)
					return ops[0].number;
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	return 0;
}

/* _i bits 0-2 as combo_tables(), bit 3 the 6.12 shape (kernel-6.12-types.h) */
START_TEST(test_dwarf)
{
	struct fk_opts o = combo_tables(_i & 7);
	struct forge_scenario_result r;
	const char *p = tpath("dwarf"), *name = _i & 2 ? "powernv-tables" : "kvm-tables";
	char vml[320], err[512], *note;
	static const char *const members[] = {
		"list_head", "list_head.prev", "page", "page._refcount", "page.mapping",
		"iommu_table", "iommu_table.it_size", "iommu_table.it_indirect_levels",
		"iommu_table.it_level_size", "iommu_table.it_offset", "iommu_table.it_base",
		"iommu_table.it_map", "iommu_table.it_page_shift", "iommu_table.it_userspace",
		"iommu_table.large_pool", "iommu_table.it_reserved_end",
		"iommu_table_group", "iommu_table_group.tables",
		"pci_controller", "pci_controller.list_node", "pci_controller.private_data",
		"pnv_phb", "pnv_phb.ioda.pe_array", "pnv_phb.ioda.pe_list",
		"pnv_phb.ioda.total_pe_num", "pnv_ioda_pe", "pnv_ioda_pe.table_group",
		"pnv_ioda_pe.list", "pnv_ioda_pe.pe_number",
		"kvmppc_spapr_tce_table", "kvmppc_spapr_tce_table.liobn",
		"kvmppc_spapr_tce_table.page_shift", "kvmppc_spapr_tce_table.offset",
		"kvmppc_spapr_tce_table.size", "kvmppc_spapr_tce_table.iommu_tables",
		"kvmppc_spapr_tce_table.pages", "kvmppc_spapr_tce_iommu_table.tbl",
		"kvm", "kvm.mm", "kvm.vm_list", "kvm.arch.spapr_tce_tables", "kvm_arch.radix",
		"module", "module.list", "module.name", "module.kallsyms", "module.sect_attrs",
		"module_sect_attr", "module_sect_attr.address", "kvm.userspace_pid",
		"kvm.users_count", "kvm.__memslots", "kvm.memslots", "kvm_memslots",
		"kvm_memslots.gfn_tree", "kvm_memslots.node_idx", "kvm_memory_slot",
		"kvm_memory_slot.gfn_node", "kvm_memory_slot.base_gfn",
		"kvm_memory_slot.userspace_addr", "mm_struct", "mm_struct.pgd",
		"interval_tree_node.__subtree_last",
		/* the members of one shape only */
		"*6.1", "page.compound_order", "module.core_layout.base",
		"*6.12", "module.mem", "module_memory", "module_memory.mtn",
	};
	const char *only = NULL;
	Elf *e;
	Dwarf *dw;
	GElf_Ehdr eh;
	Elf_Scn *scn = NULL;
	bool saw_bid = false;
	unsigned i, nrelease = 0, nsyms = 0;
	int fd;

	o.kallsyms = FK_KALLSYMS_ALL;
	if (_i & 8)
		o.kernel = FK_KERNEL_6_12;
	ck_assert_msg(!forge_scenario_build(name, &o, &r, err, sizeof(err)), "%s", err);
	if (dwarf_skip(r.k)) {
		forge_scenario_release(&r);
		return;
	}
	snprintf(vml, sizeof(vml), "%s.vmlinux", p);
	ck_assert_msg(!fk_dwarf_write(r.k, vml), "%s", forge_errmsg(fk_forge(r.k)));
	write_ok(r.k, p, &r.wopts);
	note = note_text(p);

	elf_version(EV_CURRENT);
	fd = open(vml, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	e = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(gelf_getehdr(e, &eh));
	ck_assert_int_eq(eh.e_machine, EM_PPC64);
	ck_assert_int_eq(eh.e_type, ET_EXEC);
	ck_assert_int_eq(eh.e_ident[EI_DATA], o.endian == FORGE_LE ? ELFDATA2LSB : ELFDATA2MSB);
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		d = elf_getdata(scn, NULL);
		if (sh.sh_type == SHT_NOTE) {
			GElf_Nhdr nh;
			size_t no, dsc, at = 0;

			while ((at = gelf_getnote(d, at, &nh, &no, &dsc))) {
				char hex[41];
				size_t j;

				if (nh.n_type != NT_GNU_BUILD_ID)
					continue;
				ck_assert_uint_eq(nh.n_descsz, 20);
				for (j = 0; j < 20; j++)
					snprintf(hex + 2 * j, 3, "%02x",
						 ((const uint8_t *)d->d_buf)[dsc + j]);
				/* the dump names this file */
				ck_assert_str_eq(note_value(note, "BUILD-ID"), hex);
				ck_assert_str_eq(fk_build_id(r.k), hex);
				saw_bid = true;
			}
		}
		if (sh.sh_type == SHT_SYMTAB) {
			size_t j;

			for (j = 0; j < sh.sh_size / sh.sh_entsize; j++) {
				GElf_Sym sym;
				const char *sn;

				ck_assert_ptr_nonnull(gelf_getsym(d, (int)j, &sym));
				sn = elf_strptr(e, sh.sh_link, sym.st_name);
				if (!sn || !*sn || GELF_ST_TYPE(sym.st_info) == STT_SECTION ||
				    GELF_ST_TYPE(sym.st_info) == STT_FILE)
					continue;
				if (!strcmp(sn, "release")) {
					nrelease++;
					ck_assert_int_eq(GELF_ST_BIND(sym.st_info), STB_LOCAL);
				}
				/* every symbol is one of the kernel's, at its address */
				ck_assert_msg(forge_has_addr(r.k, sn, sym.st_value), "%s at 0x%llx",
					      sn, (unsigned long long)sym.st_value);
				nsyms++;
			}
		}
	}
	ck_assert(saw_bid);
	ck_assert_uint_eq(nrelease, 3);
	ck_assert_uint_eq(nsyms, fk_symbol_count(r.k));
	free(note);

	dw = dwarf_begin_elf(e, DWARF_C_READ, NULL);
	ck_assert_ptr_nonnull(dw);
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		char sname[64];
		const char *dot = strchr(members[i], '.');
		Dwarf_Die st;
		long want, got;

		if (members[i][0] == '*') {
			only = members[i] + 1;
			continue;
		}
		if (only && strcmp(only, _i & 8 ? "6.12" : "6.1"))
			continue;
		want = fk_kernel_offsetof(o.kernel, members[i]);
		ck_assert_msg(want >= 0, "fk_kernel_offsetof(%s)", members[i]);
		snprintf(sname, sizeof(sname), "%.*s",
			 (int)(dot ? (size_t)(dot - members[i]) : strlen(members[i])), members[i]);
		ck_assert_msg(find_struct(dw, sname, &st), "no struct %s in the DWARF", sname);
		got = dot ? member_offset(&st, dot + 1) : (long)dwarf_bytesize(&st);
		ck_assert_msg(got == want, "%s: DWARF says %ld, the host compiler %ld",
			      members[i], got, want);
	}
	/* the variables are where the dump has them */
	ck_assert_uint_eq(variable_addr(dw, "vmemmap_list"), fk_symbol(r.k, "vmemmap_list"));
	ck_assert_uint_eq(variable_addr(dw, "mem_section"), fk_symbol(r.k, "mem_section"));
	ck_assert_uint_eq(variable_addr(dw, "vmemmap"), fk_symbol(r.k, "vmemmap"));
	ck_assert_uint_ne(fk_symbol(r.k, _i & 2 ? "hose_list" : "vm_list"), 0);
	ck_assert_uint_eq(variable_addr(dw, _i & 2 ? "hose_list" : "vm_list"),
			  fk_symbol(r.k, _i & 2 ? "hose_list" : "vm_list"));
	/* mod_sysfs_setup, which libtce's types.c names as the home of struct
	 * module_sect_attrs, has code in the unit defining that structure, and
	 * .debug_aranges finds the unit by the code's address: the symbol's (ELF v2), or
	 * its .opd descriptor's (ELF v1) */
	{
		Dwarf_Die st, cu, fn, by_addr;
		Dwarf_Addr lo = 0;
		bool code = false;

		ck_assert(find_struct(dw, "module_sect_attrs", &st));
		ck_assert_ptr_nonnull(dwarf_diecu(&st, &cu, NULL, NULL));
		ck_assert_int_eq(dwarf_child(&cu, &fn), 0);
		do {
			const char *n = dwarf_diename(&fn);

			if (dwarf_tag(&fn) == DW_TAG_subprogram && n &&
			    !strcmp(n, "mod_sysfs_setup") && dwarf_lowpc(&fn, &lo) == 0)
				code = true;
		} while (!code && dwarf_siblingof(&fn, &fn) == 0);
		ck_assert(code);
		if (o.endian == FORGE_LE)
			ck_assert_uint_eq(lo, fk_symbol(r.k, "mod_sysfs_setup"));
		ck_assert_ptr_nonnull(dwarf_addrdie(dw, lo, &by_addr));
		ck_assert_uint_eq(dwarf_dieoffset(&by_addr), dwarf_dieoffset(&cu));
	}
	dwarf_end(dw);
	elf_end(e);
	close(fd);
	unlink(vml);
	unlink(p);
	forge_scenario_release(&r);
}
END_TEST

/* Without a compiler the forge says so; the 6.12 shape is no reason to refuse. */
START_TEST(test_dwarf_unavailable)
{
	struct fk_opts o = { .endian = FORGE_LE, .debuginfo = true };
	struct fk *k = small_machine(&o, 4096);
	char why[300], *old = getenv("FORGE_CC_PPC64LE") ? strdup(getenv("FORGE_CC_PPC64LE")) : NULL;
	const char *p = tpath("nocc");

	setenv("FORGE_CC_PPC64LE", "", 1);
	ck_assert(!fk_dwarf_available(k, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "gcc-powerpc64le-linux-gnu"));
	ck_assert_int_ne(fk_dwarf_write(k, p), 0);
	setenv("FORGE_CC_PPC64LE", "/nonexistent/powerpc64le-linux-gnu-gcc", 1);
	ck_assert(!fk_dwarf_available(k, why, sizeof(why)));
	ck_assert(!fk_btf_available(&o, why, sizeof(why)));
	if (old)
		setenv("FORGE_CC_PPC64LE", old, 1);
	else
		unsetenv("FORGE_CC_PPC64LE");
	{
		char *oldp = getenv("FORGE_PAHOLE") ? strdup(getenv("FORGE_PAHOLE")) : NULL;
		struct fk_opts b = o;

		setenv("FORGE_PAHOLE", "", 1);
		ck_assert(!fk_btf_available(&o, why, sizeof(why)));
		ck_assert_ptr_nonnull(strstr(why, "pahole"));
		/* fk_new() refuses a BTF kernel it cannot make */
		b.btf = true;
		ck_assert_ptr_null(fk_new(&b));
		if (oldp)
			setenv("FORGE_PAHOLE", oldp, 1);
		else
			unsetenv("FORGE_PAHOLE");
		free(oldp);
	}
	if (old)
		setenv("FORGE_CC_PPC64LE", old, 1);
	else
		unsetenv("FORGE_CC_PPC64LE");
	free(old);
	fk_free(k);
	/* the 6.12 shape has its declarations (kernel-6.12-types.h): its DWARF is only
	 * ever refused for want of a compiler, and its tables are laid out */
	o.kernel = FK_KERNEL_6_12;
	o.radix = true;
	k = small_machine(&o, 4096);
	if (!fk_dwarf_available(k, why, sizeof(why)))
		ck_assert_ptr_null(strstr(why, "shape"));
	ck_assert_uint_ne(fk_kvm_new(k, 1), 0);
	ck_assert_uint_ne(fk_pnv_phb_new(k, 8), 0);
	fk_free(k);
}
END_TEST

/* ---- the tables, walked through libkdumpfile with the header's offsets */

#define OFFSET(what) ((uint64_t)fk_types_offsetof(what))

struct seen {
	uint64_t table, entry, tce;
};

static bool in_truth(const struct forge_scenario_result *r, uint64_t table, uint64_t entry,
		     uint64_t tce)
{
	unsigned i;

	for (i = 0; i < r->ntces; i++)
		if (r->tces[i].table == table && r->tces[i].entry == entry && r->tces[i].tce == tce)
			return true;
	return false;
}

/* gpa -> memslot -> VMM address, the way kvm's __gfn_to_memslot() searches the active
 * set's gfn_tree; 0 with *ua, -1 where no slot holds it */
static int gpa_to_ua(kdump_ctx_t *c, enum forge_endian en, unsigned ps, uint64_t kvm,
		     uint64_t gpa, uint64_t *ua)
{
	uint64_t set = rdn(c, kvm + OFFSET("kvm.memslots"), 8, en), gfn = gpa >> ps, node;
	unsigned idx = (unsigned)rdn(c, set + OFFSET("kvm_memslots.node_idx"), 4, en);
	unsigned steps = 0;

	ck_assert_uint_lt(idx, 2);
	ck_assert_uint_ge(set, kvm + OFFSET("kvm.__memslots"));
	node = rdn(c, set + OFFSET("kvm_memslots.gfn_tree"), 8, en);
	/* the root is black with no parent */
	if (node)
		ck_assert_uint_eq(rdn(c, node + OFFSET("rb_node.__rb_parent_color"), 8, en), 1);
	while (node && steps++ < 64) {
		uint64_t slot = node - OFFSET("kvm_memory_slot.gfn_node") - idx * OFFSET("rb_node");
		uint64_t base = rdn(c, slot + OFFSET("kvm_memory_slot.base_gfn"), 8, en);
		uint64_t npages = rdn(c, slot + OFFSET("kvm_memory_slot.npages"), 8, en);

		if (gfn < base) {
			node = rdn(c, node + OFFSET("rb_node.rb_left"), 8, en);
		} else if (gfn >= base + npages) {
			node = rdn(c, node + OFFSET("rb_node.rb_right"), 8, en);
		} else {
			*ua = rdn(c, slot + OFFSET("kvm_memory_slot.userspace_addr"), 8, en) +
			      (gpa - (base << ps));
			return 0;
		}
	}
	return -1;
}

/* The VMM's page tables, from mm->pgd (radix or Linux's hash-MMU tree geometry). */
static uint64_t user_pfn(kdump_ctx_t *c, const struct fk_opts *o, uint64_t mm, uint64_t ua)
{
	static const unsigned r64[4] = { 13, 9, 9, 5 }, r4[4] = { 13, 9, 9, 9 };
	static const unsigned h64[4] = { 8, 10, 10, 8 }, h4[4] = { 9, 9, 7, 9 };
	const unsigned *bits = o->radix ? (o->page_shift == 16 ? r64 : r4)
					: (o->page_shift == 16 ? h64 : h4);
	uint64_t table = rdn(c, mm + OFFSET("mm_struct.pgd"), 8, o->endian) & ~LINEAR;
	unsigned shift[4];
	int l;

	shift[3] = o->page_shift;
	for (l = 2; l >= 0; l--)
		shift[l] = shift[l + 1] + bits[l + 1];
	for (l = 0; l < 4; l++) {
		uint64_t idx = (ua >> shift[l]) & ((1ULL << bits[l]) - 1), ent;
		uint8_t b[8];

		ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, table + 8 * idx, b, 8), KDUMP_OK);
		ent = dec(b, 8, FORGE_BE);
		if (!(ent & 0x8000000000000000ULL))
			return FORGE_NO_PFN;
		if (l == 3) {
			ck_assert(ent & 0x4000000000000000ULL); /* _PAGE_PTE */
			return (ent & 0x01fffffffffff000ULL) >> o->page_shift;
		}
		ck_assert(!(ent & 0x4000000000000000ULL));
		if (o->radix)
			ck_assert_uint_eq(ent & 0x1f, bits[l + 1]);
		table = ent & 0x0fffffffffffff00ULL;
	}
	return FORGE_NO_PFN;
}

/* The truth's host pfn for an entry. */
static uint64_t truth_host_pfn(const struct forge_scenario_result *r, uint64_t table,
			       uint64_t entry)
{
	unsigned i;

	for (i = 0; i < r->ntces; i++)
		if (r->tces[i].table == table && r->tces[i].entry == entry)
			return r->tces[i].host_pfn;
	ck_abort_msg("entry 0x%llx is not in the truth", (unsigned long long)entry);
	return 0;
}

START_TEST(test_kvm_tables)
{
	struct fk_opts o = combo_tables(_i);
	struct forge_scenario_result r;
	const char *p = tpath("kvmt");
	uint64_t head, pos, per, vmemmap, sps, nvalid = 0, nhost = 0;
	unsigned nvms = 0, nstt = 0;
	enum forge_endian en = o.endian;
	char err[512];
	kdump_ctx_t *c;

	ck_assert_msg(!forge_scenario_write("kvm-tables", &o, p, &r, err, sizeof(err)), "%s", err);
	c = open_dump(p, true);
	per = (1ULL << o.page_shift) / 8;
	vmemmap = forge_scenario_fact(&r, "vmemmap_base", 0);
	sps = forge_scenario_fact(&r, "struct_page_size", 0);
	head = fk_symbol(r.k, "vm_list");
	ck_assert_uint_ne(head, 0);
	/* vm_list: newest first (list_add), back to the head */
	for (pos = rdn(c, head, 8, en); pos != head; pos = rdn(c, pos, 8, en)) {
		uint64_t kvm = pos - OFFSET("kvm.vm_list"), thead, s;

		ck_assert_uint_eq(kvm, forge_scenario_fact(&r, nvms ? "kvm.a" : "kvm.b", 0));
		ck_assert_uint_ne(rdn(c, kvm + OFFSET("kvm.mm"), 8, en), 0);
		thead = kvm + OFFSET("kvm.arch.spapr_tce_tables");
		for (s = rdn(c, thead, 8, en); s != thead; s = rdn(c, s, 8, en)) {
			uint64_t stt = s - OFFSET("kvmppc_spapr_tce_table.list");
			uint64_t size = rdn(c, stt + OFFSET("kvmppc_spapr_tce_table.size"), 8, en);
			uint64_t offset = rdn(c, stt + OFFSET("kvmppc_spapr_tce_table.offset"), 8, en);
			uint64_t npages = (size + per - 1) / per, i, j, nalloc = 0, nv = 0;
			const char *x = NULL;

			ck_assert_uint_eq(rdn(c, stt + OFFSET("kvmppc_spapr_tce_table.kvm"), 8, en),
					  kvm);
			if (stt == forge_scenario_fact(&r, "stt.a4k", 1))
				x = "a4k";
			else if (stt == forge_scenario_fact(&r, "stt.a64k", 1))
				x = "a64k";
			else if (stt == forge_scenario_fact(&r, "stt.b16m", 1))
				x = "b16m";
			ck_assert_ptr_nonnull(x);
			for (i = 0; i < npages; i++) {
				uint64_t pg = rdn(c, stt + OFFSET("kvmppc_spapr_tce_table.pages") +
						  8 * i, 8, en), phys;

				if (!pg)
					continue;
				nalloc++;
				ck_assert_uint_eq((pg - vmemmap) % sps, 0);
				phys = (pg - vmemmap) / sps << o.page_shift;
				for (j = 0; j < per && i * per + j < size; j++) {
					uint8_t b[8];
					uint64_t v;

					ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, phys + 8 * j, b, 8),
							 KDUMP_OK);
					v = dec(b, 8, en); /* the CPU's order */
					if (!v)
						continue;
					ck_assert_msg(in_truth(&r, stt, offset + i * per + j, v),
						      "%s entry 0x%llx = 0x%llx", x,
						      (unsigned long long)(offset + i * per + j),
						      (unsigned long long)v);
					/* the host page behind it: memslot, then the VMM's
					 * page tables */
					{
						uint64_t ua, hp = FORGE_NO_PFN;
						uint64_t mm = rdn(c, kvm + OFFSET("kvm.mm"), 8, en);

						if (!gpa_to_ua(c, en, o.page_shift, kvm, v & ~0xfffULL, &ua))
							hp = user_pfn(c, &o, mm, ua);
						ck_assert_uint_eq(hp, truth_host_pfn(&r, stt, offset + i * per + j));
						nhost += hp != FORGE_NO_PFN;
					}
					nv++;
				}
			}
			{
				char f[48];

				snprintf(f, sizeof(f), "stt.%s.valid", x);
				ck_assert_uint_eq(nv, forge_scenario_fact(&r, f, 0));
				snprintf(f, sizeof(f), "stt.%s.allocated", x);
				ck_assert_uint_eq(nalloc, forge_scenario_fact(&r, f, 0));
				snprintf(f, sizeof(f), "stt.%s.page_shift", x);
				ck_assert_uint_eq(rdn(c, stt + OFFSET("kvmppc_spapr_tce_table.page_shift"),
						      4, en), forge_scenario_fact(&r, f, 0));
				snprintf(f, sizeof(f), "stt.%s.liobn", x);
				ck_assert_uint_eq(rdn(c, stt + OFFSET("kvmppc_spapr_tce_table.liobn"),
						      8, en), forge_scenario_fact(&r, f, 0));
			}
			if (!strcmp(x, "a64k")) {
				uint64_t ih = stt + OFFSET("kvmppc_spapr_tce_table.iommu_tables");
				uint64_t it = rdn(c, ih, 8, en);

				ck_assert_uint_eq(it - OFFSET("kvmppc_spapr_tce_iommu_table.next"),
						  forge_scenario_fact(&r, "attach.stit", 0));
				ck_assert_uint_eq(rdn(c, it - OFFSET("kvmppc_spapr_tce_iommu_table.next") +
						      OFFSET("kvmppc_spapr_tce_iommu_table.tbl"), 8, en),
						  forge_scenario_fact(&r, "attach.tbl", 0));
				ck_assert_uint_eq(rdn(c, it, 8, en), ih);
			}
			nvalid += nv;
			nstt++;
		}
		nvms++;
	}
	ck_assert_uint_eq(nvms, 2);
	ck_assert_uint_eq(nstt, 3);
	ck_assert_uint_eq(nvalid, r.ntces);
	/* all but the untouched page and the gpa outside every memslot */
	ck_assert_uint_eq(nhost, r.ntces - 2);
	{
		uint64_t ua;

		ck_assert_uint_eq(truth_host_pfn(&r, forge_scenario_fact(&r, "stt.a4k", 0),
						 forge_scenario_fact(&r, "stt.a4k.unmapped_entry", 0)),
				  FORGE_NO_PFN);
		ck_assert_int_ne(gpa_to_ua(c, en, o.page_shift, forge_scenario_fact(&r, "kvm.a", 0),
					   0xfffff0000ULL, &ua), 0);
		ck_assert_int_eq(gpa_to_ua(c, en, o.page_shift, forge_scenario_fact(&r, "kvm.a", 0),
					   0x80000000ULL, &ua), 0);
		ck_assert_uint_eq(ua, forge_scenario_fact(&r, "memslot.a1.ua", 0));
		/* the hva tree's leftmost is the lowest VMM address: slot a1 */
		{
			uint64_t kvm = forge_scenario_fact(&r, "kvm.a", 0);
			uint64_t set = rdn(c, kvm + OFFSET("kvm.memslots"), 8, en);
			unsigned idx = (unsigned)rdn(c, set + OFFSET("kvm_memslots.node_idx"), 4, en);
			uint64_t lm = rdn(c, set + OFFSET("kvm_memslots.hva_tree") + 8, 8, en);

			ck_assert_uint_eq(lm - OFFSET("kvm_memory_slot.hva_node") -
					  idx * OFFSET("interval_tree_node"),
					  forge_scenario_fact(&r, "memslot.a1", 0));
		}
	}
	/* the sparse pages[]: the NULL entry's page is NULL */
	{
		uint64_t stt = forge_scenario_fact(&r, "stt.a4k", 0);
		uint64_t ne = forge_scenario_fact(&r, "stt.a4k.null_entry", 0);

		ck_assert_uint_eq(fk_kvm_stt_page(r.k, stt, ne / per), 0);
		ck_assert_uint_ne(fk_kvm_stt_page(r.k, stt, 0), 0);
	}
	/* modules: kvm_hv first (list_add_rcu), names in struct module */
	{
		uint64_t mh = fk_symbol(r.k, "modules"), m = rdn(c, mh, 8, en);

		ck_assert_uint_eq(m - OFFSET("module.list"), forge_scenario_fact(&r, "module.kvm_hv", 0));
		/* module memory is vmalloc: read it through the forge's books */
		{
			uint64_t phys;
			char nm[8];

			ck_assert_int_eq(fk_vmalloc_translate(r.k, m - OFFSET("module.list") +
							      OFFSET("module.name"), &phys), 0);
			ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, phys, nm, 7), KDUMP_OK);
			ck_assert_int_eq(memcmp(nm, "kvm_hv", 7), 0);
		}
	}
	close_dump(c);
	forge_scenario_release(&r);
	unlink(p);
}
END_TEST

/* A hardware table's entries, level by level from it_base (big-endian). */
static unsigned walk_hw(kdump_ctx_t *c, const struct forge_scenario_result *r,
			enum forge_endian en, uint64_t tbl, unsigned *missing, unsigned *unread)
{
	uint64_t base = rdn(c, tbl + OFFSET("iommu_table.it_base"), 8, en);
	uint64_t size = rdn(c, tbl + OFFSET("iommu_table.it_size"), 8, en);
	uint64_t levels = rdn(c, tbl + OFFSET("iommu_table.it_indirect_levels"), 8, en) + 1;
	uint64_t ls = rdn(c, tbl + OFFSET("iommu_table.it_level_size"), 8, en);
	uint64_t off = rdn(c, tbl + OFFSET("iommu_table.it_offset"), 8, en);
	uint64_t idx, span = 1, l;
	unsigned n = 0;

	for (l = 1; l < levels; l++)
		span *= ls;
	*missing = *unread = 0;
	/* entry by entry is too slow for 64K-entry tables: skip a missing subtree */
	for (idx = 0; idx < size;) {
		uint64_t tab = base & ~LINEAR, step = 1, s = span, v;
		uint8_t b[8];
		bool gone = false;

		for (l = levels; l > 1; l--) {
			uint64_t n_ = (idx / s) % ls;

			if (rd(c, KDUMP_MACHPHYSADDR, tab + 8 * n_, b, 8) != KDUMP_OK) {
				gone = true;
				break;
			}
			v = dec(b, 8, FORGE_BE);
			if (!v) {
				(*missing)++;
				step = s - idx % s;
				gone = true;
				break;
			}
			ck_assert_uint_eq(v & 3, 3);
			tab = v & ~3ULL;
			s /= ls;
		}
		if (gone && step == 1) {
			/* the level is not in the dump */
			(*unread)++;
			step = s - idx % s;
		}
		if (!gone) {
			if (rd(c, KDUMP_MACHPHYSADDR, tab + 8 * (idx % ls), b, 8) == KDUMP_OK) {
				v = dec(b, 8, FORGE_BE);
				if (v) {
					ck_assert_msg(in_truth(r, tbl, off + idx, v),
						      "entry 0x%llx = 0x%llx",
						      (unsigned long long)(off + idx),
						      (unsigned long long)v);
					n++;
				}
			}
		}
		idx += step;
	}
	return n;
}

START_TEST(test_powernv_tables)
{
	struct fk_opts o = combo_tables(_i);
	struct forge_scenario_result r;
	const char *p = tpath("pnvt");
	enum forge_endian en = o.endian;
	uint64_t head, h, total = 0;
	unsigned nphb = 0, npe = 0, ntbl = 0;
	char err[512];
	kdump_ctx_t *c;

	ck_assert_msg(!forge_scenario_write("powernv-tables", &o, p, &r, err, sizeof(err)), "%s",
		      err);
	c = open_dump(p, true);
	head = fk_symbol(r.k, "hose_list");
	for (h = rdn(c, head, 8, en); h != head; h = rdn(c, h, 8, en), nphb++) {
		uint64_t hose = h - OFFSET("pci_controller.list_node");
		uint64_t phb = rdn(c, hose + OFFSET("pci_controller.private_data"), 8, en);
		uint64_t peh = phb + OFFSET("pnv_phb.ioda.pe_list"), pl;

		ck_assert_uint_eq(phb, forge_scenario_fact(&r, nphb ? "phb.1" : "phb.0", 0));
		ck_assert_uint_eq(rdn(c, phb, 8, en), hose);
		for (pl = rdn(c, peh, 8, en); pl != peh; pl = rdn(c, pl, 8, en), npe++) {
			uint64_t pe = pl - OFFSET("pnv_ioda_pe.list");
			int t;

			ck_assert_uint_eq(rdn(c, pe + OFFSET("pnv_ioda_pe.phb"), 8, en), phb);
			/* the PE is in the PHB's array at its number */
			ck_assert_uint_eq(pe, rdn(c, phb + OFFSET("pnv_phb.ioda.pe_array"), 8, en) +
					  rdn(c, pe + OFFSET("pnv_ioda_pe.pe_number"), 4, en) *
					  OFFSET("pnv_ioda_pe"));
			for (t = 0; t < 2; t++) {
				uint64_t tbl = rdn(c, pe + OFFSET("pnv_ioda_pe.table_group") +
						   OFFSET("iommu_table_group.tables") + 8 * t, 8, en);
				unsigned missing, unread, n;
				const char *x;
				char f[48];

				if (!tbl)
					continue;
				ntbl++;
				x = tbl == forge_scenario_fact(&r, "tbl.t0", 0) ? "t0" :
				    tbl == forge_scenario_fact(&r, "tbl.t1", 0) ? "t1" :
				    tbl == forge_scenario_fact(&r, "tbl.t2", 0) ? "t2" : NULL;
				ck_assert_ptr_nonnull(x);
				n = walk_hw(c, &r, en, tbl, &missing, &unread);
				snprintf(f, sizeof(f), "tbl.%s.valid", x);
				ck_assert_uint_eq(n, forge_scenario_fact(&r, f, 0));
				total += n;
				snprintf(f, sizeof(f), "tbl.%s.levels", x);
				ck_assert_uint_eq(rdn(c, tbl + OFFSET("iommu_table.it_indirect_levels"),
						      8, en) + 1, forge_scenario_fact(&r, f, 0));
				if (!strcmp(x, "t1"))
					ck_assert_uint_gt(missing, 0);
				if (!strcmp(x, "t2") && forge_scenario_fact(&r, "tbl.t2.outside_entry", 0))
					ck_assert_uint_gt(unread, 0);
				if (!strcmp(x, "t0"))
					ck_assert_uint_eq(missing + unread, 0);
				/* it_map (vmalloc): a bit for each valid entry, and entry 0 of a
				 * window at 0 */
				{
					uint64_t map = rdn(c, tbl + OFFSET("iommu_table.it_map"), 8, en);
					uint64_t phys, word, e = forge_scenario_fact(&r, "tbl.t0.entry", 0);

					ck_assert_uint_ge(map, 0xc0003d0000000000ULL);
					ck_assert_uint_lt(map & ~LINEAR, 1ULL << 52);
					if (!strcmp(x, "t0")) {
						ck_assert_int_eq(fk_vmalloc_translate(r.k, map, &phys), 0);
						word = dec((uint8_t[8]){ 0 }, 8, en);
						{
							uint8_t b[8];

							ck_assert_int_eq(rd(c, KDUMP_MACHPHYSADDR, phys, b, 8),
									 KDUMP_OK);
							word = dec(b, 8, en);
						}
						ck_assert_uint_eq(word & 1, 1);
						ck_assert_uint_eq((word >> e) & 1, 1);
						if (o.radix) {
							uint64_t pa2;
							int leaf;

							ck_assert_int_eq(radix_walk(c, fk_symbol(r.k, "swapper_pg_dir") & ~LINEAR,
										    o.page_shift, map, &pa2, &leaf), 0);
							ck_assert_uint_eq(pa2, phys);
						}
					}
				}
			}
		}
	}
	ck_assert_uint_eq(nphb, 2);
	ck_assert_uint_eq(npe, 3);
	ck_assert_uint_eq(ntbl, 3);
	ck_assert_uint_eq(total, r.ntces);
	/* the forge's own reader: the missing level, the level outside the dump */
	{
		uint64_t tce;

		ck_assert_int_ne(fk_iommu_get(r.k, forge_scenario_fact(&r, "tbl.t1", 0),
					      forge_scenario_fact(&r, "tbl.t1.missing_entry", 0), &tce), 0);
		ck_assert_int_eq(fk_iommu_get(r.k, forge_scenario_fact(&r, "tbl.t1", 0),
					      forge_scenario_fact(&r, "tbl.t1.entry", 0), &tce), 0);
		ck_assert_uint_eq(tce, forge_scenario_fact(&r, "tbl.t1.tce", 1));
		ck_assert_uint_eq(tce >> o.page_shift, forge_scenario_fact(&r, "tbl.t1.pfn", 1));
		ck_assert_uint_eq(forge_scenario_fact(&r, "tbl.t0.pfn", 0), FORGE_ZOO_PINNED);
	}
	close_dump(c);
	forge_scenario_release(&r);
	unlink(p);
}
END_TEST

/* ---- BTF in memory */

/* BTF kinds (linux/btf.h) and the bytes each adds after struct btf_type */
static size_t btf_extra(unsigned kind, unsigned vlen)
{
	switch (kind) {
	case 1: /* INT */ case 14: /* VAR */ case 17: /* DECL_TAG */
		return 4;
	case 3: /* ARRAY */
		return 12;
	case 4: /* STRUCT */ case 5: /* UNION */ case 15: /* DATASEC */ case 19: /* ENUM64 */
		return 12ULL * vlen;
	case 6: /* ENUM */ case 13: /* FUNC_PROTO */
		return 8ULL * vlen;
	default:
		return 0;
	}
}

/* The byte offset of member of the BTF struct named st, -1 if absent. */
static long btf_member(const uint8_t *btf, size_t len, enum forge_endian e, const char *st,
		       const char *member)
{
	uint32_t hdr_len = (uint32_t)dec(btf + 4, 4, e);
	uint32_t type_off = (uint32_t)dec(btf + 8, 4, e), type_len = (uint32_t)dec(btf + 12, 4, e);
	uint32_t str_off = (uint32_t)dec(btf + 16, 4, e), str_len = (uint32_t)dec(btf + 20, 4, e);
	const uint8_t *t = btf + hdr_len + type_off, *end = t + type_len;
	const char *strs = (const char *)btf + hdr_len + str_off;

	ck_assert_uint_le(hdr_len + str_off + str_len, len);
	while (t + 12 <= end) {
		uint32_t name = (uint32_t)dec(t, 4, e), info = (uint32_t)dec(t + 4, 4, e);
		unsigned kind = (info >> 24) & 0x1f, vlen = info & 0xffff, i;

		if (kind == 4 && name < str_len && !strcmp(strs + name, st)) {
			for (i = 0; i < vlen; i++) {
				const uint8_t *m = t + 12 + 12 * i;
				uint32_t mn = (uint32_t)dec(m, 4, e), off = (uint32_t)dec(m + 8, 4, e);

				if (mn < str_len && !strcmp(strs + mn, member))
					/* kind_flag: bitfield size in the top 8 bits */
					return (long)((info >> 31 ? off & 0xffffff : off) / 8);
			}
			return -1;
		}
		t += 12 + btf_extra(kind, vlen);
	}
	return -1;
}

/* _i bit 0 big-endian, bit 1 the 6.12 shape (4K pages, radix) */
START_TEST(test_btf)
{
	struct fk_opts o = { .endian = _i & 1 ? FORGE_BE : FORGE_LE, .btf = true,
			     .debuginfo = true, .kallsyms = FK_KALLSYMS_ALL };
	static const char *const members[][2] = {
		{ "kvmppc_spapr_tce_table", "liobn" }, { "kvmppc_spapr_tce_table", "pages" },
		{ "kvmppc_spapr_tce_table", "iommu_tables" }, { "iommu_table", "it_base" },
		{ "iommu_table", "it_map" }, { "iommu_table", "it_level_size" },
		{ "kvm", "vm_list" }, { "pnv_ioda_pe", "table_group" },
		{ "pci_controller", "private_data" }, { "module", "name" },
		{ "kvm", "userspace_pid" }, { "kvm", "users_count" },
		{ "pci_controller", "global_number" }, { "kvm_arch", "spapr_tce_tables" },
	};
	static struct kdec d[256];
	struct fk_kallsyms_info ki;
	const char *p = tpath("btf");
	uint64_t start = 0, stop = 0;
	char why[300];
	uint8_t *btf;
	struct fk *k;
	kdump_ctx_t *c;
	int n, i;

	if (_i & 2) {
		o.kernel = FK_KERNEL_6_12;
		o.page_shift = 12;
		o.radix = true;
	}
	if (!fk_btf_available(&o, why, sizeof(why))) {
		fprintf(stderr, "SKIP: BTF: %s\n", why);
		return;
	}
	k = small_machine(&o, 4096);
	write_ok(k, p, NULL);
	ck_assert_int_eq(fk_kallsyms_info(k, &ki), 0);
	c = open_dump(p, true);
	/* the reader's way in: kallsyms */
	n = kallsyms_decode(c, o.endian, d, 256, ki.markers);
	for (i = 0; i < n; i++) {
		if (!strcmp(d[i].name, "__start_BTF"))
			start = d[i].addr;
		if (!strcmp(d[i].name, "__stop_BTF"))
			stop = d[i].addr;
	}
	ck_assert_uint_ne(start, 0);
	ck_assert_uint_gt(stop, start + 24);
	ck_assert_uint_eq(start, fk_symbol(k, "__start_BTF"));
	btf = malloc(stop - start);
	ck_assert_ptr_nonnull(btf);
	ck_assert_int_eq(rd(c, KDUMP_KVADDR, start, btf, stop - start), KDUMP_OK);
	/* magic 0xeb9f in the dump's order, version 1 */
	ck_assert_uint_eq(dec(btf, 2, o.endian), 0xeb9f);
	ck_assert_uint_eq(btf[2], 1);
	for (i = 0; i < (int)(sizeof(members) / sizeof(members[0])); i++) {
		char what[96];

		snprintf(what, sizeof(what), "%s.%s", members[i][0], members[i][1]);
		ck_assert_msg(btf_member(btf, stop - start, o.endian, members[i][0],
					 members[i][1]) == fk_kernel_offsetof(o.kernel, what),
			      "BTF %s", what);
	}
	free(btf);
	close_dump(c);
	fk_free(k);
	unlink(p);
}
END_TEST

static Suite *forge_suite(void)
{
	Suite *s = suite_create("forge");
	TCase *tc;

	tc = tcase_create("low");
	tcase_add_test(tc, test_low_layer);
	suite_add_tcase(s, tc);

	tc = tcase_create("libkdumpfile-reads");
	tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_open_attrs, 0, 4);
	tcase_add_loop_test(tc, test_vmcoreinfo, 0, 4);
	tcase_add_loop_test(tc, test_reads, 0, 4);
	tcase_add_loop_test(tc, test_elf_layout, 0, 4);
	tcase_add_test(tc, test_sparse_big_machine);
	suite_add_tcase(s, tc);

	tc = tcase_create("faults");
	tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_fault_truncate, 0, 4);
	tcase_add_test(tc, test_fault_not_elf);
	tcase_add_test(tc, test_fault_machine);
	tcase_add_loop_test(tc, test_fault_no_vmcoreinfo, 0, 4);
	tcase_add_loop_test(tc, test_fault_no_osrelease, 0, 4);
	tcase_add_loop_test(tc, test_fault_vaddr_eq_paddr, 0, 4);
	suite_add_tcase(s, tc);

	tc = tcase_create("kernel");
	tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_boot_list_descending, 0, 4);
	tcase_add_test(tc, test_hotplug_recycles);
	tcase_add_loop_test(tc, test_straddle_and_compound, 0, 4);
	tcase_add_loop_test(tc, test_radix_tables, 0, 4);
	tcase_add_loop_test(tc, test_radix_small_blocks, 0, 4);
	suite_add_tcase(s, tc);

	tc = tcase_create("scenarios");
	tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_scenarios, 0,
			    (int)(forge_scenario_count() * NSCENARIO_OPTS));
	suite_add_tcase(s, tc);

	tc = tcase_create("libkdumpfile-vmemmap");
	tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_libkdumpfile_vmemmap_clean);
	tcase_add_test(tc, test_libkdumpfile_vmemmap_cycle);
	tcase_add_test(tc, test_libkdumpfile_vmemmap_truncated);
	tcase_add_loop_test(tc, test_libkdumpfile_limits, 0, 4);
	suite_add_tcase(s, tc);

	tc = tcase_create("kernel-6.12");
	tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_612_vmcoreinfo, 0, 8);
	tcase_add_loop_test(tc, test_612_radix_pgtables, 0, 8);
	tcase_add_loop_test(tc, test_612_zoo, 0, 8);
	tcase_add_loop_test(tc, test_612_mem_section, 0, 8);
	tcase_add_loop_test(tc, test_612_scenarios, 0,
			    (int)(forge_scenario_count() * NSCENARIO_OPTS612));
	suite_add_tcase(s, tc);
	tc = tcase_create("kallsyms-dwarf-tables");
	tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_kallsyms, 0, 12);
	tcase_add_loop_test(tc, test_kallsyms_off, 0, 4);
	tcase_add_loop_test(tc, test_dwarf, 0, 16);
	tcase_add_test(tc, test_dwarf_unavailable);
	tcase_add_loop_test(tc, test_btf, 0, 4);
	tcase_add_loop_test(tc, test_kvm_tables, 0, 8);
	tcase_add_loop_test(tc, test_powernv_tables, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(forge_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
