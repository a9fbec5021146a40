/*
 * vmemmap: the walk of vmemmap_list and the four translations of a pfn to the physical
 * address of its struct page.  The walk is bounded by what the dump can hold and detects
 * cycles; the model keeps blocks in list order and a sorted index.  The 2013 walk (first
 * entry with virt_addr <= va decides), the hot-remove-safe walk (every entry checked),
 * the index (binary search) and, on radix, the kernel page tables are compared over
 * every pfn: not pfn by pfn, but per interval between block and page-table boundaries,
 * where each method's decision is constant, so a 1 TiB host is checked in milliseconds.
 */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "priv.h"

struct vm_params {
	uint64_t head_sym, psize_sym, psdefs_sym;
	uint64_t backing_size, off_list, off_phys, off_virt;
	uint64_t psdef_size, off_shift;
	uint64_t page_size;
};

static const char *const xlat_names[] = {
	[TCE_XLAT_SEED2013] = "seed2013",
	[TCE_XLAT_WALK] = "walk",
	[TCE_XLAT_INDEX] = "index",
	[TCE_XLAT_PGTABLE] = "pgtable",
};

const char *tce_xlat_name(enum tce_xlat m)
{
	return (unsigned)m < TCE_XLAT_NUM ? xlat_names[m] : "unknown";
}

const char *tce_xlat_status_name(enum tce_xlat_status s)
{
	switch (s) {
	case TCE_XS_OK:
		return "ok";
	case TCE_XS_NOBLOCK:
		return "no-block";
	case TCE_XS_STRADDLE:
		return "straddle";
	case TCE_XS_UNAVAILABLE:
		return "unavailable";
	case TCE_XS_ERROR:
		return "error";
	}
	return "unknown";
}

uint64_t tce_pfn_to_vmemmap(const struct tce_vmemmap *vm, uint64_t pfn)
{
	return vm->base + pfn * vm->struct_page_size;
}

static int get_params(struct tce_dump *d, struct vm_params *p, struct finding_list *fl)
{
	struct {
		int ret;
		const char *what;
	} need[] = {
		{ tce_vmcoreinfo_symbol(d, "vmemmap_list", &p->head_sym),
		  "SYMBOL(vmemmap_list)" },
		{ tce_vmcoreinfo_symbol(d, "mmu_vmemmap_psize", &p->psize_sym),
		  "SYMBOL(mmu_vmemmap_psize)" },
		{ tce_vmcoreinfo_symbol(d, "mmu_psize_defs", &p->psdefs_sym),
		  "SYMBOL(mmu_psize_defs)" },
		{ tce_vmcoreinfo_size(d, "vmemmap_backing", &p->backing_size),
		  "SIZE(vmemmap_backing)" },
		{ tce_vmcoreinfo_offset(d, "vmemmap_backing", "list", &p->off_list),
		  "OFFSET(vmemmap_backing.list)" },
		{ tce_vmcoreinfo_offset(d, "vmemmap_backing", "phys", &p->off_phys),
		  "OFFSET(vmemmap_backing.phys)" },
		{ tce_vmcoreinfo_offset(d, "vmemmap_backing", "virt_addr", &p->off_virt),
		  "OFFSET(vmemmap_backing.virt_addr)" },
		{ tce_vmcoreinfo_size(d, "mmu_psize_def", &p->psdef_size),
		  "SIZE(mmu_psize_def)" },
		{ tce_vmcoreinfo_offset(d, "mmu_psize_def", "shift", &p->off_shift),
		  "OFFSET(mmu_psize_def.shift)" },
		{ tce_vmcoreinfo_size(d, "page", &p->page_size), "SIZE(page)" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(need); i++) {
		if (need[i].ret == 0)
			continue;
		tce_finding_add(fl, "TCE-VMEMMAP-MISSING", TCE_NO_PFN, TCE_NO_PFN,
				"vmcoreinfo", "VMCOREINFO has no %s: vmemmap_list cannot be "
				"walked", need[i].what);
		return tce_set_err(d, TCE_ENOENT, "VMCOREINFO has no %s", need[i].what);
	}
	if (p->backing_size < 8 || p->backing_size > 4096 ||
	    p->off_list + 8 > p->backing_size || p->off_phys + 8 > p->backing_size ||
	    p->off_virt + 8 > p->backing_size || p->page_size < 8 ||
	    p->page_size > 4096 || p->off_shift + 4 > p->psdef_size ||
	    p->psdef_size > 4096) {
		tce_finding_add(fl, "TCE-VMEMMAP-MISSING", TCE_NO_PFN, TCE_NO_PFN,
				"vmcoreinfo", "VMCOREINFO describes an impossible "
				"vmemmap_backing/mmu_psize_def/page layout");
		return tce_set_err(d, TCE_ECORRUPT, "impossible vmemmap layout in VMCOREINFO");
	}
	return 0;
}

/* Reads mmu_psize_defs[mmu_vmemmap_psize].shift. */
static int get_block_shift(struct tce_dump *d, const struct vm_params *p,
			   unsigned *shift)
{
	uint32_t idx, sh;
	int ret;

	ret = tce_read_u32(d, TCE_KVADDR, p->psize_sym, d->bo, &idx);
	if (ret)
		return ret;
	/* MMU_PAGE_COUNT is small (16 in 6.1): anything larger is corrupt */
	if (idx >= 64)
		return tce_set_err(d, TCE_ECORRUPT, "mmu_vmemmap_psize = %u is not a page "
				   "size index", idx);
	ret = tce_read_u32(d, TCE_KVADDR,
			   p->psdefs_sym + idx * p->psdef_size + p->off_shift, d->bo, &sh);
	if (ret)
		return ret;
	if (sh < d->page_shift || sh > 34)
		return tce_set_err(d, TCE_ECORRUPT, "mmu_psize_defs[%u].shift = %u is not a "
				   "vmemmap page size", idx, sh);
	*shift = sh;
	return 0;
}

/* An open-addressing set of visited entry addresses, for cycle detection. */
struct addr_set {
	uint64_t *slot;
	size_t *pos;
	size_t cap, n;
};

static uint64_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static int set_grow(struct addr_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 256, i;
	uint64_t *slot = calloc(cap, sizeof(*slot));
	size_t *pos = calloc(cap, sizeof(*pos));

	if (!slot || !pos) {
		free(slot);
		free(pos);
		return -TCE_ENOMEM;
	}
	for (i = 0; i < s->cap; i++) {
		size_t h;

		if (!s->slot[i])
			continue;
		for (h = hash64(s->slot[i]) & (cap - 1); slot[h]; h = (h + 1) & (cap - 1))
			;
		slot[h] = s->slot[i];
		pos[h] = s->pos[i];
	}
	free(s->slot);
	free(s->pos);
	s->slot = slot;
	s->pos = pos;
	s->cap = cap;
	return 0;
}

/* Inserts a (non-zero) address; returns 1 and its first position if already there. */
static int set_insert(struct addr_set *s, uint64_t a, size_t pos, size_t *seen)
{
	size_t h;

	if ((s->n + 1) * 2 > s->cap && set_grow(s))
		return -TCE_ENOMEM;
	for (h = hash64(a) & (s->cap - 1); s->slot[h]; h = (h + 1) & (s->cap - 1)) {
		if (s->slot[h] == a) {
			*seen = s->pos[h];
			return 1;
		}
	}
	s->slot[h] = a;
	s->pos[h] = pos;
	s->n++;
	return 0;
}

static int walk_list(struct tce_dump *d, const struct vm_params *p,
		     struct finding_list *fl)
{
	struct tce_vmemmap *vm = &d->vm;
	struct addr_set seen = { 0 };
	unsigned char buf[4096];
	uint64_t elem, bound, maxmem;
	size_t cap = 0;
	int ret;

	ret = tce_read_u64(d, TCE_KVADDR, p->head_sym, d->bo, &vm->head);
	if (ret) {
		tce_finding_add(fl, "TCE-VMEMMAP-TRUNCATED", TCE_NO_PFN, TCE_NO_PFN,
				"head", "vmemmap_list itself (0x%" PRIx64 ") cannot be "
				"read: %s", p->head_sym, d->err);
		return ret;
	}

	/*
	 * The bound: no more entries than the dump's memory could hold, and no more than
	 * 2^24 (a vmemmap of 2^24 blocks describes petabytes): a corrupt list costs
	 * bounded time and memory.
	 */
	maxmem = 1ULL << 24;
	bound = d->phys_bytes ? d->phys_bytes / p->backing_size + 1 : maxmem;
	if (bound > maxmem)
		bound = maxmem;

	vm->complete = false;
	for (elem = vm->head; elem; ) {
		struct tce_vmemmap_block *b;
		size_t first;

		if (vm->nblocks >= bound) {
			tce_finding_add(fl, "TCE-VMEMMAP-UNTERMINATED", TCE_NO_PFN,
					TCE_NO_PFN, "list", "vmemmap_list has more than %"
					PRIu64 " entries (the most this dump can hold) and no "
					"end", bound);
			goto out;
		}
		ret = set_insert(&seen, elem, vm->nblocks, &first);
		if (ret < 0)
			goto out;
		if (ret == 1) {
			char key[64];

			snprintf(key, sizeof(key), "entry:%zu", vm->nblocks - 1);
			tce_finding_add(fl, "TCE-VMEMMAP-CYCLE", TCE_NO_PFN, TCE_NO_PFN, key,
					"vmemmap_list entry %zu (0x%" PRIx64 ") links back "
					"to entry %zu (0x%" PRIx64 "): the list is a cycle",
					vm->nblocks - 1, vm->blocks[vm->nblocks - 1].entry,
					first, elem);
			ret = 0;
			goto out;
		}
		ret = tce_read(d, TCE_KVADDR, elem, buf, p->backing_size);
		if (ret) {
			char key[64];

			if (vm->nblocks)
				snprintf(key, sizeof(key), "entry:%zu", vm->nblocks - 1);
			else
				snprintf(key, sizeof(key), "head");
			tce_finding_add(fl, "TCE-VMEMMAP-TRUNCATED", TCE_NO_PFN, TCE_NO_PFN,
					key, "%s points at 0x%" PRIx64 ", which cannot be "
					"read (%s): the list is cut there",
					vm->nblocks ? "a vmemmap_list entry" : "vmemmap_list",
					elem, d->err);
			ret = 0;
			goto out;
		}
		if (vm->nblocks == cap) {
			struct tce_vmemmap_block *nb;

			cap = cap ? cap * 2 : 64;
			nb = realloc(vm->blocks, cap * sizeof(*nb));
			if (!nb) {
				ret = tce_set_err(d, TCE_ENOMEM, "out of memory");
				goto out;
			}
			vm->blocks = nb;
		}
		b = &vm->blocks[vm->nblocks++];
		b->entry = elem;
		b->phys = tce_bo64(buf + p->off_phys, d->bo);
		b->virt = tce_bo64(buf + p->off_virt, d->bo);
		elem = tce_bo64(buf + p->off_list, d->bo);
	}
	vm->complete = true;
	ret = 0;
out:
	free(seen.slot);
	free(seen.pos);
	return ret;
}

static int cmp_index(const void *a, const void *b)
{
	const struct vm_index_ent *x = a, *y = b;

	if (x->virt != y->virt)
		return x->virt < y->virt ? -1 : 1;
	return x->block < y->block ? -1 : x->block > y->block;
}

/* Builds the sorted index: one entry per distinct virt, the first in list order. */
static int build_index(struct tce_dump *d)
{
	struct tce_vmemmap *vm = &d->vm;
	size_t i, n = 0;

	d->vm_index = calloc(vm->nblocks ? vm->nblocks : 1, sizeof(*d->vm_index));
	if (!d->vm_index)
		return tce_set_err(d, TCE_ENOMEM, "out of memory");
	for (i = 0; i < vm->nblocks; i++) {
		d->vm_index[i].virt = vm->blocks[i].virt;
		d->vm_index[i].phys = vm->blocks[i].phys;
		d->vm_index[i].block = i;
	}
	qsort(d->vm_index, vm->nblocks, sizeof(*d->vm_index), cmp_index);
	for (i = 0; i < vm->nblocks; i++)
		if (!n || d->vm_index[n - 1].virt != d->vm_index[i].virt)
			d->vm_index[n++] = d->vm_index[i];
	d->vm_nindex = n;
	return 0;
}

/*
 * How many elements of a virt-sorted array have virt <= va.  The index, its copy with
 * every block, and the page-table leaves all keep virt as their first member.
 */
static size_t count_le_virt(const void *arr, size_t n, size_t size, uint64_t va)
{
	size_t lo = 0, hi = n;

	_Static_assert(offsetof(struct vm_index_ent, virt) == 0, "virt first");
	_Static_assert(offsetof(struct pgt_leaf, virt) == 0, "virt first");
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (*(const uint64_t *)((const char *)arr + mid * size) <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct vm_index_ent *tce_vm_index_find(const struct tce_dump *d, uint64_t va)
{
	size_t lo = count_le_virt(d->vm_index, d->vm_nindex, sizeof(*d->vm_index), va);
	const struct vm_index_ent *e;

	if (!lo)
		return NULL;
	e = &d->vm_index[lo - 1];
	if (va - e->virt >= d->vm.block_size)
		return NULL;
	return e;
}

static const struct pgt_leaf *pgt_find(const struct tce_dump *d, uint64_t va)
{
	size_t lo = count_le_virt(d->pgt_leaves, d->pgt_nleaves, sizeof(*d->pgt_leaves), va);
	const struct pgt_leaf *l;

	if (!lo)
		return NULL;
	l = &d->pgt_leaves[lo - 1];
	return va - l->virt < l->size ? l : NULL;
}

enum tce_xlat_status tce_vm_xlat(struct tce_dump *d, enum tce_xlat m, uint64_t va,
				 uint64_t *phys)
{
	const struct tce_vmemmap *vm = &d->vm;
	uint64_t bs = vm->block_size, sz = vm->struct_page_size;
	bool contained = false;
	size_t i;

	switch (m) {
	case TCE_XLAT_SEED2013:
		/* exactly the 2013 patch: the first entry at or below va decides */
		for (i = 0; i < vm->nblocks; i++) {
			const struct tce_vmemmap_block *b = &vm->blocks[i];

			if (va < b->virt)
				continue;
			if (va + sz > b->virt + bs)
				return va < b->virt + bs ? TCE_XS_STRADDLE : TCE_XS_NOBLOCK;
			*phys = b->phys + (va - b->virt);
			return TCE_XS_OK;
		}
		return TCE_XS_NOBLOCK;
	case TCE_XLAT_WALK:
		/* after hot-remove any entry may be anywhere: check them all */
		for (i = 0; i < vm->nblocks; i++) {
			const struct tce_vmemmap_block *b = &vm->blocks[i];

			if (va < b->virt || va - b->virt >= bs)
				continue;
			contained = true;
			if (va + sz <= b->virt + bs) {
				*phys = b->phys + (va - b->virt);
				return TCE_XS_OK;
			}
		}
		return contained ? TCE_XS_STRADDLE : TCE_XS_NOBLOCK;
	case TCE_XLAT_INDEX: {
		const struct vm_index_ent *e = tce_vm_index_find(d, va);

		if (!e)
			return TCE_XS_NOBLOCK;
		*phys = e->phys + (va - e->virt);
		return va + sz <= e->virt + bs ? TCE_XS_OK : TCE_XS_STRADDLE;
	}
	case TCE_XLAT_PGTABLE: {
		const struct pgt_leaf *l;

		if (!d->pgt_ok)
			return TCE_XS_UNAVAILABLE;
		l = pgt_find(d, va);
		if (!l)
			return TCE_XS_NOBLOCK;
		*phys = l->phys + (va - l->virt);
		return TCE_XS_OK;
	}
	default:
		return TCE_XS_UNAVAILABLE;
	}
}

enum tce_xlat_status tce_pfn_to_page(struct tce_dump *d, enum tce_xlat m, uint64_t pfn,
				     uint64_t *phys)
{
	const struct tce_vmemmap *vm;

	tce_vmemmap_load(d, &vm);
	if (!vm->nblocks || !vm->struct_page_size)
		return TCE_XS_ERROR;
	if (pfn > (UINT64_MAX - vm->base) / vm->struct_page_size)
		return TCE_XS_NOBLOCK;
	return tce_vm_xlat(d, m, tce_pfn_to_vmemmap(vm, pfn), phys);
}

/* The result of one method for one pfn, in a form that can be compared. */
struct answer {
	enum tce_xlat_status st;
	uint64_t phys;
};

static bool answers_agree(const struct answer *a, const struct answer *b)
{
	if ((a->st == TCE_XS_OK) != (b->st == TCE_XS_OK))
		return false;
	return a->st != TCE_XS_OK || a->phys == b->phys;
}

/*
 * Does the page-table answer agree with the index?  The page tables map virtual
 * memory, so a struct page split between two blocks is fine for them: compare where
 * the index found a block (ok or straddling), and require "unmapped" where it did not.
 */
static bool pgt_agrees(const struct answer *idx, const struct answer *pgt)
{
	if (pgt->st == TCE_XS_UNAVAILABLE)
		return true;
	if (idx->st == TCE_XS_NOBLOCK)
		return pgt->st != TCE_XS_OK;
	return pgt->st == TCE_XS_OK && pgt->phys == idx->phys;
}

/*
 * The two list walks answer in O(n) per address, which the comparison over every pfn
 * cannot afford on a large host (or on a corrupt list of millions of entries).  These
 * give the same answers in O(log n): blocks sorted by virt, the lowest list position
 * among a prefix (the 2013 walk: the first entry at or below va in list order) and
 * among a range (the safe walk: the first entry in list order whose block holds the
 * whole struct page, i.e. virt in [va + sz - bs, va]) from a segment tree.
 */
struct fast_walks {
	struct vm_index_ent *s;   /* every block, sorted by (virt, list position) */
	size_t n;
	size_t *prefmin;          /* list position of the first in list order, s[0..j] */
	size_t *tree;             /* segment tree of list positions, 2n slots */
};

static void fast_free(struct fast_walks *f)
{
	free(f->s);
	free(f->prefmin);
	free(f->tree);
}

static int fast_init(struct tce_dump *d, struct fast_walks *f)
{
	const struct tce_vmemmap *vm = &d->vm;
	size_t i, n = vm->nblocks;

	f->n = n;
	f->s = malloc((n ? n : 1) * sizeof(*f->s));
	f->prefmin = malloc((n ? n : 1) * sizeof(*f->prefmin));
	f->tree = malloc((2 * n + 1) * sizeof(*f->tree));
	if (!f->s || !f->prefmin || !f->tree) {
		fast_free(f);
		return tce_set_err(d, TCE_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		f->s[i].virt = vm->blocks[i].virt;
		f->s[i].phys = vm->blocks[i].phys;
		f->s[i].block = i;
	}
	qsort(f->s, n, sizeof(*f->s), cmp_index);
	for (i = 0; i < n; i++) {
		f->prefmin[i] = f->s[i].block;
		if (i && f->prefmin[i - 1] < f->prefmin[i])
			f->prefmin[i] = f->prefmin[i - 1];
		f->tree[n + i] = f->s[i].block;
	}
	for (i = n; i-- > 1;)
		f->tree[i] = f->tree[2 * i] < f->tree[2 * i + 1] ? f->tree[2 * i] :
			     f->tree[2 * i + 1];
	return 0;
}

/* the number of sorted blocks with virt <= va */
static size_t count_le(const struct fast_walks *f, uint64_t va)
{
	return count_le_virt(f->s, f->n, sizeof(*f->s), va);
}

/* the lowest list position among sorted blocks [l, r) */
static size_t range_min(const struct fast_walks *f, size_t l, size_t r)
{
	size_t best = SIZE_MAX;

	for (l += f->n, r += f->n; l < r; l /= 2, r /= 2) {
		if (l & 1) {
			if (f->tree[l] < best)
				best = f->tree[l];
			l++;
		}
		if (r & 1) {
			r--;
			if (f->tree[r] < best)
				best = f->tree[r];
		}
	}
	return best;
}

static enum tce_xlat_status fast_seed(const struct tce_dump *d,
				      const struct fast_walks *f, uint64_t va,
				      uint64_t *phys)
{
	uint64_t bs = d->vm.block_size, sz = d->vm.struct_page_size;
	size_t j = count_le(f, va);
	const struct tce_vmemmap_block *b;

	if (!j)
		return TCE_XS_NOBLOCK;
	b = &d->vm.blocks[f->prefmin[j - 1]];
	if (va + sz > b->virt + bs)
		return va < b->virt + bs ? TCE_XS_STRADDLE : TCE_XS_NOBLOCK;
	*phys = b->phys + (va - b->virt);
	return TCE_XS_OK;
}

static enum tce_xlat_status fast_walk(const struct tce_dump *d,
				      const struct fast_walks *f, uint64_t va,
				      uint64_t *phys)
{
	uint64_t bs = d->vm.block_size, sz = d->vm.struct_page_size;
	size_t hi = count_le(f, va), lo;
	const struct tce_vmemmap_block *b;
	size_t pos;

	/* blocks holding the whole struct page: virt in [va + sz - bs, va] */
	lo = va + sz > bs ? count_le(f, va + sz - bs - 1) : 0;
	if (lo < hi) {
		pos = range_min(f, lo, hi);
		b = &d->vm.blocks[pos];
		*phys = b->phys + (va - b->virt);
		return TCE_XS_OK;
	}
	/* some block holds its start only? virt in (va - bs, va] */
	lo = va >= bs ? count_le(f, va - bs) : 0;
	return lo < hi ? TCE_XS_STRADDLE : TCE_XS_NOBLOCK;
}

static void evaluate(struct tce_dump *d, const struct fast_walks *f, uint64_t pfn,
		     struct answer *a)
{
	uint64_t va = tce_pfn_to_vmemmap(&d->vm, pfn);
	int m;

	for (m = 0; m < TCE_XLAT_NUM; m++)
		a[m].phys = 0;
	a[TCE_XLAT_SEED2013].st = fast_seed(d, f, va, &a[TCE_XLAT_SEED2013].phys);
	a[TCE_XLAT_WALK].st = fast_walk(d, f, va, &a[TCE_XLAT_WALK].phys);
	a[TCE_XLAT_INDEX].st = tce_vm_xlat(d, TCE_XLAT_INDEX, va, &a[TCE_XLAT_INDEX].phys);
	a[TCE_XLAT_PGTABLE].st = tce_vm_xlat(d, TCE_XLAT_PGTABLE, va,
					     &a[TCE_XLAT_PGTABLE].phys);
}

/* The 2013 walk failed where the index found the struct page: safe, but slow. */
#define SEED_GAVE_UP (1u << TCE_XLAT_NUM)

/* bit m set: method m disagrees with the index (for the 2013 walk, with an address;
 * SEED_GAVE_UP when it only fails to find one) */
static unsigned disagreement(const struct answer *a)
{
	unsigned bad = 0;

	if (!answers_agree(&a[TCE_XLAT_SEED2013], &a[TCE_XLAT_INDEX]))
		bad |= a[TCE_XLAT_SEED2013].st != TCE_XS_OK && a[TCE_XLAT_INDEX].st == TCE_XS_OK ?
		       SEED_GAVE_UP : 1u << TCE_XLAT_SEED2013;
	if (!answers_agree(&a[TCE_XLAT_WALK], &a[TCE_XLAT_INDEX]))
		bad |= 1u << TCE_XLAT_WALK;
	if (!pgt_agrees(&a[TCE_XLAT_INDEX], &a[TCE_XLAT_PGTABLE]))
		bad |= 1u << TCE_XLAT_PGTABLE;
	return bad;
}

struct mismatch_run {
	bool open;
	uint64_t first, last;
	unsigned bad;
	struct answer a[TCE_XLAT_NUM];
};

static void fmt_answer(char *buf, size_t len, const struct answer *a)
{
	if (a->st == TCE_XS_OK)
		snprintf(buf, len, "0x%" PRIx64, a->phys);
	else
		snprintf(buf, len, "%s", tce_xlat_status_name(a->st));
}

static void run_flush(struct mismatch_run *r, struct finding_list *fl)
{
	static const char *const who[TCE_XLAT_NUM + 1] = {
		[TCE_XLAT_SEED2013] = "the 2013 walk",
		[TCE_XLAT_WALK] = "the hot-remove-safe walk",
		[TCE_XLAT_PGTABLE] = "the page tables",
		[TCE_XLAT_NUM] = "the 2013 walk (which gives up)",
	};
	char key[80], msg[4][48], names[128] = "";
	int m, n = 0;

	if (!r->open)
		return;
	r->open = false;
	for (m = 0; m < TCE_XLAT_NUM; m++)
		fmt_answer(msg[m], sizeof(msg[m]), &r->a[m]);
	snprintf(key, sizeof(key), "pfn:0x%" PRIx64 "-0x%" PRIx64, r->first, r->last);
	if (r->bad == SEED_GAVE_UP) {
		tce_finding_add(fl, "TCE-VMEMMAP-SEED-FALLBACK", r->first, r->last, key,
				"pfns 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 "): the 2013 walk "
				"gives up where the index finds the struct page (at the first "
				"pfn: seed2013 %s, index %s): real mode would send these to "
				"virtual mode", r->first, r->last, r->last - r->first + 1,
				msg[0], msg[2]);
		return;
	}
	for (m = 0; m <= TCE_XLAT_NUM; m++) {
		if (!(r->bad & 1u << m))
			continue;
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 n++ ? " and " : "", who[m]);
	}
	tce_finding_add(fl, "TCE-VMEMMAP-XLAT-MISMATCH", r->first, r->last, key,
			"pfns 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 "): %s and the index "
			"disagree (at the first pfn: seed2013 %s, walk %s, index %s, "
			"pgtable %s)", r->first, r->last, r->last - r->first + 1, names,
			msg[0], msg[1], msg[2], msg[3]);
}

static void run_add(struct mismatch_run *r, struct finding_list *fl, uint64_t first,
		    uint64_t last, unsigned bad, const struct answer *a)
{
	if (!bad) {
		run_flush(r, fl);
		return;
	}
	if (r->open && r->bad == bad && r->last + 1 == first) {
		r->last = last;
		return;
	}
	run_flush(r, fl);
	r->open = true;
	r->first = first;
	r->last = last;
	r->bad = bad;
	memcpy(r->a, a, sizeof(r->a));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Compares the methods over every pfn from 0 to max_pfn.  Between two consecutive
 * boundaries (block or leaf starts and ends) every method's decision is the same for
 * each struct page that lies wholly inside, so one evaluation stands for all of them;
 * the at most one struct page that crosses the upper boundary is evaluated alone.
 */
static int compare_all(struct tce_dump *d, struct finding_list *fl)
{
	struct tce_vmemmap *vm = &d->vm;
	uint64_t sz = vm->struct_page_size, *bnd, end = tce_pfn_to_vmemmap(vm, vm->max_pfn);
	size_t nb = 0, i;
	struct mismatch_run run = { 0 };
	struct answer a[TCE_XLAT_NUM];
	struct fast_walks fw = { 0 };
	int ret;

	ret = fast_init(d, &fw);
	if (ret)
		return ret;
	bnd = malloc((2 * vm->nblocks + 2 * d->pgt_nleaves + 2) * sizeof(*bnd));
	if (!bnd) {
		fast_free(&fw);
		return tce_set_err(d, TCE_ENOMEM, "out of memory");
	}
	bnd[nb++] = vm->base;
	bnd[nb++] = end;
	for (i = 0; i < vm->nblocks; i++) {
		uint64_t v = vm->blocks[i].virt;

		if (v > vm->base && v < end)
			bnd[nb++] = v;
		if (v + vm->block_size > vm->base && v + vm->block_size < end)
			bnd[nb++] = v + vm->block_size;
	}
	for (i = 0; i < d->pgt_nleaves; i++) {
		uint64_t v = d->pgt_leaves[i].virt, e = v + d->pgt_leaves[i].size;

		if (v > vm->base && v < end)
			bnd[nb++] = v;
		if (e > vm->base && e < end)
			bnd[nb++] = e;
	}
	qsort(bnd, nb, sizeof(*bnd), cmp_u64);

	vm->straddling_pages = 0;
	for (i = 0; i + 1 < nb; i++) {
		uint64_t lo = bnd[i], hi = bnd[i + 1];
		uint64_t pa, pb, pin;

		if (lo == hi)
			continue;
		pa = (lo - vm->base + sz - 1) / sz;   /* first pfn starting in [lo, hi) */
		pb = (hi - vm->base + sz - 1) / sz;   /* one past the last */
		if (pa >= pb)
			continue;
		/* pfns whose struct page ends by hi */
		pin = hi - vm->base >= sz ? (hi - vm->base - sz) / sz + 1 : 0;
		if (pin > pb)
			pin = pb;
		if (pin > pa) {
			evaluate(d, &fw, pa, a);
			run_add(&run, fl, pa, pin - 1, disagreement(a), a);
		}
		if (pin < pb) {
			/* one struct page crosses hi */
			evaluate(d, &fw, pin, a);
			if (a[TCE_XLAT_INDEX].st == TCE_XS_STRADDLE)
				vm->straddling_pages++;
			run_add(&run, fl, pin, pin, disagreement(a), a);
		}
	}
	run_flush(&run, fl);
	free(bnd);
	fast_free(&fw);
	if (vm->straddling_pages)
		tce_finding_add(fl, "TCE-VMEMMAP-STRADDLE", TCE_NO_PFN, TCE_NO_PFN,
				"straddling", "%" PRIu64 " struct pages span two vmemmap "
				"blocks (SIZE(page)=%" PRIu64 " does not divide the 0x%" PRIx64
				"-byte block): real mode cannot reach them",
				vm->straddling_pages, sz, vm->block_size);
	return 0;
}

struct keyed {
	uint64_t key;
	size_t pos;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Block-level checks: alignment, order, overlaps, backing in the dump. */
static int check_blocks(struct tce_dump *d, struct finding_list *fl)
{
	struct tce_vmemmap *vm = &d->vm;
	uint64_t bs = vm->block_size;
	struct keyed *s;
	char key[64];
	size_t i;
	int pass;

	vm->ordered = true;
	for (i = 0; i < vm->nblocks; i++) {
		const struct tce_vmemmap_block *b = &vm->blocks[i];

		snprintf(key, sizeof(key), "entry:%zu", i);
		if ((b->virt | b->phys) & (bs - 1))
			tce_finding_add(fl, "TCE-VMEMMAP-MISALIGNED", TCE_NO_PFN, TCE_NO_PFN,
					key, "vmemmap_list entry %zu (virt 0x%" PRIx64
					", phys 0x%" PRIx64 ") is not aligned to the 0x%" PRIx64
					"-byte vmemmap page", i, b->virt, b->phys, bs);
		if (!tce_phys_in_dump(d, b->phys, bs))
			tce_finding_add(fl, "TCE-VMEMMAP-BACKING-MISSING", TCE_NO_PFN,
					TCE_NO_PFN, key, "vmemmap_list entry %zu: its backing "
					"0x%" PRIx64 "-0x%" PRIx64 " (struct pages of vmemmap "
					"0x%" PRIx64 ") is not in the dump", i, b->phys,
					b->phys + bs - 1, b->virt);
		if (i && b->virt > vm->blocks[i - 1].virt) {
			vm->ordered = false;
			tce_finding_add(fl, "TCE-VMEMMAP-UNORDERED", TCE_NO_PFN, TCE_NO_PFN,
					key, "vmemmap_list entry %zu (virt 0x%" PRIx64 ") "
					"follows entry %zu (virt 0x%" PRIx64 "): the list is "
					"not in descending order, so the 2013 walk stops at "
					"the wrong entry and gives up (or, where blocks "
					"overlap, picks the wrong one)", i, b->virt, i - 1,
					vm->blocks[i - 1].virt);
		}
	}

	s = malloc((vm->nblocks ? vm->nblocks : 1) * sizeof(*s));
	if (!s)
		return tce_set_err(d, TCE_ENOMEM, "out of memory");
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < vm->nblocks; i++) {
			s[i].key = pass ? vm->blocks[i].phys : vm->blocks[i].virt;
			s[i].pos = i;
		}
		qsort(s, vm->nblocks, sizeof(*s), cmp_keyed);
		for (i = 1; i < vm->nblocks; i++) {
			uint64_t a = s[i - 1].key, b = s[i].key;
			size_t pa = s[i - 1].pos, pb = s[i].pos;

			if (b - a >= bs)
				continue;
			snprintf(key, sizeof(key), "entries:%zu,%zu", pa < pb ? pa : pb,
				 pa < pb ? pb : pa);
			tce_finding_add(fl, pass ? "TCE-VMEMMAP-OVERLAP-PHYS" :
					"TCE-VMEMMAP-OVERLAP-VIRT", TCE_NO_PFN, TCE_NO_PFN,
					key, "vmemmap_list entries %zu and %zu overlap in %s "
					"memory (0x%" PRIx64 " and 0x%" PRIx64 ", blocks of "
					"0x%" PRIx64 ")", pa, pb, pass ? "physical" : "virtual",
					a, b, bs);
		}
	}
	free(s);
	return 0;
}

/*
 * vmemmap's own address (the struct page of pfn 0): not in VMCOREINFO, so derived
 * from the blocks.  Physical memory starts at 0 on ppc64, so the lowest block starts
 * the vmemmap; the region is aligned far beyond any block (1 TiB is safe for every
 * 6.1 layout), which also keeps one stray entry from moving the base: the most common
 * 1 TiB region among the blocks wins.
 */
static uint64_t derive_base(const struct tce_vmemmap *vm)
{
	uint64_t best = 0, cur;
	size_t i, bestn = 0, n;
	uint64_t *v = malloc(vm->nblocks * sizeof(*v));

	if (!v)
		return vm->blocks[0].virt & ~((1ULL << 40) - 1);
	for (i = 0; i < vm->nblocks; i++)
		v[i] = vm->blocks[i].virt >> 40;
	qsort(v, vm->nblocks, sizeof(*v), cmp_u64);
	for (i = 0; i < vm->nblocks; i += n) {
		cur = v[i];
		for (n = 0; i + n < vm->nblocks && v[i + n] == cur; n++)
			;
		if (n > bestn) {
			bestn = n;
			best = cur;
		}
	}
	free(v);
	return best << 40;
}

/*
 * Every pfn of RAM the dump describes has a struct page (6.1 populates the vmemmap when
 * memory is added, online or not), so RAM whose struct pages no block backs means the
 * list lost entries.  Only ELF dumps say which RAM exists (their PT_LOADs); for other
 * formats the answer is unknown and nothing is reported.
 */
static void check_coverage(struct tce_dump *d, struct finding_list *fl)
{
	const struct tce_vmemmap *vm = &d->vm;
	uint64_t sz = vm->struct_page_size;
	unsigned i;

	for (i = 0; i < d->nranges; i++) {
		const struct phys_range *r = &d->ranges[i];
		uint64_t pfn = r->start >> d->page_shift;
		uint64_t last = (r->start + r->size - 1) >> d->page_shift;

		while (pfn <= last) {
			uint64_t va = tce_pfn_to_vmemmap(vm, pfn), next;
			const struct vm_index_ent *e = tce_vm_index_find(d, va);
			size_t lo;
			char key[80];

			if (e) {
				/* skip to the first pfn past this block */
				pfn = (e->virt + vm->block_size - vm->base + sz - 1) / sz;
				continue;
			}
			/* the next block above va, if any */
			lo = count_le_virt(d->vm_index, d->vm_nindex, sizeof(*d->vm_index), va);
			next = lo < d->vm_nindex ?
			       (d->vm_index[lo].virt - vm->base + sz - 1) / sz : last + 1;
			if (next > last + 1)
				next = last + 1;
			snprintf(key, sizeof(key), "pfn:0x%" PRIx64 "-0x%" PRIx64, pfn, next - 1);
			tce_finding_add(fl, "TCE-VMEMMAP-UNCOVERED", pfn, next - 1, key,
					"pfns 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 ") are RAM in "
					"the dump, but no vmemmap_list block backs their struct "
					"pages", pfn, next - 1, next - pfn);
			pfn = next;
		}
	}
}

/* The size of the vmemmap for every pfn below 2^MAX_PHYSMEM_BITS. */
static uint64_t vmemmap_span(const struct tce_dump *d)
{
	return tce_max_physmem(d) / d->page_size * d->vm.struct_page_size;
}

static int load(struct tce_dump *d, struct finding_list *fl)
{
	struct tce_vmemmap *vm = &d->vm;
	struct vm_params p;
	uint64_t max_end = 0;
	size_t i;
	int ret;

	ret = get_params(d, &p, fl);
	if (ret)
		return ret;
	vm->struct_page_size = p.page_size;
	ret = get_block_shift(d, &p, &vm->block_shift);
	if (ret) {
		tce_finding_add(fl, "TCE-VMEMMAP-MISSING", TCE_NO_PFN, TCE_NO_PFN,
				"mmu_vmemmap_psize", "the vmemmap page size cannot be read: %s",
				d->err);
		return ret;
	}
	vm->block_size = 1ULL << vm->block_shift;

	ret = walk_list(d, &p, fl);
	if (ret)
		return ret;
	ret = build_index(d);
	if (ret)
		return ret;
	if (!vm->nblocks)
		return 0;

	vm->base = derive_base(vm);
	for (i = 0; i < vm->nblocks; i++) {
		const struct tce_vmemmap_block *b = &vm->blocks[i];

		if (b->virt >= vm->base && b->virt - vm->base < (1ULL << 48) &&
		    b->virt + vm->block_size > max_end)
			max_end = b->virt + vm->block_size;
	}
	vm->max_pfn = (max_end - vm->base + vm->struct_page_size - 1) /
		      vm->struct_page_size;

	ret = check_blocks(d, fl);
	if (ret)
		return ret;
	ret = tce_xlat_install_vmemmap(d);
	if (ret)
		return ret;

	/*
	 * radix: the kernel page tables map the vmemmap too, an independent oracle.  They
	 * are read over the whole vmemmap the kernel could have (a struct page for every
	 * pfn up to MAX_PHYSMEM_BITS), so that a block the list lost still shows.
	 */
	if (tce_pgt_init(d) == 0 &&
	    tce_pgt_collect(d, vm->base, vm->base + vmemmap_span(d)) == 0) {
		d->pgt_ok = true;
		if (d->pgt_nleaves) {
			const struct pgt_leaf *l = &d->pgt_leaves[d->pgt_nleaves - 1];

			if (l->virt + l->size > max_end)
				max_end = l->virt + l->size;
			vm->max_pfn = (max_end - vm->base + vm->struct_page_size - 1) /
				      vm->struct_page_size;
		}
	}
	vm->pgtable_available = d->pgt_ok;
	if (d->pgt_ok) {
		ret = tce_xlat_install_pgtable(d);
		if (ret)
			return ret;
	}

	ret = compare_all(d, fl);
	if (!ret)
		check_coverage(d, fl);
	return ret;
}

int tce_vmemmap_load(struct tce_dump *d, const struct tce_vmemmap **out)
{
	struct finding_list fl = { 0 };

	*out = &d->vm;
	if (d->vm_loaded) {
		if (d->vm_status)
			tce_set_err(d, d->vm_status, "%s", d->vm_err);
		return d->vm_status;
	}
	d->vm_loaded = true;
	d->vm_status = load(d, &fl);
	tce_findings_cap(&fl, 256);
	if (d->vm_status)
		snprintf(d->vm_err, sizeof(d->vm_err), "%s", d->err);
	d->vm.findings = fl.v;
	d->vm.nfindings = fl.n;
	return d->vm_status;
}

void tce_vmemmap_free(struct tce_dump *d)
{
	free(d->vm.blocks);
	tce_findings_free(d->vm.findings, d->vm.nfindings);
	free(d->vm_index);
	memset(&d->vm, 0, sizeof(d->vm));
	d->vm_index = NULL;
	d->vm_nindex = 0;
	d->vm_loaded = false;
}
