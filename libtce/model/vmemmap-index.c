// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The vmemmap index and the four translations of a struct page's vmemmap address to
 * the physical address it lives at: the 2013 walk (the seed's exact loop: the first
 * entry with virt_addr <= va decides), the hot-remove-safe walk (every entry checked),
 * the sorted index (binary search; the translation installed into the dump) and, on
 * radix, the kernel page tables (their leaves, collected once over the vmemmap).
 */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>

#include "model/model.h"

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
	}
	return "unknown";
}

int tce_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int tce_index_cmp(const void *a, const void *b)
{
	const struct vm_index_ent *x = a, *y = b;

	if (x->virt != y->virt)
		return x->virt < y->virt ? -1 : 1;
	return x->block < y->block ? -1 : x->block > y->block;
}

/*
 * The sorted index: one entry per distinct virt, the first in list order.  A block
 * whose virt_addr the linear map translates, or that is no kernel address at all, is
 * not in the vmemmap (a corrupt entry; TCE-VMEMMAP-NOT-VMEMMAP reports it):
 * a struct page there would be read through the linear map, not through the block, so
 * the index leaves it out and refuses its addresses.
 */
/* The direct table over the index's span; none (not an error) when the span is too
 * wide or the blocks have no size. */
static int direct_build(struct tce_model *m)
{
	const struct vm_walk *w = &m->walk;
	unsigned shift = w->block_shift;
	uint64_t span, i, slot, last;

	if (!m->nindex || m->nindex >= UINT32_MAX || !w->block_size || shift >= 64)
		return 0;
	m->direct_base = m->index[0].virt & ~(w->block_size - 1);
	span = m->index[m->nindex - 1].virt - m->direct_base;
	if (span > UINT64_MAX - w->block_size ||
	    (span + w->block_size - 1) >> shift >= DIRECT_MAX_SLOTS)
		return 0;
	m->ndirect = ((span + w->block_size - 1) >> shift) + 1;
	m->direct = calloc(m->ndirect, sizeof(*m->direct));
	if (!m->direct)
		return tce_set_err(m->d, TCE_ENOMEM, "vmemmap direct table of %" PRIu64 " slots: "
				   "out of memory", m->ndirect);
	m->direct_shift = shift;
	for (i = 0; i < m->nindex; i++) {
		/* a misaligned block covers parts of two slots: both learn it */
		slot = (m->index[i].virt - m->direct_base) >> shift;
		last = (m->index[i].virt + w->block_size - 1 - m->direct_base) >> shift;
		for (; slot <= last && slot < m->ndirect; slot++)
			m->direct[slot] = m->direct[slot] ? DIRECT_SEARCH : (uint32_t)i + 1;
	}
	return 0;
}

int tce_index_build(struct tce_model *m)
{
	const struct vm_walk *w = &m->walk;
	size_t i, n = 0, k = 0;

	m->index = calloc(w->nblocks ? w->nblocks : 1, sizeof(*m->index));
	m->not_vmemmap = calloc(w->nblocks ? w->nblocks : 1, sizeof(*m->not_vmemmap));
	if (!m->index || !m->not_vmemmap)
		return tce_set_err(m->d, TCE_ENOMEM, "vmemmap index of %zu blocks: out of "
				   "memory", w->nblocks);
	for (i = 0; i < w->nblocks; i++) {
		uint64_t v = w->blocks[i].virt;

		if (v < TCE_LINEAR_BASE || tce_dump_direct_mapped(m->d, v)) {
			m->not_vmemmap[i] = true;
			m->n_not_vmemmap++;
			continue;
		}
		m->index[k].virt = w->blocks[i].virt;
		m->index[k].phys = w->blocks[i].phys;
		m->index[k].block = i;
		k++;
	}
	qsort(m->index, k, sizeof(*m->index), tce_index_cmp);
	for (i = 0; i < k; i++)
		if (!n || m->index[n - 1].virt != m->index[i].virt)
			m->index[n++] = m->index[i];
	m->nindex = n;
	return direct_build(m);
}

size_t tce_count_le_virt(const void *arr, size_t n, size_t size, uint64_t va)
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

static const struct pgt_leaf *pgt_find(const struct tce_model *m, uint64_t va)
{
	size_t lo = tce_count_le_virt(m->pgt.leaves, m->pgt.nleaves, sizeof(*m->pgt.leaves),
				      va);
	const struct pgt_leaf *l;

	if (!lo)
		return NULL;
	l = &m->pgt.leaves[lo - 1];
	return va - l->virt < l->size ? l : NULL;
}

/*
 * Exactly the 2013 patch: the first entry at or below va decides.  A function of its
 * own, aligned: the loop is the benchmarks' baseline (bench/xlat-bench), and where the
 * rest of the file put it, against the processor's 32-byte fetch lines, made it 2x
 * slower or faster from one build to the next (1.6M and 0.75M lookups a second at 4096
 * blocks for one loop)
 */
static __attribute__((noinline, aligned(64))) enum tce_xlat_status
seed2013(const struct vm_walk *w, uint64_t sz, uint64_t va, uint64_t *phys)
{
	uint64_t bs = w->block_size;
	size_t i;

	for (i = 0; i < w->nblocks; i++) {
		const struct tce_vmemmap_block *b = &w->blocks[i];

		if (va < b->virt)
			continue;
		if (va - b->virt >= bs)
			return TCE_XS_NOBLOCK;
		*phys = b->phys + (va - b->virt);
		return va - b->virt <= bs - sz ? TCE_XS_OK : TCE_XS_STRADDLE;
	}
	return TCE_XS_NOBLOCK;
}

enum tce_xlat_status tce_vm_xlat(const struct tce_model *m, enum tce_xlat meth,
				 uint64_t va, uint64_t *phys)
{
	const struct vm_walk *w = &m->walk;
	uint64_t bs = w->block_size, sz = m->psz;
	bool contained = false;
	size_t i;

	/* the list's methods do not apply where the kernel keeps no list */
	if (meth != TCE_XLAT_PGTABLE &&
	    (!m->list_walked || m->src == TCE_VMEMMAP_SRC_PGTABLE))
		return TCE_XS_UNAVAILABLE;
	switch (meth) {
	case TCE_XLAT_SEED2013:
		return seed2013(w, sz, va, phys);
	case TCE_XLAT_WALK:
		/* after hot-remove any entry may be anywhere: check them all */
		for (i = 0; i < w->nblocks; i++) {
			const struct tce_vmemmap_block *b = &w->blocks[i];

			if (va < b->virt || va - b->virt >= bs)
				continue;
			if (!contained)
				*phys = b->phys + (va - b->virt);
			contained = true;
			if (va - b->virt <= bs - sz) {
				*phys = b->phys + (va - b->virt);
				return TCE_XS_OK;
			}
		}
		return contained ? TCE_XS_STRADDLE : TCE_XS_NOBLOCK;
	case TCE_XLAT_INDEX:
		return tce_index_xlat_va(m, va, phys);
	case TCE_XLAT_PGTABLE: {
		const struct pgt_leaf *l;

		if (!m->pgt_ok)
			return TCE_XS_UNAVAILABLE;
		l = pgt_find(m, va);
		if (!l && tce_model_gap(m, va, &bs))
			return TCE_XS_UNAVAILABLE;   /* its tables are not in the dump */
		if (!l)
			return TCE_XS_NOBLOCK;
		*phys = l->phys + (va - l->virt);
		return TCE_XS_OK;
	}
	default:
		return TCE_XS_UNAVAILABLE;
	}
}

int tce_index_xlat(struct tce_dump *d, void *data, uint64_t va, uint64_t *phys,
		   uint64_t *span)
{
	const struct tce_model *m = data;
	const struct vm_index_ent *e = tce_index_find(m, va);

	if (!e)
		return tce_set_err(d, TCE_ENOXLAT, "no vmemmap_list block backs 0x%llx",
				   (unsigned long long)va);
	*phys = e->phys + (va - e->virt);
	*span = m->walk.block_size;
	return 0;
}
