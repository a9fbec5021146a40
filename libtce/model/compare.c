// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The comparison engine: the four translations of pfn -> struct page compared over
 * every pfn of the vmemmap, not pfn by pfn but once per interval between block and
 * page-table-leaf boundaries (every method's decision is constant inside one), so a
 * 1 TiB host is compared in milliseconds.  Its result is data: the maximal runs of
 * pfns where the same methods disagree with the index, and the number of struct pages
 * split between two blocks.  The rules turn them into findings.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/model.h"

bool tce_answers_agree(const struct xlat_answer *a, const struct xlat_answer *b)
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
static bool pgt_agrees(const struct xlat_answer *idx, const struct xlat_answer *pgt)
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

static int fast_init(struct tce_model *m, struct fast_walks *f)
{
	const struct vm_walk *vm = &m->walk;
	size_t i, n = vm->nblocks;

	f->n = n;
	/* zeroed: nothing reads them past n, and so no reader can see garbage */
	f->s = calloc(n ? n : 1, sizeof(*f->s));
	f->prefmin = calloc(n ? n : 1, sizeof(*f->prefmin));
	f->tree = calloc(2 * n + 1, sizeof(*f->tree));
	if (!f->s || !f->prefmin || !f->tree) {
		fast_free(f);
		return tce_set_err(m->d, TCE_ENOMEM, "comparison of %zu blocks: out of memory",
				   n);
	}
	for (i = 0; i < n; i++) {
		f->s[i].virt = vm->blocks[i].virt;
		f->s[i].phys = vm->blocks[i].phys;
		f->s[i].block = i;
	}
	qsort(f->s, n, sizeof(*f->s), tce_index_cmp);
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
	return tce_count_le_virt(f->s, f->n, sizeof(*f->s), va);
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

static enum tce_xlat_status fast_seed(const struct tce_model *m,
				      const struct fast_walks *f, uint64_t va,
				      uint64_t *phys)
{
	uint64_t bs = m->walk.block_size, sz = m->psz;
	size_t j = count_le(f, va);
	const struct tce_vmemmap_block *b;

	if (!j)
		return TCE_XS_NOBLOCK;
	b = &m->walk.blocks[f->prefmin[j - 1]];
	/* b->virt <= va; by offsets, as a block at the top of the address space (a
	 * hostile virt_addr) ends past 2^64 */
	if (va - b->virt >= bs)
		return TCE_XS_NOBLOCK;
	if (bs - (va - b->virt) < sz)
		return TCE_XS_STRADDLE;
	*phys = b->phys + (va - b->virt);
	return TCE_XS_OK;
}

static enum tce_xlat_status fast_walk(const struct tce_model *m,
				      const struct fast_walks *f, uint64_t va,
				      uint64_t *phys)
{
	uint64_t bs = m->walk.block_size, sz = m->psz;
	size_t hi = count_le(f, va), lo;
	const struct tce_vmemmap_block *b;
	size_t pos;

	/* blocks holding the whole struct page: virt in [va - (bs - sz), va] (none if
	 * a struct page is larger than a block) */
	if (sz > bs)
		lo = hi;
	else
		lo = va > bs - sz ? count_le(f, va - (bs - sz) - 1) : 0;
	if (lo < hi) {
		pos = range_min(f, lo, hi);
		b = &m->walk.blocks[pos];
		*phys = b->phys + (va - b->virt);
		return TCE_XS_OK;
	}
	/* some block holds its start only? virt in (va - bs, va] */
	lo = va >= bs ? count_le(f, va - bs) : 0;
	return lo < hi ? TCE_XS_STRADDLE : TCE_XS_NOBLOCK;
}

static void evaluate(const struct tce_model *m, const struct fast_walks *f, uint64_t pfn,
		     struct xlat_answer *a)
{
	uint64_t va = m->base + pfn * m->psz;
	int i;

	for (i = 0; i < TCE_XLAT_NUM; i++)
		a[i].phys = 0;
	a[TCE_XLAT_SEED2013].st = fast_seed(m, f, va, &a[TCE_XLAT_SEED2013].phys);
	a[TCE_XLAT_WALK].st = fast_walk(m, f, va, &a[TCE_XLAT_WALK].phys);
	a[TCE_XLAT_INDEX].st = tce_vm_xlat(m, TCE_XLAT_INDEX, va, &a[TCE_XLAT_INDEX].phys);
	a[TCE_XLAT_PGTABLE].st = tce_vm_xlat(m, TCE_XLAT_PGTABLE, va,
					     &a[TCE_XLAT_PGTABLE].phys);
}

/* bit m set: method m disagrees with the index (for the 2013 walk, with an address;
 * RUN_SEED_GAVE_UP when it only fails to find one) */
static unsigned disagreement(const struct xlat_answer *a)
{
	unsigned bad = 0;

	if (!tce_answers_agree(&a[TCE_XLAT_SEED2013], &a[TCE_XLAT_INDEX]))
		bad |= a[TCE_XLAT_SEED2013].st != TCE_XS_OK && a[TCE_XLAT_INDEX].st == TCE_XS_OK ?
		       RUN_SEED_GAVE_UP : 1u << TCE_XLAT_SEED2013;
	if (!tce_answers_agree(&a[TCE_XLAT_WALK], &a[TCE_XLAT_INDEX]))
		bad |= 1u << TCE_XLAT_WALK;
	if (!pgt_agrees(&a[TCE_XLAT_INDEX], &a[TCE_XLAT_PGTABLE]))
		bad |= 1u << TCE_XLAT_PGTABLE;
	return bad;
}

/* Extends the last run or starts one; 0 or -TCE_ENOMEM. */
static int run_add(struct tce_model *m, size_t *cap, uint64_t first, uint64_t last,
		   unsigned bad, const struct xlat_answer *a)
{
	struct cmp_run *r = m->nruns ? &m->runs[m->nruns - 1] : NULL;

	if (!bad)
		return 0;
	if (r && r->bad == bad && r->last + 1 == first) {
		r->last = last;
		return 0;
	}
	if (m->nruns == *cap) {
		size_t c = *cap ? *cap * 2 : 16;

		r = realloc(m->runs, c * sizeof(*r));
		if (!r)
			return tce_set_err(m->d, TCE_ENOMEM, "comparison run %zu: out of memory",
					   m->nruns);
		m->runs = r;
		*cap = c;
	}
	r = &m->runs[m->nruns++];
	r->first = first;
	r->last = last;
	r->bad = bad;
	memcpy(r->a, a, sizeof(r->a));
	return 0;
}

/*
 * Compares the methods over every pfn from 0 to max_pfn.  Between two consecutive
 * boundaries (block or leaf starts and ends) every method's decision is the same for
 * each struct page that lies wholly inside, so one evaluation stands for all of them;
 * the at most one struct page that crosses the upper boundary is evaluated alone.
 * A run that differs only in where it starts is the same run: runs are maximal.
 */
int tce_model_compare(struct tce_model *m)
{
	const struct vm_walk *vm = &m->walk;
	uint64_t sz = m->psz, *bnd, end, npfn = m->max_pfn, bs = vm->block_size;
	size_t nb = 0, i, cap = 0;
	struct xlat_answer a[TCE_XLAT_NUM];
	struct fast_walks fw = { 0 };
	int ret;

	if (m->compared)
		return 0;
	ret = tce_model_vmemmap(m);
	if (ret)
		return ret;
	if (m->src != TCE_VMEMMAP_SRC_LIST) {
		/* nothing to compare: the list is not what the kernel uses, or is empty */
		m->compared = true;
		return 0;
	}
	/* a vmemmap at the top of the address space (a hostile base) ends at 2^64: its
	 * last struct page, which no address below 2^64 can end, is left out */
	if (npfn > (UINT64_MAX - m->base) / sz)
		npfn = (UINT64_MAX - m->base) / sz;
	end = m->base + npfn * sz;
	ret = fast_init(m, &fw);
	if (ret)
		return ret;
	bnd = malloc((2 * vm->nblocks + 2 * m->pgt.nleaves + 2 * m->pgt.ngaps + 2) *
		     sizeof(*bnd));
	if (!bnd) {
		fast_free(&fw);
		return tce_set_err(m->d, TCE_ENOMEM, "comparison boundaries: out of memory");
	}
	bnd[nb++] = m->base;
	bnd[nb++] = end;
	for (i = 0; i < vm->nblocks; i++) {
		uint64_t v = vm->blocks[i].virt;

		if (v > m->base && v < end)
			bnd[nb++] = v;
		/* a block that ends past 2^64 ends past end */
		if (v <= UINT64_MAX - bs && v + bs > m->base && v + bs < end)
			bnd[nb++] = v + bs;
	}
	for (i = 0; m->pgt_ok && i < m->pgt.nleaves; i++) {
		uint64_t v = m->pgt.leaves[i].virt, ls = m->pgt.leaves[i].size;

		if (v > m->base && v < end)
			bnd[nb++] = v;
		if (v <= UINT64_MAX - ls && v + ls > m->base && v + ls < end)
			bnd[nb++] = v + ls;
	}
	/* where the tables are not in the dump the page tables have no answer */
	for (i = 0; m->pgt_ok && i < m->pgt.ngaps; i++) {
		uint64_t v = m->pgt.gaps[i].virt, ls = m->pgt.gaps[i].size;

		if (v > m->base && v < end)
			bnd[nb++] = v;
		if (v <= UINT64_MAX - ls && v + ls > m->base && v + ls < end)
			bnd[nb++] = v + ls;
	}
	qsort(bnd, nb, sizeof(*bnd), tce_cmp_u64);

	m->straddling = 0;
	for (i = 0; !ret && i + 1 < nb; i++) {
		uint64_t lo = bnd[i], hi = bnd[i + 1];
		uint64_t pa, pb, pin;

		if (lo == hi)
			continue;
		pa = (lo - m->base + sz - 1) / sz;   /* first pfn starting in [lo, hi) */
		pb = (hi - m->base + sz - 1) / sz;   /* one past the last */
		if (pa >= pb)
			continue;
		/* pfns whose struct page ends by hi */
		pin = hi - m->base >= sz ? (hi - m->base - sz) / sz + 1 : 0;
		if (pin > pb)
			pin = pb;
		if (pin > pa) {
			evaluate(m, &fw, pa, a);
			ret = run_add(m, &cap, pa, pin - 1, disagreement(a), a);
		}
		if (!ret && pin < pb) {
			/* one struct page crosses hi */
			evaluate(m, &fw, pin, a);
			if (a[TCE_XLAT_INDEX].st == TCE_XS_STRADDLE)
				m->straddling++;
			ret = run_add(m, &cap, pin, pin, disagreement(a), a);
		}
	}
	free(bnd);
	fast_free(&fw);
	if (ret) {
		free(m->runs);
		m->runs = NULL;
		m->nruns = 0;
		return ret;
	}
	m->compared = true;
	return 0;
}
