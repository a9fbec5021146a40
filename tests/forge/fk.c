// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The forge's kernel layer: lays out in forge memory what a Linux 6.1 or 6.12
 * book3s64 kernel keeps about its vmemmap, the way the kernel does it.  vmemmap_list
 * and its struct vmemmap_backing entries follow arch/powerpc/mm/init_64.c to the
 * letter (entries carved from a page at a time, inserted at the head, unlinked onto a
 * free stack that shares the static 'next' pointer, recycled first); mmu_psize_defs[],
 * mmu_vmemmap_psize, init_uts_ns and struct pages follow each kernel's types; for
 * radix, swapper_pg_dir is a 4-level tree of big-endian entries built like
 * radix_pgtable.c's __map_kernel_page().  A 6.12 radix kernel keeps no list: there the
 * forge's books of populated blocks are what the page tables map.  Every list
 * operation reads the list back from the dump, as the kernel reads its own memory, so
 * a fault written into the dump is seen by later operations exactly as the kernel
 * would see it.  VMCOREINFO is regenerated from this state at every write.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "forge-int.h"
#include "fk-int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINEAR_BASE 0xc000000000000000ULL
#define DEFAULT_VMEMMAP_BASE 0xc00c000000000000ULL
/* Kernel data starts where a 6.1 vmlinux's .data/.bss would be. */
#define KDATA_BASE 0x2700000ULL
#define KDATA_GROW 0x10000ULL

/* struct vmemmap_backing (asm/book3s/64/pgalloc.h) */
#define VB_SIZE 24
#define VB_LIST 0
#define VB_PHYS 8
#define VB_VIRT 16

/* struct mmu_psize_def (asm/book3s/64/mmu.h), MMU_PAGE_* (asm/mmu.h) */
#define PSIZE_DEF_SIZE 96
#define PSIZE_DEF_SHIFT 0
#define MMU_PAGE_COUNT 16

/* radix page table entries (asm/book3s/64/pgtable.h, radix.h) */
#define PAGE_PRESENT 0x8000000000000000ULL
#define PAGE_PTE 0x4000000000000000ULL
#define PAGE_KERNEL_BITS (PAGE_PRESENT | 0x100 /* ACCESSED */ | 0x8 /* PRIVILEGED */ | \
			  0x4 /* READ */ | 0x2 /* WRITE */ | 0x80 /* DIRTY */)
#define PAGE_PA_MAX 53
#define PGD_INDEX_SIZE 13
#define PUD_INDEX_SIZE 9
#define PMD_INDEX_SIZE 9

/* TAIL_MAPPING = 0x400 + POISON_POINTER_DELTA (CONFIG_ILLEGAL_POINTER_VALUE, ppc64) */
#define TAIL_MAPPING 0x5deadbeef0000400ULL
#define COMPOUND_PAGE_DTOR 1
#define HUGETLB_PAGE_DTOR 2

/* struct cpu_spec (asm/cputable.h), 6.12: pvr_mask, pvr_value (u32), cpu_name,
 * cpu_features (u64), cpu_user_features, cpu_user_features2, mmu_features (u32) */
#define CPU_SPEC_SIZE 0x80
#define CPU_SPEC_PVR_MASK 0
#define CPU_SPEC_PVR_VALUE 4
#define CPU_SPEC_CPU_FEATURES 16
#define CPU_SPEC_MMU_FEATURES 32
/* MMU_FTR_TYPE_RADIX and MMU_FTR_HPTE_TABLE (asm/mmu.h) */
#define MMU_FTR_TYPE_RADIX 0x40u
#define MMU_FTR_HPTE_TABLE 0x1u

#define NEW_UTS_LEN 65

/* SPARSEMEM (6.1 book3s64): sections of 2^24 bytes, 2^51 bytes of physical address
 * space, SPARSEMEM_EXTREME roots of one page of 16-byte struct mem_section
 * (section_mem_map, usage).  The forge keeps the root array and the roots in a RAM
 * region of their own below kernel data (so that truncating a dump still cuts the
 * highest RAM, vmemmap backing, first). */
#define SECTION_SIZE_BITS 24
#define MAX_PHYSMEM_BITS 51
#define MEM_SECTION_SIZE_6_1 16
#define MEM_SECTION_SIZE_6_12 32
#define FK_MS_BASE 0x1000000ULL
#define FK_MS_ROOTS_MAX 8

struct fk_table {
	int level;      /* 1 = PUD, 2 = PMD, 3 = PTE table */
	uint64_t base;  /* first address it maps (top 12 bits stripped) */
	uint64_t phys;
};

struct fk_remap {
	uint64_t virt;
	uint64_t phys;
};

struct fk_override {
	char *key;
	char *value; /* NULL: drop the line */
};

/* A populated vmemmap block in the forge's books. */
struct fk_block {
	uint64_t virt;
	uint64_t phys;
};

struct fk_sect;
struct fk;

/* A symbol added with fk_symbol_add() (the built-in ones are fields of struct fk). */
struct fk_xsym {
	char *name;
	uint64_t kva;
	char type;
};

static int sections_clear(struct fk *k, uint64_t pfn, uint64_t npages);

struct fk {
	struct forge *f;
	struct fk_opts o;
	struct fk_page_layout pl;
	char release[NEW_UTS_LEN];
	unsigned psize_idx;       /* mmu_vmemmap_psize */
	unsigned ms_size;         /* SIZE(mem_section) */
	unsigned pg_head;         /* PG_head's bit */

	uint64_t kdata_end;       /* bump allocator over kernel data */
	uint64_t kdata_ram_end;   /* end of the RAM region holding kernel data */
	uint64_t pool_low;        /* vmemmap backing is taken top-down from here */

	/* symbols (physical addresses) */
	uint64_t swapper_pg_dir, vmemmap_list, mmu_vmemmap_psize, mmu_psize_defs;
	uint64_t init_uts_ns, node_online_map;
	uint64_t vmcoreinfo_note;   /* fk_opts.guest_note: its pages, else 0 */
	uint64_t cur_cpu_spec;    /* 6.12: the pointer variable, 0 in 6.1 */

	/* the static variables of init_64.c */
	uint64_t next;            /* kernel virtual address, 0 = NULL */
	int num_left, num_freed;

	uint64_t *entries;        /* physical address of entry i */
	int nentries;

	struct fk_table *tables;
	size_t ntables;
	struct fk_remap *remaps;
	size_t nremaps;
	uint64_t *unmaps;         /* block virts the page tables leave unmapped */
	size_t nunmaps;
	bool pgd_cleared;
	struct fk_block *books;   /* sorted by virt */
	size_t nbooks;
	struct fk_override *overrides;
	size_t noverrides;

	/* mem_section: the sections with flags, sorted by number */
	struct fk_sect *sects;
	size_t nsects;
	uint64_t ms_array;        /* physical address of the root array, 0 = none yet */
	uint64_t *ms_root;        /* physical address of root i, 0 = none */
	unsigned ms_nroots_used;

	/* symbols beyond the built-in ones, kallsyms, the build id, vmalloc mappings */
	struct fk_xsym *xsyms;
	size_t nxsyms;
	struct fk_ksyms *ks;      /* fk-kallsyms.c */
	struct fk_tables *tabs;   /* fk-tables.c */
	char build_id[41];
	struct fk_vmap *vmaps;
	size_t nvmaps;
};

struct fk_vmap {
	uint64_t va, phys, size;
};

struct fk_sect {
	uint64_t nr;
	unsigned flags;
};

static int fail(struct fk *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct fk *k, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return forge_fail(k->f, "%s", buf);
}

uint64_t fk_kva(uint64_t phys)
{
	return LINEAR_BASE | phys;
}

static bool is_linear(uint64_t kva)
{
	return (kva >> 60) == 0xc && !(kva & 0x0ff0000000000000ULL);
}

static uint64_t kva_to_phys(uint64_t kva)
{
	return kva & ~LINEAR_BASE;
}

static uint64_t block_size(const struct fk *k)
{
	return 1ULL << k->o.vmemmap_shift;
}

static uint64_t page_size(const struct fk *k)
{
	return 1ULL << k->o.page_shift;
}

static bool is612(const struct fk *k)
{
	return k->o.kernel == FK_KERNEL_6_12;
}

/* 6.12 radix: no vmemmap_list, the page tables are the only record of the vmemmap. */
static bool listless(const struct fk *k)
{
	return is612(k) && k->o.radix;
}

static int psize_index(unsigned shift)
{
	static const unsigned char shifts[MMU_PAGE_COUNT] = {
		12, 14, 16, 16, 18, 19, 20, 21, 22, 23, 24, 26, 28, 30, 34, 36,
	};
	int i;

	for (i = 0; i < MMU_PAGE_COUNT; i++)
		if (shifts[i] == shift && i != 3 /* 64K_AP */)
			return i;
	return -1;
}

/* ------------------------------------------------------------ kernel data */

uint64_t fk_alloc(struct fk *k, size_t size, size_t align)
{
	uint64_t start, end;

	if (!align)
		align = 8;
	if (align & (align - 1)) {
		fail(k, "fk_alloc: alignment %zu is not a power of two", align);
		return 0;
	}
	start = (k->kdata_end + align - 1) & ~((uint64_t)align - 1);
	end = start + (size ? size : 1);
	if (end > k->kdata_ram_end) {
		uint64_t grow_end = (end + KDATA_GROW - 1) & ~(KDATA_GROW - 1);

		if (grow_end > k->pool_low) {
			fail(k, "kernel data would reach vmemmap backing at 0x%llx",
			     (unsigned long long)k->pool_low);
			return 0;
		}
		if (forge_add_ram_merge(k->f, k->kdata_ram_end, grow_end - k->kdata_ram_end))
			return 0;
		k->kdata_ram_end = grow_end;
	}
	k->kdata_end = end;
	return start;
}

static int put64(struct fk *k, uint64_t phys, uint64_t v)
{
	return forge_put_u64(k->f, phys, v);
}

static int get64(struct fk *k, uint64_t phys, uint64_t *v)
{
	return forge_get_u64(k->f, phys, v);
}

/* Page tables are big-endian whatever the dump's byte order (as the MMU reads them). */
static int put_be64(struct fk *k, uint64_t phys, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	return forge_write(k->f, phys, b, 8);
}

static void store_n(const struct fk *k, uint8_t *p, uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++) {
		unsigned shift = 8 * (k->o.endian == FORGE_LE ? i : bytes - 1 - i);

		p[i] = (uint8_t)(v >> shift);
	}
}

static uint64_t load_n(const struct fk *k, const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++) {
		unsigned shift = 8 * (k->o.endian == FORGE_LE ? i : bytes - 1 - i);

		v |= (uint64_t)p[i] << shift;
	}
	return v;
}

/* ------------------------------------------------------------ setup */

static int setup_uts(struct fk *k)
{
	/* struct uts_namespace starts with struct new_utsname: six 65-byte strings */
	static const char *const fields[6] = { "Linux", "forge", NULL,
		"#1 SMP tce-forge", NULL, "(none)" };
	char name[6][NEW_UTS_LEN];
	int i;

	memset(name, 0, sizeof(name));
	for (i = 0; i < 6; i++)
		if (fields[i])
			snprintf(name[i], NEW_UTS_LEN, "%s", fields[i]);
	snprintf(name[2], NEW_UTS_LEN, "%s", k->release);
	snprintf(name[4], NEW_UTS_LEN, "%s", k->o.endian == FORGE_LE ? "ppc64le" : "ppc64");
	k->init_uts_ns = fk_alloc(k, 0x1c0, 8);
	if (!k->init_uts_ns)
		return -1;
	if (k->o.guest_note) {
		/* vmcoreinfo_note: alloc_pages_exact(), page-aligned; room for the
		 * second note FORGE_FAULT_QEMU_TWO_NOTES asks for */
		uint64_t room = 4 * 65536, note = fk_alloc(k, room, page_size(k));

		if (!note || forge_set_vmcoreinfo_note(k->f, note, room))
			return -1;
		k->vmcoreinfo_note = note;
	}
	return forge_write(k->f, k->init_uts_ns, name, sizeof(name));
}

static int setup_psize_defs(struct fk *k)
{
	static const unsigned radix_sizes[] = { 12, 16, 21, 30 };
	static const unsigned hash_sizes[] = { 12, 16, 24 };
	const unsigned *sizes = k->o.radix ? radix_sizes : hash_sizes;
	/* a Debian 13 hash guest in QEMU lists 4K and 64K only */
	size_t n = k->o.radix ? 4 : is612(k) ? 2 : 3, i;

	k->mmu_psize_defs = fk_alloc(k, PSIZE_DEF_SIZE * MMU_PAGE_COUNT, 8);
	k->mmu_vmemmap_psize = fk_alloc(k, 4, 4);
	if (!k->mmu_psize_defs || !k->mmu_vmemmap_psize)
		return -1;
	for (i = 0; i < n; i++) {
		int idx = psize_index(sizes[i]);

		if (forge_put_u32(k->f, k->mmu_psize_defs + PSIZE_DEF_SIZE * (unsigned)idx +
				  PSIZE_DEF_SHIFT, sizes[i]))
			return -1;
	}
	/* 6.12 radix never sets mmu_vmemmap_psize: it stays MMU_PAGE_4K (pgtable.c) */
	if (!listless(k) &&
	    forge_put_u32(k->f, k->mmu_psize_defs + PSIZE_DEF_SIZE * k->psize_idx +
			  PSIZE_DEF_SHIFT, k->o.vmemmap_shift))
		return -1;
	return forge_put_u32(k->f, k->mmu_vmemmap_psize, k->psize_idx);
}

/* 6.12: cur_cpu_spec points at a struct cpu_spec with the features a Debian 13 guest
 * in QEMU has (POWER9 with radix, POWER8 with hash); MMU_FTR_TYPE_RADIX says which
 * (MMU_FTR_HPTE_TABLE is set on both: the POWER9 can do hash too). */
static int setup_cpu_spec(struct fk *k)
{
	uint64_t spec;

	k->cur_cpu_spec = fk_alloc(k, 8, 8);
	spec = fk_alloc(k, CPU_SPEC_SIZE, 8);
	if (!k->cur_cpu_spec || !spec)
		return -1;
	if (put64(k, k->cur_cpu_spec, fk_kva(spec)) ||
	    forge_put_u32(k->f, spec + CPU_SPEC_PVR_MASK, 0xffffffffu) ||
	    forge_put_u32(k->f, spec + CPU_SPEC_PVR_VALUE,
			  k->o.radix ? 0x0f000005u : 0x0f000004u) ||
	    put64(k, spec + CPU_SPEC_CPU_FEATURES,
		  k->o.radix ? 0x1c06b8f4f9187ULL : 0xeb8f4d9187ULL))
		return -1;
	return forge_put_u32(k->f, spec + CPU_SPEC_MMU_FEATURES,
			     k->o.radix ? 0x3c007601u | MMU_FTR_TYPE_RADIX
					: 0x78006000u | MMU_FTR_HPTE_TABLE);
}

struct fk *fk_new(const struct fk_opts *opts)
{
	struct fk *k = calloc(1, sizeof(*k));
	int idx;

	if (!k)
		return NULL;
	k->o = *opts;
	k->f = forge_new(opts->endian);
	if (!k->f) {
		free(k);
		return NULL;
	}
	if (k->o.kernel != FK_KERNEL_6_1 && k->o.kernel != FK_KERNEL_6_12) {
		fail(k, "kernel shape %d is neither 6.1 nor 6.12", (int)k->o.kernel);
		goto bad;
	}
	if (!k->o.page_shift)
		k->o.page_shift = 16;
	if (!k->o.struct_page_size)
		k->o.struct_page_size = 64;
	if (!k->o.vmemmap_shift)
		k->o.vmemmap_shift = k->o.radix ? 21 :
				     is612(k) && k->o.page_shift == 12 ? 12 : 16;
	if (!k->o.vmemmap_base)
		k->o.vmemmap_base = is612(k) && !k->o.radix && k->o.page_shift == 12
					    ? FK_VMEMMAP_BASE_HASH_4K : DEFAULT_VMEMMAP_BASE;
	if (!k->o.ram_bytes)
		k->o.ram_bytes = 4ULL << 30;
	snprintf(k->release, sizeof(k->release), "%s",
		 k->o.release ? k->o.release : is612(k) ? "6.12.0-forge" : "6.1.0-forge");
	k->o.release = k->release;

	if (is612(k))
		k->pl = (struct fk_page_layout){
			.size = k->o.struct_page_size, .flags = 0, .compound_head = 8,
			.lru = 8, .mapping = 24, .index = 32, .private_ = 40,
			.mapcount = 48, .refcount = 52,
			.compound_dtor = FK_FIELD_NONE, .compound_order = FK_FIELD_NONE,
			.compound_mapcount = FK_FIELD_NONE, .compound_nr = FK_FIELD_NONE,
			.large_mapcount = 16, .entire_mapcount = 20, .nr_pages_mapped = 24,
			.pincount = 28, .folio_nr_pages = 32, .deferred_list = 16,
		};
	else
		k->pl = (struct fk_page_layout){
			.size = k->o.struct_page_size, .flags = 0, .compound_head = 8,
			.lru = 8, .mapping = 24, .index = 32, .private_ = 40,
			.mapcount = 48, .refcount = 52,
			.compound_dtor = 16, .compound_order = 17, .compound_mapcount = 20,
			.compound_nr = 28,
			.large_mapcount = FK_FIELD_NONE, .entire_mapcount = FK_FIELD_NONE,
			.nr_pages_mapped = FK_FIELD_NONE, .pincount = 24,
			.folio_nr_pages = FK_FIELD_NONE, .deferred_list = FK_FIELD_NONE,
		};
	k->ms_size = is612(k) ? MEM_SECTION_SIZE_6_12 : MEM_SECTION_SIZE_6_1;
	k->pg_head = is612(k) ? FK_PG612_HEAD : FK_PG_HEAD;

	idx = psize_index(k->o.vmemmap_shift);
	if (k->o.page_shift != 12 && k->o.page_shift != 16) {
		fail(k, "page_shift %u: only 12 and 16 exist on book3s64", k->o.page_shift);
		goto bad;
	}
	if (k->o.struct_page_size < 56) {
		fail(k, "struct page of %u bytes cannot hold 6.1's fields",
		     k->o.struct_page_size);
		goto bad;
	}
	if (idx < 0 || k->o.vmemmap_shift < k->o.page_shift) {
		fail(k, "vmemmap_shift %u is no MMU page size here", k->o.vmemmap_shift);
		goto bad;
	}
	if (k->o.vmemmap_base & (block_size(k) - 1)) {
		fail(k, "vmemmap_base 0x%llx is not block-aligned",
		     (unsigned long long)k->o.vmemmap_base);
		goto bad;
	}
	k->psize_idx = listless(k) ? 0 /* MMU_PAGE_4K */ : (unsigned)idx;
	k->pool_low = k->o.ram_bytes & ~(block_size(k) - 1);
	k->kdata_end = k->kdata_ram_end = KDATA_BASE;
	if (k->pool_low < KDATA_BASE + 4 * KDATA_GROW) {
		fail(k, "ram_bytes 0x%llx leaves no room for kernel data",
		     (unsigned long long)k->o.ram_bytes);
		goto bad;
	}

	/* PGD: 2^13 entries, naturally aligned (the radix PRTB points at it) */
	k->swapper_pg_dir = fk_alloc(k, 8ULL << PGD_INDEX_SIZE, 8ULL << PGD_INDEX_SIZE);
	k->vmemmap_list = fk_alloc(k, 8, 8);
	/* nodemask_t: 6.1's shape keeps one word, 6.12's MAX_NUMNODES bits (32 bytes) */
	k->node_online_map = fk_alloc(k, is612(k) ? 32 : 8, 8);
	if (!k->swapper_pg_dir || !k->vmemmap_list || !k->node_online_map ||
	    put64(k, k->node_online_map, 1) || setup_psize_defs(k) || setup_uts(k))
		goto bad;
	if (is612(k) && setup_cpu_spec(k))
		goto bad;
	if (k->o.kallsyms > FK_KALLSYMS_TEXT) {
		fail(k, "kallsyms mode %d is none of FK_KALLSYMS_*", (int)k->o.kallsyms);
		goto bad;
	}
	/* a kernel that has symbols to show: the vmemmap variable and text */
	if ((k->o.kallsyms || k->o.debuginfo || k->o.btf) && fk_symbols_setup(k))
		goto bad;
	if (k->o.btf && fk_btf_embed(k))
		goto bad;
	return k;
bad:
	/* the caller gets the reason on stderr: there is no object to ask */
	fprintf(stderr, "fk_new: %s\n", forge_errmsg(k->f));
	fk_free(k);
	return NULL;
}

void fk_free(struct fk *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->noverrides; i++) {
		free(k->overrides[i].key);
		free(k->overrides[i].value);
	}
	free(k->overrides);
	free(k->entries);
	free(k->tables);
	free(k->remaps);
	free(k->unmaps);
	free(k->books);
	free(k->sects);
	free(k->ms_root);
	for (i = 0; i < k->nxsyms; i++)
		free(k->xsyms[i].name);
	free(k->xsyms);
	free(k->vmaps);
	fk_kallsyms_free(k->ks);
	fk_tables_free(k->tabs);
	forge_free(k->f);
	free(k);
}

uint64_t fk_vmcoreinfo_note(const struct fk *k)
{
	return k->vmcoreinfo_note;
}

struct forge *fk_forge(struct fk *k)
{
	return k->f;
}

const struct fk_opts *fk_opts(const struct fk *k)
{
	return &k->o;
}

const struct fk_page_layout *fk_page_layout(const struct fk *k)
{
	return &k->pl;
}

/* The built-in symbols with their kallsyms type letters. */
struct fk_builtin {
	const char *name;
	uint64_t phys;
	char type;
};

static size_t builtins(const struct fk *k, struct fk_builtin *b)
{
	const struct fk_builtin all[] = {
		{ "swapper_pg_dir", k->swapper_pg_dir, 'D' },
		{ "vmemmap_list", k->vmemmap_list, 'B' },
		{ "mmu_vmemmap_psize", k->mmu_vmemmap_psize, 'B' },
		{ "mmu_psize_defs", k->mmu_psize_defs, 'B' },
		{ "init_uts_ns", k->init_uts_ns, 'D' },
		{ "node_online_map", k->node_online_map, 'D' },
		{ "cur_cpu_spec", k->cur_cpu_spec, 'D' },
		/* the root array sits at a fixed place (built at the first write) */
		{ "mem_section", k->o.no_mem_section ? 0 : FK_MS_BASE, 'B' },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i].phys)
			b[n++] = all[i];
	return n;
}

#define FK_MAX_BUILTINS 8

uint64_t fk_symbol(const struct fk *k, const char *name)
{
	struct fk_builtin b[FK_MAX_BUILTINS];
	size_t i, n = builtins(k, b);

	for (i = 0; i < n; i++)
		if (!strcmp(b[i].name, name))
			return fk_kva(b[i].phys);
	for (i = 0; i < k->nxsyms; i++)
		if (!strcmp(k->xsyms[i].name, name))
			return k->xsyms[i].kva;
	return 0;
}

unsigned fk_symbol_count(const struct fk *k)
{
	struct fk_builtin b[FK_MAX_BUILTINS];

	return (unsigned)(builtins(k, b) + k->nxsyms);
}

int fk_symbol_get(const struct fk *k, unsigned i, const char **name, uint64_t *kva,
		  char *type)
{
	struct fk_builtin b[FK_MAX_BUILTINS];
	size_t n = builtins(k, b);

	if (i < n) {
		*name = b[i].name;
		*kva = fk_kva(b[i].phys);
		*type = b[i].type;
		return 0;
	}
	i -= (unsigned)n;
	if (i >= k->nxsyms)
		return forge_fail(k->f, "no symbol %u", i + (unsigned)n);
	*name = k->xsyms[i].name;
	*kva = k->xsyms[i].kva;
	*type = k->xsyms[i].type;
	return 0;
}

int fk_symbol_add(struct fk *k, const char *name, uint64_t kva, char type)
{
	struct fk_xsym *x;

	if (!name || !*name || strlen(name) > 500)
		return fail(k, "symbol name must be 1..500 characters");
	if (!strchr("TtDdBbRrWw", type))
		return fail(k, "symbol %s: type '%c' is no kallsyms type here", name, type);
	x = realloc(k->xsyms, (k->nxsyms + 1) * sizeof(*x));
	if (!x)
		return fail(k, "out of memory");
	k->xsyms = x;
	x[k->nxsyms].name = strdup(name);
	if (!x[k->nxsyms].name)
		return fail(k, "out of memory");
	x[k->nxsyms].kva = kva;
	x[k->nxsyms].type = type;
	k->nxsyms++;
	return 0;
}

/*
 * Text symbols a kernel always has, and the duplicated static names real kernels are
 * full of (the same name at different addresses, lowercase type), in [_stext, _etext);
 * a name long enough to need 6.1's two-byte length; and the vmemmap variable
 * (arch/powerpc/mm/pgtable_64.c), which holds the vmemmap base.  Only kernels with
 * kallsyms or debuginfo get them, so that other dumps stay as they were.
 */
int fk_symbols_setup(struct fk *k)
{
	static const struct {
		const char *name;
		char type;
		uint32_t off;
	} text[] = {
		{ "_stext", 'T', 0x0 },
		{ "__start_interrupts", 'T', 0x0 },
		{ "start_kernel", 'T', 0x12340 },
		{ "release", 't', 0x20100 },
		{ "kvm_create_vm", 'T', 0x31000 },
		{ "kvmppc_h_put_tce", 'T', 0x31400 },
		{ "kvmppc_h_put_tce_indirect", 'T', 0x31800 },
		{ "kvmppc_h_stuff_tce", 'T', 0x31c00 },
		{ "kvmppc_tce_validate", 't', 0x31e00 },
		{ "kvmppc_tce_put", 't', 0x31f00 },
		{ "release", 't', 0x40200 },
		{ "pnv_tce", 't', 0x52000 },
		{ "pnv_tce_build", 'T', 0x52200 },
		{ "pnv_pci_ioda2_table_alloc_pages", 'T', 0x52600 },
		{ "iommu_init_table", 'T', 0x53000 },
		{ "iommu_tce_xchg_no_kill", 'T', 0x53400 },
		{ "cleanup", 't', 0x61000 },
		{ "vmemmap_populate", 'T', 0x70000 },
		{ "vmemmap_list_populate", 't', 0x70400 },
		{ "cleanup", 't', 0x88000 },
		{ "release", 't', 0x90300 },
		/* the home libtce's types.c names for struct module_sect_attrs: the DWARF
		 * file (fk-dwarf.c) has its code, in the unit that defines the type */
		{ "mod_sysfs_setup", 'T', 0x9c000 },
		{ "_etext", 'T', 0xa00000 },
	};
	char longname[481];
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (fk_symbol_add(k, text[i].name, LINEAR_BASE + text[i].off, text[i].type))
			return -1;
	/* 480 characters in which no pair of characters repeats (the start of a de
	 * Bruijn sequence of order 2 over 37 characters): each token the compression
	 * makes can shorten it by one at most, so it keeps more than 127 tokens */
	{
		static const char cs[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
		const unsigned q = sizeof(cs) - 1;
		size_t len = 0;
		unsigned a, b;

		/* Lyndon words of length 1 and 2 in order: a, then a b for b > a */
		for (a = 0; a < q && len < 480; a++) {
			longname[len++] = cs[a];
			for (b = a + 1; b < q && len + 1 < 480; b++) {
				longname[len++] = cs[a];
				longname[len++] = cs[b];
			}
		}
		longname[len] = 0;
	}
	if (fk_symbol_add(k, longname, LINEAR_BASE + 0x98000, 't'))
		return -1;
	v = fk_alloc(k, 8, 8);
	if (!v || put64(k, v, k->o.vmemmap_base) ||
	    fk_symbol_add(k, "vmemmap", fk_kva(v), 'D'))
		return -1;
	return 0;
}

uint64_t fk_vmemmap_block_size(const struct fk *k)
{
	return block_size(k);
}

uint64_t fk_pfn_to_vmemmap(const struct fk *k, uint64_t pfn)
{
	return k->o.vmemmap_base + pfn * k->o.struct_page_size;
}

/* ------------------------------------------------------------ vmemmap_list */

/* A bound on any walk of the list in the dump: faults may have made it cyclic. */
static int walk_bound(const struct fk *k)
{
	return k->nentries + 1;
}

/* ------------------------------------------------------------ the books */

/* Position of the block at virt in the books, or where it would go. */
static size_t books_pos(const struct fk *k, uint64_t virt)
{
	size_t lo = 0, hi = k->nbooks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k->books[mid].virt < virt)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool books_find(const struct fk *k, uint64_t virt, uint64_t *phys)
{
	size_t pos = books_pos(k, virt);

	if (pos == k->nbooks || k->books[pos].virt != virt)
		return false;
	if (phys)
		*phys = k->books[pos].phys;
	return true;
}

static int books_add(struct fk *k, uint64_t virt, uint64_t phys)
{
	size_t pos = books_pos(k, virt);
	struct fk_block *b;

	if (pos < k->nbooks && k->books[pos].virt == virt) {
		k->books[pos].phys = phys;
		return 0;
	}
	b = realloc(k->books, (k->nbooks + 1) * sizeof(*b));
	if (!b)
		return fail(k, "out of memory");
	k->books = b;
	memmove(&b[pos + 1], &b[pos], (k->nbooks - pos) * sizeof(*b));
	b[pos] = (struct fk_block){ virt, phys };
	k->nbooks++;
	return 0;
}

static void books_del(struct fk *k, uint64_t virt)
{
	size_t pos = books_pos(k, virt);

	if (pos == k->nbooks || k->books[pos].virt != virt)
		return;
	memmove(&k->books[pos], &k->books[pos + 1], (k->nbooks - pos - 1) * sizeof(*k->books));
	k->nbooks--;
}

int fk_vmemmap_nblocks(const struct fk *k)
{
	return (int)k->nbooks;
}

int fk_vmemmap_block(const struct fk *k, int i, uint64_t *virt, uint64_t *phys)
{
	if (i < 0 || (size_t)i >= k->nbooks)
		return forge_fail(k->f, "no block %d in the books", i);
	*virt = k->books[i].virt;
	*phys = k->books[i].phys;
	return 0;
}

static bool unmapped(const struct fk *k, uint64_t virt)
{
	size_t i;

	for (i = 0; i < k->nunmaps; i++)
		if (k->unmaps[i] == virt)
			return true;
	return false;
}

/* 6.12 radix: what the page tables map at the block holding va (the books, with the
 * page-table faults applied). */
static int pgtable_block(struct fk *k, uint64_t va, uint64_t *virt, uint64_t *phys)
{
	uint64_t v = va & ~(block_size(k) - 1);
	bool found = false;
	size_t i;

	if (k->pgd_cleared || unmapped(k, v))
		return -1;
	for (i = 0; i < k->nremaps; i++)
		if (k->remaps[i].virt == v) {
			*phys = k->remaps[i].phys;
			found = true;
		}
	if (!found && !books_find(k, v, phys))
		return -1;
	*virt = v;
	return 0;
}

/* The first live entry (in list order) whose block contains va; in 6.12 radix, what
 * the page tables map there. */
static int lookup_block(struct fk *k, uint64_t va, uint64_t *virt, uint64_t *phys)
{
	uint64_t e, v, p;
	int steps;

	if (listless(k))
		return pgtable_block(k, va, virt, phys);
	if (get64(k, k->vmemmap_list, &e))
		return -1;
	for (steps = 0; e && steps < walk_bound(k); steps++) {
		if (!is_linear(e) || get64(k, kva_to_phys(e) + VB_VIRT, &v) ||
		    get64(k, kva_to_phys(e) + VB_PHYS, &p))
			return -1;
		if (va >= v && va - v < block_size(k)) {
			*virt = v;
			*phys = p;
			return 0;
		}
		if (get64(k, kva_to_phys(e) + VB_LIST, &e))
			return -1;
	}
	return -1;
}

int fk_vmemmap_translate(struct fk *k, uint64_t va, uint64_t *phys)
{
	uint64_t v, p;

	if (lookup_block(k, va, &v, &p))
		return fail(k, listless(k) ? "the page tables map nothing at 0x%llx"
					   : "no vmemmap_list entry backs 0x%llx",
			    (unsigned long long)va);
	*phys = p + (va - v);
	return 0;
}

static int entry_index(const struct fk *k, uint64_t phys)
{
	int i;

	for (i = 0; i < k->nentries; i++)
		if (k->entries[i] == phys)
			return i;
	return -1;
}

/* vmemmap_list_alloc(): a freed entry first, else the next chunk of a page. */
static int list_alloc(struct fk *k, uint64_t *entry)
{
	uint64_t *grown, page;

	if (k->num_freed) {
		k->num_freed--;
		*entry = kva_to_phys(k->next);
		return get64(k, *entry + VB_LIST, &k->next);
	}
	if (!k->num_left) {
		page = fk_alloc(k, page_size(k), page_size(k));
		if (!page)
			return -1;
		k->next = fk_kva(page);
		k->num_left = (int)(page_size(k) / VB_SIZE);
	}
	k->num_left--;
	*entry = kva_to_phys(k->next);
	k->next += VB_SIZE;
	grown = realloc(k->entries, (k->nentries + 1) * sizeof(*grown));
	if (!grown)
		return fail(k, "out of memory");
	k->entries = grown;
	k->entries[k->nentries++] = *entry;
	return 0;
}

/* A block-sized, block-aligned piece of RAM, top-down as memblock hands it out. */
static uint64_t alloc_backing(struct fk *k)
{
	uint64_t b = block_size(k);

	if (k->pool_low < b || k->pool_low - b < k->kdata_ram_end) {
		fail(k, "no RAM left for vmemmap backing");
		return 0;
	}
	if (forge_add_ram_merge(k->f, k->pool_low - b, b))
		return 0;
	k->pool_low -= b;
	return k->pool_low;
}

static void page_image(const struct fk *k, uint8_t *img, const struct fk_page *p)
{
	const struct fk_page_layout *l = &k->pl;

	memset(img, 0, l->size);
	store_n(k, img + l->flags, p->flags, 8);
	store_n(k, img + l->compound_head, p->compound_head, 8);
	store_n(k, img + l->mapping, p->mapping, 8);
	store_n(k, img + l->private_, p->private_, 8);
	store_n(k, img + l->mapcount, (uint32_t)p->mapcount, 4);
	store_n(k, img + l->refcount, (uint32_t)p->refcount, 4);
}

/* What a kernel leaves in a struct page it initialised: __init_single_page(). */
static int init_block_pages(struct fk *k, uint64_t virt, uint64_t phys)
{
	const struct fk_page def = { .refcount = 1, .mapcount = -1 };
	uint64_t b = block_size(k), sz = k->pl.size, pfn, off;
	uint8_t *buf, img[256];

	if (virt < k->o.vmemmap_base)
		return 0;
	buf = malloc(b);
	if (!buf)
		return fail(k, "out of memory");
	page_image(k, img, &def);
	off = virt - k->o.vmemmap_base;
	/* every struct page that has bytes in this block, straddlers included */
	for (pfn = off / sz; pfn * sz < off + b; pfn++) {
		uint64_t ps = pfn * sz, lo = ps > off ? ps : off;
		uint64_t hi = ps + sz < off + b ? ps + sz : off + b;

		memcpy(buf + (lo - off), img + (lo - ps), hi - lo);
	}
	if (forge_write(k->f, phys, buf, b)) {
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

int fk_vmemmap_add(struct fk *k, uint64_t virt, uint64_t phys)
{
	uint64_t entry, head;
	bool ours = !phys;

	if (listless(k) && virt & (block_size(k) - 1))
		return fail(k, "vmemmap block 0x%llx is not block-aligned",
			    (unsigned long long)virt);
	if (ours) {
		phys = alloc_backing(k);
		if (!phys)
			return -1;
		if (!k->o.vmemmap_lazy && init_block_pages(k, virt, phys))
			return -1;
	}
	if (books_add(k, virt, phys))
		return -1;
	/* 6.12 radix__vmemmap_populate(): the page tables are the only record */
	if (listless(k))
		return 0;
	if (get64(k, k->vmemmap_list, &head) || list_alloc(k, &entry))
		return -1;
	/* vmemmap_list_populate() */
	if (put64(k, entry + VB_PHYS, phys) || put64(k, entry + VB_VIRT, virt) ||
	    put64(k, entry + VB_LIST, head) || put64(k, k->vmemmap_list, fk_kva(entry)))
		return -1;
	return entry_index(k, entry);
}

static bool block_populated(struct fk *k, uint64_t virt)
{
	uint64_t v, p;

	if (listless(k))
		return books_find(k, virt, NULL);
	return !lookup_block(k, virt, &v, &p) && v == virt;
}

int fk_vmemmap_populate(struct fk *k, uint64_t pfn, uint64_t npages)
{
	uint64_t b = block_size(k);
	uint64_t start = fk_pfn_to_vmemmap(k, pfn) & ~(b - 1);
	uint64_t end = fk_pfn_to_vmemmap(k, pfn + npages);

	for (; start < end; start += b) {
		if (block_populated(k, start))
			continue;
		if (fk_vmemmap_add(k, start, 0) < 0)
			return -1;
	}
	/* sparse_add_section(): the sections are present, with a mem_map, online */
	return fk_mem_section_set(k, pfn, npages, FK_SECTION_PRESENT | FK_SECTION_HAS_MEM_MAP |
				  FK_SECTION_ONLINE);
}

/* vmemmap_list_free() */
int fk_vmemmap_remove(struct fk *k, uint64_t virt)
{
	uint64_t e, prev = 0, v, next;
	int steps;

	if (listless(k)) {
		if (!books_find(k, virt, NULL))
			return fail(k, "no vmemmap block at 0x%llx", (unsigned long long)virt);
		books_del(k, virt);
		return 0;
	}
	if (get64(k, k->vmemmap_list, &e))
		return -1;
	for (steps = 0; e && steps < walk_bound(k); steps++) {
		if (!is_linear(e) || get64(k, kva_to_phys(e) + VB_VIRT, &v))
			return fail(k, "vmemmap_list is unreadable at 0x%llx",
				    (unsigned long long)e);
		if (v == virt)
			break;
		prev = e;
		if (get64(k, kva_to_phys(e) + VB_LIST, &e))
			return -1;
	}
	if (!e || steps == walk_bound(k))
		return fail(k, "no vmemmap_list entry for 0x%llx", (unsigned long long)virt);
	if (get64(k, kva_to_phys(e) + VB_LIST, &next))
		return -1;
	if (put64(k, prev ? kva_to_phys(prev) + VB_LIST : k->vmemmap_list, next))
		return -1;
	if (put64(k, kva_to_phys(e) + VB_LIST, k->next))
		return -1;
	k->next = e;
	k->num_freed++;
	books_del(k, virt);
	return 0;
}

int fk_vmemmap_depopulate(struct fk *k, uint64_t pfn, uint64_t npages)
{
	uint64_t b = block_size(k);
	uint64_t start = (fk_pfn_to_vmemmap(k, pfn) + b - 1) & ~(b - 1);
	uint64_t end = fk_pfn_to_vmemmap(k, pfn + npages);

	/* a block shared with pfns outside the range stays, as vmemmap_populated()
	 * keeps it while any of its sections is valid */
	for (; start + b <= end; start += b)
		if (block_populated(k, start) && fk_vmemmap_remove(k, start))
			return -1;
	return sections_clear(k, pfn, npages);
}

int fk_vmemmap_nentries(const struct fk *k)
{
	return k->nentries;
}

uint64_t fk_vmemmap_entry_phys(const struct fk *k, int i)
{
	return i >= 0 && i < k->nentries ? k->entries[i] : 0;
}

int fk_vmemmap_set_next(struct fk *k, int i, uint64_t next_kva)
{
	if (i < 0 || i >= k->nentries)
		return fail(k, "no vmemmap_list entry %d", i);
	return put64(k, k->entries[i] + VB_LIST, next_kva);
}

int fk_vmemmap_set_fields(struct fk *k, int i, uint64_t phys, uint64_t virt)
{
	if (i < 0 || i >= k->nentries)
		return fail(k, "no vmemmap_list entry %d", i);
	if (put64(k, k->entries[i] + VB_PHYS, phys) ||
	    put64(k, k->entries[i] + VB_VIRT, virt))
		return -1;
	return 0;
}

int fk_vmemmap_set_head(struct fk *k, uint64_t head_kva)
{
	return put64(k, k->vmemmap_list, head_kva);
}

/* ------------------------------------------------------------ struct pages */

/* Writes or reads len bytes at a vmemmap address, block by block. */
static int vmemmap_io(struct fk *k, uint64_t va, void *buf, size_t len, bool write)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t v, phys;
		size_t n;

		if (lookup_block(k, va, &v, &phys))
			return fail(k, listless(k) ? "the page tables map nothing at 0x%llx"
						   : "no vmemmap_list entry backs 0x%llx",
				    (unsigned long long)va);
		n = v + block_size(k) - va < len ? (size_t)(v + block_size(k) - va) : len;
		if (write ? forge_write(k->f, phys + (va - v), p, n)
			  : forge_read(k->f, phys + (va - v), p, n))
			return -1;
		p += n;
		va += n;
		len -= n;
	}
	return 0;
}

int fk_set_page(struct fk *k, uint64_t pfn, const struct fk_page *p)
{
	uint8_t img[256];

	page_image(k, img, p);
	return vmemmap_io(k, fk_pfn_to_vmemmap(k, pfn), img, k->pl.size, true);
}

int fk_get_page(struct fk *k, uint64_t pfn, struct fk_page *p)
{
	const struct fk_page_layout *l = &k->pl;
	uint8_t img[256];

	if (vmemmap_io(k, fk_pfn_to_vmemmap(k, pfn), img, l->size, false))
		return -1;
	p->flags = load_n(k, img + l->flags, 8);
	p->compound_head = load_n(k, img + l->compound_head, 8);
	p->mapping = load_n(k, img + l->mapping, 8);
	p->private_ = load_n(k, img + l->private_, 8);
	p->mapcount = (int32_t)load_n(k, img + l->mapcount, 4);
	p->refcount = (int32_t)load_n(k, img + l->refcount, 4);
	return 0;
}

static int set_field(struct fk *k, uint64_t pfn, unsigned off, uint64_t v, unsigned bytes)
{
	uint8_t b[8];

	store_n(k, b, v, bytes);
	return vmemmap_io(k, fk_pfn_to_vmemmap(k, pfn) + off, b, bytes, true);
}

/* prep_compound_page(): head flag on the head, tails pointing at it, the order and
 * the destructor in the first tail. */
int fk_set_compound(struct fk *k, uint64_t pfn, unsigned order, int32_t refcount)
{
	const struct fk_page_layout *l = &k->pl;
	uint64_t n = 1ULL << order, i;
	struct fk_page head;

	if (!order || order > 20)
		return fail(k, "compound order %u", order);
	if (fk_get_page(k, pfn, &head))
		return -1;
	head.flags |= 1ULL << k->pg_head;
	head.refcount = refcount;
	if (fk_set_page(k, pfn, &head))
		return -1;
	for (i = 1; i < n; i++) {
		const struct fk_page tail = {
			.compound_head = fk_pfn_to_vmemmap(k, pfn) | 1,
			.mapping = TAIL_MAPPING,
			.mapcount = -1,
		};

		if (fk_set_page(k, pfn + i, &tail))
			return -1;
	}
	if (is612(k)) {
		/* prep_compound_head(): folio_set_order() puts the order in the low byte
		 * of _flags_1 (zero here: the tail was just written) */
		if (set_field(k, pfn + 1, l->flags, order, 8) ||
		    set_field(k, pfn + 1, l->folio_nr_pages, (uint32_t)n, 4) ||
		    set_field(k, pfn + 1, l->large_mapcount, (uint32_t)-1, 4) ||
		    set_field(k, pfn + 1, l->entire_mapcount, (uint32_t)-1, 4) ||
		    set_field(k, pfn + 1, l->nr_pages_mapped, 0, 4) ||
		    set_field(k, pfn + 1, l->pincount, 0, 4))
			return -1;
		if (order > 1) {
			/* INIT_LIST_HEAD(&folio->_deferred_list) */
			uint64_t self = fk_pfn_to_vmemmap(k, pfn + 2) + l->deferred_list;

			if (set_field(k, pfn + 2, l->deferred_list, self, 8) ||
			    set_field(k, pfn + 2, l->deferred_list + 8, self, 8))
				return -1;
		}
		return 0;
	}
	if (set_field(k, pfn + 1, l->compound_dtor, COMPOUND_PAGE_DTOR, 1) ||
	    set_field(k, pfn + 1, l->compound_order, order, 1) ||
	    set_field(k, pfn + 1, l->compound_mapcount, (uint32_t)-1, 4) ||
	    set_field(k, pfn + 1, l->compound_nr, (uint32_t)n, 4))
		return -1;
	return 0;
}

/* A large folio's pin count: the first tail page's _pincount (6.1: compound_pincount,
 * which folio._pincount aliases) */
int fk_set_pincount(struct fk *k, uint64_t head, int32_t pins)
{
	return set_field(k, head + 1, k->pl.pincount, (uint32_t)pins, 4);
}

/* ------------------------------------------------------------ radix page tables */

static unsigned pte_index_size(const struct fk *k)
{
	return k->o.page_shift == 16 ? 5 : 9;
}

static unsigned level_shift(const struct fk *k, int level)
{
	/* level 0 = PGD entries, 1 = PUD, 2 = PMD, 3 = PTE */
	unsigned pmd = k->o.page_shift + pte_index_size(k);

	switch (level) {
	case 0:
		return pmd + PMD_INDEX_SIZE + PUD_INDEX_SIZE;
	case 1:
		return pmd + PMD_INDEX_SIZE;
	case 2:
		return pmd;
	default:
		return k->o.page_shift;
	}
}

static unsigned level_bits(const struct fk *k, int level)
{
	static const unsigned bits[] = { PGD_INDEX_SIZE, PUD_INDEX_SIZE, PMD_INDEX_SIZE };

	return level < 3 ? bits[level] : pte_index_size(k);
}

static uint64_t pt_index(const struct fk *k, uint64_t ea, int level)
{
	return (ea >> level_shift(k, level)) & ((1ULL << level_bits(k, level)) - 1);
}

/* The table at level (1..3) that maps ea, allocated and linked on first use. */
static int pt_table(struct fk *k, uint64_t parent, int level, uint64_t ea, uint64_t *out)
{
	uint64_t base = ea & ((1ULL << 52) - 1) & ~((1ULL << level_shift(k, level - 1)) - 1);
	uint64_t size = 8ULL << level_bits(k, level), phys = 0;
	struct fk_table *t;
	size_t i;

	for (i = 0; i < k->ntables; i++)
		if (k->tables[i].level == level && k->tables[i].base == base)
			phys = k->tables[i].phys;
	if (!phys) {
		phys = fk_alloc(k, size, size);
		if (!phys)
			return -1;
		t = realloc(k->tables, (k->ntables + 1) * sizeof(*t));
		if (!t)
			return fail(k, "out of memory");
		k->tables = t;
		t[k->ntables++] = (struct fk_table){ level, base, phys };
	}
	/* pgd/pud/pmd_populate(): __pa(table) | PxD_VAL_BITS (present | next NLS) */
	if (put_be64(k, parent + 8 * pt_index(k, ea, level - 1),
		     phys | PAGE_PRESENT | level_bits(k, level)))
		return -1;
	*out = phys;
	return 0;
}

/* __map_kernel_page(): one leaf of map_size (a PUD, PMD or base page) at ea. */
static int pt_map(struct fk *k, uint64_t ea, uint64_t pa, int leaf_level)
{
	uint64_t table = k->swapper_pg_dir, rpn_mask;
	int level;

	for (level = 1; level <= leaf_level; level++)
		if (pt_table(k, table, level, ea, &table))
			return -1;
	/* pfn_pte() keeps PTE_RPN_MASK; __set_pte_at() adds _PAGE_PTE */
	rpn_mask = ((1ULL << PAGE_PA_MAX) - 1) & ~(page_size(k) - 1);
	return put_be64(k, table + 8 * pt_index(k, ea, leaf_level),
			(pa & rpn_mask) | PAGE_KERNEL_BITS | PAGE_PTE);
}

static int pt_map_range(struct fk *k, uint64_t ea, uint64_t pa, uint64_t size)
{
	while (size) {
		int level;
		uint64_t step;

		for (level = 1; level <= 3; level++) {
			step = 1ULL << level_shift(k, level);
			if (level == 3 ||
			    (size >= step && !(ea & (step - 1)) && !(pa & (step - 1))))
				break;
		}
		if (pt_map(k, ea, pa, level))
			return -1;
		ea += step;
		pa += step;
		size = size > step ? size - step : 0;
	}
	return 0;
}

int fk_pgtable_build(struct fk *k)
{
	uint64_t e, v, p, lin;
	size_t i;
	int steps;

	if (!k->o.radix)
		return fail(k, "page tables are built for radix only");
	/* start from empty tables, reusing the ones allocated by earlier builds */
	{
		uint8_t zero[4096] = { 0 };
		uint64_t off;

		for (off = 0; off < (8ULL << PGD_INDEX_SIZE); off += sizeof(zero))
			if (forge_write(k->f, k->swapper_pg_dir + off, zero, sizeof(zero)))
				return -1;
		for (i = 0; i < k->ntables; i++)
			if (forge_write(k->f, k->tables[i].phys, zero,
					8ULL << level_bits(k, k->tables[i].level)))
				return -1;
	}
	/* the linear map, in 1G leaves as radix_init_pgtable() makes it */
	for (lin = 0; lin < k->o.ram_bytes; lin += 1ULL << 30)
		if (pt_map(k, LINEAR_BASE | lin, lin, 1))
			return -1;
	/* 6.12 radix: the books, which is what radix__vmemmap_populate() mapped */
	for (i = 0; listless(k) && i < k->nbooks; i++)
		if (!unmapped(k, k->books[i].virt) &&
		    pt_map_range(k, k->books[i].virt, k->books[i].phys, block_size(k)))
			return -1;
	/* what vmemmap_list says; mapped from the tail to the head so that where
	 * faulty entries overlap, the one met first in list order wins */
	if (listless(k))
		e = 0;
	else if (get64(k, k->vmemmap_list, &e))
		return -1;
	{
		uint64_t *virts = calloc(walk_bound(k), sizeof(*virts));
		uint64_t *physs = calloc(walk_bound(k), sizeof(*physs));
		int n = 0;

		if (!virts || !physs) {
			free(virts);
			free(physs);
			return fail(k, "out of memory");
		}
		for (steps = 0; e && steps < walk_bound(k); steps++) {
			if (!is_linear(e) || get64(k, kva_to_phys(e) + VB_VIRT, &v) ||
			    get64(k, kva_to_phys(e) + VB_PHYS, &p) ||
			    get64(k, kva_to_phys(e) + VB_LIST, &e))
				break;
			virts[n] = v;
			physs[n++] = p;
		}
		while (n--)
			if (!unmapped(k, virts[n]) &&
			    pt_map_range(k, virts[n], physs[n], block_size(k))) {
				free(virts);
				free(physs);
				return -1;
			}
		free(virts);
		free(physs);
	}
	for (i = 0; i < k->nremaps; i++)
		if (pt_map_range(k, k->remaps[i].virt, k->remaps[i].phys, block_size(k)))
			return -1;
	/* vmalloc: base pages, as vmap_range() maps a vzalloc()ed area */
	for (i = 0; i < k->nvmaps; i++) {
		uint64_t off;

		for (off = 0; off < k->vmaps[i].size; off += page_size(k))
			if (pt_map(k, k->vmaps[i].va + off, k->vmaps[i].phys + off, 3))
				return -1;
	}
	if (k->pgd_cleared) {
		uint8_t zero[4096] = { 0 };
		uint64_t off;

		for (off = 0; off < (8ULL << PGD_INDEX_SIZE); off += sizeof(zero))
			if (forge_write(k->f, k->swapper_pg_dir + off, zero, sizeof(zero)))
				return -1;
	}
	return 0;
}

int fk_pgtable_unmap(struct fk *k, uint64_t virt)
{
	uint64_t *u;
	size_t i, j;

	if (!k->o.radix)
		return fail(k, "page tables are built for radix only");
	if (virt & (block_size(k) - 1))
		return fail(k, "unmap of 0x%llx: not block-aligned", (unsigned long long)virt);
	/* an unmap undoes an earlier remap of the block */
	for (i = j = 0; i < k->nremaps; i++)
		if (k->remaps[i].virt != virt)
			k->remaps[j++] = k->remaps[i];
	k->nremaps = j;
	if (!unmapped(k, virt)) {
		u = realloc(k->unmaps, (k->nunmaps + 1) * sizeof(*u));
		if (!u)
			return fail(k, "out of memory");
		k->unmaps = u;
		u[k->nunmaps++] = virt;
	}
	return fk_pgtable_build(k);
}

int fk_pgtable_clear(struct fk *k)
{
	if (!k->o.radix)
		return fail(k, "page tables are built for radix only");
	k->pgd_cleared = true;
	return fk_pgtable_build(k);
}

int fk_pgtable_remap(struct fk *k, uint64_t virt, uint64_t new_phys)
{
	struct fk_remap *r;

	if (!k->o.radix)
		return fail(k, "page tables are built for radix only");
	if (virt & (block_size(k) - 1) || new_phys & (block_size(k) - 1))
		return fail(k, "remap of 0x%llx to 0x%llx: not block-aligned",
			    (unsigned long long)virt, (unsigned long long)new_phys);
	r = realloc(k->remaps, (k->nremaps + 1) * sizeof(*r));
	if (!r)
		return fail(k, "out of memory");
	k->remaps = r;
	r[k->nremaps++] = (struct fk_remap){ virt, new_phys };
	/* a remap maps a block an earlier unmap left out */
	{
		size_t i, j;

		for (i = j = 0; i < k->nunmaps; i++)
			if (k->unmaps[i] != virt)
				k->unmaps[j++] = k->unmaps[i];
		k->nunmaps = j;
	}
	return fk_pgtable_build(k);
}

/* ------------------------------------------------------------ other files' state */

struct fk_ksyms **fk_ksyms_slot(struct fk *k)
{
	return &k->ks;
}

struct fk_tables **fk_tables_slot(struct fk *k)
{
	return &k->tabs;
}

/* ------------------------------------------------------------ build id */

/*
 * The GNU build id of the forge's kernel: 20 bytes of FNV-1a over what makes the kernel
 * (the shape, the release, every symbol with its address and type), so that the dump's
 * BUILD-ID and fk_dwarf_write()'s vmlinux agree without either being written first, and
 * the same kernel always gets the same id.
 */
#define FK_TYPES_REVISION "kernel-6.1-types.h r1"

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

const char *fk_build_id(struct fk *k)
{
	uint64_t h[3] = { 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL, 0x1234567890abcdefULL };
	unsigned i, n = fk_symbol_count(k), j;
	char shape[160];

	snprintf(shape, sizeof(shape), "%s|%s|%d|%u|%d|%d", FK_TYPES_REVISION, k->release,
		 (int)k->o.endian, k->o.page_shift, (int)k->o.radix, (int)k->o.kernel);
	for (j = 0; j < 3; j++) {
		h[j] = fnv(h[j], shape, strlen(shape));
		for (i = 0; i < n; i++) {
			const char *name;
			uint64_t kva;
			char type;

			if (fk_symbol_get(k, i, &name, &kva, &type))
				continue;
			h[j] = fnv(h[j], name, strlen(name) + 1);
			h[j] = fnv(h[j], &kva, sizeof(kva));
			h[j] = fnv(h[j], &type, 1);
		}
		h[j] = fnv(h[j], &j, sizeof(j));
	}
	snprintf(k->build_id, sizeof(k->build_id), "%016llx%016llx%08llx",
		 (unsigned long long)h[0], (unsigned long long)h[1],
		 (unsigned long long)(h[2] >> 32));
	return k->build_id;
}

/* ------------------------------------------------------------ vmalloc */

int fk_vmalloc_map(struct fk *k, uint64_t va, uint64_t phys, uint64_t size)
{
	struct fk_vmap *v;

	if ((va | phys | size) & (page_size(k) - 1) || !size)
		return fail(k, "vmalloc mapping 0x%llx -> 0x%llx (+0x%llx) is not page-aligned",
			    (unsigned long long)va, (unsigned long long)phys,
			    (unsigned long long)size);
	v = realloc(k->vmaps, (k->nvmaps + 1) * sizeof(*v));
	if (!v)
		return fail(k, "out of memory");
	k->vmaps = v;
	v[k->nvmaps++] = (struct fk_vmap){ va, phys, size };
	return 0;
}

int fk_vmalloc_translate(const struct fk *k, uint64_t va, uint64_t *phys)
{
	size_t i;

	for (i = 0; i < k->nvmaps; i++)
		if (va >= k->vmaps[i].va && va - k->vmaps[i].va < k->vmaps[i].size) {
			*phys = k->vmaps[i].phys + (va - k->vmaps[i].va);
			return 0;
		}
	return -1;
}

/* ------------------------------------------------------------ VMCOREINFO */

int fk_vmcoreinfo_override(struct fk *k, const char *key, const char *value)
{
	struct fk_override *o;
	size_t i;

	for (i = 0; i < k->noverrides; i++)
		if (!strcmp(k->overrides[i].key, key))
			break;
	if (i == k->noverrides) {
		o = realloc(k->overrides, (k->noverrides + 1) * sizeof(*o));
		if (!o)
			return fail(k, "out of memory");
		k->overrides = o;
		o[i].key = strdup(key);
		o[i].value = NULL;
		if (!o[i].key)
			return fail(k, "out of memory");
		k->noverrides++;
	}
	free(k->overrides[i].value);
	k->overrides[i].value = value ? strdup(value) : NULL;
	if (value && !k->overrides[i].value)
		return fail(k, "out of memory");
	return 0;
}

struct text {
	char *s;
	size_t len, cap;
	bool oom;
};

static void text_add(struct text *t, const char *key, const char *value)
{
	size_t n = strlen(key) + strlen(value) + 2;

	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->cap + n + 1) * 2;
		char *s = realloc(t->s, cap);

		if (!s) {
			t->oom = true;
			return;
		}
		t->s = s;
		t->cap = cap;
	}
	t->len += (size_t)sprintf(t->s + t->len, "%s=%s\n", key, value);
}

static void line(struct fk *k, struct text *t, bool *used, const char *key,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* One line in the kernel's order, unless an override replaces or drops it. */
static void line(struct fk *k, struct text *t, bool *used, const char *key,
		 const char *fmt, ...)
{
	char value[128];
	va_list ap;
	size_t i;

	for (i = 0; i < k->noverrides; i++)
		if (!strcmp(k->overrides[i].key, key)) {
			used[i] = true;
			if (k->overrides[i].value)
				text_add(t, key, k->overrides[i].value);
			return;
		}
	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	text_add(t, key, value);
}

/* ------------------------------------------------------------ mem_section */

static uint64_t sections_per_root(const struct fk *k)
{
	return page_size(k) / k->ms_size;
}

/* Roots the forge has room for: 8 (every scenario's layout), except for the scale
 * profile (vmemmap_lazy), whose 1 TiB is all present: what all of RAM needs, plus
 * two for the forge's own data. */
static unsigned ms_roots_max(const struct fk *k)
{
	uint64_t need = ((k->o.ram_bytes >> SECTION_SIZE_BITS) + sections_per_root(k) - 1) /
			sections_per_root(k) + 2;

	return k->o.vmemmap_lazy && need > FK_MS_ROOTS_MAX ? (unsigned)need : FK_MS_ROOTS_MAX;
}

static uint64_t ms_nroots(const struct fk *k)
{
	uint64_t n = 1ULL << (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS);

	return (n + sections_per_root(k) - 1) / sections_per_root(k);
}

/* The flags of section nr, and where it is (or would go) in the sorted array. */
static unsigned sect_find(const struct fk *k, uint64_t nr, size_t *pos)
{
	size_t lo = 0, hi = k->nsects;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k->sects[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return lo < k->nsects && k->sects[lo].nr == nr ? k->sects[lo].flags : 0;
}

static int sect_put(struct fk *k, uint64_t nr, unsigned flags)
{
	struct fk_sect *v;
	size_t pos;

	sect_find(k, nr, &pos);
	if (pos < k->nsects && k->sects[pos].nr == nr) {
		k->sects[pos].flags = flags;
		return 0;
	}
	if (!flags)
		return 0;
	v = realloc(k->sects, (k->nsects + 1) * sizeof(*v));
	if (!v)
		return fail(k, "out of memory");
	k->sects = v;
	memmove(&v[pos + 1], &v[pos], (k->nsects - pos) * sizeof(*v));
	v[pos].nr = nr;
	v[pos].flags = flags;
	k->nsects++;
	return 0;
}

int fk_mem_section_set(struct fk *k, uint64_t pfn, uint64_t npages, unsigned flags)
{
	unsigned pfn_shift = SECTION_SIZE_BITS - k->o.page_shift;
	uint64_t nr;

	if (!npages)
		return 0;
	for (nr = pfn >> pfn_shift; nr <= (pfn + npages - 1) >> pfn_shift; nr++)
		if (sect_put(k, nr, flags))
			return -1;
	return 0;
}

/* Sections wholly inside the pfn range, as sparse_remove_section() leaves them. */
static int sections_clear(struct fk *k, uint64_t pfn, uint64_t npages)
{
	unsigned pfn_shift = SECTION_SIZE_BITS - k->o.page_shift;
	uint64_t per = 1ULL << pfn_shift, nr;

	for (nr = (pfn + per - 1) >> pfn_shift; (nr + 1) * per <= pfn + npages; nr++)
		if (sect_put(k, nr, 0))
			return -1;
	return 0;
}

/* Memory the forge itself uses that no test populated (kernel data, backing taken
 * from RAM not yet added, the mem_section region): present, without a mem_map, so
 * that it is neither "RAM without struct pages" nor "memory the kernel does not
 * manage". */
static unsigned artifact_flags(const struct fk *k, uint64_t nr)
{
	uint64_t lo = nr << SECTION_SIZE_BITS, hi = lo + (1ULL << SECTION_SIZE_BITS);
	uint64_t ms_end = FK_MS_BASE + ms_nroots(k) * 8 + ms_roots_max(k) * page_size(k);

	if ((lo < k->kdata_ram_end && KDATA_BASE < hi) ||
	    (lo < k->o.ram_bytes && k->pool_low < hi) || (lo < ms_end && FK_MS_BASE < hi))
		return FK_SECTION_PRESENT;
	return 0;
}

/* Section number ranges of what the forge uses itself (see artifact_flags()). */
static void artifact_ranges(const struct fk *k, uint64_t lo[3], uint64_t hi[3])
{
	uint64_t ms_end = FK_MS_BASE + ms_nroots(k) * 8 + ms_roots_max(k) * page_size(k);

	lo[0] = KDATA_BASE >> SECTION_SIZE_BITS;
	hi[0] = (k->kdata_ram_end - 1) >> SECTION_SIZE_BITS;
	lo[1] = k->pool_low >> SECTION_SIZE_BITS;
	hi[1] = k->pool_low < k->o.ram_bytes ? (k->o.ram_bytes - 1) >> SECTION_SIZE_BITS : 0;
	lo[2] = FK_MS_BASE >> SECTION_SIZE_BITS;
	hi[2] = (ms_end - 1) >> SECTION_SIZE_BITS;
}

/* Writes root r: the flags of each of its sections. */
static int build_root(struct fk *k, uint64_t r, uint8_t *img)
{
	uint64_t per = sections_per_root(k), root_bytes = per * k->ms_size, i;
	uint64_t nroots = ms_nroots(k);
	bool any = false;

	memset(img, 0, root_bytes);
	for (i = 0; i < per; i++) {
		uint64_t nr = r * per + i, smm;
		size_t pos;
		unsigned flags = sect_find(k, nr, &pos);

		if (!flags)
			flags = artifact_flags(k, nr);
		if (!flags)
			continue;
		smm = flags;
		if (flags & FK_SECTION_HAS_MEM_MAP)
			smm |= k->o.vmemmap_base;
		store_n(k, img + i * k->ms_size, smm, 8);
		any = true;
	}
	if (!any && !k->ms_root[r])
		return 0;
	if (!k->ms_root[r]) {
		if (k->ms_nroots_used == ms_roots_max(k))
			return fail(k, "more than %d mem_section roots", ms_roots_max(k));
		k->ms_root[r] = FK_MS_BASE + nroots * 8 + k->ms_nroots_used++ * root_bytes;
		if (put64(k, k->ms_array + r * 8, fk_kva(k->ms_root[r])))
			return -1;
	}
	return forge_write(k->f, k->ms_root[r], img, root_bytes);
}

/* Writes the root array and one root page for every root that holds a section. */
static int build_mem_section(struct fk *k)
{
	uint64_t per = sections_per_root(k), nroots = ms_nroots(k), r, lo[3], hi[3];
	uint64_t root_bytes = per * k->ms_size, *todo;
	uint8_t *img = malloc(root_bytes), *seen = NULL;
	size_t n = 0, i;
	int ret = -1;

	todo = calloc(k->nsects + 3 * 2 + ms_roots_max(k) + 1, sizeof(*todo));
	if (!img || !todo) {
		free(img);
		free(todo);
		return fail(k, "out of memory");
	}
	if (!k->ms_array) {
		k->ms_root = calloc(nroots, sizeof(*k->ms_root));
		if (!k->ms_root || forge_add_ram(k->f, FK_MS_BASE, nroots * 8 +
						 ms_roots_max(k) * root_bytes))
			goto out;
		k->ms_array = FK_MS_BASE;
	}
	/* the roots that hold a section now or held one before (to be cleared) */
	for (i = 0; i < k->nsects; i++)
		todo[n++] = k->sects[i].nr / per;
	artifact_ranges(k, lo, hi);
	for (i = 0; i < 3; i++) {
		for (r = lo[i] / per; lo[i] <= hi[i] && r <= hi[i] / per; r++) {
			if (n == k->nsects + 6 + ms_roots_max(k))
				break;
			todo[n++] = r;
		}
	}
	for (r = 0; r < nroots && n < k->nsects + 6 + ms_roots_max(k) + 1; r++)
		if (k->ms_root[r] && k->ms_nroots_used)
			todo[n++] = r;
	/* each root once, in the order of first mention (a scale profile has 65536
	 * sections: no quadratic search) */
	seen = calloc(nroots, 1);
	if (!seen) {
		fail(k, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (seen[todo[i]])
			continue;
		seen[todo[i]] = 1;
		if (build_root(k, todo[i], img))
			goto out;
	}
	ret = 0;
out:
	free(seen);
	free(img);
	free(todo);
	return ret;
}

#define SYM(name, phys) line(k, t, used, "SYMBOL(" name ")", "%llx", \
			     (unsigned long long)fk_kva(phys))
#define NUM(key, v) line(k, t, used, key, "%lld", (long long)(v))

/* CONFIG_KALLSYMS with KALLSYMS_BASE_RELATIVE: the same six items in 6.1 and 6.12,
 * after the page types */
static void kallsyms_lines(struct fk *k, struct text *t, bool *used)
{
	struct fk_kallsyms_info ki;

	if (!k->o.kallsyms || fk_kallsyms_info(k, &ki))
		return;
	line(k, t, used, "SYMBOL(kallsyms_names)", "%llx", (unsigned long long)ki.names);
	line(k, t, used, "SYMBOL(kallsyms_num_syms)", "%llx", (unsigned long long)ki.num_syms);
	line(k, t, used, "SYMBOL(kallsyms_token_table)", "%llx",
	     (unsigned long long)ki.token_table);
	line(k, t, used, "SYMBOL(kallsyms_token_index)", "%llx",
	     (unsigned long long)ki.token_index);
	line(k, t, used, "SYMBOL(kallsyms_offsets)", "%llx", (unsigned long long)ki.offsets);
	line(k, t, used, "SYMBOL(kallsyms_relative_base)", "%llx",
	     (unsigned long long)ki.relative_base);
}

/* 6.1's crash_save_vmcoreinfo_init() and arch_crash_save_vmcoreinfo() */
static void vmcoreinfo_6_1(struct fk *k, struct text *t, bool *used)
{
	const struct fk_page_layout *l = &k->pl;

	line(k, t, used, "OSRELEASE", "%s", k->release);
	line(k, t, used, "BUILD-ID", "%s",
	     k->o.debuginfo ? fk_build_id(k) : "0f06e5c4e1a3b07d7c4f2e0a2c3d4b5a6e7f8091");
	NUM("PAGESIZE", page_size(k));
	SYM("init_uts_ns", k->init_uts_ns);
	NUM("OFFSET(uts_namespace.name)", 0);
	SYM("node_online_map", k->node_online_map);
	SYM("swapper_pg_dir", k->swapper_pg_dir);
	SYM("_stext", 0);
	if (k->ms_array) {
		SYM("mem_section", k->ms_array);
		NUM("LENGTH(mem_section)", ms_nroots(k));
		NUM("SIZE(mem_section)", k->ms_size);
		NUM("OFFSET(mem_section.section_mem_map)", 0);
	}
	NUM("NUMBER(SECTION_SIZE_BITS)", SECTION_SIZE_BITS);
	NUM("NUMBER(MAX_PHYSMEM_BITS)", MAX_PHYSMEM_BITS);
	NUM("SIZE(page)", l->size);
	NUM("SIZE(list_head)", 16);
	NUM("OFFSET(page.flags)", l->flags);
	NUM("OFFSET(page._refcount)", l->refcount);
	NUM("OFFSET(page.mapping)", l->mapping);
	NUM("OFFSET(page.lru)", l->lru);
	NUM("OFFSET(page._mapcount)", l->mapcount);
	NUM("OFFSET(page.private)", l->private_);
	NUM("OFFSET(page.compound_dtor)", l->compound_dtor);
	NUM("OFFSET(page.compound_order)", l->compound_order);
	NUM("OFFSET(page.compound_head)", l->compound_head);
	NUM("OFFSET(list_head.next)", 0);
	NUM("OFFSET(list_head.prev)", 8);
	NUM("NUMBER(PG_lru)", FK_PG_LRU);
	NUM("NUMBER(PG_private)", FK_PG_PRIVATE);
	NUM("NUMBER(PG_swapcache)", FK_PG_SWAPCACHE);
	NUM("NUMBER(PG_swapbacked)", FK_PG_SWAPBACKED);
	NUM("NUMBER(PG_slab)", FK_PG_SLAB);
	NUM("NUMBER(PG_hwpoison)", FK_PG_HWPOISON);
	NUM("NUMBER(PG_head_mask)", 1L << FK_PG_HEAD);
	NUM("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", FK_PAGE_BUDDY_MAPCOUNT);
	NUM("NUMBER(HUGETLB_PAGE_DTOR)", HUGETLB_PAGE_DTOR);
	NUM("NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)", FK_PAGE_OFFLINE_MAPCOUNT);
	kallsyms_lines(k, t, used);
	/* arch_crash_save_vmcoreinfo() */
	SYM("vmemmap_list", k->vmemmap_list);
	SYM("mmu_vmemmap_psize", k->mmu_vmemmap_psize);
	SYM("mmu_psize_defs", k->mmu_psize_defs);
	NUM("SIZE(vmemmap_backing)", VB_SIZE);
	NUM("OFFSET(vmemmap_backing.list)", VB_LIST);
	NUM("OFFSET(vmemmap_backing.phys)", VB_PHYS);
	NUM("OFFSET(vmemmap_backing.virt_addr)", VB_VIRT);
	NUM("SIZE(mmu_psize_def)", PSIZE_DEF_SIZE);
	NUM("OFFSET(mmu_psize_def.shift)", PSIZE_DEF_SHIFT);
	line(k, t, used, "KERNELOFFSET", "%x", 0);
}

/*
 * 6.12's kernel/vmcore_info.c and arch/powerpc/kexec/vmcore_info.c, in their order
 * (as a Debian 13 guest's note has it), without the items for structures the forge
 * does not lay out.  The page types are PGTY_x << 24, an int printed with %ld.
 */
static void vmcoreinfo_6_12(struct fk *k, struct text *t, bool *used)
{
	const struct fk_page_layout *l = &k->pl;
	bool hash4k = !k->o.radix && k->o.page_shift == 12;

	line(k, t, used, "OSRELEASE", "%s", k->release);
	line(k, t, used, "BUILD-ID", "%s",
	     k->o.debuginfo ? fk_build_id(k) : "6c12f04e5a1b2c3d4e5f60718293a4b5c6d7e8f9");
	NUM("PAGESIZE", page_size(k));
	SYM("init_uts_ns", k->init_uts_ns);
	NUM("OFFSET(uts_namespace.name)", 0);
	SYM("node_online_map", k->node_online_map);
	SYM("swapper_pg_dir", k->swapper_pg_dir);
	SYM("_stext", 0);
	line(k, t, used, "NUMBER(VMALLOC_START)", "0x%llx",
	     (unsigned long long)(hash4k ? FK_VMALLOC_START_HASH_4K : FK_VMALLOC_START));
	/* VMCOREINFO_SYMBOL_ARRAY(vmemmap): the value of the pointer */
	line(k, t, used, "SYMBOL(vmemmap)", "%llx", (unsigned long long)k->o.vmemmap_base);
	if (k->ms_array) {
		SYM("mem_section", k->ms_array);
		NUM("LENGTH(mem_section)", ms_nroots(k));
		NUM("SIZE(mem_section)", k->ms_size);
		NUM("OFFSET(mem_section.section_mem_map)", 0);
	}
	NUM("NUMBER(SECTION_SIZE_BITS)", SECTION_SIZE_BITS);
	NUM("NUMBER(MAX_PHYSMEM_BITS)", MAX_PHYSMEM_BITS);
	NUM("SIZE(page)", l->size);
	NUM("SIZE(list_head)", 16);
	NUM("OFFSET(page.flags)", l->flags);
	NUM("OFFSET(page._refcount)", l->refcount);
	NUM("OFFSET(page.mapping)", l->mapping);
	NUM("OFFSET(page.lru)", l->lru);
	NUM("OFFSET(page._mapcount)", l->mapcount);
	NUM("OFFSET(page.private)", l->private_);
	NUM("OFFSET(page.compound_head)", l->compound_head);
	NUM("OFFSET(list_head.next)", 0);
	NUM("OFFSET(list_head.prev)", 8);
	NUM("NUMBER(PG_lru)", FK_PG612_LRU);
	NUM("NUMBER(PG_private)", FK_PG612_PRIVATE);
	NUM("NUMBER(PG_swapcache)", FK_PG612_SWAPCACHE);
	NUM("NUMBER(PG_swapbacked)", FK_PG612_SWAPBACKED);
	NUM("NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)", FK_PAGE_TYPE(FK_PGTY_SLAB));
	NUM("NUMBER(PG_hwpoison)", FK_PG612_HWPOISON);
	NUM("NUMBER(PG_head_mask)", 1L << FK_PG612_HEAD);
	NUM("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", FK_PAGE_TYPE(FK_PGTY_BUDDY));
	NUM("NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)", FK_PAGE_TYPE(FK_PGTY_HUGETLB));
	NUM("NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)", FK_PAGE_TYPE(FK_PGTY_OFFLINE));
	kallsyms_lines(k, t, used);
	/* arch_crash_save_vmcoreinfo() */
	SYM("vmemmap_list", k->vmemmap_list);
	SYM("mmu_vmemmap_psize", k->mmu_vmemmap_psize);
	SYM("mmu_psize_defs", k->mmu_psize_defs);
	NUM("SIZE(vmemmap_backing)", VB_SIZE);
	NUM("OFFSET(vmemmap_backing.list)", VB_LIST);
	NUM("OFFSET(vmemmap_backing.phys)", VB_PHYS);
	NUM("OFFSET(vmemmap_backing.virt_addr)", VB_VIRT);
	NUM("SIZE(mmu_psize_def)", PSIZE_DEF_SIZE);
	NUM("OFFSET(mmu_psize_def.shift)", PSIZE_DEF_SHIFT);
	SYM("cur_cpu_spec", k->cur_cpu_spec);
	NUM("OFFSET(cpu_spec.cpu_features)", CPU_SPEC_CPU_FEATURES);
	NUM("OFFSET(cpu_spec.mmu_features)", CPU_SPEC_MMU_FEATURES);
	line(k, t, used, "NUMBER(RADIX_MMU)", "%d", k->o.radix ? 1 : 0);
	line(k, t, used, "KERNELOFFSET", "%x", 0);
}
#undef SYM
#undef NUM

static int build_vmcoreinfo(struct fk *k)
{
	struct text t = { 0 };
	bool *used = calloc(k->noverrides + 1, sizeof(*used));
	size_t i;
	int ret;

	if (!used)
		return fail(k, "out of memory");
	if (is612(k))
		vmcoreinfo_6_12(k, &t, used);
	else
		vmcoreinfo_6_1(k, &t, used);
	/* crash_save_vmcoreinfo() at panic time */
	line(k, &t, used, "CRASHTIME", "%lld", (long long)FK_CRASHTIME);
	for (i = 0; i < k->noverrides; i++)
		if (!used[i] && k->overrides[i].value)
			text_add(&t, k->overrides[i].key, k->overrides[i].value);
	free(used);
	if (t.oom) {
		free(t.s);
		return fail(k, "out of memory");
	}
	ret = forge_set_kernel_vmcoreinfo(k->f, t.s ? t.s : "");
	free(t.s);
	return ret;
}

int fk_write_file(struct fk *k, const char *path, const struct forge_write_opts *opts)
{
	if (k->o.kallsyms && fk_kallsyms_build(k))
		return -1;
	if (k->o.radix && fk_pgtable_build(k))
		return -1;
	if (!k->o.no_mem_section && build_mem_section(k))
		return -1;
	if (build_vmcoreinfo(k))
		return -1;
	return forge_write_file(k->f, path, opts);
}
