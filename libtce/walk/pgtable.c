// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ppc64 radix kernel page tables (swapper_pg_dir), read from the dump: an
 * independent translation of vmemmap addresses, and the only one for vmalloc addresses.
 * Radix entries are big-endian whatever the kernel's byte order.  Four levels; the
 * geometry follows the base page size (64K: 13/9/9/5 index bits, 4K: 13/9/9/9), and a
 * PUD or PMD entry may be a leaf (1G, 2M).  Whether the dump is radix at all is decided
 * by the tables themselves: on radix they map the linear map, so swapper_pg_dir's own
 * address must translate to itself; hash kernels never put the linear map there.  A
 * kernel that says which MMU it ran (NUMBER(RADIX_MMU), 6.2 and later) is believed.
 *
 * Hash kernels keep Linux page tables too, in the same big-endian entry format, for
 * vmalloc, io and modules (the hash table is filled from them on a fault; the linear
 * map and the vmemmap are bolted and are not in them): the only map of vmalloc
 * addresses there.  Their geometry is hash's (64K: 8/10/10/8 index bits from the PGD
 * down, 4K: 9/9/7/9), a table pointer is its physical address with the top bit set
 * (no next-level size), and a leaf has _PAGE_PTE.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk/walk.h"

#define R_PRESENT 0x8000000000000000ULL
#define R_LEAF 0x4000000000000000ULL
#define R_NEXT_MASK 0x0fffffffffffff00ULL
#define R_RPN_MASK 0x00fffffffffff000ULL
#define R_NLS_MASK 0x1fULL

struct geometry {
	bool hash;
	unsigned nlevels;
	unsigned shift[4];   /* PGD, PUD, PMD, PTE */
	unsigned bits[4];
};

static void geometry(const struct tce_dump *d, bool hash, struct geometry *g)
{
	unsigned ps = tce_dump_page_shift(d), i;
	/* index bits PTE, PMD, PUD, PGD: book3s/64/{radix,hash}-{4k,64k}.h */
	static const unsigned radix64k[4] = { 5, 9, 9, 13 }, radix4k[4] = { 9, 9, 9, 13 };
	static const unsigned hash64k[4] = { 8, 10, 10, 8 }, hash4k[4] = { 9, 7, 9, 9 };
	const unsigned *b = hash ? (ps == 12 ? hash4k : hash64k) :
			    (ps == 12 ? radix4k : radix64k);

	g->hash = hash;
	g->nlevels = 4;
	g->shift[3] = ps;
	g->bits[3] = b[0];
	for (i = 3; i-- > 0;) {
		g->bits[i] = b[3 - i];
		g->shift[i] = g->shift[i + 1] + g->bits[i + 1];
	}
}

/* The physical address bits of a leaf: hash keeps the hash slot in bits 53-55 */
static uint64_t rpn_mask(const struct geometry *g)
{
	return g->hash ? ((1ULL << 53) - 1) & ~0xfffULL : R_RPN_MASK;
}

static unsigned level_index(const struct geometry *g, unsigned lvl, uint64_t va)
{
	return (va >> g->shift[lvl]) & ((1ULL << g->bits[lvl]) - 1);
}

/* Reads one entry of the table at physical address table. */
static int read_entry(struct tce_dump *d, uint64_t table, unsigned idx, uint64_t *val)
{
	return tce_read_u64(d, TCE_PHYS, table + 8ULL * idx, TCE_BE, val);
}

/* A non-leaf entry must name the size of the level below: a check that we are really
 * reading radix tables of this geometry. */
static bool next_ok(const struct geometry *g, unsigned lvl, uint64_t val)
{
	if (lvl + 1 >= g->nlevels)
		return false;
	/* hash: a bare physical address (tables are at least 256 bytes aligned) */
	if (g->hash)
		return (val & ~R_NEXT_MASK & ~R_PRESENT) == 0;
	return (val & R_NLS_MASK) == g->bits[lvl + 1];
}

/* An address nothing maps: -TCE_ENOXLAT, with the message unless quiet (a walk of the
 * VMM's tables meets millions of them: the caller says it once its own way). */
static int unmapped(struct tce_dump *d, bool quiet, uint64_t va)
{
	if (quiet)
		return -TCE_ENOXLAT;
	return tce_set_err(d, TCE_ENOXLAT, "0x%" PRIx64 " is not mapped", va);
}

static int translate(struct tce_dump *d, const struct pgt *pt, struct pgt_cache *cache,
		     uint64_t va, uint64_t *phys, uint64_t *leaf_size, bool quiet)
{
	struct geometry g;
	uint64_t table = pt->root, val;
	unsigned lvl = 0;
	int ret;

	if (!pt->root)
		return tce_set_err(d, TCE_ENOXLAT, "no kernel page tables");
	geometry(d, pt->hash, &g);
	if (pt->user && g.shift[0] + g.bits[0] < 64 && va >> (g.shift[0] + g.bits[0]))
		return tce_set_err(d, TCE_ENOXLAT, "0x%" PRIx64 " is beyond the user address "
				   "space", va);
	/* neighbours share the last level's table: start there */
	if (cache && cache->valid && cache->root == pt->root &&
	    cache->tag == va >> g.shift[g.nlevels - 2]) {
		table = cache->table;
		lvl = g.nlevels - 1;
	}
	for (; lvl < g.nlevels; lvl++) {
		ret = read_entry(d, table, level_index(&g, lvl, va), &val);
		if (ret)
			return ret;
		if (!(val & R_PRESENT))
			return unmapped(d, quiet, va);
		if ((val & R_LEAF) || lvl + 1 == g.nlevels) {
			uint64_t size = 1ULL << g.shift[lvl];

			if (lvl == 0 || !(val & R_LEAF))
				return tce_set_err(d, TCE_ECORRUPT, "bad radix entry 0x%"
						   PRIx64 " for 0x%" PRIx64, val, va);
			*phys = ((val & rpn_mask(&g)) & ~(size - 1)) | (va & (size - 1));
			*leaf_size = size;
			return 0;
		}
		if (!next_ok(&g, lvl, val))
			return tce_set_err(d, TCE_ECORRUPT, "bad radix entry 0x%" PRIx64
					   " for 0x%" PRIx64, val, va);
		table = val & R_NEXT_MASK;
		if (cache && lvl + 2 == g.nlevels) {
			cache->valid = true;
			cache->root = pt->root;
			cache->tag = va >> g.shift[lvl];
			cache->table = table;
		}
	}
	return unmapped(d, quiet, va);
}

int tce_pgt_translate(struct tce_dump *d, const struct pgt *pt, uint64_t va,
		      uint64_t *phys, uint64_t *leaf_size)
{
	return translate(d, pt, NULL, va, phys, leaf_size, false);
}

int tce_pgt_translate_cached(struct tce_dump *d, const struct pgt *pt,
			     struct pgt_cache *cache, uint64_t va, uint64_t *phys,
			     uint64_t *leaf_size)
{
	return translate(d, pt, cache, va, phys, leaf_size, true);
}

int tce_pgt_xlat(struct tce_dump *d, void *data, uint64_t va, uint64_t *phys,
		 uint64_t *span)
{
	return tce_pgt_translate(d, data, va, phys, span);
}

int tce_pgt_probe(struct tce_dump *d, struct pgt *pt)
{
	uint64_t sym = 0, phys, leaf;
	int64_t radix;
	bool good = false;            /* sym is swapper_pg_dir, and could be a table */
	int ret;

	if (pt->probed)
		return 0;
	pt->probed = true;
	pt->mmu = pt->declared = pt->tables = TCE_MMU_UNKNOWN;
	/* 6.2 and later say it: NUMBER(RADIX_MMU)=early_radix_enabled() */
	if (tce_vmcoreinfo_number(d, "RADIX_MMU", &radix) == 0 && (radix == 0 || radix == 1))
		pt->declared = radix ? TCE_MMU_RADIX : TCE_MMU_HASH;
	tce_clear_err(d);
	if (tce_vmcoreinfo_symbol(d, "swapper_pg_dir", &sym)) {
		/* none, or not a number */
		snprintf(pt->why, sizeof(pt->why), "%s", tce_errmsg(d));
		tce_clear_err(d);
		goto decide;
	}
	if (sym < TCE_LINEAR_BASE) {
		snprintf(pt->why, sizeof(pt->why), "VMCOREINFO's SYMBOL(swapper_pg_dir) "
			 "(0x%" PRIx64 ") is not in the linear map", sym);
		goto decide;
	}
	if (sym & 7) {
		/* a table's entries are 8 bytes, at their own alignment: not a table */
		snprintf(pt->why, sizeof(pt->why), "VMCOREINFO's SYMBOL(swapper_pg_dir) "
			 "(0x%" PRIx64 ") is not aligned to the 8 bytes of an entry", sym);
		goto decide;
	}
	good = true;
	pt->root = sym - TCE_LINEAR_BASE;
	ret = tce_pgt_translate(d, pt, sym, &phys, &leaf);
	if (ret == 0 && phys == pt->root) {
		pt->tables = TCE_MMU_RADIX;
		goto decide;
	}
	if (ret == 0)
		snprintf(pt->why, sizeof(pt->why), "swapper_pg_dir (0x%" PRIx64 ") translates "
			 "to 0x%" PRIx64 " through its own tables, not to itself", sym, phys);
	else
		snprintf(pt->why, sizeof(pt->why), "swapper_pg_dir (0x%" PRIx64 ") is not "
			 "mapped by radix tables there: %s", sym, tce_errmsg(d));
	pt->root = 0;
	/* hash: the table is in the dump, but is no radix tree mapping itself */
	if (ret != -TCE_ENODATA && ret != -TCE_EIO)
		pt->tables = TCE_MMU_HASH;
	tce_clear_err(d);
decide:
	/* what the kernel says wins; the tables decide when it says nothing */
	pt->mmu = pt->declared != TCE_MMU_UNKNOWN ? pt->declared : pt->tables;
	if (pt->mmu == TCE_MMU_HASH && good) {
		/* hash: the Linux tables map vmalloc, io and modules */
		pt->root = sym - TCE_LINEAR_BASE;
		pt->hash = true;
	} else if (pt->mmu != TCE_MMU_RADIX) {
		pt->root = 0;
	} else if (pt->declared == TCE_MMU_RADIX && pt->tables == TCE_MMU_UNKNOWN && good) {
		/* the kernel says radix and the page that would show it is not in the dump
		 * (makedumpfile leaves out pages of a 4K PGD): the tables are walked, and
		 * what they lack is unknown there, not everywhere */
		pt->root = sym - TCE_LINEAR_BASE;
	}
	tce_clear_err(d);
	return 0;
}

struct collect {
	struct tce_dump *d;
	struct pgt *pt;
	struct geometry g;
	uint64_t start, end;
	size_t cap, gcap;
	int err;
	/* what the walk found, handed to pt at its end */
	struct pgt_leaf *leaves, *gaps;
	size_t nleaves, ngaps;
	/* the tables read so far, by physical address + 1 (the set holds no 0) */
	struct addr_set seen;
};

/*
 * Records that the table at phys is read.  A kernel links each page-table page from
 * one entry of one table, so a table linked twice is a corrupt or hostile tree, whose
 * walk multiplies: a PUD, a PMD and a PTE page each linked from all the entries above
 * describe a hundred million leaves (7 GB and most of a minute from a 4K-page dump,
 * before this check).  With every table read once, the walk's work and its leaves are
 * bounded by the tables the dump holds.
 */
static int seen_add(struct collect *c, uint64_t phys)
{
	int ret = tce_addrset_add(&c->seen, phys + 1, c->seen.n, NULL);

	if (ret < 0)
		return tce_set_err(c->d, TCE_ENOMEM, "page table %zu: out of memory",
				   c->seen.n);
	if (ret)
		return tce_set_err(c->d, TCE_ECORRUPT, "the page table at 0x%" PRIx64 " is "
				   "linked twice; a kernel links each table once", phys);
	return 0;
}

static int add_leaf(struct collect *c, uint64_t virt, uint64_t size, uint64_t phys)
{
	struct pgt_leaf *l;

	if (c->nleaves) {
		l = &c->leaves[c->nleaves - 1];
		if (l->virt + l->size == virt && l->phys + l->size == phys) {
			l->size += size;
			return 0;
		}
	}
	if (c->nleaves == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;

		l = realloc(c->leaves, cap * sizeof(*l));
		if (!l)
			return tce_set_err(c->d, TCE_ENOMEM, "page-table leaf %zu: out of "
					   "memory", c->nleaves);
		c->leaves = l;
		c->cap = cap;
	}
	l = &c->leaves[c->nleaves++];
	l->virt = virt;
	l->size = size;
	l->phys = phys;
	return 0;
}

/* [virt, virt + size) is unknown: its table entries lie in a page the dump lacks */
static int add_gap(struct collect *c, uint64_t virt, uint64_t size)
{
	struct pgt_leaf *l;

	if (virt < c->start) {
		size -= c->start - virt;
		virt = c->start;
	}
	if (size > c->end - virt)
		size = c->end - virt;
	if (c->ngaps) {
		l = &c->gaps[c->ngaps - 1];
		if (l->virt + l->size == virt) {
			l->size += size;
			return 0;
		}
	}
	if (c->ngaps == c->gcap) {
		size_t cap = c->gcap ? c->gcap * 2 : 16;

		l = realloc(c->gaps, cap * sizeof(*l));
		if (!l)
			return tce_set_err(c->d, TCE_ENOMEM, "page-table gap %zu: out of "
					   "memory", c->ngaps);
		c->gaps = l;
		c->gcap = cap;
	}
	l = &c->gaps[c->ngaps++];
	l->virt = virt;
	l->size = size;
	l->phys = 0;
	return 0;
}

/*
 * Reads entries [first, last] of the table at `table` into tbl.  One read when the
 * dump holds them all; else a page at a time, and *missing gets a bit for each page
 * the dump lacks (makedumpfile leaves out pages of zeros: most of a PGD's), whose
 * entries are then unknown rather than the whole level failing.  A table spans at most
 * 64 pages of the smallest page size (8192 entries of 8 bytes, 4K pages).
 */
static int read_level(struct collect *c, uint64_t table, uint64_t first, uint64_t last,
		      uint64_t *tbl, uint64_t *missing)
{
	uint64_t ps = tce_dump_page_size(c->d), i, n;
	unsigned page;
	int ret;

	*missing = 0;
	ret = tce_read(c->d, TCE_PHYS, table + first * 8, tbl + first, (last - first + 1) * 8);
	if (ret != -TCE_ENODATA)
		return ret;
	tce_clear_err(c->d);
	for (i = first; i <= last; i += n) {
		uint64_t at = table + i * 8;

		/* the entries up to the end of at's page, or to last */
		n = ((at | (ps - 1)) - at) / 8 + 1;
		if (n > last - i + 1)
			n = last - i + 1;
		ret = tce_read(c->d, TCE_PHYS, at, tbl + i, n * 8);
		if (ret == -TCE_ENODATA) {
			page = at / ps - table / ps;
			if (page >= 64)
				return tce_set_err(c->d, TCE_ECORRUPT, "page table at 0x%"
						   PRIx64 ": more than 64 pages", table);
			/* the reason of the first page missing, for what reports the gaps */
			if (!*missing && !c->ngaps)
				snprintf(c->pt->gap_why, sizeof(c->pt->gap_why), "%s",
					 tce_errmsg(c->d));
			*missing |= 1ULL << page;
			tce_clear_err(c->d);
			continue;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* Walks the table at `table` (level lvl) for the part of [start, end) it covers;
 * prefix is the virtual address of the table's first entry. */
static int walk(struct collect *c, unsigned lvl, uint64_t table, uint64_t prefix)
{
	const struct geometry *g = &c->g;
	uint64_t span = 1ULL << g->shift[lvl], n = 1ULL << g->bits[lvl];
	uint64_t *tbl, i, first = 0, last = n - 1, missing, ps = tce_dump_page_size(c->d);
	int ret = 0;

	/* entries straddling pages would make the gaps below go backwards */
	if (table & 7)
		return tce_set_err(c->d, TCE_ECORRUPT, "page table at 0x%" PRIx64 " is not "
				   "aligned to its 8-byte entries", table);
	ret = seen_add(c, table);
	if (ret)
		return ret;
	if (c->start > prefix)
		first = (c->start - prefix) >> g->shift[lvl];
	if (c->end - 1 < prefix + n * span - 1)
		last = (c->end - 1 - prefix) >> g->shift[lvl];
	tbl = malloc(n * sizeof(*tbl));
	if (!tbl)
		return tce_set_err(c->d, TCE_ENOMEM, "page table at 0x%" PRIx64 ": out of "
				   "memory", table);
	ret = read_level(c, table, first, last, tbl, &missing);
	for (i = first; !ret && i <= last; i++) {
		uint64_t val = tce_bo64(&tbl[i], TCE_BE), va = prefix + i * span;

		if (missing && missing >> ((table + i * 8) / ps - table / ps) & 1) {
			/* this page's entries, as one gap */
			uint64_t pend = ((table + i * 8) | (ps - 1)) + 1;
			uint64_t j = (pend - table) / 8 - 1;

			if (j > last)
				j = last;
			ret = add_gap(c, va, (j - i + 1) * span);
			i = j;
			continue;
		}
		if (!(val & R_PRESENT))
			continue;
		if (val & R_LEAF) {
			if (lvl == 0) {
				ret = tce_set_err(c->d, TCE_ECORRUPT, "leaf in the PGD");
				break;
			}
			ret = add_leaf(c, va, span, (val & rpn_mask(g)) & ~(span - 1));
			continue;
		}
		if (!next_ok(g, lvl, val)) {
			ret = tce_set_err(c->d, TCE_ECORRUPT, "radix entry 0x%" PRIx64
					  " at level %u is malformed", val, lvl);
			break;
		}
		ret = walk(c, lvl + 1, val & R_NEXT_MASK, va);
	}
	free(tbl);
	return ret;
}

int tce_pgt_collect(struct tce_dump *d, struct pgt *pt, uint64_t start, uint64_t end)
{
	struct collect c = { .d = d, .pt = pt, .start = start, .end = end };
	uint64_t top;

	if (!pt->root)
		return tce_set_err(d, TCE_ENOENT, "no kernel page tables");
	geometry(d, pt->hash, &c.g);
	free(pt->leaves);
	pt->leaves = NULL;
	pt->nleaves = 0;
	free(pt->gaps);
	pt->gaps = NULL;
	pt->ngaps = 0;
	pt->gap_why[0] = 0;
	if (end <= start)
		return 0;
	/* the tables index the low 52 bits; the top bits select the quadrant */
	top = start & ~((1ULL << 52) - 1);
	if ((end - 1) >> 52 != start >> 52)
		return tce_set_err(d, TCE_EINVAL, "0x%" PRIx64 "-0x%" PRIx64 " crosses a "
				   "quadrant", start, end);
	c.err = walk(&c, 0, pt->root, top);
	tce_addrset_free(&c.seen);
	if (c.err) {
		free(c.leaves);
		free(c.gaps);
		return c.err;
	}
	pt->leaves = c.leaves;
	pt->nleaves = c.nleaves;
	pt->gaps = c.gaps;
	pt->ngaps = c.ngaps;
	return 0;
}

void tce_pgt_free(struct pgt *pt)
{
	free(pt->leaves);
	free(pt->gaps);
	memset(pt, 0, sizeof(*pt));
}
