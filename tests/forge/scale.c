// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scale profile (scale.h): a 1 TiB powernv KVM host with millions of valid TCEs,
 * built on the kernel layer with its own fast paths where the generic ones would cost
 * minutes at 16M entries (struct pages are written straight into their vmemmap
 * backing, found from the forge's books, never through a walk of vmemmap_list), and
 * the manifest of every range of memory a check of its tables reads.  Allocation is
 * done in phases (objects, host DMA levels, guest-view pages, VMM page tables, VFIO
 * levels) so that each phase's kernel data is one range of one kind.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include "scale.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIB (1ULL << 40)
#define PAGE_SHIFT 16
#define SPS 64                         /* SIZE(page) */
#define CLUSTER 8192ULL                /* pfns a cluster of mapped pages spans */
#define NSLOTS (TIB >> PAGE_SHIFT) / CLUSTER
#define DDW (1ULL << 59)
#define TCE_RW 3ULL
#define GUEST_BYTES (256ULL << 30)
#define VMM_UA 0x100000000000ULL
#define FREED_EVERY 65536
#define PGD_BYTES (8ULL << 13)         /* fk.c's swapper_pg_dir */

enum kind { K_OBJECTS, K_LEVEL, K_STTPAGE, K_PT, K_PAGE, K_NKINDS };
static const char *const kind_names[K_NKINDS] = {
	"objects", "level", "sttpage", "pt", "page"
};

struct range {
	uint64_t phys, len;
	int kind;
};

struct scale {
	struct fk *k;
	struct forge *f;
	char *err;
	size_t errlen;
	struct range *r;
	size_t nr, cap;
	uint64_t cluster, in_cluster;  /* the pfn allocator */
	uint64_t vbase, bsize;
	int nblocks;
	uint64_t stats[16];
};

enum { S_VALID_HOST, S_VALID_GUEST, S_VALID_VFIO, S_PAGES_HOST, S_PAGES_GUEST,
       S_FREED_PAGES, S_FREED_ENTRIES, S_SLOTS_HOST, S_SLOTS_GUEST, S_NSTATS };
static const char *const stat_names[S_NSTATS] = {
	"valid.host", "valid.guest", "valid.vfio", "pages.host", "pages.guest",
	"freed.pages", "freed.entries", "slots.host", "slots.guest"
};

static int fail(struct scale *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct scale *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, s->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int kfail(struct scale *s, const char *what)
{
	return fail(s, "%s: %s", what, forge_errmsg(s->f));
}

static int add_range(struct scale *s, int kind, uint64_t phys, uint64_t len)
{
	if (!len)
		return 0;
	if (s->nr && s->r[s->nr - 1].kind == kind &&
	    s->r[s->nr - 1].phys + s->r[s->nr - 1].len == phys) {
		s->r[s->nr - 1].len += len;
		return 0;
	}
	if (s->nr == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		struct range *g = realloc(s->r, cap * sizeof(*g));

		if (!g)
			return fail(s, "out of memory");
		s->r = g;
		s->cap = cap;
	}
	s->r[s->nr++] = (struct range){ phys, len, kind };
	return 0;
}

/* The end of kernel data so far (one byte wasted a call). */
static uint64_t mark(struct scale *s)
{
	return fk_alloc(s->k, 1, 1);
}

/* Mapped pages come in clusters of CLUSTER pfns spread over the whole 1 TiB (37 is
 * prime to the 2044 slots between kernel data and vmemmap backing). */
static uint64_t alloc_pfn(struct scale *s)
{
	if (s->in_cluster == CLUSTER) {
		s->cluster++;
		s->in_cluster = 0;
	}
	return (2 + (s->cluster * 37) % (NSLOTS - 4)) * CLUSTER + s->in_cluster++;
}

static uint64_t struct_page_phys(struct scale *s, uint64_t pfn)
{
	uint64_t va = s->vbase + pfn * SPS, virt, phys;
	int i = (int)((va - s->vbase) / s->bsize);

	if (i < s->nblocks && !fk_vmemmap_block(s->k, i, &virt, &phys) &&
	    va - virt < s->bsize)
		return phys + (va - virt);
	return 0;
}

static void put_n(enum forge_endian e, uint8_t *p, uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * (e == FORGE_LE ? i : bytes - 1 - i)));
}

static int set_page(struct scale *s, uint64_t pfn, uint64_t flags, int32_t refcount,
		    int32_t mapcount)
{
	const struct fk_page_layout *l = fk_page_layout(s->k);
	enum forge_endian e = forge_endian(s->f);
	uint64_t phys = struct_page_phys(s, pfn);
	uint8_t img[SPS] = { 0 };

	if (!phys)
		return fail(s, "no vmemmap block backs pfn 0x%llx", (unsigned long long)pfn);
	put_n(e, img + l->flags, flags, 8);
	put_n(e, img + l->mapcount, (uint32_t)mapcount, 4);
	put_n(e, img + l->refcount, (uint32_t)refcount, 4);
	if (forge_write(s->f, phys, img, SPS))
		return kfail(s, "struct page");
	return add_range(s, K_PAGE, phys, SPS);
}

/* Entries naming one page: 1..15, 8 on average, from a hash of the page number. */
static unsigned share(uint64_t n)
{
	n *= 0x9e3779b97f4a7c15ULL;
	return 1 + (unsigned)((n >> 32) % 15);
}

/* The slot of the i-th valid entry: every eighth slot stays invalid. */
static uint64_t slot_of(uint64_t i)
{
	return i + i / 7;
}

static uint64_t window_entries(uint64_t valid)
{
	uint64_t need = slot_of(valid) + 1, w = 1ULL << 13;

	while (w < need)
		w <<= 1;
	return w;
}

/* The levels below a hardware table's top level, and the top level itself. */
static int record_levels(struct scale *s, uint64_t tbl)
{
	uint64_t base, ls, i, v;
	uint8_t b[8];

	if (forge_get_u64(s->f, (tbl & ~0xc000000000000000ULL) +
			  (uint64_t)fk_types_offsetof("iommu_table.it_base"), &base) ||
	    forge_get_u64(s->f, (tbl & ~0xc000000000000000ULL) +
			  (uint64_t)fk_types_offsetof("iommu_table.it_level_size"), &ls))
		return kfail(s, "reading the table");
	/* the top level is among the objects */
	base &= ~0xc000000000000000ULL;
	for (i = 0; i < ls; i++) {
		if (forge_read(s->f, base + 8 * i, b, 8))
			return kfail(s, "reading a level");
		v = 0;
		for (unsigned j = 0; j < 8; j++)
			v = v << 8 | b[j]; /* big-endian whatever the dump's order */
		if (v && add_range(s, K_LEVEL, v & ~3ULL, ls * 8))
			return -1;
	}
	return 0;
}

static int host_dma(struct scale *s, uint64_t tbl, uint64_t valid)
{
	uint64_t i = 0, page = 0, pfn, n;
	bool freed;

	while (i < valid) {
		pfn = alloc_pfn(s);
		freed = page % FREED_EVERY == FREED_EVERY - 1;
		/* a driver's page: one reference per sub-page buffer in flight */
		if (freed ? set_page(s, pfn, 0, 0, FK_PAGE_BUDDY_MAPCOUNT)
			  : set_page(s, pfn, 0, 1 + (int32_t)share(page), -1))
			return -1;
		for (n = share(page); n && i < valid; n--, i++) {
			if (fk_iommu_put(s->k, tbl, (DDW >> PAGE_SHIFT) + slot_of(i),
					 (pfn << PAGE_SHIFT) | TCE_RW))
				return kfail(s, "fk_iommu_put");
			s->stats[S_FREED_ENTRIES] += freed;
		}
		s->stats[S_FREED_PAGES] += freed;
		page++;
	}
	s->stats[S_VALID_HOST] = valid;
	s->stats[S_PAGES_HOST] = page;
	s->stats[S_SLOTS_HOST] = slot_of(valid - 1) + 1;
	return 0;
}

static int sort_ranges(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

static int write_manifest(struct scale *s, const char *path, const struct forge_scale_opts *o)
{
	FILE *out = fopen(path, "w");
	uint64_t bytes[K_NKINDS] = { 0 };
	size_t i, n = 0;
	int kk;

	if (!out)
		return fail(s, "%s: cannot create", path);
	qsort(s->r, s->nr, sizeof(*s->r), sort_ranges);
	for (i = 0; i < s->nr; i++) {
		if (n && s->r[n - 1].kind == s->r[i].kind &&
		    s->r[n - 1].phys + s->r[n - 1].len >= s->r[i].phys) {
			uint64_t end = s->r[i].phys + s->r[i].len;

			if (end > s->r[n - 1].phys + s->r[n - 1].len)
				s->r[n - 1].len = end - s->r[n - 1].phys;
			continue;
		}
		s->r[n++] = s->r[i];
	}
	s->nr = n;
	for (i = 0; i < n; i++)
		bytes[s->r[i].kind] += s->r[i].len;
	fprintf(out, "# tce-forge scale profile %d\n", FORGE_SCALE_VERSION);
	fprintf(out, "# valid %llu\n# mmu %s\n# endian %s\n# page_size %u\n"
		"# struct_page_size %u\n", (unsigned long long)o->valid,
		o->radix ? "radix" : "hash", o->endian == FORGE_LE ? "le" : "be",
		1u << PAGE_SHIFT, SPS);
	for (i = 0; i < S_NSTATS; i++)
		fprintf(out, "# %s %llu\n", stat_names[i], (unsigned long long)s->stats[i]);
	for (kk = 0; kk < K_NKINDS; kk++)
		fprintf(out, "# bytes.%s %llu\n", kind_names[kk], (unsigned long long)bytes[kk]);
	for (i = 0; i < n; i++)
		fprintf(out, "%s %#llx %#llx\n", kind_names[s->r[i].kind],
			(unsigned long long)s->r[i].phys, (unsigned long long)s->r[i].len);
	if (fclose(out))
		return fail(s, "%s: write error", path);
	return 0;
}

static int build(struct scale *s, const struct forge_scale_opts *o)
{
	struct fk_opts fo = {
		.endian = o->endian, .page_shift = PAGE_SHIFT, .struct_page_size = SPS,
		.vmemmap_shift = o->radix ? 21 : 24, .ram_bytes = TIB, .radix = o->radix,
		.debuginfo = true, .vmemmap_lazy = true,
	};
	uint64_t nh = o->valid / 2, ng = o->valid / 4, wh, wg, phb0, phb1, pe0, pe1;
	uint64_t tbl_h, tbl_v, kvm, stt, mm, a, b, i, g, n, *pfns = NULL;
	uint8_t *shares = NULL;
	uint64_t ngpages;
	int ret = -1;

	if (o->valid < 64)
		return fail(s, "the scale profile needs at least 64 valid entries");
	s->k = fk_new(&fo);
	if (!s->k)
		return fail(s, "fk_new failed");
	s->f = fk_forge(s->k);
	s->vbase = fk_opts(s->k)->vmemmap_base;
	s->bsize = fk_vmemmap_block_size(s->k);
	if (fk_vmemmap_populate(s->k, 0, TIB >> PAGE_SHIFT))
		return kfail(s, "fk_vmemmap_populate");
	s->nblocks = fk_vmemmap_nblocks(s->k);
	if (!fk_modules_init(s->k))
		return kfail(s, "fk_modules_init");

	/* objects: PHBs, PEs, tables (top levels and it_map), the VM */
	a = mark(s);
	wh = window_entries(nh);
	wg = window_entries(ng);
	phb0 = fk_pnv_phb_new(s->k, 256);
	phb1 = fk_pnv_phb_new(s->k, 256);
	pe0 = phb0 ? fk_pnv_pe_new(s->k, phb0, 0) : 0;
	pe1 = phb1 ? fk_pnv_pe_new(s->k, phb1, 0) : 0;
	tbl_h = pe0 ? fk_pnv_table_new(s->k, pe0, 1, DDW, PAGE_SHIFT, wh << PAGE_SHIFT, 2) : 0;
	tbl_v = pe1 ? fk_pnv_table_new(s->k, pe1, 1, DDW, PAGE_SHIFT, wg << PAGE_SHIFT, 2) : 0;
	kvm = fk_kvm_new(s->k, 4242);
	if (!tbl_h || !tbl_v || !kvm)
		return kfail(s, "building the host");
	if (!fk_kvm_memslot_add(s->k, kvm, 0, 0, GUEST_BYTES >> PAGE_SHIFT, VMM_UA))
		return kfail(s, "fk_kvm_memslot_add");
	stt = fk_kvm_stt_new(s->k, kvm, 0x80000001, PAGE_SHIFT, DDW >> PAGE_SHIFT, wg);
	if (!stt || !fk_kvm_stt_attach(s->k, stt, tbl_v))
		return kfail(s, "the guest-view table");
	if (forge_get_u64(s->f, (kvm & ~0xc000000000000000ULL) +
			  (uint64_t)fk_types_offsetof("kvm.mm"), &mm))
		return kfail(s, "kvm->mm");
	b = mark(s);
	if (add_range(s, K_OBJECTS, a, b - a))
		return -1;
	/* hash: a 6.1 kernel does not say its MMU (NUMBER(RADIX_MMU) is 6.2's), and a check
	 * tells from swapper_pg_dir, which maps no linear address under hash; the forge
	 * writes it only for radix, so here it is written, empty, and read */
	if (!o->radix) {
		static const uint8_t zero[4096];
		uint64_t pgd = fk_symbol(s->k, "swapper_pg_dir") & ~0xc000000000000000ULL, off;

		for (off = 0; off < PGD_BYTES; off += sizeof(zero))
			if (forge_write(s->f, pgd + off, zero, sizeof(zero)))
				return kfail(s, "swapper_pg_dir");
		if (add_range(s, K_OBJECTS, pgd, PGD_BYTES))
			return -1;
	}

	/* host DMA: levels allocated on first use */
	if (host_dma(s, tbl_h, nh))
		return -1;
	a = mark(s);
	if (add_range(s, K_LEVEL, b, a - b))
		return -1;

	/* guest pages: every other gfn, a host pfn each, pinned by VFIO */
	ngpages = ng; /* at most one page per entry */
	pfns = calloc(ngpages, sizeof(*pfns));
	shares = calloc(ngpages, 1);
	if (!pfns || !shares) {
		fail(s, "out of memory");
		goto out;
	}
	for (i = 0, g = 0; i < ng; g++) {
		shares[g] = (uint8_t)share(g + 1000003);
		if (i + shares[g] > ng)
			shares[g] = (uint8_t)(ng - i);
		i += shares[g];
		pfns[g] = alloc_pfn(s);
		/* anonymous guest memory, mapped by the VMM, one FOLL_PIN */
		if (set_page(s, pfns[g], (1ULL << FK_PG_LRU) | (1ULL << FK_PG_UPTODATE) |
			     (1ULL << FK_PG_SWAPBACKED), 1 + 1024, 0))
			goto out;
	}
	ngpages = g;
	/* guest-view pages */
	a = mark(s);
	for (g = 0, i = 0; g < ngpages; g++)
		for (n = 0; n < shares[g]; n++, i++)
			if (fk_kvm_stt_put(s->k, stt, (DDW >> PAGE_SHIFT) + slot_of(i),
					   ((2 * g) << PAGE_SHIFT) | TCE_RW)) {
				kfail(s, "fk_kvm_stt_put");
				goto out;
			}
	b = mark(s);
	if (add_range(s, K_STTPAGE, a, b - a))
		goto out;
	/* the VMM's page tables */
	for (g = 0; g < ngpages; g++)
		if (fk_user_map(s->k, mm, VMM_UA + ((2 * g) << PAGE_SHIFT), pfns[g])) {
			kfail(s, "fk_user_map");
			goto out;
		}
	a = mark(s);
	if (add_range(s, K_PT, b, a - b))
		goto out;
	/* the VFIO table: the same mappings as host pfns */
	for (g = 0, i = 0; g < ngpages; g++)
		for (n = 0; n < shares[g]; n++, i++)
			if (fk_iommu_put(s->k, tbl_v, (DDW >> PAGE_SHIFT) + slot_of(i),
					 (pfns[g] << PAGE_SHIFT) | TCE_RW)) {
				kfail(s, "fk_iommu_put");
				goto out;
			}
	b = mark(s);
	if (add_range(s, K_LEVEL, a, b - a) || record_levels(s, tbl_h) ||
	    record_levels(s, tbl_v))
		goto out;
	s->stats[S_VALID_GUEST] = ng;
	s->stats[S_VALID_VFIO] = ng;
	s->stats[S_PAGES_GUEST] = ngpages;
	s->stats[S_SLOTS_GUEST] = slot_of(ng - 1) + 1;
	ret = 0;
out:
	free(pfns);
	free(shares);
	return ret;
}

int forge_scale_write(const struct forge_scale_opts *o, const char *dump,
		      const char *vmlinux, const char *manifest, char *err, size_t errlen)
{
	struct scale s = { .err = err, .errlen = errlen };
	struct forge_write_opts wo = { .written_only = true };
	int ret = -1;

	if (build(&s, o))
		goto out;
	/* the vmemmap backing stays whole (holes in the file), as every real dump keeps
	 * all struct pages: the lowest block's backing is where it starts */
	for (int i = 0; i < s.nblocks; i++) {
		uint64_t virt, phys;

		if (!fk_vmemmap_block(s.k, i, &virt, &phys) &&
		    (!wo.whole_from || phys < wo.whole_from))
			wo.whole_from = phys;
	}
	if (fk_write_file(s.k, dump, &wo)) {
		kfail(&s, dump);
		goto out;
	}
	if (vmlinux && fk_dwarf_write(s.k, vmlinux)) {
		kfail(&s, vmlinux);
		goto out;
	}
	if (manifest && write_manifest(&s, manifest, o))
		goto out;
	ret = 0;
out:
	fk_free(s.k);
	free(s.r);
	return ret;
}
