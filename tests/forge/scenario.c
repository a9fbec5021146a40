// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The named scenarios behind tce-forge: each builds a machine with the kernel layer
 * the way the kernel would have got there (boot-time vmemmap_populate(), memory
 * hot-add and hot-remove), then applies its one fault, and records the facts a test
 * checks against.  Sizes are counted in vmemmap blocks so that every scenario works
 * for 4K and 64K pages, hash (64K blocks; 4K blocks for 6.12 with 4K pages) and
 * radix (2M blocks), in the 6.1 and the 6.12 shape, and the files stay a few MB even
 * where the machine has many GiB.  Scenarios that fault vmemmap_list need a list: a
 * 6.12 radix kernel keeps none (forge_scenario_supported()).
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include "scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINEAR_BASE 0xc000000000000000ULL
/* A physical address no scenario puts in the dump (16 TiB), block-aligned for 2M
 * and 64K blocks alike. */
#define OUTSIDE_PHYS 0xfff00000000ULL

struct sc {
	struct fk_opts o;
	struct forge_scenario_result *res;
	struct fk *k;
	char *err;
	size_t errlen;
	uint64_t boot_pfns;
	uint64_t vmm_pfn;   /* kvm-tables: the next host pfn for a VMM page */
};

struct scenario {
	const char *name;
	const char *desc;
	int (*build)(struct sc *s);
	unsigned flags;
};

/* scenario flags */
#define SC_NEEDS_LIST 1u   /* faults vmemmap_list entries */
#define SC_RADIX 2u        /* always radix, whatever the options say */
#define SC_KERNEL_61 4u    /* 6.1's structures only */

static int sc_fail(struct sc *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int sc_fail(struct sc *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, s->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Reports a failure of the kernel layer with its message. */
static int fk_failed(struct sc *s, const char *what)
{
	return sc_fail(s, "%s: %s", what, forge_errmsg(fk_forge(s->k)));
}

static void fact(struct sc *s, const char *name, uint64_t value)
{
	struct forge_scenario_result *r = s->res;
	unsigned i;

	for (i = 0; i < r->nfacts; i++)
		if (!strcmp(r->facts[i].name, name))
			break;
	if (i == FORGE_SCENARIO_MAX_FACTS)
		return;
	snprintf(r->facts[i].name, sizeof(r->facts[i].name), "%s", name);
	r->facts[i].value = value;
	if (i == r->nfacts)
		r->nfacts++;
}

uint64_t forge_scenario_fact(const struct forge_scenario_result *res, const char *name,
			     uint64_t def)
{
	unsigned i;

	for (i = 0; i < res->nfacts; i++)
		if (!strcmp(res->facts[i].name, name))
			return res->facts[i].value;
	return def;
}

/* ------------------------------------------------------------ machine */

static bool is612(const struct fk_opts *o)
{
	return o->kernel == FK_KERNEL_6_12;
}

/* The vmemmap block the machine gets: 2M for radix; for hash the MMU page the kernel
 * backs its vmemmap with, 64K, except 4K for 6.12 with 4K pages (mmu_virtual_psize:
 * QEMU offers no 16M page). */
static unsigned vmemmap_shift(const struct fk_opts *o)
{
	if (o->radix)
		return 21;
	return is612(o) && o->page_shift == 12 ? 12 : 16;
}

static uint64_t block(const struct sc *s)
{
	return 1ULL << s->o.vmemmap_shift;
}

static uint64_t pfns_for_blocks(const struct sc *s, uint64_t nblocks)
{
	return nblocks * block(s) / s->o.struct_page_size;
}

/* Boot memory in blocks: enough entries for every fault to have neighbours (with 4K
 * blocks, enough RAM for the forge's own data below it: 128 MiB). */
static uint64_t boot_blocks(const struct sc *s)
{
	return s->o.radix ? 3 : vmemmap_shift(&s->o) < 16 ? 512 : 32;
}

/* A hot-added DIMM in blocks: a whole number of 16M sections in every shape. */
static uint64_t dimm_blocks(const struct sc *s)
{
	return s->o.radix ? 1 : vmemmap_shift(&s->o) < 16 ? 64 : 8;
}

static int new_machine(struct sc *s)
{
	if (!s->o.struct_page_size)
		s->o.struct_page_size = 64;
	if (!s->o.page_shift)
		s->o.page_shift = 16;
	s->o.vmemmap_shift = vmemmap_shift(&s->o);
	s->boot_pfns = pfns_for_blocks(s, boot_blocks(s));
	s->o.ram_bytes = s->boot_pfns << s->o.page_shift;
	s->k = fk_new(&s->o);
	if (!s->k)
		return sc_fail(s, "fk_new failed (bad options?)");
	s->res->k = s->k;
	return 0;
}

static int set_page(struct sc *s, uint64_t pfn, const struct fk_page *p)
{
	if (fk_set_page(s->k, pfn, p))
		return fk_failed(s, "fk_set_page");
	return 0;
}

/* The zoo in 6.12's form: page types in page_type's top byte, a slab page is a type
 * (and its struct slab keeps slab_cache where compound_head is), the order of the
 * compound page in the first tail's flags. */
static int zoo_6_12(struct sc *s)
{
	uint64_t mapping, cache;
	struct {
		uint64_t pfn;
		struct fk_page p;
	} pages[] = {
		{ FORGE_ZOO_REFCOUNT0, { .refcount = 0, .mapcount = -1 } },
		{ FORGE_ZOO_REFCOUNT1, { .refcount = 1, .mapcount = -1 } },
		{ FORGE_ZOO_PINNED, { .refcount = FORGE_ZOO_PINNED_REFCOUNT, .mapcount = -1 } },
		/* set_buddy_order(): private = order, __SetPageBuddy() */
		{ FORGE_ZOO_BUDDY, { .refcount = 0, .mapcount = FK_PAGE_TYPE(FK_PGTY_BUDDY) } },
		{ FORGE_ZOO_OFFLINE, { .refcount = 1,
				       .mapcount = FK_PAGE_TYPE(FK_PGTY_OFFLINE) } },
		{ FORGE_ZOO_HWPOISON, { .flags = 1ULL << FK_PG612_HWPOISON, .refcount = 1,
					.mapcount = -1 } },
		{ FORGE_ZOO_SLAB, { .refcount = 1, .mapcount = FK_PAGE_TYPE(FK_PGTY_SLAB) } },
		{ FORGE_ZOO_LRU, { .flags = (1ULL << FK_PG612_LRU) |
					    (1ULL << FK_PG612_UPTODATE) |
					    (1ULL << FK_PG612_ACTIVE),
				   .refcount = 2, .mapcount = 0 } },
	};
	size_t i;

	/* the page cache page points at an address_space, the slab at a kmem_cache,
	 * both in kernel data */
	mapping = fk_alloc(s->k, 0x100, 8);
	cache = fk_alloc(s->k, 0x100, 64);
	if (!mapping || !cache)
		return fk_failed(s, "fk_alloc");
	pages[7].p.mapping = fk_kva(mapping);
	pages[6].p.compound_head = fk_kva(cache);
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (set_page(s, pages[i].pfn, &pages[i].p))
			return -1;
	if (fk_set_compound(s->k, FORGE_ZOO_HEAD, FORGE_ZOO_COMPOUND_ORDER, 1))
		return fk_failed(s, "fk_set_compound");
	fact(s, "slab.cache", fk_kva(cache));
	return 0;
}

static void zoo_facts(struct sc *s)
{
	fact(s, "pfn.refcount0", FORGE_ZOO_REFCOUNT0);
	fact(s, "pfn.refcount1", FORGE_ZOO_REFCOUNT1);
	fact(s, "pfn.pinned", FORGE_ZOO_PINNED);
	fact(s, "pfn.buddy", FORGE_ZOO_BUDDY);
	fact(s, "pfn.offline", FORGE_ZOO_OFFLINE);
	fact(s, "pfn.hwpoison", FORGE_ZOO_HWPOISON);
	fact(s, "pfn.slab", FORGE_ZOO_SLAB);
	fact(s, "pfn.lru", FORGE_ZOO_LRU);
	fact(s, "pfn.head", FORGE_ZOO_HEAD);
	fact(s, "pfn.tail", FORGE_ZOO_TAIL);
	fact(s, "compound_order", FORGE_ZOO_COMPOUND_ORDER);
}

static int zoo(struct sc *s)
{
	uint64_t mapping;
	struct {
		uint64_t pfn;
		struct fk_page p;
	} pages[] = {
		{ FORGE_ZOO_REFCOUNT0, { .refcount = 0, .mapcount = -1 } },
		{ FORGE_ZOO_REFCOUNT1, { .refcount = 1, .mapcount = -1 } },
		{ FORGE_ZOO_PINNED, { .refcount = FORGE_ZOO_PINNED_REFCOUNT, .mapcount = -1 } },
		{ FORGE_ZOO_BUDDY, { .refcount = 0, .mapcount = FK_PAGE_BUDDY_MAPCOUNT } },
		{ FORGE_ZOO_OFFLINE, { .refcount = 1, .mapcount = FK_PAGE_OFFLINE_MAPCOUNT } },
		{ FORGE_ZOO_HWPOISON, { .flags = 1ULL << FK_PG_HWPOISON, .refcount = 1,
					.mapcount = -1 } },
		{ FORGE_ZOO_SLAB, { .flags = 1ULL << FK_PG_SLAB, .refcount = 1,
				    .mapcount = -1 } },
		{ FORGE_ZOO_LRU, { .flags = (1ULL << FK_PG_LRU) | (1ULL << FK_PG_UPTODATE) |
					    (1ULL << FK_PG_ACTIVE),
				   .refcount = 2, .mapcount = 0 } },
	};
	size_t i;

	if (s->boot_pfns < FORGE_ZOO_END)
		return 0;
	if (is612(&s->o)) {
		if (zoo_6_12(s))
			return -1;
		zoo_facts(s);
		return 0;
	}
	/* the page cache page points at an address_space in kernel data */
	mapping = fk_alloc(s->k, 0x100, 8);
	if (!mapping)
		return fk_failed(s, "fk_alloc");
	pages[7].p.mapping = fk_kva(mapping);
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (set_page(s, pages[i].pfn, &pages[i].p))
			return -1;
	if (fk_set_compound(s->k, FORGE_ZOO_HEAD, FORGE_ZOO_COMPOUND_ORDER, 1))
		return fk_failed(s, "fk_set_compound");
	zoo_facts(s);
	return 0;
}

/* Boot: vmemmap_populate() over all boot memory, then the zoo.  In 6.12's shape the
 * boot sections carry SECTION_IS_EARLY, as sparse_init_nid() sets them up (the 6.1
 * shape leaves the flag out, as it always has). */
static int boot(struct sc *s)
{
	if (new_machine(s))
		return -1;
	if (fk_vmemmap_populate(s->k, 0, s->boot_pfns))
		return fk_failed(s, "fk_vmemmap_populate");
	if (is612(&s->o) &&
	    fk_mem_section_set(s->k, 0, s->boot_pfns, FK_SECTION_PRESENT |
			       FK_SECTION_HAS_MEM_MAP | FK_SECTION_ONLINE | FK_SECTION_EARLY))
		return fk_failed(s, "fk_mem_section_set");
	return zoo(s);
}

/* The list as the dump holds it, bounded: entry kvas in list order. */
static unsigned list_walk(struct sc *s, uint64_t *kvas, unsigned max)
{
	struct forge *f = fk_forge(s->k);
	uint64_t e;
	unsigned n = 0;

	if (forge_get_u64(f, fk_symbol(s->k, "vmemmap_list") & ~LINEAR_BASE, &e))
		return 0;
	while (e && n < max) {
		kvas[n++] = e;
		if (forge_get_u64(f, (e & ~LINEAR_BASE), &e))
			break;
	}
	return n;
}

static int list_fields(struct sc *s, uint64_t kva, uint64_t *phys, uint64_t *virt)
{
	struct forge *f = fk_forge(s->k);

	if (forge_get_u64(f, (kva & ~LINEAR_BASE) + 8, phys) ||
	    forge_get_u64(f, (kva & ~LINEAR_BASE) + 16, virt))
		return sc_fail(s, "entry 0x%llx unreadable", (unsigned long long)kva);
	return 0;
}

/* Created index of the entry at list position pos. */
static int entry_at(struct sc *s, unsigned pos, uint64_t *kva)
{
	uint64_t kvas[4096];
	unsigned n = list_walk(s, kvas, 4096);
	int i;

	if (pos >= n)
		return sc_fail(s, "vmemmap_list has no position %u", pos);
	*kva = kvas[pos];
	for (i = 0; i < fk_vmemmap_nentries(s->k); i++)
		if (fk_kva(fk_vmemmap_entry_phys(s->k, i)) == kvas[pos])
			return i;
	return sc_fail(s, "entry 0x%llx is not the forge's", (unsigned long long)kvas[pos]);
}

static void common_facts(struct sc *s)
{
	uint64_t kvas[4096];

	fact(s, "page_size", 1ULL << s->o.page_shift);
	fact(s, "struct_page_size", s->o.struct_page_size);
	fact(s, "block_size", block(s));
	fact(s, "vmemmap_base", fk_opts(s->k)->vmemmap_base);
	fact(s, "ram_bytes", s->o.ram_bytes);
	fact(s, "boot_pfns", s->boot_pfns);
	fact(s, "entries_created", (uint64_t)fk_vmemmap_nentries(s->k));
	if (!forge_scenario_fact(s->res, "list.cyclic", 0))
		fact(s, "list.len", list_walk(s, kvas, 4096));
	fact(s, "vmemmap_list", fk_symbol(s->k, "vmemmap_list"));
	fact(s, "swapper_pg_dir", fk_symbol(s->k, "swapper_pg_dir"));
	fact(s, "radix", s->o.radix);
	/* (major << 8) | minor: 0x601 or 0x60c */
	fact(s, "kernel", is612(&s->o) ? 0x60c : 0x601);
	fact(s, "blocks", (uint64_t)fk_vmemmap_nblocks(s->k));
	if (s->o.kallsyms) {
		/* the symbols kallsyms will hold (FK_KALLSYMS_TEXT: text ones only) */
		unsigned i, n = 0;

		for (i = 0; i < fk_symbol_count(s->k); i++) {
			const char *name;
			uint64_t kva;
			char type;

			if (!fk_symbol_get(s->k, i, &name, &kva, &type) &&
			    (s->o.kallsyms != FK_KALLSYMS_TEXT || strchr("TtWw", type)))
				n++;
		}
		fact(s, "kallsyms.count", n);
		if (forge_scenario_fact(s->res, "kallsyms.bad_names", 0))
			fact(s, "kallsyms.bad_index", n / 2);
	}
}

/* ------------------------------------------------------------ scenarios */

static int sc_clean(struct sc *s)
{
	return boot(s);
}

static int hotplug_blocks(struct sc *s, uint64_t pfn, uint64_t nblocks, bool add)
{
	uint64_t n = pfns_for_blocks(s, nblocks);

	if (add ? fk_vmemmap_populate(s->k, pfn, n) : fk_vmemmap_depopulate(s->k, pfn, n))
		return fk_failed(s, add ? "hot-add" : "hot-remove");
	return 0;
}

/* First list position whose virt_addr is above its predecessor's. */
static int first_inversion(struct sc *s, uint64_t *pos)
{
	uint64_t kvas[4096], prev = 0, phys, virt;
	unsigned n = list_walk(s, kvas, 4096), i;

	for (i = 0; i < n; i++) {
		if (list_fields(s, kvas[i], &phys, &virt))
			return -1;
		if (i && virt > prev) {
			*pos = i;
			return 0;
		}
		prev = virt;
	}
	return sc_fail(s, "the list kept its order");
}

static int sc_hotplug(struct sc *s)
{
	/* FIELD-NOTES §2: 512M d1, 1G d2 above it, remove d1, 512M d3 where d1 was */
	uint64_t d1 = dimm_blocks(s), d2 = s->o.radix ? 1 : 2 * dimm_blocks(s), pos;
	uint64_t d1_pfn, d2_pfn;

	if (boot(s))
		return -1;
	d1_pfn = pfns_for_blocks(s, boot_blocks(s));
	d2_pfn = pfns_for_blocks(s, boot_blocks(s) + d1);
	if (hotplug_blocks(s, d1_pfn, d1, true) || hotplug_blocks(s, d2_pfn, d2, true) ||
	    hotplug_blocks(s, d1_pfn, d1, false) || hotplug_blocks(s, d1_pfn, d1, true))
		return -1;
	/* 6.12 radix: blocks came and went in the page tables only, no list to invert */
	if (!(is612(&s->o) && s->o.radix)) {
		if (first_inversion(s, &pos))
			return -1;
		fact(s, "inversion.pos", pos);
	}
	fact(s, "hotplug.d1_pfn", d1_pfn);
	fact(s, "hotplug.d1_pfns", pfns_for_blocks(s, d1));
	fact(s, "hotplug.d2_pfn", d2_pfn);
	fact(s, "hotplug.d2_pfns", pfns_for_blocks(s, d2));
	/* a pfn in the re-added d3 whose struct page sits in a recycled entry's block */
	fact(s, "pfn.d3", d1_pfn + 1);
	return 0;
}

static int sc_highmem(struct sc *s)
{
	uint64_t pfn;

	if (boot(s))
		return -1;
	/* a DIMM at 64 GiB: the machine spans 64 GiB+, the dump a few MB */
	pfn = (64ULL << 30) >> s->o.page_shift;
	if (hotplug_blocks(s, pfn, dimm_blocks(s), true))
		return -1;
	fact(s, "highmem.pfn", pfn);
	fact(s, "highmem.pfns", pfns_for_blocks(s, dimm_blocks(s)));
	return 0;
}

static int sc_cycle(struct sc *s)
{
	uint64_t tail_kva, target_kva, kvas[4096];
	unsigned n;
	int tail, target;

	if (boot(s))
		return -1;
	n = list_walk(s, kvas, 4096);
	/* the last entry points back at the third: positions 2..n-1 repeat forever */
	tail = entry_at(s, n - 1, &tail_kva);
	target = entry_at(s, n > 2 ? 2 : 0, &target_kva);
	if (tail < 0 || target < 0)
		return -1;
	if (fk_vmemmap_set_next(s->k, tail, target_kva))
		return fk_failed(s, "fk_vmemmap_set_next");
	fact(s, "list.cyclic", 1);
	fact(s, "cycle.entry", (uint64_t)tail);
	fact(s, "cycle.from_pos", n - 1);
	fact(s, "cycle.to_pos", n > 2 ? 2 : 0);
	fact(s, "list.distinct", n);
	return 0;
}

static int sc_truncated(struct sc *s)
{
	uint64_t kva, kvas[4096];
	unsigned n, pos;
	int i;

	if (boot(s))
		return -1;
	n = list_walk(s, kvas, 4096);
	pos = n / 2;
	i = entry_at(s, pos, &kva);
	if (i < 0)
		return -1;
	if (fk_vmemmap_set_next(s->k, i, LINEAR_BASE | OUTSIDE_PHYS))
		return fk_failed(s, "fk_vmemmap_set_next");
	fact(s, "truncated.pos", pos);
	fact(s, "truncated.next", LINEAR_BASE | OUTSIDE_PHYS);
	return 0;
}

/* Rewrites the fields of the entry at list position pos. */
static int rewrite(struct sc *s, unsigned pos, bool set_phys, uint64_t phys, bool set_virt,
		   uint64_t virt, uint64_t *old_phys, uint64_t *old_virt)
{
	uint64_t kva;
	int i = entry_at(s, pos, &kva);

	if (i < 0 || list_fields(s, kva, old_phys, old_virt))
		return -1;
	if (fk_vmemmap_set_fields(s->k, i, set_phys ? phys : *old_phys,
				  set_virt ? virt : *old_virt))
		return fk_failed(s, "fk_vmemmap_set_fields");
	return 0;
}

static uint64_t first_pfn_of_block(const struct sc *s, uint64_t virt)
{
	uint64_t off = virt - fk_opts(s->k)->vmemmap_base, sz = s->o.struct_page_size;

	return (off + sz - 1) / sz;
}

static int sc_misaligned(struct sc *s)
{
	uint64_t phys, virt;

	if (boot(s))
		return -1;
	/* backing 4 KiB past a block boundary: the struct pages it maps are shifted */
	if (rewrite(s, 1, false, 0, false, 0, &phys, &virt) ||
	    rewrite(s, 1, true, phys + 0x1000, false, 0, &phys, &virt))
		return -1;
	fact(s, "misaligned.pos", 1);
	fact(s, "misaligned.virt", virt);
	fact(s, "misaligned.phys", phys + 0x1000);
	fact(s, "misaligned.pfn", first_pfn_of_block(s, virt));
	return 0;
}

static int sc_overlap_virt(struct sc *s)
{
	uint64_t p1, v1, p2, v2;

	if (boot(s))
		return -1;
	/* positions 1 and 2 claim the same block; position 1's old block has no entry */
	if (rewrite(s, 2, false, 0, false, 0, &p2, &v2) ||
	    rewrite(s, 1, false, 0, true, v2, &p1, &v1))
		return -1;
	fact(s, "overlap.pos_a", 1);
	fact(s, "overlap.pos_b", 2);
	fact(s, "overlap.virt", v2);
	fact(s, "uncovered.virt", v1);
	fact(s, "uncovered.pfn", first_pfn_of_block(s, v1));
	return 0;
}

static int sc_overlap_phys(struct sc *s)
{
	uint64_t p1, v1, p2, v2;

	if (boot(s))
		return -1;
	/* positions 1 and 2 share one backing block */
	if (rewrite(s, 2, false, 0, false, 0, &p2, &v2) ||
	    rewrite(s, 1, true, p2, false, 0, &p1, &v1))
		return -1;
	fact(s, "overlap.pos_a", 1);
	fact(s, "overlap.pos_b", 2);
	fact(s, "overlap.phys", p2);
	fact(s, "overlap.pfn_a", first_pfn_of_block(s, v1));
	fact(s, "overlap.pfn_b", first_pfn_of_block(s, v2));
	return 0;
}

static int sc_backing_outside(struct sc *s)
{
	uint64_t phys, virt;

	if (boot(s))
		return -1;
	if (rewrite(s, 1, true, OUTSIDE_PHYS, false, 0, &phys, &virt))
		return -1;
	fact(s, "outside.pos", 1);
	fact(s, "outside.virt", virt);
	fact(s, "outside.phys", OUTSIDE_PHYS);
	fact(s, "outside.pfn", first_pfn_of_block(s, virt));
	return 0;
}

static int sc_straddle(struct sc *s)
{
	uint64_t b, sz, pfn, va, lo, hi;
	const struct fk_page p = {
		.flags = (1ULL << FK_PG_LRU) | (1ULL << FK_PG_UPTODATE),
		.refcount = 3, .mapcount = 0, .private_ = 0x1122334455667788ULL,
	};

	if (!s->o.struct_page_size ||
	    !((1ULL << vmemmap_shift(&s->o)) % s->o.struct_page_size))
		s->o.struct_page_size = 56;
	if (boot(s))
		return -1;
	b = block(s);
	sz = s->o.struct_page_size;
	/* the first struct page that has bytes in two blocks */
	for (pfn = 0; (pfn * sz) % b + sz <= b; pfn++)
		;
	if (set_page(s, pfn, &p))
		return -1;
	va = fk_pfn_to_vmemmap(s->k, pfn);
	if (fk_vmemmap_translate(s->k, va, &lo) ||
	    fk_vmemmap_translate(s->k, (va | (b - 1)) + 1, &hi))
		return fk_failed(s, "fk_vmemmap_translate");
	fact(s, "straddle.pfn", pfn);
	fact(s, "straddle.virt", va);
	fact(s, "straddle.phys_first", lo);
	fact(s, "straddle.phys_second", hi);
	fact(s, "straddle.first_bytes", b - (va & (b - 1)));
	fact(s, "straddle.refcount", (uint64_t)p.refcount);
	return 0;
}

static int sc_pgtable_mismatch(struct sc *s)
{
	const struct fk_page alt = { .refcount = 77, .mapcount = -1 };
	uint64_t b, va, listed, other, pfn, n;

	s->o.radix = true;
	if (boot(s))
		return -1;
	b = block(s);
	/* the block holding the zoo maps elsewhere in the page tables only; what is
	 * there looks like struct pages, each with _refcount 77 */
	va = fk_pfn_to_vmemmap(s->k, FORGE_ZOO_BASE) & ~(b - 1);
	if (fk_vmemmap_translate(s->k, va, &listed))
		return fk_failed(s, "fk_vmemmap_translate");
	other = fk_alloc(s->k, b, b);
	if (!other)
		return fk_failed(s, "fk_alloc");
	n = b / s->o.struct_page_size;
	for (pfn = 0; pfn < n; pfn++) {
		uint64_t page = other + pfn * s->o.struct_page_size;
		const struct fk_page_layout *l = fk_page_layout(s->k);
		struct forge *f = fk_forge(s->k);

		if (forge_put_u32(f, page + l->refcount, (uint32_t)alt.refcount) ||
		    forge_put_u32(f, page + l->mapcount, (uint32_t)alt.mapcount))
			return fk_failed(s, "forge_put_u32");
	}
	if (fk_pgtable_remap(s->k, va, other))
		return fk_failed(s, "fk_pgtable_remap");
	fact(s, "mismatch.virt", va);
	fact(s, "mismatch.list_phys", listed);
	fact(s, "mismatch.pgtable_phys", other);
	fact(s, "mismatch.pfn", FORGE_ZOO_BASE);
	fact(s, "mismatch.refcount", 77);
	return 0;
}

static int sc_pgtable_hole(struct sc *s)
{
	uint64_t b, virt, phys, sz, base, pfn, last;
	unsigned sect_shift;

	s->o.radix = true;
	if (boot(s))
		return -1;
	b = block(s);
	sz = s->o.struct_page_size;
	base = fk_opts(s->k)->vmemmap_base;
	/* the second boot block: not the zoo's, not the end of the file; its sections
	 * stay present with a mem_map, its backing stays in the dump, and no page-table
	 * entry leads there (6.1: vmemmap_list still does) */
	virt = base + b;
	if (fk_vmemmap_translate(s->k, virt, &phys))
		return fk_failed(s, "fk_vmemmap_translate");
	if (fk_pgtable_unmap(s->k, virt))
		return fk_failed(s, "fk_pgtable_unmap");
	pfn = first_pfn_of_block(s, virt);
	last = (virt + b - base) / sz - 1;
	sect_shift = 24 - s->o.page_shift;
	fact(s, "hole.virt", virt);
	fact(s, "hole.phys", phys);
	fact(s, "hole.pfn", pfn);
	fact(s, "hole.pfn_last", last);
	/* the sections whose struct pages all lie in the hole */
	fact(s, "hole.section", (pfn + (1ULL << sect_shift) - 1) >> sect_shift);
	fact(s, "hole.sections", ((last + 1) >> sect_shift) -
				 ((pfn + (1ULL << sect_shift) - 1) >> sect_shift));
	/* a pfn just below the hole, mapped */
	fact(s, "mapped.pfn", pfn - 1);
	return 0;
}

static int sc_no_translation(struct sc *s)
{
	if (boot(s))
		return -1;
	/* vmemmap_list is empty (6.12 radix: as always), and for radix swapper_pg_dir's
	 * PGD is all zeros: no struct page can be located, though mem_section says
	 * every boot section has a mem_map */
	if (fk_vmemmap_set_head(s->k, 0))
		return fk_failed(s, "fk_vmemmap_set_head");
	if (s->o.radix && fk_pgtable_clear(s->k))
		return fk_failed(s, "fk_pgtable_clear");
	fact(s, "sections_with_mem_map", s->boot_pfns >> (24 - s->o.page_shift));
	return 0;
}

static int sc_truncated_file(struct sc *s)
{
	uint64_t phys;

	if (boot(s))
		return -1;
	/* backing is handed out top-down, so pfn 0's block is the highest RAM and the
	 * end of the file: cutting one block loses exactly its struct pages */
	if (fk_vmemmap_translate(s->k, fk_opts(s->k)->vmemmap_base, &phys))
		return fk_failed(s, "fk_vmemmap_translate");
	s->res->wopts.truncate_bytes = block(s);
	fact(s, "truncate_bytes", block(s));
	fact(s, "lost.phys", phys);
	fact(s, "lost.pfn_first", 0);
	fact(s, "lost.pfn_last", block(s) / s->o.struct_page_size - 1);
	/* the first pfn wholly inside the second block survives */
	fact(s, "kept.pfn", block(s) / s->o.struct_page_size + 1);
	return 0;
}

static int with_fault(struct sc *s, unsigned fault)
{
	if (boot(s))
		return -1;
	s->res->wopts.faults |= fault;
	return 0;
}

static int sc_not_ppc64(struct sc *s)
{
	return with_fault(s, FORGE_FAULT_MACHINE_X86_64);
}

static int sc_not_linux(struct sc *s)
{
	return with_fault(s, FORGE_FAULT_NO_OSRELEASE);
}

static int sc_no_vmcoreinfo(struct sc *s)
{
	return with_fault(s, FORGE_FAULT_NO_VMCOREINFO);
}

static int sc_garbage(struct sc *s)
{
	return with_fault(s, FORGE_FAULT_NOT_ELF);
}

static int sc_qemu_vaddr(struct sc *s)
{
	return with_fault(s, FORGE_FAULT_VADDR_EQ_PADDR);
}

/* ------------------------------------------------------------ TCE tables */

static int add_tce(struct sc *s, uint64_t table, uint64_t entry, uint64_t tce, uint64_t target,
		   bool guest)
{
	struct forge_scenario_result *r = s->res;
	struct forge_tce *t = realloc(r->tces, (r->ntces + 1) * sizeof(*t));

	if (!t)
		return sc_fail(s, "out of memory");
	r->tces = t;
	t[r->ntces++] = (struct forge_tce){ table, entry, tce, target, guest,
					    guest ? FORGE_NO_PFN : target };
	return 0;
}

/*
 * A guest-view entry: kvmppc_tce_put() of gpa | perms.  Where a memslot holds the gpa
 * and map is set, the VMM has touched the page: its user page tables map it to the
 * next host pfn (the truth in host_pfn).
 */
static int stt_put_map(struct sc *s, uint64_t stt, uint64_t entry, uint64_t gpa,
		       uint64_t perms, bool map)
{
	struct forge *f = fk_forge(s->k);
	uint64_t kvm, mm, ua, pfn = FORGE_NO_PFN;

	if (fk_kvm_stt_put(s->k, stt, entry, gpa | perms))
		return fk_failed(s, "fk_kvm_stt_put");
	if (forge_get_u64(f, (stt & ~LINEAR_BASE) + 16 /* kvm */, &kvm) ||
	    forge_get_u64(f, (kvm & ~LINEAR_BASE) + 72 /* mm */, &mm))
		return fk_failed(s, "reading stt->kvm->mm");
	if (!fk_kvm_gpa_to_ua(s->k, kvm, gpa, &ua)) {
		/* the same VMM page for entries in one host page */
		if (!fk_user_translate(s->k, mm, ua, &pfn)) {
			/* mapped already */
		} else if (map) {
			pfn = s->vmm_pfn++;
			if (fk_user_map(s->k, mm, ua, pfn))
				return fk_failed(s, "fk_user_map");
		} else {
			pfn = FORGE_NO_PFN;
		}
	}
	if (add_tce(s, stt, entry, gpa | perms, gpa, true))
		return -1;
	s->res->tces[s->res->ntces - 1].host_pfn = pfn;
	return 0;
}

static int stt_put(struct sc *s, uint64_t stt, uint64_t entry, uint64_t gpa, uint64_t perms)
{
	return stt_put_map(s, stt, entry, gpa, perms, true);
}

/* A hardware entry: pnv_tce_build() of the page at host pfn */
static int hw_put(struct sc *s, uint64_t tbl, uint64_t entry, uint64_t pfn, uint64_t perms)
{
	uint64_t tce = (pfn << s->o.page_shift) | perms;

	if (fk_iommu_put(s->k, tbl, entry, tce))
		return fk_failed(s, "fk_iommu_put");
	return add_tce(s, tbl, entry, tce, pfn, false);
}

static unsigned count_tces(const struct sc *s, uint64_t table)
{
	unsigned i, n = 0;

	for (i = 0; i < s->res->ntces; i++)
		n += s->res->tces[i].table == table;
	return n;
}

static void stt_facts(struct sc *s, const char *x, uint64_t stt, uint64_t liobn,
		      unsigned shift, uint64_t offset, uint64_t size, uint64_t entry,
		      uint64_t tce, uint64_t null_entry)
{
	char n[40];
	uint64_t per = (1ULL << s->o.page_shift) / 8, npages = (size + per - 1) / per, i, alloc = 0;

	for (i = 0; i < npages; i++)
		alloc += fk_kvm_stt_page(s->k, stt, i) != 0;
#define F(suffix, v) (snprintf(n, sizeof(n), "stt.%s%s", x, suffix), fact(s, n, v))
	F("", stt);
	F(".liobn", liobn);
	F(".page_shift", shift);
	F(".offset", offset);
	F(".size", size);
	F(".npages", npages);
	F(".allocated", alloc);
	F(".valid", count_tces(s, stt));
	F(".entry", entry);
	F(".tce", tce);
	if (null_entry)
		F(".null_entry", null_entry);
#undef F
}

/* Scenarios that lay out tables ask for DWARF: BUILD-ID is then fk_build_id(). */
static int table_machine(struct sc *s)
{
	s->o.debuginfo = true;
	if (boot(s))
		return -1;
	/* every kernel has the modules list, loaded modules or not */
	if (!fk_modules_init(s->k))
		return fk_failed(s, "fk_modules_init");
	return 0;
}

static int sc_kvm_tables(struct sc *s)
{
	uint64_t kva_a, kva_b, a4k, a64k, b16m, per, phb, pe, tbl, stit;
	uint64_t e, ddw = 1ULL << 59, gpa;
	unsigned i;

	if (table_machine(s))
		return -1;
	per = (1ULL << s->o.page_shift) / 8; /* TCES_PER_PAGE */
	/* kvm.ko and kvm-hv.ko are loaded: kvm first, so kvm_hv heads the list */
	{
		uint64_t kvm = fk_module_new(s->k, "kvm"), hv = fk_module_new(s->k, "kvm_hv");

		if (!kvm || !hv)
			return fk_failed(s, "fk_module_new");
		fact(s, "module.kvm", kvm);
		fact(s, "module.kvm_hv", hv);
	}
	kva_a = fk_kvm_new(s->k, 1001);
	kva_b = fk_kvm_new(s->k, 1002);
	if (!kva_a || !kva_b)
		return fk_failed(s, "fk_kvm_new");
	/* VM a: the default 32-bit window of 4K pages (1 GiB), a DDW of 64K pages */
	a4k = fk_kvm_stt_new(s->k, kva_a, 0x80000000, 12, 0, (1ULL << 30) >> 12);
	a64k = fk_kvm_stt_new(s->k, kva_a, 0x80000001, 16, ddw >> 16, (64ULL << 30) >> 16);
	/* VM b: a DDW of 16M pages only (same liobn as VM a's first: per VM) */
	b16m = fk_kvm_stt_new(s->k, kva_b, 0x80000000, 24, ddw >> 24, (64ULL << 30) >> 24);
	if (!a4k || !a64k || !b16m)
		return fk_failed(s, "fk_kvm_stt_new");
	/* guest memory: VM a 4 GiB in two slots, VM b 1 GiB, at VMM addresses */
	s->vmm_pfn = FORGE_VMM_PFN_BASE;
	{
		unsigned ps = s->o.page_shift;
		uint64_t a0 = fk_kvm_memslot_add(s->k, kva_a, 0, 0, (2ULL << 30) >> ps,
						 0x3fff00000000ULL);
		uint64_t a1 = fk_kvm_memslot_add(s->k, kva_a, 1, (2ULL << 30) >> ps,
						 (2ULL << 30) >> ps, 0x3ffe00000000ULL);
		uint64_t b0 = fk_kvm_memslot_add(s->k, kva_b, 0, 0, (1ULL << 30) >> ps,
						 0x3ff000000000ULL);
		uint64_t mm;

		if (!a0 || !a1 || !b0)
			return fk_failed(s, "fk_kvm_memslot_add");
		fact(s, "memslot.a0", a0);
		fact(s, "memslot.a0.ua", 0x3fff00000000ULL);
		fact(s, "memslot.a1", a1);
		fact(s, "memslot.a1.ua", 0x3ffe00000000ULL);
		fact(s, "memslot.b0", b0);
		fact(s, "memslot.b0.ua", 0x3ff000000000ULL);
		if (forge_get_u64(fk_forge(s->k), (kva_a & ~LINEAR_BASE) + 72, &mm))
			return fk_failed(s, "reading kvm->mm");
		fact(s, "kvm.a.mm", mm);
		if (forge_get_u64(fk_forge(s->k), (kva_b & ~LINEAR_BASE) + 72, &mm))
			return fk_failed(s, "reading kvm->mm");
		fact(s, "kvm.b.mm", mm);
	}
	/* a4k: entries 1..4 in pages[0], two in pages[5], an entry cleared to 0 in a
	 * NULL page (nothing allocated), the rest NULL */
	for (i = 1; i <= 4; i++)
		if (stt_put(s, a4k, i, 0x10000000ULL + (i << 12), i == 4 ? 1 : 3))
			return -1;
	e = 5 * per + 7;
	if (stt_put(s, a4k, e, 0x3ffff000ULL, 3) ||
	    stt_put_map(s, a4k, e + 1, 0x20000000ULL, 2, false))
		return -1;
	fact(s, "stt.a4k.unmapped_entry", e + 1);
	if (fk_kvm_stt_put(s->k, a4k, 9 * per, 0))
		return fk_failed(s, "fk_kvm_stt_put");
	/* a64k: the first and the last entry of the window, and a run in the middle */
	if (stt_put(s, a64k, ddw >> 16, 0x40000000ULL, 3) ||
	    stt_put(s, a64k, (ddw >> 16) + ((64ULL << 30) >> 16) - 1, 0xfffff0000ULL, 3))
		return -1;
	/* gpa 0xfffff0000 (64 GiB - 64K) is in no memslot */
	fact(s, "stt.a64k.noslot_entry", (ddw >> 16) + ((64ULL << 30) >> 16) - 1);
	for (i = 0; i < 16; i++)
		if (stt_put(s, a64k, (ddw >> 16) + 3 * per + i, 0x80000000ULL + (i << 16), 3))
			return -1;
	/* b16m: three 16M pages of guest memory */
	for (i = 0; i < 3; i++) {
		gpa = (uint64_t)(i + 1) << 24;
		if (stt_put(s, b16m, (ddw >> 24) + (i == 2 ? 4095 : i), gpa, 3))
			return -1;
	}
	stt_facts(s, "a4k", a4k, 0x80000000, 12, 0, (1ULL << 30) >> 12, 1,
		  0x10000000ULL + (1 << 12) + 3, 20 * per);
	stt_facts(s, "a64k", a64k, 0x80000001, 16, ddw >> 16, (64ULL << 30) >> 16, ddw >> 16,
		  0x40000000ULL | 3, (ddw >> 16) + 40 * per);
	stt_facts(s, "b16m", b16m, 0x80000000, 24, ddw >> 24, (64ULL << 30) >> 24, ddw >> 24,
		  (1ULL << 24) | 3, 0);
	if (forge_scenario_fact(s->res, "stt.b16m.npages", 0) > 1)
		fact(s, "stt.b16m.null_entry", (ddw >> 24) + per);
	/* a hardware table (VFIO-owned, one level of 64K pages) attached to a64k's LIOBN */
	phb = fk_pnv_phb_new(s->k, 256);
	pe = phb ? fk_pnv_pe_new(s->k, phb, 2) : 0;
	tbl = pe ? fk_pnv_table_new(s->k, pe, 1, ddw, 16, 1ULL << 30, 1) : 0;
	stit = tbl ? fk_kvm_stt_attach(s->k, a64k, tbl) : 0;
	if (!stit)
		return fk_failed(s, "attaching a hardware table");
	fact(s, "attach.tbl", tbl);
	fact(s, "attach.stit", stit);
	fact(s, "kvm.count", 2);
	fact(s, "kvm.a", kva_a);
	fact(s, "kvm.b", kva_b);
	fact(s, "stt.count", 3);
	return 0;
}

/* kvm-tables with KVM built as modules (Debian's): vm_list is kvm.ko's, in module
 * memory (vmalloc: radix, whose page tables map it); fact "vm_list" its address */
static int sc_kvm_modular(struct sc *s)
{
	uint64_t b, head;

	s->o.kvm_modular = true;
	s->o.radix = true;
	if (sc_kvm_tables(s))
		return -1;
	/* VM b was added last, at the head: its vm_list.prev is the head */
	b = forge_scenario_fact(s->res, "kvm.b", 0);
	if (forge_get_u64(fk_forge(s->k), (b & ~LINEAR_BASE) +
			  (uint64_t)fk_kernel_offsetof(s->o.kernel, "kvm.vm_list") + 8, &head))
		return fk_failed(s, "reading kvm->vm_list.prev");
	fact(s, "vm_list", head);
	return 0;
}

static void tbl_facts(struct sc *s, const char *x, uint64_t tbl, unsigned levels,
		      unsigned shift, uint64_t offset, uint64_t entry)
{
	char n[40];
	uint64_t v, tce = 0;
	unsigned i;
	struct forge *f = fk_forge(s->k);

	for (i = 0; i < s->res->ntces; i++)
		if (s->res->tces[i].table == tbl && s->res->tces[i].entry == entry)
			tce = s->res->tces[i].tce;
#define F(suffix, val) (snprintf(n, sizeof(n), "tbl.%s%s", x, suffix), fact(s, n, val))
	F("", tbl);
	F(".levels", levels);
	F(".page_shift", shift);
	F(".offset", offset);
	/* it_size and it_level_size as the forge wrote them */
	if (!forge_get_u64(f, (tbl & ~LINEAR_BASE) + 8, &v))
		F(".size", v);
	if (!forge_get_u64(f, (tbl & ~LINEAR_BASE) + 24, &v))
		F(".level_size", v);
	/* the top level's kernel address (it_base), for tests that damage its pages */
	if (fk_kernel_offsetof(s->o.kernel, "iommu_table.it_base") >= 0 &&
	    !forge_get_u64(f, (tbl & ~LINEAR_BASE) +
			   (uint64_t)fk_kernel_offsetof(s->o.kernel, "iommu_table.it_base"), &v))
		F(".base", v);
	F(".valid", count_tces(s, tbl));
	F(".entry", entry);
	F(".tce", tce);
	F(".pfn", tce >> s->o.page_shift);
#undef F
}

static int sc_powernv_tables(struct sc *s)
{
	uint64_t phb0, phb1, pe0, pe1, pe2, t0, t1, t2, ddw = 1ULL << 59, ls, e, outside;
	uint64_t boot_pfn;
	unsigned i;

	if (table_machine(s))
		return -1;
	phb0 = fk_pnv_phb_new(s->k, 512);
	phb1 = fk_pnv_phb_new(s->k, 256);
	if (!phb0 || !phb1)
		return fk_failed(s, "fk_pnv_phb_new");
	pe0 = fk_pnv_pe_new(s->k, phb0, 0x1fd);
	pe1 = fk_pnv_pe_new(s->k, phb0, 0x1fe);
	pe2 = fk_pnv_pe_new(s->k, phb1, 0);
	if (!pe0 || !pe1 || !pe2)
		return fk_failed(s, "fk_pnv_pe_new");
	t0 = fk_pnv_table_new(s->k, pe0, 0, 0, 12, 256ULL << 20, 1);
	t1 = fk_pnv_table_new(s->k, pe0, 1, ddw, 16, 4ULL << 30, 2);
	t2 = fk_pnv_table_new(s->k, pe2, 0, 0, 12, 2ULL << 30, 3);
	if (!t0 || !t1 || !t2)
		return fk_failed(s, "fk_pnv_table_new");
	/* t0: a driver's mappings of zoo pages (entry 0 stays reserved) */
	if (hw_put(s, t0, 1, FORGE_ZOO_PINNED, 3) || hw_put(s, t0, 2, FORGE_ZOO_BUDDY, 3) ||
	    hw_put(s, t0, 3, FORGE_ZOO_REFCOUNT1, 1) || hw_put(s, t0, 4, FORGE_ZOO_LRU, 2) ||
	    hw_put(s, t0, 65535, FORGE_ZOO_PINNED, 3))
		return -1;
	/* t1: entries under top-level entries 0 and 2; entry 1's level never allocated */
	if (forge_get_u64(fk_forge(s->k), (t1 & ~LINEAR_BASE) + 24, &ls))
		return fk_failed(s, "reading it_level_size");
	/* 64K IOMMU pages map 64K-aligned host memory: pfns aligned for 4K pages too */
	boot_pfn = 512;
	if (hw_put(s, t1, (ddw >> 16) + 3, boot_pfn, 3) ||
	    hw_put(s, t1, (ddw >> 16) + 2 * ls + 5, boot_pfn + 16, 3) ||
	    hw_put(s, t1, (ddw >> 16) + 2 * ls + 6, boot_pfn + 32, 1))
		return -1;
	/* t2: three levels, a few entries, then top-level entry 1 (when the table has
	 * one) pointing at a level outside the dump */
	for (i = 0; i < 4; i++)
		if (hw_put(s, t2, 16 + i, boot_pfn + 8 + i, 3))
			return -1;
	if (forge_get_u64(fk_forge(s->k), (t2 & ~LINEAR_BASE) + 24, &ls))
		return fk_failed(s, "reading it_level_size");
	outside = 0xfff00000000ULL; /* as OUTSIDE_PHYS */
	{
		uint64_t size;

		if (forge_get_u64(fk_forge(s->k), (t2 & ~LINEAR_BASE) + 8, &size))
			return fk_failed(s, "reading it_size");
		e = ls * ls < size ? ls * ls : 0; /* the first entry under top entry 1 */
		if (e) {
			if (fk_iommu_set_indirect(s->k, t2, 1, outside | 3))
				return fk_failed(s, "fk_iommu_set_indirect");
			fact(s, "tbl.t2.outside_entry", e);
			fact(s, "tbl.t2.outside_level", outside);
		}
	}
	tbl_facts(s, "t0", t0, 1, 12, 0, 1);
	tbl_facts(s, "t1", t1, 2, 16, ddw >> 16, (ddw >> 16) + 3);
	if (forge_get_u64(fk_forge(s->k), (t1 & ~LINEAR_BASE) + 24, &ls))
		return fk_failed(s, "reading it_level_size");
	fact(s, "tbl.t1.missing_entry", (ddw >> 16) + ls + 1);
	tbl_facts(s, "t2", t2, 3, 12, 0, 16);
	fact(s, "phb.count", 2);
	fact(s, "phb.0", phb0);
	fact(s, "phb.1", phb1);
	fact(s, "pe.0", pe0);
	fact(s, "pe.0.number", 0x1fd);
	fact(s, "pe.1", pe1);
	fact(s, "pe.2", pe2);
	return 0;
}

/*
 * vfio-tables: a powernv host where a process drives a device through VFIO's SPAPR TCE
 * v2 IOMMU (as QEMU does): its mm preregistered two regions (a of small pages, each
 * pinned with GUP_PIN_COUNTING_BIAS on _refcount; b one large folio, hugetlb-like, pinned
 * in _pincount), its container owns PE 3 of a PHB, whose two tables VFIO made (a
 * one-level default window at 0 and a two-level DDW at 1 << 59, it_userspace in the
 * table's shape) map pages of both regions, each TCE's address in it_userspace and
 * counted in its region's mapped.
 */
static int vfio_map(struct sc *s, uint64_t tbl, uint64_t entry, uint64_t region,
		    uint64_t ua, uint64_t pfn)
{
	if (hw_put(s, tbl, entry, pfn, 3))
		return -1;
	if (fk_iommu_user_put(s->k, tbl, entry, ua) || fk_vfio_mapped_add(s->k, region, 1))
		return fk_failed(s, "mapping through VFIO");
	return 0;
}

static int sc_vfio_tables(struct sc *s)
{
	uint64_t phb, pe, tbl0, tbl1, mm, cont, grp, ra, rb, ddw = 1ULL << 59, ls, i;
	uint64_t pfns[FORGE_VFIO_A_PAGES], ps, base1;
	unsigned shift;

	if (table_machine(s))
		return -1;
	shift = s->o.page_shift;
	ps = 1ULL << shift;
	phb = fk_pnv_phb_new(s->k, 256);
	pe = phb ? fk_pnv_pe_new(s->k, phb, 3) : 0;
	if (!pe)
		return fk_failed(s, "a PHB and PE");
	/* tce_iommu_create_window(): VFIO's own tables, with it_userspace */
	tbl0 = fk_pnv_table_new(s->k, pe, 0, 0, shift, 1ULL << 30, 1);
	tbl1 = fk_pnv_table_new(s->k, pe, 1, ddw, shift, 4ULL << 30, 2);
	if (!tbl0 || !tbl1 || fk_pnv_table_userspace(s->k, tbl0) ||
	    fk_pnv_table_userspace(s->k, tbl1))
		return fk_failed(s, "VFIO's tables");
	mm = fk_process_mm_new(s->k);
	cont = mm ? fk_vfio_container_new(s->k, mm, true) : 0;
	grp = cont ? fk_vfio_group_attach(s->k, cont, pe) : 0;
	if (!grp || fk_vfio_container_table(s->k, cont, 0, tbl0) ||
	    fk_vfio_container_table(s->k, cont, 1, tbl1))
		return fk_failed(s, "the VFIO container");
	/* region a: small pages, each pinned once (1 + GUP_PIN_COUNTING_BIAS) */
	for (i = 0; i < FORGE_VFIO_A_PAGES; i++) {
		struct fk_page pg = { .refcount = 1 + 1024, .mapcount = 0 };

		pfns[i] = FORGE_VFIO_PFN_BASE + i;
		if (set_page(s, pfns[i], &pg))
			return -1;
	}
	ra = fk_vfio_prereg(s->k, mm, FORGE_VFIO_A_UA, FORGE_VFIO_A_PAGES, pfns, shift);
	/* region b: one large folio of FORGE_VFIO_B_PAGES pages, a pin a page in its
	 * _pincount (and a reference each), hugetlb: pageshift of the folio */
	for (i = 0; i < FORGE_VFIO_B_PAGES; i++)
		pfns[i] = FORGE_VFIO_B_PFN + i;
	if (!ra || fk_set_compound(s->k, FORGE_VFIO_B_PFN, FORGE_VFIO_B_ORDER,
				   1 + FORGE_VFIO_B_PAGES) ||
	    fk_set_pincount(s->k, FORGE_VFIO_B_PFN, FORGE_VFIO_B_PAGES))
		return fk_failed(s, "region a, folio b");
	rb = fk_vfio_prereg(s->k, mm, FORGE_VFIO_B_UA, FORGE_VFIO_B_PAGES, pfns,
			    shift + FORGE_VFIO_B_ORDER);
	if (!rb)
		return fk_failed(s, "region b");
	if (forge_get_u64(fk_forge(s->k), (tbl1 & ~LINEAR_BASE) + 24, &ls))
		return fk_failed(s, "reading it_level_size");
	base1 = ddw >> shift;
	/* the DDW: a's pages 0..7, a's page 8 under the third top-level entry, all of b */
	for (i = 0; i < 8; i++)
		if (vfio_map(s, tbl1, base1 + i, ra, FORGE_VFIO_A_UA + i * ps,
			     FORGE_VFIO_PFN_BASE + i))
			return -1;
	if (vfio_map(s, tbl1, base1 + 2 * ls + 5, ra, FORGE_VFIO_A_UA + 8 * ps,
		     FORGE_VFIO_PFN_BASE + 8))
		return -1;
	for (i = 0; i < FORGE_VFIO_B_PAGES; i++)
		if (vfio_map(s, tbl1, base1 + 64 + i, rb, FORGE_VFIO_B_UA + i * ps,
			     FORGE_VFIO_B_PFN + i))
			return -1;
	/* the default window: a's pages 20..23 at entries 1..4 */
	for (i = 0; i < 4; i++)
		if (vfio_map(s, tbl0, 1 + i, ra, FORGE_VFIO_A_UA + (20 + i) * ps,
			     FORGE_VFIO_PFN_BASE + 20 + i))
			return -1;
	tbl_facts(s, "t0", tbl0, 1, shift, 0, 1);
	tbl_facts(s, "t1", tbl1, 2, shift, base1, base1);
	fact(s, "vfio.mm", mm);
	fact(s, "vfio.container", cont);
	fact(s, "vfio.group", grp);
	fact(s, "vfio.region.a", ra);
	fact(s, "vfio.region.a.mapped", 1 + 9 + 4);
	fact(s, "vfio.region.b", rb);
	fact(s, "vfio.region.b.mapped", 1 + FORGE_VFIO_B_PAGES);
	fact(s, "vfio.t1.far_entry", base1 + 2 * ls + 5);
	fact(s, "vfio.t1.b_entry", base1 + 64);
	fact(s, "pe.0", pe);
	fact(s, "pe.0.number", 3);
	fact(s, "phb.0", phb);
	return 0;
}

static int sc_kallsyms_fault(struct sc *s, unsigned fault)
{
	if (!s->o.kallsyms)
		s->o.kallsyms = FK_KALLSYMS_ALL;
	if (boot(s))
		return -1;
	if (fk_kallsyms_set_faults(s->k, fault))
		return fk_failed(s, "fk_kallsyms_set_faults");
	return 0;
}

static int sc_kallsyms_bad_count(struct sc *s)
{
	if (sc_kallsyms_fault(s, FK_KALLSYMS_FAULT_COUNT))
		return -1;
	fact(s, "kallsyms.bad_count", FK_KALLSYMS_BAD_COUNT);
	return 0;
}

static int sc_kallsyms_bad_names(struct sc *s)
{
	if (sc_kallsyms_fault(s, FK_KALLSYMS_FAULT_NAMES))
		return -1;
	fact(s, "kallsyms.bad_names", 1);
	return 0;
}

static const struct scenario scenarios[] = {
	{ "clean", "boot-time vmemmap_populate of all RAM: list in descending order "
	  "(6.12 radix: no list, the page tables map it)", sc_clean, 0 },
	{ "hotplug", "hot-add d1, d2, remove d1, add d3: recycled entries break the order "
	  "(6.12 radix: in the page tables only)", sc_hotplug, 0 },
	{ "highmem", "boot RAM plus a DIMM at 64 GiB: a sparse vmemmap", sc_highmem, 0 },
	{ "cycle", "the last entry points back at the third: vmemmap_list never ends",
	  sc_cycle, SC_NEEDS_LIST },
	{ "truncated", "an entry's next points outside the dump", sc_truncated,
	  SC_NEEDS_LIST },
	{ "misaligned", "an entry's backing is 4 KiB off a block boundary", sc_misaligned,
	  SC_NEEDS_LIST },
	{ "overlap-virt", "two entries claim one vmemmap block", sc_overlap_virt,
	  SC_NEEDS_LIST },
	{ "overlap-phys", "two entries share one backing block", sc_overlap_phys,
	  SC_NEEDS_LIST },
	{ "backing-outside", "an entry's backing is not in the dump", sc_backing_outside,
	  SC_NEEDS_LIST },
	{ "straddle", "SIZE(page) does not divide the block: a struct page in two blocks",
	  sc_straddle, 0 },
	{ "pgtable-mismatch", "radix: the page tables map a vmemmap block elsewhere",
	  sc_pgtable_mismatch, SC_NEEDS_LIST | SC_RADIX },
	{ "truncated-file", "the file is cut short by one vmemmap block",
	  sc_truncated_file, 0 },
	{ "not-ppc64", "e_machine is EM_X86_64", sc_not_ppc64, 0 },
	{ "not-linux", "VMCOREINFO without OSRELEASE", sc_not_linux, 0 },
	{ "no-vmcoreinfo", "no VMCOREINFO note", sc_no_vmcoreinfo, 0 },
	{ "garbage", "not an ELF file", sc_garbage, 0 },
	{ "qemu-vaddr", "p_vaddr = p_paddr, as QEMU's dump-guest-memory writes it",
	  sc_qemu_vaddr, 0 },
	{ "pgtable-hole", "radix: a populated vmemmap block (present sections) that no "
	  "page-table entry maps", sc_pgtable_hole, SC_RADIX },
	{ "no-translation", "vmemmap_list empty and (radix) the PGD zeroed: no struct page "
	  "can be located", sc_no_translation, 0 },
	{ "kvm-tables", "powernv KVM host (6.1 or 6.12 structures): two VMs with guest-view "
	  "TCE tables of 4K, 64K and 16M IOMMU pages, sparse pages[], one with a hardware "
	  "table attached", sc_kvm_tables, 0 },
	{ "kvm-modular", "kvm-tables with KVM built as modules (Debian's): vm_list in kvm.ko's "
	  ".data, kvmppc_spapr_tce_table only in its DWARF (fk_module_dwarf_write())",
	  sc_kvm_modular, SC_RADIX },
	{ "powernv-tables", "powernv (6.1 or 6.12 structures): two PHBs, PE tables of one, "
	  "two and three levels (big-endian TCEs), a level never allocated, a level outside "
	  "the dump", sc_powernv_tables, 0 },
	{ "vfio-tables", "powernv (6.1 or 6.12 structures): a process's VFIO SPAPR TCE v2 "
	  "container owning a PE, two tables VFIO made (it_userspace), preregistered memory "
	  "of small pinned pages and of a large folio", sc_vfio_tables, 0 },
	{ "kallsyms-bad-count", "kallsyms_num_syms far beyond the symbols there are",
	  sc_kallsyms_bad_count, 0 },
	{ "kallsyms-bad-names", "a kallsyms_names record whose length runs past the stream",
	  sc_kallsyms_bad_names, 0 },
};

#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

unsigned forge_scenario_count(void)
{
	return NSCENARIOS;
}

const char *forge_scenario_name(unsigned i)
{
	return i < NSCENARIOS ? scenarios[i].name : NULL;
}

const char *forge_scenario_desc(unsigned i)
{
	return i < NSCENARIOS ? scenarios[i].desc : NULL;
}

const char *forge_scenario_why_not(unsigned i, const struct fk_opts *opts)
{
	bool radix;

	if (i >= NSCENARIOS)
		return "no such scenario";
	radix = opts->radix || (scenarios[i].flags & SC_RADIX);
	if ((scenarios[i].flags & SC_NEEDS_LIST) && is612(opts) && radix)
		return "needs vmemmap_list";
	if ((scenarios[i].flags & SC_KERNEL_61) && is612(opts))
		return "6.1 structures only";
	return NULL;
}

bool forge_scenario_supported(unsigned i, const struct fk_opts *opts)
{
	return !forge_scenario_why_not(i, opts);
}

int forge_scenario_build(const char *name, const struct fk_opts *opts,
			 struct forge_scenario_result *res, char *err, size_t errlen)
{
	struct sc s = { .o = *opts, .res = res, .err = err, .errlen = errlen };
	unsigned i;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < NSCENARIOS; i++)
		if (!strcmp(scenarios[i].name, name))
			break;
	if (i == NSCENARIOS) {
		snprintf(err, errlen, "no scenario '%s'", name);
		return -1;
	}
	if (!forge_scenario_supported(i, opts)) {
		if (scenarios[i].flags & SC_KERNEL_61)
			snprintf(err, errlen, "scenario '%s' lays out 6.1's structures: not in "
				 "the 6.12 shape", name);
		else
			snprintf(err, errlen, "scenario '%s' faults vmemmap_list, which a 6.12 "
				 "radix kernel does not keep", name);
		return -1;
	}
	if (scenarios[i].build(&s)) {
		forge_scenario_release(res);
		return -1;
	}
	common_facts(&s);
	return 0;
}

int forge_scenario_write(const char *name, const struct fk_opts *opts, const char *path,
			 struct forge_scenario_result *res, char *err, size_t errlen)
{
	if (forge_scenario_build(name, opts, res, err, errlen))
		return -1;
	if (fk_write_file(res->k, path, &res->wopts)) {
		snprintf(err, errlen, "%s", forge_errmsg(fk_forge(res->k)));
		forge_scenario_release(res);
		return -1;
	}
	return 0;
}

void forge_scenario_release(struct forge_scenario_result *res)
{
	fk_free(res->k);
	res->k = NULL;
	free(res->tces);
	res->tces = NULL;
	res->ntces = 0;
}
