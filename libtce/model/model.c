// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The model's loading: each part once, and only when something asks for it.  The
 * vmemmap (the walk, the index, mem_section for the base, the radix page tables over
 * it, and the translations installed into the dump) is loaded by anything that needs
 * a struct page; the MMU needs only the page-table probe; the struct page layout only
 * VMCOREINFO.  The comparison (compare.c) runs only when the rules ask for it.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

/* The vmemmap region is aligned far beyond any block (1 TiB covers every book3s64
 * layout), which keeps one stray entry from moving a base derived from the blocks. */
#define VMEMMAP_REGION_SHIFT 40
/* The vmemmap of 2^MAX_PHYSMEM_BITS bytes of 4K pages is below 2^48 bytes. */
#define VMEMMAP_SPAN_MAX (1ULL << 48)

void tce_model_init(struct tce_model *m, struct tce_dump *d)
{
	memset(m, 0, sizeof(*m));
	m->d = d;
	m->vm_slot = m->pgt_slot = -1;
}

void tce_model_free(struct tce_model *m)
{
	tce_dump_remove_xlat(m->d, m->vm_slot);
	tce_dump_remove_xlat(m->d, m->pgt_slot);
	tce_vm_walk_free(&m->walk);
	free(m->index);
	tce_pgt_free(&m->pgt);
	tce_sections_free(&m->sect);
	tce_page_layout_free(&m->layout);
	free(m->runs);
	memset(m, 0, sizeof(*m));
	m->vm_slot = m->pgt_slot = -1;
}

/* Without mem_section: the most common vmemmap region among the blocks (physical
 * memory starts at 0 on ppc64, so the region's start is pfn 0's struct page). */
static int derive_base(struct tce_model *m, uint64_t *base)
{
	const struct vm_walk *w = &m->walk;
	uint64_t best = 0, cur, *v;
	size_t i, bestn = 0, n;

	v = malloc(w->nblocks * sizeof(*v));
	if (!v)
		return tce_set_err(m->d, TCE_ENOMEM, "vmemmap base: out of memory");
	for (i = 0; i < w->nblocks; i++)
		v[i] = w->blocks[i].virt >> VMEMMAP_REGION_SHIFT;
	qsort(v, w->nblocks, sizeof(*v), tce_cmp_u64);
	for (i = 0; i < w->nblocks; i += n) {
		cur = v[i];
		for (n = 0; i + n < w->nblocks && v[i + n] == cur; n++)
			;
		if (n > bestn) {
			bestn = n;
			best = cur;
		}
	}
	free(v);
	*base = best << VMEMMAP_REGION_SHIFT;
	return 0;
}

static void set_max_pfn(struct tce_model *m, uint64_t end)
{
	uint64_t sz = m->walk.p.page_size, pfn = (end - m->base + sz - 1) / sz;

	if (end > m->base && pfn > m->max_pfn)
		m->max_pfn = pfn;
}

static int load_vmemmap(struct tce_model *m)
{
	struct tce_dump *d = m->d;
	struct vm_walk *w = &m->walk;
	uint64_t bs, end, span;
	size_t i;
	int ret;

	ret = tce_vm_walk(d, w);
	if (ret)
		return ret;
	if (w->end == VM_WALK_NO_PARAMS || w->end == VM_WALK_NO_PSIZE)
		return tce_set_err(d, w->err, "vmemmap_list cannot be walked: %s", w->why);
	bs = w->block_size;
	ret = tce_index_build(m);
	if (!ret)
		ret = tce_sections_read(d, &m->sect);
	if (ret)
		return ret;

	if (m->sect.status == SECT_OK && m->sect.mem_map) {
		m->base = m->sect.mem_map;
		m->base_from_sections = true;
	} else if (w->nblocks) {
		ret = derive_base(m, &m->base);
		if (ret)
			return ret;
	}
	m->ordered = true;
	for (i = 0; i < w->nblocks; i++) {
		const struct tce_vmemmap_block *b = &w->blocks[i];

		if (i && b->virt > w->blocks[i - 1].virt)
			m->ordered = false;
		if (b->virt >= m->base && b->virt - m->base < VMEMMAP_SPAN_MAX)
			set_max_pfn(m, b->virt + bs);
	}
	if (!m->base)
		return 0;

	/* the index answers reads of the vmemmap; never over the linear map */
	end = m->base + m->max_pfn * w->p.page_size;
	end = (end + bs - 1) & ~(bs - 1);
	if (m->nindex && m->base >= TCE_LINEAR_BASE + tce_max_physmem(d) && end > m->base) {
		ret = tce_dump_add_xlat(d, m->base, end, tce_index_xlat, m);
		if (ret < 0)
			return ret;
		m->vm_slot = ret;
	}

	/*
	 * radix: the kernel page tables map the vmemmap too, an independent oracle.  They
	 * are read over the whole vmemmap the kernel could have (a struct page for every
	 * pfn below 2^MAX_PHYSMEM_BITS), so that a block the list lost still shows.
	 */
	ret = tce_pgt_probe(d, &m->pgt);
	if (ret)
		return ret;
	if (m->pgt.mmu != TCE_MMU_RADIX)
		return 0;
	span = tce_max_physmem(d) / tce_dump_page_size(d) * w->p.page_size;
	ret = tce_pgt_collect(d, &m->pgt, m->base, m->base + span);
	if (ret == -TCE_ENOMEM)
		return ret;
	if (ret) {
		/* the tables over the vmemmap are damaged or missing: no fourth opinion */
		tce_clear_err(d);
		return 0;
	}
	m->pgt_ok = true;
	if (m->pgt.nleaves) {
		const struct pgt_leaf *l = &m->pgt.leaves[m->pgt.nleaves - 1];

		set_max_pfn(m, l->virt + l->size);
	}
	/* vmalloc and io: from the end of the linear map to the vmemmap */
	if (m->base > TCE_LINEAR_BASE + tce_max_physmem(d)) {
		ret = tce_dump_add_xlat(d, TCE_LINEAR_BASE + tce_max_physmem(d), m->base,
					tce_pgt_xlat, &m->pgt);
		if (ret < 0)
			return ret;
		m->pgt_slot = ret;
	}
	return 0;
}

int tce_model_vmemmap(struct tce_model *m)
{
	if (m->vm_loaded) {
		if (m->vm_status)
			tce_set_err(m->d, m->vm_status, "%s", m->vm_err);
		return m->vm_status;
	}
	m->vm_loaded = true;
	m->vm_status = load_vmemmap(m);
	if (m->vm_status)
		snprintf(m->vm_err, sizeof(m->vm_err), "%s", tce_errmsg(m->d));
	else
		tce_clear_err(m->d);
	return m->vm_status;
}

int tce_model_mmu(struct tce_model *m, enum tce_mmu *mmu)
{
	int ret = tce_pgt_probe(m->d, &m->pgt);

	*mmu = m->pgt.mmu;
	return ret;
}

int tce_model_layout(struct tce_model *m)
{
	int ret;

	if (m->layout_loaded)
		return 0;
	ret = tce_page_layout(m->d, &m->layout);
	if (ret) {
		tce_page_layout_free(&m->layout);
		return ret;
	}
	m->layout_loaded = true;
	return 0;
}

bool tce_model_pfn_va(const struct tce_model *m, uint64_t pfn, uint64_t *va)
{
	uint64_t sz = m->walk.p.page_size;

	if (!m->base || !sz || pfn > (UINT64_MAX - m->base) / sz)
		return false;
	*va = m->base + pfn * sz;
	return true;
}
